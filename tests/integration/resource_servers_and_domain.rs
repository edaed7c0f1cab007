//! Resource servers and the pool's domain end to end: created from nothing,
//! converged, changed field by field, drift, unmanaged and pruned, refused
//! replacement. moto implements neither UpdateResourceServer nor
//! DeleteResourceServer, and keeps no domain certificate or managed login
//! version: the proxy's AWS-faithful layer (support/faithful.rs) plays those.

use crate::support::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const SPEC: &str = r#"name: rs-${env}
environments: { dev: { region: us-east-1 } }
resource_servers:
  shop-api:
    name: Shop API
    scopes: { orders.read: Read orders, orders.write: Place orders }
  https://billing.example.com:
    scopes: { invoices: Read invoices }
domain: shop-${env}
"#;

const ARN: &str = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-aaaa";
const ARN2: &str = "arn:aws:acm:us-east-1:123456789012:certificate/22222222-bbbb";

fn plan(stack: &Stack, extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["plan", "--env", "dev", "--json"];
    args.extend(extra);
    let out = stack.poolctl().args(args).run();
    out.assert_success();
    let json = serde_json::from_str(&out.stdout).unwrap();
    (out, json)
}

fn pair(address: &str, action: &str) -> (String, String) {
    (address.to_string(), action.to_string())
}

/// The fields of the change at `address`: (path, before, after).
fn fields(plan: &Value, address: &str) -> Vec<(String, Value, Value)> {
    plan["pools"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no change at {address}: {plan}"))["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["before"].clone(),
                f["after"].clone(),
            )
        })
        .collect()
}

fn field(path: &str, before: Value, after: Value) -> (String, Value, Value) {
    (path.to_string(), before, after)
}

fn apply(stack: &Stack, extra: &[&str]) -> Output {
    let mut args = vec!["apply", "--env", "dev", "--auto-approve"];
    args.extend(extra);
    let out = stack.poolctl().args(args).run();
    out.assert_success();
    out
}

fn assert_converged(stack: &Stack) {
    let (out, p) = plan(stack, &[]);
    assert!(actions(&p).is_empty(), "{}", out.dump());
}

/// A client through the proxy, for changes behind poolctl's back that moto
/// alone cannot make (UpdateResourceServer) or would not remember (a
/// domain's managed login version).
fn proxied(stack: &Stack) -> aws_sdk_cognitoidentityprovider::Client {
    cognito_client(&stack.proxy.endpoint(), TEST_REGION)
}

/// Scope name -> description, as a request or a describe answer lists them.
fn scope_map(scopes: &Value) -> Value {
    let mut map = serde_json::Map::new();
    for s in scopes.as_array().into_iter().flatten() {
        map.insert(
            s["ScopeName"].as_str().unwrap().to_string(),
            s["ScopeDescription"].clone(),
        );
    }
    Value::Object(map)
}

#[test]
fn created_from_nothing_in_order_and_converged() {
    let stack = Stack::new();
    stack.spec("rs.yaml", SPEC);
    let (_, p) = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [
            pair("user_pool", "create"),
            pair("resource_server.https://billing.example.com", "create"),
            pair("resource_server.shop-api", "create"),
            pair("domain", "create"),
        ]
    );
    assert_eq!(
        fields(&p, "resource_server.shop-api"),
        [
            field("name", Value::Null, json!("Shop API")),
            field("scopes.orders.read", Value::Null, json!("Read orders")),
            field("scopes.orders.write", Value::Null, json!("Place orders")),
        ]
    );
    assert_eq!(
        fields(&p, "domain"),
        [field("prefix", Value::Null, json!("shop-dev"))]
    );

    let out = apply(&stack, &[]);
    assert!(out.stdout.contains("create domain\n"), "{}", out.dump());
    let ops = stack.proxy.operations();
    let at = |op: &str| ops.iter().position(|o| o == op).unwrap_or(usize::MAX);
    assert!(at("CreateUserPool") < at("CreateResourceServer"), "{ops:?}");
    assert!(at("CreateUserPool") < at("CreateUserPoolDomain"), "{ops:?}");
    let created = stack.proxy.requests_for("CreateResourceServer");
    assert_eq!(created.len(), 2);
    let billing = created
        .iter()
        .map(|r| r.json())
        .find(|r| r["Identifier"] == "https://billing.example.com")
        .unwrap();
    // No name declared: AWS needs one, the identifier stands in.
    assert_eq!(billing["Name"], "https://billing.example.com");

    let id = pool_id(&stack);
    let server = block_on(
        stack
            .cognito()
            .describe_resource_server()
            .user_pool_id(&id)
            .identifier("shop-api")
            .send(),
    )
    .unwrap();
    let server = server.resource_server().unwrap();
    assert_eq!(server.name(), Some("Shop API"));
    assert_eq!(server.scopes().len(), 2);
    let pool = block_on(
        stack
            .cognito()
            .describe_user_pool()
            .user_pool_id(&id)
            .send(),
    )
    .unwrap();
    assert_eq!(pool.user_pool().unwrap().domain(), Some("shop-dev"));

    assert_converged(&stack);
}

