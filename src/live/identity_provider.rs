//! Reading a pool's identity providers: one paged `ListIdentityProviders`
//! for every name and type, then `DescribeIdentityProvider` for each one the
//! spec declares (only a describe shows the details; an undeclared provider
//! needs no more than its name).
//!
//! AWS returns client secrets in the clear here. They are wrapped in
//! `Secret` as the answer is taken apart, and no SDK answer is ever logged:
//! its `Debug` would print them.

use crate::aws::{empty_if_not_found, explain};
use crate::model::enums::ProviderType;
use crate::model::identity_provider::{Details, IdentityProvider};
use crate::model::Secret;
use aws_sdk_cognitoidentityprovider as cognito;
use futures::{StreamExt, TryStreamExt};
use std::collections::{BTreeMap, HashMap};

/// Describes at a time: Cognito allows 5 `DescribeIdentityProvider` a second
/// per pool, which the pacing (`aws::limiter`) lets go at once when idle.
const CONCURRENT_DESCRIBES: usize = crate::aws::limiter::PER_POOL_PER_SECOND as usize;

/// A provider as it is live.
#[derive(Debug, Clone, Default)]
pub struct LiveIdentityProvider {
    /// Normalized like the spec's side. For a provider the spec does not
    /// declare (it was not described), only its type.
    pub model: IdentityProvider,
    /// `ProviderDetails` exactly as AWS reported them, AWS's own read-only
    /// keys included; the applier picks from them what to send back.
    pub details: Details,
    /// Not managed by poolctl; sent back unchanged on update.
    pub acr_mapping: Option<HashMap<String, String>>,
}

pub async fn read(
    client: &cognito::Client,
    pool_id: &str,
    declared: &BTreeMap<String, IdentityProvider>,
) -> anyhow::Result<BTreeMap<String, LiveIdentityProvider>> {
    read_where(client, pool_id, |name| declared.contains_key(name)).await
}

/// Every provider of the pool, each described (`poolctl import`).
pub async fn read_all(
    client: &cognito::Client,
    pool_id: &str,
) -> anyhow::Result<BTreeMap<String, LiveIdentityProvider>> {
    read_where(client, pool_id, |_| true).await
}

async fn read_where(
    client: &cognito::Client,
    pool_id: &str,
    describe_it: impl Fn(&str) -> bool,
) -> anyhow::Result<BTreeMap<String, LiveIdentityProvider>> {
    let mut providers = BTreeMap::new();
    let items: Vec<_> = empty_if_not_found(
        &format!("ListIdentityProviders {pool_id}"),
        client
            .list_identity_providers()
            .user_pool_id(pool_id)
            .max_results(60)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await,
    )?;
    for item in items {
        let Some(name) = item.provider_name else {
            continue;
        };
        let model = IdentityProvider {
            provider_type: item
                .provider_type
                .as_ref()
                .and_then(|t| convert(t.as_str())),
            ..IdentityProvider::default()
        };
        providers.insert(
            name,
            LiveIdentityProvider {
                model,
                ..LiveIdentityProvider::default()
            },
        );
    }

    let to_describe: Vec<String> = providers
        .keys()
        .filter(|name| describe_it(name))
        .cloned()
        .collect();
    super::note_paced_read(
        pool_id,
        to_describe.len(),
        "identity providers",
        "DescribeIdentityProvider",
    );
    let described: Vec<(String, Option<LiveIdentityProvider>)> =
        futures::stream::iter(to_describe.into_iter().map(|name| async move {
            let live = describe(client, pool_id, &name).await?;
            anyhow::Ok((name, live))
        }))
        .buffer_unordered(CONCURRENT_DESCRIBES)
        .try_collect()
        .await?;
    for (name, live) in described {
        match live {
            Some(live) => providers.insert(name, live),
            // Deleted between the list and the describe.
            None => providers.remove(&name),
        };
    }
    tracing::debug!(
        pool_id,
        providers = providers.len(),
        "read identity providers"
    );
    Ok(providers)
}

/// One provider as it is now; `None` when it no longer exists.
pub async fn describe(
    client: &cognito::Client,
    pool_id: &str,
    name: &str,
) -> anyhow::Result<Option<LiveIdentityProvider>> {
    let answer = match client
        .describe_identity_provider()
        .user_pool_id(pool_id)
        .provider_name(name)
        .send()
        .await
    {
        Ok(answer) => answer,
        Err(err) if crate::aws::is_not_found(&err) => return Ok(None),
        Err(err) => return Err(explain(&format!("DescribeIdentityProvider {name}"), err)),
    };
    let Some(provider) = answer.identity_provider else {
        anyhow::bail!("DescribeIdentityProvider {name} returned no provider");
    };
    let details: Details = provider
        .provider_details
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| (key, Secret::new(value)))
        .collect();
    let provider_type = provider
        .provider_type
        .as_ref()
        .and_then(|t| convert(t.as_str()));
    let mapping: BTreeMap<String, String> = provider
        .attribute_mapping
        .unwrap_or_default()
        .into_iter()
        .collect();
    let identifiers = provider.idp_identifiers.unwrap_or_default();
    let model = match provider_type {
        Some(t) => IdentityProvider::from_live(t, &details, Some(mapping), Some(identifiers)),
        None => IdentityProvider::default(),
    };
    Ok(Some(LiveIdentityProvider {
        model,
        details,
        acr_mapping: provider.acr_mapping,
    }))
}

fn convert(value: &str) -> Option<ProviderType> {
    let converted = ProviderType::from_api(value);
    if converted.is_none() {
        tracing::warn!(
            value,
            "AWS reported an identity provider type this poolctl does not know"
        );
    }
    converted
}
