//! App clients end to end: the binary against moto through the AWS-faithful
//! recording proxy (which resets what an UpdateUserPoolClient leaves out, as
//! AWS does and moto does not).

use crate::support::*;
use aws_sdk_cognitoidentityprovider::types as sdk;
use serde_json::{json, Value};

/// The issue's example clients. Its `Google` provider and `shop-api` scope
/// are left out here: this branch does not create identity providers or
/// resource servers yet (and moto would accept a client naming missing ones,
/// proving nothing). The ordering that makes them work is unit-tested in
/// `apply::client`.
const SHOP: &str = r#"name: shop-${env}
environments: { dev: { region: us-east-1 } }
clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
    allowed_oauth_flows: [code]
    allowed_oauth_scopes: [openid, email, profile]
    callback_urls: [https://shop.example.com/callback]
    logout_urls: [https://shop.example.com/logout]
    supported_identity_providers: [COGNITO]
    access_token_validity: 1h
    id_token_validity: 1h
    refresh_token_validity: 30d
    prevent_user_existence_errors: true
    enable_token_revocation: true
  mobile:
    explicit_auth_flows: [user_srp, refresh_token]
    refresh_token_validity: 90d
"#;

fn run_ok(stack: &Stack, args: &[&str]) -> Output {
    let out = stack.poolctl().args(args).run();
    out.assert_success();
    out
}

fn plan(stack: &Stack, extra: &[&str]) -> Value {
    let mut args = vec!["plan", "--env", "dev", "--json"];
    args.extend(extra);
    let out = run_ok(stack, &args);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("plan --json is not JSON ({e}):\n{}", out.dump()))
}

fn apply(stack: &Stack, extra: &[&str]) -> Output {
    let mut args = vec!["apply", "--env", "dev", "--auto-approve"];
    args.extend(extra);
    run_ok(stack, &args)
}

fn assert_converged(stack: &Stack) {
    let p = plan(stack, &[]);
    assert!(actions(&p).is_empty(), "expected no changes: {p}");
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    assert_eq!(out.status, 0, "{}", out.dump());
}

/// Every live client named `name`, as AWS reports it (through the faithful
/// proxy, so a field an update dropped is gone).
fn live_clients(stack: &Stack, name: &str) -> Vec<sdk::UserPoolClientType> {
    let cognito = cognito_client(&stack.proxy.endpoint(), TEST_REGION);
    let id = pool_id(stack);
    let list = block_on(
        cognito
            .list_user_pool_clients()
            .user_pool_id(&id)
            .max_results(60)
            .send(),
    )
    .unwrap();
    list.user_pool_clients()
        .iter()
        .filter(|c| c.client_name() == Some(name))
        .map(|c| {
            block_on(
                cognito
                    .describe_user_pool_client()
                    .user_pool_id(&id)
                    .client_id(c.client_id().unwrap())
                    .send(),
            )
            .unwrap()
            .user_pool_client
            .unwrap()
        })
        .collect()
}

fn live_client(stack: &Stack, name: &str) -> sdk::UserPoolClientType {
    let mut clients = live_clients(stack, name);
    assert_eq!(clients.len(), 1, "live clients named {name}: {clients:?}");
    clients.remove(0)
}

#[test]
fn the_example_is_created_from_nothing_and_replans_empty() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "create".into()),
            ("client.mobile".into(), "create".into()),
            ("client.web".into(), "create".into()),
        ]
    );
    let web = fields(change(&p, "client.web"));
    assert!(
        web.contains(&("generate_secret".into(), Value::Null, json!(false))),
        "public by default: {web:?}"
    );
    assert!(web.contains(&("access_token_validity".into(), Value::Null, json!("1h"))));

    let out = apply(&stack, &[]);
    assert!(out.stdout.contains("create client.web"), "{}", out.dump());

    // The pool first, then both clients.
    let ops: Vec<String> = stack.writes().into_iter().map(|r| r.operation).collect();
    assert_eq!(ops[0], "CreateUserPool", "{ops:?}");
    assert_eq!(
        ops.iter().filter(|o| *o == "CreateUserPoolClient").count(),
        2,
        "{ops:?}"
    );
    let sent: Vec<Value> = stack
        .proxy
        .requests_for("CreateUserPoolClient")
        .iter()
        .map(|r| r.json())
        .collect();
    let web_sent = sent.iter().find(|r| r["ClientName"] == "web").unwrap();
    assert_eq!(web_sent["GenerateSecret"], json!(false));
    assert_eq!(web_sent["AllowedOAuthFlowsUserPoolClient"], json!(true));
    assert_eq!(web_sent["AccessTokenValidity"], json!(1));
    assert_eq!(
        web_sent["TokenValidityUnits"]["AccessToken"],
        json!("hours")
    );
    assert_eq!(web_sent["RefreshTokenValidity"], json!(30));
    assert_eq!(
        web_sent["TokenValidityUnits"]["RefreshToken"],
        json!("days")
    );
    assert_eq!(web_sent["PreventUserExistenceErrors"], json!("ENABLED"));

    let web = live_client(&stack, "web");
    assert!(
        web.client_secret().is_none(),
        "public clients have no secret"
    );
    assert_eq!(
        web.callback_urls(),
        ["https://shop.example.com/callback".to_string()]
    );
    assert_eq!(
        web.explicit_auth_flows(),
        [
            sdk::ExplicitAuthFlowsType::AllowUserSrpAuth,
            sdk::ExplicitAuthFlowsType::AllowRefreshTokenAuth
        ]
    );
    let mobile = live_client(&stack, "mobile");
    assert_eq!(mobile.refresh_token_validity(), 90);
    assert_converged(&stack);
}

