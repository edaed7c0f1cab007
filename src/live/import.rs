//! Reading a whole pool for `poolctl import`: the pool and every kind poolctl
//! manages, each identity provider described, the policies of the functions
//! its triggers name, and (when asked) the REST API authorizer pointing at
//! it. A plan reads only what a spec declares; an import has no spec yet, so
//! it declares everything.

use super::authorizer::{self, ApiKind, ApiRef, LiveAuthorizer, LiveMethod};
use super::{identity_provider, lambda_permission, LiveReader, LiveState};
use crate::aws::{Session, Target};
use crate::desired::DesiredPool;
use crate::model::authorizer::{Route, COGNITO_USER_POOLS};
use crate::model::domain::Domain;
use crate::model::PoolSettings;
use crate::spec::document::Resources;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Which live pool to import.
#[derive(Debug, Clone)]
pub enum Selector {
    Id(String),
    /// Exactly one pool of the region must have this name.
    Name(String),
}

/// What `read` needs besides the session.
#[derive(Debug, Clone)]
pub struct Request {
    pub target: Target,
    pub selector: Selector,
    pub environment: String,
    /// The spec file the import writes, for error messages that suggest
    /// pinning a pool.
    pub file: PathBuf,
    /// A REST API (name or id) whose Cognito authorizer for this pool is
    /// imported too.
    pub rest_api: Option<String>,
    /// Which of that API's authorizers, when several point at the pool.
    pub authorizer: Option<String>,
    /// Identity pools (exact names or ids) imported too.
    pub identity_pools: Vec<String>,
}

/// A live pool, everything poolctl manages about it read.
#[derive(Debug, Clone)]
pub struct WholePool {
    /// Every kind read (the pool itself is always there); `function_policies`
    /// holds the policy of each function a live trigger names.
    pub state: LiveState,
    pub authorizer: Option<FoundAuthorizer>,
    /// The identity pools asked for, in the order asked.
    pub identity_pools: Vec<super::identity_pool::LiveIdentityPool>,
}

impl WholePool {
    pub fn pool(&self) -> &super::LivePool {
        self.state.pool.as_ref().expect("an imported pool exists")
    }
}

/// The REST API authorizer that points at the pool, and the methods it
/// protects.
#[derive(Debug, Clone)]
pub struct FoundAuthorizer {
    pub api: ApiRef,
    /// No other REST API of the region has its name, so the spec can name
    /// it (else it gives the id).
    pub api_name_unique: bool,
    pub authorizer: LiveAuthorizer,
    pub methods: BTreeMap<Route, LiveMethod>,
    /// Other Cognito authorizers of the API that point at the pool.
    pub others: Vec<String>,
}

/// Why an import cannot find what it was asked for.
#[derive(Debug, thiserror::Error)]
pub enum ImportLookupError {
    #[error("no user pool in {region} is named `{name}`")]
    NoSuchName { name: String, region: String },
    #[error("no identity pool in {region} is named `{wanted}` or has that id")]
    NoSuchIdentityPool { wanted: String, region: String },
    #[error("{} identity pools in {region} are named `{wanted}`: {}; give --identity-pool the id", ids.len(), ids.join(", "))]
    AmbiguousIdentityPool {
        wanted: String,
        region: String,
        ids: Vec<String>,
    },
    #[error("no Cognito authorizer on REST API {api} points at pool `{pool}`")]
    NoAuthorizer { api: String, pool: String },
    #[error("REST API {api} has no authorizer named `{name}` that points at pool `{pool}` (those that do: {})", if found.is_empty() { "none".to_string() } else { found.join(", ") })]
    NoSuchAuthorizer {
        api: String,
        name: String,
        pool: String,
        found: Vec<String>,
    },
    #[error("{} Cognito authorizers on REST API {api} point at pool `{pool}`: {}; choose one with --authorizer", found.len(), found.join(", "))]
    SeveralAuthorizers {
        api: String,
        pool: String,
        found: Vec<String>,
    },
}

