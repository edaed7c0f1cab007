//! The settings of an app client, the domain and an identity provider as
//! tables, with the pool's row type (`model::pool_table::Row`): a row per
//! setting says its spec path (below the resource), AWS's default, its
//! offline check, whether it changes in place or replaces the resource (and
//! why), the call that sets it, and what import does with the default.
//! Client checks, the live readers' defaults, replace reasons and import's
//! defaults read them. A test fails when a spec key has no row or a row
//! names no field of the model.
//!
//! An identity provider's `ProviderDetails` keys keep their detail table
//! (`model::identity_provider::DETAILS`: AWS's spelling and the types each
//! applies to); each also has its row here.

use super::pool_table::{Call, Change, Check, Import, Row};

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

const fn client(path: &'static str, aws_default: Option<&'static str>, check: Check) -> Row {
    Row {
        path,
        aws_default,
        check,
        change: Change::InPlace,
        calls: &[Call::UpdateUserPoolClient],
        import: Import::OmitDefault,
    }
}

const fn validity(path: &'static str, aws_default: &'static str, min: u64, max: u64) -> Row {
    client(
        path,
        Some(aws_default),
        Check::Duration { min, max, step: 1 },
    )
}

/// Cognito's limits on a client's lists.
const URLS: Check = Check::Items {
    max: 100,
    noun: "URLs",
};
const SCOPES: Check = Check::Items {
    max: 50,
    noun: "scopes",
};

/// Why a client's secret setting replaces it, and the price.
pub const SECRET_IS_FIXED: &str =
    "a client's secret setting is fixed: a new client id for every app using it";

/// Every setting of an app client (`clients.NAME.…`).
pub const CLIENT_SETTINGS: &[Row] = &[
    Row {
        change: Change::Replaces(SECRET_IS_FIXED),
        calls: &[],
        ..client("generate_secret", Some("false"), Check::None)
    },
    // A client created without `ExplicitAuthFlows` allows these (sorted as
    // the normalized model keeps them).
    client(
        "explicit_auth_flows",
        Some("[user_srp, refresh_token, custom_auth]"),
        Check::None,
    ),
    client("allowed_oauth_flows", Some("[]"), Check::None),
    client("allowed_oauth_scopes", Some("[]"), SCOPES),
    client("callback_urls", Some("[]"), URLS),
    client("logout_urls", Some("[]"), URLS),
    client("default_redirect_uri", None, Check::None),
    client("supported_identity_providers", Some("[]"), Check::None),
    validity("access_token_validity", "1h", 5 * MINUTE, DAY),
    validity("id_token_validity", "1h", 5 * MINUTE, DAY),
    validity("refresh_token_validity", "30d", HOUR, 3_650 * DAY),
    // Cognito keeps it in whole minutes.
    client(
        "auth_session_validity",
        Some("3m"),
        Check::Duration {
            min: 3 * MINUTE,
            max: 15 * MINUTE,
            step: MINUTE,
        },
    ),
    client("prevent_user_existence_errors", Some("false"), Check::None),
    client("enable_token_revocation", Some("true"), Check::None),
    client(
        "enable_propagate_additional_user_context_data",
        Some("false"),
        Check::None,
    ),
    client("refresh_token_rotation", None, Check::None),
    client("refresh_token_rotation.enabled", Some("false"), Check::None),
    validity("refresh_token_rotation.retry_grace_period", "0s", 0, MINUTE),
    client("read_attributes", Some("[]"), Check::None),
    client("write_attributes", Some("[]"), Check::None),
    client("analytics_configuration", None, Check::None),
    // Set by their own calls, after the client (`apply::threat_protection`,
    // `apply::terms`, `apply::branding`); checked in their own modules.
    own_call("threat_protection", Call::SetRiskConfiguration),
    own_call("terms", Call::UpdateTerms),
    own_call("ui_customization", Call::SetUiCustomization),
    own_call("managed_login_branding", Call::UpdateManagedLoginBranding),
];

/// A client setting another call than `UpdateUserPoolClient` sets.
const fn own_call(path: &'static str, call: Call) -> Row {
    Row {
        path,
        aws_default: None,
        check: Check::None,
        change: Change::InPlace,
        calls: match call {
            Call::SetRiskConfiguration => &[Call::SetRiskConfiguration],
            Call::UpdateTerms => &[Call::UpdateTerms],
            Call::SetUiCustomization => &[Call::SetUiCustomization],
            _ => &[Call::UpdateManagedLoginBranding],
        },
        import: Import::OmitDefault,
    }
}

const fn domain(path: &'static str, aws_default: Option<&'static str>, check: Check) -> Row {
    Row {
        path,
        aws_default,
        check,
        change: Change::InPlace,
        calls: &[Call::UpdateUserPoolDomain],
        import: Import::OmitDefault,
    }
}

/// Why a domain's name replaces it.
pub const DOMAIN_NAME_IS_FIXED: &str =
    "a domain's name cannot change in place: the live domain is deleted, then the declared one created";

/// Every setting of the pool's domain (`domain.…`).
pub const DOMAIN_SETTINGS: &[Row] = &[
    Row {
        change: Change::Replaces(DOMAIN_NAME_IS_FIXED),
        calls: &[],
        ..domain("prefix", None, Check::None)
    },
    Row {
        change: Change::Replaces(DOMAIN_NAME_IS_FIXED),
        calls: &[],
        ..domain("custom", None, Check::None)
    },
    domain("certificate_arn", None, Check::None),
    // 1, the classic hosted UI, when AWS reports none.
    domain("managed_login_version", Some("1"), Check::Range(1, 2)),
];

