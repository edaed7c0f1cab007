//! The user pool's settings as one table: a row per setting says its spec
//! path, AWS's default, its offline check, whether Cognito changes it in
//! place or fixes it at creation (and why), which call sets it on a live
//! pool, and what import does with AWS's default. The diff's blocked
//! reasons, apply's routing, import's defaults and the simple spec checks
//! read it, instead of each keeping its own list of paths.
//!
//! A row's path is a top-level spec key or a dotted path below one; the row
//! with the longest path that is a prefix of a field's path speaks for it
//! (`mfa.sms_message` before `mfa`). A test fails when a spec key has no
//! row or a row names no field of `PoolSettings`.

/// One pool setting.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The spec's path: `password_policy.minimum_length`, `mfa`, ...
    pub path: &'static str,
    /// What AWS reports for a pool created without it, as YAML; import
    /// leaves a live value equal to it out of the spec it writes.
    pub aws_default: Option<&'static str>,
    /// The offline check of the value, if a simple one says it all.
    pub check: Check,
    pub change: Change,
    /// The calls that set it on a pool that exists, in order.
    pub calls: &'static [Call],
    /// What `import` writes when the live value is AWS's default.
    pub import: Import,
}

/// What `import` does with a live value equal to the row's `aws_default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Import {
    /// Leaves it out: the spec reads as what was chosen.
    OmitDefault,
    /// Writes it all the same: a choice worth reading even when it is the
    /// default (a one-way door, or what makes the rest of a section mean
    /// something, like `mfa.mode`).
    Always,
}

/// A check a row's value must pass; AWS refuses what fails it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    None,
    /// An integer from `.0` to `.1`.
    Range(i64, i64),
    /// A text that contains every placeholder and is at most `.1`
    /// characters long (`usize::MAX`: no limit).
    Text(&'static [&'static str], usize),
    /// A duration from `min` to `max` seconds, in whole `step`s.
    Duration {
        min: u64,
        max: u64,
        step: u64,
    },
    /// A list or mapping of at most `max` entries, called `noun` in the
    /// message (`URLs`, `tags`).
    Items {
        max: usize,
        noun: &'static str,
    },
}

/// How Cognito changes the setting on a pool that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    InPlace,
    /// Fixed when the pool is created: a change needs a new pool. The
    /// reason the plan shows (its price is `diff::pool::NEW_POOL_PRICE`).
    FixedAtCreation(&'static str),
    /// Per schema attribute: a new custom attribute is added in place,
    /// anything else is fixed (`diff::pool` says which and why).
    Schema,
    /// A change deletes the resource and creates it again (a named
    /// resource's `--allow-replace`); the reason and its price.
    Replaces(&'static str),
}

/// An AWS call that writes pool settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    UpdateUserPool,
    SetUserPoolMfaConfig,
    AddCustomAttributes,
    SetRiskConfiguration,
    SetLogDeliveryConfiguration,
    UpdateUserPoolClient,
    UpdateUserPoolDomain,
    UpdateIdentityProvider,
    /// `CreateTerms`, `UpdateTerms` or `DeleteTerms`, per document.
    UpdateTerms,
    SetUiCustomization,
    /// `CreateManagedLoginBranding` or `UpdateManagedLoginBranding`.
    UpdateManagedLoginBranding,
}

const UPDATE: &[Call] = &[Call::UpdateUserPool];
const NONE: Check = Check::None;

const fn row(path: &'static str, aws_default: Option<&'static str>, check: Check) -> Row {
    Row {
        path,
        aws_default,
        check,
        change: Change::InPlace,
        calls: UPDATE,
        import: Import::OmitDefault,
    }
}

const fn fixed(
    path: &'static str,
    aws_default: Option<&'static str>,
    import: Import,
    reason: &'static str,
) -> Row {
    Row {
        path,
        aws_default,
        check: NONE,
        change: Change::FixedAtCreation(reason),
        calls: &[],
        import,
    }
}

const fn mfa(path: &'static str, aws_default: Option<&'static str>, check: Check) -> Row {
    Row {
        path,
        aws_default,
        check,
        change: Change::InPlace,
        calls: &[Call::SetUserPoolMfaConfig],
        import: Import::OmitDefault,
    }
}

const SIGN_IN: &str =
    "sign-in attributes (`username_attributes`, `alias_attributes`) are fixed when a pool is created";
