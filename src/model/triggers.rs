//! The pool's Lambda triggers (`LambdaConfig`). A trigger is a function ARN;
//! the versioned ones also take an event version. A declared trigger is
//! either attached to a function or explicitly detached (`false`); one the
//! spec does not mention is not managed at all.

use super::enums::{InboundFederationLambdaVersion, PreTokenLambdaVersion, SenderLambdaVersion};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Triggers {
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub pre_sign_up: Option<Slot<String>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<Slot<String>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub post_confirmation: Option<Slot<String>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub pre_authentication: Option<Slot<String>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub post_authentication: Option<Slot<String>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub define_auth_challenge: Option<Slot<String>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub create_auth_challenge: Option<Slot<String>>,
    #[serde(
        alias = "verify_auth_challenge",
        deserialize_with = "declared",
        skip_serializing_if = "Option::is_none"
    )]
    pub verify_auth_challenge_response: Option<Slot<String>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub user_migration: Option<Slot<String>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub pre_token_generation: Option<Slot<Versioned<PreTokenLambdaVersion>>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub custom_sms_sender: Option<Slot<Versioned<SenderLambdaVersion>>>,
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub custom_email_sender: Option<Slot<Versioned<SenderLambdaVersion>>>,
    /// Transforms a federated user's attributes at sign-in
    /// (`LambdaConfig.InboundFederation`).
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub inbound_federation: Option<Slot<Versioned<InboundFederationLambdaVersion>>>,
    /// The KMS key the custom senders decrypt codes with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// Every trigger's spec key, in the order plans list them.
pub const TRIGGER_NAMES: [&str; 13] = [
    "pre_sign_up",
    "custom_message",
    "post_confirmation",
    "pre_authentication",
    "post_authentication",
    "define_auth_challenge",
    "create_auth_challenge",
    "verify_auth_challenge_response",
    "user_migration",
    "pre_token_generation",
    "custom_sms_sender",
    "custom_email_sender",
    "inbound_federation",
];

impl Triggers {
    /// Every trigger slot by spec key: `None` not declared (or, live, not
    /// set), `Some(Some(arn))` attached, `Some(None)` detached.
    pub fn slots(&self) -> [(&'static str, Option<Option<&str>>); 13] {
        fn plain(slot: &Option<Slot<String>>) -> Option<Option<&str>> {
            slot.as_ref().map(|s| s.attached().map(String::as_str))
        }
        fn versioned<V>(slot: &Option<Slot<Versioned<V>>>) -> Option<Option<&str>> {
            slot.as_ref()
                .map(|s| s.attached().map(|v| v.lambda_arn.as_str()))
        }
        [
            ("pre_sign_up", plain(&self.pre_sign_up)),
            ("custom_message", plain(&self.custom_message)),
            ("post_confirmation", plain(&self.post_confirmation)),
            ("pre_authentication", plain(&self.pre_authentication)),
            ("post_authentication", plain(&self.post_authentication)),
            ("define_auth_challenge", plain(&self.define_auth_challenge)),
            ("create_auth_challenge", plain(&self.create_auth_challenge)),
            (
                "verify_auth_challenge_response",
                plain(&self.verify_auth_challenge_response),
            ),
            ("user_migration", plain(&self.user_migration)),
            (
                "pre_token_generation",
                versioned(&self.pre_token_generation),
            ),
            ("custom_sms_sender", versioned(&self.custom_sms_sender)),
            ("custom_email_sender", versioned(&self.custom_email_sender)),
            ("inbound_federation", versioned(&self.inbound_federation)),
        ]
    }

    /// The declared triggers: spec key and the function (`None`: detached).
    pub fn declared(&self) -> impl Iterator<Item = (&'static str, Option<&str>)> {
        self.slots()
            .into_iter()
            .filter_map(|(name, slot)| slot.map(|s| (name, s)))
    }

    /// The function a trigger is attached to.
    pub fn function(&self, trigger: &str) -> Option<&str> {
        self.slots()
            .into_iter()
            .find(|(name, _)| *name == trigger)
            .and_then(|(_, slot)| slot.flatten())
    }
}

/// A declared trigger: attached to a function, or detached (`false` in a
/// spec, which clears it live; `null` only stops managing it).
#[derive(Clone, Debug, PartialEq)]
pub enum Slot<T> {
    Attached(T),
    Detached,
}

impl<T> Slot<T> {
    pub fn attached(&self) -> Option<&T> {
        match self {
            Slot::Attached(t) => Some(t),
            Slot::Detached => None,
        }
    }
}

/// Detached serializes as null, which the diff reads as "absent".
impl<T: Serialize> Serialize for Slot<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Slot::Attached(t) => t.serialize(serializer),
            Slot::Detached => serializer.serialize_none(),
        }
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Slot<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Slot_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let attached = generator.subschema_for::<T>();
        schemars::json_schema!({
            "anyOf": [attached, { "const": false, "description": "`false` detaches the trigger." }]
        })
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Slot<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> de::Visitor<'de> for Visitor<T> {
            type Value = Slot<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Lambda function ARN, or `false` to detach the trigger")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Slot<T>, E> {
                if v {
                    Err(E::custom("`true` is not a trigger: give a Lambda function ARN, or `false` to detach the trigger"))
                } else {
                    Ok(Slot::Detached)
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Slot<T>, E> {
                // The spec's YAML reaches here as text, booleans included.
                match v {
                    "false" => self.visit_bool(false),
                    "true" => self.visit_bool(true),
                    _ => T::deserialize(de::value::StrDeserializer::new(v)).map(Slot::Attached),
                }
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Slot<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Slot::Attached)
            }
            // A serialized model (JSON) carries a detached trigger as null.
            fn visit_unit<E: de::Error>(self) -> Result<Slot<T>, E> {
                Ok(Slot::Detached)
            }
            fn visit_none<E: de::Error>(self) -> Result<Slot<T>, E> {
                Ok(Slot::Detached)
            }
        }
        deserializer.deserialize_any(Visitor(std::marker::PhantomData))
    }
}

