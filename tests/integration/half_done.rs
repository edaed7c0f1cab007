//! An apply that stops half way through a step made of several requests (an
//! authorizer and the methods it protects, a replacement) reports what that
//! step did carry out, and the next plan agrees: each step's second request
//! is refused in turn through the fault-injecting proxy.

use crate::support::*;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const BASE: &str = r#"name: half-${env}
environments: { dev: { region: us-east-1 } }
identity_providers:
  Corp:
    type: saml
    metadata_url: https://login.example.com/federationmetadata.xml
domain: half-${env}
clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
"#;

const AUTHORIZER: &str = r#"authorizer:
  rest_api: half-api-${env}
  name: cognito
  protect:
    - GET /orders
    - POST /orders
"#;

fn refused() -> Fault {
    Fault::Status(
        400,
        r#"{"__type":"AccessDeniedException","message":"not allowed"}"#.to_string(),
    )
}

/// Refuses the `nth` (from 1) request that `matches`, lets the others pass.
fn refuse_nth(
    nth: usize,
    matches: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
) -> FaultRule {
    let seen = AtomicUsize::new(0);
    Arc::new(move |request, _| {
        if !matches(request) {
            return None;
        }
        (seen.fetch_add(1, Ordering::SeqCst) + 1 == nth).then(refused)
    })
}

fn apply(stack: &Stack) -> Output {
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve", "--allow-replace"])
        .run()
}

fn plan(stack: &Stack) -> Value {
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--json"])
        .run();
    out.assert_success();
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.dump()))
}

/// The steps of the `label:` line of the apply report (`done: a; b`).
fn report_line(out: &Output, label: &str) -> Vec<String> {
    let prefix = format!("  {label}: ");
    let line = out
        .stderr
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no `{label}:` line\n{}", out.dump()));
    match &line[prefix.len()..] {
        "nothing" => Vec::new(),
        items => items.split("; ").map(str::to_string).collect(),
    }
}

/// Applies `spec` under `rule`: it must stop with `failed` among the
/// failed steps; returns the report's done line.
#[track_caller]
fn stops(stack: &Stack, spec: &str, rule: FaultRule, failed: &str) -> (Output, Vec<String>) {
    stack.spec("half.yaml", spec);
    stack.proxy.clear();
    stack.proxy.set_fault_rule(rule);
    let out = apply(stack);
    stack.proxy.clear_fault_rule();
    out.assert_exit(1);
    assert!(
        out.stderr.contains(&format!("  failed: {failed}: ")),
        "{}",
        out.dump()
    );
    assert!(
        stack.proxy.requests().iter().any(|r| r.faulted),
        "the fault was never injected"
    );
    let done = report_line(&out, "done");
    (out, done)
}

#[track_caller]
fn converges(stack: &Stack) {
    apply(stack).assert_success();
    let p = plan(stack);
    assert!(actions(&p).is_empty(), "{p}");
}

fn is_update_method(r: &RecordedRequest) -> bool {
    r.operation.starts_with("PATCH ") && r.operation.contains("/methods/")
}

#[test]
fn an_authorizer_created_before_its_methods_failed_is_reported_created() {
    let stack = Stack::new();
    crate::authorizer::rest_api(&stack, "half-api-dev");
    let spec = format!("{BASE}{AUTHORIZER}");

    // CreateAuthorizer goes through, the first UpdateMethod is refused.
    let (out, done) = stops(
        &stack,
        &spec,
        refuse_nth(1, is_update_method),
        "create authorizer.cognito",
    );
    assert!(
        done.contains(&"create authorizer.cognito (CreateAuthorizer)".to_string()),
        "{}",
        out.dump()
    );
    assert!(
        !done.iter().any(|d| d.contains("UpdateMethod")),
        "{}",
        out.dump()
    );
    // The next plan: the authorizer exists; what is left is its methods.
    let p = plan(&stack);
    assert!(
        actions(&p).contains(&("authorizer.cognito".into(), "update".into())),
        "{p}"
    );
    let left: Vec<String> = fields(change(&p, "authorizer.cognito"))
        .into_iter()
        .map(|(path, ..)| path)
        .collect();
    assert!(
        !left.is_empty() && left.iter().all(|f| f.contains("/orders")),
        "only the methods are left to do: {left:?}"
    );
    converges(&stack);
}

