//! What the SDK's `UserPoolType` says of each pool setting, both ways: one
//! read/write pair per setting path (the paths of `model::pool_table`).
//!
//! The live reader builds its `PoolSettings` by reading every pair
//! (`live::pool::to_model`); the applier lays a spec's declared values over
//! a `UserPoolType` through the same pairs and sends that whole pool as
//! `UpdateUserPool` or `CreateUserPool` (`apply::pool`), whose request
//! builders copy every field of `UserPoolType` once. So a setting that
//! `UpdateUserPool` already carries is its model field, its row, and its pair
//! here; no request builder or reader changes. MFA (`SetUserPoolMfaConfig`),
//! the schema (`AddCustomAttributes`) and triggers (attach/detach slots) keep
//! their own mappings.
//!
//! Values cross as the model's serde form (`serde_json::Value`), so each pair
//! is written once with its real types and the table stays uniform.

use crate::model::enums::*;
use crate::model::pool::PoolSettings;
use crate::model::pool_table::value_at;
use aws_sdk_cognitoidentityprovider::types as sdk;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::LazyLock;

type Pool = sdk::UserPoolType;
type Reader = Box<dyn Fn(&Pool) -> Option<Value> + Send + Sync>;
type Writer = Box<dyn Fn(&mut Pool, &Value) + Send + Sync>;

/// One setting's read/write pair over `UserPoolType`.
pub struct Field {
    /// The setting's spec path; its row in `POOL_SETTINGS` speaks for it.
    pub path: &'static str,
    read: Reader,
    write: Writer,
}

/// A pair with its real types: `read` gives the model's value of what AWS
/// reports (`None`: AWS says nothing), `write` sets a declared value.
fn field<T: Serialize + DeserializeOwned + 'static>(
    path: &'static str,
    read: fn(&Pool) -> Option<T>,
    write: fn(&mut Pool, T),
) -> Field {
    Field {
        path,
        read: Box::new(move |p| {
            read(p).map(|v| serde_json::to_value(v).expect("models serialize"))
        }),
        write: Box::new(move |p, v| {
            let v = serde_json::from_value(v.clone())
                .unwrap_or_else(|e| panic!("`{path}`: a model value fits its field: {e}"));
            write(p, v)
        }),
    }
}

