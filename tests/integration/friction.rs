//! The small frictions a new user hit on the first day (issue 11), each
//! pinned through the binary: closed pipes, colours and secrets in logs,
//! help, suggestions, dates, import's own check, every error at once, and
//! the one-way doors of a pool about to be created.

use crate::support::*;

const SPEC: &str = "name: fr-${env}
environments:
  dev: { region: us-east-1 }
  prod: { region: us-east-1 }
username_attributes: [email]
groups:
  admins: { description: Store administrators, precedence: 1 }
";

/// `drift --json | true`, `plan --json | head -1`, `show --json | head`:
/// each ends quietly, with the exit code it has when its output is read.
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let stack = Stack::new();
    stack.spec("fr.yaml", SPEC);
    let saved = stack.path().join("dev.plan");
    stack
        .poolctl()
        .args(["plan", "--env", "dev", "--out"])
        .arg(&saved)
        .run()
        .assert_success();
    let saved = saved.to_str().unwrap();
    let commands: [&[&str]; 8] = [
        &["drift", "--json"],
        &["drift"],
        &["plan", "--env", "dev", "--json"],
        &["plan", "--all-envs", "--detailed-exitcode"],
        &["show", "--json", saved],
        &["show", saved],
        &["validate"],
        &[
            "import",
            "--env",
            "dev",
            "--name",
            "no-such-pool",
            "--out",
            "-",
        ],
    ];
    for args in commands {
        let read = stack.poolctl().args(args).run();
        let closed = stack.poolctl().args(args).stdout_closed().run();
        assert!(
            !closed.stderr.contains("panicked") && !closed.stderr.contains("Broken pipe"),
            "{args:?} with a closed stdout\n{}",
            closed.dump()
        );
        assert_ne!(closed.status, 101, "{}", closed.dump());
        assert_eq!(
            closed.status,
            read.status,
            "{args:?}: the exit code must not depend on whether stdout is read\n{}\n{}",
            read.dump(),
            closed.dump()
        );
    }
}

/// `-v` logs follow `--color`: plain when standard error is a pipe, coloured
/// only when asked for.
#[test]
fn verbose_logs_are_plain_when_stderr_is_not_a_terminal() {
    let stack = Stack::new();
    stack.spec("fr.yaml", SPEC);
    let plain = stack
        .poolctl()
        .env_remove("NO_COLOR")
        .args(["plan", "--env", "dev", "-vv"])
        .run();
    plain.assert_success();
    assert!(
        plain.stderr.contains("ListUserPools"),
        "the logs must be there to judge: {}",
        plain.dump()
    );
    assert!(!plain.stderr.contains('\u{1b}'), "{:?}", plain.stderr);
    let forced = stack
        .poolctl()
        .env_remove("NO_COLOR")
        .args(["plan", "--env", "dev", "-vv", "--color", "always"])
        .run();
    forced.assert_success();
    assert!(forced.stderr.contains('\u{1b}'), "{}", forced.dump());
}

/// The README promises no credential is logged, even at -vvv where the SDK
/// logs the credentials it resolved.
#[test]
fn the_access_key_id_never_reaches_the_logs() {
    let stack = Stack::new();
    stack.spec("fr.yaml", SPEC);
    for key in ["AKIAFRICTIONTEST0001", "friction-plain-key-id"] {
        let out = stack
            .poolctl()
            .env("AWS_ACCESS_KEY_ID", key)
            .env("AWS_SECRET_ACCESS_KEY", "friction-secret-access-key")
            .args(["plan", "--env", "dev", "-vvv"])
            .run();
        out.assert_success();
        assert!(
            out.stderr.contains("access_key_id"),
            "the SDK's credential log line must be there to judge: {}",
            out.dump()
        );
        assert!(!out.stderr.contains(key), "{key} logged:\n{}", out.dump());
        assert!(!out.stderr.contains("friction-secret-access-key"));
    }
}

fn help(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = Poolctl::new(dir.path()).args(args).arg("--help").run();
    out.assert_success();
    out.stdout
}

