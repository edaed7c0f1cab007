//! Plays the parts of AWS's Cognito semantics that moto gets wrong, in the
//! proxy's responses, so end-to-end tests see what AWS would answer.
//!
//! moto's UpdateUserPool wipes UsernameAttributes, AliasAttributes and
//! UsernameConfiguration (AWS keeps them: they are immutable), so the next
//! DescribeUserPool would report a pool that changed its sign-in attributes.
//! This layer remembers each pool's immutable sign-in fields from the first
//! answer that shows them and puts them back into later DescribeUserPool
//! answers, exactly as AWS would report them.
//!
//! moto also ignores UpdateUserPool's PoolName (AWS renames the pool), so
//! names sent there are remembered and reported by DescribeUserPool and
//! ListUserPools.
//!
//! Resource servers: moto does not implement UpdateResourceServer or
//! DeleteResourceServer (HTTP 500, which the SDK retries). This layer answers
//! them itself as AWS would (an update replaces the name and the whole scope
//! list; unknown servers are ResourceNotFoundException) and makes later
//! DescribeResourceServer, ListResourceServers and CreateResourceServer
//! answers agree with what it did.
//!
//! Domains: moto's DescribeUserPoolDomain reports neither CustomDomainConfig
//! nor ManagedLoginVersion, and it lets two pools share one domain name.
//! This layer remembers what CreateUserPoolDomain and UpdateUserPoolDomain
//! were sent and reports it (version 1 when none was given), refuses a name
//! another pool holds with AWS's error, and moves a custom domain that moto
//! puts in DescribeUserPool's `Domain` to `CustomDomain`, where AWS reports
//! it.
//!
//! Hosted UI branding (classic UI customization, managed login), which moto
//! lacks: see `branding`.
//!
//! moto's DescribeIdentityProvider echoes the ProviderDetails it was sent.
//! AWS adds read-only keys of its own (the endpoints of a social provider,
//! `attributes_url_add_attributes`, `token_request_method`; for OIDC the
//! endpoints it discovered; for SAML the metadata it fetched from
//! `MetadataURL` and the binding URIs in it) and never returns an Apple
//! private key. This layer answers the same way (see the API reference's
//! "Describe response" examples under CreateIdentityProvider).
//!
//! moto's ListResourceServers fails with HTTP 500 for a pool that does not
//! exist; AWS answers ResourceNotFoundException, as for every other list of
//! a pool's resources. This layer answers so in its place.
//!
//! App clients: see `clients` (UpdateUserPoolClient resets what it is not sent)
//! and `client_secrets` (Add/List/DeleteUserPoolClientSecret, which moto lacks).
//!
//! Terms documents (Create/Update/Delete/List/DescribeTerms), which moto
//! lacks: see `terms`.
//!
//! User import jobs (and `GetCSVHeader`), which moto lacks: see `import_jobs`.
//!
//! Threat protection's settings and log delivery, which moto lacks: see
//! `risk` and `log_delivery`.
//!
//! Identity pools: see `identity_pools` (roles, role mappings and principal
//! tags, which moto lacks; `AllowClassicFlow`, which it ignores).
//!
//! Multi-Region replicas, which moto lacks: see `replicas`. Passkey settings
//! (`WebAuthnConfiguration`), which moto drops: see `web_authn`.

mod branding;
mod client_secrets;
mod clients;
mod identity_pools;
pub mod import_jobs;
pub mod log_delivery;
mod replicas;
pub mod risk;
mod terms;
mod web_authn;

use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

const IMMUTABLE: [&str; 3] = [
    "UsernameAttributes",
    "AliasAttributes",
    "UsernameConfiguration",
];

#[derive(Default)]
pub struct CognitoSemantics {
    pools: Mutex<HashMap<String, Map<String, Value>>>,
    names: Mutex<HashMap<String, String>>,
    servers: Mutex<ResourceServers>,
    branding: branding::BrandingSemantics,
    domains: Mutex<HashMap<String, DomainRecord>>,
    clients: clients::ClientSemantics,
    client_secrets: client_secrets::ClientSecretSemantics,
    terms: terms::TermsSemantics,
    identity_pools: identity_pools::IdentityPoolSemantics,
    replicas: replicas::ReplicaSemantics,
    web_authn: web_authn::WebAuthnSemantics,
}

/// (user pool id, resource server identifier)
type ServerKey = (String, String);

#[derive(Default)]
struct ResourceServers {
    /// Servers seen to exist in moto's answers.
    known: HashSet<ServerKey>,
    /// What this layer did in moto's place: the server as AWS would now
    /// describe it, or `None` once deleted.
    overrides: HashMap<ServerKey, Option<Value>>,
}

