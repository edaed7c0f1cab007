//! The JSON Schema of a spec file (`poolctl schema`), generated from the very
//! types the loader deserializes into (`schemars` derives next to serde's),
//! so an editor's completion and checks follow the loader. The offline checks
//! (ranges, references, one-way doors) stay `poolctl validate`'s.

use super::document::{EnvSettings, Resources, ENVIRONMENTS_KEY};
use crate::model::PoolSettings;
use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

/// Where `init` and `import` point a spec's modeline: a copy of the schema
/// kept next to the specs, written by them (`write_beside`).
pub const FILE_NAME: &str = "poolctl.schema.json";

/// The line that tells yaml-language-server (VS Code's YAML extension,
/// Neovim, Helix, ...) which schema a spec follows.
pub fn modeline() -> String {
    format!("# yaml-language-server: $schema={FILE_NAME}")
}

/// The schema as pretty-printed JSON, ending in a newline.
pub fn text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("schemas serialize");
    text.push('\n');
    text
}

/// The schema of a whole spec file: the top-level keys (where a pool lives,
/// its settings, its resources) and `environments`, whose blocks take the
/// same keys; `null` in an environment's block removes a key.
pub fn schema() -> Value {
    let mut generator = SchemaSettings::draft07().into_generator();
    let mut properties = Map::new();
    let parts = [
        generator.root_schema_for::<EnvSettings>(),
        generator.root_schema_for::<PoolSettings>(),
        generator.root_schema_for::<Resources>(),
    ];
    for part in parts {
        let part = part.to_value();
        if let Some(Value::Object(props)) = part.get("properties") {
            properties.extend(props.clone());
        }
    }
    let block = json!({
        "type": ["object", "null"],
        "description": "This environment's keys, merged over the top-level ones (`null` removes one).",
        "properties": properties.clone(),
        "additionalProperties": false,
    });
    properties.insert(
        ENVIRONMENTS_KEY.to_string(),
        json!({
            "type": "object",
            "description": "Each environment's name, and what differs there (at least `region` unless the top level gives it).",
            "minProperties": 1,
            "propertyNames": { "pattern": "^[A-Za-z0-9_-]+$" },
            "additionalProperties": block,
        }),
    );
    let definitions = generator.take_definitions(true);
    let mut schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "poolctl spec",
        "description": "One Amazon Cognito user pool, in every environment it lives in.",
        "type": "object",
        "required": [ENVIRONMENTS_KEY],
        "properties": properties,
        "additionalProperties": false,
        "definitions": definitions,
    });
    null_removes_entries(&mut schema);
    schema
}

/// The loader drops every null after merging (`yaml::strip_nulls`), so an
/// environment's block can remove one entry of a mapping (`tags: { team:
/// null }`, `groups: { support: null }`): a mapping's values may be null.
fn null_removes_entries(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(values) = map.get_mut("additionalProperties") {
                if values.is_object() {
                    null_removes_entries(values);
                    let inner = values.take();
                    *values = json!({ "anyOf": [inner, { "type": "null" }] });
                }
            }
            for (key, value) in map.iter_mut() {
                if key != "additionalProperties" {
                    null_removes_entries(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(null_removes_entries),
        _ => {}
    }
}

/// Writes the schema next to the specs in `dir` (what the modeline points
/// at), unless it is there already, unchanged.
pub fn write_beside(dir: &std::path::Path) -> std::io::Result<()> {
    let path = dir.join(FILE_NAME);
    let text = text();
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::document::all_top_level_keys;

    #[test]
    fn every_top_level_key_the_loader_reads_is_in_the_schema() {
        let schema = schema();
        let props = schema["properties"].as_object().unwrap();
        let mut keys: Vec<&str> = props.keys().map(String::as_str).collect();
        keys.sort();
        let mut expected: Vec<&str> = all_top_level_keys().chain([ENVIRONMENTS_KEY]).collect();
        expected.sort();
        assert_eq!(keys, expected);
    }

    #[test]
    fn enums_are_listed_and_doc_comments_described() {
        let text = text();
        let schema: Value = serde_json::from_str(&text).unwrap();
        let defs = &schema["definitions"];
        assert_eq!(
            defs["OAuthFlow"]["enum"],
            json!(["code", "implicit", "client_credentials"])
        );
        let mode = &defs["Mfa"]["properties"]["sms_message"]["description"];
        assert!(mode.as_str().unwrap().contains("{####}"), "{mode}");
    }
}
