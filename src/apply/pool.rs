//! Writing a user pool: `CreateUserPool`, and the full-configuration
//! `UpdateUserPool`, `AddCustomAttributes` and `SetUserPoolMfaConfig`.
//!
//! `UpdateUserPool` resets every field it is not sent, so an update starts from
//! the pool's whole live description and overlays only what the spec declares:
//! triggers, email and SMS settings, templates and tags set by anyone else
//! survive. The same overlay functions build a new pool from nothing.

use crate::aws::explain;
use crate::aws::retry::{self, AtMostOnce};
use crate::live::LivePool;
use crate::model::enums::*;
use crate::model::overlay;
use crate::model::pool::*;
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types as sdk;

fn sdk_enum<T: for<'a> From<&'a str>>(api_name: &str) -> T {
    T::from(api_name)
}

fn sdk_list<M: Copy, T: for<'a> From<&'a str>>(items: &[M], api: fn(M) -> &'static str) -> Vec<T> {
    items.iter().map(|i| T::from(api(*i))).collect()
}

/// The identity of a pool once it exists.
#[derive(Debug, Clone)]
pub struct PoolRef {
    pub id: String,
    pub arn: String,
}

pub async fn create(client: &cognito::Client, desired: &PoolSettings) -> anyhow::Result<PoolRef> {
    let name = desired.name.clone().unwrap_or_default();
    let template = verification_template(None, desired);
    let request = client
        .create_user_pool()
        .pool_name(&name)
        .set_policies(policies(None, desired))
        .set_deletion_protection(desired.deletion_protection.map(|d| sdk_enum(d.api_name())))
        .set_username_attributes(
            desired
                .username_attributes
                .as_deref()
                .map(|l| sdk_list(l, UsernameAttribute::api_name)),
        )
        .set_alias_attributes(
            desired
                .alias_attributes
                .as_deref()
                .map(|l| sdk_list(l, AliasAttribute::api_name)),
        )
        .set_username_configuration(desired.case_sensitive.map(|c| {
            sdk::UsernameConfigurationType::builder()
                .case_sensitive(c)
                .build()
                .expect("case_sensitive is set")
        }))
        .set_auto_verified_attributes(
            desired
                .auto_verified_attributes
                .as_deref()
                .map(|l| sdk_list(l, VerifiedAttribute::api_name)),
        )
        .set_email_verification_message(template.as_ref().and_then(|t| t.email_message.clone()))
        .set_email_verification_subject(template.as_ref().and_then(|t| t.email_subject.clone()))
        .set_sms_verification_message(template.as_ref().and_then(|t| t.sms_message.clone()))
        .set_verification_message_template(template)
        .set_sms_authentication_message(desired.mfa.as_ref().and_then(|m| m.sms_message.clone()))
        // MFA is switched on afterwards through SetUserPoolMfaConfig, the only
        // call that can enable TOTP; creating with it on would be refused.
        .mfa_configuration(sdk::UserPoolMfaType::Off)
        .set_device_configuration(device_configuration(None, desired))
        .set_email_configuration(email_configuration(None, desired))
        .set_sms_configuration(sms_configuration(None, desired))
        .set_user_pool_tags(tags(None, desired))
        .set_admin_create_user_config(admin_create_user_config(None, desired))
        .set_schema(
            desired
                .schema
                .as_ref()
                .map(|s| s.iter().map(|(n, a)| schema_attribute(n, a)).collect()),
        )
        .set_user_pool_add_ons(user_pool_add_ons(None, desired))
        .set_account_recovery_setting(account_recovery(None, desired))
        .set_user_attribute_update_settings(user_attribute_update_settings(None, desired))
        .set_user_pool_tier(desired.tier.map(|t| sdk_enum(t.api_name())))
        .set_lambda_config(lambda_config(None, desired));
    let out = request
        .customize()
        .config_override(cognito::Config::builder().retry_classifier(AtMostOnce))
        .send()
        .await
        .map_err(|e| {
            retry::explain(
                &format!("CreateUserPool {name}"),
                &format!("the pool `{name}`"),
                e,
            )
        })?;
    let pool = out
        .user_pool
        .ok_or_else(|| anyhow::anyhow!("CreateUserPool {name} returned no pool"))?;
    Ok(PoolRef {
        id: pool.id.unwrap_or_default(),
        arn: pool.arn.unwrap_or_default(),
    })
}

