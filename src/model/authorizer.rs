//! The API Gateway authorizer a pool's spec may own (`authorizer:`): a
//! COGNITO_USER_POOLS authorizer on a REST API that poolctl does not own,
//! pointed at the pool, and optionally the methods it protects; or, on an
//! HTTP API, a JWT authorizer trusting the pool's tokens for named clients.

use super::duration::Duration;
use serde::{de, Deserialize, Deserializer, Serialize};
use std::fmt;

/// The authorization type of every method the authorizer protects, and its
/// own type.
pub const COGNITO_USER_POOLS: &str = "COGNITO_USER_POOLS";

/// What a new authorizer reads the token from when the spec does not say.
pub const DEFAULT_IDENTITY_SOURCE: &str = "method.request.header.Authorization";

/// Where an HTTP API's JWT authorizer reads the token when the spec does not say.
pub const DEFAULT_HTTP_IDENTITY_SOURCE: &str = "$request.header.Authorization";

/// The type of an HTTP API authorizer that verifies the pool's tokens.
pub const JWT: &str = "JWT";

/// The issuer of a pool's tokens: what a JWT authorizer trusts.
pub fn issuer_url(region: &str, pool_id: &str) -> String {
    format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
}

/// API Gateway's cache time when none is given at creation.
pub const DEFAULT_RESULT_TTL: Duration = Duration(300);

/// The HTTP methods API Gateway knows, `ANY` included.
pub const HTTP_METHODS: &[&str] = &[
    "ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

/// The spec's `authorizer:` block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Authorizer {
    /// The REST API's name (found through every page of `GetRestApis`) or id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rest_api: Option<String>,
    /// Instead of `rest_api`: an HTTP API's name or id, for a JWT authorizer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_api: Option<String>,
    /// HTTP APIs only: the app clients (keys of `clients:`) whose ids are
    /// the JWT authorizer's audience.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<Vec<String>>,
    /// The authorizer's name on the REST API: how poolctl finds it again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `method.request.header.<Header>` (REST) or `$request.header.<Header>` (HTTP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_source: Option<String>,
    /// 0 to 1h; 0 turns caching off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_ttl: Option<Duration>,
    /// Methods to put behind the authorizer; absent, no method is touched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protect: Option<Vec<Protect>>,
    /// OAuth scopes every protected method requires (a route may override).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_scopes: Option<Vec<String>>,
    /// A stage to deploy when anything of the authorizer changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
}

impl Authorizer {
    /// Whether this is an HTTP API's JWT authorizer.
    pub fn is_http(&self) -> bool {
        self.http_api.is_some()
    }

    /// The name, checked present by the spec checks.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    /// Each protected route with the scopes it requires (`None`: not managed).
    pub fn routes(&self) -> Vec<(Route, Option<Vec<String>>)> {
        self.protect
            .iter()
            .flatten()
            .filter_map(|p| {
                let route = Route::parse(&p.route).ok()?;
                let scopes = p
                    .authorization_scopes
                    .clone()
                    .or_else(|| self.authorization_scopes.clone());
                Some((route, scopes))
            })
            .collect()
    }
}

/// One entry of `protect`: `"GET /orders"`, or a mapping with the route and
/// its own `authorization_scopes`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Protect {
    pub route: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_scopes: Option<Vec<String>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct ProtectFields {
    route: String,
    authorization_scopes: Option<Vec<String>>,
}

impl schemars::JsonSchema for Protect {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Protect".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // The short form (text) or the mapping the loader reads it from.
        let long = generator.subschema_for::<ProtectFields>();
        schemars::json_schema!({
            "anyOf": [{ "type": "string", "description": "A route such as `GET /orders`." }, long]
        })
    }
}

impl<'de> Deserialize<'de> for Protect {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Protect;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a route such as \"GET /orders\", or a mapping with `route` and `authorization_scopes`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Protect, E> {
                Ok(Protect {
                    route: v.to_string(),
                    authorization_scopes: None,
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Protect, A::Error> {
                let f = ProtectFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Protect {
                    route: f.route,
                    authorization_scopes: f.authorization_scopes,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A method of a REST API resource: `GET /orders`, `ANY /workspaces/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route {
    /// Upper case, as API Gateway names it.
    pub method: String,
    /// The resource path, from `/`.
    pub path: String,
}

impl Route {
    pub fn parse(text: &str) -> Result<Route, String> {
        let mut parts = text.split_whitespace();
        let (Some(method), Some(path), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "`{text}` is not a route: write the method and the resource path, like \"GET /orders\""
            ));
        };
        let method = method.to_ascii_uppercase();
        if !HTTP_METHODS.contains(&method.as_str()) {
            return Err(format!(
                "`{method}` is not an HTTP method API Gateway knows ({})",
                HTTP_METHODS.join(", ")
            ));
        }
        if !path.starts_with('/') || (path.len() > 1 && path.ends_with('/')) || path.contains("//")
        {
            return Err(format!(
                "`{path}` is not a resource path: it starts with `/` and has no empty parts, like /orders/{{id}}"
            ));
        }
        Ok(Route {
            method,
            path: path.to_string(),
        })
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_parse_and_print_canonically() {
        let r = Route::parse("get /orders").unwrap();
        assert_eq!(r.to_string(), "GET /orders");
        assert_eq!(
            Route::parse("ANY /workspaces/{id}").unwrap().path,
            "/workspaces/{id}"
        );
        assert!(Route::parse("GET /").is_ok());
        for bad in [
            "GET",
            "/orders",
            "FETCH /orders",
            "GET orders",
            "GET /a//b",
            "GET /a/",
            "GET /a extra",
        ] {
            assert!(Route::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_route_takes_its_own_scopes_or_the_shared_ones() {
        let a = Authorizer {
            protect: Some(vec![
                Protect {
                    route: "GET /orders".into(),
                    authorization_scopes: None,
                },
                Protect {
                    route: "POST /orders".into(),
                    authorization_scopes: Some(vec!["shop/orders.write".into()]),
                },
            ]),
            authorization_scopes: Some(vec!["shop/orders.read".into()]),
            ..Authorizer::default()
        };
        let routes = a.routes();
        assert_eq!(
            routes[0].1.as_deref(),
            Some(&["shop/orders.read".to_string()][..])
        );
        assert_eq!(
            routes[1].1.as_deref(),
            Some(&["shop/orders.write".to_string()][..])
        );
    }
}
