//! CI workflow: drift checks and several environments in one run, with the
//! exit code the worst of them.

use crate::support::*;
use serde_json::Value;

const SPEC: &str = r#"name: flow-${env}
environments:
  dev: { region: us-east-1 }
  staging: { region: us-east-1 }
password_policy: { minimum_length: 12 }
groups:
  admins: { precedence: 1 }
"#;

fn pool_id(stack: &Stack, name: &str) -> String {
    let pools = block_on(stack.cognito().list_user_pools().max_results(60).send()).unwrap();
    pools
        .user_pools()
        .iter()
        .find(|p| p.name() == Some(name))
        .and_then(|p| p.id())
        .unwrap()
        .to_string()
}

fn drift_json(stack: &Stack, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["drift", "--json"];
    all.extend(args);
    let out = stack.poolctl().args(all).run();
    let json = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.dump()));
    (out.status, json)
}

#[test]
fn drift_reports_in_sync_missing_changed_and_unmanaged() {
    let stack = Stack::new();
    stack.spec("flow.yaml", SPEC);

    // Nothing applied yet: both pools are missing.
    let out = stack.poolctl().arg("drift").run();
    out.assert_exit(2);
    assert!(
        out.stdout
            .contains("flow · dev · us-east-1 flow-dev: missing"),
        "{}",
        out.dump()
    );
    assert!(
        out.stdout
            .contains("Drift: 2 of 2 pool environments drifted."),
        "{}",
        out.dump()
    );

    stack
        .poolctl()
        .args(["apply", "--all-envs", "--auto-approve"])
        .run()
        .assert_success();
    let out = stack.poolctl().arg("drift").run();
    out.assert_exit(0);
    assert!(
        out.stdout
            .contains("Drift: 0 of 2 pool environments drifted."),
        "{}",
        out.dump()
    );
    let (status, json) = drift_json(&stack, &[]);
    assert_eq!(status, 0);
    assert_eq!(json["drifted"], false);
    assert_eq!(json["pools"].as_array().unwrap().len(), 2);
    assert!(json["pools"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["status"] == "in_sync"));
    assert!(
        stack
            .writes()
            .iter()
            .all(|w| !w.operation.contains("Update")),
        "drift never writes"
    );

    // Someone edits dev by hand, and adds a group to staging.
    let dev = pool_id(&stack, "flow-dev");
    block_on(
        stack
            .cognito()
            .update_group()
            .user_pool_id(&dev)
            .group_name("admins")
            .precedence(5)
            .send(),
    )
    .unwrap();
    let staging = pool_id(&stack, "flow-staging");
    block_on(
        stack
            .cognito()
            .create_group()
            .user_pool_id(&staging)
            .group_name("by-hand")
            .send(),
    )
    .unwrap();

    stack.proxy.clear();
    let out = stack.poolctl().args(["drift", "--all-envs"]).run();
    out.assert_exit(2);
    assert!(
        out.stdout.contains("~ group.admins: precedence"),
        "{}",
        out.dump()
    );
    assert!(out.stdout.contains("? group.by-hand"), "{}", out.dump());
    assert!(
        stack.writes().is_empty(),
        "drift never writes: {:?}",
        stack.writes()
    );

    let (status, json) = drift_json(&stack, &["--env", "dev"]);
    assert_eq!(status, 2);
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["drifted"], true);
    let pool = &json["pools"][0];
    assert_eq!(
        (pool["environment"].as_str(), pool["status"].as_str()),
        (Some("dev"), Some("drifted"))
    );
    assert_eq!(pool["pool_id"].as_str(), Some(dev.as_str()));
    let change = &pool["changes"][0];
    assert_eq!(change["address"], "group.admins");
    assert_eq!(change["fields"][0]["before"], 5);
    assert_eq!(change["fields"][0]["after"], 1);

    let (_, json) = drift_json(&stack, &["--env", "staging"]);
    assert_eq!(json["pools"][0]["changes"][0]["action"], "unmanaged");
}

