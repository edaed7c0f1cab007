//! Reading a pool's app clients: `ListUserPoolClients` (paged) names them and
//! `DescribeUserPoolClient`, a few at a time, gives each one's configuration.
//! The client secret Describe returns is dropped the moment it arrives: only
//! whether there is one survives.

use crate::aws::{empty_if_not_found, explain};
use crate::model::client::{AnalyticsConfiguration, AppClient, RefreshTokenRotation};
use crate::model::enums::{ExplicitAuthFlow, OAuthFlow};
use crate::model::triggers::Slot;
use crate::model::Duration;
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types as sdk;
use futures::stream::{StreamExt, TryStreamExt};
use std::collections::BTreeMap;

/// Describes in flight at once: as many as the pacing lets go at once (an
/// idle pool's first second of Cognito's 5 a second, `aws::limiter`); more
/// would only wait.
const DESCRIBE_CONCURRENCY: usize = crate::aws::limiter::PER_POOL_PER_SECOND as usize;

/// A live client.
#[derive(Debug, Clone)]
pub struct LiveClient {
    pub id: String,
    /// Describe's answer, secret removed: updates send it back with the
    /// declared fields overlaid, so what poolctl does not model survives.
    pub raw: sdk::UserPoolClientType,
    pub model: AppClient,
}

/// A pool's live clients. Cognito does not keep client names unique, and a
/// spec names clients by name, so a name two live clients share is kept
/// apart: poolctl cannot tell which one the spec means.
#[derive(Debug, Clone, Default)]
pub struct LiveClients {
    pub by_name: BTreeMap<String, LiveClient>,
    /// Names more than one live client has, with all of them.
    pub shared_names: BTreeMap<String, Vec<LiveClient>>,
    /// (client id, `TermsName`) -> `TermsId`, when terms were read.
    pub terms_ids: BTreeMap<(String, String), String>,
}

impl LiveClients {
    /// Every live client called `name`.
    pub fn named(&self, name: &str) -> Vec<&LiveClient> {
        match self.by_name.get(name) {
            Some(one) => vec![one],
            None => self.shared_names.get(name).into_iter().flatten().collect(),
        }
    }

    /// Every live client's id, by name (a name two clients share maps to
    /// both): what an HTTP API's JWT authorizer needs to know.
    pub fn ids_by_name(&self) -> BTreeMap<String, Vec<String>> {
        let mut ids: BTreeMap<String, Vec<String>> = self
            .by_name
            .iter()
            .map(|(name, client)| (name.clone(), vec![client.id.clone()]))
            .collect();
        for (name, clients) in &self.shared_names {
            ids.insert(name.clone(), clients.iter().map(|c| c.id.clone()).collect());
        }
        ids
    }

    pub fn models(&self) -> BTreeMap<String, AppClient> {
        self.by_name
            .iter()
            .map(|(name, client)| (name.clone(), client.model.clone()))
            .collect()
    }
}

/// The pool's clients; with `with_terms`, each one's terms documents too.
pub async fn read(
    client: &cognito::Client,
    pool_id: &str,
    with_terms: bool,
) -> anyhow::Result<LiveClients> {
    let ids: Vec<String> = list(client, pool_id)
        .await?
        .into_iter()
        .filter_map(|summary| summary.client_id)
        .collect();
    // Paced to Cognito's per-pool quota by the HTTP layer (aws::limiter).
    super::note_paced_read(pool_id, ids.len(), "app clients", "DescribeUserPoolClient");
    let described: Vec<Option<LiveClient>> = futures::stream::iter(ids)
        .map(|id| describe(client, pool_id, id))
        .buffered(DESCRIBE_CONCURRENCY)
        .try_collect()
        .await?;

    let mut grouped: BTreeMap<String, Vec<LiveClient>> = BTreeMap::new();
    for live in described.into_iter().flatten() {
        let name = live.raw.client_name.clone().unwrap_or_default();
        grouped.entry(name).or_default().push(live);
    }
    let mut clients = LiveClients::default();
    for (name, mut group) in grouped {
        if group.len() == 1 {
            clients.by_name.insert(name, group.remove(0));
        } else {
            tracing::warn!(
                pool = pool_id,
                name,
                count = group.len(),
                "live clients share a name"
            );
            clients.shared_names.insert(name, group);
        }
    }
    if with_terms {
        let terms = super::terms::read_pool(client, pool_id).await?;
        super::terms::attach(&mut clients, terms);
    }
    tracing::info!(
        pool = pool_id,
        clients = clients.by_name.len(),
        "read app clients"
    );
    Ok(clients)
}

/// Every client of the pool, by name and id (none when the pool does not
/// exist).
pub async fn list(
    client: &cognito::Client,
    pool_id: &str,
) -> anyhow::Result<Vec<sdk::UserPoolClientDescription>> {
    empty_if_not_found(
        &format!("ListUserPoolClients {pool_id}"),
        client
            .list_user_pool_clients()
            .user_pool_id(pool_id)
            .max_results(60)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await,
    )
}