const fn provider(path: &'static str, aws_default: Option<&'static str>) -> Row {
    Row {
        path,
        aws_default,
        check: Check::None,
        change: Change::InPlace,
        calls: &[Call::UpdateIdentityProvider],
        import: Import::OmitDefault,
    }
}

/// Why a provider's type replaces it.
pub const PROVIDER_TYPE_IS_FIXED: &str = "an identity provider's type is fixed when it is created: it is deleted and created again, and sign-in through it fails in between";

/// Every setting of an identity provider (`identity_providers.NAME.…`).
pub const IDENTITY_PROVIDER_SETTINGS: &[Row] = &[
    Row {
        change: Change::Replaces(PROVIDER_TYPE_IS_FIXED),
        calls: &[],
        ..provider("type", None)
    },
    provider("attribute_mapping", None),
    // AWS adds it on its own; compared only when declared.
    provider("attribute_mapping.username", Some("sub")),
    provider("idp_identifiers", Some("[]")),
    // The `ProviderDetails` keys (`DETAILS` says for which types).
    provider("client_id", None),
    provider("client_secret", None),
    provider("authorize_scopes", None),
    provider("api_version", None),
    provider("team_id", None),
    provider("key_id", None),
    provider("private_key", None),
    provider("oidc_issuer", None),
    provider("attributes_request_method", None),
    provider("authorize_url", None),
    provider("token_url", None),
    provider("attributes_url", None),
    provider("jwks_uri", None),
    provider("metadata_url", None),
    provider("metadata_file", None),
    provider("idp_signout", Some("false")),
    provider("idp_init", Some("false")),
    provider("encrypted_responses", Some("false")),
    provider("request_signing_algorithm", None),
];

/// Each table with the spec path its rows are under (`*`: any name), as
/// import's defaults and sections name them.
pub const TABLES: &[(&str, &[Row])] = &[
    ("clients.*", CLIENT_SETTINGS),
    ("domain", DOMAIN_SETTINGS),
    ("identity_providers.*", IDENTITY_PROVIDER_SETTINGS),
];

/// What replaces a resource when `path` changes, if anything does.
pub fn replaces(table: &'static [Row], path: &str) -> Option<&'static str> {
    match super::pool_table::row_in(table, path)?.change {
        Change::Replaces(reason) => Some(reason),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::client::AppClient;
    use crate::model::domain::Domain;
    use crate::model::identity_provider::IdentityProvider;
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    /// The top-level keys of a model, from its JSON schema.
    fn keys<T: schemars::JsonSchema>() -> Vec<String> {
        let schema = schemars::generate::SchemaSettings::draft07()
            .into_generator()
            .root_schema_for::<T>()
            .to_value();
        let props = schema.get("properties").cloned().or_else(|| {
            // `Domain` is a string or a mapping: the mapping's keys.
            let defs = schema.get("definitions")?;
            defs.as_object()?
                .values()
                .find_map(|d| d.get("properties").cloned())
        });
        props
            .and_then(|p| p.as_object().map(|m| m.keys().cloned().collect()))
            .unwrap_or_default()
    }

    fn check<T: schemars::JsonSchema + DeserializeOwned + Serialize>(
        table: &[Row],
        name: &str,
        normalize: fn(&mut T),
    ) {
        let keys = keys::<T>();
        assert!(!keys.is_empty(), "{name}: no keys found");
        for key in &keys {
            assert!(
                table.iter().any(|r| r.path == key),
                "{name}'s key `{key}` has no row"
            );
        }
        for (i, row) in table.iter().enumerate() {
            assert!(
                table[i + 1..].iter().all(|r| r.path != row.path),
                "{name}: `{}` has two rows",
                row.path
            );
            // A row's path deserializes only if it names fields all the way
            // (the models deny unknown fields).
            let leaf = row
                .aws_default
                .map(|d| serde_yaml::from_str::<serde_json::Value>(d).unwrap())
                .unwrap_or(serde_json::Value::Null);
            let mut value = leaf.clone();
            for key in row.path.rsplit('.') {
                value = serde_json::json!({ key: value });
            }
            let mut model: T = serde_json::from_value(value)
                .unwrap_or_else(|e| panic!("{name}: row `{}` names no field: {e}", row.path));
            // A default is written as the normalized model writes it, so
            // import can leave an equal live value out.
            if row.aws_default.is_some() {
                normalize(&mut model);
                let back = serde_json::to_value(&model).unwrap();
                let back = super::super::pool_table::value_at(&back, row.path);
                assert_eq!(back, Some(&leaf), "{name}: `{}`'s default", row.path);
            }
        }
    }

    #[test]
    fn every_client_key_has_a_row_and_every_row_a_field() {
        check::<AppClient>(CLIENT_SETTINGS, "a client", |c| {
            let secret = c.generate_secret;
            c.normalize();
            c.generate_secret = secret;
        });
    }

    #[test]
    fn every_domain_key_has_a_row_and_every_row_a_field() {
        check::<Domain>(DOMAIN_SETTINGS, "the domain", |_| {});
    }

    #[test]
    fn every_provider_key_has_a_row_and_every_row_a_field() {
        check::<IdentityProvider>(IDENTITY_PROVIDER_SETTINGS, "a provider", |_| {});
    }

    #[test]
    fn replacing_changes_say_why() {
        assert_eq!(
            replaces(CLIENT_SETTINGS, "generate_secret"),
            Some(SECRET_IS_FIXED)
        );
        assert_eq!(replaces(CLIENT_SETTINGS, "callback_urls"), None);
        assert_eq!(
            replaces(IDENTITY_PROVIDER_SETTINGS, "type"),
            Some(PROVIDER_TYPE_IS_FIXED)
        );
        assert_eq!(
            replaces(DOMAIN_SETTINGS, "custom"),
            Some(DOMAIN_NAME_IS_FIXED)
        );
    }
}
