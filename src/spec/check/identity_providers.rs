//! Checks of identity providers: names Cognito accepts, the details each
//! type needs (and only those), attribute mappings onto attributes the pool
//! has, identifiers, and secrets that should not be in the file.

use super::Checks;
use crate::model::enums::ProviderType;
use crate::model::identity_provider::SECRET_DETAILS;
use crate::model::identity_provider::{
    detail_keys, required_name, types_of, IdentityProvider, COMMON_KEYS,
};
use crate::model::pool::{is_custom_attribute, SchemaAttribute, STANDARD_ATTRIBUTES};
use std::collections::BTreeMap;

/// Details a type cannot be created without. SAML needs one source of
/// metadata, checked on its own.
fn required(t: ProviderType) -> &'static [&'static str] {
    use ProviderType::*;
    match t {
        Google | Facebook | Amazon => &["client_id", "client_secret", "authorize_scopes"],
        Apple => &[
            "client_id",
            "team_id",
            "key_id",
            "private_key",
            "authorize_scopes",
        ],
        Oidc => &[
            "client_id",
            "oidc_issuer",
            "attributes_request_method",
            "authorize_scopes",
        ],
        Saml => &[],
    }
}

const URL_KEYS: &[&str] = &[
    "oidc_issuer",
    "authorize_url",
    "token_url",
    "attributes_url",
    "jwks_uri",
    "metadata_url",
];

pub fn check(
    providers: Option<&BTreeMap<String, IdentityProvider>>,
    schema: Option<&BTreeMap<String, SchemaAttribute>>,
    c: &mut Checks,
) {
    let mut identifiers: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, provider) in providers.into_iter().flatten() {
        let field = format!("identity_providers.{name}");
        check_name(name, &field, c);
        let declared = declared_keys(provider);
        match provider.provider_type {
            None => {
                c.error(
                    format!("{field}.type"),
                    "every identity provider needs a `type`",
                )
                .help = Some(format!("one of: {}", ProviderType::SPEC_NAMES.join(", ")));
            }
            Some(t) => check_details(name, t, &declared, &field, c),
        }
        for key in SECRET_DETAILS {
            let path = format!("{field}.{key}");
            if declared.iter().any(|k| k == key) && !c.from_env_vars.contains(&path) {
                let var = format!("{}_{}", name.to_ascii_uppercase(), key.to_ascii_uppercase())
                    .replace(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_', "_");
                c.warn(
                    path,
                    "a secret is written into the spec file: whoever can read the file can read it",
                )
                .help = Some(format!(
                    "give it through an environment variable: `{key}: ${{env:{var}}}`"
                ));
            }
        }
        check_values(provider, &field, c);
        check_mapping(provider, schema, &field, c);
        for (i, id) in provider.idp_identifiers.iter().flatten().enumerate() {
            let path = format!("{field}.idp_identifiers.{i}");
            let ok_chars = id
                .chars()
                .all(|ch| ch.is_alphanumeric() || ch.is_whitespace() || "_+=.@-".contains(ch));
            if id.is_empty() || id.chars().count() > 40 || !ok_chars {
                c.error(
                    &path,
                    format!(
                        "`{id}` is not a valid identifier: 1-40 letters, digits, spaces and _+=.@-"
                    ),
                );
            }
            if let Some(other) = identifiers.insert(id, name) {
                if other != name {
                    c.error(
                        &path,
                        format!("`{id}` is also an identifier of provider `{other}`: Cognito routes each identifier to one provider"),
                    );
                }
            }
        }
        if provider
            .idp_identifiers
            .as_ref()
            .is_some_and(|ids| ids.len() > 50)
        {
            c.error(
                format!("{field}.idp_identifiers"),
                "Cognito accepts at most 50 identifiers per provider",
            );
        }
    }
}

/// Cognito's pattern for provider names, `[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+`,
/// up to 32 characters; `COGNITO` names the pool's own sign-in.
fn check_name(name: &str, field: &str, c: &mut Checks) {
    let chars: Vec<char> = name.chars().collect();
    let valid = (3..=32).contains(&chars.len())
        && chars
            .iter()
            .enumerate()
            .all(|(i, ch)| !ch.is_whitespace() && !ch.is_control() && (i == 1 || *ch != '_'));
    if !valid {
        c.error(
            field,
            format!("`{name}` is not a valid identity provider name: Cognito accepts 3-32 characters without spaces, and `_` only as the second character"),
        );
    }
    if name == "COGNITO" {
        c.error(
            field,
            "`COGNITO` is reserved: it names the user pool's own sign-in",
        );
    }
}

