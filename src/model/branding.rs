//! Hosted UI branding: the classic hosted UI's CSS and logo (pool-wide and
//! per app client, `SetUICustomization`) and a client's managed login style
//! (`*ManagedLoginBranding`). What they hold comes from files next to the
//! spec and is compared, and shown, by size and digest: never the bytes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// A file's content. A spec names it by path; once the spec is resolved (and
/// on the live side) it is its bytes. A managed login asset also carries its
/// image type (`PNG`), which AWS keeps apart from the bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FileContent {
    /// As the spec writes it, relative to the spec file.
    pub path: Option<String>,
    pub bytes: Option<Vec<u8>>,
    /// An asset's extension as the API names it (`PNG`, `JPEG`, ...).
    pub extension: Option<String>,
}

impl FileContent {
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        FileContent {
            path: None,
            bytes: Some(bytes.into()),
            extension: None,
        }
    }

    /// The first 16 hex digits of the content's SHA-256.
    pub fn short_digest(&self) -> Option<String> {
        let bytes = self.bytes.as_deref()?;
        Some(hex::encode(Sha256::digest(bytes))[..16].to_string())
    }

    /// `812 bytes, sha256:0123456789abcdef` (`PNG, ...` for an asset): what
    /// the differ compares and the plan shows.
    pub fn summary(&self) -> Option<String> {
        let bytes = self.bytes.as_deref()?;
        let digest = self.short_digest()?;
        let body = format!("{} bytes, sha256:{digest}", bytes.len());
        Some(match &self.extension {
            Some(ext) => format!("{ext}, {body}"),
            None => body,
        })
    }
}

impl fmt::Debug for FileContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.summary()) {
            (Some(path), Some(summary)) => write!(f, "{path:?} ({summary})"),
            (Some(path), None) => write!(f, "{path:?}"),
            (None, Some(summary)) => f.write_str(&summary),
            (None, None) => f.write_str("(empty)"),
        }
    }
}

impl Serialize for FileContent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.summary(), &self.path) {
            (Some(summary), _) => serializer.serialize_str(&summary),
            (None, Some(path)) => serializer.serialize_str(path),
            (None, None) => serializer.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for FileContent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|path| FileContent {
            path: Some(path),
            ..FileContent::default()
        })
    }
}

impl schemars::JsonSchema for FileContent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "BrandingFile".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A file, relative to the spec file; compared by its content's digest."
        })
    }
}

/// The classic hosted UI's look: `ui_customization` at the top of a spec
/// (every client without its own) or on a client. AWS sets both at once, so
/// what the spec leaves out is sent back as it is live.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct UiCustomization {
    /// A CSS file using only the classes Cognito allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub css_file: Option<FileContent>,
    /// A PNG or JPEG logo of at most 100 KB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_file: Option<FileContent>,
}

/// A client's managed login style: Cognito's defaults, or settings (a JSON
/// file from the branding editor) and image assets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ManagedLoginBranding {
    /// `true`: Cognito's own style (then no settings or assets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_cognito_provided_values: Option<bool>,
    /// The style's settings document, as the branding editor exports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings_file: Option<FileContent>,
    /// Images by category, then by color mode. Declared, the whole set is
    /// managed: a live asset missing here is removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assets: Option<BTreeMap<AssetCategory, BTreeMap<ColorMode, FileContent>>>,
}

impl ManagedLoginBranding {
    /// Settings or assets mean a style of one's own, whether or not the
    /// spec says `use_cognito_provided_values: false`.
    pub fn normalize(&mut self) {
        if self.settings_file.is_some() || self.assets.is_some() {
            self.use_cognito_provided_values.get_or_insert(false);
        }
    }
}

/// Where an image goes in managed login (`AssetType.Category`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AssetCategory {
    FaviconIco,
    FaviconSvg,
    EmailGraphic,
    SmsGraphic,
    AuthAppGraphic,
    PasswordGraphic,
    PasskeyGraphic,
    PageHeaderLogo,
    PageHeaderBackground,
    PageFooterLogo,
    PageFooterBackground,
    PageBackground,
    FormBackground,
    FormLogo,
    IdpButtonIcon,
}

/// Every category with its API name.
pub const ASSET_CATEGORIES: &[(AssetCategory, &str)] = &[
    (AssetCategory::FaviconIco, "FAVICON_ICO"),
    (AssetCategory::FaviconSvg, "FAVICON_SVG"),
    (AssetCategory::EmailGraphic, "EMAIL_GRAPHIC"),
    (AssetCategory::SmsGraphic, "SMS_GRAPHIC"),
    (AssetCategory::AuthAppGraphic, "AUTH_APP_GRAPHIC"),
    (AssetCategory::PasswordGraphic, "PASSWORD_GRAPHIC"),
    (AssetCategory::PasskeyGraphic, "PASSKEY_GRAPHIC"),
    (AssetCategory::PageHeaderLogo, "PAGE_HEADER_LOGO"),
    (
        AssetCategory::PageHeaderBackground,
        "PAGE_HEADER_BACKGROUND",
    ),
    (AssetCategory::PageFooterLogo, "PAGE_FOOTER_LOGO"),
    (
        AssetCategory::PageFooterBackground,
        "PAGE_FOOTER_BACKGROUND",
    ),
    (AssetCategory::PageBackground, "PAGE_BACKGROUND"),
    (AssetCategory::FormBackground, "FORM_BACKGROUND"),
    (AssetCategory::FormLogo, "FORM_LOGO"),
    (AssetCategory::IdpButtonIcon, "IDP_BUTTON_ICON"),
];

