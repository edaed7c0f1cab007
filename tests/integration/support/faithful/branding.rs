//! Hosted UI branding, which moto lacks entirely (HTTP 500): the classic
//! UI customization (`SetUICustomization`, `GetUICustomization`) and managed
//! login branding (`Create`/`Update`/`Delete`/`DescribeManagedLoginBranding`,
//! `DescribeManagedLoginBrandingByClient`), answered from the API
//! reference's request and response shapes (`UICustomizationType`,
//! `ManagedLoginBrandingType`, `AssetType`).
//!
//! - `SetUICustomization` needs the pool to have a domain (one created
//!   through this layer); it replaces CSS and logo together (what a request
//!   leaves out is gone, as the developer guide says they cannot be set
//!   apart); it refuses an at-rule in the CSS and a request over 135 KB.
//! - `GetUICustomization` answers a client's own customization, else the
//!   pool-wide one (`ClientId: ALL`), else an empty shape; the logo is an
//!   `ImageUrl` served back by this proxy (`/_ui_logo/...`), as AWS serves it
//!   from CloudFront; `CSSVersion` counts the sets.
//! - One managed login style per client (`ManagedLoginBrandingExistsException`
//!   for a second); `UseCognitoProvidedValues: true` refuses `Settings` or
//!   `Assets`; an update keeps what it leaves out, and its `Assets` replace
//!   the style's whole list (unconfirmed: AWS's "preserves existing style
//!   settings that you don't specify" does not say what a partial list does).

use super::Answer;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct BrandingSemantics {
    state: Mutex<State>,
    /// `http://127.0.0.1:PORT` of the proxy, for the logos' URLs.
    endpoint: Mutex<String>,
}

#[derive(Default)]
struct State {
    /// (pool id, client id or `ALL`) -> the customization.
    ui: HashMap<(String, String), Ui>,
    /// Style id -> the style.
    styles: HashMap<String, Style>,
    next: u64,
}

struct Ui {
    css: Option<String>,
    /// Base64, as sent.
    image: Option<String>,
    version: u64,
    created: u64,
}

#[derive(Clone)]
struct Style {
    pool: String,
    client: String,
    use_defaults: bool,
    settings: Value,
    assets: Vec<Value>,
    created: u64,
}

const ALL: &str = "ALL";
const MAX_UI_REQUEST: usize = 135 * 1024;
const EXTENSIONS: &[&str] = &["ICO", "JPEG", "PNG", "SVG", "WEBP"];

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn invalid(message: &str) -> Answer {
    Answer::error("InvalidParameterException", message)
}

fn not_found(message: &str) -> Answer {
    Answer::error("ResourceNotFoundException", message)
}

impl BrandingSemantics {
    pub fn set_endpoint(&self, endpoint: &str) {
        *self.endpoint.lock().unwrap() = endpoint.trim_end_matches('/').to_string();
    }

    /// The logo bytes behind an `ImageUrl` this layer gave
    /// (`GET /_ui_logo/<pool>/<client>/<version>`).
    pub fn logo(&self, operation: &str) -> Option<Vec<u8>> {
        let rest = operation.strip_prefix("GET /_ui_logo/")?;
        let mut parts = rest.split('/');
        let (pool, client) = (parts.next()?, parts.next()?);
        let state = self.state.lock().unwrap();
        let image = state
            .ui
            .get(&(pool.to_string(), client.to_string()))?
            .image
            .as_deref()?;
        aws_smithy_types::base64::decode(image).ok()
    }

