//! YAML with positions: parsing, merging an environment block over the base,
//! `${...}` interpolation, and finding where a key path was written.
//!
//! Everything works on `marked_yaml` nodes so that each value keeps the line and
//! column it came from through merge and interpolation, and errors found after
//! the merge still point at the line the user wrote.

use super::diag::Diagnostic;
use marked_yaml::types::MarkedScalarNode;
use marked_yaml::{LoaderOptions, Marker, Node};
use std::collections::{BTreeSet, HashMap};

/// Parses one spec file. Anchors and aliases are refused by the loader, which
/// also rules out alias bombs; duplicate keys are errors rather than silently
/// taking the last one.
pub fn parse(text: &str) -> Result<Node, Box<Diagnostic>> {
    let options = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .prevent_coercion(true)
        .toplevel_mapping();
    marked_yaml::parse_yaml_with_options(0, text, options).map_err(|err| {
        use marked_yaml::LoadError::*;
        let (marker, message) = match &err {
            TopLevelMustBeMapping(m) => (Some(*m), "the file must be a mapping of keys to values".to_string()),
            TopLevelMustBeSequence(m) => (Some(*m), "unexpected list at the top level".to_string()),
            UnexpectedAnchor(m) => (
                Some(*m),
                "YAML anchors and aliases are not supported; use an environment block to share values".to_string(),
            ),
            MappingKeyMustBeScalar(m) => (Some(*m), "keys must be plain strings".to_string()),
            UnexpectedTag(m) => (Some(*m), "YAML tags (`!something`) are not supported".to_string()),
            ScanError(m, e) => {
                // The scanner's text repeats the position we report anyway.
                let text = e.to_string();
                let text = text.split(" at byte ").next().unwrap_or(&text).to_string();
                (Some(*m), format!("malformed YAML: {text}"))
            }
            DuplicateKey(inner) => (
                inner.key.span().start().copied(),
                format!("duplicate key `{}`", inner.key.as_str()),
            ),
        };
        let diag = Diagnostic::error(message);
        Box::new(match marker {
            Some(m) => diag.at(m.line(), m.column()),
            None => diag,
        })
    })
}

/// `null`, `~` or an empty value: in an environment block it removes the key
/// from the base; anywhere else it means the key is absent.
pub fn is_null(node: &Node) -> bool {
    match node {
        Node::Scalar(s) => {
            s.may_coerce() && matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL")
        }
        _ => false,
    }
}

/// Merges `over` onto `base`: mappings merge key by key, lists and scalars
/// replace, and a null in `over` removes the key.
pub fn merge(base: &Node, over: &Node) -> Node {
    match (base, over) {
        (Node::Mapping(b), Node::Mapping(o)) => {
            let mut merged = b.clone();
            for (key, value) in o.iter() {
                if is_null(value) {
                    merged.remove(key);
                    continue;
                }
                let next = match b.get(key) {
                    Some(existing) => merge(existing, value),
                    None => value.clone(),
                };
                // Re-insert rather than overwrite, so the key keeps the position
                // the environment block wrote it at.
                merged.remove(key);
                merged.insert(key.clone(), next);
            }
            Node::Mapping(merged)
        }
        _ => over.clone(),
    }
}

/// Removes keys whose value is null, at every depth: a key written without a
/// value is the same as a key not written.
pub fn strip_nulls(node: &mut Node) {
    match node {
        Node::Mapping(map) => {
            let null_keys: Vec<MarkedScalarNode> = map
                .iter()
                .filter(|(_, v)| is_null(v))
                .map(|(k, _)| k.clone())
                .collect();
            for key in null_keys {
                map.remove(&key);
            }
            for (_, value) in map.iter_mut() {
                strip_nulls(value);
            }
        }
        Node::Sequence(seq) => seq.iter_mut().for_each(strip_nulls),
        Node::Scalar(_) => {}
    }
}

/// What `${...}` can refer to.
pub struct Context<'a> {
    pub environment: &'a str,
    pub region: Option<&'a str>,
    pub env_var: &'a dyn Fn(&str) -> Option<String>,
}