const CODE: &[&str] = &["{####}"];
const INVITE: &[&str] = &["{username}", "{####}"];
const SMS_CHARS: usize = 140;
const SUBJECT_CHARS: usize = 140;
const EMAIL_CHARS: usize = 20_000;
const RELYING_PARTY_CHARS: usize = 127;

/// Every pool setting. Rows for a whole section (`password_policy`) speak
/// for the leaves that have no row of their own.
pub const POOL_SETTINGS: &[Row] = &[
    row("name", None, NONE),
    fixed(
        "username_attributes",
        Some("[]"),
        Import::OmitDefault,
        SIGN_IN,
    ),
    fixed("alias_attributes", Some("[]"), Import::OmitDefault, SIGN_IN),
    // AWS's default for a pool made without `UsernameConfiguration`.
    fixed(
        "case_sensitive",
        Some("true"),
        Import::Always,
        "user name case sensitivity is fixed when a pool is created",
    ),
    row("auto_verified_attributes", Some("[]"), NONE),
    row("password_policy", None, NONE),
    row("password_policy.minimum_length", None, Check::Range(6, 99)),
    row(
        "password_policy.password_history_size",
        Some("0"),
        Check::Range(0, 24),
    ),
    row(
        "password_policy.temporary_password_validity_days",
        None,
        Check::Range(0, 365),
    ),
    row("sign_in_policy", None, NONE),
    row(
        "sign_in_policy.allowed_first_auth_factors",
        Some("[password]"),
        NONE,
    ),
    mfa("mfa", None, NONE),
    Row {
        import: Import::Always,
        ..mfa("mfa.mode", Some("off"), NONE)
    },
    mfa("mfa.totp", Some("false"), NONE),
    mfa("mfa.sms", Some("false"), NONE),
    mfa("mfa.email", Some("false"), NONE),
    // One setting with two doors: UpdateUserPool's top-level
    // `SmsAuthenticationMessage` (the only one while MFA is off) and the
    // SMS factor's block of SetUserPoolMfaConfig.
    Row {
        path: "mfa.sms_message",
        aws_default: None,
        check: Check::Text(CODE, SMS_CHARS),
        change: Change::InPlace,
        calls: &[Call::UpdateUserPool, Call::SetUserPoolMfaConfig],
        import: Import::OmitDefault,
    },
    mfa("mfa.email_message", None, Check::Text(CODE, usize::MAX)),
    row("account_recovery", None, NONE),
    row("admin_create_user_config", None, NONE),
    row(
        "admin_create_user_config.allow_admin_create_user_only",
        Some("false"),
        NONE,
    ),
    row(
        "admin_create_user_config.invite_message_template.email_message",
        None,
        Check::Text(INVITE, EMAIL_CHARS),
    ),
    row(
        "admin_create_user_config.invite_message_template.sms_message",
        None,
        Check::Text(INVITE, SMS_CHARS),
    ),
    row(
        "admin_create_user_config.invite_message_template.email_subject",
        None,
        Check::Text(&[], SUBJECT_CHARS),
    ),
    row("verification_message_template", None, NONE),
    row(
        "verification_message_template.default_email_option",
        Some("confirm_with_code"),
        NONE,
    ),
    row(
        "verification_message_template.email_message",
        None,
        Check::Text(CODE, EMAIL_CHARS),
    ),
    row(
        "verification_message_template.sms_message",
        None,
        Check::Text(CODE, SMS_CHARS),
    ),
    row(
        "verification_message_template.email_subject",
        None,
        Check::Text(&[], SUBJECT_CHARS),
    ),
    row(
        "verification_message_template.email_subject_by_link",
        None,
        Check::Text(&[], SUBJECT_CHARS),
    ),
    row(
        "verification_message_template.email_message_by_link",
        None,
        Check::Text(&[], EMAIL_CHARS),
    ),
    row("email_configuration", None, NONE),
    row(
        "email_configuration.email_sending_account",
        Some("cognito_default"),
        NONE,
    ),
    row("sms_configuration", None, NONE),
    row("user_attribute_update_settings", None, NONE),
    row(
        "user_attribute_update_settings.attributes_require_verification_before_update",
        Some("[]"),
        NONE,
    ),
    row("user_pool_add_ons", None, NONE),
    row(
        "user_pool_add_ons.advanced_security_mode",
        Some("off"),
        NONE,
    ),
    row("device_configuration", None, NONE),
    row(
        "device_configuration.challenge_required_on_new_device",
        Some("false"),
        NONE,
    ),
    row(
        "device_configuration.device_only_remembered_on_user_prompt",
        Some("false"),
        NONE,
    ),
    Row {
        path: "schema",
        aws_default: None,
        check: NONE,
        change: Change::Schema,
        calls: &[Call::AddCustomAttributes],
        import: Import::OmitDefault,
    },
    row("deletion_protection", Some("inactive"), NONE),
    row("tier", None, NONE),
    row(
        "tags",
        Some("{}"),
        Check::Items {
            max: 50,
            noun: "tags",
        },
    ),
    row("triggers", None, NONE),
    // Checked in `spec::check::threat_protection` (it needs the tier and
    // the add-on's mode as well).
    Row {
        path: "threat_protection",
        aws_default: None,
        check: NONE,
        change: Change::InPlace,
        calls: &[Call::SetRiskConfiguration],
        import: Import::OmitDefault,
    },
    // What AWS reports for what a request leaves out (import leaves it out).
    Row {
        path: "threat_protection.compromised_credentials.event_filter",
        aws_default: Some("[sign_in, password_change, sign_up]"),
        check: NONE,
        change: Change::InPlace,
        calls: &[Call::SetRiskConfiguration],
        import: Import::OmitDefault,
    },
    Row {
        path: "threat_protection.ip_address_exceptions.always_allow",
        aws_default: Some("[]"),
        check: NONE,
        change: Change::InPlace,
        calls: &[Call::SetRiskConfiguration],
        import: Import::OmitDefault,
    },
    Row {
        path: "threat_protection.ip_address_exceptions.always_block",
        aws_default: Some("[]"),
        check: NONE,
        change: Change::InPlace,
        calls: &[Call::SetRiskConfiguration],
        import: Import::OmitDefault,
    },
    // Checked in `spec::check::log_delivery`.
    Row {
        path: "log_delivery",
        aws_default: None,
        check: NONE,
        change: Change::InPlace,
        calls: &[Call::SetLogDeliveryConfiguration],
        import: Import::OmitDefault,
    },
    Row {
        path: "log_delivery.user_notification.level",
        aws_default: Some("error"),
        check: NONE,
        change: Change::InPlace,
        calls: &[Call::SetLogDeliveryConfiguration],
        import: Import::OmitDefault,
    },
    Row {
        path: "log_delivery.user_auth_events.level",
        aws_default: Some("info"),
        check: NONE,
        change: Change::InPlace,
        calls: &[Call::SetLogDeliveryConfiguration],
        import: Import::OmitDefault,
    },
    mfa("web_authn", None, NONE),
    mfa("web_authn.user_verification", Some("preferred"), NONE),
    mfa(
        "web_authn.relying_party_id",
        None,
        Check::Text(&[], RELYING_PARTY_CHARS),
    ),
];