/// Sends the pool's whole live configuration with the declared settings
/// overlaid. MFA mode is sent as it is live; `SetUserPoolMfaConfig` changes it.
pub async fn update(
    client: &cognito::Client,
    live: &LivePool,
    desired: &PoolSettings,
) -> anyhow::Result<()> {
    let raw = &live.raw;
    let template = verification_template(raw.verification_message_template.as_ref(), desired);
    let live_mode = live
        .settings
        .mfa
        .as_ref()
        .and_then(|m| m.mode)
        .map(|m| sdk_enum(m.api_name()))
        .or(raw.mfa_configuration.clone());
    let sms_authentication_message = desired
        .mfa
        .as_ref()
        .and_then(|m| m.sms_message.clone())
        .or(raw.sms_authentication_message.clone());
    client
        .update_user_pool()
        .user_pool_id(&live.id)
        .set_pool_name(desired.name.clone().or(raw.name.clone()))
        .set_policies(policies(raw.policies.as_ref(), desired))
        .set_deletion_protection(
            desired
                .deletion_protection
                .map(|d| sdk_enum(d.api_name()))
                .or(raw.deletion_protection.clone()),
        )
        .set_lambda_config(lambda_config(raw.lambda_config.as_ref(), desired))
        .set_auto_verified_attributes(
            desired
                .auto_verified_attributes
                .as_deref()
                .map(|l| sdk_list(l, VerifiedAttribute::api_name))
                .or(raw.auto_verified_attributes.clone()),
        )
        // The legacy top-level copies must agree with the template, or AWS
        // rejects the pair.
        .set_email_verification_message(
            template
                .as_ref()
                .and_then(|t| t.email_message.clone())
                .or(raw.email_verification_message.clone()),
        )
        .set_email_verification_subject(
            template
                .as_ref()
                .and_then(|t| t.email_subject.clone())
                .or(raw.email_verification_subject.clone()),
        )
        .set_sms_verification_message(
            template
                .as_ref()
                .and_then(|t| t.sms_message.clone())
                .or(raw.sms_verification_message.clone()),
        )
        .set_verification_message_template(template)
        .set_sms_authentication_message(sms_authentication_message)
        .set_user_attribute_update_settings(user_attribute_update_settings(
            raw.user_attribute_update_settings.as_ref(),
            desired,
        ))
        .set_mfa_configuration(live_mode)
        .set_device_configuration(device_configuration(
            raw.device_configuration.as_ref(),
            desired,
        ))
        .set_email_configuration(email_configuration(
            raw.email_configuration.as_ref(),
            desired,
        ))
        .set_sms_configuration(sms_configuration(raw.sms_configuration.as_ref(), desired))
        .set_user_pool_tags(tags(raw.user_pool_tags.as_ref(), desired))
        .set_admin_create_user_config(admin_create_user_config(
            raw.admin_create_user_config.as_ref(),
            desired,
        ))
        .set_user_pool_add_ons(user_pool_add_ons(raw.user_pool_add_ons.as_ref(), desired))
        .set_account_recovery_setting(account_recovery(
            raw.account_recovery_setting.as_ref(),
            desired,
        ))
        .set_user_pool_tier(
            desired
                .tier
                .map(|t| sdk_enum(t.api_name()))
                .or(raw.user_pool_tier.clone()),
        )
        .set_key_configuration(raw.key_configuration.clone())
        .set_issuer_configuration(raw.issuer_configuration.clone())
        .set_acr_configuration(raw.acr_configuration.clone())
        .send()
        .await
        .map_err(|e| explain(&format!("UpdateUserPool {}", live.id), e))?;
    Ok(())
}

/// Adds the custom attributes the spec declares and the pool lacks.
pub async fn add_custom_attributes(
    client: &cognito::Client,
    pool_id: &str,
    attributes: &[(&String, &SchemaAttribute)],
) -> anyhow::Result<()> {
    // AddCustomAttributes takes at most 25 at a time.
    for chunk in attributes.chunks(25) {
        client
            .add_custom_attributes()
            .user_pool_id(pool_id)
            .set_custom_attributes(Some(
                chunk.iter().map(|(n, a)| schema_attribute(n, a)).collect(),
            ))
            .send()
            .await
            .map_err(|e| explain(&format!("AddCustomAttributes {pool_id}"), e))?;
    }
    Ok(())
}

