//! Reading a pool's multi-Region replicas (`ListUserPoolReplicas`, paged).
//! The list also names the primary (the pool itself, in its own region):
//! it is no replica and is left out.

use crate::aws::empty_if_not_found;
use crate::model::enums::ReplicaStatus;
use crate::model::replica::Replica;
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::error::ProvideErrorMetadata;
use cognito::types::{ReplicaRoleType, UserPoolReplicaType};
use std::collections::BTreeMap;

/// One replica as Cognito reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LiveReplica {
    /// `status` is set when the replica is `ACTIVE` or `INACTIVE`.
    pub model: Replica,
    /// Cognito's own status: `CREATING`, `ACTIVE`, `INACTIVE`, `DELETING`.
    pub state: String,
    pub arn: Option<String>,
}

impl LiveReplica {
    pub fn is_creating(&self) -> bool {
        self.state == "CREATING"
    }

    pub fn is_deleting(&self) -> bool {
        self.state == "DELETING"
    }
}

pub async fn read(
    client: &cognito::Client,
    pool_id: &str,
) -> anyhow::Result<BTreeMap<String, LiveReplica>> {
    // The SDK has no paginator for this list: follow `NextToken` by hand.
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let answer = client
            .list_user_pool_replicas()
            .user_pool_id(pool_id)
            .set_next_token(token)
            .send()
            .await;
        // A pool that cannot have replicas (on the lite tier, or on Cognito's
        // older infrastructure) has none: reading it must not fail a plan or
        // an import. Creating one is refused at apply with AWS's reason.
        if let Err(err) = &answer {
            let code = err.as_service_error().and_then(|e| e.code());
            if matches!(
                code,
                Some("OperationNotEnabledException" | "FeatureUnavailableInTierException")
            ) {
                tracing::debug!(pool_id, ?code, "the pool cannot have replicas");
                break;
            }
        }
        let page =
            empty_if_not_found(&format!("ListUserPoolReplicas {pool_id}"), answer.map(Some))?;
        let Some(page) = page else { break };
        items.extend(page.user_pool_replicas.unwrap_or_default());
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    let own_region = pool_id.split('_').next().unwrap_or_default();
    Ok(items
        .iter()
        .filter_map(|r| {
            let region = r.region_name.clone()?;
            let primary = r.role == Some(ReplicaRoleType::Primary) || region == own_region;
            (!primary).then(|| (region, to_live(r)))
        })
        .collect())
}

pub fn to_live(r: &UserPoolReplicaType) -> LiveReplica {
    let state = r
        .status
        .as_ref()
        .map(|s| s.as_str().to_string())
        .unwrap_or_default();
    LiveReplica {
        model: Replica {
            status: ReplicaStatus::from_api(&state),
            tags: None,
        },
        state,
        arn: r.user_pool_arn.clone(),
    }
}

/// One replica as it is now; `None` when the pool has none in `region`.
pub async fn get(
    client: &cognito::Client,
    pool_id: &str,
    region: &str,
) -> anyhow::Result<Option<LiveReplica>> {
    Ok(read(client, pool_id).await?.remove(region))
}
