//! Cognito's user import jobs, which moto does not implement at all:
//! `GetCSVHeader`, `CreateUserImportJob`, the upload to the job's pre-signed
//! URL, `StartUserImportJob` and `DescribeUserImportJob`, played from the API
//! reference's request and response shapes.
//!
//! - `GetCSVHeader`: Cognito's standard columns, then the pool's `custom:`
//!   attributes (read from moto's DescribeUserPool), then
//!   `cognito:mfa_enabled` and `cognito:username`.
//! - `CreateUserImportJob`: a job in `Created` whose `PreSignedUrl` points
//!   back at this proxy (`/_user_import/<job id>`); the pool must exist and
//!   the role must look like an IAM role ARN.
//! - The upload: a PUT without `x-amz-server-side-encryption: aws:kms` is
//!   refused with 403, as S3 refuses a request that does not match what the
//!   URL was signed with.
//! - `StartUserImportJob`: the job must be `Created` and have its file. A
//!   header with a column the pool lacks, or without `cognito:username`,
//!   fails the whole job. Each row then becomes a user in moto
//!   (`AdminCreateUser`, messages suppressed); a row that is malformed (wrong
//!   number of fields, no user name, a `phone_number` not in E.164 form, an
//!   `email` without `@`, a user that exists already) is a failed row.
//! - `DescribeUserImportJob`: `InProgress` at the first ask after the start,
//!   then `Succeeded` with the counts (failed rows do not fail the job).

use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;

/// Cognito's standard CSV columns, in its order.
const STANDARD: [&str; 19] = [
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
];

/// moto reached straight from the layer (not recorded by the proxy), with
/// the credentials of the request being played.
pub trait Cognito {
    fn call(
        &self,
        operation: &str,
        body: Value,
    ) -> impl std::future::Future<Output = (u16, Value)> + Send;
}

/// The layer's answer: status, AWS error code (if any) and body.
pub struct Played {
    pub status: u16,
    pub error_type: Option<String>,
    pub body: Vec<u8>,
    pub json: bool,
}

impl Played {
    fn ok(body: Value) -> Played {
        Played {
            status: 200,
            error_type: None,
            body: body.to_string().into_bytes(),
            json: true,
        }
    }

    fn error(code: &str, message: &str) -> Played {
        Played {
            status: 400,
            error_type: Some(code.to_string()),
            body: json!({ "__type": code, "message": message })
                .to_string()
                .into_bytes(),
            json: true,
        }
    }
}

struct Job {
    pool: String,
    name: String,
    role: String,
    url: String,
    status: String,
    csv: Option<String>,
    imported: u64,
    failed: u64,
    message: Option<String>,
    asked_since_start: u32,
}

impl Job {
    fn describe(&self, id: &str) -> Value {
        let mut job = json!({
            "JobName": self.name,
            "JobId": id,
            "UserPoolId": self.pool,
            "PreSignedUrl": self.url,
            "CreationDate": 1.7e9,
            "Status": self.status,
            "CloudWatchLogsRoleArn": self.role,
            "ImportedUsers": self.imported,
            "SkippedUsers": 0,
            "FailedUsers": self.failed,
        });
        if let Some(message) = &self.message {
            job["CompletionMessage"] = json!(message);
        }
        json!({ "UserImportJob": job })
    }
}

#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<String, Job>>,
    next: Mutex<u64>,
}

/// The pool's CSV columns, or `None` when moto does not know the pool.
async fn header_of(moto: &impl Cognito, pool: &str) -> Option<Vec<String>> {
    let (status, described) = moto
        .call("DescribeUserPool", json!({ "UserPoolId": pool }))
        .await;
    if status != 200 {
        return None;
    }
    let mut columns: Vec<String> = STANDARD.iter().map(|c| c.to_string()).collect();
    for attribute in described["UserPool"]["SchemaAttributes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let name = attribute["Name"].as_str().unwrap_or_default();
        let name = name.strip_prefix("dev:").unwrap_or(name);
        if name.starts_with("custom:") && !columns.iter().any(|c| c == name) {
            columns.push(name.to_string());
        }
    }
    columns.push("cognito:mfa_enabled".into());
    columns.push("cognito:username".into());
    Some(columns)
}

