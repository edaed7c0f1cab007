//! An Amazon Cognito identity pool a pool's spec may own (`identity_pools:`):
//! AWS credentials for the pool's users (and guests), its login providers,
//! the IAM roles it hands out and how tokens map to them.
//!
//! Identity pools live in the account, not inside the user pool: poolctl
//! manages only those the spec names, and never lists or prunes others.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The principal an identity pool's roles must trust.
pub const COGNITO_IDENTITY_PRINCIPAL: &str = "cognito-identity.amazonaws.com";

/// The action a role's trust policy must allow for an identity pool.
pub const ASSUME_ACTION: &str = "sts:AssumeRoleWithWebIdentity";

/// The provider name of a user pool, as an identity pool names it.
pub fn user_pool_provider_name(region: &str, pool_id: &str) -> String {
    format!("cognito-idp.{region}.amazonaws.com/{pool_id}")
}

/// The key of a user pool client's role mapping: `<provider name>:<client id>`.
pub fn mapping_key(provider_name: &str, client_id: &str) -> String {
    format!("{provider_name}:{client_id}")
}

/// One entry of `identity_pools:`. The map key is poolctl's handle for it
/// (`identity_pool.<key>` in a plan); `name` is its name in AWS.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityPool {
    /// The identity pool's name in AWS (`shop_${env}`); the key when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Pins the live identity pool instead of finding it by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_pool_id: Option<String>,
    /// Guest (unauthenticated) identities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_unauthenticated: Option<bool>,
    /// The basic (classic) flow: `GetOpenIdToken` then STS yourself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_classic_flow: Option<bool>,
    /// User pool app clients whose tokens the identity pool accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cognito_providers: Option<Vec<CognitoProvider>>,
    /// Social login providers: `graph.facebook.com`, `accounts.google.com`,
    /// `appleid.apple.com`, `www.amazon.com`, `api.twitter.com` -> app id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_login_providers: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub openid_connect_provider_arns: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saml_provider_arns: Option<Vec<String>>,
    /// Fixed once set: Cognito cannot change it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub developer_provider_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Roles>,
    /// Per provider: a client of this spec by name (one of
    /// `cognito_providers`), or a provider's own key (`accounts.google.com`,
    /// `cognito-idp.<region>.amazonaws.com/<pool id>:<client id>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_mappings: Option<BTreeMap<String, RoleMapping>>,
    /// Per provider (named as in `role_mappings`; a client of this spec
    /// stands for its user pool): the claims passed as session tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_tags: Option<BTreeMap<String, PrincipalTags>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
}

impl IdentityPool {
    /// Its name in AWS.
    pub fn name_or<'a>(&'a self, key: &'a str) -> &'a str {
        self.name.as_deref().unwrap_or(key)
    }
}

/// A user pool app client an identity pool accepts tokens from: a client of
/// this spec by name, or any pool's client by id and provider name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CognitoProvider {
    /// A key of this spec's `clients:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// Another pool's client: its id ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// ... and its pool's provider name, `cognito-idp.<region>.amazonaws.com/<pool id>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// Cognito checks with the user pool that the token was not revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_side_token_check: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Roles {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unauthenticated: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MappingType {
    /// The token's `cognito:preferred_role` and `cognito:roles` claims (from
    /// the groups' `role_arn`).
    Token,
    /// The first matching rule.
    Rules,
}

impl MappingType {
    pub fn api(self) -> &'static str {
        match self {
            MappingType::Token => "Token",
            MappingType::Rules => "Rules",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AmbiguousRoleResolution {
    Deny,
    AuthenticatedRole,
}

impl AmbiguousRoleResolution {
    pub fn api(self) -> &'static str {
        match self {
            AmbiguousRoleResolution::Deny => "Deny",
            AmbiguousRoleResolution::AuthenticatedRole => "AuthenticatedRole",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    Equals,
    Contains,
    StartsWith,
    NotEqual,
}

impl MatchType {
    pub fn api(self) -> &'static str {
        match self {
            MatchType::Equals => "Equals",
            MatchType::Contains => "Contains",
            MatchType::StartsWith => "StartsWith",
            MatchType::NotEqual => "NotEqual",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RoleMapping {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<MappingType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ambiguous_role_resolution: Option<AmbiguousRoleResolution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<MappingRule>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MappingRule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_type: Option<MatchType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// `SetPrincipalTagAttributeMap` for one provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PrincipalTags {
    /// Cognito's default map (`username: sub`, `client: aud`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_defaults: Option<bool>,
    /// Session tag name -> the token claim it takes its value from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
}

/// `[\w ]+`, 1 to 128 characters: what `IdentityPoolName` accepts.
pub fn is_valid_name(name: &str) -> bool {
    let count = name.chars().count();
    (1..=128).contains(&count)
        && name
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == ' ')
}

/// `REGION:GUID`, as `IdentityPoolId` is (`[\w-]+:[0-9a-f-]+`, at most 55).
pub fn is_valid_id(id: &str) -> bool {
    let Some((region, guid)) = id.split_once(':') else {
        return false;
    };
    id.len() <= 55
        && !region.is_empty()
        && region
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-')
        && !guid.is_empty()
        && guid
            .chars()
            .all(|ch| ch.is_ascii_digit() || ('a'..='f').contains(&ch) || ch == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_follow_the_api_patterns() {
        assert!(is_valid_name("shop_dev"));
        assert!(is_valid_name("Shop dev 2"));
        assert!(!is_valid_name("shop-dev"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name(&"a".repeat(129)));
        assert!(is_valid_id(
            "us-east-1:0f3c1e2a-1b2c-4d5e-8f90-123456789abc"
        ));
        assert!(!is_valid_id("us-east-1_abc"));
        assert!(!is_valid_id("us-east-1:XYZ"));
    }
}
