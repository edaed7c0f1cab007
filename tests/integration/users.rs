//! `users export` and `users import` end to end, with a few thousand users:
//! an export cut off (killed, then interrupted) and resumed holds every user
//! exactly once; a round trip into a second pool through the (emulated) user
//! import job reproduces attributes and group memberships; bad input changes
//! nothing.

use crate::support::quota::enforce_cognito_quotas;
use crate::support::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const SPEC: &str = r#"name: usr-${env}
environments:
  dev: { region: us-east-1 }
  copy: { region: us-east-1 }
schema:
  custom:tier: { type: string, mutable: true }
groups:
  admins: { description: Administrators }
  support: { precedence: 5 }
"#;

const ROLE: &str = "arn:aws:iam::123456789012:role/cognito-import-logs";

/// The live pool of that name.
fn pool_named(stack: &Stack, name: &str) -> String {
    let pools = block_on(stack.cognito().list_user_pools().max_results(60).send()).unwrap();
    pools
        .user_pools()
        .iter()
        .find(|p| p.name() == Some(name))
        .and_then(|p| p.id())
        .unwrap_or_else(|| panic!("no pool {name}"))
        .to_string()
}

fn username(i: usize) -> String {
    format!("user-{i:05}")
}

/// `count` users straight into moto (behind poolctl's back): every one with
/// an email and a name, every third with `custom:tier`, every fifth an
/// admin, every seventh in support.
fn seed(stack: &Stack, pool: &str, count: usize) {
    use futures::StreamExt;
    let client = stack.cognito();
    block_on(async {
        futures::stream::iter(0..count)
            .map(|i| {
                let client = client.clone();
                async move {
                    let attr = |n: &str, v: String| {
                        aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                            .name(n)
                            .value(v)
                            .build()
                            .unwrap()
                    };
                    let mut request = client
                        .admin_create_user()
                        .user_pool_id(pool)
                        .username(username(i))
                        .message_action("SUPPRESS".into())
                        .user_attributes(attr("email", format!("{}@example.com", username(i))))
                        .user_attributes(attr("name", format!("User, \"{i}\"")));
                    if i % 3 == 0 {
                        request = request.user_attributes(attr("custom:tier", format!("gold-{i}")));
                    }
                    request.send().await.unwrap();
                    for (every, group) in [(5, "admins"), (7, "support")] {
                        if i % every == 0 {
                            client
                                .admin_add_user_to_group()
                                .user_pool_id(pool)
                                .username(username(i))
                                .group_name(group)
                                .send()
                                .await
                                .unwrap();
                        }
                    }
                }
            })
            .buffer_unordered(8)
            .collect::<Vec<()>>()
            .await
    });
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l}: {e}")))
        .collect()
}

/// username -> (attributes but sub, groups), from an export's users.jsonl.
fn by_user(path: &Path) -> BTreeMap<String, (Value, Value)> {
    lines(path)
        .into_iter()
        .map(|u| {
            (
                u["username"].as_str().unwrap().to_string(),
                (u["attributes"].clone(), u["groups"].clone()),
            )
        })
        .collect()
}

fn setup(count: usize) -> (Stack, String) {
    let stack = Stack::new();
    stack.spec("usr.yaml", SPEC);
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--env", "copy", "--auto-approve"])
        .run()
        .assert_success();
    let source = pool_named(&stack, "usr-dev");
    seed(&stack, &source, count);
    stack.proxy.clear();
    (stack, source)
}

/// Each poolctl process spends an idle quota's first second at once
/// (docs/pacing.md); one started inside the previous process's second would
/// share that second's quota with it, as a co-tenant does. The export's runs
/// below wait that second out, so "nothing went over quota" is a claim about
/// each run's own pacing.
fn let_the_last_second_pass() {
    std::thread::sleep(std::time::Duration::from_millis(1100));
}

