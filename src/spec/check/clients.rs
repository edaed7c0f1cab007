//! Checks of app clients: the ranges and OAuth rules Cognito enforces (some
//! only halfway through an apply, the emulator not at all), and references to
//! what the spec declares elsewhere: identity providers, resource-server
//! scopes and schema attributes.

use super::Checks;
use crate::model::client::{AnalyticsConfiguration, AppClient, COGNITO_PROVIDER, STANDARD_SCOPES};
use crate::model::enums::{ExplicitAuthFlow, OAuthFlow, Tier};
use crate::model::pool::{is_custom_attribute, SchemaAttribute, STANDARD_ATTRIBUTES};
use crate::model::terms::{ClientTerms, DOCUMENTS};
use crate::model::triggers::Slot;
use crate::spec::document::Document;
use std::collections::{BTreeMap, BTreeSet};

/// Cognito's limit on a redirect URL (the lists' limits are rows of
/// `model::resource_tables::CLIENT_SETTINGS`).
const MAX_URL_CHARS: usize = 1024;

/// What the rest of the spec declares, that clients may name.
struct Declared<'a> {
    identity_providers: BTreeSet<&'a str>,
    /// `<identifier>/<scope>` for every declared resource-server scope.
    scopes: BTreeSet<String>,
    /// `None` when the spec does not declare a schema.
    schema: Option<&'a BTreeMap<String, SchemaAttribute>>,
    /// Attributes each declared identity provider maps, which Cognito writes
    /// through the client at every federated sign-in.
    mapped: BTreeMap<&'a str, Vec<&'a str>>,
    tier: Option<Tier>,
}

pub fn check(doc: &Document, c: &mut Checks) {
    let Some(clients) = &doc.resources.clients else {
        return;
    };
    let resources = &doc.resources;
    let idps = resources.identity_providers.as_ref();
    let declared = Declared {
        identity_providers: idps
            .into_iter()
            .flat_map(|m| m.keys())
            .map(String::as_str)
            .collect(),
        scopes: resources
            .resource_servers
            .iter()
            .flatten()
            .flat_map(|(id, server)| {
                server
                    .scopes
                    .iter()
                    .flatten()
                    .map(move |(scope, _)| format!("{id}/{scope}"))
            })
            .collect(),
        schema: doc.settings.schema.as_ref(),
        mapped: idps
            .into_iter()
            .flatten()
            .map(|(name, idp)| {
                let attrs = idp
                    .attribute_mapping
                    .iter()
                    .flatten()
                    .map(|(attr, _)| attr.as_str())
                    // Not an attribute: where the provider's user id goes.
                    .filter(|attr| *attr != "username")
                    .collect();
                (name.as_str(), attrs)
            })
            .collect(),
        tier: doc.settings.tier,
    };
    for (name, client) in clients {
        check_client(name, client, &declared, c);
    }
}

fn check_client(name: &str, client: &AppClient, declared: &Declared<'_>, c: &mut Checks) {
    let at = |key: &str| format!("clients.{name}.{key}");
    let valid_name = !name.is_empty()
        && name.chars().count() <= 128
        && name
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch.is_whitespace() || "_+=,.@-".contains(ch));
    if !valid_name {
        c.error(
            format!("clients.{name}"),
            format!(
                "`{name}` is not a valid client name: 1-128 letters, digits, spaces and _+=,.@-"
            ),
        );
    }

    check_secret(client, &at, c);
    check_oauth(client, declared, &at, c);
    check_urls(client, &at, c);
    check_validities(client, &at, c);

    if let Some(flows) = &client.explicit_auth_flows {
        if flows.is_empty() {
            // AWS accepts an empty list and applies its defaults.
            c.warn(
                at("explicit_auth_flows"),
                "an empty list gets Cognito's defaults (user_srp, refresh_token, custom_auth): list the flows this client allows",
            );
        }
        check_legacy_flows(flows, &at, c);
        if flows.contains(&ExplicitAuthFlow::UserAuth) && declared.tier == Some(Tier::Lite) {
            c.error(
                at("explicit_auth_flows"),
                "`user_auth` (choice-based sign-in) needs the essentials or plus tier, but `tier` is lite",
            );
        }
    }

    let rotation = client
        .refresh_token_rotation
        .as_ref()
        .filter(|r| r.enabled == Some(true));
    if rotation.is_some() {
        match &client.explicit_auth_flows {
            Some(flows) if flows.contains(&ExplicitAuthFlow::RefreshToken) => {
                c.error(
                    at("explicit_auth_flows"),
                    "refresh token rotation cannot be used with the `refresh_token` flow: apps renew through GetTokensFromRefreshToken instead; remove `refresh_token`",
                );
            }
            Some(_) => {}
            None => {
                c.warn(
                    at("refresh_token_rotation.enabled"),
                    "refresh token rotation cannot be used with the `refresh_token` flow, which Cognito allows unless told otherwise: declare `explicit_auth_flows` without it",
                );
            }
        }
    }

    if client.enable_propagate_additional_user_context_data == Some(true) && !client.has_secret() {
        c.error(
            at("enable_propagate_additional_user_context_data"),
            "only a client with a secret (`generate_secret: true`) can propagate user context data",
        );
    }

    check_attributes(name, client, declared, &at, c);
    if let Some(Slot::Attached(analytics)) = &client.analytics_configuration {
        check_analytics(analytics, &at, c);
    }
    if let Some(terms) = &client.terms {
        check_terms(terms, &at, c);
    }
}

