//! The API Gateway Cognito authorizer end to end: created for a new pool,
//! drift, the pool's ARN swapped add-before-remove, protected methods and the
//! stage deployment, a move to another REST API, and everything of the API
//! that is not poolctl's left alone.
//!
//! moto has no `/providerARNs` patch and no UpdateMethod; the proxy's
//! API Gateway layer (`support::faithful`) plays them the way AWS does, and
//! the tests assert on the requests poolctl sent.

use crate::support::*;
use serde_json::{json, Value};

/// The issue's example, as written there.
const EXAMPLE: &str = r#"name: shop-${env}
environments: { dev: { region: us-east-1 } }
authorizer:
  rest_api: shop-api-${env}      # REST API name or id
  name: cognito
  identity_source: method.request.header.Authorization
  result_ttl: 5m                 # 0 turns caching off
"#;

const PROTECTED: &str = r#"name: shop-${env}
environments: { dev: { region: us-east-1 } }
authorizer:
  rest_api: shop-api-${env}
  name: cognito
  result_ttl: 5m
  protect:
    - GET /orders
    - ANY /workspaces/{id}
    - { route: POST /orders, authorization_scopes: [shop-api/orders.write] }
  stage: ${env}
"#;

fn gateway(stack: &Stack) -> aws_sdk_apigateway::Client {
    apigateway_client(&stack.moto.endpoint(), TEST_REGION)
}

/// The same, but through the proxy, so its AWS-semantics layer applies.
fn gateway_via_proxy(stack: &Stack) -> aws_sdk_apigateway::Client {
    apigateway_client(&stack.proxy.endpoint(), TEST_REGION)
}

/// A REST API with `/orders` (GET, POST), `/workspaces/{id}` (ANY) and
/// `/health` (GET), every method open and integrated (MOCK), as a
/// deployment tool would have left it. Returns its id.
pub(crate) fn rest_api(stack: &Stack, name: &str) -> String {
    let c = gateway(stack);
    block_on(async {
        let api = c.create_rest_api().name(name).send().await.unwrap();
        let id = api.id().unwrap().to_string();
        let root = api.root_resource_id().unwrap().to_string();
        let orders = c
            .create_resource()
            .rest_api_id(&id)
            .parent_id(&root)
            .path_part("orders")
            .send()
            .await
            .unwrap();
        let workspaces = c
            .create_resource()
            .rest_api_id(&id)
            .parent_id(&root)
            .path_part("workspaces")
            .send()
            .await
            .unwrap();
        let workspace = c
            .create_resource()
            .rest_api_id(&id)
            .parent_id(workspaces.id().unwrap())
            .path_part("{id}")
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
        for (resource, method) in [
            (orders.id().unwrap(), "GET"),
            (orders.id().unwrap(), "POST"),
            (workspace.id().unwrap(), "ANY"),
            (health.id().unwrap(), "GET"),
        ] {
            c.put_method()
                .rest_api_id(&id)
                .resource_id(resource)
                .http_method(method)
                .authorization_type("NONE")
                .send()
                .await
                .unwrap();
            c.put_integration()
                .rest_api_id(&id)
                .resource_id(resource)
                .http_method(method)
                .r#type(aws_sdk_apigateway::types::IntegrationType::Mock)
                .send()
                .await
                .unwrap();
        }
        id
    })
}

fn plan(stack: &Stack, extra: &[&str]) -> Value {
    let mut args = vec!["plan", "--env", "dev", "--json"];
    args.extend(extra);
    let out = stack.poolctl().args(args).run();
    out.assert_success();
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.dump()))
}

fn apply(stack: &Stack, extra: &[&str]) -> Output {
    let mut args = vec!["apply", "--env", "dev", "--auto-approve"];
    args.extend(extra);
    let out = stack.poolctl().args(args).run();
    out.assert_success();
    out
}

fn pool_arn(stack: &Stack) -> String {
    block_on(async {
        let c = stack.cognito();
        let pools = c.list_user_pools().max_results(60).send().await.unwrap();
        let id = pools.user_pools()[0].id().unwrap().to_string();
        let pool = c
            .describe_user_pool()
            .user_pool_id(id)
            .send()
            .await
            .unwrap();
        pool.user_pool().unwrap().arn().unwrap().to_string()
    })
}