/// Sets MFA to the live configuration with the declared fields overlaid.
pub async fn set_mfa(
    client: &cognito::Client,
    pool_id: &str,
    desired: &PoolSettings,
    live: Option<&LivePool>,
) -> anyhow::Result<()> {
    let live_mfa = live
        .and_then(|l| l.settings.mfa.clone())
        .unwrap_or_default();
    let mfa = overlay(&live_mfa, desired.mfa.as_ref().unwrap_or(&Mfa::default()));
    let mode = mfa.mode.unwrap_or(MfaMode::Off);
    let mut request = client
        .set_user_pool_mfa_config()
        .user_pool_id(pool_id)
        .mfa_configuration(sdk_enum(mode.api_name()))
        .set_web_authn_configuration(web_authn(
            live.and_then(|l| l.raw_mfa.web_authn_configuration.as_ref()),
            desired,
        ));
    // Cognito refuses OFF together with any factor block.
    if mode != MfaMode::Off {
        request = request.software_token_mfa_configuration(
            sdk::SoftwareTokenMfaConfigType::builder()
                .enabled(mfa.totp.unwrap_or(false))
                .build(),
        );
        if mfa.sms == Some(true) {
            request = request.sms_mfa_configuration(
                sdk::SmsMfaConfigType::builder()
                    .set_sms_authentication_message(mfa.sms_message.clone())
                    .set_sms_configuration(sms_configuration(
                        live.and_then(|l| l.raw.sms_configuration.as_ref()),
                        desired,
                    ))
                    .build(),
            );
        }
        if mfa.email == Some(true) {
            request = request.email_mfa_configuration(
                sdk::EmailMfaConfigType::builder()
                    .set_message(mfa.email_message.clone())
                    .set_subject(mfa.email_subject.clone())
                    .build(),
            );
        }
    }
    request
        .send()
        .await
        .map_err(|e| explain(&format!("SetUserPoolMfaConfig {pool_id}"), e))?;
    Ok(())
}

/// The live passkey settings with the declared ones laid over; what the
/// spec does not name (the factor configuration) is sent back as it is.
fn web_authn(
    raw: Option<&sdk::WebAuthnConfigurationType>,
    d: &PoolSettings,
) -> Option<sdk::WebAuthnConfigurationType> {
    let Some(w) = &d.web_authn else {
        return raw.cloned();
    };
    let mut out = raw
        .cloned()
        .unwrap_or_else(|| sdk::WebAuthnConfigurationType::builder().build());
    set_if(&mut out.relying_party_id, &w.relying_party_id);
    if let Some(v) = w.user_verification {
        out.user_verification = Some(sdk_enum(v.api_name()));
    }
    Some(out)
}