#[test]
fn changing_one_field_of_each_shows_exactly_that_change() {
    let stack = Stack::new();
    stack.spec("rs.yaml", SPEC);
    apply(&stack, &[]);

    // The name alone.
    stack.spec(
        "rs.yaml",
        &SPEC.replace("name: Shop API", "name: Shop API v2"),
    );
    let (out, p) = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [pair("resource_server.shop-api", "update")],
        "{}",
        out.dump()
    );
    assert_eq!(
        fields(&p, "resource_server.shop-api"),
        [field("name", json!("Shop API"), json!("Shop API v2"))]
    );
    stack.proxy.clear();
    apply(&stack, &[]);
    let sent = stack.proxy.requests_for("UpdateResourceServer");
    assert_eq!(sent.len(), 1);
    // UpdateResourceServer resets what it is not sent: the scopes go too.
    assert_eq!(sent[0].json()["Name"], "Shop API v2");
    assert_eq!(
        scope_map(&sent[0].json()["Scopes"]),
        json!({"orders.read": "Read orders", "orders.write": "Place orders"})
    );
    assert_converged(&stack);

    // One scope re-described, one added, one removed.
    let scopes = SPEC.replace("name: Shop API", "name: Shop API v2").replace(
        "{ orders.read: Read orders, orders.write: Place orders }",
        "{ orders.read: Read all orders, refunds: Issue refunds }",
    );
    stack.spec("rs.yaml", &scopes);
    let (out, p) = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [pair("resource_server.shop-api", "update")],
        "{}",
        out.dump()
    );
    assert_eq!(
        fields(&p, "resource_server.shop-api"),
        [
            field(
                "scopes.orders.read",
                json!("Read orders"),
                json!("Read all orders")
            ),
            field("scopes.orders.write", json!("Place orders"), Value::Null),
            field("scopes.refunds", Value::Null, json!("Issue refunds")),
        ]
    );
    let human = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(
        human
            .stdout
            .contains("- scopes.orders.write: \"Place orders\" -> (removed)"),
        "{}",
        human.dump()
    );
    assert!(
        human.stdout.contains("+ scopes.refunds: \"Issue refunds\""),
        "{}",
        human.dump()
    );
    stack.proxy.clear();
    apply(&stack, &[]);
    let sent = stack.proxy.requests_for("UpdateResourceServer");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].json()["Name"], "Shop API v2");
    assert_eq!(
        scope_map(&sent[0].json()["Scopes"]),
        json!({"orders.read": "Read all orders", "refunds": "Issue refunds"})
    );
    assert_converged(&stack);

    // The domain's managed login version, in place.
    let v2 = scopes.replace(
        "domain: shop-${env}",
        r#"domain: { prefix: "shop-${env}", managed_login_version: 2 }"#,
    );
    stack.spec("rs.yaml", &v2);
    let (out, p) = plan(&stack, &[]);
    assert_eq!(actions(&p), [pair("domain", "update")], "{}", out.dump());
    assert_eq!(
        fields(&p, "domain"),
        [field("managed_login_version", json!(1), json!(2))]
    );
    stack.proxy.clear();
    apply(&stack, &[]);
    let sent = stack.proxy.requests_for("UpdateUserPoolDomain");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].json()["Domain"], "shop-dev");
    assert_eq!(sent[0].json()["ManagedLoginVersion"], 2);
    assert!(stack.proxy.requests_for("DeleteUserPoolDomain").is_empty());
    assert_converged(&stack);
}