/// Cognito's rules for terms links (each 1-1024 characters, no white
/// space), and the foot-guns it accepts.
fn check_terms(terms: &ClientTerms, at: &dyn Fn(&str) -> String, c: &mut Checks) {
    let mut attached = 0;
    for ((key, _), (_, doc)) in DOCUMENTS.iter().zip(terms.documents()) {
        let Some(Slot::Attached(doc)) = doc else {
            continue;
        };
        attached += 1;
        let links = &doc.links;
        if links.is_empty() {
            c.warn(
                at(&format!("terms.{key}.links")),
                "no link: managed login shows nothing for this document",
            );
            continue;
        }
        for (language, url) in links.entries() {
            let Some(url) = url else { continue };
            let field = at(&format!("terms.{key}.links.{language}"));
            let chars = url.chars().count();
            if chars == 0 || chars > 1024 {
                c.error(field, "a link must be 1-1024 characters");
            } else if url.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
                c.error(
                    field,
                    format!("`{url}` contains white space, which Cognito refuses in a link"),
                );
            }
        }
        if links.default.is_none() {
            c.warn(
                at(&format!("terms.{key}.links")),
                "no `default` link: users in a language without its own link see none",
            );
        }
    }
    let undeclared = terms
        .documents()
        .iter()
        .filter(|(_, d)| d.is_none())
        .count();
    if attached == 1 && undeclared == 1 {
        c.warn(
            at("terms"),
            "Cognito shows terms only when both documents (terms_of_use and privacy_policy) exist: declare the other one too, unless it exists live",
        );
    }
}

/// The names from before the `ALLOW_` flows: AWS still takes them, but not
/// mixed with the current ones.
fn check_legacy_flows(flows: &[ExplicitAuthFlow], at: &dyn Fn(&str) -> String, c: &mut Checks) {
    for (i, flow) in flows.iter().enumerate() {
        if let Some(current) = flow.current() {
            let diag = c.warn(
                format!("{}.{i}", at("explicit_auth_flows")),
                format!(
                    "`{}` is a legacy flow name; its current spelling is `{}` (`{}` in a spec)",
                    flow.api_name(),
                    current.api_name(),
                    current.spec_name()
                ),
            );
            diag.help = Some(
                "legacy names keep the client on Cognito's old rules (refresh tokens are always allowed); the current ones list every flow, `refresh_token` included".into(),
            );
        }
    }
    let legacy = flows.iter().any(|f| f.is_legacy());
    let current = flows.iter().any(|f| !f.is_legacy());
    if legacy && current {
        c.error(
            at("explicit_auth_flows"),
            "legacy flow names (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) cannot be mixed with the current ones: Cognito refuses the client; use the current spellings only",
        );
    }
}

/// What Cognito refuses in an analytics configuration: no project at all,
/// or a role or project that is not an ARN.
fn check_analytics(a: &AnalyticsConfiguration, at: &dyn Fn(&str) -> String, c: &mut Checks) {
    let key = |k: &str| at(&format!("analytics_configuration.{k}"));
    if a.application_id.is_none() && a.application_arn.is_none() {
        c.error(
            at("analytics_configuration"),
            "give the Pinpoint project: `application_arn`, or `application_id` with `role_arn` and `external_id`",
        );
    }
    for (name, value) in [
        ("application_arn", &a.application_arn),
        ("role_arn", &a.role_arn),
    ] {
        if let Some(value) = value {
            if !value.starts_with("arn:") || value.split(':').count() < 6 {
                c.error(key(name), format!("`{value}` is not an ARN (arn:aws:...)"));
            }
        }
    }
    if a.application_id.is_some() && a.application_arn.is_none() {
        for (name, value) in [("role_arn", &a.role_arn), ("external_id", &a.external_id)] {
            if value.is_none() {
                c.warn(
                    key(name),
                    format!("an `application_id` without `{name}`: Cognito cannot publish to the project unless it can assume a role (or give `application_arn` instead)"),
                );
            }
        }
    }
}

