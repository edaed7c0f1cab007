//! Checks of `identity_pools:`: the API's names, patterns and limits, and
//! that every client, provider and role the block names is one that exists
//! in the spec or is well formed.

use super::Checks;
use crate::model::client::AppClient;
use crate::model::identity_pool::{is_valid_id, is_valid_name, IdentityPool, MappingType};
use std::collections::BTreeMap;

/// `CognitoIdentityProviders` per identity pool (AWS's default quota).
const MAX_COGNITO_PROVIDERS: usize = 50;
/// Identity providers that may have a role mapping.
const MAX_ROLE_MAPPINGS: usize = 10;
/// Rules per role mapping.
const MAX_RULES: usize = 25;

pub fn check(
    pools: Option<&BTreeMap<String, IdentityPool>>,
    clients: Option<&BTreeMap<String, AppClient>>,
    region: Option<&str>,
    c: &mut Checks,
) {
    for (key, pool) in pools.into_iter().flatten() {
        let field = format!("identity_pools.{key}");
        let name = pool.name_or(key);
        if !is_valid_name(name) {
            let at = if pool.name.is_some() {
                format!("{field}.name")
            } else {
                field.clone()
            };
            c.error(
                at,
                format!(
                    "`{name}` is not an identity pool name: 1-128 letters, digits, `_` and spaces"
                ),
            )
            .help = Some(format!(
                "e.g. `name: {}_${{env}}`",
                key.replace(|ch: char| !ch.is_alphanumeric(), "_")
            ));
        }
        if let Some(id) = &pool.identity_pool_id {
            if !is_valid_id(id) {
                c.error(
                    format!("{field}.identity_pool_id"),
                    format!("`{id}` is not an identity pool id (like us-east-1:0f3c1e2a-...)"),
                );
            } else if let Some(r) = region.filter(|r| !id.starts_with(&format!("{r}:"))) {
                c.error(
                    format!("{field}.identity_pool_id"),
                    format!("identity pool `{id}` does not live in this environment's region, {r}"),
                );
            }
        }
        check_providers(&field, pool, clients, c);
        if let Some(name) = &pool.developer_provider_name {
            let ok = (1..=100).contains(&name.chars().count())
                && name
                    .chars()
                    .all(|ch| ch.is_alphanumeric() || matches!(ch, '_' | '.' | '-'));
            if !ok {
                c.error(
                    format!("{field}.developer_provider_name"),
                    "a developer provider name is 1-100 letters, digits, `_`, `.` and `-`",
                );
            }
        }
        for (login, app_id) in pool.supported_login_providers.iter().flatten() {
            if login.is_empty() || login.len() > 128 || app_id.is_empty() || app_id.len() > 128 {
                c.error(
                    format!("{field}.supported_login_providers.{login}"),
                    "a login provider and its app id are 1-128 characters each",
                );
            }
        }
        for (list, key_name) in [
            (
                &pool.openid_connect_provider_arns,
                "openid_connect_provider_arns",
            ),
            (&pool.saml_provider_arns, "saml_provider_arns"),
        ] {
            for (i, arn) in list.iter().flatten().enumerate() {
                if !(arn.starts_with("arn:") && arn.contains(":iam::")) {
                    c.error(
                        format!("{field}.{key_name}.{i}"),
                        format!("`{arn}` is not an IAM identity provider ARN"),
                    );
                }
            }
        }
        if let Some(roles) = &pool.roles {
            for (role, arn) in [
                ("authenticated", &roles.authenticated),
                ("unauthenticated", &roles.unauthenticated),
            ] {
                if let Some(arn) = arn {
                    check_role_arn(&format!("{field}.roles.{role}"), arn, c);
                }
            }
            if roles.unauthenticated.is_some() && pool.allow_unauthenticated != Some(true) {
                c.warn(
                    format!("{field}.roles.unauthenticated"),
                    "a guest role is set but `allow_unauthenticated` is not true: no guest will ever get it",
                );
            }
        }
        check_mappings(&field, pool, c);
        if let Some(tags) = &pool.tags {
            if tags.len() > 50 {
                c.error(
                    format!("{field}.tags"),
                    "an identity pool takes at most 50 tags",
                );
            }
        }
        for (provider, tags) in pool.principal_tags.iter().flatten() {
            let at = format!("{field}.principal_tags.{provider}");
            check_provider_key(&at, provider, pool, c);
            if tags.use_defaults.is_none() && tags.tags.is_none() {
                c.error(
                    at,
                    "say which tags: `use_defaults: true`, or `tags:` (session tag name -> token claim)",
                );
            }
        }
    }
}

