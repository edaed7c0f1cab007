//! Owns the recording, fault-injecting HTTP proxy that tests put between poolctl (or an SDK client) and moto, to assert the requests sent and to play AWS behaviour that moto lacks (throttling, errors, dropped connections, latency, answers that are slow or lost after the request took effect).

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::sync::oneshot;

/// One request as the proxy received it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Position in `Proxy::requests()`; also the index passed to the fault rule.
    pub index: usize,
    /// For AWS JSON services (Cognito) the operation from `X-Amz-Target`, e.g.
    /// "UpdateUserPool"; for REST services (API Gateway, Lambda) "METHOD /path",
    /// e.g. "GET /restapis/abc/authorizers" (no query string).
    pub operation: String,
    /// The `X-Amz-Target` prefix ("AWSCognitoIdentityProviderService") when
    /// there is one, else the SigV4 signing name from the Authorization header
    /// ("apigateway", "lambda"), else "".
    pub target_service: String,
    pub method: String,
    /// The path only; the query string is in `query`.
    pub path: String,
    pub query: String,
    /// In the order received; names are lower-case.
    pub headers: Vec<(String, String)>,
    /// The request body (lossily decoded if it was not UTF-8).
    pub body: String,
    /// True when a fault rule answered for this request (Delay included).
    pub faulted: bool,
    /// The status sent back to the client; None while in flight or when the
    /// connection was dropped.
    pub status: Option<u16>,
}

impl RecordedRequest {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON; panics if it is not JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "body of request #{} {} is not JSON ({e}): {}",
                self.index, self.operation, self.body
            )
        })
    }
}

/// What the proxy does instead of (or before) forwarding a request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// HTTP 400 TooManyRequestsException in AWS JSON shape, which the SDK
    /// classifies as throttling.
    Throttle,
    /// That status with that body (JSON content type if the body looks like JSON).
    Status(u16, String),
    /// Close the connection without answering.
    Drop,
    /// Wait, then handle the request as usual: a request slow to arrive.
    /// If the client gives up first, the request never takes effect.
    Delay(Duration),
    /// Handle the request as usual (it takes effect), then wait before
    /// answering: AWS did it, but its answer is slow.
    SlowAnswer(Duration),
    /// Handle the request as usual (it takes effect), then close the
    /// connection without answering: the answer was lost on the way back.
    LoseAnswer,
    /// Exactly this status, these headers and this body.
    Respond(u16, Vec<(String, String)>, String),
}

/// Decides, per request, whether to inject a fault. The `usize` is the
/// request's index among all requests since start or the last `clear()`.
/// Rules run under the proxy's lock: they must not call back into the Proxy.
pub type FaultRule = Arc<dyn Fn(&RecordedRequest, usize) -> Option<Fault> + Send + Sync>;

/// A rule that injects `fault` into every request for `operation`.
pub fn fault_on(operation: &str, fault: Fault) -> FaultRule {
    let operation = operation.to_string();
    Arc::new(move |req, _| (req.operation == operation).then(|| fault.clone()))
}

/// A rule that injects `fault` into the first `count` requests for
/// `operation` that arrive after the rule is installed, then lets them pass.
pub fn fault_first(count: usize, operation: &str, fault: Fault) -> FaultRule {
    let operation = operation.to_string();
    let seen = std::sync::atomic::AtomicUsize::new(0);
    Arc::new(move |req, _| {
        if req.operation != operation {
            return None;
        }
        let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        (n < count).then(|| fault.clone())
    })
}

/// Read access to a proxy's recorded requests from anywhere.
#[derive(Clone)]
pub struct Recorder {
    state: Arc<State>,
}

impl Recorder {
    pub fn requests_for(&self, operation: &str) -> Vec<RecordedRequest> {
        lock(&self.state)
            .requests
            .iter()
            .filter(|r| r.operation == operation)
            .cloned()
            .collect()
    }
}