/// The authorizers of an API as the proxy's AWS-semantics layer reports them.
fn authorizers(stack: &Stack, api: &str) -> Vec<aws_sdk_apigateway::types::Authorizer> {
    block_on(
        gateway_via_proxy(stack)
            .get_authorizers()
            .rest_api_id(api)
            .send(),
    )
    .unwrap()
    .items()
    .to_vec()
}

/// Patch operations of a recorded API Gateway PATCH, as `op path value`.
fn patch_ops(request: &RecordedRequest) -> Vec<String> {
    request.json()["patchOperations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| {
            format!(
                "{} {} {}",
                op["op"].as_str().unwrap(),
                op["path"].as_str().unwrap(),
                op["value"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn writes(stack: &Stack) -> Vec<String> {
    stack.writes().into_iter().map(|r| r.operation).collect()
}

#[test]
fn the_issue_example_creates_the_authorizer_of_a_new_pool_and_converges() {
    let stack = Stack::new();
    let api = rest_api(&stack, "shop-api-dev");
    stack.spec("shop.yaml", EXAMPLE);

    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "create".into()),
            ("authorizer.cognito".into(), "create".into())
        ]
    );
    assert_eq!(
        fields(change(&p, "authorizer.cognito")),
        [
            (
                "rest_api".into(),
                Value::Null,
                json!(format!("shop-api-dev ({api})"))
            ),
            ("type".into(), Value::Null, json!("COGNITO_USER_POOLS")),
            (
                "provider_arns".into(),
                Value::Null,
                json!("(known after apply)")
            ),
            (
                "identity_source".into(),
                Value::Null,
                json!("method.request.header.Authorization")
            ),
            ("result_ttl".into(), Value::Null, json!("5m")),
        ]
    );
    let human = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(
        human
            .stdout
            .contains("+ provider_arns: (known after apply)"),
        "{}",
        human.dump()
    );

    stack.proxy.clear();
    let out = apply(&stack, &[]);
    assert!(
        out.stdout.contains("create authorizer.cognito"),
        "{}",
        out.dump()
    );
    // Without `protect`, nothing of the API but the authorizer is touched.
    assert_eq!(
        writes(&stack),
        [
            "CreateUserPool".to_string(),
            format!("POST /restapis/{api}/authorizers")
        ]
    );
    assert!(stack
        .proxy
        .operations()
        .iter()
        .all(|op| !op.contains("/resources")));
    let created = stack
        .proxy
        .requests_for(&format!("POST /restapis/{api}/authorizers"))[0]
        .json();
    assert_eq!(created["type"], "COGNITO_USER_POOLS");
    assert_eq!(created["providerARNs"], json!([pool_arn(&stack)]));
    assert_eq!(created["authorizerResultTtlInSeconds"], 300);
    assert_eq!(
        created["identitySource"],
        "method.request.header.Authorization"
    );

    let live = authorizers(&stack, &api);
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].provider_arns(), [pool_arn(&stack)]);
    assert!(actions(&plan(&stack, &[])).is_empty());
}

