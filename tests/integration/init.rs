//! `poolctl init`: a commented starter spec that validates as written (with
//! `validate` and against the JSON Schema its modeline points at), and never
//! overwrites.

use crate::support::*;
use serde_json::Value;

#[test]
fn the_starter_spec_validates_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = Poolctl::new(dir.path())
        .args(["init", "shop", "--env", "dev", "--env", "prod"])
        .run();
    out.assert_success();
    let path = dir.path().join("pools/shop.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema=poolctl.schema.json\n"),
        "{text}"
    );
    assert!(text.contains("name: shop-${env}") && text.contains("region: us-east-1"));
    assert!(text.contains("  prod:\n    region: us-east-1\n") && text.contains("protected: true"));
    let out = Poolctl::new(dir.path()).arg("validate").run();
    out.assert_success();

    // The schema the modeline names is beside it, and the spec follows it.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("pools/poolctl.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&spec)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    std::fs::write(&path, "# mine\n").unwrap();
    let out = Poolctl::new(dir.path()).args(["init", "shop"]).run();
    out.assert_exit(1);
    assert!(out.stderr.contains("already exists"), "{}", out.dump());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
}

#[test]
fn init_takes_the_region_and_refuses_bad_names() {
    let dir = tempfile::tempdir().unwrap();
    Poolctl::new(dir.path())
        .args(["init", "billing", "--region", "eu-west-1"])
        .run()
        .assert_success();
    let text = std::fs::read_to_string(dir.path().join("pools/billing.yaml")).unwrap();
    assert!(text.contains("  dev:\n    region: eu-west-1\n"), "{text}");
    assert!(
        !text.contains("protected: true"),
        "one environment is not production"
    );
    Poolctl::new(dir.path())
        .arg("validate")
        .run()
        .assert_success();
    for bad in ["../escape", "with space", "_x"] {
        let out = Poolctl::new(dir.path()).args(["init", bad]).run();
        out.assert_exit(1);
        assert!(
            out.stderr.contains("cannot name a spec file"),
            "{}",
            out.dump()
        );
    }
    let out = Poolctl::new(dir.path())
        .args(["init", "x", "--env", "a b"])
        .run();
    out.assert_exit(1);
}