#[test]
fn out_of_band_edits_show_as_drift() {
    let stack = Stack::new();
    stack.spec("rs.yaml", SPEC);
    apply(&stack, &[]);
    let id = pool_id(&stack);
    let hand = proxied(&stack);
    block_on(
        hand.update_resource_server()
            .user_pool_id(&id)
            .identifier("shop-api")
            .name("Renamed by hand")
            .send(),
    )
    .unwrap();
    block_on(
        hand.update_user_pool_domain()
            .user_pool_id(&id)
            .domain("shop-dev")
            .managed_login_version(2)
            .send(),
    )
    .unwrap();

    // The declared domain has no version: a version changed by hand is not drift.
    let (out, p) = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [pair("resource_server.shop-api", "update")],
        "{}",
        out.dump()
    );
    assert_eq!(
        fields(&p, "resource_server.shop-api"),
        [
            field("name", json!("Renamed by hand"), json!("Shop API")),
            field("scopes.orders.read", Value::Null, json!("Read orders")),
            field("scopes.orders.write", Value::Null, json!("Place orders")),
        ]
    );
    stack.spec(
        "rs.yaml",
        &SPEC.replace(
            "domain: shop-${env}",
            r#"domain: { prefix: "shop-${env}", managed_login_version: 1 }"#,
        ),
    );
    let (_, p) = plan(&stack, &[]);
    assert_eq!(
        fields(&p, "domain"),
        [field("managed_login_version", json!(2), json!(1))]
    );
    apply(&stack, &[]);
    assert_converged(&stack);

    // A domain deleted by hand is created again.
    block_on(
        stack
            .cognito()
            .delete_user_pool_domain()
            .user_pool_id(&id)
            .domain("shop-dev")
            .send(),
    )
    .unwrap();
    let (_, p) = plan(&stack, &[]);
    assert_eq!(actions(&p), [pair("domain", "create")]);
}

#[test]
fn a_resource_server_made_by_hand_is_unmanaged_until_pruned() {
    let stack = Stack::new();
    stack.spec("rs.yaml", SPEC);
    apply(&stack, &[]);
    let id = pool_id(&stack);
    block_on(
        stack
            .cognito()
            .create_resource_server()
            .user_pool_id(&id)
            .identifier("by-hand")
            .name("By hand")
            .send(),
    )
    .unwrap();

    let (_, p) = plan(&stack, &[]);
    assert_eq!(actions(&p), [pair("resource_server.by-hand", "unmanaged")]);
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(
        out.stdout
            .contains("? resource_server.by-hand exists but is not in the spec"),
        "{}",
        out.dump()
    );

    // Without --prune nothing is deleted.
    stack.proxy.clear();
    apply(&stack, &[]);
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    let (_, p) = plan(&stack, &["--prune"]);
    assert_eq!(actions(&p), [pair("resource_server.by-hand", "delete")]);
    stack.proxy.clear();
    let out = apply(&stack, &["--prune"]);
    assert!(
        out.stdout.contains("delete resource_server.by-hand"),
        "{}",
        out.dump()
    );
    let deleted = stack.proxy.requests_for("DeleteResourceServer");
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].json()["Identifier"], "by-hand");
    assert_eq!(deleted[0].json()["UserPoolId"], id.as_str());
    assert_converged(&stack);
    let (_, p) = plan(&stack, &["--prune"]);
    assert!(actions(&p).is_empty(), "{p}");
}

