//! A federated identity provider (Google, Facebook, Apple, Amazon, SAML,
//! OIDC): the provider details Cognito needs, with its secrets as `Secret`.

use super::enums::{AttributesRequestMethod, ProviderType};
use super::secret::Secret;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Keys mirror `ProviderDetails`; which apply depends on `type`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    /// apple: the PEM private key. Give it through `${env:...}`.
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
    pub metadata_file: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_identifiers: Option<Vec<String>>,
}
