//! The rest of the pool, end to end through the binary: the
//! `inbound_federation` trigger (moto keeps it in `LambdaConfig`), passkey
//! settings (`web_authn`, emulated in `faithful/web_authn.rs`) and
//! multi-Region replicas (emulated in `faithful/replicas.rs`). Each: apply,
//! an empty second plan, drift made by hand, a change that leaves every
//! other field alone (asserted on the requests sent), and import followed by
//! an empty plan.

use crate::support::lambda::*;
use crate::support::*;
use serde_json::{json, Value};

fn plan_args(stack: &Stack, more: &[&str]) -> Value {
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--json"])
        .args(more)
        .run();
    out.assert_success();
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.dump()))
}

fn plan(stack: &Stack) -> Value {
    plan_args(stack, &[])
}

fn apply_args(stack: &Stack, more: &[&str]) -> Output {
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .args(more)
        .run();
    out.assert_success();
    out
}

fn apply(stack: &Stack) -> Output {
    apply_args(stack, &[])
}

fn assert_converged(stack: &Stack) {
    let p = plan(stack);
    assert!(actions(&p).is_empty(), "{p}");
}

fn the_pool_id(stack: &Stack) -> String {
    let pools = block_on(stack.cognito().list_user_pools().max_results(60).send()).unwrap();
    pools.user_pools()[0].id().unwrap().to_string()
}

/// A client that goes through the proxy, for changes by hand to what only
/// the fidelity layer keeps (moto has no replicas and drops passkeys).
fn by_hand(stack: &Stack) -> aws_sdk_cognitoidentityprovider::Client {
    cognito_client(&stack.proxy.endpoint(), TEST_REGION)
}

/// Writes the spec away and imports the live pool in its place; the plan
/// of what import wrote must be empty.
fn import_round_trip(stack: &Stack, file: &str, name: &str) -> String {
    std::fs::remove_file(stack.path().join("pools").join(file)).unwrap();
    let out = stack
        .poolctl()
        .region(TEST_REGION)
        .args(["import", "--env", "dev", "--name", name])
        .run();
    out.assert_success();
    let written = std::fs::read_to_string(stack.path().join("pools").join(file))
        .unwrap_or_else(|e| panic!("{e}: {}", out.dump()));
    stack.proxy.clear();
    assert_converged(stack);
    assert!(stack.writes().is_empty());
    written
}

const FN: &str = "arn:aws:lambda:us-east-1:123456789012:function";

const TRIGGER_SPEC: &str = r#"name: fed-${env}
environments: { dev: { region: us-east-1 } }
tier: essentials
triggers:
  pre_sign_up: arn:aws:lambda:${region}:123456789012:function:fed-pre
  inbound_federation: arn:aws:lambda:${region}:123456789012:function:fed-inbound
"#;

