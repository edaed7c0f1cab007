//! One pool's document for one environment, after merging and interpolation:
//! its top-level keys sorted into environment settings, pool settings and
//! resource sections, each read into its typed form with located errors.

use super::diag::{nearest, Diagnostic};
use crate::model::authorizer::Authorizer;
use crate::model::client::AppClient;
use crate::model::domain::Domain;
use crate::model::group::Group;
use crate::model::identity_pool::IdentityPool;
use crate::model::identity_provider::IdentityProvider;
use crate::model::resource_server::ResourceServer;
use crate::model::PoolSettings;
use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Keys that say where and how a pool lives rather than what it is.
pub const ENV_KEYS: &[&str] = &[
    "region",
    "profile",
    "role_arn",
    "external_id",
    "session_name",
    "duration",
    "pool_id",
    "protected",
    "users",
];

/// Keys of the pool's own settings (`PoolSettings`): the top-level rows of
/// the pool's settings table, in its order, which is the order a spec
/// conventionally writes them (`pools/shop.yaml`; `import` writes this order).
pub const SETTINGS_KEYS: &[&str] = &crate::model::pool_table::TOP_LEVEL;

/// Keys of the resources that live inside a pool. Each names a kind poolctl
/// manages as a whole once the key is present: live ones missing from it are
/// reported as unmanaged (and deleted by `--prune`). Absent, the kind is left
/// entirely alone. `authorizer` lives on a REST API poolctl does not own: it
/// is one resource, and other authorizers are never pruned. Identity pools
/// (`identity_pools`) live in the account too: only the named ones are
/// read, and no other is ever listed as unmanaged or pruned.
pub const RESOURCE_KEYS: &[&str] = &[
    "identity_providers",
    "resource_servers",
    "groups",
    "domain",
    "ui_customization",
    "clients",
    "authorizer",
    "identity_pools",
    "replicas",
];

/// The only key that exists at the top of a file but not inside an environment.
pub const ENVIRONMENTS_KEY: &str = "environments";

/// Where a pool lives in one environment.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EnvSettings {
    /// The AWS region the pool lives in.
    pub region: Option<String>,
    /// The AWS profile (in ~/.aws/config) whose credentials reach the pool;
    /// absent, the SDK's default chain.
    pub profile: Option<String>,
    /// An IAM role to assume, with the profile's (or default chain's)
    /// credentials, before any other AWS call: how one identity reaches the
    /// pools of several accounts.
    pub role_arn: Option<String>,
    /// The external id the role's trust policy asks for (`sts:ExternalId`).
    pub external_id: Option<String>,
    /// The assumed role's session name (CloudTrail shows it); `poolctl` when absent.
    pub session_name: Option<String>,
    /// How long the assumed role's credentials last: 15m to 12h (the role's
    /// maximum session duration); 1h when absent.
    pub duration: Option<crate::model::Duration>,
    /// Pins the live pool by id instead of finding it by name.
    pub pool_id: Option<String>,
    /// Applying here needs the environment's name typed back.
    pub protected: Option<bool>,
    /// How `users export`, `users import` and `migrate` treat this pool's users.
    pub users: Option<UsersSettings>,
}

/// How `users export`, `users import` and `migrate` treat this pool's users.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(default, deny_unknown_fields)]
pub struct UsersSettings {
    /// Attributes never written to an export (e.g. `custom:ssn`).
    pub exclude_attributes: Vec<String>,
    /// The IAM role a user import job writes its CloudWatch Logs with.
    pub import_logs_role: Option<String>,
}

/// The pool's resources as declared; `None` means the kind is not managed.
#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Resources {
    pub clients: Option<BTreeMap<String, AppClient>>,
    pub identity_providers: Option<BTreeMap<String, IdentityProvider>>,
    pub resource_servers: Option<BTreeMap<String, ResourceServer>>,
    pub groups: Option<BTreeMap<String, Group>>,
    pub domain: Option<Domain>,
    /// The classic hosted UI's pool-wide CSS and logo (`ClientId: ALL`).
    pub ui_customization: Option<crate::model::branding::UiCustomization>,
    /// An API Gateway authorizer pointed at the pool (one per pool and environment).
    pub authorizer: Option<Authorizer>,
    /// Identity pools for the pool's users, by poolctl's handle.
    pub identity_pools: Option<BTreeMap<String, IdentityPool>>,
    /// Multi-Region replicas of the pool, by region.
    pub replicas: Option<BTreeMap<String, crate::model::replica::Replica>>,
}