/// The live triggers with the declared ones laid over: attached ones set,
/// detached ones cleared, the rest (set by anyone else) kept as they are.
fn lambda_config(
    raw: Option<&sdk::LambdaConfigType>,
    d: &PoolSettings,
) -> Option<sdk::LambdaConfigType> {
    use crate::model::triggers::{Slot, Versioned};
    let Some(t) = &d.triggers else {
        return raw.cloned();
    };
    let mut out = raw
        .cloned()
        .unwrap_or_else(|| sdk::LambdaConfigType::builder().build());
    fn plain(target: &mut Option<String>, slot: &Option<Slot<String>>) {
        match slot {
            Some(Slot::Attached(arn)) => *target = Some(arn.clone()),
            Some(Slot::Detached) => *target = None,
            None => {}
        }
    }
    /// A versioned trigger as the SDK builds it, or what detaching leaves.
    fn versioned<V: Copy, T>(
        target: &mut Option<T>,
        slot: &Option<Slot<Versioned<V>>>,
        build: impl Fn(&Versioned<V>) -> T,
    ) {
        match slot {
            Some(Slot::Attached(v)) => *target = Some(build(v)),
            Some(Slot::Detached) => *target = None,
            None => {}
        }
    }
    plain(&mut out.pre_sign_up, &t.pre_sign_up);
    plain(&mut out.custom_message, &t.custom_message);
    plain(&mut out.post_confirmation, &t.post_confirmation);
    plain(&mut out.pre_authentication, &t.pre_authentication);
    plain(&mut out.post_authentication, &t.post_authentication);
    plain(&mut out.define_auth_challenge, &t.define_auth_challenge);
    plain(&mut out.create_auth_challenge, &t.create_auth_challenge);
    plain(
        &mut out.verify_auth_challenge_response,
        &t.verify_auth_challenge_response,
    );
    plain(&mut out.user_migration, &t.user_migration);
    // The legacy `PreTokenGeneration` and `PreTokenGenerationConfig` must name
    // the same function (AWS refuses a pair that disagrees), so both are
    // always written together, as Terraform's provider does.
    versioned(
        &mut out.pre_token_generation_config,
        &t.pre_token_generation,
        |v| {
            sdk::PreTokenGenerationVersionConfigType::builder()
                .lambda_arn(&v.lambda_arn)
                .lambda_version(sdk_enum(v.lambda_version.api_name()))
                .build()
                .expect("arn and version are set")
        },
    );
    versioned(
        &mut out.pre_token_generation,
        &t.pre_token_generation,
        |v| v.lambda_arn.clone(),
    );
    versioned(&mut out.custom_sms_sender, &t.custom_sms_sender, |v| {
        sdk::CustomSmsLambdaVersionConfigType::builder()
            .lambda_arn(&v.lambda_arn)
            .lambda_version(sdk_enum(v.lambda_version.api_name()))
            .build()
            .expect("arn and version are set")
    });
    versioned(&mut out.custom_email_sender, &t.custom_email_sender, |v| {
        sdk::CustomEmailLambdaVersionConfigType::builder()
            .lambda_arn(&v.lambda_arn)
            .lambda_version(sdk_enum(v.lambda_version.api_name()))
            .build()
            .expect("arn and version are set")
    });
    versioned(&mut out.inbound_federation, &t.inbound_federation, |v| {
        sdk::InboundFederationLambdaType::builder()
            .lambda_arn(&v.lambda_arn)
            .lambda_version(sdk_enum(v.lambda_version.api_name()))
            .build()
            .expect("arn and version are set")
    });
    set_if(&mut out.kms_key_id, &t.kms_key_id);
    Some(out)
}

fn policies(
    raw: Option<&sdk::UserPoolPolicyType>,
    d: &PoolSettings,
) -> Option<sdk::UserPoolPolicyType> {
    if d.password_policy.is_none() && d.sign_in_policy.is_none() {
        return raw.cloned();
    }
    let mut policies = raw
        .cloned()
        .unwrap_or_else(|| sdk::UserPoolPolicyType::builder().build());
    if let Some(p) = &d.password_policy {
        let mut pp = policies.password_policy.take().unwrap_or_else(|| {
            sdk::PasswordPolicyType::builder()
                .minimum_length(8)
                .temporary_password_validity_days(7)
                .build()
        });
        if let Some(v) = p.minimum_length {
            pp.minimum_length = Some(v as i32);
        }
        if let Some(v) = p.require_uppercase {
            pp.require_uppercase = v;
        }
        if let Some(v) = p.require_lowercase {
            pp.require_lowercase = v;
        }
        if let Some(v) = p.require_numbers {
            pp.require_numbers = v;
        }
        if let Some(v) = p.require_symbols {
            pp.require_symbols = v;
        }
        if let Some(v) = p.temporary_password_validity_days {
            pp.temporary_password_validity_days = v as i32;
        }
        if let Some(v) = p.password_history_size {
            pp.password_history_size = Some(v as i32);
        }
        policies.password_policy = Some(pp);
    }
    if let Some(factors) = d
        .sign_in_policy
        .as_ref()
        .and_then(|s| s.allowed_first_auth_factors.as_deref())
    {
        policies.sign_in_policy = Some(
            sdk::SignInPolicyType::builder()
                .set_allowed_first_auth_factors(Some(sdk_list(factors, AuthFactor::api_name)))
                .build(),
        );
    }
    Some(policies)
}

