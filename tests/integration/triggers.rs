//! Lambda triggers and their permissions end to end, against moto's Cognito
//! and Lambda: created from nothing, converging, drift, moving and detaching
//! a trigger, statements never duplicated, missing and cross-region functions.

use crate::support::lambda::*;
use crate::support::*;
use serde_json::{json, Value};

/// The issue's example, in a pool of its own name.
const SPEC: &str = r#"name: trg-${env}
environments: { dev: { region: us-east-1 } }
tier: essentials
triggers:
  pre_sign_up: arn:aws:lambda:${region}:123456789012:function:shop-${env}-pre-signup
  post_confirmation: arn:aws:lambda:${region}:123456789012:function:shop-${env}-post-confirm
  pre_token_generation:
    lambda_arn: arn:aws:lambda:${region}:123456789012:function:shop-${env}-claims
    lambda_version: v2
"#;

const PRE_LINE: &str =
    "pre_sign_up: arn:aws:lambda:${region}:123456789012:function:shop-${env}-pre-signup";
const POST_LINE: &str =
    "post_confirmation: arn:aws:lambda:${region}:123456789012:function:shop-${env}-post-confirm";

const PRE: &str = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-pre-signup";
const POST: &str = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-post-confirm";
const CLAIMS: &str = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-claims";

/// The three functions the spec names, created in moto.
fn functions(stack: &Stack) {
    for (name, arn) in [
        ("shop-dev-pre-signup", PRE),
        ("shop-dev-post-confirm", POST),
        ("shop-dev-claims", CLAIMS),
    ] {
        assert_eq!(create_function(&stack.moto, name, TEST_REGION), arn);
    }
}

fn plan(stack: &Stack) -> Value {
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--json"])
        .run();
    out.assert_success();
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.dump()))
}

fn field<'a>(change: &'a Value, path: &str) -> &'a Value {
    change["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no field {path} in {change}"))
}

fn apply(stack: &Stack) -> Output {
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_success();
    out
}

fn assert_converged(stack: &Stack) {
    let p = plan(stack);
    assert!(actions(&p).is_empty(), "{p}");
}

fn pool(stack: &Stack) -> aws_sdk_cognitoidentityprovider::types::UserPoolType {
    let pools = block_on(stack.cognito().list_user_pools().max_results(60).send()).unwrap();
    let id = pools.user_pools()[0].id().unwrap().to_string();
    block_on(stack.cognito().describe_user_pool().user_pool_id(id).send())
        .unwrap()
        .user_pool
        .unwrap()
}

/// Lambda writes poolctl sent, in order: ("add" | "remove", request path).
fn permission_writes(stack: &Stack) -> Vec<(usize, &'static str, String)> {
    stack
        .proxy
        .requests()
        .into_iter()
        .filter_map(|r| {
            let kind = match r.method.as_str() {
                "POST" if r.path.ends_with("/policy") => "add",
                "DELETE" if r.path.contains("/policy/") => "remove",
                _ => return None,
            };
            Some((r.index, kind, r.path))
        })
        .collect()
}

fn index_of(stack: &Stack, operation: &str) -> usize {
    let requests = stack.proxy.requests_for(operation);
    assert_eq!(requests.len(), 1, "{:?}", stack.proxy.operations());
    requests[0].index
}

