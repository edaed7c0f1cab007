//! Writing a spec document as YAML a person would write: short lists and
//! small mappings in flow style (`[user_srp, refresh_token]`,
//! `{ required: true }`), plain scalars wherever YAML reads them back as the
//! same text, a blank line around each multi-line top-level section.
//!
//! serde_yaml writes valid YAML but in block style only, one list item per
//! line, which makes a pool's spec several times longer than the hand-written
//! one. Every rendering is read back (by serde_yaml and by the spec loader)
//! and compared with what was meant; if the two ever disagree, the
//! conservative form (every string double-quoted, block style) is used.

use serde_yaml::{Mapping, Value};

/// Lines longer than this go to block style.
const WIDTH: usize = 100;

/// Flow mappings hold at most this many entries.
const FLOW_ENTRIES: usize = 4;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Flow where it fits, plain scalars where safe.
    Friendly,
    /// Block style, every string double-quoted.
    Conservative,
}

/// A whole file: the header comment lines, then the top-level mapping.
pub fn document(header: &[String], top: &Mapping) -> anyhow::Result<String> {
    let friendly = document_in(header, top, Style::Friendly);
    if reads_back(&friendly, &Value::Mapping(top.clone())) {
        return Ok(friendly);
    }
    tracing::warn!("the friendly YAML rendering did not read back; writing the conservative one");
    let conservative = document_in(header, top, Style::Conservative);
    anyhow::ensure!(
        reads_back(&conservative, &Value::Mapping(top.clone())),
        "internal error: the imported spec does not read back as written"
    );
    Ok(conservative)
}

fn document_in(header: &[String], top: &Mapping, style: Style) -> String {
    let mut out = String::new();
    for line in header {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str(&format!("# {line}\n"));
        }
    }
    let mut previous_multiline = None;
    for (key, value) in top {
        let mut text = String::new();
        entry_in(&mut text, &key_text(key), value, 0, style);
        let multiline = text.trim_end().contains('\n');
        let first = previous_multiline.is_none();
        if (!first && (multiline || previous_multiline == Some(true)))
            || (first && !header.is_empty())
        {
            out.push('\n');
        }
        out.push_str(&text);
        previous_multiline = Some(multiline);
    }
    out
}

/// One `key: value` entry at `indent`, in the friendly style; what an
/// environment block inserted into an existing file is made of. The caller
/// checks it reads back (`entry_reads_back`).
pub fn entry(key: &str, value: &Value, indent: usize) -> String {
    let mut out = String::new();
    entry_in(&mut out, key, value, indent, Style::Friendly);
    out
}

/// The same entry in the conservative style.
pub fn conservative_entry(key: &str, value: &Value, indent: usize) -> String {
    let mut out = String::new();
    entry_in(&mut out, key, value, indent, Style::Conservative);
    out
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => scalar(other, false, Style::Friendly),
    }
}

fn entry_in(out: &mut String, key: &str, value: &Value, indent: usize, style: Style) {
    let pad = " ".repeat(indent);
    let key = string_scalar(key, false, style);
    match value {
        Value::Mapping(map) if map.is_empty() => out.push_str(&format!("{pad}{key}: {{}}\n")),
        Value::Sequence(items) if items.is_empty() => out.push_str(&format!("{pad}{key}: []\n")),
        Value::Mapping(map) => {
            if let Some(flow) = flow_mapping(map, style) {
                if indent + key.len() + 2 + flow.len() <= WIDTH {
                    out.push_str(&format!("{pad}{key}: {flow}\n"));
                    return;
                }
            }
            out.push_str(&format!("{pad}{key}:\n"));
            for (k, v) in map {
                entry_in(out, &key_text(k), v, indent + 2, style);
            }
        }
        Value::Sequence(items) => {
            if let Some(flow) = flow_sequence(items, style) {
                if indent + key.len() + 2 + flow.len() <= WIDTH {
                    out.push_str(&format!("{pad}{key}: {flow}\n"));
                    return;
                }
            }
            out.push_str(&format!("{pad}{key}:\n"));
            for item in items {
                item_in(out, item, indent + 2, style);
            }
        }
        Value::String(s) if style == Style::Friendly && literal_ok(s) => {
            let chomp = if s.ends_with('\n') { "|" } else { "|-" };
            out.push_str(&format!("{pad}{key}: {chomp}\n"));
            for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{pad}  {line}\n"));
                }
            }
        }
        scalar_value => out.push_str(&format!(
            "{pad}{key}: {}\n",
            scalar(scalar_value, false, style)
        )),
    }
}

