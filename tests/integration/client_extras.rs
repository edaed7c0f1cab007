//! A client's extras end to end: its analytics configuration, the legacy
//! explicit auth flow names, its terms documents and the rotation of its
//! secret. The binary against moto through the AWS-faithful proxy, which
//! answers the terms and client-secret APIs moto lacks
//! (`support/faithful/terms.rs`, `support/faithful/client_secrets.rs`).

use crate::support::*;
use serde_json::{json, Value};

fn run_ok(stack: &Stack, args: &[&str]) -> Output {
    let out = stack.poolctl().args(args).run();
    out.assert_success();
    out
}

fn plan(stack: &Stack) -> Value {
    let out = run_ok(stack, &["plan", "--env", "dev", "--json"]);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("plan --json is not JSON ({e}):\n{}", out.dump()))
}

fn apply(stack: &Stack) -> Output {
    run_ok(stack, &["apply", "--env", "dev", "--auto-approve"])
}

#[track_caller]
fn assert_converged(stack: &Stack) {
    let p = plan(stack);
    assert!(actions(&p).is_empty(), "expected no changes: {p}");
}

fn client_id(stack: &Stack, name: &str) -> String {
    let pool = pool_id(stack);
    let list = block_on(
        stack
            .cognito()
            .list_user_pool_clients()
            .user_pool_id(&pool)
            .max_results(60)
            .send(),
    )
    .unwrap();
    let ids: Vec<String> = list
        .user_pool_clients()
        .iter()
        .filter(|c| c.client_name() == Some(name))
        .filter_map(|c| c.client_id().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 1, "live clients named {name}: {ids:?}");
    ids[0].clone()
}

/// The body of the one request of `operation` that names client `name`
/// (or, for a create, is called `name`).
fn sent_for(stack: &Stack, operation: &str, name: &str) -> Vec<Value> {
    stack
        .proxy
        .requests_for(operation)
        .iter()
        .map(|r| r.json())
        .filter(|b| b["ClientName"] == name)
        .collect()
}

/// Imports the live pool over the spec file, then plans it.
fn import_round_trip(stack: &Stack, file: &str) -> String {
    let out = run_ok(
        stack,
        &[
            "import",
            "--env",
            "dev",
            "--out",
            "-",
            "--pool-id",
            &pool_id(stack),
        ],
    );
    stack.spec(file, &out.stdout);
    assert_converged(stack);
    out.stdout
}

const ANALYTICS: &str = r#"name: xtra-${env}
environments: { dev: { region: us-east-1 } }
clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
    analytics_configuration:
      application_id: 0123456789abcdef0123456789abcdef
      role_arn: arn:aws:iam::123456789012:role/pinpoint
      external_id: shop
      user_data_shared: true
  old:
    explicit_auth_flows: [ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH]
    access_token_validity: 1h
"#;