#[test]
fn inbound_federation_trigger_end_to_end() {
    let stack = Stack::new();
    for name in ["fed-pre", "fed-inbound", "fed-inbound-v2", "by-hand"] {
        create_function(&stack.moto, name, TEST_REGION);
    }
    stack.spec("fed.yaml", TRIGGER_SPEC);
    let p = plan(&stack);
    assert!(
        actions(&p).contains(&(
            "lambda_permission.inbound_federation".into(),
            "create".into()
        )),
        "{p}"
    );
    apply(&stack);
    let create = &stack.proxy.requests_for("CreateUserPool")[0].json()["LambdaConfig"];
    assert_eq!(
        create["InboundFederation"],
        json!({"LambdaArn": format!("{FN}:fed-inbound"), "LambdaVersion": "V1_0"})
    );
    assert_eq!(
        statement_ids(&stack.moto, &format!("{FN}:fed-inbound")),
        ["poolctl-fed-dev-inbound_federation"]
    );
    assert_converged(&stack);

    // By hand: the trigger repointed behind poolctl's back.
    let id = the_pool_id(&stack);
    let live = block_on(
        stack
            .cognito()
            .describe_user_pool()
            .user_pool_id(&id)
            .send(),
    )
    .unwrap()
    .user_pool
    .unwrap();
    let mut config = live.lambda_config().unwrap().clone();
    config.inbound_federation = Some(
        aws_sdk_cognitoidentityprovider::types::InboundFederationLambdaType::builder()
            .lambda_arn(format!("{FN}:by-hand"))
            .lambda_version("V1_0".into())
            .build()
            .unwrap(),
    );
    block_on(
        stack
            .cognito()
            .update_user_pool()
            .user_pool_id(&id)
            .lambda_config(config)
            .set_user_pool_tier(live.user_pool_tier().cloned())
            .send(),
    )
    .unwrap();
    let p = plan(&stack);
    assert_eq!(actions(&p), [("user_pool".into(), "update".into())]);
    assert_eq!(
        fields(change(&p, "user_pool")),
        [(
            "triggers.inbound_federation.lambda_arn".into(),
            json!(format!("{FN}:by-hand")),
            json!(format!("{FN}:fed-inbound"))
        )]
    );
    apply(&stack);
    assert_converged(&stack);

    // A change of that trigger alone: the other trigger is sent back as it
    // is, MFA is not touched, the new function is granted first.
    stack.spec(
        "fed.yaml",
        &TRIGGER_SPEC.replace("fed-inbound\n", "fed-inbound-v2\n"),
    );
    stack.proxy.clear();
    apply(&stack);
    let updates = stack.proxy.requests_for("UpdateUserPool");
    assert_eq!(updates.len(), 1, "{:?}", stack.proxy.operations());
    let sent = updates[0].json();
    assert_eq!(
        sent["LambdaConfig"]["InboundFederation"],
        json!({"LambdaArn": format!("{FN}:fed-inbound-v2"), "LambdaVersion": "V1_0"})
    );
    assert_eq!(sent["LambdaConfig"]["PreSignUp"], format!("{FN}:fed-pre"));
    assert_eq!(sent["UserPoolTier"], "ESSENTIALS");
    assert!(stack.proxy.requests_for("SetUserPoolMfaConfig").is_empty());
    assert_eq!(
        statement_ids(&stack.moto, &format!("{FN}:fed-inbound-v2")),
        ["poolctl-fed-dev-inbound_federation"]
    );
    assert!(statement_ids(&stack.moto, &format!("{FN}:fed-inbound")).is_empty());
    assert_converged(&stack);

    let written = import_round_trip(&stack, "fed.yaml", "fed-dev");
    assert!(
        written.contains(
            "inbound_federation: arn:aws:lambda:${region}:123456789012:function:fed-inbound-v2"
        ),
        "{written}"
    );
}

#[test]
fn an_inbound_federation_version_aws_lacks_is_refused_offline() {
    let stack = Stack::new();
    stack.spec(
        "fed.yaml",
        &TRIGGER_SPEC.replace(
            "inbound_federation: arn:aws:lambda:${region}:123456789012:function:fed-inbound",
            "inbound_federation:\n    lambda_arn: arn:aws:lambda:${region}:123456789012:function:fed-inbound\n    lambda_version: v2",
        ),
    );
    let out = stack.poolctl().args(["validate"]).run();
    out.assert_exit(1);
    assert!(out.stderr.contains("inbound_federation"), "{}", out.dump());
    assert!(stack.proxy.requests().is_empty());
}

const PASSKEY_SPEC: &str = r#"name: pk-${env}
environments: { dev: { region: us-east-1 } }
tier: essentials
sign_in_policy:
  allowed_first_auth_factors: [password, web_authn]
web_authn:
  relying_party_id: auth.example.com
  user_verification: required
"#;

