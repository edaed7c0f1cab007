//! Writing app clients. `UpdateUserPoolClient` resets every field it is not
//! sent, so an update sends the client's whole live configuration (including
//! what poolctl does not model, such as analytics) with the declared fields
//! laid over it.
//!
//! A replacement (the secret setting changed) creates the new client before
//! deleting the old one: if Cognito refuses the new client, the old one and
//! every app using it keep working and nothing was lost. If the delete then
//! fails, both exist under one name; the error names both ids, and the next
//! plan refuses to guess between them until one is deleted by hand.

use super::ApplyCtx;
use crate::aws::retry::{self, AtMostOnce};
use crate::aws::{deleted, explain};
use crate::live::client::LiveClient;
use crate::model::client::{AnalyticsConfiguration, AppClient, RefreshTokenRotation};
use crate::model::triggers::Slot;
use crate::model::Duration;
use crate::plan::Action;
use crate::plan::Kind;
use aws_sdk_cognitoidentityprovider::types as sdk;

/// Sets every field of a `Config` on a Create or Update request builder
/// (two types with the same setters).
macro_rules! set_config {
    ($request:expr, $config:expr) => {{
        let c = $config;
        let units = c.units();
        $request
            .set_refresh_token_validity(c.refresh.value)
            .set_access_token_validity(c.access.value)
            .set_id_token_validity(c.id.value)
            .set_token_validity_units(units)
            .set_read_attributes(non_empty(c.read_attributes))
            .set_write_attributes(non_empty(c.write_attributes))
            .set_explicit_auth_flows(non_empty(c.explicit_auth_flows))
            .set_supported_identity_providers(non_empty(c.supported_identity_providers))
            .set_callback_urls(non_empty(c.callback_urls))
            .set_logout_urls(non_empty(c.logout_urls))
            .set_default_redirect_uri(c.default_redirect_uri)
            .set_allowed_o_auth_flows(non_empty(c.allowed_oauth_flows))
            .set_allowed_o_auth_scopes(non_empty(c.allowed_oauth_scopes))
            .set_allowed_o_auth_flows_user_pool_client(c.allowed_oauth_flows_user_pool_client)
            .set_analytics_configuration(c.analytics_configuration)
            .set_prevent_user_existence_errors(c.prevent_user_existence_errors)
            .set_enable_token_revocation(c.enable_token_revocation)
            .set_enable_propagate_additional_user_context_data(
                c.enable_propagate_additional_user_context_data,
            )
            .set_auth_session_validity(c.auth_session_validity)
            .set_refresh_token_rotation(c.refresh_token_rotation)
    }};
}