/// What AWS knows about a domain and moto does not keep.
struct DomainRecord {
    pool: String,
    certificate_arn: Option<String>,
    managed_login_version: Value,
}

/// An answer this layer gives in moto's place.
pub struct Answer {
    pub status: u16,
    /// The AWS error code, for an error.
    pub error_type: Option<String>,
    pub body: String,
}

impl Answer {
    fn ok(body: Value) -> Answer {
        Answer {
            status: 200,
            error_type: None,
            body: body.to_string(),
        }
    }

    fn error(code: &str, message: &str) -> Answer {
        Answer {
            status: 400,
            error_type: Some(code.to_string()),
            body: serde_json::json!({ "__type": code, "message": message }).to_string(),
        }
    }
}

fn server_key(request: &Value) -> Option<ServerKey> {
    Some((
        request["UserPoolId"].as_str()?.to_string(),
        request["Identifier"].as_str()?.to_string(),
    ))
}

/// A resource server as AWS describes it, from a Create/Update request.
fn server_from(request: &Value) -> Value {
    let mut server = serde_json::json!({
        "UserPoolId": request["UserPoolId"],
        "Identifier": request["Identifier"],
        "Name": request["Name"],
    });
    if let Some(scopes) = request["Scopes"].as_array().filter(|s| !s.is_empty()) {
        server["Scopes"] = Value::Array(scopes.clone());
    }
    server
}

impl CognitoSemantics {
    /// An answer in moto's place, for requests moto cannot answer as AWS
    /// would; `None` forwards the request to moto.
    pub fn answer(&self, operation: &str, request_body: &str) -> Option<Answer> {
        let request: Value = serde_json::from_str(request_body).ok()?;
        let has_domain = |pool: &str| {
            self.domains
                .lock()
                .unwrap()
                .values()
                .any(|d| d.pool == pool)
        };
        if let Some(answer) = self.branding.answer(operation, &request, &has_domain) {
            return Some(answer);
        }
        if let Some(answer) = self.identity_pools.answer(operation, &request) {
            return Some(answer);
        }
        if let Some(answer) = self.replicas.answer(operation, &request) {
            return Some(answer);
        }
        if let Some(answer) = self.web_authn.answer(operation, &request) {
            return Some(answer);
        }
        if let Some(answer) = self.client_secrets.answer(operation, &request) {
            return Some(answer);
        }
        if let Some(answer) = self.terms.answer(operation, &request) {
            return Some(answer);
        }
        match operation {
            "CreateResourceServer"
            | "UpdateResourceServer"
            | "DeleteResourceServer"
            | "DescribeResourceServer" => self.answer_server(operation, &request),
            "CreateUserPoolDomain" => {
                let name = request["Domain"].as_str()?;
                let pool = request["UserPoolId"].as_str()?;
                let domains = self.domains.lock().unwrap();
                if domains.get(name).is_some_and(|d| d.pool != pool) {
                    return Some(Answer::error(
                        "InvalidParameterException",
                        "Domain already associated with another user pool.",
                    ));
                }
                let custom = name.contains('.');
                let has_one = domains
                    .iter()
                    .any(|(n, d)| d.pool == pool && n.contains('.') == custom);
                has_one.then(|| {
                    Answer::error(
                        "InvalidParameterException",
                        "User pool already has a domain configured.",
                    )
                })
            }
            _ => None,
        }
    }

    /// Where this proxy listens, for the URLs it hands out (logos).
    pub fn set_endpoint(&self, endpoint: &str) {
        self.branding.set_endpoint(endpoint);
    }

    /// The bytes behind a logo URL this layer handed out, for a GET of it.
    pub fn logo(&self, operation: &str) -> Option<Vec<u8>> {
        self.branding.logo(operation)
    }

    /// AWS's answer in place of a failure of moto's own, for failures moto
    /// gives where AWS would answer otherwise; `None` keeps moto's.
    pub fn answer_failure(&self, operation: &str, status: u16) -> Option<Answer> {
        (operation == "ListResourceServers" && status == 500)
            .then(|| Answer::error("ResourceNotFoundException", "User pool does not exist."))
    }

