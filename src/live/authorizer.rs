//! Reading the API Gateway side of a pool's authorizer: the REST API the spec
//! names (by id, or by exact name through every page of `GetRestApis`), its
//! authorizers, and the methods `protect` lists.
//!
//! The REST API is not poolctl's, so it is read even when the pool does not
//! exist yet, and a missing or ambiguous API is an error: nothing sensible can
//! be planned against it. There is no state file either, so an authorizer the
//! spec moved to another REST API is found by looking, once it is missing from
//! its new API, for an authorizer of the same name pointing at this pool on
//! the region's other REST APIs.

use crate::aws::explain;
use crate::desired::DesiredPool;
use crate::model::authorizer::{Authorizer, Route, COGNITO_USER_POOLS};
use aws_sdk_apigateway as apigateway;
use futures::{StreamExt, TryStreamExt};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// An API as `GetRestApis` or `GetApis` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiRef {
    pub id: String,
    pub name: String,
}

impl fmt::Display for ApiRef {
    /// How the plan names it: `shop-api-dev (a1b2c3d4e5)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.id)
    }
}

/// One authorizer of a REST API, of any type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveAuthorizer {
    pub id: String,
    pub name: String,
    /// `COGNITO_USER_POOLS`, `TOKEN` or `REQUEST`.
    pub kind: String,
    pub provider_arns: Vec<String>,
    pub identity_source: Option<String>,
    pub result_ttl: Option<u64>,
}

impl LiveAuthorizer {
    pub fn points_at(&self, pool_arn: &str) -> bool {
        self.kind == COGNITO_USER_POOLS && self.provider_arns.iter().any(|a| a == pool_arn)
    }
}

/// How one method of a REST API is authorized.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveMethod {
    pub resource_id: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
    pub authorization_type: String,
    pub authorizer_id: Option<String>,
    pub scopes: Vec<String>,
}

/// The spec's authorizer found on another REST API than the one it names now.
#[derive(Debug, Clone)]
pub struct Moved {
    pub api: ApiRef,
    pub authorizer: LiveAuthorizer,
    /// Methods of that API that still use it: API Gateway will not delete it
    /// while they do.
    pub used_by: Vec<Route>,
}

/// Everything live about the authorizer the spec declares.
#[derive(Debug, Clone, Default)]
pub struct AuthorizerState {
    /// The REST API the spec names, resolved.
    pub api: ApiRef,
    /// Every authorizer on it, poolctl's or not.
    pub authorizers: Vec<LiveAuthorizer>,
    /// The methods `protect` lists (all of them exist: a missing one is an
    /// error at read time).
    pub methods: BTreeMap<Route, LiveMethod>,
    /// Set when the spec's authorizer is missing here but lives, pointing at
    /// this pool, on exactly one other REST API.
    pub moved: Option<Moved>,
    /// Authorizers of the spec's name pointing at this pool on other REST
    /// APIs, when there are several and poolctl cannot tell which moved.
    pub elsewhere: Vec<(ApiRef, LiveAuthorizer)>,
}

impl AuthorizerState {
    /// The authorizer of that name on the spec's REST API.
    pub fn named(&self, name: &str) -> Option<&LiveAuthorizer> {
        self.authorizers.iter().find(|a| a.name == name)
    }

    /// An authorizer's name from its id, for showing which one a method uses.
    pub fn name_of(&self, id: &str) -> Option<&str> {
        self.authorizers
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.as_str())
    }
}

/// Which kind of API the spec names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKind {
    Rest,
    Http,
}

impl ApiKind {
    fn key(self) -> &'static str {
        match self {
            ApiKind::Rest => "authorizer.rest_api",
            ApiKind::Http => "authorizer.http_api",
        }
    }
}

impl fmt::Display for ApiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiKind::Rest => "REST API",
            ApiKind::Http => "HTTP API",
        })
    }
}