#[test]
fn web_authn_end_to_end() {
    let stack = Stack::new();
    stack.spec("pk.yaml", PASSKEY_SPEC);
    apply(&stack);
    let create = stack.proxy.requests_for("CreateUserPool")[0].json();
    assert_eq!(
        create["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"],
        json!(["PASSWORD", "WEB_AUTHN"])
    );
    let set = stack.proxy.requests_for("SetUserPoolMfaConfig");
    assert_eq!(set.len(), 1, "{:?}", stack.proxy.operations());
    assert_eq!(
        set[0].json()["WebAuthnConfiguration"],
        json!({"RelyingPartyId": "auth.example.com", "UserVerification": "required"})
    );
    assert_eq!(set[0].json()["MfaConfiguration"], "OFF");
    assert_converged(&stack);

    // By hand: user verification relaxed, straight to the emulated Cognito.
    let id = the_pool_id(&stack);
    block_on(
        by_hand(&stack)
            .set_user_pool_mfa_config()
            .user_pool_id(&id)
            .mfa_configuration(aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::Off)
            .web_authn_configuration(
                aws_sdk_cognitoidentityprovider::types::WebAuthnConfigurationType::builder()
                    .relying_party_id("auth.example.com")
                    .user_verification("preferred".into())
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let p = plan(&stack);
    assert_eq!(actions(&p), [("user_pool".into(), "update".into())]);
    assert_eq!(
        fields(change(&p, "user_pool")),
        [(
            "web_authn.user_verification".into(),
            json!("preferred"),
            json!("required")
        )]
    );
    stack.proxy.clear();
    apply(&stack);
    assert!(stack.proxy.requests_for("UpdateUserPool").is_empty());
    assert_converged(&stack);

    // One field changed: the other is sent back as it is live.
    stack.spec(
        "pk.yaml",
        &PASSKEY_SPEC.replace("auth.example.com", "login.example.com"),
    );
    stack.proxy.clear();
    apply(&stack);
    let ops = stack.proxy.operations();
    assert!(!ops.iter().any(|o| o == "UpdateUserPool"), "{ops:?}");
    let set = stack.proxy.requests_for("SetUserPoolMfaConfig");
    assert_eq!(set.len(), 1, "{ops:?}");
    assert_eq!(
        set[0].json()["WebAuthnConfiguration"],
        json!({"RelyingPartyId": "login.example.com", "UserVerification": "required"})
    );
    assert_eq!(set[0].json()["MfaConfiguration"], "OFF");
    assert_converged(&stack);

    let written = import_round_trip(&stack, "pk.yaml", "pk-dev");
    assert!(
        written.contains("relying_party_id: login.example.com"),
        "{written}"
    );
    assert!(written.contains("web_authn"), "{written}");
}

#[test]
fn web_authn_left_alone_survives_an_mfa_change() {
    let stack = Stack::new();
    stack.spec("pk.yaml", PASSKEY_SPEC);
    apply(&stack);
    // Without the key, passkeys are not managed: an MFA change sends them
    // back as they are live.
    let without = PASSKEY_SPEC.replace(
        "web_authn:\n  relying_party_id: auth.example.com\n  user_verification: required\n",
        "",
    ) + "mfa: { mode: optional, totp: true }\n";
    stack.spec("pk.yaml", &without);
    stack.proxy.clear();
    apply(&stack);
    let set = stack.proxy.requests_for("SetUserPoolMfaConfig");
    assert_eq!(set.len(), 1, "{:?}", stack.proxy.operations());
    assert_eq!(set[0].json()["MfaConfiguration"], "OPTIONAL");
    assert_eq!(
        set[0].json()["WebAuthnConfiguration"],
        json!({"RelyingPartyId": "auth.example.com", "UserVerification": "required"})
    );
    stack.spec("pk.yaml", PASSKEY_SPEC);
    assert_converged(&stack);
}

#[test]
fn passkey_sign_in_on_lite_is_refused_offline() {
    let stack = Stack::new();
    stack.spec("pk.yaml", &PASSKEY_SPEC.replace("essentials", "lite"));
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(out.stderr.contains("essentials or plus"), "{}", out.dump());
    assert!(stack.proxy.requests().is_empty());
}

const REPLICA_SPEC: &str = r#"name: rep-${env}
environments: { dev: { region: us-east-1 } }
tier: essentials
password_policy: { minimum_length: 12 }
replicas:
  us-west-2:
    tags: { team: identity }
  eu-west-1:
    status: inactive
"#;

fn replica_states(stack: &Stack, id: &str) -> Vec<(String, String, String)> {
    let out = block_on(
        by_hand(stack)
            .list_user_pool_replicas()
            .user_pool_id(id)
            .send(),
    )
    .unwrap();
    out.user_pool_replicas()
        .iter()
        .map(|r| {
            (
                r.region_name().unwrap().to_string(),
                r.status().unwrap().as_str().to_string(),
                r.role().unwrap().as_str().to_string(),
            )
        })
        .collect()
}

#[test]
fn replicas_end_to_end() {
    let stack = Stack::new();
    stack.spec("rep.yaml", REPLICA_SPEC);
    let p = plan(&stack);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "create".into()),
            ("replica.eu-west-1".into(), "create".into()),
            ("replica.us-west-2".into(), "create".into()),
        ]
    );
    apply(&stack);
    let created: Vec<Value> = stack
        .proxy
        .requests_for("CreateUserPoolReplica")
        .iter()
        .map(|r| r.json())
        .collect();
    let id = the_pool_id(&stack);
    assert_eq!(created.len(), 2);
    assert!(created.contains(&json!({"UserPoolId": id, "RegionName": "eu-west-1"})));
    assert!(created.contains(&json!({
        "UserPoolId": id, "RegionName": "us-west-2", "UserPoolTags": {"team": "identity"}
    })));
    // eu-west-1 is deactivated once Cognito has created it.
    let updates = stack.proxy.requests_for("UpdateUserPoolReplica");
    assert_eq!(updates.len(), 1, "{:?}", stack.proxy.operations());
    assert_eq!(
        updates[0].json(),
        json!({"UserPoolId": id, "RegionName": "eu-west-1", "Status": "INACTIVE"})
    );
    assert_converged(&stack);
    assert_eq!(
        replica_states(&stack, &id),
        [
            ("us-east-1".into(), "ACTIVE".into(), "PRIMARY".into()),
            ("eu-west-1".into(), "INACTIVE".into(), "SECONDARY".into()),
            ("us-west-2".into(), "ACTIVE".into(), "SECONDARY".into()),
        ]
    );

    // By hand: us-west-2 deactivated. The spec leaves its status to
    // Cognito, so that is no drift; once the spec says `active`, it is.
    block_on(
        by_hand(&stack)
            .update_user_pool_replica()
            .user_pool_id(&id)
            .region_name("us-west-2")
            .status("INACTIVE".into())
            .send(),
    )
    .unwrap();
    assert_converged(&stack);
    let active = REPLICA_SPEC.replace(
        "    tags: { team: identity }\n",
        "    tags: { team: identity }\n    status: active\n",
    );
    stack.spec("rep.yaml", &active);
    let p = plan(&stack);
    assert_eq!(actions(&p), [("replica.us-west-2".into(), "update".into())]);
    assert_eq!(
        fields(change(&p, "replica.us-west-2")),
        [("status".into(), json!("inactive"), json!("active"))]
    );
    stack.proxy.clear();
    apply(&stack);
    let writes: Vec<(String, Value)> = stack
        .writes()
        .iter()
        .map(|r| (r.operation.clone(), r.json()))
        .collect();
    assert_eq!(
        writes,
        [(
            "UpdateUserPoolReplica".to_string(),
            json!({"UserPoolId": id, "RegionName": "us-west-2", "Status": "ACTIVE"})
        )]
    );
    assert_converged(&stack);

    // `outputs` names each replica with Cognito's status.
    let out = stack
        .poolctl()
        .args(["outputs", "--env", "dev", "--json"])
        .run();
    out.assert_success();
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        doc["pools"][0]["replicas"],
        json!([
            {"region": "eu-west-1", "status": "INACTIVE", "user_pool_arn": format!("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/{id}")},
            {"region": "us-west-2", "status": "ACTIVE", "user_pool_arn": format!("arn:aws:cognito-idp:us-west-2:123456789012:userpool/{id}")},
        ])
    );

    let written = import_round_trip(&stack, "rep.yaml", "rep-dev");
    assert!(written.contains("replicas:"), "{written}");
    assert!(written.contains("eu-west-1:"), "{written}");
    assert!(written.contains("status: inactive"), "{written}");
}

