//! Live state: finding each desired pool in AWS and reading everything poolctl
//! manages about it, concurrently and without reading anything twice.

pub mod authorizer;
pub mod branding;
pub mod client;
pub mod client_secrets;
pub mod domain;
pub mod group;
pub mod http_authorizer;
pub mod identity_pool;
pub mod identity_provider;
pub mod import;
pub mod lambda_permission;
pub mod log_delivery;
pub mod pool;
pub mod replica;
pub mod resource_server;
pub mod terms;
pub mod threat_protection;
pub mod users;

use crate::aws::{explain, PerTarget, Session, Target};
use crate::desired::DesiredPool;
use crate::plan::Kind;
pub use pool::LivePool;
use std::collections::BTreeMap;

/// Everything live about one desired pool. `pool` is `None` when it does not
/// exist yet (and then every resource map is empty). A resource kind the spec
/// does not declare is not read.
#[derive(Debug, Clone, Default)]
pub struct LiveState {
    pub pool: Option<LivePool>,
    pub groups: BTreeMap<String, crate::model::group::Group>,
    pub resource_servers: BTreeMap<String, crate::model::resource_server::ResourceServer>,
    /// The pool's domain, read only when the spec declares one.
    pub domain: Option<domain::LiveDomain>,
    /// Another pool holding the declared domain's name, read only when this
    /// pool does not have that name live.
    pub domain_holder: Option<domain::DomainHolder>,
    pub identity_providers: BTreeMap<String, identity_provider::LiveIdentityProvider>,
    /// The resource policy of every function a declared trigger names (in the
    /// spec or live), by function ARN. Read for a pool not created yet too,
    /// to tell whether the functions exist.
    pub function_policies: BTreeMap<String, crate::model::lambda_permission::FunctionPolicy>,
    pub clients: client::LiveClients,
    /// The hosted UI branding the spec declares, as it is live.
    pub branding: branding::LiveBranding,
    /// The spec's authorizer and its REST API; read even when the pool does
    /// not exist yet, because the REST API is not the pool's.
    pub authorizer: Option<authorizer::AuthorizerState>,
    /// The same for an HTTP API's JWT authorizer (`http_api`).
    pub http_authorizer: Option<http_authorizer::HttpAuthorizerState>,
    /// The spec's identity pools and the roles they name; read only when
    /// the spec declares `identity_pools`, even before the pool exists.
    pub identity_pools: Option<identity_pool::IdentityPoolState>,
    /// Multi-Region replicas by region, read only when the spec declares
    /// `replicas`.
    pub replicas: BTreeMap<String, replica::LiveReplica>,
}

impl LiveState {
    /// A digest of every live resource read, by address: what a saved plan
    /// records to tell later whether live state moved since it was made.
    /// Keyed by string: some keys (`lambda_policy.<arn>`, `iam_role.<arn>`)
    /// are things read, not plan resources.
    pub fn fingerprints(&self) -> BTreeMap<String, String> {
        fn digest<T: serde::Serialize>(value: &T) -> String {
            use sha2::{Digest, Sha256};
            let json = serde_json::to_vec(value).expect("models serialize");
            format!("sha256:{}", hex::encode(Sha256::digest(json)))
        }
        let mut out = BTreeMap::new();
        if let Some(pool) = &self.pool {
            out.insert(Kind::UserPool.to_string(), digest(&pool.settings));
        }
        for (name, group) in &self.groups {
            out.insert(Kind::Group.at(name).to_string(), digest(group));
        }
        for (name, server) in &self.resource_servers {
            out.insert(Kind::ResourceServer.at(name).to_string(), digest(server));
        }
        for (region, replica) in &self.replicas {
            out.insert(Kind::Replica.at(region).to_string(), digest(replica));
        }
        if let Some(domain) = &self.domain {
            out.insert(Kind::Domain.to_string(), digest(&domain.settings));
        }
        for (arn, policy) in &self.function_policies {
            out.insert(format!("lambda_policy.{arn}"), digest(policy));
        }
        for (name, provider) in &self.identity_providers {
            out.insert(
                Kind::IdentityProvider.at(name).to_string(),
                digest(&provider.model),
            );
        }
        for (name, client) in &self.clients.by_name {
            out.insert(
                Kind::Client.at(name).to_string(),
                digest(&(&client.id, &client.model)),
            );
        }
        for (name, clients) in &self.clients.shared_names {
            let ids: Vec<&String> = clients.iter().map(|c| &c.id).collect();
            out.insert(Kind::Client.at(name).to_string(), digest(&ids));
        }
        // The API Gateway states are plain vectors and ordered maps (keyed by
        // route, which JSON cannot key by), so their Debug form is stable.
        let debug_digest = |value: &dyn std::fmt::Debug| {
            use sha2::{Digest, Sha256};
            format!(
                "sha256:{}",
                hex::encode(Sha256::digest(format!("{value:?}")))
            )
        };
        if let Some(state) = &self.authorizer {
            out.insert("authorizer".to_string(), debug_digest(state));
        }
        if let Some(state) = &self.http_authorizer {
            out.insert("http_authorizer".to_string(), debug_digest(state));
        }
        let b = &self.branding;
        if let Some(ui) = &b.pool {
            out.insert(Kind::UiCustomization.to_string(), digest(ui));
        }
        for (name, ui) in &b.clients {
            out.insert(Kind::UiCustomization.at(name).to_string(), digest(ui));
        }
        for (name, style) in &b.styles {
            out.insert(
                Kind::ManagedLoginBranding.at(name).to_string(),
                digest(&(&style.id, &style.model)),
            );
        }
        if let Some(state) = &self.identity_pools {
            for (key, pool) in &state.pools {
                out.insert(Kind::IdentityPool.at(key).to_string(), digest(pool));
            }
            for (arn, trust) in &state.roles {
                out.insert(format!("iam_role.{arn}"), digest(trust));
            }
        }
        out
    }
}

