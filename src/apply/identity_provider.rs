//! Writing identity providers. `UpdateIdentityProvider` is sent the whole
//! provider: the live details that are its configuration (never AWS's
//! read-only additions) with the spec's laid over them, and the attribute
//! mapping, identifiers and ACR mapping. A new type means delete, then
//! create.
//!
//! Provider details hold client secrets and private keys: the requests and
//! AWS's answers are never logged or put into an error.

use super::ApplyCtx;
use crate::aws::{deleted, explain};
use crate::model::identity_provider::{Details, IdentityProvider, SECRET_DETAILS};
use crate::plan::Action;
use aws_sdk_cognitoidentityprovider::types::IdentityProviderTypeType;
use std::collections::{BTreeMap, HashMap};

pub async fn run(ctx: &ApplyCtx<'_>, name: &str, action: Action) -> anyhow::Result<()> {
    let desired = ctx
        .desired
        .resources
        .identity_providers
        .as_ref()
        .and_then(|p| p.get(name));
    match (action, desired) {
        (Action::Create, Some(provider)) => create(ctx, name, &normalized(provider)).await,
        (Action::Update, Some(provider)) => update(ctx, name, &normalized(provider)).await,
        (Action::Replace, Some(provider)) => {
            delete(ctx, name).await?;
            ctx.progress.did(format!(
                "delete {} (DeleteIdentityProvider)",
                crate::plan::Kind::IdentityProvider.at(name)
            ));
            create(ctx, name, &normalized(provider)).await.map_err(|e| {
                e.context(format!(
                    "identity provider {name} was deleted but not created again; the next apply creates it"
                ))
            })
        }
        (Action::Delete, _) => delete(ctx, name).await,
        (action, _) => anyhow::bail!("identity provider {name}: nothing to do for {action:?}"),
    }
}

/// An AWS error with any secret of the request that it echoes blotted out:
/// the message is the service's own text, and it ends up on the terminal.
/// `sent` is the details the request carried: an update sends live secrets
/// back that the spec does not declare.
fn scrub(err: anyhow::Error, sent: &Details) -> anyhow::Error {
    let mut text = format!("{err:#}");
    let mut scrubbed = false;
    for secret in SECRET_DETAILS.iter().filter_map(|key| sent.get(*key)) {
        let value = secret.expose();
        if !value.is_empty() && text.contains(value) {
            text = text.replace(value, "(sensitive)");
            scrubbed = true;
        }
    }
    if scrubbed {
        anyhow::anyhow!(text)
    } else {
        err
    }
}

/// Sorted scopes and identifiers, as the plan showed them.
fn normalized(provider: &IdentityProvider) -> IdentityProvider {
    let mut provider = provider.clone();
    provider.normalize();
    provider
}

/// The one place provider details leave their `Secret` wrapping: into the
/// request that carries them to AWS.
fn reveal(details: &Details) -> HashMap<String, String> {
    details
        .iter()
        .map(|(key, value)| (key.clone(), value.expose().to_string()))
        .collect()
}

async fn create(ctx: &ApplyCtx<'_>, name: &str, provider: &IdentityProvider) -> anyhow::Result<()> {
    let Some(t) = provider.provider_type else {
        anyhow::bail!("identity provider {name} has no type");
    };
    let details = provider.details();
    ctx.clients
        .cognito
        .create_identity_provider()
        .user_pool_id(&ctx.pool()?.id)
        .provider_name(name)
        .provider_type(IdentityProviderTypeType::from(t.api_name()))
        .set_provider_details(Some(reveal(&details)))
        .set_attribute_mapping(
            provider
                .attribute_mapping
                .as_ref()
                .map(|m| m.clone().into_iter().collect()),
        )
        .set_idp_identifiers(provider.idp_identifiers.clone())
        .send()
        .await
        .map_err(|e| {
            scrub(
                explain(&format!("CreateIdentityProvider {name}"), e),
                &details,
            )
        })?;
    Ok(())
}

async fn update(ctx: &ApplyCtx<'_>, name: &str, provider: &IdentityProvider) -> anyhow::Result<()> {
    // Read again right before writing, and write over that.
    let fresh =
        crate::live::identity_provider::describe(&ctx.clients.cognito, &ctx.pool()?.id, name)
            .await?;
    let Some(live) = fresh.as_ref() else {
        anyhow::bail!("identity provider {name} no longer exists; nothing was written to it");
    };
    let now = crate::diff::identity_provider::diff(
        Some(&BTreeMap::from([(name.to_string(), provider.clone())])),
        &BTreeMap::from([(name.to_string(), live.clone())]),
        false,
    );
    ctx.still_planned(&crate::plan::Kind::IdentityProvider.at(name), now.first())?;
    let Some(t) = live.model.provider_type.or(provider.provider_type) else {
        anyhow::bail!("identity provider {name} has no type");
    };
    let details = provider.update_details(t, &live.details);
    let live_mapping = live.model.attribute_mapping.clone().unwrap_or_default();
    let mapping = match &provider.attribute_mapping {
        // The whole declared mapping; AWS's own `username` mapping stays
        // unless the spec says otherwise.
        Some(declared) => {
            let mut mapping = declared.clone();
            if let Some(username) = live_mapping.get("username") {
                mapping
                    .entry("username".to_string())
                    .or_insert_with(|| username.clone());
            }
            mapping
        }
        None => live_mapping,
    };
    let identifiers = provider
        .idp_identifiers
        .clone()
        .or_else(|| live.model.idp_identifiers.clone());
    ctx.clients
        .cognito
        .update_identity_provider()
        .user_pool_id(&ctx.pool()?.id)
        .provider_name(name)
        .set_provider_details(Some(reveal(&details)))
        .set_attribute_mapping(Some(mapping.into_iter().collect()))
        .set_idp_identifiers(identifiers)
        .set_acr_mapping(live.acr_mapping.clone())
        .send()
        .await
        .map_err(|e| {
            scrub(
                explain(&format!("UpdateIdentityProvider {name}"), e),
                &details,
            )
        })?;
    Ok(())
}

async fn delete(ctx: &ApplyCtx<'_>, name: &str) -> anyhow::Result<()> {
    let result = ctx
        .clients
        .cognito
        .delete_identity_provider()
        .user_pool_id(&ctx.pool()?.id)
        .provider_name(name)
        .send()
        .await;
    deleted(&format!("DeleteIdentityProvider {name}"), result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Secret;

    #[test]
    fn scrub_blots_out_the_secrets_the_request_carried_and_nothing_else() {
        let sent: Details = [
            ("client_id", "okta-client"),
            ("client_secret", "live-secret-1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Secret::new(v)))
        .collect();
        let err = anyhow::anyhow!("Invalid secret live-secret-1 for okta-client");
        assert_eq!(
            scrub(err, &sent).to_string(),
            "Invalid secret (sensitive) for okta-client"
        );
    }
}
