//! Threat protection's settings (`SetRiskConfiguration`), pool-wide and per
//! app client, and log delivery (`SetLogDeliveryConfiguration`), end to end:
//! the binary against moto through the AWS-faithful proxy, which plays both
//! APIs (moto has neither; `support::faithful::risk`, `::log_delivery`).
//! Each test asserts the requests poolctl sent and what the next plan says.

use crate::support::*;
use serde_json::{json, Value};

const SES: &str = "arn:aws:ses:us-east-1:123456789012:identity/example.com";
const LOGS: &str = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/tp";
const LOGS_2: &str = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/other";
const BUCKET: &str = "arn:aws:s3:::tp-auth-events";
const STREAM: &str = "arn:aws:firehose:us-east-1:123456789012:deliverystream/tp-auth";

fn spec(high: &str, web_block: &str) -> String {
    format!(
        r#"name: tp-${{env}}
environments: {{ dev: {{ region: us-east-1 }} }}
tier: plus
user_pool_add_ons: {{ advanced_security_mode: enforced }}
threat_protection:
  compromised_credentials:
    event_filter: [sign_in, sign_up]
    action: block
  account_takeover:
    low: {{ action: no_action, notify: false }}
    medium: {{ action: mfa_if_configured, notify: true }}
    high: {{ action: {high}, notify: true }}
    notify_configuration:
      source_arn: {SES}
      from: security@example.com
      block_email:
        subject: We blocked a sign-in
        text_body: Someone tried to sign in as you and was blocked.
  ip_address_exceptions:
    always_allow: [10.0.0.0/8]
    always_block: [203.0.113.0/24, 198.51.100.0/24]
clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
    threat_protection:
      ip_address_exceptions:
        always_block: [{web_block}]
  mobile:
    explicit_auth_flows: [user_srp, refresh_token]
"#
    )
}

fn run_ok(stack: &Stack, args: &[&str]) -> Output {
    let out = stack.poolctl().args(args).run();
    out.assert_success();
    out
}

fn plan(stack: &Stack) -> Value {
    let out = run_ok(stack, &["plan", "--env", "dev", "--json"]);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.dump()))
}

fn apply(stack: &Stack) -> Output {
    run_ok(stack, &["apply", "--env", "dev", "--auto-approve"])
}

#[track_caller]
fn assert_converged(stack: &Stack) {
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    assert_eq!(out.status, 0, "expected no changes:\n{}", out.dump());
}

/// The request bodies poolctl sent for `operation`, in order.
fn sent(stack: &Stack, operation: &str) -> Vec<Value> {
    stack
        .proxy
        .requests_for(operation)
        .iter()
        .map(RecordedRequest::json)
        .collect()
}

fn client_id(stack: &Stack, name: &str) -> String {
    let list = block_on(
        stack
            .cognito()
            .list_user_pool_clients()
            .user_pool_id(pool_id(stack))
            .max_results(60)
            .send(),
    )
    .unwrap();
    list.user_pool_clients()
        .iter()
        .find(|c| c.client_name() == Some(name))
        .and_then(|c| c.client_id())
        .unwrap_or_else(|| panic!("no client {name}"))
        .to_string()
}

/// The pool-wide configuration poolctl is expected to send for `spec(high, _)`.
fn pool_request(high: &str) -> Value {
    json!({
        "CompromisedCredentialsRiskConfiguration": {
            "EventFilter": ["SIGN_IN", "SIGN_UP"],
            "Actions": { "EventAction": "BLOCK" }
        },
        "AccountTakeoverRiskConfiguration": {
            "Actions": {
                "LowAction": { "Notify": false, "EventAction": "NO_ACTION" },
                "MediumAction": { "Notify": true, "EventAction": "MFA_IF_CONFIGURED" },
                "HighAction": { "Notify": true, "EventAction": high }
            },
            "NotifyConfiguration": {
                "SourceArn": SES,
                "From": "security@example.com",
                "BlockEmail": {
                    "Subject": "We blocked a sign-in",
                    "TextBody": "Someone tried to sign in as you and was blocked."
                }
            }
        },
        "RiskExceptionConfiguration": {
            "SkippedIPRangeList": ["10.0.0.0/8"],
            "BlockedIPRangeList": ["198.51.100.0/24", "203.0.113.0/24"]
        }
    })
}

