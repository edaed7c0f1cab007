//! Exporting a pool's users to a directory, a page of `ListUsers` at a time,
//! each page checkpointed once it is in the files (see `checkpoint`).

use super::checkpoint::{self, Checkpoint};
use super::{csv_file, Manifest, UserRecord, CHECKPOINT, CSV, JSONL, MANIFEST, MEMBERSHIPS};
use crate::live::users as live;
use aws_sdk_cognitoidentityprovider as cognito;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What to export and where.
pub struct ExportJob<'a> {
    pub client: &'a cognito::Client,
    pub pool_id: &'a str,
    pub pool_name: &'a str,
    pub environment: &'a str,
    pub dir: PathBuf,
    pub resume: bool,
    pub excluded: Vec<String>,
}

/// How an export run ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// Every user is in the files; how many.
    Complete(u64),
    /// The export was complete before this run.
    AlreadyComplete(u64),
    /// Stopped on request after this many users; `--resume` continues.
    Interrupted(u64),
}

/// Progress: users written so far, and Cognito's estimate of the total.
pub type OnPage<'a> = &'a (dyn Fn(u64, u64) + Sync);

pub async fn run(
    job: &ExportJob<'_>,
    stop: &AtomicBool,
    on_page: OnPage<'_>,
) -> anyhow::Result<Ended> {
    let dir = &job.dir;
    let cp_path = dir.join(CHECKPOINT);
    let (jsonl_path, csv_path) = (dir.join(JSONL), dir.join(CSV));
    let estimate = live::summary(job.client, job.pool_id)
        .await?
        .map(|(_, n)| n)
        .unwrap_or(0);

    let (mut cp, memberships) = match Checkpoint::read(&cp_path)? {
        Some(cp) if job.resume => {
            if cp.pool_id != job.pool_id {
                anyhow::bail!(
                    "the export in {} is of pool {}, not {} (`{}`, {}); give another --out",
                    dir.display(),
                    cp.pool_id,
                    job.pool_id,
                    job.pool_name,
                    job.environment
                );
            }
            // What a page cut short left behind goes; that page is read again.
            checkpoint::truncate(&jsonl_path, cp.jsonl_bytes)?;
            checkpoint::truncate(&csv_path, cp.csv_bytes)?;
            let memberships = read_memberships(&dir.join(MEMBERSHIPS))?;
            (cp, memberships)
        }
        None if job.resume => {
            if let Some(manifest) = read_manifest(&dir.join(MANIFEST))? {
                return Ok(Ended::AlreadyComplete(manifest.users));
            }
            anyhow::bail!(
                "no export to resume in {} (no {CHECKPOINT}); run without --resume to start one",
                dir.display()
            );
        }
        _ => {
            if [&cp_path, &jsonl_path, &csv_path, &dir.join(MANIFEST)]
                .iter()
                .any(|p| p.exists())
            {
                anyhow::bail!(
                    "{} already holds an export; pass --resume to continue an unfinished one, or give another --out",
                    dir.display()
                );
            }
            start(job).await?
        }
    };

    let mut jsonl = append(&jsonl_path)?;
    let mut csv = append(&csv_path)?;
    let started = Instant::now();
    let done_before = cp.users_written;
    on_page(cp.users_written, estimate);
    // The next page is asked for as soon as its token is known, while this
    // one is written and flushed to disk: the walk's pace is the round trip
    // (or the quota), not the round trip plus the disk.
    let fetch = |token: Option<String>| {
        let (client, id) = (job.client.clone(), job.pool_id.to_string());
        tokio::spawn(async move { live::page(&client, &id, token.as_deref()).await })
    };
    let mut pending = fetch(cp.pagination_token.clone());
    loop {
        if stop.load(Ordering::SeqCst) {
            pending.abort();
            return Ok(Ended::Interrupted(cp.users_written));
        }
        let (users, next) = pending.await??;
        if let Some(token) = &next {
            pending = fetch(Some(token.clone()));
        } else {
            pending = tokio::spawn(async { Ok((Vec::new(), None)) });
        }
        let users: Vec<UserRecord> = users
            .into_iter()
            .map(|mut user| {
                user.groups = memberships.get(&user.username).cloned().unwrap_or_default();
                super::without(user, &job.excluded)
            })
            .collect();
        let mut lines = Vec::new();
        for user in &users {
            serde_json::to_writer(&mut lines, user)?;
            lines.push(b'\n');
        }
        let rows = csv_file::rows(&cp.csv_header, &users)?;
        jsonl.write_all(&lines)?;
        csv.write_all(&rows)?;
        jsonl.sync_data()?;
        csv.sync_data()?;
        cp.users_written += users.len() as u64;
        cp.jsonl_bytes += lines.len() as u64;
        cp.csv_bytes += rows.len() as u64;
        let rate_base = cp.users_written - done_before;
        tracing::debug!(
            users = cp.users_written,
            per_second = rate_base as f64 / started.elapsed().as_secs_f64(),
            "page written"
        );
        on_page(cp.users_written, estimate);
        match next {
            Some(token) => {
                cp.pagination_token = Some(token);
                cp.write(&cp_path)?;
            }
            None => break,
        }
    }
    let manifest = Manifest {
        notice: super::NOTICE.to_string(),
        pool: job.pool_name.to_string(),
        pool_id: job.pool_id.to_string(),
        environment: job.environment.to_string(),
        users: cp.users_written,
        excluded_attributes: job.excluded.clone(),
        csv_header: cp.csv_header.clone(),
    };
    checkpoint::write_atomically(&dir.join(MANIFEST), &serde_json::to_vec_pretty(&manifest)?)?;
    std::fs::remove_file(&cp_path)?;
    Ok(Ended::Complete(cp.users_written))
}

/// A new export: the directory, the memberships (read once, up front), the
/// CSV's header line and the first checkpoint.
async fn start(job: &ExportJob<'_>) -> anyhow::Result<(Checkpoint, BTreeMap<String, Vec<String>>)> {
    let dir = &job.dir;
    let (header, memberships) = tokio::try_join!(
        live::csv_header(job.client, job.pool_id),
        live::memberships(job.client, job.pool_id),
    )?;
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    checkpoint::write_atomically(&dir.join(MEMBERSHIPS), &serde_json::to_vec(&memberships)?)?;
    let header_line = csv_file::header(&header)?;
    std::fs::write(dir.join(CSV), &header_line)?;
    std::fs::write(dir.join(JSONL), b"")?;
    let cp = Checkpoint {
        pool_id: job.pool_id.to_string(),
        environment: job.environment.to_string(),
        pagination_token: None,
        users_written: 0,
        jsonl_bytes: 0,
        csv_bytes: header_line.len() as u64,
        excluded_attributes: job.excluded.clone(),
        csv_header: header,
    };
    cp.write(&dir.join(CHECKPOINT))?;
    Ok((cp, memberships))
}

fn append(path: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))
}

fn read_memberships(path: &Path) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let text =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    serde_json::from_slice(&text).map_err(|e| anyhow::anyhow!("{} is damaged: {e}", path.display()))
}

pub fn read_manifest(path: &Path) -> anyhow::Result<Option<Manifest>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes).map_err(|e| {
            anyhow::anyhow!("{} is not an export manifest: {e}", path.display())
        })?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}