/// Why the spec's API (or a route on it) cannot be identified; the pool
/// cannot be planned.
#[derive(Debug, thiserror::Error)]
pub enum ApiLookupError {
    #[error("{file}: `{}` (pool `{pool}`, environment `{environment}`): no {kind} in {region} is named `{wanted}` or has that id", kind.key(), file = file.display())]
    Missing {
        kind: ApiKind,
        wanted: String,
        region: String,
        pool: String,
        environment: String,
        file: PathBuf,
    },
    #[error("{file}: `{}` (pool `{pool}`, environment `{environment}`): {} {kind}s in {region} are named `{wanted}`: {}; poolctl will not guess; write the id instead", kind.key(), ids.len(), ids.join(", "), file = file.display())]
    Ambiguous {
        kind: ApiKind,
        wanted: String,
        region: String,
        pool: String,
        environment: String,
        file: PathBuf,
        ids: Vec<String>,
    },
    #[error("{file}: `authorizer.protect` (pool `{pool}`, environment `{environment}`): REST API {api} has no method {}; poolctl protects existing methods, it does not create them", routes.join(", "), file = file.display())]
    MissingRoutes {
        api: String,
        routes: Vec<String>,
        pool: String,
        environment: String,
        file: PathBuf,
    },
}

/// Every REST API in the client's region, through every page.
pub async fn list_rest_apis(client: &apigateway::Client) -> anyhow::Result<Vec<ApiRef>> {
    let items: Vec<_> = client
        .get_rest_apis()
        .limit(500)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| explain("GetRestApis", e))?;
    Ok(items
        .into_iter()
        .filter_map(|api| {
            Some(ApiRef {
                id: api.id?,
                name: api.name.unwrap_or_default(),
            })
        })
        .collect())
}

/// The API the spec names: an id wins; else exactly one API of that name.
pub fn resolve(
    kind: ApiKind,
    listing: &[ApiRef],
    wanted: &str,
    desired: &DesiredPool,
) -> anyhow::Result<ApiRef> {
    if let Some(api) = listing.iter().find(|a| a.id == wanted) {
        return Ok(api.clone());
    }
    let named: Vec<&ApiRef> = listing.iter().filter(|a| a.name == wanted).collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(ApiLookupError::Missing {
            kind,
            wanted: wanted.to_string(),
            region: desired.region.clone(),
            pool: desired.key.clone(),
            environment: desired.environment.clone(),
            file: desired.file.clone(),
        }
        .into()),
        many => Err(ApiLookupError::Ambiguous {
            kind,
            wanted: wanted.to_string(),
            region: desired.region.clone(),
            pool: desired.key.clone(),
            environment: desired.environment.clone(),
            file: desired.file.clone(),
            ids: many.iter().map(|a| a.id.clone()).collect(),
        }
        .into()),
    }
}

/// Every authorizer of a REST API (`GetAuthorizers` has no paginator in the
/// SDK, so the pages are walked by hand).
pub async fn authorizers(
    client: &apigateway::Client,
    api_id: &str,
) -> anyhow::Result<Vec<LiveAuthorizer>> {
    let mut found = Vec::new();
    let mut position: Option<String> = None;
    loop {
        let page = client
            .get_authorizers()
            .rest_api_id(api_id)
            .limit(500)
            .set_position(position.clone())
            .send()
            .await
            .map_err(|e| explain(&format!("GetAuthorizers {api_id}"), e))?;
        for a in page.items() {
            let Some(id) = a.id() else { continue };
            found.push(LiveAuthorizer {
                id: id.to_string(),
                name: a.name().unwrap_or_default().to_string(),
                kind: a
                    .r#type()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                provider_arns: a.provider_arns().to_vec(),
                identity_source: a.identity_source().map(str::to_string),
                result_ttl: a
                    .authorizer_result_ttl_in_seconds()
                    .and_then(|t| u64::try_from(t).ok()),
            });
        }
        match page.position() {
            Some(next) if !next.is_empty() && Some(next) != position.as_deref() => {
                position = Some(next.to_string())
            }
            _ => break,
        }
    }
    Ok(found)
}

