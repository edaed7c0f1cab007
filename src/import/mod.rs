//! `poolctl import`: a live pool, as read by `live::import`, turned into the
//! spec document that declares it, so that `plan` right after shows nothing
//! to change.
//!
//! The live models are the spec's own types and serialize to the spec's
//! form, so the document is mostly their serialization, rearranged:
//!
//! - `full` is everything poolctl manages, AWS's defaults included;
//! - `readable` leaves out what equals AWS's default (an unset trigger, a
//!   token validity of 1h, a standard schema attribute as AWS defines it),
//!   which is what gets written. Left out means not managed, which keeps the
//!   plan empty; `full` is there for the second environment of a file,
//!   whose base may declare what this one left out.
//!
//! Secrets never reach the document: identity provider client secrets and
//! Apple private keys become `${env:NAME}` placeholders, listed in the
//! header. Their live values are kept (as `Secret`) only so the command can
//! check the result against live state.

pub mod branding;
pub mod files;
pub mod merge;
pub mod render;
pub mod template;

use crate::live::import::{FoundAuthorizer, WholePool};
use crate::model::authorizer::{DEFAULT_IDENTITY_SOURCE, DEFAULT_RESULT_TTL};
use crate::model::client::AppClient;
use crate::model::enums::ProviderType;
use crate::model::identity_provider::{IdentityProvider, MetadataDocument};
use crate::model::lambda_permission::FunctionPolicy;
use crate::model::pool::{is_custom_attribute, CUSTOM_PREFIX};
use crate::model::triggers::{Slot, Triggers, Versioned, TRIGGER_NAMES};
use crate::model::{Duration, Secret};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;
use template::Templater;

/// How the document is written.
pub struct Options<'a> {
    pub environment: &'a str,
    pub region: &'a str,
    /// The spec file's stem (`shop` for `pools/shop.yaml`): names the
    /// secrets' environment variables and the SAML metadata files.
    pub stem: &'a str,
    /// Pin the live pool by id in the environment's block.
    pub pin_pool_id: bool,
    pub profile: Option<&'a str>,
}

/// An environment variable the document reads a secret from.
#[derive(Debug, Clone)]
pub struct SecretVar {
    pub name: String,
    /// The key path it fills, e.g. `identity_providers.Google.client_secret`.
    pub path: String,
    /// The live value, when AWS returns it (an Apple private key it never
    /// does). Used to check the document, never written or shown.
    pub live: Option<Secret>,
}

/// A SAML metadata document the spec refers to by path.
#[derive(Debug, Clone)]
pub struct MetadataFile {
    /// The file's name in this environment, next to the spec file.
    pub file_name: String,
    pub content: String,
}

/// One environment of a live pool as a spec document.
#[derive(Debug, Clone)]
pub struct Imported {
    pub environment: String,
    pub pool_name: String,
    pub pool_id: String,
    pub region: String,
    /// `region`, and `pool_id` and `profile` when given: the environment's
    /// own block.
    pub env: Mapping,
    /// The pool's name, settings and resources as written.
    pub readable: Mapping,
    /// The same with AWS's defaults spelt out.
    pub full: Mapping,
    pub secrets: Vec<SecretVar>,
    pub metadata_files: Vec<MetadataFile>,
    /// The hosted UI branding files the spec names.
    pub branding_files: Vec<branding::BrandingFile>,
    /// What the document cannot say, or what a plan will still show.
    pub notes: Vec<String>,
}

/// What is left out of `readable` because it is AWS's default: key path
/// (`*` is any key) and the default, as the spec writes it. The pool's own
/// settings, a client's, the domain's and a provider's have theirs in their
/// rows (`model::pool_table`, `model::resource_tables`); the authorizer's
/// cache TTL is added by `model_defaults`.
const DEFAULTS: &[(&str, &str)] = &[
    ("triggers.*", "false"),
    // A kind the pool has none of: written, it would manage that there are
    // none (a second environment's block says so for what the base lists).
    ("identity_providers", "{}"),
    ("resource_servers", "{}"),
    ("groups", "{}"),
    ("clients", "{}"),
    ("replicas", "{}"),
    // What a new replica becomes once Cognito has created it.
    ("replicas.*.status", "active"),
    ("resource_servers.*.scopes", "{}"),
    ("groups.*.description", "''"),
    // A client whose only flows are legacy ones poolctl does not model (the
    // reader makes AWS's "none" the default flows). Left out, they survive
    // an update; the notes say so.
    ("clients.*.explicit_auth_flows", "[]"),
    // No analytics (or a field of it the project does not use) is absent.
    ("clients.*.analytics_configuration", "null"),
    ("clients.*.analytics_configuration.*", "null"),
    // A language without a link, and a document the client lacks.
    ("clients.*.terms.*.links.*", "null"),
    ("clients.*.terms.*", "null"),
    (
        "clients.*.analytics_configuration.user_data_shared",
        "false",
    ),
    // A declared `log_delivery` carries its absent sources and destinations
    // as nulls (so the diff reads them as removals); written, they say nothing.
    ("log_delivery.*", "null"),
    ("log_delivery.*.*", "null"),
    ("authorizer.identity_source", DEFAULT_IDENTITY_SOURCE),
    ("authorizer.protect", "[]"),
];

