//! Writing the pool's domain. An update (`UpdateUserPoolDomain`) is sent the
//! certificate, the managed login version and the routing, live values where
//! the spec declares none, because it resets what it is not sent. A
//! replacement deletes the live domain before creating the declared one: a
//! pool holds one domain of each kind.

use super::ApplyCtx;
use crate::aws::{deleted, explain};
use crate::live::domain::LiveDomain;
use crate::model::domain::Domain;
use aws_sdk_cognitoidentityprovider as cognito;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use cognito::types::CustomDomainConfigType;

use crate::plan::Action;

pub async fn run(ctx: &ApplyCtx<'_>, action: Action) -> anyhow::Result<()> {
    let client = &ctx.clients.cognito;
    let pool_id = ctx.pool()?.id.as_str();
    let Some(desired) = ctx.desired.resources.domain.as_ref() else {
        anyhow::bail!("the spec declares no domain");
    };
    let Some(name) = desired.name() else {
        anyhow::bail!("the domain has no name");
    };
    match (action, ctx.live.domain.as_ref()) {
        (Action::Create, _) => create(client, pool_id, desired, None).await,
        (Action::Update, Some(live)) => update(client, pool_id, desired, live).await,
        (Action::Replace, Some(live)) => {
            let old = live.settings.name().unwrap_or_default();
            ensure_free(client, pool_id, name).await?;
            let result = client
                .delete_user_pool_domain()
                .user_pool_id(pool_id)
                .domain(old)
                .send()
                .await;
            deleted(&format!("DeleteUserPoolDomain {old}"), result)?;
            ctx.progress.did(format!(
                "delete the old domain {old} (DeleteUserPoolDomain)"
            ));
            create(client, pool_id, desired, Some(live))
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "the old domain `{old}` was deleted, but the new one was not created: {e:#}; the pool has no domain until `{name}` can be created"
                    )
                })
        }
        (action, _) => anyhow::bail!("domain {name}: nothing to do for {action:?}"),
    }
}

/// `replacing`: the live domain it replaces, whose managed login version the
/// new one keeps unless the spec sets one.
async fn create(
    client: &cognito::Client,
    pool_id: &str,
    desired: &Domain,
    replacing: Option<&LiveDomain>,
) -> anyhow::Result<()> {
    let name = desired.name().unwrap_or_default();
    let version = desired
        .managed_login_version
        .or_else(|| replacing.and_then(|l| l.settings.managed_login_version));
    let config = match (&desired.custom, &desired.certificate_arn) {
        (Some(_), Some(arn)) => Some(certificate(arn, None)?),
        _ => None,
    };
    client
        .create_user_pool_domain()
        .user_pool_id(pool_id)
        .domain(name)
        .set_custom_domain_config(config)
        .set_managed_login_version(version.map(i32::from))
        .send()
        .await
        .map_err(|e| {
            let taken = e.as_service_error().is_some_and(|s| {
                s.code() == Some("InvalidParameterException")
                    && s.message().is_some_and(|m| m.contains("another user pool"))
            });
            if taken {
                taken_error(name)
            } else {
                explain(&format!("CreateUserPoolDomain {name}"), e)
            }
        })?;
    Ok(())
}

async fn update(
    client: &cognito::Client,
    pool_id: &str,
    desired: &Domain,
    live: &LiveDomain,
) -> anyhow::Result<()> {
    let name = live.settings.name().unwrap_or_default();
    let version = desired
        .managed_login_version
        .or(live.settings.managed_login_version);
    let config = match desired
        .certificate_arn
        .as_ref()
        .or(live.settings.certificate_arn.as_ref())
    {
        Some(arn) if live.settings.custom.is_some() => {
            Some(certificate(arn, live.custom_config.as_ref())?)
        }
        _ => None,
    };
    client
        .update_user_pool_domain()
        .user_pool_id(pool_id)
        .domain(name)
        .set_managed_login_version(version.map(i32::from))
        .set_custom_domain_config(config)
        .set_routing(live.routing.clone())
        .send()
        .await
        .map_err(|e| explain(&format!("UpdateUserPoolDomain {name}"), e))?;
    Ok(())
}

/// The live configuration (its TLS security policy kept) with `arn`.
fn certificate(
    arn: &str,
    live: Option<&CustomDomainConfigType>,
) -> anyhow::Result<CustomDomainConfigType> {
    Ok(CustomDomainConfigType::builder()
        .certificate_arn(arn)
        .set_security_policy(live.and_then(|c| c.security_policy.clone()))
        .build()?)
}

/// Before a replacement deletes the live domain: refuses when the new name
/// visibly belongs to another pool, so the pool is not left without one.
/// (A name held in another account is not visible; creation then fails.)
async fn ensure_free(client: &cognito::Client, pool_id: &str, name: &str) -> anyhow::Result<()> {
    let out = client
        .describe_user_pool_domain()
        .domain(name)
        .send()
        .await
        .map_err(|e| explain(&format!("DescribeUserPoolDomain {name}"), e))?;
    let owner = out
        .domain_description
        .and_then(|d| d.user_pool_id)
        .filter(|owner| owner != pool_id);
    match owner {
        Some(owner) => Err(anyhow::anyhow!(
            "{:#}; it belongs to pool {owner}; the live domain was left in place",
            taken_error(name)
        )),
        None => Ok(()),
    }
}

fn taken_error(name: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "the domain `{name}` is already taken by another user pool: a prefix is unique among every account's pools in the region, and a custom domain belongs to one pool; choose another name"
    )
}