/// Says on stderr, before a read of many resources of one pool, why it
/// takes as long as it does (the per-pool cap on one operation): a user
/// waiting a minute for 300 app clients should know it is not a hang.
pub(crate) fn note_paced_read(pool_id: &str, count: usize, what: &str, operation: &str) {
    let per_second = crate::aws::limiter::PER_POOL_PER_SECOND;
    // Under two seconds nobody wonders.
    if count > 2 * per_second as usize {
        anstream::eprintln!(
            "{}",
            crate::render::human::paced_read(pool_id, count, what, operation, per_second)
        );
    }
}

/// Why a pool could not be identified; the caller cannot plan it.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error(
        "{} live pools in {region} are named `{name}`: {}; poolctl will not guess; pin one with `pool_id` in the `{environment}` block of {file}",
        ids.len(),
        ids.join(", "),
        file = file.display()
    )]
    Ambiguous {
        name: String,
        region: String,
        environment: String,
        file: std::path::PathBuf,
        ids: Vec<String>,
    },
    #[error("pool `{id}`, pinned by `pool_id` in the `{environment}` block of {file}, does not exist in {region}", file = file.display())]
    PinnedMissing {
        id: String,
        region: String,
        environment: String,
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Clone)]
struct PoolSummary {
    id: String,
    name: String,
}

/// Reads live state for many pools at once; one `ListUserPools` walk per
/// account and region, shared by every pool in it.
pub struct LiveReader<'a> {
    session: &'a Session,
    listings: PerTarget<Vec<PoolSummary>>,
    rest_apis: PerTarget<Vec<authorizer::ApiRef>>,
    http_apis: PerTarget<Vec<authorizer::ApiRef>>,
    identity_pools: PerTarget<Vec<identity_pool::IdentityPoolRef>>,
}

impl<'a> LiveReader<'a> {
    pub fn new(session: &'a Session) -> Self {
        LiveReader {
            session,
            listings: PerTarget::default(),
            rest_apis: PerTarget::default(),
            http_apis: PerTarget::default(),
            identity_pools: PerTarget::default(),
        }
    }

