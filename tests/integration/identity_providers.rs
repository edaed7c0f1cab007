//! Identity providers end to end: the binary against moto through the
//! AWS-faithful proxy, which adds the read-only ProviderDetails AWS adds (and
//! hides Apple's private key) so what AWS adds can be shown not to be drift.

use crate::support::*;
use serde_json::{json, Value};

/// The issue's example providers, in a pool of their own.
const SPEC: &str = r#"name: idp-${env}
environments: { dev: { region: us-east-1 } }
identity_providers:
  Google:
    type: google
    client_id: 1234567890-abc.apps.googleusercontent.com
    client_secret: ${env:GOOGLE_CLIENT_SECRET}
    authorize_scopes: [openid, email, profile]
    attribute_mapping: { email: email, name: name, picture: picture }
  Corp:
    type: saml
    metadata_url: https://login.example.com/federationmetadata.xml
    attribute_mapping:
      email: http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress
    idp_identifiers: [example.com]
"#;

/// Every other type, added to `SPEC`.
const MORE: &str = r#"  Facebook:
    type: facebook
    client_id: '1234567890'
    client_secret: ${env:FACEBOOK_APP_SECRET}
    authorize_scopes: [public_profile, email]
    api_version: v17.0
  LoginWithAmazon:
    type: amazon
    client_id: amzn1.application-oa2-client.1example
    client_secret: ${env:AMAZON_CLIENT_SECRET}
    authorize_scopes: [profile]
  SignInWithApple:
    type: apple
    client_id: com.example.shop
    team_id: TEAM123456
    key_id: KEY1234567
    private_key: ${env:APPLE_PRIVATE_KEY}
    authorize_scopes: [email, name]
  Okta:
    type: oidc
    client_id: okta-client
    client_secret: ${env:OKTA_CLIENT_SECRET}
    issuer: https://example.okta.com
    attributes_request_method: get
    authorize_scopes: [openid, email]
  Partner:
    type: saml
    metadata_file: partner-metadata.xml
    idp_signout: true
"#;

const PARTNER_METADATA: &str = r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://partner.example.com/saml"/>
"#;

const GOOGLE_SECRET: &str = "google-secret-1";

/// The secrets' environment variables, for every poolctl run.
fn vars() -> Vec<(&'static str, String)> {
    vec![
        ("GOOGLE_CLIENT_SECRET", GOOGLE_SECRET.into()),
        ("FACEBOOK_APP_SECRET", "facebook-secret-1".into()),
        ("AMAZON_CLIENT_SECRET", "amazon-secret-1".into()),
        (
            "APPLE_PRIVATE_KEY",
            "-----BEGIN PRIVATE KEY-----\nMIGTAgEAapple\n-----END PRIVATE KEY-----".into(),
        ),
        ("OKTA_CLIENT_SECRET", "okta-secret-1".into()),
    ]
}

fn poolctl_with(stack: &Stack, vars: &[(&str, String)]) -> Poolctl {
    let mut cmd = stack.poolctl();
    for (name, value) in vars {
        cmd = cmd.env(name, value);
    }
    cmd
}

fn run(stack: &Stack, args: &[&str]) -> Output {
    poolctl_with(stack, &vars()).args(args).run()
}

fn plan(stack: &Stack, extra: &[&str]) -> Value {
    let mut args = vec!["plan", "--env", "dev", "--json"];
    args.extend(extra);
    let out = run(stack, &args);
    out.assert_success();
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("plan --json is not JSON ({e}):\n{}", out.dump()))
}

fn apply(stack: &Stack, extra: &[&str]) -> Output {
    let mut args = vec!["apply", "--env", "dev", "--auto-approve"];
    args.extend(extra);
    let out = run(stack, &args);
    out.assert_success();
    out
}