/// The region a recorded request was signed for (SigV4 credential scope).
fn signed_region(request: &crate::support::proxy::RecordedRequest) -> String {
    let auth = request.header("authorization").unwrap_or_default();
    auth.split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(2))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn replica_tags_are_managed_key_by_key() {
    let stack = Stack::new();
    let spec = "name: rept-${env}\nenvironments: { dev: { region: us-east-1 } }\ntier: essentials\nreplicas:\n  us-west-2:\n    tags: { team: identity, tier: gold }\n";
    stack.spec("rept.yaml", spec);
    apply(&stack);
    let id = the_pool_id(&stack);
    let arn = format!("arn:aws:cognito-idp:us-west-2:123456789012:userpool/{id}");
    // The first list shows the replica CREATING (its tags wait); then it is
    // created, and its tags are read and equal.
    assert_converged(&stack);
    stack.proxy.clear();
    assert_converged(&stack);
    // Read in the replica's region, on the replica's ARN.
    let reads = stack.proxy.requests_for("ListTagsForResource");
    assert_eq!(reads.len(), 1, "{:?}", stack.proxy.operations());
    assert_eq!(reads[0].json(), json!({"ResourceArn": arn}));
    assert_eq!(signed_region(&reads[0]), "us-west-2");

    // By hand, in the replica's region: one tag changed, one added by
    // someone else (not the spec's: left alone).
    let west = cognito_client(&stack.proxy.endpoint(), "us-west-2");
    block_on(
        west.tag_resource()
            .resource_arn(&arn)
            .tags("team", "ops")
            .tags("cost", "1234")
            .send(),
    )
    .unwrap();
    let p = plan(&stack);
    assert_eq!(actions(&p), [("replica.us-west-2".into(), "update".into())]);
    assert_eq!(
        fields(change(&p, "replica.us-west-2")),
        [("tags.team".into(), json!("ops"), json!("identity"))]
    );
    stack.proxy.clear();
    apply(&stack);
    let writes = stack.writes();
    assert_eq!(writes.len(), 1, "{:?}", stack.proxy.operations());
    assert_eq!(writes[0].operation, "TagResource");
    assert_eq!(
        writes[0].json(),
        json!({"ResourceArn": arn, "Tags": {"team": "identity"}})
    );
    assert_eq!(signed_region(&writes[0]), "us-west-2");
    assert_converged(&stack);
    let live = block_on(west.list_tags_for_resource().resource_arn(&arn).send()).unwrap();
    let live: std::collections::BTreeMap<_, _> = live.tags().unwrap().clone().into_iter().collect();
    assert_eq!(
        live,
        [("cost", "1234"), ("team", "identity"), ("tier", "gold")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    );

    // A tag dropped from the spec is no longer managed: it stays live.
    stack.spec(
        "rept.yaml",
        &spec.replace("{ team: identity, tier: gold }", "{ team: identity }"),
    );
    assert_converged(&stack);

    // Import writes the replica's tags, and its plan is empty.
    let written = import_round_trip(&stack, "rept.yaml", "rept-dev");
    assert!(written.contains("team: identity"), "{written}");
    assert!(written.contains("cost:"), "{written}");
}

#[test]
fn a_replica_is_deleted_only_with_prune_and_deactivated_first() {
    let stack = Stack::new();
    stack.spec("rep.yaml", REPLICA_SPEC);
    apply(&stack);
    let id = the_pool_id(&stack);

    // Both replicas leave the spec; the pool's other settings stay.
    stack.spec(
        "rep.yaml",
        "name: rep-${env}\nenvironments: { dev: { region: us-east-1 } }\ntier: essentials\npassword_policy: { minimum_length: 12 }\nreplicas: {}\n",
    );
    let p = plan(&stack);
    assert_eq!(
        actions(&p),
        [
            ("replica.eu-west-1".into(), "unmanaged".into()),
            ("replica.us-west-2".into(), "unmanaged".into()),
        ]
    );
    stack.proxy.clear();
    apply(&stack);
    assert!(stack.writes().is_empty(), "{:?}", stack.proxy.operations());

    let p = plan_args(&stack, &["--prune"]);
    assert_eq!(
        actions(&p),
        [
            ("replica.eu-west-1".into(), "delete".into()),
            ("replica.us-west-2".into(), "delete".into()),
        ]
    );
    stack.proxy.clear();
    apply_args(&stack, &["--prune"]);
    let writes: Vec<(String, Value)> = stack
        .writes()
        .iter()
        .map(|r| (r.operation.clone(), r.json()))
        .collect();
    // The inactive one goes at once; the active one is deactivated first.
    let deactivate = (
        "UpdateUserPoolReplica".to_string(),
        json!({"UserPoolId": id, "RegionName": "us-west-2", "Status": "INACTIVE"}),
    );
    assert_eq!(writes.len(), 3, "{writes:?}");
    assert!(writes.contains(&(
        "DeleteUserPoolReplica".to_string(),
        json!({"UserPoolId": id, "RegionName": "eu-west-1"})
    )));
    let at = |w: &(String, Value)| writes.iter().position(|x| x == w).unwrap();
    let delete_west = (
        "DeleteUserPoolReplica".to_string(),
        json!({"UserPoolId": id, "RegionName": "us-west-2"}),
    );
    assert!(at(&deactivate) < at(&delete_west), "{writes:?}");
    assert_eq!(
        replica_states(&stack, &id),
        [("us-east-1".into(), "ACTIVE".into(), "PRIMARY".into())]
    );
    assert_converged(&stack);
}

#[test]
fn a_status_change_waits_while_cognito_creates_the_replica() {
    let stack = Stack::new();
    let base = "name: rep-${env}\nenvironments: { dev: { region: us-east-1 } }\ntier: essentials\n";
    stack.spec("rep.yaml", base);
    apply(&stack);
    let id = the_pool_id(&stack);
    // Made by hand, and not yet listed: Cognito is still creating it (the
    // emulation reports a new replica CREATING in the first list only, so
    // each look below gets a replica of its own).
    let by_hand_in = |region: &str| {
        block_on(
            by_hand(&stack)
                .create_user_pool_replica()
                .user_pool_id(&id)
                .region_name(region)
                .send(),
        )
        .unwrap();
    };
    let spec_with = |regions: &[&str]| {
        let mut text = format!("{base}replicas:\n");
        for region in regions {
            text.push_str(&format!("  {region}: {{ status: inactive }}\n"));
        }
        stack.spec("rep.yaml", &text);
    };

    by_hand_in("ap-south-1");
    spec_with(&["ap-south-1"]);
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--json"])
        .run();
    let p: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.dump()));
    assert_eq!(
        actions(&p),
        [("replica.ap-south-1".into(), "blocked".into())]
    );
    let reasons = change(&p, "replica.ap-south-1")["reasons"].to_string();
    assert!(reasons.contains("CREATING"), "{reasons}");

    // Drawn for people too.
    by_hand_in("ap-northeast-1");
    spec_with(&["ap-south-1", "ap-northeast-1"]);
    let human = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(
        human.stdout.contains("! replica.ap-northeast-1") && human.stdout.contains("CREATING"),
        "{}",
        human.dump()
    );

    // Apply refuses a plan with a blocked change, and writes nothing.
    by_hand_in("ca-central-1");
    spec_with(&["ap-south-1", "ap-northeast-1", "ca-central-1"]);
    stack.proxy.clear();
    let refused = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    assert_ne!(refused.status, 0, "{}", refused.dump());
    assert!(stack.writes().is_empty(), "{:?}", stack.proxy.operations());

    // Once created, the next plan deactivates them.
    let p = plan(&stack);
    assert_eq!(
        actions(&p),
        [
            ("replica.ap-northeast-1".into(), "update".into()),
            ("replica.ap-south-1".into(), "update".into()),
            ("replica.ca-central-1".into(), "update".into()),
        ]
    );
    apply(&stack);
    assert_converged(&stack);
}

