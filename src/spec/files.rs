//! Files a spec refers to by path (a SAML provider's `metadata_file`): read
//! when the spec is resolved, relative to the spec file's own directory, so
//! a missing file is a located error before any AWS call.

use super::diag::Diagnostic;
use crate::model::identity_provider::IdentityProvider;
use std::collections::BTreeMap;
use std::path::Path;

/// Far larger than any real SAML metadata document.
const MAX_METADATA_BYTES: u64 = 1024 * 1024;

/// Loads every declared `metadata_file` into its provider; one error per
/// file that cannot be used.
pub fn read_metadata_files(
    providers: Option<&mut BTreeMap<String, IdentityProvider>>,
    spec_dir: &Path,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (name, provider) in providers.into_iter().flatten() {
        let Some(doc) = &mut provider.metadata_file else {
            continue;
        };
        let Some(written) = doc.path.clone() else {
            continue;
        };
        let path = spec_dir.join(&written);
        let fail = |message: String| {
            Diagnostic::error(message)
                .field(format!("identity_providers.{name}.metadata_file"))
                .help("the path is relative to the directory of the spec file")
        };
        match read(&path) {
            Ok(content) => doc.content = Some(content),
            Err(why) => errors.push(fail(format!(
                "cannot use `{}` as SAML metadata: {why}",
                path.display()
            ))),
        }
    }
    errors
}

fn read(path: &Path) -> Result<String, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_METADATA_BYTES {
        return Err(format!(
            "it is {size} bytes; at most {MAX_METADATA_BYTES} are accepted"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
    if text.trim().is_empty() {
        return Err("it is empty".into());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::identity_provider::MetadataDocument;

    fn providers(path: &str) -> BTreeMap<String, IdentityProvider> {
        let mut map = BTreeMap::new();
        map.insert(
            "Corp".to_string(),
            IdentityProvider {
                metadata_file: Some(MetadataDocument {
                    path: Some(path.into()),
                    content: None,
                }),
                ..Default::default()
            },
        );
        map
    }

    #[test]
    fn reads_relative_to_the_spec_and_reports_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("corp.xml"), "<EntityDescriptor/>").unwrap();
        let mut ok = providers("corp.xml");
        assert!(read_metadata_files(Some(&mut ok), dir.path()).is_empty());
        let doc = ok["Corp"].metadata_file.as_ref().unwrap();
        assert_eq!(doc.content.as_deref(), Some("<EntityDescriptor/>"));

        let mut missing = providers("nope.xml");
        let errors = read_metadata_files(Some(&mut missing), dir.path());
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].field.as_deref(),
            Some("identity_providers.Corp.metadata_file")
        );
        assert!(
            errors[0].message.contains("nope.xml"),
            "{}",
            errors[0].message
        );
    }
}
