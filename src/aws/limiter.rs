//! Client-side pacing of AWS requests within Cognito's request-rate quotas,
//! so a large plan is bounded by the quota rather than by a storm of
//! throttling errors and retries.
//!
//! It sits in the SDK's HTTP layer (every attempt, retries included, passes
//! through it) and paces per account and region (one limiter per SDK
//! configuration), per quota category, and per operation and pool where
//! Cognito caps a single operation on one pool. In-flight requests are
//! capped too (`--max-concurrency`).

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Cognito's request-rate quota categories (per account and region), named
/// as AWS's quota table names them.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    UserPoolRead,
    UserPoolUpdate,
    UserPoolResourceRead,
    UserPoolResourceUpdate,
    UserPoolClientRead,
    UserPoolClientUpdate,
}

impl Category {
    const ALL: [Category; 6] = [
        Category::UserPoolRead,
        Category::UserPoolUpdate,
        Category::UserPoolResourceRead,
        Category::UserPoolResourceUpdate,
        Category::UserPoolClientRead,
        Category::UserPoolClientUpdate,
    ];

    /// Requests per second the category allows (AWS's default quotas).
    pub fn per_second(self) -> u32 {
        match self {
            Category::UserPoolResourceRead => 20,
            _ => 15,
        }
    }

    /// Whether a single operation is also capped per pool (5 a second).
    fn capped_per_pool(self) -> bool {
        !matches!(self, Category::UserPoolRead | Category::UserPoolUpdate)
    }

    /// The category of a Cognito operation; `None` for operations outside the
    /// quota table (and for other services).
    pub fn of(operation: &str) -> Option<Category> {
        use Category::*;
        Some(match operation {
            "DescribeUserPool" | "ListUserPools" => UserPoolRead,
            "CreateUserPool" | "UpdateUserPool" | "DeleteUserPool" => UserPoolUpdate,
            "DescribeIdentityProvider"
            | "DescribeResourceServer"
            | "DescribeUserPoolDomain"
            | "GetGroup"
            | "GetUserPoolMfaConfig"
            | "ListGroups"
            | "ListIdentityProviders"
            | "ListResourceServers"
            | "ListTagsForResource"
            | "GetIdentityProviderByIdentifier" => UserPoolResourceRead,
            "AddCustomAttributes"
            | "CreateGroup"
            | "UpdateGroup"
            | "DeleteGroup"
            | "CreateIdentityProvider"
            | "UpdateIdentityProvider"
            | "DeleteIdentityProvider"
            | "CreateResourceServer"
            | "UpdateResourceServer"
            | "DeleteResourceServer"
            | "CreateUserPoolDomain"
            | "UpdateUserPoolDomain"
            | "DeleteUserPoolDomain"
            | "SetUserPoolMfaConfig"
            | "TagResource"
            | "UntagResource" => UserPoolResourceUpdate,
            "DescribeUserPoolClient" | "ListUserPoolClients" => UserPoolClientRead,
            "CreateUserPoolClient" | "UpdateUserPoolClient" | "DeleteUserPoolClient" => {
                UserPoolClientUpdate
            }
            _ => return None,
        })
    }
}

/// Per-pool cap of a single operation in the capped categories.
pub const PER_POOL_PER_SECOND: u32 = 5;

/// Default cap on requests in flight at once, per quota category, account and
/// region.
pub const DEFAULT_MAX_CONCURRENCY: usize = 32;

/// The pacing state of one account and region.
#[derive(Debug)]
pub struct Limiter {
    categories: HashMap<Category, Lane>,
    /// Requests outside the quota table (other operations, other services).
    unpaced: Semaphore,
    per_pool: DefaultKeyedRateLimiter<(Category, String, String)>,
}

/// One quota category's own queue: its places in flight and its pace. Each
/// category has its own, so a crowded category never holds up another.
#[derive(Debug)]
struct Lane {
    in_flight: Semaphore,
    pace: DefaultDirectRateLimiter,
}

/// Share of a quota poolctl uses: requests are spaced evenly (no bursts), a
/// little under the quota, so that any one-second window stays within it even
/// when the network bunches requests up a little.
const HEADROOM: f64 = 0.9;

fn per_second(n: u32) -> Quota {
    let period = Duration::from_secs_f64(1.0 / (f64::from(n) * HEADROOM));
    Quota::with_period(period).expect("quotas are positive")
}

impl Limiter {
    pub fn new(max_concurrency: usize) -> Self {
        let places = max_concurrency.max(1);
        Limiter {
            categories: Category::ALL
                .iter()
                .map(|c| {
                    let lane = Lane {
                        in_flight: Semaphore::new(places),
                        pace: DefaultDirectRateLimiter::direct(per_second(c.per_second())),
                    };
                    (*c, lane)
                })
                .collect(),
            unpaced: Semaphore::new(places),
            per_pool: DefaultKeyedRateLimiter::keyed(per_second(PER_POOL_PER_SECOND)),
        }
    }