#[test]
fn one_changed_field_shows_exactly_that_change_and_sends_the_whole_client() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    apply(&stack, &[]);

    let cases: [(&str, &str, &str, Value, Value); 4] = [
        (
            "id_token_validity: 1h",
            "id_token_validity: 90m",
            "id_token_validity",
            json!("1h"),
            json!("90m"),
        ),
        (
            "logout_urls: [https://shop.example.com/logout]",
            "logout_urls: [https://shop.example.com/logout, https://shop.example.com/bye]",
            "logout_urls",
            json!(["https://shop.example.com/logout"]),
            json!([
                "https://shop.example.com/bye",
                "https://shop.example.com/logout"
            ]),
        ),
        (
            "prevent_user_existence_errors: true",
            "prevent_user_existence_errors: false",
            "prevent_user_existence_errors",
            json!(true),
            json!(false),
        ),
        (
            "enable_token_revocation: true",
            "enable_token_revocation: true\n    auth_session_validity: 10m",
            "auth_session_validity",
            json!("3m"),
            json!("10m"),
        ),
    ];
    let mut spec = SHOP.to_string();
    for (from, to, path, before, after) in cases {
        assert!(spec.contains(from), "{from}");
        spec = spec.replace(from, to);
        stack.spec("shop.yaml", &spec);
        let p = plan(&stack, &[]);
        assert_eq!(
            actions(&p),
            [("client.web".into(), "update".into())],
            "{path}: {p}"
        );
        assert_eq!(
            fields(change(&p, "client.web")),
            [(path.to_string(), before, after)],
            "{path}"
        );

        stack.proxy.clear();
        apply(&stack, &[]);
        let updates = stack.proxy.requests_for("UpdateUserPoolClient");
        assert_eq!(updates.len(), 1, "{path}: {:?}", stack.proxy.operations());
        let sent = updates[0].json();
        // Every setting of the client goes back, not only the changed one.
        for key in [
            "ClientName",
            "ExplicitAuthFlows",
            "AllowedOAuthFlows",
            "AllowedOAuthFlowsUserPoolClient",
            "AllowedOAuthScopes",
            "CallbackURLs",
            "LogoutURLs",
            "SupportedIdentityProviders",
            "AccessTokenValidity",
            "IdTokenValidity",
            "RefreshTokenValidity",
            "TokenValidityUnits",
            "PreventUserExistenceErrors",
            "EnableTokenRevocation",
            "AuthSessionValidity",
        ] {
            assert!(sent.get(key).is_some(), "{path}: {key} not sent: {sent}");
        }
        assert!(sent.get("ClientSecret").is_none());
        assert_converged(&stack);
    }
    let web = live_client(&stack, "web");
    assert_eq!(web.id_token_validity(), Some(90));
    assert_eq!(
        web.token_validity_units().unwrap().id_token(),
        Some(&sdk::TimeUnitsType::Minutes)
    );
    assert_eq!(web.auth_session_validity(), Some(10));
    assert_eq!(
        web.prevent_user_existence_errors(),
        Some(&sdk::PreventUserExistenceErrorTypes::Legacy)
    );
}