#[test]
fn created_from_nothing_converges_and_statements_stay_single() {
    let stack = Stack::new();
    functions(&stack);
    stack.spec("trg.yaml", SPEC);

    let p = plan(&stack);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "create".into()),
            ("lambda_permission.pre_sign_up".into(), "create".into()),
            (
                "lambda_permission.post_confirmation".into(),
                "create".into()
            ),
            (
                "lambda_permission.pre_token_generation".into(),
                "create".into()
            ),
        ]
    );
    let grant = change(&p, "lambda_permission.pre_sign_up");
    assert_eq!(field(grant, "function_arn")["after"], PRE);
    assert_eq!(
        field(grant, "statement_id")["after"],
        "poolctl-trg-dev-pre_sign_up"
    );
    assert_eq!(
        field(grant, "principal")["after"],
        "cognito-idp.amazonaws.com"
    );
    assert_eq!(field(grant, "action")["after"], "lambda:InvokeFunction");
    assert_eq!(field(grant, "source_arn")["after"], "(known after apply)");
    let pool_fields = fields(change(&p, "user_pool"));
    assert!(
        pool_fields.contains(&(
            "triggers.pre_token_generation.lambda_version".into(),
            Value::Null,
            json!("v2")
        )),
        "{pool_fields:?}"
    );
    let human = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(
        human
            .stdout
            .contains("+ lambda_permission.pre_sign_up will be created")
            && human.stdout.contains("+ source_arn: (known after apply)"),
        "{}",
        human.dump()
    );

    let out = apply(&stack);
    assert!(
        out.stdout
            .contains("grant lambda_permission.pre_sign_up (AddPermission)"),
        "{}",
        out.dump()
    );
    let create = stack.proxy.requests_for("CreateUserPool");
    let sent = &create[0].json()["LambdaConfig"];
    assert_eq!(sent["PreSignUp"], PRE);
    assert_eq!(sent["PostConfirmation"], POST);
    // The legacy field and the versioned one name the same function.
    assert_eq!(sent["PreTokenGeneration"], CLAIMS);
    assert_eq!(
        sent["PreTokenGenerationConfig"],
        json!({"LambdaArn": CLAIMS, "LambdaVersion": "V2_0"})
    );
    let grants = permission_writes(&stack);
    assert_eq!(grants.len(), 3, "{grants:?}");
    assert!(grants
        .iter()
        .all(|(i, kind, _)| *kind == "add" && *i > create[0].index));

    let live = pool(&stack);
    let pool_arn = live.arn().unwrap().to_string();
    let config = live.lambda_config().unwrap();
    assert_eq!(config.pre_sign_up(), Some(PRE));
    assert_eq!(
        config
            .pre_token_generation_config()
            .unwrap()
            .lambda_version()
            .as_str(),
        "V2_0"
    );
    for (function, trigger) in [
        (PRE, "pre_sign_up"),
        (POST, "post_confirmation"),
        (CLAIMS, "pre_token_generation"),
    ] {
        let statements = policy_statements(&stack.moto, function);
        assert_eq!(statements.len(), 1, "{function}: {statements:?}");
        let s = &statements[0];
        assert_eq!(s["Sid"], format!("poolctl-trg-dev-{trigger}"));
        assert_eq!(s["Principal"]["Service"], "cognito-idp.amazonaws.com");
        assert_eq!(s["Action"], "lambda:InvokeFunction");
        assert_eq!(
            s["Condition"]["ArnLike"]["AWS:SourceArn"],
            pool_arn.as_str()
        );
        assert_eq!(
            s["Condition"]["StringEquals"]["AWS:SourceAccount"],
            "123456789012"
        );
    }

    assert_converged(&stack);
    let human = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(human.stdout.contains("No changes"), "{}", human.dump());

    // A second apply writes nothing: no statement is added twice.
    stack.proxy.clear();
    apply(&stack);
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
    for function in [PRE, POST, CLAIMS] {
        assert_eq!(statement_ids(&stack.moto, function).len(), 1, "{function}");
    }
}

#[test]
fn changing_one_field_shows_exactly_that_change() {
    let stack = Stack::new();
    functions(&stack);
    stack.spec("trg.yaml", SPEC);
    apply(&stack);

    stack.spec(
        "trg.yaml",
        &SPEC.replace("lambda_version: v2", "lambda_version: v3"),
    );
    let p = plan(&stack);
    assert_eq!(actions(&p), [("user_pool".into(), "update".into())]);
    assert_eq!(
        fields(change(&p, "user_pool")),
        [(
            "triggers.pre_token_generation.lambda_version".into(),
            json!("v2"),
            json!("v3")
        )]
    );

    stack.proxy.clear();
    apply(&stack);
    let updates = stack.proxy.requests_for("UpdateUserPool");
    assert_eq!(updates.len(), 1, "{:?}", stack.proxy.operations());
    let sent = &updates[0].json()["LambdaConfig"];
    assert_eq!(sent["PreTokenGeneration"], CLAIMS);
    assert_eq!(
        sent["PreTokenGenerationConfig"],
        json!({"LambdaArn": CLAIMS, "LambdaVersion": "V3_0"})
    );
    // The other triggers are sent back as they are.
    assert_eq!(sent["PreSignUp"], PRE);
    assert_eq!(sent["PostConfirmation"], POST);
    assert!(permission_writes(&stack).is_empty());
    assert_converged(&stack);
}

