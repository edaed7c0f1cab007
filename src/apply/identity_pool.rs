//! Writing identity pools: `CreateIdentityPool` / `UpdateIdentityPool`
//! (sent whole: AWS resets what an update leaves out), then
//! `SetIdentityPoolRoles` and `SetPrincipalTagAttributeMap`, which name the
//! pool's id. It runs after the user pool and its clients, whose ids it
//! names; client ids are listed again here, since a client the same apply
//! created has one only now.

use super::ApplyCtx;
use crate::aws::explain;
use crate::diff::compare;
use crate::diff::identity_pool::{
    desired_view, is_roles_path, is_tags_path, live_view, touches_pool, Resolver,
};
use crate::live::http_authorizer::client_ids;
use crate::live::identity_pool::LiveIdentityPool;
use crate::model::identity_pool::{user_pool_provider_name, IdentityPool, MappingType};
use crate::plan::Action;
use aws_sdk_cognitoidentity as identity;
use identity::types as t;
use std::collections::HashMap;

pub async fn run(ctx: &ApplyCtx<'_>, key: &str, action: Action) -> anyhow::Result<()> {
    let Some(spec) = ctx
        .desired
        .resources
        .identity_pools
        .as_ref()
        .and_then(|p| p.get(key))
    else {
        anyhow::bail!("identity pool {key} is not in the spec");
    };
    let resolver = resolver(ctx, spec).await?;
    let live = ctx
        .live
        .identity_pools
        .as_ref()
        .and_then(|s| s.pools.get(key))
        .and_then(Option::as_ref);
    let client = &ctx.clients.identity;
    match (action, live) {
        (Action::Create, _) => {
            let providers = providers(spec, &resolver, None)?;
            let created = client
                .create_identity_pool()
                .identity_pool_name(spec.name_or(key))
                .allow_unauthenticated_identities(spec.allow_unauthenticated.unwrap_or(false))
                .set_allow_classic_flow(spec.allow_classic_flow)
                .set_cognito_identity_providers(Some(providers))
                .set_supported_login_providers(spec.supported_login_providers.as_ref().map(to_hash))
                .set_developer_provider_name(spec.developer_provider_name.clone())
                .set_open_id_connect_provider_arns(spec.openid_connect_provider_arns.clone())
                .set_saml_provider_arns(spec.saml_provider_arns.clone())
                .set_identity_pool_tags(spec.tags.as_ref().map(to_hash))
                .send()
                .await
                .map_err(|e| explain(&format!("CreateIdentityPool {}", spec.name_or(key)), e))?;
            let id = created.identity_pool_id().to_string();
            tracing::info!(%id, "created identity pool");
            if spec.roles.is_some() || spec.role_mappings.is_some() {
                set_roles(client, &id, spec, None, &resolver).await?;
            }
            set_principal_tags(client, &id, spec, None, &resolver).await?;
        }
        (Action::Update, Some(live)) => {
            // What differs now, with the client ids of this moment.
            let want = desired_view(key, spec, Some(live), &resolver);
            let have = live_view(spec, live, &resolver);
            let mut fields = Vec::new();
            compare(&want, Some(&have), "", &mut fields);
            if touches_pool(&fields) {
                update_pool(client, key, spec, live, &resolver).await?;
            }
            if fields.iter().any(|f| is_roles_path(&f.path)) {
                set_roles(client, &live.id, spec, Some(live), &resolver).await?;
            }
            if fields.iter().any(|f| is_tags_path(&f.path)) {
                set_principal_tags(client, &live.id, spec, Some(live), &resolver).await?;
            }
        }
        (action, _) => anyhow::bail!("identity pool {key}: nothing to do for {action:?}"),
    }
    Ok(())
}

