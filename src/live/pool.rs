//! Reading a user pool from AWS (`DescribeUserPool` + `GetUserPoolMfaConfig`)
//! into the same `PoolSettings` model the spec produces.

use crate::aws::explain;
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

fn convert<T>(value: &str, from_api: fn(&str) -> Option<T>) -> Option<T> {
    let converted = from_api(value);
    if converted.is_none() {
        tracing::warn!(
            value,
            "AWS reported a value this poolctl does not know; it is ignored"
        );
    }
    converted
}

fn list<S: AsRef<str>, T>(items: Option<&[S]>, from_api: fn(&str) -> Option<T>) -> Option<Vec<T>> {
    items.map(|items| {
        items
            .iter()
            .filter_map(|i| convert(i.as_ref(), from_api))
            .collect()
    })
}

/// Normalizes what AWS reports. Fields AWS leaves out get the value AWS
/// documents as their default, so "absent" and "default" never differ.
pub fn to_model(
    pool: &sdk::UserPoolType,
    mfa: &cognito::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput,
) -> PoolSettings {
    let password = pool
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.as_ref());
    let sign_in = pool
        .policies
        .as_ref()
        .and_then(|p| p.sign_in_policy.as_ref());
    PoolSettings {
        name: pool.name.clone(),
        username_attributes: Some(
            list(
                pool.username_attributes.as_deref(),
                UsernameAttribute::from_api,
            )
            .unwrap_or_else(|| default("username_attributes")),
        ),
        alias_attributes: Some(
            list(pool.alias_attributes.as_deref(), AliasAttribute::from_api)
                .unwrap_or_else(|| default("alias_attributes")),
        ),
        case_sensitive: Some(
            pool.username_configuration
                .as_ref()
                .map(|u| u.case_sensitive)
                .unwrap_or_else(|| default("case_sensitive")),
        ),
        auto_verified_attributes: Some(
            list(
                pool.auto_verified_attributes.as_deref(),
                VerifiedAttribute::from_api,
            )
            .unwrap_or_else(|| default("auto_verified_attributes")),
        ),
        password_policy: password.map(|p| PasswordPolicy {
            minimum_length: p.minimum_length.map(|v| v as u32),
            require_uppercase: Some(p.require_uppercase),
            require_lowercase: Some(p.require_lowercase),
            require_numbers: Some(p.require_numbers),
            require_symbols: Some(p.require_symbols),
            temporary_password_validity_days: Some(p.temporary_password_validity_days as u32),
            password_history_size: Some(
                p.password_history_size
                    .map(|v| v as u32)
                    .unwrap_or_else(|| default("password_policy.password_history_size")),
            ),
        }),
        sign_in_policy: Some(SignInPolicy {
            allowed_first_auth_factors: Some(
                sign_in
                    .and_then(|s| {
                        list(
                            s.allowed_first_auth_factors.as_deref(),
                            AuthFactor::from_api,
                        )
                    })
                    .unwrap_or_else(|| default("sign_in_policy.allowed_first_auth_factors")),
            ),
        }),
        mfa: Some(mfa_model(pool, mfa)),
        account_recovery: pool.account_recovery_setting.as_ref().map(|a| {
            let mut options: Vec<&sdk::RecoveryOptionType> =
                a.recovery_mechanisms.iter().flatten().collect();
            options.sort_by_key(|o| o.priority);
            options
                .iter()
                .filter_map(|o| convert(o.name.as_str(), RecoveryMechanism::from_api))
                .collect()
        }),
        admin_create_user_config: pool.admin_create_user_config.as_ref().map(|a| {
            AdminCreateUserConfig {
                allow_admin_create_user_only: Some(a.allow_admin_create_user_only),
                invite_message_template: a.invite_message_template.as_ref().map(|t| {
                    MessageTemplate {
                        email_message: t.email_message.clone(),
                        email_subject: t.email_subject.clone(),
                        sms_message: t.sms_message.clone(),
                    }
                }),
            }
        }),
        schema: pool.schema_attributes.as_ref().map(|attrs| {
            attrs
                .iter()
                .filter_map(|a| {
                    Some((spec_attribute_name(a.name.as_deref()?), schema_attribute(a)))
                })
                .collect::<BTreeMap<_, _>>()
        }),
        deletion_protection: Some(
            pool.deletion_protection
                .as_ref()
                .and_then(|d| convert(d.as_str(), Activation::from_api))
                .unwrap_or_else(|| default("deletion_protection")),
        ),
        tier: pool
            .user_pool_tier
            .as_ref()
            .and_then(|t| convert(t.as_str(), Tier::from_api)),
        tags: Some(
            pool.user_pool_tags
                .clone()
                .map(|t| t.into_iter().collect())
                .unwrap_or_else(|| default("tags")),
        ),
        verification_message_template: pool.verification_message_template.as_ref().map(|t| {
            VerificationMessageTemplate {
                default_email_option: t
                    .default_email_option
                    .as_ref()
                    .and_then(|o| convert(o.as_str(), DefaultEmailOption::from_api)),
                email_message: t.email_message.clone(),
                email_subject: t.email_subject.clone(),
                email_message_by_link: t.email_message_by_link.clone(),
                email_subject_by_link: t.email_subject_by_link.clone(),
                sms_message: t.sms_message.clone(),
            }
        }),
        email_configuration: Some(match &pool.email_configuration {
            Some(e) => EmailConfiguration {
                email_sending_account: Some(
                    e.email_sending_account
                        .as_ref()
                        .and_then(|a| convert(a.as_str(), EmailSendingAccount::from_api))
                        .unwrap_or_else(|| default("email_configuration.email_sending_account")),
                ),
                source_arn: e.source_arn.clone(),
                from: e.from.clone(),
                reply_to_email_address: e.reply_to_email_address.clone(),
                configuration_set: e.configuration_set.clone(),
            },
            None => EmailConfiguration {
                email_sending_account: Some(default("email_configuration.email_sending_account")),
                ..Default::default()
            },
        }),
        sms_configuration: pool.sms_configuration.as_ref().map(|s| SmsConfiguration {
            sns_caller_arn: Some(s.sns_caller_arn.clone()).filter(|a| !a.is_empty()),
            external_id: s.external_id.clone(),
            sns_region: s.sns_region.clone(),
        }),
        user_attribute_update_settings: Some(UserAttributeUpdateSettings {
            attributes_require_verification_before_update: Some(
                pool.user_attribute_update_settings
                    .as_ref()
                    .and_then(|u| {
                        list(
                            u.attributes_require_verification_before_update.as_deref(),
                            VerifiedAttribute::from_api,
                        )
                    })
                    .unwrap_or_else(|| {
                        default(
                            "user_attribute_update_settings.attributes_require_verification_before_update",
                        )
                    }),
            ),
        }),
        user_pool_add_ons: Some(match &pool.user_pool_add_ons {
            Some(a) => UserPoolAddOns {
                advanced_security_mode: convert(
                    a.advanced_security_mode.as_str(),
                    AdvancedSecurityMode::from_api,
                ),
                advanced_security_additional_flows: a
                    .advanced_security_additional_flows
                    .as_ref()
                    .map(|f| AdvancedSecurityAdditionalFlows {
                        custom_auth_mode: f
                            .custom_auth_mode
                            .as_ref()
                            .and_then(|m| convert(m.as_str(), CustomAuthMode::from_api)),
                    }),
            },
            None => UserPoolAddOns {
                advanced_security_mode: Some(default("user_pool_add_ons.advanced_security_mode")),
                advanced_security_additional_flows: None,
            },
        }),
        device_configuration: Some(match &pool.device_configuration {
            Some(d) => DeviceConfiguration {
                challenge_required_on_new_device: Some(d.challenge_required_on_new_device),
                device_only_remembered_on_user_prompt: Some(
                    d.device_only_remembered_on_user_prompt,
                ),
            },
            None => DeviceConfiguration {
                challenge_required_on_new_device: Some(default(
                    "device_configuration.challenge_required_on_new_device",
                )),
                device_only_remembered_on_user_prompt: Some(default(
                    "device_configuration.device_only_remembered_on_user_prompt",
                )),
            },
        }),
        triggers: Some(triggers_model(pool.lambda_config.as_ref())),
    }
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
