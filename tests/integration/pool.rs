//! The user pool's own settings end to end: the binary against moto through
//! an AWS-faithful recording proxy.

use crate::support::*;
use serde_json::{json, Value};

/// The core issue's example, exactly as written there.
const SHOP: &str = include_str!("../corpus/examples/core.yaml");

fn plan_json(stack: &Stack, env: &str) -> Value {
    let out = stack.poolctl().args(["plan", "--env", env, "--json"]).run();
    out.assert_success();
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("plan --json is not JSON ({e}):\n{}", out.dump()))
}

/// `(address, path, before, after)` of every field change in a JSON plan.
fn field_changes(plan: &Value) -> Vec<(String, String, Value, Value)> {
    let mut out = Vec::new();
    for pool in plan["pools"].as_array().unwrap() {
        for change in pool["changes"].as_array().unwrap() {
            for field in change["fields"].as_array().unwrap() {
                out.push((
                    change["address"].as_str().unwrap().to_string(),
                    field["path"].as_str().unwrap().to_string(),
                    field["before"].clone(),
                    field["after"].clone(),
                ));
            }
        }
    }
    out
}

fn apply(stack: &Stack, env: &str) -> Output {
    let out = stack
        .poolctl()
        .args(["apply", "--env", env, "--auto-approve"])
        .run();
    out.assert_success();
    out
}

fn assert_no_changes(stack: &Stack, env: &str) {
    let out = stack
        .poolctl()
        .args(["plan", "--env", env, "--detailed-exitcode"])
        .run();
    assert_eq!(out.status, 0, "expected no changes:\n{}", out.dump());
    assert!(out.stdout.contains("No changes"), "{}", out.dump());
}

fn pool_id(stack: &Stack, name: &str) -> String {
    let pools = block_on(stack.cognito().list_user_pools().max_results(60).send()).unwrap();
    pools
        .user_pools()
        .iter()
        .find(|p| p.name() == Some(name))
        .and_then(|p| p.id())
        .unwrap_or_else(|| panic!("no live pool named {name}"))
        .to_string()
}

fn describe(stack: &Stack, id: &str) -> aws_sdk_cognitoidentityprovider::types::UserPoolType {
    block_on(stack.cognito().describe_user_pool().user_pool_id(id).send())
        .unwrap()
        .user_pool
        .unwrap()
}

#[test]
fn creates_the_example_from_nothing_and_replans_empty() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);

    let plan = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    assert_eq!(plan.status, 2, "{}", plan.dump());
    assert!(
        plan.stdout.contains("+ user_pool will be created"),
        "{}",
        plan.dump()
    );
    assert!(
        plan.stdout
            .contains("Plan: 1 to create, 0 to update, 0 blocked; 2 warnings."),
        "{}",
        plan.dump()
    );
    assert!(
        stack.writes().is_empty(),
        "plan must not write: {:?}",
        stack.writes()
    );

    let out = apply(&stack, "dev");
    assert!(
        out.stdout.contains("create user pool shop-dev"),
        "{}",
        out.dump()
    );
    assert_eq!(stack.proxy.requests_for("CreateUserPool").len(), 1);
    assert_no_changes(&stack, "dev");

    let pool = describe(&stack, &pool_id(&stack, "shop-dev"));
    let policy = pool.policies().unwrap().password_policy().unwrap();
    assert_eq!(policy.minimum_length(), Some(12));
    assert_eq!(policy.password_history_size(), Some(5));
    assert!(!policy.require_symbols());
    let tags = pool.user_pool_tags().unwrap();
    assert_eq!(tags.get("team").map(String::as_str), Some("payments"));
    let names: Vec<_> = pool
        .schema_attributes()
        .iter()
        .filter_map(|a| a.name())
        .collect();
    assert!(
        names.contains(&"custom:tenant_id") && names.contains(&"custom:plan"),
        "{names:?}"
    );
    let mfa = block_on(
        stack
            .cognito()
            .get_user_pool_mfa_config()
            .user_pool_id(pool.id().unwrap())
            .send(),
    )
    .unwrap();
    assert_eq!(
        mfa.mfa_configuration().map(|m| m.as_str()),
        Some("OPTIONAL")
    );
    assert!(mfa.software_token_mfa_configuration().unwrap().enabled());

    // The other environments are separate pools; staging plans a create.
    let staging = plan_json(&stack, "staging");
    assert_eq!(staging["pools"][0]["changes"][0]["action"], "create");
}

