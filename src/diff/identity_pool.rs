//! Identity pools: created, updated in place (every setting but the
//! developer provider name, which is fixed once set), never deleted; and the
//! trust-policy check of the roles they hand out.
//!
//! Both sides are drawn in the spec's terms: a provider key that is this
//! spec's client reads as the client's name, so a plan says
//! `role_mappings.web.type`, not a client id. Maps the spec declares (roles,
//! role mappings, login providers, tags) are managed whole: a live entry the
//! spec leaves out is removed.

use super::compare;
use crate::desired::DesiredPool;
use crate::live::identity_pool::{IdentityPoolState, LiveIdentityPool, RoleTrust};
use crate::live::LiveState;
use crate::model::identity_pool::{
    mapping_key, user_pool_provider_name, IdentityPool, MappingType, ASSUME_ACTION,
    COGNITO_IDENTITY_PRINCIPAL,
};
use crate::plan::{Action, FieldChange, Kind, ResourceChange, KNOWN_AFTER_APPLY};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Why the developer provider name cannot change.
pub const DEVELOPER_PROVIDER_FIXED: &str = "Cognito fixes an identity pool's developer provider name once it is set; changing it needs a new identity pool, and with it new identity ids for every user (poolctl does not replace identity pools)";

/// Field paths set by `SetIdentityPoolRoles`.
pub fn is_roles_path(path: &str) -> bool {
    path.starts_with("roles") || path.starts_with("role_mappings")
}

/// Field paths set by `SetPrincipalTagAttributeMap`.
pub fn is_tags_path(path: &str) -> bool {
    path.starts_with("principal_tags")
}

/// What the diff needs to resolve the spec's clients into provider keys.
pub struct Resolver {
    /// This user pool's provider name, once the pool exists.
    pub own_provider: Option<String>,
    /// This pool's client ids by client name (a name several clients share
    /// resolves to none).
    pub client_ids: BTreeMap<String, Vec<String>>,
}

impl Resolver {
    pub fn new(desired: &DesiredPool, live: &LiveState) -> Resolver {
        Resolver {
            own_provider: live
                .pool
                .as_ref()
                .map(|p| user_pool_provider_name(&desired.region, &p.id)),
            client_ids: live.clients.ids_by_name(),
        }
    }

    /// The client's id, when it exists and its name is its own.
    pub fn client_id(&self, name: &str) -> Option<&str> {
        match self.client_ids.get(name).map(Vec::as_slice) {
            Some([id]) => Some(id),
            _ => None,
        }
    }

    /// The name of this pool's client with that id.
    fn client_name(&self, id: &str) -> Option<&str> {
        self.client_ids
            .iter()
            .find(|(_, ids)| ids.iter().any(|i| i == id))
            .map(|(name, _)| name.as_str())
    }

    /// How a plan names a live provider: this pool's client by its name,
    /// another by `<provider name>:<client id>`.
    fn provider_entry_key(&self, p: &crate::live::identity_pool::LiveProvider) -> String {
        let own = self.own_provider.as_deref() == Some(p.provider_name.as_str());
        match self.client_name(&p.client_id).filter(|_| own) {
            Some(name) => name.to_string(),
            None => provider_key(&p.provider_name, &p.client_id),
        }
    }

    /// A role-mapping key of the spec as AWS keys it (`None` while the
    /// client or pool does not exist yet).
    pub fn mapping_key(&self, key: &str, spec: &IdentityPool) -> Option<String> {
        if is_own_client(key, spec) {
            let provider = self.own_provider.as_deref()?;
            Some(mapping_key(provider, self.client_id(key)?))
        } else {
            Some(key.to_string())
        }
    }

    /// AWS's role-mapping key in the spec's terms.
    fn spec_key(&self, key: &str) -> String {
        if let (Some(provider), Some((p, id))) = (&self.own_provider, key.rsplit_once(':')) {
            if p == provider {
                if let Some(name) = self.client_name(id) {
                    return name.to_string();
                }
            }
        }
        key.to_string()
    }