/// Every pool setting `UpdateUserPool`/`CreateUserPool` carry.
pub static FIELDS: LazyLock<Vec<Field>> = LazyLock::new(|| {
    vec![
        field("name", |p| p.name.clone(), |p, v| p.name = Some(v)),
        field(
            "username_attributes",
            |p| {
                list(
                    p.username_attributes.as_deref(),
                    UsernameAttribute::from_api,
                )
            },
            |p, v: Vec<UsernameAttribute>| {
                p.username_attributes = Some(sdk_list(&v, UsernameAttribute::api_name))
            },
        ),
        field(
            "alias_attributes",
            |p| list(p.alias_attributes.as_deref(), AliasAttribute::from_api),
            |p, v: Vec<AliasAttribute>| {
                p.alias_attributes = Some(sdk_list(&v, AliasAttribute::api_name))
            },
        ),
        field(
            "case_sensitive",
            |p| Some(p.username_configuration.as_ref()?.case_sensitive),
            |p, v| {
                p.username_configuration = Some(
                    sdk::UsernameConfigurationType::builder()
                        .case_sensitive(v)
                        .build()
                        .expect("case_sensitive is set"),
                )
            },
        ),
        field(
            "auto_verified_attributes",
            |p| {
                list(
                    p.auto_verified_attributes.as_deref(),
                    VerifiedAttribute::from_api,
                )
            },
            |p, v: Vec<VerifiedAttribute>| {
                p.auto_verified_attributes = Some(sdk_list(&v, VerifiedAttribute::api_name))
            },
        ),
        field(
            "password_policy.minimum_length",
            |p| Some(password(p)?.minimum_length? as u32),
            |p, v: u32| password_mut(p).minimum_length = Some(v as i32),
        ),
        field(
            "password_policy.require_uppercase",
            |p| Some(password(p)?.require_uppercase),
            |p, v| password_mut(p).require_uppercase = v,
        ),
        field(
            "password_policy.require_lowercase",
            |p| Some(password(p)?.require_lowercase),
            |p, v| password_mut(p).require_lowercase = v,
        ),
        field(
            "password_policy.require_numbers",
            |p| Some(password(p)?.require_numbers),
            |p, v| password_mut(p).require_numbers = v,
        ),
        field(
            "password_policy.require_symbols",
            |p| Some(password(p)?.require_symbols),
            |p, v| password_mut(p).require_symbols = v,
        ),
        field(
            "password_policy.temporary_password_validity_days",
            |p| Some(password(p)?.temporary_password_validity_days as u32),
            |p, v: u32| password_mut(p).temporary_password_validity_days = v as i32,
        ),
        field(
            "password_policy.password_history_size",
            |p| Some(password(p)?.password_history_size? as u32),
            |p, v: u32| password_mut(p).password_history_size = Some(v as i32),
        ),
        field(
            "sign_in_policy.allowed_first_auth_factors",
            |p| {
                let s = p.policies.as_ref()?.sign_in_policy.as_ref()?;
                list(
                    s.allowed_first_auth_factors.as_deref(),
                    AuthFactor::from_api,
                )
            },
            |p, v: Vec<AuthFactor>| {
                policies_mut(p)
                    .sign_in_policy
                    .get_or_insert_with(|| sdk::SignInPolicyType::builder().build())
                    .allowed_first_auth_factors = Some(sdk_list(&v, AuthFactor::api_name))
            },
        ),
        field(
            "account_recovery",
            |p| {
                let setting = p.account_recovery_setting.as_ref()?;
                let mut options: Vec<&sdk::RecoveryOptionType> =
                    setting.recovery_mechanisms.iter().flatten().collect();
                options.sort_by_key(|o| o.priority);
                Some(
                    options
                        .iter()
                        .filter_map(|o| convert(o.name.as_str(), RecoveryMechanism::from_api))
                        .collect::<Vec<_>>(),
                )
            },
            |p, v: Vec<RecoveryMechanism>| {
                let options = v
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
                p.account_recovery_setting = Some(
                    sdk::AccountRecoverySettingType::builder()
                        .set_recovery_mechanisms(Some(options))
                        .build(),
                )
            },
        ),
        field(
            "admin_create_user_config.allow_admin_create_user_only",
            |p| {
                Some(
                    p.admin_create_user_config
                        .as_ref()?
                        .allow_admin_create_user_only,
                )
            },
            |p, v| admin_mut(p).allow_admin_create_user_only = v,
        ),
        field(
            "admin_create_user_config.invite_message_template.email_message",
            |p| invite(p)?.email_message.clone(),
            |p, v| invite_mut(p).email_message = Some(v),
        ),
        field(
            "admin_create_user_config.invite_message_template.email_subject",
            |p| invite(p)?.email_subject.clone(),
            |p, v| invite_mut(p).email_subject = Some(v),
        ),
        field(
            "admin_create_user_config.invite_message_template.sms_message",
            |p| invite(p)?.sms_message.clone(),
            |p, v| invite_mut(p).sms_message = Some(v),
        ),
        field(
            "deletion_protection",
            |p| {
                convert(
                    p.deletion_protection.as_ref()?.as_str(),
                    Activation::from_api,
                )
            },
            |p, v: Activation| p.deletion_protection = Some(sdk_enum(v.api_name())),
        ),
        field(
            "tier",
            |p| convert(p.user_pool_tier.as_ref()?.as_str(), Tier::from_api),
            |p, v: Tier| p.user_pool_tier = Some(sdk_enum(v.api_name())),
        ),
        // Tags merge: the spec's keys win, tags set by anyone else stay.
        field(
            "tags",
            |p| {
                p.user_pool_tags
                    .clone()
                    .map(|t| t.into_iter().collect::<BTreeMap<_, _>>())
            },
            |p, v: BTreeMap<String, String>| p.user_pool_tags.get_or_insert_default().extend(v),
        ),
        field(
            "verification_message_template.default_email_option",
            |p| {
                let option = template(p)?.default_email_option.as_ref()?;
                convert(option.as_str(), DefaultEmailOption::from_api)
            },
            |p, v: DefaultEmailOption| {
                template_mut(p).default_email_option = Some(sdk_enum(v.api_name()))
            },
        ),
        field(
            "verification_message_template.email_message",
            |p| template(p)?.email_message.clone(),
            |p, v| template_mut(p).email_message = Some(v),
        ),
        field(
            "verification_message_template.email_subject",
            |p| template(p)?.email_subject.clone(),
            |p, v| template_mut(p).email_subject = Some(v),
        ),
        field(
            "verification_message_template.email_message_by_link",
            |p| template(p)?.email_message_by_link.clone(),
            |p, v| template_mut(p).email_message_by_link = Some(v),
        ),
        field(
            "verification_message_template.email_subject_by_link",
            |p| template(p)?.email_subject_by_link.clone(),
            |p, v| template_mut(p).email_subject_by_link = Some(v),
        ),
        field(
            "verification_message_template.sms_message",
            |p| template(p)?.sms_message.clone(),
            |p, v| template_mut(p).sms_message = Some(v),
        ),
        field(
            "email_configuration.email_sending_account",
            |p| {
                let account = p
                    .email_configuration
                    .as_ref()?
                    .email_sending_account
                    .as_ref()?;
                convert(account.as_str(), EmailSendingAccount::from_api)
            },
            |p, v: EmailSendingAccount| {
                email_mut(p).email_sending_account = Some(sdk_enum(v.api_name()))
            },
        ),
        field(
            "email_configuration.source_arn",
            |p| p.email_configuration.as_ref()?.source_arn.clone(),
            |p, v| email_mut(p).source_arn = Some(v),
        ),
        field(
            "email_configuration.from",
            |p| p.email_configuration.as_ref()?.from.clone(),
            |p, v| email_mut(p).from = Some(v),
        ),
        field(
            "email_configuration.reply_to_email_address",
            |p| {
                p.email_configuration
                    .as_ref()?
                    .reply_to_email_address
                    .clone()
            },
            |p, v| email_mut(p).reply_to_email_address = Some(v),
        ),
        field(
            "email_configuration.configuration_set",
            |p| p.email_configuration.as_ref()?.configuration_set.clone(),
            |p, v| email_mut(p).configuration_set = Some(v),
        ),
        field(
            "sms_configuration.sns_caller_arn",
            |p| {
                Some(p.sms_configuration.as_ref()?.sns_caller_arn.clone()).filter(|a| !a.is_empty())
            },
            |p, v| sms_mut(p).sns_caller_arn = v,
        ),
        field(
            "sms_configuration.external_id",
            |p| p.sms_configuration.as_ref()?.external_id.clone(),
            |p, v| sms_mut(p).external_id = Some(v),
        ),
        field(
            "sms_configuration.sns_region",
            |p| p.sms_configuration.as_ref()?.sns_region.clone(),
            |p, v| sms_mut(p).sns_region = Some(v),
        ),
        // An empty list, not an absent one, is how the setting is turned off.
        field(
            "user_attribute_update_settings.attributes_require_verification_before_update",
            |p| {
                let u = p.user_attribute_update_settings.as_ref()?;
                list(
                    u.attributes_require_verification_before_update.as_deref(),
                    VerifiedAttribute::from_api,
                )
            },
            |p, v: Vec<VerifiedAttribute>| {
                p.user_attribute_update_settings = Some(
                    sdk::UserAttributeUpdateSettingsType::builder()
                        .set_attributes_require_verification_before_update(Some(sdk_list(
                            &v,
                            VerifiedAttribute::api_name,
                        )))
                        .build(),
                )
            },
        ),
        field(
            "user_pool_add_ons.advanced_security_mode",
            |p| {
                let mode = &p.user_pool_add_ons.as_ref()?.advanced_security_mode;
                convert(mode.as_str(), AdvancedSecurityMode::from_api)
            },
            |p, v: AdvancedSecurityMode| {
                add_ons_mut(p).advanced_security_mode = sdk_enum(v.api_name())
            },
        ),
        field(
            "user_pool_add_ons.advanced_security_additional_flows.custom_auth_mode",
            |p| {
                let flows = p
                    .user_pool_add_ons
                    .as_ref()?
                    .advanced_security_additional_flows
                    .as_ref()?;
                convert(
                    flows.custom_auth_mode.as_ref()?.as_str(),
                    CustomAuthMode::from_api,
                )
            },
            |p, v: CustomAuthMode| {
                add_ons_mut(p)
                    .advanced_security_additional_flows
                    .get_or_insert_with(|| {
                        sdk::AdvancedSecurityAdditionalFlowsType::builder().build()
                    })
                    .custom_auth_mode = Some(sdk_enum(v.api_name()))
            },
        ),
        field(
            "device_configuration.challenge_required_on_new_device",
            |p| {
                Some(
                    p.device_configuration
                        .as_ref()?
                        .challenge_required_on_new_device,
                )
            },
            |p, v| device_mut(p).challenge_required_on_new_device = v,
        ),
        field(
            "device_configuration.device_only_remembered_on_user_prompt",
            |p| {
                Some(
                    p.device_configuration
                        .as_ref()?
                        .device_only_remembered_on_user_prompt,
                )
            },
            |p, v| device_mut(p).device_only_remembered_on_user_prompt = v,
        ),
    ]
});