fn verification_template(
    raw: Option<&sdk::VerificationMessageTemplateType>,
    d: &PoolSettings,
) -> Option<sdk::VerificationMessageTemplateType> {
    let Some(t) = &d.verification_message_template else {
        return raw.cloned();
    };
    let mut out = raw
        .cloned()
        .unwrap_or_else(|| sdk::VerificationMessageTemplateType::builder().build());
    if let Some(v) = t.default_email_option {
        out.default_email_option = Some(sdk_enum(v.api_name()));
    }
    set_if(&mut out.email_message, &t.email_message);
    set_if(&mut out.email_subject, &t.email_subject);
    set_if(&mut out.email_message_by_link, &t.email_message_by_link);
    set_if(&mut out.email_subject_by_link, &t.email_subject_by_link);
    set_if(&mut out.sms_message, &t.sms_message);
    Some(out)
}

fn set_if(target: &mut Option<String>, value: &Option<String>) {
    if value.is_some() {
        target.clone_from(value);
    }
}

fn device_configuration(
    raw: Option<&sdk::DeviceConfigurationType>,
    d: &PoolSettings,
) -> Option<sdk::DeviceConfigurationType> {
    let Some(c) = &d.device_configuration else {
        return raw.cloned();
    };
    let mut out = raw
        .cloned()
        .unwrap_or_else(|| sdk::DeviceConfigurationType::builder().build());
    if let Some(v) = c.challenge_required_on_new_device {
        out.challenge_required_on_new_device = v;
    }
    if let Some(v) = c.device_only_remembered_on_user_prompt {
        out.device_only_remembered_on_user_prompt = v;
    }
    Some(out)
}

fn email_configuration(
    raw: Option<&sdk::EmailConfigurationType>,
    d: &PoolSettings,
) -> Option<sdk::EmailConfigurationType> {
    let Some(e) = &d.email_configuration else {
        return raw.cloned();
    };
    let mut out = raw
        .cloned()
        .unwrap_or_else(|| sdk::EmailConfigurationType::builder().build());
    if let Some(v) = e.email_sending_account {
        out.email_sending_account = Some(sdk_enum(v.api_name()));
    }
    set_if(&mut out.source_arn, &e.source_arn);
    set_if(&mut out.from, &e.from);
    set_if(&mut out.reply_to_email_address, &e.reply_to_email_address);
    set_if(&mut out.configuration_set, &e.configuration_set);
    Some(out)
}

fn sms_configuration(
    raw: Option<&sdk::SmsConfigurationType>,
    d: &PoolSettings,
) -> Option<sdk::SmsConfigurationType> {
    let Some(s) = &d.sms_configuration else {
        return raw.cloned();
    };
    let mut out = raw
        .cloned()
        .unwrap_or_else(|| sdk::SmsConfigurationType::builder().build());
    if let Some(v) = &s.sns_caller_arn {
        out.sns_caller_arn.clone_from(v);
    }
    set_if(&mut out.external_id, &s.external_id);
    set_if(&mut out.sns_region, &s.sns_region);
    Some(out)
}

/// Tags merge: the spec's keys win, tags set by anyone else stay.
fn tags(
    raw: Option<&std::collections::HashMap<String, String>>,
    d: &PoolSettings,
) -> Option<std::collections::HashMap<String, String>> {
    let Some(declared) = &d.tags else {
        return raw.cloned();
    };
    let mut out = raw.cloned().unwrap_or_default();
    out.extend(declared.iter().map(|(k, v)| (k.clone(), v.clone())));
    Some(out)
}

fn admin_create_user_config(
    raw: Option<&sdk::AdminCreateUserConfigType>,
    d: &PoolSettings,
) -> Option<sdk::AdminCreateUserConfigType> {
    let mut out = raw.cloned();
    if let Some(out) = &mut out {
        // Deprecated in favour of the password policy's temporary validity;
        // sending both back makes AWS refuse the update.
        out.unused_account_validity_days = 0;
    }
    let Some(a) = &d.admin_create_user_config else {
        return out;
    };
    let mut out = out.unwrap_or_else(|| sdk::AdminCreateUserConfigType::builder().build());
    if let Some(v) = a.allow_admin_create_user_only {
        out.allow_admin_create_user_only = v;
    }
    if let Some(t) = &a.invite_message_template {
        let mut template = out
            .invite_message_template
            .take()
            .unwrap_or_else(|| sdk::MessageTemplateType::builder().build());
        set_if(&mut template.email_message, &t.email_message);
        set_if(&mut template.email_subject, &t.email_subject);
        set_if(&mut template.sms_message, &t.sms_message);
        out.invite_message_template = Some(template);
    }
    Some(out)
}