    /// A principal-tags key of the spec as AWS names the provider.
    pub fn tag_provider(&self, key: &str, spec: &IdentityPool) -> Option<String> {
        if is_own_client(key, spec) {
            self.own_provider.clone()
        } else {
            Some(key.to_string())
        }
    }
}

fn is_own_client(key: &str, spec: &IdentityPool) -> bool {
    spec.cognito_providers
        .iter()
        .flatten()
        .any(|p| p.client.as_deref() == Some(key))
}

/// How a plan names a provider of another pool: `<provider name>:<client id>`.
fn provider_key(provider_name: &str, client_id: &str) -> String {
    mapping_key(provider_name, client_id)
}

/// Adds a null for every live key the declared map leaves out: the map is
/// managed whole, so those are removed.
fn whole(declared: Value, live: impl IntoIterator<Item = String>) -> Value {
    let Value::Object(mut map) = declared else {
        return declared;
    };
    for key in live {
        map.entry(key).or_insert(Value::Null);
    }
    Value::Object(map)
}

fn sorted_list(list: &[String]) -> Value {
    let mut list = list.to_vec();
    list.sort();
    json!(list)
}

/// The spec's identity pool, in compared form. Undeclared fields are absent
/// (not managed) except on creation, where AWS's defaults are shown.
pub fn desired_view(
    key: &str,
    spec: &IdentityPool,
    live: Option<&LiveIdentityPool>,
    r: &Resolver,
) -> Value {
    let creating = live.is_none();
    let mut v = Map::new();
    v.insert("name".into(), json!(spec.name_or(key)));
    let flag = |value: Option<bool>| value.or(creating.then_some(false)).map(Value::Bool);
    if let Some(b) = flag(spec.allow_unauthenticated) {
        v.insert("allow_unauthenticated".into(), b);
    }
    if let Some(b) = flag(spec.allow_classic_flow) {
        v.insert("allow_classic_flow".into(), b);
    }
    if let Some(providers) = &spec.cognito_providers {
        let mut map = Map::new();
        for p in providers {
            let check = p.server_side_token_check.unwrap_or(false);
            match &p.client {
                Some(name) => map.insert(
                    name.clone(),
                    json!({
                        "client_id": r.client_id(name).map_or(json!(KNOWN_AFTER_APPLY), |id| json!(id)),
                        "provider_name": r.own_provider.as_deref().map_or(json!(KNOWN_AFTER_APPLY), |p| json!(p)),
                        "server_side_token_check": check,
                    }),
                ),
                None => map.insert(
                    provider_key(
                        p.provider_name.as_deref().unwrap_or_default(),
                        p.client_id.as_deref().unwrap_or_default(),
                    ),
                    json!({
                        "client_id": p.client_id,
                        "provider_name": p.provider_name,
                        "server_side_token_check": check,
                    }),
                ),
            };
        }
        let live_keys = live.map(|l| {
            l.cognito_providers
                .iter()
                .map(|p| r.provider_entry_key(p))
                .collect::<Vec<_>>()
        });
        v.insert(
            "cognito_providers".into(),
            whole(Value::Object(map), live_keys.into_iter().flatten()),
        );
    }
    if let Some(map) = &spec.supported_login_providers {
        let live_keys = live.map(|l| {
            l.supported_login_providers
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        });
        v.insert(
            "supported_login_providers".into(),
            whole(json!(map), live_keys.into_iter().flatten()),
        );
    }
    if let Some(list) = &spec.openid_connect_provider_arns {
        v.insert("openid_connect_provider_arns".into(), sorted_list(list));
    }
    if let Some(list) = &spec.saml_provider_arns {
        v.insert("saml_provider_arns".into(), sorted_list(list));
    }
    if let Some(name) = &spec.developer_provider_name {
        v.insert("developer_provider_name".into(), json!(name));
    }
    if let Some(roles) = &spec.roles {
        let live_keys = live.map(|l| l.roles.keys().cloned().collect::<Vec<_>>());
        v.insert(
            "roles".into(),
            whole(
                serde_json::to_value(roles).expect("models serialize"),
                live_keys.into_iter().flatten(),
            ),
        );
    }
    if let Some(mappings) = &spec.role_mappings {
        let mut map = Map::new();
        for (provider, m) in mappings {
            map.insert(
                provider.clone(),
                serde_json::to_value(m).expect("models serialize"),
            );
        }
        let live_keys = live.map(|l| {
            l.role_mappings
                .keys()
                .map(|k| r.spec_key(k))
                .collect::<Vec<_>>()
        });
        v.insert(
            "role_mappings".into(),
            whole(Value::Object(map), live_keys.into_iter().flatten()),
        );
    }
    if let Some(tags) = &spec.principal_tags {
        let mut map = Map::new();
        for (provider, t) in tags {
            map.insert(
                provider.clone(),
                json!({
                    "use_defaults": t.use_defaults.unwrap_or(false),
                    "tags": t.tags.clone().unwrap_or_default(),
                }),
            );
        }
        v.insert("principal_tags".into(), Value::Object(map));
    }
    if let Some(tags) = &spec.tags {
        let live_keys = live.map(|l| l.tags.keys().cloned().collect::<Vec<_>>());
        v.insert(
            "tags".into(),
            whole(json!(tags), live_keys.into_iter().flatten()),
        );
    }
    Value::Object(v)
}