/// A key that is present is declared, even when its value is null (detached).
pub(crate) fn declared<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Slot<T>>, D::Error> {
    Slot::deserialize(deserializer).map(Some)
}

/// A trigger with an event version: `arn:...` (version 1) or
/// `{ lambda_arn: arn:..., lambda_version: v2 }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Versioned<V> {
    pub lambda_arn: String,
    pub lambda_version: V,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Versioned_{V}_long")]
struct VersionedFields<V> {
    lambda_arn: String,
    lambda_version: Option<V>,
}

impl<V: schemars::JsonSchema> schemars::JsonSchema for Versioned<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Versioned_{}", V::schema_name()).into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // A bare ARN (the first event version), or the mapping.
        let long = generator.subschema_for::<VersionedFields<V>>();
        schemars::json_schema!({
            "anyOf": [{ "type": "string", "description": "The Lambda function's ARN." }, long]
        })
    }
}

impl<'de, V> Deserialize<'de> for Versioned<V>
where
    V: Deserialize<'de> + FirstVersion,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de> + FirstVersion> de::Visitor<'de> for Visitor<V> {
            type Value = Versioned<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Lambda ARN, or a mapping with `lambda_arn` and `lambda_version`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Versioned<V>, E> {
                Ok(Versioned {
                    lambda_arn: v.to_string(),
                    lambda_version: V::first(),
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Versioned<V>, A::Error> {
                let f =
                    VersionedFields::<V>::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Versioned {
                    lambda_arn: f.lambda_arn,
                    lambda_version: f.lambda_version.unwrap_or_else(V::first),
                })
            }
        }
        deserializer.deserialize_any(Visitor(std::marker::PhantomData))
    }
}

/// The version a trigger gets when the spec names none.
pub trait FirstVersion {
    fn first() -> Self;
}

impl FirstVersion for PreTokenLambdaVersion {
    fn first() -> Self {
        PreTokenLambdaVersion::V1
    }
}

impl FirstVersion for SenderLambdaVersion {
    fn first() -> Self {
        SenderLambdaVersion::V1
    }
}

impl FirstVersion for InboundFederationLambdaVersion {
    fn first() -> Self {
        InboundFederationLambdaVersion::V1
    }
}

