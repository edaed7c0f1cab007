//! Reading a pool's multi-Region replicas (`ListUserPoolReplicas`, paged).
//! The list also names the primary (the pool itself, in its own region):
//! it is no replica and is left out. A replica's tags are its own
//! (`ListTagsForResource` on its ARN, in its region), read only for the
//! replicas whose tags are wanted.

use crate::aws::{empty_if_not_found, Session, Target};
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
/// Its tags are read when `with_tags`.
pub async fn get(
    session: &Session,
    target: &Target,
    pool_id: &str,
    region: &str,
    with_tags: bool,
) -> anyhow::Result<Option<LiveReplica>> {
    let client = session.clients(target).await.cognito;
    let mut all = read(&client, pool_id).await?;
    let Some(mut one) = all.remove(region) else {
        return Ok(None);
    };
    if with_tags {
        read_tags(session, target, region, &mut one).await?;
    }
    Ok(Some(one))
}

/// Fills in the tags of the replicas `wanted` names (by region). A replica
/// Cognito is still creating or deleting is left without: its tags are not
/// compared until it has settled.
pub async fn add_tags(
    session: &Session,
    target: &Target,
    replicas: &mut BTreeMap<String, LiveReplica>,
    wanted: impl Fn(&str) -> bool,
) -> anyhow::Result<()> {
    let reads = replicas
        .iter_mut()
        .filter(|(region, _)| wanted(region))
        .map(|(region, replica)| read_tags(session, target, region, replica));
    futures::future::try_join_all(reads).await?;
    Ok(())
}

/// The replica's tags, asked of Cognito in the replica's own region (the
/// pool's profile); a replica with none has `tags: None`, as in the spec.
async fn read_tags(
    session: &Session,
    target: &Target,
    region: &str,
    replica: &mut LiveReplica,
) -> anyhow::Result<()> {
    if replica.is_creating() || replica.is_deleting() {
        return Ok(());
    }
    let Some(arn) = replica.arn.clone() else {
        return Ok(());
    };
    let client = session.clients(&target.in_region(region)).await.cognito;
    let answer = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await;
    let Some(out) = empty_if_not_found(&format!("ListTagsForResource {arn}"), answer.map(Some))?
    else {
        return Ok(());
    };
    let tags: BTreeMap<String, String> = out.tags.unwrap_or_default().into_iter().collect();
    replica.model.tags = (!tags.is_empty()).then_some(tags);
    Ok(())
}
