//! Client-side pacing of AWS requests within Cognito's request-rate quotas
//! (user pools' categories, and identity pools' per-operation quotas),
//! so a small plan is as fast as its round trips (an idle quota's first
//! second is spent at once) and a large one is bounded by the quota rather
//! than by a storm of throttling errors and retries; TooManyRequests (other
//! tools share the quota) slows that quota down. See docs/pacing.md.
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
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
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
    /// Listing a pool's users (`users export`, `users import`).
    UserList,
    /// Reading one user.
    UserRead,
    /// Creating users one at a time.
    UserCreation,
    /// Changing a user, group memberships included (`users import`).
    UserUpdate,
    /// Identity pools (`cognito-identity`) have no categories: each
    /// operation has its own quota, so each its own lane.
    IdentityPoolOperation(IdentityOp),
}

/// The identity-pool operations poolctl calls. AWS's quota table lists
/// TagResource and UntagResource (5 a second) and ListTagsForResource (10);
/// it publishes no rate for the management operations (Create/Describe/
/// Update/List/DeleteIdentityPool, Set/GetIdentityPoolRoles, Set/
/// GetPrincipalTagAttributeMap), which are paced at the lowest published
/// rate, 5 a second each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityOp {
    CreateIdentityPool,
    DescribeIdentityPool,
    UpdateIdentityPool,
    ListIdentityPools,
    DeleteIdentityPool,
    GetIdentityPoolRoles,
    SetIdentityPoolRoles,
    GetPrincipalTagAttributeMap,
    SetPrincipalTagAttributeMap,
    TagResource,
    UntagResource,
    ListTagsForResource,
}

impl IdentityOp {
    const ALL: [IdentityOp; 12] = [
        IdentityOp::CreateIdentityPool,
        IdentityOp::DescribeIdentityPool,
        IdentityOp::UpdateIdentityPool,
        IdentityOp::ListIdentityPools,
        IdentityOp::DeleteIdentityPool,
        IdentityOp::GetIdentityPoolRoles,
        IdentityOp::SetIdentityPoolRoles,
        IdentityOp::GetPrincipalTagAttributeMap,
        IdentityOp::SetPrincipalTagAttributeMap,
        IdentityOp::TagResource,
        IdentityOp::UntagResource,
        IdentityOp::ListTagsForResource,
    ];

    fn of(operation: &str) -> Option<IdentityOp> {
        IdentityOp::ALL
            .into_iter()
            .find(|op| format!("{op:?}") == operation)
    }
}

/// The `X-Amz-Target` prefix of identity-pool requests.
const IDENTITY_SERVICE: &str = "AWSCognitoIdentityService";

impl Category {
    /// Every category, each with its own lane.
    fn all() -> Vec<Category> {
        let mut all = vec![
            Category::UserPoolRead,
            Category::UserPoolUpdate,
            Category::UserPoolResourceRead,
            Category::UserPoolResourceUpdate,
            Category::UserPoolClientRead,
            Category::UserPoolClientUpdate,
            Category::UserList,
            Category::UserRead,
            Category::UserCreation,
            Category::UserUpdate,
        ];
        all.extend(IdentityOp::ALL.map(Category::IdentityPoolOperation));
        all
    }

    /// Requests per second the category allows (AWS's default quotas).
    pub fn per_second(self) -> u32 {
        match self {
            Category::UserPoolResourceRead => 20,
            Category::UserList => 30,
            Category::UserRead => 120,
            Category::UserCreation => 50,
            Category::UserUpdate => 25,
            Category::IdentityPoolOperation(IdentityOp::ListTagsForResource) => 10,
            Category::IdentityPoolOperation(_) => 5,
            _ => 15,
        }
    }

    /// Whether a single operation is also capped per pool (5 a second): only
    /// in the four pool-resource and client categories.
    fn capped_per_pool(self) -> bool {
        matches!(
            self,
            Category::UserPoolResourceRead
                | Category::UserPoolResourceUpdate
                | Category::UserPoolClientRead
                | Category::UserPoolClientUpdate
        )
    }