/// What AWS reports of every setting with a pair, as the model's serde
/// form: an object of the settings' spec paths (absent: AWS says nothing).
pub fn read(pool: &Pool) -> Value {
    let mut out = Value::Object(Default::default());
    for f in FIELDS.iter() {
        if let Some(v) = (f.read)(pool) {
            set_at(&mut out, f.path, v);
        }
    }
    out
}

/// Lays every value `desired` declares over `pool`; what it leaves out
/// stays as it is.
pub fn write(pool: &mut Pool, desired: &PoolSettings) {
    let value = serde_json::to_value(desired).expect("models serialize");
    for f in FIELDS.iter() {
        if let Some(v) = value_at(&value, f.path) {
            (f.write)(pool, v);
        }
    }
}

/// Sets the value at a dotted path, making the objects on the way.
pub fn set_at(value: &mut Value, path: &str, new: Value) {
    let mut node = value;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        if !node.is_object() {
            *node = Value::Object(Default::default());
        }
        let map = node.as_object_mut().expect("made an object above");
        if keys.peek().is_none() {
            map.insert(key.to_string(), new);
            return;
        }
        node = map.entry(key).or_insert(Value::Null);
    }
}

pub fn sdk_enum<T: for<'a> From<&'a str>>(api_name: &str) -> T {
    T::from(api_name)
}

