//! Reading the HTTP API side of a pool's JWT authorizer: the HTTP API the spec
//! names (by id, or by exact name through every page of `GetApis`), its
//! authorizers, and the ids of the app clients its audience names.

use super::authorizer::{resolve, ApiKind, ApiRef};
use crate::aws::explain;
use crate::desired::DesiredPool;
use aws_sdk_apigatewayv2 as apigatewayv2;
use aws_sdk_cognitoidentityprovider as cognito;
use std::collections::BTreeMap;

/// One authorizer of an HTTP API, of any type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JwtAuthorizer {
    pub id: String,
    pub name: String,
    /// `JWT` or `REQUEST`.
    pub kind: String,
    pub issuer: Option<String>,
    pub audience: Vec<String>,
    pub identity_source: Vec<String>,
}

/// Everything live about the JWT authorizer the spec declares.
#[derive(Debug, Clone, Default)]
pub struct HttpAuthorizerState {
    pub api: ApiRef,
    /// Every authorizer on the API, poolctl's or not.
    pub authorizers: Vec<JwtAuthorizer>,
    /// The pool's app clients, name to id (empty while the pool does not
    /// exist). Client names are not unique: a name used twice maps to every
    /// id it has.
    pub clients: BTreeMap<String, Vec<String>>,
}

impl HttpAuthorizerState {
    pub fn named(&self, name: &str) -> Option<&JwtAuthorizer> {
        self.authorizers.iter().find(|a| a.name == name)
    }
}

/// Every HTTP API in the client's region (WebSocket APIs are left out).
pub async fn list_http_apis(client: &apigatewayv2::Client) -> anyhow::Result<Vec<ApiRef>> {
    let mut apis = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .get_apis()
            .max_results("500")
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| explain("GetApis", e))?;
        for api in page.items() {
            let http = api
                .protocol_type()
                .is_none_or(|p| *p == apigatewayv2::types::ProtocolType::Http);
            if let (Some(id), true) = (api.api_id(), http) {
                apis.push(ApiRef {
                    id: id.to_string(),
                    name: api.name().unwrap_or_default().to_string(),
                });
            }
        }
        match page.next_token() {
            Some(next) if !next.is_empty() && Some(next) != token.as_deref() => {
                token = Some(next.to_string())
            }
            _ => break,
        }
    }
    Ok(apis)
}

/// Every authorizer of an HTTP API.
pub async fn authorizers(
    client: &apigatewayv2::Client,
    api_id: &str,
) -> anyhow::Result<Vec<JwtAuthorizer>> {
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .get_authorizers()
            .api_id(api_id)
            .max_results("500")
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| explain(&format!("GetAuthorizers {api_id}"), e))?;
        for a in page.items() {
            let Some(id) = a.authorizer_id() else {
                continue;
            };
            let jwt = a.jwt_configuration();
            found.push(JwtAuthorizer {
                id: id.to_string(),
                name: a.name().unwrap_or_default().to_string(),
                kind: a
                    .authorizer_type()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                issuer: jwt.and_then(|j| j.issuer()).map(str::to_string),
                audience: jwt.map(|j| j.audience().to_vec()).unwrap_or_default(),
                identity_source: a.identity_source().to_vec(),
            });
        }
        match page.next_token() {
            Some(next) if !next.is_empty() && Some(next) != token.as_deref() => {
                token = Some(next.to_string())
            }
            _ => break,
        }
    }
    Ok(found)
}

/// The pool's app clients, by name.
pub async fn client_ids(
    client: &cognito::Client,
    pool_id: &str,
) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let items = super::client::list(client, pool_id).await?;
    let mut clients: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in items {
        if let (Some(name), Some(id)) = (item.client_name, item.client_id) {
            clients.entry(name).or_default().push(id);
        }
    }
    Ok(clients)
}

/// Reads the spec's HTTP API and its authorizers.
pub async fn read(
    client: &apigatewayv2::Client,
    listing: &[ApiRef],
    desired: &DesiredPool,
    wanted: &str,
) -> anyhow::Result<HttpAuthorizerState> {
    let api = resolve(ApiKind::Http, listing, wanted, desired)?;
    let authorizers = authorizers(client, &api.id).await?;
    tracing::info!(api = %api, authorizers = authorizers.len(), "read the HTTP API");
    Ok(HttpAuthorizerState {
        api,
        authorizers,
        clients: BTreeMap::new(),
    })
}