    /// The category of a request from its `X-Amz-Target`
    /// (`<service>.<operation>`): identity-pool operations share names
    /// (TagResource, ...) with user-pool ones, so the service decides.
    pub fn of_target(target: &str) -> Option<Category> {
        let (service, operation) = target.split_once('.')?;
        if service == IDENTITY_SERVICE {
            IdentityOp::of(operation).map(Category::IdentityPoolOperation)
        } else {
            Category::of(operation)
        }
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
            // Hosted UI branding; managed login's calls are taken to be in
            // the same categories as the classic UI's (unconfirmed).
            | "GetUICustomization"
            | "DescribeManagedLoginBranding"
            | "DescribeManagedLoginBrandingByClient"
            | "GetGroup"
            | "GetUserPoolMfaConfig"
            | "ListGroups"
            | "ListIdentityProviders"
            | "ListResourceServers"
            | "ListTagsForResource"
            | "GetIdentityProviderByIdentifier"
            | "GetCSVHeader"
            | "DescribeUserImportJob"
            | "ListUserImportJobs"
            | "DescribeRiskConfiguration"
            | "GetLogDeliveryConfiguration" => UserPoolResourceRead,
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
            | "SetUICustomization"
            | "CreateManagedLoginBranding"
            | "UpdateManagedLoginBranding"
            | "DeleteManagedLoginBranding"
            | "DeleteUserPoolDomain"
            | "SetUserPoolMfaConfig"
            | "TagResource"
            | "UntagResource"
            | "CreateUserImportJob"
            | "StartUserImportJob"
            | "StopUserImportJob"
            | "SetRiskConfiguration"
            | "SetLogDeliveryConfiguration" => UserPoolResourceUpdate,
            "DescribeUserPoolClient" | "ListUserPoolClients" => UserPoolClientRead,
            "CreateUserPoolClient" | "UpdateUserPoolClient" | "DeleteUserPoolClient" => {
                UserPoolClientUpdate
            }
            "ListUsers" | "ListUsersInGroup" => UserList,
            "AdminGetUser" => UserRead,
            "AdminCreateUser" => UserCreation,
            "AdminAddUserToGroup"
            | "AdminRemoveUserFromGroup"
            | "AdminDisableUser"
            | "AdminEnableUser" => UserUpdate,
            _ => return None,
        })
    }
}

/// Per-pool cap of a single operation in the capped categories.
pub const PER_POOL_PER_SECOND: u32 = 5;

/// Default cap on requests in flight at once, per quota category, account and
/// region.
pub const DEFAULT_MAX_CONCURRENCY: usize = 32;

/// How far back a lane counts what it sent: a second, which is what a quota
/// counts, plus room for requests the network bunches up on the way (a
/// request sent at 0.0 s may arrive at 0.05 s, one sent at 1.0 s on time).
const WINDOW: Duration = Duration::from_millis(1100);

/// Share of a quota poolctl paces at once TooManyRequests stopped its
/// bursts: a little under it, so a window stays within the quota even when
/// the network bunches requests up.
const HEADROOM: f64 = 0.9;

/// After TooManyRequests the pace drops to this share of what it was...
const BACKOFF: f64 = 0.7;

/// ...but not below this share of the quota, so a run always proceeds.
const FLOOR: f64 = 0.1;

/// ...and recovers by this share of the quota each second without one
/// (from the floor to the full pace in about 16 seconds).
const RECOVERY_PER_SECOND: f64 = 0.05;

/// After TooManyRequests the next request waits at least this long, and
/// until poolctl's own oldest request within the window has left it: the
/// second that answered it is spent (by others too), and what goes before
/// there is room is refused again, retries included, until the SDK gives up.
const AFTER_THROTTLE: Duration = Duration::from_millis(500);

/// Bursts are allowed again only after this long without TooManyRequests.
const QUIET: Duration = Duration::from_secs(20);

