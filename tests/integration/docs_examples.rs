//! Every ```yaml block of README.md and docs/*.md is a spec (or a piece of
//! one) that `poolctl validate` accepts, so no example in the docs can rot.
//!
//! The convention (docs/development.md): a block with a top-level
//! `environments:` key is a whole spec; any other block is a fragment of
//! top-level keys, merged into `name: docs-${env}` and
//! `environments: { dev: { region: us-east-1 } }`. A block that is YAML but not
//! a spec (a CI workflow) is fenced ```text instead. `${env:NAME}` in a block
//! reads a dummy value, as a reader's shell would provide the real one.

use crate::support::*;
use std::path::{Path, PathBuf};

/// One ```yaml block: where it is and what it says.
#[derive(Debug)]
struct Block {
    file: String,
    /// 1-based line of the opening fence.
    line: usize,
    text: String,
}

/// The ```yaml blocks of `text`; fences may be indented (inside a list item),
/// and that indent is taken off the block's lines.
fn yaml_blocks(file: &str, text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, usize, Vec<String>)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut open {
            None if trimmed.trim_end() == "```yaml" => open = Some((i + 1, indent, Vec::new())),
            None => {}
            Some(_) if trimmed.trim_end() == "```" => {
                let (line, _, body) = open.take().expect("an open block");
                blocks.push(Block {
                    file: file.to_string(),
                    line,
                    text: body.join("\n") + "\n",
                });
            }
            Some((_, indent, body)) => {
                let cut = line.len().min(*indent);
                body.push(line[cut..].to_string());
            }
        }
    }
    if let Some((line, _, _)) = open {
        panic!("{file}:{line}: ```yaml block is never closed");
    }
    blocks
}

/// The spec file a block stands for: itself when it declares `environments`,
/// else the fragment under the two keys every spec needs (a key the fragment
/// declares itself is not added).
fn as_spec(block: &Block) -> String {
    let declares = |key: &str| {
        block
            .text
            .lines()
            .any(|l| l.starts_with(&format!("{key}:")))
    };
    if declares("environments") {
        return block.text.clone();
    }
    let mut spec = String::new();
    if !declares("name") {
        spec.push_str("name: docs-${env}\n");
    }
    spec.push_str("environments: { dev: { region: us-east-1 } }\n");
    spec.push_str(&block.text);
    spec
}

/// The `NAME`s of `${env:NAME}` in `text`.
fn env_names(text: &str) -> Vec<String> {
    text.split("${env:")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// Validates one block with the built binary; the failure, if any, names the
/// block's file and line and shows poolctl's answer.
fn check(block: &Block) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = as_spec(block);
    write_pools(dir.path(), &[("docs.yaml", &spec)]);
    let mut poolctl = Poolctl::new(dir.path()).args(["--color", "never", "validate"]);
    for name in env_names(&spec) {
        poolctl = poolctl.env(name, "docs-example-secret");
    }
    let out = poolctl.run();
    if out.status == 0 {
        return Ok(());
    }
    Err(format!(
        "{}:{}: this ```yaml block does not validate (as pools/docs.yaml):\n{}\n{}",
        block.file,
        block.line,
        spec.trim_end(),
        out.dump()
    ))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every docs/*.md, as (name relative to the repository, text).
fn documents() -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = vec![repo().join("README.md")];
    let docs = repo().join("docs");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&docs)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", docs.display()))
        .map(|entry| entry.expect("a docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    found.sort();
    paths.extend(found);
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            let name = p.strip_prefix(repo()).unwrap_or(Path::new("?")).display();
            (name.to_string(), text)
        })
        .collect()
}

#[test]
fn every_yaml_block_in_the_docs_validates() {
    let blocks: Vec<Block> = documents()
        .iter()
        .flat_map(|(name, text)| yaml_blocks(name, text))
        .collect();
    // The README alone has several; finding none would mean the extractor broke.
    assert!(
        blocks.len() >= 10,
        "found only {} yaml blocks",
        blocks.len()
    );
    let failures: Vec<String> = blocks.iter().filter_map(|b| check(b).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} yaml blocks in the docs fail `poolctl validate`:\n\n{}",
        failures.len(),
        blocks.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_broken_block_is_reported_with_its_file_and_line() {
    let doc = "# A page\n\ntext\n\n- a list item:\n\n  ```yaml\n  password_policy: { minimun_length: 8 }\n  ```\n\n```text\nnot: [checked\n```\n";
    let blocks = yaml_blocks("docs/page.md", doc);
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    assert_eq!(blocks[0].text, "password_policy: { minimun_length: 8 }\n");
    let failure = check(&blocks[0]).expect_err("an unknown key must fail");
    assert!(failure.starts_with("docs/page.md:7: "), "{failure}");
    assert!(failure.contains("minimun_length"), "{failure}");
}

#[test]
fn a_whole_spec_block_is_validated_as_it_is() {
    let whole = Block {
        file: "README.md".into(),
        line: 1,
        text: "name: a-${env}\nenvironments:\n  dev: {}\n".into(),
    };
    // No region anywhere: a whole spec gets no defaults added, so this fails.
    assert_eq!(as_spec(&whole), whole.text);
    assert!(check(&whole).is_err());
}
