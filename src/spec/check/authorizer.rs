//! Checks of the API Gateway authorizer block.

use super::Checks;
use crate::model::authorizer::{Authorizer, Route};
use std::collections::BTreeSet;

pub fn check(authorizer: Option<&Authorizer>, c: &mut Checks) {
    let Some(a) = authorizer else {
        return;
    };
    match a.rest_api.as_deref() {
        None => {
            c.error(
                "authorizer.rest_api",
                "the authorizer needs the REST API it belongs to: its name or id",
            )
            .help = Some("e.g. `rest_api: shop-api-${env}`".into());
        }
        Some(api) if api.trim().is_empty() || api.chars().count() > 1024 => {
            c.error(
                "authorizer.rest_api",
                "a REST API name is 1-1024 characters",
            );
        }
        _ => {}
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
    if let Some(source) = &a.identity_source {
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