    fn answer_server(&self, operation: &str, request: &Value) -> Option<Answer> {
        let key = server_key(request)?;
        let mut servers = self.servers.lock().unwrap();
        let state = servers.overrides.get(&key).cloned();
        let exists = match &state {
            Some(state) => state.is_some(),
            None => servers.known.contains(&key),
        };
        let missing = || {
            Answer::error(
                "ResourceNotFoundException",
                &format!("Resource server {} does not exist.", key.1),
            )
        };
        match operation {
            // moto creates what it has never seen; a server this layer
            // deleted still exists in moto, so its re-creation is answered here.
            "CreateResourceServer" => match state {
                None => None,
                Some(Some(_)) => Some(Answer::error(
                    "InvalidParameterException",
                    &format!("{} already exists in user pool {}.", key.1, key.0),
                )),
                Some(None) => {
                    let server = server_from(request);
                    servers.overrides.insert(key, Some(server.clone()));
                    Some(Answer::ok(serde_json::json!({ "ResourceServer": server })))
                }
            },
            "UpdateResourceServer" => {
                if !exists {
                    return Some(missing());
                }
                let server = server_from(request);
                servers.overrides.insert(key, Some(server.clone()));
                Some(Answer::ok(serde_json::json!({ "ResourceServer": server })))
            }
            "DeleteResourceServer" => {
                if !exists {
                    return Some(missing());
                }
                servers.overrides.insert(key, None);
                Some(Answer::ok(serde_json::json!({})))
            }
            "DescribeResourceServer" => match state {
                None => None,
                Some(None) => Some(missing()),
                Some(Some(server)) => {
                    Some(Answer::ok(serde_json::json!({ "ResourceServer": server })))
                }
            },
            _ => None,
        }
    }

    /// A new response body, when this layer changes the answer.
    pub fn rewrite(
        &self,
        operation: &str,
        request_body: &str,
        response_body: &[u8],
    ) -> Option<Vec<u8>> {
        let request: Value = serde_json::from_str(request_body).unwrap_or(Value::Null);
        self.replicas.observe(operation, &request, response_body);
        self.client_secrets
            .observe(operation, &request, response_body);
        self.terms.observe(operation, &request, response_body);
        if let Some(rewritten) = self.web_authn.rewrite(operation, &request, response_body) {
            return Some(rewritten);
        }
        if let Some(rewritten) = self.clients.rewrite(operation, &request, response_body) {
            return Some(rewritten);
        }
        if let Some(rewritten) = self
            .identity_pools
            .rewrite(operation, &request, response_body)
        {
            return Some(rewritten);
        }
        match operation {
            "CreateResourceServer" | "DescribeResourceServer" | "ListResourceServers" => {
                return self.rewrite_servers(operation, &request, response_body);
            }
            "CreateUserPoolDomain"
            | "UpdateUserPoolDomain"
            | "DeleteUserPoolDomain"
            | "DescribeUserPoolDomain" => {
                return self.rewrite_domains(operation, &request, response_body);
            }
            _ => {}
        }
        if operation == "UpdateUserPool" {
            if let (Some(id), Some(name)) =
                (request["UserPoolId"].as_str(), request["PoolName"].as_str())
            {
                self.names
                    .lock()
                    .unwrap()
                    .insert(id.to_string(), name.to_string());
            }
            return None;
        }
        let mut response: Value = serde_json::from_slice(response_body).ok()?;
        if operation == "DescribeIdentityProvider" {
            add_aws_details(response.get_mut("IdentityProvider")?.as_object_mut()?);
            return serde_json::to_vec(&response).ok();
        }
        if operation == "ListUserPools" {
            let names = self.names.lock().unwrap();
            for pool in response.get_mut("UserPools")?.as_array_mut()? {
                if let Some(name) = pool["Id"].as_str().and_then(|id| names.get(id)) {
                    pool["Name"] = Value::String(name.clone());
                }
            }
            return serde_json::to_vec(&response).ok();
        }
        let renamed = request["UserPoolId"]
            .as_str()
            .and_then(|id| self.names.lock().unwrap().get(id).cloned());
        let pool = response.get_mut("UserPool")?.as_object_mut()?;
        if let Some(name) = renamed {
            pool.insert("Name".to_string(), Value::String(name));
        }
        let mut pools = self.pools.lock().unwrap();
        match operation {
            "CreateUserPool" => {
                let id = pool.get("Id")?.as_str()?.to_string();
                pools.insert(id, immutable_fields(pool));
                None
            }
            "DescribeUserPool" => {
                if let Some(name) = pool.get("Domain").and_then(Value::as_str) {
                    if name.contains('.') {
                        let name = Value::String(name.to_string());
                        pool.remove("Domain");
                        pool.insert("CustomDomain".to_string(), name);
                    }
                }
                let id = request.get("UserPoolId")?.as_str()?.to_string();
                let remembered = pools.entry(id).or_insert_with(|| immutable_fields(pool));
                for key in IMMUTABLE {
                    match remembered.get(key) {
                        Some(value) => pool.insert(key.to_string(), value.clone()),
                        None => pool.remove(key),
                    };
                }
                serde_json::to_vec(&response).ok()
            }
            _ => None,
        }
    }
}