impl AssetCategory {
    pub fn api(self) -> &'static str {
        ASSET_CATEGORIES
            .iter()
            .find(|(c, _)| *c == self)
            .map(|(_, api)| *api)
            .expect("every category has a row")
    }

    pub fn from_api(api: &str) -> Option<Self> {
        ASSET_CATEGORIES
            .iter()
            .find(|(_, a)| *a == api)
            .map(|(c, _)| *c)
    }

    /// The one extension a favicon category takes; `None`: any image type.
    pub fn required_extension(self) -> Option<&'static str> {
        match self {
            AssetCategory::FaviconIco => Some("ICO"),
            AssetCategory::FaviconSvg => Some("SVG"),
            _ => None,
        }
    }
}

/// Which display mode an asset is for (`AssetType.ColorMode`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ColorMode {
    Light,
    Dark,
    /// Browser-adaptive: shown in every mode.
    Dynamic,
}

impl ColorMode {
    pub fn api(self) -> &'static str {
        match self {
            ColorMode::Light => "LIGHT",
            ColorMode::Dark => "DARK",
            ColorMode::Dynamic => "DYNAMIC",
        }
    }

    pub fn from_api(api: &str) -> Option<Self> {
        [ColorMode::Light, ColorMode::Dark, ColorMode::Dynamic]
            .into_iter()
            .find(|m| m.api() == api)
    }
}

/// The image types managed login takes (`AssetType.Extension`), by the file
/// name extensions that mean them.
pub const ASSET_EXTENSIONS: &[(&str, &str)] = &[
    ("ico", "ICO"),
    ("jpeg", "JPEG"),
    ("jpg", "JPEG"),
    ("png", "PNG"),
    ("svg", "SVG"),
    ("webp", "WEBP"),
];

/// The file name extensions the classic hosted UI's logo may have.
pub const LOGO_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg"];

/// The CSS class names (with the two states allowed) the classic hosted UI
/// accepts; Cognito refuses a style sheet naming any other selector
/// (developer guide, "Customizing hosted UI (classic) branding").
pub const CSS_CLASSES: &[&str] = &[
    ".background-customizable",
    ".banner-customizable",
    ".errorMessage-customizable",
    ".idpButton-customizable",
    ".idpButton-customizable:hover",
    ".idpDescription-customizable",
    ".inputField-customizable",
    ".inputField-customizable:focus",
    ".label-customizable",
    ".legalText-customizable",
    ".logo-customizable",
    ".passwordCheck-valid-customizable",
    ".passwordCheck-notValid-customizable",
    ".redirect-customizable",
    ".socialButton-customizable",
    ".submitButton-customizable",
    ".submitButton-customizable:hover",
    ".textDescription-customizable",
];

/// `SetUICustomization`'s limits: `CSS` and `ImageFile` (Base64) are each at
/// most 131072 characters (API reference), and the whole request at most
/// 135 KB (developer guide).
pub const MAX_CSS_CHARS: usize = 131_072;
pub const MAX_LOGO_BASE64_CHARS: usize = 131_072;
pub const MAX_UI_REQUEST_BYTES: usize = 135 * 1024;
/// `AssetType.Bytes` is at most 1,000,000 characters (API reference), and a
/// style has at most 40 assets.
pub const MAX_ASSET_BASE64_CHARS: usize = 1_000_000;
pub const MAX_ASSETS: usize = 40;

/// The client id `SetUICustomization` takes for the pool-wide style.
pub const ALL_CLIENTS: &str = "ALL";

/// A JSON value in one canonical text (object keys sorted, no spaces), so a
/// settings file and what AWS returns compare equal whatever their layout.
pub fn canonical_json(value: &serde_json::Value) -> Vec<u8> {
    fn sorted(value: &serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                serde_json::Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&map[k])))
                        .collect(),
                )
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(sorted).collect())
            }
            other => other.clone(),
        }
    }
    serde_json::to_vec(&sorted(value)).expect("JSON serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_compare_and_show_by_digest_not_bytes() {
        let a = FileContent::from_bytes(b".logo-customizable { max-width: 60%; }".to_vec());
        let mut b = a.clone();
        b.path = Some("web.css".into());
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap()
        );
        let shown = serde_json::to_value(&a).unwrap().to_string();
        assert!(shown.contains("38 bytes, sha256:"), "{shown}");
        assert!(!shown.contains("logo-customizable"), "{shown}");
    }

    #[test]
    fn canonical_json_ignores_layout_and_key_order() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"b": 1, "a": {"y": 2, "x": [1]}}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"a":{"x":[1],"y":2},"b":1}"#).unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&b));
    }

    #[test]
    fn categories_and_modes_round_trip_their_api_names() {
        for (c, api) in ASSET_CATEGORIES {
            assert_eq!(AssetCategory::from_api(api), Some(*c));
        }
        assert_eq!(ColorMode::from_api("DARK"), Some(ColorMode::Dark));
    }
}