fn check_secret(client: &AppClient, at: &dyn Fn(&str) -> String, c: &mut Checks) {
    if !client.has_secret() {
        return;
    }
    if client.has_flow(OAuthFlow::Implicit) {
        // AWS accepts the pair; it is a foot-gun, not an impossibility.
        c.warn(
            at("generate_secret"),
            "a client with a secret should not use the implicit grant: implicit is for apps that cannot keep a secret (browsers); use `code`, or make the client public",
        );
    } else {
        c.warn(
            at("generate_secret"),
            "this client has a secret: only a server can keep one (never a browser or mobile app), and it can never be removed or added without replacing the client (a new client id for every app)",
        )
        .one_way_door = true;
    }
}

fn check_oauth(
    client: &AppClient,
    declared: &Declared<'_>,
    at: &dyn Fn(&str) -> String,
    c: &mut Checks,
) {
    let flows = client.allowed_oauth_flows.as_deref().unwrap_or_default();
    let scopes = client.allowed_oauth_scopes.as_deref().unwrap_or_default();
    let interactive = flows.contains(&OAuthFlow::Code) || flows.contains(&OAuthFlow::Implicit);
    let machine = flows.contains(&OAuthFlow::ClientCredentials);

    if flows.is_empty() {
        // AWS accepts and stores OAuth settings on a client without OAuth
        // flows; they take effect only once a flow is allowed.
        let oauth_settings = [
            ("allowed_oauth_scopes", !scopes.is_empty()),
            (
                "callback_urls",
                client.callback_urls.as_ref().is_some_and(|u| !u.is_empty()),
            ),
            (
                "logout_urls",
                client.logout_urls.as_ref().is_some_and(|u| !u.is_empty()),
            ),
            (
                "default_redirect_uri",
                client.default_redirect_uri.is_some(),
            ),
        ];
        for (key, set) in oauth_settings {
            if set {
                c.warn(
                    at(key),
                    format!("`{key}` is an OAuth setting: it has no effect until the client has `allowed_oauth_flows` (code, implicit or client_credentials)"),
                );
            }
        }
    } else if scopes.is_empty() {
        c.error(
            at("allowed_oauth_flows"),
            "OAuth flows need `allowed_oauth_scopes`: without a scope no token can be issued",
        );
    }

    if machine && interactive {
        c.error(
            at("allowed_oauth_flows"),
            "`client_credentials` cannot be combined with `code` or `implicit`: Cognito refuses it; use two clients",
        );
    }
    if machine && !client.has_secret() {
        c.error(
            at("allowed_oauth_flows"),
            "`client_credentials` needs a client secret: set `generate_secret: true`",
        );
    }
    if interactive && client.callback_urls.as_ref().is_none_or(Vec::is_empty) {
        c.error(
            at("callback_urls"),
            "the `code` and `implicit` flows need at least one callback URL",
        );
    }

    for (i, scope) in scopes.iter().enumerate() {
        let field = format!("{}.{i}", at("allowed_oauth_scopes"));
        let standard = STANDARD_SCOPES.contains(&scope.as_str());
        if standard {
            if machine {
                c.error(
                    field,
                    format!("`{scope}` is a user scope: the `client_credentials` flow only grants resource-server scopes"),
                );
            }
        } else if !declared.scopes.contains(scope) {
            // A live resource server the spec does not manage may hold it;
            // AWS refuses the client only if none does.
            let diag = c.warn(
                field,
                format!("`{scope}` is neither a standard scope ({}) nor a scope of a declared resource server: AWS refuses the client unless a live resource server has it", STANDARD_SCOPES.join(", ")),
            );
            diag.help = Some(match scope.split_once('/') {
                Some((server, name)) => format!(
                    "declare it: `resource_servers: {{ {server}: {{ scopes: {{ {name}: ... }} }} }}`"
                ),
                None => "resource-server scopes are written `<identifier>/<scope>`".into(),
            });
        }
    }
    let needs_openid = ["email", "phone", "profile"];
    if interactive
        && !scopes.iter().any(|s| s == "openid")
        && scopes.iter().any(|s| needs_openid.contains(&s.as_str()))
    {
        c.warn(
            at("allowed_oauth_scopes"),
            "`email`, `phone` and `profile` are only granted together with `openid`",
        );
    }

    for (i, provider) in client
        .supported_identity_providers
        .iter()
        .flatten()
        .enumerate()
    {
        if provider != COGNITO_PROVIDER && !declared.identity_providers.contains(provider.as_str())
        {
            // A live provider the spec does not manage may have this name;
            // AWS refuses the client only if none does.
            let diag = c.warn(
                format!("{}.{i}", at("supported_identity_providers")),
                format!("`{provider}` is neither `{COGNITO_PROVIDER}` (the pool's own users) nor an identity provider this spec declares: AWS refuses the client unless a live provider has this name"),
            );
            diag.help = Some(if provider.eq_ignore_ascii_case(COGNITO_PROVIDER) {
                format!("the pool's own users are `{COGNITO_PROVIDER}`, in capitals")
            } else {
                format!("declare it under `identity_providers: {{ {provider}: ... }}`")
            });
        }
    }
}