/// The live identity pool in the same form.
pub fn live_view(spec: &IdentityPool, live: &LiveIdentityPool, r: &Resolver) -> Value {
    let mut providers = Map::new();
    for p in &live.cognito_providers {
        providers.insert(
            r.provider_entry_key(p),
            json!({
                "client_id": p.client_id,
                "provider_name": p.provider_name,
                "server_side_token_check": p.server_side_token_check,
            }),
        );
    }
    let mut mappings = Map::new();
    for (key, m) in &live.role_mappings {
        mappings.insert(
            r.spec_key(key),
            serde_json::to_value(m).expect("models serialize"),
        );
    }
    let mut tags = Map::new();
    for provider in spec.principal_tags.iter().flatten().map(|(p, _)| p) {
        if let Some(name) = r.tag_provider(provider, spec) {
            if let Some(t) = live.principal_tags.get(&name) {
                tags.insert(
                    provider.clone(),
                    json!({"use_defaults": t.use_defaults, "tags": t.tags}),
                );
            }
        }
    }
    json!({
        "name": live.name,
        "allow_unauthenticated": live.allow_unauthenticated,
        "allow_classic_flow": live.allow_classic_flow,
        "cognito_providers": providers,
        "supported_login_providers": live.supported_login_providers,
        "openid_connect_provider_arns": live.openid_connect_provider_arns,
        "saml_provider_arns": live.saml_provider_arns,
        "developer_provider_name": live.developer_provider_name,
        "roles": live.roles,
        "role_mappings": mappings,
        "principal_tags": tags,
        "tags": live.tags,
    })
}

/// The changes of the spec's identity pools, and the trust-policy warnings.
pub fn diff(
    desired: &DesiredPool,
    live: &LiveState,
    warnings: &mut Vec<String>,
) -> Vec<ResourceChange> {
    let (Some(declared), Some(state)) = (
        desired.resources.identity_pools.as_ref(),
        live.identity_pools.as_ref(),
    ) else {
        return Vec::new();
    };
    let r = Resolver::new(desired, live);
    let mut changes = Vec::new();
    for (key, spec) in declared {
        let have = state.pools.get(key).and_then(Option::as_ref);
        let address = Kind::IdentityPool.at(key);
        let want = desired_view(key, spec, have, &r);
        let mut fields = Vec::new();
        match have {
            None => {
                compare(&want, None, "", &mut fields);
                changes.push(ResourceChange {
                    address,
                    action: Action::Create,
                    fields,
                    reasons: Vec::new(),
                });
            }
            Some(have) => {
                compare(&want, Some(&live_view(spec, have, &r)), "", &mut fields);
                if fields.is_empty() {
                } else {
                    let mut action = Action::Update;
                    let mut reasons = vec![format!("identity pool {}", have.id)];
                    for f in &mut fields {
                        if f.path == "developer_provider_name" && f.before.is_some() {
                            f.blocked = Some(DEVELOPER_PROVIDER_FIXED.into());
                            action = Action::Blocked;
                            reasons.push(DEVELOPER_PROVIDER_FIXED.into());
                        }
                    }
                    changes.push(ResourceChange {
                        address,
                        action,
                        fields,
                        reasons,
                    });
                }
            }
        }
        trust_warnings(
            key,
            spec,
            have.map(|h| h.id.as_str()),
            desired,
            state,
            warnings,
        );
    }
    changes
}