#[test]
fn out_of_band_edits_are_drift_and_what_poolctl_does_not_manage_survives() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    apply(&stack, &[]);
    let web = live_client(&stack, "web");
    let mobile = live_client(&stack, "mobile");
    let pool = pool_id(&stack);

    // Behind poolctl's back (moto merges, so only these change): a declared
    // field of `web`, settings poolctl does not model, and an undeclared
    // setting of `mobile`.
    let cognito = stack.cognito();
    block_on(
        cognito
            .update_user_pool_client()
            .user_pool_id(&pool)
            .client_id(web.client_id().unwrap())
            .access_token_validity(120)
            .token_validity_units(
                sdk::TokenValidityUnitsType::builder()
                    .access_token(sdk::TimeUnitsType::Minutes)
                    .id_token(sdk::TimeUnitsType::Hours)
                    .refresh_token(sdk::TimeUnitsType::Days)
                    .build(),
            )
            .callback_urls("https://shop.example.com/callback")
            .callback_urls("https://evil.example.com/callback")
            .analytics_configuration(
                sdk::AnalyticsConfigurationType::builder()
                    .application_id("0123456789abcdef")
                    .role_arn("arn:aws:iam::123456789012:role/pinpoint")
                    .external_id("ext")
                    .build(),
            )
            .send(),
    )
    .unwrap();
    block_on(
        cognito
            .update_user_pool_client()
            .user_pool_id(&pool)
            .client_id(mobile.client_id().unwrap())
            .enable_token_revocation(false)
            .send(),
    )
    .unwrap();

    let p = plan(&stack, &[]);
    assert_eq!(actions(&p), [("client.web".into(), "update".into())], "{p}");
    assert_eq!(
        fields(change(&p, "client.web")),
        [
            (
                "callback_urls".into(),
                json!([
                    "https://evil.example.com/callback",
                    "https://shop.example.com/callback"
                ]),
                json!(["https://shop.example.com/callback"])
            ),
            ("access_token_validity".into(), json!("2h"), json!("1h")),
        ]
    );

    stack.proxy.clear();
    apply(&stack, &[]);
    let sent = stack.proxy.requests_for("UpdateUserPoolClient")[0].json();
    assert_eq!(
        sent["AnalyticsConfiguration"]["ApplicationId"],
        json!("0123456789abcdef")
    );
    assert_eq!(sent["AccessTokenValidity"], json!(1));
    assert_eq!(sent["TokenValidityUnits"]["AccessToken"], json!("hours"));
    let web = live_client(&stack, "web");
    assert_eq!(
        web.analytics_configuration().and_then(|a| a.external_id()),
        Some("ext"),
        "an update must not reset what the spec does not model"
    );
    assert_eq!(
        live_client(&stack, "mobile").enable_token_revocation(),
        Some(false),
        "an undeclared setting is not drift"
    );
    assert_converged(&stack);
}

#[test]
fn a_client_made_by_hand_is_unmanaged_until_pruned() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    apply(&stack, &[]);
    let pool = pool_id(&stack);
    block_on(
        stack
            .cognito()
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("by-hand")
            .send(),
    )
    .unwrap();

    let p = plan(&stack, &[]);
    assert_eq!(actions(&p), [("client.by-hand".into(), "unmanaged".into())]);
    let out = run_ok(&stack, &["plan", "--env", "dev"]);
    assert!(
        out.stdout
            .contains("? client.by-hand exists but is not in the spec"),
        "{}",
        out.dump()
    );
    stack.proxy.clear();
    apply(&stack, &[]);
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    let p = plan(&stack, &["--prune"]);
    assert_eq!(actions(&p), [("client.by-hand".into(), "delete".into())]);
    let out = apply(&stack, &["--prune"]);
    assert!(
        out.stdout.contains("delete client.by-hand"),
        "{}",
        out.dump()
    );
    assert!(out.stdout.contains("stops signing in"), "{}", out.dump());
    assert_eq!(stack.proxy.requests_for("DeleteUserPoolClient").len(), 1);
    assert!(live_clients(&stack, "by-hand").is_empty());
    assert_eq!(live_clients(&stack, "web").len(), 1);
    assert_converged(&stack);
}