/// Global flags under their own heading, `plan`'s required choice in its
/// usage, and AWS flags only where poolctl talks to AWS.
#[test]
fn help_groups_flags_and_shows_what_is_required() {
    let plan = help(&["plan"]);
    assert!(plan.contains("Global options:"), "{plan}");
    assert!(plan.contains("AWS options:"), "{plan}");
    assert!(plan.contains("<--env <ENV>|--all-envs>"), "{plan}");
    let global = &plan[plan.find("Global options:").unwrap()..];
    let global = global.split("\n\n").next().unwrap();
    for flag in ["--pools", "--verbose", "--color"] {
        assert!(
            global.contains(flag),
            "{flag} not under the heading: {plan}"
        );
    }
    assert!(!global.contains("--json"), "{plan}");
    for flag in [
        "--endpoint-url",
        "--max-concurrency",
        "--request-timeout",
        "--region",
    ] {
        for command in ["plan", "apply", "drift", "import"] {
            assert!(help(&[command]).contains(flag), "{command} lacks {flag}");
        }
    }
    let validate = help(&["validate"]);
    let show = help(&["show"]);
    for flag in ["--endpoint-url", "--max-concurrency", "--request-timeout"] {
        assert!(!validate.contains(flag), "{validate}");
        assert!(!show.contains(flag), "{show}");
    }
    // The region and profile a pool resolves to are part of what validate checks.
    assert!(validate.contains("--region"), "{validate}");
    assert!(
        !show.contains("--region") && !show.contains("--profile"),
        "{show}"
    );

    let dir = tempfile::tempdir().unwrap();
    write_pools(dir.path(), &[("fr.yaml", SPEC)]);
    let out = Poolctl::new(dir.path()).args(["plan"]).run();
    out.assert_exit(1);
    assert!(out.stderr.contains("--all-envs"), "{}", out.dump());
    // Where the AWS flags worked before, they still do: before the command.
    Poolctl::new(dir.path())
        .args([
            "--request-timeout",
            "5s",
            "--region",
            "eu-west-1",
            "validate",
        ])
        .run()
        .assert_success();
    Poolctl::new(dir.path())
        .args(["validate", "--region", "eu-west-1", "--profile", "p"])
        .run()
        .assert_success();
}

#[test]
fn a_misspelt_environment_gets_the_nearest_and_the_list() {
    let dir = tempfile::tempdir().unwrap();
    write_pools(dir.path(), &[("fr.yaml", SPEC)]);
    for command in [
        &["plan", "--env", "prdo"][..],
        &["validate", "--env", "prdo"],
    ] {
        let out = Poolctl::new(dir.path())
            .endpoint("http://127.0.0.1:9")
            .args(command)
            .run();
        out.assert_exit(1);
        assert!(
            out.stderr.contains("did you mean `prod`?")
                && out.stderr.contains("(declared: `dev`, `prod`)"),
            "{}",
            out.dump()
        );
    }
}

#[test]
fn show_prints_when_the_plan_was_made_as_a_date() {
    let stack = Stack::new();
    stack.spec("fr.yaml", SPEC);
    let saved = stack.path().join("dev.plan");
    stack
        .poolctl()
        .args(["plan", "--env", "dev", "--out"])
        .arg(&saved)
        .run()
        .assert_success();
    let out = stack.poolctl().arg("show").arg(&saved).run();
    out.assert_success();
    assert!(!out.stdout.contains("Unix time"), "{}", out.dump());
    let at = out
        .stdout
        .split("made at ")
        .nth(1)
        .expect("a time")
        .to_string();
    let stamp: Vec<char> = at.chars().take(20).collect();
    let shape: String = stamp
        .iter()
        .map(|c| if c.is_ascii_digit() { 'd' } else { *c })
        .collect();
    assert_eq!(shape, "dddd-dd-ddTdd:dd:ddZ", "{}", out.dump());
}

#[test]
fn a_group_deletion_says_why_once() {
    let stack = Stack::new();
    stack.spec("fr.yaml", SPEC);
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();
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
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--prune"])
        .run();
    out.assert_success();
    assert_eq!(
        out.stdout.matches("memberships are lost").count(),
        1,
        "{}",
        out.dump()
    );
}

/// The region of an environment the specs already declare is not asked for.
#[test]
fn import_takes_the_region_from_the_spec() {
    let stack = Stack::new();
    stack.spec("fr.yaml", SPEC);
    block_on(
        stack
            .cognito()
            .create_user_pool()
            .pool_name("fr-dev")
            .send(),
    )
    .unwrap();
    let out = stack
        .poolctl()
        .args(["import", "--env", "dev", "--name", "fr-dev", "--out", "-"])
        .run();
    out.assert_success();
    assert!(out.stdout.contains("fr-"), "{}", out.dump());
    assert!(
        !stack.proxy.requests().is_empty()
            && stack.proxy.requests().iter().all(|r| r
                .header("authorization")
                .unwrap_or("")
                .contains("/us-east-1/")),
        "every request signed for the spec's region"
    );
}

