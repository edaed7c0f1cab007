//! Reading a user pool from AWS (`DescribeUserPool` + `GetUserPoolMfaConfig`)
//! into the same `PoolSettings` model the spec produces.

use crate::aws::explain;
use crate::aws::pool_fields::convert;
use crate::model::enums::*;
use crate::model::pool::*;
use crate::model::triggers::{Slot, Triggers, Versioned};
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types as sdk;
use std::collections::BTreeMap;

/// A pool as it is live: the raw answers (the applier sends them back with the
/// planned changes applied) and their normalized model.
#[derive(Debug, Clone)]
pub struct LivePool {
    pub id: String,
    pub arn: String,
    pub raw: sdk::UserPoolType,
    pub raw_mfa: cognito::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput,
    pub settings: PoolSettings,
}

pub async fn describe(client: &cognito::Client, id: &str) -> anyhow::Result<Option<LivePool>> {
    let (pool, mfa) = tokio::join!(
        client.describe_user_pool().user_pool_id(id).send(),
        client.get_user_pool_mfa_config().user_pool_id(id).send(),
    );
    let pool = match pool {
        Ok(out) => out
            .user_pool
            .ok_or_else(|| anyhow::anyhow!("DescribeUserPool {id} returned no pool"))?,
        Err(err) if crate::aws::is_not_found(&err) => return Ok(None),
        Err(err) => return Err(explain(&format!("DescribeUserPool {id}"), err)),
    };
    let mfa = mfa.map_err(|err| explain(&format!("GetUserPoolMfaConfig {id}"), err))?;
    let mut settings = to_model(&pool, &mfa);
    settings.normalize();
    Ok(Some(LivePool {
        id: id.to_string(),
        arn: pool.arn.clone().unwrap_or_default(),
        raw: pool,
        raw_mfa: mfa,
        settings,
    }))
}

/// AWS's default for a pool setting, from its row in the settings table.
fn default<T: serde::de::DeserializeOwned>(path: &str) -> T {
    crate::model::pool_table::aws_default(path)
}

/// Normalizes what AWS reports. Fields AWS leaves out get the value AWS
/// documents as their default (their row's `aws_default`), so "absent" and
/// "default" never differ. Every setting `UpdateUserPool` carries is read
/// through its pair in `aws::pool_fields`; MFA, the schema and triggers here.
pub fn to_model(
    pool: &sdk::UserPoolType,
    mfa: &cognito::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput,
) -> PoolSettings {
    let mut value = crate::aws::pool_fields::read(pool);
    let own = PoolSettings {
        mfa: Some(mfa_model(pool, mfa)),
        schema: pool.schema_attributes.as_ref().map(|attrs| {
            attrs
                .iter()
                .filter_map(|a| {
                    Some((spec_attribute_name(a.name.as_deref()?), schema_attribute(a)))
                })
                .collect::<BTreeMap<_, _>>()
        }),
        triggers: Some(triggers_model(pool.lambda_config.as_ref())),
        // Unset, passkeys prefer user verification (WebAuthn's default and
        // the console's) and are bound to the pool's domain.
        web_authn: Some({
            let w = mfa.web_authn_configuration.as_ref();
            WebAuthn {
                relying_party_id: w.and_then(|w| w.relying_party_id.clone()),
                user_verification: Some(
                    w.and_then(|w| w.user_verification.as_ref())
                        .and_then(|v| convert(v.as_str(), UserVerification::from_api))
                        .unwrap_or(UserVerification::Preferred),
                ),
            }
        }),
        ..Default::default()
    };
    let own = serde_json::to_value(own).expect("models serialize");
    for (key, v) in own.as_object().into_iter().flatten() {
        value[key] = v.clone();
    }
    // Only the settings read here: one another call reads (and only when
    // asked) stays absent.
    let read_here = |path: &str| {
        crate::aws::pool_fields::FIELDS
            .iter()
            .any(|f| f.path == path)
    };
    for row in crate::model::pool_table::POOL_SETTINGS {
        let Some(default) = row.aws_default.filter(|_| read_here(row.path)) else {
            continue;
        };
        if crate::model::pool_table::value_at(&value, row.path).is_none() {
            let default: serde_json::Value =
                serde_yaml::from_str(default).expect("defaults are YAML");
            crate::aws::pool_fields::set_at(&mut value, row.path, default);
        }
    }
    serde_json::from_value(value).expect("what the pairs read fits the model")
}

