//! Checks of resource servers: AWS's lengths and character sets for the
//! identifier, the name and each scope, which moto does not enforce.

use super::Checks;
use crate::model::resource_server::ResourceServer;
use std::collections::BTreeMap;

/// At most this many scopes per resource server.
const MAX_SCOPES: usize = 100;

pub fn check(servers: Option<&BTreeMap<String, ResourceServer>>, c: &mut Checks) {
    for (identifier, server) in servers.into_iter().flatten() {
        let field = format!("resource_servers.{identifier}");
        // Printable ASCII but space, `"` and `\`: the identifier is the first
        // half of every scope string (`<identifier>/<scope>`).
        if identifier.is_empty()
            || identifier.len() > 256
            || !identifier
                .chars()
                .all(|ch| ch.is_ascii_graphic() && ch != '"' && ch != '\\')
        {
            c.error(
                &field,
                format!("`{identifier}` is not a resource server identifier: 1-256 printable ASCII characters without spaces, `\"` or `\\`"),
            )
            .help = Some("an API's URL or a short name, like `https://api.example.com` or `shop-api`".into());
        }
        if let Some(name) = &server.name {
            let ok = name.chars().all(|ch| {
                ch.is_alphanumeric() || ch == '_' || ch.is_whitespace() || "+=,.@-".contains(ch)
            });
            if name.is_empty() || name.chars().count() > 256 || !ok {
                c.error(
                    format!("{field}.name"),
                    format!("`{name}` is not a valid resource server name: 1-256 letters, digits, spaces and _+=,.@-"),
                );
            }
        }
        let Some(scopes) = &server.scopes else {
            continue;
        };
        if scopes.len() > MAX_SCOPES {
            c.error(
                format!("{field}.scopes"),
                format!(
                    "{} scopes; a resource server holds at most {MAX_SCOPES}",
                    scopes.len()
                ),
            );
        }
        for (scope, description) in scopes {
            let scope_field = format!("{field}.scopes.{scope}");
            if scope.is_empty()
                || scope.len() > 256
                || !scope
                    .chars()
                    .all(|ch| ch.is_ascii_graphic() && !"\"\\/".contains(ch))
            {
                c.error(
                    &scope_field,
                    format!("`{scope}` is not a scope name: 1-256 printable ASCII characters without spaces, `/`, `\"` or `\\`"),
                );
            }
            if description.is_empty() || description.chars().count() > 256 {
                c.error(
                    &scope_field,
                    "every scope needs a description of 1-256 characters",
                )
                .help = Some(format!("e.g. `{scope}: Read orders`"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(identifier: &str, server: ResourceServer) -> Vec<(String, String)> {
        let mut c = Checks::default();
        let map = BTreeMap::from([(identifier.to_string(), server)]);
        check(Some(&map), &mut c);
        c.diagnostics
            .into_iter()
            .map(|d| (d.field.unwrap_or_default(), d.message))
            .collect()
    }

    fn scopes(pairs: &[(&str, &str)]) -> ResourceServer {
        ResourceServer {
            name: Some("Shop API".into()),
            scopes: Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
        }
    }

    #[test]
    fn a_good_server_passes() {
        assert!(errors(
            "https://api.example.com",
            scopes(&[("orders.read", "Read orders")])
        )
        .is_empty());
        assert!(errors("shop-api", ResourceServer::default()).is_empty());
    }

    #[test]
    fn identifier_name_and_scope_rules() {
        let e = errors("shop api", ResourceServer::default());
        assert_eq!(e[0].0, "resource_servers.shop api");
        let e = errors(
            "shop-api",
            ResourceServer {
                name: Some("Shop/API".into()),
                scopes: None,
            },
        );
        assert_eq!(e[0].0, "resource_servers.shop-api.name");
        let e = errors(
            "shop-api",
            scopes(&[("orders/read", "Read"), ("write", "")]),
        );
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "resource_servers.shop-api.scopes.orders/read",
                "resource_servers.shop-api.scopes.write"
            ],
            "{e:?}"
        );
        assert!(e[1].1.contains("description"), "{e:?}");

        let many: Vec<(String, String)> = (0..101).map(|i| (format!("s{i}"), "d".into())).collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let e = errors("shop-api", scopes(&many));
        assert!(e[0].1.contains("at most 100"), "{e:?}");
    }
}