/// The outcome of interpolating a tree: errors found, and the key paths whose
/// value came (at least partly) from `${env:...}`, which is how secrets should
/// arrive.
#[derive(Default)]
pub struct Interpolated {
    pub errors: Vec<Diagnostic>,
    pub from_env_vars: BTreeSet<String>,
}

pub fn interpolate(node: &mut Node, ctx: &Context) -> Interpolated {
    let mut out = Interpolated::default();
    interpolate_at(node, ctx, &mut String::new(), &mut out);
    out
}

fn interpolate_at(node: &mut Node, ctx: &Context, path: &mut String, out: &mut Interpolated) {
    match node {
        Node::Mapping(map) => {
            for (key, value) in map.iter_mut() {
                let len = path.len();
                push_key(path, key.as_str());
                interpolate_at(value, ctx, path, out);
                path.truncate(len);
            }
        }
        Node::Sequence(seq) => {
            for (i, value) in seq.iter_mut().enumerate() {
                let len = path.len();
                push_key(path, &i.to_string());
                interpolate_at(value, ctx, path, out);
                path.truncate(len);
            }
        }
        Node::Scalar(scalar) => {
            if !scalar.as_str().contains('$') {
                return;
            }
            match substitute(scalar.as_str(), ctx) {
                Ok((text, used_env_var)) => {
                    if used_env_var {
                        out.from_env_vars.insert(path.clone());
                    }
                    let coerce = scalar.may_coerce();
                    let mut replaced = MarkedScalarNode::new(*scalar.span(), text);
                    replaced.set_coerce(coerce);
                    *scalar = replaced;
                }
                Err(message) => {
                    let mut diag = Diagnostic::error(message).field(path.clone());
                    if let Some(m) = scalar.span().start() {
                        diag = diag.at(m.line(), m.column());
                    }
                    out.errors.push(diag);
                }
            }
        }
    }
}

/// Expands `${env}`, `${region}` and `${env:NAME}`; `$${` is a literal `${`.
/// Returns the new text and whether an environment variable was used.
pub fn substitute(text: &str, ctx: &Context) -> Result<(String, bool), String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut used_env_var = false;
    while let Some(start) = rest.find('$') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        if let Some(tail) = after.strip_prefix("$${") {
            out.push_str("${");
            rest = tail;
            continue;
        }
        let Some(tail) = after.strip_prefix("${") else {
            out.push('$');
            rest = &after[1..];
            continue;
        };
        let end = tail
            .find('}')
            .ok_or_else(|| format!("unterminated `${{` in `{text}`"))?;
        let name = &tail[..end];
        let value = match name {
            "env" => ctx.environment.to_string(),
            "region" => ctx
                .region
                .ok_or("`${region}` cannot be used before the region is known (in `region` itself)")?
                .to_string(),
            _ => match name.strip_prefix("env:") {
                Some(var) if !var.is_empty() => {
                    used_env_var = true;
                    (ctx.env_var)(var).ok_or_else(|| {
                        format!("environment variable `{var}` is not set (referenced as `${{env:{var}}}`)")
                    })?
                }
                _ => {
                    return Err(format!(
                        "unknown interpolation `${{{name}}}`; use `${{env}}`, `${{region}}` or `${{env:NAME}}` (write `$${{` for a literal `${{`)"
                    ))
                }
            },
        };
        out.push_str(&value);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok((out, used_env_var))
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// Where each key path of a document was written.
#[derive(Default, Debug, Clone)]
pub struct Locator {
    marks: HashMap<String, Marker>,
}

impl Locator {
    pub fn new(root: &Node) -> Self {
        let mut locator = Locator::default();
        locator.index(root, &mut String::new());
        locator
    }

    fn index(&mut self, node: &Node, path: &mut String) {
        match node {
            Node::Mapping(map) => {
                for (key, value) in map.iter() {
                    let len = path.len();
                    push_key(path, key.as_str());
                    if let Some(m) = key.span().start() {
                        self.marks.insert(path.clone(), *m);
                    }
                    self.index(value, path);
                    path.truncate(len);
                }
            }
            Node::Sequence(seq) => {
                for (i, value) in seq.iter().enumerate() {
                    let len = path.len();
                    push_key(path, &i.to_string());
                    if let Some(m) = value.span().start() {
                        self.marks.insert(path.clone(), *m);
                    }
                    self.index(value, path);
                    path.truncate(len);
                }
            }
            Node::Scalar(_) => {}
        }
    }