/// A list item: a scalar, a flow mapping, or a block mapping whose first
/// entry shares the dash's line.
fn item_in(out: &mut String, item: &Value, indent: usize, style: Style) {
    let pad = " ".repeat(indent);
    match item {
        Value::Mapping(map) if !map.is_empty() => {
            if let Some(flow) = flow_mapping(map, style) {
                if indent + 2 + flow.len() <= WIDTH {
                    out.push_str(&format!("{pad}- {flow}\n"));
                    return;
                }
            }
            let mut block = String::new();
            for (k, v) in map {
                entry_in(&mut block, &key_text(k), v, indent + 2, style);
            }
            // The first entry moves up onto the dash's line.
            out.push_str(&format!("{pad}- {}", &block[indent + 2..]));
        }
        Value::Sequence(items) => match flow_sequence(items, style) {
            Some(flow) => out.push_str(&format!("{pad}- {flow}\n")),
            None => {
                out.push_str(&format!("{pad}-\n"));
                for inner in items {
                    item_in(out, inner, indent + 2, style);
                }
            }
        },
        Value::Mapping(_) => out.push_str(&format!("{pad}- {{}}\n")),
        other => out.push_str(&format!("{pad}- {}\n", scalar(other, false, style))),
    }
}

/// `[a, b]` when every item is a scalar.
fn flow_sequence(items: &[Value], style: Style) -> Option<String> {
    if style == Style::Conservative {
        return None;
    }
    if items.iter().any(quoted_only_in_flow) {
        return None;
    }
    let parts: Option<Vec<String>> = items
        .iter()
        .map(|item| is_scalar(item).then(|| scalar(item, true, style)))
        .collect();
    Some(format!("[{}]", parts?.join(", ")))
}

/// `{ a: b, c: [d] }` for a small mapping of scalars and scalar lists.
fn flow_mapping(map: &Mapping, style: Style) -> Option<String> {
    if style == Style::Conservative
        || map.len() > FLOW_ENTRIES
        || map.values().any(quoted_only_in_flow)
    {
        return None;
    }
    let mut parts = Vec::new();
    for (k, v) in map {
        let value = match v {
            Value::Sequence(items) => flow_sequence(items, style)?,
            Value::Mapping(inner) if inner.is_empty() => "{}".to_string(),
            Value::Mapping(_) => return None,
            Value::String(s) if s.contains('\n') => return None,
            other => scalar(other, true, style),
        };
        let key = match k {
            Value::String(s) => string_scalar(s, true, style),
            other => scalar(other, true, style),
        };
        parts.push(format!("{key}: {value}"));
    }
    Some(format!("{{ {} }}", parts.join(", ")))
}

/// A string flow style would have to quote and block style would not
/// (`shop-${env}`): block style reads better then.
fn quoted_only_in_flow(value: &Value) -> bool {
    matches!(value, Value::String(s) if plain_ok(s, false) && !plain_ok(s, true))
}

fn is_scalar(value: &Value) -> bool {
    matches!(
        value,
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)
    )
}

fn scalar(value: &Value, flow: bool, style: Style) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_scalar(s, flow, style),
        // Only scalars reach here; anything else is written as JSON, which
        // YAML reads too.
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

fn string_scalar(s: &str, flow: bool, style: Style) -> String {
    if style == Style::Friendly && plain_ok(s, flow) {
        s.to_string()
    } else {
        // A JSON string is a valid YAML double-quoted scalar.
        serde_json::to_string(s).expect("strings serialize")
    }
}

