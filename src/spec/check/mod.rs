//! Offline checks of a typed document: AWS's ranges and formats, rules that
//! tie settings together, and warnings about Cognito's one-way doors.
//!
//! Everything here is caught before a single AWS call, because AWS (and more
//! so the emulator) would either reject it halfway through an apply or, worse,
//! accept it.

mod authorizer;
mod clients;
mod domain;
mod groups;
mod identity_pools;
mod identity_providers;
mod log_delivery;
mod pool;
mod replicas;
mod resource_servers;
mod threat_protection;
mod triggers;
mod web_authn;

use super::diag::Diagnostic;
use super::document::Document;
use std::collections::BTreeSet;

#[derive(Default)]
pub struct Checks {
    pub diagnostics: Vec<Diagnostic>,
    /// Key paths whose values came from `${env:...}`; a secret found at any
    /// other path was written into the file itself.
    pub from_env_vars: BTreeSet<String>,
}

impl Checks {
    pub fn error(
        &mut self,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(message).field(field));
        self.diagnostics.last_mut().expect("just pushed")
    }

    pub fn warn(
        &mut self,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::warning(message).field(field));
        self.diagnostics.last_mut().expect("just pushed")
    }

    pub fn range<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        field: &str,
        value: Option<T>,
        min: T,
        max: T,
    ) {
        if let Some(v) = value {
            if v < min || v > max {
                self.error(
                    field,
                    format!("{v} is out of range: Cognito accepts {min} to {max}"),
                );
            }
        }
    }

    pub fn max_len(&mut self, field: &str, value: Option<&String>, max: usize) {
        if let Some(v) = value {
            if v.chars().count() > max {
                self.error(
                    field,
                    format!(
                        "is {} characters long; Cognito accepts at most {max}",
                        v.chars().count()
                    ),
                );
            }
        }
    }

    pub fn must_contain(&mut self, field: &str, value: Option<&String>, needle: &str) {
        if let Some(v) = value {
            if !v.contains(needle) {
                self.error(field, format!("must contain the placeholder `{needle}`"));
            }
        }
    }
}

pub fn check(doc: &Document, checks: &mut Checks) {
    check_env(doc, checks);
    pool::check(&doc.settings, checks);
    groups::check(doc.resources.groups.as_ref(), checks);
    resource_servers::check(doc.resources.resource_servers.as_ref(), checks);
    domain::check(doc.resources.domain.as_ref(), doc.settings.tier, checks);
    identity_providers::check(
        doc.resources.identity_providers.as_ref(),
        doc.settings.schema.as_ref(),
        checks,
    );
    triggers::check(
        doc.settings.triggers.as_ref(),
        doc.settings.tier,
        doc.env.region.as_deref(),
        checks,
    );
    web_authn::check(doc, checks);
    replicas::check(doc, checks);
    clients::check(doc, checks);
    threat_protection::check(doc, checks);
    log_delivery::check(&doc.settings, checks);
    authorizer::check(
        doc.resources.authorizer.as_ref(),
        doc.resources.clients.as_ref(),
        checks,
    );
    identity_pools::check(
        doc.resources.identity_pools.as_ref(),
        doc.resources.clients.as_ref(),
        doc.env.region.as_deref(),
        checks,
    );
}

fn check_env(doc: &Document, c: &mut Checks) {
    let region = doc.env.region.as_deref();
    match region {
        None => {
            c.error(
                "region",
                "no region: set `region` in this environment's block (or at the top of the file)",
            );
        }
        Some(r) if !is_region(r) => {
            c.error(
                "region",
                format!("`{r}` is not an AWS region name (like us-east-1)"),
            );
        }
        _ => {}
    }
    check_role(doc, c);
    if let Some(id) = &doc.env.pool_id {
        match region_of_pool_id(id) {
            Some(prefix) => {
                if let Some(r) = region.filter(|r| *r != prefix) {
                    c.error(
                        "pool_id",
                        format!(
                            "pool `{id}` lives in {prefix}, but this environment's region is {r}"
                        ),
                    );
                }
            }
            None => {
                c.error(
                    "pool_id",
                    format!("`{id}` is not a user pool id (like us-east-1_AbC123xyZ)"),
                );
            }
        }
    }
}