/// The pace of one quota: a category's, or one operation's on one pool.
/// A pure state machine over the instants it is given, so its logic is
/// tested without waiting (and without governor, whose quotas are fixed
/// once built, while this one lowers and raises its pace).
///
/// A lane spends a whole second's budget at once, and the next second's
/// as soon as the first has left the `WINDOW`: the quotas are rates per
/// second, and nothing documented forbids a burst. Never more than the
/// quota go out within one `WINDOW`, which is what a quota counts plus room
/// for the network. Spacing requests evenly instead would cost a whole
/// window at the end of every run (the last second's budget trickles out
/// rather than going at once) for no fewer requests per second.
/// TooManyRequests (the account is shared with other tools) stops the
/// bursts: requests are then spaced evenly at a lowered pace, which
/// recovers slowly, and bursts resume after a quiet spell at full pace.
#[derive(Debug, Clone)]
pub struct Pace {
    quota: u32,
    /// Requests a second when paced; at most `quota * HEADROOM`.
    rate: f64,
    /// When each request within the last `WINDOW` was sent, oldest first.
    sent: VecDeque<Instant>,
    /// The earliest instant the next paced request may go (when bursts are
    /// not allowed).
    next: Option<Instant>,
    /// The last TooManyRequests that lowered the pace.
    throttled_at: Option<Instant>,
    /// When the pace last recovered.
    recovered_at: Option<Instant>,
}

impl Pace {
    pub fn new(quota: u32) -> Pace {
        Pace {
            quota,
            rate: Self::full(quota),
            sent: VecDeque::new(),
            next: None,
            throttled_at: None,
            recovered_at: None,
        }
    }

    fn full(quota: u32) -> f64 {
        f64::from(quota) * HEADROOM
    }

    /// The current pace, requests a second.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    fn bursts_allowed(&self, now: Instant) -> bool {
        self.throttled_at
            .is_none_or(|t| now.duration_since(t) >= QUIET && self.rate >= Self::full(self.quota))
    }

    /// Brings the state up to `now`: forgets sends out of the window and
    /// recovers the pace.
    fn advance(&mut self, now: Instant) {
        while self
            .sent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            self.sent.pop_front();
        }
        let full = Self::full(self.quota);
        if let Some(since) = self.recovered_at {
            let seconds = now.saturating_duration_since(since).as_secs_f64();
            self.rate =
                (self.rate + seconds * RECOVERY_PER_SECOND * f64::from(self.quota)).min(full);
        }
        self.recovered_at = Some(now);
    }

    /// When a request may go: `None` now, else the instant to ask again.
    pub fn wait(&mut self, now: Instant) -> Option<Instant> {
        self.advance(now);
        let window_full = (self.sent.len() >= self.quota as usize).then(|| self.sent[0] + WINDOW);
        let paced = if self.bursts_allowed(now) {
            None
        } else {
            self.next.filter(|next| *next > now)
        };
        window_full.max(paced)
    }

    /// Records a request sent at `now` (after `wait` said it may go).
    pub fn sent(&mut self, now: Instant) {
        self.advance(now);
        self.sent.push_back(now);
        let gap = Duration::from_secs_f64(1.0 / self.rate);
        let from = if self.bursts_allowed(now) {
            now
        } else {
            self.next.map_or(now, |n| n.max(now))
        };
        self.next = Some(from + gap);
    }

    /// AWS answered TooManyRequests: someone else spends this quota too.
    /// The pace drops (once per window: the answers to requests already in
    /// flight say the same thing again), bursting stops, and the next
    /// request waits until the spent second is over.
    pub fn throttled(&mut self, now: Instant) {
        self.advance(now);
        if self
            .throttled_at
            .is_some_and(|t| now.duration_since(t) < WINDOW)
        {
            return;
        }
        self.throttled_at = Some(now);
        let floor = f64::from(self.quota) * FLOOR;
        self.rate = (self.rate * BACKOFF).max(floor);
        // Others' requests fill the rest of the window; the first room we
        // can count on is where our own oldest request leaves it.
        let ours_leave = self.sent.front().map_or(now, |t| *t + WINDOW);
        self.next = Some((now + AFTER_THROTTLE).max(ours_leave));
    }
}