fn check_urls(client: &AppClient, at: &dyn Fn(&str) -> String, c: &mut Checks) {
    for key in ["callback_urls", "logout_urls"] {
        let urls = match key {
            "callback_urls" => &client.callback_urls,
            _ => &client.logout_urls,
        };
        let Some(urls) = urls else { continue };
        for (i, url) in urls.iter().enumerate() {
            if let Err(problem) = redirect_url(url) {
                c.error(format!("{}.{i}", at(key)), format!("`{url}` {problem}"));
            }
        }
    }
    if let Some(url) = &client.default_redirect_uri {
        if let Err(problem) = redirect_url(url) {
            c.error(at("default_redirect_uri"), format!("`{url}` {problem}"));
        } else if !client
            .callback_urls
            .as_ref()
            .is_some_and(|urls| urls.contains(url))
        {
            c.error(
                at("default_redirect_uri"),
                format!("`{url}` must also be one of the client's `callback_urls`"),
            );
        }
    }
}

/// Why Cognito would refuse `url` as a redirect target: it must be absolute,
/// have no fragment, and use https, except plain http to the local machine
/// (for development) and an app's own scheme (`myapp://callback`).
fn redirect_url(url: &str) -> Result<(), String> {
    if url.is_empty() || url.chars().count() > MAX_URL_CHARS {
        return Err(format!("must be 1-{MAX_URL_CHARS} characters"));
    }
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|s| {
            s.chars().next().is_some_and(|ch| ch.is_ascii_alphabetic())
                && s.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "+.-".contains(ch))
        })
        .ok_or("is not an absolute URL (like https://app.example.com/callback)")?;
    if url.contains('#') {
        return Err("has a fragment (`#...`), which OAuth redirects cannot carry".into());
    }
    if url.chars().any(char::is_whitespace) {
        return Err("contains white space".into());
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" => {
            let rest = &url[scheme.len()..];
            let authority = rest
                .strip_prefix("://")
                .unwrap_or_default()
                .split(['/', '?'])
                .next()
                .unwrap_or_default();
            let host = match authority.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or_default(),
                None => authority.split(':').next().unwrap_or_default(),
            };
            if ["localhost", "127.0.0.1", "::1"].contains(&host.to_ascii_lowercase().as_str()) {
                Ok(())
            } else {
                Err("must use https: Cognito allows plain http only to localhost, 127.0.0.1 and [::1]".into())
            }
        }
        _ => Ok(()),
    }
}

/// The ranges (and whole minutes) of the validities and the lists' lengths:
/// the clients' table states them row by row.
fn check_validities(client: &AppClient, at: &dyn Fn(&str) -> String, c: &mut Checks) {
    let value = serde_json::to_value(client).expect("the model serializes");
    super::pool::check_table(
        crate::model::resource_tables::CLIENT_SETTINGS,
        &value,
        at,
        c,
    );
}

