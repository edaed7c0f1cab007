//! Checks of the pool's own settings.

use super::Checks;
use crate::model::enums::*;
use crate::model::pool::{is_custom_attribute, PoolSettings, CUSTOM_PREFIX, STANDARD_ATTRIBUTES};
use crate::model::pool_table::{value_at, Check, Row, POOL_SETTINGS};
use crate::model::Duration;

pub fn check(s: &PoolSettings, c: &mut Checks) {
    match &s.name {
        None => {
            c.error("name", "every pool needs a `name`").help =
                Some("e.g. `name: shop-${env}`".into());
        }
        Some(name) => {
            let ok_chars = name
                .chars()
                .all(|ch| ch.is_alphanumeric() || " _+=,.@-".contains(ch));
            if name.is_empty() || name.chars().count() > 128 || !ok_chars {
                c.error("name", format!("`{name}` is not a valid pool name: 1-128 letters, digits, spaces and _+=,.@-"));
            }
        }
    }

    if s.username_attributes.is_some() && s.alias_attributes.is_some() {
        c.error(
            "alias_attributes",
            "`username_attributes` and `alias_attributes` cannot both be set: pick one way to sign in",
        );
    }

    check_rows(s, c);
    creation_choices(s, c);

    if let Some(policy) = &s.sign_in_policy {
        if let Some(factors) = &policy.allowed_first_auth_factors {
            if !factors.contains(&AuthFactor::Password) {
                c.error(
                    "sign_in_policy.allowed_first_auth_factors",
                    "must include `password`: Cognito requires it",
                );
            }
            if factors.iter().any(|f| *f != AuthFactor::Password) && s.tier == Some(Tier::Lite) {
                c.error(
                    "sign_in_policy.allowed_first_auth_factors",
                    "passwordless sign-in needs the essentials or plus tier",
                );
            }
        }
    }

    check_mfa(s, c);

    if let Some(list) = &s.account_recovery {
        if list.is_empty() || list.len() > 2 {
            c.error(
                "account_recovery",
                "give one or two recovery mechanisms, in order of preference",
            );
        }
        if list.contains(&RecoveryMechanism::AdminOnly) && list.len() > 1 {
            c.error(
                "account_recovery",
                "`admin_only` cannot be combined with other mechanisms",
            );
        }
        let mut seen = list.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != list.len() {
            c.error("account_recovery", "lists a mechanism twice");
        }
    }

    if let Some(schema) = &s.schema {
        check_schema(schema, c);
    }

    if let Some(tags) = &s.tags {
        for (key, value) in tags {
            if key.is_empty() || key.chars().count() > 128 {
                c.error(format!("tags.{key}"), "tag keys are 1-128 characters");
            }
            c.max_len(&format!("tags.{key}"), Some(value), 256);
        }
    }

    if let Some(t) = &s.verification_message_template {
        // Placeholders and lengths are checked by their rows (`check_rows`).
        let f = "verification_message_template";
        if let Some(link) = &t.email_message_by_link {
            if !(link.contains("{##") && link.contains("##}")) {
                c.error(
                    format!("{f}.email_message_by_link"),
                    "must contain a link placeholder like `{##Verify Email##}`",
                );
            }
        }
    }

    if let Some(email) = &s.email_configuration {
        let developer = email.email_sending_account == Some(EmailSendingAccount::Developer);
        if developer && email.source_arn.is_none() {
            c.error(
                "email_configuration.source_arn",
                "sending through SES (`email_sending_account: developer`) needs the `source_arn` of a verified SES identity",
            );
        }
        if let Some(arn) = &email.source_arn {
            if !arn.starts_with("arn:") || !arn.contains(":ses:") {
                c.error(
                    "email_configuration.source_arn",
                    format!("`{arn}` is not an SES identity ARN"),
                );
            }
        }
        if email.configuration_set.is_some() && !developer {
            // Nothing in the API reference says AWS refuses it; it is unused.
            c.warn(
                "email_configuration.configuration_set",
                "an SES configuration set is used only with `email_sending_account: developer`",
            );
        }
    }

    if let Some(sms) = &s.sms_configuration {
        match &sms.sns_caller_arn {
            None => {
                c.error(
                    "sms_configuration.sns_caller_arn",
                    "SMS needs the ARN of an IAM role Cognito can use to publish to SNS",
                );
            }
            Some(arn)
                if !(arn.starts_with("arn:")
                    && arn.contains(":iam::")
                    && arn.contains(":role/")) =>
            {
                c.error(
                    "sms_configuration.sns_caller_arn",
                    format!("`{arn}` is not an IAM role ARN"),
                );
            }
            _ => {}
        }
    }

    if s.auto_verified_attributes
        .as_ref()
        .is_some_and(|a| a.contains(&VerifiedAttribute::PhoneNumber))
        && s.sms_configuration.is_none()
    {
        c.error(
            "auto_verified_attributes",
            "verifying phone numbers needs `sms_configuration` (an IAM role Cognito uses to send texts)",
        );
    }

    if let Some(settings) = &s.user_attribute_update_settings {
        if let (Some(list), Some(verified)) = (
            &settings.attributes_require_verification_before_update,
            &s.auto_verified_attributes,
        ) {
            for attr in list {
                if !verified.contains(attr) {
                    c.error(
                        "user_attribute_update_settings.attributes_require_verification_before_update",
                        format!("`{attr}` must also be in `auto_verified_attributes`"),
                    );
                }
            }
        }
    }

    if let Some(mode) = s
        .user_pool_add_ons
        .as_ref()
        .and_then(|a| a.advanced_security_mode)
    {
        if mode != AdvancedSecurityMode::Off {
            match s.tier {
                Some(Tier::Plus) => {}
                Some(tier) => {
                    c.error(
                        "user_pool_add_ons.advanced_security_mode",
                        format!("threat protection (`{mode}`) needs the plus tier, but `tier` is {tier}"),
                    );
                }
                None => {
                    c.warn(
                        "user_pool_add_ons.advanced_security_mode",
                        format!("threat protection (`{mode}`) needs the plus tier; declare `tier: plus` to be sure"),
                    );
                }
            }
        }
    }
}