/// The defaults the model defines, in the spec's form: the authorizer's
/// cache TTL.
fn model_defaults() -> Vec<(String, Value)> {
    vec![(
        "authorizer.result_ttl".to_string(),
        to_value(&DEFAULT_RESULT_TTL),
    )]
}

/// The resource kinds' rows with AWS's defaults, under their spec path
/// (`clients.*.callback_urls`).
fn table_defaults() -> impl Iterator<Item = (String, &'static str)> {
    use crate::model::pool_table::import_defaults_in;
    let pool = import_defaults_in(crate::model::pool_table::POOL_SETTINGS)
        .map(|(path, default)| (path.to_string(), default));
    let resources = crate::model::resource_tables::TABLES
        .iter()
        .flat_map(|(under, table)| {
            import_defaults_in(table)
                .map(move |(path, default)| (format!("{under}.{path}"), default))
        });
    // A client's own threat protection is the pool's settings again, with
    // the same defaults: the pool's rows speak for it.
    let client_threat = import_defaults_in(crate::model::pool_table::POOL_SETTINGS)
        .filter(|(path, _)| path.starts_with("threat_protection."))
        .map(|(path, default)| (format!("clients.*.{path}"), default));
    pool.chain(resources).chain(client_threat)
}

/// Sections below the top level of a table (`clients.*.x.y`) that go when
/// leaving defaults out empties them; the top-level ones are the tables'.
const SECTIONS: &[&str] = &[
    "threat_protection.ip_address_exceptions",
    "clients.*.threat_protection.ip_address_exceptions",
    "clients.*.terms",
];

/// Sections that go when leaving defaults out empties them (a named
/// resource's own mapping stays, even empty: it still declares it): the
/// top-level rows of each kind's table, and `SECTIONS`.
fn sections() -> impl Iterator<Item = String> {
    let pool = crate::model::pool_table::sections().map(str::to_string);
    let resources = crate::model::resource_tables::TABLES
        .iter()
        .flat_map(|(under, table)| {
            table
                .iter()
                .filter(|r| !r.path.contains('.'))
                .map(move |r| format!("{under}.{}", r.path))
        });
    pool.chain(resources)
        .chain(SECTIONS.iter().map(|s| s.to_string()))
}