fn no_pool(pool: &str) -> Played {
    Played::error(
        "ResourceNotFoundException",
        &format!("User pool {pool} does not exist."),
    )
}

impl ImportJobs {
    /// The layer's answer to a request it plays; `None` for any other.
    pub async fn handle(
        &self,
        operation: &str,
        headers: &[(String, String)],
        body: &[u8],
        moto: &impl Cognito,
    ) -> Option<Played> {
        if let Some(id) = operation.strip_prefix("PUT /_user_import/") {
            return Some(self.upload(id, headers, body));
        }
        if !matches!(
            operation,
            "GetCSVHeader" | "CreateUserImportJob" | "StartUserImportJob" | "DescribeUserImportJob"
        ) {
            return None;
        }
        let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let pool = request["UserPoolId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        Some(match operation {
            "GetCSVHeader" => match header_of(moto, &pool).await {
                Some(columns) => Played::ok(json!({ "UserPoolId": pool, "CSVHeader": columns })),
                None => no_pool(&pool),
            },
            "CreateUserImportJob" => {
                if header_of(moto, &pool).await.is_none() {
                    return Some(no_pool(&pool));
                }
                let role = request["CloudWatchLogsRoleArn"]
                    .as_str()
                    .unwrap_or_default();
                if !role.starts_with("arn:aws:iam::") || !role.contains(":role/") {
                    return Some(Played::error(
                        "InvalidParameterException",
                        "1 validation error detected: Value at 'cloudWatchLogsRoleArn' failed to satisfy constraint",
                    ));
                }
                let host = headers
                    .iter()
                    .find(|(n, _)| n == "host")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                let id = {
                    let mut next = self.next.lock().unwrap();
                    *next += 1;
                    format!("import-{:010}", *next)
                };
                let job = Job {
                    pool,
                    name: request["JobName"].as_str().unwrap_or_default().to_string(),
                    role: role.to_string(),
                    url: format!("http://{host}/_user_import/{id}?X-Amz-Signature=emulated"),
                    status: "Created".into(),
                    csv: None,
                    imported: 0,
                    failed: 0,
                    message: None,
                    asked_since_start: 0,
                };
                let answer = job.describe(&id);
                self.jobs.lock().unwrap().insert(id, job);
                Played::ok(answer)
            }
            "StartUserImportJob" => self.start(&request, moto).await,
            "DescribeUserImportJob" => {
                let id = request["JobId"].as_str().unwrap_or_default();
                let mut jobs = self.jobs.lock().unwrap();
                match jobs.get_mut(id).filter(|j| j.pool == pool) {
                    Some(job) => {
                        if job.status == "InProgress" {
                            job.asked_since_start += 1;
                            if job.asked_since_start > 1 {
                                job.status = "Succeeded".into();
                                job.message = Some("Import Job Completed Successfully.".into());
                            }
                        }
                        Played::ok(job.describe(id))
                    }
                    None => Played::error(
                        "ResourceNotFoundException",
                        &format!("Import job {id} does not exist."),
                    ),
                }
            }
            _ => unreachable!("matched above"),
        })
    }

    fn upload(&self, id: &str, headers: &[(String, String)], body: &[u8]) -> Played {
        let id = id.split('?').next().unwrap_or(id);
        let sse = headers
            .iter()
            .find(|(n, _)| n == "x-amz-server-side-encryption")
            .map(|(_, v)| v.as_str());
        if sse != Some("aws:kms") {
            return Played {
                status: 403,
                error_type: None,
                body: b"<Error><Code>SignatureDoesNotMatch</Code></Error>".to_vec(),
                json: false,
            };
        }
        let mut jobs = self.jobs.lock().unwrap();
        match jobs.get_mut(id) {
            Some(job) if job.status == "Created" => {
                job.csv = Some(String::from_utf8_lossy(body).into_owned());
                Played {
                    status: 200,
                    error_type: None,
                    body: Vec::new(),
                    json: false,
                }
            }
            _ => Played {
                status: 403,
                error_type: None,
                body: b"<Error><Code>AccessDenied</Code></Error>".to_vec(),
                json: false,
            },
        }
    }

    async fn start(&self, request: &Value, moto: &impl Cognito) -> Played {
        let id = request["JobId"].as_str().unwrap_or_default().to_string();
        let pool = request["UserPoolId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let csv = {
            let mut jobs = self.jobs.lock().unwrap();
            let Some(job) = jobs.get_mut(&id).filter(|j| j.pool == pool) else {
                return Played::error(
                    "ResourceNotFoundException",
                    &format!("Import job {id} does not exist."),
                );
            };
            if job.status != "Created" {
                return Played::error(
                    "PreconditionNotMetException",
                    &format!("Import job {id} is {}, not Created.", job.status),
                );
            }
            job.csv.clone()
        };
        let columns = header_of(moto, &pool).await.unwrap_or_default();
        let (imported, failed, job_error) = match csv {
            None => (0, 0, Some("The CSV file was not uploaded.".to_string())),
            Some(csv) => import_rows(&csv, &columns, &pool, moto).await,
        };
        let mut jobs = self.jobs.lock().unwrap();
        let job = jobs.get_mut(&id).expect("the job was there");
        job.imported = imported;
        job.failed = failed;
        match job_error {
            Some(message) => {
                job.status = "Failed".into();
                job.message = Some(message);
            }
            None => job.status = "InProgress".into(),
        }
        Played::ok(job.describe(&id))
    }
}

