//! Reading hosted UI branding: `GetUICustomization` (pool-wide with client id
//! `ALL`, and per client: an answer for `ALL` there means the client has
//! none of its own) with the logo fetched from the URL AWS gives, and
//! `DescribeManagedLoginBrandingByClient`. Only what the spec declares is read.

use crate::aws::{explain, is_not_found};
use crate::desired::DesiredPool;
use crate::model::branding::{
    canonical_json, AssetCategory, ColorMode, FileContent, ManagedLoginBranding, UiCustomization,
    ALL_CLIENTS,
};
use aws_sdk_cognitoidentityprovider as cognito;
use aws_smithy_types::{Document, Number};
use std::collections::BTreeMap;

/// A client's live managed login style and its id (updates need it).
#[derive(Debug, Clone)]
pub struct LiveStyle {
    pub id: String,
    pub model: ManagedLoginBranding,
}

/// The branding the spec declares, as it is live. What is absent has none.
#[derive(Debug, Clone, Default)]
pub struct LiveBranding {
    /// The pool-wide (`ALL`) customization, when the spec declares one.
    pub pool: Option<UiCustomization>,
    /// Each declaring client's own customization, by client name.
    pub clients: BTreeMap<String, UiCustomization>,
    /// Each declaring client's managed login style, by client name.
    pub styles: BTreeMap<String, LiveStyle>,
}

/// Reads what `desired` declares, for the clients that exist live (`ids`:
/// client name -> id).
pub async fn read(
    client: &cognito::Client,
    pool_id: &str,
    desired: &DesiredPool,
    ids: &BTreeMap<String, String>,
) -> anyhow::Result<LiveBranding> {
    let mut out = LiveBranding::default();
    if desired.resources.ui_customization.is_some() {
        out.pool = ui_customization(client, pool_id, None).await?;
    }
    for (name, spec) in desired.resources.clients.iter().flatten() {
        let Some(id) = ids.get(name) else {
            continue;
        };
        if spec.ui_customization.is_some() {
            if let Some(ui) = ui_customization(client, pool_id, Some(id)).await? {
                out.clients.insert(name.clone(), ui);
            }
        }
        if spec.managed_login_branding.is_some() {
            if let Some(style) = style(client, pool_id, id).await? {
                out.styles.insert(name.clone(), style);
            }
        }
    }
    Ok(out)
}

/// Everything: the pool-wide customization and every named client's own
/// customization and style (what `import` writes).
pub async fn read_all(
    client: &cognito::Client,
    pool_id: &str,
    clients: &crate::live::client::LiveClients,
) -> anyhow::Result<LiveBranding> {
    let mut out = LiveBranding {
        pool: ui_customization(client, pool_id, None).await?,
        ..LiveBranding::default()
    };
    for (name, live) in &clients.by_name {
        if let Some(ui) = ui_customization(client, pool_id, Some(&live.id)).await? {
            out.clients.insert(name.clone(), ui);
        }
        if let Some(style) = style(client, pool_id, &live.id).await? {
            out.styles.insert(name.clone(), style);
        }
    }
    Ok(out)
}

/// The customization set for `client_id` (`None`: pool-wide) itself, not
/// one it falls back to; `None` when there is none.
pub async fn ui_customization(
    client: &cognito::Client,
    pool_id: &str,
    client_id: Option<&str>,
) -> anyhow::Result<Option<UiCustomization>> {
    let asked = client_id.unwrap_or(ALL_CLIENTS);
    let what = format!("GetUICustomization {pool_id} {asked}");
    // Pool-wide is asked without a client id, as the API reference shows.
    let out = client
        .get_ui_customization()
        .user_pool_id(pool_id)
        .set_client_id(client_id.map(str::to_string))
        .send()
        .await
        .map_err(|e| explain(&what, e))?;
    let Some(ui) = out.ui_customization else {
        return Ok(None);
    };
    // Per client, AWS answers with the pool-wide one when the client has
    // none; that is not the client's.
    let answered = ui.client_id.as_deref().unwrap_or(ALL_CLIENTS);
    if answered != asked {
        return Ok(None);
    }
    let css = ui.css.filter(|c| !c.is_empty());
    let logo = match ui.image_url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => Some(crate::aws::upload::get(url).await?),
        None => None,
    };
    if css.is_none() && logo.is_none() {
        return Ok(None);
    }
    Ok(Some(UiCustomization {
        css_file: css.map(|c| FileContent::from_bytes(c.into_bytes())),
        logo_file: logo.map(FileContent::from_bytes),
    }))
}

