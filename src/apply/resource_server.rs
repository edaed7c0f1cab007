//! Writing resource servers. `UpdateResourceServer` resets what it is not
//! sent, so it always gets the name and the whole scope list: the spec's
//! where declared, the live ones otherwise.

use super::ApplyCtx;
use crate::aws::{deleted, explain};
use crate::model::resource_server::ResourceServer;
use crate::plan::Action;
use aws_sdk_cognitoidentityprovider::types::ResourceServerScopeType;
use std::collections::BTreeMap;

pub async fn run(ctx: &ApplyCtx<'_>, identifier: &str, action: Action) -> anyhow::Result<()> {
    let client = &ctx.clients.cognito;
    let pool_id = ctx.pool()?.id.as_str();
    let desired = ctx
        .desired
        .resources
        .resource_servers
        .as_ref()
        .and_then(|s| s.get(identifier));
    match (action, desired) {
        (Action::Create, Some(server)) => {
            client
                .create_resource_server()
                .user_pool_id(pool_id)
                .identifier(identifier)
                // AWS requires a name; the identifier is the natural default.
                .name(server.name.as_deref().unwrap_or(identifier))
                .set_scopes(server.scopes.as_ref().map(scopes))
                .send()
                .await
                .map_err(|e| explain(&format!("CreateResourceServer {identifier}"), e))?;
        }
        (Action::Update, Some(server)) => {
            let live = ctx
                .live
                .resource_servers
                .get(identifier)
                .cloned()
                .unwrap_or_default();
            let merged = ResourceServer {
                name: server.name.clone().or(live.name),
                scopes: server.scopes.clone().or(live.scopes),
            };
            client
                .update_resource_server()
                .user_pool_id(pool_id)
                .identifier(identifier)
                .name(merged.name.as_deref().unwrap_or(identifier))
                .set_scopes(Some(scopes(&merged.scopes.unwrap_or_default())))
                .send()
                .await
                .map_err(|e| explain(&format!("UpdateResourceServer {identifier}"), e))?;
        }
        (Action::Delete, _) => {
            let result = client
                .delete_resource_server()
                .user_pool_id(pool_id)
                .identifier(identifier)
                .send()
                .await;
            deleted(&format!("DeleteResourceServer {identifier}"), result)?;
        }
        (action, _) => anyhow::bail!("resource server {identifier}: nothing to do for {action:?}"),
    }
    Ok(())
}

fn scopes(map: &BTreeMap<String, String>) -> Vec<ResourceServerScopeType> {
    map.iter()
        .map(|(name, description)| {
            ResourceServerScopeType::builder()
                .scope_name(name)
                .scope_description(description)
                .build()
                .expect("scope name and description are set")
        })
        .collect()
}
