//! `poolctl completions` and `poolctl man`: generated from the command-line
//! definitions, so they name every subcommand and flag the parser knows.

use crate::support::*;

const SUBCOMMANDS: &[&str] = &[
    "validate",
    "plan",
    "apply",
    "drift",
    "show",
    "import",
    "outputs",
    "init",
    "schema",
    "completions",
    "man",
];

#[test]
fn completions_name_every_subcommand_in_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = Poolctl::new(dir.path()).args(["completions", shell]).run();
        out.assert_success();
        for sub in SUBCOMMANDS {
            assert!(out.stdout.contains(sub), "{shell} completions lack `{sub}`");
        }
        assert!(out.stdout.contains("all-envs"), "{shell}: {}", out.dump());
    }
    let bash = Poolctl::new(dir.path()).args(["completions", "bash"]).run();
    assert!(
        bash.stdout.contains("complete -F _poolctl"),
        "{}",
        bash.dump()
    );
    let out = Poolctl::new(dir.path()).args(["completions", "tcsh"]).run();
    out.assert_exit(1);
}

#[test]
fn the_man_page_is_roff_naming_the_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    let out = Poolctl::new(dir.path()).arg("man").run();
    out.assert_success();
    assert!(
        out.stdout.starts_with(".ie"),
        "{}",
        &out.stdout[..200.min(out.stdout.len())]
    );
    assert!(out.stdout.contains(".TH poolctl 1"), "{}", out.dump());
    for sub in SUBCOMMANDS {
        assert!(
            out.stdout.contains(&format!("poolctl\\-{sub}")),
            "man page lacks `{sub}`"
        );
    }
    let pages = dir.path().join("man1");
    Poolctl::new(dir.path())
        .args(["man", "--dir"])
        .arg(&pages)
        .run()
        .assert_success();
    let plan = std::fs::read_to_string(pages.join("poolctl-plan.1")).unwrap();
    assert!(plan.contains("detailed\\-exitcode"), "{plan}");
    assert!(pages.join("poolctl.1").exists());
}