/// The role to assume: what STS would refuse, caught before any call.
fn check_role(doc: &Document, c: &mut Checks) {
    let env = &doc.env;
    let Some(arn) = &env.role_arn else {
        for (field, set) in [
            ("external_id", env.external_id.is_some()),
            ("session_name", env.session_name.is_some()),
            ("duration", env.duration.is_some()),
        ] {
            if set {
                c.error(
                    field,
                    "only means something with `role_arn`: give the role to assume",
                );
            }
        }
        return;
    };
    if !is_role_arn(arn) {
        c.error(
            "role_arn",
            format!(
                "`{arn}` is not an IAM role ARN (like arn:aws:iam::123456789012:role/deployer)"
            ),
        );
    }
    // STS's own limits (AssumeRole's RoleSessionName and ExternalId).
    if let Some(id) = &env.external_id {
        let ok = (2..=1224).contains(&id.len())
            && id
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "_+=,.@:/-".contains(ch));
        if !ok {
            c.error(
                "external_id",
                "STS accepts 2 to 1224 characters: letters, digits and _+=,.@:/-",
            );
        }
    }
    if let Some(name) = &env.session_name {
        let ok = (2..=64).contains(&name.len())
            && name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "_+=,.@-".contains(ch));
        if !ok {
            c.error(
                "session_name",
                "STS accepts 2 to 64 characters: letters, digits and _+=,.@-",
            );
        }
    }
    if let Some(d) = env.duration {
        if !(900..=43_200).contains(&d.seconds()) {
            c.error(
                "duration",
                format!("{d} is out of range: an assumed role lasts 15m to 12h"),
            );
        }
    }
}

/// `arn:<partition>:iam::<account>:role/<path/name>`.
pub fn is_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [scheme, partition, service, region, account, resource] = parts[..] else {
        return false;
    };
    let name = resource.strip_prefix("role/").unwrap_or("");
    scheme == "arn"
        && partition.starts_with("aws")
        && service == "iam"
        && region.is_empty()
        && account.len() == 12
        && account.chars().all(|ch| ch.is_ascii_digit())
        && !name.is_empty()
        && !name.ends_with('/')
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "_+=,.@-/".contains(ch))
}

/// The region of a user pool id (`us-east-1` of `us-east-1_AbC123xyZ`), or
/// `None` when it is not one.
pub fn region_of_pool_id(id: &str) -> Option<&str> {
    let (region, rest) = id.split_once('_')?;
    (is_region(region) && !rest.is_empty() && rest.chars().all(|ch| ch.is_ascii_alphanumeric()))
        .then_some(region)
}

/// An environment's name: letters, digits, `-` and `_`.
pub fn is_environment_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
}

fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|ch| ch.is_ascii_digit()))
}