#[test]
fn each_field_updates_in_place_and_converges() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    apply(&stack, "dev");

    // (edit to the example, the field path the plan must show and only it)
    let cases: &[(&str, &str, &str)] = &[
        ("minimum_length: 12", "minimum_length: 16", "password_policy.minimum_length"),
        ("require_symbols: false", "require_symbols: true", "password_policy.require_symbols"),
        ("temporary_password_validity_days: 7", "temporary_password_validity_days: 3", "password_policy.temporary_password_validity_days"),
        ("password_history_size: 5", "password_history_size: 10", "password_policy.password_history_size"),
        ("require_uppercase: true", "require_uppercase: false", "password_policy.require_uppercase"),
        ("mode: optional          # off | optional | required (on: alias of required)\n  totp: true", "mode: off\n  totp: false", "mfa"),
        ("account_recovery: [verified_email]", "account_recovery: [admin_only]", "account_recovery"),
        ("allow_admin_create_user_only: true", "allow_admin_create_user_only: false", "admin_create_user_config.allow_admin_create_user_only"),
        ("deletion_protection: inactive", "deletion_protection: active", "deletion_protection"),
        ("tier: essentials", "tier: plus", "tier"),
        ("team: payments", "team: checkout", "tags.team"),
        ("name: shop-${env}\n", "name: shop-${env}\ndevice_configuration: { challenge_required_on_new_device: true }\n", "device_configuration.challenge_required_on_new_device"),
        ("name: shop-${env}\n", "name: shop-${env}\nverification_message_template: { email_subject: Hello, email_message: 'Code {####}' }\n", "verification_message_template"),
        ("name: shop-${env}\n", "name: shop-${env}\nemail_configuration: { email_sending_account: developer, source_arn: 'arn:aws:ses:us-east-1:123456789012:identity/shop.example.com', from: 'Shop <no-reply@shop.example.com>' }\n", "email_configuration"),
        ("name: shop-${env}\n", "name: shop-${env}\nsms_configuration: { sns_caller_arn: 'arn:aws:iam::123456789012:role/shop-sms', external_id: shop }\n", "sms_configuration"),
        ("auto_verified_attributes: [email]", "auto_verified_attributes: [email, phone_number]", "auto_verified_attributes"),
        ("name: shop-${env}\n", "name: shop-${env}\nuser_attribute_update_settings: { attributes_require_verification_before_update: [email] }\n", "user_attribute_update_settings"),
        ("  custom:plan: { type: string, mutable: true }", "  custom:plan: { type: string, mutable: true }\n  custom:seats: { type: number, mutable: true, min_value: 1, max_value: 500 }", "schema.custom:seats"),
        ("tier: plus", "tier: plus\nuser_pool_add_ons: { advanced_security_mode: audit }", "user_pool_add_ons.advanced_security_mode"),
    ];
    let mut spec = SHOP.to_string();
    for (from, to, path) in cases {
        assert!(
            spec.contains(from),
            "case {path}: `{from}` not in the spec:\n{spec}"
        );
        spec = spec.replacen(from, to, 1);
        stack.spec("shop.yaml", &spec);
        let plan = plan_json(&stack, "dev");
        let changes = field_changes(&plan);
        assert!(!changes.is_empty(), "case {path}: no change planned");
        for (address, field, _, _) in &changes {
            assert_eq!(address, "user_pool", "case {path}");
            let wanted = field.starts_with(path) || (*path == "tier" && field == "tier");
            assert!(
                wanted,
                "case {path}: unexpected change of {field}: {changes:?}"
            );
        }
        apply(&stack, "dev");
        assert_no_changes(&stack, "dev");
    }
}

