//! Importing users into a pool: every check first (the file, the target's
//! attributes and groups, which users it already has), then Cognito's user
//! import job for the new users, then every group membership.

use super::{csv_file, UserRecord};
use crate::apply::users as apply;
use crate::live::users as live;
use aws_sdk_cognitoidentityprovider as cognito;
use std::collections::BTreeSet;
use std::time::Duration;

pub struct ImportJob<'a> {
    pub client: &'a cognito::Client,
    pub pool_id: &'a str,
    pub pool_name: &'a str,
    pub environment: &'a str,
    pub users: Vec<UserRecord>,
    pub logs_role: Option<String>,
    pub poll_interval: Duration,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// Users the pool already had: left as they are (their groups restored).
    pub existing: Vec<String>,
    /// The job's outcome, when there was a job.
    pub job: Option<apply::JobOutcome>,
    /// Users sent in the job that the pool does not have afterwards, with
    /// their row in the uploaded CSV (2 is the first row after the header).
    pub failed_rows: Vec<(usize, String)>,
    pub memberships_added: usize,
    pub memberships_failed: Vec<(String, String, String)>,
    /// Users imported now that were disabled in the file: disabled again.
    pub disabled: usize,
    pub disable_failed: Vec<(String, String)>,
}

impl Report {
    pub fn succeeded(&self) -> bool {
        self.failed_rows.is_empty()
            && self.memberships_failed.is_empty()
            && self.disable_failed.is_empty()
            && self.job.as_ref().is_none_or(|j| j.status == "Succeeded")
    }
}

/// Progress messages for the person watching.
pub type Say<'a> = &'a (dyn Fn(&str) + Sync);

pub async fn run(job: ImportJob<'_>, say: Say<'_>) -> anyhow::Result<Report> {
    let where_ = format!("pool `{}` ({})", job.pool_name, job.environment);
    let (header, groups, existing) = tokio::try_join!(
        live::csv_header(job.client, job.pool_id),
        live::groups(job.client, job.pool_id),
        live::usernames(job.client, job.pool_id),
    )?;
    let missing = super::missing_attributes(&job.users, &header);
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|(name, n)| format!("`{name}` ({n} user(s))"))
            .collect();
        anyhow::bail!(
            "{where_} has no attribute {}; nothing was uploaded. Add it to the pool's `schema` (custom attributes can be added in place) and apply, or export again with --exclude-attribute",
            list.join(", ")
        );
    }
    let unknown: Vec<String> = super::groups_of(&job.users)
        .difference(&groups)
        .map(|g| format!("`{g}`"))
        .collect();
    if !unknown.is_empty() {
        anyhow::bail!(
            "{where_} has no group {}; nothing was uploaded. Declare the groups in the spec's `groups` and apply first",
            unknown.join(", ")
        );
    }
    let (already, new): (Vec<&UserRecord>, Vec<&UserRecord>) = job
        .users
        .iter()
        .partition(|u| existing.contains(&u.username));
    let mut report = Report {
        existing: already.iter().map(|u| u.username.clone()).collect(),
        ..Report::default()
    };
    if !report.existing.is_empty() {
        say(&format!(
            "{} user(s) already in {where_}: left as they are, not imported again",
            report.existing.len()
        ));
    }

    let mut imported: BTreeSet<String> = existing.clone();
    if !new.is_empty() {
        let Some(role) = job.logs_role.as_deref() else {
            anyhow::bail!("an import job needs an IAM role for its CloudWatch Logs: give --logs-role ARN (or POOLCTL_IMPORT_LOGS_ROLE, or `users: {{ import_logs_role: ARN }}` in the environment's block); nothing was uploaded");
        };
        let new: Vec<UserRecord> = new.into_iter().cloned().collect();
        let csv = [csv_file::header(&header)?, csv_file::rows(&header, &new)?].concat();
        let name = format!("poolctl-{}", unix_seconds());
        let created = apply::create_job(job.client, job.pool_id, &name, role).await?;
        say(&format!(
            "import job {} created; uploading {} user(s)",
            created.id,
            new.len()
        ));
        apply::upload(&created, csv).await?;
        apply::start_job(job.client, job.pool_id, &created).await?;
        let outcome = apply::wait(
            job.client,
            job.pool_id,
            &created,
            job.poll_interval,
            &|status| say(&format!("import job {}: {status}", created.id)),
        )
        .await?;
        // The job's own failure report is in CloudWatch Logs; which rows
        // failed is also plain from the pool itself.
        imported = live::usernames(job.client, job.pool_id).await?;
        report.failed_rows = new
            .iter()
            .enumerate()
            .filter(|(_, u)| !imported.contains(&u.username))
            .map(|(i, u)| (i + 2, u.username.clone()))
            .collect();
        report.job = Some(outcome);
    }

    // An import job creates every user enabled; the file says who was not.
    // Only users this import created: those already there are left alone.
    let to_disable: Vec<String> = job
        .users
        .iter()
        .filter(|u| !u.enabled && imported.contains(&u.username) && !existing.contains(&u.username))
        .map(|u| u.username.clone())
        .collect();
    if !to_disable.is_empty() {
        report.disable_failed = apply::disable(job.client, job.pool_id, to_disable.clone()).await;
        report.disabled = to_disable.len() - report.disable_failed.len();
    }

    let memberships: Vec<(String, String)> = job
        .users
        .iter()
        .filter(|u| imported.contains(&u.username))
        .flat_map(|u| u.groups.iter().map(|g| (u.username.clone(), g.clone())))
        .collect();
    report.memberships_added = memberships.len();
    if !memberships.is_empty() {
        say(&format!(
            "restoring {} group membership(s)",
            memberships.len()
        ));
        report.memberships_failed =
            apply::add_memberships(job.client, job.pool_id, memberships, &|| {}).await;
        report.memberships_added -= report.memberships_failed.len();
    }
    Ok(report)
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