fn check_providers(
    field: &str,
    pool: &IdentityPool,
    clients: Option<&BTreeMap<String, AppClient>>,
    c: &mut Checks,
) {
    let providers = pool.cognito_providers.as_deref().unwrap_or_default();
    if providers.len() > MAX_COGNITO_PROVIDERS {
        c.error(
            format!("{field}.cognito_providers"),
            format!("an identity pool takes at most {MAX_COGNITO_PROVIDERS} user pool providers"),
        );
    }
    for (i, p) in providers.iter().enumerate() {
        let at = format!("{field}.cognito_providers.{i}");
        match (&p.client, &p.client_id, &p.provider_name) {
            (Some(name), None, None) => match clients {
                Some(clients) if clients.contains_key(name) => {}
                Some(clients) => {
                    let known: Vec<&str> = clients.keys().map(String::as_str).collect();
                    let d = c.error(
                        format!("{at}.client"),
                        format!("`{name}` is not a client of this spec"),
                    );
                    d.help = Some(
                        match crate::spec::diag::nearest(name, known.iter().copied()) {
                            Some(hint) => format!("did you mean `{hint}`?"),
                            None => format!("`clients:` declares: {}", known.join(", ")),
                        },
                    );
                }
                None => {
                    c.error(
                        format!("{at}.client"),
                        format!("`{name}` is not a client of this spec: it declares no `clients:`"),
                    )
                    .help = Some(
                        "for another pool's client, write `client_id` and `provider_name` instead"
                            .into(),
                    );
                }
            },
            (None, Some(id), Some(provider)) => {
                if id.is_empty() || id.len() > 128 {
                    c.error(format!("{at}.client_id"), "a client id is 1-128 characters");
                }
                if !(provider.starts_with("cognito-idp.") && provider.contains(".amazonaws.com/")) {
                    c.error(
                        format!("{at}.provider_name"),
                        format!("`{provider}` is not a user pool's provider name (cognito-idp.<region>.amazonaws.com/<pool id>)"),
                    );
                }
            }
            (Some(_), _, _) => {
                c.error(
                    format!("{at}.client"),
                    "write either `client` (this spec's client) or `client_id` with `provider_name` (another pool's), not both",
                );
            }
            _ => {
                c.error(
                    at,
                    "a Cognito provider needs `client` (a client of this spec), or `client_id` and `provider_name`",
                );
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, p) in providers.iter().enumerate() {
        let id = p.client.clone().or_else(|| p.client_id.clone());
        if let Some(id) = id {
            if !seen.insert(id.clone()) {
                c.error(
                    format!("{field}.cognito_providers.{i}"),
                    format!("`{id}` is listed twice"),
                );
            }
        }
    }
}

/// A provider named in `role_mappings`/`principal_tags`: one of the pool's
/// own clients by name, or a provider key (which always holds a dot).
fn check_provider_key(at: &str, key: &str, pool: &IdentityPool, c: &mut Checks) {
    let own = pool
        .cognito_providers
        .iter()
        .flatten()
        .filter_map(|p| p.client.as_deref())
        .any(|n| n == key);
    if !own && !key.contains('.') {
        let known: Vec<&str> = pool
            .cognito_providers
            .iter()
            .flatten()
            .filter_map(|p| p.client.as_deref())
            .collect();
        c.error(
            at,
            format!("`{key}` is neither a client in this identity pool's `cognito_providers` nor a provider name (like accounts.google.com)"),
        )
        .help = Some(if known.is_empty() {
            "add the client to `cognito_providers` first".into()
        } else {
            format!("`cognito_providers` names: {}", known.join(", "))
        });
    }
}

fn check_mappings(field: &str, pool: &IdentityPool, c: &mut Checks) {
    let Some(mappings) = &pool.role_mappings else {
        return;
    };
    if mappings.len() > MAX_ROLE_MAPPINGS {
        c.error(
            format!("{field}.role_mappings"),
            format!("role mappings can be set for at most {MAX_ROLE_MAPPINGS} providers"),
        );
    }
    for (provider, m) in mappings {
        let at = format!("{field}.role_mappings.{provider}");
        check_provider_key(&at, provider, pool, c);
        if m.ambiguous_role_resolution.is_none() {
            c.error(
                format!("{at}.ambiguous_role_resolution"),
                "say what happens when no role (or no single role) applies: `deny` or `authenticated_role`",
            );
        }
        match (m.kind, &m.rules) {
            (None, _) => {
                c.error(
                    format!("{at}.type"),
                    "a role mapping needs `type`: `token` or `rules`",
                );
            }
            (Some(MappingType::Token), Some(_)) => {
                c.error(
                    format!("{at}.rules"),
                    "a `token` mapping takes its roles from the token's claims; `rules` are for `type: rules`",
                );
            }
            (Some(MappingType::Rules), None) => {
                c.error(
                    format!("{at}.rules"),
                    "a `rules` mapping needs `rules`: each a `claim`, `match_type`, `value` and `role_arn`",
                );
            }
            (Some(MappingType::Rules), Some(rules)) => {
                if rules.is_empty() || rules.len() > MAX_RULES {
                    c.error(
                        format!("{at}.rules"),
                        format!("a rules mapping takes 1 to {MAX_RULES} rules"),
                    );
                }
                for (i, rule) in rules.iter().enumerate() {
                    let r = format!("{at}.rules.{i}");
                    for (name, missing) in [
                        ("claim", rule.claim.is_none()),
                        ("match_type", rule.match_type.is_none()),
                        ("value", rule.value.is_none()),
                        ("role_arn", rule.role_arn.is_none()),
                    ] {
                        if missing {
                            c.error(format!("{r}.{name}"), format!("a rule needs `{name}`"));
                        }
                    }
                    if let Some(arn) = &rule.role_arn {
                        check_role_arn(&format!("{r}.role_arn"), arn, c);
                    }
                }
            }
            (Some(MappingType::Token), None) => {}
        }
    }
}

fn check_role_arn(at: &str, arn: &str, c: &mut Checks) {
    if !(arn.starts_with("arn:") && arn.contains(":iam::") && arn.contains(":role/")) {
        c.error(at, format!("`{arn}` is not an IAM role ARN"));
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::check::{check, Checks};
    use crate::spec::{document, yaml};

    /// (field, message) of each error the document's checks find.
    fn errors(text: &str) -> Vec<(String, String)> {
        let root = yaml::parse(&format!("region: us-east-1\nname: p\n{text}")).unwrap();
        let doc = document::read(root.as_mapping().unwrap()).unwrap();
        let mut checks = Checks::default();
        check(&doc, &mut checks);
        checks
            .diagnostics
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| (d.field.unwrap_or_default(), d.message))
            .collect()
    }

    const CLIENTS: &str = "clients: { web: {} }\n";

    #[test]
    fn a_complete_identity_pool_is_valid() {
        let text = format!(
            "{CLIENTS}identity_pools:\n  shop:\n    name: shop dev_1\n    cognito_providers: [{{ client: web }}, {{ client_id: abc, provider_name: cognito-idp.us-east-1.amazonaws.com/us-east-1_X }}]\n    roles: {{ authenticated: 'arn:aws:iam::1:role/a' }}\n    role_mappings:\n      web: {{ type: rules, ambiguous_role_resolution: deny, rules: [{{ claim: c, match_type: equals, value: v, role_arn: 'arn:aws:iam::1:role/b' }}] }}\n      accounts.google.com: {{ type: token, ambiguous_role_resolution: authenticated_role }}\n    principal_tags: {{ web: {{ use_defaults: true }} }}\n"
        );
        assert_eq!(errors(&text), Vec::<(String, String)>::new());
    }

    #[test]
    fn each_mistake_names_its_field() {
        let fields = |text: &str| -> Vec<String> {
            errors(&format!("{CLIENTS}identity_pools:\n  shop:\n{text}"))
                .into_iter()
                .map(|(f, _)| f)
                .collect()
        };
        assert_eq!(fields("    name: shop-dev\n"), ["identity_pools.shop.name"]);
        assert_eq!(
            fields("    identity_pool_id: eu-west-1:0f3c\n"),
            ["identity_pools.shop.identity_pool_id"]
        );
        assert_eq!(
            fields("    cognito_providers: [{ client: nope }]\n"),
            ["identity_pools.shop.cognito_providers.0.client"]
        );
        assert_eq!(
            fields("    cognito_providers: [{ client: web, client_id: x }]\n"),
            ["identity_pools.shop.cognito_providers.0.client"]
        );
        assert_eq!(
            fields("    cognito_providers: [{ client: web }]\n    role_mappings: { web: { type: token } }\n"),
            ["identity_pools.shop.role_mappings.web.ambiguous_role_resolution"]
        );
        assert_eq!(
            fields(
                "    role_mappings: { web: { type: token, ambiguous_role_resolution: deny } }\n"
            ),
            ["identity_pools.shop.role_mappings.web"],
            "`web` is not among the identity pool's providers"
        );
        assert_eq!(
            fields("    cognito_providers: [{ client: web }]\n    role_mappings: { web: { type: rules, ambiguous_role_resolution: deny, rules: [{ claim: c }] } }\n"),
            [
                "identity_pools.shop.role_mappings.web.rules.0.match_type",
                "identity_pools.shop.role_mappings.web.rules.0.value",
                "identity_pools.shop.role_mappings.web.rules.0.role_arn"
            ]
        );
        assert_eq!(
            fields("    roles: { authenticated: not-an-arn }\n"),
            ["identity_pools.shop.roles.authenticated"]
        );
    }

    #[test]
    fn a_client_reference_needs_the_clients_section() {
        let errs = errors("identity_pools:\n  shop:\n    cognito_providers: [{ client: web }]\n");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].1.contains("declares no `clients:`"), "{errs:?}");
    }
}