#[test]
fn update_sends_the_whole_live_configuration() {
    let stack = Stack::new();
    let spec = "name: keep-${env}\nenvironments: { dev: { region: us-east-1 } }\npassword_policy: { minimum_length: 10 }\ntags: { team: a }\n";
    stack.spec("keep.yaml", spec);
    apply(&stack, "dev");
    let id = pool_id(&stack, "keep-dev");

    // Set, behind poolctl's back, settings the spec never mentions.
    let cognito = stack.cognito();
    use aws_sdk_cognitoidentityprovider::types::*;
    let live = describe(&stack, &id);
    block_on(
        cognito
            .update_user_pool()
            .user_pool_id(&id)
            .set_policies(live.policies.clone())
            .lambda_config(
                LambdaConfigType::builder()
                    .pre_sign_up("arn:aws:lambda:us-east-1:123456789012:function:pre")
                    .build(),
            )
            .email_configuration(
                EmailConfigurationType::builder()
                    .email_sending_account(EmailSendingAccountType::Developer)
                    .source_arn("arn:aws:ses:us-east-1:123456789012:identity/x.example.com")
                    .build(),
            )
            .sms_configuration(
                SmsConfigurationType::builder()
                    .sns_caller_arn("arn:aws:iam::123456789012:role/sms")
                    .external_id("ext")
                    .build(),
            )
            .verification_message_template(
                VerificationMessageTemplateType::builder()
                    .email_subject("Out of band")
                    .email_message("Code {####}")
                    .build(),
            )
            .user_pool_tags("team", "a")
            .user_pool_tags("set-by", "someone-else")
            .send(),
    )
    .unwrap();
    assert_no_changes(&stack, "dev");

    stack.spec(
        "keep.yaml",
        &spec.replace("minimum_length: 10", "minimum_length: 11"),
    );
    stack.proxy.clear();
    apply(&stack, "dev");

    let updates = stack.proxy.requests_for("UpdateUserPool");
    assert_eq!(updates.len(), 1, "{:?}", stack.proxy.operations());
    let sent = updates[0].json();
    assert_eq!(
        sent["Policies"]["PasswordPolicy"]["MinimumLength"],
        json!(11)
    );
    assert_eq!(
        sent["LambdaConfig"]["PreSignUp"],
        json!("arn:aws:lambda:us-east-1:123456789012:function:pre")
    );
    assert_eq!(
        sent["EmailConfiguration"]["EmailSendingAccount"],
        json!("DEVELOPER")
    );
    assert_eq!(sent["SmsConfiguration"]["ExternalId"], json!("ext"));
    assert_eq!(
        sent["VerificationMessageTemplate"]["EmailSubject"],
        json!("Out of band")
    );
    assert_eq!(sent["UserPoolTags"]["set-by"], json!("someone-else"));
    assert!(
        sent.get("UsernameAttributes").is_none(),
        "UpdateUserPool cannot take sign-in attributes"
    );

    let pool = describe(&stack, &id);
    assert_eq!(
        pool.policies()
            .unwrap()
            .password_policy()
            .unwrap()
            .minimum_length(),
        Some(11)
    );
    assert_eq!(
        pool.lambda_config().and_then(|l| l.pre_sign_up()),
        Some("arn:aws:lambda:us-east-1:123456789012:function:pre")
    );
    assert_eq!(
        pool.sms_configuration().and_then(|s| s.external_id()),
        Some("ext")
    );
    assert_eq!(
        pool.email_configuration().and_then(|e| e.source_arn()),
        Some("arn:aws:ses:us-east-1:123456789012:identity/x.example.com")
    );
    assert_eq!(
        pool.user_pool_tags()
            .unwrap()
            .get("set-by")
            .map(String::as_str),
        Some("someone-else")
    );
    assert_no_changes(&stack, "dev");
}