    pub async fn read(&self, desired: &DesiredPool) -> anyhow::Result<LiveState> {
        let target = target_of(desired);
        let clients = self.session.clients(&target).await;
        let resources = &desired.resources;
        // What lives outside the pool (the API Gateway authorizers, the
        // triggers' functions) is read even when the pool does not exist yet.
        let read_authorizer = || async {
            match &resources.authorizer {
                Some(spec) if !spec.is_http() => {
                    let listing = self.rest_apis(&target).await?;
                    let state =
                        authorizer::read(&clients.apigateway, &listing, desired, spec).await?;
                    anyhow::Ok(Some(state))
                }
                _ => Ok(None),
            }
        };
        let read_http_authorizer = || async {
            match resources
                .authorizer
                .as_ref()
                .and_then(|a| a.http_api.as_ref())
            {
                Some(api) => {
                    let listing = self.http_apis(&target).await?;
                    let state =
                        http_authorizer::read(&clients.apigatewayv2, &listing, desired, api)
                            .await?;
                    anyhow::Ok(Some(state))
                }
                None => Ok(None),
            }
        };
        // The functions the spec's triggers name; those the live pool's
        // triggers name are known only once it is described (below).
        let triggers = desired.settings.triggers.as_ref();
        let wanted = triggers
            .map(|t| lambda_permission::functions_named(t, None))
            .unwrap_or_default();
        let id = match &desired.pool_id {
            Some(id) => Some(id.clone()),
            None => self.find_by_name(&target, desired).await?,
        };
        let holder_client = &clients.cognito;
        let declared_domain = resources.domain.as_ref();
        let read_holder =
            move |own_pool: Option<String>, own_domain: Option<crate::model::domain::Domain>| async move {
                match declared_domain {
                    Some(declared) => {
                        domain::holder(
                            holder_client,
                            declared,
                            own_pool.as_deref(),
                            own_domain.as_ref(),
                        )
                        .await
                    }
                    None => Ok(None),
                }
            };
        let Some(id) = id else {
            let (authorizer, http_authorizer, function_policies, domain_holder) = tokio::try_join!(
                read_authorizer(),
                read_http_authorizer(),
                lambda_permission::read(self.session, &target, wanted),
                read_holder(None, None),
            )?;
            let identity_pools = self.read_identity_pools(&target, desired, None).await?;
            return Ok(LiveState {
                authorizer,
                http_authorizer,
                function_policies,
                domain_holder,
                identity_pools,
                ..LiveState::default()
            });
        };
        // The pool and every declared kind at once: none depends on another.
        let cognito = &clients.cognito;
        let (
            live,
            groups,
            resource_servers,
            identity_providers,
            mut function_policies,
            app_clients,
            mut authorizer,
            mut http_authorizer,
            replicas,
        ) = tokio::try_join!(
            // The domain's name is in the pool's description: read it right after.
            async {
                let mut live = pool::describe(cognito, &id).await?;
                if let Some(live) = &mut live {
                    read_declared_extras(cognito, desired, live).await?;
                }
                let domain = match (&live, &resources.domain) {
                    (Some(live), Some(declared)) => domain::read(cognito, live, declared).await?,
                    _ => None,
                };
                let holder = read_holder(
                    live.as_ref().map(|l| l.id.clone()),
                    domain.as_ref().map(|d| d.settings.clone()),
                )
                .await?;
                anyhow::Ok(live.map(|live| (live, domain, holder)))
            },
            when_declared(&resources.groups, |_| group::read(cognito, &id)),
            when_declared(&resources.resource_servers, |_| resource_server::read(
                cognito, &id
            )),
            when_declared(&resources.identity_providers, |declared| {
                identity_provider::read(cognito, &id, declared)
            }),
            lambda_permission::read(self.session, &target, wanted),
            async {
                match &resources.clients {
                    Some(declared) => {
                        let with_terms = declared.values().any(|c| c.terms.is_some());
                        client::read(cognito, &id, with_terms).await
                    }
                    None => Ok(client::LiveClients::default()),
                }
            },
            read_authorizer(),
            async {
                let Some(mut state) = read_http_authorizer().await? else {
                    return Ok(None);
                };
                // Declared clients are read in full alongside; their ids are
                // taken from that read (below) rather than listed twice.
                if resources.clients.is_none() {
                    state.clients = http_authorizer::client_ids(cognito, &id).await?;
                }
                anyhow::Ok(Some(state))
            },
            when_declared(&resources.replicas, |declared| {
                let (id, target) = (&id, &target);
                async move {
                    let mut live = replica::read(cognito, id).await?;
                    // Tags only where the spec declares some for that replica.
                    let tagged =
                        |region: &str| declared.get(region).is_some_and(|r| r.tags.is_some());
                    replica::add_tags(self.session, target, &mut live, tagged).await?;
                    Ok(live)
                }
            }),
        )?;
        let Some((live, domain, domain_holder)) = live else {
            if desired.pool_id.is_some() {
                return Err(LookupError::PinnedMissing {
                    id,
                    region: target.region,
                    environment: desired.environment.clone(),
                    file: desired.file.clone(),
                }
                .into());
            }
            if let Some(state) = &mut http_authorizer {
                state.clients.clear();
            }
            let identity_pools = self.read_identity_pools(&target, desired, None).await?;
            return Ok(LiveState {
                function_policies,
                authorizer,
                http_authorizer,
                identity_pools,
                ..LiveState::default()
            });
        };
        let mut app_clients = app_clients;
        read_client_threat_protection(cognito, &live.id, resources, &mut app_clients).await?;
        if let (Some(state), Some(_)) = (&mut http_authorizer, &resources.clients) {
            state.clients = app_clients.ids_by_name();
        }
        if let Some(triggers) = triggers {
            let live_triggers = live.settings.triggers.as_ref();
            let more: std::collections::BTreeSet<String> =
                lambda_permission::functions_named(triggers, live_triggers)
                    .into_iter()
                    .filter(|arn| !function_policies.contains_key(arn))
                    .collect();
            if !more.is_empty() {
                function_policies
                    .extend(lambda_permission::read(self.session, &target, more).await?);
            }
        }
        // Only with the pool's ARN can an authorizer be recognized as its own.
        if let (Some(state), Some(spec)) = (&mut authorizer, &resources.authorizer) {
            let listing = self.rest_apis(&target).await?;
            authorizer::look_elsewhere(
                &clients.apigateway,
                &listing,
                state,
                spec.name(),
                &live.arn,
            )
            .await?;
        }
        let own_provider =
            crate::model::identity_pool::user_pool_provider_name(&desired.region, &live.id);
        let identity_pools = self
            .read_identity_pools(&target, desired, Some(&own_provider))
            .await?;
        let ids = app_clients
            .by_name
            .iter()
            .map(|(name, c)| (name.clone(), c.id.clone()))
            .collect();
        let branding = branding::read(cognito, &live.id, desired, &ids).await?;
        Ok(LiveState {
            branding,
            identity_pools,
            pool: Some(live),
            groups,
            resource_servers,
            domain,
            domain_holder,
            identity_providers,
            function_policies,
            clients: app_clients,
            authorizer,
            http_authorizer,
            replicas,
        })
    }

