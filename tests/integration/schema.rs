//! `poolctl schema`: the JSON Schema of a spec file, checked with a JSON
//! Schema validator against every spec the project ships (pools/, the docs'
//! examples, the test corpus) and against files it must reject; and the copy
//! committed as pools/poolctl.schema.json (what the specs' modelines point
//! at) is what the binary prints.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn printed_schema() -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = Poolctl::new(dir.path()).arg("schema").run();
    out.assert_success();
    out.stdout
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&printed_schema()).unwrap();
    jsonschema::draft7::new(&schema).expect("the schema is a valid draft-07 schema")
}

fn as_json(yaml: &str) -> Value {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("not YAML ({e}):\n{yaml}"))
}

/// A whole spec, or a fragment of top-level keys completed the way the
/// docs' examples are (`name: docs-${env}`, one environment).
fn as_spec(yaml: &str) -> Value {
    let mut value = as_json(yaml);
    let map = value.as_object_mut().expect("a spec is a mapping");
    if !map.contains_key("environments") {
        map.entry("name").or_insert("docs-${env}".into());
        map.insert(
            "environments".into(),
            serde_json::json!({ "dev": { "region": "us-east-1" } }),
        );
    }
    value
}

fn errors_of(validator: &jsonschema::Validator, spec: &Value) -> Vec<String> {
    validator
        .iter_errors(spec)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// Every ```yaml block of a markdown file.
fn yaml_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start() == "```yaml" => current = Some(String::new()),
            Some(block) if line.trim_start() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

fn files(dir: &Path, ext: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| ext.iter().any(|x| p.extension().is_some_and(|e| e == *x)));
    out.sort();
    out
}

#[test]
fn every_shipped_spec_validates_against_the_schema() {
    let validator = validator();
    let mut checked = 0;
    let mut failures = Vec::new();
    let root = repo();
    let mut specs: Vec<(String, String)> = Vec::new();
    for dir in ["pools", "tests/corpus/examples"] {
        for path in files(&root.join(dir), &["yaml", "yml"]) {
            specs.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    for path in files(&root.join("docs"), &["md"]) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, block) in yaml_blocks(&text).into_iter().enumerate() {
            specs.push((format!("{} block {}", path.display(), i + 1), block));
        }
    }
    for (name, text) in &specs {
        let errors = errors_of(&validator, &as_spec(text));
        if !errors.is_empty() {
            failures.push(format!("{name}:\n  {}", errors.join("\n  ")));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 4, "only {checked} specs found");
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let validator = validator();
    let base = "name: a\nenvironments:\n  dev: { region: us-east-1 }\n";
    for (bad, why) in [
        (
            "pasword_policy: { minimum_length: 12 }\n",
            "unknown top-level key",
        ),
        (
            "password_policy: { minimun_length: 12 }\n",
            "unknown nested key",
        ),
        (
            "password_policy: { minimum_length: twelve }\n",
            "wrong type",
        ),
        ("mfa: { mode: sometimes }\n", "value outside the enum"),
        (
            "clients: { web: { allowed_oauth_flows: [password] } }\n",
            "enum in a list",
        ),
        (
            "clients: { web: { refresh_token_validity: 30 days } }\n",
            "bad duration",
        ),
        ("triggers: { pre_sign_up: true }\n", "true is not a trigger"),
        (
            "domain: { prefix: a, certificat_arn: x }\n",
            "unknown key in the long form",
        ),
    ] {
        let spec = as_spec(&format!("{base}{bad}"));
        assert!(
            !errors_of(&validator, &spec).is_empty(),
            "accepted ({why}): {bad}"
        );
    }
    for bad in [
        "name: a\n",
        "name: a\nenvironments:\n  dev: { regoin: us-east-1 }\n",
        "name: a\nenvironments:\n  dev: { region: us-east-1, environments: {} }\n",
        "name: a\nenvironments:\n  'dev env': { region: us-east-1 }\n",
    ] {
        assert!(
            !errors_of(&validator, &as_json(bad)).is_empty(),
            "accepted: {bad}"
        );
    }
    // What the loader accepts in short forms, the schema accepts too.
    let good = "name: a\nenvironments:\n  dev: { region: us-east-1, tags: null }\ndomain: shop\n\
        triggers: { pre_sign_up: false, pre_token_generation: { lambda_arn: arn, lambda_version: v2 } }\n\
        clients: { web: { refresh_token_validity: 30d, access_token_validity: 3600 } }\n";
    let errors = errors_of(&validator, &as_json(good));
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(repo().join("pools/poolctl.schema.json")).unwrap();
    assert!(
        committed == printed_schema(),
        "pools/poolctl.schema.json is stale: run `cargo run -- schema > pools/poolctl.schema.json`"
    );
}
