//! Adding an environment to a spec file that already exists: the new
//! environment's block holds only what differs from the file's base, and it
//! is inserted into the file's text, so every comment and every other line
//! of the file stays as it was.

use super::render::{self, same_text, scalar_text};
use super::Imported;
use crate::model::Duration;
use crate::spec::diag::SpecErrors;
use serde_yaml::{Mapping, Value};
use std::path::Path;

/// Whether a spec whose `name` is `name` is the live pool's, in `env`: the
/// name resolves to the live one, or it reads as the import would write it.
pub fn is_same_pool(name: &str, env: &str, region: &str, live_name: &str, templated: &str) -> bool {
    let resolved = name.replace("${env}", env).replace("${region}", region);
    resolved == live_name || name == templated
}

/// A spec file's text with an environment added, and what to tell the user.
pub struct Added {
    pub text: String,
    pub warnings: Vec<String>,
}

/// `text` (the spec at `path`) with the imported environment's differences
/// from its base added as that environment's block. Refuses a file of
/// another pool (`same_pool` judges its `name`) or one that already declares
/// the environment.
pub fn add_environment(
    path: &Path,
    text: &str,
    imported: &Imported,
    same_pool: &dyn Fn(&str) -> bool,
) -> anyhow::Result<Added> {
    let file = crate::spec::parse_file(path, text.as_bytes().to_vec()).map_err(|diags| {
        anyhow::anyhow!(
            "{} cannot take another environment: {}",
            path.display(),
            SpecErrors(diags)
        )
    })?;
    let env = &imported.environment;
    anyhow::ensure!(
        !file.environments.contains(env),
        "{} already declares environment `{env}`; import adds new environments only (remove its block to import it again, or write elsewhere with --out)",
        path.display()
    );
    let mut whole: Mapping = serde_yaml::from_str(text)
        .map_err(|e| anyhow::anyhow!("cannot read {} as YAML: {e}", path.display()))?;
    let mut base = whole.clone();
    base.shift_remove(crate::spec::document::ENVIRONMENTS_KEY);
    let name = base.get("name").and_then(scalar_text).unwrap_or_default();
    anyhow::ensure!(
        same_pool(&name),
        "{} is the spec of pool `{name}`, which in environment `{env}` is not `{}`; refusing to add a different pool to it (write elsewhere with --out)",
        path.display(),
        imported.pool_name
    );
    let block = overrides(
        &base,
        &imported.readable_with_env(),
        &imported.full_with_env(),
    );
    let mut warnings: Vec<String> = block
        .iter()
        .filter(|(_, value)| value.is_null())
        .map(|(key, _)| {
            format!(
                "`{}`: the file declares it and this pool has none, so environment `{env}` sets it to null (not managed there)",
                scalar_text(key).unwrap_or_default()
            )
        })
        .collect();
    let block = Value::Mapping(block);
    let text = match insert_environment(text, env, &block, &imported.environment_comment()) {
        Ok(text) => text,
        Err(why) => {
            warnings.push(format!(
                "{}: {why}; the whole file is written again, and its comments are lost",
                path.display()
            ));
            if let Some(Value::Mapping(envs)) =
                whole.get_mut(crate::spec::document::ENVIRONMENTS_KEY)
            {
                envs.insert(env.clone().into(), block);
            }
            render::document(&[], &whole)?
        }
    };
    Ok(Added { text, warnings })
}

/// Top-level keys of a base that say how to reach AWS rather than what the
/// pool is; an imported environment that lacks them does not remove them.
const KEPT_ENV_KEYS: &[&str] = &["profile", "protected"];

/// The environment block that makes `base` (a file's top level, without
/// `environments`) resolve to the imported environment: `readable` is its
/// document as written (defaults left out), `full` the same with AWS's
/// defaults spelt out, for keys the base declares but `readable` left out.
///
/// Mappings are compared key by key; lists and scalars replace; a key the
/// base has and the environment does not becomes `null`, which removes it.
pub fn overrides(base: &Mapping, readable: &Mapping, full: &Mapping) -> Mapping {
    let mut out = Mapping::new();
    for (key, value) in readable {
        if let Some(d) = differs(base.get(key), Some(value), full.get(key)) {
            out.insert(key.clone(), d);
        }
    }
    for (key, value) in base {
        let name = scalar_text(key).unwrap_or_default();
        if readable.contains_key(key)
            || name == crate::spec::document::ENVIRONMENTS_KEY
            || (KEPT_ENV_KEYS.contains(&name.as_str()) && !full.contains_key(key))
        {
            continue;
        }
        if let Some(d) = differs(Some(value), None, full.get(key)) {
            out.insert(key.clone(), d);
        }
    }
    out
}