/// A recording proxy on 127.0.0.1; it stops when dropped.
pub struct Proxy {
    endpoint: String,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

struct State {
    upstream: String,
    latency: Duration,
    /// AWS's answers where moto's differ (see `faithful`).
    cognito: Option<super::faithful::CognitoSemantics>,
    apigateway: Option<super::faithful::ApiGatewaySemantics>,
    import_jobs: Option<super::faithful::import_jobs::ImportJobs>,
    /// Threat protection and log delivery (`faithful::risk`, `::log_delivery`).
    pool_extras: Option<(
        super::faithful::risk::RiskConfigurations,
        super::faithful::log_delivery::LogDeliveries,
    )>,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    requests: Vec<RecordedRequest>,
    /// Bumped by clear(), so a response that completes afterwards does not
    /// write its status into a different request at the same index.
    generation: u64,
    rule: Option<FaultRule>,
}

impl Proxy {
    /// Starts a proxy forwarding to `upstream` (e.g. `moto.endpoint()`).
    pub fn start(upstream: &str) -> Proxy {
        Proxy::start_with_latency(upstream, Duration::ZERO)
    }

    /// Like `start`, but every request waits `latency` before being handled,
    /// to model the round trip to a real AWS region.
    pub fn start_with_latency(upstream: &str, latency: Duration) -> Proxy {
        Proxy::spawn(any_port(), upstream, latency, false)
    }

    /// Like `start`, and also answers the way AWS would where moto does not
    /// (UpdateUserPool keeps the immutable sign-in attributes); see `faithful`.
    pub fn start_faithful(upstream: &str) -> Proxy {
        Proxy::spawn(any_port(), upstream, Duration::ZERO, true)
    }

    /// `start_faithful` with `latency` added to every request (benchmarks).
    pub fn start_faithful_with_latency(upstream: &str, latency: Duration) -> Proxy {
        Proxy::spawn(any_port(), upstream, latency, true)
    }

    /// Like `start_faithful`, on 127.0.0.1:`port` (0: any free port); the
    /// local emulator's way in, so a port in use is an error, not a panic.
    pub fn try_start_faithful_on(port: u16, upstream: &str) -> std::io::Result<Proxy> {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        Ok(Proxy::spawn(listener, upstream, Duration::ZERO, true))
    }

    fn spawn(
        listener: std::net::TcpListener,
        upstream: &str,
        latency: Duration,
        faithful: bool,
    ) -> Proxy {
        // Bound by the caller, not in the proxy thread, so the port is known
        // and accepting (into the backlog) before start returns.
        listener
            .set_nonblocking(true)
            .expect("proxy: cannot make listener non-blocking");
        let addr = listener.local_addr().expect("proxy: no local address");
        let state = Arc::new(State {
            upstream: upstream.trim_end_matches('/').to_string(),
            latency,
            cognito: faithful.then(super::faithful::CognitoSemantics::default),
            apigateway: faithful.then(super::faithful::ApiGatewaySemantics::default),
            import_jobs: faithful.then(super::faithful::import_jobs::ImportJobs::default),
            pool_extras: faithful.then(Default::default),
            inner: Mutex::new(Inner::default()),
        });
        if let Some(semantics) = &state.cognito {
            semantics.set_endpoint(&endpoint_of(addr));
        }
        let (shutdown, shutdown_rx) = oneshot::channel();
        let thread_state = state.clone();
        let thread = std::thread::Builder::new()
            .name(format!("proxy-{}", addr.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("proxy: cannot build tokio runtime");
                runtime.block_on(serve(listener, thread_state, shutdown_rx));
            })
            .expect("proxy: cannot spawn thread");
        Proxy {
            endpoint: endpoint_of(addr),
            state,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        self.endpoint.clone()
    }

    /// Every request since start or the last `clear()`, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// The requests whose `operation` equals `operation`.
    pub fn requests_for(&self, operation: &str) -> Vec<RecordedRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.operation == operation)
            .cloned()
            .collect()
    }

    /// The operations of all requests, in order; handy for asserting a sequence.
    pub fn operations(&self) -> Vec<String> {
        self.lock()
            .requests
            .iter()
            .map(|r| r.operation.clone())
            .collect()
    }

    /// Forgets the recorded requests and restarts the request index at 0.
    /// The fault rule stays.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.requests.clear();
        inner.generation += 1;
    }

    pub fn set_fault_rule(&self, rule: FaultRule) {
        self.lock().rule = Some(rule);
    }

    pub fn clear_fault_rule(&self) {
        self.lock().rule = None;
    }

    /// A view of the recorded requests that can move into another thread
    /// (e.g. a condition checked while poolctl runs).
    pub fn recorder(&self) -> Recorder {
        Recorder {
            state: self.state.clone(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        lock(&self.state)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxy")
            .field("endpoint", &self.endpoint)
            .field("upstream", &self.state.upstream)
            .finish()
    }
}

/// A test's assertion failing inside a rule poisons the lock; the records are
/// still good, and the real failure is reported by that test.
fn lock(state: &State) -> MutexGuard<'_, Inner> {
    state.inner.lock().unwrap_or_else(|e| e.into_inner())
}