pub fn sdk_list<M: Copy, T: for<'a> From<&'a str>>(
    items: &[M],
    api: fn(M) -> &'static str,
) -> Vec<T> {
    items.iter().map(|i| T::from(api(*i))).collect()
}

/// A value AWS reports in the model's terms; one this poolctl does not know
/// is logged and ignored.
pub fn convert<T>(value: &str, from_api: fn(&str) -> Option<T>) -> Option<T> {
    let converted = from_api(value);
    if converted.is_none() {
        tracing::warn!(
            value,
            "AWS reported a value this poolctl does not know; it is ignored"
        );
    }
    converted
}

pub fn list<S: AsRef<str>, T>(
    items: Option<&[S]>,
    from_api: fn(&str) -> Option<T>,
) -> Option<Vec<T>> {
    items.map(|items| {
        items
            .iter()
            .filter_map(|i| convert(i.as_ref(), from_api))
            .collect()
    })
}

// The parts of a pool the pairs reach into: read as they are, and made
// (with what AWS requires of a new one) when a declared value needs them.

fn password(p: &Pool) -> Option<&sdk::PasswordPolicyType> {
    p.policies.as_ref()?.password_policy.as_ref()
}

fn policies_mut(p: &mut Pool) -> &mut sdk::UserPoolPolicyType {
    p.policies
        .get_or_insert_with(|| sdk::UserPoolPolicyType::builder().build())
}

fn password_mut(p: &mut Pool) -> &mut sdk::PasswordPolicyType {
    policies_mut(p).password_policy.get_or_insert_with(|| {
        sdk::PasswordPolicyType::builder()
            .minimum_length(8)
            .temporary_password_validity_days(7)
            .build()
    })
}

fn admin_mut(p: &mut Pool) -> &mut sdk::AdminCreateUserConfigType {
    p.admin_create_user_config
        .get_or_insert_with(|| sdk::AdminCreateUserConfigType::builder().build())
}

