//! A federated identity provider (Google, Facebook, Apple, Amazon, SAML,
//! OIDC): the provider details Cognito needs, with its secrets as `Secret`,
//! and the one table that says how each detail is spelt in AWS's
//! `ProviderDetails` and which of them apply to which type.

use super::enums::{AttributesRequestMethod, ProviderType};
use super::secret::Secret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// Keys mirror `ProviderDetails`; which apply depends on `type`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityProvider {
    /// Required. Fixed: changing it replaces the provider.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub provider_type: Option<ProviderType>,
    /// google, facebook, amazon, apple (the services id), oidc.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// google, facebook, amazon, oidc. Give it through `${env:...}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
    /// A set: order does not matter, and both sides are kept sorted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorize_scopes: Option<Vec<String>>,
    /// facebook: the Graph API version, e.g. `v17.0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// apple.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// apple.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// apple: the PEM private key. Give it through `${env:...}`. AWS never
    /// returns it, so it cannot be compared with what is live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key: Option<Secret>,
    /// oidc.
    #[serde(alias = "issuer", skip_serializing_if = "Option::is_none")]
    pub oidc_issuer: Option<String>,
    /// oidc.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_request_method: Option<AttributesRequestMethod>,
    /// oidc, optional when the issuer publishes discovery.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// saml: where Cognito fetches the IdP's metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_url: Option<String>,
    /// saml: a metadata document on disk, relative to the spec file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_file: Option<MetadataDocument>,
    /// saml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_signout: Option<bool>,
    /// saml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_init: Option<bool>,
    /// saml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encrypted_responses: Option<bool>,
    /// saml, e.g. `rsa-sha256`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_signing_algorithm: Option<String>,
    /// Pool attribute -> provider attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// Email domains or other identifiers that route users to this provider.
    /// A set, kept sorted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_identifiers: Option<Vec<String>>,
}

/// A SAML metadata document. A spec names it by path (`path`); once the spec
/// is resolved, and on the live side, it is its text (`content`). It is
/// compared and shown by size and digest: the XML itself is long and says
/// nothing useful in a plan.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct MetadataDocument {
    pub path: Option<String>,
    pub content: Option<String>,
}

impl MetadataDocument {
    pub fn from_content(content: impl Into<String>) -> Self {
        MetadataDocument {
            path: None,
            content: Some(content.into()),
        }
    }

    /// `4123 bytes, sha256:0123456789abcdef`: what the plan shows and the
    /// differ compares. Surrounding whitespace is not part of the document.
    pub fn summary(&self) -> Option<String> {
        let content = self.content.as_deref()?.trim();
        let digest = hex::encode(Sha256::digest(content.as_bytes()));
        Some(format!("{} bytes, sha256:{}", content.len(), &digest[..16]))
    }
}

impl fmt::Debug for MetadataDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.summary()) {
            (Some(path), Some(summary)) => write!(f, "{path:?} ({summary})"),
            (Some(path), None) => write!(f, "{path:?}"),
            (None, Some(summary)) => f.write_str(&summary),
            (None, None) => f.write_str("(empty)"),
        }
    }
}

impl Serialize for MetadataDocument {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.summary(), &self.path) {
            (Some(summary), _) => serializer.serialize_str(&summary),
            (None, Some(path)) => serializer.serialize_str(path),
            (None, None) => serializer.serialize_none(),
        }
    }
}

impl schemars::JsonSchema for MetadataDocument {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MetadataDocument".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A SAML metadata file, relative to the spec file."
        })
    }
}

impl<'de> Deserialize<'de> for MetadataDocument {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|path| MetadataDocument {
            path: Some(path),
            content: None,
        })
    }
}

/// Where a model key lives in `ProviderDetails`, and for which types.
struct Detail {
    key: &'static str,
    api: &'static str,
    types: &'static [ProviderType],
    /// Sent back on update from live state when the spec does not declare it.
    kept_on_update: bool,
}