/// Every method of a REST API, by route.
pub async fn methods(
    client: &apigateway::Client,
    api_id: &str,
) -> anyhow::Result<BTreeMap<Route, LiveMethod>> {
    let resources: Vec<_> = client
        .get_resources()
        .rest_api_id(api_id)
        .embed("methods")
        .limit(500)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| explain(&format!("GetResources {api_id}"), e))?;
    let mut methods = BTreeMap::new();
    for resource in resources {
        let (Some(id), Some(path)) = (resource.id.as_deref(), resource.path.as_deref()) else {
            continue;
        };
        for (verb, method) in resource.resource_methods.iter().flatten() {
            methods.insert(
                Route {
                    method: verb.to_ascii_uppercase(),
                    path: path.to_string(),
                },
                LiveMethod {
                    resource_id: id.to_string(),
                    authorization_type: method.authorization_type().unwrap_or("NONE").to_string(),
                    authorizer_id: method.authorizer_id().map(str::to_string),
                    scopes: method.authorization_scopes().to_vec(),
                },
            );
        }
    }
    Ok(methods)
}

/// Reads the spec's REST API, its authorizers and (with `protect`) the
/// methods to protect.
pub async fn read(
    client: &apigateway::Client,
    listing: &[ApiRef],
    desired: &DesiredPool,
    spec: &Authorizer,
) -> anyhow::Result<AuthorizerState> {
    let api = resolve(
        ApiKind::Rest,
        listing,
        spec.rest_api.as_deref().unwrap_or_default(),
        desired,
    )?;
    let routes = spec.routes();
    let (authorizers, mut all_methods) = tokio::try_join!(authorizers(client, &api.id), async {
        if routes.is_empty() {
            Ok(BTreeMap::new())
        } else {
            methods(client, &api.id).await
        }
    })?;
    let missing: Vec<String> = routes
        .iter()
        .filter(|(r, _)| !all_methods.contains_key(r))
        .map(|(r, _)| format!("`{r}`"))
        .collect();
    if !missing.is_empty() {
        return Err(ApiLookupError::MissingRoutes {
            api: api.to_string(),
            routes: missing,
            pool: desired.key.clone(),
            environment: desired.environment.clone(),
            file: desired.file.clone(),
        }
        .into());
    }
    let methods = routes
        .iter()
        .filter_map(|(r, _)| all_methods.remove_entry(r))
        .collect();
    tracing::info!(api = %api, authorizers = authorizers.len(), "read the REST API");
    Ok(AuthorizerState {
        api,
        authorizers,
        methods,
        moved: None,
        elsewhere: Vec::new(),
    })
}

/// How many REST APIs are asked for their authorizers at once: API Gateway's
/// control plane allows only a few requests a second per account.
const SCAN_CONCURRENCY: usize = 4;

/// When the spec's authorizer is not on its REST API, looks for it (same
/// name, pointing at this pool) on the region's other REST APIs.
pub async fn look_elsewhere(
    client: &apigateway::Client,
    listing: &[ApiRef],
    state: &mut AuthorizerState,
    name: &str,
    pool_arn: &str,
) -> anyhow::Result<()> {
    if state.named(name).is_some() || pool_arn.is_empty() {
        return Ok(());
    }
    let others: Vec<&ApiRef> = listing.iter().filter(|a| a.id != state.api.id).collect();
    let found: Vec<Vec<(ApiRef, LiveAuthorizer)>> = futures::stream::iter(others)
        .map(|api| async move {
            let list = authorizers(client, &api.id).await?;
            anyhow::Ok(
                list.into_iter()
                    .filter(|a| a.name == name && a.points_at(pool_arn))
                    .map(|a| (api.clone(), a))
                    .collect(),
            )
        })
        .buffer_unordered(SCAN_CONCURRENCY)
        .try_collect()
        .await?;
    let mut found: Vec<(ApiRef, LiveAuthorizer)> = found.into_iter().flatten().collect();
    found.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    if found.len() == 1 {
        let (api, authorizer) = found.remove(0);
        let used_by = methods(client, &api.id)
            .await?
            .into_iter()
            .filter(|(_, m)| m.authorizer_id.as_deref() == Some(authorizer.id.as_str()))
            .map(|(r, _)| r)
            .collect();
        state.moved = Some(Moved {
            api,
            authorizer,
            used_by,
        });
    } else {
        state.elsewhere = found;
    }
    Ok(())
}