/// A pool's document in one environment, typed.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub env: EnvSettings,
    pub settings: PoolSettings,
    pub resources: Resources,
}

pub fn all_top_level_keys() -> impl Iterator<Item = &'static str> {
    ENV_KEYS
        .iter()
        .chain(SETTINGS_KEYS)
        .chain(RESOURCE_KEYS)
        .copied()
}

/// A document read as far as it could be: what failed to read is left out
/// of `document` (and named in `unread`), so that the offline checks can
/// still run on the rest and one run reports every mistake it can find.
#[derive(Debug, Default)]
pub struct Partial {
    pub document: Document,
    pub errors: Vec<Diagnostic>,
    /// Key paths left out because they could not be read: a top-level key
    /// (`password_policy`), one resource (`clients.web`) or a whole section.
    pub unread: Vec<String>,
}

/// Reads a merged, interpolated document, failing on any error.
pub fn read(root: &MarkedMappingNode) -> Result<Document, Vec<Diagnostic>> {
    let partial = read_partial(root);
    if partial.errors.is_empty() {
        Ok(partial.document)
    } else {
        Err(partial.errors)
    }
}

/// Reads a merged, interpolated document. Every section is read even when an
/// earlier one failed, and within a section every key (or every resource)
/// that can be read is kept, so one run reports every mistake it can.
pub fn read_partial(root: &MarkedMappingNode) -> Partial {
    let mut errors = Vec::new();
    let mut unread = Vec::new();
    let mut env_part = MarkedMappingNode::new_empty(*root.span());
    let mut settings_part = MarkedMappingNode::new_empty(*root.span());
    let mut resources = Resources::default();

    for (key, value) in root.iter() {
        let name = key.as_str();
        if RESOURCE_KEYS.contains(&name) {
            let (errors, unread) = (&mut errors, &mut unread);
            match name {
                "clients" => resources.clients = typed_partial(value, name, errors, unread),
                "identity_providers" => {
                    resources.identity_providers = typed_partial(value, name, errors, unread)
                }
                "resource_servers" => {
                    resources.resource_servers = typed_partial(value, name, errors, unread)
                }
                "groups" => resources.groups = typed_partial(value, name, errors, unread),
                "domain" => resources.domain = typed_partial(value, name, errors, unread),
                "ui_customization" => {
                    resources.ui_customization = typed_partial(value, name, errors, unread)
                }
                "authorizer" => resources.authorizer = typed_partial(value, name, errors, unread),
                "identity_pools" => {
                    resources.identity_pools = typed_partial(value, name, errors, unread)
                }
                "replicas" => resources.replicas = typed_partial(value, name, errors, unread),
                _ => unreachable!("every resource key is read"),
            }
        } else if ENV_KEYS.contains(&name) {
            env_part.insert(key.clone(), value.clone());
        } else if SETTINGS_KEYS.contains(&name) {
            settings_part.insert(key.clone(), value.clone());
        } else {
            let mut diag = Diagnostic::error("unknown key").field(name);
            if name == ENVIRONMENTS_KEY {
                diag = Diagnostic::error("`environments` cannot be nested inside an environment")
                    .field(name);
            } else if let Some(hint) = nearest(name, all_top_level_keys()) {
                diag = diag.help(format!("did you mean `{hint}`?"));
            }
            if let Some(m) = key.span().start() {
                diag = diag.at(m.line(), m.column());
            }
            errors.push(diag);
            unread.push(name.to_string());
        }
    }

    let env = typed_partial::<EnvSettings>(&Node::Mapping(env_part), "", &mut errors, &mut unread);
    let settings =
        typed_partial::<PoolSettings>(&Node::Mapping(settings_part), "", &mut errors, &mut unread);
    Partial {
        document: Document {
            env: env.unwrap_or_default(),
            settings: settings.unwrap_or_default(),
            resources,
        },
        errors,
        unread,
    }
}