use ProviderType::{Amazon, Apple, Facebook, Google, Oidc, Saml};

/// Every provider detail poolctl knows. AWS adds more keys on its own
/// (`authorize_url` for Google, `attributes_url_add_attributes`,
/// `token_request_method`, SAML's `SSORedirectBindingURI` and
/// `ActiveEncryptionCertificate`, ...): they are read-only, so they are
/// neither compared nor ever sent.
const DETAILS: &[Detail] = &[
    Detail {
        key: "client_id",
        api: "client_id",
        types: &[Google, Facebook, Amazon, Apple, Oidc],
        kept_on_update: true,
    },
    Detail {
        key: "client_secret",
        api: "client_secret",
        types: &[Google, Facebook, Amazon, Oidc],
        kept_on_update: true,
    },
    Detail {
        key: "authorize_scopes",
        api: "authorize_scopes",
        types: &[Google, Facebook, Amazon, Apple, Oidc],
        kept_on_update: true,
    },
    Detail {
        key: "api_version",
        api: "api_version",
        types: &[Facebook],
        kept_on_update: true,
    },
    Detail {
        key: "team_id",
        api: "team_id",
        types: &[Apple],
        kept_on_update: true,
    },
    Detail {
        key: "key_id",
        api: "key_id",
        types: &[Apple],
        kept_on_update: true,
    },
    Detail {
        key: "private_key",
        api: "private_key",
        types: &[Apple],
        kept_on_update: true,
    },
    Detail {
        key: "oidc_issuer",
        api: "oidc_issuer",
        types: &[Oidc],
        kept_on_update: true,
    },
    Detail {
        key: "attributes_request_method",
        api: "attributes_request_method",
        types: &[Oidc],
        kept_on_update: true,
    },
    // Cognito discovers these from the issuer and may report what it found:
    // sent back, they would pin today's endpoints. Only a spec that declares
    // them sends them.
    Detail {
        key: "authorize_url",
        api: "authorize_url",
        types: &[Oidc],
        kept_on_update: false,
    },
    Detail {
        key: "token_url",
        api: "token_url",
        types: &[Oidc],
        kept_on_update: false,
    },
    Detail {
        key: "attributes_url",
        api: "attributes_url",
        types: &[Oidc],
        kept_on_update: false,
    },
    Detail {
        key: "jwks_uri",
        api: "jwks_uri",
        types: &[Oidc],
        kept_on_update: false,
    },
    Detail {
        key: "metadata_url",
        api: "MetadataURL",
        types: &[Saml],
        kept_on_update: true,
    },
    Detail {
        key: "metadata_file",
        api: "MetadataFile",
        types: &[Saml],
        kept_on_update: true,
    },
    Detail {
        key: "idp_signout",
        api: "IDPSignout",
        types: &[Saml],
        kept_on_update: true,
    },
    Detail {
        key: "idp_init",
        api: "IDPInit",
        types: &[Saml],
        kept_on_update: true,
    },
    Detail {
        key: "encrypted_responses",
        api: "EncryptedResponses",
        types: &[Saml],
        kept_on_update: true,
    },
    Detail {
        key: "request_signing_algorithm",
        api: "RequestSigningAlgorithm",
        types: &[Saml],
        kept_on_update: true,
    },
];

/// The `ProviderDetails` keys whose values are secrets.
pub const SECRET_DETAILS: &[&str] = &["client_secret", "private_key"];

/// Keys every type takes besides its details.
pub const COMMON_KEYS: &[&str] = &["type", "attribute_mapping", "idp_identifiers"];

/// The spec keys of provider details that apply to `t`.
pub fn detail_keys(t: ProviderType) -> impl Iterator<Item = &'static str> {
    DETAILS
        .iter()
        .filter(move |d| d.types.contains(&t))
        .map(|d| d.key)
}

/// The types a detail key applies to.
pub fn types_of(key: &str) -> Vec<ProviderType> {
    DETAILS
        .iter()
        .find(|d| d.key == key)
        .map(|d| d.types.to_vec())
        .unwrap_or_default()
}

