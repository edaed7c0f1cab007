//! Identity pools end to end: created after the pool and its clients, with
//! roles and role mappings; a second plan is empty; a mapping changed by
//! hand is drift that apply restores; a renamed client moves the provider;
//! roles whose trust policy would refuse the pool are warned about; bad
//! input never reaches AWS.

use crate::support::*;
use serde_json::Value;

const ACCOUNT: &str = "123456789012";

fn spec(client: &str) -> String {
    format!(
        r#"name: idp-${{env}}
environments: {{ dev: {{ region: us-east-1 }} }}
clients:
  {client}: {{ explicit_auth_flows: [user_srp, refresh_token] }}
groups:
  admins: {{ precedence: 1, role_arn: "arn:aws:iam::{ACCOUNT}:role/idp-admins" }}
identity_pools:
  shop:
    name: shop_${{env}}
    allow_unauthenticated: true
    cognito_providers:
      - {{ client: {client}, server_side_token_check: true }}
    roles:
      authenticated: arn:aws:iam::{ACCOUNT}:role/idp-auth
      unauthenticated: arn:aws:iam::{ACCOUNT}:role/idp-guest
    role_mappings:
      {client}: {{ type: token, ambiguous_role_resolution: authenticated_role }}
    tags: {{ team: payments }}
"#
    )
}

fn plan(stack: &Stack) -> (Output, Value) {
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--json"])
        .run();
    out.assert_success();
    let json = serde_json::from_str(&out.stdout).unwrap();
    (out, json)
}

fn apply(stack: &Stack) -> Output {
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_success();
    out
}

/// A client to the proxy: the identity-pool calls moto lacks are answered
/// by the fidelity layer there.
fn identity(stack: &Stack) -> aws_sdk_cognitoidentity::Client {
    aws_sdk_cognitoidentity::Client::new(&sdk_config(
        &stack.proxy.endpoint(),
        TEST_REGION,
        aws_smithy_types::retry::RetryConfig::disabled(),
    ))
}

fn iam(stack: &Stack) -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sdk_config(
        &stack.moto.endpoint(),
        TEST_REGION,
        aws_smithy_types::retry::RetryConfig::disabled(),
    ))
}

fn identity_pool_id(stack: &Stack) -> String {
    let pools = block_on(identity(stack).list_identity_pools().max_results(60).send()).unwrap();
    let found: Vec<_> = pools
        .identity_pools()
        .iter()
        .filter(|p| p.identity_pool_name() == Some("shop_dev"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].identity_pool_id().unwrap().to_string()
}

/// Requests that change something; IAM's query protocol posts its reads
/// (`Action=GetRole`), so those are told apart by their action.
fn writes(stack: &Stack) -> Vec<RecordedRequest> {
    stack
        .writes()
        .into_iter()
        .filter(|r| !(r.target_service == "iam" && r.body.starts_with("Action=GetRole&")))
        .collect()
}

fn trust_policy(aud: &str, amr: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": aud},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}
            }
        }]
    })
    .to_string()
}

fn create_role(stack: &Stack, name: &str, policy: &str) {
    block_on(
        iam(stack)
            .create_role()
            .role_name(name)
            .assume_role_policy_document(policy)
            .send(),
    )
    .unwrap();
}