#[test]
fn drift_shows_as_changes_and_is_patched_back() {
    let stack = Stack::new();
    let api = rest_api(&stack, "shop-api-dev");
    stack.spec("shop.yaml", EXAMPLE);
    apply(&stack, &[]);
    let id = authorizers(&stack, &api)[0].id().unwrap().to_string();

    // Changed out of band: caching off, another header.
    block_on(
        gateway(&stack)
            .update_authorizer()
            .rest_api_id(&api)
            .authorizer_id(&id)
            .patch_operations(
                aws_sdk_apigateway::types::PatchOperation::builder()
                    .op(aws_sdk_apigateway::types::Op::Replace)
                    .path("/authorizerResultTtlInSeconds")
                    .value("0")
                    .build(),
            )
            .patch_operations(
                aws_sdk_apigateway::types::PatchOperation::builder()
                    .op(aws_sdk_apigateway::types::Op::Replace)
                    .path("/identitySource")
                    .value("method.request.header.X-Token")
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [("authorizer.cognito".into(), "update".into())]
    );
    assert_eq!(
        fields(change(&p, "authorizer.cognito")),
        [
            (
                "identity_source".into(),
                json!("method.request.header.X-Token"),
                json!("method.request.header.Authorization")
            ),
            ("result_ttl".into(), json!("0s"), json!("5m")),
        ]
    );
    assert_eq!(
        change(&p, "authorizer.cognito")["reasons"],
        json!([format!("on REST API shop-api-dev ({api})")])
    );

    stack.proxy.clear();
    apply(&stack, &[]);
    let patches = stack
        .proxy
        .requests_for(&format!("PATCH /restapis/{api}/authorizers/{id}"));
    assert_eq!(patches.len(), 1);
    assert_eq!(
        patch_ops(&patches[0]),
        [
            "replace /identitySource method.request.header.Authorization",
            "replace /authorizerResultTtlInSeconds 300"
        ]
    );
    assert_eq!(writes(&stack).len(), 1, "{:?}", writes(&stack));
    assert!(actions(&plan(&stack, &[])).is_empty());

    // Deleted out of band: created again.
    block_on(
        gateway(&stack)
            .delete_authorizer()
            .rest_api_id(&api)
            .authorizer_id(&id)
            .send(),
    )
    .unwrap();
    assert_eq!(
        actions(&plan(&stack, &[])),
        [("authorizer.cognito".into(), "create".into())]
    );
}

#[test]
fn a_new_pool_arn_is_added_before_the_old_one_is_removed() {
    let stack = Stack::new();
    let api = rest_api(&stack, "shop-api-dev");
    let gone = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Gone12345";
    // Left by a pool that was deleted and is now created again.
    let id = block_on(
        gateway(&stack)
            .create_authorizer()
            .rest_api_id(&api)
            .name("cognito")
            .r#type(aws_sdk_apigateway::types::AuthorizerType::CognitoUserPools)
            .provider_arns(gone)
            .identity_source("method.request.header.Authorization")
            .send(),
    )
    .unwrap()
    .id()
    .unwrap()
    .to_string();
    stack.spec("shop.yaml", EXAMPLE);

    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "create".into()),
            ("authorizer.cognito".into(), "update".into())
        ]
    );
    assert_eq!(
        fields(change(&p, "authorizer.cognito")),
        [(
            "provider_arns".into(),
            json!([gone]),
            json!("(known after apply)")
        )]
    );

    stack.proxy.clear();
    apply(&stack, &[]);
    let arn = pool_arn(&stack);
    let patches = stack
        .proxy
        .requests_for(&format!("PATCH /restapis/{api}/authorizers/{id}"));
    assert_eq!(patches.len(), 1);
    assert_eq!(
        patch_ops(&patches[0]),
        [
            format!("add /providerARNs {arn}"),
            format!("remove /providerARNs {gone}")
        ]
    );
    assert_eq!(patches[0].status, Some(200));
    assert_eq!(
        authorizers(&stack, &api)[0].provider_arns(),
        std::slice::from_ref(&arn)
    );
    assert!(actions(&plan(&stack, &[])).is_empty());

    // The other order empties the list on the way, which AWS refuses (and so
    // does the stand-in that plays it): the order above is not cosmetic.
    let op = |op, value: &str| {
        aws_sdk_apigateway::types::PatchOperation::builder()
            .op(op)
            .path("/providerARNs")
            .value(value)
            .build()
    };
    let err = block_on(
        gateway_via_proxy(&stack)
            .update_authorizer()
            .rest_api_id(&api)
            .authorizer_id(&id)
            .patch_operations(op(aws_sdk_apigateway::types::Op::Remove, &arn))
            .patch_operations(op(aws_sdk_apigateway::types::Op::Add, gone))
            .send(),
    )
    .unwrap_err();
    assert!(
        format!("{:?}", err).contains("BadRequestException"),
        "{err:?}"
    );
    assert_eq!(authorizers(&stack, &api)[0].provider_arns(), [arn]);
}