/// Creates a user per row; returns (imported, failed rows, whole-job error).
async fn import_rows(
    csv: &str,
    columns: &[String],
    pool: &str,
    moto: &impl Cognito,
) -> (u64, u64, Option<String>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return (0, 0, Some(format!("The CSV header cannot be read: {e}"))),
    };
    if let Some(column) = header.iter().find(|c| !columns.contains(c)) {
        return (
            0,
            0,
            Some(format!("The CSV header has the unknown column {column}.")),
        );
    }
    if !header.iter().any(|c| c == "cognito:username") {
        return (0, 0, Some("The CSV header has no cognito:username.".into()));
    }
    let rows: Vec<Option<Vec<String>>> = reader
        .records()
        .map(|r| {
            r.ok()
                .filter(|r| r.len() == header.len())
                .map(|r| r.iter().map(str::to_string).collect())
        })
        .collect();
    use futures::StreamExt;
    // A few at a time: moto serves each connection on its own thread.
    let outcomes: Vec<bool> = futures::stream::iter(rows.into_iter().map(|row| {
        let header = &header;
        async move {
            let Some(row) = row else { return false };
            let mut username = String::new();
            let mut attributes = Vec::new();
            for (column, value) in header.iter().zip(row) {
                match column.as_str() {
                    "cognito:username" => username = value,
                    "cognito:mfa_enabled" => {}
                    _ if value.is_empty() => {}
                    "phone_number" if !is_e164(&value) => return false,
                    "email" if !value.contains('@') => return false,
                    _ => attributes.push(json!({ "Name": column, "Value": value })),
                }
            }
            if username.is_empty() {
                return false;
            }
            let (status, _) = moto
                .call(
                    "AdminCreateUser",
                    json!({
                        "UserPoolId": pool,
                        "Username": username,
                        "UserAttributes": attributes,
                        "MessageAction": "SUPPRESS",
                    }),
                )
                .await;
            status == 200
        }
    }))
    .buffered(8)
    .collect()
    .await;
    let imported = outcomes.iter().filter(|ok| **ok).count() as u64;
    (imported, outcomes.len() as u64 - imported, None)
}

fn is_e164(value: &str) -> bool {
    value.strip_prefix('+').is_some_and(|digits| {
        (4..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
    })
}
