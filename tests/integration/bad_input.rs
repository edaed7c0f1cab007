//! Broken specs: each gets a clear error naming where it is, poolctl exits 1,
//! nothing panics, and no request ever leaves for AWS.
//!
//! The corpus is data: every file in tests/corpus/bad/ states what its error
//! must say in `# expect:` lines. Files that cannot be written by hand
//! (huge, deeply nested, not UTF-8) are generated here.

use crate::support::*;
use std::path::Path;

/// Runs every command that reads specs against `text` (as pools/bad.yaml)
/// and checks each fails cleanly, saying everything in `expected`.
fn assert_rejected(name: &str, text: &[u8], expected: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    let pools = dir.path().join("pools");
    std::fs::create_dir_all(&pools).unwrap();
    std::fs::write(pools.join("bad.yaml"), text).unwrap();
    // Nothing listens upstream: the proxy only has to notice any attempt.
    let proxy = Proxy::start("http://127.0.0.1:9");
    let commands: [&[&str]; 3] = [
        &["validate"],
        &["plan", "--all-envs"],
        &["apply", "--all-envs", "--auto-approve"],
    ];
    for args in commands {
        let out = Poolctl::new(dir.path())
            .endpoint(&proxy.endpoint())
            .args(args.iter())
            .run();
        assert_eq!(
            out.status,
            1,
            "{name}: {args:?} should fail with exit 1\n{}",
            out.dump()
        );
        assert!(
            !out.stderr.contains("panicked"),
            "{name}: {args:?} panicked\n{}",
            out.dump()
        );
        assert!(
            out.stderr.contains("error:"),
            "{name}: {args:?}: no error line\n{}",
            out.dump()
        );
        assert!(
            out.stderr.contains("pools/bad.yaml"),
            "{name}: {args:?}: the error must name the file\n{}",
            out.dump()
        );
        for needle in expected {
            assert!(
                out.stderr.contains(needle.as_str()),
                "{name}: {args:?}: missing `{needle}`\n{}",
                out.dump()
            );
        }
    }
    assert!(
        proxy.requests().is_empty(),
        "{name}: AWS was called: {:?}",
        proxy.operations()
    );
}

fn expectations(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_file_of_the_corpus_is_rejected_clearly() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/bad");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the corpus went missing: {files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = expectations(&text);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        assert!(!expected.is_empty(), "{name} has no `# expect:` line");
        assert_rejected(&name, text.as_bytes(), &expected);
    }
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let mut text =
        String::from("name: shop\nenvironments: { dev: { region: us-east-1 } }\ntags:\n");
    let mut i = 0;
    while text.len() < 3 * 1024 * 1024 {
        text.push_str(&format!("  k{i}: {}\n", "v".repeat(200)));
        i += 1;
    }
    assert_rejected(
        "huge",
        text.as_bytes(),
        &["a pool spec may be at most".into()],
    );
}

#[test]
fn deep_nesting_is_refused() {
    let brackets = format!(
        "name: shop\nenvironments: {{ dev: {{ region: us-east-1 }} }}\ntags: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert_rejected(
        "deep brackets",
        brackets.as_bytes(),
        &["nested more than".into()],
    );
    let mut indented =
        String::from("name: shop\nenvironments: { dev: { region: us-east-1 } }\ntags:\n");
    for depth in 1..200 {
        indented.push_str(&format!("{}k{depth}:\n", "  ".repeat(depth)));
    }
    assert_rejected(
        "deep indentation",
        indented.as_bytes(),
        &["nested more than".into()],
    );
}

#[test]
fn non_utf8_is_refused_with_the_offset() {
    let mut bytes =
        b"name: shop\nenvironments: { dev: { region: us-east-1 } }\ntags: { team: ".to_vec();
    let offset = bytes.len();
    bytes.extend([0xff, 0xfe, 0x80]);
    bytes.extend(b" }\n");
    assert_rejected(
        "non-utf8",
        &bytes,
        &["not UTF-8".into(), format!("offset {offset}")],
    );
}

#[test]
fn every_error_of_a_file_is_reported_at_once() {
    let text = "name: shop-${env}\nenvironments:\n  dev: { region: us-east-1 }\n  prod: { region: eu-west-1, password_policy: { minimum_length: 3 } }\npassword_policy: { password_history_size: 99 }\n";
    let expected = [
        "password_policy.password_history_size".to_string(),
        "environment `dev`".into(),
        "environment `prod`".into(),
        "3 is out of range".into(),
    ];
    let dir = tempfile::tempdir().unwrap();
    write_pools(dir.path(), &[("bad.yaml", text)]);
    let out = Poolctl::new(dir.path()).arg("validate").run();
    out.assert_exit(1);
    for needle in &expected {
        assert!(
            out.stderr.contains(needle.as_str()),
            "missing `{needle}`\n{}",
            out.dump()
        );
    }
    assert!(
        out.stderr.contains("3 errors in the specs"),
        "{}",
        out.dump()
    );
}

#[test]
fn an_error_in_one_environment_keeps_the_others_warnings() {
    let text = "name: shop-${env}\nenvironments:\n  dev: { region: us-east-1 }\n  prod: { region: eu-west-1, password_policy: { minimum_length: 3 } }\nmfa: { mode: required, totp: true }\n";
    let dir = tempfile::tempdir().unwrap();
    write_pools(dir.path(), &[("shop.yaml", text)]);
    let out = Poolctl::new(dir.path()).arg("validate").run();
    out.assert_exit(1);
    assert!(out.stderr.contains("3 is out of range"), "{}", out.dump());
    // dev resolved: its warning about required MFA is still said.
    let warning = out
        .stderr
        .lines()
        .find(|l| l.contains("one-way door"))
        .unwrap_or_else(|| panic!("{}", out.dump()));
    assert!(
        warning.starts_with("warning:") && warning.contains("`dev`"),
        "{}",
        out.dump()
    );
}