fn immutable_fields(pool: &Map<String, Value>) -> Map<String, Value> {
    IMMUTABLE
        .iter()
        .filter_map(|k| pool.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect()
}

impl CognitoSemantics {
    fn rewrite_servers(
        &self,
        operation: &str,
        request: &Value,
        response_body: &[u8],
    ) -> Option<Vec<u8>> {
        let mut response: Value = serde_json::from_slice(response_body).ok()?;
        let mut servers = self.servers.lock().unwrap();
        if operation != "ListResourceServers" {
            servers.known.insert(server_key(request)?);
            return None;
        }
        let pool = request["UserPoolId"].as_str()?.to_string();
        let list = response.get_mut("ResourceServers")?.as_array_mut()?;
        let mut kept = Vec::new();
        for server in list.drain(..) {
            let Some(id) = server["Identifier"].as_str() else {
                continue;
            };
            let key = (pool.clone(), id.to_string());
            servers.known.insert(key.clone());
            match servers.overrides.get(&key) {
                None => kept.push(server),
                Some(Some(replaced)) => kept.push(replaced.clone()),
                Some(None) => {}
            }
        }
        *list = kept;
        serde_json::to_vec(&response).ok()
    }

    fn rewrite_domains(
        &self,
        operation: &str,
        request: &Value,
        response_body: &[u8],
    ) -> Option<Vec<u8>> {
        let name = request["Domain"].as_str()?.to_string();
        let mut domains = self.domains.lock().unwrap();
        match operation {
            "CreateUserPoolDomain" => {
                domains.insert(
                    name,
                    DomainRecord {
                        pool: request["UserPoolId"].as_str()?.to_string(),
                        certificate_arn: request["CustomDomainConfig"]["CertificateArn"]
                            .as_str()
                            .map(str::to_string),
                        managed_login_version: match &request["ManagedLoginVersion"] {
                            Value::Null => Value::from(1),
                            v => v.clone(),
                        },
                    },
                );
                None
            }
            "UpdateUserPoolDomain" => {
                let record = domains.get_mut(&name)?;
                if let Some(arn) = request["CustomDomainConfig"]["CertificateArn"].as_str() {
                    record.certificate_arn = Some(arn.to_string());
                }
                if !request["ManagedLoginVersion"].is_null() {
                    record.managed_login_version = request["ManagedLoginVersion"].clone();
                }
                None
            }
            "DeleteUserPoolDomain" => {
                domains.remove(&name);
                None
            }
            _ => {
                let mut response: Value = serde_json::from_slice(response_body).ok()?;
                let record = domains.get(&name)?;
                let description = response.get_mut("DomainDescription")?.as_object_mut()?;
                if !description.contains_key("Domain") {
                    return None;
                }
                if let Some(arn) = &record.certificate_arn {
                    description.insert(
                        "CustomDomainConfig".to_string(),
                        serde_json::json!({ "CertificateArn": arn }),
                    );
                }
                description.insert(
                    "ManagedLoginVersion".to_string(),
                    record.managed_login_version.clone(),
                );
                serde_json::to_vec(&response).ok()
            }
        }
    }
}

/// The fetched metadata AWS reports for a SAML provider created from a URL.
pub const FETCHED_METADATA: &str = r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/fetched"/>"#;

fn add_aws_details(provider: &mut Map<String, Value>) {
    let provider_type = provider
        .get("ProviderType")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some(details) = provider
        .get_mut("ProviderDetails")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let text = |details: &Map<String, Value>, key: &str| {
        details.get(key).and_then(Value::as_str).map(str::to_string)
    };
    let version = text(details, "api_version").unwrap_or_else(|| "v17.0".into());
    let issuer = text(details, "oidc_issuer").unwrap_or_default();
    let added: Vec<(&str, String)> = match provider_type.as_str() {
        "Google" => vec![
            (
                "attributes_url",
                "https://people.googleapis.com/v1/people/me?personFields=".into(),
            ),
            ("attributes_url_add_attributes", "true".into()),
            (
                "authorize_url",
                "https://accounts.google.com/o/oauth2/v2/auth".into(),
            ),
            ("oidc_issuer", "https://accounts.google.com".into()),
            ("token_request_method", "POST".into()),
            (
                "token_url",
                "https://www.googleapis.com/oauth2/v4/token".into(),
            ),
        ],
        "Facebook" => vec![
            (
                "attributes_url",
                format!("https://graph.facebook.com/{version}/me?fields="),
            ),
            ("attributes_url_add_attributes", "true".into()),
            (
                "authorize_url",
                format!("https://www.facebook.com/{version}/dialog/oauth"),
            ),
            ("token_request_method", "GET".into()),
            (
                "token_url",
                format!("https://graph.facebook.com/{version}/oauth/access_token"),
            ),
        ],
        "LoginWithAmazon" => vec![
            (
                "attributes_url",
                "https://api.amazon.com/user/profile".into(),
            ),
            ("attributes_url_add_attributes", "false".into()),
            ("authorize_url", "https://www.amazon.com/ap/oa".into()),
            ("token_request_method", "POST".into()),
            ("token_url", "https://api.amazon.com/auth/o2/token".into()),
        ],
        "SignInWithApple" => {
            details.remove("private_key");
            vec![
                ("attributes_url_add_attributes", "false".into()),
                (
                    "authorize_url",
                    "https://appleid.apple.com/auth/authorize".into(),
                ),
                ("oidc_issuer", "https://appleid.apple.com".into()),
                ("token_request_method", "POST".into()),
                ("token_url", "https://appleid.apple.com/auth/token".into()),
            ]
        }
        "OIDC" => vec![
            ("attributes_url_add_attributes", "false".into()),
            ("authorize_url", format!("{issuer}/oauth2/authorize")),
            ("token_url", format!("{issuer}/oauth2/token")),
            ("attributes_url", format!("{issuer}/oauth2/userInfo")),
            ("jwks_uri", format!("{issuer}/.well-known/jwks.json")),
        ],
        "SAML" => {
            let mut added = vec![
                (
                    "SSORedirectBindingURI",
                    "https://idp.example.com/sso/saml".into(),
                ),
                (
                    "SLORedirectBindingURI",
                    "https://idp.example.com/slo/saml".into(),
                ),
            ];
            if details.contains_key("MetadataURL") {
                added.push(("MetadataFile", FETCHED_METADATA.into()));
            }
            if text(details, "EncryptedResponses").as_deref() == Some("true") {
                added.push(("ActiveEncryptionCertificate", "MIIC-certificate".into()));
            }
            added
        }
        _ => Vec::new(),
    };
    for (key, value) in added {
        details
            .entry(key.to_string())
            .or_insert(Value::String(value));
    }
}

/// A request the API Gateway layer answers itself or rewrites, and the way
/// to moto it may use meanwhile.
pub struct ApiRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub body: &'a [u8],
}