fn invite(p: &Pool) -> Option<&sdk::MessageTemplateType> {
    p.admin_create_user_config
        .as_ref()?
        .invite_message_template
        .as_ref()
}

fn invite_mut(p: &mut Pool) -> &mut sdk::MessageTemplateType {
    admin_mut(p)
        .invite_message_template
        .get_or_insert_with(|| sdk::MessageTemplateType::builder().build())
}

fn template(p: &Pool) -> Option<&sdk::VerificationMessageTemplateType> {
    p.verification_message_template.as_ref()
}

fn template_mut(p: &mut Pool) -> &mut sdk::VerificationMessageTemplateType {
    p.verification_message_template
        .get_or_insert_with(|| sdk::VerificationMessageTemplateType::builder().build())
}

fn email_mut(p: &mut Pool) -> &mut sdk::EmailConfigurationType {
    p.email_configuration
        .get_or_insert_with(|| sdk::EmailConfigurationType::builder().build())
}

fn sms_mut(p: &mut Pool) -> &mut sdk::SmsConfigurationType {
    p.sms_configuration
        .get_or_insert_with(|| sdk::SmsConfigurationType::builder().build())
}

fn add_ons_mut(p: &mut Pool) -> &mut sdk::UserPoolAddOnsType {
    p.user_pool_add_ons.get_or_insert_with(|| {
        sdk::UserPoolAddOnsType::builder()
            .advanced_security_mode(sdk::AdvancedSecurityModeType::Off)
            .build()
            .expect("mode is set")
    })
}