#[test]
fn analytics_and_legacy_flow_names_apply_converge_drift_and_import() {
    let stack = Stack::new();
    stack.spec("xtra.yaml", ANALYTICS);

    // Accepted, with the current spelling named.
    let out = run_ok(&stack, &["validate"]);
    let said = format!("{}{}", out.stdout, out.stderr);
    assert!(
        said.contains("`ADMIN_NO_SRP_AUTH` is a legacy flow name; its current spelling is `ALLOW_ADMIN_USER_PASSWORD_AUTH`"),
        "{}",
        out.dump()
    );
    assert!(said.contains("ALLOW_USER_PASSWORD_AUTH"), "{}", out.dump());

    apply(&stack);
    let web = &sent_for(&stack, "CreateUserPoolClient", "web")[0];
    assert_eq!(
        web["AnalyticsConfiguration"],
        json!({
            "ApplicationId": "0123456789abcdef0123456789abcdef",
            "RoleArn": "arn:aws:iam::123456789012:role/pinpoint",
            "ExternalId": "shop",
            "UserDataShared": true
        })
    );
    let old = &sent_for(&stack, "CreateUserPoolClient", "old")[0];
    assert_eq!(
        old["ExplicitAuthFlows"],
        json!(["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"]),
        "sent as written"
    );
    assert!(old.get("AnalyticsConfiguration").is_none(), "{old}");
    assert_converged(&stack);

    // By hand: another external id and a current flow name on `old`.
    let pool = pool_id(&stack);
    block_on(
        stack
            .cognito()
            .update_user_pool_client()
            .user_pool_id(&pool)
            .client_id(client_id(&stack, "web"))
            .explicit_auth_flows("ALLOW_USER_SRP_AUTH".into())
            .explicit_auth_flows("ALLOW_REFRESH_TOKEN_AUTH".into())
            .analytics_configuration(
                aws_sdk_cognitoidentityprovider::types::AnalyticsConfigurationType::builder()
                    .application_id("0123456789abcdef0123456789abcdef")
                    .role_arn("arn:aws:iam::123456789012:role/pinpoint")
                    .external_id("changed")
                    .user_data_shared(true)
                    .build(),
            )
            .send(),
    )
    .unwrap();
    block_on(
        stack
            .cognito()
            .update_user_pool_client()
            .user_pool_id(&pool)
            .client_id(client_id(&stack, "old"))
            .explicit_auth_flows("ALLOW_ADMIN_USER_PASSWORD_AUTH".into())
            .send(),
    )
    .unwrap();
    let p = plan(&stack);
    assert_eq!(
        fields(change(&p, "client.web")),
        [(
            "analytics_configuration.external_id".into(),
            json!("changed"),
            json!("shop")
        )]
    );
    assert_eq!(
        fields(change(&p, "client.old")),
        [(
            "explicit_auth_flows".into(),
            json!(["admin_user_password"]),
            json!(["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"])
        )]
    );
    stack.proxy.clear();
    apply(&stack);
    let web = &stack.proxy.requests_for("UpdateUserPoolClient");
    let web: Vec<Value> = web
        .iter()
        .map(|r| r.json())
        .filter(|b| b["ClientName"] == "web")
        .collect();
    assert_eq!(web[0]["AnalyticsConfiguration"]["ExternalId"], "shop");
    assert_eq!(
        web[0]["ExplicitAuthFlows"],
        json!(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
        "what did not change is sent as it is"
    );
    assert_converged(&stack);

    // A change of one key leaves every other field alone.
    stack.spec(
        "xtra.yaml",
        &ANALYTICS.replace("user_data_shared: true", "user_data_shared: false"),
    );
    let p = plan(&stack);
    assert_eq!(actions(&p), [("client.web".into(), "update".into())]);
    stack.proxy.clear();
    apply(&stack);
    let sent: Vec<Value> = stack
        .proxy
        .requests_for("UpdateUserPoolClient")
        .iter()
        .map(|r| r.json())
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0]["AnalyticsConfiguration"],
        json!({
            "ApplicationId": "0123456789abcdef0123456789abcdef",
            "RoleArn": "arn:aws:iam::123456789012:role/pinpoint",
            "ExternalId": "shop",
            "UserDataShared": false
        })
    );
    assert_eq!(
        sent[0]["ExplicitAuthFlows"],
        json!(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    );
    assert_converged(&stack);

    // `false` removes it.
    let block = "    analytics_configuration:\n      application_id: 0123456789abcdef0123456789abcdef\n      role_arn: arn:aws:iam::123456789012:role/pinpoint\n      external_id: shop\n      user_data_shared: true\n";
    assert!(ANALYTICS.contains(block));
    stack.spec(
        "xtra.yaml",
        &ANALYTICS.replace(block, "    analytics_configuration: false\n"),
    );
    stack.proxy.clear();
    apply(&stack);
    let sent = stack.proxy.requests_for("UpdateUserPoolClient")[0].json();
    assert!(sent.get("AnalyticsConfiguration").is_none(), "{sent}");
    assert_converged(&stack);

    // Back on, then imported: the import plans empty, legacy names and all.
    stack.spec("xtra.yaml", ANALYTICS);
    apply(&stack);
    let text = import_round_trip(&stack, "xtra.yaml");
    assert!(text.contains("ADMIN_NO_SRP_AUTH"), "{text}");
    assert!(text.contains("external_id: shop"), "{text}");
    assert!(
        !text.contains("application_arn"),
        "nulls are left out: {text}"
    );
}

const SECRETS: &str = r#"name: rot-${env}
environments: { dev: { region: us-east-1 } }
clients:
  reports:
    generate_secret: true
    access_token_validity: 1h
  web:
    explicit_auth_flows: [user_srp, refresh_token]
"#;

/// A client through the proxy: its answers come from the fidelity layer
/// where moto has none, so a change made this way is a change by hand.
fn by_hand(stack: &Stack) -> aws_sdk_cognitoidentityprovider::Client {
    cognito_client(&stack.proxy.endpoint(), TEST_REGION)
}