fn any_port() -> std::net::TcpListener {
    std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("proxy: cannot bind 127.0.0.1:0")
}

fn endpoint_of(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

type Upstream = Client<HttpConnector, Full<Bytes>>;

async fn serve(
    listener: std::net::TcpListener,
    state: Arc<State>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener =
        tokio::net::TcpListener::from_std(listener).expect("proxy: cannot register listener");
    let client: Upstream = Client::builder(TokioExecutor::new()).build_http();
    loop {
        tokio::select! {
            // Also resolves when the Proxy (and so the sender) is dropped.
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                let client = client.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(req, state.clone(), client.clone()));
                    // Errors here are the client going away or a Drop fault.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

/// Returned by the service to make hyper close the connection unanswered.
#[derive(Debug)]
struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

/// What happens once a request has been handled.
enum Then {
    Answer,
    AnswerAfter(Duration),
    HangUp,
}

async fn handle(
    req: Request<Incoming>,
    state: Arc<State>,
    client: Upstream,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    if !state.latency.is_zero() {
        tokio::time::sleep(state.latency).await;
    }
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(DropConnection),
    };

    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let (operation, target_service) = classify(&method, &path, &headers);
    let mut record = RecordedRequest {
        index: 0,
        operation,
        target_service,
        method,
        path,
        query: parts.uri.query().unwrap_or("").to_string(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        faulted: false,
        status: None,
    };

    let (index, generation, fault) = {
        let mut inner = lock(&state);
        let index = inner.requests.len();
        record.index = index;
        let fault = inner.rule.clone().and_then(|rule| rule(&record, index));
        record.faulted = fault.is_some();
        inner.requests.push(record);
        (index, inner.generation, fault)
    };

    // A delay comes first; faults that act on the answer let the request
    // take effect as if no fault were set.
    let (fault, then) = match fault {
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            (None, Then::Answer)
        }
        Some(Fault::SlowAnswer(delay)) => (None, Then::AnswerAfter(delay)),
        Some(Fault::LoseAnswer) => (None, Then::HangUp),
        other => (other, Then::Answer),
    };

    let operation = lock(&state).requests[index].operation.clone();
    let request_body = String::from_utf8_lossy(&body).into_owned();
    // A logo the layer hands out by URL (GetUICustomization's ImageUrl).
    if let (None, Some(semantics)) = (&fault, &state.cognito) {
        if let Some(bytes) = semantics.logo(&operation) {
            return Ok(synthetic_bytes(
                200,
                &[("content-type", "image/png")],
                bytes,
            ));
        }
    }
    // User import jobs are played whole by the layer (moto has none).
    if let (None, Some(jobs)) = (&fault, &state.import_jobs) {
        let moto = Moto {
            state: &state,
            client: &client,
            headers: parts.headers.clone(),
        };
        let headers = lock(&state).requests[index].headers.clone();
        let mut played = jobs.handle(&operation, &headers, &body, &moto).await;
        if let (None, Some((risk, logs))) = (&played, &state.pool_extras) {
            played = match risk.handle(&operation, &body, &moto).await {
                Some(answer) => Some(answer),
                None => logs.handle(&operation, &body, &moto).await,
            };
        }
        if let Some(played) = played {
            let mut headers = Vec::new();
            if played.json {
                headers.push(("content-type", "application/x-amz-json-1.1"));
            }
            if let Some(code) = &played.error_type {
                headers.push(("x-amzn-errortype", code.as_str()));
            }
            let response = synthetic_bytes(played.status, &headers, played.body);
            let mut inner = lock(&state);
            if inner.generation == generation {
                if let Some(record) = inner.requests.get_mut(index) {
                    record.status = Some(response.status().as_u16());
                }
            }
            return Ok(response);
        }
    }
    let standin = match (&fault, &state.cognito) {
        (None, Some(semantics)) => semantics.answer(&operation, &request_body),
        _ => None,
    };
    // moto's own answer (no fault, no stand-in), which the layer may correct.
    let from_moto = fault.is_none() && standin.is_none();
    let response = match fault {
        None => match standin {
            // The AWS-faithful layer answers what moto cannot (see `faithful`).
            Some(answer) => {
                let mut headers = vec![("content-type", "application/x-amz-json-1.1")];
                if let Some(code) = &answer.error_type {
                    headers.push(("x-amzn-errortype", code.as_str()));
                }
                synthetic(answer.status, &headers, &answer.body)
            }
            None => match &state.apigateway {
                Some(semantics) => {
                    let upstream = Moto {
                        state: &state,
                        client: &client,
                        headers: parts.headers.clone(),
                    };
                    let request = super::faithful::ApiRequest {
                        method: parts.method.as_str(),
                        path: parts.uri.path(),
                        query: parts.uri.query().unwrap_or(""),
                        body: &body,
                    };
                    match semantics.handle(&request, &upstream).await {
                        Some(answer) => {
                            let headers: Vec<(&str, &str)> = answer
                                .headers
                                .iter()
                                .map(|(n, v)| (n.as_str(), v.as_str()))
                                .collect();
                            synthetic_bytes(answer.status, &headers, answer.body)
                        }
                        None => forward(&state, &client, parts, body).await,
                    }
                }
                None => forward(&state, &client, parts, body).await,
            },
        },
        Some(Fault::Delay(_) | Fault::SlowAnswer(_) | Fault::LoseAnswer) => {
            unreachable!("handled above")
        }
        Some(Fault::Drop) => return Err(DropConnection),
        Some(Fault::Throttle) => synthetic(
            400,
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amzn-errortype", "TooManyRequestsException"),
            ],
            r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
        ),
        Some(Fault::Status(status, body)) => {
            let content_type = if body.trim_start().starts_with('{') {
                "application/x-amz-json-1.1"
            } else {
                "text/plain"
            };
            synthetic(status, &[("content-type", content_type)], &body)
        }
        Some(Fault::Respond(status, headers, body)) => {
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            synthetic(status, &headers, &body)
        }
    };

    let response = match &state.cognito {
        Some(semantics) if response.status().is_success() => {
            let (mut parts, body) = response.into_parts();
            let bytes = body
                .collect()
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default();
            let bytes = match semantics.rewrite(&operation, &request_body, &bytes) {
                Some(rewritten) => {
                    parts.headers.remove("content-length");
                    Bytes::from(rewritten)
                }
                None => bytes,
            };
            Response::from_parts(parts, Full::new(bytes))
        }
        Some(semantics) if from_moto => {
            match semantics.answer_failure(&operation, response.status().as_u16()) {
                Some(answer) => {
                    let mut headers = vec![("content-type", "application/x-amz-json-1.1")];
                    if let Some(code) = &answer.error_type {
                        headers.push(("x-amzn-errortype", code.as_str()));
                    }
                    synthetic(answer.status, &headers, &answer.body)
                }
                None => response,
            }
        }
        _ => response,
    };

    match then {
        Then::HangUp => return Err(DropConnection),
        Then::AnswerAfter(delay) => tokio::time::sleep(delay).await,
        Then::Answer => {}
    }
    let mut inner = lock(&state);
    if inner.generation == generation {
        if let Some(record) = inner.requests.get_mut(index) {
            record.status = Some(response.status().as_u16());
        }
    }
    Ok(response)
}

fn classify(method: &str, path: &str, headers: &[(String, String)]) -> (String, String) {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some((service, operation)) = header("x-amz-target").and_then(|t| t.split_once('.')) {
        return (operation.to_string(), service.to_string());
    }
    // SigV4: "Credential=AKID/DATE/REGION/SERVICE/aws4_request, ..."
    let service = header("authorization")
        .and_then(|auth| auth.split("Credential=").nth(1))
        .and_then(|cred| cred.split(['/', ',']).nth(3))
        .unwrap_or("")
        .to_string();
    (format!("{method} {path}"), service)
}

async fn forward(
    state: &State,
    client: &Upstream,
    parts: hyper::http::request::Parts,
    body: Bytes,
) -> Response<Full<Bytes>> {
    let target = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    let uri = match format!("{}{target}", state.upstream).parse() {
        Ok(uri) => uri,
        Err(e) => return bad_gateway(format!("bad upstream URI: {e}")),
    };
    let mut request = Request::from_parts(parts, Full::new(body));
    *request.uri_mut() = uri;
    let response = match client.request(request).await {
        Ok(response) => response,
        Err(e) => return bad_gateway(format!("upstream {}: {e:?}", state.upstream)),
    };
    let (mut parts, body) = response.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => return bad_gateway(format!("upstream body: {e}")),
    };
    // The body is re-sent whole, so framing headers from upstream no longer apply.
    for name in [
        "transfer-encoding",
        "content-length",
        "connection",
        "keep-alive",
    ] {
        parts.headers.remove(name);
    }
    Response::from_parts(parts, Full::new(body))
}