fn device_mut(p: &mut Pool) -> &mut sdk::DeviceConfigurationType {
    p.device_configuration
        .get_or_insert_with(|| sdk::DeviceConfigurationType::builder().build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pool_table::{row_for, Call, Change, Check};
    use serde_json::json;

    /// Settings that keep their own mapping, and why.
    const OWN_MAPPING: &[&str] = &[
        // SetUserPoolMfaConfig (and `mfa.sms_message`'s second door in
        // `apply::pool::desired_pool`).
        "mfa",    // AddCustomAttributes, and the attribute's many parts.
        "schema", // Attach/detach slots and two fields for one trigger.
        "triggers",
    ];

    /// Every leaf of `PoolSettings` (a path and its JSON schema), from the
    /// model's own schema: a new field is found without being listed.
    fn leaves() -> Vec<(String, Value)> {
        let schema = schemars::generate::SchemaSettings::draft07()
            .into_generator()
            .root_schema_for::<PoolSettings>()
            .to_value();
        let defs = schema["definitions"].clone();
        fn resolve(node: &Value, defs: &Value) -> Value {
            if let Some(r) = node.get("$ref").and_then(Value::as_str) {
                return resolve(&defs[r.rsplit('/').next().unwrap()], defs);
            }
            if let Some(any) = node.get("anyOf").and_then(Value::as_array) {
                if let Some(n) = any.iter().find(|n| n.get("type") != Some(&json!("null"))) {
                    return resolve(n, defs);
                }
            }
            node.clone()
        }
        fn walk(node: &Value, defs: &Value, at: &str, out: &mut Vec<(String, Value)>) {
            let node = resolve(node, defs);
            match node.get("properties").and_then(Value::as_object) {
                Some(props) => {
                    for (key, child) in props {
                        let path = if at.is_empty() {
                            key.clone()
                        } else {
                            format!("{at}.{key}")
                        };
                        walk(child, defs, &path, out);
                    }
                }
                None => out.push((at.to_string(), node)),
            }
        }
        let mut out = Vec::new();
        walk(&schema, &defs, "", &mut out);
        out
    }

    fn own_mapping(path: &str) -> bool {
        OWN_MAPPING
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}.")))
    }

    /// A value the leaf's schema accepts, within its row's check, and
    /// other than AWS's default where the schema allows.
    fn sample(path: &str, schema: &Value, defs: &Value) -> Value {
        let has = |t: &str| match &schema["type"] {
            Value::String(s) => s == t,
            Value::Array(a) => a.iter().any(|v| v == t),
            _ => false,
        };
        let check = row_for(path).map(|r| r.check);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values.last().unwrap().clone();
        }
        if has("boolean") {
            json!(true)
        } else if has("integer") {
            match check {
                Some(Check::Range(min, max)) => json!((min + 1).min(max)),
                _ => json!(3),
            }
        } else if has("string") {
            json!(format!("x-{path} {{####}} {{username}}"))
        } else if has("array") {
            let items = &schema["items"];
            let items = match items.get("$ref").and_then(Value::as_str) {
                Some(r) => &defs[r.rsplit('/').next().unwrap()],
                None => items,
            };
            json!([sample(path, items, defs)])
        } else if has("object") {
            json!({ "team": "payments" })
        } else {
            panic!("`{path}`: no sample for {schema}")
        }
    }

    #[test]
    fn every_setting_update_user_pool_carries_has_a_pair() {
        let leaves = leaves();
        assert!(leaves.len() > 30, "{leaves:?}");
        for (path, _) in &leaves {
            if own_mapping(path) {
                continue;
            }
            let row = row_for(path).unwrap_or_else(|| panic!("`{path}` has no row"));
            let carried = row.calls.contains(&Call::UpdateUserPool)
                || matches!(row.change, Change::FixedAtCreation(_));
            if !carried {
                // Set by another call, which has its own mapping.
                continue;
            }
            assert!(
                FIELDS.iter().any(|f| f.path == path),
                "`{path}` has no read/write pair in aws::pool_fields"
            );
        }
        for f in FIELDS.iter() {
            assert!(
                leaves.iter().any(|(p, _)| p == f.path),
                "the pair `{}` names no leaf of PoolSettings",
                f.path
            );
            assert!(
                row_for(f.path).is_some(),
                "the pair `{}` has no row",
                f.path
            );
        }
    }

    /// Each pair reads back what it writes: a value for every leaf (made
    /// from the model's schema, so a new field is covered unlisted) goes
    /// onto an empty pool and comes back the same.
    #[test]
    fn every_pair_reads_back_what_it_writes() {
        let schema = schemars::generate::SchemaSettings::draft07()
            .into_generator()
            .root_schema_for::<PoolSettings>()
            .to_value();
        let defs = &schema["definitions"];
        let mut value = json!({});
        let leaves: Vec<(String, Value)> = leaves()
            .into_iter()
            .filter(|(p, _)| FIELDS.iter().any(|f| f.path == p))
            .collect();
        assert_eq!(leaves.len(), FIELDS.len());
        for (path, leaf) in &leaves {
            set_at(&mut value, path, sample(path, leaf, defs));
        }
        let desired: PoolSettings = serde_json::from_value(value.clone()).unwrap();
        let mut pool = Pool::builder().build();
        write(&mut pool, &desired);
        let back: PoolSettings = serde_json::from_value(read(&pool)).unwrap();
        let (want, got) = (
            serde_json::to_value(&desired).unwrap(),
            serde_json::to_value(&back).unwrap(),
        );
        for (path, _) in &leaves {
            assert_eq!(
                value_at(&got, path),
                value_at(&want, path),
                "`{path}` does not read back what it wrote"
            );
        }
    }

    /// Writing leaves what is not declared as it was.
    #[test]
    fn a_declared_leaf_leaves_its_neighbours_alone() {
        let mut pool = Pool::builder()
            .policies(
                sdk::UserPoolPolicyType::builder()
                    .password_policy(
                        sdk::PasswordPolicyType::builder()
                            .minimum_length(10)
                            .require_symbols(true)
                            .temporary_password_validity_days(3)
                            .build(),
                    )
                    .build(),
            )
            .user_pool_tags("owner", "ops")
            .build();
        let desired: PoolSettings = serde_json::from_value(json!({
            "password_policy": { "minimum_length": 12 },
            "tags": { "team": "payments" },
        }))
        .unwrap();
        write(&mut pool, &desired);
        let p = password(&pool).unwrap();
        assert_eq!(p.minimum_length, Some(12));
        assert!(p.require_symbols);
        assert_eq!(p.temporary_password_validity_days, 3);
        let tags = pool.user_pool_tags.unwrap();
        assert_eq!(tags["owner"], "ops");
        assert_eq!(tags["team"], "payments");
    }
}