fn user_pool_add_ons(
    raw: Option<&sdk::UserPoolAddOnsType>,
    d: &PoolSettings,
) -> Option<sdk::UserPoolAddOnsType> {
    let Some(a) = &d.user_pool_add_ons else {
        return raw.cloned();
    };
    let mut out = raw.cloned().unwrap_or_else(|| {
        sdk::UserPoolAddOnsType::builder()
            .advanced_security_mode(sdk::AdvancedSecurityModeType::Off)
            .build()
            .expect("mode is set")
    });
    if let Some(mode) = a.advanced_security_mode {
        out.advanced_security_mode = sdk_enum(mode.api_name());
    }
    if let Some(flows) = &a.advanced_security_additional_flows {
        out.advanced_security_additional_flows = Some(
            sdk::AdvancedSecurityAdditionalFlowsType::builder()
                .set_custom_auth_mode(flows.custom_auth_mode.map(|m| sdk_enum(m.api_name())))
                .build(),
        );
    }
    Some(out)
}

fn account_recovery(
    raw: Option<&sdk::AccountRecoverySettingType>,
    d: &PoolSettings,
) -> Option<sdk::AccountRecoverySettingType> {
    let Some(list) = &d.account_recovery else {
        return raw.cloned();
    };
    let options = list
        .iter()
        .enumerate()
        .map(|(i, m)| {
            sdk::RecoveryOptionType::builder()
                .priority(i as i32 + 1)
                .name(sdk_enum(m.api_name()))
                .build()
                .expect("name and priority are set")
        })
        .collect();
    Some(
        sdk::AccountRecoverySettingType::builder()
            .set_recovery_mechanisms(Some(options))
            .build(),
    )
}

fn user_attribute_update_settings(
    raw: Option<&sdk::UserAttributeUpdateSettingsType>,
    d: &PoolSettings,
) -> Option<sdk::UserAttributeUpdateSettingsType> {
    let Some(list) = d
        .user_attribute_update_settings
        .as_ref()
        .and_then(|u| u.attributes_require_verification_before_update.as_deref())
    else {
        return raw.cloned();
    };
    // An empty list, not an absent one, is how the setting is turned off.
    Some(
        sdk::UserAttributeUpdateSettingsType::builder()
            .set_attributes_require_verification_before_update(Some(sdk_list(
                list,
                VerifiedAttribute::api_name,
            )))
            .build(),
    )
}

/// A schema attribute as Cognito takes it. Custom attributes are sent without
/// their `custom:` prefix, which Cognito adds.
fn schema_attribute(name: &str, a: &SchemaAttribute) -> sdk::SchemaAttributeType {
    let attribute_type = a.attribute_type.or_else(|| standard_attribute_type(name));
    let is_string = matches!(attribute_type, Some(AttributeType::String));
    let is_number = matches!(attribute_type, Some(AttributeType::Number));
    let strings = (is_string && (a.min_length.is_some() || a.max_length.is_some())).then(|| {
        sdk::StringAttributeConstraintsType::builder()
            .set_min_length(a.min_length.map(|v| v.to_string()))
            .set_max_length(a.max_length.map(|v| v.to_string()))
            .build()
    });
    let numbers = (is_number && (a.min_value.is_some() || a.max_value.is_some())).then(|| {
        sdk::NumberAttributeConstraintsType::builder()
            .set_min_value(a.min_value.map(|v| v.to_string()))
            .set_max_value(a.max_value.map(|v| v.to_string()))
            .build()
    });
    sdk::SchemaAttributeType::builder()
        .name(name.strip_prefix(CUSTOM_PREFIX).unwrap_or(name))
        .set_attribute_data_type(attribute_type.map(|t| sdk_enum(t.api_name())))
        .set_developer_only_attribute(a.developer_only)
        .set_mutable(a.mutable)
        .set_required(a.required)
        .set_string_attribute_constraints(strings)
        .set_number_attribute_constraints(numbers)
        .build()
}

fn standard_attribute_type(name: &str) -> Option<AttributeType> {
    match name {
        "updated_at" => Some(AttributeType::Number),
        "email_verified" | "phone_number_verified" => Some(AttributeType::Boolean),
        n if STANDARD_ATTRIBUTES.contains(&n) => Some(AttributeType::String),
        _ => None,
    }
}