async fn resolver(ctx: &ApplyCtx<'_>, spec: &IdentityPool) -> anyhow::Result<Resolver> {
    let own = spec
        .cognito_providers
        .iter()
        .flatten()
        .any(|p| p.client.is_some());
    let Some(pool) = ctx.pool.as_ref() else {
        return Ok(Resolver {
            own_provider: None,
            client_ids: Default::default(),
        });
    };
    Ok(Resolver {
        own_provider: Some(user_pool_provider_name(&ctx.desired.region, &pool.id)),
        client_ids: if own {
            client_ids(&ctx.clients.cognito, &pool.id).await?
        } else {
            Default::default()
        },
    })
}

fn to_hash(map: &std::collections::BTreeMap<String, String>) -> HashMap<String, String> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// The spec's Cognito providers with ids resolved; the live ones when the
/// spec does not declare any.
fn providers(
    spec: &IdentityPool,
    r: &Resolver,
    live: Option<&LiveIdentityPool>,
) -> anyhow::Result<Vec<t::CognitoIdentityProvider>> {
    let Some(declared) = &spec.cognito_providers else {
        return Ok(live
            .map(|l| {
                l.cognito_providers
                    .iter()
                    .map(|p| {
                        t::CognitoIdentityProvider::builder()
                            .provider_name(&p.provider_name)
                            .client_id(&p.client_id)
                            .server_side_token_check(p.server_side_token_check)
                            .build()
                    })
                    .collect()
            })
            .unwrap_or_default());
    };
    declared
        .iter()
        .map(|p| {
            let (provider, id) = match &p.client {
                Some(name) => {
                    let provider = r
                        .own_provider
                        .clone()
                        .ok_or_else(|| anyhow::anyhow!("the user pool does not exist"))?;
                    let id = r.client_id(name).ok_or_else(|| {
                        anyhow::anyhow!(
                            "client `{name}` does not exist, or several clients share that name"
                        )
                    })?;
                    (provider, id.to_string())
                }
                None => (
                    p.provider_name.clone().unwrap_or_default(),
                    p.client_id.clone().unwrap_or_default(),
                ),
            };
            Ok(t::CognitoIdentityProvider::builder()
                .provider_name(provider)
                .client_id(id)
                .server_side_token_check(p.server_side_token_check.unwrap_or(false))
                .build())
        })
        .collect()
}

/// `UpdateIdentityPool` with every field: the spec's where it declares
/// them, the live ones elsewhere.
async fn update_pool(
    client: &identity::Client,
    key: &str,
    spec: &IdentityPool,
    live: &LiveIdentityPool,
    r: &Resolver,
) -> anyhow::Result<()> {
    let providers = providers(spec, r, Some(live))?;
    let pick = |declared: &Option<Vec<String>>, live: &Vec<String>| {
        Some(declared.clone().unwrap_or_else(|| live.clone()))
    };
    client
        .update_identity_pool()
        .identity_pool_id(&live.id)
        .identity_pool_name(spec.name_or(key))
        .allow_unauthenticated_identities(
            spec.allow_unauthenticated
                .unwrap_or(live.allow_unauthenticated),
        )
        .allow_classic_flow(spec.allow_classic_flow.unwrap_or(live.allow_classic_flow))
        .set_cognito_identity_providers(Some(providers))
        .set_supported_login_providers(Some(to_hash(
            spec.supported_login_providers
                .as_ref()
                .unwrap_or(&live.supported_login_providers),
        )))
        .set_developer_provider_name(
            spec.developer_provider_name
                .clone()
                .or_else(|| live.developer_provider_name.clone()),
        )
        .set_open_id_connect_provider_arns(pick(
            &spec.openid_connect_provider_arns,
            &live.openid_connect_provider_arns,
        ))
        .set_saml_provider_arns(pick(&spec.saml_provider_arns, &live.saml_provider_arns))
        .set_identity_pool_tags(Some(to_hash(spec.tags.as_ref().unwrap_or(&live.tags))))
        .send()
        .await
        .map_err(|e| explain(&format!("UpdateIdentityPool {}", live.id), e))?;
    Ok(())
}