#[test]
fn missing_and_ambiguous_rest_apis_are_clear_errors() {
    let stack = Stack::new();
    stack.spec("shop.yaml", EXAMPLE);
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("shop.yaml: `authorizer.rest_api` (pool `shop`, environment `dev`): no REST API in us-east-1 is named `shop-api-dev` or has that id"),
        "{}",
        out.dump()
    );

    let first = rest_api(&stack, "shop-api-dev");
    let second = rest_api(&stack, "shop-api-dev");
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("2 REST APIs in us-east-1 are named `shop-api-dev`")
            && out.stderr.contains(&first)
            && out.stderr.contains(&second)
            && out.stderr.contains("write the id instead"),
        "{}",
        out.dump()
    );

    // By id, one of them is chosen.
    stack.spec("shop.yaml", &EXAMPLE.replace("shop-api-${env}", &second));
    let p = plan(&stack, &[]);
    assert_eq!(
        fields(change(&p, "authorizer.cognito"))[0].2,
        json!(format!("shop-api-dev ({second})"))
    );
}

#[test]
fn protect_puts_the_listed_methods_behind_the_authorizer_and_deploys_the_stage() {
    let stack = Stack::new();
    let api = rest_api(&stack, "shop-api-dev");
    stack.spec("shop.yaml", PROTECTED);

    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "create".into()),
            ("authorizer.cognito".into(), "create".into()),
            ("deployment.dev".into(), "create".into())
        ]
    );
    let protect: Vec<(String, Value)> = fields(change(&p, "authorizer.cognito"))
        .into_iter()
        .filter(|(path, _, _)| path.starts_with("protect."))
        .map(|(path, _, after)| (path, after))
        .collect();
    assert_eq!(
        protect,
        [
            (
                "protect.ANY /workspaces/{id}.authorization_type".into(),
                json!("COGNITO_USER_POOLS")
            ),
            (
                "protect.ANY /workspaces/{id}.authorizer".into(),
                json!("cognito")
            ),
            (
                "protect.GET /orders.authorization_type".into(),
                json!("COGNITO_USER_POOLS")
            ),
            ("protect.GET /orders.authorizer".into(), json!("cognito")),
            (
                "protect.POST /orders.authorization_type".into(),
                json!("COGNITO_USER_POOLS")
            ),
            ("protect.POST /orders.authorizer".into(), json!("cognito")),
            (
                "protect.POST /orders.authorization_scopes".into(),
                json!(["shop-api/orders.write"])
            ),
        ]
    );

    stack.proxy.clear();
    let out = apply(&stack, &[]);
    let authorizer = authorizers(&stack, &api)[0].id().unwrap().to_string();
    let updates: Vec<RecordedRequest> = stack
        .proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" && r.path.contains("/methods/"))
        .collect();
    let sent: Vec<(String, Vec<String>)> = updates
        .iter()
        .map(|r| (r.path.rsplit('/').next().unwrap().to_string(), patch_ops(r)))
        .collect();
    let protect_ops = |extra: &[&str]| {
        let mut ops = vec![
            "replace /authorizationType COGNITO_USER_POOLS".to_string(),
            format!("replace /authorizerId {authorizer}"),
        ];
        ops.extend(extra.iter().map(|s| s.to_string()));
        ops
    };
    assert_eq!(
        sent,
        [
            ("GET".to_string(), protect_ops(&[])),
            ("ANY".to_string(), protect_ops(&[])),
            (
                "POST".to_string(),
                protect_ops(&["add /authorizationScopes shop-api/orders.write"])
            ),
        ],
        "{}",
        out.dump()
    );
    assert!(updates.iter().all(|r| r.status == Some(200)));
    // GET /health is not listed: never touched.
    let methods = block_on(
        gateway_via_proxy(&stack)
            .get_resources()
            .rest_api_id(&api)
            .embed("methods")
            .send(),
    )
    .unwrap();
    let health = methods
        .items()
        .iter()
        .find(|r| r.path() == Some("/health"))
        .unwrap();
    assert_eq!(
        health.resource_methods().unwrap()["GET"].authorization_type(),
        Some("NONE")
    );

    // The deployment comes after the methods, and moto has the stage.
    let ops = stack.proxy.operations();
    let deploy = ops
        .iter()
        .position(|o| *o == format!("POST /restapis/{api}/deployments"))
        .unwrap_or_else(|| panic!("no deployment in {ops:?}"));
    assert!(ops.iter().rposition(|o| o.starts_with("PATCH ")).unwrap() < deploy);
    let deployment = &stack
        .proxy
        .requests_for(&format!("POST /restapis/{api}/deployments"))[0];
    assert_eq!(deployment.json()["stageName"], "dev");
    let stages = block_on(gateway(&stack).get_stages().rest_api_id(&api).send()).unwrap();
    assert_eq!(stages.item()[0].stage_name(), Some("dev"));

    // Converged: no change, so no new deployment either.
    assert!(actions(&plan(&stack, &[])).is_empty());

    // A method opened out of band shows, and its fix deploys again.
    let orders = methods
        .items()
        .iter()
        .find(|r| r.path() == Some("/orders"))
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    block_on(
        gateway_via_proxy(&stack)
            .update_method()
            .rest_api_id(&api)
            .resource_id(&orders)
            .http_method("GET")
            .patch_operations(
                aws_sdk_apigateway::types::PatchOperation::builder()
                    .op(aws_sdk_apigateway::types::Op::Replace)
                    .path("/authorizationType")
                    .value("NONE")
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [
            ("authorizer.cognito".into(), "update".into()),
            ("deployment.dev".into(), "create".into())
        ]
    );
    assert_eq!(
        fields(change(&p, "authorizer.cognito")),
        [(
            "protect.GET /orders.authorization_type".into(),
            json!("NONE"),
            json!("COGNITO_USER_POOLS")
        )]
    );
    stack.proxy.clear();
    apply(&stack, &[]);
    assert_eq!(
        writes(&stack),
        [
            format!("PATCH /restapis/{api}/resources/{orders}/methods/GET"),
            format!("POST /restapis/{api}/deployments")
        ]
    );
    assert!(actions(&plan(&stack, &[])).is_empty());
}