/// Deserializes `node` (found at `prefix`), turning a failure into a located
/// diagnostic whose field is the full key path.
pub fn typed<T: DeserializeOwned>(
    node: &Node,
    prefix: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<T> {
    match marked_yaml::from_node::<T>(node) {
        Ok(value) => Some(value),
        Err(err) => {
            errors.push(describe(&err, prefix));
            None
        }
    }
}

/// Like [`typed`], but serde stops at a mapping's first error: the key that
/// failed (a setting, or one named resource) is reported, left out and the
/// rest read again, until what remains reads. Only when the failure cannot be
/// pinned on one key is the whole of `node` left out.
fn typed_partial<T: DeserializeOwned>(
    node: &Node,
    prefix: &str,
    errors: &mut Vec<Diagnostic>,
    unread: &mut Vec<String>,
) -> Option<T> {
    let mut node = node.clone();
    loop {
        let err = match marked_yaml::from_node::<T>(&node) {
            Ok(value) => return Some(value),
            Err(err) => err,
        };
        errors.push(describe(&err, prefix));
        let first = err
            .path()
            .map(bracketless)
            .and_then(|p| p.split('.').next().map(str::to_string))
            .filter(|k| !k.is_empty());
        let removed = match (&mut node, &first) {
            (Node::Mapping(map), Some(first)) => {
                let key = map
                    .iter()
                    .map(|(k, _)| k.clone())
                    .find(|k| k.as_str() == first);
                key.is_some_and(|key| map.remove(&key).is_some())
            }
            _ => false,
        };
        match first {
            Some(first) if removed => unread.push(join(prefix, &first)),
            _ => {
                if !prefix.is_empty() {
                    unread.push(prefix.to_string());
                }
                return None;
            }
        }
    }
}

fn describe(err: &marked_yaml::FromNodeError, prefix: &str) -> Diagnostic {
    use marked_yaml::Error;
    let mut field = join(prefix, &err.path().map(bracketless).unwrap_or_default());
    let inner: &Error = err;
    let mut diag = match inner {
        Error::UnknownFieldError(name, expected, _) => {
            if !field.ends_with(name.as_str()) {
                field = join(&field, name);
            }
            let diag = Diagnostic::error("unknown key");
            match nearest(name, expected.iter().copied()) {
                Some(hint) => diag.help(format!("did you mean `{hint}`?")),
                None => diag.help(format!("expected one of: {}", expected.join(", "))),
            }
        }
        Error::NotBoolean(_) => Diagnostic::error("expected true or false"),
        Error::IntegerParseFailure(e, _) => {
            Diagnostic::error(format!("expected a whole number ({e})"))
        }
        Error::FloatParseFailure(e, _) => Diagnostic::error(format!("expected a number ({e})")),
        Error::Other(message, _) => Diagnostic::error(friendlier(message)),
    };
    diag = diag.field(field);
    if let Some(m) = err.start_mark() {
        diag = diag.at(m.line(), m.column());
    }
    diag
}

/// serde's wording names Rust types; say what the user should write instead.
fn friendlier(message: &str) -> String {
    let message = message.replace("unknown variant", "unknown value");
    if let Some(idx) = message.find(", expected struct ") {
        return format!("{}, expected a mapping of keys to values", &message[..idx]);
    }
    if message.ends_with("expected a map") {
        return message.replace("expected a map", "expected a mapping of keys to values");
    }
    message
        .replace("expected a sequence", "expected a list")
        .replace("expected u32", "expected a whole number")
        .replace("expected i64", "expected a whole number")
        .replace("expected a string", "expected text")
}

/// `a.b[0].c` -> `a.b.0.c`, the form `Locator` uses.
fn bracketless(path: &str) -> String {
    path.replace('[', ".").replace(']', "")
}

fn join(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{rest}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::yaml;

    fn read_text(text: &str) -> Result<Document, Vec<Diagnostic>> {
        let root = yaml::parse(text).unwrap();
        read(root.as_mapping().unwrap())
    }

    #[test]
    fn reads_settings_and_env() {
        let doc =
            read_text("region: eu-west-1\nname: shop\npassword_policy: {minimum_length: 12}\n")
                .unwrap();
        assert_eq!(doc.env.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            doc.settings.password_policy.unwrap().minimum_length,
            Some(12)
        );
    }

    #[test]
    fn misspelt_keys_get_a_suggestion_and_a_position() {
        let errs = read_text("name: shop\npassword_policy:\n  minimun_length: 12\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        let e = &errs[0];
        assert_eq!(e.field.as_deref(), Some("password_policy.minimun_length"));
        assert_eq!(e.help.as_deref(), Some("did you mean `minimum_length`?"));
        assert_eq!((e.line, e.column), (Some(3), Some(3)));

        let errs = read_text("name: shop\npasword_policy: {}\n").unwrap_err();
        assert_eq!(
            errs[0].help.as_deref(),
            Some("did you mean `password_policy`?")
        );
        assert_eq!(errs[0].line, Some(2));
    }

    /// The pool-resources issue's example, exactly as written there.
    const RESOURCES_EXAMPLE: &str = include_str!("../../tests/corpus/examples/resources.yaml");

    #[test]
    fn the_resources_example_reads_as_written() {
        let doc = read_text(&format!("name: shop\n{RESOURCES_EXAMPLE}")).unwrap();
        let r = &doc.resources;
        let clients = r.clients.as_ref().unwrap();
        let web = &clients["web"];
        assert_eq!(web.refresh_token_validity.unwrap().seconds(), 30 * 86_400);
        assert_eq!(
            web.allowed_oauth_flows.as_deref(),
            Some(&[crate::model::enums::OAuthFlow::Code][..])
        );
        assert_eq!(
            clients["mobile"]
                .refresh_token_validity
                .unwrap()
                .to_string(),
            "90d"
        );
        let idps = r.identity_providers.as_ref().unwrap();
        assert_eq!(
            idps["Google"].provider_type,
            Some(crate::model::enums::ProviderType::Google)
        );
        assert_eq!(
            format!("{:?}", idps["Google"].client_secret),
            "Some((sensitive))"
        );
        assert_eq!(
            idps["Corp"].idp_identifiers.as_deref(),
            Some(&["example.com".to_string()][..])
        );
        assert_eq!(
            r.resource_servers.as_ref().unwrap()["shop-api"]
                .scopes
                .as_ref()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(r.groups.as_ref().unwrap()["support"].precedence, Some(10));
        assert_eq!(
            r.domain.as_ref().unwrap().prefix.as_deref(),
            Some("shop-${env}")
        );
        let triggers = doc.settings.triggers.as_ref().unwrap();
        let pre_token = triggers.pre_token_generation.as_ref().unwrap();
        assert_eq!(
            pre_token.attached().unwrap().lambda_version,
            crate::model::enums::PreTokenLambdaVersion::V2
        );
        assert!(triggers
            .function("pre_sign_up")
            .unwrap()
            .ends_with("pre-signup"));

        let custom = read_text("domain: { custom: auth.example.com, certificate_arn: arn:aws:acm:us-east-1:1:certificate/x }\n").unwrap();
        assert_eq!(
            custom.resources.domain.unwrap().custom.as_deref(),
            Some("auth.example.com")
        );
        let errs = read_text("domain: { custom: a.example.com, certificat_arn: x }\n").unwrap_err();
        assert!(errs[0].message.contains("unknown"), "{errs:?}");
    }

    #[test]
    fn wrong_types_and_values_are_located() {
        let errs =
            read_text("name: shop\nmfa:\n  mode: sometimes\ncase_sensitive: maybe\n").unwrap_err();
        assert_eq!(
            errs.len(),
            2,
            "serde stops at the first error of a section, the reader does not: {errs:?}"
        );
        assert_eq!(errs[1].field.as_deref(), Some("case_sensitive"), "{errs:?}");
        assert!(
            errs[0].message.contains("unknown value `sometimes`"),
            "{}",
            errs[0].message
        );
        assert_eq!(errs[0].field.as_deref(), Some("mfa.mode"));
        assert_eq!(errs[0].line, Some(3));

        let errs = read_text("password_policy:\n  minimum_length: twelve\n").unwrap_err();
        assert_eq!(
            errs[0].field.as_deref(),
            Some("password_policy.minimum_length")
        );
        assert_eq!(errs[0].line, Some(2));
        assert!(
            errs[0].message.contains("whole number"),
            "{}",
            errs[0].message
        );

        let errs = read_text("password_policy: 12\n").unwrap_err();
        assert!(errs[0].message.contains("mapping"), "{}", errs[0].message);
    }
}