pub async fn read(session: &Session, request: &Request) -> anyhow::Result<WholePool> {
    let desired = declare_everything(request);
    let reader = LiveReader::new(session);
    let mut state = reader.read(&desired).await?;
    // A pool pinned by id that does not exist is the reader's own error
    // (`LookupError::PinnedMissing`): only a name can find nothing here.
    let Some(pool) = state.pool.as_ref() else {
        return Err(ImportLookupError::NoSuchName {
            name: desired.pool_name().to_string(),
            region: request.target.region.clone(),
        }
        .into());
    };
    // Every replica's tags: import writes them.
    super::replica::add_tags(session, &request.target, &mut state.replicas, |_| true).await?;
    let clients = session.clients(&request.target).await;
    let branding = super::branding::read_all(&clients.cognito, &pool.id, &state.clients).await?;
    let functions = pool
        .settings
        .triggers
        .as_ref()
        .map(|t| lambda_permission::functions_named(t, None))
        .unwrap_or_default();
    let (providers, policies, found) = tokio::try_join!(
        identity_provider::read_all(&clients.cognito, &pool.id),
        lambda_permission::read(session, &request.target, functions),
        async {
            match &request.rest_api {
                Some(api) => find_authorizer(&clients.apigateway, request, &desired, api, pool)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        },
    )?;
    // Terms documents are read apart from the clients (`live::terms`). A
    // pool's import must not fail for want of them (a role without
    // `cognito-idp:ListTerms`): unread, they are left out of the spec, and
    // so unmanaged.
    match crate::live::terms::read_pool(&clients.cognito, &pool.id).await {
        Ok(terms) => crate::live::terms::attach(&mut state.clients, terms),
        Err(err) => tracing::warn!(
            pool = pool.id,
            error = format!("{err:#}"),
            "terms documents not read; the imported spec leaves them out"
        ),
    }
    state.identity_providers = providers;
    state.function_policies = policies;
    read_extras(&clients.cognito, &mut state).await?;
    let identity_pools = read_identity_pools(&clients.identity, request).await?;
    state.branding = branding;
    Ok(WholePool {
        state,
        authorizer: found,
        identity_pools,
    })
}

/// The settings with calls of their own: log delivery, and threat
/// protection's (the pool's and each client's own), which exist only while
/// the pool's threat protection add-on is on.
async fn read_extras(
    cognito: &aws_sdk_cognitoidentityprovider::Client,
    state: &mut LiveState,
) -> anyhow::Result<()> {
    use crate::model::enums::AdvancedSecurityMode;
    let Some(pool) = state.pool.as_mut() else {
        return Ok(());
    };
    let add_on_on = pool
        .settings
        .user_pool_add_ons
        .as_ref()
        .and_then(|a| a.advanced_security_mode)
        .is_some_and(|m| m != AdvancedSecurityMode::Off);
    let id = pool.id.clone();
    let (threat, logs) = tokio::try_join!(
        async {
            match add_on_on {
                true => super::threat_protection::read(cognito, &id, None).await,
                false => Ok(None),
            }
        },
        super::log_delivery::read(cognito, &id),
    )?;
    pool.settings.threat_protection = threat;
    pool.settings.log_delivery = logs;
    if add_on_on {
        let ids: Vec<(String, String)> = state
            .clients
            .by_name
            .iter()
            .map(|(name, c)| (name.clone(), c.id.clone()))
            .collect();
        let read = futures::future::try_join_all(ids.iter().map(|(name, client_id)| {
            let id = &id;
            async move {
                let model = super::threat_protection::read(cognito, id, Some(client_id)).await?;
                anyhow::Ok((name.clone(), model))
            }
        }))
        .await?;
        for (name, model) in read {
            if let Some(client) = state.clients.by_name.get_mut(&name) {
                client.model.threat_protection = model;
            }
        }
    }
    Ok(())
}

/// The identity pools asked for: by id, else by exact name (one only).
async fn read_identity_pools(
    client: &aws_sdk_cognitoidentity::Client,
    request: &Request,
) -> anyhow::Result<Vec<super::identity_pool::LiveIdentityPool>> {
    use super::identity_pool;
    if request.identity_pools.is_empty() {
        return Ok(Vec::new());
    }
    let listing = identity_pool::list(client).await?;
    let region = request.target.region.clone();
    let mut found = Vec::new();
    for wanted in &request.identity_pools {
        let ids: Vec<String> = match listing.iter().find(|p| &p.id == wanted) {
            Some(p) => vec![p.id.clone()],
            None => listing
                .iter()
                .filter(|p| &p.name == wanted)
                .map(|p| p.id.clone())
                .collect(),
        };
        let id = match ids.as_slice() {
            [id] => id.clone(),
            [] => {
                return Err(ImportLookupError::NoSuchIdentityPool {
                    wanted: wanted.clone(),
                    region,
                }
                .into())
            }
            _ => {
                return Err(ImportLookupError::AmbiguousIdentityPool {
                    wanted: wanted.clone(),
                    region,
                    ids,
                }
                .into())
            }
        };
        match identity_pool::describe(client, &id, &[]).await? {
            Some(pool) => found.push(pool),
            None => {
                return Err(ImportLookupError::NoSuchIdentityPool {
                    wanted: wanted.clone(),
                    region,
                }
                .into())
            }
        }
    }
    Ok(found)
}

/// A request that declares every kind, so that the reader reads them all.
fn declare_everything(request: &Request) -> DesiredPool {
    let (pool_id, name) = match &request.selector {
        Selector::Id(id) => (Some(id.clone()), None),
        Selector::Name(name) => (None, Some(name.clone())),
    };
    DesiredPool {
        key: request
            .file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("import")
            .to_string(),
        file: request.file.clone(),
        environment: request.environment.clone(),
        region: request.target.region.clone(),
        profile: request.target.profile.clone(),
        role: request.target.role.clone(),
        pool_id,
        protected: false,
        users: Default::default(),
        settings: PoolSettings {
            name,
            ..PoolSettings::default()
        },
        resources: Resources {
            clients: Some(BTreeMap::new()),
            // Described separately: the reader describes only declared ones.
            identity_providers: None,
            resource_servers: Some(BTreeMap::new()),
            groups: Some(BTreeMap::new()),
            domain: Some(Domain::default()),
            ui_customization: None,
            authorizer: None,
            identity_pools: None,
            replicas: Some(BTreeMap::new()),
        },
        warnings: Vec::new(),
    }
}

async fn find_authorizer(
    client: &aws_sdk_apigateway::Client,
    request: &Request,
    desired: &DesiredPool,
    wanted: &str,
    pool: &super::LivePool,
) -> anyhow::Result<FoundAuthorizer> {
    let listing = authorizer::list_rest_apis(client).await?;
    let api = authorizer::resolve(ApiKind::Rest, &listing, wanted, desired)?;
    let all = authorizer::authorizers(client, &api.id).await?;
    let pointing: Vec<&LiveAuthorizer> = all.iter().filter(|a| a.points_at(&pool.arn)).collect();
    let names = || pointing.iter().map(|a| a.name.clone()).collect::<Vec<_>>();
    let chosen = match &request.authorizer {
        Some(name) => pointing
            .iter()
            .find(|a| &a.name == name)
            .copied()
            .ok_or_else(|| ImportLookupError::NoSuchAuthorizer {
                api: api.to_string(),
                name: name.clone(),
                pool: pool.id.clone(),
                found: names(),
            })?,
        None => match pointing.as_slice() {
            [one] => *one,
            [] => {
                return Err(ImportLookupError::NoAuthorizer {
                    api: api.to_string(),
                    pool: pool.id.clone(),
                }
                .into())
            }
            _ => {
                return Err(ImportLookupError::SeveralAuthorizers {
                    api: api.to_string(),
                    pool: pool.id.clone(),
                    found: names(),
                }
                .into())
            }
        },
    };
    let methods = authorizer::methods(client, &api.id)
        .await?
        .into_iter()
        .filter(|(_, m)| {
            m.authorization_type == COGNITO_USER_POOLS
                && m.authorizer_id.as_deref() == Some(chosen.id.as_str())
        })
        .collect();
    Ok(FoundAuthorizer {
        api_name_unique: listing.iter().filter(|a| a.name == api.name).count() == 1,
        others: pointing
            .iter()
            .filter(|a| a.id != chosen.id)
            .map(|a| a.name.clone())
            .collect(),
        authorizer: chosen.clone(),
        api,
        methods,
    })
}
