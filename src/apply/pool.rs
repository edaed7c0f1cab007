//! Writing a user pool: `CreateUserPool`, and the full-configuration
//! `UpdateUserPool`, `AddCustomAttributes` and `SetUserPoolMfaConfig`.
//!
//! `UpdateUserPool` resets every field it is not sent, so an update starts from
//! the pool's whole live description and overlays only what the spec declares
//! (`desired_pool`, through each setting's pair in `aws::pool_fields`):
//! triggers, email and SMS settings, templates and tags set by anyone else
//! survive. The same overlay on an empty pool builds a new one; each request
//! builder copies the overlaid pool's fields once, so a new setting that
//! these calls carry needs no edit here.

use crate::aws::explain;
use crate::aws::retry::{self, AtMostOnce};
use crate::live::LivePool;
use crate::model::enums::*;
use crate::model::overlay;
use crate::model::pool::*;
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types as sdk;

use crate::aws::pool_fields::sdk_enum;

/// The identity of a pool once it exists.
#[derive(Debug, Clone)]
pub struct PoolRef {
    pub id: String,
    pub arn: String,
}

/// The pool as it should be: `base` (the live description, or nothing for a
/// new pool) with every declared setting laid over it through its pair in
/// `aws::pool_fields`, plus the two that have their own mapping here.
pub fn desired_pool(base: &sdk::UserPoolType, desired: &PoolSettings) -> sdk::UserPoolType {
    let mut pool = base.clone();
    crate::aws::pool_fields::write(&mut pool, desired);
    // `mfa.sms_message` also has a door here (the only one while MFA is off).
    if let Some(message) = desired.mfa.as_ref().and_then(|m| m.sms_message.clone()) {
        pool.sms_authentication_message = Some(message);
    }
    pool.lambda_config = lambda_config(pool.lambda_config.as_ref(), desired);
    pool
}

/// The legacy top-level copies of the verification template: they must
/// agree with it, or AWS rejects the pair.
fn legacy_verification(pool: &sdk::UserPoolType) -> [Option<String>; 3] {
    let t = pool.verification_message_template.as_ref();
    [
        t.and_then(|t| t.email_message.clone())
            .or(pool.email_verification_message.clone()),
        t.and_then(|t| t.email_subject.clone())
            .or(pool.email_verification_subject.clone()),
        t.and_then(|t| t.sms_message.clone())
            .or(pool.sms_verification_message.clone()),
    ]
}

pub async fn create(client: &cognito::Client, desired: &PoolSettings) -> anyhow::Result<PoolRef> {
    let name = desired.name.clone().unwrap_or_default();
    let pool = desired_pool(&sdk::UserPoolType::builder().build(), desired);
    let [email_message, email_subject, sms_message] = legacy_verification(&pool);
    let request = client
        .create_user_pool()
        .pool_name(&name)
        .set_policies(pool.policies)
        .set_deletion_protection(pool.deletion_protection)
        .set_username_attributes(pool.username_attributes)
        .set_alias_attributes(pool.alias_attributes)
        .set_username_configuration(pool.username_configuration)
        .set_auto_verified_attributes(pool.auto_verified_attributes)
        .set_email_verification_message(email_message)
        .set_email_verification_subject(email_subject)
        .set_sms_verification_message(sms_message)
        .set_verification_message_template(pool.verification_message_template)
        .set_sms_authentication_message(pool.sms_authentication_message)
        // MFA is switched on afterwards through SetUserPoolMfaConfig, the only
        // call that can enable TOTP; creating with it on would be refused.
        .mfa_configuration(sdk::UserPoolMfaType::Off)
        .set_device_configuration(pool.device_configuration)
        .set_email_configuration(pool.email_configuration)
        .set_sms_configuration(pool.sms_configuration)
        .set_user_pool_tags(pool.user_pool_tags)
        .set_admin_create_user_config(pool.admin_create_user_config)
        .set_schema(
            desired
                .schema
                .as_ref()
                .map(|s| s.iter().map(|(n, a)| schema_attribute(n, a)).collect()),
        )
        .set_user_pool_add_ons(pool.user_pool_add_ons)
        .set_account_recovery_setting(pool.account_recovery_setting)
        .set_user_attribute_update_settings(pool.user_attribute_update_settings)
        .set_user_pool_tier(pool.user_pool_tier)
        .set_lambda_config(pool.lambda_config);
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
    let live_mode = live
        .settings
        .mfa
        .as_ref()
        .and_then(|m| m.mode)
        .map(|m| sdk_enum(m.api_name()))
        .or(raw.mfa_configuration.clone());
    let mut pool = desired_pool(raw, desired);
    if let Some(config) = &mut pool.admin_create_user_config {
        // Deprecated in favour of the password policy's temporary validity;
        // sending both back makes AWS refuse the update.
        config.unused_account_validity_days = 0;
    }
    let [email_message, email_subject, sms_message] = legacy_verification(&pool);
    client
        .update_user_pool()
        .user_pool_id(&live.id)
        .set_pool_name(pool.name)
        .set_policies(pool.policies)
        .set_deletion_protection(pool.deletion_protection)
        .set_lambda_config(pool.lambda_config)
        .set_auto_verified_attributes(pool.auto_verified_attributes)
        .set_email_verification_message(email_message)
        .set_email_verification_subject(email_subject)
        .set_sms_verification_message(sms_message)
        .set_verification_message_template(pool.verification_message_template)
        .set_sms_authentication_message(pool.sms_authentication_message)
        .set_user_attribute_update_settings(pool.user_attribute_update_settings)
        .set_mfa_configuration(live_mode)
        .set_device_configuration(pool.device_configuration)
        .set_email_configuration(pool.email_configuration)
        .set_sms_configuration(pool.sms_configuration)
        .set_user_pool_tags(pool.user_pool_tags)
        .set_admin_create_user_config(pool.admin_create_user_config)
        .set_user_pool_add_ons(pool.user_pool_add_ons)
        .set_account_recovery_setting(pool.account_recovery_setting)
        .set_user_pool_tier(pool.user_pool_tier)
        .set_key_configuration(pool.key_configuration)
        .set_issuer_configuration(pool.issuer_configuration)
        .set_acr_configuration(pool.acr_configuration)
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
                    .set_sms_configuration(sms_configuration(live, desired))
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

fn set_if(target: &mut Option<String>, value: &Option<String>) {
    if value.is_some() {
        target.clone_from(value);
    }
}

/// The SMS configuration the MFA factor carries: the live one with the
/// declared fields laid over it.
fn sms_configuration(
    live: Option<&LivePool>,
    d: &PoolSettings,
) -> Option<sdk::SmsConfigurationType> {
    let mut pool = live
        .map(|l| l.raw.clone())
        .unwrap_or_else(|| sdk::UserPoolType::builder().build());
    crate::aws::pool_fields::write(&mut pool, d);
    pool.sms_configuration
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
