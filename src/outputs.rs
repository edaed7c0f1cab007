//! What the applications that use a pool need to know about it (`poolctl
//! outputs`): its ids, issuer, JWKS and sign-in URLs, worked out from the live
//! state of one pool and environment. Pure: the reads happen in `src/live`,
//! the drawing in `src/render/outputs.rs`.

use crate::desired::DesiredPool;
use crate::live::LiveState;
use crate::model::enums::OAuthFlow;
use serde::Serialize;

/// The version of the JSON document `outputs --json` prints.
pub const FORMAT_VERSION: u32 = 1;

/// One pool in one environment.
#[derive(Debug, Clone, Serialize)]
pub struct PoolOutputs {
    /// The spec file's stem.
    pub pool: String,
    pub environment: String,
    pub region: String,
    /// The pool's name in AWS.
    pub name: String,
    pub exists: bool,
    /// `None` while the pool does not exist yet (nothing else is then known).
    #[serde(flatten)]
    pub live: Option<LiveOutputs>,
}

/// What is known of a pool that exists.
#[derive(Debug, Clone, Serialize)]
pub struct LiveOutputs {
    pub user_pool_id: String,
    pub user_pool_arn: String,
    /// `cognito-idp.<region>.amazonaws.com/<id>`: how an identity pool or an
    /// IAM OIDC trust names the pool.
    pub provider_name: String,
    /// The `iss` claim of the pool's tokens.
    pub issuer: String,
    pub jwks_url: String,
    /// Read only when the spec declares a `domain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<DomainOutputs>,
    /// The live clients the spec's `clients:` names (or all of them when a
    /// name is shared), by name. Ids only: never a secret.
    pub clients: Vec<ClientOutputs>,
    /// Declared clients not created yet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_clients: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorizer: Option<AuthorizerOutputs>,
    /// The identity pools the spec's `identity_pools:` declares, by key.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identity_pools: Vec<IdentityPoolOutputs>,
    /// The pool's multi-Region replicas, read when the spec declares
    /// `replicas:`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replicas: Vec<ReplicaOutputs>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplicaOutputs {
    pub region: String,
    /// Cognito's status: `CREATING`, `ACTIVE`, `INACTIVE` or `DELETING`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_arn: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IdentityPoolOutputs {
    /// The spec's key under `identity_pools:`.
    pub key: String,
    /// `None` while the identity pool does not exist yet.
    pub identity_pool_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainOutputs {
    /// The prefix or the custom domain's name.
    pub name: String,
    /// `https://<prefix>.auth.<region>.amazoncognito.com` or `https://<custom>`.
    pub base_url: String,
    /// 1: the classic hosted UI; 2: managed login.
    pub managed_login_version: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClientOutputs {
    pub name: String,
    pub client_id: String,
    /// The hosted sign-in page for an OAuth client (code or implicit flow,
    /// a callback URL, and a domain to host it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_url: Option<String>,
    /// Another live client has the same name: the dotenv keys leave them out.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shared_name: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorizerOutputs {
    /// `rest` (API Gateway REST API) or `http` (HTTP API, JWT).
    pub api_kind: &'static str,
    pub api_id: String,
    pub api_name: String,
    pub name: String,
    /// `None` while the authorizer does not exist yet.
    pub authorizer_id: Option<String>,
}

/// `https://cognito-idp.<region>.amazonaws.com/<id>` without the scheme.
pub fn provider_name(region: &str, pool_id: &str) -> String {
    format!("cognito-idp.{region}.amazonaws.com/{pool_id}")
}

/// The base URL of a pool's domain.
pub fn domain_base_url(domain: &crate::model::domain::Domain, region: &str) -> Option<String> {
    match (&domain.custom, &domain.prefix) {
        (Some(custom), _) => Some(format!("https://{custom}")),
        (None, Some(prefix)) => Some(format!("https://{prefix}.auth.{region}.amazoncognito.com")),
        (None, None) => None,
    }
}

/// A client's hosted sign-in URL. Managed login (version 2) starts at
/// `/oauth2/authorize`, as the Cognito guide recommends for every session;
/// the classic hosted UI's page is `/login`. Both take the same parameters.
pub fn sign_in_url(
    base_url: &str,
    managed_login_version: u8,
    client_id: &str,
    client: &crate::model::client::AppClient,
) -> Option<String> {
    let flows = client.allowed_oauth_flows.as_deref().unwrap_or_default();
    let response_type = if flows.contains(&OAuthFlow::Code) {
        "code"
    } else if flows.contains(&OAuthFlow::Implicit) {
        "token"
    } else {
        return None;
    };
    // The default redirect URI is one of the callbacks (Cognito requires
    // it); without one, the first callback the spec lists.
    let redirect = client
        .default_redirect_uri
        .as_deref()
        .or_else(|| client.callback_urls.as_ref()?.first().map(String::as_str))?;
    let path = if managed_login_version >= 2 {
        "/oauth2/authorize"
    } else {
        "/login"
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", client_id)
        .append_pair("response_type", response_type)
        .append_pair("redirect_uri", redirect)
        .finish();
    Some(format!("{base_url}{path}?{query}"))
}

/// The outputs of one desired pool from its live state.
pub fn of(desired: &DesiredPool, live: &LiveState) -> PoolOutputs {
    let region = desired.region.clone();
    let outputs = PoolOutputs {
        pool: desired.key.clone(),
        environment: desired.environment.clone(),
        region: region.clone(),
        name: desired.pool_name().to_string(),
        live: None,
        exists: false,
    };
    let Some(pool) = &live.pool else {
        return outputs;
    };
    let issuer = crate::model::authorizer::issuer_url(&region, &pool.id);
    let domain = live.domain.as_ref().and_then(|d| {
        Some(DomainOutputs {
            name: d.settings.name()?.to_string(),
            base_url: domain_base_url(&d.settings, &region)?,
            managed_login_version: d.settings.managed_login_version.unwrap_or(1),
        })
    });
    let mut clients = Vec::new();
    let mut missing_clients = Vec::new();
    let declared = desired.resources.clients.as_ref();
    for name in declared.into_iter().flat_map(|c| c.keys()) {
        let found = live.clients.named(name);
        if found.is_empty() {
            missing_clients.push(name.clone());
        }
        let shared_name = found.len() > 1;
        for client in found {
            let sign_in_url = domain.as_ref().and_then(|d| {
                sign_in_url(
                    &d.base_url,
                    d.managed_login_version,
                    &client.id,
                    &client.model,
                )
            });
            clients.push(ClientOutputs {
                name: name.clone(),
                client_id: client.id.clone(),
                sign_in_url,
                shared_name,
            });
        }
    }
    let authorizer = authorizer_outputs(desired, live);
    let identity_pools = live
        .identity_pools
        .iter()
        .flat_map(|state| &state.pools)
        .map(|(key, found)| IdentityPoolOutputs {
            key: key.clone(),
            identity_pool_id: found.as_ref().map(|p| p.id.clone()),
        })
        .collect();
    let replicas = live
        .replicas
        .iter()
        .map(|(region, r)| ReplicaOutputs {
            region: region.clone(),
            status: r.state.clone(),
            user_pool_arn: r.arn.clone(),
        })
        .collect();
    PoolOutputs {
        live: Some(LiveOutputs {
            user_pool_id: pool.id.clone(),
            user_pool_arn: pool.arn.clone(),
            provider_name: provider_name(&region, &pool.id),
            jwks_url: format!("{issuer}/.well-known/jwks.json"),
            issuer,
            domain,
            clients,
            missing_clients,
            authorizer,
            identity_pools,
            replicas,
        }),
        exists: true,
        ..outputs
    }
}

fn authorizer_outputs(desired: &DesiredPool, live: &LiveState) -> Option<AuthorizerOutputs> {
    let spec = desired.resources.authorizer.as_ref()?;
    let name = spec.name().to_string();
    if let Some(state) = &live.http_authorizer {
        return Some(AuthorizerOutputs {
            api_kind: "http",
            api_id: state.api.id.clone(),
            api_name: state.api.name.clone(),
            authorizer_id: state.named(&name).map(|a| a.id.clone()),
            name,
        });
    }
    let state = live.authorizer.as_ref()?;
    Some(AuthorizerOutputs {
        api_kind: "rest",
        api_id: state.api.id.clone(),
        api_name: state.api.name.clone(),
        authorizer_id: state.named(&name).map(|a| a.id.clone()),
        name,
    })
}

/// A name as an upper-snake environment variable part: `shop-api.v2` ->
/// `SHOP_API_V2`. Runs of other characters become one `_`.
pub fn upper_snake(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_uppercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// The `KEY=value` pairs of `dotenv` and `github`, in a fixed order. Keys
/// are `<POOL>_<ENV>_<WHAT>` (and `<POOL>_<ENV>_CLIENT_<CLIENT>_<WHAT>`),
/// each part upper snake; docs/outputs.md lists them. A pool that does not
/// exist has none. Two names that collapse to one key are an error.
pub fn dotenv_pairs(pools: &[PoolOutputs]) -> anyhow::Result<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut origin: std::collections::BTreeMap<String, String> = Default::default();
    for pool in pools {
        let Some(live) = &pool.live else { continue };
        let mut prefix = format!(
            "{}_{}",
            upper_snake(&pool.pool),
            upper_snake(&pool.environment)
        );
        if prefix.starts_with(|c: char| c.is_ascii_digit()) {
            prefix.insert(0, '_');
        }
        let mut push = |key: String, value: &str, what: String| -> anyhow::Result<()> {
            if let Some(before) = origin.insert(key.clone(), what.clone()) {
                anyhow::bail!(
                    "{before} and {what} would both be written as `{key}`; rename one of them"
                );
            }
            pairs.push((key, value.to_string()));
            Ok(())
        };
        let at = format!("pool `{}` ({})", pool.pool, pool.environment);
        push(
            format!("{prefix}_USER_POOL_ID"),
            &live.user_pool_id,
            format!("{at} user_pool_id"),
        )?;
        push(
            format!("{prefix}_USER_POOL_ARN"),
            &live.user_pool_arn,
            format!("{at} user_pool_arn"),
        )?;
        push(
            format!("{prefix}_PROVIDER_NAME"),
            &live.provider_name,
            format!("{at} provider_name"),
        )?;
        push(
            format!("{prefix}_ISSUER"),
            &live.issuer,
            format!("{at} issuer"),
        )?;
        push(
            format!("{prefix}_JWKS_URL"),
            &live.jwks_url,
            format!("{at} jwks_url"),
        )?;
        if let Some(domain) = &live.domain {
            push(
                format!("{prefix}_DOMAIN_URL"),
                &domain.base_url,
                format!("{at} domain"),
            )?;
        }
        for client in live.clients.iter().filter(|c| !c.shared_name) {
            let what = format!("{at} client `{}`", client.name);
            let key = format!("{prefix}_CLIENT_{}", upper_snake(&client.name));
            push(format!("{key}_ID"), &client.client_id, what.clone())?;
            if let Some(url) = &client.sign_in_url {
                push(format!("{key}_SIGN_IN_URL"), url, what)?;
            }
        }
        if let Some(id) = live
            .authorizer
            .as_ref()
            .and_then(|a| a.authorizer_id.as_ref())
        {
            push(
                format!("{prefix}_AUTHORIZER_ID"),
                id,
                format!("{at} authorizer"),
            )?;
        }
        for identity_pool in &live.identity_pools {
            if let Some(id) = &identity_pool.identity_pool_id {
                push(
                    format!(
                        "{prefix}_IDENTITY_POOL_{}_ID",
                        upper_snake(&identity_pool.key)
                    ),
                    id,
                    format!("{at} identity pool `{}`", identity_pool.key),
                )?;
            }
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::client::AppClient;

    #[test]
    fn names_become_stable_upper_snake() {
        assert_eq!(upper_snake("shop"), "SHOP");
        assert_eq!(upper_snake("shop-api.v2"), "SHOP_API_V2");
        assert_eq!(upper_snake("--web  app--"), "WEB_APP");
        assert_eq!(upper_snake("prod_eu"), "PROD_EU");
    }

    fn oauth_client(flows: Vec<OAuthFlow>) -> AppClient {
        AppClient {
            allowed_oauth_flows: Some(flows),
            callback_urls: Some(vec![
                "https://shop.example.com/cb?x=1".into(),
                "https://b".into(),
            ]),
            ..AppClient::default()
        }
    }

    #[test]
    fn sign_in_urls_follow_the_domain_and_flows() {
        let base = "https://shop-dev.auth.eu-west-1.amazoncognito.com";
        let code = oauth_client(vec![OAuthFlow::Code]);
        assert_eq!(
            sign_in_url(base, 1, "abc", &code).unwrap(),
            "https://shop-dev.auth.eu-west-1.amazoncognito.com/login?client_id=abc&response_type=code&redirect_uri=https%3A%2F%2Fshop.example.com%2Fcb%3Fx%3D1"
        );
        assert!(sign_in_url(base, 2, "abc", &code)
            .unwrap()
            .starts_with(&format!("{base}/oauth2/authorize?client_id=abc&")));
        let implicit = oauth_client(vec![OAuthFlow::Implicit]);
        assert!(sign_in_url(base, 1, "abc", &implicit)
            .unwrap()
            .contains("response_type=token"));
        let machine = oauth_client(vec![OAuthFlow::ClientCredentials]);
        assert_eq!(sign_in_url(base, 1, "abc", &machine), None);
        let mut defaulted = code.clone();
        defaulted.default_redirect_uri = Some("https://b".into());
        assert!(sign_in_url(base, 1, "abc", &defaulted)
            .unwrap()
            .ends_with("redirect_uri=https%3A%2F%2Fb"));
        assert_eq!(
            sign_in_url(base, 1, "abc", &AppClient::default()),
            None,
            "no OAuth, no sign-in page"
        );
    }

    #[test]
    fn domain_urls() {
        use crate::model::domain::Domain;
        let prefix = Domain {
            prefix: Some("shop".into()),
            ..Domain::default()
        };
        assert_eq!(
            domain_base_url(&prefix, "us-east-2").unwrap(),
            "https://shop.auth.us-east-2.amazoncognito.com"
        );
        let custom = Domain {
            custom: Some("auth.example.com".into()),
            ..Domain::default()
        };
        assert_eq!(
            domain_base_url(&custom, "us-east-2").unwrap(),
            "https://auth.example.com"
        );
    }

    fn existing(pool: &str, env: &str, clients: &[&str]) -> PoolOutputs {
        PoolOutputs {
            pool: pool.into(),
            environment: env.into(),
            region: "us-east-1".into(),
            name: format!("{pool}-{env}"),
            exists: true,
            live: Some(LiveOutputs {
                user_pool_id: "us-east-1_abc".into(),
                user_pool_arn: "arn".into(),
                provider_name: provider_name("us-east-1", "us-east-1_abc"),
                issuer: "https://i".into(),
                jwks_url: "https://i/.well-known/jwks.json".into(),
                domain: None,
                clients: clients
                    .iter()
                    .map(|c| ClientOutputs {
                        name: c.to_string(),
                        client_id: format!("id-{c}"),
                        sign_in_url: None,
                        shared_name: false,
                    })
                    .collect(),
                missing_clients: vec![],
                authorizer: None,
                identity_pools: vec![IdentityPoolOutputs {
                    key: "guests".into(),
                    identity_pool_id: Some("us-east-1:0000".into()),
                }],
                replicas: Vec::new(),
            }),
        }
    }

    #[test]
    fn dotenv_keys_are_derived_and_collisions_refused() {
        let pairs = dotenv_pairs(&[existing("shop", "prod-eu", &["web-app"])]).unwrap();
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "SHOP_PROD_EU_USER_POOL_ID",
                "SHOP_PROD_EU_USER_POOL_ARN",
                "SHOP_PROD_EU_PROVIDER_NAME",
                "SHOP_PROD_EU_ISSUER",
                "SHOP_PROD_EU_JWKS_URL",
                "SHOP_PROD_EU_CLIENT_WEB_APP_ID",
                "SHOP_PROD_EU_IDENTITY_POOL_GUESTS_ID",
            ]
        );
        let err = dotenv_pairs(&[existing("shop", "dev", &["web-app", "web_app"])]).unwrap_err();
        assert!(
            err.to_string().contains("`SHOP_DEV_CLIENT_WEB_APP_ID`"),
            "{err}"
        );
        let missing = PoolOutputs {
            live: None,
            exists: false,
            ..existing("shop", "dev", &[])
        };
        assert!(dotenv_pairs(&[missing]).unwrap().is_empty());
    }
}
