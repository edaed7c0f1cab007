//! The issues' examples, exactly as written there, together in one spec:
//! created from nothing in one apply, converged, and planned again without a
//! single read made twice.

mod support;
use std::collections::BTreeMap;
use support::*;

/// The core issue's example.
const CORE: &str = r#"name: shop-${env}
environments:
  dev:     { region: us-east-1 }
  staging: { region: us-east-1 }
  prod:
    region: eu-west-1
    deletion_protection: active
    password_policy: { minimum_length: 14 }
username_attributes: [email]
case_sensitive: false
auto_verified_attributes: [email]
password_policy:
  minimum_length: 12
  require_uppercase: true
  require_lowercase: true
  require_numbers: true
  require_symbols: false
  temporary_password_validity_days: 7
  password_history_size: 5
mfa:
  mode: optional          # off | optional | required (on: alias of required)
  totp: true
  sms: false
account_recovery: [verified_email]
admin_create_user_config:
  allow_admin_create_user_only: true
schema:
  email: { required: true }
  custom:tenant_id: { type: string, mutable: false, min_length: 1, max_length: 128 }
  custom:plan: { type: string, mutable: true }
deletion_protection: inactive
tier: essentials
tags: { team: payments, managed-by: poolctl }
"#;

/// The pool-resources issue's example.
const RESOURCES: &str = r#"triggers:
  pre_sign_up: arn:aws:lambda:${region}:123456789012:function:shop-${env}-pre-signup
  post_confirmation: arn:aws:lambda:${region}:123456789012:function:shop-${env}-post-confirm
  pre_token_generation:
    lambda_arn: arn:aws:lambda:${region}:123456789012:function:shop-${env}-claims
    lambda_version: v2

clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
    allowed_oauth_flows: [code]
    allowed_oauth_scopes: [openid, email, profile, shop-api/orders.read]
    callback_urls: [https://shop.example.com/callback]
    logout_urls: [https://shop.example.com/logout]
    supported_identity_providers: [COGNITO, Google]
    access_token_validity: 1h
    id_token_validity: 1h
    refresh_token_validity: 30d
    prevent_user_existence_errors: true
    enable_token_revocation: true
  mobile:
    explicit_auth_flows: [user_srp, refresh_token]
    refresh_token_validity: 90d

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

resource_servers:
  shop-api:
    name: Shop API
    scopes: { orders.read: Read orders, orders.write: Place orders }

groups:
  admins: { description: Store administrators, precedence: 1 }
  support: { precedence: 10, role_arn: arn:aws:iam::123456789012:role/shop-support }

domain: shop-${env}   # a prefix domain; or { custom: auth.example.com, certificate_arn: ... }
"#;

/// The authorizer issue's example.
const AUTHORIZER: &str = r#"
authorizer:
  rest_api: shop-api-${env}      # REST API name or id
  name: cognito
  identity_source: method.request.header.Authorization
  result_ttl: 5m                 # 0 turns caching off
"#;

fn spec() -> String {
    format!("{CORE}{RESOURCES}{AUTHORIZER}")
}

/// What the spec points at outside the pool: the trigger functions and the REST API.
fn outside_world(stack: &Stack) -> Vec<String> {
    block_on(
        apigateway_client(&stack.moto.endpoint(), TEST_REGION)
            .create_rest_api()
            .name("shop-api-dev")
            .send(),
    )
    .unwrap();
    [
        "shop-dev-pre-signup",
        "shop-dev-post-confirm",
        "shop-dev-claims",
    ]
    .iter()
    .map(|f| support::lambda::create_function(&stack.moto, f, TEST_REGION))
    .collect()
}

fn poolctl(stack: &Stack) -> Poolctl {
    stack
        .poolctl()
        .env("GOOGLE_CLIENT_SECRET", "example-google-secret")
}

#[test]
fn the_examples_together_apply_from_nothing_and_converge() {
    let stack = Stack::new();
    let functions = outside_world(&stack);
    stack.spec("shop.yaml", &spec());
    poolctl(&stack).arg("validate").run().assert_success();

    let plan = poolctl(&stack)
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    plan.assert_exit(2);
    for address in [
        "+ user_pool",
        "+ client.web",
        "+ client.mobile",
        "+ identity_provider.Google",
        "+ identity_provider.Corp",
        "+ resource_server.shop-api",
        "+ group.admins",
        "+ group.support",
        "+ domain",
        "+ lambda_permission.pre_sign_up",
        "+ lambda_permission.post_confirmation",
        "+ lambda_permission.pre_token_generation",
        "+ authorizer.cognito",
    ] {
        assert!(
            plan.stdout.contains(address),
            "missing `{address}`:\n{}",
            plan.dump()
        );
    }

    poolctl(&stack)
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();
    poolctl(&stack)
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run()
        .assert_exit(0);
    poolctl(&stack)
        .args(["drift", "--env", "dev"])
        .run()
        .assert_exit(0);

    // A second apply changes nothing, and each function holds one statement.
    stack.proxy.clear();
    poolctl(&stack)
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
    for function in &functions {
        assert_eq!(
            support::lambda::statement_ids(&stack.moto, function).len(),
            1,
            "{function}"
        );
    }
}

#[test]
fn a_plan_never_reads_anything_twice() {
    let stack = Stack::new();
    outside_world(&stack);
    stack.spec("shop.yaml", &spec());
    // A second pool in the same region shares the ListUserPools walk.
    stack.spec(
        "other.yaml",
        "name: other-${env}\nenvironments: { dev: { region: us-east-1 } }\ngroups: {}\n",
    );
    poolctl(&stack)
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();

    stack.proxy.clear();
    poolctl(&stack)
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run()
        .assert_exit(0);
    let requests = stack.proxy.requests();
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for r in &requests {
        *seen
            .entry((r.operation.clone(), r.query.clone(), r.body.clone()))
            .or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "read more than once: {twice:#?}");
    let count = |op: &str| requests.iter().filter(|r| r.operation == op).count();
    assert_eq!(count("ListUserPools"), 1);
    assert_eq!(count("DescribeUserPool"), 2);
    assert_eq!(count("DescribeUserPoolClient"), 2);
    assert_eq!(count("DescribeIdentityProvider"), 2);
    assert_eq!(count("GET /restapis"), 1);
    assert!(stack.writes().is_empty());
}
