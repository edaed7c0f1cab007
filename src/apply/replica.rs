//! Writing multi-Region replicas: `CreateUserPoolReplica`, then the status
//! (`UpdateUserPoolReplica`), the tags added or changed (`TagResource` on the
//! replica's ARN, in the replica's region: the tags are the replica's own),
//! and `DeleteUserPoolReplica`, which Cognito takes only for an inactive
//! replica, so an active one is deactivated first. Every other call is made
//! to the pool's own (primary) region.

use super::ApplyCtx;
use crate::aws::{deleted, explain};
use crate::live::replica::LiveReplica;
use crate::model::enums::ReplicaStatus;
use crate::plan::Action;
use aws_sdk_cognitoidentityprovider as cognito;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// How long apply waits for a new replica to settle before setting a status
/// other than the one Cognito gives it.
const SETTLE_WAIT: Duration = Duration::from_secs(300);

pub async fn run(ctx: &ApplyCtx<'_>, region: &str, action: Action) -> anyhow::Result<()> {
    let client = &ctx.clients.cognito;
    let pool_id = ctx.pool()?.id.as_str();
    let desired = ctx
        .desired
        .resources
        .replicas
        .as_ref()
        .and_then(|r| r.get(region));
    match (action, desired) {
        (Action::Create, Some(replica)) => {
            client
                .create_user_pool_replica()
                .user_pool_id(pool_id)
                .region_name(region)
                .set_user_pool_tags(
                    replica
                        .tags
                        .as_ref()
                        .map(|t| t.clone().into_iter().collect()),
                )
                .send()
                .await
                .map_err(|e| explain(&format!("CreateUserPoolReplica {region}"), e))?;
            ctx.progress
                .did(format!("create replica.{region} (CreateUserPoolReplica)"));
            if replica.status == Some(ReplicaStatus::Inactive) {
                let live = settled(ctx, pool_id, region).await?;
                if live.model.status != Some(ReplicaStatus::Inactive) {
                    set_status(client, pool_id, region, ReplicaStatus::Inactive).await?;
                }
            }
        }
        (Action::Update, Some(replica)) => {
            // Read again right before writing.
            let target = crate::live::target_of(ctx.desired);
            let with_tags = replica.tags.is_some();
            let Some(live) =
                crate::live::replica::get(ctx.session, &target, pool_id, region, with_tags).await?
            else {
                anyhow::bail!("replica {region} no longer exists; nothing was written to it");
            };
            let arn = live.arn.clone();
            let live_tags = live.model.tags.clone().unwrap_or_default();
            let now = crate::diff::replica::diff(
                Some(&BTreeMap::from([(region.to_string(), replica.clone())])),
                &BTreeMap::from([(region.to_string(), live)]),
                false,
            );
            let address = crate::plan::Kind::Replica.at(region);
            ctx.still_planned(&address, now.first())?;
            let fields = now.first().map(|c| c.fields.as_slice()).unwrap_or_default();
            if let (true, Some(status)) =
                (fields.iter().any(|f| f.path == "status"), replica.status)
            {
                set_status(client, pool_id, region, status).await?;
            }
            // Only the tags added or changed: one set by others stays.
            let to_tag: HashMap<String, String> = replica
                .tags
                .iter()
                .flatten()
                .filter(|(k, v)| live_tags.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !to_tag.is_empty() {
                let Some(arn) = arn else {
                    anyhow::bail!("replica {region} has no ARN in ListUserPoolReplicas; its tags were not set");
                };
                ctx.session
                    .clients(&target.in_region(region))
                    .await
                    .cognito
                    .tag_resource()
                    .resource_arn(&arn)
                    .set_tags(Some(to_tag))
                    .send()
                    .await
                    .map_err(|e| explain(&format!("TagResource {arn}"), e))?;
                ctx.progress
                    .did(format!("tag replica.{region} (TagResource)"));
            }
        }
        (Action::Delete, _) => {
            let target = crate::live::target_of(ctx.desired);
            let live =
                crate::live::replica::get(ctx.session, &target, pool_id, region, false).await?;
            match live {
                None => return Ok(()),
                Some(l) if l.is_creating() => anyhow::bail!(
                    "replica {region} is still being created (CREATING); run apply --prune again once Cognito has created it"
                ),
                Some(l) if l.model.status == Some(ReplicaStatus::Active) => {
                    set_status(client, pool_id, region, ReplicaStatus::Inactive).await?;
                    ctx.progress
                        .did(format!("deactivate replica.{region} (UpdateUserPoolReplica)"));
                }
                Some(_) => {}
            }
            let result = client
                .delete_user_pool_replica()
                .user_pool_id(pool_id)
                .region_name(region)
                .send()
                .await;
            deleted(&format!("DeleteUserPoolReplica {region}"), result)?;
        }
        (action, _) => anyhow::bail!("replica {region}: nothing to do for {action:?}"),
    }
    Ok(())
}

async fn set_status(
    client: &cognito::Client,
    pool_id: &str,
    region: &str,
    status: ReplicaStatus,
) -> anyhow::Result<()> {
    client
        .update_user_pool_replica()
        .user_pool_id(pool_id)
        .region_name(region)
        .status(status.api_name().into())
        .send()
        .await
        .map_err(|e| explain(&format!("UpdateUserPoolReplica {region}"), e))?;
    Ok(())
}

/// The replica once Cognito has finished creating it, read again with a
/// growing pause, for at most `SETTLE_WAIT`.
async fn settled(ctx: &ApplyCtx<'_>, pool_id: &str, region: &str) -> anyhow::Result<LiveReplica> {
    let target = crate::live::target_of(ctx.desired);
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(250);
    loop {
        match crate::live::replica::get(ctx.session, &target, pool_id, region, false).await? {
            Some(live) if !live.is_creating() => return Ok(live),
            None => anyhow::bail!("replica {region} vanished while Cognito was creating it"),
            Some(_) if started.elapsed() > SETTLE_WAIT => anyhow::bail!(
                "replica {region} is still being created after {} s; its status is set by the next apply",
                SETTLE_WAIT.as_secs()
            ),
            Some(_) => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(10));
            }
        }
    }
}