#[test]
fn an_export_killed_then_interrupted_and_resumed_writes_every_user_once() {
    const USERS: usize = 2500;
    let (stack, _) = setup(USERS);
    stack.proxy.set_fault_rule(enforce_cognito_quotas());
    let out_dir = stack.path().join("backup");
    let export = |extra: &[&str]| {
        let mut args = vec!["users", "export", "--env", "dev", "--out"];
        args.push(out_dir.to_str().unwrap());
        args.extend(extra);
        stack.poolctl().args(args)
    };

    // Killed outright after a few pages: no chance to tidy up.
    let recorder = stack.proxy.recorder();
    let killed = export(&[])
        .kill_when(move || recorder.requests_for("ListUsers").len() >= 8)
        .run();
    assert_eq!(killed.status, 128 + 9, "{}", killed.dump());
    assert!(
        killed.stderr.contains("Passwords and MFA secrets"),
        "the notice comes first: {}",
        killed.dump()
    );
    let after_kill = lines(&out_dir.join("users.jsonl")).len();
    assert!(after_kill < USERS, "the kill came too late: {after_kill}");
    assert!(out_dir.join("checkpoint.json").exists());

    // Starting again over it is refused; --resume continues it.
    let_the_last_second_pass();
    let again = export(&[]).run();
    again.assert_exit(1);
    assert!(again.stderr.contains("--resume"), "{}", again.dump());

    // Ctrl-C: the page in hand is finished, and the command says how to go on.
    let recorder = stack.proxy.recorder();
    let before = stack.proxy.requests_for("ListUsers").len();
    let_the_last_second_pass();
    let interrupted = export(&["--resume"])
        .interrupt_when(move || recorder.requests_for("ListUsers").len() >= before + 8)
        .run();
    interrupted.assert_exit(1);
    assert!(
        interrupted.stderr.contains("export interrupted after")
            && interrupted.stderr.contains("--resume"),
        "{}",
        interrupted.dump()
    );

    let_the_last_second_pass();
    export(&["--resume"]).run().assert_success();

    let users = lines(&out_dir.join("users.jsonl"));
    let names: BTreeSet<&str> = users
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(users.len(), USERS, "every user exactly once");
    assert_eq!(names.len(), USERS);
    let csv = std::fs::read_to_string(out_dir.join("users.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.last().map(String::as_str), Some("cognito:username"));
    assert!(header.contains(&"custom:tier".to_string()));
    let csv_names: BTreeSet<String> = reader
        .records()
        .map(|r| r.unwrap()[header.len() - 1].to_string())
        .collect();
    assert_eq!(csv.lines().count(), USERS + 1);
    assert_eq!(csv_names.len(), USERS);

    let sample = users
        .iter()
        .find(|u| u["username"] == "user-00035")
        .unwrap();
    assert_eq!(sample["groups"], serde_json::json!(["admins", "support"]));
    assert_eq!(sample["attributes"]["name"], "User, \"35\"");
    assert!(sample["sub"].is_string() && sample["created"].is_string());
    assert!(!out_dir.join("checkpoint.json").exists());
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("export.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["users"], USERS);
    assert!(manifest["notice"].as_str().unwrap().contains("Passwords"));

    // Memberships come from one walk per group, not one call per user; no
    // request went over Cognito's quotas.
    assert!(stack
        .proxy
        .requests_for("AdminListGroupsForUser")
        .is_empty());
    assert!(!stack.proxy.requests_for("ListUsersInGroup").is_empty());
    let throttled: Vec<_> = stack
        .proxy
        .requests()
        .into_iter()
        .filter(|r| r.faulted)
        .collect();
    assert!(throttled.is_empty(), "over quota: {throttled:?}");
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    // Resuming a finished export has nothing to do.
    let done = export(&["--resume"]).run();
    done.assert_success();
    assert!(done.stdout.contains("already complete"), "{}", done.dump());
}

#[test]
fn a_round_trip_into_a_second_pool_keeps_attributes_and_groups() {
    const USERS: usize = 1500;
    let (stack, source) = setup(USERS);
    // One user the import job will refuse (a phone number not in E.164).
    block_on(
        stack
            .cognito()
            .admin_update_user_attributes()
            .user_pool_id(&source)
            .username(username(42))
            .user_attributes(
                aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                    .name("phone_number")
                    .value("12345")
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    // And one disabled user, who must arrive disabled.
    block_on(
        stack
            .cognito()
            .admin_disable_user()
            .user_pool_id(&source)
            .username(username(10))
            .send(),
    )
    .unwrap();
    let backup = stack.path().join("backup");
    stack
        .poolctl()
        .args([
            "users",
            "export",
            "--env",
            "dev",
            "--out",
            backup.to_str().unwrap(),
        ])
        .run()
        .assert_success();
    stack.proxy.clear();

    let import = || {
        stack
            .poolctl()
            .args([
                "users",
                "import",
                "--env",
                "copy",
                "--from",
                backup.to_str().unwrap(),
            ])
            .args(["--logs-role", ROLE, "--poll-interval", "50ms"])
            .timeout(std::time::Duration::from_secs(120))
            .run()
    };
    let out = import();
    out.assert_exit(1);
    assert!(
        out.stdout
            .contains("import job Succeeded: 1499 imported, 0 skipped, 1 failed"),
        "{}",
        out.dump()
    );
    assert!(
        out.stdout.contains("user `user-00042` was not imported"),
        "{}",
        out.dump()
    );
    // The job got the role; the file went up encrypted, once.
    let created = stack.proxy.requests_for("CreateUserImportJob");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].json()["CloudWatchLogsRoleArn"], ROLE);
    let uploads: Vec<_> = stack
        .proxy
        .requests()
        .into_iter()
        .filter(|r| r.operation.starts_with("PUT /_user_import/"))
        .collect();
    assert_eq!(uploads.len(), 1);
    assert_eq!(
        uploads[0].header("x-amz-server-side-encryption"),
        Some("aws:kms")
    );
    assert_eq!(uploads[0].status, Some(200));
    assert_eq!(stack.proxy.requests_for("StartUserImportJob").len(), 1);
    assert!(
        stack.proxy.requests_for("AdminCreateUser").is_empty(),
        "users go through the job"
    );
    let admins = (0..USERS).filter(|i| i % 5 == 0 && *i != 42).count();
    let support = (0..USERS).filter(|i| i % 7 == 0 && *i != 42).count();
    assert_eq!(
        stack.proxy.requests_for("AdminAddUserToGroup").len(),
        admins + support
    );

    // The copy, exported, is the original (but for the refused user).
    let copy = stack.path().join("copy");
    stack
        .poolctl()
        .args([
            "users",
            "export",
            "--env",
            "copy",
            "--out",
            copy.to_str().unwrap(),
        ])
        .run()
        .assert_success();
    let disabled: Vec<String> = lines(&copy.join("users.jsonl"))
        .into_iter()
        .filter(|u| u["enabled"] == false)
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(disabled, [username(10)]);
    assert_eq!(stack.proxy.requests_for("AdminDisableUser").len(), 1);
    let mut original = by_user(&backup.join("users.jsonl"));
    original.remove(&username(42));
    let copied = by_user(&copy.join("users.jsonl"));
    assert_eq!(copied.len(), USERS - 1);
    for (name, want) in &original {
        let got = copied.get(name).unwrap_or_else(|| panic!("{name} missing"));
        // The import CSV carries email_verified (false when unknown).
        let mut got_attributes = got.0.clone();
        got_attributes
            .as_object_mut()
            .unwrap()
            .remove("email_verified");
        assert_eq!(&got_attributes, &want.0, "{name}");
        assert_eq!(got.1, want.1, "{name}");
    }

    // Again: every user is there already; nothing is imported twice.
    stack.proxy.clear();
    let again = import();
    assert!(
        again
            .stderr
            .contains("1499 user(s) already in pool `usr-copy`"),
        "{}",
        again.dump()
    );
    assert_eq!(stack.proxy.requests_for("AdminCreateUser").len(), 0);
    assert_eq!(
        stack.proxy.requests_for("StartUserImportJob").len(),
        1,
        "only user-00042 is tried again"
    );
}

#[test]
fn bad_input_changes_nothing() {
    let (stack, _) = setup(30);
    let backup = stack.path().join("backup");
    stack
        .poolctl()
        .args([
            "users",
            "export",
            "--env",
            "dev",
            "--out",
            backup.to_str().unwrap(),
        ])
        .run()
        .assert_success();

    // A target without `custom:tier`.
    stack.spec(
        "plain.yaml",
        "name: plain-${env}\nenvironments: { dev: { region: us-east-1 } }\ngroups:\n  admins: {}\n  support: {}\n",
    );
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--pool", "plain", "--auto-approve"])
        .run()
        .assert_success();
    stack.proxy.clear();
    let import = |from: &Path, pool: &str| {
        stack
            .poolctl()
            .args([
                "users",
                "import",
                "--env",
                "dev",
                "--pool",
                pool,
                "--from",
                from.to_str().unwrap(),
            ])
            .args(["--logs-role", ROLE, "--poll-interval", "50ms"])
            .run()
    };
    let out = import(&backup, "plain");
    out.assert_exit(1);
    assert!(
        out.stderr
            .contains("pool `plain-dev` (dev) has no attribute `custom:tier` (10 user(s))")
            && out.stderr.contains("nothing was uploaded"),
        "{}",
        out.dump()
    );
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    // A malformed file: named by line, and not a single request is sent.
    let bad = stack.path().join("bad.jsonl");
    let mut text = std::fs::read_to_string(backup.join("users.jsonl")).unwrap();
    text.push_str("{\"username\": \"x\", \"attributes\": 3}\nnot json at all\n");
    std::fs::write(&bad, text).unwrap();
    stack.proxy.clear();
    let out = import(&bad, "usr");
    out.assert_exit(1);
    assert!(
        out.stderr.contains("2 bad line(s)")
            && out.stderr.contains("bad.jsonl:31:")
            && out.stderr.contains("bad.jsonl:32: not a user record"),
        "{}",
        out.dump()
    );
    assert!(
        stack.proxy.requests().is_empty(),
        "{:?}",
        stack.proxy.operations()
    );

    // A role is needed before anything goes up.
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args([
            "users",
            "import",
            "--env",
            "copy",
            "--from",
            backup.to_str().unwrap(),
        ])
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("--logs-role"), "{}", out.dump());
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());
}

#[test]
fn migrate_carries_the_users_through_a_one_way_door() {
    const USERS: usize = 200;
    let stack = Stack::new();
    let spec = "name: mig-${env}\nenvironments: { dev: { region: us-east-1 } }\nschema:\n  custom:tier: { type: string, mutable: true }\ngroups:\n  admins: {}\n  support: {}\nclients:\n  web: { callback_urls: ['https://example.com/cb'], allowed_oauth_flows: [code], allowed_oauth_scopes: [openid], supported_identity_providers: [COGNITO] }\n";
    stack.spec("mig.yaml", spec);
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();
    let old = pool_named(&stack, "mig-dev");
    seed(&stack, &old, USERS);

    // A change Cognito cannot make in place: apply refuses and points the way.
    stack.spec(
        "mig.yaml",
        &spec.replace("schema:", "alias_attributes: [email]\nschema:"),
    );
    let refused = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    refused.assert_exit(1);
    assert!(
        refused
            .stderr
            .contains("`poolctl migrate --env dev --pool mig --to NEW_NAME`"),
        "{}",
        refused.dump()
    );

    let migrate = || {
        stack
            .poolctl()
            .args(["migrate", "--env", "dev", "--to", "mig-dev-v2"])
            .args(["--logs-role", ROLE, "--poll-interval", "50ms"])
    };
    // No terminal, no --yes: nothing happens.
    stack.proxy.clear();
    let out = migrate().run();
    out.assert_exit(1);
    assert!(out.stderr.contains("--yes"), "{}", out.dump());
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    let out = migrate().arg("--yes").run();
    out.assert_success();
    assert!(
        out.stdout
            .contains("Migrating pool `mig-dev` (dev) to a new pool `mig-dev-v2`"),
        "{}",
        out.dump()
    );
    let new = pool_named(&stack, "mig-dev-v2");
    let described = block_on(
        stack
            .cognito()
            .describe_user_pool()
            .user_pool_id(&new)
            .send(),
    )
    .unwrap();
    assert_eq!(
        described.user_pool().unwrap().alias_attributes(),
        [aws_sdk_cognitoidentityprovider::types::AliasAttributeType::Email]
    );
    let users = block_on(stack.cognito().list_users().user_pool_id(&new).send()).unwrap();
    assert!(!users.users().is_empty());
    let admins = block_on(
        stack
            .cognito()
            .list_users_in_group()
            .user_pool_id(&new)
            .group_name("admins")
            .limit(60)
            .send(),
    )
    .unwrap();
    assert_eq!(admins.users().len(), USERS.div_ceil(5));
    // What is left to the user, with the client's new id.
    let clients = block_on(
        stack
            .cognito()
            .list_user_pool_clients()
            .user_pool_id(&new)
            .send(),
    )
    .unwrap();
    let new_client = clients.user_pool_clients()[0].client_id().unwrap();
    assert!(
        out.stdout.contains("client `web` at its new id: ") && out.stdout.contains(new_client),
        "{}",
        out.dump()
    );
    assert!(
        out.stdout.contains("retire pool `mig-dev`"),
        "{}",
        out.dump()
    );
    assert!(stack.proxy.requests_for("DeleteUserPool").is_empty());
    let exported = stack
        .path()
        .join("migrate-mig-dev-to-mig-dev-v2/users.jsonl");
    assert_eq!(lines(&exported).len(), USERS);

    // Again: every step is already done.
    stack.proxy.clear();
    let again = migrate().arg("--yes").run();
    again.assert_success();
    assert!(
        again
            .stdout
            .contains("exists and matches the spec: nothing to do"),
        "{}",
        again.dump()
    );
    assert!(
        again
            .stdout
            .contains("is complete (200 user(s)): nothing to do"),
        "{}",
        again.dump()
    );
    for op in [
        "CreateUserPool",
        "CreateUserImportJob",
        "DeleteUserPool",
        "ListUsersInGroup",
    ] {
        assert!(stack.proxy.requests_for(op).is_empty(), "{op} sent again");
    }
}

#[test]
fn the_spec_names_the_attributes_left_out_and_the_import_role() {
    let stack = Stack::new();
    let spec = format!("{SPEC}users: {{ exclude_attributes: [name], import_logs_role: {ROLE} }}\n");
    stack.spec("usr.yaml", &spec);
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--env", "copy", "--auto-approve"])
        .run()
        .assert_success();
    let source = pool_named(&stack, "usr-dev");
    seed(&stack, &source, 30);
    let backup = stack.path().join("backup");
    stack
        .poolctl()
        .args([
            "users",
            "export",
            "--env",
            "dev",
            "--out",
            backup.to_str().unwrap(),
        ])
        .args(["--exclude-attribute", "custom:tier"])
        .run()
        .assert_success();
    let users = lines(&backup.join("users.jsonl"));
    assert_eq!(users.len(), 30);
    for user in &users {
        let attributes = user["attributes"].as_object().unwrap();
        assert!(
            !attributes.contains_key("name") && !attributes.contains_key("custom:tier"),
            "{user}"
        );
        assert!(attributes.contains_key("email"), "{user}");
    }
    let csv = std::fs::read_to_string(backup.join("users.csv")).unwrap();
    assert!(!csv.contains("User,"), "the name is in the CSV: {csv}");

    stack.proxy.clear();
    stack
        .poolctl()
        .args([
            "users",
            "import",
            "--env",
            "copy",
            "--from",
            backup.to_str().unwrap(),
        ])
        .args(["--poll-interval", "50ms"])
        .run()
        .assert_success();
    assert_eq!(
        stack.proxy.requests_for("CreateUserImportJob")[0].json()["CloudWatchLogsRoleArn"],
        ROLE
    );

    // A key the block does not have is a spec error, like any other.
    stack.spec(
        "usr.yaml",
        &format!("{SPEC}users: {{ exclude_attribute: [name] }}\n"),
    );
    let out = stack.poolctl().args(["validate"]).run();
    out.assert_exit(1);
    assert!(out.stderr.contains("exclude_attribute"), "{}", out.dump());
}