fn secret_ids(stack: &Stack, client: &str) -> Vec<String> {
    let out = block_on(
        by_hand(stack)
            .list_user_pool_client_secrets()
            .user_pool_id(pool_id(stack))
            .client_id(client)
            .send(),
    )
    .unwrap();
    out.client_secrets()
        .iter()
        .map(|s| s.client_secret_id().unwrap().to_string())
        .collect()
}

#[test]
fn a_secret_is_rotated_without_replacing_the_client_and_never_shown() {
    let stack = Stack::new();
    stack.spec("rot.yaml", SECRETS);
    apply(&stack);
    let id = client_id(&stack, "reports");
    let first = secret_ids(&stack, &id);
    assert_eq!(first.len(), 1, "the secret the client was created with");

    // A public client has nothing to rotate: refused, nothing sent.
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["client", "rotate-secret", "--env", "dev", "web", "--stdout"])
        .run();
    assert_eq!(out.status, 1, "{}", out.dump());
    assert!(out.stderr.contains("is public"), "{}", out.dump());
    // An existing file is never overwritten, and then nothing is sent.
    let taken = stack.path().join("taken.txt");
    std::fs::write(&taken, "keep me\n").unwrap();
    let out = stack
        .poolctl()
        .args([
            "client",
            "rotate-secret",
            "--env",
            "dev",
            "reports",
            "--out",
        ])
        .arg(&taken)
        .run();
    assert_eq!(out.status, 1, "{}", out.dump());
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "keep me\n");
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    // Rotate: a second secret, written only to the file.
    let file = stack.path().join("reports.secret");
    let out = stack
        .poolctl()
        .args([
            "-vvv",
            "client",
            "rotate-secret",
            "--env",
            "dev",
            "reports",
            "--out",
        ])
        .arg(&file)
        .run();
    out.assert_success();
    let value = std::fs::read_to_string(&file).unwrap().trim().to_string();
    assert!(value.len() >= 24, "{value:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    assert!(
        !out.stdout.contains(&value) && !out.stderr.contains(&value),
        "the secret was printed:\n{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("retire-secret --env dev reports"),
        "{}",
        out.dump()
    );
    let adds = stack.proxy.requests_for("AddUserPoolClientSecret");
    assert_eq!(adds.len(), 1);
    assert_eq!(
        adds[0].json(),
        json!({ "UserPoolId": pool_id(&stack), "ClientId": id })
    );
    assert_eq!(secret_ids(&stack, &id).len(), 2);

    // The client was not replaced, and the spec sees no change.
    assert_eq!(client_id(&stack, "reports"), id);
    let ops: Vec<String> = stack.writes().into_iter().map(|r| r.operation).collect();
    assert_eq!(ops, ["AddUserPoolClientSecret"], "{ops:?}");
    let out = run_ok(&stack, &["-vvv", "plan", "--env", "dev"]);
    assert!(!out.stdout.contains(&value) && !out.stderr.contains(&value));
    assert_converged(&stack);

    // Listed by id and date, never by value; a third is refused.
    let out = run_ok(&stack, &["client", "secrets", "--env", "dev", "reports"]);
    assert!(out.stdout.contains("2 secret(s)"), "{}", out.dump());
    assert!(out.stdout.contains(&first[0]), "{}", out.dump());
    assert!(!out.stdout.contains(&value));
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args([
            "client",
            "rotate-secret",
            "--env",
            "dev",
            "reports",
            "--stdout",
        ])
        .run();
    assert_eq!(out.status, 1, "{}", out.dump());
    assert!(
        out.stderr.contains("already has 2 secrets"),
        "{}",
        out.dump()
    );
    assert!(stack
        .proxy
        .requests_for("AddUserPoolClientSecret")
        .is_empty());

    // Retire: the older one goes, the new one stays.
    stack.proxy.clear();
    let out = run_ok(
        &stack,
        &["client", "retire-secret", "--env", "dev", "reports"],
    );
    assert!(out.stdout.contains(&first[0]), "{}", out.dump());
    let deletes = stack.proxy.requests_for("DeleteUserPoolClientSecret");
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].json()["ClientSecretId"], json!(first[0]));
    let now = secret_ids(&stack, &id);
    assert_eq!(now.len(), 1);
    assert_ne!(now[0], first[0]);
    let out = stack
        .poolctl()
        .args(["client", "retire-secret", "--env", "dev", "reports"])
        .run();
    assert_eq!(out.status, 1, "the last secret stays: {}", out.dump());

    // A secret added by hand is not spec state: no drift; and --stdout
    // prints the new value alone.
    block_on(
        by_hand(&stack)
            .add_user_pool_client_secret()
            .user_pool_id(pool_id(&stack))
            .client_id(&id)
            .send(),
    )
    .unwrap();
    assert_converged(&stack);
    run_ok(
        &stack,
        &[
            "client",
            "retire-secret",
            "--env",
            "dev",
            "reports",
            "--secret-id",
            &now[0],
        ],
    );
    let out = run_ok(
        &stack,
        &[
            "client",
            "rotate-secret",
            "--env",
            "dev",
            "reports",
            "--stdout",
        ],
    );
    let printed = out.stdout.trim();
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.dump());
    assert!(
        printed.len() >= 24 && !out.stderr.contains(printed),
        "{}",
        out.dump()
    );
    assert_eq!(secret_ids(&stack, &id).len(), 2);
    assert_eq!(client_id(&stack, "reports"), id);
    assert_converged(&stack);

    // In a protected environment, retiring asks for its name: without a
    // terminal, it is refused and nothing is deleted.
    stack.spec(
        "rot.yaml",
        &SECRETS.replace(
            "dev: { region: us-east-1 }",
            "dev: { region: us-east-1, protected: true }",
        ),
    );
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["client", "retire-secret", "--env", "dev", "reports"])
        .run();
    assert_eq!(out.status, 1, "{}", out.dump());
    assert!(
        out.stderr.contains("protected environment `dev`"),
        "{}",
        out.dump()
    );
    assert!(stack
        .proxy
        .requests_for("DeleteUserPoolClientSecret")
        .is_empty());
    assert_eq!(secret_ids(&stack, &id).len(), 2);
}

