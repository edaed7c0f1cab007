//! Reading the identity pools a spec names, and the trust policies of the
//! IAM roles they hand out.
//!
//! Identity pools live in the account: `ListIdentityPools` is walked once per
//! account and region, and each declared one is found by exact name (or by
//! its pinned id). Two with one name is an error: poolctl will not guess.
//! Roles are read with IAM `GetRole` only (poolctl never writes IAM); a role
//! poolctl cannot read is a note in the plan, not an error.

use crate::aws::{explain, is_not_found};
use crate::desired::DesiredPool;
use crate::model::identity_pool::{
    AmbiguousRoleResolution, IdentityPool, MappingRule, MappingType, MatchType, RoleMapping,
};
use aws_sdk_cognitoidentity as identity;
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// An identity pool as `ListIdentityPools` lists it.
#[derive(Debug, Clone)]
pub struct IdentityPoolRef {
    pub id: String,
    pub name: String,
}

/// A user pool client the identity pool accepts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveProvider {
    pub provider_name: String,
    pub client_id: String,
    pub server_side_token_check: bool,
}

/// `GetPrincipalTagAttributeMap` for one provider.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LivePrincipalTags {
    pub use_defaults: bool,
    pub tags: BTreeMap<String, String>,
}

/// Everything live about one identity pool, as AWS names it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LiveIdentityPool {
    pub id: String,
    pub name: String,
    pub allow_unauthenticated: bool,
    pub allow_classic_flow: bool,
    pub cognito_providers: Vec<LiveProvider>,
    pub supported_login_providers: BTreeMap<String, String>,
    pub openid_connect_provider_arns: Vec<String>,
    pub saml_provider_arns: Vec<String>,
    pub developer_provider_name: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// `authenticated` / `unauthenticated` -> role ARN.
    pub roles: BTreeMap<String, String>,
    /// By AWS's provider key (`cognito-idp...:<client id>`, `accounts.google.com`).
    pub role_mappings: BTreeMap<String, RoleMapping>,
    /// By provider name; only the providers the spec declares tags for.
    pub principal_tags: BTreeMap<String, LivePrincipalTags>,
}

/// What poolctl could learn about a role's trust policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RoleTrust {
    /// The policy document, decoded.
    Policy(serde_json::Value),
    /// The role is in another account than the one poolctl runs in.
    OtherAccount { found: String },
    /// Could not be read (missing, denied): why.
    Unreadable(String),
}

/// The spec's identity pools, live, and the roles they name.
#[derive(Debug, Clone, Default)]
pub struct IdentityPoolState {
    /// By the spec's key; `None` when it does not exist yet.
    pub pools: BTreeMap<String, Option<LiveIdentityPool>>,
    /// By role ARN.
    pub roles: BTreeMap<String, RoleTrust>,
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityPoolLookupError {
    #[error("{file}: `identity_pools.{key}` (pool `{pool}`, environment `{environment}`): {} identity pools in {region} are named `{name}`: {}; poolctl will not guess; pin one with `identity_pool_id`", ids.len(), ids.join(", "), file = file.display())]
    Ambiguous {
        key: String,
        name: String,
        region: String,
        pool: String,
        environment: String,
        file: PathBuf,
        ids: Vec<String>,
    },
    #[error("{file}: `identity_pools.{key}.identity_pool_id` (pool `{pool}`, environment `{environment}`): identity pool `{id}` does not exist in {region}", file = file.display())]
    PinnedMissing {
        key: String,
        id: String,
        region: String,
        pool: String,
        environment: String,
        file: PathBuf,
    },
}

/// Every identity pool of the client's region, through every page.
pub async fn list(client: &identity::Client) -> anyhow::Result<Vec<IdentityPoolRef>> {
    let pages: Vec<_> = client
        .list_identity_pools()
        .max_results(60)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| explain("ListIdentityPools", e))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.identity_pools())
        .filter_map(|p| {
            Some(IdentityPoolRef {
                id: p.identity_pool_id()?.to_string(),
                name: p.identity_pool_name().unwrap_or_default().to_string(),
            })
        })
        .collect())
}

/// How many identity pools (and roles) are read at once.
const CONCURRENCY: usize = 4;

