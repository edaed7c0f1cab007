//! The pool's Lambda triggers (`LambdaConfig`). A trigger is a function ARN;
//! the versioned ones also take an event version.

use super::enums::{PreTokenLambdaVersion, SenderLambdaVersion};
use serde::{de, Deserialize, Deserializer, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Triggers {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_sign_up: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_confirmation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_authentication: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_authentication: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub define_auth_challenge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_auth_challenge: Option<String>,
    #[serde(
        alias = "verify_auth_challenge",
        skip_serializing_if = "Option::is_none"
    )]
    pub verify_auth_challenge_response: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_migration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_token_generation: Option<Versioned<PreTokenLambdaVersion>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_sms_sender: Option<Versioned<SenderLambdaVersion>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_email_sender: Option<Versioned<SenderLambdaVersion>>,
    /// The KMS key the custom senders decrypt codes with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// A trigger with an event version: `arn:...` (version 1) or
/// `{ lambda_arn: arn:..., lambda_version: v2 }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Versioned<V> {
    pub lambda_arn: String,
    pub lambda_version: V,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionedFields<V> {
    lambda_arn: String,
    lambda_version: Option<V>,
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
