//! `poolctl import` end to end: pools built with every feature straight
//! through the SDK (not through poolctl), imported, validated and planned
//! with nothing to change; a second environment added to the same file as
//! its differences only; secrets never written; files that hold another
//! pool, or the environment already, refused.

use crate::support::lambda::*;
use crate::support::*;
use aws_sdk_apigateway::types::IntegrationType;
use aws_sdk_cognitoidentityprovider::types as sdk;
use serde_yaml::Value;

const GOOGLE_SECRET: &str = "google-live-secret-8c1f";
const PROD_GOOGLE_SECRET: &str = "google-prod-secret-44ab";
const METADATA: &str = "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.com/saml\"/>\n";

/// How the two environments of the test pool differ.
struct Variant {
    env: &'static str,
    region: &'static str,
    min_length: i32,
    deletion_protection: bool,
    google_secret: &'static str,
    /// The prod pool has no SAML provider and no `support` group.
    everything: bool,
}

const DEV: Variant = Variant {
    env: "dev",
    region: "us-east-1",
    min_length: 12,
    deletion_protection: false,
    google_secret: GOOGLE_SECRET,
    everything: true,
};

const PROD: Variant = Variant {
    env: "prod",
    region: "eu-west-1",
    min_length: 14,
    deletion_protection: true,
    google_secret: PROD_GOOGLE_SECRET,
    everything: false,
};

struct Built {
    pool_id: String,
}

fn s(v: &str) -> String {
    v.to_string()
}