/// The pacing state of one account and region.
#[derive(Debug)]
pub struct Limiter {
    in_flight: HashMap<Category, Semaphore>,
    /// Requests outside the quota table (other operations, other services).
    unpaced: Semaphore,
    paces: Mutex<Paces>,
}

/// A capped operation on one pool: its category, the operation, the pool.
type PoolKey = (Category, String, String);

#[derive(Debug, Default)]
struct Paces {
    categories: HashMap<Category, Pace>,
    per_pool: HashMap<PoolKey, Pace>,
}

impl Paces {
    /// The paces a request goes through: its category's, and its
    /// operation's on its pool where Cognito caps that.
    fn of(&mut self, category: Category, key: Option<&PoolKey>) -> Vec<&mut Pace> {
        let mut paces = vec![self
            .categories
            .entry(category)
            .or_insert_with(|| Pace::new(category.per_second()))];
        if let Some(key) = key {
            paces.push(
                self.per_pool
                    .entry(key.clone())
                    .or_insert_with(|| Pace::new(PER_POOL_PER_SECOND)),
            );
        }
        paces
    }
}

/// A request's place under the quotas: its category, and the per-pool key
/// where its category caps single operations.
fn lane(operation: Option<&str>, pool: Option<&str>) -> Option<(Category, Option<PoolKey>)> {
    let target = operation?;
    let category = Category::of_target(target)?;
    let op = target.split_once('.').map_or(target, |(_, op)| op);
    let key = match (category.capped_per_pool(), pool) {
        (true, Some(pool)) => Some((category, op.to_string(), pool.to_string())),
        _ => None,
    };
    Some((category, key))
}

impl Limiter {
    pub fn new(max_concurrency: usize) -> Self {
        let places = max_concurrency.max(1);
        Limiter {
            in_flight: Category::all()
                .into_iter()
                .map(|c| (c, Semaphore::new(places)))
                .collect(),
            unpaced: Semaphore::new(places),
            paces: Mutex::default(),
        }
    }

    fn paces(&self) -> std::sync::MutexGuard<'_, Paces> {
        self.paces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until a request may go: a place in flight in its category,
    /// then its turn under both its category's pace and its operation's on
    /// its pool, taken together so one is never spent while the other waits.
    async fn admit(
        &self,
        operation: Option<&str>,
        pool: Option<&str>,
    ) -> tokio::sync::SemaphorePermit<'_> {
        let Some((category, key)) = lane(operation, pool) else {
            return self
                .unpaced
                .acquire()
                .await
                .expect("the semaphore is never closed");
        };
        let permit = self.in_flight[&category]
            .acquire()
            .await
            .expect("the semaphore is never closed");
        loop {
            let wait = {
                let mut paces = self.paces();
                let now = Instant::now();
                let mut lanes = paces.of(category, key.as_ref());
                let wait = lanes.iter_mut().filter_map(|p| p.wait(now)).max();
                if wait.is_none() {
                    lanes.iter_mut().for_each(|p| p.sent(now));
                }
                wait
            };
            match wait {
                None => return permit,
                Some(until) => tokio::time::sleep_until(until.into()).await,
            }
        }
    }

    /// AWS answered TooManyRequests to a request of this operation and pool.
    fn throttled(&self, operation: Option<&str>, pool: Option<&str>) {
        let Some((category, key)) = lane(operation, pool) else {
            return;
        };
        let now = Instant::now();
        let mut paces = self.paces();
        for pace in paces.of(category, key.as_ref()) {
            pace.throttled(now);
        }
        tracing::info!(?category, "TooManyRequests: pacing this quota more slowly");
    }
}

/// Whether an answer is Cognito's TooManyRequestsException (HTTP 400, named
/// in the `x-amzn-ErrorType` header as AWS's JSON protocol does).
fn is_throttling(response: &HttpResponse) -> bool {
    response.status().as_u16() == 400
        && response
            .headers()
            .get("x-amzn-errortype")
            .is_some_and(|t| t.starts_with("TooManyRequestsException"))
}