#[test]
fn several_environments_run_together_and_the_worst_exit_wins() {
    let stack = Stack::new();
    stack.spec("flow.yaml", SPEC);
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();

    // dev is in sync, staging would be created: changes present.
    let out = stack
        .poolctl()
        .args([
            "plan",
            "--env",
            "dev",
            "--env",
            "staging",
            "--detailed-exitcode",
        ])
        .run();
    out.assert_exit(2);
    let dev_at = out.stdout.find("flow · dev").unwrap();
    let staging_at = out.stdout.find("flow · staging").unwrap();
    assert!(
        dev_at < staging_at,
        "output is grouped per environment, in order:\n{}",
        out.dump()
    );

    // One environment failing to read makes the run fail, but the others are
    // still planned and shown.
    let broken = SPEC.replace(
        "staging: { region: us-east-1 }",
        "staging: { region: us-east-1, pool_id: us-east-1_Gone12345 }",
    );
    stack.spec("flow.yaml", &broken);
    let out = stack
        .poolctl()
        .args(["plan", "--all-envs", "--detailed-exitcode"])
        .run();
    out.assert_exit(1);
    assert!(out.stdout.contains("flow · dev"), "{}", out.dump());
    assert!(
        out.stderr.contains("pool `flow` (staging)"),
        "{}",
        out.dump()
    );
    assert!(out.stderr.contains("us-east-1_Gone12345"), "{}", out.dump());
    let out = stack.poolctl().args(["drift", "--json"]).run();
    out.assert_exit(1);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["errors"][0]["environment"], "staging");
    assert_eq!(json["pools"][0]["status"], "in_sync");

    // Apply goes ahead where it can and still exits 1.
    stack.spec(
        "flow.yaml",
        &broken.replace("minimum_length: 12", "minimum_length: 13"),
    );
    let out = stack
        .poolctl()
        .args(["apply", "--all-envs", "--auto-approve"])
        .run();
    out.assert_exit(1);
    assert!(
        out.stdout.contains("update user pool flow-dev"),
        "{}",
        out.dump()
    );
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    out.assert_exit(0);
}

#[test]
fn ctrl_c_during_apply_finishes_the_request_in_flight_then_stops() {
    let stack = Stack::new();
    stack.spec("flow.yaml", SPEC);
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();

    // A pool change (phase one) and a new group (a later phase); the pool's
    // update is slow, and Ctrl-C comes while it is in flight.
    let changed = SPEC
        .replace("minimum_length: 12", "minimum_length: 14")
        .replace(
            "  admins: { precedence: 1 }",
            "  admins: { precedence: 1 }\n  support: { precedence: 2 }",
        );
    stack.spec("flow.yaml", &changed);
    stack.proxy.clear();
    stack.proxy.set_fault_rule(fault_on(
        "UpdateUserPool",
        Fault::Delay(std::time::Duration::from_millis(1500)),
    ));
    let seen = stack.proxy.recorder();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .interrupt_when(move || !seen.requests_for("UpdateUserPool").is_empty())
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("Interrupt received"), "{}", out.dump());
    assert!(
        out.stderr
            .contains("interrupted; the requests in flight were allowed to finish"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("done: update user pool flow-dev"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("not done: create group.support"),
        "{}",
        out.dump()
    );
    let update = &stack.proxy.requests_for("UpdateUserPool")[0];
    assert_eq!(update.status, Some(200), "the request in flight finished");
    assert!(
        stack.proxy.requests_for("CreateGroup").is_empty(),
        "nothing started after the interrupt"
    );

    // The next run converges.
    stack.proxy.clear_fault_rule();
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();
    stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run()
        .assert_exit(0);
}

const WITH_SECRET: &str = r#"name: saved-${env}
environments: { dev: { region: us-east-1 } }
password_policy: { minimum_length: 12 }
groups:
  admins: { precedence: 1 }
identity_providers:
  Google:
    type: google
    client_id: 1234567890-abc.apps.googleusercontent.com
    client_secret: ${env:GOOGLE_CLIENT_SECRET}
    authorize_scopes: [openid, email]
    attribute_mapping: { email: email }
"#;

#[test]
fn a_saved_plan_applies_exactly_and_shows() {
    let stack = Stack::new();
    stack.spec("saved.yaml", WITH_SECRET);
    let file = stack.path().join("dev.plan.json");
    let secret = "s3cret-value-never-in-plan-files";
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--out"])
        .arg(&file)
        .env("GOOGLE_CLIENT_SECRET", secret)
        .run();
    out.assert_success();
    assert!(out.stderr.contains("poolctl apply"), "{}", out.dump());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(secret), "the plan file holds the secret");
    assert!(text.contains("sha256:"), "secrets are kept as digests");
    assert!(stack.writes().is_empty());

    let shown = stack.poolctl().args(["show"]).arg(&file).run();
    shown.assert_success();
    assert!(
        shown.stdout.contains("+ user_pool will be created"),
        "{}",
        shown.dump()
    );
    assert!(
        shown
            .stdout
            .contains("+ identity_provider.Google will be created"),
        "{}",
        shown.dump()
    );
    assert!(!shown.stdout.contains(secret));
    let json: Value = serde_json::from_str(
        &stack
            .poolctl()
            .args(["show", "--json"])
            .arg(&file)
            .run()
            .stdout,
    )
    .unwrap();
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["summary"]["create"], 3);

    // Applying it needs no confirmation (it was reviewed) and makes exactly it.
    let out = stack
        .poolctl()
        .arg("apply")
        .arg(&file)
        .env("GOOGLE_CLIENT_SECRET", secret)
        .run();
    out.assert_success();
    assert!(
        out.stdout.contains("Apply complete: 3 created"),
        "{}",
        out.dump()
    );
    let plan = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .env("GOOGLE_CLIENT_SECRET", secret)
        .run();
    plan.assert_exit(0);

    // A saved plan already says where it applies.
    let out = stack
        .poolctl()
        .arg("apply")
        .arg(&file)
        .args(["--env", "dev"])
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("cannot be used with"), "{}", out.dump());
}