/// A pool with every feature poolctl manages, made the way a console user or
/// another tool would: pool settings (MFA, schema with custom attributes,
/// templates, tags, tier), triggers on moto Lambda functions with the
/// permissions that let Cognito invoke them, a resource server, Google and
/// SAML providers, clients of three kinds, groups, a prefix domain, and a
/// REST API whose Cognito authorizer protects two methods.
fn build(stack: &Stack, v: &Variant) -> Built {
    let env = v.env;
    let region = v.region;
    let cognito = cognito_client(&stack.moto.endpoint(), region);
    let pre = create_function(&stack.moto, &format!("shop-{env}-pre-signup"), region);
    let claims = create_function(&stack.moto, &format!("shop-{env}-claims"), region);
    let created = block_on(
        cognito
            .create_user_pool()
            .pool_name(format!("shop-{env}"))
            .username_attributes(sdk::UsernameAttributeType::Email)
            .username_configuration(
                sdk::UsernameConfigurationType::builder()
                    .case_sensitive(false)
                    .build()
                    .unwrap(),
            )
            .auto_verified_attributes(sdk::VerifiedAttributeType::Email)
            .policies(
                sdk::UserPoolPolicyType::builder()
                    .password_policy(
                        sdk::PasswordPolicyType::builder()
                            .minimum_length(v.min_length)
                            .require_uppercase(true)
                            .require_lowercase(true)
                            .require_numbers(true)
                            .require_symbols(false)
                            .temporary_password_validity_days(7)
                            .build(),
                    )
                    .build(),
            )
            .account_recovery_setting(
                sdk::AccountRecoverySettingType::builder()
                    .recovery_mechanisms(
                        sdk::RecoveryOptionType::builder()
                            .name(sdk::RecoveryOptionNameType::VerifiedEmail)
                            .priority(1)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .admin_create_user_config(
                sdk::AdminCreateUserConfigType::builder()
                    .allow_admin_create_user_only(true)
                    .invite_message_template(
                        sdk::MessageTemplateType::builder()
                            .email_subject("Your shop account")
                            .email_message(
                                "Welcome! Your user name is {username} and your temporary password is {####}.",
                            )
                            .build(),
                    )
                    .build(),
            )
            .verification_message_template(
                sdk::VerificationMessageTemplateType::builder()
                    .default_email_option(sdk::DefaultEmailOptionType::ConfirmWithCode)
                    .email_subject("Your verification code")
                    .email_message("Your verification code is {####}.")
                    .build(),
            )
            .schema(
                sdk::SchemaAttributeType::builder()
                    .name("email")
                    .attribute_data_type(sdk::AttributeDataType::String)
                    .required(true)
                    .mutable(true)
                    .build(),
            )
            .schema(
                sdk::SchemaAttributeType::builder()
                    .name("tenant_id")
                    .attribute_data_type(sdk::AttributeDataType::String)
                    .mutable(false)
                    .string_attribute_constraints(
                        sdk::StringAttributeConstraintsType::builder()
                            .min_length("1")
                            .max_length("128")
                            .build(),
                    )
                    .build(),
            )
            .schema(
                sdk::SchemaAttributeType::builder()
                    .name("seats")
                    .attribute_data_type(sdk::AttributeDataType::Number)
                    .mutable(true)
                    .number_attribute_constraints(
                        sdk::NumberAttributeConstraintsType::builder()
                            .min_value("1")
                            .max_value("500")
                            .build(),
                    )
                    .build(),
            )
            .lambda_config(
                sdk::LambdaConfigType::builder()
                    .pre_sign_up(&pre)
                    .pre_token_generation_config(
                        sdk::PreTokenGenerationVersionConfigType::builder()
                            .lambda_arn(&claims)
                            .lambda_version(sdk::PreTokenGenerationLambdaVersionType::V20)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .device_configuration(
                sdk::DeviceConfigurationType::builder()
                    .challenge_required_on_new_device(true)
                    .device_only_remembered_on_user_prompt(true)
                    .build(),
            )
            .deletion_protection(if v.deletion_protection {
                sdk::DeletionProtectionType::Active
            } else {
                sdk::DeletionProtectionType::Inactive
            })
            .email_configuration(
                sdk::EmailConfigurationType::builder()
                    .email_sending_account(sdk::EmailSendingAccountType::Developer)
                    .source_arn(format!(
                        "arn:aws:ses:{region}:123456789012:identity/{env}@shop.example.com"
                    ))
                    .from(format!("Shop <{env}@shop.example.com>"))
                    .build(),
            )
            .sms_configuration(
                sdk::SmsConfigurationType::builder()
                    .sns_caller_arn(format!("arn:aws:iam::123456789012:role/shop-{env}-sms"))
                    .external_id(format!("shop-{env}"))
                    .build(),
            )
            .user_attribute_update_settings(
                sdk::UserAttributeUpdateSettingsType::builder()
                    .attributes_require_verification_before_update(
                        sdk::VerifiedAttributeType::Email,
                    )
                    .build(),
            )
            .user_pool_add_ons(
                sdk::UserPoolAddOnsType::builder()
                    .advanced_security_mode(sdk::AdvancedSecurityModeType::Audit)
                    .build()
                    .unwrap(),
            )
            .user_pool_tier(sdk::UserPoolTierType::Plus)
            .user_pool_tags("team", "payments")
            .user_pool_tags("env", env)
            .send(),
    )
    .expect("CreateUserPool");
    let pool = created.user_pool().unwrap();
    let pool_id = pool.id().unwrap().to_string();
    let pool_arn = pool.arn().unwrap().to_string();
    add_cognito_statement(&stack.moto, &pre, "cognito-pre", &pool_arn);
    add_cognito_statement(&stack.moto, &claims, "cognito-claims", &pool_arn);

    block_on(async {
        cognito
            .set_user_pool_mfa_config()
            .user_pool_id(&pool_id)
            .software_token_mfa_configuration(
                sdk::SoftwareTokenMfaConfigType::builder()
                    .enabled(true)
                    .build(),
            )
            .mfa_configuration(sdk::UserPoolMfaType::Optional)
            .send()
            .await
            .expect("SetUserPoolMfaConfig");
        cognito
            .create_resource_server()
            .user_pool_id(&pool_id)
            .identifier("shop-api")
            .name("Shop API")
            .scopes(
                sdk::ResourceServerScopeType::builder()
                    .scope_name("orders.read")
                    .scope_description("Read orders")
                    .build()
                    .unwrap(),
            )
            .scopes(
                sdk::ResourceServerScopeType::builder()
                    .scope_name("orders.write")
                    .scope_description("Place orders")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("CreateResourceServer");
        cognito
            .create_identity_provider()
            .user_pool_id(&pool_id)
            .provider_name("Google")
            .provider_type(sdk::IdentityProviderTypeType::Google)
            .provider_details(
                "client_id",
                format!("{env}-1234.apps.googleusercontent.com"),
            )
            .provider_details("client_secret", v.google_secret)
            .provider_details("authorize_scopes", "openid email profile")
            .attribute_mapping("email", "email")
            .attribute_mapping("name", "name")
            .send()
            .await
            .expect("CreateIdentityProvider Google");
        if v.everything {
            cognito
                .create_identity_provider()
                .user_pool_id(&pool_id)
                .provider_name("Corp")
                .provider_type(sdk::IdentityProviderTypeType::Saml)
                .provider_details("MetadataFile", METADATA)
                .provider_details("IDPSignout", "true")
                .attribute_mapping(
                    "email",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                )
                .idp_identifiers("example.com")
                .send()
                .await
                .expect("CreateIdentityProvider Corp");
        }
        let mut web = cognito
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("web")
            .explicit_auth_flows(sdk::ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(sdk::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .allowed_o_auth_flows(sdk::OAuthFlowType::Code)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .allowed_o_auth_scopes("shop-api/orders.read")
            .callback_urls(format!("https://{env}.shop.example.com/callback"))
            .logout_urls(format!("https://{env}.shop.example.com/logout"))
            .supported_identity_providers("COGNITO")
            .supported_identity_providers("Google")
            .access_token_validity(30)
            .id_token_validity(30)
            .token_validity_units(
                sdk::TokenValidityUnitsType::builder()
                    .access_token(sdk::TimeUnitsType::Minutes)
                    .id_token(sdk::TimeUnitsType::Minutes)
                    .build(),
            )
            .prevent_user_existence_errors(sdk::PreventUserExistenceErrorTypes::Enabled);
        if v.everything {
            web = web.supported_identity_providers("Corp");
        }
        web.send().await.expect("CreateUserPoolClient web");
        cognito
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("mobile")
            .explicit_auth_flows(sdk::ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(sdk::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .refresh_token_validity(90)
            .send()
            .await
            .expect("CreateUserPoolClient mobile");
        cognito
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("reports")
            .generate_secret(true)
            .explicit_auth_flows(sdk::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .allowed_o_auth_flows(sdk::OAuthFlowType::ClientCredentials)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_scopes("shop-api/orders.read")
            .send()
            .await
            .expect("CreateUserPoolClient reports");
        cognito
            .create_group()
            .user_pool_id(&pool_id)
            .group_name("admins")
            .description("Store administrators")
            .precedence(1)
            .send()
            .await
            .expect("CreateGroup admins");
        if v.everything {
            cognito
                .create_group()
                .user_pool_id(&pool_id)
                .group_name("support")
                .precedence(10)
                .role_arn(format!("arn:aws:iam::123456789012:role/shop-{env}-support"))
                .send()
                .await
                .expect("CreateGroup support");
        }
        cognito
            .create_user_pool_domain()
            .user_pool_id(&pool_id)
            .domain(format!("shop-{env}"))
            .send()
            .await
            .expect("CreateUserPoolDomain");
    });
    rest_api(stack, v, &pool_arn);
    Built { pool_id }
}

/// `shop-api-<env>` with GET and POST `/orders` behind a Cognito authorizer
/// named `cognito` (POST needing a scope), and an open `/health`.
fn rest_api(stack: &Stack, v: &Variant, pool_arn: &str) {
    let c = apigateway_client(&stack.moto.endpoint(), v.region);
    block_on(async {
        let api = c
            .create_rest_api()
            .name(format!("shop-api-{}", v.env))
            .send()
            .await
            .unwrap();
        let id = api.id().unwrap().to_string();
        let root = api.root_resource_id().unwrap().to_string();
        let authorizer = c
            .create_authorizer()
            .rest_api_id(&id)
            .name("cognito")
            .r#type(aws_sdk_apigateway::types::AuthorizerType::CognitoUserPools)
            .provider_arns(pool_arn)
            .identity_source("method.request.header.Authorization")
            .authorizer_result_ttl_in_seconds(60)
            .send()
            .await
            .unwrap();
        let authorizer_id = authorizer.id().unwrap().to_string();
        let orders = c
            .create_resource()
            .rest_api_id(&id)
            .parent_id(&root)
            .path_part("orders")
            .send()
            .await
            .unwrap();
        let health = c
            .create_resource()
            .rest_api_id(&id)
            .parent_id(&root)
            .path_part("health")
            .send()
            .await
            .unwrap();
        for (resource, method, protected, scopes) in [
            (orders.id().unwrap(), "GET", true, vec![]),
            (
                orders.id().unwrap(),
                "POST",
                true,
                vec![s("shop-api/orders.write")],
            ),
            (health.id().unwrap(), "GET", false, vec![]),
        ] {
            let mut put = c
                .put_method()
                .rest_api_id(&id)
                .resource_id(resource)
                .http_method(method);
            put = if protected {
                put.authorization_type("COGNITO_USER_POOLS")
                    .authorizer_id(&authorizer_id)
                    .set_authorization_scopes((!scopes.is_empty()).then_some(scopes))
            } else {
                put.authorization_type("NONE")
            };
            put.send().await.unwrap();
            c.put_integration()
                .rest_api_id(&id)
                .resource_id(resource)
                .http_method(method)
                .r#type(IntegrationType::Mock)
                .send()
                .await
                .unwrap();
        }
    });
}

fn read(stack: &Stack, name: &str) -> String {
    std::fs::read_to_string(stack.path().join("pools").join(name))
        .unwrap_or_else(|e| panic!("cannot read pools/{name}: {e}"))
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"))
}

/// Every secret the pools hold, which must never be written or shown.
fn assert_no_secrets(stack: &Stack, outputs: &[&Output]) {
    for out in outputs {
        for secret in [GOOGLE_SECRET, PROD_GOOGLE_SECRET] {
            assert!(
                !out.stdout.contains(secret) && !out.stderr.contains(secret),
                "a live secret was printed:\n{}",
                out.dump()
            );
        }
    }
    for entry in std::fs::read_dir(stack.path().join("pools")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for secret in [GOOGLE_SECRET, PROD_GOOGLE_SECRET] {
            assert!(!text.contains(secret), "a live secret was written:\n{text}");
        }
    }
}

#[test]
fn a_pool_built_with_every_feature_imports_to_a_spec_whose_plan_is_empty() {
    let stack = Stack::new();
    let built = build(&stack, &DEV);

    let out = stack
        .poolctl()
        .region("us-east-1")
        .args([
            "import",
            "--env",
            "dev",
            "--name",
            "shop-dev",
            "--rest-api",
            "shop-api-dev",
        ])
        .run();
    out.assert_success();
    assert!(
        out.stderr.contains("wrote pools/shop.yaml"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr
            .contains("checked: `poolctl plan --env dev` shows no changes"),
        "{}",
        out.dump()
    );
    let text = read(&stack, "shop.yaml");
    eprintln!("{text}\n{}", out.stderr);
    let doc = yaml(&text);

    // Where it came from and what it needs.
    assert!(
        text.starts_with(&format!(
            "# yaml-language-server: $schema=poolctl.schema.json\n# Imported by `poolctl import` from user pool shop-dev ({}) in us-east-1, as environment `dev`.\n",
            built.pool_id
        )),
        "{text}"
    );
    assert!(
        text.contains(
            "#   POOLCTL_SHOP_DEV_GOOGLE_CLIENT_SECRET  identity_providers.Google.client_secret"
        ),
        "{text}"
    );
    assert!(out.stderr.contains("POOLCTL_SHOP_DEV_GOOGLE_CLIENT_SECRET"));

    // The pool, found by name, is not pinned; names carry the environment.
    assert_eq!(doc["name"], "shop-${env}");
    assert_eq!(yaml("{ region: us-east-1 }"), doc["environments"]["dev"]);
    assert_eq!(doc["username_attributes"], yaml("[email]"));
    assert_eq!(doc["case_sensitive"], false);
    assert_eq!(doc["password_policy"]["minimum_length"], 12);
    assert_eq!(doc["mfa"], yaml("{ mode: optional, totp: true }"));
    assert_eq!(doc["tier"], "plus");
    assert_eq!(
        doc["email_configuration"],
        yaml("{ email_sending_account: developer, source_arn: 'arn:aws:ses:${region}:123456789012:identity/${env}@shop.example.com', from: 'Shop <dev@shop.example.com>' }")
    );
    assert_eq!(
        doc["sms_configuration"],
        yaml("{ sns_caller_arn: 'arn:aws:iam::123456789012:role/shop-${env}-sms', external_id: shop-dev }")
    );
    assert_eq!(
        doc["user_attribute_update_settings"],
        yaml("{ attributes_require_verification_before_update: [email] }")
    );
    assert_eq!(
        doc["user_pool_add_ons"],
        yaml("{ advanced_security_mode: audit }")
    );
    assert_eq!(doc["tags"], yaml("{ env: '${env}', team: payments }"));
    assert_eq!(
        doc["device_configuration"],
        yaml("{ challenge_required_on_new_device: true, device_only_remembered_on_user_prompt: true }")
    );
    // Custom attributes whole, standard ones only where they differ from AWS's.
    assert_eq!(doc["schema"]["email"], yaml("{ required: true }"));
    assert_eq!(doc["schema"]["custom:tenant_id"]["type"], "string");
    assert_eq!(doc["schema"]["custom:tenant_id"]["mutable"], false);
    assert_eq!(doc["schema"]["custom:seats"]["max_value"], 500);
    assert!(doc["schema"].get("sub").is_none(), "{text}");
    assert!(
        doc.get("deletion_protection").is_none(),
        "AWS's default is left out: {text}"
    );
    // Triggers, with the environment and region templated in their ARNs.
    assert_eq!(
        doc["triggers"]["pre_sign_up"],
        "arn:aws:lambda:${region}:123456789012:function:shop-${env}-pre-signup"
    );
    assert_eq!(
        doc["triggers"]["pre_token_generation"],
        yaml("{ lambda_arn: 'arn:aws:lambda:${region}:123456789012:function:shop-${env}-claims', lambda_version: v2 }")
    );
    assert!(doc["triggers"].get("post_confirmation").is_none());
    // Providers: the secret as a placeholder, SAML metadata in its own file.
    let google = &doc["identity_providers"]["Google"];
    assert_eq!(
        google["client_secret"],
        "${env:POOLCTL_SHOP_DEV_GOOGLE_CLIENT_SECRET}"
    );
    assert_eq!(google["authorize_scopes"], yaml("[email, openid, profile]"));
    assert_eq!(
        google["attribute_mapping"],
        yaml("{ email: email, name: name }")
    );
    let corp = &doc["identity_providers"]["Corp"];
    assert_eq!(corp["metadata_file"], "shop-Corp-${env}-metadata.xml");
    assert_eq!(corp["idp_signout"], true);
    assert_eq!(corp["idp_identifiers"], yaml("[example.com]"));
    assert_eq!(read(&stack, "shop-Corp-dev-metadata.xml"), METADATA);
    assert_eq!(
        doc["resource_servers"]["shop-api"],
        yaml(
            "{ name: Shop API, scopes: { orders.read: Read orders, orders.write: Place orders } }"
        )
    );
    assert_eq!(
        doc["groups"],
        yaml("{ admins: { description: Store administrators, precedence: 1 }, support: { precedence: 10, role_arn: 'arn:aws:iam::123456789012:role/shop-${env}-support' } }")
    );
    assert_eq!(doc["domain"], "shop-${env}");
    // Clients of every kind, defaults left out.
    let clients = &doc["clients"];
    assert_eq!(clients["web"]["access_token_validity"], "30m");
    assert_eq!(
        clients["web"]["callback_urls"],
        yaml("['https://${env}.shop.example.com/callback']")
    );
    assert_eq!(clients["web"]["prevent_user_existence_errors"], true);
    assert!(clients["web"].get("refresh_token_validity").is_none());
    assert_eq!(
        clients["mobile"],
        yaml("{ explicit_auth_flows: [user_srp, refresh_token], refresh_token_validity: 90d }")
    );
    assert_eq!(clients["reports"]["generate_secret"], true);
    assert_eq!(
        clients["reports"]["allowed_oauth_flows"],
        yaml("[client_credentials]")
    );
    // The authorizer and the methods it protects.
    assert_eq!(
        doc["authorizer"],
        yaml("{ rest_api: 'shop-api-${env}', name: cognito, result_ttl: 1m, protect: ['GET /orders', { route: 'POST /orders', authorization_scopes: [shop-api/orders.write] }] }")
    );

    // The spec is valid, and the plan against the same pool is empty.
    let with_secret =
        |cmd: Poolctl| cmd.env("POOLCTL_SHOP_DEV_GOOGLE_CLIENT_SECRET", GOOGLE_SECRET);
    let validate = with_secret(stack.poolctl()).arg("validate").run();
    validate.assert_success();
    let plan = with_secret(stack.poolctl())
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    plan.assert_success();
    assert!(
        plan.stdout
            .contains("No changes: live state matches the specs."),
        "{}",
        plan.dump()
    );
    // A changed secret is a change: the placeholder really is compared.
    let wrong = stack
        .poolctl()
        .env("POOLCTL_SHOP_DEV_GOOGLE_CLIENT_SECRET", "not-the-secret")
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    wrong.assert_exit(2);
    assert!(
        wrong.stdout.contains("identity_provider.Google"),
        "{}",
        wrong.dump()
    );
    // Not even the SDK's own logs show it.
    let traced = stack
        .poolctl()
        .region("us-east-1")
        .args([
            "-vvv", "import", "--env", "dev", "--name", "shop-dev", "--out", "-",
        ])
        .run();
    traced.assert_success();
    assert!(
        traced.stderr.contains("DescribeIdentityProvider"),
        "{}",
        traced.dump()
    );
    assert_no_secrets(&stack, &[&out, &validate, &plan, &wrong, &traced]);
}

/// Imports dev into a new file, as the first test does.
fn import_dev(stack: &Stack) -> Output {
    let out = stack
        .poolctl()
        .region("us-east-1")
        .args([
            "import",
            "--env",
            "dev",
            "--name",
            "shop-dev",
            "--rest-api",
            "shop-api-dev",
        ])
        .run();
    out.assert_success();
    out
}

#[test]
fn a_second_environment_adds_only_its_differences_and_keeps_the_file_as_written() {
    let stack = Stack::new();
    build(&stack, &DEV);
    let prod = build(&stack, &PROD);
    let first = import_dev(&stack);
    // Someone edits the file between the two imports, and renames it: the
    // import finds it by the pool's name.
    let edited = read(&stack, "shop.yaml").replace(
        "password_policy:\n",
        "# Stronger in prod, see the environment block.\npassword_policy:\n",
    );
    std::fs::remove_file(stack.path().join("pools/shop.yaml")).unwrap();
    stack.spec("customers.yaml", &edited);

    // By id: the region comes from the id, and the pool is pinned.
    let out = stack
        .poolctl()
        .args([
            "import",
            "--env",
            "prod",
            "--pool-id",
            &prod.pool_id,
            "--rest-api",
            "shop-api-prod",
        ])
        .run();
    out.assert_success();
    assert!(
        out.stderr
            .contains("checked: `poolctl plan --env prod` shows no changes"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("wrote pools/customers.yaml"),
        "{}",
        out.dump()
    );
    assert!(!stack.path().join("pools/shop.yaml").exists());
    let text = read(&stack, "customers.yaml");
    // Everything that was there is still there, as it was written.
    let insert_at = text
        .find("  # prod: imported by `poolctl import`")
        .unwrap_or_else(|| panic!("no prod comment:\n{text}"));
    assert!(edited.starts_with(&text[..insert_at]), "{text}");
    let block_end = insert_at + text[insert_at..].find("\n\n").unwrap() + 1;
    assert_eq!(&text[block_end..], &edited[insert_at..], "{text}");

    let doc = yaml(&text);
    assert_eq!(
        doc["environments"]["dev"],
        yaml("{ region: us-east-1 }"),
        "{text}"
    );
    let expected = yaml(&format!(
        "region: eu-west-1
pool_id: {}
password_policy: {{ minimum_length: 14 }}
email_configuration: {{ from: 'Shop <prod@shop.example.com>' }}
sms_configuration: {{ external_id: shop-prod }}
deletion_protection: active
identity_providers:
  Google:
    client_id: prod-1234.apps.googleusercontent.com
    client_secret: ${{env:POOLCTL_CUSTOMERS_PROD_GOOGLE_CLIENT_SECRET}}
  Corp: null
groups: {{ support: null }}
clients:
  web: {{ supported_identity_providers: [COGNITO, Google] }}
",
        prod.pool_id
    ));
    assert_eq!(doc["environments"]["prod"], expected, "{text}");
    assert!(
        text.contains("  #   POOLCTL_CUSTOMERS_PROD_GOOGLE_CLIENT_SECRET  identity_providers.Google.client_secret\n"),
        "{text}"
    );

    // Both environments validate and plan empty, together.
    let both = |cmd: Poolctl| {
        cmd.env("POOLCTL_SHOP_DEV_GOOGLE_CLIENT_SECRET", GOOGLE_SECRET)
            .env(
                "POOLCTL_CUSTOMERS_PROD_GOOGLE_CLIENT_SECRET",
                PROD_GOOGLE_SECRET,
            )
    };
    let validate = both(stack.poolctl()).arg("validate").run();
    validate.assert_success();
    let plan = both(stack.poolctl())
        .args(["plan", "--all-envs", "--detailed-exitcode"])
        .run();
    plan.assert_success();
    assert!(
        plan.stdout.contains("pool customers · prod · eu-west-1")
            && plan.stdout.contains("pool customers · dev · us-east-1"),
        "{}",
        plan.dump()
    );
    assert_no_secrets(&stack, &[&first, &out, &validate, &plan]);

    // The same environment twice is refused, and the file left alone.
    let again = stack
        .poolctl()
        .args(["import", "--env", "prod", "--pool-id", &prod.pool_id])
        .run();
    again.assert_exit(1);
    assert!(
        again
            .stderr
            .contains("pools/customers.yaml already declares environment `prod`"),
        "{}",
        again.dump()
    );
    assert_eq!(read(&stack, "customers.yaml"), text);
}

#[test]
fn a_file_that_holds_another_pool_is_refused_and_standard_output_writes_no_file() {
    let stack = Stack::new();
    let cognito = stack.cognito();
    let id = block_on(cognito.create_user_pool().pool_name("billing-dev").send())
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let other = "name: shop-${env}\nenvironments:\n  dev: { region: us-east-1 }\n";
    let path = stack.spec("shop.yaml", other);

    let refused = stack
        .poolctl()
        .args([
            "import",
            "--env",
            "prod",
            "--pool-id",
            &id,
            "--out",
            "pools/shop.yaml",
        ])
        .run();
    refused.assert_exit(1);
    assert!(
        refused.stderr.contains(
            "pools/shop.yaml is the spec of pool `shop-${env}`, which in environment `prod` is not `billing-dev`"
        ),
        "{}",
        refused.dump()
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), other);

    let printed = stack
        .poolctl()
        .args(["import", "--env", "dev", "--pool-id", &id, "--out", "-"])
        .run();
    printed.assert_success();
    let doc = yaml(&printed.stdout);
    assert_eq!(doc["name"], "billing-${env}");
    assert_eq!(
        doc["environments"]["dev"],
        yaml(&format!("{{ region: us-east-1, pool_id: {id} }}"))
    );
    assert!(
        printed
            .stderr
            .contains("checked: `poolctl plan --env dev` shows no changes"),
        "{}",
        printed.dump()
    );
    assert!(!stack.path().join("pools/billing.yaml").exists());

    // Environments written in flow style cannot take a block: the file is
    // written again whole, with a warning.
    let flow = printed.stdout.replace(
        &format!("environments:\n  dev: {{ region: us-east-1, pool_id: {id} }}\n"),
        &format!("environments: {{ dev: {{ region: us-east-1, pool_id: {id} }} }}\n"),
    );
    assert_ne!(flow, printed.stdout);
    stack.spec("billing.yaml", &flow);
    block_on(cognito.create_user_pool().pool_name("billing-prod").send()).unwrap();
    let added = stack
        .poolctl()
        .region("us-east-1")
        .args(["import", "--env", "prod", "--name", "billing-prod"])
        .run();
    added.assert_success();
    assert!(
        added
            .stderr
            .contains("pools/billing.yaml: `environments` is not a block mapping at the top of the file; the whole file is written again, and its comments are lost"),
        "{}",
        added.dump()
    );
    let doc = yaml(&read(&stack, "billing.yaml"));
    assert_eq!(doc["environments"]["prod"], yaml("{ region: us-east-1 }"));
    stack
        .poolctl()
        .args([
            "plan",
            "--all-envs",
            "--pool",
            "billing",
            "--detailed-exitcode",
        ])
        .run()
        .assert_success();

    let missing = stack
        .poolctl()
        .region("us-east-1")
        .args(["import", "--env", "dev", "--name", "no-such-pool"])
        .run();
    missing.assert_exit(1);
    assert!(
        missing
            .stderr
            .contains("no user pool in us-east-1 is named `no-such-pool`"),
        "{}",
        missing.dump()
    );
    // An id: every kind is read alongside the pool, and the pool's error,
    // not a list call's, is the one told.
    let missing = stack
        .poolctl()
        .region("us-east-1")
        .args(["import", "--env", "dev", "--pool-id", "us-east-1_Missing12"])
        .run();
    missing.assert_exit(1);
    assert!(
        missing
            .stderr
            .contains("no user pool `us-east-1_Missing12` in us-east-1"),
        "{}",
        missing.dump()
    );
}

#[test]
fn what_cannot_round_trip_is_said_and_the_check_shows_it() {
    let stack = Stack::new();
    let cognito = stack.cognito();
    // A trigger whose function does not let Cognito invoke it.
    let pre = create_function(&stack.moto, "legacy-dev-pre", TEST_REGION);
    let id = block_on(
        cognito
            .create_user_pool()
            .pool_name("legacy-dev")
            .lambda_config(sdk::LambdaConfigType::builder().pre_sign_up(&pre).build())
            .send(),
    )
    .unwrap()
    .user_pool()
    .unwrap()
    .id()
    .unwrap()
    .to_string();
    block_on(async {
        cognito
            .create_identity_provider()
            .user_pool_id(&id)
            .provider_name("SignInWithApple")
            .provider_type(sdk::IdentityProviderTypeType::SignInWithApple)
            .provider_details("client_id", "com.example.legacy")
            .provider_details("team_id", "TEAM123456")
            .provider_details("key_id", "KEY1234567")
            .provider_details(
                "private_key",
                "-----BEGIN PRIVATE KEY-----\nlegacy\n-----END PRIVATE KEY-----",
            )
            .provider_details("authorize_scopes", "email name")
            .send()
            .await
            .unwrap();
        // Two clients of one name: a spec cannot tell them apart.
        for _ in 0..2 {
            cognito
                .create_user_pool_client()
                .user_pool_id(&id)
                .client_name("twin")
                .send()
                .await
                .unwrap();
        }
        cognito
            .create_user_pool_client()
            .user_pool_id(&id)
            .client_name("single")
            .send()
            .await
            .unwrap();
    });

    let out = stack
        .poolctl()
        .args(["import", "--env", "dev", "--pool-id", &id])
        .run();
    out.assert_success();
    for said in [
        "warning: trigger `pre_sign_up`: function arn:aws:lambda:us-east-1:123456789012:function:legacy-dev-pre does not let Cognito invoke it for this pool; plan proposes the permission",
        "warning: identity provider `SignInWithApple`: AWS never returns an Apple private key",
        "warning: 2 live clients are named `twin`",
        "warning: `poolctl plan --env dev` would not be empty",
        "+ lambda_permission.pre_sign_up will be created",
    ] {
        assert!(out.stderr.contains(said), "{said}\n{}", out.dump());
    }
    assert!(!out.stderr.contains("shows no changes"), "{}", out.dump());
    let doc = yaml(&read(&stack, "legacy.yaml"));
    assert_eq!(
        doc["identity_providers"]["SignInWithApple"]["private_key"],
        "${env:POOLCTL_LEGACY_DEV_SIGNINWITHAPPLE_PRIVATE_KEY}"
    );
    assert!(doc["clients"].get("twin").is_none(), "{doc:?}");
    assert!(doc["clients"].get("single").is_some(), "{doc:?}");
    let text = read(&stack, "legacy.yaml");
    assert!(!text.contains("BEGIN PRIVATE KEY"), "{text}");

    // The plan says the same: the permission, nothing else.
    let plan = stack
        .poolctl()
        .env("POOLCTL_LEGACY_DEV_SIGNINWITHAPPLE_PRIVATE_KEY", "any")
        .args(["plan", "--env", "dev", "--detailed-exitcode", "--json"])
        .run();
    plan.assert_exit(2);
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    let changes: Vec<(&str, &str)> = plan["pools"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["address"].as_str().unwrap(),
                c["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("lambda_permission.pre_sign_up", "create"),
            ("client.twin", "unmanaged")
        ]
    );
}
