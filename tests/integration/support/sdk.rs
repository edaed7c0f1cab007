//! Owns the AWS SDK clients that tests use to look at or change moto's state behind poolctl's back, and the runtime that lets synchronous tests await them.

use std::future::Future;
use std::sync::OnceLock;

use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_types::retry::RetryConfig;
use aws_types::sdk_config::SharedCredentialsProvider;
use aws_types::SdkConfig;

/// The region tests use unless they are about regions.
pub const TEST_REGION: &str = "us-east-1";

/// Static credentials matching what `Poolctl` gives poolctl; moto accepts any.
pub fn test_credentials() -> Credentials {
    Credentials::new("testing", "testing", None, None, "poolctl-tests")
}

/// An SdkConfig for `endpoint` that reads nothing from the environment or
/// ~/.aws. For a client with other settings:
/// `aws_sdk_xxx::Client::new(&sdk_config(endpoint, region, RetryConfig::standard()))`.
pub fn sdk_config(endpoint: &str, region: &str, retry: RetryConfig) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .credentials_provider(SharedCredentialsProvider::new(test_credentials()))
        .endpoint_url(endpoint)
        .retry_config(retry)
        // poolctl's HTTP client: the SDK's own is not built in (Cargo.toml).
        .http_client(poolctl::aws::limiter::default_https_client())
        .build()
}

// The clients below do not retry: out-of-band calls in a test should fail at
// once and visibly, and moto's "not implemented" 500s would otherwise be
// retried with backoff.

pub fn cognito_client(endpoint: &str, region: &str) -> aws_sdk_cognitoidentityprovider::Client {
    aws_sdk_cognitoidentityprovider::Client::new(&sdk_config(
        endpoint,
        region,
        RetryConfig::disabled(),
    ))
}

pub fn apigateway_client(endpoint: &str, region: &str) -> aws_sdk_apigateway::Client {
    aws_sdk_apigateway::Client::new(&sdk_config(endpoint, region, RetryConfig::disabled()))
}

pub fn apigatewayv2_client(endpoint: &str, region: &str) -> aws_sdk_apigatewayv2::Client {
    aws_sdk_apigatewayv2::Client::new(&sdk_config(endpoint, region, RetryConfig::disabled()))
}

pub fn lambda_client(endpoint: &str, region: &str) -> aws_sdk_lambda::Client {
    aws_sdk_lambda::Client::new(&sdk_config(endpoint, region, RetryConfig::disabled()))
}

/// Runs a future to completion from a plain `#[test]`. All calls share one
/// runtime because SDK clients keep pooled connections bound to the runtime
/// they were first used on; a client used from two runtimes fails with
/// "dispatch task is gone".
pub fn block_on<F: Future>(future: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("cannot build the tests' tokio runtime")
        })
        .block_on(future)
}