/// Every trigger set live; the rest are absent. The pre token generation
/// trigger is read from `PreTokenGenerationConfig`, or from the legacy
/// `PreTokenGeneration` (version 1) on pools that only have that.
fn triggers_model(config: Option<&sdk::LambdaConfigType>) -> Triggers {
    let Some(c) = config else {
        return Triggers::default();
    };
    let plain = |arn: &Option<String>| arn.clone().filter(|a| !a.is_empty()).map(Slot::Attached);
    let pre_token = match &c.pre_token_generation_config {
        Some(v) => {
            convert(v.lambda_version.as_str(), PreTokenLambdaVersion::from_api).map(|version| {
                Versioned {
                    lambda_arn: v.lambda_arn.clone(),
                    lambda_version: version,
                }
            })
        }
        None => c.pre_token_generation.clone().map(|arn| Versioned {
            lambda_arn: arn,
            lambda_version: PreTokenLambdaVersion::V1,
        }),
    };
    let sender = |arn: &str, version: &str| {
        convert(version, SenderLambdaVersion::from_api).map(|v| {
            Slot::Attached(Versioned {
                lambda_arn: arn.to_string(),
                lambda_version: v,
            })
        })
    };
    Triggers {
        pre_sign_up: plain(&c.pre_sign_up),
        custom_message: plain(&c.custom_message),
        post_confirmation: plain(&c.post_confirmation),
        pre_authentication: plain(&c.pre_authentication),
        post_authentication: plain(&c.post_authentication),
        define_auth_challenge: plain(&c.define_auth_challenge),
        create_auth_challenge: plain(&c.create_auth_challenge),
        verify_auth_challenge_response: plain(&c.verify_auth_challenge_response),
        user_migration: plain(&c.user_migration),
        pre_token_generation: pre_token.map(Slot::Attached),
        custom_sms_sender: c
            .custom_sms_sender
            .as_ref()
            .and_then(|s| sender(&s.lambda_arn, s.lambda_version.as_str())),
        custom_email_sender: c
            .custom_email_sender
            .as_ref()
            .and_then(|s| sender(&s.lambda_arn, s.lambda_version.as_str())),
        inbound_federation: c.inbound_federation.as_ref().and_then(|f| {
            convert(
                f.lambda_version.as_str(),
                InboundFederationLambdaVersion::from_api,
            )
            .map(|v| {
                Slot::Attached(Versioned {
                    lambda_arn: f.lambda_arn.clone(),
                    lambda_version: v,
                })
            })
        }),
        kms_key_id: c.kms_key_id.clone(),
    }
}

/// MFA comes from `GetUserPoolMfaConfig`, the authority on factors; the mode
/// falls back to `DescribeUserPool`'s only when the former has none.
fn mfa_model(
    pool: &sdk::UserPoolType,
    mfa: &cognito::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput,
) -> Mfa {
    let mode = mfa
        .mfa_configuration
        .as_ref()
        .or(pool.mfa_configuration.as_ref())
        .and_then(|m| convert(m.as_str(), MfaMode::from_api))
        .unwrap_or_else(|| default("mfa.mode"));
    let sms = mfa.sms_mfa_configuration.as_ref();
    let email = mfa.email_mfa_configuration.as_ref();
    Mfa {
        mode: Some(mode),
        totp: Some(
            mfa.software_token_mfa_configuration
                .as_ref()
                .map(|t| t.enabled)
                .unwrap_or_else(|| default("mfa.totp")),
        ),
        // A factor block AWS keeps while MFA is off does not count.
        sms: Some(match sms {
            Some(s) if mode != MfaMode::Off => s.sms_configuration.is_some(),
            _ => default("mfa.sms"),
        }),
        sms_message: sms
            .and_then(|s| s.sms_authentication_message.clone())
            .or_else(|| pool.sms_authentication_message.clone()),
        email: Some(match email {
            Some(_) if mode != MfaMode::Off => true,
            _ => default("mfa.email"),
        }),
        email_message: email.and_then(|e| e.message.clone()),
        email_subject: email.and_then(|e| e.subject.clone()),
    }
}

/// The spec's name of a live schema attribute. AWS lists a custom attribute
/// created with `DeveloperOnlyAttribute: true` as `dev:custom:NAME`; the spec
/// (and every request that creates one) calls it `custom:NAME`, with
/// `developer_only: true`. Without this mapping such an attribute never
/// converges: every plan adds it again and AWS refuses the duplicate.
pub fn spec_attribute_name(live_name: &str) -> String {
    live_name
        .strip_prefix(DEVELOPER_ONLY_PREFIX)
        .filter(|rest| is_custom_attribute(rest))
        .unwrap_or(live_name)
        .to_string()
}

fn schema_attribute(a: &sdk::SchemaAttributeType) -> SchemaAttribute {
    fn parse<T: std::str::FromStr>(v: &Option<String>) -> Option<T> {
        v.as_deref().and_then(|s| s.parse().ok())
    }
    let strings = a.string_attribute_constraints.as_ref();
    let numbers = a.number_attribute_constraints.as_ref();
    SchemaAttribute {
        attribute_type: a
            .attribute_data_type
            .as_ref()
            .and_then(|t| convert(t.as_str(), AttributeType::from_api)),
        required: Some(a.required.unwrap_or(false)),
        mutable: Some(a.mutable.unwrap_or(true)),
        developer_only: Some(a.developer_only_attribute.unwrap_or(false)),
        min_length: strings.and_then(|s| parse(&s.min_length)),
        max_length: strings.and_then(|s| parse(&s.max_length)),
        min_value: numbers.and_then(|n| parse(&n.min_value)),
        max_value: numbers.and_then(|n| parse(&n.max_value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pool AWS says nothing about reads as the settings table's defaults:
    /// every default the reader fills comes from a row (a row without one
    /// panics here).
    #[test]
    fn a_pool_aws_says_nothing_about_reads_as_the_tables_defaults() {
        let pool = sdk::UserPoolType::builder().build();
        let mfa =
            cognito::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput::builder()
                .build();
        let settings = to_model(&pool, &mfa);
        let value = serde_json::to_value(&settings).unwrap();
        let mut filled = 0;
        for row in crate::model::pool_table::POOL_SETTINGS {
            let (Some(default), Some(live)) = (
                row.aws_default,
                crate::model::pool_table::value_at(&value, row.path),
            ) else {
                continue;
            };
            let default: serde_json::Value = serde_yaml::from_str(default).unwrap();
            assert_eq!(live, &default, "{}", row.path);
            filled += 1;
        }
        assert!(filled >= 15, "only {filled} defaults were filled");
        assert_eq!(settings.case_sensitive, Some(true));
        assert_eq!(settings.deletion_protection, Some(Activation::Inactive));
    }
}