/// An answer made here instead of moto's.
pub struct ApiAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ApiAnswer {
    fn json(status: u16, value: &Value) -> ApiAnswer {
        ApiAnswer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(value).expect("JSON serializes"),
        }
    }

    /// An API Gateway error, shaped as the REST JSON protocol carries it.
    fn error(status: u16, code: &str, message: &str) -> ApiAnswer {
        ApiAnswer {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-amzn-errortype".into(), code.into()),
            ],
            body: serde_json::to_vec(&serde_json::json!({ "message": message }))
                .expect("JSON serializes"),
        }
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn parsed(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Calls moto directly (not recorded), with the original request's headers.
pub trait Upstream {
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
    ) -> impl std::future::Future<Output = ApiAnswer> + Send;
}

/// Plays the parts of API Gateway (REST APIs) that moto lacks:
///
/// - `UpdateAuthorizer` patches of `/providerARNs` (moto raises "not
///   implemented"). Played as Terraform's AWS provider uses them: `add` with
///   the ARN as value appends it, `remove` with the ARN as value drops it.
///   The operations are applied in order and the list is checked after each:
///   AWS refuses an authorizer of type COGNITO_USER_POOLS without provider
///   ARNs, so removing the only ARN before adding its successor fails with
///   BadRequestException, as the provider's "add first, then remove" comment
///   says. (Whether AWS checks after each operation or only at the end is not
///   documented; this stand-in takes the strict reading.) The other operations
///   of the request go to moto, and only if the ARN operations are valid.
/// - `UpdateMethod` (moto answers 500): `replace` of `/authorizationType` and
///   `/authorizerId`, `add`/`remove` of `/authorizationScopes` with the scope
///   as value. Like AWS, the type COGNITO_USER_POOLS needs the id of an
///   authorizer that exists on the API, and scopes need that type.
/// - `DeleteAuthorizer` of an authorizer a method still uses: AWS answers
///   ConflictException; moto deletes it. Of one that does not exist: AWS
///   answers NotFoundException; moto fails with HTTP 500.
///
/// What was patched here is remembered and laid over moto's answers to
/// GetAuthorizer(s), GetMethod and GetResources, so later reads see it.
///
/// And of HTTP APIs (API Gateway v2): moto has no `GetAuthorizers`, only the
/// single `GetAuthorizer`. The layer remembers the ids of the authorizers
/// created through it and answers the list from moto's `GetAuthorizer` of
/// each. (An authorizer created straight in moto is not seen: tests create
/// them through the proxy.)
#[derive(Default)]
pub struct ApiGatewaySemantics {
    /// HTTP API authorizer ids by API id, in creation order.
    http_authorizers: Mutex<HashMap<String, Vec<String>>>,
    /// Provider ARN lists set here, by `{api}/{authorizer}`.
    arns: Mutex<HashMap<String, Vec<String>>>,
    /// Method authorization fields set here, by `{api}/{resource}/{METHOD}`.
    methods: Mutex<HashMap<String, Map<String, Value>>>,
}

