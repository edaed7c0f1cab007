//! AWS access: SDK configuration per (profile, region) from the standard
//! credential chain, shared clients, and readable SDK errors.

use aws_config::{BehaviorVersion, Region};
use aws_sdk_cognitoidentityprovider as cognito;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell};

/// Where a pool's AWS calls go: an account (by profile) and a region.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub profile: Option<String>,
    pub region: String,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.profile {
            Some(p) => write!(f, "{} (profile {p})", self.region),
            None => f.write_str(&self.region),
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
}

/// Hands out clients, loading each target's configuration (credentials,
/// retries, endpoint) once per run.
#[derive(Default)]
pub struct Session {
    endpoint_url: Option<String>,
    clients: Mutex<HashMap<Target, Arc<OnceCell<Clients>>>>,
}

impl Session {
    /// `endpoint_url` overrides every service's endpoint; without it the SDK's
    /// own resolution applies (including `AWS_ENDPOINT_URL`).
    pub fn new(endpoint_url: Option<String>) -> Self {
        Session {
            endpoint_url,
            clients: Mutex::default(),
        }
    }

    pub async fn clients(&self, target: &Target) -> Clients {
        let cell = {
            let mut map = self.clients.lock().await;
            map.entry(target.clone()).or_default().clone()
        };
        cell.get_or_init(|| self.load(target)).await.clone()
    }

    async fn load(&self, target: &Target) -> Clients {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(target.region.clone()));
        if let Some(profile) = &target.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        tracing::debug!(target = %target, "loaded AWS configuration");
        Clients {
            cognito: cognito::Client::new(&config),
            apigateway: aws_sdk_apigateway::Client::new(&config),
            apigatewayv2: aws_sdk_apigatewayv2::Client::new(&config),
            lambda: aws_sdk_lambda::Client::new(&config),
        }
    }
}

/// An SDK error as one readable line: the service's own code and message, or
/// for a failure before the service answered, the chain of causes (the SDK's
/// `Display` alone says only "service error").
pub fn explain<E, R>(operation: &str, err: SdkError<E, R>) -> anyhow::Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    if let Some(service) = err.as_service_error() {
        let code = service.code().unwrap_or("UnknownError");
        let message = service.message().unwrap_or("(no message)");
        return anyhow::anyhow!("{operation} failed: {code}: {message}");
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

/// Whether an SDK error is the service saying "no such resource".
pub fn is_not_found<E, R>(err: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata,
{
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "ResourceNotFoundException" || code == "NotFoundException")
}
