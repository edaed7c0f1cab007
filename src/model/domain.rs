//! The pool's hosted domain: a prefix under `auth.<region>.amazoncognito.com`,
//! or a custom domain with an ACM certificate.

use serde::{de, Deserialize, Deserializer, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Domain {
    /// `shop-dev` for `shop-dev.auth.<region>.amazoncognito.com`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// A fully qualified name such as `auth.example.com`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom: Option<String>,
    /// A custom domain's ACM certificate; it must live in us-east-1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_arn: Option<String>,
    /// 1: the classic hosted UI; 2: managed login.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<u8>,
}

impl Domain {
    /// The domain's name: the prefix, or the custom domain.
    pub fn name(&self) -> Option<&str> {
        self.prefix.as_deref().or(self.custom.as_deref())
    }
}

/// Whether a live domain name is a custom domain: a prefix can hold no dot,
/// a fully qualified name always does.
pub fn is_custom_name(name: &str) -> bool {
    name.contains('.')
}

/// The long form, as a mapping.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct DomainFields {
    prefix: Option<String>,
    custom: Option<String>,
    certificate_arn: Option<String>,
    managed_login_version: Option<u8>,
}

impl schemars::JsonSchema for Domain {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Domain".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // The short form (text) or the mapping the loader reads it from.
        let long = generator.subschema_for::<DomainFields>();
        schemars::json_schema!({
            "anyOf": [{ "type": "string", "description": "A prefix: `shop-dev` for `shop-dev.auth.<region>.amazoncognito.com`." }, long]
        })
    }
}

impl<'de> Deserialize<'de> for Domain {
    /// `domain: shop-dev` is a prefix domain; a mapping gives the rest.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Domain;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a domain prefix, or a mapping with `prefix` or `custom`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Domain, E> {
                Ok(Domain {
                    prefix: Some(v.to_string()),
                    ..Domain::default()
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Domain, A::Error> {
                let f = DomainFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Domain {
                    prefix: f.prefix,
                    custom: f.custom,
                    certificate_arn: f.certificate_arn,
                    managed_login_version: f.managed_login_version,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