pub async fn run(ctx: &ApplyCtx<'_>, name: &str, action: Action) -> anyhow::Result<()> {
    let desired = ctx
        .desired
        .resources
        .clients
        .as_ref()
        .and_then(|c| c.get(name));
    let live = ctx.live.clients.named(name);
    match (action, desired) {
        (Action::Create, Some(want)) => {
            let id = create(ctx, name, want).await?;
            super::terms::converge(ctx, name, &id, want.terms.as_ref(), None).await?;
        }
        (Action::Update, Some(want)) => {
            let [old] = live[..] else {
                anyhow::bail!(
                    "client {name}: expected one live client, found {}",
                    live.len()
                );
            };
            // Read again right before writing, and write over that.
            let fresh = crate::live::client::describe(
                &ctx.clients.cognito,
                &ctx.pool()?.id,
                old.id.clone(),
            )
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "client {name} ({}) no longer exists; nothing was written to it",
                    old.id
                )
            })?;
            let mut fresh = fresh;
            // Its own threat protection is checked by its own step.
            fresh.model.threat_protection = old.model.threat_protection.clone();
            // Terms are read apart (at plan time): the fresh read has none.
            fresh.model.terms = old.model.terms.clone();
            let mut now = crate::live::client::LiveClients::default();
            now.by_name.insert(name.to_string(), fresh.clone());
            let one = std::collections::BTreeMap::from([(name.to_string(), want.clone())]);
            let change = crate::diff::client::diff(Some(&one), &now, false, &mut Vec::new());
            ctx.still_planned(&Kind::Client.at(name), change.first())?;
            // Terms have calls of their own: the client itself is written
            // only when something else of it changes.
            let client_changes = change
                .first()
                .is_some_and(|c| c.fields.iter().any(|f| !is_terms(&f.path)));
            if client_changes {
                update(ctx, name, want, &fresh).await?;
            }
            super::terms::converge(
                ctx,
                name,
                &fresh.id,
                want.terms.as_ref(),
                old.model.terms.as_ref(),
            )
            .await?;
        }
        (Action::Replace, Some(want)) => {
            let new_id = create(ctx, name, want).await?;
            super::terms::converge(ctx, name, &new_id, want.terms.as_ref(), None).await?;
            ctx.progress.did(format!(
                "create {} ({new_id}) (CreateUserPoolClient)",
                Kind::Client.at(name)
            ));
            for old in live {
                delete(ctx, &old.id).await.map_err(|e| {
                    e.context(format!(
                        "created the new client `{name}` ({new_id}), but the old one ({}) is still there: delete it by hand",
                        old.id
                    ))
                })?;
                ctx.progress.did(format!(
                    "delete the old {} ({}) (DeleteUserPoolClient)",
                    Kind::Client.at(name),
                    old.id
                ));
            }
        }
        (Action::Delete, _) => {
            // Several clients of one name: each delete that went through counts.
            let results = futures::future::join_all(live.iter().map(|old| async move {
                delete(ctx, &old.id).await?;
                ctx.progress.did(format!(
                    "delete {} ({}) (DeleteUserPoolClient)",
                    Kind::Client.at(name),
                    old.id
                ));
                Ok(())
            }))
            .await;
            results.into_iter().collect::<anyhow::Result<Vec<()>>>()?;
        }
        (action, _) => anyhow::bail!("client {name}: nothing to do for {action:?}"),
    }
    Ok(())
}

/// Creates the client; its new id.
async fn create(ctx: &ApplyCtx<'_>, name: &str, want: &AppClient) -> anyhow::Result<String> {
    let config = Config::default().overlaid(&normalized(want), None)?;
    let request = ctx
        .clients
        .cognito
        .create_user_pool_client()
        .user_pool_id(&ctx.pool()?.id)
        .client_name(name)
        .generate_secret(want.has_secret());
    let out = set_config!(request, config)
        .customize()
        .config_override(
            aws_sdk_cognitoidentityprovider::Config::builder().retry_classifier(AtMostOnce),
        )
        .send()
        .await
        .map_err(|e| {
            retry::explain(
                &format!("CreateUserPoolClient {name}"),
                &format!("the client `{name}`"),
                e,
            )
        })?;
    // The answer carries the new secret, if any: only the id is kept.
    let id = out
        .user_pool_client
        .and_then(|c| c.client_id)
        .ok_or_else(|| anyhow::anyhow!("CreateUserPoolClient {name} returned no client id"))?;
    tracing::info!(client = name, id = %id, "created app client");
    Ok(id)
}

async fn update(
    ctx: &ApplyCtx<'_>,
    name: &str,
    want: &AppClient,
    live: &LiveClient,
) -> anyhow::Result<()> {
    let config = Config::from_live(&live.raw).overlaid(&normalized(want), Some(&live.model))?;
    let request = ctx
        .clients
        .cognito
        .update_user_pool_client()
        .user_pool_id(&ctx.pool()?.id)
        .client_id(&live.id)
        .client_name(name);
    set_config!(request, config)
        .send()
        .await
        .map_err(|e| explain(&format!("UpdateUserPoolClient {name} ({})", live.id), e))?;
    Ok(())
}

async fn delete(ctx: &ApplyCtx<'_>, id: &str) -> anyhow::Result<()> {
    let result = ctx
        .clients
        .cognito
        .delete_user_pool_client()
        .user_pool_id(&ctx.pool()?.id)
        .client_id(id)
        .send()
        .await;
    deleted(&format!("DeleteUserPoolClient {id}"), result)
}

/// A field path of the client's terms documents (written by `apply::terms`).
fn is_terms(path: &str) -> bool {
    path == "terms" || path.starts_with("terms.")
}