    /// The spec's identity pools (listed once per run and region) and their
    /// roles' trust policies.
    async fn read_identity_pools(
        &self,
        target: &Target,
        desired: &DesiredPool,
        own_provider: Option<&str>,
    ) -> anyhow::Result<Option<identity_pool::IdentityPoolState>> {
        let Some(declared) = &desired.resources.identity_pools else {
            return Ok(None);
        };
        let clients = self.session.clients(target).await;
        let listing = self
            .identity_pools
            .get_or_try_init(target, || async {
                let pools = identity_pool::list(&clients.identity)
                    .await
                    .map_err(|e| e.context(format!("listing identity pools in {target}")))?;
                tracing::info!(target = %target, pools = pools.len(), "listed identity pools");
                anyhow::Ok(pools)
            })
            .await?;
        let state = identity_pool::read(
            &clients.identity,
            &clients.iam,
            &listing,
            desired,
            declared,
            own_provider,
        )
        .await?;
        Ok(Some(state))
    }

    /// The region's HTTP APIs, listed once per run and shared by every pool.
    async fn http_apis(&self, target: &Target) -> anyhow::Result<Vec<authorizer::ApiRef>> {
        self.http_apis
            .get_or_try_init(target, || async {
                let clients = self.session.clients(target).await;
                let apis = http_authorizer::list_http_apis(&clients.apigatewayv2)
                    .await
                    .map_err(|e| e.context(format!("listing HTTP APIs in {target}")))?;
                tracing::info!(target = %target, apis = apis.len(), "listed HTTP APIs");
                anyhow::Ok(apis)
            })
            .await
    }

    /// The region's REST APIs, listed once per run and shared by every pool.
    async fn rest_apis(&self, target: &Target) -> anyhow::Result<Vec<authorizer::ApiRef>> {
        self.rest_apis
            .get_or_try_init(target, || async {
                let clients = self.session.clients(target).await;
                let apis = authorizer::list_rest_apis(&clients.apigateway)
                    .await
                    .map_err(|e| e.context(format!("listing REST APIs in {target}")))?;
                tracing::info!(target = %target, apis = apis.len(), "listed REST APIs");
                anyhow::Ok(apis)
            })
            .await
    }

