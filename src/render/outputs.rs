//! Drawing `poolctl outputs`: for people (headed blocks), as JSON, as dotenv
//! `KEY=value` lines, and as GitHub Actions step outputs.

use crate::outputs::{PoolOutputs, FORMAT_VERSION};
use crate::plan::PoolFailure;
use serde::Serialize;
use std::fmt::Write;

pub fn human(pools: &[PoolOutputs]) -> String {
    let mut out = String::new();
    for pool in pools {
        let id = pool.live.as_ref().map(|l| l.user_pool_id.as_str());
        let _ = writeln!(
            out,
            "{}",
            super::human::pool_heading(&pool.pool, &pool.environment, &pool.region, &pool.name, id)
        );
        let Some(live) = &pool.live else {
            let _ = writeln!(
                out,
                "  the pool does not exist yet: nothing to output (run `poolctl apply --env {}` first)\n",
                pool.environment
            );
            continue;
        };
        let line = |out: &mut String, key: &str, value: &str| {
            let _ = writeln!(out, "  {key:<16} {value}");
        };
        line(&mut out, "user pool id", &live.user_pool_id);
        line(&mut out, "user pool ARN", &live.user_pool_arn);
        line(&mut out, "provider name", &live.provider_name);
        line(&mut out, "issuer", &live.issuer);
        line(&mut out, "JWKS URL", &live.jwks_url);
        if let Some(domain) = &live.domain {
            let kind = if domain.managed_login_version >= 2 {
                "managed login"
            } else {
                "hosted UI"
            };
            line(&mut out, "domain", &format!("{} ({kind})", domain.base_url));
        }
        for client in &live.clients {
            let shared = if client.shared_name {
                "  (another client has this name)"
            } else {
                ""
            };
            line(
                &mut out,
                &format!("client {}", client.name),
                &format!("{}{shared}", client.client_id),
            );
            if let Some(url) = &client.sign_in_url {
                line(&mut out, "  sign-in URL", url);
            }
        }
        for name in &live.missing_clients {
            line(&mut out, &format!("client {name}"), "(not created yet)");
        }
        if let Some(a) = &live.authorizer {
            let id = a.authorizer_id.as_deref().unwrap_or("(not created yet)");
            line(
                &mut out,
                "authorizer",
                &format!(
                    "{id} ({} on {} API {} ({}))",
                    a.name,
                    a.api_kind.to_uppercase(),
                    a.api_name,
                    a.api_id
                ),
            );
        }
        for identity_pool in &live.identity_pools {
            line(
                &mut out,
                &format!("identity pool {}", identity_pool.key),
                identity_pool
                    .identity_pool_id
                    .as_deref()
                    .unwrap_or("(not created yet)"),
            );
        }
        for replica in &live.replicas {
            line(
                &mut out,
                &format!("replica {}", replica.region),
                &replica.status,
            );
        }
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct Document<'a> {
    format_version: u32,
    pools: &'a [PoolOutputs],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<super::json::ErrorEntry>,
}

pub fn json(pools: &[PoolOutputs], failures: &[PoolFailure]) -> String {
    let doc = Document {
        format_version: FORMAT_VERSION,
        pools,
        errors: super::json::errors(failures),
    };
    serde_json::to_string_pretty(&doc).expect("outputs serialize")
}

/// `KEY=value` lines. A value is quoted (single quotes, which no value
/// contains) only when a shell would otherwise split or interpret it, so
/// plain ids also suit `docker --env-file`, which keeps quotes.
pub fn dotenv(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        let plain = value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+,".contains(c));
        if plain {
            let _ = writeln!(out, "{key}={value}");
        } else {
            let _ = writeln!(out, "{key}='{value}'");
        }
    }
    out
}

/// `name=value` lines for `$GITHUB_OUTPUT` (values hold no newline).
pub fn github(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        let _ = writeln!(out, "{key}={value}");
    }
    out
}