/// What import writes must pass `validate`, or import fails: here a second
/// environment that resolves to the pool the first one already is.
#[test]
fn import_fails_when_what_it_wrote_does_not_validate() {
    let stack = Stack::new();
    stack.spec(
        "one.yaml",
        "name: one-pool\nenvironments:\n  dev: { region: us-east-1 }\n",
    );
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();
    let out = stack
        .poolctl()
        .region("us-east-1")
        .args(["import", "--env", "staging", "--name", "one-pool"])
        .run();
    let written = std::fs::read_to_string(stack.path().join("pools/one.yaml")).unwrap();
    assert!(written.contains("staging"), "{written}\n{}", out.dump());
    let validate = stack.poolctl().arg("validate").run();
    validate.assert_exit(1);
    out.assert_exit(1);
    assert!(
        out.stderr.contains("both resolve to the pool `one-pool`"),
        "{}",
        out.dump()
    );
}

/// An unknown key in one section does not hide a range error in another;
/// each is located.
#[test]
fn every_error_of_a_run_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    write_pools(
        dir.path(),
        &[(
            "fr.yaml",
            "name: fr-${env}
environments: { dev: { region: us-east-1 } }
password_policy: { minimum_length: 4 }
clients:
  web: { generate_secret: false, bogus: 1 }
  app: { generate_secret: false, refresh_token_validity: 20y }
groups:
  admins: { precedence: -1, descriptio: x }
identity_providers:
  Google: { type: google, client_id: x, client_secret: '${env:FRICTION_UNSET}', authorize_scopes: [openid] }
",
        )],
    );
    let out = Poolctl::new(dir.path()).arg("validate").run();
    out.assert_exit(1);
    for located in [
        "pools/fr.yaml:3:",
        "password_policy.minimum_length",
        "pools/fr.yaml:5:",
        "clients.web.bogus",
        "pools/fr.yaml:6:",
        "clients.app.refresh_token_validity",
        "pools/fr.yaml:8:",
        "groups.admins",
        "pools/fr.yaml:10:",
        "`FRICTION_UNSET` is not set",
    ] {
        assert!(
            out.stderr.contains(located),
            "missing {located}\n{}",
            out.dump()
        );
    }
}

/// A pool about to be created: the choices it keeps forever are marked next
/// to them in the plan (human and JSON), and `validate` names them.
#[test]
fn a_new_pool_plan_marks_its_one_way_doors() {
    let stack = Stack::new();
    stack.spec(
        "fr.yaml",
        "name: fr-${env}
environments: { dev: { region: us-east-1 } }
username_attributes: [email]
case_sensitive: false
password_policy: { minimum_length: 12 }
schema:
  email: { required: true }
  custom:tenant: { type: string }
",
    );
    let validate = stack.poolctl().arg("validate").run();
    validate.assert_success();
    assert!(
        validate.stderr.contains("chosen for good when the pool is created")
            && validate.stderr.contains("`username_attributes`, `case_sensitive`, the required standard attributes (`email`)"),
        "{}",
        validate.dump()
    );

    let human = stack.poolctl().args(["plan", "--env", "dev"]).run();
    human.assert_success();
    let line = |path: &str| {
        human
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("+ {path}:")))
            .unwrap_or_else(|| panic!("no {path} line\n{}", human.dump()))
            .to_string()
    };
    for path in [
        "username_attributes",
        "case_sensitive",
        "schema.email.required",
        "schema.custom:tenant.type",
    ] {
        assert!(line(path).contains("one-way door"), "{}", line(path));
    }
    assert!(!line("password_policy.minimum_length").contains("one-way door"));

    let json = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--json"])
        .run();
    json.assert_success();
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let pool = change(&plan, "user_pool");
    let door = |path: &str| {
        pool["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("no {path}: {pool}"))["one_way_door"]
            .clone()
    };
    assert!(door("username_attributes")
        .as_str()
        .unwrap()
        .contains("sign-in attributes"));
    assert!(door("schema.custom:tenant.type")
        .as_str()
        .unwrap()
        .contains("custom attribute"));
    assert!(door("password_policy.minimum_length").is_null());
    assert!(door("name").is_null());
}