#[test]
fn an_identity_pool_is_created_after_its_clients_and_converges() {
    let stack = Stack::new();
    stack.spec("idp.yaml", &spec("web"));
    // Throttled identity-pool calls are retried like the rest.
    stack
        .proxy
        .set_fault_rule(fault_first(1, "CreateIdentityPool", Fault::Throttle));
    let (out, p) = plan(&stack);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "create".into()),
            ("group.admins".into(), "create".into()),
            ("client.web".into(), "create".into()),
            ("identity_pool.shop".into(), "create".into()),
        ],
        "{}",
        out.dump()
    );
    apply(&stack);
    let creates = stack.proxy.requests_for("CreateIdentityPool");
    assert_eq!(creates.len(), 2, "one throttled, one retried");
    assert!(creates[0].faulted && !creates[1].faulted);
    let created: Vec<_> = stack
        .proxy
        .requests_for("ListIdentityPools")
        .into_iter()
        .collect();
    assert!(!created.is_empty());

    // The order: the client exists before the identity pool names it, and
    // the roles are set once the identity pool exists.
    let ops = stack.proxy.operations();
    let at = |op: &str| {
        ops.iter()
            .position(|o| o == op)
            .unwrap_or_else(|| panic!("{op} in {ops:?}"))
    };
    assert!(
        at("CreateUserPoolClient") < at("CreateIdentityPool"),
        "{ops:?}"
    );
    assert!(
        at("CreateIdentityPool") < at("SetIdentityPoolRoles"),
        "{ops:?}"
    );

    let pool = pool_id(&stack);
    let client_id = stack.proxy.requests_for("CreateUserPoolClient")[0].status;
    assert_eq!(client_id, Some(200));
    let create = &stack.proxy.requests_for("CreateIdentityPool")[0].json();
    assert_eq!(create["IdentityPoolName"], "shop_dev");
    assert_eq!(create["AllowUnauthenticatedIdentities"], true);
    let provider = format!("cognito-idp.us-east-1.amazonaws.com/{pool}");
    assert_eq!(
        create["CognitoIdentityProviders"][0]["ProviderName"],
        provider
    );
    assert_eq!(
        create["CognitoIdentityProviders"][0]["ServerSideTokenCheck"],
        true
    );
    let web_id = create["CognitoIdentityProviders"][0]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    let roles = &stack.proxy.requests_for("SetIdentityPoolRoles")[0].json();
    assert_eq!(
        roles["Roles"]["authenticated"],
        format!("arn:aws:iam::{ACCOUNT}:role/idp-auth")
    );
    let mapping = &roles["RoleMappings"][format!("{provider}:{web_id}")];
    assert_eq!(mapping["Type"], "Token", "{roles}");
    assert_eq!(mapping["AmbiguousRoleResolution"], "AuthenticatedRole");

    // Converged: nothing to do, and the plan wrote nothing.
    stack.proxy.clear();
    let (out, p) = plan(&stack);
    assert!(actions(&p).is_empty(), "{}", out.dump());
    assert!(writes(&stack).is_empty(), "{:?}", writes(&stack));
    // An identity pool the spec does not name is never mentioned.
    block_on(
        identity(&stack)
            .create_identity_pool()
            .identity_pool_name("someone_elses")
            .allow_unauthenticated_identities(false)
            .send(),
    )
    .unwrap();
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--prune", "--json"])
        .run();
    out.assert_success();
    let p: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(actions(&p).is_empty(), "{}", out.dump());

    // `outputs` gives apps the identity pool's id, read from AWS.
    let id = identity_pool_id(&stack);
    let out = stack
        .poolctl()
        .args(["outputs", "--env", "dev", "--format", "dotenv"])
        .run();
    out.assert_success();
    assert!(
        out.stdout
            .lines()
            .any(|l| l == format!("IDP_DEV_IDENTITY_POOL_SHOP_ID={id}")),
        "{}",
        out.dump()
    );
    let out = stack.poolctl().args(["outputs", "--env", "dev"]).run();
    out.assert_success();
    assert!(out.stdout.contains(&id), "{}", out.dump());
}

#[test]
fn a_role_mapping_changed_by_hand_is_drift_that_apply_restores() {
    let stack = Stack::new();
    stack.spec("idp.yaml", &spec("web"));
    apply(&stack);
    let id = identity_pool_id(&stack);
    let client = identity(&stack);
    let live = block_on(
        client
            .get_identity_pool_roles()
            .identity_pool_id(&id)
            .send(),
    )
    .unwrap();
    let (key, _) = live.role_mappings().unwrap().iter().next().unwrap();
    let by_hand = aws_sdk_cognitoidentity::types::RoleMapping::builder()
        .r#type(aws_sdk_cognitoidentity::types::RoleMappingType::Token)
        .ambiguous_role_resolution(
            aws_sdk_cognitoidentity::types::AmbiguousRoleResolutionType::Deny,
        )
        .build()
        .unwrap();
    block_on(
        client
            .set_identity_pool_roles()
            .identity_pool_id(&id)
            .set_roles(Some(live.roles().unwrap().clone()))
            .role_mappings(key, by_hand)
            .send(),
    )
    .unwrap();

    let out = stack.poolctl().args(["drift", "--env", "dev"]).run();
    assert!(
        out.stdout
            .contains("role_mappings.web.ambiguous_role_resolution"),
        "{}",
        out.dump()
    );
    assert_ne!(out.status, 0, "{}", out.dump());
    let (_, p) = plan(&stack);
    assert_eq!(
        actions(&p),
        [("identity_pool.shop".into(), "update".into())]
    );
    stack.proxy.clear();
    apply(&stack);
    // Only the roles changed: the identity pool itself is not updated.
    assert!(stack.proxy.requests_for("UpdateIdentityPool").is_empty());
    let sent = stack.proxy.requests_for("SetIdentityPoolRoles");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].json()["RoleMappings"][key]["AmbiguousRoleResolution"],
        "AuthenticatedRole"
    );
    let (out, p) = plan(&stack);
    assert!(actions(&p).is_empty(), "{}", out.dump());
}