/// What the environment must say at one key, if anything.
fn differs(base: Option<&Value>, readable: Option<&Value>, full: Option<&Value>) -> Option<Value> {
    let base = base.filter(|b| !b.is_null());
    let Some(base) = base else {
        // What the base does not declare, the environment declares as written.
        return readable.cloned();
    };
    let Some(new) = readable.or(full) else {
        return Some(Value::Null);
    };
    match (base, new) {
        (Value::Mapping(b), Value::Mapping(_)) => {
            let empty = Mapping::new();
            let r = readable.and_then(Value::as_mapping);
            let f = full.and_then(Value::as_mapping).unwrap_or(&empty);
            let mut out = Mapping::new();
            for (key, value) in r.into_iter().flatten() {
                if let Some(d) = differs(b.get(key), Some(value), f.get(key)) {
                    out.insert(key.clone(), d);
                }
            }
            for (key, value) in b {
                if r.is_some_and(|r| r.contains_key(key)) {
                    continue;
                }
                if let Some(d) = differs(Some(value), None, f.get(key)) {
                    out.insert(key.clone(), d);
                }
            }
            (!out.is_empty()).then_some(Value::Mapping(out))
        }
        (b, n) if same(b, n) => None,
        (_, n) => Some(n.clone()),
    }
}

/// Equal as the spec reads them: scalars as text, and two durations of the
/// same length (`60m`, `1h`).
fn same(a: &Value, b: &Value) -> bool {
    if same_text(a, b) {
        return true;
    }
    match (scalar_text(a), scalar_text(b)) {
        (Some(x), Some(y)) => matches!(
            (Duration::parse(&x), Duration::parse(&y)),
            (Ok(p), Ok(q)) if p == q && !x.chars().all(|c| c.is_ascii_digit())
        ),
        _ => false,
    }
}

/// Why an environment block cannot be inserted into the text as it is.
#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("`environments` is not a block mapping at the top of the file")]
    NotBlock,
    #[error("the file with the environment added did not read back as written")]
    ReadBack,
}