#[test]
fn a_stale_saved_plan_is_refused_with_nothing_changed() {
    let stack = Stack::new();
    stack.spec("saved.yaml", WITH_SECRET);
    let secret = "first-secret";
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .env("GOOGLE_CLIENT_SECRET", secret)
        .run()
        .assert_success();
    stack.spec(
        "saved.yaml",
        &WITH_SECRET.replace("minimum_length: 12", "minimum_length: 14"),
    );
    let file = stack.path().join("dev.plan.json");
    let save = || {
        stack
            .poolctl()
            .args(["plan", "--env", "dev", "--out"])
            .arg(&file)
            .env("GOOGLE_CLIENT_SECRET", secret)
            .run()
            .assert_success();
    };
    let apply_saved = |secret: &str| {
        stack.proxy.clear();
        let out = stack
            .poolctl()
            .arg("apply")
            .arg(&file)
            .env("GOOGLE_CLIENT_SECRET", secret)
            .run();
        out.assert_exit(1);
        assert!(
            out.stderr.contains("saved plan is stale; run plan again"),
            "{}",
            out.dump()
        );
        assert!(
            stack.writes().is_empty(),
            "a stale plan wrote: {:?}",
            stack.writes()
        );
        out
    };

    // Live state moved: someone changed the group by hand.
    save();
    let id = pool_id(&stack, "saved-dev");
    block_on(
        stack
            .cognito()
            .update_group()
            .user_pool_id(&id)
            .group_name("admins")
            .precedence(7)
            .send(),
    )
    .unwrap();
    let out = apply_saved(secret);
    assert!(
        out.stderr.contains("group.admins changed"),
        "{}",
        out.dump()
    );

    // The secret in the environment is not the one the plan was made with.
    save();
    let out = apply_saved("another-secret");
    assert!(
        out.stderr
            .contains("a secret it reads from the environment, changed"),
        "{}",
        out.dump()
    );
    assert!(!out.stderr.contains("another-secret") && !out.stderr.contains(secret));

    // The spec changed.
    save();
    stack.spec(
        "saved.yaml",
        &WITH_SECRET.replace("minimum_length: 12", "minimum_length: 15"),
    );
    apply_saved(secret);

    // Unchanged, it applies.
    stack.spec(
        "saved.yaml",
        &WITH_SECRET.replace("minimum_length: 12", "minimum_length: 14"),
    );
    save();
    stack
        .poolctl()
        .arg("apply")
        .arg(&file)
        .env("GOOGLE_CLIENT_SECRET", secret)
        .run()
        .assert_success();
}