fn normalized(client: &AppClient) -> AppClient {
    let mut client = client.clone();
    client.normalize();
    client
}

/// Cognito refuses an empty list where it takes a list of URLs, and an
/// empty list means what no list means: send none.
fn non_empty<T>(list: Option<Vec<T>>) -> Option<Vec<T>> {
    list.filter(|l| !l.is_empty())
}

/// A token validity as AWS keeps it: a number in a unit (absent: the
/// token's default unit).
#[derive(Debug, Clone, Default, PartialEq)]
struct Validity {
    value: Option<i32>,
    unit: Option<sdk::TimeUnitsType>,
}

impl Validity {
    /// Sets `want` unless `have` (the live value, in seconds) already says it,
    /// in which case the live number and unit are kept as they are.
    fn set(&mut self, want: Option<Duration>, have: Option<Duration>) -> anyhow::Result<()> {
        if let Some(want) = want {
            if have != Some(want) {
                let (value, unit) = api_validity(want)?;
                self.value = Some(value);
                self.unit = Some(unit);
            }
        }
        Ok(())
    }
}

/// `d` as a number and unit AWS takes: the largest unit that expresses it
/// exactly, so the number stays small (AWS caps it per token type) and the
/// console shows what the spec says.
pub fn api_validity(d: Duration) -> anyhow::Result<(i32, sdk::TimeUnitsType)> {
    let secs = d.seconds();
    let (factor, unit) = [
        (86_400, sdk::TimeUnitsType::Days),
        (3_600, sdk::TimeUnitsType::Hours),
        (60, sdk::TimeUnitsType::Minutes),
    ]
    .into_iter()
    .find(|(factor, _)| secs > 0 && secs.is_multiple_of(*factor))
    .unwrap_or((1, sdk::TimeUnitsType::Seconds));
    let value = i32::try_from(secs / factor)
        .map_err(|_| anyhow::anyhow!("a token validity of {d} is too long for Cognito"))?;
    Ok((value, unit))
}

/// Everything Create/UpdateUserPoolClient take besides the ids, the name and
/// (create only) the secret setting, in the SDK's own types.
#[derive(Debug, Clone, Default, PartialEq)]
struct Config {
    access: Validity,
    id: Validity,
    refresh: Validity,
    read_attributes: Option<Vec<String>>,
    write_attributes: Option<Vec<String>>,
    explicit_auth_flows: Option<Vec<sdk::ExplicitAuthFlowsType>>,
    supported_identity_providers: Option<Vec<String>>,
    callback_urls: Option<Vec<String>>,
    logout_urls: Option<Vec<String>>,
    default_redirect_uri: Option<String>,
    allowed_oauth_flows: Option<Vec<sdk::OAuthFlowType>>,
    allowed_oauth_scopes: Option<Vec<String>>,
    allowed_oauth_flows_user_pool_client: Option<bool>,
    analytics_configuration: Option<sdk::AnalyticsConfigurationType>,
    prevent_user_existence_errors: Option<sdk::PreventUserExistenceErrorTypes>,
    enable_token_revocation: Option<bool>,
    enable_propagate_additional_user_context_data: Option<bool>,
    auth_session_validity: Option<i32>,
    refresh_token_rotation: Option<sdk::RefreshTokenRotationType>,
}