/// `text` with `env`'s block (`comment` lines above it) appended to the
/// block-style `environments:` mapping, indented like its other entries.
pub fn insert_environment(
    text: &str,
    env: &str,
    block: &Value,
    comment: &[String],
) -> Result<String, InsertError> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| {
            l.strip_prefix(crate::spec::document::ENVIRONMENTS_KEY)
                .and_then(|rest| rest.trim_start().strip_prefix(':'))
                .is_some_and(|rest| {
                    let rest = rest.trim();
                    rest.is_empty() || rest.starts_with('#')
                })
        })
        .ok_or(InsertError::NotBlock)?;
    let indented = |l: &&str| l.starts_with([' ', '\t']) && !l.trim().is_empty();
    let mut last = start;
    let mut indent = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if indented(line) {
            last = i;
            if indent.is_none() && !line.trim_start().starts_with('#') {
                indent = Some(line.len() - line.trim_start().len());
            }
        } else if !line.trim().is_empty() && !line.starts_with('#') {
            break;
        }
    }
    let indent = indent.ok_or(InsertError::NotBlock)?;
    let pad = " ".repeat(indent);
    let mut inserted = String::new();
    for line in comment {
        if line.is_empty() {
            inserted.push_str(&format!("{pad}#\n"));
        } else {
            inserted.push_str(&format!("{pad}# {line}\n"));
        }
    }
    let entry = render::entry(env, block, indent);
    let entry = if render::entry_reads_back(&entry, env, block) {
        entry
    } else {
        let conservative = render::conservative_entry(env, block, indent);
        if !render::entry_reads_back(&conservative, env, block) {
            return Err(InsertError::ReadBack);
        }
        conservative
    };
    inserted.push_str(&entry);
    let mut out = String::with_capacity(text.len() + inserted.len());
    for line in &lines[..=last] {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&inserted);
    for line in &lines[last + 1..] {
        out.push_str(line);
        out.push('\n');
    }
    // The whole file must read as before, plus the one environment.
    let expected = serde_yaml::from_str::<Mapping>(text).ok().map(|mut m| {
        if let Some(Value::Mapping(envs)) = m.get_mut(crate::spec::document::ENVIRONMENTS_KEY) {
            envs.insert(env.into(), block.clone());
        }
        Value::Mapping(m)
    });
    let merged = serde_yaml::from_str::<Value>(&out).ok();
    match (expected, merged) {
        (Some(expected), Some(merged)) if same_text(&expected, &merged) => Ok(out),
        _ => Err(InsertError::ReadBack),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(yaml: &str) -> Mapping {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn only_differences_with_defaults_spelt_out_and_nulls_for_the_rest() {
        let base = m("name: shop-${env}
password_policy: { minimum_length: 12, require_symbols: false }
deletion_protection: active
mfa: { mode: optional, totp: true }
tags: { team: payments, cost-center: x }
clients:
  web: { explicit_auth_flows: [user_srp], access_token_validity: 60m }
  old: { explicit_auth_flows: [user_srp] }
profile: shop-admin
");
        let readable = m("region: eu-west-1
name: shop-${env}
password_policy: { minimum_length: 14, require_symbols: false }
mfa: { mode: off }
tags: { team: payments }
clients:
  web: { explicit_auth_flows: [user_srp] }
groups: { admins: {} }
");
        let full = m("region: eu-west-1
name: shop-${env}
password_policy: { minimum_length: 14, require_symbols: false }
deletion_protection: inactive
mfa: { mode: off, totp: false, sms: false }
tags: { team: payments }
clients:
  web: { explicit_auth_flows: [user_srp], access_token_validity: 1h }
groups: { admins: {} }
");
        let out = overrides(&base, &readable, &full);
        assert_eq!(
            out,
            m("region: eu-west-1
password_policy: { minimum_length: 14 }
mfa: { mode: off, totp: false }
groups: { admins: {} }
deletion_protection: inactive
tags: { cost-center: null }
clients: { old: null }
")
        );
    }

    #[test]
    fn a_kind_the_pool_has_none_of_lists_the_base_s_as_null() {
        let base = m(
            "name: x\ngroups: { admins: {}, support: { precedence: 10 } }\ndomain: shop-${env}\n",
        );
        let out = overrides(&base, &m("name: x\n"), &m("name: x\ngroups: {}\n"));
        assert_eq!(
            out,
            m("groups: { admins: null, support: null }\ndomain: null\n")
        );
    }

    #[test]
    fn the_same_pool_by_its_resolved_or_templated_name() {
        let same = |name: &str| is_same_pool(name, "prod", "eu-west-1", "shop-prod", "shop-${env}");
        assert!(same("shop-${env}"));
        assert!(same("shop-prod"));
        assert!(!same("billing-${env}"));
        assert!(!same("shop-${region}"));
        assert!(!same(""));
    }

    #[test]
    fn the_block_goes_at_the_end_of_environments_and_nothing_else_moves() {
        let text = "# The shop's pool.\nname: shop-${env}\n\nenvironments:\n  dev:     { region: us-east-1 }   # first\n  staging:\n    region: us-east-1\n    # a comment inside\n\n# Sign-in\nusername_attributes: [email]\n";
        let block = serde_yaml::from_str::<Value>("{ region: eu-west-1 }").unwrap();
        let out =
            insert_environment(text, "prod", &block, &["prod: imported".to_string()]).unwrap();
        assert_eq!(
            out,
            "# The shop's pool.\nname: shop-${env}\n\nenvironments:\n  dev:     { region: us-east-1 }   # first\n  staging:\n    region: us-east-1\n    # a comment inside\n  # prod: imported\n  prod: { region: eu-west-1 }\n\n# Sign-in\nusername_attributes: [email]\n"
        );
        assert!(matches!(
            insert_environment("environments: { dev: {} }\n", "prod", &block, &[]),
            Err(InsertError::NotBlock)
        ));
    }
}