#[test]
fn a_renamed_identifier_is_a_new_server_and_the_old_one_goes_last() {
    let stack = Stack::new();
    stack.spec("rs.yaml", SPEC);
    apply(&stack, &[]);
    stack.spec("rs.yaml", &SPEC.replace("  shop-api:", "  store-api:"));
    let (_, p) = plan(&stack, &["--prune"]);
    assert_eq!(
        actions(&p),
        [
            pair("resource_server.store-api", "create"),
            pair("resource_server.shop-api", "delete"),
        ]
    );
    stack.proxy.clear();
    apply(&stack, &["--prune"]);
    let ops: Vec<String> = stack.writes().into_iter().map(|r| r.operation).collect();
    assert_eq!(ops, ["CreateResourceServer", "DeleteResourceServer"]);
    assert_converged(&stack);
}

#[test]
fn a_new_domain_name_is_replaced_only_with_allow_replace() {
    let stack = Stack::new();
    let v2 = SPEC.replace(
        "domain: shop-${env}",
        r#"domain: { prefix: "shop-${env}", managed_login_version: 2 }"#,
    );
    stack.spec("rs.yaml", &v2);
    apply(&stack, &[]);

    // The new spec does not say which version: the live one is kept.
    stack.spec(
        "rs.yaml",
        &SPEC.replace("domain: shop-${env}", "domain: shop-new-${env}"),
    );
    let (_, p) = plan(&stack, &[]);
    assert_eq!(actions(&p), [pair("domain", "replace")]);
    assert_eq!(
        fields(&p, "domain"),
        [field("prefix", json!("shop-dev"), json!("shop-new-dev"))]
    );
    let human = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(
        human.stdout.contains("-/+ domain must be replaced")
            && human.stdout.contains("`shop-dev` stop working"),
        "{}",
        human.dump()
    );

    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("refusing to apply") && out.stderr.contains("--allow-replace"),
        "{}",
        out.dump()
    );
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    stack.proxy.clear();
    apply(&stack, &["--allow-replace"]);
    let writes: Vec<(String, Value)> = stack
        .writes()
        .into_iter()
        .map(|r| (r.operation.clone(), r.json()))
        .collect();
    assert_eq!(writes.len(), 2, "{writes:?}");
    assert_eq!(writes[0].0, "DeleteUserPoolDomain");
    assert_eq!(writes[0].1["Domain"], "shop-dev");
    assert_eq!(writes[1].0, "CreateUserPoolDomain");
    assert_eq!(writes[1].1["Domain"], "shop-new-dev");
    assert_eq!(writes[1].1["ManagedLoginVersion"], 2);
    assert_converged(&stack);
}

#[test]
fn a_custom_domain_certificate_changes_in_place_and_a_switch_to_a_prefix_replaces() {
    let stack = Stack::new();
    let custom = SPEC.replace(
        "domain: shop-${env}",
        &format!("domain: {{ custom: auth.example.com, certificate_arn: {ARN} }}"),
    );
    stack.spec("rs.yaml", &custom);
    apply(&stack, &[]);
    let created = stack.proxy.requests_for("CreateUserPoolDomain");
    assert_eq!(
        created[0].json()["CustomDomainConfig"]["CertificateArn"],
        ARN
    );
    assert_converged(&stack);

    stack.spec("rs.yaml", &custom.replace(ARN, ARN2));
    let (_, p) = plan(&stack, &[]);
    assert_eq!(actions(&p), [pair("domain", "update")]);
    assert_eq!(
        fields(&p, "domain"),
        [field("certificate_arn", json!(ARN), json!(ARN2))]
    );
    stack.proxy.clear();
    apply(&stack, &[]);
    let sent = stack.proxy.requests_for("UpdateUserPoolDomain");
    assert_eq!(sent.len(), 1);
    let sent = sent[0].json();
    assert_eq!(sent["Domain"], "auth.example.com");
    assert_eq!(sent["CustomDomainConfig"]["CertificateArn"], ARN2);
    // The live version goes along: the update resets what it is not sent.
    assert_eq!(sent["ManagedLoginVersion"], 1);
    assert_converged(&stack);

    stack.spec("rs.yaml", SPEC);
    let (_, p) = plan(&stack, &[]);
    assert_eq!(actions(&p), [pair("domain", "replace")]);
    assert_eq!(
        fields(&p, "domain"),
        [
            field("prefix", Value::Null, json!("shop-dev")),
            field("custom", json!("auth.example.com"), Value::Null),
        ]
    );
    // AWS deletes the old domain but the answer is lost: the SDK's retry
    // finds it gone, which is what the step was for, and the new one is made.
    stack.proxy.clear();
    stack
        .proxy
        .set_fault_rule(fault_first(1, "DeleteUserPoolDomain", Fault::LoseAnswer));
    apply(&stack, &["--allow-replace"]);
    stack.proxy.clear_fault_rule();
    let deletes: Vec<Option<u16>> = stack
        .proxy
        .requests_for("DeleteUserPoolDomain")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(deletes, [None, Some(400)]);
    assert_converged(&stack);
}