pub fn from_live(whole: &WholePool, o: &Options) -> Imported {
    let t = Templater {
        environment: o.environment,
        region: o.region,
    };
    let pool = whole.pool();
    let state = &whole.state;
    let mut notes = Vec::new();
    // Values that must not be escaped by the walk below, put in after it.
    let mut finals: Vec<(Vec<String>, Value)> = Vec::new();

    let mut full = Mapping::new();
    let name = pool.settings.name.clone().unwrap_or_default();
    full.insert("name".into(), Value::String(name.clone()));
    finals.push((path(&["name"]), Value::String(t.with_env(&name))));

    let mut settings = pool.settings.clone();
    settings.name = None;
    settings.triggers = None;
    // Not even in `full`: an empty list still counts as declared, and a
    // spec may declare only one of the two.
    settings.username_attributes = settings.username_attributes.filter(|l| !l.is_empty());
    settings.alias_attributes = settings.alias_attributes.filter(|l| !l.is_empty());
    if let Some(schema) = &mut settings.schema {
        schema.retain(|name, _| {
            let ours = !name.contains(':') || name.starts_with(CUSTOM_PREFIX);
            if !ours {
                notes.push(format!(
                    "schema attribute `{name}` is left out: poolctl does not manage developer-only attributes by that name"
                ));
            }
            ours
        });
    }
    // Tags often name the environment (`env: dev`).
    for (key, value) in settings.tags.iter().flatten() {
        finals.push((path(&["tags", key]), Value::String(t.with_env(value))));
    }
    let settings_value = to_mapping(&settings);
    for (key, value) in settings_value {
        full.insert(key, value);
    }
    if let Some(Value::Mapping(schema)) = full.get_mut("schema") {
        // Standard attributes first, then custom ones, each sorted.
        let mut entries: Vec<(Value, Value)> = std::mem::take(schema).into_iter().collect();
        entries.sort_by_key(|(k, _)| {
            let k = k.as_str().unwrap_or_default().to_string();
            (is_custom_attribute(&k), k)
        });
        schema.extend(entries);
    }
    if let Some(triggers) = &pool.settings.triggers {
        full.insert("triggers".into(), Value::Mapping(triggers_full(triggers)));
        note_permissions(triggers, &pool.arn, &state.function_policies, &mut notes);
    }

    let mut secrets = Vec::new();
    let mut metadata_files = Vec::new();
    // Every kind is in `full`, empty or not: what the import read, it manages.
    {
        let mut providers = Mapping::new();
        for (name, live) in &state.identity_providers {
            let (value, more_finals) = provider(
                name,
                &live.model,
                o,
                &mut secrets,
                &mut metadata_files,
                &mut notes,
            );
            finals.extend(more_finals);
            providers.insert(name.clone().into(), value);
        }
        full.insert("identity_providers".into(), Value::Mapping(providers));
    }
    full.insert("resource_servers".into(), to_value(&state.resource_servers));
    full.insert("groups".into(), to_value(&state.groups));
    let replicas: BTreeMap<&String, &crate::model::replica::Replica> =
        state.replicas.iter().map(|(r, l)| (r, &l.model)).collect();
    full.insert("replicas".into(), to_value(&replicas));
    if let Some(domain) = &state.domain {
        full.insert("domain".into(), to_value(&domain.settings));
        for (key, name) in [
            ("prefix", &domain.settings.prefix),
            ("custom", &domain.settings.custom),
        ] {
            if let Some(name) = name {
                finals.push((path(&["domain", key]), Value::String(t.with_env(name))));
            }
        }
        // A certificate is always in us-east-1, whatever the pool's region.
        if let Some(arn) = &domain.settings.certificate_arn {
            finals.push((
                path(&["domain", "certificate_arn"]),
                Value::String(t.with_env(arn)),
            ));
        }
        if let Some(other) = &domain.other {
            notes.push(format!(
                "the pool also has the domain `{other}`; a spec declares one domain, and poolctl leaves that one alone"
            ));
        }
    }
    let clients: BTreeMap<String, AppClient> = state.clients.models();
    full.insert("clients".into(), to_value(&clients));
    for (name, client) in &state.clients.by_name {
        let legacy: Vec<&str> = client
            .raw
            .explicit_auth_flows
            .iter()
            .flatten()
            .map(|f| f.as_str())
            .filter(|f| crate::model::enums::ExplicitAuthFlow::from_api(f).is_none())
            .collect();
        if !legacy.is_empty() {
            notes.push(format!(
                "client `{name}` allows auth flows poolctl does not know ({}); an apply of its `explicit_auth_flows` replaces them",
                legacy.join(", ")
            ));
        }
    }
    for (name, shared) in &state.clients.shared_names {
        notes.push(format!(
            "{} live clients are named `{name}` ({}); a spec names clients by name, so none of them is imported: rename all but one and import again",
            shared.len(),
            shared.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(found) = &whole.authorizer {
        let (value, more_finals) = authorizer(found, &pool.arn, &t, &mut notes);
        full.insert("authorizer".into(), value);
        finals.extend(more_finals);
    }
    if !whole.identity_pools.is_empty() {
        let own = crate::model::identity_pool::user_pool_provider_name(o.region, &pool.id);
        let mut pools = Mapping::new();
        for live in &whole.identity_pools {
            let key = identity_pool_key(&t.with_env(&live.name), &live.name);
            let spec = identity_pool(live, &own, state, &mut notes);
            finals.push((
                path(&["identity_pools", &key, "name"]),
                Value::String(t.with_env(&live.name)),
            ));
            pools.insert(key.into(), to_value(&spec));
        }
        full.insert("identity_pools".into(), Value::Mapping(pools));
    }

    let mut branding_files = Vec::new();
    finals.extend(branding::finals(
        &state.branding,
        o.stem,
        o.environment,
        &mut branding_files,
    ));

    let mut full_value = Value::Mapping(order(full));
    template_strings(&mut full_value, &t);
    for (at, value) in finals {
        set_path(&mut full_value, &at, value);
    }
    let Value::Mapping(full) = full_value else {
        unreachable!("a mapping stays a mapping")
    };
    let readable = readable_of(&full);

    let mut env = Mapping::new();
    env.insert("region".into(), Value::String(o.region.to_string()));
    if let Some(profile) = o.profile {
        env.insert("profile".into(), Value::String(Templater::literal(profile)));
    }
    if o.pin_pool_id {
        env.insert("pool_id".into(), Value::String(pool.id.clone()));
    }
    Imported {
        environment: o.environment.to_string(),
        pool_name: name,
        pool_id: pool.id.clone(),
        region: o.region.to_string(),
        env,
        readable,
        full,
        secrets,
        metadata_files,
        branding_files,
        notes,
    }
}

impl Imported {
    /// A new spec file holding this environment alone.
    pub fn new_file(&self) -> anyhow::Result<String> {
        let mut top = Mapping::new();
        let mut readable = self.readable.clone();
        if let Some(name) = readable.shift_remove("name") {
            top.insert("name".into(), name);
        }
        let mut envs = Mapping::new();
        envs.insert(
            self.environment.clone().into(),
            Value::Mapping(self.env.clone()),
        );
        top.insert("environments".into(), Value::Mapping(envs));
        top.extend(readable);
        render::document(&self.header(), &top)
    }

    /// The new file's opening comment: where it came from and what it needs.
    pub fn header(&self) -> Vec<String> {
        let modeline = crate::spec::schema::modeline();
        let mut lines = vec![
            modeline.trim_start_matches("# ").to_string(),
            format!(
                "Imported by `poolctl import` from user pool {} ({}) in {}, as environment `{}`.",
                self.pool_name, self.pool_id, self.region, self.environment
            ),
        ];
        lines.push(
            "Settings equal to AWS's defaults are left out, and so are not managed.".to_string(),
        );
        lines.extend(self.secret_lines());
        lines
    }

    /// The comment above an environment added to an existing file.
    pub fn environment_comment(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "{}: imported by `poolctl import` from user pool {} ({}) in {}.",
            self.environment, self.pool_name, self.pool_id, self.region
        )];
        lines.extend(self.secret_lines());
        lines
    }

    fn secret_lines(&self) -> Vec<String> {
        if self.secrets.is_empty() {
            return Vec::new();
        }
        let mut lines = vec![
            String::new(),
            "Secrets are not in this file. Set these environment variables first:".to_string(),
        ];
        let width = self.secrets.iter().map(|s| s.name.len()).max().unwrap_or(0);
        for s in &self.secrets {
            lines.push(format!("  {:width$}  {}", s.name, s.path));
        }
        lines
    }

    /// This environment's whole document: its own keys, then the rest.
    pub fn readable_with_env(&self) -> Mapping {
        let mut m = self.env.clone();
        m.extend(self.readable.clone());
        m
    }

    pub fn full_with_env(&self) -> Mapping {
        let mut m = self.env.clone();
        m.extend(self.full.clone());
        m
    }
}

/// The file name a spec's name suggests: `shop-${env}` -> `shop`.
pub fn stem_of(templated_name: &str, live_name: &str) -> String {
    let sanitize = |s: &str| -> String {
        let mut out = String::new();
        for c in s.chars() {
            let c = if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                c
            } else {
                '-'
            };
            let separator = matches!(c, '-' | '_' | '.');
            if separator && out.ends_with(['-', '_', '.']) {
                continue;
            }
            out.push(c);
        }
        out.trim_matches(['-', '_', '.']).to_string()
    };
    let stem = sanitize(&templated_name.replace("${env}", ""));
    if stem.is_empty() {
        sanitize(live_name)
    } else {
        stem
    }
}