impl Config {
    /// The live client's whole configuration, as Describe reported it.
    fn from_live(raw: &sdk::UserPoolClientType) -> Self {
        let units = raw.token_validity_units.as_ref();
        Config {
            access: Validity {
                value: raw.access_token_validity,
                unit: units.and_then(|u| u.access_token.clone()),
            },
            id: Validity {
                value: raw.id_token_validity,
                unit: units.and_then(|u| u.id_token.clone()),
            },
            refresh: Validity {
                // The SDK reads an absent value as 0, which AWS never keeps.
                value: Some(raw.refresh_token_validity).filter(|v| *v > 0),
                unit: units.and_then(|u| u.refresh_token.clone()),
            },
            read_attributes: raw.read_attributes.clone(),
            write_attributes: raw.write_attributes.clone(),
            explicit_auth_flows: raw.explicit_auth_flows.clone(),
            supported_identity_providers: raw.supported_identity_providers.clone(),
            callback_urls: raw.callback_urls.clone(),
            logout_urls: raw.logout_urls.clone(),
            default_redirect_uri: raw.default_redirect_uri.clone(),
            allowed_oauth_flows: raw.allowed_o_auth_flows.clone(),
            allowed_oauth_scopes: raw.allowed_o_auth_scopes.clone(),
            allowed_oauth_flows_user_pool_client: raw.allowed_o_auth_flows_user_pool_client,
            analytics_configuration: raw.analytics_configuration.clone(),
            prevent_user_existence_errors: raw.prevent_user_existence_errors.clone(),
            enable_token_revocation: raw.enable_token_revocation,
            enable_propagate_additional_user_context_data: raw
                .enable_propagate_additional_user_context_data,
            auth_session_validity: raw.auth_session_validity,
            refresh_token_rotation: raw.refresh_token_rotation.clone(),
        }
    }

    /// This configuration with every field `want` declares laid over it.
    /// `have` is the live model, when there is a live client.
    fn overlaid(mut self, want: &AppClient, have: Option<&AppClient>) -> anyhow::Result<Self> {
        self.access.set(
            want.access_token_validity,
            have.and_then(|h| h.access_token_validity),
        )?;
        self.id.set(
            want.id_token_validity,
            have.and_then(|h| h.id_token_validity),
        )?;
        self.refresh.set(
            want.refresh_token_validity,
            have.and_then(|h| h.refresh_token_validity),
        )?;
        let strings = |list: &Option<Vec<String>>, current: &mut Option<Vec<String>>| {
            if let Some(list) = list {
                *current = Some(list.clone());
            }
        };
        strings(&want.read_attributes, &mut self.read_attributes);
        strings(&want.write_attributes, &mut self.write_attributes);
        strings(
            &want.supported_identity_providers,
            &mut self.supported_identity_providers,
        );
        strings(&want.callback_urls, &mut self.callback_urls);
        strings(&want.logout_urls, &mut self.logout_urls);
        strings(&want.allowed_oauth_scopes, &mut self.allowed_oauth_scopes);
        if let Some(flows) = &want.explicit_auth_flows {
            self.explicit_auth_flows = Some(
                flows
                    .iter()
                    .map(|f| sdk::ExplicitAuthFlowsType::from(f.api_name()))
                    .collect(),
            );
        }
        if let Some(flows) = &want.allowed_oauth_flows {
            self.allowed_oauth_flows = Some(
                flows
                    .iter()
                    .map(|f| sdk::OAuthFlowType::from(f.api_name()))
                    .collect(),
            );
            // Cognito honours OAuth flows only with this switch on.
            self.allowed_oauth_flows_user_pool_client = Some(!flows.is_empty());
        }
        if let Some(uri) = &want.default_redirect_uri {
            self.default_redirect_uri = Some(uri.clone());
        }
        if let Some(prevent) = want.prevent_user_existence_errors {
            self.prevent_user_existence_errors = Some(if prevent {
                sdk::PreventUserExistenceErrorTypes::Enabled
            } else {
                sdk::PreventUserExistenceErrorTypes::Legacy
            });
        }
        if let Some(on) = want.enable_token_revocation {
            self.enable_token_revocation = Some(on);
        }
        if let Some(on) = want.enable_propagate_additional_user_context_data {
            self.enable_propagate_additional_user_context_data = Some(on);
        }
        if let Some(session) = want.auth_session_validity {
            self.auth_session_validity = Some(
                i32::try_from(session.seconds() / 60)
                    .map_err(|_| anyhow::anyhow!("auth session validity {session} is too long"))?,
            );
        }
        match &want.analytics_configuration {
            Some(Slot::Attached(analytics)) => {
                self.analytics_configuration = Some(analytics_of(analytics));
            }
            Some(Slot::Detached) => self.analytics_configuration = None,
            None => {}
        }
        if let Some(rotation) = &want.refresh_token_rotation {
            self.refresh_token_rotation =
                Some(rotation_of(rotation, self.refresh_token_rotation.as_ref())?);
        }
        Ok(self)
    }

