//! Groups end to end: create, update in place, unmanaged and pruned.

use crate::support::*;
use serde_json::Value;

const SPEC: &str = r#"name: grp-${env}
environments: { dev: { region: us-east-1 } }
groups:
  admins: { description: Store administrators, precedence: 1 }
  support: { precedence: 10, role_arn: arn:aws:iam::123456789012:role/shop-support }
"#;

fn plan(stack: &Stack, extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["plan", "--env", "dev", "--json"];
    args.extend(extra);
    let out = stack.poolctl().args(args).run();
    out.assert_success();
    let json = serde_json::from_str(&out.stdout).unwrap();
    (out, json)
}

fn apply(stack: &Stack, extra: &[&str]) -> Output {
    let mut args = vec!["apply", "--env", "dev", "--auto-approve"];
    args.extend(extra);
    let out = stack.poolctl().args(args).run();
    out.assert_success();
    out
}

#[test]
fn groups_are_created_updated_and_converge() {
    let stack = Stack::new();
    stack.spec("grp.yaml", SPEC);
    let (_, p) = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [
            ("user_pool".into(), "create".into()),
            ("group.admins".into(), "create".into()),
            ("group.support".into(), "create".into())
        ]
    );
    apply(&stack, &[]);
    let (_, p) = plan(&stack, &[]);
    assert!(actions(&p).is_empty(), "{p}");

    let id = pool_id(&stack);
    let group = block_on(
        stack
            .cognito()
            .get_group()
            .user_pool_id(&id)
            .group_name("support")
            .send(),
    )
    .unwrap();
    assert_eq!(group.group().unwrap().precedence(), Some(10));

    // One field of one group changes: exactly that shows, and only UpdateGroup runs.
    stack.spec(
        "grp.yaml",
        &SPEC.replace("precedence: 10", "precedence: 20"),
    );
    let (out, p) = plan(&stack, &[]);
    assert_eq!(
        actions(&p),
        [("group.support".into(), "update".into())],
        "{}",
        out.dump()
    );
    let field = &p["pools"][0]["changes"][0]["fields"][0];
    assert_eq!(
        (
            field["path"].as_str(),
            field["before"].as_u64(),
            field["after"].as_u64()
        ),
        (Some("precedence"), Some(10), Some(20))
    );
    stack.proxy.clear();
    apply(&stack, &[]);
    let updates = stack.proxy.requests_for("UpdateGroup");
    assert_eq!(updates.len(), 1);
    // The whole group is sent, not only the changed field.
    assert_eq!(
        updates[0].json()["RoleArn"],
        "arn:aws:iam::123456789012:role/shop-support"
    );
    let (_, p) = plan(&stack, &[]);
    assert!(actions(&p).is_empty(), "{p}");
}

#[test]
fn a_group_made_by_hand_is_unmanaged_until_pruned() {
    let stack = Stack::new();
    stack.spec("grp.yaml", SPEC);
    apply(&stack, &[]);
    let id = pool_id(&stack);
    block_on(
        stack
            .cognito()
            .create_group()
            .user_pool_id(&id)
            .group_name("by-hand")
            .send(),
    )
    .unwrap();

    let (_, p) = plan(&stack, &[]);
    assert_eq!(actions(&p), [("group.by-hand".into(), "unmanaged".into())]);
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(
        out.stdout
            .contains("? group.by-hand exists but is not in the spec"),
        "{}",
        out.dump()
    );

    // Without --prune nothing is deleted.
    stack.proxy.clear();
    apply(&stack, &[]);
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    let (out, p) = plan(&stack, &["--prune"]);
    assert_eq!(
        actions(&p),
        [("group.by-hand".into(), "delete".into())],
        "{}",
        out.dump()
    );
    let out = apply(&stack, &["--prune"]);
    assert!(
        out.stdout.contains("memberships are lost"),
        "{}",
        out.dump()
    );
    assert!(
        out.stdout.contains("delete group.by-hand"),
        "{}",
        out.dump()
    );
    let (_, p) = plan(&stack, &[]);
    assert!(actions(&p).is_empty(), "{p}");
}

#[test]
fn pools_without_a_groups_key_leave_groups_alone() {
    let stack = Stack::new();
    stack.spec(
        "grp.yaml",
        "name: grp-${env}\nenvironments: { dev: { region: us-east-1 } }\n",
    );
    apply(&stack, &[]);
    let id = pool_id(&stack);
    block_on(
        stack
            .cognito()
            .create_group()
            .user_pool_id(&id)
            .group_name("by-hand")
            .send(),
    )
    .unwrap();
    stack.proxy.clear();
    let (_, p) = plan(&stack, &["--prune"]);
    assert!(actions(&p).is_empty(), "{p}");
    assert!(
        stack.proxy.requests_for("ListGroups").is_empty(),
        "an undeclared kind is not even read"
    );
}