fn check_attributes(
    name: &str,
    client: &AppClient,
    declared: &Declared<'_>,
    at: &dyn Fn(&str) -> String,
    c: &mut Checks,
) {
    for key in ["read_attributes", "write_attributes"] {
        let writing = key == "write_attributes";
        let list = if writing {
            &client.write_attributes
        } else {
            &client.read_attributes
        };
        for (i, attr) in list.iter().flatten().enumerate() {
            let field = format!("{}.{i}", at(key));
            let in_schema = declared.schema.and_then(|s| s.get(attr));
            if is_custom_attribute(attr) {
                match declared.schema {
                    Some(_) if in_schema.is_none() => {
                        c.error(
                            &field,
                            format!("custom attribute `{attr}` is not declared in `schema`"),
                        );
                    }
                    None => {
                        c.warn(
                            &field,
                            format!("`{attr}` cannot be checked: this spec declares no `schema`, so the attribute must already exist live"),
                        );
                    }
                    Some(_) => {}
                }
            } else if !STANDARD_ATTRIBUTES.contains(&attr.as_str()) {
                let diag = c.error(&field, format!("`{attr}` is not a standard attribute"));
                diag.help = Some(format!("custom attributes are named `custom:{attr}`"));
                continue;
            }
            if writing && attr == "sub" {
                c.error(
                    &field,
                    "`sub` is the user's permanent id: no client can write it",
                );
            } else if writing && in_schema.is_some_and(|a| a.mutable == Some(false)) {
                // AWS accepts it: an immutable attribute is written once,
                // when the user is created.
                c.warn(
                    &field,
                    format!("`{attr}` is immutable (`mutable: false` in `schema`): a client can set it only when a user signs up, never change it"),
                );
            }
        }
    }

    // Cognito writes mapped attributes through the client at every federated
    // sign-in, and fails the sign-in when the client may not write them.
    let Some(writable) = &client.write_attributes else {
        return;
    };
    if writable.is_empty() {
        return;
    }
    for provider in client.supported_identity_providers.iter().flatten() {
        for attr in declared.mapped.get(provider.as_str()).into_iter().flatten() {
            if !writable.iter().any(|w| w == attr) {
                c.warn(
                    at("write_attributes"),
                    format!("identity provider `{provider}` maps `{attr}`, which client `{name}` cannot write: federated sign-ins through it will fail"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::diag::Diagnostic;
    use crate::spec::{check, document, yaml};

    fn run(text: &str) -> Vec<Diagnostic> {
        let root = yaml::parse(&format!("name: shop\nregion: us-east-1\n{text}")).unwrap();
        let doc = document::read(root.as_mapping().unwrap()).unwrap();
        let mut checks = check::Checks::default();
        check::check(&doc, &mut checks);
        // Only what these checks say: other kinds check their own sections.
        checks
            .diagnostics
            .into_iter()
            .filter(|d| {
                d.field
                    .as_deref()
                    .is_some_and(|f| f.starts_with("clients."))
            })
            .collect()
    }

    /// (field, message) of every error.
    fn errors(text: &str) -> Vec<(String, String)> {
        run(text)
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(|d| (d.field.unwrap_or_default(), d.message))
            .collect()
    }

    fn warnings(text: &str) -> Vec<(String, String)> {
        run(text)
            .into_iter()
            .filter(|d| !d.is_error())
            .map(|d| (d.field.unwrap_or_default(), d.message))
            .collect()
    }

    fn fields(errs: &[(String, String)]) -> Vec<&str> {
        errs.iter().map(|(f, _)| f.as_str()).collect()
    }

    /// The issue's example: its clients, and what they name.
    const EXAMPLE: &str = r#"clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
    allowed_oauth_flows: [code]
    allowed_oauth_scopes: [openid, email, profile, shop-api/orders.read]
    callback_urls: [https://shop.example.com/callback]
    logout_urls: [https://shop.example.com/logout]
    supported_identity_providers: [COGNITO, Google]
    access_token_validity: 1h
    id_token_validity: 1h
    refresh_token_validity: 30d
    prevent_user_existence_errors: true
    enable_token_revocation: true
  mobile:
    explicit_auth_flows: [user_srp, refresh_token]
    refresh_token_validity: 90d
identity_providers:
  Google:
    type: google
    client_id: 1234567890-abc.apps.googleusercontent.com
    client_secret: not-a-real-secret
    authorize_scopes: [openid, email, profile]
    attribute_mapping: { email: email, name: name, picture: picture }
resource_servers:
  shop-api:
    name: Shop API
    scopes: { orders.read: Read orders, orders.write: Place orders }
"#;

    /// The lists' limits come from the clients' table.
    #[test]
    fn lists_have_cognitos_limits() {
        let urls: Vec<String> = (0..101)
            .map(|i| format!("'https://a.example.com/{i}'"))
            .collect();
        let scopes: Vec<String> = (0..51).map(|i| format!("api/s{i}")).collect();
        let text = format!(
            "clients: {{ a: {{ allowed_oauth_flows: [code], callback_urls: [{}], allowed_oauth_scopes: [{}] }} }}\n",
            urls.join(", "),
            scopes.join(", ")
        );
        let e = errors(&text);
        let limits: Vec<&(String, String)> =
            e.iter().filter(|(_, m)| m.contains("at most")).collect();
        assert_eq!(limits.len(), 2, "{e:?}");
        assert!(limits.iter().any(|(f, m)| f == "clients.a.callback_urls"
            && m.starts_with("101 URLs; Cognito accepts at most 100")));
        assert!(limits
            .iter()
            .any(|(f, m)| f == "clients.a.allowed_oauth_scopes"
                && m.starts_with("51 scopes; Cognito accepts at most 50")));
    }

    #[test]
    fn the_example_is_valid_and_quiet() {
        assert!(run(EXAMPLE).is_empty(), "{:?}", run(EXAMPLE));
    }

    #[test]
    fn undeclared_names_are_warnings() {
        // Without the identity provider and resource server it names: a
        // live one the spec does not manage may have them, so AWS may
        // accept the client.
        let bare = EXAMPLE.split("\nidentity_providers:").next().unwrap();
        assert!(errors(bare).is_empty(), "{:?}", errors(bare));
        let w = warnings(bare);
        assert_eq!(
            fields(&w),
            [
                "clients.web.allowed_oauth_scopes.3",
                "clients.web.supported_identity_providers.1"
            ],
            "{w:?}"
        );
        let w = warnings("clients: { a: { supported_identity_providers: [cognito] } }\n");
        assert_eq!(fields(&w), ["clients.a.supported_identity_providers.0"]);
        let d = run("clients: { a: { supported_identity_providers: [cognito] } }\n");
        assert!(d[0].help.as_deref().unwrap().contains("in capitals"));
    }

    #[test]
    fn a_secret_is_a_warning_also_with_implicit() {
        let w = warnings("clients: { api: { generate_secret: true } }\n");
        assert_eq!(fields(&w), ["clients.api.generate_secret"]);
        let d = run("clients: { api: { generate_secret: true } }\n");
        assert!(
            d[0].one_way_door,
            "plan speaks only when the door is walked through"
        );

        // AWS accepts a secret with the implicit grant.
        let spa = "clients: { spa: { generate_secret: true, allowed_oauth_flows: [implicit], allowed_oauth_scopes: [openid], callback_urls: ['https://a.example.com'] } }\n";
        assert!(errors(spa).is_empty(), "{:?}", errors(spa));
        let w = warnings(spa);
        assert_eq!(fields(&w), ["clients.spa.generate_secret"], "{w:?}");
        assert!(w[0].1.contains("implicit"));
        assert!(warnings("clients: { web: { generate_secret: false } }\n").is_empty());
    }

    #[test]
    fn oauth_rules() {
        let e = errors(
            "clients: { w: { allowed_oauth_flows: [code], allowed_oauth_scopes: [openid] } }\n",
        );
        assert_eq!(fields(&e), ["clients.w.callback_urls"]);

        let e = errors("clients: { w: { allowed_oauth_flows: [code], callback_urls: ['https://a.example.com'] } }\n");
        assert_eq!(fields(&e), ["clients.w.allowed_oauth_flows"]);

        // AWS stores OAuth settings on a client without OAuth flows.
        let stored = "clients: { w: { callback_urls: ['https://a.example.com'], logout_urls: ['https://a.example.com/bye'], default_redirect_uri: 'https://a.example.com', allowed_oauth_scopes: [openid] } }\n";
        assert!(errors(stored).is_empty(), "{:?}", errors(stored));
        assert_eq!(
            fields(&warnings(stored)),
            [
                "clients.w.allowed_oauth_scopes",
                "clients.w.callback_urls",
                "clients.w.logout_urls",
                "clients.w.default_redirect_uri"
            ]
        );

        let m2m = "resource_servers: { api: { scopes: { read: r } } }\nclients:\n  m:\n    generate_secret: true\n    allowed_oauth_flows: [client_credentials]\n    allowed_oauth_scopes: [api/read]\n";
        assert!(errors(m2m).is_empty(), "{:?}", errors(m2m));
        let e = errors(&m2m.replace("generate_secret: true", "generate_secret: false"));
        assert!(e[0].1.contains("needs a client secret"), "{e:?}");
        let e = errors(&m2m.replace("[api/read]", "[api/read, openid]"));
        assert_eq!(fields(&e), ["clients.m.allowed_oauth_scopes.1"]);
        let e = errors(&m2m.replace(
            "[client_credentials]",
            "[client_credentials, code]\n    callback_urls: ['https://a.example.com']",
        ));
        assert!(
            e.iter().any(|(_, m)| m.contains("cannot be combined")),
            "{e:?}"
        );

        let w = warnings("clients: { w: { allowed_oauth_flows: [code], allowed_oauth_scopes: [email], callback_urls: ['https://a.example.com'] } }\n");
        assert!(w[0].1.contains("openid"), "{w:?}");
    }

    #[test]
    fn redirect_urls() {
        for ok in [
            "https://shop.example.com/callback",
            "http://localhost:3000/cb",
            "http://127.0.0.1/cb",
            "http://[::1]:8080/",
            "myapp://callback",
            "com.example.app:/oauth2redirect",
        ] {
            assert_eq!(redirect_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "http://shop.example.com/callback",
            "http://localhost.evil.com/",
            "https://a.example.com/#x",
            "/callback",
            "",
            "https://a.example.com/ x",
        ] {
            assert!(redirect_url(bad).is_err(), "{bad}");
        }
        let e = errors("clients: { w: { allowed_oauth_flows: [code], allowed_oauth_scopes: [openid], callback_urls: ['https://a.example.com', 'http://b.example.com'], default_redirect_uri: 'https://c.example.com' } }\n");
        assert_eq!(
            fields(&e),
            [
                "clients.w.callback_urls.1",
                "clients.w.default_redirect_uri"
            ],
            "{e:?}"
        );
    }

    #[test]
    fn validity_ranges() {
        let e = errors("clients: { a: { access_token_validity: 4m, id_token_validity: 2d, refresh_token_validity: 30m, auth_session_validity: 90s } }\n");
        assert_eq!(
            fields(&e),
            [
                "clients.a.access_token_validity",
                "clients.a.id_token_validity",
                "clients.a.refresh_token_validity",
                "clients.a.auth_session_validity",
                "clients.a.auth_session_validity"
            ],
            "{e:?}"
        );
        assert!(e[0].1.contains("5m to 1d"), "{}", e[0].1);
        assert!(errors("clients: { a: { access_token_validity: 5m, id_token_validity: 1d, refresh_token_validity: 10y, auth_session_validity: 15m } }\n").is_empty());
        let e = errors("clients: { a: { refresh_token_rotation: { enabled: true, retry_grace_period: 2m }, explicit_auth_flows: [user_srp] } }\n");
        assert_eq!(
            fields(&e),
            ["clients.a.refresh_token_rotation.retry_grace_period"]
        );
    }

    #[test]
    fn rotation_excludes_the_refresh_token_flow() {
        let e = errors("clients: { a: { refresh_token_rotation: { enabled: true }, explicit_auth_flows: [user_srp, refresh_token] } }\n");
        assert_eq!(fields(&e), ["clients.a.explicit_auth_flows"]);
        let w = warnings("clients: { a: { refresh_token_rotation: { enabled: true } } }\n");
        assert_eq!(fields(&w), ["clients.a.refresh_token_rotation.enabled"]);
    }

    #[test]
    fn flows_and_tiers() {
        // AWS applies its default flows to an empty list.
        assert!(errors("clients: { a: { explicit_auth_flows: [] } }\n").is_empty());
        assert_eq!(
            fields(&warnings("clients: { a: { explicit_auth_flows: [] } }\n")),
            ["clients.a.explicit_auth_flows"]
        );
        assert_eq!(
            fields(&errors(
                "tier: lite\nclients: { a: { explicit_auth_flows: [user_auth] } }\n"
            )),
            ["clients.a.explicit_auth_flows"]
        );
        assert!(
            errors("tier: essentials\nclients: { a: { explicit_auth_flows: [user_auth] } }\n")
                .is_empty()
        );
        assert_eq!(
            fields(&errors(
                "clients: { a: { enable_propagate_additional_user_context_data: true } }\n"
            )),
            ["clients.a.enable_propagate_additional_user_context_data"]
        );
    }

    #[test]
    fn attributes_must_exist_and_be_writable() {
        let schema = "schema:\n  custom:tenant: { type: string, mutable: false }\n  custom:plan: { type: string }\n";
        let e = errors(&format!("{schema}clients:\n  a:\n    read_attributes: [email, custom:tenant, custom:nope, tenant]\n    write_attributes: [email, custom:plan, custom:tenant, sub]\n"));
        assert_eq!(
            fields(&e),
            [
                "clients.a.read_attributes.2",
                "clients.a.read_attributes.3",
                "clients.a.write_attributes.3"
            ],
            "{e:?}"
        );
        // An immutable attribute is written once, at sign-up: AWS accepts it.
        let w = warnings(&format!(
            "{schema}clients:\n  a:\n    write_attributes: [custom:tenant]\n"
        ));
        assert_eq!(fields(&w), ["clients.a.write_attributes.0"], "{w:?}");
        // Without a schema, custom attributes cannot be checked: a warning.
        let d = run("clients: { a: { read_attributes: [custom:x] } }\n");
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error() && d[0].message.contains("no `schema`"));
    }

    #[test]
    fn mapped_attributes_must_be_writable() {
        let text = EXAMPLE.replace(
            "    enable_token_revocation: true\n",
            "    enable_token_revocation: true\n    write_attributes: [email, name]\n",
        );
        let w = warnings(&text);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].1.contains("maps `picture`"), "{w:?}");
    }

    #[test]
    fn client_names() {
        assert_eq!(
            fields(&errors("clients: { 'bad/name': {} }\n")),
            ["clients.bad/name"]
        );
    }

    #[test]
    fn legacy_flow_names_are_accepted_with_their_current_spelling() {
        let text = "clients: { old: { explicit_auth_flows: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH] } }\n";
        assert!(errors(text).is_empty(), "{:?}", errors(text));
        let warned = warnings(text);
        assert_eq!(warned.len(), 3, "{warned:?}");
        assert_eq!(warned[0].0, "clients.old.explicit_auth_flows.0");
        assert!(
            warned[0].1.contains("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
            "{warned:?}"
        );
        assert!(warned[1].1.contains("ALLOW_CUSTOM_AUTH"), "{warned:?}");
        assert!(
            warned[2].1.contains("ALLOW_USER_PASSWORD_AUTH"),
            "{warned:?}"
        );

        // Mixed with the current names, AWS refuses the client.
        let errs = errors(
            "clients: { old: { explicit_auth_flows: [ADMIN_NO_SRP_AUTH, refresh_token] } }\n",
        );
        assert_eq!(
            fields(&errs),
            ["clients.old.explicit_auth_flows"],
            "{errs:?}"
        );
    }

    #[test]
    fn analytics_needs_a_project_and_arns() {
        let ok = "clients: { web: { analytics_configuration: { application_id: abc, role_arn: 'arn:aws:iam::123456789012:role/pinpoint', external_id: x } } }\n";
        assert!(errors(ok).is_empty(), "{:?}", errors(ok));
        assert!(warnings(ok).is_empty(), "{:?}", warnings(ok));
        let by_arn = "clients: { web: { analytics_configuration: { application_arn: 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/abc' } } }\n";
        assert!(errors(by_arn).is_empty() && warnings(by_arn).is_empty());
        assert!(errors("clients: { web: { analytics_configuration: false } }\n").is_empty());

        let errs =
            errors("clients: { web: { analytics_configuration: { user_data_shared: true } } }\n");
        assert_eq!(fields(&errs), ["clients.web.analytics_configuration"]);
        let errs = errors("clients: { web: { analytics_configuration: { application_id: abc, role_arn: pinpoint, external_id: x } } }\n");
        assert_eq!(
            fields(&errs),
            ["clients.web.analytics_configuration.role_arn"]
        );
        let warned =
            warnings("clients: { web: { analytics_configuration: { application_id: abc } } }\n");
        assert_eq!(warned.len(), 2, "{warned:?}");
    }

    #[test]
    fn terms_links_follow_cognito_s_rules() {
        let ok = "clients: { web: { terms: { terms_of_use: { links: { default: 'https://a.example.com/terms', french: 'https://a.example.com/fr/terms' } }, privacy_policy: { links: { default: 'https://a.example.com/privacy' } } } } }\n";
        assert!(errors(ok).is_empty(), "{:?}", errors(ok));
        assert!(warnings(ok).is_empty(), "{:?}", warnings(ok));
        let errs = errors("clients: { web: { terms: { terms_of_use: { links: { default: 'https://a/ b' } }, privacy_policy: false } } }\n");
        assert_eq!(
            fields(&errs),
            ["clients.web.terms.terms_of_use.links.default"]
        );
        let warned = warnings("clients: { web: { terms: { terms_of_use: { links: { english: 'https://a/t' } } } } }\n");
        assert_eq!(warned.len(), 2, "{warned:?}");
    }
}