#[test]
fn a_route_the_api_does_not_have_is_an_error() {
    let stack = Stack::new();
    rest_api(&stack, "shop-api-dev");
    stack.spec(
        "shop.yaml",
        &PROTECTED.replace("- GET /orders", "- GET /invoices"),
    );
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("`authorizer.protect` (pool `shop`, environment `dev`)")
            && out.stderr.contains("has no method `GET /invoices`")
            && out.stderr.contains("does not create them"),
        "{}",
        out.dump()
    );
}

#[test]
fn moving_to_another_rest_api_replaces_the_authorizer() {
    let stack = Stack::new();
    let old = rest_api(&stack, "shop-api-dev");
    let new = rest_api(&stack, "shop-api-v2-dev");
    stack.spec("shop.yaml", EXAMPLE);
    apply(&stack, &[]);
    let old_id = authorizers(&stack, &old)[0].id().unwrap().to_string();

    stack.spec(
        "shop.yaml",
        &EXAMPLE.replace("shop-api-${env}", "shop-api-v2-${env}"),
    );
    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [("authorizer.cognito".into(), "replace".into())]
    );
    assert_eq!(
        fields(change(&p, "authorizer.cognito")),
        [(
            "rest_api".into(),
            json!(format!("shop-api-dev ({old})")),
            json!(format!("shop-api-v2-dev ({new})"))
        )]
    );

    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("--allow-replace"), "{}", out.dump());
    assert!(writes(&stack).is_empty());

    apply(&stack, &["--allow-replace"]);
    assert_eq!(
        writes(&stack),
        [
            format!("POST /restapis/{new}/authorizers"),
            format!("DELETE /restapis/{old}/authorizers/{old_id}")
        ]
    );
    assert!(authorizers(&stack, &old).is_empty());
    assert_eq!(authorizers(&stack, &new)[0].name(), Some("cognito"));
    assert!(actions(&plan(&stack, &[])).is_empty());
}