/// A request body without the ids, to compare with `pool_request`.
fn without_ids(mut body: Value) -> Value {
    let map = body.as_object_mut().unwrap();
    map.remove("UserPoolId");
    map.remove("ClientId");
    body
}

#[test]
fn threat_protection_applies_converges_drifts_changes_one_field_and_imports() {
    let stack = Stack::new();
    stack.spec("tp.yaml", &spec("block", "192.0.2.0/24"));
    apply(&stack);

    // One call for the pool, one for the new client, after it was created.
    let ops = stack.proxy.operations();
    let set: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| *o == "SetRiskConfiguration")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(set.len(), 2, "{ops:?}");
    let created_web = ops
        .iter()
        .rposition(|o| o == "CreateUserPoolClient")
        .unwrap();
    let bodies = sent(&stack, "SetRiskConfiguration");
    let web = client_id(&stack, "web");
    let (pool_body, web_body) = if bodies[0].get("ClientId").is_some() {
        (&bodies[1], &bodies[0])
    } else {
        (&bodies[0], &bodies[1])
    };
    assert_eq!(without_ids(pool_body.clone()), pool_request("BLOCK"));
    assert_eq!(web_body["ClientId"], web.as_str());
    assert_eq!(
        without_ids(web_body.clone()),
        json!({ "RiskExceptionConfiguration": { "BlockedIPRangeList": ["192.0.2.0/24"] } })
    );
    let web_set = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| *o == "SetRiskConfiguration")
        .map(|(i, _)| i)
        .find(|i| stack.proxy.requests()[*i].json().get("ClientId").is_some())
        .unwrap();
    assert!(web_set > created_web, "{ops:?}");
    assert_converged(&stack);

    // Changed by hand (straight through the API, as the console would).
    let cognito = cognito_client(&stack.proxy.endpoint(), TEST_REGION);
    block_on(
        cognito
            .set_risk_configuration()
            .user_pool_id(pool_id(&stack))
            .compromised_credentials_risk_configuration(
                aws_sdk_cognitoidentityprovider::types::CompromisedCredentialsRiskConfigurationType::builder()
                    .actions(
                        aws_sdk_cognitoidentityprovider::types::CompromisedCredentialsActionsType::builder()
                            .event_action("NO_ACTION".into())
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let out = stack.poolctl().args(["drift", "--env", "dev"]).run();
    assert_ne!(out.status, 0, "{}", out.dump());
    assert!(
        out.stdout
            .contains("threat_protection.compromised_credentials.action"),
        "{}",
        out.dump()
    );
    let p = plan(&stack);
    assert_eq!(actions(&p), [("user_pool".into(), "update".into())]);
    stack.proxy.clear();
    apply(&stack);
    assert!(sent(&stack, "UpdateUserPool").is_empty());
    let bodies = sent(&stack, "SetRiskConfiguration");
    assert_eq!(bodies.len(), 1);
    assert_eq!(without_ids(bodies[0].clone()), pool_request("BLOCK"));
    assert_converged(&stack);

    // One field changes: the request carries every other one as it was,
    // and nothing else is written.
    stack.spec("tp.yaml", &spec("mfa_required", "192.0.2.0/24"));
    let p = plan(&stack);
    assert_eq!(
        fields(change(&p, "user_pool")),
        [(
            "threat_protection.account_takeover.high.action".into(),
            json!("block"),
            json!("mfa_required")
        )]
    );
    stack.proxy.clear();
    apply(&stack);
    let writes: Vec<String> = stack.writes().iter().map(|r| r.operation.clone()).collect();
    assert_eq!(writes, ["SetRiskConfiguration"]);
    assert_eq!(
        without_ids(sent(&stack, "SetRiskConfiguration")[0].clone()),
        pool_request("MFA_REQUIRED")
    );
    assert_converged(&stack);

    // A client's own settings change alone: no UpdateUserPoolClient.
    stack.spec("tp.yaml", &spec("mfa_required", "192.0.2.128/25"));
    let p = plan(&stack);
    assert_eq!(actions(&p), [("client.web".into(), "update".into())]);
    stack.proxy.clear();
    apply(&stack);
    let writes: Vec<String> = stack.writes().iter().map(|r| r.operation.clone()).collect();
    assert_eq!(writes, ["SetRiskConfiguration"]);
    let body = &sent(&stack, "SetRiskConfiguration")[0];
    assert_eq!(body["ClientId"], web.as_str());
    assert_eq!(
        body["RiskExceptionConfiguration"],
        json!({ "BlockedIPRangeList": ["192.0.2.128/25"] })
    );
    assert_converged(&stack);

    // A client's own settings changed by hand show as drift of that client.
    block_on(
        cognito
            .set_risk_configuration()
            .user_pool_id(pool_id(&stack))
            .client_id(&web)
            .risk_exception_configuration(
                aws_sdk_cognitoidentityprovider::types::RiskExceptionConfigurationType::builder()
                    .blocked_ip_range_list("198.18.0.0/15")
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let p = plan(&stack);
    assert_eq!(
        fields(change(&p, "client.web")),
        [(
            "threat_protection.ip_address_exceptions.always_block".into(),
            json!(["198.18.0.0/15"]),
            json!(["192.0.2.128/25"])
        )]
    );
    stack.proxy.clear();
    apply(&stack);
    let writes: Vec<String> = stack.writes().iter().map(|r| r.operation.clone()).collect();
    assert_eq!(writes, ["SetRiskConfiguration"]);
    assert_converged(&stack);

    // Imported, the spec plans no change.
    std::fs::remove_file(stack.path().join("pools/tp.yaml")).unwrap();
    let out = stack
        .poolctl()
        .region("us-east-1")
        .args(["import", "--env", "dev", "--name", "tp-dev"])
        .run();
    out.assert_success();
    assert!(
        out.stderr
            .contains("checked: `poolctl plan --env dev` shows no changes"),
        "{}",
        out.dump()
    );
    let written = std::fs::read_to_string(stack.path().join("pools/tp.yaml")).unwrap();
    assert!(
        written.contains("threat_protection:") && written.contains("192.0.2.128/25"),
        "{written}"
    );
    assert_converged(&stack);
}

#[test]
fn threat_protection_without_plus_and_the_add_on_is_refused_offline() {
    let stack = Stack::new();
    let text = spec("block", "192.0.2.0/24")
        .replace("tier: plus\n", "tier: essentials\n")
        .replace(
            "advanced_security_mode: enforced",
            "advanced_security_mode: off",
        );
    stack.spec("tp.yaml", &text);
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert_ne!(out.status, 0, "{}", out.dump());
    for needle in [
        "pools/tp.yaml:5:1: threat_protection: threat protection settings need the plus tier, but `tier` is essentials (pool `tp`, environment `dev`)",
        "threat_protection: threat protection settings need `user_pool_add_ons.advanced_security_mode` `audit` or `enforced`; it is `off`",
        "clients.web.threat_protection: threat protection settings need the plus tier",
    ] {
        assert!(out.stderr.contains(needle), "{needle}\n{}", out.dump());
    }
    assert!(stack.proxy.requests().is_empty(), "nothing is sent to AWS");
}

fn log_spec(auth_events: &str) -> String {
    format!(
        r#"name: logs-${{env}}
environments: {{ dev: {{ region: us-east-1 }} }}
tier: plus
log_delivery:
  user_notification: {{ cloudwatch_logs: "{LOGS}" }}
{auth_events}"#
    )
}

fn log_request(configs: Value) -> Value {
    json!({ "LogConfigurations": configs })
}

#[test]
fn log_delivery_applies_converges_drifts_changes_one_source_and_imports() {
    let stack = Stack::new();
    let s3 = format!("  user_auth_events: {{ s3: \"{BUCKET}\" }}\n");
    stack.spec("logs.yaml", &log_spec(&s3));
    apply(&stack);
    let notification = json!({
        "EventSource": "userNotification",
        "LogLevel": "ERROR",
        "CloudWatchLogsConfiguration": { "LogGroupArn": LOGS }
    });
    let bodies = sent(&stack, "SetLogDeliveryConfiguration");
    assert_eq!(bodies.len(), 1);
    assert_eq!(
        without_ids(bodies[0].clone()),
        log_request(json!([
            notification,
            { "EventSource": "userAuthEvents", "LogLevel": "INFO", "S3Configuration": { "BucketArn": BUCKET } }
        ]))
    );
    assert_converged(&stack);

    // Changed by hand: the notification logs go elsewhere, auth events stop.
    let cognito = cognito_client(&stack.proxy.endpoint(), TEST_REGION);
    use aws_sdk_cognitoidentityprovider::types as sdk;
    block_on(
        cognito
            .set_log_delivery_configuration()
            .user_pool_id(pool_id(&stack))
            .log_configurations(
                sdk::LogConfigurationType::builder()
                    .event_source(sdk::EventSourceName::UserNotification)
                    .log_level(sdk::LogLevel::Error)
                    .cloud_watch_logs_configuration(
                        sdk::CloudWatchLogsConfigurationType::builder()
                            .log_group_arn(LOGS_2)
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    let out = stack.poolctl().args(["drift", "--env", "dev"]).run();
    assert_ne!(out.status, 0, "{}", out.dump());
    assert!(
        out.stdout
            .contains("log_delivery.user_notification.cloudwatch_logs"),
        "{}",
        out.dump()
    );
    stack.proxy.clear();
    apply(&stack);
    assert_eq!(sent(&stack, "SetLogDeliveryConfiguration").len(), 1);
    assert_converged(&stack);

    // One source changes: the other is sent as it was, nothing else is written.
    let firehose = format!("  user_auth_events: {{ firehose: \"{STREAM}\" }}\n");
    stack.spec("logs.yaml", &log_spec(&firehose));
    let p = plan(&stack);
    let mut paths: Vec<String> = fields(change(&p, "user_pool"))
        .into_iter()
        .map(|(path, _, _)| path)
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "log_delivery.user_auth_events.firehose",
            "log_delivery.user_auth_events.s3"
        ]
    );
    stack.proxy.clear();
    apply(&stack);
    let writes: Vec<String> = stack.writes().iter().map(|r| r.operation.clone()).collect();
    assert_eq!(writes, ["SetLogDeliveryConfiguration"]);
    assert_eq!(
        without_ids(sent(&stack, "SetLogDeliveryConfiguration")[0].clone()),
        log_request(json!([
            notification,
            { "EventSource": "userAuthEvents", "LogLevel": "INFO", "FirehoseConfiguration": { "StreamArn": STREAM } }
        ]))
    );
    assert_converged(&stack);

    // A source left out of a declared `log_delivery` stops being delivered.
    stack.spec("logs.yaml", &log_spec(""));
    stack.proxy.clear();
    apply(&stack);
    assert_eq!(
        without_ids(sent(&stack, "SetLogDeliveryConfiguration")[0].clone()),
        log_request(json!([notification]))
    );
    assert_converged(&stack);

    // Imported, the spec plans no change.
    std::fs::remove_file(stack.path().join("pools/logs.yaml")).unwrap();
    let out = stack
        .poolctl()
        .region("us-east-1")
        .args(["import", "--env", "dev", "--name", "logs-dev"])
        .run();
    out.assert_success();
    assert!(
        out.stderr
            .contains("checked: `poolctl plan --env dev` shows no changes"),
        "{}",
        out.dump()
    );
    let written = std::fs::read_to_string(stack.path().join("pools/logs.yaml")).unwrap();
    assert!(
        written.contains("log-group:/aws/vendedlogs/tp")
            && !written.contains("null")
            && !written.contains("level"),
        "{written}"
    );
    assert_converged(&stack);
}

#[test]
fn log_delivery_that_aws_refuses_is_refused_offline() {
    let stack = Stack::new();
    let text = log_spec(&format!("  user_auth_events: {{ s3: \"{BUCKET}\" }}\n"))
        .replace("tier: plus", "tier: essentials")
        .replace(
            &format!("cloudwatch_logs: \"{LOGS}\""),
            &format!("s3: \"{BUCKET}\""),
        );
    stack.spec("logs.yaml", &text);
    let out = stack.poolctl().args(["validate"]).run();
    assert_ne!(out.status, 0, "{}", out.dump());
    for needle in [
        "log_delivery.user_notification.s3: user notification logs go to CloudWatch Logs only (`cloudwatch_logs`) (pool `logs`, environment `dev`)",
        "log_delivery.user_auth_events: user authentication event logs need the plus tier, but `tier` is essentials",
    ] {
        assert!(out.stderr.contains(needle), "{needle}\n{}", out.dump());
    }
    assert!(stack.proxy.requests().is_empty());
}

/// The emulation refuses what the API reference says AWS refuses, so a
/// request poolctl got wrong would fail here as it would there.
#[test]
fn the_emulated_apis_refuse_what_aws_refuses() {
    let stack = Stack::new();
    stack.spec(
        "plain.yaml",
        "name: plain-${env}\nenvironments: { dev: { region: us-east-1 } }\ntier: essentials\n",
    );
    apply(&stack);
    // A spec that declares neither costs no read of either.
    stack.proxy.clear();
    assert_converged(&stack);
    let ops = stack.proxy.operations();
    assert!(
        !ops.iter()
            .any(|o| o == "DescribeRiskConfiguration" || o == "GetLogDeliveryConfiguration"),
        "{ops:?}"
    );
    let cognito = cognito_client(&stack.proxy.endpoint(), TEST_REGION);
    let id = pool_id(&stack);
    let err = block_on(
        cognito
            .describe_risk_configuration()
            .user_pool_id(&id)
            .send(),
    )
    .unwrap_err()
    .into_service_error();
    assert!(err.is_user_pool_add_on_not_enabled_exception(), "{err:?}");
    use aws_sdk_cognitoidentityprovider::types as sdk;
    let err = block_on(
        cognito
            .set_log_delivery_configuration()
            .user_pool_id(&id)
            .log_configurations(
                sdk::LogConfigurationType::builder()
                    .event_source(sdk::EventSourceName::UserAuthEvents)
                    .log_level(sdk::LogLevel::Info)
                    .s3_configuration(
                        sdk::S3ConfigurationType::builder()
                            .bucket_arn(BUCKET)
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap_err()
    .into_service_error();
    assert!(err.is_feature_unavailable_in_tier_exception(), "{err:?}");
}

/// A replaced client (its secret setting changed) is a new client without
/// settings of its own: they are set again, on the new id.
#[test]
fn a_replaced_client_gets_its_threat_protection_again() {
    let stack = Stack::new();
    stack.spec("tp.yaml", &spec("block", "192.0.2.0/24"));
    apply(&stack);
    let old = client_id(&stack, "web");
    stack.spec(
        "tp.yaml",
        &spec("block", "192.0.2.0/24").replace(
            "  web:\n    explicit_auth_flows: [user_srp, refresh_token]\n",
            "  web:\n    generate_secret: true\n    explicit_auth_flows: [user_srp, refresh_token]\n",
        ),
    );
    let p = plan(&stack);
    let paths: Vec<String> = fields(change(&p, "client.web"))
        .into_iter()
        .map(|(path, _, _)| path)
        .collect();
    assert!(
        paths.contains(&"threat_protection.ip_address_exceptions.always_block".to_string()),
        "{paths:?}"
    );
    stack.proxy.clear();
    run_ok(
        &stack,
        &["apply", "--env", "dev", "--auto-approve", "--allow-replace"],
    );
    let new = client_id(&stack, "web");
    assert_ne!(old, new);
    let bodies = sent(&stack, "SetRiskConfiguration");
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert_eq!(bodies[0]["ClientId"], new.as_str());
    assert_eq!(
        bodies[0]["RiskExceptionConfiguration"],
        json!({ "BlockedIPRangeList": ["192.0.2.0/24"] })
    );
    assert_converged(&stack);
}