#[test]
fn the_secret_setting_is_replaced_only_when_allowed() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    apply(&stack, &[]);
    let old = live_client(&stack, "mobile");

    let spec = SHOP.replace(
        "    refresh_token_validity: 90d\n",
        "    refresh_token_validity: 90d\n    generate_secret: true\n",
    );
    stack.spec("shop.yaml", &spec);
    let p = plan(&stack, &[]);
    assert_eq!(actions(&p), [("client.mobile".into(), "replace".into())]);
    let mobile = change(&p, "client.mobile");
    assert_eq!(
        fields(mobile),
        [("generate_secret".into(), json!(false), json!(true))]
    );
    assert!(
        mobile["reasons"][0]
            .as_str()
            .unwrap()
            .contains("a new client id for every app using it"),
        "{mobile}"
    );
    let out = run_ok(&stack, &["plan", "--env", "dev"]);
    assert!(
        out.stdout.contains("-/+ client.mobile must be replaced"),
        "{}",
        out.dump()
    );

    // Refused without --allow-replace, before anything is sent.
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("--allow-replace"), "{}", out.dump());
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
    assert_eq!(live_client(&stack, "mobile").client_id(), old.client_id());

    stack.proxy.clear();
    let out = apply(&stack, &["--allow-replace"]);
    let ops: Vec<String> = stack.writes().into_iter().map(|r| r.operation).collect();
    // The new client exists before the old one goes.
    assert_eq!(
        ops,
        ["CreateUserPoolClient", "DeleteUserPoolClient"],
        "{ops:?}"
    );
    let created = stack.proxy.requests_for("CreateUserPoolClient")[0].json();
    assert_eq!(created["GenerateSecret"], json!(true));
    assert_eq!(created["RefreshTokenValidity"], json!(90));
    assert_eq!(
        stack.proxy.requests_for("DeleteUserPoolClient")[0].json()["ClientId"],
        json!(old.client_id().unwrap())
    );
    let new = live_client(&stack, "mobile");
    assert_ne!(new.client_id(), old.client_id());
    let secret = new.client_secret().expect("the new client has a secret");
    assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret));
    assert_converged(&stack);
}

#[test]
fn a_refused_replacement_loses_nothing() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    apply(&stack, &[]);
    let old = live_client(&stack, "mobile");
    stack.spec(
        "shop.yaml",
        &SHOP.replace(
            "    refresh_token_validity: 90d\n",
            "    refresh_token_validity: 90d\n    generate_secret: true\n",
        ),
    );
    stack.proxy.set_fault_rule(fault_on(
        "CreateUserPoolClient",
        Fault::Status(
            400,
            r#"{"__type":"LimitExceededException","message":"too many clients"}"#.into(),
        ),
    ));
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve", "--allow-replace"])
        .run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("LimitExceededException"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("replace client.mobile"),
        "{}",
        out.dump()
    );
    assert!(stack.proxy.requests_for("DeleteUserPoolClient").is_empty());
    assert_eq!(
        live_client(&stack, "mobile").client_id(),
        old.client_id(),
        "the old client, and every app using it, keeps working"
    );
}

#[test]
fn client_secrets_never_appear() {
    let stack = Stack::new();
    let spec = "name: sec-${env}
environments: { dev: { region: us-east-1 } }
clients:
  api: { generate_secret: true, explicit_auth_flows: [admin_user_password, refresh_token], refresh_token_validity: 1d }
";
    stack.spec("sec.yaml", spec);
    let out = run_ok(&stack, &["validate"]);
    assert!(
        out.stderr.contains("clients.api.generate_secret"),
        "a secret is worth a warning: {}",
        out.dump()
    );
    let applied = run_ok(&stack, &["apply", "--env", "dev", "--auto-approve", "-vvv"]);
    let secret = live_client(&stack, "api")
        .client_secret()
        .expect("a secret was asked for")
        .to_string();
    stack.spec("sec.yaml", &spec.replace("1d", "2d"));
    let outputs = [
        applied,
        run_ok(&stack, &["plan", "--env", "dev", "--json", "-vvv"]),
        run_ok(&stack, &["plan", "--env", "dev", "-vvv"]),
        run_ok(&stack, &["apply", "--env", "dev", "--auto-approve", "-vvv"]),
    ];
    for out in &outputs {
        assert!(
            !out.stdout.contains(&secret) && !out.stderr.contains(&secret),
            "the secret leaked: {}",
            out.dump()
        );
    }
    assert!(
        outputs[3].stdout.contains("update client.api"),
        "{}",
        outputs[3].dump()
    );
    // The update kept the secret (it was never sent, and cannot be).
    assert_eq!(
        live_client(&stack, "api").client_secret(),
        Some(secret.as_str())
    );
}