#[test]
fn a_move_is_blocked_while_the_old_api_s_methods_use_the_authorizer() {
    let stack = Stack::new();
    let old = rest_api(&stack, "shop-api-dev");
    rest_api(&stack, "shop-api-v2-dev");
    stack.spec("shop.yaml", PROTECTED);
    apply(&stack, &[]);

    stack.spec(
        "shop.yaml",
        &PROTECTED.replace("shop-api-${env}", "shop-api-v2-${env}"),
    );
    let p = plan(&stack, &[]);
    let c = change(&p, "authorizer.cognito");
    assert_eq!(c["action"], "blocked");
    let reasons = c["reasons"].to_string();
    assert!(
        reasons.contains(&format!("the authorizer on shop-api-dev ({old}) still protects ANY /workspaces/{{id}}, GET /orders, POST /orders")),
        "{reasons}"
    );
    assert!(
        actions(&p).iter().all(|(a, _)| a != "deployment.dev"),
        "{p}"
    );
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve", "--allow-replace"])
        .run();
    out.assert_exit(1);
    assert!(writes(&stack).is_empty(), "{:?}", writes(&stack));
}

#[test]
fn other_authorizers_on_the_api_are_not_poolctl_s() {
    let stack = Stack::new();
    let api = rest_api(&stack, "shop-api-dev");
    stack.spec("shop.yaml", EXAMPLE);
    apply(&stack, &[]);
    let arn = pool_arn(&stack);
    block_on(async {
        let c = gateway(&stack);
        c.create_authorizer()
            .rest_api_id(&api)
            .name("legacy")
            .r#type(aws_sdk_apigateway::types::AuthorizerType::CognitoUserPools)
            .provider_arns(&arn)
            .identity_source("method.request.header.Authorization")
            .send()
            .await
            .unwrap();
        c.create_authorizer()
            .rest_api_id(&api)
            .name("lambda")
            .r#type(aws_sdk_apigateway::types::AuthorizerType::Token)
            .authorizer_uri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations")
            .identity_source("method.request.header.Authorization")
            .send()
            .await
            .unwrap();
    });

    // Only the one pointing at this pool is mentioned, and never deleted.
    let p = plan(&stack, &["--prune"]);
    assert_eq!(
        actions(&p),
        [("authorizer.legacy".into(), "unmanaged".into())]
    );
    assert!(
        change(&p, "authorizer.legacy")["reasons"]
            .to_string()
            .contains("never deletes it, not even with --prune"),
        "{p}"
    );
    stack.proxy.clear();
    apply(&stack, &["--prune"]);
    assert!(writes(&stack).is_empty(), "{:?}", writes(&stack));
    assert_eq!(authorizers(&stack, &api).len(), 3);

    // A non-Cognito authorizer of the spec's name is not taken over.
    stack.spec(
        "shop.yaml",
        &EXAMPLE.replace("name: cognito", "name: lambda"),
    );
    let p = plan(&stack, &[]);
    let c = change(&p, "authorizer.lambda");
    assert_eq!(c["action"], "blocked");
    assert!(
        c["reasons"]
            .to_string()
            .contains("is not a Cognito authorizer"),
        "{p}"
    );
}

#[test]
fn the_rest_api_is_found_on_any_page_of_get_rest_apis() {
    let stack = Stack::new();
    let api = rest_api(&stack, "shop-api-dev");
    stack.spec("shop.yaml", EXAMPLE);
    // A first page that does not hold it, pointing at a next page (which moto,
    // ignoring paging, answers with everything).
    stack.proxy.set_fault_rule(fault_first(
        1,
        "GET /restapis",
        Fault::Respond(
            200,
            vec![("content-type".into(), "application/json".into())],
            r#"{"item":[{"id":"decoy00001","name":"another-api"}],"position":"page-2"}"#.into(),
        ),
    ));
    let p = plan(&stack, &[]);
    assert_eq!(
        fields(change(&p, "authorizer.cognito"))[0].2,
        json!(format!("shop-api-dev ({api})"))
    );
    let listings = stack.proxy.requests_for("GET /restapis");
    assert_eq!(listings.len(), 2, "{listings:?}");
    assert!(
        listings[1].query.contains("position=page-2"),
        "{}",
        listings[1].query
    );
}

const HTTP: &str = r#"name: shop-${env}
environments: { dev: { region: us-east-1 } }
clients: { web: {}, mobile: {}, admin: {} }
authorizer:
  http_api: shop-http-${env}
  name: cognito
  audience: [web, mobile]
"#;