const METHOD_FIELDS: [&str; 3] = ["authorizationType", "authorizerId", "authorizationScopes"];

impl ApiGatewaySemantics {
    /// An answer for the request, or `None` to forward it untouched.
    pub async fn handle(
        &self,
        req: &ApiRequest<'_>,
        upstream: &impl Upstream,
    ) -> Option<ApiAnswer> {
        let parts: Vec<&str> = req.path.trim_end_matches('/').split('/').collect();
        match (req.method, parts.as_slice()) {
            ("POST", ["", "v2", "apis", api, "authorizers"]) => {
                let answer = upstream.call("POST", req.path, req.body.to_vec()).await;
                if let Some(id) = answer
                    .parsed()
                    .filter(|_| answer.is_success())
                    .and_then(|v| v["authorizerId"].as_str().map(str::to_string))
                {
                    self.http_authorizers
                        .lock()
                        .unwrap()
                        .entry(api.to_string())
                        .or_default()
                        .push(id);
                }
                Some(answer)
            }
            ("GET", ["", "v2", "apis", api, "authorizers"]) => {
                let ids = self
                    .http_authorizers
                    .lock()
                    .unwrap()
                    .get(*api)
                    .cloned()
                    .unwrap_or_default();
                let mut items = Vec::new();
                for id in ids {
                    let one = upstream
                        .call("GET", &format!("{}/{id}", req.path), Vec::new())
                        .await;
                    if let Some(item) = one.parsed().filter(|_| one.is_success()) {
                        items.push(item);
                    }
                }
                Some(ApiAnswer::json(200, &serde_json::json!({ "items": items })))
            }
            ("DELETE", ["", "v2", "apis", api, "authorizers", id]) => {
                let answer = upstream.call("DELETE", req.path, req.body.to_vec()).await;
                if answer.is_success() {
                    if let Some(ids) = self.http_authorizers.lock().unwrap().get_mut(*api) {
                        ids.retain(|i| i != id);
                    }
                }
                Some(answer)
            }
            ("PATCH", ["", "restapis", api, "authorizers", id]) => {
                let ops = patch_operations(req.body);
                if !ops.iter().any(|op| {
                    op["path"]
                        .as_str()
                        .unwrap_or("")
                        .starts_with("/providerARNs")
                }) {
                    return None;
                }
                Some(self.update_authorizer(api, id, ops, req, upstream).await)
            }
            ("GET", ["", "restapis", api, "authorizers"]) => {
                let mut answer = upstream.call("GET", req.path, Vec::new()).await;
                self.rewrite(&mut answer, |sem, v| {
                    for item in v["item"].as_array_mut().into_iter().flatten() {
                        sem.overlay_authorizer(api, item);
                    }
                });
                Some(answer)
            }
            ("GET", ["", "restapis", api, "authorizers", _]) => {
                let mut answer = upstream.call("GET", req.path, Vec::new()).await;
                self.rewrite(&mut answer, |sem, v| sem.overlay_authorizer(api, v));
                Some(answer)
            }
            ("DELETE", ["", "restapis", api, "authorizers", id]) => {
                if !upstream
                    .call("GET", req.path, Vec::new())
                    .await
                    .is_success()
                {
                    return Some(ApiAnswer::error(
                        404,
                        "NotFoundException",
                        "Invalid authorizer identifier specified",
                    ));
                }
                let users = self.methods_using(api, id, upstream).await;
                if let Some(route) = users.first() {
                    return Some(ApiAnswer::error(
                        409,
                        "ConflictException",
                        &format!("Cannot delete authorizer, is referenced in method: {route}"),
                    ));
                }
                let answer = upstream.call("DELETE", req.path, req.body.to_vec()).await;
                if answer.is_success() {
                    self.arns.lock().unwrap().remove(&format!("{api}/{id}"));
                }
                Some(answer)
            }
            ("PATCH", ["", "restapis", api, "resources", resource, "methods", method]) => Some(
                self.update_method(api, resource, method, req, upstream)
                    .await,
            ),
            ("PUT", ["", "restapis", api, "resources", resource, "methods", method]) => {
                self.methods
                    .lock()
                    .unwrap()
                    .remove(&format!("{api}/{resource}/{}", method.to_ascii_uppercase()));
                None
            }
            ("GET", ["", "restapis", api, "resources", resource, "methods", method]) => {
                let mut answer = upstream.call("GET", req.path, Vec::new()).await;
                self.rewrite(&mut answer, |sem, v| {
                    sem.overlay_method(api, resource, method, v)
                });
                Some(answer)
            }
            ("GET", ["", "restapis", api, "resources"]) => {
                let mut answer = upstream.call("GET", &with_query(req), Vec::new()).await;
                self.rewrite(&mut answer, |sem, v| sem.overlay_resources(api, v));
                Some(answer)
            }
            _ => None,
        }
    }

