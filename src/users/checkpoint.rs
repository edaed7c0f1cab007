//! The export's checkpoint: where the walk of `ListUsers` stands and how much
//! of each file belongs to pages already finished. It is written (atomically:
//! a temporary file renamed over it) after each page has reached the files,
//! so a resumed export cuts each file back to the recorded length, dropping
//! a page that was half-written when the export stopped, and asks for that
//! page again: every user ends up in the files exactly once.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub pool_id: String,
    pub environment: String,
    /// The token of the next `ListUsers` page; `None` before the first page.
    pub pagination_token: Option<String>,
    pub users_written: u64,
    /// Bytes of `users.jsonl` and `users.csv` that hold finished pages.
    pub jsonl_bytes: u64,
    pub csv_bytes: u64,
    pub excluded_attributes: Vec<String>,
    pub csv_header: Vec<String>,
}

impl Checkpoint {
    pub fn read(path: &Path) -> anyhow::Result<Option<Checkpoint>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!("{} is not an export checkpoint: {e}", path.display())
            })?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        }
    }

    /// Replaces the checkpoint in one step: a reader (or a crash) sees the
    /// old one or the new one, never half of one.
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        write_atomically(path, &serde_json::to_vec_pretty(self)?)
    }
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", tmp.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(())
}

/// Cuts a file back to `len` bytes (what finished pages wrote).
pub fn truncate(path: &Path, len: u64) -> anyhow::Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    let now = file.metadata()?.len();
    if now < len {
        anyhow::bail!(
            "{} is shorter ({now} bytes) than its checkpoint says ({len}); it was changed since: start the export again without --resume",
            path.display()
        );
    }
    file.set_len(len)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_is_written_whole_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("checkpoint.json");
        assert_eq!(Checkpoint::read(&path).unwrap(), None);
        let cp = Checkpoint {
            pool_id: "us-east-1_x".into(),
            environment: "dev".into(),
            pagination_token: Some("t".into()),
            users_written: 60,
            jsonl_bytes: 10,
            csv_bytes: 5,
            excluded_attributes: vec![],
            csv_header: vec!["cognito:username".into()],
        };
        cp.write(&path).unwrap();
        assert_eq!(Checkpoint::read(&path).unwrap(), Some(cp));
        assert!(!path.with_extension("tmp").exists());
    }

    #[test]
    fn truncation_drops_a_half_written_page_and_refuses_a_shorter_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.jsonl");
        std::fs::write(&path, "one\ntwo\nthr").unwrap();
        truncate(&path, 8).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\ntwo\n");
        assert!(truncate(&path, 100).is_err());
    }
}
