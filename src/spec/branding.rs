//! The hosted UI branding files a spec names (`ui_customization`'s CSS and
//! logo, `managed_login_branding`'s settings and assets): read when the spec
//! is resolved, relative to the spec file, and checked against what AWS
//! accepts, so a missing file, a wrong image type, a CSS selector Cognito
//! refuses or a file over AWS's size limit is a located error before any
//! AWS call.

use super::diag::Diagnostic;
use super::document::Document;
use crate::model::branding::{
    canonical_json, FileContent, ManagedLoginBranding, UiCustomization, ASSET_EXTENSIONS,
    CSS_CLASSES, LOGO_EXTENSIONS, MAX_ASSETS, MAX_ASSET_BASE64_CHARS, MAX_CSS_CHARS,
    MAX_LOGO_BASE64_CHARS, MAX_UI_REQUEST_BYTES,
};
use std::path::Path;

/// Larger than anything AWS takes: a file beyond it is not even read whole.
const MAX_READ_BYTES: u64 = 4 * 1024 * 1024;

const RELATIVE: &str = "the path is relative to the directory of the spec file";

/// Loads every branding file of `doc` into it, and checks it; one
/// diagnostic per problem.
pub fn read_files(doc: &mut Document, spec_dir: &Path) -> Vec<Diagnostic> {
    let mut out = versions(doc);
    if let Some(ui) = &mut doc.resources.ui_customization {
        ui_customization(ui, "ui_customization", spec_dir, &mut out);
    }
    for (name, client) in doc.resources.clients.iter_mut().flatten() {
        if let Some(ui) = &mut client.ui_customization {
            ui_customization(
                ui,
                &format!("clients.{name}.ui_customization"),
                spec_dir,
                &mut out,
            );
        }
        if let Some(style) = &mut client.managed_login_branding {
            managed(
                style,
                &format!("clients.{name}.managed_login_branding"),
                spec_dir,
                &mut out,
            );
        }
    }
    out
}

/// Which look the declared domain shows: managed login (version 2) shows no
/// classic customization, and the classic hosted UI (version 1, the
/// default) no managed login style. AWS accepts both: warnings.
fn versions(doc: &Document) -> Vec<Diagnostic> {
    let Some(domain) = &doc.resources.domain else {
        return Vec::new();
    };
    let version = domain.managed_login_version.unwrap_or(1);
    let clients = doc.resources.clients.iter().flatten();
    let mut out = Vec::new();
    for (name, client) in clients {
        if version != 2 && client.managed_login_branding.is_some() {
            out.push(
                Diagnostic::warning(format!(
                    "the domain shows the classic hosted UI (managed_login_version {version}): this managed login style is stored but not shown"
                ))
                .field(format!("clients.{name}.managed_login_branding"))
                .help("set `managed_login_version: 2` on the domain to show it"),
            );
        }
        if version == 2 && client.ui_customization.is_some() {
            out.push(
                Diagnostic::warning(
                    "the domain shows managed login (managed_login_version 2): this classic customization is stored but not shown",
                )
                .field(format!("clients.{name}.ui_customization")),
            );
        }
    }
    if version == 2 && doc.resources.ui_customization.is_some() {
        out.push(
            Diagnostic::warning(
                "the domain shows managed login (managed_login_version 2): the classic customization is stored but not shown",
            )
            .field("ui_customization"),
        );
    }
    out
}

/// Reads `file` into itself; `false` (and a diagnostic) when it cannot be.
fn load(file: &mut FileContent, field: &str, spec_dir: &Path, out: &mut Vec<Diagnostic>) -> bool {
    let Some(written) = file.path.clone() else {
        return false;
    };
    let path = spec_dir.join(&written);
    let read = std::fs::metadata(&path)
        .map_err(|e| e.to_string())
        .and_then(|m| {
            if m.len() > MAX_READ_BYTES {
                Err(format!("it is {} bytes, far over what AWS takes", m.len()))
            } else {
                std::fs::read(&path).map_err(|e| e.to_string())
            }
        });
    match read {
        Ok(bytes) => {
            file.bytes = Some(bytes);
            true
        }
        Err(why) => {
            out.push(
                Diagnostic::error(format!("cannot read `{}`: {why}", path.display()))
                    .field(field)
                    .help(RELATIVE),
            );
            false
        }
    }
}

/// The file name's extension, lower case.
fn extension_of(path: &str) -> String {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The image type the bytes recognisably are (`PNG`, ...), by their magic
/// numbers; `None` when they are none of the types AWS takes.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG") {
        Some("PNG")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("JPEG")
    } else if bytes.starts_with(b"\0\0\x01\0") {
        Some("ICO")
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("WEBP")
    } else if String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).contains("<svg") {
        Some("SVG")
    } else {
        None
    }
}

/// A file whose name says one image type and whose content is another:
/// AWS stores it as named, and browsers may not show it. A warning.
fn mismatch(file: &FileContent, named: &str, field: &str, out: &mut Vec<Diagnostic>) {
    let Some(found) = file.bytes.as_deref().and_then(sniff) else {
        return;
    };
    if found != named {
        out.push(
            Diagnostic::warning(format!(
                "the file is named as a {named} image but holds a {found} image"
            ))
            .field(field),
        );
    }
}

fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

fn ui_customization(
    ui: &mut UiCustomization,
    at: &str,
    spec_dir: &Path,
    out: &mut Vec<Diagnostic>,
) {
    if ui.css_file.is_none() && ui.logo_file.is_none() {
        out.push(
            Diagnostic::error("names neither `css_file` nor `logo_file`")
                .field(at)
                .help("remove the key to leave the hosted UI's look alone"),
        );
    }
    let mut size = 0;
    if let Some(css) = &mut ui.css_file {
        let field = format!("{at}.css_file");
        if load(css, &field, spec_dir, out) {
            let bytes = css.bytes.as_deref().unwrap_or_default();
            size += bytes.len();
            match std::str::from_utf8(bytes) {
                Err(_) => {
                    out.push(Diagnostic::error("the CSS file is not UTF-8 text").field(&field))
                }
                Ok(text) => {
                    if text.len() > MAX_CSS_CHARS {
                        out.push(
                            Diagnostic::error(format!(
                                "the CSS file is {} bytes; SetUICustomization takes at most {MAX_CSS_CHARS}",
                                text.len()
                            ))
                            .field(&field),
                        );
                    }
                    for problem in css_problems(text) {
                        out.push(
                            Diagnostic::error(problem)
                                .field(&field)
                                .help(format!("Cognito accepts only: {}", CSS_CLASSES.join(", "))),
                        );
                    }
                }
            }
        }
    }
    if let Some(logo) = &mut ui.logo_file {
        let field = format!("{at}.logo_file");
        let ext = extension_of(logo.path.as_deref().unwrap_or_default());
        if !LOGO_EXTENSIONS.contains(&ext.as_str()) {
            out.push(
                Diagnostic::error(format!(
                    "the classic hosted UI's logo must be a PNG or JPEG file (.png, .jpg, .jpeg), not `.{ext}`"
                ))
                .field(&field),
            );
        }
        if load(logo, &field, spec_dir, out) {
            if LOGO_EXTENSIONS.contains(&ext.as_str()) {
                let named = if ext == "png" { "PNG" } else { "JPEG" };
                mismatch(logo, named, &field, out);
            }
            let len = logo.bytes.as_ref().map_or(0, Vec::len);
            size += base64_len(len);
            if base64_len(len) > MAX_LOGO_BASE64_CHARS {
                out.push(
                    Diagnostic::error(format!(
                        "the logo is {len} bytes ({} in Base64); SetUICustomization takes at most {MAX_LOGO_BASE64_CHARS} Base64 characters (about 96 KB)",
                        base64_len(len)
                    ))
                    .field(&field),
                );
            }
        }
    }
    if size > MAX_UI_REQUEST_BYTES {
        out.push(
            Diagnostic::error(format!(
                "the CSS and the Base64 logo come to {size} bytes; Cognito refuses a SetUICustomization request over 135 KB"
            ))
            .field(at)
            .help("keep the logo under 100 KB and the CSS under 3 KB, as the developer guide advises"),
        );
    }
}

/// Why Cognito would refuse a style sheet: an at-rule, or a selector that is
/// not one of its classes.
pub fn css_problems(text: &str) -> Vec<String> {
    // Comments say nothing to Cognito; strip them first.
    let mut bare = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        bare.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    bare.push_str(rest);
    let mut problems = Vec::new();
    if let Some(at) = bare.find('@') {
        let rule: String = bare[at..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '{' && *c != ';')
            .collect();
        problems.push(format!(
            "the CSS has `{rule}`: the classic hosted UI refuses @import, @supports, @page and @media and every other at-rule"
        ));
        return problems;
    }
    // Each rule is `selectors { declarations }`.
    let mut depth = 0usize;
    let mut selector = String::new();
    for c in bare.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    for one in selector.split(',').map(str::trim) {
                        if !CSS_CLASSES.contains(&one) {
                            problems.push(format!(
                                "the CSS selector `{one}` is not one Cognito accepts"
                            ));
                        }
                    }
                    selector.clear();
                }
                depth += 1;
            }
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => selector.push(c),
            _ => {}
        }
    }
    problems
}