#[test]
fn a_client_renamed_in_the_spec_moves_the_provider() {
    let stack = Stack::new();
    stack.spec("idp.yaml", &spec("web"));
    apply(&stack);
    stack.spec("idp.yaml", &spec("storefront"));
    let (out, p) = plan(&stack);
    let acts = actions(&p);
    assert!(
        acts.contains(&("client.storefront".into(), "create".into())),
        "{}",
        out.dump()
    );
    assert!(
        acts.contains(&("identity_pool.shop".into(), "update".into())),
        "{}",
        out.dump()
    );
    // In the spec's terms: the provider and its mapping move between clients.
    let paths: Vec<String> = fields(change(&p, "identity_pool.shop"))
        .into_iter()
        .map(|(path, _, _)| path)
        .collect();
    for expected in [
        "cognito_providers.storefront.client_id",
        "cognito_providers.web",
        "role_mappings.storefront.type",
        "role_mappings.web",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} in {paths:?}"
        );
    }
    stack.proxy.clear();
    apply(&stack);
    let created = stack.proxy.requests_for("CreateUserPoolClient");
    assert_eq!(created.len(), 1);
    let update = stack.proxy.requests_for("UpdateIdentityPool");
    assert_eq!(update.len(), 1, "{:?}", stack.proxy.operations());
    let new_id = block_on(
        stack
            .cognito()
            .list_user_pool_clients()
            .user_pool_id(pool_id(&stack))
            .send(),
    )
    .unwrap()
    .user_pool_clients()
    .iter()
    .find(|c| c.client_name() == Some("storefront"))
    .and_then(|c| c.client_id())
    .unwrap()
    .to_string();
    let sent = update[0].json();
    assert_eq!(
        sent["CognitoIdentityProviders"][0]["ClientId"],
        new_id.as_str()
    );
    // The whole pool is sent, not only what changed.
    assert_eq!(sent["IdentityPoolTags"]["team"], "payments");
    assert_eq!(sent["AllowUnauthenticatedIdentities"], true);
    let roles = stack.proxy.requests_for("SetIdentityPoolRoles");
    assert_eq!(roles.len(), 1);
    let keys: Vec<String> = roles[0].json()["RoleMappings"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert!(keys[0].ends_with(&format!(":{new_id}")), "{keys:?}");
    let (out, p) = plan(&stack);
    // The old client is unmanaged now; the identity pool converged.
    assert_eq!(
        actions(&p),
        [("client.web".into(), "unmanaged".into())],
        "{}",
        out.dump()
    );
}

#[test]
fn roles_whose_trust_policy_would_refuse_the_pool_are_warned_about() {
    let stack = Stack::new();
    stack.spec("idp.yaml", &spec("web"));
    apply(&stack);
    let id = identity_pool_id(&stack);
    create_role(&stack, "idp-auth", &trust_policy(&id, "authenticated"));
    create_role(
        &stack,
        "idp-guest",
        &trust_policy(
            "us-east-1:00000000-0000-0000-0000-000000000000",
            "unauthenticated",
        ),
    );
    // The group's role is reached through the token mapping: wrong amr.
    create_role(&stack, "idp-admins", &trust_policy(&id, "unauthenticated"));

    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_success();
    let text = &out.stdout;
    assert!(
        text.contains(&format!("role arn:aws:iam::{ACCOUNT}:role/idp-guest (roles.unauthenticated) would refuse this identity pool"))
            && text.contains("it names us-east-1:00000000-0000-0000-0000-000000000000")
            && text.contains(&id),
        "{}",
        out.dump()
    );
    assert!(
        text.contains("idp-admins") && text.contains("amr` = authenticated"),
        "{}",
        out.dump()
    );
    assert!(!text.contains("role/idp-auth ("), "{}", out.dump());
    // The JSON plan carries the same warnings.
    let (_, p) = plan(&stack);
    let warnings = p["pools"][0]["warnings"].to_string();
    assert!(
        warnings.contains("idp-guest (roles.unauthenticated) would refuse this identity pool"),
        "{warnings}"
    );
    // poolctl only reads IAM.
    let iam_calls: Vec<String> = stack
        .proxy
        .requests()
        .iter()
        .filter(|r| r.body.contains("Action="))
        .map(|r| r.body.clone())
        .collect();
    assert!(!iam_calls.is_empty());
    assert!(
        iam_calls.iter().all(|b| b.contains("Action=GetRole")),
        "{iam_calls:?}"
    );
}

