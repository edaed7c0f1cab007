//! Writing groups. `UpdateGroup` is sent every field (the live ones with the
//! spec's overlaid), never only the changed ones; the live ones as read
//! again right before the write.

use super::ApplyCtx;
use crate::aws::{deleted, explain};
use crate::model::group::Group;
use crate::model::overlay;
use crate::plan::Action;
use std::collections::BTreeMap;

pub async fn run(ctx: &ApplyCtx<'_>, name: &str, action: Action) -> anyhow::Result<()> {
    let client = &ctx.clients.cognito;
    let pool_id = ctx.pool()?.id.as_str();
    let desired = ctx
        .desired
        .resources
        .groups
        .as_ref()
        .and_then(|g| g.get(name));
    match (action, desired) {
        (Action::Create, Some(group)) => {
            client
                .create_group()
                .user_pool_id(pool_id)
                .group_name(name)
                .set_description(group.description.clone())
                .set_precedence(group.precedence.map(|p| p as i32))
                .set_role_arn(group.role_arn.clone())
                .send()
                .await
                .map_err(|e| explain(&format!("CreateGroup {name}"), e))?;
        }
        (Action::Update, Some(group)) => {
            // Read again right before writing, and write over that.
            let Some(live) = crate::live::group::get(client, pool_id, name).await? else {
                anyhow::bail!("group {name} no longer exists; nothing was written to it");
            };
            let now = crate::diff::group::diff(
                Some(&BTreeMap::from([(name.to_string(), group.clone())])),
                &BTreeMap::from([(name.to_string(), live.clone())]),
                false,
            );
            ctx.still_planned(&crate::plan::Kind::Group.at(name), now.first())?;
            let merged: Group = overlay(&live, group);
            client
                .update_group()
                .user_pool_id(pool_id)
                .group_name(name)
                .set_description(merged.description)
                .set_precedence(merged.precedence.map(|p| p as i32))
                .set_role_arn(merged.role_arn)
                .send()
                .await
                .map_err(|e| explain(&format!("UpdateGroup {name}"), e))?;
        }
        (Action::Delete, _) => {
            let result = client
                .delete_group()
                .user_pool_id(pool_id)
                .group_name(name)
                .send()
                .await;
            deleted(&format!("DeleteGroup {name}"), result)?;
        }
        (action, _) => anyhow::bail!("group {name}: nothing to do for {action:?}"),
    }
    Ok(())
}