fn managed(style: &mut ManagedLoginBranding, at: &str, spec_dir: &Path, out: &mut Vec<Diagnostic>) {
    if style.use_cognito_provided_values == Some(true)
        && (style.settings_file.is_some() || style.assets.is_some())
    {
        out.push(
            Diagnostic::error(
                "`use_cognito_provided_values: true` cannot go with `settings_file` or `assets`: Cognito refuses both at once",
            )
            .field(at),
        );
    }
    if style.use_cognito_provided_values.is_none()
        && style.settings_file.is_none()
        && style.assets.is_none()
    {
        out.push(
            Diagnostic::error(
                "names none of `use_cognito_provided_values`, `settings_file`, `assets`",
            )
            .field(at),
        );
    }
    if let Some(settings) = &mut style.settings_file {
        let field = format!("{at}.settings_file");
        if load(settings, &field, spec_dir, out) {
            let bytes = settings.bytes.take().unwrap_or_default();
            match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(value) if value.is_object() => {
                    // Compared in one canonical form: layout and key order
                    // are not changes.
                    settings.bytes = Some(canonical_json(&value));
                }
                Ok(_) => out.push(
                    Diagnostic::error("the settings file must hold a JSON object").field(&field),
                ),
                Err(e) => out.push(
                    Diagnostic::error(format!("the settings file is not JSON: {e}")).field(&field),
                ),
            }
        }
    }
    let Some(assets) = &mut style.assets else {
        return;
    };
    let count: usize = assets.values().map(|m| m.len()).sum();
    if count > MAX_ASSETS {
        out.push(
            Diagnostic::error(format!(
                "{count} assets; a managed login style has at most {MAX_ASSETS}"
            ))
            .field(format!("{at}.assets")),
        );
    }
    for (category, modes) in assets.iter_mut() {
        for (mode, file) in modes.iter_mut() {
            let field = format!(
                "{at}.assets.{}.{}",
                serde_json::to_value(category)
                    .expect("enums serialize")
                    .as_str()
                    .unwrap_or_default(),
                serde_json::to_value(mode)
                    .expect("enums serialize")
                    .as_str()
                    .unwrap_or_default()
            );
            let ext = extension_of(file.path.as_deref().unwrap_or_default());
            let api = ASSET_EXTENSIONS
                .iter()
                .find(|(e, _)| *e == ext)
                .map(|(_, api)| *api);
            match (api, category.required_extension()) {
                (None, _) => out.push(
                    Diagnostic::error(format!(
                        "managed login takes ICO, JPEG, PNG, SVG or WEBP images, not `.{ext}`"
                    ))
                    .field(&field),
                ),
                (Some(api), Some(needed)) if api != needed => out.push(
                    Diagnostic::error(format!(
                        "this category takes only {needed} images, not `.{ext}`"
                    ))
                    .field(&field),
                ),
                (Some(api), _) => file.extension = Some(api.to_string()),
            }
            if load(file, &field, spec_dir, out) {
                if let Some(named) = api {
                    mismatch(file, named, &field, out);
                }
                let len = file.bytes.as_ref().map_or(0, Vec::len);
                if base64_len(len) > MAX_ASSET_BASE64_CHARS {
                    out.push(
                        Diagnostic::error(format!(
                            "the image is {len} bytes ({} in Base64); an asset is at most {MAX_ASSET_BASE64_CHARS} Base64 characters (about 732 KB)",
                            base64_len(len)
                        ))
                        .field(&field),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_cognitos_classes_and_no_at_rules() {
        assert!(css_problems(
            "/* brand */ .logo-customizable { max-width: 60%; }\n.submitButton-customizable:hover, .label-customizable { color: red; }"
        )
        .is_empty());
        let p = css_problems(".logo-customizable{} body { margin: 0 }");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("`body`"), "{p:?}");
        let p = css_problems("@media (max-width: 10px) { .logo-customizable {} }");
        assert!(p[0].contains("@media"), "{p:?}");
    }

    #[test]
    fn content_of_another_image_type_is_a_warning() {
        assert_eq!(sniff(b"\x89PNG\r\n"), Some("PNG"));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), Some("JPEG"));
        assert_eq!(sniff(b"<?xml?><svg/>"), Some("SVG"));
        let mut out = Vec::new();
        mismatch(
            &FileContent::from_bytes(b"\x89PNG".to_vec()),
            "JPEG",
            "f",
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert!(!out[0].is_error());
        mismatch(
            &FileContent::from_bytes(b"plain".to_vec()),
            "JPEG",
            "f",
            &mut out,
        );
        assert_eq!(out.len(), 1, "unrecognised content is not judged");
    }

    #[test]
    fn files_are_read_relative_to_the_spec_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ok.css"),
            ".logo-customizable { width: 1px }",
        )
        .unwrap();
        std::fs::write(dir.path().join("logo.gif"), b"GIF89a").unwrap();
        let mut ui = UiCustomization {
            css_file: Some(FileContent {
                path: Some("ok.css".into()),
                ..Default::default()
            }),
            logo_file: Some(FileContent {
                path: Some("logo.gif".into()),
                ..Default::default()
            }),
        };
        let mut out = Vec::new();
        ui_customization(&mut ui, "ui_customization", dir.path(), &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].field.as_deref(), Some("ui_customization.logo_file"));
        assert!(ui.css_file.unwrap().bytes.is_some());

        let mut ui = UiCustomization {
            css_file: Some(FileContent {
                path: Some("missing.css".into()),
                ..Default::default()
            }),
            logo_file: None,
        };
        let mut out = Vec::new();
        ui_customization(
            &mut ui,
            "clients.web.ui_customization",
            dir.path(),
            &mut out,
        );
        assert_eq!(
            out[0].field.as_deref(),
            Some("clients.web.ui_customization.css_file")
        );
        assert!(out[0].message.contains("missing.css"), "{}", out[0].message);
    }
}