    fn rewrite(&self, answer: &mut ApiAnswer, change: impl FnOnce(&Self, &mut Value)) {
        if !answer.is_success() {
            return;
        }
        if let Some(mut value) = answer.parsed() {
            change(self, &mut value);
            answer.body = serde_json::to_vec(&value).expect("JSON serializes");
        }
    }

    fn overlay_authorizer(&self, api: &str, item: &mut Value) {
        let Some(id) = item["id"].as_str() else {
            return;
        };
        if let Some(list) = self.arns.lock().unwrap().get(&format!("{api}/{id}")) {
            item["providerARNs"] = serde_json::json!(list);
        }
    }

    fn overlay_method(&self, api: &str, resource: &str, method: &str, item: &mut Value) {
        let key = format!("{api}/{resource}/{}", method.to_ascii_uppercase());
        if let (Some(fields), Some(obj)) =
            (self.methods.lock().unwrap().get(&key), item.as_object_mut())
        {
            for (k, v) in fields {
                obj.insert(k.clone(), v.clone());
            }
        }
    }

    fn overlay_resources(&self, api: &str, listing: &mut Value) {
        for resource in listing["item"].as_array_mut().into_iter().flatten() {
            let Some(id) = resource["id"].as_str().map(str::to_string) else {
                continue;
            };
            if let Some(methods) = resource["resourceMethods"].as_object_mut() {
                for (verb, method) in methods.iter_mut() {
                    self.overlay_method(api, &id, verb, method);
                }
            }
        }
    }

    async fn update_authorizer(
        &self,
        api: &str,
        id: &str,
        ops: Vec<Value>,
        req: &ApiRequest<'_>,
        upstream: &impl Upstream,
    ) -> ApiAnswer {
        let current = upstream.call("GET", req.path, Vec::new()).await;
        if !current.is_success() {
            return current;
        }
        let key = format!("{api}/{id}");
        let mut list: Vec<String> = match self.arns.lock().unwrap().get(&key) {
            Some(list) => list.clone(),
            None => current
                .parsed()
                .and_then(|v| serde_json::from_value(v["providerARNs"].clone()).ok())
                .unwrap_or_default(),
        };
        let (arn_ops, other_ops): (Vec<Value>, Vec<Value>) = ops.into_iter().partition(|op| {
            op["path"]
                .as_str()
                .unwrap_or("")
                .starts_with("/providerARNs")
        });
        for op in &arn_ops {
            let value = op["value"].as_str().unwrap_or("");
            match (op["op"].as_str(), op["path"].as_str()) {
                (Some("add"), Some("/providerARNs")) if !value.is_empty() => {
                    if !list.iter().any(|a| a == value) {
                        list.push(value.to_string());
                    }
                }
                (Some("remove"), Some("/providerARNs")) if list.iter().any(|a| a == value) => {
                    list.retain(|a| a != value);
                }
                _ => {
                    return ApiAnswer::error(
                        400,
                        "BadRequestException",
                        &format!("Invalid patch operation specified: {op}"),
                    )
                }
            }
            if list.is_empty() {
                return ApiAnswer::error(
                    400,
                    "BadRequestException",
                    "Invalid patch operation: a COGNITO_USER_POOLS authorizer needs at least one provider ARN",
                );
            }
        }
        let mut result = if other_ops.is_empty() {
            current
        } else {
            let body = serde_json::json!({ "patchOperations": other_ops });
            let answer = upstream
                .call(
                    "PATCH",
                    req.path,
                    serde_json::to_vec(&body).expect("JSON serializes"),
                )
                .await;
            if !answer.is_success() {
                return answer;
            }
            answer
        };
        self.arns.lock().unwrap().insert(key, list);
        self.rewrite(&mut result, |sem, v| sem.overlay_authorizer(api, v));
        result
    }

