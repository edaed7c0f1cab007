//! Diff cases as data: every `tests/cases/**/*.yaml` is a desired spec, a
//! live state and the plan expected of them, run through the library with no
//! AWS at all. A new case is a new file; see `tests/cases/README.md`.

use poolctl::diff::PlanOptions;
use poolctl::offline::{self, LiveData};
use poolctl::plan::{PoolPlan, ResourceChange};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case pins down, in a sentence.
    #[allow(dead_code)]
    about: String,
    /// The spec file's text, as `pools/shop.yaml`.
    spec: String,
    #[serde(default = "dev")]
    env: String,
    #[serde(default)]
    live: LiveData,
    #[serde(default)]
    prune: bool,
    /// Every change, in the plan's order; `[]` for no changes.
    plan: Vec<ExpectedChange>,
    /// When given: as many warnings, each containing its text, in order.
    warnings: Option<Vec<String>>,
}

fn dev() -> String {
    "dev".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedChange {
    address: String,
    action: String,
    /// When given: exactly these fields, in order.
    fields: Option<Vec<ExpectedField>>,
    /// When given: each text is part of one of the change's reasons.
    #[serde(default)]
    reasons: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedField {
    path: String,
    #[serde(default)]
    before: Value,
    #[serde(default)]
    after: Value,
    #[serde(default)]
    sensitive: bool,
    /// When given: part of the reason the field cannot change in place.
    blocked: Option<String>,
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            case_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

/// What is wrong with `plan` against `case`, if anything.
fn mismatches(case: &Case, plan: &PoolPlan) -> Vec<String> {
    let mut out = Vec::new();
    let actual: Vec<&ResourceChange> = plan.changes.iter().collect();
    let addresses = |changes: &mut dyn Iterator<Item = String>| changes.collect::<Vec<_>>();
    if actual.len() != case.plan.len() {
        out.push(format!(
            "{} changes, expected {}: {:?} vs {:?}",
            actual.len(),
            case.plan.len(),
            addresses(&mut actual.iter().map(|c| c.address.to_string())),
            addresses(&mut case.plan.iter().map(|c| c.address.clone())),
        ));
        out.push(format!(
            "the plan: {}",
            serde_json::to_string(&plan.changes).unwrap()
        ));
        return out;
    }
    for (have, want) in actual.iter().zip(&case.plan) {
        let at = &want.address;
        if have.address.to_string() != want.address {
            out.push(format!("change to `{}`, expected `{at}`", have.address));
            continue;
        }
        let action = serde_json::to_value(have.action).unwrap();
        if action != want.action.as_str() {
            out.push(format!("{at}: action {action}, expected {}", want.action));
        }
        for reason in &want.reasons {
            if !have.reasons.iter().any(|r| r.contains(reason.as_str())) {
                out.push(format!(
                    "{at}: no reason contains {reason:?}: {:?}",
                    have.reasons
                ));
            }
        }
        let Some(fields) = &want.fields else { continue };
        let have_paths: Vec<&str> = have.fields.iter().map(|f| f.path.as_str()).collect();
        let want_paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        if have_paths != want_paths {
            out.push(format!(
                "{at}: fields {have_paths:?}, expected {want_paths:?}"
            ));
            continue;
        }
        for (f, w) in have.fields.iter().zip(fields) {
            let before = f.before.clone().unwrap_or(Value::Null);
            let after = f.after.clone().unwrap_or(Value::Null);
            if before != w.before || after != w.after || f.sensitive != w.sensitive {
                out.push(format!(
                    "{at}: {}: {before} -> {after} (sensitive {}), expected {} -> {} (sensitive {})",
                    f.path, f.sensitive, w.before, w.after, w.sensitive
                ));
            }
            if let Some(reason) = &w.blocked {
                if !f
                    .blocked
                    .as_deref()
                    .is_some_and(|b| b.contains(reason.as_str()))
                {
                    out.push(format!(
                        "{at}: {}: blocked {:?}, expected it to say {reason:?}",
                        f.path, f.blocked
                    ));
                }
            }
        }
    }
    if let Some(warnings) = &case.warnings {
        let fits = warnings.len() == plan.warnings.len()
            && warnings
                .iter()
                .zip(&plan.warnings)
                .all(|(w, h)| h.contains(w.as_str()));
        if !fits {
            out.push(format!(
                "warnings {:?}, expected {warnings:?}",
                plan.warnings
            ));
        }
    }
    out
}

/// The one test that runs every case, reporting every failing case at once.
#[test]
fn every_diff_case_plans_as_expected() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files = Vec::new();
    case_files(&root, &mut files);
    files.sort();
    assert!(
        files.len() >= 10,
        "only {} cases under {}",
        files.len(),
        root.display()
    );
    let mut failures = Vec::new();
    for file in &files {
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let case: Case = match serde_yaml::from_str(&text) {
            Ok(case) => case,
            Err(e) => {
                failures.push(format!("{name}: not a case: {e}"));
                continue;
            }
        };
        let live = case.live.clone().into_state();
        let options = PlanOptions { prune: case.prune };
        match offline::plan("shop", &case.spec, &case.env, &live, options) {
            Ok(plan) => failures.extend(
                mismatches(&case, &plan)
                    .into_iter()
                    .map(|m| format!("{name}: {m}")),
            ),
            Err(errors) => failures.push(format!("{name}: the spec does not resolve: {errors}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
