//! The user pool's own settings: one type for what the spec asks for and what
//! AWS reports, so both sides go through the same normalizer before the diff.
//!
//! Every field is optional. In a desired model `None` means "not managed: leave
//! it as it is live"; in a live model `None` means AWS reported nothing.

use super::enums::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PoolSettings {
    /// The pool's name in AWS (`PoolName`), after interpolation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_attributes: Option<Vec<UsernameAttribute>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_attributes: Option<Vec<AliasAttribute>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_sensitive: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_verified_attributes: Option<Vec<VerifiedAttribute>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_policy: Option<SignInPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa: Option<Mfa>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_recovery: Option<Vec<RecoveryMechanism>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<BTreeMap<String, SchemaAttribute>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<Activation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_message_template: Option<VerificationMessageTemplate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_configuration: Option<EmailConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_attribute_update_settings: Option<UserAttributeUpdateSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_add_ons: Option<UserPoolAddOns>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfiguration>,
    /// Lambda triggers (`LambdaConfig`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triggers: Option<super::triggers::Triggers>,
    /// Threat protection's pool-wide settings (`SetRiskConfiguration`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threat_protection: Option<super::threat_protection::ThreatProtection>,
    /// Where the pool's logs go (`SetLogDeliveryConfiguration`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_delivery: Option<super::log_delivery::LogDelivery>,
    /// Passkeys (`SetUserPoolMfaConfig`'s `WebAuthnConfiguration`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_authn: Option<WebAuthn>,
}

/// Passkey settings, as `GetUserPoolMfaConfig` reports them and
/// `SetUserPoolMfaConfig` sets them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WebAuthn {
    /// The domain passkeys are bound to (`RelyingPartyId`); absent, Cognito
    /// uses the pool's domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relying_party_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<UserVerification>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_uppercase: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_lowercase: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_numbers: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_symbols: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password_validity_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_history_size: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SignInPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_first_auth_factors: Option<Vec<AuthFactor>>,
}

/// MFA, as `GetUserPoolMfaConfig` reports it and `SetUserPoolMfaConfig` sets it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Mfa {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<MfaMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms: Option<bool>,
    /// The SMS text carrying the code; must contain `{####}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AdminCreateUserConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_admin_create_user_only: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_message_template: Option<MessageTemplate>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MessageTemplate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
}

/// One attribute of the pool's schema. Standard attributes are named as AWS
/// names them (`email`); custom ones carry the `custom:` prefix.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SchemaAttribute {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub attribute_type: Option<AttributeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub developer_only: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct VerificationMessageTemplate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_email_option: Option<DefaultEmailOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message_by_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject_by_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EmailConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_sending_account: Option<EmailSendingAccount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to_email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_set: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SmsConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sns_caller_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sns_region: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct UserAttributeUpdateSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_require_verification_before_update: Option<Vec<VerifiedAttribute>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct UserPoolAddOns {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advanced_security_mode: Option<AdvancedSecurityMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advanced_security_additional_flows: Option<AdvancedSecurityAdditionalFlows>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AdvancedSecurityAdditionalFlows {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_auth_mode: Option<CustomAuthMode>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DeviceConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_required_on_new_device: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_only_remembered_on_user_prompt: Option<bool>,
}

/// Standard attributes every pool has (OpenID Connect's, plus Cognito's own).
pub const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

pub const CUSTOM_PREFIX: &str = "custom:";

/// What AWS puts before a developer-only custom attribute's name when it
/// lists the schema (`dev:custom:NAME`).
pub const DEVELOPER_ONLY_PREFIX: &str = "dev:";

pub fn is_custom_attribute(name: &str) -> bool {
    name.starts_with(CUSTOM_PREFIX)
}

impl PoolSettings {
    /// Puts both sides in one canonical form: lists that are sets are sorted and
    /// de-duplicated, so order in the YAML or in AWS's answer never shows as a change.
    pub fn normalize(&mut self) {
        sort_set(&mut self.username_attributes);
        sort_set(&mut self.alias_attributes);
        sort_set(&mut self.auto_verified_attributes);
        if let Some(policy) = &mut self.sign_in_policy {
            sort_set(&mut policy.allowed_first_auth_factors);
        }
        if let Some(settings) = &mut self.user_attribute_update_settings {
            sort_set(&mut settings.attributes_require_verification_before_update);
        }
        if let Some(threat) = &mut self.threat_protection {
            threat.normalize();
        }
        if let Some(logs) = &mut self.log_delivery {
            logs.normalize();
        }
    }
}

pub(crate) fn sort_set<T: Ord>(list: &mut Option<Vec<T>>) {
    if let Some(items) = list {
        items.sort();
        items.dedup();
    }
}
