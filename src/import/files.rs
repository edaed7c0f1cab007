//! The files an import reads and writes: finding the spec a live pool already
//! has, the SAML metadata documents next to it, and writing without leaving a
//! half-written spec behind.

use super::render;
use super::Imported;
use anyhow::Context as _;
use serde_yaml::Mapping;
use std::path::{Path, PathBuf};

/// `<pools>/<stem>.yaml`, or the `.yml` file of that stem if there is one.
pub fn default_path(pools_dir: &Path, stem: &str) -> PathBuf {
    let yml = pools_dir.join(format!("{stem}.yml"));
    if yml.exists() {
        yml
    } else {
        pools_dir.join(format!("{stem}.yaml"))
    }
}

/// The spec in the pools directory that is the live pool's, if one is.
pub fn existing_spec(
    pools_dir: &Path,
    same_pool: &dyn Fn(&str) -> bool,
) -> anyhow::Result<Option<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(pools_dir) else {
        return Ok(None);
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    let found: Vec<PathBuf> = paths
        .into_iter()
        .filter(|path| {
            std::fs::read_to_string(path)
                .ok()
                .and_then(|text| serde_yaml::from_str::<Mapping>(&text).ok())
                .and_then(|m| m.get("name").and_then(render::scalar_text))
                .is_some_and(|name| same_pool(&name))
        })
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        many => anyhow::bail!(
            "several specs are this pool's ({}); choose one with --out",
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The SAML metadata documents, next to the spec. An existing file is
/// overwritten only with the same content.
pub fn write_metadata_files(dir: &Path, imported: &Imported) -> anyhow::Result<()> {
    for file in &imported.metadata_files {
        let path = dir.join(&file.file_name);
        if let Ok(existing) = std::fs::read_to_string(&path) {
            anyhow::ensure!(
                existing.trim() == file.content.trim(),
                "{} exists and holds other SAML metadata; move it away to import",
                path.display()
            );
            continue;
        }
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        write_atomically(&path, &file.content)?;
    }
    Ok(())
}

/// The hosted UI branding files, next to the spec. An existing file is
/// overwritten only with the same content.
pub fn write_branding_files(dir: &Path, imported: &Imported) -> anyhow::Result<()> {
    for file in &imported.branding_files {
        let path = dir.join(&file.file_name);
        if let Ok(existing) = std::fs::read(&path) {
            anyhow::ensure!(
                existing == file.bytes,
                "{} exists and holds something else; move it away to import",
                path.display()
            );
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, &file.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

pub fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut temp = path.as_os_str().to_os_string();
    temp.push(".poolctl-import");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, text).with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| format!("cannot write {}", path.display()))
}