/// Warns about each role this identity pool hands out whose trust policy
/// would refuse it; notes roles poolctl could not read.
fn trust_warnings(
    key: &str,
    spec: &IdentityPool,
    pool_id: Option<&str>,
    desired: &DesiredPool,
    state: &IdentityPoolState,
    warnings: &mut Vec<String>,
) {
    let mut uses: Vec<(String, &str, &str)> = Vec::new();
    if let Some(roles) = &spec.roles {
        if let Some(arn) = &roles.authenticated {
            uses.push(("roles.authenticated".into(), arn, "authenticated"));
        }
        if let Some(arn) = &roles.unauthenticated {
            uses.push(("roles.unauthenticated".into(), arn, "unauthenticated"));
        }
    }
    for (provider, m) in spec.role_mappings.iter().flatten() {
        for (i, rule) in m.rules.iter().flatten().enumerate() {
            if let Some(arn) = &rule.role_arn {
                uses.push((
                    format!("role_mappings.{provider}.rules.{i}"),
                    arn,
                    "authenticated",
                ));
            }
        }
        if m.kind == Some(MappingType::Token) {
            for (group, g) in desired.resources.groups.iter().flatten() {
                if let Some(arn) = &g.role_arn {
                    uses.push((
                        format!(
                            "group `{group}`'s role_arn (through the token mapping of {provider})"
                        ),
                        arn,
                        "authenticated",
                    ));
                }
            }
        }
    }
    let mut said = std::collections::BTreeSet::new();
    for (used_as, arn, amr) in uses {
        if !said.insert((arn.to_string(), amr)) {
            continue;
        }
        let subject = format!("{}: role {arn} ({used_as})", Kind::IdentityPool.at(key));
        match state.roles.get(arn) {
            Some(RoleTrust::Policy(policy)) => {
                let missing = missing_trust(policy, pool_id, amr);
                if !missing.is_empty() {
                    warnings.push(format!(
                        "{subject} would refuse this identity pool: its trust policy lacks {}",
                        missing.join("; ")
                    ));
                }
            }
            Some(RoleTrust::OtherAccount { found }) => warnings.push(format!(
                "note: {subject} is in another account than poolctl's ({found} is this account's role of that name); its trust policy is not checked"
            )),
            Some(RoleTrust::Unreadable(why)) => warnings.push(format!(
                "note: {subject}: its trust policy could not be read ({why}); it is not checked"
            )),
            None => {}
        }
    }
}