/// Whether `s` written without quotes reads back as the same string, in
/// block or flow context. Conservative: when in doubt, quote.
fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || s.chars().any(char::is_control) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if flow && (s.contains([',', '[', ']', '{', '}']) || s.contains(":,")) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    ]
    .contains(&lower.as_str())
    {
        return false;
    }
    if first.is_ascii_digit() || first == '.' || first == '+' {
        // Numbers, dates, times and the like; a duration (`30d`) is text.
        let (digits, unit) = s.split_at(s.len() - 1);
        return !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && "smhdy".contains(unit);
    }
    true
}

/// Whether a multi-line string can be a literal block (`|`) that reads back
/// exactly.
fn literal_ok(s: &str) -> bool {
    let body = s.strip_suffix('\n').unwrap_or(s);
    body.contains('\n')
        && !body.ends_with('\n')
        && !body.starts_with([' ', '\n'])
        && !s.chars().any(|c| c.is_control() && c != '\n')
        && body.split('\n').all(|line| line.trim_end() == line)
}

/// Whether `text` (a whole document) reads back as `expected`, both as YAML
/// and as the spec loader reads it.
fn reads_back(text: &str, expected: &Value) -> bool {
    let Ok(parsed) = serde_yaml::from_str::<Value>(text) else {
        return false;
    };
    if !same_text(&parsed, expected) {
        return false;
    }
    match crate::spec::yaml::parse(text) {
        Ok(node) => same_as_node(expected, &node),
        Err(_) => false,
    }
}

/// Whether an entry rendered at `indent` reads back as `key: value`.
pub fn entry_reads_back(text: &str, key: &str, value: &Value) -> bool {
    let first = text.lines().next().unwrap_or_default();
    let strip = first.len() - first.trim_start().len();
    let dedented: Vec<&str> = text
        .lines()
        .map(|l| {
            l.get(strip..)
                .filter(|_| l.starts_with(&first[..strip]))
                .unwrap_or(l.trim_start())
        })
        .collect();
    let mut expected = Mapping::new();
    expected.insert(Value::String(key.to_string()), value.clone());
    reads_back(&dedented.join("\n"), &Value::Mapping(expected))
}

/// Scalars compared as the text they are written as: the spec loader reads
/// every scalar as text and types it later.
pub fn same_text(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Mapping(x), Value::Mapping(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(l, _)| scalar_text(l) == scalar_text(k))
                        .is_some_and(|(_, w)| same_text(v, w))
                })
        }
        (Value::Sequence(x), Value::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_text(v, w))
        }
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::Mapping(_) | Value::Sequence(_), _)
        | (_, Value::Mapping(_) | Value::Sequence(_)) => false,
        _ => scalar_text(a) == scalar_text(b),
    }
}

pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn same_as_node(expected: &Value, node: &marked_yaml::Node) -> bool {
    use marked_yaml::Node;
    match (expected, node) {
        (Value::Null, node) => crate::spec::yaml::is_null(node),
        (Value::Mapping(map), Node::Mapping(m)) => {
            map.len() == m.len()
                && map.iter().all(|(k, v)| {
                    scalar_text(k)
                        .and_then(|k| m.get_node(&k))
                        .is_some_and(|n| same_as_node(v, n))
                })
        }
        (Value::Sequence(items), Node::Sequence(s)) => {
            items.len() == s.len() && items.iter().zip(s.iter()).all(|(v, n)| same_as_node(v, n))
        }
        (scalar, Node::Scalar(s)) => {
            !crate::spec::yaml::is_null(node) && scalar_text(scalar).as_deref() == Some(s.as_str())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(yaml: &str) -> Mapping {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn small_things_flow_and_big_things_are_blocks() {
        let top = map(
            "name: shop-${env}\nenvironments: { dev: { region: us-east-1 } }\nusername_attributes: [email]\ncase_sensitive: false\npassword_policy: { minimum_length: 12, require_uppercase: true, require_lowercase: true, require_numbers: true, require_symbols: false }\ntags: { team: payments }\n",
        );
        let text = document(&["a header".into()], &top).unwrap();
        assert_eq!(
            text,
            "# a header\n\nname: shop-${env}\n\nenvironments:\n  dev: { region: us-east-1 }\n\nusername_attributes: [email]\ncase_sensitive: false\n\npassword_policy:\n  minimum_length: 12\n  require_uppercase: true\n  require_lowercase: true\n  require_numbers: true\n  require_symbols: false\n\ntags: { team: payments }\n"
        );
    }

    #[test]
    fn strings_that_would_read_back_otherwise_are_quoted() {
        for (s, flow, plain) in [
            ("shop-dev", false, true),
            ("30d", false, true),
            ("v17.0", true, true),
            ("https://shop.example.com/callback", true, true),
            ("custom:tenant_id", false, true),
            ("shop-${env}", false, true),
            ("shop-${env}", true, false),
            ("true", false, false),
            ("null", false, false),
            ("Off", false, false),
            ("1234567890", false, false),
            ("1.5", false, false),
            ("2024-01-01", false, false),
            ("", false, false),
            (" padded", false, false),
            ("a: b", false, false),
            ("a #b", false, false),
            ("*alias", false, false),
            ("- dash", false, false),
            ("a,b", true, false),
            ("a,b", false, true),
            ("line\nbreak", false, false),
            ("{####}", false, false),
            ("Your code is {####}.", false, true),
        ] {
            assert_eq!(plain_ok(s, flow), plain, "{s:?} (flow: {flow})");
        }
    }

    #[test]
    fn every_rendering_reads_back() {
        let tricky = [
            "Your verification code is {####}.",
            "Hello {username},\nyour code is {####}.\n",
            "two\n\nparagraphs",
            "trailing space \nline",
            "tab\there",
            "quote \" and 'single'",
            "emoji ✓ and ünïcode",
            "$${literal}",
            "http://localhost:3000/cb",
            "[not a list]",
            "- not an item",
            "key: value",
            "yes",
            "0777",
            "~",
        ];
        let mut top = Mapping::new();
        let mut list = Vec::new();
        for (i, s) in tricky.iter().enumerate() {
            top.insert(format!("k{i}").into(), Value::String(s.to_string()));
            list.push(Value::String(s.to_string()));
        }
        top.insert("list".into(), Value::Sequence(list.clone()));
        let mut small = Mapping::new();
        small.insert("custom:a".into(), Value::String("b,c".into()));
        small.insert("route".into(), Value::String("GET /x/{id}".into()));
        top.insert("small".into(), Value::Mapping(small.clone()));
        top.insert(
            "items".into(),
            Value::Sequence(vec![Value::Mapping(small), "plain".into()]),
        );
        let text = document(&[], &top).unwrap();
        assert!(reads_back(&text, &Value::Mapping(top.clone())), "{text}");
        assert!(
            text.contains("k1: |\n  Hello {username},\n  your code is {####}.\n"),
            "{text}"
        );
        assert!(
            text.contains("small:\n  custom:a: b,c\n  route: GET /x/{id}\n"),
            "{text}"
        );
        let conservative = document_in(&[], &top, Style::Conservative);
        assert!(reads_back(&conservative, &Value::Mapping(top)));
    }

    #[test]
    fn an_indented_entry_reads_back() {
        let value: Value = serde_yaml::from_str(
            "{ region: eu-west-1, password_policy: { minimum_length: 14 }, tags: { a: null } }",
        )
        .unwrap();
        let text = entry("prod", &value, 2);
        assert_eq!(
            text,
            "  prod:\n    region: eu-west-1\n    password_policy: { minimum_length: 14 }\n    tags: { a: null }\n"
        );
        assert!(entry_reads_back(&text, "prod", &value));
        assert!(!entry_reads_back(&text, "prod", &Value::Null));
    }
}
