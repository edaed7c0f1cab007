//! Hosted UI branding against live: the pool-wide classic customization
//! (`ui_customization`), each client's (`ui_customization.<client>`) and
//! each client's managed login style (`managed_login_branding.<client>`).
//! Files compare by digest; a changed file shows its path and both short
//! digests, never its bytes. Branding the spec does not declare is not
//! managed: it is neither shown nor changed (AWS has no call that removes a
//! classic customization, and a style left out of the spec is left alone).

use super::compare;
use crate::desired::DesiredPool;
use crate::live::LiveState;
use crate::model::branding::{FileContent, ManagedLoginBranding, UiCustomization};
use crate::plan::{Action, Address, FieldChange, Kind, ResourceChange};
use serde_json::Value;
use std::collections::BTreeMap;

/// `replaced`: clients the plan replaces, whose branding the new client
/// does not have yet.
pub fn diff(desired: &DesiredPool, live: &LiveState, replaced: &[String]) -> Vec<ResourceChange> {
    let mut changes = Vec::new();
    let b = &live.branding;
    if let Some(want) = &desired.resources.ui_customization {
        changes.extend(ui_change(
            Kind::UiCustomization.one(),
            want,
            b.pool.as_ref(),
        ));
    }
    for (name, client) in desired.resources.clients.iter().flatten() {
        let new = replaced.contains(name);
        if let Some(want) = &client.ui_customization {
            changes.extend(ui_change(
                Kind::UiCustomization.at(name),
                want,
                b.clients.get(name).filter(|_| !new),
            ));
        }
        if let Some(want) = &client.managed_login_branding {
            changes.extend(style_change(
                name,
                want,
                b.styles.get(name).map(|s| &s.model).filter(|_| !new),
            ));
        }
    }
    changes
}

/// The change `want` needs against `have` (`None`: there is none live).
pub fn ui_change(
    address: Address,
    want: &UiCustomization,
    have: Option<&UiCustomization>,
) -> Option<ResourceChange> {
    let mut files = BTreeMap::new();
    for (key, file) in [("css_file", &want.css_file), ("logo_file", &want.logo_file)] {
        if let Some(file) = file {
            files.insert(key.to_string(), file);
        }
    }
    change(address, want, have, &files, Vec::new())
}

pub fn style_change(
    client: &str,
    want: &ManagedLoginBranding,
    have: Option<&ManagedLoginBranding>,
) -> Option<ResourceChange> {
    let mut want = want.clone();
    want.normalize();
    let mut files = BTreeMap::new();
    if let Some(file) = &want.settings_file {
        files.insert("settings_file".to_string(), file);
    }
    let mut extra = Vec::new();
    if let Some(assets) = &want.assets {
        for (category, modes) in assets {
            for (mode, file) in modes {
                files.insert(format!("assets.{}.{}", key(category), key(mode)), file);
            }
        }
        // The declared assets are the whole set: a live one not declared goes.
        for (category, modes) in have.and_then(|h| h.assets.as_ref()).into_iter().flatten() {
            for (mode, file) in modes {
                if !assets.get(category).is_some_and(|m| m.contains_key(mode)) {
                    extra.push(FieldChange {
                        path: format!("assets.{}.{}", key(category), key(mode)),
                        before: file.summary().map(Value::String),
                        after: None,
                        sensitive: false,
                        blocked: None,
                        one_way_door: None,
                    });
                }
            }
        }
    }
    change(
        Kind::ManagedLoginBranding.at(client),
        &want,
        have,
        &files,
        extra,
    )
}

fn key<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn change<T: serde::Serialize>(
    address: Address,
    want: &T,
    have: Option<&T>,
    files: &BTreeMap<String, &FileContent>,
    extra: Vec<FieldChange>,
) -> Option<ResourceChange> {
    let want_value = serde_json::to_value(want).expect("models serialize");
    let have_value = have.map(|h| serde_json::to_value(h).expect("models serialize"));
    let mut fields = Vec::new();
    compare(&want_value, have_value.as_ref(), "", &mut fields);
    fields.extend(extra);
    // A file's new content is shown with the file it comes from.
    for field in &mut fields {
        if let Some(file) = files.get(&field.path) {
            if let (Some(path), Some(summary)) = (&file.path, file.summary()) {
                field.after = Some(Value::String(format!("{path}: {summary}")));
            }
        }
    }
    let action = match have {
        None => Action::Create,
        Some(_) if fields.is_empty() => return None,
        Some(_) => Action::Update,
    };
    Some(ResourceChange {
        address,
        action,
        fields,
        reasons: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::branding::{AssetCategory, ColorMode};

    fn file(path: &str, bytes: &[u8]) -> FileContent {
        FileContent {
            path: Some(path.into()),
            bytes: Some(bytes.to_vec()),
            extension: None,
        }
    }

    #[test]
    fn a_changed_file_shows_its_path_and_digests_and_the_other_is_left_alone() {
        let want = UiCustomization {
            css_file: Some(file("branding/web.css", b".logo-customizable{}")),
            logo_file: None,
        };
        let have = UiCustomization {
            css_file: Some(FileContent::from_bytes(b".label-customizable{}".to_vec())),
            logo_file: Some(FileContent::from_bytes(b"png".to_vec())),
        };
        let change = ui_change(Kind::UiCustomization.one(), &want, Some(&have)).unwrap();
        assert_eq!(change.action, Action::Update);
        assert_eq!(change.fields.len(), 1);
        let f = &change.fields[0];
        assert_eq!(f.path, "css_file");
        let after = f.after.as_ref().unwrap().as_str().unwrap();
        assert!(
            after.starts_with("branding/web.css: 20 bytes, sha256:"),
            "{after}"
        );
        assert!(!after.contains("logo-customizable"), "{after}");
        let same = UiCustomization {
            css_file: Some(FileContent::from_bytes(b".logo-customizable{}".to_vec())),
            ..have
        };
        assert!(ui_change(Kind::UiCustomization.one(), &want, Some(&same)).is_none());
    }

    #[test]
    fn undeclared_live_assets_are_removed() {
        let mut modes = BTreeMap::new();
        modes.insert(ColorMode::Light, file("logo.png", b"a"));
        let want = ManagedLoginBranding {
            assets: Some(BTreeMap::from([(AssetCategory::FormLogo, modes.clone())])),
            ..Default::default()
        };
        let mut live_assets = BTreeMap::from([(AssetCategory::FormLogo, modes)]);
        live_assets.insert(
            AssetCategory::PageBackground,
            BTreeMap::from([(ColorMode::Dark, FileContent::from_bytes(b"b".to_vec()))]),
        );
        let have = ManagedLoginBranding {
            use_cognito_provided_values: Some(false),
            settings_file: None,
            assets: Some(live_assets),
        };
        let change = style_change("web", &want, Some(&have)).unwrap();
        let paths: Vec<&str> = change.fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["assets.page_background.dark"]);
    }
}