#[test]
fn drift_made_out_of_band_is_reported() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    apply(&stack, "dev");
    let id = pool_id(&stack, "shop-dev");
    let live = describe(&stack, &id);

    // Someone lowers the minimum length by hand, and changes a setting the
    // spec does not manage.
    let mut policies = live.policies.clone().unwrap();
    let mut password = policies.password_policy.take().unwrap();
    password.minimum_length = Some(8);
    policies.password_policy = Some(password);
    block_on(
        stack
            .cognito()
            .update_user_pool()
            .user_pool_id(&id)
            .policies(policies)
            .set_admin_create_user_config(live.admin_create_user_config.clone())
            .set_auto_verified_attributes(live.auto_verified_attributes.clone())
            .set_user_pool_tags(live.user_pool_tags.clone())
            .set_user_pool_tier(live.user_pool_tier.clone())
            .set_account_recovery_setting(live.account_recovery_setting.clone())
            .set_deletion_protection(live.deletion_protection.clone())
            .set_mfa_configuration(live.mfa_configuration.clone())
            .sms_authentication_message("unmanaged {####}")
            .send(),
    )
    .unwrap();

    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    assert_eq!(out.status, 2, "{}", out.dump());
    assert!(
        out.stdout
            .contains("~ password_policy.minimum_length: 8 -> 12"),
        "{}",
        out.dump()
    );
    let changes = field_changes(&plan_json(&stack, "dev"));
    assert_eq!(
        changes,
        [(
            "user_pool".to_string(),
            "password_policy.minimum_length".to_string(),
            json!(8),
            json!(12)
        )]
    );
    apply(&stack, "dev");
    assert_no_changes(&stack, "dev");
}

#[test]
fn an_immutable_change_is_refused_with_nothing_changed() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    apply(&stack, "dev");
    let changed = SHOP
        .replace(
            "username_attributes: [email]",
            "username_attributes: [phone_number]",
        )
        .replace("minimum_length: 12", "minimum_length: 13")
        .replace("max_length: 128", "max_length: 256");
    stack.spec("shop.yaml", &changed);
    stack.proxy.clear();

    let plan = stack.poolctl().args(["plan", "--env", "dev"]).run();
    plan.assert_success();
    assert!(
        plan.stdout
            .contains("! user_pool cannot be changed in place"),
        "{}",
        plan.dump()
    );
    assert!(
        plan.stdout
            .contains("! username_attributes: [\"email\"] -> [\"phone_number\"]"),
        "{}",
        plan.dump()
    );
    assert!(
        plan.stdout
            .contains("! schema.custom:tenant_id.max_length: 128 -> 256"),
        "{}",
        plan.dump()
    );
    assert!(
        plan.stdout.contains("needs a new pool: every user"),
        "{}",
        plan.dump()
    );
    assert!(plan.stdout.contains("1 blocked"), "{}", plan.dump());

    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("refusing to apply"), "{}", out.dump());
    assert!(out.stderr.contains("nothing was changed"), "{}", out.dump());
    assert!(
        stack.writes().is_empty(),
        "a refused plan wrote: {:?}",
        stack.writes()
    );
    let pool = describe(&stack, &pool_id(&stack, "shop-dev"));
    assert_eq!(
        pool.policies()
            .unwrap()
            .password_policy()
            .unwrap()
            .minimum_length(),
        Some(12)
    );
}

