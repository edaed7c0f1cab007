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

use serde_json::{Map, Value};
use std::collections::HashMap;
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
}

impl CognitoSemantics {
    /// A new response body, when this layer changes the answer.
    pub fn rewrite(
        &self,
        operation: &str,
        request_body: &str,
        response_body: &[u8],
    ) -> Option<Vec<u8>> {
        let request: Value = serde_json::from_str(request_body).unwrap_or(Value::Null);
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

/// A request the API Gateway layer answers itself or rewrites, and the way
/// to moto it may use meanwhile.
pub struct ApiRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub body: &'a [u8],
}

/// An answer made here instead of moto's.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    fn json(status: u16, value: &Value) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(value).expect("JSON serializes"),
        }
    }

    /// An API Gateway error, shaped as the REST JSON protocol carries it.
    fn error(status: u16, code: &str, message: &str) -> Answer {
        Answer {
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
    ) -> impl std::future::Future<Output = Answer> + Send;
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
///   ConflictException; moto deletes it.
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
    pub async fn handle(&self, req: &ApiRequest<'_>, upstream: &impl Upstream) -> Option<Answer> {
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
                Some(Answer::json(200, &serde_json::json!({ "items": items })))
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
                let users = self.methods_using(api, id, upstream).await;
                if let Some(route) = users.first() {
                    return Some(Answer::error(
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

    fn rewrite(&self, answer: &mut Answer, change: impl FnOnce(&Self, &mut Value)) {
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
    ) -> Answer {
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
                    return Answer::error(
                        400,
                        "BadRequestException",
                        &format!("Invalid patch operation specified: {op}"),
                    )
                }
            }
            if list.is_empty() {
                return Answer::error(
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
    ) -> Answer {
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
                    return Answer::error(
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
                return Answer::error(
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
            return Answer::error(
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
        Answer::json(200, &value)
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
