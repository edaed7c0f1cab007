//! Applying hosted UI branding: `SetUICustomization` (pool-wide as `ALL`,
//! or one client's), `CreateManagedLoginBranding` and
//! `UpdateManagedLoginBranding`. Each runs after the clients, so a client
//! created by the same apply has its id; each reads its target again right
//! before writing. `SetUICustomization` sets CSS and logo together, so what
//! the spec leaves out is sent back as it is live.

use super::ApplyCtx;
use crate::aws::explain;
use crate::diff::branding::{style_change, ui_change};
use crate::live::branding::{json_to_document, LiveStyle};
use crate::model::branding::{ManagedLoginBranding, UiCustomization, ALL_CLIENTS};
use crate::plan::{Action, Address, Kind};
use aws_sdk_cognitoidentityprovider::types as sdk;
use aws_smithy_types::Blob;

/// The id of the client the spec calls `name`: read with the plan, or (a
/// client this apply created or replaced) listed now.
async fn client_id(ctx: &ApplyCtx<'_>, name: &str) -> anyhow::Result<String> {
    let address = Kind::Client.at(name);
    let replaced = ctx
        .plan
        .changes
        .iter()
        .any(|c| c.address == address && c.action == Action::Replace);
    if let Some(live) = ctx.live.clients.by_name.get(name).filter(|_| !replaced) {
        return Ok(live.id.clone());
    }
    let ids =
        crate::live::http_authorizer::client_ids(&ctx.clients.cognito, &ctx.pool()?.id).await?;
    match ids.get(name).map(Vec::as_slice) {
        Some([one]) => Ok(one.clone()),
        Some(_) => anyhow::bail!("several app clients are named `{name}`"),
        None => anyhow::bail!("app client `{name}` does not exist"),
    }
}

/// The classic customization: `name` is empty for the pool-wide one.
pub async fn run_ui(ctx: &ApplyCtx<'_>, name: &str, action: Action) -> anyhow::Result<()> {
    if !matches!(action, Action::Create | Action::Update) {
        anyhow::bail!("{} cannot be {action:?}d", Kind::UiCustomization);
    }
    let (want, address, asked): (&UiCustomization, Address, String) = if name.is_empty() {
        let want = ctx.desired.resources.ui_customization.as_ref();
        let want =
            want.ok_or_else(|| anyhow::anyhow!("the spec declares no {}", Kind::UiCustomization))?;
        (want, Kind::UiCustomization.one(), ALL_CLIENTS.to_string())
    } else {
        let want = ctx
            .desired
            .resources
            .clients
            .as_ref()
            .and_then(|c| c.get(name))
            .and_then(|c| c.ui_customization.as_ref())
            .ok_or_else(|| {
                anyhow::anyhow!("client `{name}` declares no {}", Kind::UiCustomization)
            })?;
        (
            want,
            Kind::UiCustomization.at(name),
            client_id(ctx, name).await?,
        )
    };
    let cognito = &ctx.clients.cognito;
    let pool = &ctx.pool()?.id;
    let fresh = crate::live::branding::ui_customization(
        cognito,
        pool,
        (asked != ALL_CLIENTS).then_some(asked.as_str()),
    )
    .await?;
    let now = ui_change(address.clone(), want, fresh.as_ref());
    ctx.still_planned(&address, now.as_ref())?;
    let fresh = fresh.unwrap_or_default();
    let css = want.css_file.as_ref().or(fresh.css_file.as_ref());
    let logo = want.logo_file.as_ref().or(fresh.logo_file.as_ref());
    let css = css
        .and_then(|f| f.bytes.as_deref())
        .map(|b| String::from_utf8_lossy(b).into_owned());
    let logo = logo.and_then(|f| f.bytes.clone()).map(Blob::new);
    cognito
        .set_ui_customization()
        .user_pool_id(pool)
        .client_id(&asked)
        .set_css(css)
        .set_image_file(logo)
        .send()
        .await
        .map_err(|e| explain(&format!("SetUICustomization {address}"), e))?;
    Ok(())
}

/// A client's managed login style.
pub async fn run_style(ctx: &ApplyCtx<'_>, name: &str, action: Action) -> anyhow::Result<()> {
    if !matches!(action, Action::Create | Action::Update) {
        anyhow::bail!("{} cannot be {action:?}d", Kind::ManagedLoginBranding);
    }
    let want = ctx
        .desired
        .resources
        .clients
        .as_ref()
        .and_then(|c| c.get(name))
        .and_then(|c| c.managed_login_branding.as_ref())
        .ok_or_else(|| {
            anyhow::anyhow!("client `{name}` declares no {}", Kind::ManagedLoginBranding)
        })?;
    let mut want = want.clone();
    want.normalize();
    let address = Kind::ManagedLoginBranding.at(name);
    let id = client_id(ctx, name).await?;
    let cognito = &ctx.clients.cognito;
    let pool = &ctx.pool()?.id;
    let fresh = crate::live::branding::style(cognito, pool, &id).await?;
    let now = style_change(name, &want, fresh.as_ref().map(|s| &s.model));
    ctx.still_planned(&address, now.as_ref())?;
    let settings = settings_of(&want)?;
    let assets = assets_of(&want)?;
    match fresh {
        None => {
            cognito
                .create_managed_login_branding()
                .user_pool_id(pool)
                .client_id(&id)
                .set_use_cognito_provided_values(want.use_cognito_provided_values)
                .set_settings(settings)
                .set_assets(assets)
                .send()
                .await
                .map_err(|e| explain(&format!("CreateManagedLoginBranding {address}"), e))?;
        }
        Some(LiveStyle { id: style_id, .. }) => {
            // Cognito keeps what an update leaves out: only the parts that
            // changed are sent (the assets as their whole declared set).
            let changed = |prefix: &str| {
                now.as_ref()
                    .is_some_and(|c| c.fields.iter().any(|f| f.path.starts_with(prefix)))
            };
            let use_defaults = want
                .use_cognito_provided_values
                .filter(|_| changed("use_cognito_provided_values"));
            let settings = settings.filter(|_| changed("settings_file"));
            let assets = assets.filter(|_| changed("assets"));
            cognito
                .update_managed_login_branding()
                .user_pool_id(pool)
                .managed_login_branding_id(&style_id)
                .set_use_cognito_provided_values(use_defaults)
                .set_settings(settings)
                .set_assets(assets)
                .send()
                .await
                .map_err(|e| explain(&format!("UpdateManagedLoginBranding {address}"), e))?;
        }
    }
    Ok(())
}

fn settings_of(want: &ManagedLoginBranding) -> anyhow::Result<Option<aws_smithy_types::Document>> {
    let Some(bytes) = want.settings_file.as_ref().and_then(|f| f.bytes.as_deref()) else {
        return Ok(None);
    };
    let value: serde_json::Value = serde_json::from_slice(bytes)?;
    Ok(Some(json_to_document(&value)))
}

fn assets_of(want: &ManagedLoginBranding) -> anyhow::Result<Option<Vec<sdk::AssetType>>> {
    let Some(assets) = &want.assets else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for (category, modes) in assets {
        for (mode, file) in modes {
            out.push(
                sdk::AssetType::builder()
                    .category(sdk::AssetCategoryType::from(category.api()))
                    .color_mode(sdk::ColorSchemeModeType::from(mode.api()))
                    .extension(sdk::AssetExtensionType::from(
                        file.extension.as_deref().unwrap_or("PNG"),
                    ))
                    .bytes(Blob::new(file.bytes.clone().unwrap_or_default()))
                    .build()?,
            );
        }
    }
    Ok(Some(out))
}
