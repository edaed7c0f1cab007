//! Spec files: loading `pools/*.yaml`, and resolving one file for one
//! environment (merge, interpolate, type, check) into a desired pool.

pub mod branding;
pub mod check;
pub mod diag;
pub mod document;
pub mod files;
pub mod schema;
pub mod starter;
pub mod yaml;

#[cfg(test)]
mod fuzz;

use crate::desired::DesiredPool;
use diag::{Diagnostic, SpecErrors};
use marked_yaml::Node;
use std::path::{Path, PathBuf};

/// Larger than any real pool spec by far; beyond it a file is a mistake (or an
/// attack on the parser), not a spec.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Nesting deeper than any key path poolctl knows is refused before the
/// recursive passes run, so a hostile file cannot exhaust the stack.
const MAX_DEPTH: usize = 32;

/// One parsed spec file.
#[derive(Debug, Clone)]
pub struct SpecFile {
    pub path: PathBuf,
    /// The file's stem: how `--pool` names it.
    pub key: String,
    pub root: Node,
    /// Environment names, in the order the file declares them.
    pub environments: Vec<String>,
}

/// What the command line overrides for every pool.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub region: Option<String>,
    pub profile: Option<String>,
}

/// Loads every `*.yaml` / `*.yml` file in `dir`, reporting every broken file
/// rather than stopping at the first.
pub fn load_dir(dir: &Path) -> Result<Vec<SpecFile>, SpecErrors> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        SpecErrors(vec![Diagnostic::error(format!(
            "cannot read the pools directory: {e}"
        ))
        .in_file(dir)])
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(SpecErrors(vec![Diagnostic::error(
            "no pool specs here: expected one `*.yaml` file per pool",
        )
        .in_file(dir)]));
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match load_file(&path) {
            Ok(file) => files.push(file),
            Err(mut diags) => errors.append(&mut diags),
        }
    }
    let mut seen = std::collections::BTreeMap::new();
    for file in &files {
        if let Some(other) = seen.insert(file.key.clone(), file.path.clone()) {
            errors.push(
                Diagnostic::error(format!(
                    "two files define pool `{}` (also {})",
                    file.key,
                    other.display()
                ))
                .in_file(&file.path),
            );
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(SpecErrors(errors))
    }
}

pub fn load_file(path: &Path) -> Result<SpecFile, Vec<Diagnostic>> {
    let fail = |d: Diagnostic| vec![d.in_file(path)];
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(fail(Diagnostic::error(format!(
            "file is {size} bytes; a pool spec may be at most {MAX_FILE_BYTES}"
        ))));
    }
    let bytes =
        std::fs::read(path).map_err(|e| fail(Diagnostic::error(format!("cannot read: {e}"))))?;
    parse_file(path, bytes)
}

/// A spec file's bytes, as read from `path`, parsed.
pub fn parse_file(path: &Path, bytes: Vec<u8>) -> Result<SpecFile, Vec<Diagnostic>> {
    let fail = |d: Diagnostic| vec![d.in_file(path)];
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(Diagnostic::error(format!(
            "file is {} bytes; a pool spec may be at most {MAX_FILE_BYTES}",
            bytes.len()
        ))));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        fail(Diagnostic::error(format!(
            "not UTF-8 text (invalid byte at offset {offset})"
        )))
    })?;
    if nesting_depth(&text) > MAX_DEPTH {
        return Err(fail(Diagnostic::error(format!(
            "nested more than {MAX_DEPTH} levels deep"
        ))));
    }
    let root = yaml::parse(&text).map_err(|d| fail(*d))?;
    let key = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let environments = environment_names(&root).map_err(|d| fail(d.for_pool(&key, None)))?;
    Ok(SpecFile {
        path: path.to_path_buf(),
        key,
        root,
        environments,
    })
}

