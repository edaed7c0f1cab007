//! An app client: how an application signs users in. Public (no secret) by
//! default; a secret only with an explicit `generate_secret: true`.

use super::duration::Duration;
use super::enums::{ExplicitAuthFlow, OAuthFlow};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppClient {
    /// Fixed when the client is created: changing it replaces the client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generate_secret: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicit_auth_flows: Option<Vec<ExplicitAuthFlow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_oauth_flows: Option<Vec<OAuthFlow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_oauth_scopes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_urls: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logout_urls: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_redirect_uri: Option<String>,
    /// `COGNITO` and names of identity providers declared in the spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_identity_providers: Option<Vec<String>>,
    /// 5m to 1d.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_validity: Option<Duration>,
    /// 5m to 1d.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token_validity: Option<Duration>,
    /// 1h to 10y.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_validity: Option<Duration>,
    /// 3m to 15m.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_session_validity: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prevent_user_existence_errors: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_token_revocation: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_propagate_additional_user_context_data: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<RefreshTokenRotation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_attributes: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RefreshTokenRotation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// 0s to 60s: how long the old refresh token keeps working.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_grace_period: Option<Duration>,
}