/// `SetIdentityPoolRoles` replaces roles and mappings together: what the
/// spec does not declare is sent as it is live.
async fn set_roles(
    client: &identity::Client,
    id: &str,
    spec: &IdentityPool,
    live: Option<&LiveIdentityPool>,
    r: &Resolver,
) -> anyhow::Result<()> {
    let roles: HashMap<String, String> = match &spec.roles {
        Some(roles) => [
            ("authenticated", &roles.authenticated),
            ("unauthenticated", &roles.unauthenticated),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.to_string(), v)))
        .collect(),
        None => live.map(|l| to_hash(&l.roles)).unwrap_or_default(),
    };
    let mut mappings = HashMap::new();
    match &spec.role_mappings {
        Some(declared) => {
            for (provider, m) in declared {
                let key = r.mapping_key(provider, spec).ok_or_else(|| {
                    anyhow::anyhow!("role mapping `{provider}`: the client does not exist")
                })?;
                mappings.insert(key, to_sdk(m)?);
            }
        }
        None => {
            for (key, m) in live.iter().flat_map(|l| &l.role_mappings) {
                mappings.insert(key.clone(), to_sdk(m)?);
            }
        }
    }
    client
        .set_identity_pool_roles()
        .identity_pool_id(id)
        .set_roles(Some(roles))
        .set_role_mappings((!mappings.is_empty()).then_some(mappings))
        .send()
        .await
        .map_err(|e| explain(&format!("SetIdentityPoolRoles {id}"), e))?;
    Ok(())
}

fn to_sdk(m: &crate::model::identity_pool::RoleMapping) -> anyhow::Result<t::RoleMapping> {
    let kind = match m.kind {
        Some(MappingType::Rules) => t::RoleMappingType::Rules,
        _ => t::RoleMappingType::Token,
    };
    let rules = match &m.rules {
        Some(rules) => Some(
            t::RulesConfigurationType::builder()
                .set_rules(Some(
                    rules
                        .iter()
                        .map(|rule| {
                            t::MappingRule::builder()
                                .claim(rule.claim.clone().unwrap_or_default())
                                .match_type(t::MappingRuleMatchType::from(
                                    rule.match_type.map(|m| m.api()).unwrap_or("Equals"),
                                ))
                                .value(rule.value.clone().unwrap_or_default())
                                .role_arn(rule.role_arn.clone().unwrap_or_default())
                                .build()
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                ))
                .build()?,
        ),
        None => None,
    };
    Ok(t::RoleMapping::builder()
        .r#type(kind)
        .set_ambiguous_role_resolution(
            m.ambiguous_role_resolution
                .map(|a| t::AmbiguousRoleResolutionType::from(a.api())),
        )
        .set_rules_configuration(rules)
        .build()?)
}

/// `SetPrincipalTagAttributeMap` for each provider the spec declares tags
/// for whose live map differs (all of them for a new pool).
async fn set_principal_tags(
    client: &identity::Client,
    id: &str,
    spec: &IdentityPool,
    live: Option<&LiveIdentityPool>,
    r: &Resolver,
) -> anyhow::Result<()> {
    for (provider, tags) in spec.principal_tags.iter().flatten() {
        let name = r.tag_provider(provider, spec).ok_or_else(|| {
            anyhow::anyhow!("principal tags of `{provider}`: the user pool does not exist")
        })?;
        let use_defaults = tags.use_defaults.unwrap_or(false);
        let map = tags.tags.clone().unwrap_or_default();
        if let Some(have) = live.and_then(|l| l.principal_tags.get(&name)) {
            if have.use_defaults == use_defaults && have.tags == map {
                continue;
            }
        }
        client
            .set_principal_tag_attribute_map()
            .identity_pool_id(id)
            .identity_provider_name(&name)
            .use_defaults(use_defaults)
            .set_principal_tags(Some(to_hash(&map)))
            .send()
            .await
            .map_err(|e| explain(&format!("SetPrincipalTagAttributeMap {id} {name}"), e))?;
    }
    Ok(())
}