/// `(path, before, after, sensitive)` of each field of one change.
fn fields(plan: &Value, address: &str) -> Vec<(String, Value, Value, bool)> {
    let change = plan["pools"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no change for {address} in {plan:#}"));
    change["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["before"].clone(),
                f["after"].clone(),
                f["sensitive"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn assert_converged(stack: &Stack) {
    let out = run(stack, &["plan", "--env", "dev", "--detailed-exitcode"]);
    assert_eq!(out.status, 0, "expected no changes:\n{}", out.dump());
}

/// What moto holds for a provider (without the proxy's additions).
fn live_details(
    stack: &Stack,
    name: &str,
) -> aws_sdk_cognitoidentityprovider::types::IdentityProviderType {
    block_on(
        stack
            .cognito()
            .describe_identity_provider()
            .user_pool_id(pool_id(stack))
            .provider_name(name)
            .send(),
    )
    .unwrap()
    .identity_provider
    .unwrap()
}

/// The ProviderDetails keys of the last request of `operation` for `name`.
fn sent(stack: &Stack, operation: &str, name: &str) -> Value {
    stack
        .proxy
        .requests_for(operation)
        .iter()
        .map(|r| r.json())
        .rfind(|body| body["ProviderName"] == name)
        .unwrap_or_else(|| panic!("no {operation} for {name}"))
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

fn with_more(stack: &Stack) {
    stack.spec("idp.yaml", &format!("{SPEC}{MORE}"));
    std::fs::write(
        stack.path().join("pools/partner-metadata.xml"),
        PARTNER_METADATA,
    )
    .unwrap();
}

#[test]
fn every_type_is_created_from_nothing_and_what_aws_adds_is_not_drift() {
    let stack = Stack::new();
    with_more(&stack);

    let out = run(&stack, &["validate"]);
    out.assert_success();
    assert!(!out.stderr.contains("warning"), "{}", out.dump());

    let p = plan(&stack, &[]);
    let mut expected = vec![("user_pool".to_string(), "create".to_string())];
    for name in [
        "Corp",
        "Facebook",
        "Google",
        "LoginWithAmazon",
        "Okta",
        "Partner",
        "SignInWithApple",
    ] {
        expected.push((format!("identity_provider.{name}"), "create".into()));
    }
    assert_eq!(actions(&p), expected);
    let google = fields(&p, "identity_provider.Google");
    assert!(
        google.contains(&("client_secret".into(), Value::Null, Value::Null, true)),
        "{google:?}"
    );

    let out = apply(&stack, &[]);
    assert!(
        out.stdout.contains("create identity_provider.Google"),
        "{}",
        out.dump()
    );
    // The pool first, then the providers (in one concurrent phase).
    let ops = stack.proxy.operations();
    let pool_at = ops.iter().position(|o| o == "CreateUserPool").unwrap();
    let first_idp = ops
        .iter()
        .position(|o| o == "CreateIdentityProvider")
        .unwrap();
    assert!(pool_at < first_idp, "{ops:?}");
    assert_eq!(stack.proxy.requests_for("CreateIdentityProvider").len(), 7);

    // Each type's details in AWS's spelling, and nothing else.
    let google = sent(&stack, "CreateIdentityProvider", "Google");
    assert_eq!(google["ProviderType"], "Google");
    assert_eq!(
        google["ProviderDetails"],
        json!({
            "authorize_scopes": "email openid profile",
            "client_id": "1234567890-abc.apps.googleusercontent.com",
            "client_secret": GOOGLE_SECRET,
        })
    );
    assert_eq!(
        google["AttributeMapping"],
        json!({"email": "email", "name": "name", "picture": "picture"})
    );
    let facebook = sent(&stack, "CreateIdentityProvider", "Facebook");
    assert_eq!(
        facebook["ProviderDetails"]["authorize_scopes"],
        "email,public_profile"
    );
    assert_eq!(facebook["ProviderDetails"]["api_version"], "v17.0");
    let apple = sent(&stack, "CreateIdentityProvider", "SignInWithApple");
    assert_eq!(apple["ProviderType"], "SignInWithApple");
    assert_eq!(
        keys(&apple["ProviderDetails"]),
        [
            "authorize_scopes",
            "client_id",
            "key_id",
            "private_key",
            "team_id"
        ]
    );
    assert_eq!(
        sent(&stack, "CreateIdentityProvider", "LoginWithAmazon")["ProviderType"],
        "LoginWithAmazon"
    );
    let okta = sent(&stack, "CreateIdentityProvider", "Okta");
    assert_eq!(
        okta["ProviderDetails"],
        json!({
            "attributes_request_method": "GET",
            "authorize_scopes": "email openid",
            "client_id": "okta-client",
            "client_secret": "okta-secret-1",
            "oidc_issuer": "https://example.okta.com",
        })
    );
    let corp = sent(&stack, "CreateIdentityProvider", "Corp");
    assert_eq!(
        corp["ProviderDetails"],
        json!({"MetadataURL": "https://login.example.com/federationmetadata.xml"})
    );
    assert_eq!(corp["IdpIdentifiers"], json!(["example.com"]));
    let partner = sent(&stack, "CreateIdentityProvider", "Partner");
    assert_eq!(
        partner["ProviderDetails"],
        json!({"MetadataFile": PARTNER_METADATA, "IDPSignout": "true"})
    );

    // moto holds what was sent; the proxy answers as AWS would, with its
    // read-only keys (and without Apple's key). None of it is drift.
    assert_eq!(
        live_details(&stack, "Google").provider_details().unwrap()["client_secret"],
        GOOGLE_SECRET
    );
    assert_converged(&stack);
    let described = stack.proxy.requests_for("DescribeIdentityProvider");
    assert_eq!(
        described.len(),
        7,
        "each declared provider is described once"
    );
}

#[test]
fn one_changed_field_shows_exactly_and_the_whole_provider_is_sent() {
    let stack = Stack::new();
    stack.spec("idp.yaml", SPEC);
    apply(&stack, &[]);
    assert_converged(&stack);

    stack.spec(
        "idp.yaml",
        &SPEC.replace(
            "authorize_scopes: [openid, email, profile]",
            "authorize_scopes: [openid, email]",
        ),
    );
    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [("identity_provider.Google".into(), "update".into())]
    );
    assert_eq!(
        fields(&p, "identity_provider.Google"),
        [(
            "authorize_scopes".into(),
            json!(["email", "openid", "profile"]),
            json!(["email", "openid"]),
            false
        )]
    );
    stack.proxy.clear();
    apply(&stack, &[]);
    assert_eq!(
        stack
            .writes()
            .iter()
            .map(|r| r.operation.as_str())
            .collect::<Vec<_>>(),
        ["UpdateIdentityProvider"]
    );
    let update = sent(&stack, "UpdateIdentityProvider", "Google");
    // The secret is sent back (an update without it would drop it); AWS's
    // read-only keys, which the proxy reported, are not.
    assert_eq!(
        update["ProviderDetails"],
        json!({
            "authorize_scopes": "email openid",
            "client_id": "1234567890-abc.apps.googleusercontent.com",
            "client_secret": GOOGLE_SECRET,
        })
    );
    assert_eq!(
        update["AttributeMapping"],
        json!({"email": "email", "name": "name", "picture": "picture"})
    );
    assert_converged(&stack);

    // A SAML switch: the fetched metadata and binding URIs AWS reports are
    // not sent back, the URL is.
    stack.spec(
        "idp.yaml",
        &SPEC.replace(
            "    idp_identifiers: [example.com]\n",
            "    idp_identifiers: [example.com]\n    idp_signout: true\n",
        ),
    );
    let p = plan(&stack, &[]);
    assert_eq!(
        fields(&p, "identity_provider.Corp"),
        [("idp_signout".into(), json!(false), json!(true), false)]
    );
    apply(&stack, &[]);
    let update = sent(&stack, "UpdateIdentityProvider", "Corp");
    assert_eq!(
        update["ProviderDetails"],
        json!({
            "IDPSignout": "true",
            "MetadataURL": "https://login.example.com/federationmetadata.xml",
        })
    );
    assert_eq!(update["IdpIdentifiers"], json!(["example.com"]));
    assert_converged(&stack);
}

#[test]
fn out_of_band_edits_show_as_drift_and_converge() {
    let stack = Stack::new();
    stack.spec("idp.yaml", SPEC);
    apply(&stack, &[]);

    let hand_set_secret = "changed-by-hand-0d9e";
    block_on(
        stack
            .cognito()
            .update_identity_provider()
            .user_pool_id(pool_id(&stack))
            .provider_name("Google")
            .provider_details("client_id", "1234567890-abc.apps.googleusercontent.com")
            .provider_details("client_secret", hand_set_secret)
            .provider_details("authorize_scopes", "openid")
            .attribute_mapping("email", "email")
            .attribute_mapping("name", "name")
            .attribute_mapping("picture", "picture")
            .attribute_mapping("locale", "locale")
            .attribute_mapping("username", "sub")
            .send(),
    )
    .unwrap();

    let p = plan(&stack, &[]);
    assert_eq!(
        fields(&p, "identity_provider.Google"),
        [
            ("client_secret".into(), Value::Null, Value::Null, true),
            (
                "authorize_scopes".into(),
                json!(["openid"]),
                json!(["email", "openid", "profile"]),
                false
            ),
            (
                "attribute_mapping.locale".into(),
                json!("locale"),
                Value::Null,
                false
            ),
        ]
    );
    let out = run(&stack, &["plan", "--env", "dev"]);
    assert!(
        out.stdout
            .contains("~ client_secret: (sensitive value changed)"),
        "{}",
        out.dump()
    );
    assert!(
        out.stdout
            .contains("- attribute_mapping.locale: \"locale\" -> (removed)"),
        "{}",
        out.dump()
    );
    assert!(!out.stdout.contains(hand_set_secret), "{}", out.dump());

    stack.proxy.clear();
    apply(&stack, &[]);
    // The whole declared mapping, plus the `username` mapping AWS keeps,
    // which the spec does not manage.
    assert_eq!(
        sent(&stack, "UpdateIdentityProvider", "Google")["AttributeMapping"],
        json!({"email": "email", "name": "name", "picture": "picture", "username": "sub"})
    );
    let google = live_details(&stack, "Google");
    assert_eq!(
        google.provider_details().unwrap()["client_secret"],
        GOOGLE_SECRET
    );
    assert!(!google.attribute_mapping().unwrap().contains_key("locale"));
    assert_converged(&stack);
}

#[test]
fn a_provider_made_by_hand_is_unmanaged_until_pruned() {
    let stack = Stack::new();
    stack.spec("idp.yaml", SPEC);
    apply(&stack, &[]);
    block_on(
        stack
            .cognito()
            .create_identity_provider()
            .user_pool_id(pool_id(&stack))
            .provider_name("ByHand")
            .provider_type(aws_sdk_cognitoidentityprovider::types::IdentityProviderTypeType::Oidc)
            .provider_details("client_id", "x")
            .provider_details("client_secret", "by-hand-secret")
            .provider_details("oidc_issuer", "https://byhand.example.com")
            .provider_details("attributes_request_method", "GET")
            .provider_details("authorize_scopes", "openid")
            .send(),
    )
    .unwrap();

    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [("identity_provider.ByHand".into(), "unmanaged".into())]
    );
    stack.proxy.clear();
    let out = apply(&stack, &[]);
    assert!(
        out.stdout
            .contains("? identity_provider.ByHand exists but is not in the spec"),
        "{}",
        out.dump()
    );
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
    assert!(
        !stack
            .proxy
            .requests_for("DescribeIdentityProvider")
            .iter()
            .any(|r| r.json()["ProviderName"] == "ByHand"),
        "an undeclared provider is listed, never described"
    );

    let p = plan(&stack, &["--prune"]);
    assert_eq!(
        actions(&p),
        [("identity_provider.ByHand".into(), "delete".into())]
    );
    let out = apply(&stack, &["--prune"]);
    assert!(
        out.stdout.contains("delete identity_provider.ByHand"),
        "{}",
        out.dump()
    );
    assert_eq!(
        stack.proxy.requests_for("DeleteIdentityProvider")[0].json()["ProviderName"],
        "ByHand"
    );
    assert_converged(&stack);

    // A spec without `identity_providers` never reads or prunes them.
    stack.spec(
        "idp.yaml",
        "name: idp-${env}\nenvironments: { dev: { region: us-east-1 } }\n",
    );
    stack.proxy.clear();
    let p = plan(&stack, &["--prune"]);
    assert!(actions(&p).is_empty(), "{p}");
    assert!(stack.proxy.requests_for("ListIdentityProviders").is_empty());
}

#[test]
fn a_type_change_is_a_replacement_that_needs_allow_replace() {
    let stack = Stack::new();
    stack.spec("idp.yaml", SPEC);
    apply(&stack, &[]);

    let oidc = SPEC.replace(
        "    type: saml\n    metadata_url: https://login.example.com/federationmetadata.xml\n",
        "    type: oidc\n    client_id: corp\n    client_secret: ${env:GOOGLE_CLIENT_SECRET}\n    oidc_issuer: https://login.example.com\n    attributes_request_method: post\n    authorize_scopes: [openid]\n",
    );
    stack.spec("idp.yaml", &oidc);
    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [("identity_provider.Corp".into(), "replace".into())]
    );
    let reasons = p["pools"][0]["changes"][0]["reasons"].to_string();
    assert!(reasons.contains("type is fixed"), "{reasons}");

    stack.proxy.clear();
    let out = run(&stack, &["apply", "--env", "dev", "--auto-approve"]);
    out.assert_exit(1);
    assert!(out.stderr.contains("--allow-replace"), "{}", out.dump());
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    apply(&stack, &["--allow-replace"]);
    let writes: Vec<String> = stack.writes().iter().map(|r| r.operation.clone()).collect();
    assert_eq!(writes, ["DeleteIdentityProvider", "CreateIdentityProvider"]);
    let corp = live_details(&stack, "Corp");
    assert_eq!(corp.provider_type().unwrap().as_str(), "OIDC");
    assert_converged(&stack);
}

#[test]
fn literal_secrets_warn_and_a_missing_metadata_file_is_a_located_error() {
    let stack = Stack::new();
    stack.spec(
        "idp.yaml",
        &SPEC.replace("${env:GOOGLE_CLIENT_SECRET}", "literal-in-the-file-5c2b"),
    );
    let out = run(&stack, &["validate"]);
    out.assert_success();
    assert!(
        out.stderr
            .contains("identity_providers.Google.client_secret")
            && out
                .stderr
                .contains("a secret is written into the spec file"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("pools/idp.yaml:7:"),
        "the warning points at the line: {}",
        out.dump()
    );
    assert!(
        !out.stderr.contains("literal-in-the-file"),
        "{}",
        out.dump()
    );
    assert!(
        !out.stdout.contains("literal-in-the-file"),
        "{}",
        out.dump()
    );

    stack.spec(
        "idp.yaml",
        &SPEC.replace(
            "metadata_url: https://login.example.com/federationmetadata.xml",
            "metadata_file: missing.xml",
        ),
    );
    let out = run(&stack, &["validate"]);
    out.assert_exit(1);
    assert!(
        out.stderr.contains("pools/idp.yaml:12:5: identity_providers.Corp.metadata_file: cannot use `pools/missing.xml` as SAML metadata"),
        "{}",
        out.dump()
    );
    assert!(stack.proxy.requests().is_empty());
}

/// Distinctive secrets: none may appear in anything poolctl prints, at any
/// verbosity, on success or failure.
#[test]
fn planted_secrets_never_appear_in_any_output() {
    const MARK: &str = "PLANTED";
    let planted = |round: u32| -> Vec<(&'static str, String)> {
        vec![
            ("GOOGLE_CLIENT_SECRET", format!("gcs-{MARK}-{round}-7f3a9c")),
            ("FACEBOOK_APP_SECRET", format!("fb-{MARK}-{round}-11aa")),
            ("AMAZON_CLIENT_SECRET", format!("amzn-{MARK}-{round}-22bb")),
            (
                "APPLE_PRIVATE_KEY",
                format!("-----BEGIN PRIVATE KEY-----\nMIGT{MARK}{round}KEY0b5e\n-----END PRIVATE KEY-----"),
            ),
            ("OKTA_CLIENT_SECRET", format!("okta-{MARK}-{round}-33cc")),
            // The AWS credentials themselves are never logged either.
            ("AWS_SECRET_ACCESS_KEY", format!("aws-{MARK}-{round}-44dd")),
        ]
    };
    let stack = Stack::new();
    with_more(&stack);
    let mut outputs: Vec<Output> = Vec::new();
    let mut go = |round: u32, args: &[&str]| -> Output {
        let out = poolctl_with(&stack, &planted(round)).args(args).run();
        outputs.push(out.clone());
        out
    };

    go(1, &["validate"]).assert_success();
    go(1, &["plan", "--env", "dev"]).assert_exit(0);
    go(1, &["plan", "--env", "dev", "--json"]).assert_success();
    go(1, &["apply", "--env", "dev", "--auto-approve"]).assert_success();
    // Rotated secrets: a plan and an apply with every log AWS's SDK and
    // poolctl write.
    let verbose = go(2, &["plan", "--env", "dev", "-vvv"]);
    verbose.assert_success();
    assert!(
        verbose.stdout.contains("(sensitive value changed)"),
        "{}",
        verbose.dump()
    );
    assert!(
        verbose.stderr.contains("DescribeIdentityProvider"),
        "-vvv logs the SDK's calls: {}",
        verbose.dump()
    );
    go(2, &["plan", "--env", "dev", "--json", "-vvv"]).assert_success();
    // A saved plan, the file itself, drawn by show, and the drift report.
    let saved = stack.path().join("dev.plan.json");
    go(
        2,
        &[
            "plan",
            "--env",
            "dev",
            "-vvv",
            "--out",
            saved.to_str().unwrap(),
        ],
    )
    .assert_success();
    go(2, &["show", saved.to_str().unwrap()]).assert_success();
    go(2, &["show", "--json", saved.to_str().unwrap()]).assert_success();
    go(2, &["drift", "--json", "-vvv"]).assert_exit(2);
    go(2, &["apply", "--env", "dev", "--auto-approve", "-vvv"]).assert_success();
    // Failures: AWS refusing the update, and a broken spec.
    // A service that echoes the secret it was sent in its error.
    stack
        .proxy
        .set_fault_rule(std::sync::Arc::new(|req: &RecordedRequest, _| {
            if req.operation != "UpdateIdentityProvider" {
                return None;
            }
            let details = &req.json()["ProviderDetails"];
            let echoed = details["client_secret"]
                .as_str()
                .or(details["private_key"].as_str())
                .unwrap_or("none")
                .replace('\n', " ");
            Some(Fault::Status(
                400,
                json!({"__type": "InvalidParameterException", "message": format!("Invalid secret {echoed}")})
                    .to_string(),
            ))
        }));
    let failed = go(3, &["apply", "--env", "dev", "--auto-approve", "-vvv"]);
    failed.assert_exit(1);
    assert!(
        failed
            .stderr
            .contains("InvalidParameterException: Invalid secret (sensitive)"),
        "{}",
        failed.dump()
    );
    stack.proxy.clear_fault_rule();
    stack.spec(
        "idp.yaml",
        &format!("{SPEC}{MORE}").replace("api_version: v17.0", "api_version: seventeen"),
    );
    go(3, &["validate", "-vvv"]).assert_exit(1);
    go(3, &["plan", "--env", "dev", "-vvv"]).assert_exit(1);

    let file = std::fs::read_to_string(&saved).unwrap();
    assert!(
        !file.contains(MARK),
        "the saved plan holds a secret:\n{file}"
    );
    for out in &outputs {
        for (name, value) in planted(1).into_iter().chain(planted(2)).chain(planted(3)) {
            for text in [&out.stdout, &out.stderr] {
                assert!(
                    !text.contains(&value),
                    "`{}` printed the value of {name}:\n{}",
                    out.command,
                    out.dump()
                );
            }
        }
        assert!(
            !out.stdout.contains(MARK) && !out.stderr.contains(MARK),
            "`{}` printed part of a secret:\n{}",
            out.command,
            out.dump()
        );
    }
    // The values were real: AWS got them.
    let created = sent(&stack, "CreateIdentityProvider", "SignInWithApple");
    assert!(created["ProviderDetails"]["private_key"]
        .as_str()
        .unwrap()
        .contains(&format!("MIGT{MARK}1KEY0b5e")));
    let rotated = sent(&stack, "UpdateIdentityProvider", "Google");
    assert_eq!(
        rotated["ProviderDetails"]["client_secret"],
        format!("gcs-{MARK}-3-7f3a9c"),
        "the failed update carried round 3's secret"
    );
}

/// An update sends the live client secret back when the spec does not
/// declare one; an error that echoes it must not print it either.
#[test]
fn an_error_echoing_the_live_secret_an_update_sends_back_is_scrubbed() {
    const LIVE_SECRET: &str = "live-only-secret-8e41c";
    const OKTA: &str = r#"name: idp-${env}
environments: { dev: { region: us-east-1 } }
identity_providers:
  Okta:
    type: oidc
    client_id: okta-client
    client_secret: ${env:OKTA_CLIENT_SECRET}
    issuer: https://example.okta.com
    attributes_request_method: get
    authorize_scopes: [openid]
"#;
    let stack = Stack::new();
    stack.spec("idp.yaml", OKTA);
    poolctl_with(&stack, &[("OKTA_CLIENT_SECRET", LIVE_SECRET.into())])
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();
    stack.spec(
        "idp.yaml",
        &OKTA
            .replace("    client_secret: ${env:OKTA_CLIENT_SECRET}\n", "")
            .replace("[openid]", "[openid, email]"),
    );
    stack.proxy.clear();
    stack.proxy.set_fault_rule(std::sync::Arc::new(|req: &RecordedRequest, _| {
        let echoed = req.json()["ProviderDetails"]["client_secret"]
            .as_str()
            .map(str::to_string)?;
        (req.operation == "UpdateIdentityProvider").then(|| {
            Fault::Status(
                400,
                json!({"__type": "InvalidParameterException", "message": format!("Invalid secret {echoed}")})
                    .to_string(),
            )
        })
    }));
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve", "-vvv"])
        .run();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("InvalidParameterException: Invalid secret (sensitive)"),
        "{}",
        out.dump()
    );
    assert!(
        !out.stdout.contains(LIVE_SECRET) && !out.stderr.contains(LIVE_SECRET),
        "{}",
        out.dump()
    );
    // The update did carry the live secret back.
    assert_eq!(
        sent(&stack, "UpdateIdentityProvider", "Okta")["ProviderDetails"]["client_secret"],
        LIVE_SECRET
    );
}
