//! Multi-account: an environment's `role_arn` is assumed (through STS, with
//! the default chain's credentials) before any other call, and every Cognito
//! request is signed with the assumed role's credentials. moto implements
//! STS AssumeRole and keeps what the assumed credentials create in the
//! role's account.

use crate::support::*;
use serde_json::Value;

const ROLE: &str = "arn:aws:iam::111111111111:role/ci/poolctl-deployer";

fn spec() -> String {
    format!(
        r#"name: ma-${{env}}
environments:
  dev:
    region: us-east-1
    role_arn: {ROLE}
    external_id: shop-ci-4711
    session_name: ci-run-42
    duration: 30m
clients:
  web: {{ explicit_auth_flows: [user_srp, refresh_token] }}
"#
    )
}

/// The access key id a SigV4 `Authorization` header was signed with.
fn access_key_id(request: &RecordedRequest) -> String {
    let auth = request.header("authorization").unwrap_or_default();
    let credential = auth
        .split("Credential=")
        .nth(1)
        .unwrap_or_else(|| panic!("not signed: {auth}"));
    credential.split('/').next().unwrap().to_string()
}

fn is_assume_role(request: &RecordedRequest) -> bool {
    request.operation == "AssumeRole" || request.body.contains("Action=AssumeRole")
}

#[test]
fn the_role_is_assumed_once_and_signs_every_cognito_request() {
    let stack = Stack::new();
    stack.spec("shop.yaml", &spec());
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_success();

    let requests = stack.proxy.requests();
    let assumed: Vec<&RecordedRequest> = requests.iter().filter(|r| is_assume_role(r)).collect();
    assert_eq!(
        assumed.len(),
        1,
        "one AssumeRole per account and region: {:?}",
        stack.proxy.operations()
    );
    let assume = assumed[0];
    let body = assume.body.clone();
    let form: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {name} in {body}"))
    };
    assert_eq!(field("RoleArn"), ROLE);
    assert_eq!(field("ExternalId"), "shop-ci-4711");
    assert_eq!(field("RoleSessionName"), "ci-run-42");
    assert_eq!(field("DurationSeconds"), "1800");
    // Chained after the default chain: STS is called with the base keys.
    assert_eq!(access_key_id(assume), "testing");

    let cognito: Vec<&RecordedRequest> = requests
        .iter()
        .filter(|r| r.target_service == "AWSCognitoIdentityProviderService")
        .collect();
    assert!(cognito.len() >= 3, "{:?}", stack.proxy.operations());
    let key = access_key_id(cognito[0]);
    assert_ne!(key, "testing", "Cognito calls must use the assumed role");
    for r in &cognito {
        assert_eq!(
            access_key_id(r),
            key,
            "{} signed with another key",
            r.operation
        );
        assert!(
            r.index > assume.index,
            "{} was sent before the role was assumed",
            r.operation
        );
    }

    // What the role created lives in the role's account, not the base one.
    let out = stack
        .poolctl()
        .args(["outputs", "--env", "dev", "--json"])
        .run();
    out.assert_success();
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let arn = doc["pools"][0]["user_pool_arn"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(arn.contains(":111111111111:userpool/"), "{arn}");
    let base = block_on(stack.cognito().list_user_pools().max_results(60).send()).unwrap();
    assert!(
        base.user_pools().iter().all(|p| p.name() != Some("ma-dev")),
        "the pool was created with the base credentials"
    );
    // And a second plan, through the role again, finds it converged.
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    assert_eq!(out.status, 0, "{}", out.dump());
}

#[test]
fn a_bad_role_is_a_located_error_before_any_request() {
    let stack = Stack::new();
    stack.spec(
        "shop.yaml",
        &spec()
            .replace(ROLE, "arn:aws:iam::1111:role/x")
            .replace("30m", "13h"),
    );
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("shop.yaml:5:5: role_arn: `arn:aws:iam::1111:role/x` is not an IAM role ARN"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains(
            "shop.yaml:8:5: duration: 13h is out of range: an assumed role lasts 15m to 12h"
        ),
        "{}",
        out.dump()
    );
    assert!(
        stack.proxy.requests().is_empty(),
        "{:?}",
        stack.proxy.operations()
    );

    stack.spec(
        "shop.yaml",
        "name: a\nenvironments:\n  dev: { region: us-east-1, external_id: x1, duration: 5m }\n",
    );
    let out = stack.poolctl().args(["validate"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("external_id: only means something with `role_arn`"),
        "{}",
        out.dump()
    );
}
