//! An app client: how an application signs users in. Public (no secret) by
//! default; a secret only with an explicit `generate_secret: true`.

use super::duration::Duration;
use super::enums::{ExplicitAuthFlow, OAuthFlow};
use super::pool::sort_set;
use super::triggers::{declared, Slot};
use serde::{Deserialize, Serialize};

/// The user pool itself as an identity provider (its own users).
pub const COGNITO_PROVIDER: &str = "COGNITO";

/// OAuth scopes every pool has; others are `<resource server>/<scope>`.
pub const STANDARD_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

// What Cognito gives a client whose spec does not say (and reports for a
// client created without it) is each setting's row in
// `model::resource_tables::CLIENT_SETTINGS`.

/// One app client. Every list is a set: order and repeats mean nothing to
/// Cognito, so `normalize` sorts them away on both sides of a comparison. An empty list means "none" (for `read_attributes`
/// and `write_attributes`: Cognito's default set).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AppClient {
    /// Fixed when the client is created: changing it replaces the client.
    /// Absent means `false`: a client is public unless the spec says otherwise.
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
    /// The classic hosted UI's CSS and logo for this client
    /// (`SetUICustomization`); its own resource in a plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ui_customization: Option<super::branding::UiCustomization>,
    /// This client's managed login style; its own resource in a plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_login_branding: Option<super::branding::ManagedLoginBranding>,
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
    /// 3m to 15m, whole minutes: how long a sign-in may take between challenges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_session_validity: Option<Duration>,
    /// `true` is AWS's `ENABLED`, `false` its `LEGACY` (the API's default).
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
    /// The client's own threat protection settings, in place of the pool's
    /// (`SetRiskConfiguration` with the client's id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threat_protection: Option<super::threat_protection::ThreatProtection>,
    /// Amazon Pinpoint analytics for this client's sign-ins, managed whole:
    /// what is declared is all there is; `false` removes it; absent, it is
    /// left as it is.
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub analytics_configuration: Option<Slot<AnalyticsConfiguration>>,
    /// Terms of use and privacy policy links (`CreateTerms`/`UpdateTerms`),
    /// per language; see docs/terms.md.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms: Option<super::terms::ClientTerms>,
}

/// Where a client sends its sign-in events (`AnalyticsConfiguration`):
/// either a Pinpoint project by ARN, or an application id with the role and
/// external id Cognito assumes to write to it. Every field is compared: one
/// left out is absent (`null`), as Cognito keeps only what it is sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyticsConfiguration {
    /// The Pinpoint project's application id.
    pub application_id: Option<String>,
    /// The Pinpoint project's ARN (then no role or external id is needed).
    pub application_arn: Option<String>,
    /// The IAM role Cognito assumes to publish to Pinpoint.
    pub role_arn: Option<String>,
    /// The external id the role's trust policy asks for.
    pub external_id: Option<String>,
    /// Whether Cognito includes user data (attributes) in the events.
    /// Absent means `false`.
    pub user_data_shared: Option<bool>,
}

/// Refresh token rotation (`GetTokensFromRefreshToken` hands out a new
/// refresh token each time).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RefreshTokenRotation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// 0s to 60s: how long the old refresh token keeps working.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_grace_period: Option<Duration>,
}

impl AppClient {
    /// The canonical form both desired and live state are compared in: sets
    /// sorted and de-duplicated, and the secret setting explicit (public
    /// unless asked).
    pub fn normalize(&mut self) {
        self.generate_secret.get_or_insert(false);
        sort_set(&mut self.explicit_auth_flows);
        sort_set(&mut self.allowed_oauth_flows);
        sort_set(&mut self.allowed_oauth_scopes);
        sort_set(&mut self.callback_urls);
        sort_set(&mut self.logout_urls);
        sort_set(&mut self.supported_identity_providers);
        sort_set(&mut self.read_attributes);
        sort_set(&mut self.write_attributes);
        if let Some(threat) = &mut self.threat_protection {
            threat.normalize();
        }
        if let Some(Slot::Attached(analytics)) = &mut self.analytics_configuration {
            analytics.user_data_shared.get_or_insert(false);
        }
    }

    pub fn has_secret(&self) -> bool {
        self.generate_secret == Some(true)
    }

    pub fn has_flow(&self, flow: OAuthFlow) -> bool {
        self.allowed_oauth_flows
            .as_ref()
            .is_some_and(|f| f.contains(&flow))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing_makes_order_and_repeats_irrelevant() {
        let mut a = AppClient {
            callback_urls: Some(vec![
                "https://b".into(),
                "https://a".into(),
                "https://b".into(),
            ]),
            explicit_auth_flows: Some(vec![
                ExplicitAuthFlow::RefreshToken,
                ExplicitAuthFlow::UserSrp,
            ]),
            ..AppClient::default()
        };
        let mut b = AppClient {
            callback_urls: Some(vec!["https://a".into(), "https://b".into()]),
            explicit_auth_flows: Some(vec![
                ExplicitAuthFlow::UserSrp,
                ExplicitAuthFlow::RefreshToken,
            ]),
            generate_secret: Some(false),
            ..AppClient::default()
        };
        a.normalize();
        b.normalize();
        assert_eq!(a, b);
        assert!(!a.has_secret());
    }
}
