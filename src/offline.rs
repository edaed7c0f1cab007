//! Planning without AWS: a spec's text, an environment and a live state given
//! as data, to the same `PoolPlan` `plan` computes. Diff cases are data
//! (`tests/cases/`), as the schema-diff tools keep theirs.

use crate::desired::DesiredPool;
use crate::diff::{self, PlanOptions};
use crate::live::client::{LiveClient, LiveClients};
use crate::live::domain::{DomainHolder, LiveDomain};
use crate::live::{LivePool, LiveState};
use crate::model::client::AppClient;
use crate::model::domain::Domain;
use crate::model::group::Group;
use crate::model::resource_server::ResourceServer;
use crate::model::PoolSettings;
use crate::plan::PoolPlan;
use crate::spec::diag::SpecErrors;
use crate::spec::{self, Overrides};
use aws_sdk_cognitoidentityprovider::types as sdk;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A live state written as data: each part in the model's own form, as the
/// live reader would have normalized it. What is absent does not exist.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LiveData {
    /// The pool's settings; absent when the pool does not exist.
    pub pool: Option<PoolSettings>,
    pub groups: BTreeMap<String, Group>,
    pub resource_servers: BTreeMap<String, ResourceServer>,
    pub domain: Option<Domain>,
    /// A second live domain of the other kind, left alone.
    pub other_domain: Option<String>,
    /// Another pool holding the declared domain's name.
    pub domain_holder: Option<HolderData>,
    /// App clients by name (each name held by one live client).
    pub clients: BTreeMap<String, AppClient>,
    /// Multi-Region replicas: region to Cognito's status (`CREATING`,
    /// `ACTIVE`, `INACTIVE`, `DELETING`).
    pub replicas: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolderData {
    pub domain: String,
    pub pool_id: String,
    pub pool_name: Option<String>,
}

/// The id a pool given as data has.
pub const POOL_ID: &str = "us-east-1_Offline00";

impl LiveData {
    /// The live state the reader would have built from these answers. Raw
    /// AWS answers are empty: only the applier reads them.
    pub fn into_state(self) -> LiveState {
        let pool = self.pool.map(|mut settings| {
            settings.normalize();
            LivePool {
                id: POOL_ID.to_string(),
                arn: format!("arn:aws:cognito-idp:us-east-1:123456789012:userpool/{POOL_ID}"),
                raw: sdk::UserPoolType::builder().build(),
                raw_mfa: aws_sdk_cognitoidentityprovider::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput::builder().build(),
                settings,
            }
        });
        let exists = pool.is_some();
        let domain = self.domain.filter(|_| exists).map(|settings| LiveDomain {
            settings,
            routing: None,
            custom_config: None,
            other: self.other_domain,
        });
        let clients = LiveClients {
            by_name: self
                .clients
                .into_iter()
                .filter(|_| exists)
                .enumerate()
                .map(|(i, (name, mut model))| {
                    model.normalize();
                    let client = LiveClient {
                        id: format!("client{i}"),
                        raw: sdk::UserPoolClientType::builder().build(),
                        model,
                    };
                    (name, client)
                })
                .collect(),
            shared_names: BTreeMap::new(),
            terms_ids: BTreeMap::new(),
        };
        LiveState {
            pool,
            groups: if exists { self.groups } else { BTreeMap::new() },
            resource_servers: if exists {
                self.resource_servers
            } else {
                BTreeMap::new()
            },
            domain,
            domain_holder: self.domain_holder.map(|h| DomainHolder {
                domain: h.domain,
                pool_id: h.pool_id,
                pool_name: h.pool_name,
            }),
            clients,
            replicas: self
                .replicas
                .into_iter()
                .filter(|_| exists)
                .map(|(region, status)| {
                    let replica = sdk::UserPoolReplicaType::builder()
                        .region_name(&region)
                        .status(status.as_str().into())
                        .build();
                    (region, crate::live::replica::to_live(&replica))
                })
                .collect(),
            ..LiveState::default()
        }
    }
}

/// Resolves `spec_text` (as if it were `pools/<key>.yaml`) for `env`, with
/// no environment variables set.
pub fn desired(key: &str, spec_text: &str, env: &str) -> Result<DesiredPool, SpecErrors> {
    let path = Path::new("pools").join(format!("{key}.yaml"));
    let file = spec::parse_file(&path, spec_text.as_bytes().to_vec()).map_err(SpecErrors)?;
    spec::resolve(&file, env, &Overrides::default(), &|_| None)
}

/// The plan for `spec_text` in `env` against `live`.
pub fn plan(
    key: &str,
    spec_text: &str,
    env: &str,
    live: &LiveState,
    options: PlanOptions,
) -> Result<PoolPlan, SpecErrors> {
    let desired = desired(key, spec_text, env)?;
    Ok(diff::plan_pool(&desired, live, options))
}