/// Provider details as AWS spells them. Every value is a `Secret`, so the map
/// can be kept, cloned and debug-printed without ever showing a client
/// secret or a private key: AWS returns them in the clear among the rest.
pub type Details = BTreeMap<String, Secret>;

/// The social providers Cognito only accepts under their type's own name.
pub fn required_name(t: ProviderType) -> Option<&'static str> {
    match t {
        Google | Facebook | Apple | Amazon => Some(t.api_name()),
        Saml | Oidc => None,
    }
}

fn bool_text(value: bool) -> String {
    if value { "true" } else { "false" }.to_string()
}

/// Facebook takes its scopes comma-separated, every other type
/// space-separated; both forms are read either way.
fn join_scopes(t: ProviderType, scopes: &[String]) -> String {
    scopes.join(if t == Facebook { "," } else { " " })
}

fn split_scopes(text: &str) -> Vec<String> {
    text.split(|ch: char| ch == ',' || ch.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl IdentityProvider {
    /// Lists that are sets, sorted and de-duplicated on both sides.
    pub fn normalize(&mut self) {
        crate::model::pool::sort_set(&mut self.authorize_scopes);
        crate::model::pool::sort_set(&mut self.idp_identifiers);
    }

    /// The declared provider details in AWS's form.
    pub fn details(&self) -> Details {
        let t = self.provider_type.unwrap_or(Oidc);
        let mut out = Details::new();
        let mut put = |api: &str, value: Option<String>| {
            if let Some(value) = value {
                out.insert(api.to_string(), Secret::new(value));
            }
        };
        put("client_id", self.client_id.clone());
        put(
            "client_secret",
            self.client_secret.as_ref().map(|s| s.expose().to_string()),
        );
        put(
            "authorize_scopes",
            self.authorize_scopes.as_deref().map(|s| join_scopes(t, s)),
        );
        put("api_version", self.api_version.clone());
        put("team_id", self.team_id.clone());
        put("key_id", self.key_id.clone());
        put(
            "private_key",
            self.private_key.as_ref().map(|s| s.expose().to_string()),
        );
        put("oidc_issuer", self.oidc_issuer.clone());
        put(
            "attributes_request_method",
            self.attributes_request_method
                .map(|m| m.api_name().to_string()),
        );
        put("authorize_url", self.authorize_url.clone());
        put("token_url", self.token_url.clone());
        put("attributes_url", self.attributes_url.clone());
        put("jwks_uri", self.jwks_uri.clone());
        put("MetadataURL", self.metadata_url.clone());
        put(
            "MetadataFile",
            self.metadata_file.as_ref().and_then(|m| m.content.clone()),
        );
        put("IDPSignout", self.idp_signout.map(bool_text));
        put("IDPInit", self.idp_init.map(bool_text));
        put(
            "EncryptedResponses",
            self.encrypted_responses.map(bool_text),
        );
        put(
            "RequestSigningAlgorithm",
            self.request_signing_algorithm.clone(),
        );
        out
    }

    /// The model of a provider as AWS describes it. Only the details that
    /// apply to its type are read: what AWS adds for itself is not the
    /// provider's configuration.
    pub fn from_live(
        t: ProviderType,
        details: &Details,
        attribute_mapping: Option<BTreeMap<String, String>>,
        idp_identifiers: Option<Vec<String>>,
    ) -> Self {
        let get = |key: &str| -> Option<String> {
            let detail = DETAILS.iter().find(|d| d.key == key)?;
            if !detail.types.contains(&t) {
                return None;
            }
            details.get(detail.api).map(|v| v.expose().to_string())
        };
        // SAML's switches are "true"/"false" text; absent is AWS's default
        // (the row's, in the providers' table).
        let flag = |key: &str| {
            (t == Saml).then(|| {
                get(key)
                    .map(|v| v.eq_ignore_ascii_case("true"))
                    .unwrap_or_else(|| {
                        super::pool_table::aws_default_in(
                            super::resource_tables::IDENTITY_PROVIDER_SETTINGS,
                            key,
                        )
                    })
            })
        };
        let mut model = IdentityProvider {
            provider_type: Some(t),
            client_id: get("client_id"),
            client_secret: get("client_secret").map(Secret::new),
            authorize_scopes: get("authorize_scopes").map(|s| split_scopes(&s)),
            api_version: get("api_version"),
            team_id: get("team_id"),
            key_id: get("key_id"),
            private_key: get("private_key").map(Secret::new),
            oidc_issuer: get("oidc_issuer"),
            attributes_request_method: get("attributes_request_method")
                .and_then(|m| AttributesRequestMethod::from_api(&m.to_ascii_uppercase())),
            authorize_url: get("authorize_url"),
            token_url: get("token_url"),
            attributes_url: get("attributes_url"),
            jwks_uri: get("jwks_uri"),
            metadata_url: get("metadata_url"),
            metadata_file: get("metadata_file").map(MetadataDocument::from_content),
            idp_signout: flag("idp_signout"),
            idp_init: flag("idp_init"),
            encrypted_responses: flag("encrypted_responses"),
            request_signing_algorithm: get("request_signing_algorithm"),
            attribute_mapping,
            idp_identifiers,
        };
        model.normalize();
        model
    }

    /// What `UpdateIdentityProvider` must be sent: the live details that are
    /// the provider's own configuration (never AWS's read-only additions),
    /// with the declared ones laid over them. Cognito would reset what is
    /// left out.
    pub fn update_details(&self, t: ProviderType, live: &Details) -> Details {
        let mut out: Details = DETAILS
            .iter()
            .filter(|d| d.kept_on_update && d.types.contains(&t))
            .filter_map(|d| live.get(d.api).map(|v| (d.api.to_string(), v.clone())))
            .collect();
        out.extend(self.details());
        // A SAML provider has one source of metadata. AWS reports the
        // document it fetched from a URL as `MetadataFile` too: sending both
        // is refused, and sending the fetched copy would freeze it.
        if t == Saml {
            if self.metadata_file.is_some() {
                out.remove("MetadataURL");
            } else if out.contains_key("MetadataURL") {
                out.remove("MetadataFile");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(pairs: &[(&str, &str)]) -> Details {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Secret::new(*v)))
            .collect()
    }

    fn exposed(d: &Details) -> BTreeMap<String, String> {
        d.iter()
            .map(|(k, v)| (k.clone(), v.expose().to_string()))
            .collect()
    }

    #[test]
    fn google_as_described_reads_without_aws_additions() {
        let live = details(&[
            (
                "attributes_url",
                "https://people.googleapis.com/v1/people/me?personFields=",
            ),
            ("attributes_url_add_attributes", "true"),
            ("authorize_scopes", "email profile openid"),
            (
                "authorize_url",
                "https://accounts.google.com/o/oauth2/v2/auth",
            ),
            ("client_id", "id.apps.googleusercontent.com"),
            ("client_secret", "s3cret"),
            ("oidc_issuer", "https://accounts.google.com"),
            ("token_request_method", "POST"),
            ("token_url", "https://www.googleapis.com/oauth2/v4/token"),
        ]);
        let model = IdentityProvider::from_live(Google, &live, None, None);
        assert_eq!(
            model.oidc_issuer, None,
            "Google's issuer is AWS's, not ours"
        );
        assert_eq!(model.authorize_url, None);
        assert_eq!(
            model.authorize_scopes.as_deref(),
            Some(&["email".to_string(), "openid".into(), "profile".into()][..])
        );
        assert_eq!(model.client_secret, Some(Secret::new("s3cret")));

        let spec = IdentityProvider {
            provider_type: Some(Google),
            authorize_scopes: Some(vec!["openid".into()]),
            ..Default::default()
        };
        let sent = exposed(&spec.update_details(Google, &live));
        assert_eq!(
            sent.keys().map(String::as_str).collect::<Vec<_>>(),
            ["authorize_scopes", "client_id", "client_secret"],
            "read-only keys are never sent"
        );
        assert_eq!(sent["authorize_scopes"], "openid");
        assert_eq!(sent["client_secret"], "s3cret");
    }

    #[test]
    fn facebook_scopes_are_commas_and_read_either_way() {
        let fb = IdentityProvider {
            provider_type: Some(Facebook),
            authorize_scopes: Some(vec!["email".into(), "public_profile".into()]),
            ..Default::default()
        };
        assert_eq!(
            fb.details()["authorize_scopes"].expose(),
            "email,public_profile"
        );
        let model = IdentityProvider::from_live(
            Facebook,
            &details(&[("authorize_scopes", "public_profile, email")]),
            None,
            None,
        );
        assert_eq!(model.authorize_scopes, fb.authorize_scopes);
    }

    #[test]
    fn saml_flags_default_to_false_and_metadata_has_one_source() {
        let live = details(&[
            ("MetadataURL", "https://idp.example.com/metadata"),
            ("MetadataFile", "<EntityDescriptor/>"),
            ("SSORedirectBindingURI", "https://idp.example.com/sso"),
            ("IDPSignout", "true"),
        ]);
        let model = IdentityProvider::from_live(Saml, &live, None, None);
        assert_eq!(model.idp_signout, Some(true));
        assert_eq!(model.idp_init, Some(false));
        assert_eq!(model.client_id, None);

        let by_url = IdentityProvider {
            provider_type: Some(Saml),
            metadata_url: Some("https://idp.example.com/metadata".into()),
            ..Default::default()
        };
        let sent = exposed(&by_url.update_details(Saml, &live));
        assert_eq!(
            sent.keys().map(String::as_str).collect::<Vec<_>>(),
            ["IDPSignout", "MetadataURL"]
        );

        let by_file = IdentityProvider {
            provider_type: Some(Saml),
            metadata_file: Some(MetadataDocument::from_content("<EntityDescriptor x='1'/>")),
            ..Default::default()
        };
        let sent = exposed(&by_file.update_details(Saml, &live));
        assert_eq!(sent["MetadataFile"], "<EntityDescriptor x='1'/>");
        assert!(!sent.contains_key("MetadataURL"));
    }

    #[test]
    fn oidc_endpoints_are_sent_only_when_declared() {
        let live = details(&[
            ("client_id", "c"),
            ("oidc_issuer", "https://issuer.example.com"),
            ("authorize_url", "https://issuer.example.com/authorize"),
            ("attributes_url_add_attributes", "false"),
        ]);
        let spec = IdentityProvider {
            provider_type: Some(Oidc),
            attributes_request_method: Some(AttributesRequestMethod::Post),
            ..Default::default()
        };
        let sent = exposed(&spec.update_details(Oidc, &live));
        assert_eq!(
            sent.keys().map(String::as_str).collect::<Vec<_>>(),
            ["attributes_request_method", "client_id", "oidc_issuer"]
        );
        assert_eq!(sent["attributes_request_method"], "POST");
    }

    #[test]
    fn metadata_shows_as_size_and_digest() {
        let doc = MetadataDocument::from_content("<md/>\n");
        let json = serde_json::to_value(&doc).unwrap();
        assert!(
            json.as_str().unwrap().starts_with("5 bytes, sha256:"),
            "{json}"
        );
        assert_eq!(
            json,
            serde_json::to_value(MetadataDocument::from_content("  <md/>")).unwrap()
        );
        assert_ne!(
            json,
            serde_json::to_value(MetadataDocument::from_content("<md2/>")).unwrap()
        );
    }

    #[test]
    fn details_never_debug_print_their_values() {
        let d = details(&[("client_secret", "hunter2-xyz"), ("private_key", "KEY-abc")]);
        let text = format!("{d:?}");
        assert!(
            !text.contains("hunter2") && !text.contains("KEY-abc"),
            "{text}"
        );
    }
}
