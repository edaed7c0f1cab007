//! AWS access: SDK configuration per (profile, region) from the standard
//! credential chain, shared clients, and readable SDK errors.

pub mod limiter;
pub mod per_target;
pub mod pool_fields;
pub mod retry;
pub mod upload;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_cognitoidentityprovider as cognito;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
pub use per_target::PerTarget;
use std::sync::Arc;
use std::time::Duration;

/// Where a pool's AWS calls go: an account (by profile, and the role
/// assumed from it) and a region.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub profile: Option<String>,
    pub region: String,
    pub role: Option<AssumeRole>,
}

/// A role to assume with the profile's (or the default chain's)
/// credentials before any other call, as Terraform's `assume_role` does.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct AssumeRole {
    pub role_arn: String,
    pub external_id: Option<String>,
    /// `poolctl` when the spec names none: what CloudTrail shows.
    pub session_name: String,
    /// Seconds; STS's default (1h) when `None`.
    pub duration: Option<u64>,
}

/// The session name an assumed role gets when the spec gives none.
pub const DEFAULT_SESSION_NAME: &str = "poolctl";

impl Target {
    /// The same account (profile) in another region: where a pool's Lambda
    /// triggers live when they are not in the pool's own region.
    pub fn in_region(&self, region: &str) -> Target {
        Target {
            profile: self.profile.clone(),
            region: region.to_string(),
            role: self.role.clone(),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.profile {
            Some(p) => write!(f, "{} (profile {p})", self.region)?,
            None => f.write_str(&self.region)?,
        }
        match &self.role {
            Some(role) => write!(f, " (role {})", role.role_arn),
            None => Ok(()),
        }
    }
}

/// The SDK clients for one target.
#[derive(Clone, Debug)]
pub struct Clients {
    pub cognito: cognito::Client,
    pub apigateway: aws_sdk_apigateway::Client,
    pub apigatewayv2: aws_sdk_apigatewayv2::Client,
    pub lambda: aws_sdk_lambda::Client,
    /// Identity pools (`cognito-identity`).
    pub identity: aws_sdk_cognitoidentity::Client,
    /// Read only: the trust policies of identity pools' roles.
    pub iam: aws_sdk_iam::Client,
}

/// Hands out clients, loading each target's configuration (credentials,
/// retries, endpoint) once per run.
pub struct Session {
    endpoint_url: Option<String>,
    max_concurrency: usize,
    request_timeout: Duration,
    clients: PerTarget<Clients>,
}

impl Session {
    /// `endpoint_url` overrides every service's endpoint; without it the SDK's
    /// own resolution applies (including `AWS_ENDPOINT_URL`).
    pub fn new(
        endpoint_url: Option<String>,
        max_concurrency: usize,
        request_timeout: Duration,
    ) -> Self {
        Session {
            endpoint_url,
            max_concurrency,
            request_timeout,
            clients: PerTarget::default(),
        }
    }

    pub async fn clients(&self, target: &Target) -> Clients {
        self.clients.get_or_init(target, || self.load(target)).await
    }

    async fn load(&self, target: &Target) -> Clients {
        // A request waits in the pacer (limiter) inside the HTTP layer before
        // its body is sent; upload stall protection would take a long wait
        // there, in a large plan, for a stalled upload and fail it. Requests
        // are small JSON; downloads stay protected.
        let stall = aws_config::stalled_stream_protection::StalledStreamProtectionConfig::enabled()
            .upload_enabled(false)
            .build();
        // The SDK waits for an answer forever by default: a request that
        // is never answered would hang apply. The read timeout bounds each
        // attempt once the pacing has let it go (time spent waiting for its
        // turn does not count), and the attempt is then retried like a
        // dropped connection. (The SDK's connect timeout, 3.1s, stays.)
        let timeouts = TimeoutConfig::builder()
            .read_timeout(self.request_timeout)
            .build();
        // The HTTP client is poolctl's (rustls on ring): credentials (SSO,
        // STS, IMDS) use it too.
        let http = limiter::default_https_client();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http.clone())
            .region(Region::new(target.region.clone()))
            .stalled_stream_protection(stall)
            .timeout_config(timeouts);
        if let Some(profile) = &target.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let mut config = loader.load().await;
        if let Some(role) = &target.role {
            config = assume(config, role, &target.region).await;
        }
        tracing::debug!(target = %target, "loaded AWS configuration");
        // One pace for every service client of this account and region.
        let limiter = Arc::new(limiter::Limiter::new(self.max_concurrency));
        config = config
            .into_builder()
            .http_client(limiter::PacedHttpClient::new(http, limiter))
            .build();
        Clients {
            cognito: cognito::Client::new(&config),
            apigateway: aws_sdk_apigateway::Client::new(&config),
            apigatewayv2: aws_sdk_apigatewayv2::Client::new(&config),
            lambda: aws_sdk_lambda::Client::new(&config),
            identity: aws_sdk_cognitoidentity::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
        }
    }
}