const TERMS: &str = r#"name: terms-${env}
environments: { dev: { region: us-east-1 } }
clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
    terms:
      terms_of_use:
        links:
          default: https://shop.example.com/terms
          french: https://shop.example.com/fr/terms
      privacy_policy:
        links: { default: https://shop.example.com/privacy }
  mobile:
    explicit_auth_flows: [user_srp, refresh_token]
"#;

fn writes_named(stack: &Stack) -> Vec<String> {
    stack.writes().into_iter().map(|r| r.operation).collect()
}

#[test]
fn terms_documents_apply_converge_drift_and_import() {
    let stack = Stack::new();
    stack.spec("terms.yaml", TERMS);
    let p = plan(&stack);
    let web = fields(change(&p, "client.web"));
    assert!(
        web.contains(&(
            "terms.terms_of_use.links.french".into(),
            Value::Null,
            json!("https://shop.example.com/fr/terms")
        )),
        "{web:?}"
    );
    apply(&stack);
    let web_id = client_id(&stack, "web");
    let created: Vec<Value> = stack
        .proxy
        .requests_for("CreateTerms")
        .iter()
        .map(|r| r.json())
        .collect();
    assert_eq!(created.len(), 2, "{created:?}");
    let tou = created
        .iter()
        .find(|t| t["TermsName"] == "terms-of-use")
        .unwrap();
    assert_eq!(
        tou,
        &json!({
            "UserPoolId": pool_id(&stack),
            "ClientId": web_id,
            "TermsName": "terms-of-use",
            "TermsSource": "LINK",
            "Enforcement": "NONE",
            "Links": {
                "cognito:default": "https://shop.example.com/terms",
                "cognito:french": "https://shop.example.com/fr/terms"
            }
        })
    );
    assert_converged(&stack);

    // By hand: the French link removed, the default moved.
    let pool = pool_id(&stack);
    let hand = by_hand(&stack);
    let listed = block_on(hand.list_terms().user_pool_id(&pool).send()).unwrap();
    let id_of = |name: &str| {
        listed
            .terms()
            .iter()
            .find(|t| t.terms_name() == name)
            .unwrap()
            .terms_id()
            .to_string()
    };
    let (tou_id, pp_id) = (id_of("terms-of-use"), id_of("privacy-policy"));
    block_on(
        hand.update_terms()
            .user_pool_id(&pool)
            .terms_id(&tou_id)
            .terms_name("terms-of-use")
            .terms_source(aws_sdk_cognitoidentityprovider::types::TermsSourceType::Link)
            .enforcement(aws_sdk_cognitoidentityprovider::types::TermsEnforcementType::None)
            .links("cognito:default", "https://elsewhere.example.com/terms")
            .send(),
    )
    .unwrap();
    let p = plan(&stack);
    assert_eq!(actions(&p), [("client.web".into(), "update".into())]);
    assert_eq!(
        fields(change(&p, "client.web")),
        [
            (
                "terms.terms_of_use.links.default".into(),
                json!("https://elsewhere.example.com/terms"),
                json!("https://shop.example.com/terms")
            ),
            (
                "terms.terms_of_use.links.french".into(),
                Value::Null,
                json!("https://shop.example.com/fr/terms")
            ),
        ]
    );
    let human = run_ok(&stack, &["plan", "--env", "dev"]);
    assert!(
        human.stdout.contains("terms.terms_of_use.links.french")
            && human.stdout.contains("https://elsewhere.example.com/terms"),
        "{}",
        human.dump()
    );
    stack.proxy.clear();
    apply(&stack);
    assert_eq!(
        writes_named(&stack),
        ["UpdateTerms"],
        "the client itself is not written"
    );
    let sent = stack.proxy.requests_for("UpdateTerms")[0].json();
    assert_eq!(sent["TermsId"], json!(tou_id));
    assert_eq!(
        sent["Links"]["cognito:french"],
        "https://shop.example.com/fr/terms"
    );
    assert_converged(&stack);

    // One language added to one document: that document alone is sent,
    // whole, and nothing else.
    stack.spec(
        "terms.yaml",
        &TERMS.replace(
            "links: { default: https://shop.example.com/privacy }",
            "links: { default: https://shop.example.com/privacy, german: https://shop.example.com/de/privacy }",
        ),
    );
    stack.proxy.clear();
    apply(&stack);
    assert_eq!(writes_named(&stack), ["UpdateTerms"]);
    let sent = stack.proxy.requests_for("UpdateTerms")[0].json();
    assert_eq!(
        sent,
        json!({
            "UserPoolId": pool,
            "TermsId": pp_id,
            "TermsName": "privacy-policy",
            "TermsSource": "LINK",
            "Enforcement": "NONE",
            "Links": {
                "cognito:default": "https://shop.example.com/privacy",
                "cognito:german": "https://shop.example.com/de/privacy"
            }
        })
    );
    assert_converged(&stack);

    // `false` deletes a document; the client keeps its id.
    stack.spec(
        "terms.yaml",
        &TERMS.replace(
            "      privacy_policy:\n        links: { default: https://shop.example.com/privacy }\n",
            "      privacy_policy: false\n",
        ),
    );
    stack.proxy.clear();
    let out = apply(&stack);
    assert_eq!(writes_named(&stack), ["DeleteTerms"], "{}", out.dump());
    assert_eq!(
        stack.proxy.requests_for("DeleteTerms")[0].json()["TermsId"],
        json!(pp_id)
    );
    assert_eq!(client_id(&stack, "web"), web_id);
    assert_converged(&stack);

    // Imported: the terms of use come back, the deleted policy does not.
    let text = import_round_trip(&stack, "terms.yaml");
    assert!(text.contains("https://shop.example.com/fr/terms"), "{text}");
    assert!(
        !text.contains("privacy_policy") && !text.contains("german"),
        "{text}"
    );

    // A role that may not list terms still imports the pool: the terms are
    // left out (so unmanaged), with a warning.
    stack.proxy.set_fault_rule(fault_on(
        "ListTerms",
        Fault::Respond(
            400,
            vec![("x-amzn-errortype".into(), "AccessDeniedException".into())],
            r#"{"__type":"AccessDeniedException","message":"not allowed: cognito-idp:ListTerms"}"#
                .into(),
        ),
    ));
    let out = run_ok(
        &stack,
        &["import", "--env", "dev", "--out", "-", "--pool-id", &pool],
    );
    stack.proxy.clear_fault_rule();
    assert!(!out.stdout.contains("terms_of_use"), "{}", out.dump());
    assert!(
        out.stderr.contains("terms documents not read"),
        "{}",
        out.dump()
    );

    // A language Cognito does not know is refused offline.
    stack.spec("terms.yaml", &TERMS.replace("french:", "klingon:"));
    let out = stack.poolctl().args(["validate"]).run();
    assert_eq!(out.status, 1, "{}", out.dump());
    assert!(
        out.stderr
            .contains("clients.web.terms.terms_of_use.links.klingon"),
        "{}",
        out.dump()
    );
}