#[test]
fn a_role_poolctl_cannot_read_is_a_note() {
    let stack = Stack::new();
    stack.spec(
        "idp.yaml",
        &spec("web").replace(
            &format!("arn:aws:iam::{ACCOUNT}:role/idp-auth"),
            "arn:aws:iam::999999999999:role/elsewhere",
        ),
    );
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_success();
    assert!(
        out.stdout
            .contains("note: identity_pool.shop: role arn:aws:iam::999999999999:role/elsewhere"),
        "{}",
        out.dump()
    );
}

#[test]
fn bad_identity_pool_input_is_located_and_sends_nothing() {
    let stack = Stack::new();
    let cases = [
        (
            spec("web").replace("- { client: web,", "- { client: webb,"),
            "identity_pools.shop.cognito_providers.0.client: `webb` is not a client of this spec",
        ),
        (
            spec("web").replace("type: token", "type: rules"),
            "identity_pools.shop.role_mappings.web.rules: a `rules` mapping needs `rules`",
        ),
        (
            spec("web").replace("name: shop_${env}", "name: shop-${env}"),
            "identity_pools.shop.name: `shop-dev` is not an identity pool name",
        ),
    ];
    for (text, expected) in cases {
        stack.spec("idp.yaml", &text);
        stack.proxy.clear();
        let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
        assert_ne!(out.status, 0, "{}", out.dump());
        assert!(out.stderr.contains(expected), "{}", out.dump());
        assert!(out.stderr.contains("pools/idp.yaml:"), "{}", out.dump());
        assert!(
            stack.proxy.requests().is_empty(),
            "{:?}",
            stack.proxy.operations()
        );
    }
}

#[test]
fn two_identity_pools_with_the_spec_name_are_an_error_naming_both() {
    let stack = Stack::new();
    stack.spec("idp.yaml", &spec("web"));
    let client = identity(&stack);
    let mut ids = Vec::new();
    for _ in 0..2 {
        let out = block_on(
            client
                .create_identity_pool()
                .identity_pool_name("shop_dev")
                .allow_unauthenticated_identities(false)
                .send(),
        )
        .unwrap();
        ids.push(out.identity_pool_id().to_string());
    }
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert_ne!(out.status, 0);
    for id in &ids {
        assert!(out.stderr.contains(id.as_str()), "{}", out.dump());
    }
    assert!(out.stderr.contains("identity_pool_id"), "{}", out.dump());
}

#[test]
fn a_saved_plan_goes_stale_when_the_identity_pool_moves() {
    let stack = Stack::new();
    stack.spec("idp.yaml", &spec("web"));
    apply(&stack);
    stack.spec(
        "idp.yaml",
        &spec("web").replace("team: payments", "team: checkout"),
    );
    let file = stack.path().join("dev.plan.json");
    stack
        .poolctl()
        .args(["plan", "--env", "dev", "--out"])
        .arg(&file)
        .run()
        .assert_success();
    let shown = stack.poolctl().args(["show", "--json"]).arg(&file).run();
    shown.assert_success();
    assert!(
        shown.stdout.contains("identity_pool.shop"),
        "{}",
        shown.dump()
    );

    // Someone turns guest access off by hand: the saved plan is stale.
    let id = identity_pool_id(&stack);
    block_on(
        identity(&stack)
            .update_identity_pool()
            .identity_pool_id(&id)
            .identity_pool_name("shop_dev")
            .allow_unauthenticated_identities(false)
            .send(),
    )
    .unwrap();
    stack.proxy.clear();
    let out = stack.poolctl().arg("apply").arg(&file).run();
    out.assert_exit(1);
    assert!(out.stderr.contains("saved plan is stale"), "{}", out.dump());
    assert!(writes(&stack).is_empty(), "{:?}", writes(&stack));

    // Planned afresh, it applies and converges.
    stack
        .poolctl()
        .args(["plan", "--env", "dev", "--out"])
        .arg(&file)
        .run()
        .assert_success();
    stack
        .poolctl()
        .arg("apply")
        .arg(&file)
        .run()
        .assert_success();
    let sent = stack.proxy.requests_for("UpdateIdentityPool");
    assert_eq!(
        sent.last().unwrap().json()["AllowUnauthenticatedIdentities"],
        true
    );
    let (out, p) = plan(&stack);
    assert!(actions(&p).is_empty(), "{}", out.dump());
}