    /// The live pool's id: the pinned one, or the one pool of the desired
    /// name in its region; `None` when there is none.
    pub async fn pool_id(&self, desired: &DesiredPool) -> anyhow::Result<Option<String>> {
        match &desired.pool_id {
            Some(id) => Ok(Some(id.clone())),
            None => self.find_by_name(&target_of(desired), desired).await,
        }
    }

    async fn find_by_name(
        &self,
        target: &Target,
        desired: &DesiredPool,
    ) -> anyhow::Result<Option<String>> {
        let listing = self.listing(target).await?;
        let name = desired.pool_name();
        let ids: Vec<String> = listing
            .iter()
            .filter(|p| p.name == name)
            .map(|p| p.id.clone())
            .collect();
        match ids.len() {
            0 => Ok(None),
            1 => Ok(ids.into_iter().next()),
            _ => Err(LookupError::Ambiguous {
                name: name.to_string(),
                region: target.region.clone(),
                environment: desired.environment.clone(),
                file: desired.file.clone(),
                ids,
            }
            .into()),
        }
    }

    async fn listing(&self, target: &Target) -> anyhow::Result<Vec<PoolSummary>> {
        self.listings
            .get_or_try_init(target, || async {
                let clients = self.session.clients(target).await;
                let pages: Vec<_> = clients
                    .cognito
                    .list_user_pools()
                    .max_results(60)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Vec<_>>()
                    .await;
                let mut pools = Vec::new();
                for item in pages {
                    let item =
                        item.map_err(|e| explain(&format!("ListUserPools in {target}"), e))?;
                    if let (Some(id), Some(name)) = (item.id, item.name) {
                        pools.push(PoolSummary { id, name });
                    }
                }
                tracing::info!(target = %target, pools = pools.len(), "listed user pools");
                anyhow::Ok(pools)
            })
            .await
    }
}

/// The pool's settings that have calls of their own, read only when the
/// spec declares them: threat protection and log delivery.
async fn read_declared_extras(
    cognito: &aws_sdk_cognitoidentityprovider::Client,
    desired: &DesiredPool,
    live: &mut LivePool,
) -> anyhow::Result<()> {
    let settings = &desired.settings;
    let (threat, logs) = tokio::try_join!(
        async {
            match &settings.threat_protection {
                Some(_) => threat_protection::read(cognito, &live.id, None).await,
                None => Ok(None),
            }
        },
        async {
            match &settings.log_delivery {
                Some(_) => log_delivery::read(cognito, &live.id).await,
                None => Ok(None),
            }
        },
    )?;
    live.settings.threat_protection = threat;
    live.settings.log_delivery = logs;
    Ok(())
}

/// The own threat protection settings of each live client whose spec
/// declares them.
pub(crate) async fn read_client_threat_protection(
    cognito: &aws_sdk_cognitoidentityprovider::Client,
    pool_id: &str,
    resources: &crate::spec::document::Resources,
    clients: &mut client::LiveClients,
) -> anyhow::Result<()> {
    let wanted: Vec<(String, String)> = clients
        .by_name
        .iter()
        .filter(|(name, _)| {
            resources
                .clients
                .as_ref()
                .and_then(|c| c.get(*name))
                .is_some_and(|c| c.threat_protection.is_some())
        })
        .map(|(name, c)| (name.clone(), c.id.clone()))
        .collect();
    let read = futures::future::try_join_all(wanted.iter().map(|(name, id)| async move {
        let model = threat_protection::read(cognito, pool_id, Some(id)).await?;
        anyhow::Ok((name.clone(), model))
    }))
    .await?;
    for (name, model) in read {
        if let Some(client) = clients.by_name.get_mut(&name) {
            client.model.threat_protection = model;
        }
    }
    Ok(())
}

/// A kind's live resources, read only when the spec declares the kind.
async fn when_declared<'d, D, T, F, Fut>(
    declared: &'d Option<D>,
    read: F,
) -> anyhow::Result<BTreeMap<String, T>>
where
    F: FnOnce(&'d D) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<BTreeMap<String, T>>>,
{
    match declared {
        Some(declared) => read(declared).await,
        None => Ok(BTreeMap::new()),
    }
}

pub fn target_of(desired: &DesiredPool) -> Target {
    Target {
        profile: desired.profile.clone(),
        region: desired.region.clone(),
        role: desired.role.clone(),
    }
}