/// "a google provider", "an oidc provider".
fn a(t: ProviderType) -> String {
    let name = t.spec_name();
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name} provider")
}

fn declared_keys(provider: &IdentityProvider) -> Vec<String> {
    match serde_json::to_value(provider) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

fn check_details(name: &str, t: ProviderType, declared: &[String], field: &str, c: &mut Checks) {
    if let Some(required) = required_name(t) {
        if name != required {
            c.error(
                field,
                format!(
                    "{} must be named `{required}`: Cognito accepts no other name for it",
                    a(t)
                ),
            );
        }
    }
    let applies: Vec<&str> = detail_keys(t).collect();
    for key in declared {
        if COMMON_KEYS.contains(&key.as_str()) || applies.contains(&key.as_str()) {
            continue;
        }
        let types: Vec<String> = types_of(key).iter().map(|t| t.to_string()).collect();
        c.error(
            format!("{field}.{key}"),
            format!("`{key}` does not apply to {}", a(t)),
        )
        .help = Some(format!("it is for: {}", types.join(", ")));
    }
    for key in required(t) {
        if !declared.iter().any(|k| k == key) {
            c.error(field, format!("{} needs `{key}`", a(t)));
        }
    }
    if t == ProviderType::Saml {
        let url = declared.iter().any(|k| k == "metadata_url");
        let file = declared.iter().any(|k| k == "metadata_file");
        if url == file {
            c.error(
                field,
                "a saml provider needs exactly one of `metadata_url` and `metadata_file`",
            );
        }
    }
}

fn check_values(p: &IdentityProvider, field: &str, c: &mut Checks) {
    if let Some(scopes) = &p.authorize_scopes {
        if scopes.is_empty() {
            c.error(
                format!("{field}.authorize_scopes"),
                "give at least one scope",
            );
        }
        for (i, scope) in scopes.iter().enumerate() {
            if scope.is_empty() || scope.contains(|ch: char| ch.is_whitespace() || ch == ',') {
                c.error(
                    format!("{field}.authorize_scopes.{i}"),
                    format!("`{scope}` is not one scope: scopes are listed one per item, without spaces or commas"),
                );
            }
        }
    }
    let urls = [
        &p.oidc_issuer,
        &p.authorize_url,
        &p.token_url,
        &p.attributes_url,
        &p.jwks_uri,
        &p.metadata_url,
    ];
    for (key, value) in URL_KEYS.iter().zip(urls) {
        if let Some(url) = value {
            let rest = url.strip_prefix("https://").unwrap_or_default();
            if rest.is_empty() || rest.starts_with('/') || url.contains(char::is_whitespace) {
                c.error(
                    format!("{field}.{key}"),
                    format!("`{url}` is not an https:// URL: Cognito accepts only HTTPS here"),
                );
            }
        }
    }
    if let Some(algorithm) = &p.request_signing_algorithm {
        if algorithm != "rsa-sha256" {
            c.error(
                format!("{field}.request_signing_algorithm"),
                format!(
                    "`{algorithm}` is not a signing algorithm Cognito offers: use `rsa-sha256`"
                ),
            );
        }
    }
    if let Some(version) = &p.api_version {
        let ok = version.strip_prefix('v').is_some_and(|rest| {
            rest.split_once('.').is_some_and(|(major, minor)| {
                [major, minor]
                    .iter()
                    .all(|n| !n.is_empty() && n.chars().all(|ch| ch.is_ascii_digit()))
            })
        });
        if !ok {
            c.error(
                format!("{field}.api_version"),
                format!("`{version}` is not a Graph API version like `v17.0`"),
            );
        }
    }
}

/// Cognito writes mapped attributes at every federated sign-in, so each must
/// exist in the pool and be mutable.
fn check_mapping(
    p: &IdentityProvider,
    schema: Option<&BTreeMap<String, SchemaAttribute>>,
    field: &str,
    c: &mut Checks,
) {
    for (attribute, claim) in p.attribute_mapping.iter().flatten() {
        let path = format!("{field}.attribute_mapping.{attribute}");
        if claim.is_empty() {
            c.error(&path, "name the provider's attribute to map from");
        }
        if attribute == "username" {
            continue;
        }
        if attribute == "sub" {
            c.error(
                &path,
                "`sub` cannot be mapped: it is the pool's own immutable user id",
            );
            continue;
        }
        let declared = schema.and_then(|s| s.get(attribute));
        if is_custom_attribute(attribute) {
            if schema.is_some() && declared.is_none() {
                c.error(
                    &path,
                    format!("`{attribute}` is not declared in `schema`: map only attributes the pool has"),
                );
            }
        } else if !STANDARD_ATTRIBUTES.contains(&attribute.as_str()) {
            c.error(&path, format!("`{attribute}` is not a user pool attribute"))
                .help = Some(
                "map onto a standard attribute (email, name, ...), a `custom:` attribute, or `username`"
                    .into(),
            );
        }
        if declared.is_some_and(|a| a.mutable == Some(false)) {
            // AWS accepts the mapping; it fails the user's second sign-in.
            c.warn(
                &path,
                format!("`{attribute}` is immutable in `schema`: Cognito updates mapped attributes at every sign-in, so every sign-in after a user's first fails"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check, Checks};
    use crate::spec::diag::Diagnostic;
    use crate::spec::{document, yaml};

    fn run_with(text: &str, from_env: &[&str]) -> Vec<Diagnostic> {
        let root = yaml::parse(text).unwrap();
        let doc = document::read(root.as_mapping().unwrap()).unwrap();
        let mut checks = Checks {
            from_env_vars: from_env.iter().map(|s| s.to_string()).collect(),
            ..Checks::default()
        };
        check(&doc, &mut checks);
        checks.diagnostics
    }

    fn errors(text: &str) -> Vec<String> {
        run_with(text, &["identity_providers.Google.client_secret"])
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {}", d.field.unwrap_or_default(), d.message))
            .collect()
    }

    const OK: &str = "name: shop\nregion: us-east-1\n";

    const GOOGLE: &str = "identity_providers:
  Google:
    type: google
    client_id: id.apps.googleusercontent.com
    client_secret: from-env
    authorize_scopes: [openid, email]
";

    #[test]
    fn the_issue_example_is_valid() {
        let text = format!(
            "{OK}{GOOGLE}    attribute_mapping: {{ email: email, name: name, picture: picture }}
  Corp:
    type: saml
    metadata_url: https://login.example.com/federationmetadata.xml
    attribute_mapping:
      email: http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress
    idp_identifiers: [example.com]
"
        );
        assert_eq!(errors(&text), Vec::<String>::new());
    }

    #[test]
    fn each_type_needs_its_details_and_only_those() {
        let e = errors(&format!(
            "{OK}identity_providers:\n  Google: {{ type: google, client_id: x, oidc_issuer: https://a.example.com }}\n"
        ));
        assert_eq!(
            e,
            [
                "identity_providers.Google.oidc_issuer: `oidc_issuer` does not apply to a google provider",
                "identity_providers.Google: a google provider needs `client_secret`",
                "identity_providers.Google: a google provider needs `authorize_scopes`",
            ]
        );
        let e = errors(&format!(
            "{OK}identity_providers:\n  SignInWithApple: {{ type: apple, client_id: x, team_id: t, authorize_scopes: [email] }}\n"
        ));
        assert_eq!(
            e,
            [
                "identity_providers.SignInWithApple: an apple provider needs `key_id`",
                "identity_providers.SignInWithApple: an apple provider needs `private_key`",
            ]
        );
        let e = errors(&format!(
            "{OK}identity_providers:\n  Corp: {{ type: saml, metadata_url: https://a.example.com/m, metadata_file: m.xml }}\n  Other: {{ type: saml }}\n"
        ));
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e.iter().all(|m| m.contains("exactly one of")), "{e:?}");
        let e = errors(&format!(
            "{OK}identity_providers:\n  Okta: {{ type: oidc, client_id: c, oidc_issuer: https://okta.example.com, authorize_scopes: [openid] }}\n"
        ));
        assert_eq!(
            e,
            ["identity_providers.Okta: an oidc provider needs `attributes_request_method`"]
        );
        let e = errors(&format!(
            "{OK}identity_providers:\n  Okta: {{ client_id: c }}\n"
        ));
        assert_eq!(
            e,
            ["identity_providers.Okta.type: every identity provider needs a `type`"]
        );
    }

    #[test]
    fn names() {
        let e = errors(&format!(
            "{OK}identity_providers:\n  Gmail: {{ type: google, client_id: x, client_secret: y, authorize_scopes: [openid] }}\n"
        ));
        assert!(e[0].contains("must be named `Google`"), "{e:?}");
        for bad in ["ab", "has space", "_lead", "COGNITO", &"x".repeat(33)] {
            let e = errors(&format!(
                "{OK}identity_providers:\n  '{bad}': {{ type: saml, metadata_url: https://a.example.com/m }}\n"
            ));
            assert_eq!(e.len(), 1, "{bad}: {e:?}");
        }
        assert!(errors(&format!(
            "{OK}identity_providers:\n  Corp-SSO.1: {{ type: saml, metadata_url: https://a.example.com/m }}\n"
        ))
        .is_empty());
    }

    #[test]
    fn literal_secrets_are_warnings() {
        let text = format!("{OK}{GOOGLE}");
        let literal: Vec<Diagnostic> = run_with(&text, &[]);
        assert_eq!(literal.len(), 1, "{literal:?}");
        let w = &literal[0];
        assert!(!w.is_error());
        assert_eq!(
            w.field.as_deref(),
            Some("identity_providers.Google.client_secret")
        );
        assert!(!w.message.contains("from-env"), "never repeat the value");
        assert!(
            w.help
                .as_deref()
                .unwrap()
                .contains("${env:GOOGLE_CLIENT_SECRET}"),
            "{:?}",
            w.help
        );
        assert!(run_with(&text, &["identity_providers.Google.client_secret"]).is_empty());
    }

    #[test]
    fn mappings_go_to_mutable_pool_attributes() {
        let text = format!(
            "{OK}schema:\n  custom:tenant: {{ type: string, mutable: false }}\n  custom:plan: {{ type: string }}\n{GOOGLE}    attribute_mapping: {{ username: sub, email: email, custom:plan: plan, custom:tenant: t, custom:nope: n, favourite: f, sub: sub }}\n"
        );
        let e = errors(&text);
        let fields: Vec<&str> = e.iter().map(|m| m.split(':').next().unwrap()).collect();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e.iter()
                .any(|m| m.contains("`custom:nope` is not declared")),
            "{e:?}"
        );
        // AWS accepts a mapping onto an immutable attribute; sign-ins after
        // a user's first fail, so it is a warning.
        let warned = run_with(&text, &["identity_providers.Google.client_secret"])
            .into_iter()
            .any(|d| !d.is_error() && d.message.contains("`custom:tenant` is immutable"));
        assert!(warned);
        assert!(
            e.iter()
                .any(|m| m.contains("`favourite` is not a user pool attribute")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains("`sub` cannot be mapped")),
            "{e:?}"
        );
        assert!(fields
            .iter()
            .all(|f| f.starts_with("identity_providers.Google.attribute_mapping")));
        // Without a declared schema, custom attributes cannot be checked.
        let text = format!("{OK}{GOOGLE}    attribute_mapping: {{ custom:any: a }}\n");
        assert!(errors(&text).is_empty());
    }

    #[test]
    fn values() {
        let e = errors(&format!(
            "{OK}identity_providers:
  Okta:
    type: oidc
    client_id: c
    oidc_issuer: http://okta.example.com
    attributes_request_method: get
    authorize_scopes: ['openid email']
    idp_identifiers: [example.com, 'bad/identifier']
  Corp:
    type: saml
    metadata_url: https://a.example.com/m
    request_signing_algorithm: rsa-sha1
    idp_identifiers: [example.com]
  Facebook:
    type: facebook
    client_id: c
    client_secret: from-env
    authorize_scopes: [email]
    api_version: '17'
"
        ));
        let fields: Vec<&str> = e.iter().map(|m| m.split(": ").next().unwrap()).collect();
        assert_eq!(
            fields,
            [
                "identity_providers.Corp.request_signing_algorithm",
                "identity_providers.Facebook.api_version",
                "identity_providers.Okta.authorize_scopes.0",
                "identity_providers.Okta.oidc_issuer",
                "identity_providers.Okta.idp_identifiers.0",
                "identity_providers.Okta.idp_identifiers.1",
            ],
            "{e:#?}"
        );
        assert!(
            e[4].contains("also an identifier of provider `Corp`"),
            "{e:#?}"
        );
    }
}