/// The parts of a Lambda function ARN,
/// `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionArn<'a> {
    pub partition: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub name: &'a str,
    pub qualifier: Option<&'a str>,
}

impl<'a> FunctionArn<'a> {
    pub fn parse(arn: &'a str) -> Option<FunctionArn<'a>> {
        let parts: Vec<&str> = arn.split(':').collect();
        let (qualifier, fixed) = match parts.len() {
            7 => (None, &parts[..]),
            8 => (Some(parts[7]), &parts[..7]),
            _ => return None,
        };
        let [prefix, partition, service, region, account, kind, name] = fixed else {
            return None;
        };
        let word = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        let ok = *prefix == "arn"
            && partition.starts_with("aws")
            && word(partition)
            && *service == "lambda"
            && word(region)
            && region.contains('-')
            && account.len() == 12
            && account.chars().all(|c| c.is_ascii_digit())
            && *kind == "function"
            && word(name)
            && name.chars().count() <= 64
            && qualifier.is_none_or(|q| q == "$LATEST" || (word(q) && q.len() <= 128));
        ok.then_some(FunctionArn {
            partition,
            region,
            account,
            name,
            qualifier,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Triggers, String> {
        let node = marked_yaml::parse_yaml(0, yaml).unwrap();
        marked_yaml::from_node::<Triggers>(&node).map_err(|e| e.to_string())
    }

    #[test]
    fn attached_detached_and_undeclared() {
        let t = parse(
            "pre_sign_up: arn:aws:lambda:us-east-1:123456789012:function:a\npost_confirmation: false\npre_token_generation: { lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:b, lambda_version: v2 }\ncustom_sms_sender: false\n",
        )
        .unwrap();
        assert_eq!(
            t.pre_sign_up,
            Some(Slot::Attached(
                "arn:aws:lambda:us-east-1:123456789012:function:a".into()
            ))
        );
        assert_eq!(t.post_confirmation, Some(Slot::Detached));
        assert_eq!(t.custom_sms_sender, Some(Slot::Detached));
        assert_eq!(t.custom_message, None);
        let declared: Vec<_> = t.declared().collect();
        assert_eq!(
            declared,
            [
                (
                    "pre_sign_up",
                    Some("arn:aws:lambda:us-east-1:123456789012:function:a")
                ),
                ("post_confirmation", None),
                (
                    "pre_token_generation",
                    Some("arn:aws:lambda:us-east-1:123456789012:function:b")
                ),
                ("custom_sms_sender", None),
            ]
        );
        assert_eq!(
            t.function("pre_token_generation"),
            Some("arn:aws:lambda:us-east-1:123456789012:function:b")
        );
        assert_eq!(t.function("post_confirmation"), None);
    }

    #[test]
    fn true_is_refused_and_a_detached_trigger_survives_a_json_round_trip() {
        let err = parse("pre_sign_up: true\n").unwrap_err();
        assert!(err.contains("`false` to detach"), "{err}");
        let t = parse("pre_sign_up: false\ncustom_message: arn:aws:lambda:us-east-1:123456789012:function:m\n").unwrap();
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"pre_sign_up": null, "custom_message": "arn:aws:lambda:us-east-1:123456789012:function:m"})
        );
        let back: Triggers = serde_json::from_value(json).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn function_arns() {
        let arn =
            FunctionArn::parse("arn:aws:lambda:eu-west-1:123456789012:function:shop-dev-pre:live")
                .unwrap();
        assert_eq!(
            (arn.region, arn.account, arn.name, arn.qualifier),
            ("eu-west-1", "123456789012", "shop-dev-pre", Some("live"))
        );
        for bad in [
            "arn:aws:lambda:eu-west-1:123456789012:layer:x",
            "arn:aws:lambda:eu-west-1:12345:function:x",
            "arn:aws:s3:::bucket",
            "shop-dev-pre",
            "arn:aws:lambda:eu-west-1:123456789012:function:",
            "arn:aws:lambda:eu-west-1:123456789012:function:a b",
        ] {
            assert_eq!(FunctionArn::parse(bad), None, "{bad}");
        }
    }
}