#[test]
fn out_of_band_edits_show_as_drift_and_apply_repairs_them() {
    let stack = Stack::new();
    functions(&stack);
    let by_hand = create_function(&stack.moto, "by-hand", TEST_REGION);
    stack.spec("trg.yaml", SPEC);
    apply(&stack);
    let live = pool(&stack);

    // Behind poolctl's back: a statement goes, and a trigger is repointed.
    remove_statement(&stack.moto, PRE, "poolctl-trg-dev-pre_sign_up");
    let mut config = live.lambda_config().unwrap().clone();
    config.post_confirmation = Some(by_hand.clone());
    block_on(
        stack
            .cognito()
            .update_user_pool()
            .user_pool_id(live.id().unwrap())
            .lambda_config(config)
            .set_user_pool_tier(live.user_pool_tier().cloned())
            .send(),
    )
    .unwrap();

    let p = plan(&stack);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "update".into()),
            ("lambda_permission.pre_sign_up".into(), "create".into()),
        ]
    );
    assert_eq!(
        fields(change(&p, "user_pool")),
        [(
            "triggers.post_confirmation".into(),
            json!(by_hand),
            json!(POST)
        )]
    );
    assert_eq!(
        field(change(&p, "lambda_permission.pre_sign_up"), "source_arn")["after"],
        live.arn().unwrap()
    );

    stack.proxy.clear();
    apply(&stack);
    // The missing grant is restored before the pool update runs.
    let writes = permission_writes(&stack);
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(writes[0].0 < index_of(&stack, "UpdateUserPool"));
    assert_eq!(
        statement_ids(&stack.moto, PRE),
        ["poolctl-trg-dev-pre_sign_up"]
    );
    assert!(statement_ids(&stack.moto, &by_hand).is_empty());
    assert_converged(&stack);
}

#[test]
fn a_statement_made_by_others_is_never_duplicated() {
    let stack = Stack::new();
    functions(&stack);
    let bare = "name: trg-${env}\nenvironments: { dev: { region: us-east-1 } }\ntier: essentials\n";
    stack.spec("trg.yaml", bare);
    apply(&stack);
    let pool_arn = pool(&stack).arn().unwrap().to_string();
    // As CDK would have made it: another id, the same grant.
    add_cognito_statement(&stack.moto, PRE, "cdk-PreSignUpCognito", &pool_arn);

    stack.spec(
        "trg.yaml",
        &format!("{bare}triggers:\n  pre_sign_up: {PRE}\n"),
    );
    let p = plan(&stack);
    assert_eq!(actions(&p), [("user_pool".into(), "update".into())]);
    stack.proxy.clear();
    apply(&stack);
    assert!(permission_writes(&stack).is_empty());
    assert_eq!(statement_ids(&stack.moto, PRE), ["cdk-PreSignUpCognito"]);
    assert_converged(&stack);
}

#[test]
fn moving_a_trigger_grants_the_new_function_first_and_revokes_the_old_statement_after() {
    let stack = Stack::new();
    functions(&stack);
    let next = create_function(&stack.moto, "shop-dev-pre-signup-v2", TEST_REGION);
    stack.spec("trg.yaml", SPEC);
    apply(&stack);

    stack.spec("trg.yaml", &SPEC.replace("-pre-signup", "-pre-signup-v2"));
    let p = plan(&stack);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "update".into()),
            ("lambda_permission.pre_sign_up".into(), "update".into()),
        ]
    );
    assert_eq!(
        fields(change(&p, "user_pool")),
        [("triggers.pre_sign_up".into(), json!(PRE), json!(next))]
    );
    assert_eq!(
        fields(change(&p, "lambda_permission.pre_sign_up")),
        [("function_arn".into(), json!(PRE), json!(next))]
    );

    stack.proxy.clear();
    apply(&stack);
    let update = index_of(&stack, "UpdateUserPool");
    let writes = permission_writes(&stack);
    assert_eq!(writes.len(), 2, "{writes:?}");
    let (add, remove) = (&writes[0], &writes[1]);
    assert_eq!(add.1, "add");
    assert!(add.2.contains("pre-signup-v2"), "{add:?}");
    assert!(add.0 < update, "granted before the pool names the function");
    assert_eq!(remove.1, "remove");
    assert!(
        remove
            .2
            .contains("shop-dev-pre-signup/policy/poolctl-trg-dev-pre_sign_up"),
        "{remove:?}"
    );
    assert!(
        remove.0 > update,
        "revoked only after the pool stopped using it"
    );

    assert!(statement_ids(&stack.moto, PRE).is_empty());
    assert_eq!(
        statement_ids(&stack.moto, &next),
        ["poolctl-trg-dev-pre_sign_up"]
    );
    assert_converged(&stack);
}