    /// The position of `path`, or of its nearest written ancestor (a default
    /// that was never written has no line of its own).
    pub fn find(&self, path: &str) -> Option<Marker> {
        let mut path = path;
        loop {
            if let Some(m) = self.marks.get(path) {
                return Some(*m);
            }
            path = &path[..path.rfind('.')?];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx_with<'a>(vars: &'a dyn Fn(&str) -> Option<String>) -> Context<'a> {
        Context {
            environment: "prod",
            region: Some("eu-west-1"),
            env_var: vars,
        }
    }

    #[test]
    fn substitutes_env_region_and_variables() {
        let vars = |name: &str| (name == "SECRET").then(|| "s3cr3t".to_string());
        let ctx = ctx_with(&vars);
        assert_eq!(
            substitute("shop-${env}", &ctx).unwrap(),
            ("shop-prod".into(), false)
        );
        assert_eq!(
            substitute("arn:aws:lambda:${region}:1:function:f", &ctx)
                .unwrap()
                .0,
            "arn:aws:lambda:eu-west-1:1:function:f"
        );
        assert_eq!(
            substitute("${env:SECRET}", &ctx).unwrap(),
            ("s3cr3t".into(), true)
        );
        assert_eq!(
            substitute("cost $5 and $${env}", &ctx).unwrap().0,
            "cost $5 and ${env}"
        );
        assert!(substitute("${env:MISSING}", &ctx)
            .unwrap_err()
            .contains("`MISSING` is not set"));
        assert!(substitute("${nope}", &ctx)
            .unwrap_err()
            .contains("unknown interpolation"));
        assert!(substitute("${env", &ctx)
            .unwrap_err()
            .contains("unterminated"));
    }

    #[test]
    fn merge_maps_by_key_replaces_lists_and_null_removes() {
        let base = parse("a: {x: 1, y: 2}\nlist: [1, 2]\ngone: 5\nkeep: k\n").unwrap();
        let over = parse("a: {y: 3, z: 4}\nlist: [9]\ngone: null\n").unwrap();
        let merged = merge(&base, &over);
        let m = merged.as_mapping().unwrap();
        let a = m.get_mapping("a").unwrap();
        assert_eq!(a.get_scalar("x").unwrap().as_str(), "1");
        assert_eq!(a.get_scalar("y").unwrap().as_str(), "3");
        assert_eq!(a.get_scalar("z").unwrap().as_str(), "4");
        assert_eq!(m.get_sequence("list").unwrap().len(), 1);
        assert!(m.get_node("gone").is_none());
        assert_eq!(m.get_scalar("keep").unwrap().as_str(), "k");
    }

    #[test]
    fn merged_values_keep_their_own_lines() {
        let root = parse("a:\n  x: 1\nenvironments:\n  prod:\n    a:\n      x: 2\n").unwrap();
        let map = root.as_mapping().unwrap();
        let over = map
            .get_mapping("environments")
            .unwrap()
            .get_node("prod")
            .unwrap();
        let merged = merge(&root, over);
        let locator = Locator::new(&merged);
        assert_eq!(locator.find("a.x").unwrap().line(), 6);
        assert_eq!(locator.find("environments.prod").unwrap().line(), 4);
        assert_eq!(locator.find("a.x.deeper.still").unwrap().line(), 6);
    }

    #[test]
    fn quoted_null_is_a_string() {
        let node = parse("a: 'null'\nb: null\nc:\n").unwrap();
        let map = node.as_mapping().unwrap();
        assert!(!is_null(map.get_node("a").unwrap()));
        assert!(is_null(map.get_node("b").unwrap()));
        assert!(is_null(map.get_node("c").unwrap()));
    }

    #[test]
    fn refuses_aliases_and_duplicates() {
        assert!(parse("a: &x 1\nb: *x\n")
            .unwrap_err()
            .message
            .contains("anchors"));
        let dup = parse("a: 1\na: 2\n").unwrap_err();
        assert!(dup.message.contains("duplicate key `a`"), "{}", dup.message);
        assert_eq!(dup.line, Some(2));
    }
}
