//! Reading a pool's resource servers (`ListResourceServers` carries every
//! field, scopes included, so one paged list is the whole read).

use crate::aws::empty_if_not_found;
use crate::model::resource_server::ResourceServer;
use aws_sdk_cognitoidentityprovider as cognito;
use std::collections::BTreeMap;

pub async fn read(
    client: &cognito::Client,
    pool_id: &str,
) -> anyhow::Result<BTreeMap<String, ResourceServer>> {
    let mut servers = BTreeMap::new();
    let items: Vec<_> = empty_if_not_found(
        &format!("ListResourceServers {pool_id}"),
        client
            .list_resource_servers()
            .user_pool_id(pool_id)
            .max_results(50)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await,
    )?;
    for server in items {
        let Some(identifier) = server.identifier.clone() else {
            continue;
        };
        servers.insert(
            identifier,
            ResourceServer {
                name: server.name.clone(),
                // A server without scopes is reported with none at all: the
                // same as an empty set.
                scopes: Some(
                    server
                        .scopes()
                        .iter()
                        .map(|s| (s.scope_name.clone(), s.scope_description.clone()))
                        .collect(),
                ),
            },
        );
    }
    Ok(servers)
}