/// One client; `None` when it went away between the list and the describe.
/// One client as it is now; `None` when it no longer exists.
pub async fn describe(
    client: &cognito::Client,
    pool_id: &str,
    id: String,
) -> anyhow::Result<Option<LiveClient>> {
    let out = match client
        .describe_user_pool_client()
        .user_pool_id(pool_id)
        .client_id(&id)
        .send()
        .await
    {
        Ok(out) => out,
        Err(err) if crate::aws::is_not_found(&err) => return Ok(None),
        Err(err) => return Err(explain(&format!("DescribeUserPoolClient {id}"), err)),
    };
    let Some(mut raw) = out.user_pool_client else {
        return Ok(None);
    };
    let has_secret = raw.client_secret.take().is_some();
    let mut model = to_model(&raw, has_secret);
    model.normalize();
    Ok(Some(LiveClient { id, raw, model }))
}

/// Seconds in one of AWS's token validity units.
pub fn unit_seconds(unit: &sdk::TimeUnitsType) -> Option<u64> {
    match unit {
        sdk::TimeUnitsType::Seconds => Some(1),
        sdk::TimeUnitsType::Minutes => Some(60),
        sdk::TimeUnitsType::Hours => Some(3_600),
        sdk::TimeUnitsType::Days => Some(86_400),
        _ => None,
    }
}

/// A validity as AWS keeps it (a number in a unit, the unit defaulting per
/// token) in seconds; `None` when AWS reports no number.
pub fn validity(
    value: Option<i32>,
    unit: Option<&sdk::TimeUnitsType>,
    default_unit: sdk::TimeUnitsType,
) -> Option<Duration> {
    let value = u64::try_from(value?).ok()?;
    let factor = match unit {
        Some(unit) => unit_seconds(unit).unwrap_or_else(|| {
            tracing::warn!(
                unit = unit.as_str(),
                "unknown token validity unit; read as its default"
            );
            unit_seconds(&default_unit).unwrap_or(1)
        }),
        None => unit_seconds(&default_unit).unwrap_or(1),
    };
    Some(Duration(value * factor))
}

fn strings(list: &Option<Vec<String>>) -> Option<Vec<String>> {
    Some(list.clone().unwrap_or_default())
}

/// AWS's default for a client setting, from its row in the clients' table.
fn default<T: serde::de::DeserializeOwned>(path: &str) -> T {
    crate::model::pool_table::aws_default_in(crate::model::resource_tables::CLIENT_SETTINGS, path)
}