/// `POOLCTL_SHOP_DEV_GOOGLE_CLIENT_SECRET`.
pub fn secret_var(stem: &str, environment: &str, provider: &str, key: &str) -> String {
    let raw = format!("POOLCTL_{stem}_{environment}_{provider}_{key}");
    let mut out = String::new();
    for c in raw.chars() {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_uppercase()
        } else {
            '_'
        };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    out
}

/// poolctl's handle for an imported identity pool: its name without the
/// environment (`shop_${env}` -> `shop`).
fn identity_pool_key(templated: &str, name: &str) -> String {
    let key: String = templated
        .replace("${env}", "")
        .chars()
        .map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                ch
            } else {
                '_'
            }
        })
        .collect();
    let key = key.trim_matches(|ch| ch == '_' || ch == '-').to_string();
    if key.is_empty() {
        name.to_string()
    } else {
        key
    }
}

/// A live identity pool in the spec's terms: this pool's clients by name.
fn identity_pool(
    live: &crate::live::identity_pool::LiveIdentityPool,
    own_provider: &str,
    state: &crate::live::LiveState,
    notes: &mut Vec<String>,
) -> crate::model::identity_pool::IdentityPool {
    use crate::model::identity_pool::{mapping_key, CognitoProvider, IdentityPool, Roles};
    let own_name = |id: &str| {
        state
            .clients
            .by_name
            .iter()
            .find(|(_, c)| c.id == id)
            .map(|(name, _)| name.clone())
    };
    let mut providers = Vec::new();
    let mut by_key = BTreeMap::new();
    for p in &live.cognito_providers {
        let check = Some(p.server_side_token_check);
        match own_name(&p.client_id).filter(|_| p.provider_name == own_provider) {
            Some(name) => {
                by_key.insert(mapping_key(own_provider, &p.client_id), name.clone());
                providers.push(CognitoProvider {
                    client: Some(name),
                    server_side_token_check: check,
                    ..CognitoProvider::default()
                });
            }
            None => providers.push(CognitoProvider {
                client_id: Some(p.client_id.clone()),
                provider_name: Some(p.provider_name.clone()),
                server_side_token_check: check,
                ..CognitoProvider::default()
            }),
        }
    }
    let role = |k: &str| live.roles.get(k).cloned();
    let some_list = |l: &Vec<String>| (!l.is_empty()).then(|| l.clone());
    let some_map = |m: &BTreeMap<String, String>| (!m.is_empty()).then(|| m.clone());
    notes.push(format!(
        "identity pool `{}`: principal tags are not imported (declare `principal_tags` to manage them)",
        live.name
    ));
    IdentityPool {
        name: Some(live.name.clone()),
        identity_pool_id: None,
        allow_unauthenticated: Some(live.allow_unauthenticated),
        allow_classic_flow: Some(live.allow_classic_flow),
        cognito_providers: Some(providers),
        supported_login_providers: some_map(&live.supported_login_providers),
        openid_connect_provider_arns: some_list(&live.openid_connect_provider_arns),
        saml_provider_arns: some_list(&live.saml_provider_arns),
        developer_provider_name: live.developer_provider_name.clone(),
        roles: (!live.roles.is_empty()).then(|| Roles {
            authenticated: role("authenticated"),
            unauthenticated: role("unauthenticated"),
        }),
        role_mappings: (!live.role_mappings.is_empty()).then(|| {
            live.role_mappings
                .iter()
                .map(|(k, m)| {
                    (
                        by_key.get(k).cloned().unwrap_or_else(|| k.clone()),
                        m.clone(),
                    )
                })
                .collect()
        }),
        principal_tags: None,
        tags: some_map(&live.tags),
    }
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|p| p.to_string()).collect()
}

