//! `Secret`: a value poolctl must use but never show (client secrets, private keys).

use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;

/// A sensitive string. `Debug`, `Display` and `Serialize` never reveal it:
/// the first two print `(sensitive)`, serialization writes a digest marker so the
/// differ can tell "changed" from "unchanged" without ever holding the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// The JSON key under which a serialized secret carries its digest. The differ
/// and the renderers recognise it; nothing else should look inside.
pub const SENSITIVE_MARKER: &str = "$sensitive";

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The clear value, for the one place that sends it to AWS.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A stable, one-way digest: enough to compare, never enough to print.
    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"poolctl-secret-v1\0");
        hasher.update(self.0.as_bytes());
        format!("sha256:{}", hex::encode(hasher.finalize()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(sensitive)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(sensitive)")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(SENSITIVE_MARKER, &self.digest())?;
        map.end()
    }
}

impl schemars::JsonSchema for Secret {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Secret".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A secret: give it through `${env:NAME}` rather than in the file."
        })
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// Whether a serialized value is a secret's digest marker.
pub fn is_sensitive(value: &serde_json::Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.len() == 1 && o.contains_key(SENSITIVE_MARKER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s}"), "(sensitive)");
        assert_eq!(format!("{s:?}"), "(sensitive)");
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("hunter2"), "{json}");
        assert!(is_sensitive(&serde_json::to_value(&s).unwrap()));
    }

    #[test]
    fn digests_tell_values_apart() {
        assert_eq!(Secret::new("a").digest(), Secret::new("a").digest());
        assert_ne!(Secret::new("a").digest(), Secret::new("b").digest());
    }
}