/// Reads the spec's identity pools. `own_provider` is this user pool's
/// provider name when it exists, to read principal tags declared by client.
pub async fn read(
    client: &identity::Client,
    iam: &aws_sdk_iam::Client,
    listing: &[IdentityPoolRef],
    desired: &DesiredPool,
    declared: &BTreeMap<String, IdentityPool>,
    own_provider: Option<&str>,
) -> anyhow::Result<IdentityPoolState> {
    let mut found = Vec::new();
    for (key, spec) in declared {
        let id = match &spec.identity_pool_id {
            Some(id) => Some(id.clone()),
            None => {
                let name = spec.name_or(key);
                let ids: Vec<String> = listing
                    .iter()
                    .filter(|p| p.name == name)
                    .map(|p| p.id.clone())
                    .collect();
                if ids.len() > 1 {
                    return Err(IdentityPoolLookupError::Ambiguous {
                        key: key.clone(),
                        name: name.to_string(),
                        region: desired.region.clone(),
                        pool: desired.key.clone(),
                        environment: desired.environment.clone(),
                        file: desired.file.clone(),
                        ids,
                    }
                    .into());
                }
                ids.into_iter().next()
            }
        };
        found.push((key.clone(), spec, id));
    }
    let pools: Vec<(String, Option<LiveIdentityPool>)> = futures::stream::iter(found)
        .map(|(key, spec, id)| async move {
            let Some(id) = id else {
                return anyhow::Ok((key, None));
            };
            let providers: Vec<String> = spec
                .principal_tags
                .iter()
                .flatten()
                .filter_map(|(provider, _)| tag_provider_name(provider, spec, own_provider))
                .collect();
            match describe(client, &id, &providers).await? {
                Some(live) => Ok((key, Some(live))),
                None if spec.identity_pool_id.is_some() => {
                    Err(IdentityPoolLookupError::PinnedMissing {
                        key,
                        id,
                        region: desired.region.clone(),
                        pool: desired.key.clone(),
                        environment: desired.environment.clone(),
                        file: desired.file.clone(),
                    }
                    .into())
                }
                None => Ok((key, None)),
            }
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    let pools: BTreeMap<String, Option<LiveIdentityPool>> = pools.into_iter().collect();

    let arns = role_arns(declared, desired);
    let roles: Vec<(String, RoleTrust)> = futures::stream::iter(arns)
        .map(|arn| async move {
            let trust = read_role(iam, &arn).await;
            (arn, trust)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    Ok(IdentityPoolState {
        pools,
        roles: roles.into_iter().collect(),
    })
}

/// The provider name principal tags are set for: a client of this spec
/// stands for its user pool.
pub fn tag_provider_name(
    provider: &str,
    spec: &IdentityPool,
    own_provider: Option<&str>,
) -> Option<String> {
    let own = spec
        .cognito_providers
        .iter()
        .flatten()
        .any(|p| p.client.as_deref() == Some(provider));
    if own {
        own_provider.map(str::to_string)
    } else {
        Some(provider.to_string())
    }
}

/// Every role the spec's identity pools hand out: their own, the rules', and
/// (for a `token` mapping) the groups' `role_arn`.
pub fn role_arns(
    declared: &BTreeMap<String, IdentityPool>,
    desired: &DesiredPool,
) -> BTreeSet<String> {
    let mut arns = BTreeSet::new();
    for spec in declared.values() {
        if let Some(roles) = &spec.roles {
            arns.extend(roles.authenticated.clone());
            arns.extend(roles.unauthenticated.clone());
        }
        for mapping in spec.role_mappings.iter().flatten().map(|(_, m)| m) {
            for rule in mapping.rules.iter().flatten() {
                arns.extend(rule.role_arn.clone());
            }
            if mapping.kind == Some(MappingType::Token) {
                for group in desired.resources.groups.iter().flatten().map(|(_, g)| g) {
                    arns.extend(group.role_arn.clone());
                }
            }
        }
    }
    arns
}

async fn read_role(iam: &aws_sdk_iam::Client, arn: &str) -> RoleTrust {
    let Some(name) = arn.rsplit('/').next().filter(|n| !n.is_empty()) else {
        return RoleTrust::Unreadable("not a role ARN".into());
    };
    match iam.get_role().role_name(name).send().await {
        Ok(out) => {
            let Some(role) = out.role() else {
                return RoleTrust::Unreadable("GetRole returned no role".into());
            };
            // GetRole reads the caller's account: a role of that name there
            // is another role than the ARN's when the accounts differ.
            if account_of(role.arn()) != account_of(arn) {
                return RoleTrust::OtherAccount {
                    found: role.arn().to_string(),
                };
            }
            match role.assume_role_policy_document() {
                Some(doc) => {
                    let text = percent_encoding::percent_decode_str(doc).decode_utf8_lossy();
                    match serde_json::from_str(&text) {
                        Ok(value) => RoleTrust::Policy(value),
                        Err(e) => {
                            RoleTrust::Unreadable(format!("its trust policy is not JSON ({e})"))
                        }
                    }
                }
                None => RoleTrust::Unreadable("GetRole returned no trust policy".into()),
            }
        }
        Err(err)
            if is_not_found(&err)
                || err
                    .as_service_error()
                    .is_some_and(|e| e.is_no_such_entity_exception()) =>
        {
            RoleTrust::Unreadable(
                "no role of that name exists in this account (it may be in another account)".into(),
            )
        }
        Err(err) => {
            RoleTrust::Unreadable(format!("{:#}", explain(&format!("GetRole {name}"), err)))
        }
    }
}

/// The account of an ARN (`arn:aws:iam::123456789012:role/x`).
pub fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4)
}

/// One identity pool in full, or `None` when it does not exist.
pub async fn describe(
    client: &identity::Client,
    id: &str,
    tag_providers: &[String],
) -> anyhow::Result<Option<LiveIdentityPool>> {
    let out = match client
        .describe_identity_pool()
        .identity_pool_id(id)
        .send()
        .await
    {
        Ok(out) => out,
        Err(err) if is_not_found(&err) => return Ok(None),
        Err(err) => return Err(explain(&format!("DescribeIdentityPool {id}"), err)),
    };
    let roles = client
        .get_identity_pool_roles()
        .identity_pool_id(id)
        .send()
        .await
        .map_err(|e| explain(&format!("GetIdentityPoolRoles {id}"), e))?;
    let mut principal_tags = BTreeMap::new();
    for provider in tag_providers {
        let tags = client
            .get_principal_tag_attribute_map()
            .identity_pool_id(id)
            .identity_provider_name(provider)
            .send()
            .await;
        let tags = match tags {
            Ok(t) => LivePrincipalTags {
                use_defaults: t.use_defaults().unwrap_or(false),
                tags: sorted(t.principal_tags()),
            },
            Err(err) if is_not_found(&err) => LivePrincipalTags::default(),
            Err(err) => {
                return Err(explain(
                    &format!("GetPrincipalTagAttributeMap {id} {provider}"),
                    err,
                ))
            }
        };
        principal_tags.insert(provider.clone(), tags);
    }
    let mut providers: Vec<LiveProvider> = out
        .cognito_identity_providers()
        .iter()
        .map(|p| LiveProvider {
            provider_name: p.provider_name().unwrap_or_default().to_string(),
            client_id: p.client_id().unwrap_or_default().to_string(),
            server_side_token_check: p.server_side_token_check().unwrap_or(false),
        })
        .collect();
    providers
        .sort_by(|a, b| (&a.provider_name, &a.client_id).cmp(&(&b.provider_name, &b.client_id)));
    let mut oidc = out.open_id_connect_provider_arns().to_vec();
    oidc.sort();
    let mut saml = out.saml_provider_arns().to_vec();
    saml.sort();
    Ok(Some(LiveIdentityPool {
        id: out.identity_pool_id().to_string(),
        name: out.identity_pool_name().to_string(),
        allow_unauthenticated: out.allow_unauthenticated_identities(),
        allow_classic_flow: out.allow_classic_flow().unwrap_or(false),
        cognito_providers: providers,
        supported_login_providers: sorted(out.supported_login_providers()),
        openid_connect_provider_arns: oidc,
        saml_provider_arns: saml,
        // An unset name is reported as absent, or (moto) as "".
        developer_provider_name: out
            .developer_provider_name()
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        tags: sorted(out.identity_pool_tags()),
        roles: sorted(roles.roles()),
        role_mappings: roles
            .role_mappings()
            .into_iter()
            .flatten()
            .map(|(k, m)| (k.clone(), to_model(m)))
            .collect(),
        principal_tags,
    }))
}

fn sorted(map: Option<&std::collections::HashMap<String, String>>) -> BTreeMap<String, String> {
    map.into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn to_model(m: &identity::types::RoleMapping) -> RoleMapping {
    use identity::types::{
        AmbiguousRoleResolutionType as A, MappingRuleMatchType as M, RoleMappingType as T,
    };
    RoleMapping {
        kind: match m.r#type() {
            T::Token => Some(MappingType::Token),
            T::Rules => Some(MappingType::Rules),
            _ => None,
        },
        ambiguous_role_resolution: m.ambiguous_role_resolution().and_then(|a| match a {
            A::Deny => Some(AmbiguousRoleResolution::Deny),
            A::AuthenticatedRole => Some(AmbiguousRoleResolution::AuthenticatedRole),
            _ => None,
        }),
        rules: m.rules_configuration().map(|c| {
            c.rules()
                .iter()
                .map(|r| MappingRule {
                    claim: Some(r.claim().to_string()),
                    match_type: match r.match_type() {
                        M::Equals => Some(MatchType::Equals),
                        M::Contains => Some(MatchType::Contains),
                        M::StartsWith => Some(MatchType::StartsWith),
                        M::NotEqual => Some(MatchType::NotEqual),
                        _ => None,
                    },
                    value: Some(r.value().to_string()),
                    role_arn: Some(r.role_arn().to_string()),
                })
                .collect()
        }),
    }
}
