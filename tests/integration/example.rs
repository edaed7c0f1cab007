//! The issues' examples, exactly as written there, together in one spec:
//! created from nothing in one apply, converged, and planned again without a
//! single read made twice.

use crate::support::{self, *};
use std::collections::BTreeMap;

/// The issues' examples, kept once in tests/corpus/examples/.
const CORE: &str = include_str!("../corpus/examples/core.yaml");

const RESOURCES: &str = include_str!("../corpus/examples/resources.yaml");

const AUTHORIZER: &str = include_str!("../corpus/examples/authorizer.yaml");

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