/// A cheap upper bound on nesting, counted on the text before parsing (the
/// parser itself recurses): open brackets plus indentation steps.
fn nesting_depth(text: &str) -> usize {
    let mut max_brackets = 0usize;
    let mut depth = 0usize;
    let mut max_indent = 0usize;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            max_indent = max_indent.max(indent / 2);
        }
        for ch in line.chars() {
            match ch {
                '[' | '{' => {
                    depth += 1;
                    max_brackets = max_brackets.max(depth);
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    max_brackets + max_indent
}

// A cold path whose only caller turns the diagnostic into the file's errors.
#[allow(clippy::result_large_err)]
fn environment_names(root: &Node) -> Result<Vec<String>, Diagnostic> {
    let map = root.as_mapping().expect("the loader only accepts mappings");
    let Some(envs) = map.get_node(document::ENVIRONMENTS_KEY) else {
        return Err(Diagnostic::error("missing: declare at least one environment, e.g. `environments: { dev: { region: us-east-1 } }`")
            .field(document::ENVIRONMENTS_KEY));
    };
    let located = |d: Diagnostic, node: &Node| match node.span().start() {
        Some(m) => d.at(m.line(), m.column()),
        None => d,
    };
    let Some(envs) = envs.as_mapping() else {
        return Err(located(
            Diagnostic::error("`environments` must map environment names to their settings")
                .field("environments"),
            envs,
        ));
    };
    let mut names = Vec::new();
    for (name, block) in envs.iter() {
        if !check::is_environment_name(name) {
            return Err(located(
                Diagnostic::error(format!(
                    "`{}` is not a valid environment name (letters, digits, - and _)",
                    name.as_str()
                ))
                .field("environments"),
                block,
            ));
        }
        if !yaml::is_null(block) && block.as_mapping().is_none() {
            return Err(located(
                Diagnostic::error("an environment block must be a mapping of keys to values")
                    .field(format!("environments.{}", name.as_str())),
                block,
            ));
        }
        names.push(name.as_str().to_string());
    }
    if names.is_empty() {
        return Err(
            Diagnostic::error("`environments` is empty: declare at least one")
                .field("environments"),
        );
    }
    Ok(names)
}

/// `file`'s base with `env`'s block merged over it, nulls removed: the
/// document of one environment before interpolation.
fn merged_for(file: &SpecFile, env: &str) -> Node {
    let root = file.root.as_mapping().expect("checked at load");
    let mut base = root.clone();
    base.retain(|k, _| k.as_str() != document::ENVIRONMENTS_KEY);
    let block = root
        .get_mapping(document::ENVIRONMENTS_KEY)
        .and_then(|envs| envs.get_node(env))
        .filter(|b| !yaml::is_null(b));
    let mut merged = match block {
        Some(block) => yaml::merge(&Node::Mapping(base), block),
        None => Node::Mapping(base),
    };
    yaml::strip_nulls(&mut merged);
    merged
}

/// The region `file` declares for `env` (interpolated), read as `resolve`
/// reads it but without checking the rest of the document; `None` when the
/// file does not declare `env` or gives it no usable region.
pub fn declared_region(
    file: &SpecFile,
    env: &str,
    env_var: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    if !file.environments.iter().any(|e| e == env) {
        return None;
    }
    let merged = merged_for(file, env);
    let scalar = merged.as_mapping()?.get_node("region")?.as_scalar()?;
    let ctx = yaml::Context {
        environment: env,
        region: None,
        env_var,
    };
    yaml::substitute(scalar.as_str(), &ctx)
        .ok()
        .map(|(region, _)| region)
}

/// Resolves `file` for environment `env`: merges the environment's block over
/// the base, interpolates, reads the typed document and checks it. Every
/// diagnostic names the file, line, column, field, pool and environment.
pub fn resolve(
    file: &SpecFile,
    env: &str,
    overrides: &Overrides,
    env_var: &dyn Fn(&str) -> Option<String>,
) -> Result<DesiredPool, SpecErrors> {
    let locate = |d: Diagnostic, locator: Option<&yaml::Locator>| -> Diagnostic {
        let mut d = d.in_file(&file.path).for_pool(&file.key, Some(env));
        if d.line.is_none() {
            if let (Some(locator), Some(field)) = (locator, &d.field) {
                if let Some(m) = locator.find(field) {
                    d = d.at(m.line(), m.column());
                }
            }
        }
        d
    };
    if !file.environments.iter().any(|e| e == env) {
        return Err(SpecErrors(vec![locate(
            Diagnostic::error(format!(
                "no environment `{env}` (this file declares: {})",
                file.environments.join(", ")
            )),
            None,
        )]));
    }

    let mut merged = merged_for(file, env);

    // The region comes first: `${region}` everywhere else depends on it.
    let mut errors = Vec::new();
    let region = match &overrides.region {
        Some(r) => Some(r.clone()),
        None => {
            let node = merged.as_mapping().and_then(|m| m.get_node("region"));
            match node.and_then(Node::as_scalar) {
                Some(scalar) => {
                    let ctx = yaml::Context {
                        environment: env,
                        region: None,
                        env_var,
                    };
                    match yaml::substitute(scalar.as_str(), &ctx) {
                        Ok((r, _)) => Some(r),
                        Err(message) => {
                            let m = scalar.span().start();
                            let d = Diagnostic::error(message).field("region");
                            errors.push(match m {
                                Some(m) => d.at(m.line(), m.column()),
                                None => d,
                            });
                            None
                        }
                    }
                }
                None => None,
            }
        }
    };
    let ctx = yaml::Context {
        environment: env,
        region: region.as_deref(),
        env_var,
    };
    let interpolated = yaml::interpolate(&mut merged, &ctx);
    let locator = yaml::Locator::new(&merged);
    if !errors.is_empty() {
        // Without a region every `${region}` fails too: say the cause only.
        return Err(SpecErrors(
            errors
                .into_iter()
                .map(|d| locate(d, Some(&locator)))
                .collect(),
        ));
    }
    // A value that cannot be interpolated (an unset variable) is reported
    // and its setting or resource left out, like what fails to read below:
    // the rest is still read and checked.
    let mut unread = Vec::new();
    for d in &interpolated.errors {
        if let Some(unit) = d.field.as_deref().map(reading_unit) {
            remove_unit(&mut merged, &unit);
            if !unread.contains(&unit) {
                unread.push(unit);
            }
        }
    }
    errors.extend(interpolated.errors);

    // What fails to read is reported and left out; the checks still run on
    // the rest, so a typo in one section does not hide a range error in
    // another.
    let read = document::read_partial(merged.as_mapping().expect("merged mappings stay mappings"));
    unread.extend(read.unread);
    let mut doc = read.document;
    if let Some(r) = &overrides.region {
        doc.env.region = Some(r.clone());
    }
    if let Some(p) = &overrides.profile {
        doc.env.profile = Some(p.clone());
    }

    let mut checks = check::Checks {
        from_env_vars: interpolated.from_env_vars.clone(),
        ..check::Checks::default()
    };
    let spec_dir = file.path.parent().unwrap_or(Path::new(""));
    checks.diagnostics.extend(files::read_metadata_files(
        doc.resources.identity_providers.as_mut(),
        spec_dir,
    ));
    checks
        .diagnostics
        .extend(branding::read_files(&mut doc, spec_dir));
    check::check(&doc, &mut checks);
    let diagnostics: Vec<Diagnostic> = errors
        .into_iter()
        .chain(read.errors)
        .chain(
            checks
                .diagnostics
                .into_iter()
                .filter(|d| !about_unread(d, &unread)),
        )
        .map(|d| locate(d, Some(&locator)))
        .collect();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(SpecErrors(diagnostics));
    }
    Ok(DesiredPool::new(file, env, doc, diagnostics))
}

/// The part of a document a key path belongs to that is left out when the
/// path cannot be read: one named resource (`clients.web`), else the
/// top-level key (`password_policy`).
fn reading_unit(path: &str) -> String {
    let mut parts = path.split('.');
    let top = parts.next().unwrap_or_default();
    match parts.next() {
        Some(name)
            if [
                "clients",
                "identity_providers",
                "resource_servers",
                "groups",
                "replicas",
            ]
            .contains(&top) =>
        {
            format!("{top}.{name}")
        }
        _ => top.to_string(),
    }
}

fn remove_unit(root: &mut Node, unit: &str) {
    let Node::Mapping(map) = root else {
        return;
    };
    let (top, name) = match unit.split_once('.') {
        Some((top, name)) => (top, Some(name)),
        None => (unit, None),
    };
    let Some(key) = map.keys().find(|k| k.as_str() == top).cloned() else {
        return;
    };
    match name {
        None => {
            map.remove(&key);
        }
        Some(name) => {
            if let Some(Node::Mapping(kind)) = map.get_mut(&key) {
                if let Some(entry) = kind.keys().find(|k| k.as_str() == name).cloned() {
                    kind.remove(&entry);
                }
            }
        }
    }
}

/// A check's finding that mentions what could not be read (a missing
/// setting it needs, a resource it refers to) says more about the reading
/// error, already reported, than about the spec: it is left out.
fn about_unread(d: &Diagnostic, unread: &[String]) -> bool {
    unread.iter().any(|path| {
        let mut parts = path.split('.');
        let top = parts.next().unwrap_or_default();
        let last = path.rsplit('.').next().unwrap_or_default();
        let field = d.field.as_deref().unwrap_or_default();
        field == path
            || field.starts_with(&format!("{path}."))
            || [top, last]
                .iter()
                .any(|word| !word.is_empty() && d.message.contains(*word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SpecFile {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.yaml");
        std::fs::write(&path, text).unwrap();
        let mut f = load_file(&path).unwrap();
        f.path = PathBuf::from("pools/shop.yaml");
        f
    }

    fn no_vars(_: &str) -> Option<String> {
        None
    }

    const SHOP: &str = "name: shop-${env}
environments:
  dev: { region: us-east-1 }
  prod:
    region: eu-west-1
    deletion_protection: active
    password_policy: { minimum_length: 14 }
password_policy:
  minimum_length: 12
  require_symbols: false
tags: { team: payments, owner: a }
";

    #[test]
    fn environment_blocks_merge_over_the_base() {
        let f = file(SHOP);
        assert_eq!(f.environments, ["dev", "prod"]);
        let prod = resolve(&f, "prod", &Overrides::default(), &no_vars).unwrap();
        assert_eq!(prod.region, "eu-west-1");
        assert_eq!(prod.settings.name.as_deref(), Some("shop-prod"));
        let policy = prod.settings.password_policy.as_ref().unwrap();
        assert_eq!(policy.minimum_length, Some(14));
        assert_eq!(policy.require_symbols, Some(false));
        let dev = resolve(&f, "dev", &Overrides::default(), &no_vars).unwrap();
        assert_eq!(
            dev.settings
                .password_policy
                .as_ref()
                .unwrap()
                .minimum_length,
            Some(12)
        );
        assert_eq!(dev.settings.deletion_protection, None);
    }

    #[test]
    fn null_in_an_environment_removes_a_key() {
        let f = file(&format!("{SHOP}environments:\n  dev: {{ region: us-east-1, tags: null }}\n").replace(
            "environments:\n  dev: { region: us-east-1 }\n  prod:\n    region: eu-west-1\n    deletion_protection: active\n    password_policy: { minimum_length: 14 }\n",
            "",
        ));
        let dev = resolve(&f, "dev", &Overrides::default(), &no_vars).unwrap();
        assert_eq!(dev.settings.tags, None);
    }

    #[test]
    fn missing_variables_are_errors_with_a_position() {
        let f = file("name: shop-${env:SUFFIX}\nenvironments:\n  dev: { region: us-east-1 }\n");
        let err = resolve(&f, "dev", &Overrides::default(), &no_vars).unwrap_err();
        let d = &err.0[0];
        assert_eq!((d.line, d.column), (Some(1), Some(7)));
        assert_eq!(d.field.as_deref(), Some("name"));
        assert!(d.message.contains("`SUFFIX` is not set"));
        assert_eq!(
            err.to_string(),
            "pools/shop.yaml:1:7: name: environment variable `SUFFIX` is not set (referenced as `${env:SUFFIX}`) (pool `shop`, environment `dev`)"
        );
        let vars = |n: &str| (n == "SUFFIX").then(|| "x".to_string());
        assert_eq!(
            resolve(&f, "dev", &Overrides::default(), &vars)
                .unwrap()
                .settings
                .name
                .as_deref(),
            Some("shop-x")
        );
    }

    #[test]
    fn semantic_errors_point_at_the_overriding_line() {
        let f = file(&SHOP.replace("minimum_length: 14", "minimum_length: 4"));
        let err = resolve(&f, "prod", &Overrides::default(), &no_vars).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].line, Some(7));
        assert!(resolve(&f, "dev", &Overrides::default(), &no_vars).is_ok());
    }

    #[test]
    fn region_is_required_and_overridable() {
        let f = file("name: a\nenvironments:\n  dev: {}\n");
        let err = resolve(&f, "dev", &Overrides::default(), &no_vars).unwrap_err();
        assert!(err.0[0].message.contains("no region"));
        let overrides = Overrides {
            region: Some("ap-south-1".into()),
            profile: None,
        };
        assert_eq!(
            resolve(&f, "dev", &overrides, &no_vars).unwrap().region,
            "ap-south-1"
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("name: {}{}\n", "[".repeat(200), "]".repeat(200));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep.yaml");
        std::fs::write(&path, deep).unwrap();
        let err = load_file(&path).unwrap_err();
        assert!(err[0].message.contains("nested"), "{:?}", err[0]);
    }

    #[test]
    fn an_unknown_key_does_not_hide_a_range_error_elsewhere() {
        let f = file(&format!(
            "{SHOP}clients:\n  web: {{ generate_secret: false, bogus: 1 }}\n  app: {{ generate_secret: false }}\n"
        ).replace("minimum_length: 14", "minimum_length: 4"));
        let err = resolve(&f, "prod", &Overrides::default(), &no_vars).unwrap_err();
        let fields: Vec<_> = err
            .0
            .iter()
            .map(|d| d.field.as_deref().unwrap_or(""))
            .collect();
        assert!(fields.contains(&"clients.web.bogus"), "{err}");
        assert!(fields.contains(&"password_policy.minimum_length"), "{err}");
        assert!(err.0.iter().all(|d| d.line.is_some()), "{err}");
    }

    #[test]
    fn an_unset_variable_does_not_hide_the_other_errors() {
        let f = file(&format!(
            "{SHOP}identity_providers:\n  Google: {{ type: google, client_id: x, client_secret: '${{env:NOPE}}', authorize_scopes: [openid] }}\n"
        ).replace("minimum_length: 14", "minimum_length: 4"));
        let err = resolve(&f, "prod", &Overrides::default(), &no_vars).unwrap_err();
        let fields: Vec<_> = err
            .0
            .iter()
            .map(|d| d.field.as_deref().unwrap_or(""))
            .collect();
        assert!(
            fields.contains(&"identity_providers.Google.client_secret"),
            "{err}"
        );
        assert!(fields.contains(&"password_policy.minimum_length"), "{err}");
    }
}