/// The top-level spec keys of the pool (`spec::document::SETTINGS_KEYS`):
/// the rows whose path has no dot, in the table's order.
pub const TOP_LEVEL: [&str; top_level_count()] = top_level();

const fn is_top_level(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' {
            return false;
        }
        i += 1;
    }
    true
}

const fn top_level_count() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < POOL_SETTINGS.len() {
        if is_top_level(POOL_SETTINGS[i].path) {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn top_level() -> [&'static str; top_level_count()] {
    let mut out = [""; top_level_count()];
    let (mut n, mut i) = (0, 0);
    while i < POOL_SETTINGS.len() {
        if is_top_level(POOL_SETTINGS[i].path) {
            out[n] = POOL_SETTINGS[i].path;
            n += 1;
        }
        i += 1;
    }
    out
}

/// The row that speaks for a field path: the longest row path that is the
/// path itself or a prefix of it ending at a dot.
pub fn row_for(path: &str) -> Option<&'static Row> {
    row_in(POOL_SETTINGS, path)
}

/// `row_for` in any resource kind's table.
pub fn row_in(table: &'static [Row], path: &str) -> Option<&'static Row> {
    table
        .iter()
        .filter(|r| {
            path == r.path
                || path
                    .strip_prefix(r.path)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .max_by_key(|r| r.path.len())
}

/// AWS's default for the setting at `path`, as the model's type: what the
/// live reader fills in where AWS reports nothing, so "absent" and
/// "default" never differ. Panics when the row has none: rows are
/// constants, and `live::pool`'s tests read a pool AWS says nothing about.
pub fn aws_default<T: serde::de::DeserializeOwned>(path: &str) -> T {
    aws_default_in(POOL_SETTINGS, path)
}

/// `aws_default` in any resource kind's table.
pub fn aws_default_in<T: serde::de::DeserializeOwned>(table: &[Row], path: &str) -> T {
    let row = table
        .iter()
        .find(|r| r.path == path)
        .unwrap_or_else(|| panic!("no row for `{path}` in its table"));
    let text = row
        .aws_default
        .unwrap_or_else(|| panic!("the row `{path}` has no aws_default"));
    serde_yaml::from_str(text)
        .unwrap_or_else(|e| panic!("the row `{path}`'s aws_default does not fit its field: {e}"))
}

/// The rows of a table whose AWS default `import` leaves out, with that
/// default.
pub fn import_defaults_in(
    table: &'static [Row],
) -> impl Iterator<Item = (&'static str, &'static str)> {
    table
        .iter()
        .filter(|r| r.import == Import::OmitDefault)
        .filter_map(|r| Some((r.path, r.aws_default?)))
}

/// The top-level sections (`password_policy`, `schema`, ...): import drops
/// one that leaving defaults out has emptied.
pub fn sections() -> impl Iterator<Item = &'static str> {
    POOL_SETTINGS
        .iter()
        .map(|r| r.path)
        .filter(|p| !p.contains('.'))
}

/// The value at a dotted path of a serialized model, if any.
pub fn value_at<'a>(value: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.')
        .try_fold(value, |v, key| v.get(key))
        .filter(|v| !v.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PoolSettings;
    use crate::spec::document::SETTINGS_KEYS;

    /// Every field of `PoolSettings` (from its JSON schema) is a top-level
    /// row, so it is a spec key (`SETTINGS_KEYS` is those rows).
    #[test]
    fn every_model_field_has_a_row_and_is_a_spec_key() {
        let schema = schemars::generate::SchemaSettings::draft07()
            .into_generator()
            .root_schema_for::<PoolSettings>()
            .to_value();
        let fields = schema["properties"].as_object().unwrap();
        assert!(fields.len() > 15);
        for key in fields.keys() {
            assert!(
                POOL_SETTINGS.iter().any(|r| r.path == key),
                "the pool setting `{key}` has no row in POOL_SETTINGS"
            );
            assert!(SETTINGS_KEYS.contains(&key.as_str()), "`{key}`");
        }
        assert_eq!(SETTINGS_KEYS.len(), fields.len());
        assert_eq!(SETTINGS_KEYS[0], "name");
    }

    /// A row's path deserializes into the model only if every step names a
    /// field (`PoolSettings` and its parts deny unknown fields).
    #[test]
    fn every_row_names_a_model_field() {
        for row in POOL_SETTINGS {
            let mut value = serde_json::Value::Null;
            for key in row.path.rsplit('.') {
                value = serde_json::json!({ key: value });
            }
            if let Err(e) = serde_json::from_value::<PoolSettings>(value) {
                panic!("row `{}` names no field of PoolSettings: {e}", row.path);
            }
            let top = row.path.split('.').next().unwrap();
            assert!(
                SETTINGS_KEYS.contains(&top),
                "row `{}` is under no spec key",
                row.path
            );
        }
    }

    #[test]
    fn paths_are_unique_and_defaults_are_yaml() {
        for (i, row) in POOL_SETTINGS.iter().enumerate() {
            assert!(
                POOL_SETTINGS[i + 1..].iter().all(|r| r.path != row.path),
                "`{}` has two rows",
                row.path
            );
            if let Some(default) = row.aws_default {
                serde_yaml::from_str::<serde_yaml::Value>(default)
                    .unwrap_or_else(|e| panic!("{}: {e}", row.path));
            }
        }
    }

    #[test]
    fn the_longest_row_speaks_for_a_field() {
        assert_eq!(row_for("mfa.sms_message").unwrap().path, "mfa.sms_message");
        assert_eq!(row_for("mfa.mode").unwrap().path, "mfa.mode");
        assert_eq!(row_for("mfa.email_subject").unwrap().path, "mfa");
        assert_eq!(row_for("schema.custom:a.type").unwrap().path, "schema");
        assert_eq!(row_for("tags.team").unwrap().path, "tags");
        assert!(row_for("mfax").is_none());
    }
}
