//! The local emulator (`scripts/emulator`, `examples/emulator.rs`) as a user
//! meets it: it starts and prints what to export, serves a plan and an apply,
//! keeps a pool converging after the user edits the spec (where moto alone
//! traps them), and stops on Ctrl-C, taking moto with it.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The repository's own example spec, which the quick start applies.
const SHOP: &str = include_str!("../../pools/shop.yaml");

/// The newcomer's edit: a setting UpdateUserPool changes in place.
fn edited(shop: &str) -> String {
    let edited = shop.replacen("  minimum_length: 12\n", "  minimum_length: 10\n", 1);
    assert_ne!(
        edited, shop,
        "pools/shop.yaml no longer sets minimum_length: 12"
    );
    edited
}

/// The example without its identity pool: moto alone lacks the identity
/// pool role calls (SetIdentityPoolRoles) its first apply needs, which
/// would stop that apply before the trap this file shows.
fn shop_without_identity_pools() -> String {
    let start = SHOP
        .find("\n# AWS credentials for the shop's users")
        .expect("pools/shop.yaml declares its identity pool after this comment");
    let end = SHOP[start..]
        .find("\n# Lambda triggers")
        .map_or(SHOP.len(), |i| start + i);
    format!("{}{}", &SHOP[..start], &SHOP[end..])
}

/// Builds the emulator example (a no-op when it is up to date) in the target
/// directory this test binary was built in, and returns its path.
fn emulator_exe() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // <target dir>/<profile>/deps/integration-<hash>
    let profile_dir = exe.parent().and_then(Path::parent).expect("<profile>/deps");
    let target_dir = profile_dir.parent().expect("the target directory");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
    let mut command = Command::new(cargo);
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--example", "emulator", "--message-format=json"])
        .arg("--target-dir")
        .arg(target_dir);
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        command.arg("--release");
    }
    let out = command.output().expect("cannot run cargo");
    assert!(
        out.status.success(),
        "cargo build --example emulator failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "emulator")
        .and_then(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo reported no emulator executable")
}

/// A running emulator; killed if a test fails before stopping it.
struct Emulator {
    child: Child,
    /// Every line it printed so far.
    lines: Arc<Mutex<Vec<String>>>,
    endpoint: String,
    moto_pid: u32,
}

impl Emulator {
    fn start() -> Emulator {
        let mut child = Command::new(emulator_exe())
            .args(["--port", "0", "--poolctl", env!("CARGO_BIN_EXE_poolctl")])
            .env("MOTO_SERVER", moto_server_path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot start the emulator");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("piped stdout");
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let mut emulator = Emulator {
            child,
            lines,
            endpoint: String::new(),
            moto_pid: 0,
        };
        let deadline = Instant::now() + Duration::from_secs(90);
        while emulator.endpoint.is_empty() {
            assert!(
                Instant::now() < deadline,
                "the emulator printed no endpoint within 90 s:\n{}",
                emulator.output()
            );
            if let Ok(Some(status)) = emulator.child.try_wait() {
                panic!("the emulator exited ({status}):\n{}", emulator.output());
            }
            for line in emulator.lines.lock().unwrap().iter() {
                if let Some(url) = line.strip_prefix("export AWS_ENDPOINT_URL=") {
                    emulator.endpoint = url.to_string();
                }
                if let Some((_, pid)) = line.split_once("pid ") {
                    emulator.moto_pid = pid.trim_end_matches(')').parse().expect("moto's pid");
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        emulator
    }

    fn output(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// Ctrl-C, then its exit status within 30 s.
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("cannot run kill");
        assert!(sent.success(), "kill -INT failed");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the emulator") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the emulator did not stop within 30 s of SIGINT:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// poolctl in `dir`, as the README has the user run it against `endpoint`.
fn poolctl(dir: &Path, endpoint: &str) -> Poolctl {
    Poolctl::new(dir)
        .endpoint(endpoint)
        .env("GOOGLE_CLIENT_SECRET", "emulator-google-secret")
        .arg("--color")
        .arg("never")
}

/// Apply, plan, edit, plan, apply, plan: what a newcomer does after the demo.
/// Returns the plan after the edit and the plan after applying it.
fn apply_edit_apply(endpoint: &str, shop: &str) -> (Output, Output) {
    let dir = tempfile::tempdir().expect("temp dir");
    write_pools(dir.path(), &[("shop.yaml", shop)]);
    let run = |args: &[&str]| poolctl(dir.path(), endpoint).args(args).run();
    run(&["apply", "--env", "dev", "--auto-approve"]).assert_success();
    run(&["plan", "--env", "dev", "--detailed-exitcode"]).assert_success();

    write_pools(dir.path(), &[("shop.yaml", &edited(shop))]);
    let edited = run(&["plan", "--env", "dev"]);
    edited.assert_success();
    run(&["apply", "--env", "dev", "--auto-approve"]).assert_success();
    (
        edited,
        run(&["plan", "--env", "dev", "--detailed-exitcode"]),
    )
}

#[test]
fn an_edit_after_the_demo_converges_and_ctrl_c_stops_the_emulator() {
    let mut emulator = Emulator::start();
    assert!(
        emulator.endpoint.starts_with("http://127.0.0.1:"),
        "{}",
        emulator.output()
    );
    let printed = emulator.output();
    for export in [
        "AWS_ACCESS_KEY_ID=",
        "AWS_SECRET_ACCESS_KEY=",
        "AWS_REGION=",
    ] {
        assert!(printed.contains(export), "no {export} in:\n{printed}");
    }

    let (edited, after) = apply_edit_apply(&emulator.endpoint, SHOP);
    assert!(
        edited
            .stdout
            .contains("~ password_policy.minimum_length: 12 -> 10"),
        "{}",
        edited.dump()
    );
    assert!(!edited.stdout.contains('!'), "{}", edited.dump());
    // Converged: the sign-in attributes survived UpdateUserPool.
    after.assert_success();
    assert!(after.stdout.contains("no changes"), "{}", after.dump());
    // The requests went through the emulator, which logged them.
    let log = emulator.output();
    assert!(log.contains("200 CreateUserPool"), "{log}");
    assert!(log.contains("200 UpdateUserPool"), "{log}");

    let status = emulator.interrupt();
    assert!(
        status.success(),
        "exit {status} after SIGINT:\n{}",
        emulator.output()
    );
    let port: u16 = emulator
        .endpoint
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "still listening on {} after SIGINT",
        emulator.endpoint
    );
    assert!(emulator.moto_pid > 0, "{}", emulator.output());
    assert!(
        !Path::new(&format!("/proc/{}", emulator.moto_pid)).exists(),
        "moto (pid {}) outlived the emulator",
        emulator.moto_pid
    );
}

/// Why the emulator exists: against moto alone, the same steps leave a pool
/// whose sign-in attributes were wiped, and every later plan is blocked.
#[test]
fn against_moto_alone_the_same_edit_is_a_trap() {
    let moto = Moto::start();
    let (_, after) = apply_edit_apply(&moto.endpoint(), &shop_without_identity_pools());
    after.assert_exit(2);
    assert!(
        after.stdout.contains("! username_attributes"),
        "{}",
        after.dump()
    );
}
