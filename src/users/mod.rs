//! Users as data: the export's files (JSON Lines, Cognito's import CSV, the
//! checkpoint and the manifest), reading them back for an import, and the
//! checks an import makes before anything is sent. No AWS here: `live::users`
//! reads users, `apply::users` writes them.

pub mod checkpoint;
pub mod csv_file;
pub mod export;
pub mod import;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Said at the top of every export (on stderr and in the manifest): what
/// Cognito never gives out, and so what no export can hold.
pub const NOTICE: &str = "Passwords and MFA secrets (TOTP seeds, registered devices, passkeys) cannot be exported from Cognito: imported users start in RESET_REQUIRED and must reset their password (see docs/users.md)";

/// The files of an export directory.
pub const JSONL: &str = "users.jsonl";
pub const CSV: &str = "users.csv";
pub const CHECKPOINT: &str = "checkpoint.json";
pub const MEMBERSHIPS: &str = "memberships.json";
pub const MANIFEST: &str = "export.json";

/// One user, one line of `users.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRecord {
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// `UserStatus` as Cognito reports it (CONFIRMED, FORCE_CHANGE_PASSWORD, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Every attribute but `sub` (custom ones as `custom:NAME`).
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub groups: Vec<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
}

fn yes() -> bool {
    true
}

/// What an export was and holds, written when it completes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub notice: String,
    pub pool: String,
    pub pool_id: String,
    pub environment: String,
    pub users: u64,
    pub excluded_attributes: Vec<String>,
    /// The columns of `users.csv` (the source pool's `GetCSVHeader`).
    pub csv_header: Vec<String>,
}

/// Where an export's files are: `--out DIR`, or `users-<pool>-<env>`.
pub fn export_dir(out: Option<&Path>, key: &str, environment: &str) -> PathBuf {
    out.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(format!("users-{key}-{environment}")))
}

/// The JSON Lines file an import reads: `--from` names it or its directory.
pub fn jsonl_of(from: &Path) -> PathBuf {
    if from.is_dir() {
        from.join(JSONL)
    } else {
        from.to_path_buf()
    }
}

/// A line of the input that is not a user record.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}", file = file.display())]
pub struct BadLine {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

/// Reads every user of a JSON Lines file; every bad line is reported (up to
/// a few), and a user name given twice is an error.
pub fn read_jsonl(path: &Path) -> anyhow::Result<Vec<UserRecord>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    parse_jsonl(path, &text)
}

pub fn parse_jsonl(path: &Path, text: &str) -> anyhow::Result<Vec<UserRecord>> {
    let mut users = Vec::new();
    let mut bad = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let mut fail = |message: String| {
            bad.push(BadLine {
                file: path.to_path_buf(),
                line: number,
                message,
            })
        };
        match serde_json::from_str::<UserRecord>(line) {
            Ok(user) if user.username.is_empty() => fail("`username` is empty".to_string()),
            Ok(user) => {
                if let Some(first) = seen.insert(user.username.clone(), number) {
                    fail(format!(
                        "user `{}` is also on line {first}: each user once",
                        user.username
                    ));
                } else {
                    users.push(user);
                }
            }
            Err(e) => fail(format!("not a user record: {e}")),
        }
    }
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().take(10).map(ToString::to_string).collect();
        let more = match bad.len() {
            n if n > 10 => format!("\n  ... and {} more", n - 10),
            _ => String::new(),
        };
        anyhow::bail!(
            "{} bad line(s) in {}; nothing was sent to AWS:\n  {}{more}",
            bad.len(),
            path.display(),
            shown.join("\n  ")
        );
    }
    Ok(users)
}

/// The attributes the users hold that the target pool's CSV header (its
/// schema) lacks, each with how many users hold it.
pub fn missing_attributes(users: &[UserRecord], header: &[String]) -> BTreeMap<String, usize> {
    let columns: BTreeSet<&str> = header.iter().map(String::as_str).collect();
    let mut missing = BTreeMap::new();
    for user in users {
        for name in user.attributes.keys() {
            if !columns.contains(name.as_str()) {
                *missing.entry(name.clone()).or_insert(0) += 1;
            }
        }
    }
    missing
}

/// The groups the users belong to, each once.
pub fn groups_of(users: &[UserRecord]) -> BTreeSet<String> {
    users
        .iter()
        .flat_map(|u| u.groups.iter().cloned())
        .collect()
}

/// Leaves out the attributes the user asked to keep out of the export.
pub fn without(mut user: UserRecord, excluded: &[String]) -> UserRecord {
    user.attributes.retain(|name, _| !excluded.contains(name));
    user
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> UserRecord {
        UserRecord {
            username: name.into(),
            sub: None,
            status: None,
            enabled: true,
            attributes: BTreeMap::from([("email".into(), format!("{name}@example.com"))]),
            groups: vec![],
            created: None,
            modified: None,
        }
    }

    #[test]
    fn a_record_round_trips_through_its_line() {
        let mut u = user("ann");
        u.groups = vec!["admins".into()];
        u.attributes.insert("custom:tier".into(), "gold".into());
        let line = serde_json::to_string(&u).unwrap();
        let back = parse_jsonl(Path::new("u.jsonl"), &line).unwrap();
        assert_eq!(back, vec![u]);
    }

    #[test]
    fn bad_lines_name_the_file_and_line() {
        let text = format!(
            "{}\nnot json\n{{\"username\":\"bob\",\"colour\":1}}\n{}\n",
            serde_json::to_string(&user("ann")).unwrap(),
            serde_json::to_string(&user("ann")).unwrap()
        );
        let err = parse_jsonl(Path::new("in/users.jsonl"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("3 bad line(s)"), "{err}");
        assert!(err.contains("in/users.jsonl:2: not a user record"), "{err}");
        assert!(err.contains("in/users.jsonl:3:"), "{err}");
        assert!(err.contains("colour"), "{err}");
        assert!(
            err.contains("in/users.jsonl:4: user `ann` is also on line 1"),
            "{err}"
        );
    }

    #[test]
    fn attributes_the_target_lacks_are_counted() {
        let mut a = user("ann");
        a.attributes.insert("custom:tier".into(), "gold".into());
        let b = user("bob");
        let header = vec!["email".to_string(), "cognito:username".to_string()];
        assert_eq!(
            missing_attributes(&[a, b], &header),
            BTreeMap::from([("custom:tier".to_string(), 1)])
        );
    }

    #[test]
    fn excluded_attributes_are_left_out() {
        let mut a = user("ann");
        a.attributes.insert("custom:ssn".into(), "123".into());
        let a = without(a, &["custom:ssn".to_string()]);
        assert!(!a.attributes.contains_key("custom:ssn"));
        assert!(a.attributes.contains_key("email"));
    }
}