/// An HTTP API straight in moto; returns its id.
fn http_api(stack: &Stack, name: &str) -> String {
    block_on(
        apigatewayv2_client(&stack.moto.endpoint(), TEST_REGION)
            .create_api()
            .name(name)
            .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
            .send(),
    )
    .unwrap()
    .api_id()
    .unwrap()
    .to_string()
}

/// The ids of the pool's live app clients, by name (poolctl created them).
fn client_ids(stack: &Stack, names: &[&str]) -> Vec<String> {
    block_on(async {
        let c = stack.cognito();
        let pools = c.list_user_pools().max_results(60).send().await.unwrap();
        let pool = pools.user_pools()[0].id().unwrap().to_string();
        let listed = c
            .list_user_pool_clients()
            .user_pool_id(&pool)
            .max_results(60)
            .send()
            .await
            .unwrap();
        names
            .iter()
            .map(|name| {
                listed
                    .user_pool_clients()
                    .iter()
                    .find(|c| c.client_name() == Some(*name))
                    .and_then(|c| c.client_id())
                    .unwrap_or_else(|| panic!("no live client {name}"))
                    .to_string()
            })
            .collect()
    })
}

#[test]
fn an_http_api_gets_a_jwt_authorizer_for_the_named_clients() {
    let stack = Stack::new();
    let api = http_api(&stack, "shop-http-dev");
    stack.spec("shop.yaml", HTTP);

    // A new pool: issuer and audience are known only after apply.
    let p = plan(&stack, &[]);
    assert_eq!(
        fields(change(&p, "authorizer.cognito")),
        [
            (
                "http_api".into(),
                Value::Null,
                json!(format!("shop-http-dev ({api})"))
            ),
            ("type".into(), Value::Null, json!("JWT")),
            ("issuer".into(), Value::Null, json!("(known after apply)")),
            ("audience".into(), Value::Null, json!("(known after apply)")),
            (
                "identity_source".into(),
                Value::Null,
                json!("$request.header.Authorization")
            ),
        ]
    );

    // The pool and its clients first, then the authorizer.
    stack.spec("shop.yaml", HTTP.split("authorizer:").next().unwrap());
    apply(&stack, &[]);
    let ids = client_ids(&stack, &["web", "mobile", "admin"]);
    stack.spec("shop.yaml", HTTP);
    let issuer = format!(
        "https://cognito-idp.us-east-1.amazonaws.com/{}",
        pool_id(&stack)
    );
    let mut audience = vec![ids[0].clone(), ids[1].clone()];
    audience.sort();
    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [("authorizer.cognito".into(), "create".into())]
    );
    let f = fields(change(&p, "authorizer.cognito"));
    assert_eq!(f[2].2, json!(issuer));
    assert_eq!(f[3].2, json!(audience));

    stack.proxy.clear();
    apply(&stack, &[]);
    let created = &stack
        .proxy
        .requests_for(&format!("POST /v2/apis/{api}/authorizers"))[0];
    let body = created.json();
    assert_eq!(body["authorizerType"], "JWT");
    assert_eq!(
        body["identitySource"],
        json!(["$request.header.Authorization"])
    );
    assert_eq!(body["jwtConfiguration"]["issuer"], json!(issuer));
    assert_eq!(body["jwtConfiguration"]["audience"], json!(audience));
    assert!(actions(&plan(&stack, &[])).is_empty());

    // Another client joins the audience: the JWT configuration is sent whole.
    stack.spec(
        "shop.yaml",
        &HTTP.replace("[web, mobile]", "[web, mobile, admin]"),
    );
    let p = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [("authorizer.cognito".into(), "update".into())]
    );
    assert_eq!(
        fields(change(&p, "authorizer.cognito"))
            .into_iter()
            .map(|(path, _, _)| path)
            .collect::<Vec<_>>(),
        ["audience"]
    );
    stack.proxy.clear();
    apply(&stack, &[]);
    let updates: Vec<RecordedRequest> = stack
        .proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(updates.len(), 1, "{updates:?}");
    let mut all = ids.clone();
    all.sort();
    assert_eq!(
        updates[0].json()["jwtConfiguration"]["issuer"],
        json!(issuer)
    );
    assert_eq!(
        updates[0].json()["jwtConfiguration"]["audience"],
        json!(all)
    );
    assert!(actions(&plan(&stack, &["--prune"])).is_empty());

    // Another authorizer trusting this pool is unmanaged, and stays.
    block_on(
        apigatewayv2_client(&stack.proxy.endpoint(), TEST_REGION)
            .create_authorizer()
            .api_id(&api)
            .name("by-hand")
            .authorizer_type(aws_sdk_apigatewayv2::types::AuthorizerType::Jwt)
            .identity_source("$request.header.Authorization")
            .jwt_configuration(
                aws_sdk_apigatewayv2::types::JwtConfiguration::builder()
                    .issuer(&issuer)
                    .audience(&ids[0])
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let p = plan(&stack, &["--prune"]);
    assert_eq!(
        actions(&p),
        [("authorizer.by-hand".into(), "unmanaged".into())]
    );
    stack.proxy.clear();
    apply(&stack, &["--prune"]);
    assert!(writes(&stack).is_empty(), "{:?}", writes(&stack));
}

#[test]
fn a_missing_http_api_is_a_clear_error() {
    let stack = Stack::new();
    stack.spec("shop.yaml", HTTP);
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("`authorizer.http_api` (pool `shop`, environment `dev`): no HTTP API in us-east-1 is named `shop-http-dev`"),
        "{}",
        out.dump()
    );
}