    /// The units to send: each token that has a number gets its unit, spelt
    /// out even when it is the default so nothing depends on AWS's defaults.
    fn units(&self) -> Option<sdk::TokenValidityUnitsType> {
        let unit = |v: &Validity, default: sdk::TimeUnitsType| {
            v.value.map(|_| v.unit.clone().unwrap_or(default))
        };
        let access = unit(&self.access, sdk::TimeUnitsType::Hours);
        let id = unit(&self.id, sdk::TimeUnitsType::Hours);
        let refresh = unit(&self.refresh, sdk::TimeUnitsType::Days);
        if access.is_none() && id.is_none() && refresh.is_none() {
            return None;
        }
        Some(
            sdk::TokenValidityUnitsType::builder()
                .set_access_token(access)
                .set_id_token(id)
                .set_refresh_token(refresh)
                .build(),
        )
    }
}

/// The declared analytics configuration, whole: Cognito keeps only what
/// it is sent.
fn analytics_of(want: &AnalyticsConfiguration) -> sdk::AnalyticsConfigurationType {
    sdk::AnalyticsConfigurationType::builder()
        .set_application_id(want.application_id.clone())
        .set_application_arn(want.application_arn.clone())
        .set_role_arn(want.role_arn.clone())
        .set_external_id(want.external_id.clone())
        .user_data_shared(want.user_data_shared.unwrap_or(false))
        .build()
}