#[test]
fn what_cognito_refuses_of_a_replica_is_an_offline_error() {
    let stack = Stack::new();
    stack.spec(
        "rep.yaml",
        "name: rep-${env}\nenvironments: { dev: { region: us-east-1 } }\ntier: lite\nreplicas: { us-east-1: {} }\n",
    );
    let out = stack.poolctl().args(["validate"]).run();
    out.assert_exit(1);
    assert!(out.stderr.contains("own region"), "{}", out.dump());
    assert!(out.stderr.contains("lite"), "{}", out.dump());
    assert!(stack.proxy.requests().is_empty());
}

/// The emulation refuses what Cognito refuses, so a poolctl that skipped
/// its own checks would fail here rather than pass on a lenient stand-in.
#[test]
fn the_emulated_replica_calls_refuse_as_cognito_does() {
    let stack = Stack::new();
    stack.spec(
        "rep.yaml",
        "name: rep-${env}\nenvironments: { dev: { region: us-east-1 } }\ntier: essentials\nreplicas: { us-west-2: {} }\n",
    );
    apply(&stack);
    let id = the_pool_id(&stack);
    let client = by_hand(&stack);
    let own = block_on(
        client
            .create_user_pool_replica()
            .user_pool_id(&id)
            .region_name("us-east-1")
            .send(),
    )
    .unwrap_err();
    assert_eq!(code(own), "InvalidParameterException");
    let active = block_on(
        client
            .delete_user_pool_replica()
            .user_pool_id(&id)
            .region_name("us-west-2")
            .send(),
    )
    .unwrap_err();
    assert_eq!(code(active), "InvalidParameterException");
}

fn code<E, R>(e: aws_sdk_cognitoidentityprovider::error::SdkError<E, R>) -> String
where
    E: aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata,
{
    e.as_service_error()
        .and_then(|s| s.code())
        .unwrap_or("no service error")
        .to_string()
}
