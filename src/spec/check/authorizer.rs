//! Checks of the API Gateway authorizer block.

use super::Checks;
use crate::model::authorizer::{Authorizer, Route};
use crate::model::client::AppClient;
use std::collections::{BTreeMap, BTreeSet};

pub fn check(
    authorizer: Option<&Authorizer>,
    clients: Option<&BTreeMap<String, AppClient>>,
    c: &mut Checks,
) {
    let Some(a) = authorizer else {
        return;
    };
    let api = match (&a.rest_api, &a.http_api) {
        (Some(_), Some(_)) => {
            c.error(
                "authorizer.http_api",
                "`rest_api` and `http_api` cannot both be set: an authorizer lives on one API",
            );
            None
        }
        (None, None) => {
            c.error(
                "authorizer.rest_api",
                "the authorizer needs the API it belongs to: `rest_api` (or `http_api`), its name or id",
            )
            .help = Some("e.g. `rest_api: shop-api-${env}`".into());
            None
        }
        (Some(api), None) => Some(("authorizer.rest_api", api)),
        (None, Some(api)) => Some(("authorizer.http_api", api)),
    };
    if let Some((field, api)) = api {
        if api.trim().is_empty() || api.chars().count() > 1024 {
            c.error(field, "an API name is 1-1024 characters");
        }
    }
    if a.is_http() {
        check_http(a, clients, c);
    } else if a.audience.is_some() {
        c.error(
            "authorizer.audience",
            "`audience` is for an HTTP API's JWT authorizer (`http_api`); a REST API's Cognito authorizer trusts the whole pool",
        );
    }
    match a.name.as_deref() {
        None => {
            c.error(
                "authorizer.name",
                "the authorizer needs a `name`: poolctl finds it on the REST API by it",
            );
        }
        Some(name) if name.trim().is_empty() || name.chars().count() > 128 => {
            c.error("authorizer.name", "an authorizer name is 1-128 characters");
        }
        _ => {}
    }
    if let Some(source) = a.identity_source.as_ref().filter(|_| !a.is_http()) {
        let header = source.strip_prefix("method.request.header.");
        if !header.is_some_and(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        }) {
            c.error(
                "authorizer.identity_source",
                format!("`{source}` is not a header: a Cognito authorizer reads the token from `method.request.header.<Name>`"),
            );
        }
    }
    if let Some(ttl) = a.result_ttl {
        if ttl.seconds() > 3600 {
            c.error(
                "authorizer.result_ttl",
                format!("{ttl} is out of range: API Gateway caches for 0s (off) to 1h"),
            );
        }
    }
    let mut seen = BTreeSet::new();
    for (i, entry) in a.protect.iter().flatten().enumerate() {
        let field = format!("authorizer.protect.{i}");
        match Route::parse(&entry.route) {
            Ok(route) => {
                if !seen.insert(route.clone()) {
                    c.error(&field, format!("`{route}` is listed twice"));
                }
            }
            Err(message) => {
                c.error(&field, message);
            }
        }
        if let Some(scopes) = &entry.authorization_scopes {
            scopes_ok(&format!("{field}.authorization_scopes"), scopes, c);
        }
    }
    if let Some(scopes) = &a.authorization_scopes {
        scopes_ok("authorizer.authorization_scopes", scopes, c);
        if a.protect.is_none() {
            c.warn(
                "authorizer.authorization_scopes",
                "has no effect without `protect`: scopes are set on the methods poolctl protects",
            );
        }
    }
    if let Some(stage) = &a.stage {
        let ok = !stage.is_empty()
            && stage.chars().count() <= 128
            && stage
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
        if !ok {
            c.error(
                "authorizer.stage",
                format!("`{stage}` is not a stage name: 1-128 letters, digits, - and _"),
            );
        }
    }
}

fn scopes_ok(field: &str, scopes: &[String], c: &mut Checks) {
    for (i, scope) in scopes.iter().enumerate() {
        if scope.is_empty() || scope.chars().any(char::is_whitespace) {
            c.error(
                format!("{field}.{i}"),
                format!("`{scope}` is not an OAuth scope (like `shop-api/orders.read`)"),
            );
        }
    }
}

/// An HTTP API's JWT authorizer: an audience of declared clients, a header,
/// and none of the REST-only keys.
fn check_http(a: &Authorizer, clients: Option<&BTreeMap<String, AppClient>>, c: &mut Checks) {
    let rest_only = [
        ("result_ttl", a.result_ttl.is_some()),
        ("protect", a.protect.is_some()),
        ("authorization_scopes", a.authorization_scopes.is_some()),
        ("stage", a.stage.is_some()),
    ];
    for (key, set) in rest_only {
        if set {
            c.error(
                format!("authorizer.{key}"),
                format!("`{key}` is for a REST API's authorizer (`rest_api`); an HTTP API's JWT authorizer does not take it"),
            );
        }
    }
    match &a.audience {
        None => {
            c.error(
                "authorizer.audience",
                "a JWT authorizer needs an `audience`: the app clients (keys of `clients:`) whose tokens it accepts",
            );
        }
        Some(list) if list.is_empty() => {
            c.error("authorizer.audience", "name at least one app client");
        }
        Some(list) => {
            for (i, name) in list.iter().enumerate() {
                if !clients.is_some_and(|cl| cl.contains_key(name)) {
                    c.error(
                        format!("authorizer.audience.{i}"),
                        format!("`{name}` is not an app client of this spec: the audience names keys of `clients:`"),
                    );
                }
            }
        }
    }
    if let Some(source) = &a.identity_source {
        let header = source.strip_prefix("$request.header.");
        if !header.is_some_and(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        }) {
            c.error(
                "authorizer.identity_source",
                format!("`{source}` is not a header: a JWT authorizer reads the token from `$request.header.<Name>`"),
            );
        }
    }
}