#[test]
fn validate_warns_about_a_secret_with_the_implicit_grant_and_refuses_an_http_callback() {
    let stack = Stack::new();
    stack.spec(
        "spa.yaml",
        "name: spa-${env}
environments: { dev: { region: us-east-1 } }
clients:
  spa:
    generate_secret: true
    allowed_oauth_flows: [implicit]
    allowed_oauth_scopes: [openid]
    callback_urls: [http://spa.example.com/cb]
",
    );
    let out = stack.poolctl().args(["validate"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("pools/spa.yaml:5:5: clients.spa.generate_secret: a client with a secret should not use the implicit grant"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr
            .contains("pools/spa.yaml:8:21: clients.spa.callback_urls.0:"),
        "{}",
        out.dump()
    );
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(stack.proxy.requests().is_empty(), "nothing reaches AWS");
}

#[test]
fn two_live_clients_with_one_declared_name_block_the_plan() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    apply(&stack, &[]);
    let pool = pool_id(&stack);
    let extra = block_on(
        stack
            .cognito()
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("web")
            .send(),
    )
    .unwrap();
    let extra_id = extra.user_pool_client().unwrap().client_id().unwrap();

    let p = plan(&stack, &[]);
    assert_eq!(actions(&p), [("client.web".into(), "blocked".into())]);
    let reason = change(&p, "client.web")["reasons"][0].as_str().unwrap();
    assert!(reason.contains(extra_id), "{reason}");
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_exit(1);
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
}

#[test]
fn many_clients_keep_to_cognitos_quota_and_throttling_is_retried() {
    let stack = Stack::new();
    let mut spec =
        String::from("name: many-${env}\nenvironments: { dev: { region: us-east-1 } }\nclients:\n");
    for i in 0..12 {
        spec.push_str(&format!(
            "  app{i:02}: {{ refresh_token_validity: {}d }}\n",
            i + 1
        ));
    }
    stack.spec("many.yaml", &spec);
    apply(&stack, &[]);
    assert_eq!(stack.proxy.requests_for("CreateUserPoolClient").len(), 12);

    // Cognito takes 5 DescribeUserPoolClient calls a second per pool: 5 go at
    // once, the other 7 one every 200 ms.
    stack.proxy.clear();
    let started = std::time::Instant::now();
    assert!(actions(&plan(&stack, &[])).is_empty());
    let took = started.elapsed();
    eprintln!("plan of 12 clients: {took:?}");
    assert!(took >= std::time::Duration::from_millis(1_300), "{took:?}");
    assert_eq!(stack.proxy.requests_for("DescribeUserPoolClient").len(), 12);

    // Throttled anyway (other tools share the quota): retried.
    stack.proxy.clear();
    stack
        .proxy
        .set_fault_rule(fault_first(2, "DescribeUserPoolClient", Fault::Throttle));
    assert_converged(&stack);
    let describes = stack.proxy.requests_for("DescribeUserPoolClient");
    assert_eq!(
        describes.len(),
        2 * 12 + 2,
        "each client once per plan, and the 2 throttled again"
    );
}

#[test]
fn pools_without_a_clients_key_leave_clients_alone() {
    let stack = Stack::new();
    stack.spec(
        "bare.yaml",
        "name: bare-${env}\nenvironments: { dev: { region: us-east-1 } }\n",
    );
    apply(&stack, &[]);
    let pool = pool_id(&stack);
    block_on(
        stack
            .cognito()
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("by-hand")
            .send(),
    )
    .unwrap();
    stack.proxy.clear();
    let p = plan(&stack, &["--prune"]);
    assert!(actions(&p).is_empty(), "{p}");
    assert!(
        stack.proxy.requests_for("ListUserPoolClients").is_empty(),
        "an undeclared kind is not even read"
    );
}