/// Normalizes what AWS reports. What AWS leaves out gets the value AWS
/// documents as its default (its row's `aws_default`), so "absent" and
/// "default" never differ.
pub fn to_model(raw: &sdk::UserPoolClientType, has_secret: bool) -> AppClient {
    let units = raw.token_validity_units.as_ref();
    let oauth_on = raw.allowed_o_auth_flows_user_pool_client == Some(true);
    let explicit_auth_flows = match raw.explicit_auth_flows.as_deref() {
        None | Some([]) => default("explicit_auth_flows"),
        Some(flows) => flows
            .iter()
            .filter_map(|f| {
                let known = ExplicitAuthFlow::from_api(f.as_str());
                if known.is_none() {
                    tracing::warn!(flow = f.as_str(), "a legacy or unknown auth flow is live; a declared `explicit_auth_flows` replaces it");
                }
                known
            })
            .collect(),
    };
    let allowed_oauth_flows = if oauth_on {
        raw.allowed_o_auth_flows
            .iter()
            .flatten()
            .filter_map(|f| OAuthFlow::from_api(f.as_str()))
            .collect()
    } else {
        // Flows Cognito keeps but does not honour are no flows at all.
        Vec::new()
    };
    let rotation = raw.refresh_token_rotation.as_ref();
    AppClient {
        generate_secret: Some(has_secret),
        explicit_auth_flows: Some(explicit_auth_flows),
        allowed_oauth_flows: Some(allowed_oauth_flows),
        allowed_oauth_scopes: strings(&raw.allowed_o_auth_scopes),
        callback_urls: strings(&raw.callback_urls),
        logout_urls: strings(&raw.logout_urls),
        default_redirect_uri: raw.default_redirect_uri.clone(),
        // Read apart, by `live::branding`.
        ui_customization: None,
        managed_login_branding: None,
        supported_identity_providers: strings(&raw.supported_identity_providers),
        access_token_validity: Some(
            validity(
                raw.access_token_validity,
                units.and_then(|u| u.access_token.as_ref()),
                sdk::TimeUnitsType::Hours,
            )
            .unwrap_or_else(|| default("access_token_validity")),
        ),
        id_token_validity: Some(
            validity(
                raw.id_token_validity,
                units.and_then(|u| u.id_token.as_ref()),
                sdk::TimeUnitsType::Hours,
            )
            .unwrap_or_else(|| default("id_token_validity")),
        ),
        // 0 is what the SDK reads when AWS sends nothing; AWS never keeps 0.
        refresh_token_validity: Some(
            validity(
                Some(raw.refresh_token_validity).filter(|v| *v > 0),
                units.and_then(|u| u.refresh_token.as_ref()),
                sdk::TimeUnitsType::Days,
            )
            .unwrap_or_else(|| default("refresh_token_validity")),
        ),
        auth_session_validity: Some(
            raw.auth_session_validity
                .and_then(|m| u64::try_from(m).ok())
                .map(|m| Duration(m * 60))
                .unwrap_or_else(|| default("auth_session_validity")),
        ),
        prevent_user_existence_errors: Some(
            raw.prevent_user_existence_errors
                .as_ref()
                .map(|p| *p == sdk::PreventUserExistenceErrorTypes::Enabled)
                .unwrap_or_else(|| default("prevent_user_existence_errors")),
        ),
        enable_token_revocation: Some(
            raw.enable_token_revocation
                .unwrap_or_else(|| default("enable_token_revocation")),
        ),
        enable_propagate_additional_user_context_data: Some(
            raw.enable_propagate_additional_user_context_data
                .unwrap_or_else(|| default("enable_propagate_additional_user_context_data")),
        ),
        refresh_token_rotation: Some(RefreshTokenRotation {
            enabled: Some(
                rotation
                    .map(|r| r.feature == sdk::FeatureType::Enabled)
                    .unwrap_or_else(|| default("refresh_token_rotation.enabled")),
            ),
            retry_grace_period: Some(
                rotation
                    .and_then(|r| r.retry_grace_period_seconds)
                    .and_then(|s| u64::try_from(s).ok())
                    .map(Duration)
                    .unwrap_or_else(|| default("refresh_token_rotation.retry_grace_period")),
            ),
        }),
        read_attributes: strings(&raw.read_attributes),
        write_attributes: strings(&raw.write_attributes),
        // Read by its own call, only when the spec declares it
        // (`live::threat_protection`).
        threat_protection: None,
        // Read apart (ListTerms), and only when asked: see `live::terms`.
        terms: None,
        analytics_configuration: Some(match &raw.analytics_configuration {
            Some(a) => Slot::Attached(AnalyticsConfiguration {
                application_id: a.application_id.clone(),
                application_arn: a.application_arn.clone(),
                role_arn: a.role_arn.clone(),
                external_id: a.external_id.clone(),
                user_data_shared: Some(a.user_data_shared),
            }),
            None => Slot::Detached,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_means_aws_default() {
        let raw = sdk::UserPoolClientType::builder()
            .client_name("web")
            .build();
        let model = to_model(&raw, false);
        assert_eq!(model.access_token_validity, Some(Duration(3_600)));
        assert_eq!(model.refresh_token_validity, Some(Duration(30 * 86_400)));
        assert_eq!(model.auth_session_validity, Some(Duration(180)));
        assert_eq!(model.prevent_user_existence_errors, Some(false));
        assert_eq!(model.enable_token_revocation, Some(true));
        assert_eq!(model.generate_secret, Some(false));
        assert_eq!(model.read_attributes, Some(vec![]));
        assert_eq!(
            model.explicit_auth_flows.as_deref(),
            Some(
                &[
                    ExplicitAuthFlow::UserSrp,
                    ExplicitAuthFlow::RefreshToken,
                    ExplicitAuthFlow::CustomAuth
                ][..]
            )
        );
    }

    #[test]
    fn ids_by_name_holds_shared_names_with_every_id() {
        let live = |id: &str| LiveClient {
            id: id.into(),
            raw: sdk::UserPoolClientType::builder().build(),
            model: AppClient::default(),
        };
        let clients = LiveClients {
            by_name: BTreeMap::from([("web".to_string(), live("w1"))]),
            shared_names: BTreeMap::from([("app".to_string(), vec![live("a1"), live("a2")])]),
            ..LiveClients::default()
        };
        assert_eq!(
            clients.ids_by_name(),
            BTreeMap::from([
                ("app".to_string(), vec!["a1".to_string(), "a2".to_string()]),
                ("web".to_string(), vec!["w1".to_string()]),
            ])
        );
    }

    #[test]
    fn validities_are_seconds_whatever_the_unit() {
        let raw = sdk::UserPoolClientType::builder()
            .access_token_validity(90)
            .id_token_validity(2)
            .refresh_token_validity(720)
            .token_validity_units(
                sdk::TokenValidityUnitsType::builder()
                    .access_token(sdk::TimeUnitsType::Minutes)
                    .refresh_token(sdk::TimeUnitsType::Hours)
                    .build(),
            )
            .allowed_o_auth_flows(sdk::OAuthFlowType::Code)
            .prevent_user_existence_errors(sdk::PreventUserExistenceErrorTypes::Enabled)
            .build();
        let model = to_model(&raw, true);
        assert_eq!(model.access_token_validity, Some(Duration(90 * 60)));
        // No unit: ID tokens count in hours.
        assert_eq!(model.id_token_validity, Some(Duration(2 * 3_600)));
        assert_eq!(model.refresh_token_validity, Some(Duration(30 * 86_400)));
        assert_eq!(model.prevent_user_existence_errors, Some(true));
        assert_eq!(model.generate_secret, Some(true));
        // Flows without AllowedOAuthFlowsUserPoolClient are not honoured.
        assert_eq!(model.allowed_oauth_flows, Some(vec![]));
    }
}