#[test]
fn bad_input_names_the_place_and_sends_nothing() {
    let stack = Stack::new();
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "missing variable",
            "name: shop-${env:SHOP_SUFFIX}\nenvironments: { dev: { region: us-east-1 } }\n",
            &["pools/shop.yaml:1:7", "name:", "`SHOP_SUFFIX` is not set", "pool `shop`", "environment `dev`"],
        ),
        (
            "malformed YAML",
            "name: shop\nenvironments:\n  dev: { region: us-east-1\npassword_policy: [\n",
            &["pools/shop.yaml:", "malformed YAML"],
        ),
        (
            "unknown key",
            "name: shop-${env}\nenvironments: { dev: { region: us-east-1 } }\npassword_policy:\n  minimun_length: 12\n",
            &["pools/shop.yaml:4:3", "password_policy.minimun_length", "unknown key", "did you mean `minimum_length`?", "environment `dev`"],
        ),
        (
            "out of range",
            "name: shop-${env}\nenvironments:\n  dev:\n    region: us-east-1\n    password_policy: { minimum_length: 3 }\n",
            &["pools/shop.yaml:5:", "password_policy.minimum_length", "3 is out of range: Cognito accepts 6 to 99"],
        ),
        (
            "bad enum",
            "name: shop-${env}\nenvironments: { dev: { region: us-east-1 } }\nmfa: { mode: sometimes }\n",
            &["pools/shop.yaml:3:", "mfa.mode", "unknown value `sometimes`"],
        ),
        (
            "wrong type",
            "name: shop-${env}\nenvironments: { dev: { region: us-east-1 } }\ncase_sensitive: maybe\n",
            &["pools/shop.yaml:3:", "case_sensitive", "expected true or false"],
        ),
    ];
    for (what, text, expected) in cases {
        stack.spec("shop.yaml", text);
        for command in [
            &["validate"][..],
            &["plan", "--env", "dev"],
            &["apply", "--env", "dev", "--auto-approve"],
        ] {
            let out = stack.poolctl().args(command.iter()).run();
            assert_eq!(out.status, 1, "{what}: {command:?}\n{}", out.dump());
            for needle in *expected {
                assert!(
                    out.stderr.contains(needle),
                    "{what}: {command:?}: missing `{needle}`\n{}",
                    out.dump()
                );
            }
        }
        assert!(
            stack.proxy.requests().is_empty(),
            "{what}: AWS was called: {:?}",
            stack.proxy.operations()
        );
    }
}

#[test]
fn two_live_pools_with_one_name_is_an_error_listing_both() {
    let stack = Stack::new();
    let cognito = stack.cognito();
    let a = block_on(cognito.create_user_pool().pool_name("twin-dev").send()).unwrap();
    let b = block_on(cognito.create_user_pool().pool_name("twin-dev").send()).unwrap();
    stack.spec(
        "twin.yaml",
        "name: twin-${env}\nenvironments: { dev: { region: us-east-1 } }\n",
    );

    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    for pool in [a.user_pool().unwrap(), b.user_pool().unwrap()] {
        assert!(out.stderr.contains(pool.id().unwrap()), "{}", out.dump());
    }
    assert!(
        out.stderr.contains("pin one with `pool_id`"),
        "{}",
        out.dump()
    );

    // Pinning one by id resolves it.
    let id = a.user_pool().unwrap().id().unwrap();
    stack.spec(
        "twin.yaml",
        &format!("name: twin-${{env}}\nenvironments: {{ dev: {{ region: us-east-1, pool_id: {id} }} }}\npassword_policy: {{ minimum_length: 9 }}\n"),
    );
    let plan = stack.poolctl().args(["plan", "--env", "dev"]).run();
    plan.assert_success();
    assert!(plan.stdout.contains(id), "{}", plan.dump());
}

#[test]
fn a_pinned_pool_that_does_not_exist_is_an_error() {
    let stack = Stack::new();
    stack.spec(
        "gone.yaml",
        "name: gone\nenvironments: { dev: { region: us-east-1, pool_id: us-east-1_Missing123 } }\n",
    );
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("us-east-1_Missing123"),
        "{}",
        out.dump()
    );
    assert!(out.stderr.contains("does not exist"), "{}", out.dump());
}