/// `config` with its credentials replaced by the role's, assumed (through
/// STS, at the same endpoint) with the credentials `config` found. The SDK
/// caches them and assumes the role again before they expire.
async fn assume(
    config: aws_config::SdkConfig,
    role: &AssumeRole,
    region: &str,
) -> aws_config::SdkConfig {
    let mut builder = aws_config::sts::AssumeRoleProvider::builder(role.role_arn.clone())
        .configure(&config)
        .region(Region::new(region.to_string()))
        .session_name(role.session_name.clone());
    if let Some(id) = &role.external_id {
        builder = builder.external_id(id.clone());
    }
    if let Some(seconds) = role.duration {
        builder = builder.session_length(Duration::from_secs(seconds));
    }
    let provider = builder.build().await;
    tracing::debug!(role = %role.role_arn, "credentials come from the assumed role");
    config
        .into_builder()
        .credentials_provider(aws_types::sdk_config::SharedCredentialsProvider::new(
            provider,
        ))
        .build()
}

/// The region the SDK's standard chain names (`AWS_REGION`, the profile's
/// `region`), for a command no spec gives a region to (`poolctl import`).
/// (The whole loader, because its region chain ends at IMDS, which needs
/// poolctl's HTTP client: the SDK's own is not built in, see Cargo.toml.)
pub async fn default_region(profile: Option<&str>) -> Option<String> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(limiter::default_https_client());
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    loader.load().await.region().map(|r| r.to_string())
}

/// An SDK error as one readable line: the service's own code and message, or
/// for a failure before the service answered, the chain of causes (the SDK's
/// `Display` alone says only "service error").
pub fn explain<E, R>(operation: &str, err: SdkError<E, R>) -> anyhow::Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let status = http_status(err.raw_response());
    if let Some(service) = err.as_service_error() {
        let message = service.message().unwrap_or("(no message)");
        return match (service.code(), status) {
            (Some(code), _) => anyhow::anyhow!("{operation} failed: {code}: {message}"),
            (None, Some(status)) => {
                anyhow::anyhow!("{operation} failed: HTTP {status}: {message}")
            }
            (None, None) => anyhow::anyhow!("{operation} failed: UnknownError: {message}"),
        };
    }
    // An answer that is not an AWS error at all (an HTML error page, say):
    // what the SDK says about its body only confuses. The SDK has already
    // retried it as far as its retry policy goes.
    if let (SdkError::ResponseError(_), Some(status)) = (&err, status) {
        if status >= 400 {
            tracing::debug!(operation, error = ?err, "unreadable error response");
            return anyhow::anyhow!(
                "{operation} failed: the endpoint answered HTTP {status} with a body that is not an AWS error response\n  hint: the endpoint may not implement this operation (an emulator), or a proxy in between failed"
            );
        }
    }
    let mut causes: Vec<String> = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = source {
        let text = e.to_string();
        if !causes.iter().any(|c| c.contains(&text)) {
            causes.push(text);
        }
        source = e.source();
    }
    let chain = causes.join(": ");
    tracing::debug!(operation, error = %chain, "AWS call failed");
    let hint = if chain.contains("loading credentials") || chain.contains("no credentials") {
        "\n  hint: no AWS credentials were found. Use --profile or AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO (`aws sso login`), or an instance role"
    } else if chain.contains("read timeout") {
        // The SDK's read timeout, set from --request-timeout; its error type
        // is private, its message is not.
        "\n  hint: AWS did not answer in time; how long to wait for an answer is set by --request-timeout"
    } else if matches!(
        err,
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_)
    ) {
        "\n  hint: the endpoint could not be reached; check the network, --region and --endpoint-url"
    } else {
        ""
    };
    anyhow::anyhow!("{operation} failed: {chain}{hint}")
}

/// The HTTP status of a raw SDK response (the SDK's responses are
/// `HttpResponse`; other response types have none to give).
fn http_status<R: 'static>(raw: Option<&R>) -> Option<u16> {
    let raw: &dyn std::any::Any = raw?;
    raw.downcast_ref::<aws_smithy_runtime_api::http::Response>()
        .map(|r| r.status().as_u16())
}

/// Whether an SDK error is the service saying "no such resource".
pub fn is_not_found<E, R>(err: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata,
{
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "ResourceNotFoundException" || code == "NotFoundException")
}

/// The answer of a list read of a pool's resources (groups, clients, ...),
/// explained; a pool that does not exist has none. Such reads run alongside
/// the pool's own (`DescribeUserPool`), whose "does not exist" names the
/// pool, its environment and its file: a list call's not-found must not
/// hide it.
pub fn empty_if_not_found<T, E, R>(
    operation: &str,
    result: Result<T, SdkError<E, R>>,
) -> anyhow::Result<T>
where
    T: Default,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match result {
        Ok(answer) => Ok(answer),
        Err(err) if is_not_found(&err) => {
            tracing::debug!(operation, "the pool does not exist: nothing listed");
            Ok(T::default())
        }
        Err(err) => Err(explain(operation, err)),
    }
}

/// The outcome of a delete, explained. Already gone counts as deleted: that
/// is what the step was for, and it is what the SDK's retry of a delete
/// finds when AWS carried out the first attempt but its answer was lost.
pub fn deleted<O, E, R>(operation: &str, result: Result<O, SdkError<E, R>>) -> anyhow::Result<()>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match result {
        Ok(_) => Ok(()),
        Err(err) if is_not_found(&err) => {
            tracing::info!(operation, "already gone");
            Ok(())
        }
        Err(err) => Err(explain(operation, err)),
    }
}