    /// An answer in moto's place; `None` forwards the request to moto.
    /// `has_domain` says whether a pool has a domain.
    pub fn answer(
        &self,
        operation: &str,
        request: &Value,
        has_domain: &dyn Fn(&str) -> bool,
    ) -> Option<Answer> {
        let pool = request["UserPoolId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut state = self.state.lock().unwrap();
        Some(match operation {
            "SetUICustomization" => {
                if !has_domain(&pool) {
                    return Some(invalid(
                        "There has to be an existing domain associated with this user pool",
                    ));
                }
                let client = request["ClientId"].as_str().unwrap_or(ALL).to_string();
                let css = request["CSS"].as_str().map(str::to_string);
                let image = request["ImageFile"].as_str().map(str::to_string);
                let size =
                    css.as_ref().map_or(0, String::len) + image.as_ref().map_or(0, String::len);
                if size > MAX_UI_REQUEST {
                    return Some(invalid("request parameters too large"));
                }
                if css.as_deref().is_some_and(|c| c.contains('@')) {
                    return Some(invalid("CSS contains an unsupported at-rule"));
                }
                let key = (pool.clone(), client.clone());
                let (version, created) = match state.ui.get(&key) {
                    Some(old) => (old.version + 1, old.created),
                    None => (1, now()),
                };
                state.ui.insert(
                    key.clone(),
                    Ui {
                        css,
                        image,
                        version,
                        created,
                    },
                );
                Answer::ok(json!({ "UICustomization": self.ui_shape(&key, &state.ui[&key]) }))
            }
            "GetUICustomization" => {
                let client = request["ClientId"].as_str().unwrap_or(ALL).to_string();
                let own = (pool.clone(), client.clone());
                let all = (pool.clone(), ALL.to_string());
                let found = state
                    .ui
                    .get(&own)
                    .map(|ui| (&own, ui))
                    .or_else(|| state.ui.get(&all).map(|ui| (&all, ui)));
                match found {
                    Some((key, ui)) => {
                        Answer::ok(json!({ "UICustomization": self.ui_shape(key, ui) }))
                    }
                    None => Answer::ok(
                        json!({ "UICustomization": { "UserPoolId": pool, "ClientId": client } }),
                    ),
                }
            }
            "CreateManagedLoginBranding" => {
                let client = request["ClientId"].as_str().unwrap_or_default().to_string();
                if state
                    .styles
                    .values()
                    .any(|s| s.pool == pool && s.client == client)
                {
                    return Some(Answer::error(
                        "ManagedLoginBrandingExistsException",
                        "A managed login branding style already exists for this app client.",
                    ));
                }
                let use_defaults = request["UseCognitoProvidedValues"]
                    .as_bool()
                    .unwrap_or(false);
                if let Err(answer) = check_style(request, use_defaults) {
                    return Some(answer);
                }
                state.next += 1;
                let n = state.next;
                let id = format!("{n:08x}-0000-4000-8000-{n:012x}");
                let style = Style {
                    pool,
                    client,
                    use_defaults,
                    settings: request.get("Settings").cloned().unwrap_or(Value::Null),
                    assets: request["Assets"].as_array().cloned().unwrap_or_default(),
                    created: now(),
                };
                let shape = style_shape(&id, &style);
                state.styles.insert(id, style);
                Answer::ok(json!({ "ManagedLoginBranding": shape }))
            }
            "UpdateManagedLoginBranding" => {
                let id = request["ManagedLoginBrandingId"]
                    .as_str()
                    .unwrap_or_default();
                let Some(style) = state.styles.get_mut(id).filter(|s| s.pool == pool) else {
                    return Some(not_found("Managed login branding style not found."));
                };
                let use_defaults = request["UseCognitoProvidedValues"].as_bool();
                if let Err(answer) = check_style(request, use_defaults == Some(true)) {
                    return Some(answer);
                }
                match use_defaults {
                    Some(true) => {
                        style.use_defaults = true;
                        style.settings = Value::Null;
                        style.assets.clear();
                    }
                    Some(false) => style.use_defaults = false,
                    None => {}
                }
                if let Some(settings) = request.get("Settings").filter(|s| !s.is_null()) {
                    style.settings = settings.clone();
                }
                if let Some(assets) = request["Assets"].as_array() {
                    style.assets = assets.clone();
                }
                Answer::ok(json!({ "ManagedLoginBranding": style_shape(id, style) }))
            }
            "DeleteManagedLoginBranding" => {
                let id = request["ManagedLoginBrandingId"]
                    .as_str()
                    .unwrap_or_default();
                if state.styles.get(id).is_none_or(|s| s.pool != pool) {
                    return Some(not_found("Managed login branding style not found."));
                }
                state.styles.remove(id);
                Answer::ok(json!({}))
            }
            "DescribeManagedLoginBranding" => {
                let id = request["ManagedLoginBrandingId"]
                    .as_str()
                    .unwrap_or_default();
                match state.styles.get(id).filter(|s| s.pool == pool) {
                    Some(style) => {
                        Answer::ok(json!({ "ManagedLoginBranding": style_shape(id, style) }))
                    }
                    None => not_found("Managed login branding style not found."),
                }
            }
            "DescribeManagedLoginBrandingByClient" => {
                let client = request["ClientId"].as_str().unwrap_or_default();
                match state
                    .styles
                    .iter()
                    .find(|(_, s)| s.pool == pool && s.client == client)
                {
                    Some((id, style)) => {
                        Answer::ok(json!({ "ManagedLoginBranding": style_shape(id, style) }))
                    }
                    None => not_found("No managed login branding style for this app client."),
                }
            }
            _ => return None,
        })
    }

    fn ui_shape(&self, key: &(String, String), ui: &Ui) -> Value {
        let mut shape = json!({
            "UserPoolId": key.0,
            "ClientId": key.1,
            "CSSVersion": ui.version.to_string(),
            "CreationDate": ui.created,
            "LastModifiedDate": now(),
        });
        if let Some(css) = &ui.css {
            shape["CSS"] = Value::String(css.clone());
        }
        if ui.image.is_some() {
            let endpoint = self.endpoint.lock().unwrap().clone();
            shape["ImageUrl"] = Value::String(format!(
                "{endpoint}/_ui_logo/{}/{}/{}",
                key.0, key.1, ui.version
            ));
        }
        shape
    }
}

/// The checks Create/UpdateManagedLoginBranding make of a request.
fn check_style(request: &Value, use_defaults: bool) -> Result<(), Answer> {
    let has_settings = request.get("Settings").is_some_and(|s| !s.is_null());
    let assets = request["Assets"].as_array();
    if use_defaults && (has_settings || assets.is_some_and(|a| !a.is_empty())) {
        return Err(invalid(
            "Settings and Assets must be omitted when UseCognitoProvidedValues is true.",
        ));
    }
    let assets = assets.map(Vec::as_slice).unwrap_or_default();
    if assets.len() > 40 {
        return Err(invalid("At most 40 assets are allowed."));
    }
    for asset in assets {
        let ext = asset["Extension"].as_str().unwrap_or_default();
        if !EXTENSIONS.contains(&ext) {
            return Err(invalid(&format!("Invalid asset extension {ext}.")));
        }
        if asset["Bytes"].as_str().map_or(0, str::len) > 1_000_000 {
            return Err(invalid("Asset bytes exceed the maximum length."));
        }
    }
    Ok(())
}

fn style_shape(id: &str, style: &Style) -> Value {
    let mut shape = json!({
        "ManagedLoginBrandingId": id,
        "UserPoolId": style.pool,
        "UseCognitoProvidedValues": style.use_defaults,
        "Assets": style.assets,
        "CreationDate": style.created,
        "LastModifiedDate": now(),
    });
    if !style.settings.is_null() {
        shape["Settings"] = style.settings.clone();
    }
    shape
}