#[test]
fn an_authorizer_whose_second_method_failed_reports_the_first_one_protected() {
    let stack = Stack::new();
    crate::authorizer::rest_api(&stack, "half-api-dev");
    stack.spec("half.yaml", BASE);
    apply(&stack).assert_success();

    let spec = format!("{BASE}{AUTHORIZER}");
    let (out, done) = stops(
        &stack,
        &spec,
        refuse_nth(2, is_update_method),
        "create authorizer.cognito",
    );
    let ours: Vec<&String> = done.iter().filter(|d| d.contains("authorizer")).collect();
    assert_eq!(ours.len(), 2, "{}", out.dump());
    assert_eq!(ours[0], "create authorizer.cognito (CreateAuthorizer)");
    assert!(
        ours[1].starts_with("protect ")
            && ours[1].ends_with(" with authorizer.cognito (UpdateMethod)"),
        "{}",
        out.dump()
    );
    // The method reported protected is not planned again.
    let protected = ours[1]
        .strip_prefix("protect ")
        .and_then(|s| s.split(" with ").next())
        .unwrap()
        .to_string();
    let p = plan(&stack);
    let left: Vec<String> = fields(change(&p, "authorizer.cognito"))
        .into_iter()
        .map(|(path, ..)| path)
        .collect();
    assert!(!left.is_empty(), "{p}");
    assert!(
        left.iter().all(|f| !f.contains(&protected)),
        "{protected} was protected, yet the plan has {left:?}"
    );
    converges(&stack);
}

#[test]
fn a_client_replacement_whose_delete_failed_reports_the_new_client_created() {
    let stack = Stack::new();
    stack.spec("half.yaml", BASE);
    apply(&stack).assert_success();

    let secret = BASE.replace(
        "  web:\n    explicit_auth_flows",
        "  web:\n    generate_secret: true\n    explicit_auth_flows",
    );
    let (out, done) = stops(
        &stack,
        &secret,
        refuse_nth(1, |r| r.operation == "DeleteUserPoolClient"),
        "replace client.web",
    );
    let created = stack.proxy.requests_for("CreateUserPoolClient");
    assert_eq!(created.len(), 1, "{}", out.dump());
    assert!(
        done.iter().any(
            |d| d.starts_with("create client.web (") && d.ends_with(") (CreateUserPoolClient)")
        ),
        "{}",
        out.dump()
    );
    assert!(!done.iter().any(|d| d.contains("Delete")), "{}", out.dump());
}

#[test]
fn an_identity_provider_replacement_whose_create_failed_reports_the_delete() {
    let stack = Stack::new();
    stack.spec("half.yaml", BASE);
    apply(&stack).assert_success();

    let oidc = BASE.replace(
        "    type: saml\n    metadata_url: https://login.example.com/federationmetadata.xml\n",
        "    type: oidc\n    client_id: corp\n    client_secret: corp-secret-1\n    oidc_issuer: https://login.example.com\n    attributes_request_method: post\n    authorize_scopes: [openid]\n",
    );
    let (out, done) = stops(
        &stack,
        &oidc,
        refuse_nth(1, |r| r.operation == "CreateIdentityProvider"),
        "replace identity_provider.Corp",
    );
    assert!(
        done.contains(&"delete identity_provider.Corp (DeleteIdentityProvider)".to_string()),
        "{}",
        out.dump()
    );
    // It is gone: the next plan creates it, it does not replace it.
    let p = plan(&stack);
    assert!(
        actions(&p).contains(&("identity_provider.Corp".into(), "create".into())),
        "{p}"
    );
    converges(&stack);
}

#[test]
fn a_domain_replacement_whose_create_failed_reports_the_old_one_deleted() {
    let stack = Stack::new();
    stack.spec("half.yaml", BASE);
    apply(&stack).assert_success();

    let renamed = BASE.replace("domain: half-${env}", "domain: half2-${env}");
    let (out, done) = stops(
        &stack,
        &renamed,
        refuse_nth(1, |r| r.operation == "CreateUserPoolDomain"),
        "replace domain",
    );
    assert!(
        done.contains(&"delete the old domain half-dev (DeleteUserPoolDomain)".to_string()),
        "{}",
        out.dump()
    );
    let p = plan(&stack);
    assert!(
        actions(&p).contains(&("domain".into(), "create".into())),
        "{p}"
    );
    converges(&stack);
}
