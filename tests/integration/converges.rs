//! Settings that used to never converge (issue 9's bugs): after one apply the
//! second plan is empty, and the requests poolctl sent carried the setting.

use crate::support::*;
use serde_json::Value;

fn plan_json(stack: &Stack) -> Value {
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--json"])
        .run();
    out.assert_success();
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("plan --json is not JSON ({e}):\n{}", out.dump()))
}

fn apply(stack: &Stack) -> Output {
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_success();
    out
}

#[track_caller]
fn assert_no_changes(stack: &Stack) {
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    assert_eq!(out.status, 0, "expected no changes:\n{}", out.dump());
}

const DEV_ONLY: &str = "name: devonly-${env}
environments:
  dev: { region: us-east-1 }
schema:
  custom:tenant: { type: string }
";

/// AWS lists a developer-only attribute as `dev:custom:NAME`; read back as
/// such it looked new to every plan, and every apply failed adding it again.
#[test]
fn a_developer_only_attribute_converges_on_create_and_when_added() {
    let stack = Stack::new();
    let with_flag = format!(
        "{DEV_ONLY}  custom:mybool: {{ type: boolean, developer_only: true, mutable: false }}\n"
    );
    stack.spec("devonly.yaml", &with_flag);
    apply(&stack);
    let create = stack.proxy.requests_for("CreateUserPool");
    let schema = create[0].json()["Schema"].clone();
    assert!(
        schema
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["Name"] == "mybool" && a["DeveloperOnlyAttribute"] == true),
        "{schema}"
    );
    // The emulator reports it the way AWS does.
    let pool = block_on(
        stack
            .cognito()
            .describe_user_pool()
            .user_pool_id(pool_id(&stack))
            .send(),
    )
    .unwrap();
    let names: Vec<_> = pool
        .user_pool()
        .unwrap()
        .schema_attributes()
        .iter()
        .filter_map(|a| a.name())
        .collect();
    assert!(names.contains(&"dev:custom:mybool"), "{names:?}");
    assert_no_changes(&stack);

    // Added to a pool that exists: one AddCustomAttributes, then nothing.
    stack.spec(
        "devonly.yaml",
        &format!("{with_flag}  custom:secret: {{ type: string, developer_only: true }}\n"),
    );
    let plan = plan_json(&stack);
    let paths: Vec<String> = fields(change(&plan, "user_pool"))
        .into_iter()
        .map(|(path, _, _)| path)
        .collect();
    assert!(
        paths.iter().all(|p| p.starts_with("schema.custom:secret")),
        "only the new attribute changes: {paths:?}"
    );
    apply(&stack);
    let added = stack.proxy.requests_for("AddCustomAttributes");
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].json()["CustomAttributes"][0]["Name"], "secret");
    assert_no_changes(&stack);

    // Import writes it back under the spec's name.
    let out = stack
        .poolctl()
        .args(["import", "--env", "dev", "--out", "-", "--pool-id"])
        .arg(pool_id(&stack))
        .run();
    out.assert_success();
    assert!(
        out.stdout.contains("custom:mybool") && !out.stdout.contains("dev:custom"),
        "{}",
        out.dump()
    );
}

const SMS_MESSAGE: &str = "name: smsmsg-${env}
environments:
  dev: { region: us-east-1 }