/// The checks the pool's settings table states row by row: ranges, and the
/// placeholders and lengths of texts.
fn check_rows(s: &PoolSettings, c: &mut Checks) {
    let value = serde_json::to_value(s).expect("the model serializes");
    check_table(POOL_SETTINGS, &value, &|path| path.to_string(), c);
}

/// The checks a resource kind's table states, on one resource's serialized
/// model; `at` names a row's path as the spec writes it (`clients.web.…`).
pub(super) fn check_table(
    table: &[Row],
    value: &serde_json::Value,
    at: &dyn Fn(&str) -> String,
    c: &mut Checks,
) {
    for row in table {
        let Some(v) = value_at(value, row.path) else {
            continue;
        };
        let field = at(row.path);
        match row.check {
            Check::None => {}
            Check::Range(min, max) => c.range(&field, v.as_i64(), min, max),
            Check::Text(placeholders, max) => {
                let text = v.as_str().map(str::to_string);
                for placeholder in placeholders {
                    c.must_contain(&field, text.as_ref(), placeholder);
                }
                if max != usize::MAX {
                    c.max_len(&field, text.as_ref(), max);
                }
            }
            Check::Duration { min, max, step } => {
                let Ok(d) = serde_json::from_value::<Duration>(v.clone()) else {
                    continue;
                };
                if step == 60 && !d.seconds().is_multiple_of(step) {
                    c.error(
                        &field,
                        format!(
                            "{d} is not a whole number of minutes, which is how Cognito keeps it"
                        ),
                    );
                } else if !d.seconds().is_multiple_of(step) {
                    c.error(
                        &field,
                        format!("{d} is not a whole number of {}", Duration(step)),
                    );
                }
                c.range(&field, Some(d), Duration(min), Duration(max));
            }
            Check::Items { max, noun } => {
                let n = match v {
                    serde_json::Value::Array(a) => a.len(),
                    serde_json::Value::Object(m) => m.len(),
                    _ => 0,
                };
                if n > max {
                    c.error(&field, format!("{n} {noun}; Cognito accepts at most {max}"));
                }
            }
        }
    }
}

fn check_mfa(s: &PoolSettings, c: &mut Checks) {
    let Some(mfa) = &s.mfa else { return };
    let factors = [mfa.totp, mfa.sms, mfa.email]
        .iter()
        .filter(|f| **f == Some(true))
        .count();
    match mfa.mode {
        Some(MfaMode::Off) if factors > 0 => {
            c.error(
                "mfa.mode",
                "MFA is `off` but factors are enabled; turn them off or choose `optional`",
            );
        }
        Some(MfaMode::Optional | MfaMode::Required) if factors == 0 => {
            c.error(
                "mfa",
                "MFA is on but no factor is enabled: set `totp`, `sms` or `email` to true",
            );
        }
        _ => {}
    }
    if mfa.mode == Some(MfaMode::Required) {
        c.warn(
            "mfa.mode",
            "`required` MFA is a one-way door: Cognito may not let a pool go back to optional, and every user must enrol",
        )
        .one_way_door = true;
    }
    if mfa.sms == Some(true) && s.sms_configuration.is_none() {
        c.error(
            "mfa.sms",
            "SMS MFA needs `sms_configuration` (an IAM role Cognito uses to send texts)",
        );
    }
    if mfa.email == Some(true) {
        let developer = s
            .email_configuration
            .as_ref()
            .is_some_and(|e| e.email_sending_account == Some(EmailSendingAccount::Developer));
        if !developer {
            c.error("mfa.email", "email MFA needs `email_configuration` with `email_sending_account: developer` (SES)");
        }
        if s.tier == Some(Tier::Lite) {
            c.error("mfa.email", "email MFA needs the essentials or plus tier");
        }
    }
}

