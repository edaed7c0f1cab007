//! Reading a pool's users: `ListUsers` a page at a time (the export's unit of
//! progress and of its checkpoint), group memberships through
//! `ListUsersInGroup` per group (far fewer calls than one per user), and the
//! pool's import CSV columns (`GetCSVHeader`). Every call is paced by the
//! limiter (UserList: 30 a second).

use crate::aws::explain;
use crate::users::UserRecord;
use aws_sdk_cognitoidentityprovider as cognito;
use aws_smithy_types::date_time::Format;
use cognito::types::UserType;
use std::collections::{BTreeMap, BTreeSet};

/// The most `ListUsers` returns a page.
pub const PAGE: i32 = 60;

/// The pool's name and Cognito's estimate of its users (for the progress
/// line), or `None` when it does not exist.
pub async fn summary(client: &cognito::Client, id: &str) -> anyhow::Result<Option<(String, u64)>> {
    match client.describe_user_pool().user_pool_id(id).send().await {
        Ok(out) => {
            let pool = out
                .user_pool
                .ok_or_else(|| anyhow::anyhow!("DescribeUserPool {id} returned no pool"))?;
            Ok(Some((
                pool.name.unwrap_or_default(),
                pool.estimated_number_of_users.max(0) as u64,
            )))
        }
        Err(err) if crate::aws::is_not_found(&err) => Ok(None),
        Err(err) => Err(explain(&format!("DescribeUserPool {id}"), err)),
    }
}

/// The columns of the pool's user import CSV, in Cognito's order.
pub async fn csv_header(client: &cognito::Client, id: &str) -> anyhow::Result<Vec<String>> {
    let out = client
        .get_csv_header()
        .user_pool_id(id)
        .send()
        .await
        .map_err(|err| explain(&format!("GetCSVHeader {id}"), err))?;
    Ok(out.csv_header.unwrap_or_default())
}

/// One page of users from `token` on (the first page without one), and the
/// token of the next page.
pub async fn page(
    client: &cognito::Client,
    id: &str,
    token: Option<&str>,
) -> anyhow::Result<(Vec<UserRecord>, Option<String>)> {
    let out = client
        .list_users()
        .user_pool_id(id)
        .limit(PAGE)
        .set_pagination_token(token.map(str::to_string))
        .send()
        .await
        .map_err(|err| explain(&format!("ListUsers {id}"), err))?;
    let users = out.users.unwrap_or_default().iter().map(record).collect();
    Ok((users, out.pagination_token.filter(|t| !t.is_empty())))
}

/// Every user name of the pool (to tell which users an import would repeat).
pub async fn usernames(client: &cognito::Client, id: &str) -> anyhow::Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    let mut token = None;
    loop {
        let (users, next) = page(client, id, token.as_deref()).await?;
        names.extend(users.into_iter().map(|u| u.username));
        match next {
            Some(next) => token = Some(next),
            None => return Ok(names),
        }
    }
}

/// The pool's group names.
pub async fn groups(client: &cognito::Client, id: &str) -> anyhow::Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    let mut token = None;
    loop {
        let out = client
            .list_groups()
            .user_pool_id(id)
            .limit(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(|err| explain(&format!("ListGroups {id}"), err))?;
        names.extend(
            out.groups
                .unwrap_or_default()
                .into_iter()
                .filter_map(|g| g.group_name),
        );
        match out.next_token.filter(|t| !t.is_empty()) {
            Some(next) => token = Some(next),
            None => return Ok(names),
        }
    }
}

/// User name -> the groups it belongs to (sorted), for every user in a group.
pub async fn memberships(
    client: &cognito::Client,
    id: &str,
) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    // Each group is its own chain of pages: the groups are walked side by
    // side (the limiter keeps them within the quota together).
    let walks = groups(client, id)
        .await?
        .into_iter()
        .map(|group| async move {
            let mut members = Vec::new();
            let mut token = None;
            loop {
                let out = client
                    .list_users_in_group()
                    .user_pool_id(id)
                    .group_name(&group)
                    .limit(PAGE)
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|err| explain(&format!("ListUsersInGroup {id} {group}"), err))?;
                members.extend(
                    out.users
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|u| u.username),
                );
                match out.next_token.filter(|t| !t.is_empty()) {
                    Some(next) => token = Some(next),
                    None => return anyhow::Ok((group, members)),
                }
            }
        });
    let mut by_user: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (group, members) in futures::future::try_join_all(walks).await? {
        for name in members {
            by_user.entry(name).or_default().push(group.clone());
        }
    }
    Ok(by_user)
}

fn record(user: &UserType) -> UserRecord {
    let mut attributes = BTreeMap::new();
    let mut sub = None;
    for attribute in user.attributes() {
        let value = attribute.value.clone().unwrap_or_default();
        if attribute.name == "sub" {
            sub = Some(value);
        } else {
            attributes.insert(attribute.name.clone(), value);
        }
    }
    let date =
        |d: Option<&aws_smithy_types::DateTime>| d.and_then(|d| d.fmt(Format::DateTime).ok());
    UserRecord {
        username: user.username.clone().unwrap_or_default(),
        sub,
        status: user.user_status.as_ref().map(|s| s.as_str().to_string()),
        enabled: user.enabled,
        attributes,
        groups: Vec::new(),
        created: date(user.user_create_date.as_ref()),
        modified: date(user.user_last_modified_date.as_ref()),
    }
}