/// moto reached directly by the AWS-semantics layer: not recorded, not
/// faulted, with the headers of the request being played.
struct Moto<'a> {
    state: &'a State,
    client: &'a Upstream,
    headers: hyper::HeaderMap,
}

impl super::faithful::Upstream for Moto<'_> {
    async fn call(&self, method: &str, path: &str, body: Vec<u8>) -> super::faithful::ApiAnswer {
        let uri = format!("{}{path}", self.state.upstream);
        let mut request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = method.parse().expect("a valid HTTP method");
        *request.uri_mut() = uri.parse().expect("a valid upstream URI");
        for (name, value) in &self.headers {
            if name != "content-length" && name != "host" {
                request.headers_mut().append(name.clone(), value.clone());
            }
        }
        let (status, headers, body) = match self.client.request(request).await {
            Ok(response) => {
                let (parts, body) = response.into_parts();
                let body = body
                    .collect()
                    .await
                    .map(|c| c.to_bytes())
                    .unwrap_or_default();
                let headers = parts
                    .headers
                    .iter()
                    .filter(|(n, _)| {
                        !matches!(
                            n.as_str(),
                            "transfer-encoding" | "content-length" | "connection" | "keep-alive"
                        )
                    })
                    .map(|(n, v)| {
                        (
                            n.to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect();
                (parts.status.as_u16(), headers, body.to_vec())
            }
            Err(e) => (502, Vec::new(), format!("upstream: {e:?}").into_bytes()),
        };
        super::faithful::ApiAnswer {
            status,
            headers,
            body,
        }
    }
}

impl super::faithful::import_jobs::Cognito for Moto<'_> {
    async fn call(&self, operation: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let mut request = Request::new(Full::new(Bytes::from(body.to_string())));
        *request.method_mut() = hyper::Method::POST;
        *request.uri_mut() = format!("{}/", self.state.upstream)
            .parse()
            .expect("a valid upstream URI");
        // The played request's credentials (moto reads the region from
        // them), for another operation.
        for (name, value) in &self.headers {
            if !matches!(name.as_str(), "content-length" | "host" | "x-amz-target") {
                request.headers_mut().append(name.clone(), value.clone());
            }
        }
        request.headers_mut().insert(
            "x-amz-target",
            HeaderValue::from_str(&format!("AWSCognitoIdentityProviderService.{operation}"))
                .expect("a valid header"),
        );
        request.headers_mut().insert(
            "content-type",
            HeaderValue::from_static("application/x-amz-json-1.1"),
        );
        match self.client.request(request).await {
            Ok(response) => {
                let status = response.status().as_u16();
                let body = response
                    .into_body()
                    .collect()
                    .await
                    .map(|c| c.to_bytes())
                    .unwrap_or_default();
                (
                    status,
                    serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
                )
            }
            Err(_) => (502, serde_json::Value::Null),
        }
    }
}

fn synthetic(status: u16, headers: &[(&str, &str)], body: &str) -> Response<Full<Bytes>> {
    synthetic_bytes(status, headers, body.as_bytes().to_vec())
}

fn synthetic_bytes(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = hyper::StatusCode::from_u16(status)
        .unwrap_or_else(|_| panic!("fault rule gave invalid HTTP status {status}"));
    let map = response.headers_mut();
    map.insert(
        "x-amzn-requestid",
        HeaderValue::from_static("00000000-0000-0000-0000-proxyfault00"),
    );
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|_| panic!("fault rule gave invalid header name {name:?}"));
        let value = HeaderValue::from_str(value)
            .unwrap_or_else(|_| panic!("fault rule gave invalid header value {value:?}"));
        map.insert(name, value);
    }
    response
}

fn bad_gateway(message: String) -> Response<Full<Bytes>> {
    synthetic(502, &[("content-type", "text/plain")], &message)
}