fn to_value<T: serde::Serialize>(model: &T) -> Value {
    serde_yaml::to_value(model).expect("models serialize")
}

fn to_mapping<T: serde::Serialize>(model: &T) -> Mapping {
    match to_value(model) {
        Value::Mapping(m) => m,
        _ => Mapping::new(),
    }
}

/// Every trigger slot: the function, or `false`. Versioned triggers at
/// their first version are written as the plain ARN, as a person would.
fn triggers_full(triggers: &Triggers) -> Mapping {
    fn versioned<V: serde::Serialize + PartialEq + crate::model::triggers::FirstVersion>(
        slot: &Option<Slot<Versioned<V>>>,
    ) -> Value {
        match slot.as_ref().and_then(Slot::attached) {
            Some(v) if v.lambda_version == V::first() => Value::String(v.lambda_arn.clone()),
            Some(v) => to_value(v),
            None => Value::Bool(false),
        }
    }
    let mut out = Mapping::new();
    for name in TRIGGER_NAMES {
        let value = match name {
            "pre_token_generation" => versioned(&triggers.pre_token_generation),
            "custom_sms_sender" => versioned(&triggers.custom_sms_sender),
            "custom_email_sender" => versioned(&triggers.custom_email_sender),
            "inbound_federation" => versioned(&triggers.inbound_federation),
            _ => match triggers.function(name) {
                Some(arn) => Value::String(arn.to_string()),
                None => Value::Bool(false),
            },
        };
        out.insert(name.into(), value);
    }
    if let Some(key) = &triggers.kms_key_id {
        out.insert("kms_key_id".into(), Value::String(key.clone()));
    }
    out
}

