//! Property tests of the spec loader: whatever bytes a file holds, loading
//! and resolving it never panics, and every failure is a diagnostic that
//! names the file. `PROPTEST_CASES` bounds the run (CI sets it).

use super::{parse_file, resolve, Overrides};
use proptest::prelude::*;
use std::path::Path;

const VALID: &str = include_str!("../../pools/shop.yaml");

/// Every variable is set except `UNSET`, so specs that read secrets resolve.
fn vars(name: &str) -> Option<String> {
    (name != "UNSET").then(|| "value".to_string())
}

/// Loads and resolves `bytes` for every environment it declares; the
/// invariants hold whatever the outcome.
fn exercise(bytes: Vec<u8>) {
    let path = Path::new("pools/fuzz.yaml");
    match parse_file(path, bytes) {
        Err(diags) => {
            assert!(!diags.is_empty());
            assert!(
                diags
                    .iter()
                    .all(|d| d.is_error() && d.file.as_deref() == Some(path)),
                "{diags:?}"
            );
        }
        Ok(file) => {
            for env in file.environments.clone() {
                if let Err(errors) = resolve(&file, &env, &Overrides::default(), &vars) {
                    assert!(errors.0.iter().any(|d| d.is_error()), "{errors:?}");
                    for d in &errors.0 {
                        assert_eq!(d.file.as_deref(), Some(path), "{d:?}");
                        assert_eq!(d.environment.as_deref(), Some(env.as_str()), "{d:?}");
                    }
                }
            }
        }
    }
}

/// Edits that tend to break YAML in interesting ways.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    DuplicateLine(usize),
    Indent(usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let significant = prop::sample::select(vec![
        ':', '-', '{', '}', '[', ']', '&', '*', '!', '|', '>', '#', '"', '\'', '$', ' ', '\t',
        '\n', '~', ',', '?', '%', '@',
    ]);
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), significant).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        any::<usize>().prop_map(Edit::Indent),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let n = chars.len().max(1);
        match *e {
            Edit::Delete(i) if !chars.is_empty() => {
                chars.remove(i % n);
            }
            Edit::Insert(i, c) => chars.insert(i % (chars.len() + 1), c),
            Edit::DuplicateLine(i) | Edit::Indent(i) => {
                let text: String = chars.iter().collect();
                let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
                if lines.is_empty() {
                    continue;
                }
                let at = i % lines.len();
                if matches!(e, Edit::DuplicateLine(_)) {
                    lines.insert(at, lines[at].clone());
                } else {
                    lines[at].insert_str(0, "  ");
                }
                chars = lines.join("\n").chars().collect();
            }
            Edit::Truncate(i) => chars.truncate(i % n),
            Edit::Delete(_) => {}
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_load_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        exercise(bytes);
    }

    #[test]
    fn any_text_loads_without_panicking(text in "[a-z_:{}\\[\\], \\n\\-\"'$#&*!|>]{0,300}") {
        exercise(text.into_bytes());
    }

    #[test]
    fn edited_specs_load_without_panicking(edits in prop::collection::vec(edit(), 1..8)) {
        exercise(apply(VALID, &edits).into_bytes());
    }
}

#[test]
fn the_valid_spec_resolves_in_every_environment() {
    let file = parse_file(Path::new("pools/shop.yaml"), VALID.as_bytes().to_vec()).unwrap();
    assert_eq!(file.environments, ["dev", "staging", "prod"]);
    for env in &file.environments {
        resolve(&file, env, &Overrides::default(), &vars).unwrap();
    }
}