/// The kinds are read alongside the pool; a pool deleted out of band makes
/// their list calls fail too, and their error must not hide the pool's.
#[test]
fn a_pinned_pool_deleted_out_of_band_is_named_missing_whatever_kinds_are_declared() {
    let stack = Stack::new();
    let spec = |pin: &str| {
        format!(
            "name: pinned-${{env}}\nenvironments: {{ dev: {{ region: us-east-1{pin} }} }}\ngroups:\n  admins: {{ precedence: 1 }}\nresource_servers:\n  shop-api: {{ name: Shop API, scopes: {{ read: Read }} }}\nidentity_providers:\n  Corp:\n    type: saml\n    metadata_url: https://login.example.com/federationmetadata.xml\nclients:\n  web: {{ explicit_auth_flows: [user_srp, refresh_token] }}\n"
        )
    };
    stack.spec("pinned.yaml", &spec(""));
    apply(&stack, "dev");
    let id = pool_id(&stack, "pinned-dev");
    stack.spec("pinned.yaml", &spec(&format!(", pool_id: {id}")));
    block_on(stack.cognito().delete_user_pool().user_pool_id(&id).send()).unwrap();

    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains(&format!(
            "pool `{id}`, pinned by `pool_id` in the `dev` block of pools/pinned.yaml, does not exist in us-east-1"
        )),
        "{}",
        out.dump()
    );
    assert!(!out.stderr.contains("ResourceNotFound"), "{}", out.dump());
}

#[test]
fn apply_needs_a_terminal_or_auto_approve() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    let out = stack.poolctl().args(["apply", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(out.stderr.contains("--auto-approve"), "{}", out.dump());
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
}

#[test]
fn the_json_plan_is_a_versioned_document() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    let plan = plan_json(&stack, "dev");
    assert_eq!(plan["format_version"], json!(1));
    let pool = &plan["pools"][0];
    assert_eq!(pool["pool"], "shop");
    assert_eq!(pool["environment"], "dev");
    assert_eq!(pool["region"], "us-east-1");
    assert_eq!(pool["pool_name"], "shop-dev");
    assert_eq!(pool["pool_id"], Value::Null);
    let change = &pool["changes"][0];
    assert_eq!(change["address"], "user_pool");
    assert_eq!(change["action"], "create");
    let min = change["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "password_policy.minimum_length")
        .unwrap();
    assert_eq!(min["after"], json!(12));
    assert_eq!(min["before"], Value::Null);
    assert_eq!(plan["summary"]["create"], json!(1));
}

#[test]
fn validate_checks_every_environment_offline() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SHOP);
    let out = stack.poolctl().arg("validate").run();
    out.assert_success();
    assert!(
        out.stdout.contains("1 file, 3 pool environments checked"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr
            .contains("custom attributes can never be removed"),
        "{}",
        out.dump()
    );

    let required = SHOP.replace("mode: optional", "mode: required");
    stack.spec("shop.yaml", &required);
    let out = stack.poolctl().arg("validate").run();
    out.assert_success();
    assert!(out.stderr.contains("one-way door"), "{}", out.dump());

    let broken = SHOP.replace(
        "password_policy: { minimum_length: 14 }",
        "password_policy: { minimum_length: 100 }",
    );
    stack.spec("shop.yaml", &broken);
    let out = stack.poolctl().arg("validate").run();
    out.assert_exit(1);
    assert!(out.stderr.contains("environment `prod`"), "{}", out.dump());
    let out = stack.poolctl().args(["validate", "--env", "dev"]).run();
    out.assert_success();
    assert!(stack.proxy.requests().is_empty());
}

#[test]
fn renaming_a_pinned_pool_updates_it_in_place() {
    let stack = Stack::new();
    stack.spec(
        "app.yaml",
        "name: app-${env}\nenvironments: { dev: { region: us-east-1 } }\n",
    );
    apply(&stack, "dev");
    let id = pool_id(&stack, "app-dev");
    stack.spec(
        "app.yaml",
        &format!("name: app-renamed-${{env}}\nenvironments: {{ dev: {{ region: us-east-1, pool_id: {id} }} }}\n"),
    );
    let changes = field_changes(&plan_json(&stack, "dev"));
    assert_eq!(
        changes,
        [(
            "user_pool".into(),
            "name".into(),
            json!("app-dev"),
            json!("app-renamed-dev")
        )]
    );
    stack.proxy.clear();
    apply(&stack, "dev");
    let sent = stack.proxy.requests_for("UpdateUserPool")[0].json();
    assert_eq!(sent["PoolName"], json!("app-renamed-dev"));
    assert_no_changes(&stack, "dev");
}