    async fn update_method(
        &self,
        api: &str,
        resource: &str,
        method: &str,
        req: &ApiRequest<'_>,
        upstream: &impl Upstream,
    ) -> ApiAnswer {
        let mut current = upstream.call("GET", req.path, Vec::new()).await;
        self.rewrite(&mut current, |sem, v| {
            sem.overlay_method(api, resource, method, v)
        });
        let Some(mut value) = current.is_success().then(|| current.parsed()).flatten() else {
            return current;
        };
        for op in patch_operations(req.body) {
            let v = op["value"].clone();
            let scope = v.as_str().unwrap_or("").to_string();
            match (op["op"].as_str(), op["path"].as_str()) {
                (Some("replace"), Some("/authorizationType")) => value["authorizationType"] = v,
                (Some("replace"), Some("/authorizerId")) => value["authorizerId"] = v,
                (Some("add"), Some("/authorizationScopes")) => {
                    let mut scopes: Vec<String> =
                        serde_json::from_value(value["authorizationScopes"].clone())
                            .unwrap_or_default();
                    if !scopes.contains(&scope) {
                        scopes.push(scope);
                    }
                    value["authorizationScopes"] = serde_json::json!(scopes);
                }
                (Some("remove"), Some("/authorizationScopes")) => {
                    let mut scopes: Vec<String> =
                        serde_json::from_value(value["authorizationScopes"].clone())
                            .unwrap_or_default();
                    scopes.retain(|s| *s != scope);
                    value["authorizationScopes"] = serde_json::json!(scopes);
                }
                _ => {
                    return ApiAnswer::error(
                        400,
                        "BadRequestException",
                        &format!(
                            "the test stand-in does not play this UpdateMethod operation: {op}"
                        ),
                    )
                }
            }
        }
        let cognito = value["authorizationType"] == "COGNITO_USER_POOLS";
        if cognito {
            let authorizer = value["authorizerId"].as_str().unwrap_or("");
            let found = !authorizer.is_empty()
                && upstream
                    .call(
                        "GET",
                        &format!("/restapis/{api}/authorizers/{authorizer}"),
                        Vec::new(),
                    )
                    .await
                    .parsed()
                    .is_some_and(|a| a["type"] == "COGNITO_USER_POOLS");
            if !found {
                return ApiAnswer::error(
                    400,
                    "BadRequestException",
                    "Invalid authorizer ID specified. Setting the authorization type to COGNITO_USER_POOLS requires a valid authorizer.",
                );
            }
        }
        let has_scopes = value["authorizationScopes"]
            .as_array()
            .is_some_and(|s| !s.is_empty());
        if has_scopes && !cognito {
            return ApiAnswer::error(
                400,
                "BadRequestException",
                "Invalid method authorization scopes: authorization scopes apply to COGNITO_USER_POOLS methods only",
            );
        }
        let fields: Map<String, Value> = METHOD_FIELDS
            .iter()
            .map(|k| (k.to_string(), value[*k].clone()))
            .collect();
        self.methods.lock().unwrap().insert(
            format!("{api}/{resource}/{}", method.to_ascii_uppercase()),
            fields,
        );
        ApiAnswer::json(200, &value)
    }

    /// `METHOD /path` of every method that uses the authorizer.
    async fn methods_using(&self, api: &str, id: &str, upstream: &impl Upstream) -> Vec<String> {
        let mut answer = upstream
            .call(
                "GET",
                &format!("/restapis/{api}/resources?embed=methods"),
                Vec::new(),
            )
            .await;
        self.rewrite(&mut answer, |sem, v| sem.overlay_resources(api, v));
        let mut users = Vec::new();
        for resource in answer.parsed().unwrap_or(Value::Null)["item"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let path = resource["path"].as_str().unwrap_or("");
            for (verb, method) in resource["resourceMethods"]
                .as_object()
                .into_iter()
                .flatten()
            {
                if method["authorizerId"] == id {
                    users.push(format!("{verb}{path}"));
                }
            }
        }
        users
    }
}

fn patch_operations(body: &[u8]) -> Vec<Value> {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v["patchOperations"].as_array().cloned())
        .unwrap_or_default()
}

fn with_query(req: &ApiRequest<'_>) -> String {
    if req.query.is_empty() {
        req.path.to_string()
    } else {
        format!("{}?{}", req.path, req.query)
    }
}
