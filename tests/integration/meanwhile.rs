//! Someone else changes the pool while apply runs: between the plan (and
//! the prompt) and the write, a colleague changes it through the SDK (here
//! a proxy hook sends the change straight to moto when poolctl's read
//! right before the write arrives). apply writes over what is live then,
//! so the colleague's change to what the spec does not declare is kept;
//! when a field the plan changes moved, that resource is left alone and
//! the apply says so. Asserted on the requests poolctl sent, because moto
//! merges some updates that AWS resets.

use crate::support::*;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const V1: &str = r#"name: mean-${env}
environments: { dev: { region: us-east-1 } }
password_policy: { minimum_length: 12 }
groups:
  admins: { precedence: 1 }
clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
    allowed_oauth_flows: [code]
    allowed_oauth_scopes: [openid]
    callback_urls: [https://a.example.com/cb]
"#;

/// The pool's and a client's and a group's declared fields change.
fn v2() -> String {
    V1.replace("minimum_length: 12", "minimum_length: 14")
        .replace("precedence: 1", "precedence: 2")
        .replace(
            "callback_urls: [https://a.example.com/cb]",
            "callback_urls: [https://a.example.com/cb, https://b.example.com/cb]",
        )
}

/// A rule that, when the `nth` request for `operation` arrives (before it
/// is answered), has `change` carried out first: a colleague's change.
fn meanwhile(operation: &str, nth: usize, change: impl Fn() + Send + Sync + 'static) -> FaultRule {
    let operation = operation.to_string();
    let seen = AtomicUsize::new(0);
    Arc::new(move |request, _| {
        if request.operation == operation && seen.fetch_add(1, Ordering::SeqCst) + 1 == nth {
            // Its own thread: the proxy's runtime is busy with this request.
            std::thread::scope(|s| {
                s.spawn(&change);
            });
        }
        None
    })
}

/// How many `operation` requests a plan sends now: apply sends the same
/// before it writes anything, then reads again right before each write.
fn plan_reads(stack: &Stack, operation: &str) -> usize {
    stack.proxy.clear();
    stack.poolctl().args(["plan", "--env", "dev"]).run();
    stack.proxy.requests_for(operation).len()
}

fn apply(stack: &Stack) -> Output {
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
}

fn client_id(stack: &Stack, pool: &str) -> String {
    let clients = block_on(
        stack
            .cognito()
            .list_user_pool_clients()
            .user_pool_id(pool)
            .send(),
    )
    .unwrap();
    clients.user_pool_clients()[0]
        .client_id()
        .unwrap()
        .to_string()
}

fn only(stack: &Stack, operation: &str) -> Value {
    let sent = stack.proxy.requests_for(operation);
    assert_eq!(sent.len(), 1, "{operation}: {:?}", stack.proxy.operations());
    sent[0].json()
}

#[test]
fn what_a_colleague_changed_between_plan_and_write_and_the_spec_does_not_declare_is_kept() {
    let stack = Stack::new();
    stack.spec("mean.yaml", V1);
    apply(&stack).assert_success();
    let pool = pool_id(&stack);
    let client = client_id(&stack, &pool);
    stack.spec("mean.yaml", &v2());
    let describes = plan_reads(&stack, "DescribeUserPoolClient");
    let endpoint = stack.moto.endpoint();

    // Right before poolctl writes the client and the group, a colleague
    // adds a logout URL to the client and a description to the group:
    // settings the spec does not declare.
    let (p, c, e) = (pool.clone(), client.clone(), endpoint.clone());
    let client_change = meanwhile("DescribeUserPoolClient", describes + 1, move || {
        block_on(
            cognito_client(&e, TEST_REGION)
                .update_user_pool_client()
                .user_pool_id(&p)
                .client_id(&c)
                .logout_urls("https://a.example.com/bye")
                .callback_urls("https://a.example.com/cb")
                .allowed_o_auth_flows(aws_sdk_cognitoidentityprovider::types::OAuthFlowType::Code)
                .allowed_o_auth_scopes("openid")
                .explicit_auth_flows(
                    aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType::AllowUserSrpAuth,
                )
                .explicit_auth_flows(
                    aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType::AllowRefreshTokenAuth,
                )
                .send(),
        )
        .unwrap();
    });
    let p = pool.clone();
    let group_change = meanwhile("GetGroup", 1, move || {
        block_on(
            cognito_client(&endpoint, TEST_REGION)
                .update_group()
                .user_pool_id(&p)
                .group_name("admins")
                .description("by hand")
                .precedence(1)
                .send(),
        )
        .unwrap();
    });
    stack.proxy.clear();
    stack.proxy.set_fault_rule(Arc::new(move |r, i| {
        client_change(r, i);
        group_change(r, i)
    }));
    let out = apply(&stack);
    stack.proxy.clear_fault_rule();
    out.assert_success();

    let sent = only(&stack, "UpdateUserPoolClient");
    assert_eq!(
        sent["LogoutURLs"],
        json!(["https://a.example.com/bye"]),
        "{sent}"
    );
    assert_eq!(
        sent["CallbackURLs"],
        json!(["https://a.example.com/cb", "https://b.example.com/cb"]),
        "{sent}"
    );
    let sent = only(&stack, "UpdateGroup");
    assert_eq!(sent["Description"], json!("by hand"), "{sent}");
    assert_eq!(sent["Precedence"], json!(2), "{sent}");
    // And nothing is left to do.
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    assert_eq!(out.status, 0, "{}", out.dump());
}

#[test]
fn a_planned_field_a_colleague_changed_meanwhile_stops_that_resource() {
    let stack = Stack::new();
    stack.spec("mean.yaml", V1);
    apply(&stack).assert_success();
    let pool = pool_id(&stack);
    let client = client_id(&stack, &pool);
    let endpoint = stack.moto.endpoint();

    // The pool: its minimum length is set to 10 by hand while the plan
    // changes it from 12 to 14.
    stack.spec("mean.yaml", &v2());
    let describes = plan_reads(&stack, "DescribeUserPool");
    let (p, e) = (pool.clone(), endpoint.clone());
    stack.proxy.clear();
    stack
        .proxy
        .set_fault_rule(meanwhile("DescribeUserPool", describes + 1, move || {
            block_on(
            cognito_client(&e, TEST_REGION)
                .update_user_pool()
                .user_pool_id(&p)
                .policies(
                    aws_sdk_cognitoidentityprovider::types::UserPoolPolicyType::builder()
                        .password_policy(
                            aws_sdk_cognitoidentityprovider::types::PasswordPolicyType::builder()
                                .minimum_length(10)
                                .build(),
                        )
                        .build(),
                )
                .send(),
        )
        .unwrap();
        }));
    let out = apply(&stack);
    stack.proxy.clear_fault_rule();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("user_pool changed since the plan")
            && out.stderr.contains("password_policy.minimum_length")
            && out.stderr.contains("nothing was written to it"),
        "{}",
        out.dump()
    );
    assert!(
        stack.proxy.requests_for("UpdateUserPool").is_empty(),
        "{:?}",
        stack.proxy.operations()
    );

    // A client: its callback URLs are changed by hand while the plan
    // changes them too. The pool's own change is taken out first.
    stack.spec(
        "mean.yaml",
        &v2().replace("minimum_length: 14", "minimum_length: 10"),
    );
    let describes = plan_reads(&stack, "DescribeUserPoolClient");
    stack.proxy.clear();
    stack.proxy.set_fault_rule(meanwhile(
        "DescribeUserPoolClient",
        describes + 1,
        move || {
            block_on(
                cognito_client(&endpoint, TEST_REGION)
                    .update_user_pool_client()
                    .user_pool_id(&pool)
                    .client_id(&client)
                    .callback_urls("https://c.example.com/cb")
                    .send(),
            )
            .unwrap();
        },
    ));
    let out = apply(&stack);
    stack.proxy.clear_fault_rule();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("failed: update client.web: client.web changed since the plan")
            && out.stderr.contains("`callback_urls` was"),
        "{}",
        out.dump()
    );
    assert!(
        stack.proxy.requests_for("UpdateUserPoolClient").is_empty(),
        "{:?}",
        stack.proxy.operations()
    );
    // The group, planned alongside, was written: only the moved resource stops.
    assert_eq!(stack.proxy.requests_for("UpdateGroup").len(), 1);
}
