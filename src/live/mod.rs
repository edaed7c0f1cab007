//! Live state: finding each desired pool in AWS and reading everything poolctl
//! manages about it, concurrently and without reading anything twice.

pub mod authorizer;
pub mod group;
pub mod http_authorizer;
pub mod pool;

use crate::aws::{explain, Session, Target};
use crate::desired::DesiredPool;
pub use pool::LivePool;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell};

/// Everything live about one desired pool. `pool` is `None` when it does not
/// exist yet (and then every resource map is empty). A resource kind the spec
/// does not declare is not read.
#[derive(Debug, Clone, Default)]
pub struct LiveState {
    pub pool: Option<LivePool>,
    pub groups: BTreeMap<String, crate::model::group::Group>,
    /// The spec's authorizer and its REST API; read even when the pool does
    /// not exist yet, because the REST API is not the pool's.
    pub authorizer: Option<authorizer::AuthorizerState>,
    /// The same for an HTTP API's JWT authorizer (`http_api`).
    pub http_authorizer: Option<http_authorizer::HttpAuthorizerState>,
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
    listings: Mutex<HashMap<Target, Arc<OnceCell<Vec<PoolSummary>>>>>,
    rest_apis: Mutex<HashMap<Target, Arc<OnceCell<Vec<authorizer::ApiRef>>>>>,
    http_apis: Mutex<HashMap<Target, Arc<OnceCell<Vec<authorizer::ApiRef>>>>>,
}

impl<'a> LiveReader<'a> {
    pub fn new(session: &'a Session) -> Self {
        LiveReader {
            session,
            listings: Mutex::default(),
            rest_apis: Mutex::default(),
            http_apis: Mutex::default(),
        }
    }

    pub async fn read(&self, desired: &DesiredPool) -> anyhow::Result<LiveState> {
        let target = target_of(desired);
        let clients = self.session.clients(&target).await;
        let resources = &desired.resources;
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
        let id = match &desired.pool_id {
            Some(id) => Some(id.clone()),
            None => self.find_by_name(&target, desired).await?,
        };
        let Some(id) = id else {
            let (authorizer, http_authorizer) =
                tokio::try_join!(read_authorizer(), read_http_authorizer())?;
            return Ok(LiveState {
                authorizer,
                http_authorizer,
                ..LiveState::default()
            });
        };
        // The pool and every declared kind at once: none depends on another.
        let cognito = &clients.cognito;
        let (live, groups, mut authorizer, mut http_authorizer) = tokio::try_join!(
            pool::describe(cognito, &id),
            async {
                match &resources.groups {
                    Some(_) => group::read(cognito, &id).await,
                    None => Ok(BTreeMap::new()),
                }
            },
            read_authorizer(),
            async {
                let Some(mut state) = read_http_authorizer().await? else {
                    return Ok(None);
                };
                state.clients = http_authorizer::client_ids(cognito, &id).await?;
                anyhow::Ok(Some(state))
            }
        )?;
        let Some(live) = live else {
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
            return Ok(LiveState {
                authorizer,
                http_authorizer,
                ..LiveState::default()
            });
        };
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
        Ok(LiveState {
            pool: Some(live),
            groups,
            authorizer,
            http_authorizer,
        })
    }

    /// The region's HTTP APIs, listed once per run and shared by every pool.
    async fn http_apis(&self, target: &Target) -> anyhow::Result<Vec<authorizer::ApiRef>> {
        let cell = {
            let mut map = self.http_apis.lock().await;
            map.entry(target.clone()).or_default().clone()
        };
        let listing = cell
            .get_or_try_init(|| async {
                let clients = self.session.clients(target).await;
                let apis = http_authorizer::list_http_apis(&clients.apigatewayv2)
                    .await
                    .map_err(|e| e.context(format!("listing HTTP APIs in {target}")))?;
                tracing::info!(target = %target, apis = apis.len(), "listed HTTP APIs");
                anyhow::Ok(apis)
            })
            .await?;
        Ok(listing.clone())
    }

    /// The region's REST APIs, listed once per run and shared by every pool.
    async fn rest_apis(&self, target: &Target) -> anyhow::Result<Vec<authorizer::ApiRef>> {
        let cell = {
            let mut map = self.rest_apis.lock().await;
            map.entry(target.clone()).or_default().clone()
        };
        let listing = cell
            .get_or_try_init(|| async {
                let clients = self.session.clients(target).await;
                let apis = authorizer::list_rest_apis(&clients.apigateway)
                    .await
                    .map_err(|e| e.context(format!("listing REST APIs in {target}")))?;
                tracing::info!(target = %target, apis = apis.len(), "listed REST APIs");
                anyhow::Ok(apis)
            })
            .await?;
        Ok(listing.clone())
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
        let cell = {
            let mut map = self.listings.lock().await;
            map.entry(target.clone()).or_default().clone()
        };
        let listing = cell
            .get_or_try_init(|| async {
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
            .await?;
        Ok(listing.clone())
    }
}

pub fn target_of(desired: &DesiredPool) -> Target {
    Target {
        profile: desired.profile.clone(),
        region: desired.region.clone(),
    }
}