    /// Waits until a request may go: a place in flight in its category's
    /// lane, then the per-pool operation's turn, then the category's. The
    /// turn is taken last, right before the request leaves, so requests
    /// leave evenly spaced and never in a burst.
    async fn admit(
        &self,
        operation: Option<String>,
        pool: Option<String>,
    ) -> tokio::sync::SemaphorePermit<'_> {
        let Some(category) = operation.as_deref().and_then(Category::of) else {
            return self
                .unpaced
                .acquire()
                .await
                .expect("the semaphore is never closed");
        };
        let lane = &self.categories[&category];
        let permit = lane
            .in_flight
            .acquire()
            .await
            .expect("the semaphore is never closed");
        if let (true, Some(pool), Some(op)) = (category.capped_per_pool(), pool, operation) {
            self.per_pool.until_key_ready(&(category, op, pool)).await;
        }
        lane.pace.until_ready().await;
        permit
    }
}

/// The HTTP client the SDK would build for itself (hyper 1 with rustls on
/// aws-lc, honouring HTTP(S)_PROXY), built here because pacing wraps it and
/// the SDK offers no handle to its own default.
pub fn default_https_client() -> SharedHttpClient {
    use aws_smithy_http_client::{proxy::ProxyConfig, tls, Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(|settings, runtime_components| {
        let mut connector = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = runtime_components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// The SDK's HTTP client with every request paced by a `Limiter`.
#[derive(Debug, Clone)]
pub struct PacedHttpClient {
    inner: SharedHttpClient,
    limiter: Arc<Limiter>,
}

impl PacedHttpClient {
    pub fn new(inner: SharedHttpClient, limiter: Arc<Limiter>) -> Self {
        PacedHttpClient { inner, limiter }
    }
}

impl HttpClient for PacedHttpClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(PacedConnector {
            inner: self.inner.http_connector(settings, components),
            limiter: self.limiter.clone(),
        })
    }
}

#[derive(Debug)]
struct PacedConnector {
    inner: SharedHttpConnector,
    limiter: Arc<Limiter>,
}

impl HttpConnector for PacedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (operation, pool) = describe(&request);
        let limiter = self.limiter.clone();
        let inner = self.inner.clone();
        // Every AWS call passes here, retries included: `-v` shows each one
        // (operation and pool only: never a body, which can hold secrets).
        let call = match &operation {
            Some(op) => op.clone(),
            None => format!("{} {}", request.method(), request.uri()),
        };
        HttpConnectorFuture::new(async move {
            let pool_id = pool.clone().unwrap_or_default();
            let _permit = limiter.admit(operation, pool).await;
            tracing::info!(pool = %pool_id, "AWS {call}");
            inner.call(request).await
        })
    }
}

/// The Cognito operation (from `X-Amz-Target`) and pool id (from the JSON
/// body) of a request, where it has them.
fn describe(request: &HttpRequest) -> (Option<String>, Option<String>) {
    let operation = request
        .headers()
        .get("x-amz-target")
        .and_then(|t| t.split_once('.'))
        .map(|(_, op)| op.to_string());
    let pool = request
        .body()
        .bytes()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| {
            v.get("UserPoolId")
                .and_then(|id| id.as_str())
                .map(str::to_string)
        });
    (operation, pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_map_to_their_quota_categories() {
        assert_eq!(
            Category::of("DescribeUserPool"),
            Some(Category::UserPoolRead)
        );
        assert_eq!(
            Category::of("GetUserPoolMfaConfig"),
            Some(Category::UserPoolResourceRead)
        );
        assert_eq!(
            Category::of("SetUserPoolMfaConfig"),
            Some(Category::UserPoolResourceUpdate)
        );
        assert_eq!(
            Category::of("DescribeUserPoolClient"),
            Some(Category::UserPoolClientRead)
        );
        assert_eq!(Category::of("GetRestApis"), None);
        assert!(!Category::UserPoolRead.capped_per_pool());
        assert!(Category::UserPoolClientRead.capped_per_pool());
    }

    #[test]
    fn the_pool_and_operation_are_read_from_the_request() {
        let request = HttpRequest::try_from(
            http_1x::Request::builder()
                .header(
                    "x-amz-target",
                    "AWSCognitoIdentityProviderService.DescribeUserPoolClient",
                )
                .body(aws_smithy_types::body::SdkBody::from(
                    r#"{"UserPoolId":"us-east-1_abc","ClientId":"x"}"#,
                ))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            describe(&request),
            (
                Some("DescribeUserPoolClient".into()),
                Some("us-east-1_abc".into())
            )
        );
    }

    #[tokio::test]
    async fn a_burst_beyond_the_quota_is_spread_over_time() {
        let limiter = Limiter::new(4);
        let start = std::time::Instant::now();
        for _ in 0..(Category::UserPoolRead.per_second() + 3) {
            drop(limiter.admit(Some("DescribeUserPool".into()), None).await);
        }
        // Three requests past the burst wait for the bucket to refill.
        assert!(
            start.elapsed() >= std::time::Duration::from_millis(150),
            "{:?}",
            start.elapsed()
        );
    }
}