/// The choices a pool is created with and keeps forever, said once per
/// pool (custom attributes have their own warning, in `check_schema`). A
/// one-way door: `plan` marks these fields on a pool it creates instead.
fn creation_choices(s: &PoolSettings, c: &mut Checks) {
    let mut fixed: Vec<String> = [
        ("username_attributes", s.username_attributes.is_some()),
        ("alias_attributes", s.alias_attributes.is_some()),
        ("case_sensitive", s.case_sensitive.is_some()),
    ]
    .iter()
    .filter(|(_, set)| *set)
    .map(|(key, _)| format!("`{key}`"))
    .collect();
    let required: Vec<&str> = s
        .schema
        .iter()
        .flatten()
        .filter(|(name, attr)| !is_custom_attribute(name) && attr.required == Some(true))
        .map(|(name, _)| name.as_str())
        .collect();
    let mut field = fixed.first().map(|f| f.trim_matches('`').to_string());
    if !required.is_empty() {
        field.get_or_insert_with(|| format!("schema.{}.required", required[0]));
        fixed.push(format!(
            "the required standard attributes (`{}`)",
            required.join("`, `")
        ));
    }
    let Some(field) = field else {
        return;
    };
    c.warn(
        field,
        format!(
            "one-way door: chosen for good when the pool is created, never changeable afterwards: {}",
            fixed.join(", ")
        ),
    )
    .one_way_door = true;
}

fn check_schema(
    schema: &std::collections::BTreeMap<String, crate::model::pool::SchemaAttribute>,
    c: &mut Checks,
) {
    let custom: Vec<&String> = schema.keys().filter(|k| is_custom_attribute(k)).collect();
    if custom.len() > 50 {
        c.error(
            "schema",
            format!(
                "{} custom attributes; Cognito allows at most 50",
                custom.len()
            ),
        );
    }
    for (name, attr) in schema {
        let field = format!("schema.{name}");
        if let Some(short) = name.strip_prefix(CUSTOM_PREFIX) {
            let ok = !short.is_empty()
                && short.chars().count() <= 20
                && short
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "_-".contains(ch));
            if !ok {
                c.error(
                    &field,
                    "custom attribute names are 1-20 letters, digits, `_` or `-` after `custom:`",
                );
            }
            if attr.attribute_type.is_none() {
                c.error(format!("{field}.type"), "a custom attribute needs a `type` (string, number, datetime, boolean): it can never change later");
            }
            if attr.required == Some(true) {
                c.error(format!("{field}.required"), "custom attributes cannot be required (Cognito only allows that for standard attributes)");
            }
            c.warn(
                &field,
                "custom attributes can never be removed or changed once the pool has them",
            )
            .one_way_door = true;
        } else if !STANDARD_ATTRIBUTES.contains(&name.as_str()) {
            let diag = c.error(&field, format!("`{name}` is not a standard attribute"));
            diag.help = Some(format!("custom attributes are named `custom:{name}`"));
            continue;
        }
        let is_string = matches!(attr.attribute_type, None | Some(AttributeType::String));
        let is_number = attr.attribute_type == Some(AttributeType::Number);
        if (attr.min_length.is_some() || attr.max_length.is_some()) && !is_string {
            c.error(
                &field,
                "`min_length`/`max_length` apply to string attributes only",
            );
        }
        if (attr.min_value.is_some() || attr.max_value.is_some()) && !is_number {
            c.error(
                &field,
                "`min_value`/`max_value` apply to number attributes only",
            );
        }
        c.range(&format!("{field}.max_length"), attr.max_length, 0, 2048);
        c.range(&format!("{field}.min_length"), attr.min_length, 0, 2048);
        if let (Some(lo), Some(hi)) = (attr.min_length, attr.max_length) {
            if lo > hi {
                c.error(
                    &field,
                    format!("min_length {lo} is greater than max_length {hi}"),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (attr.min_value, attr.max_value) {
            if lo > hi {
                c.error(
                    &field,
                    format!("min_value {lo} is greater than max_value {hi}"),
                );
            }
        }
    }
}
