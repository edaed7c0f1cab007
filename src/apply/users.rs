//! Writing users: Cognito's user import job (create it, upload the CSV to its
//! pre-signed URL, start it, wait for it) and group memberships
//! (`AdminAddUserToGroup`, paced in the UserUpdate category).

use crate::aws::explain;
use aws_sdk_cognitoidentityprovider as cognito;
use futures::stream::{self, StreamExt};
use std::time::Duration;

/// The header Cognito's pre-signed upload URL is signed with: the CSV is
/// stored encrypted with a KMS key. Nothing else is added: a header the URL
/// was not signed with could make S3 refuse it.
pub const UPLOAD_HEADERS: [(&str, &str); 1] = [("x-amz-server-side-encryption", "aws:kms")];

/// An import job created and waiting for its file.
pub struct Job {
    pub id: String,
    pub upload_url: String,
}

/// Where a job ended and what it counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOutcome {
    pub status: String,
    pub imported: i64,
    pub skipped: i64,
    pub failed: i64,
    pub message: Option<String>,
}

pub async fn create_job(
    client: &cognito::Client,
    pool_id: &str,
    name: &str,
    logs_role: &str,
) -> anyhow::Result<Job> {
    let out = client
        .create_user_import_job()
        .user_pool_id(pool_id)
        .job_name(name)
        .cloud_watch_logs_role_arn(logs_role)
        .send()
        .await
        .map_err(|err| explain(&format!("CreateUserImportJob {pool_id}"), err))?;
    let job = out
        .user_import_job
        .ok_or_else(|| anyhow::anyhow!("CreateUserImportJob returned no job"))?;
    Ok(Job {
        id: job.job_id.unwrap_or_default(),
        upload_url: job.pre_signed_url.unwrap_or_default(),
    })
}

pub async fn upload(job: &Job, csv: Vec<u8>) -> anyhow::Result<()> {
    crate::aws::upload::put_presigned(&job.upload_url, &UPLOAD_HEADERS, csv).await
}

pub async fn start_job(client: &cognito::Client, pool_id: &str, job: &Job) -> anyhow::Result<()> {
    client
        .start_user_import_job()
        .user_pool_id(pool_id)
        .job_id(&job.id)
        .send()
        .await
        .map_err(|err| explain(&format!("StartUserImportJob {}", job.id), err))?;
    Ok(())
}

/// Asks after the job every `interval` until it has ended (Succeeded,
/// Failed, Stopped or Expired), reporting each status change.
pub async fn wait(
    client: &cognito::Client,
    pool_id: &str,
    job: &Job,
    interval: Duration,
    on_status: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<JobOutcome> {
    let mut last = String::new();
    loop {
        let out = client
            .describe_user_import_job()
            .user_pool_id(pool_id)
            .job_id(&job.id)
            .send()
            .await
            .map_err(|err| explain(&format!("DescribeUserImportJob {}", job.id), err))?;
        let described = out
            .user_import_job
            .ok_or_else(|| anyhow::anyhow!("DescribeUserImportJob {} returned no job", job.id))?;
        let status = described
            .status
            .as_ref()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default();
        if status != last {
            on_status(&status);
            last = status.clone();
        }
        if matches!(
            status.as_str(),
            "Succeeded" | "Failed" | "Stopped" | "Expired"
        ) {
            return Ok(JobOutcome {
                status,
                imported: described.imported_users,
                skipped: described.skipped_users,
                failed: described.failed_users,
                message: described.completion_message,
            });
        }
        tokio::time::sleep(interval).await;
    }
}

/// Adds each (user, group) membership; already a member is fine (AWS
/// answers it with success). Several in flight, paced by the limiter.
/// Returns the memberships that failed, with why.
pub async fn add_memberships(
    client: &cognito::Client,
    pool_id: &str,
    memberships: Vec<(String, String)>,
    on_done: &(dyn Fn() + Sync),
) -> Vec<(String, String, String)> {
    stream::iter(memberships)
        .map(|(user, group)| async move {
            let result = client
                .admin_add_user_to_group()
                .user_pool_id(pool_id)
                .username(&user)
                .group_name(&group)
                .send()
                .await;
            on_done();
            result.err().map(|err| {
                (
                    user,
                    group,
                    format!("{:#}", explain("AdminAddUserToGroup", err)),
                )
            })
        })
        .buffer_unordered(16)
        .filter_map(|failed| async move { failed })
        .collect()
        .await
}

/// Disables each user (imported users arrive enabled; these were disabled
/// where they came from). Returns the users that could not be, with why.
pub async fn disable(
    client: &cognito::Client,
    pool_id: &str,
    users: Vec<String>,
) -> Vec<(String, String)> {
    stream::iter(users)
        .map(|user| async move {
            let result = client
                .admin_disable_user()
                .user_pool_id(pool_id)
                .username(&user)
                .send()
                .await;
            result
                .err()
                .map(|err| (user, format!("{:#}", explain("AdminDisableUser", err))))
        })
        .buffer_unordered(16)
        .filter_map(|failed| async move { failed })
        .collect()
        .await
}
