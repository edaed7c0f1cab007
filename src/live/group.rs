//! Reading a pool's groups (`ListGroups` carries every field, so one paged
//! list is the whole read).

use crate::aws::empty_if_not_found;
use crate::model::group::Group;
use aws_sdk_cognitoidentityprovider as cognito;
use std::collections::BTreeMap;

pub async fn read(
    client: &cognito::Client,
    pool_id: &str,
) -> anyhow::Result<BTreeMap<String, Group>> {
    let mut groups = BTreeMap::new();
    let items: Vec<_> = empty_if_not_found(
        &format!("ListGroups {pool_id}"),
        client
            .list_groups()
            .user_pool_id(pool_id)
            .limit(60)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await,
    )?;
    for group in items {
        let Some(name) = group.group_name.clone() else {
            continue;
        };
        groups.insert(
            name,
            Group {
                description: group.description.clone(),
                precedence: group.precedence.map(|p| p as u32),
                role_arn: group.role_arn.clone(),
            },
        );
    }
    Ok(groups)
}