/// What the checks say of a spec's top-level keys (after `name` and
/// `region`), for the check modules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{check, Checks};
    use crate::spec::diag::Diagnostic;
    use crate::spec::{document, yaml};

    pub fn diagnostics(text: &str) -> Vec<Diagnostic> {
        let root = yaml::parse(&format!("name: shop\nregion: us-east-1\n{text}")).unwrap();
        let doc = document::read(root.as_mapping().unwrap()).unwrap();
        let mut checks = Checks::default();
        check(&doc, &mut checks);
        checks.diagnostics
    }

    /// Each diagnostic as (is an error, field, message).
    pub fn messages(text: &str) -> Vec<(bool, String, String)> {
        diagnostics(text)
            .into_iter()
            .map(|d| (d.is_error(), d.field.clone().unwrap_or_default(), d.message))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{document, yaml};

    fn run(text: &str) -> Vec<Diagnostic> {
        let root = yaml::parse(text).unwrap();
        let doc = document::read(root.as_mapping().unwrap()).unwrap();
        let mut checks = Checks::default();
        check(&doc, &mut checks);
        checks.diagnostics
    }

    fn errors(text: &str) -> Vec<(String, String)> {
        run(text)
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| (d.field.unwrap_or_default(), d.message))
            .collect()
    }

    const OK: &str = "name: shop\nregion: us-east-1\n";

    #[test]
    fn a_minimal_pool_is_fine() {
        assert!(errors(OK).is_empty());
    }

    /// The pool's tag limit is its row's check.
    #[test]
    fn at_most_fifty_tags() {
        let tags: Vec<String> = (0..51).map(|i| format!("k{i}: v")).collect();
        let e = errors(&format!("{OK}tags: {{ {} }}\n", tags.join(", ")));
        assert_eq!(
            e,
            [(
                "tags".to_string(),
                "51 tags; Cognito accepts at most 50".to_string()
            )]
        );
    }

    #[test]
    fn ranges() {
        let e = errors(&format!("{OK}password_policy: {{minimum_length: 5, password_history_size: 25, temporary_password_validity_days: 366}}\n"));
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "password_policy.minimum_length",
                "password_policy.password_history_size",
                "password_policy.temporary_password_validity_days"
            ]
        );
        assert!(e[0].1.contains("6 to 99"), "{}", e[0].1);
    }

    /// Texts are checked by their rows in the pool's settings table.
    #[test]
    fn message_placeholders_and_lengths() {
        let long = "x".repeat(141);
        let e = errors(&format!(
            "{OK}mfa: {{sms_message: 'code'}}\nadmin_create_user_config: {{invite_message_template: {{sms_message: 'hi {{####}}', email_subject: '{long}'}}}}\nverification_message_template: {{email_message: 'hello'}}\n"
        ));
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "mfa.sms_message",
                "admin_create_user_config.invite_message_template.sms_message",
                "admin_create_user_config.invite_message_template.email_subject",
                "verification_message_template.email_message",
            ],
            "{e:?}"
        );
        assert!(e[1].1.contains("{username}"), "{}", e[1].1);
        assert!(e[2].1.contains("at most 140"), "{}", e[2].1);
        assert!(errors(&format!("{OK}mfa: {{sms_message: 'code {{####}}'}}\n")).is_empty());
    }

    #[test]
    fn threat_protection_needs_plus() {
        let e = errors(&format!(
            "{OK}tier: essentials\nuser_pool_add_ons: {{advanced_security_mode: enforced}}\n"
        ));
        assert_eq!(e.len(), 1);
        assert!(e[0].1.contains("plus tier"));
        assert!(errors(&format!(
            "{OK}tier: plus\nuser_pool_add_ons: {{advanced_security_mode: enforced}}\n"
        ))
        .is_empty());
    }

    #[test]
    fn mfa_rules() {
        assert!(!errors(&format!("{OK}mfa: {{mode: optional}}\n")).is_empty());
        assert!(!errors(&format!("{OK}mfa: {{mode: off, totp: true}}\n")).is_empty());
        assert!(!errors(&format!("{OK}mfa: {{mode: optional, sms: true}}\n")).is_empty());
        let d = run(&format!("{OK}mfa: {{mode: required, totp: true}}\n"));
        assert!(d.iter().all(|d| !d.is_error()));
        assert!(d.iter().any(|d| d.message.contains("one-way door")));
    }

    #[test]
    fn schema_rules() {
        let e = errors(&format!(
            "{OK}schema:\n  custom:x: {{required: true}}\n  tenant: {{type: string}}\n  custom:n: {{type: number, min_length: 1}}\n"
        ));
        let msgs: Vec<String> = e.iter().map(|(f, m)| format!("{f}: {m}")).collect();
        assert!(
            msgs.iter().any(|m| m.starts_with("schema.custom:x.type")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("schema.custom:x.required")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("`tenant` is not a standard attribute")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("string attributes only")),
            "{msgs:?}"
        );
    }

    #[test]
    fn authorizer_rules() {
        let ok = format!(
            "{OK}authorizer:\n  rest_api: shop-api\n  name: cognito\n  identity_source: method.request.header.Authorization\n  result_ttl: 5m\n  protect: [\"GET /orders\", {{route: \"POST /orders\", authorization_scopes: [shop/orders.write]}}]\n  stage: dev\n"
        );
        assert!(errors(&ok).is_empty(), "{:?}", errors(&ok));
        let e = errors(&format!(
            "{OK}authorizer:\n  identity_source: Authorization\n  result_ttl: 2h\n  protect: [\"GET /orders\", \"get /orders\", \"FETCH /x\"]\n  authorization_scopes: [\"a b\"]\n  stage: dev stage\n"
        ));
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "authorizer.rest_api",
                "authorizer.name",
                "authorizer.identity_source",
                "authorizer.result_ttl",
                "authorizer.protect.1",
                "authorizer.protect.2",
                "authorizer.authorization_scopes.0",
                "authorizer.stage"
            ],
            "{e:?}"
        );
        assert!(e[3].1.contains("0s (off) to 1h"), "{}", e[3].1);
        assert!(e[4].1.contains("listed twice"), "{}", e[4].1);
        let d = run(&format!(
            "{OK}authorizer: {{rest_api: a, name: b, authorization_scopes: [x/y]}}\n"
        ));
        assert!(
            d.iter()
                .any(|d| !d.is_error() && d.message.contains("without `protect`")),
            "{d:?}"
        );
    }

    #[test]
    fn http_api_authorizer_rules() {
        let clients = "clients: { web: {}, mobile: {} }\n";
        let ok = format!(
            "{OK}{clients}authorizer: {{http_api: shop-http, name: cognito, audience: [web, mobile]}}\n"
        );
        assert!(errors(&ok).is_empty(), "{:?}", errors(&ok));
        let e = errors(&format!(
            "{OK}{clients}authorizer:\n  http_api: shop-http\n  rest_api: shop-api\n  name: cognito\n  audience: [web, desktop]\n  identity_source: method.request.header.Authorization\n  result_ttl: 5m\n  stage: dev\n"
        ));
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "authorizer.http_api",
                "authorizer.result_ttl",
                "authorizer.stage",
                "authorizer.audience.1",
                "authorizer.identity_source"
            ],
            "{e:?}"
        );
        let e = errors(&format!(
            "{OK}authorizer: {{http_api: shop-http, name: cognito}}\n"
        ));
        assert!(e[0].1.contains("needs an `audience`"), "{e:?}");
        let e = errors(&format!(
            "{OK}authorizer: {{rest_api: shop-api, name: cognito, audience: [web]}}\n"
        ));
        assert!(e[0].1.contains("HTTP API"), "{e:?}");
    }

    #[test]
    fn pool_id_must_match_region() {
        let e = errors("name: a\nregion: us-east-1\npool_id: eu-west-1_abc123\n");
        assert!(e[0].1.contains("lives in eu-west-1"), "{e:?}");
        let e = errors("name: a\nregion: us-east-1\npool_id: nonsense\n");
        assert!(e[0].1.contains("not a user pool id"), "{e:?}");
    }

    #[test]
    fn role_arns_and_sts_limits() {
        for good in [
            "arn:aws:iam::123456789012:role/deployer",
            "arn:aws-cn:iam::123456789012:role/ci/poolctl-deployer",
            "arn:aws-us-gov:iam::123456789012:role/a_b+c=d,e.f@g-h",
        ] {
            assert!(is_role_arn(good), "{good}");
        }
        for bad in [
            "arn:aws:iam::1234:role/x",
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:iam:us-east-1:123456789012:role/x",
            "arn:aws:sts::123456789012:role/x",
            "arn:aws:iam::123456789012:role/",
            "deployer",
        ] {
            assert!(!is_role_arn(bad), "{bad}");
        }
        let role = "region: us-east-1\nrole_arn: arn:aws:iam::123456789012:role/x\n";
        assert!(errors(&format!(
            "name: a\n{role}external_id: ok-id\nsession_name: ci\nduration: 1h\n"
        ))
        .is_empty());
        let e = errors(&format!("name: a\n{role}session_name: 'has space'\n"));
        assert_eq!(e[0].0, "session_name", "{e:?}");
        let e = errors(&format!("name: a\n{role}external_id: x\n"));
        assert_eq!(e[0].0, "external_id", "{e:?}");
        let e = errors(&format!("name: a\n{role}duration: 5m\n"));
        assert!(e[0].1.contains("15m to 12h"), "{e:?}");
        let e = errors("name: a\nregion: us-east-1\nsession_name: ci\n");
        assert!(
            e[0].1.contains("only means something with `role_arn`"),
            "{e:?}"
        );
    }
}
