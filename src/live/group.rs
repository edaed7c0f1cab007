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
        groups.insert(name, to_model(&group));
    }
    Ok(groups)
}

fn to_model(group: &cognito::types::GroupType) -> Group {
    Group {
        description: group.description.clone(),
        precedence: group.precedence.map(|p| p as u32),
        role_arn: group.role_arn.clone(),
    }
}

/// One group as it is now (`GetGroup`); `None` when it no longer exists.
pub async fn get(
    client: &cognito::Client,
    pool_id: &str,
    name: &str,
) -> anyhow::Result<Option<Group>> {
    match client
        .get_group()
        .user_pool_id(pool_id)
        .group_name(name)
        .send()
        .await
    {
        Ok(out) => Ok(out.group.as_ref().map(to_model)),
        Err(err) if crate::aws::is_not_found(&err) => Ok(None),
        Err(err) => Err(crate::aws::explain(&format!("GetGroup {name}"), err)),
    }
}