#[test]
fn an_http_authorizer_and_the_clients_it_trusts_are_created_in_one_apply() {
    let stack = Stack::new();
    let api = http_api(&stack, "shop-http-dev");
    stack.spec("shop.yaml", HTTP);
    stack.proxy.clear();
    apply(&stack, &[]);

    // The clients came before the authorizer, which trusts exactly their ids.
    let ops = stack.proxy.operations();
    let last_client = ops
        .iter()
        .rposition(|o| o == "CreateUserPoolClient")
        .unwrap();
    let authorizer_at = ops
        .iter()
        .position(|o| o == &format!("POST /v2/apis/{api}/authorizers"))
        .unwrap();
    assert!(last_client < authorizer_at, "{ops:?}");
    let created = &stack
        .proxy
        .requests_for(&format!("POST /v2/apis/{api}/authorizers"))[0];
    let mut audience = client_ids(&stack, &["web", "mobile"]);
    audience.sort();
    assert_eq!(
        created.json()["jwtConfiguration"]["audience"],
        json!(audience)
    );
    // The authorizer's client ids come from the clients' own read: one
    // listing of the pool's clients, not one for each.
    stack.proxy.clear();
    assert!(actions(&plan(&stack, &[])).is_empty());
    assert_eq!(
        stack.proxy.requests_for("ListUserPoolClients").len(),
        1,
        "{:?}",
        stack.proxy.operations()
    );
}

#[test]
fn a_moved_authorizer_found_already_gone_from_the_old_api_is_deleted() {
    let stack = Stack::new();
    let old = rest_api(&stack, "shop-api-dev");
    let new = rest_api(&stack, "shop-api-v2-dev");
    stack.spec("shop.yaml", EXAMPLE);
    apply(&stack, &[]);
    let old_id = authorizers(&stack, &old)[0].id().unwrap().to_string();
    stack.spec(
        "shop.yaml",
        &EXAMPLE.replace("shop-api-${env}", "shop-api-v2-${env}"),
    );

    // API Gateway deletes the old authorizer but the answer is lost: the
    // SDK's retry finds it gone, which is what the step was for.
    let delete = format!("DELETE /restapis/{old}/authorizers/{old_id}");
    stack.proxy.clear();
    stack
        .proxy
        .set_fault_rule(fault_first(1, &delete, Fault::LoseAnswer));
    apply(&stack, &["--allow-replace"]);
    stack.proxy.clear_fault_rule();
    let attempts: Vec<Option<u16>> = stack
        .proxy
        .requests_for(&delete)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(attempts, [None, Some(404)]);
    assert!(authorizers(&stack, &old).is_empty());
    assert_eq!(authorizers(&stack, &new)[0].name(), Some("cognito"));
    assert!(actions(&plan(&stack, &[])).is_empty());
}