#[test]
fn principal_tags_classic_flow_and_the_fixed_developer_provider_name() {
    let stack = Stack::new();
    let text = spec("web").replace(
        "    tags: { team: payments }\n",
        "    tags: { team: payments }\n    allow_classic_flow: true\n    developer_provider_name: login.shop\n    principal_tags:\n      web: { tags: { username: sub, client: aud } }\n",
    );
    stack.spec("idp.yaml", &text);
    apply(&stack);
    let pool = pool_id(&stack);
    let sent = stack.proxy.requests_for("SetPrincipalTagAttributeMap");
    assert_eq!(sent.len(), 1);
    let body = sent[0].json();
    assert_eq!(
        body["IdentityProviderName"],
        format!("cognito-idp.us-east-1.amazonaws.com/{pool}")
    );
    assert_eq!(body["PrincipalTags"]["username"], "sub");
    assert_eq!(body["UseDefaults"], false);
    assert_eq!(
        stack.proxy.requests_for("CreateIdentityPool")[0].json()["AllowClassicFlow"],
        true
    );
    let (out, p) = plan(&stack);
    assert!(actions(&p).is_empty(), "{}", out.dump());

    // The developer provider name cannot change: blocked, with why.
    stack.spec("idp.yaml", &text.replace("login.shop", "login.store"));
    let (out, p) = plan(&stack);
    assert_eq!(
        actions(&p),
        [("identity_pool.shop".into(), "blocked".into())],
        "{}",
        out.dump()
    );
    let change = &p["pools"][0]["changes"][0];
    assert!(
        change["reasons"]
            .to_string()
            .contains("developer provider name once it is set"),
        "{change}"
    );
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    assert_ne!(out.status, 0, "{}", out.dump());
    assert!(writes(&stack).is_empty(), "{:?}", writes(&stack));
}

#[test]
fn an_identity_pool_imports_to_a_spec_whose_plan_is_empty() {
    let stack = Stack::new();
    let path = stack.spec("idp.yaml", &spec("web"));
    apply(&stack);
    std::fs::remove_file(&path).unwrap();
    let id = identity_pool_id(&stack);

    // By id (by name works the same way: it is found by exact name).
    let out = stack
        .poolctl()
        .region("us-east-1")
        .args([
            "import",
            "--env",
            "dev",
            "--name",
            "idp-dev",
            "--identity-pool",
            &id,
        ])
        .run();
    out.assert_success();
    assert!(
        out.stderr
            .contains("checked: `poolctl plan --env dev` shows no changes"),
        "{}",
        out.dump()
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let pool = &doc["identity_pools"]["shop"];
    assert_eq!(pool["name"], "shop_${env}", "{text}");
    assert_eq!(pool["allow_unauthenticated"], true, "{text}");
    assert_eq!(pool["cognito_providers"][0]["client"], "web", "{text}");
    assert_eq!(pool["role_mappings"]["web"]["type"], "token", "{text}");
    assert_eq!(
        pool["roles"]["authenticated"],
        format!("arn:aws:iam::{ACCOUNT}:role/idp-auth"),
        "{text}"
    );
    let (out, p) = plan(&stack);
    assert!(actions(&p).is_empty(), "{}\n{text}", out.dump());

    let out = stack
        .poolctl()
        .region("us-east-1")
        .args([
            "import",
            "--env",
            "dev",
            "--name",
            "idp-dev",
            "--identity-pool",
            "nope",
            "--out",
            "-",
        ])
        .run();
    assert_ne!(out.status, 0);
    assert!(
        out.stderr
            .contains("no identity pool in us-east-1 is named `nope`"),
        "{}",
        out.dump()
    );
}