#[test]
fn a_usage_error_exits_1_never_2() {
    // 2 means "drifted" or "changes present" to CI: a typo must not read so.
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["drift", "--bogus"][..],
        &["plan", "--detailed-exitcode", "--nope"],
        &["frobnicate"],
    ] {
        let out = Poolctl::new(dir.path()).args(args.iter()).run();
        out.assert_exit(1);
        assert!(out.stderr.contains("error:"), "{}", out.dump());
    }
    Poolctl::new(dir.path()).arg("--help").run().assert_exit(0);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let stack = Stack::new();
    stack.spec("flow.yaml", SPEC);
    let coloured = stack
        .poolctl()
        .args(["--color", "always", "plan", "--env", "dev"])
        .run();
    coloured.assert_success();
    assert!(coloured.stdout.contains("\u{1b}["), "{}", coloured.dump());
    // `auto` on a pipe, and `never`, draw no escape codes; NO_COLOR is set by
    // the harness, and `auto` honours it.
    for args in [&["--color", "never"][..], &["--color", "auto"]] {
        let plain = stack
            .poolctl()
            .args(args.iter())
            .args(["plan", "--env", "dev"])
            .run();
        plain.assert_success();
        assert!(!plain.stdout.contains('\u{1b}'), "{}", plain.dump());
    }
}

#[test]
fn requests_may_wait_long_for_their_turn() {
    // Paced requests wait inside the SDK's HTTP layer; a wait longer than the
    // SDK's stall grace period (5 s) must not fail them as a stalled upload.
    let stack = Stack::new();
    let groups: String = (0..12)
        .map(|i| format!("  g{i}: {{ precedence: {i} }}\n"))
        .collect();
    stack.spec("flow.yaml", &format!("name: wait-${{env}}\nenvironments: {{ dev: {{ region: us-east-1 }} }}\ngroups:\n{groups}"));
    stack.proxy.set_fault_rule(fault_on(
        "CreateGroup",
        Fault::Delay(std::time::Duration::from_millis(600)),
    ));
    let out = stack
        .poolctl()
        .args([
            "--max-concurrency",
            "1",
            "apply",
            "--env",
            "dev",
            "--auto-approve",
        ])
        // One attempt: a stalled-upload failure must not hide behind a retry.
        .env("AWS_MAX_ATTEMPTS", "1")
        .run();
    out.assert_success();
    assert_eq!(stack.proxy.requests_for("CreateGroup").len(), 12);
}

#[test]
fn all_environments_are_those_of_the_selected_pools() {
    let stack = Stack::new();
    stack.spec(
        "a.yaml",
        "name: a-${env}\nenvironments: { dev: { region: us-east-1 } }\n",
    );
    stack.spec(
        "b.yaml",
        "name: b-${env}\nenvironments: { dev: { region: us-east-1 }, qa: { region: us-east-1 } }\n",
    );
    let out = stack
        .poolctl()
        .args(["plan", "--all-envs", "--pool", "a"])
        .run();
    out.assert_success();
    assert!(
        out.stdout.contains("pool a · dev") && !out.stdout.contains("qa"),
        "{}",
        out.dump()
    );
    stack
        .poolctl()
        .args(["drift", "--pool", "a"])
        .run()
        .assert_exit(2);
    let out = stack.poolctl().args(["plan", "--all-envs"]).run();
    assert!(out.stdout.contains("pool b · qa"), "{}", out.dump());
}

#[test]
fn a_saved_plan_does_not_depend_on_how_the_pools_directory_was_named() {
    let stack = Stack::new();
    stack.spec("flow.yaml", SPEC);
    let file = stack.path().join("dev.plan.json");
    stack
        .poolctl()
        .args(["--pools", "./pools", "plan", "--env", "dev", "--out"])
        .arg(&file)
        .run()
        .assert_success();
    stack
        .poolctl()
        .arg("apply")
        .arg(&file)
        .run()
        .assert_success();

    // A damaged plan file is named in the error.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"create\"", "\"explode\"");
    std::fs::write(&file, text).unwrap();
    let out = stack.poolctl().arg("show").arg(&file).run();
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("dev.plan.json: not a poolctl saved plan"),
        "{}",
        out.dump()
    );
}