/// The HTTPS client every AWS call goes through: hyper 1 with rustls on ring
/// (TLS 1.2 and 1.3, the platform's root certificates), honouring
/// HTTP(S)_PROXY. Built here rather than by the SDK: pacing wraps it, and
/// ring builds far faster than the SDK's default aws-lc (Cargo.toml).
pub fn default_https_client() -> SharedHttpClient {
    use aws_smithy_http_client::{proxy::ProxyConfig, tls, Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(|settings, runtime_components| {
        let mut connector = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
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
            Some(target) => target
                .split_once('.')
                .map_or(target.as_str(), |(_, op)| op)
                .to_string(),
            None => format!("{} {}", request.method(), request.uri()),
        };
        HttpConnectorFuture::new(async move {
            let _permit = limiter.admit(operation.as_deref(), pool.as_deref()).await;
            tracing::info!(pool = %pool.as_deref().unwrap_or_default(), "AWS {call}");
            let answer = inner.call(request).await;
            if answer.as_ref().is_ok_and(is_throttling) {
                limiter.throttled(operation.as_deref(), pool.as_deref());
            }
            answer
        })
    }
}

/// The JSON protocol's `X-Amz-Target` (`<service>.<operation>`) and the
/// pool id (from the JSON body) of a request, where it has them.
fn describe(request: &HttpRequest) -> (Option<String>, Option<String>) {
    let operation = request
        .headers()
        .get("x-amz-target")
        .filter(|t| t.contains('.'))
        .map(str::to_string);
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
        assert_eq!(Category::of("ListUsers"), Some(Category::UserList));
        assert_eq!(Category::UserList.per_second(), 30);
        assert_eq!(
            Category::of("AdminAddUserToGroup"),
            Some(Category::UserUpdate)
        );
        assert!(!Category::UserList.capped_per_pool());
        assert_eq!(Category::of("GetRestApis"), None);
        // Identity pools: a lane per operation, told apart by service.
        assert_eq!(
            Category::of_target("AWSCognitoIdentityService.TagResource"),
            Some(Category::IdentityPoolOperation(IdentityOp::TagResource))
        );
        assert_eq!(
            Category::of_target("AWSCognitoIdentityProviderService.TagResource"),
            Some(Category::UserPoolResourceUpdate)
        );
        assert_eq!(
            Category::IdentityPoolOperation(IdentityOp::ListTagsForResource).per_second(),
            10
        );
        assert_eq!(
            Category::IdentityPoolOperation(IdentityOp::SetIdentityPoolRoles).per_second(),
            5
        );
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
                Some("AWSCognitoIdentityProviderService.DescribeUserPoolClient".into()),
                Some("us-east-1_abc".into())
            )
        );
    }

    /// Sends through `pace` as fast as it lets, from `start` for `length`;
    /// the instants requests went.
    fn greedy(pace: &mut Pace, start: Instant, length: Duration) -> Vec<Instant> {
        let mut sent = Vec::new();
        let mut now = start;
        while now < start + length {
            match pace.wait(now) {
                None => {
                    pace.sent(now);
                    sent.push(now);
                }
                Some(later) => {
                    assert!(later > now, "a wait that does not move on");
                    now = later;
                }
            }
        }
        sent
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// The most requests within any span of `window` (a quota's second).
    fn busiest(sent: &[Instant], window: Duration) -> usize {
        (0..sent.len())
            .map(|i| {
                sent[i..]
                    .iter()
                    .take_while(|t| t.duration_since(sent[i]) < window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn a_quota_spends_each_seconds_budget_at_once() {
        let t0 = Instant::now();
        let mut pace = Pace::new(15);
        let sent = greedy(&mut pace, t0, Duration::from_secs(10));
        // The whole first second's budget at once...
        assert_eq!(sent.iter().filter(|t| **t == t0).count(), 15);
        // ...then nothing until that burst has left the window, then the
        // next second's budget at once.
        assert!(sent[15..30].iter().all(|t| *t == t0 + WINDOW));
        assert!(busiest(&sent, Duration::from_secs(1)) <= 15);
        assert!(busiest(&sent, WINDOW) <= 15);
        // Over 10 s: a burst in each window that starts within them.
        assert_eq!(sent.len(), 15 * 10);
    }

    #[test]
    fn a_quota_idle_again_may_burst_again() {
        let t0 = Instant::now();
        let mut pace = Pace::new(5);
        assert_eq!(greedy(&mut pace, t0, ms(1)).len(), 5);
        // Two seconds of nothing: the lane is idle, and bursts once more.
        let later = t0 + Duration::from_secs(3);
        assert_eq!(greedy(&mut pace, later, ms(1)).len(), 5);
    }

    #[test]
    fn too_many_requests_slows_the_quota_stops_bursts_and_recovers_slowly() {
        let t0 = Instant::now();
        let mut pace = Pace::new(15);
        greedy(&mut pace, t0, Duration::from_secs(2));
        let at = t0 + Duration::from_secs(2);
        pace.throttled(at);
        assert!((pace.rate() - 13.5 * BACKOFF).abs() < 1e-9);
        // Answers to requests already in flight say it again: one drop
        // (and a tenth of a second's recovery).
        pace.throttled(at + ms(100));
        assert!((pace.rate() - 13.5 * BACKOFF - 0.1 * RECOVERY_PER_SECOND * 15.0).abs() < 1e-9);
        // The next request waits until its own oldest request in the
        // window has left it.
        let until = pace.wait(at + ms(1)).expect("a wait");
        assert!(
            until >= at + AFTER_THROTTLE && until <= at + WINDOW,
            "{until:?}"
        );
        // Idle, but throttled recently: no burst.
        let idle = at + Duration::from_secs(3);
        let sent = greedy(&mut pace, idle, ms(500));
        assert!(sent.len() <= 8, "{}", sent.len());
        // Recovered in full only after several seconds, and bursting only
        // after a quiet spell at the full pace.
        let mut check = Pace::new(15);
        check.throttled(t0);
        check.advance(t0 + Duration::from_secs(1));
        assert!(check.rate() < 13.5);
        check.advance(t0 + Duration::from_secs(10));
        assert!((check.rate() - 13.5).abs() < 1e-9);
        assert!(!check.bursts_allowed(t0 + Duration::from_secs(10)));
        assert!(check.bursts_allowed(t0 + QUIET));
    }

    #[test]
    fn the_pace_never_falls_below_its_floor() {
        let t0 = Instant::now();
        let mut pace = Pace::new(5);
        for i in 0..40 {
            pace.throttled(t0 + WINDOW * i);
        }
        assert!(pace.rate() >= 5.0 * FLOOR - 1e-9);
        assert!(pace.rate() < 1.0);
    }

    #[test]
    fn under_a_co_tenant_the_pace_settles_near_what_is_left() {
        // Another client spends half of a 15/s quota; AWS throttles what
        // goes over. Over a minute poolctl gets most of the rest.
        let t0 = Instant::now();
        let mut pace = Pace::new(15);
        let mut window: VecDeque<Instant> = VecDeque::new();
        let mut ours = 0;
        let mut now = t0;
        let mut co_next = t0;
        let end = t0 + Duration::from_secs(60);
        while now < end {
            // The co-tenant's requests up to now, 7.5 a second.
            while co_next <= now {
                window.push_back(co_next);
                co_next += Duration::from_secs_f64(1.0 / 7.5);
            }
            match pace.wait(now) {
                Some(later) => now = later.min(co_next),
                None => {
                    pace.sent(now);
                    while window
                        .front()
                        .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
                    {
                        window.pop_front();
                    }
                    if window.len() >= 15 {
                        pace.throttled(now);
                    } else {
                        window.push_back(now);
                        ours += 1;
                    }
                }
            }
        }
        let share = f64::from(ours) / 60.0 / 7.5;
        assert!(share > 0.67, "poolctl got {share:.2} of what was left");
    }
}