/// The conditions a trust policy lacks for this identity pool to hand out
/// the role with `amr` (`authenticated` / `unauthenticated`); empty when
/// some statement allows it. `pool_id` is `None` for a pool not created yet.
pub fn missing_trust(policy: &Value, pool_id: Option<&str>, amr: &str) -> Vec<String> {
    let statements: Vec<&Value> = match &policy["Statement"] {
        Value::Array(list) => list.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    };
    let aud_key = format!("{COGNITO_IDENTITY_PRINCIPAL}:aud");
    let amr_key = format!("{COGNITO_IDENTITY_PRINCIPAL}:amr");
    let principal = format!("principal Federated `{COGNITO_IDENTITY_PRINCIPAL}`");
    let mut best: Option<Vec<String>> = None;
    for s in statements {
        if s["Effect"] != "Allow" {
            continue;
        }
        let mut missing = Vec::new();
        if !strings(&s["Principal"]["Federated"]).contains(&COGNITO_IDENTITY_PRINCIPAL.to_string())
        {
            missing.push(principal.clone());
        }
        let actions = strings(&s["Action"]);
        if !actions
            .iter()
            .any(|a| a == ASSUME_ACTION || a == "sts:*" || a == "*")
        {
            missing.push(format!("action `{ASSUME_ACTION}`"));
        }
        let aud = condition_values(&s["Condition"], &aud_key);
        let wanted_aud = pool_id.unwrap_or(KNOWN_AFTER_APPLY);
        let aud_ok = match pool_id {
            Some(id) => aud.iter().any(|(like, v)| matches(v, id, *like)),
            None => false,
        };
        if !aud_ok {
            let names: Vec<&str> = aud.iter().map(|(_, v)| v.as_str()).collect();
            let mut text = format!("condition `{aud_key}` = {wanted_aud}");
            if pool_id.is_none() {
                text.push_str(" (the new identity pool's id: name it in the trust policy once apply has created the pool)");
            } else if !names.is_empty() {
                text.push_str(&format!(" (it names {})", names.join(", ")));
            }
            missing.push(text);
        }
        let amrs = condition_values(&s["Condition"], &amr_key);
        if !amrs.iter().any(|(like, v)| matches(v, amr, *like)) {
            missing.push(format!("condition `{amr_key}` = {amr}"));
        }
        if best.as_ref().is_none_or(|b| missing.len() < b.len()) {
            best = Some(missing);
        }
    }
    best.unwrap_or_else(|| {
        vec![format!(
            "an Allow statement for {principal} with action `{ASSUME_ACTION}`, `{aud_key}` = {} and `{amr_key}` = {amr}",
            pool_id.unwrap_or(KNOWN_AFTER_APPLY)
        )]
    })
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(list) => list
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Values of a condition key under any operator, each with whether the
/// operator matches patterns (`StringLike`).
fn condition_values(condition: &Value, key: &str) -> Vec<(bool, String)> {
    let Value::Object(ops) = condition else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (op, keys) in ops {
        let like = op.ends_with("StringLike");
        let equals = like || op.ends_with("StringEquals") || op.ends_with("StringEqualsIgnoreCase");
        if !equals {
            continue;
        }
        for (k, v) in keys.as_object().into_iter().flatten() {
            if k.eq_ignore_ascii_case(key) {
                out.extend(strings(v).into_iter().map(|s| (like, s)));
            }
        }
    }
    out
}

/// `StringLike`'s `*` and `?`, or plain equality.
fn matches(pattern: &str, text: &str, like: bool) -> bool {
    if !like {
        return pattern == text;
    }
    fn glob(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') => (0..=t.len()).any(|i| glob(&p[1..], &t[i..])),
            Some('?') => !t.is_empty() && glob(&p[1..], &t[1..]),
            Some(c) => t.first() == Some(c) && glob(&p[1..], &t[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    glob(&p, &t)
}

/// Whether a change's fields touch the identity pool itself (not only its
/// roles or principal tags).
pub fn touches_pool(fields: &[FieldChange]) -> bool {
    fields
        .iter()
        .any(|f| !is_roles_path(&f.path) && !is_tags_path(&f.path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(aud: &str, amr: &str) -> Value {
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": aud},
                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}
                }
            }]
        })
    }

    #[test]
    fn a_trust_policy_for_this_pool_and_amr_passes() {
        assert!(missing_trust(
            &policy("us-east-1:abc", "authenticated"),
            Some("us-east-1:abc"),
            "authenticated"
        )
        .is_empty());
    }

    #[test]
    fn another_pool_or_the_wrong_amr_is_named() {
        let m = missing_trust(
            &policy("us-east-1:other", "authenticated"),
            Some("us-east-1:abc"),
            "authenticated",
        );
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("us-east-1:abc") && m[0].contains("it names us-east-1:other"),
            "{m:?}"
        );
        let m = missing_trust(
            &policy("us-east-1:abc", "authenticated"),
            Some("us-east-1:abc"),
            "unauthenticated",
        );
        assert!(m[0].contains("amr` = unauthenticated"), "{m:?}");
        let m = missing_trust(
            &json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}}),
            Some("x:1"),
            "authenticated",
        );
        assert!(m[0].contains("principal Federated"), "{m:?}");
    }

    #[test]
    fn string_like_patterns_match() {
        assert!(matches("*", "us-east-1:abc", true));
        assert!(matches("us-east-1:*", "us-east-1:abc", true));
        assert!(!matches("us-east-1:*", "us-east-1:abc", false));
    }
}