/// The managed login style of the client with id `client_id`, if any.
pub async fn style(
    client: &cognito::Client,
    pool_id: &str,
    client_id: &str,
) -> anyhow::Result<Option<LiveStyle>> {
    let result = client
        .describe_managed_login_branding_by_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .return_merged_resources(false)
        .send()
        .await;
    let out = match result {
        Ok(out) => out,
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => {
            return Err(explain(
                &format!("DescribeManagedLoginBrandingByClient {client_id}"),
                e,
            ))
        }
    };
    let Some(style) = out.managed_login_branding else {
        return Ok(None);
    };
    let mut assets: BTreeMap<AssetCategory, BTreeMap<ColorMode, FileContent>> = BTreeMap::new();
    for asset in style.assets() {
        let (Some(category), Some(mode)) = (
            AssetCategory::from_api(asset.category().as_str()),
            ColorMode::from_api(asset.color_mode().as_str()),
        ) else {
            tracing::warn!(
                category = asset.category().as_str(),
                "a managed login asset of a kind poolctl does not know is left alone"
            );
            continue;
        };
        assets.entry(category).or_default().insert(
            mode,
            FileContent {
                path: None,
                bytes: Some(
                    asset
                        .bytes()
                        .map(|b| b.as_ref().to_vec())
                        .unwrap_or_default(),
                ),
                extension: Some(asset.extension().as_str().to_string()),
            },
        );
    }
    let settings = style
        .settings()
        .map(document_to_json)
        .filter(|s| s.as_object().is_some_and(|o| !o.is_empty()));
    Ok(Some(LiveStyle {
        id: style.managed_login_branding_id.clone().unwrap_or_default(),
        model: ManagedLoginBranding {
            use_cognito_provided_values: Some(style.use_cognito_provided_values()),
            settings_file: settings.map(|s| FileContent::from_bytes(canonical_json(&s))),
            assets: Some(assets),
        },
    }))
}

/// The SDK's JSON document as serde's.
pub fn document_to_json(doc: &Document) -> serde_json::Value {
    use serde_json::Value;
    match doc {
        Document::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), document_to_json(v)))
                .collect(),
        ),
        Document::Array(items) => Value::Array(items.iter().map(document_to_json).collect()),
        Document::Number(Number::PosInt(n)) => Value::from(*n),
        Document::Number(Number::NegInt(n)) => Value::from(*n),
        Document::Number(Number::Float(f)) => Value::from(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Bool(b) => Value::Bool(*b),
        Document::Null => Value::Null,
    }
}

/// serde's JSON as the SDK's document.
pub fn json_to_document(value: &serde_json::Value) -> Document {
    use serde_json::Value;
    match value {
        Value::Object(map) => Document::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), json_to_document(v)))
                .collect(),
        ),
        Value::Array(items) => Document::Array(items.iter().map(json_to_document).collect()),
        Value::Number(n) => Document::Number(match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Number::PosInt(u),
            (_, Some(i)) => Number::NegInt(i),
            _ => Number::Float(n.as_f64().unwrap_or_default()),
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Bool(b) => Document::Bool(*b),
        Value::Null => Document::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_and_json_convert_both_ways() {
        let value: serde_json::Value =
            serde_json::from_str(r#"{"a": [1, -2, 1.5, "x", true, null], "b": {}}"#).unwrap();
        assert_eq!(document_to_json(&json_to_document(&value)), value);
    }
}