/// The declared rotation settings over the live ones.
fn rotation_of(
    want: &RefreshTokenRotation,
    live: Option<&sdk::RefreshTokenRotationType>,
) -> anyhow::Result<sdk::RefreshTokenRotationType> {
    let feature = match want.enabled {
        Some(true) => sdk::FeatureType::Enabled,
        Some(false) => sdk::FeatureType::Disabled,
        None => live
            .map(|l| l.feature.clone())
            .unwrap_or(sdk::FeatureType::Disabled),
    };
    let grace = match want.retry_grace_period {
        Some(d) => Some(i32::try_from(d.seconds())?),
        None => live.and_then(|l| l.retry_grace_period_seconds),
    };
    Ok(sdk::RefreshTokenRotationType::builder()
        .feature(feature)
        .set_retry_grace_period_seconds(grace)
        .build()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(yaml: &str) -> AppClient {
        let node = marked_yaml::parse_yaml(0, yaml).unwrap();
        normalized(&marked_yaml::from_node(&node).unwrap())
    }

    #[test]
    fn validities_go_in_the_largest_exact_unit() {
        for (text, value, unit) in [
            ("1h", 1, sdk::TimeUnitsType::Hours),
            ("90m", 90, sdk::TimeUnitsType::Minutes),
            ("30d", 30, sdk::TimeUnitsType::Days),
            ("10y", 3_650, sdk::TimeUnitsType::Days),
            ("1d", 1, sdk::TimeUnitsType::Days),
            ("301s", 301, sdk::TimeUnitsType::Seconds),
            ("5m", 5, sdk::TimeUnitsType::Minutes),
        ] {
            assert_eq!(
                api_validity(Duration::parse(text).unwrap()).unwrap(),
                (value, unit),
                "{text}"
            );
        }
    }

    #[test]
    fn an_update_keeps_what_the_spec_does_not_declare() {
        let raw = sdk::UserPoolClientType::builder()
            .client_name("web")
            .access_token_validity(60)
            .id_token_validity(60)
            .refresh_token_validity(30)
            .token_validity_units(
                sdk::TokenValidityUnitsType::builder()
                    .access_token(sdk::TimeUnitsType::Minutes)
                    .id_token(sdk::TimeUnitsType::Minutes)
                    .refresh_token(sdk::TimeUnitsType::Days)
                    .build(),
            )
            .callback_urls("https://a.example.com")
            .allowed_o_auth_flows(sdk::OAuthFlowType::Code)
            .allowed_o_auth_flows_user_pool_client(true)
            .analytics_configuration(
                sdk::AnalyticsConfigurationType::builder()
                    .application_id("abc")
                    .build(),
            )
            .enable_token_revocation(false)
            .build();
        let live_model = crate::live::client::to_model(&raw, false);
        let want = client("access_token_validity: 1h\nid_token_validity: 2h\nlogout_urls: ['https://a.example.com/bye']\n");
        let config = Config::from_live(&raw)
            .overlaid(&want, Some(&live_model))
            .unwrap();
        // Unchanged in value: the live number and unit stay.
        assert_eq!(
            config.access,
            Validity {
                value: Some(60),
                unit: Some(sdk::TimeUnitsType::Minutes)
            }
        );
        assert_eq!(
            config.id,
            Validity {
                value: Some(2),
                unit: Some(sdk::TimeUnitsType::Hours)
            }
        );
        assert_eq!(
            config.callback_urls.as_deref(),
            Some(&["https://a.example.com".to_string()][..])
        );
        assert_eq!(
            config.logout_urls.as_deref(),
            Some(&["https://a.example.com/bye".to_string()][..])
        );
        assert_eq!(config.allowed_oauth_flows_user_pool_client, Some(true));
        assert_eq!(config.enable_token_revocation, Some(false));
        assert!(config.analytics_configuration.is_some());
    }

    #[test]
    fn a_new_client_sends_only_what_is_declared() {
        let want = client("allowed_oauth_flows: [code]\nallowed_oauth_scopes: [openid]\nrefresh_token_validity: 90d\nprevent_user_existence_errors: false\nrefresh_token_rotation: { enabled: true }\n");
        let config = Config::default().overlaid(&want, None).unwrap();
        assert_eq!(config.allowed_oauth_flows_user_pool_client, Some(true));
        assert_eq!(
            config.prevent_user_existence_errors,
            Some(sdk::PreventUserExistenceErrorTypes::Legacy)
        );
        assert_eq!(config.access, Validity::default());
        let units = config.units().unwrap();
        assert_eq!(units.refresh_token, Some(sdk::TimeUnitsType::Days));
        assert_eq!(units.access_token, None, "no number, no unit");
        assert_eq!(
            config.refresh_token_rotation.unwrap().feature,
            sdk::FeatureType::Enabled
        );
        assert!(config.callback_urls.is_none());
        assert!(Config::default().units().is_none());
    }

    #[test]
    fn oauth_turned_off_says_so() {
        let want = client("allowed_oauth_flows: []\n");
        let config = Config::default().overlaid(&want, None).unwrap();
        assert_eq!(config.allowed_oauth_flows_user_pool_client, Some(false));
        assert_eq!(non_empty(config.allowed_oauth_flows), None);
    }

    /// A client naming a provider and a resource-server scope is written
    /// after them; client deletions come before other deletions (a provider
    /// cannot go while a client names it).
    #[test]
    fn clients_come_after_what_they_name_and_go_first() {
        use crate::apply::{steps, Step};
        use crate::plan::{PoolPlan, ResourceChange};
        let change = |address: &str, action| ResourceChange {
            address: address.parse().expect("a known kind"),
            action,
            fields: Vec::new(),
            reasons: Vec::new(),
        };
        let plan = PoolPlan {
            pool: "shop".into(),
            environment: "dev".into(),
            file: "pools/shop.yaml".into(),
            region: "us-east-1".into(),
            pool_name: "shop-dev".into(),
            pool_id: None,
            changes: vec![
                change("client.web", Action::Create),
                change("client.api", Action::Replace),
                change("client.old", Action::Delete),
                change("identity_provider.Corp", Action::Delete),
                change("identity_provider.Google", Action::Create),
                change("resource_server.shop-api", Action::Update),
                change("client.by-hand", Action::Unmanaged),
                change("user_pool", Action::Create),
            ],
            warnings: Vec::new(),
        };
        let resource = |kind: &str, name: &str, action| Step::Resource {
            kind: kind.parse().expect("a known kind"),
            name: name.into(),
            action,
        };
        assert_eq!(
            steps(&plan),
            [
                Step::CreatePool,
                resource("identity_provider", "Google", Action::Create),
                resource("resource_server", "shop-api", Action::Update),
                resource("client", "web", Action::Create),
                resource("client", "api", Action::Replace),
                resource("client", "old", Action::Delete),
                resource("identity_provider", "Corp", Action::Delete),
            ]
        );
    }
}