#[test]
fn false_detaches_a_trigger_and_its_permission_while_null_only_unmanages() {
    let stack = Stack::new();
    functions(&stack);
    let message = create_function(&stack.moto, "shop-dev-message", TEST_REGION);
    stack.spec("trg.yaml", &format!("{SPEC}  custom_message: {message}\n"));
    apply(&stack);

    // pre_sign_up detached; custom_message no longer mentioned (not managed).
    let detached = SPEC.replace(PRE_LINE, "pre_sign_up: false");
    assert_ne!(detached, SPEC);
    stack.spec("trg.yaml", &detached);
    let p = plan(&stack);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "update".into()),
            ("lambda_permission.pre_sign_up".into(), "delete".into()),
        ],
        "{p}"
    );
    assert_eq!(
        fields(change(&p, "user_pool")),
        [("triggers.pre_sign_up".into(), json!(PRE), Value::Null)]
    );
    let human = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(
        human
            .stdout
            .contains(&format!("- triggers.pre_sign_up: \"{PRE}\" -> (removed)"))
            && human
                .stdout
                .contains("- lambda_permission.pre_sign_up will be deleted"),
        "{}",
        human.dump()
    );

    stack.proxy.clear();
    apply(&stack);
    let sent = &stack.proxy.requests_for("UpdateUserPool")[0].json()["LambdaConfig"];
    assert!(sent.get("PreSignUp").is_none(), "{sent}");
    assert_eq!(
        sent["CustomMessage"], message,
        "an undeclared trigger survives"
    );
    assert_eq!(sent["PostConfirmation"], POST);
    let writes = permission_writes(&stack);
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(writes[0].1 == "remove" && writes[0].0 > index_of(&stack, "UpdateUserPool"));
    assert!(statement_ids(&stack.moto, PRE).is_empty());
    assert_eq!(statement_ids(&stack.moto, &message).len(), 1);
    assert!(pool(&stack)
        .lambda_config()
        .unwrap()
        .pre_sign_up()
        .is_none());
    assert_converged(&stack);

    // `null` in an environment block stops managing the trigger: the base's
    // `false` would detach post_confirmation, but in dev nothing changes.
    let unmanaged = detached
        .replace(
            "environments: { dev: { region: us-east-1 } }",
            "environments:\n  dev: { region: us-east-1, triggers: { post_confirmation: null } }",
        )
        .replace(POST_LINE, "post_confirmation: false");
    assert!(
        unmanaged.contains("post_confirmation: false") && unmanaged.contains("null"),
        "{unmanaged}"
    );
    stack.spec("trg.yaml", &unmanaged);
    assert_converged(&stack);
    assert_eq!(statement_ids(&stack.moto, POST).len(), 1);
}

#[test]
fn a_missing_function_blocks_the_plan_and_apply_changes_nothing() {
    let stack = Stack::new();
    stack.spec(
        "trg.yaml",
        "name: trg-${env}\nenvironments: { dev: { region: us-east-1 } }\ntriggers:\n  pre_sign_up: arn:aws:lambda:us-east-1:123456789012:function:not-deployed\n",
    );
    let p = plan(&stack);
    let blocked = change(&p, "lambda_permission.pre_sign_up");
    assert_eq!(blocked["action"], "blocked");
    assert!(
        blocked["reasons"][0].as_str().unwrap().contains(
            "function `arn:aws:lambda:us-east-1:123456789012:function:not-deployed` does not exist"
        ),
        "{blocked}"
    );

    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("refusing to apply: function `arn:aws:lambda:us-east-1:123456789012:function:not-deployed` does not exist"),
        "{}",
        out.dump()
    );
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
}

#[test]
fn a_function_in_another_region_is_read_and_granted_there_with_a_warning() {
    let stack = Stack::new();
    let far = create_function(&stack.moto, "shop-dev-far", "us-west-2");
    assert_eq!(
        far,
        "arn:aws:lambda:us-west-2:123456789012:function:shop-dev-far"
    );
    stack.spec(
        "trg.yaml",
        &format!("name: trg-${{env}}\nenvironments: {{ dev: {{ region: us-east-1 }} }}\ntriggers:\n  user_migration: {far}\n"),
    );
    let out = stack.poolctl().args(["validate"]).run();
    out.assert_success();
    assert!(
        out.stderr
            .contains("the function is in us-west-2, the pool in us-east-1"),
        "{}",
        out.dump()
    );

    let p = plan(&stack);
    assert_eq!(
        change(&p, "lambda_permission.user_migration")["action"],
        "create"
    );
    apply(&stack);
    // Lambda was called in the function's region, not the pool's.
    let grant = stack
        .proxy
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/policy"))
        .expect("an AddPermission request");
    assert!(
        grant
            .header("authorization")
            .is_some_and(|a| a.contains("/us-west-2/lambda/")),
        "{grant:?}"
    );
    assert_eq!(
        statement_ids(&stack.moto, &far),
        ["poolctl-trg-dev-user_migration"]
    );
    assert_converged(&stack);
}