/// What a plan will still show about the triggers' Lambda permissions.
fn note_permissions(
    triggers: &Triggers,
    pool_arn: &str,
    policies: &BTreeMap<String, FunctionPolicy>,
    notes: &mut Vec<String>,
) {
    for (trigger, function) in triggers.declared() {
        let Some(function) = function else { continue };
        match policies.get(function) {
            Some(FunctionPolicy::Missing) => notes.push(format!(
                "trigger `{trigger}`: function {function} does not exist; plan blocks until it does"
            )),
            Some(FunctionPolicy::Statements(statements))
                if !statements.iter().any(|s| s.grants(pool_arn)) =>
            {
                notes.push(format!(
                    "trigger `{trigger}`: function {function} does not let Cognito invoke it for this pool; plan proposes the permission"
                ))
            }
            _ => {}
        }
    }
}

/// One identity provider, secrets as placeholders, SAML metadata from a
/// file next to the spec unless it comes from a URL.
fn provider(
    name: &str,
    model: &IdentityProvider,
    o: &Options,
    secrets: &mut Vec<SecretVar>,
    metadata_files: &mut Vec<MetadataFile>,
    notes: &mut Vec<String>,
) -> (Value, Vec<(Vec<String>, Value)>) {
    let mut model = model.clone();
    let mut finals = Vec::new();
    let base = ["identity_providers", name];
    let mut placeholder = |key: &str, live: Option<Secret>, finals: &mut Vec<_>| {
        let var = secret_var(o.stem, o.environment, name, key);
        finals.push((
            path(&[base[0], base[1], key]),
            Value::String(format!("${{env:{var}}}")),
        ));
        secrets.push(SecretVar {
            name: var,
            path: format!("identity_providers.{name}.{key}"),
            live,
        });
    };
    if let Some(secret) = model.client_secret.take() {
        placeholder("client_secret", Some(secret.clone()), &mut finals);
        // Keeps the key's place; its value is replaced.
        model.client_secret = Some(Secret::new(""));
    }
    if model.provider_type == Some(ProviderType::Apple) {
        placeholder("private_key", model.private_key.take(), &mut finals);
        model.private_key = Some(Secret::new(""));
        notes.push(format!(
            "identity provider `{name}`: AWS never returns an Apple private key; the variable must hold the key you gave Cognito"
        ));
    }
    if model.metadata_url.is_some() {
        // The document AWS fetched from the URL is not the provider's own.
        model.metadata_file = None;
    } else if let Some(content) = model.metadata_file.as_ref().and_then(|m| m.content.clone()) {
        let file = |env: &str| {
            format!(
                "{}-{}-{env}-metadata.xml",
                o.stem,
                name.chars()
                    .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '-'
                    })
                    .collect::<String>()
            )
        };
        metadata_files.push(MetadataFile {
            file_name: file(o.environment),
            content,
        });
        model.metadata_file = Some(MetadataDocument::default());
        finals.push((
            path(&[base[0], base[1], "metadata_file"]),
            Value::String(file("${env}")),
        ));
    }
    (to_value(&model), finals)
}