mfa: { mode: off, sms_message: \"Your code is {####}\" }
";

/// With MFA off, SetUserPoolMfaConfig carries no SMS block, so the message
/// only reaches AWS as Create/UpdateUserPool's `SmsAuthenticationMessage`.
#[test]
fn the_mfa_sms_message_with_mfa_off_is_sent_and_converges() {
    let stack = Stack::new();
    stack.spec("smsmsg.yaml", SMS_MESSAGE);
    apply(&stack);
    let create = stack.proxy.requests_for("CreateUserPool");
    assert_eq!(
        create[0].json()["SmsAuthenticationMessage"],
        "Your code is {####}"
    );
    assert_no_changes(&stack);

    // A change on a live pool goes through UpdateUserPool.
    stack.proxy.clear();
    stack.spec(
        "smsmsg.yaml",
        &SMS_MESSAGE.replace("Your code is", "Your new code is"),
    );
    let plan = plan_json(&stack);
    assert_eq!(
        fields(change(&plan, "user_pool")),
        [(
            "mfa.sms_message".to_string(),
            Value::from("Your code is {####}"),
            Value::from("Your new code is {####}")
        )]
    );
    apply(&stack);
    let updates = stack.proxy.requests_for("UpdateUserPool");
    assert_eq!(updates.len(), 1, "{:?}", stack.proxy.operations());
    assert_eq!(
        updates[0].json()["SmsAuthenticationMessage"],
        "Your new code is {####}"
    );
    assert_no_changes(&stack);
}

const OAUTH_LATER: &str = "name: later-${env}
environments:
  dev: { region: us-east-1 }
clients:
  app:
    explicit_auth_flows: [user_srp, refresh_token]
    callback_urls: [https://app.example.com/callback]
    logout_urls: [https://app.example.com/logout]
    default_redirect_uri: https://app.example.com/callback
  legacy:
    generate_secret: true
    allowed_oauth_flows: [implicit]
    allowed_oauth_scopes: [openid]
    callback_urls: [https://legacy.example.com/callback]
";

/// What AWS accepts poolctl accepts: redirect URLs on a client without OAuth
/// flows (AWS stores them) and a secret with the implicit grant are warnings.
#[test]
fn settings_aws_accepts_are_warnings_and_are_sent() {
    let stack = Stack::new();
    stack.spec("later.yaml", OAUTH_LATER);
    let out = stack.poolctl().args(["validate"]).run();
    out.assert_success();
    for field in [
        "clients.app.callback_urls",
        "clients.app.logout_urls",
        "clients.app.default_redirect_uri",
        "clients.legacy.generate_secret",
    ] {
        assert!(
            out.stderr.contains(field),
            "no warning on {field}:\n{}",
            out.dump()
        );
    }
    apply(&stack);
    let creates = stack.proxy.requests_for("CreateUserPoolClient");
    let app = creates
        .iter()
        .map(|r| r.json())
        .find(|r| r["ClientName"] == "app")
        .expect("app was created");
    assert_eq!(app["CallbackURLs"][0], "https://app.example.com/callback");
    assert_eq!(app["LogoutURLs"][0], "https://app.example.com/logout");
    assert_eq!(
        app["DefaultRedirectURI"],
        "https://app.example.com/callback"
    );
    let legacy = creates
        .iter()
        .map(|r| r.json())
        .find(|r| r["ClientName"] == "legacy")
        .expect("legacy was created");
    assert_eq!(legacy["GenerateSecret"], true);
    assert_eq!(legacy["AllowedOAuthFlows"][0], "implicit");
    assert_no_changes(&stack);
}

const DOMAIN_A: &str = "name: first-${env}
environments:
  dev: { region: us-east-1 }
  staging: { region: us-east-1 }
domain: shared-login
";

/// Two environments, or two pools, declaring one prefix in one region: an
/// offline error naming both, before any AWS call.
#[test]
fn one_domain_for_two_environments_or_pools_is_an_offline_error() {
    let stack = Stack::new();
    stack.spec("first.yaml", DOMAIN_A);
    let out = stack.poolctl().args(["validate"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("domain prefix `shared-login` in us-east-1")
            && out.stderr.contains("(pools/first.yaml, dev)")
            && out.stderr.contains("(pools/first.yaml, staging)"),
        "{}",
        out.dump()
    );

    // Per environment is fine; a second pool with the same prefix is not.
    stack.spec(
        "first.yaml",
        &DOMAIN_A.replace("shared-login", "first-${env}"),
    );
    stack.poolctl().args(["validate"]).run().assert_success();
    stack.spec(
        "second.yaml",
        "name: second-${env}\nenvironments:\n  dev: { region: us-east-1 }\ndomain: first-dev\n",
    );
    let out = stack.poolctl().args(["plan", "--all-envs"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("`first` (pools/first.yaml, dev) and `second` (pools/second.yaml, dev)"),
        "{}",
        out.dump()
    );
    assert!(
        stack.proxy.requests().is_empty(),
        "{:?}",
        stack.proxy.operations()
    );
}

/// A prefix another pool holds live blocks the plan, naming that pool;
/// apply refuses before it sends anything.
#[test]
fn a_prefix_another_pool_holds_is_a_blocked_change_naming_the_holder() {
    let stack = Stack::new();
    stack.spec(
        "first.yaml",
        &DOMAIN_A.replace("  staging: { region: us-east-1 }\n", ""),
    );
    apply(&stack);
    assert_eq!(stack.proxy.requests_for("CreateUserPoolDomain").len(), 1);

    stack.spec(
        "second.yaml",
        "name: second-${env}\nenvironments:\n  dev: { region: us-east-1 }\ndomain: shared-login\n",
    );
    // A new pool with it: the whole apply is refused, nothing is created.
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args([
            "apply",
            "--env",
            "dev",
            "--pool",
            "second",
            "--auto-approve",
        ])
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("refusing to apply"), "{}", out.dump());
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    // A pool that exists and gains the domain.
    stack.spec(
        "second.yaml",
        "name: second-${env}\nenvironments:\n  dev: { region: us-east-1 }\n",
    );
    apply(&stack);
    stack.spec(
        "second.yaml",
        "name: second-${env}\nenvironments:\n  dev: { region: us-east-1 }\ndomain: shared-login\n",
    );
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--pool", "second", "--json"])
        .run();
    out.assert_success();
    let plan: Value = serde_json::from_str(&out.stdout).unwrap();
    let domain = change(&plan, "domain");
    assert_eq!(domain["action"], "blocked", "{plan}");
    let reason = domain["reasons"][0].as_str().unwrap();
    assert!(
        reason.contains("`shared-login` belongs to pool `first-dev`"),
        "{reason}"
    );

    let out = stack
        .poolctl()
        .args([
            "apply",
            "--env",
            "dev",
            "--pool",
            "second",
            "--auto-approve",
        ])
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("refusing to apply"), "{}", out.dump());
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
}
