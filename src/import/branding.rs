//! Hosted UI branding in an import: the live CSS, logos, managed login
//! settings and assets become files next to the spec
//! (`branding/<stem>-<environment>/...`, one directory per environment, so
//! environments that differ never share a file) and the spec names them
//! with `${env}` in the path.

use crate::live::branding::LiveBranding;
use crate::model::branding::{FileContent, UiCustomization};
use serde_yaml::{Mapping, Value};

/// A file the imported spec names, and what to write into it.
#[derive(Debug, Clone)]
pub struct BrandingFile {
    /// Relative to the spec's directory, for this environment.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Where each branding key goes in the document (key path, value), and the
/// files they name (pushed to `files`).
pub fn finals(
    live: &LiveBranding,
    stem: &str,
    environment: &str,
    files: &mut Vec<BrandingFile>,
) -> Vec<(Vec<String>, Value)> {
    let mut out = Vec::new();
    let mut add = |base: &str, bytes: &[u8], ext: &str| -> Value {
        let name = |env: &str| format!("branding/{stem}-{env}/{base}.{ext}");
        files.push(BrandingFile {
            file_name: name(environment),
            bytes: bytes.to_vec(),
        });
        Value::String(name("${env}"))
    };
    if let Some(ui) = &live.pool {
        out.push((
            vec!["ui_customization".to_string()],
            ui_value(ui, "ui", &mut add),
        ));
    }
    for (client, ui) in &live.clients {
        out.push((
            path(&["clients", client, "ui_customization"]),
            ui_value(ui, &format!("{}-ui", safe(client)), &mut add),
        ));
    }
    for (client, style) in &live.styles {
        let mut m = Mapping::new();
        let model = &style.model;
        if model.use_cognito_provided_values == Some(true) {
            m.insert("use_cognito_provided_values".into(), Value::Bool(true));
        }
        if let Some(bytes) = model
            .settings_file
            .as_ref()
            .and_then(|f| f.bytes.as_deref())
        {
            // Written readable; compared in canonical form all the same.
            let pretty = serde_json::from_slice::<serde_json::Value>(bytes)
                .ok()
                .and_then(|v| serde_json::to_vec_pretty(&v).ok())
                .unwrap_or_else(|| bytes.to_vec());
            let value = add(&format!("{}-style", safe(client)), &pretty, "json");
            m.insert("settings_file".into(), value);
        }
        let mut assets = Mapping::new();
        for (category, modes) in model.assets.iter().flatten() {
            let mut by_mode = Mapping::new();
            for (mode, file) in modes {
                let (category, mode) = (key(category), key(mode));
                let ext = file
                    .extension
                    .as_deref()
                    .unwrap_or("png")
                    .to_ascii_lowercase();
                let bytes = file.bytes.as_deref().unwrap_or_default();
                let value = add(&format!("{}-{category}-{mode}", safe(client)), bytes, &ext);
                by_mode.insert(mode.into(), value);
            }
            assets.insert(key(category).into(), Value::Mapping(by_mode));
        }
        if !assets.is_empty() {
            m.insert("assets".into(), Value::Mapping(assets));
        }
        if m.is_empty() {
            // A style of its own with nothing customized yet.
            m.insert("use_cognito_provided_values".into(), Value::Bool(false));
        }
        out.push((
            path(&["clients", client, "managed_login_branding"]),
            Value::Mapping(m),
        ));
    }
    out
}

fn ui_value(
    ui: &UiCustomization,
    base: &str,
    add: &mut dyn FnMut(&str, &[u8], &str) -> Value,
) -> Value {
    let mut m = Mapping::new();
    if let Some(bytes) = bytes_of(&ui.css_file) {
        m.insert("css_file".into(), add(base, bytes, "css"));
    }
    if let Some(bytes) = bytes_of(&ui.logo_file) {
        let ext = if bytes.starts_with(b"\x89PNG") {
            "png"
        } else {
            "jpg"
        };
        m.insert("logo_file".into(), add(&format!("{base}-logo"), bytes, ext));
    }
    Value::Mapping(m)
}

fn bytes_of(file: &Option<FileContent>) -> Option<&[u8]> {
    file.as_ref().and_then(|f| f.bytes.as_deref())
}

fn key<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A client name as a file name part.
fn safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|p| p.to_string()).collect()
}