#[test]
fn a_prefix_taken_by_another_pool_blocks_the_plan_and_names_it() {
    let stack = Stack::new();
    let other = proxied(&stack);
    let pool = block_on(other.create_user_pool().pool_name("someone-else").send()).unwrap();
    block_on(
        other
            .create_user_pool_domain()
            .user_pool_id(pool.user_pool().unwrap().id().unwrap())
            .domain("shop-dev")
            .send(),
    )
    .unwrap();

    stack.spec("rs.yaml", SPEC);
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("refusing to apply"), "{}", out.dump());
    assert!(
        out.stdout.contains("belongs to pool `someone-else`")
            || out.stderr.contains("belongs to pool `someone-else`"),
        "{}",
        out.dump()
    );
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
}

#[test]
fn undeclared_kinds_are_not_read() {
    let stack = Stack::new();
    stack.spec("rs.yaml", SPEC);
    apply(&stack, &[]);
    stack.spec(
        "rs.yaml",
        "name: rs-${env}\nenvironments: { dev: { region: us-east-1 } }\n",
    );
    stack.proxy.clear();
    let (_, p) = plan(&stack, &["--prune"]);
    assert!(actions(&p).is_empty(), "{p}");
    let ops = stack.proxy.operations();
    assert!(
        !ops.iter()
            .any(|o| o == "ListResourceServers" || o == "DescribeUserPoolDomain"),
        "{ops:?}"
    );
}

#[test]
fn an_operation_the_endpoint_cannot_do_fails_promptly_and_says_so() {
    let stack = Stack::new();
    stack.spec("rs.yaml", SPEC);
    apply(&stack, &[]);
    stack.spec(
        "rs.yaml",
        &SPEC.replace("name: Shop API", "name: Shop API v2"),
    );
    // What moto answers for an operation it does not implement.
    let html = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n";
    stack.proxy.set_fault_rule(fault_on(
        "UpdateResourceServer",
        Fault::Respond(
            500,
            vec![("content-type".into(), "text/html; charset=utf-8".into())],
            html.into(),
        ),
    ));
    stack.proxy.clear();
    let started = Instant::now();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    let took = started.elapsed();
    out.assert_exit(1);
    assert!(took < Duration::from_secs(20), "took {took:?}");
    // The SDK's standard retries, and no more.
    assert_eq!(stack.proxy.requests_for("UpdateResourceServer").len(), 3);
    assert!(
        out.stderr.contains(
            "failed: update resource_server.shop-api: UpdateResourceServer shop-api failed"
        ) && out.stderr.contains("HTTP 500"),
        "{}",
        out.dump()
    );
}

#[test]
fn validate_locates_domain_and_scope_mistakes() {
    let stack = Stack::new();
    stack.spec(
        "rs.yaml",
        r#"name: rs-${env}
environments: { dev: { region: eu-west-1 } }
resource_servers:
  shop-api:
    scopes: { orders/read: Read orders }
domain:
  custom: auth.example.com
  certificate_arn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
"#,
    );
    let out = stack.poolctl().args(["validate"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("rs.yaml:5:")
            && out.stderr.contains("`orders/read` is not a scope name"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("rs.yaml:8:")
            && out.stderr.contains("domain.certificate_arn")
            && out.stderr.contains("must be in us-east-1"),
        "{}",
        out.dump()
    );
}