fn authorizer(
    found: &FoundAuthorizer,
    pool_arn: &str,
    t: &Templater,
    notes: &mut Vec<String>,
) -> (Value, Vec<(Vec<String>, Value)>) {
    let a = &found.authorizer;
    let mut m = Mapping::new();
    let api = if found.api_name_unique {
        t.with_env(&found.api.name)
    } else {
        Templater::literal(&found.api.id)
    };
    m.insert("rest_api".into(), Value::String(String::new()));
    m.insert("name".into(), Value::String(String::new()));
    m.insert(
        "identity_source".into(),
        Value::String(
            a.identity_source
                .clone()
                .unwrap_or_else(|| DEFAULT_IDENTITY_SOURCE.to_string()),
        ),
    );
    m.insert(
        "result_ttl".into(),
        to_value(&a.result_ttl.map(Duration).unwrap_or(DEFAULT_RESULT_TTL)),
    );
    let protect: Vec<Value> = found
        .methods
        .iter()
        .map(|(route, method)| {
            if method.scopes.is_empty() {
                Value::String(route.to_string())
            } else {
                let mut entry = Mapping::new();
                entry.insert("route".into(), Value::String(route.to_string()));
                entry.insert("authorization_scopes".into(), to_value(&method.scopes));
                Value::Mapping(entry)
            }
        })
        .collect();
    m.insert("protect".into(), Value::Sequence(protect));
    if a.provider_arns.iter().any(|arn| arn != pool_arn) {
        notes.push(format!(
            "authorizer `{}` also trusts other pools ({}); poolctl's authorizer trusts this pool alone, so plan proposes removing them",
            a.name,
            a.provider_arns
                .iter()
                .filter(|arn| *arn != pool_arn)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for other in &found.others {
        notes.push(format!(
            "authorizer `{other}` on REST API {} also points at this pool; it is left out (plan lists it as unmanaged)",
            found.api
        ));
    }
    notes.push(format!(
        "authorizer `{}`: add `stage:` to have apply deploy a stage of REST API {} after a change (no stage is imported)",
        a.name, found.api
    ));
    let finals = vec![
        (path(&["authorizer", "rest_api"]), Value::String(api)),
        (
            path(&["authorizer", "name"]),
            Value::String(t.with_env(&a.name)),
        ),
    ];
    (Value::Mapping(m), finals)
}

/// Keys in the order a spec conventionally writes them (settings, then
/// resources), anything else after.
fn order(mut m: Mapping) -> Mapping {
    use crate::spec::document::{RESOURCE_KEYS, SETTINGS_KEYS};
    let mut out = Mapping::new();
    for key in SETTINGS_KEYS.iter().chain(RESOURCE_KEYS) {
        if let Some(v) = m.shift_remove(*key) {
            out.insert((*key).into(), v);
        }
    }
    out.extend(m);
    out
}

/// Every string value (not key) templated: ARNs and URLs, escapes.
fn template_strings(value: &mut Value, t: &Templater) {
    match value {
        Value::String(s) => *s = t.value(s),
        Value::Mapping(m) => m.values_mut().for_each(|v| template_strings(v, t)),
        Value::Sequence(items) => items.iter_mut().for_each(|v| template_strings(v, t)),
        _ => {}
    }
}

/// Sets the value at `at`, keeping the key's place when it exists.
fn set_path(value: &mut Value, at: &[String], new: Value) {
    let Some((last, parents)) = at.split_last() else {
        return;
    };
    let mut node = value;
    for key in parents {
        let Some(next) = node.get_mut(key.as_str()) else {
            return;
        };
        node = next;
    }
    if let Value::Mapping(m) = node {
        m.insert(last.clone().into(), new);
    }
}

/// `full` without AWS's defaults.
fn readable_of(full: &Mapping) -> Mapping {
    let mut value = Value::Mapping(full.clone());
    let written = table_defaults()
        .chain(DEFAULTS.iter().map(|(p, d)| (p.to_string(), *d)))
        .map(|(pattern, default)| {
            let default: Value = serde_yaml::from_str(default).expect("defaults are YAML");
            (pattern, default)
        });
    for (pattern, default) in written.chain(model_defaults()) {
        let parts: Vec<&str> = pattern.split('.').collect();
        remove_where(&mut value, &parts, &|v| render::same_text(v, &default));
    }
    if let Some(Value::Mapping(schema)) = value.get_mut("schema") {
        schema.retain(|name, attr| {
            let name = name.as_str().unwrap_or_default();
            if name == "sub" {
                return false;
            }
            if let Value::Mapping(attr) = attr {
                let standard = !is_custom_attribute(name);
                attr.retain(|k, v| {
                    let text = render::scalar_text(v).unwrap_or_default();
                    match k.as_str().unwrap_or_default() {
                        "type" => !standard,
                        "required" | "developer_only" => text != "false",
                        "mutable" => !(standard && text == "true"),
                        // AWS's own: 10 characters for a birthdate (YYYY-MM-DD),
                        // 0 to 2048 for every other standard string.
                        "min_length" => !(standard && text == standard_min_length(name)),
                        "max_length" => !(standard && text == standard_max_length(name)),
                        "min_value" => !(standard && text == "0"),
                        _ => true,
                    }
                });
                return !(standard && attr.is_empty());
            }
            true
        });
    }
    // A domain that is just a prefix is written as one.
    if let Some(domain) = value.get_mut("domain") {
        let prefix_only = domain
            .as_mapping()
            .is_some_and(|m| m.len() == 1 && m.contains_key("prefix"));
        if prefix_only {
            *domain = domain["prefix"].clone();
        }
    }
    for section in sections() {
        let parts: Vec<&str> = section.split('.').collect();
        remove_where(&mut value, &parts, &|v| {
            v.as_mapping().is_some_and(Mapping::is_empty)
        });
    }
    match value {
        Value::Mapping(m) => m,
        _ => unreachable!("a mapping stays a mapping"),
    }
}

fn standard_min_length(name: &str) -> &'static str {
    if name == "birthdate" {
        "10"
    } else {
        "0"
    }
}

fn standard_max_length(name: &str) -> &'static str {
    if name == "birthdate" {
        "10"
    } else {
        "2048"
    }
}

/// Removes the keys at `pattern` (`*` matches any key) whose value `drop`
/// says to.
fn remove_where(value: &mut Value, pattern: &[&str], drop: &dyn Fn(&Value) -> bool) {
    let Some((first, rest)) = pattern.split_first() else {
        return;
    };
    let Value::Mapping(m) = value else { return };
    if rest.is_empty() {
        m.retain(|k, v| !((*first == "*" || k.as_str() == Some(first)) && drop(v)));
        return;
    }
    for (k, v) in m.iter_mut() {
        if *first == "*" || k.as_str() == Some(first) {
            remove_where(v, rest, drop);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stems_and_variables() {
        assert_eq!(stem_of("shop-${env}", "shop-dev"), "shop");
        assert_eq!(stem_of("${env}-shop-users", "dev-shop-users"), "shop-users");
        assert_eq!(stem_of("${env}", "dev"), "dev");
        assert_eq!(stem_of("Shop Pool", "Shop Pool"), "Shop-Pool");
        assert_eq!(
            secret_var("shop", "dev", "Google", "client_secret"),
            "POOLCTL_SHOP_DEV_GOOGLE_CLIENT_SECRET"
        );
        assert_eq!(
            secret_var("shop-users", "prod-eu", "Corp_SSO", "client_secret"),
            "POOLCTL_SHOP_USERS_PROD_EU_CORP_SSO_CLIENT_SECRET"
        );
    }

    #[test]
    fn defaults_go_and_sections_they_empty_go_with_them() {
        let full: Mapping = serde_yaml::from_str(
            "name: x
password_policy: { minimum_length: 8, password_history_size: 0 }
device_configuration: { challenge_required_on_new_device: false, device_only_remembered_on_user_prompt: false }
triggers: { pre_sign_up: arn:a, custom_message: false }
schema:
  sub: { type: string, required: true, mutable: false, min_length: 1, max_length: 2048 }
  email: { type: string, required: true, mutable: true, developer_only: false, min_length: 0, max_length: 2048 }
  name: { type: string, required: false, mutable: true, min_length: 0, max_length: 2048 }
  birthdate: { type: string, required: false, mutable: true, min_length: 10, max_length: 10 }
  custom:plan: { type: string, required: false, mutable: true, developer_only: false, max_length: 32 }
groups: { admins: {} }
domain: { prefix: 'shop-${env}', managed_login_version: 1 }
clients:
  web: { generate_secret: false, explicit_auth_flows: [user_srp], access_token_validity: 1h, refresh_token_rotation: { enabled: false, retry_grace_period: 0s } }
",
        )
        .unwrap();
        let readable = readable_of(&full);
        let expected: Mapping = serde_yaml::from_str(
            "name: x
password_policy: { minimum_length: 8 }
triggers: { pre_sign_up: arn:a }
schema:
  email: { required: true }
  custom:plan: { type: string, mutable: true, max_length: 32 }
groups: { admins: {} }
domain: shop-${env}
clients:
  web: { explicit_auth_flows: [user_srp] }
",
        )
        .unwrap();
        assert_eq!(readable, expected);
    }

    /// A client AWS reports nothing but its name for is all AWS's defaults,
    /// as the reader normalizes them: it is written as an empty mapping.
    #[test]
    fn a_client_of_aws_defaults_only_writes_nothing() {
        use aws_sdk_cognitoidentityprovider::types::UserPoolClientType;
        let raw = UserPoolClientType::builder().client_name("web").build();
        let mut client = crate::live::client::to_model(&raw, false);
        client.normalize();
        let mut full = Mapping::new();
        full.insert(
            "clients".into(),
            to_value(&BTreeMap::from([("web", client)])),
        );
        let expected: Mapping = serde_yaml::from_str("clients: { web: {} }").unwrap();
        assert_eq!(readable_of(&full), expected);
    }
}
