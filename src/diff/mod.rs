//! Desired vs live -> plan. The generic part lives here: a leaf-by-leaf
//! comparison of two serialized models in which only what the spec declares is
//! compared. Each resource kind's module adds what Cognito can and cannot
//! change in place.

pub mod authorizer;
pub mod branding;
pub mod client;
pub mod domain;
pub mod group;
pub mod identity_pool;
pub mod identity_provider;
pub mod lambda_permission;
pub mod pool;
pub mod replica;
pub mod resource_server;

use crate::desired::DesiredPool;
use crate::live::LiveState;
use crate::model::secret::is_sensitive;
use crate::plan::{Action, FieldChange, Kind, PoolPlan, ResourceChange};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Choices the plan itself depends on.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// Plan deletion of live resources the spec does not declare.
    pub prune: bool,
}

/// Compares what `desired` declares with `live`. Objects are compared key by
/// key and only for keys desired has (what the spec does not mention is not
/// managed); lists and scalars compare whole. `live` is `None` when the
/// resource or field does not exist.
pub fn compare(desired: &Value, live: Option<&Value>, path: &str, out: &mut Vec<FieldChange>) {
    if let Value::Object(fields) = desired {
        if !is_sensitive(desired) {
            for (key, value) in fields {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                compare(value, live.and_then(|l| l.get(key)), &child, out);
            }
            return;
        }
    }
    if desired.is_null() {
        // A declared null means "absent" (a trigger detached with `false`):
        // it matches an absent live value and removes a present one.
        if let Some(before) = live.filter(|l| !l.is_null()) {
            out.push(FieldChange {
                path: path.to_string(),
                before: Some(before.clone()),
                after: None,
                sensitive: false,
                one_way_door: None,
                blocked: None,
            });
        }
        return;
    }
    if live == Some(desired) {
        return;
    }
    let sensitive = is_sensitive(desired) || live.is_some_and(is_sensitive);
    out.push(FieldChange {
        path: path.to_string(),
        before: if sensitive { None } else { live.cloned() },
        after: if sensitive {
            None
        } else {
            Some(desired.clone())
        },
        sensitive,
        one_way_door: None,
        blocked: None,
    });
}

/// Said of every replacement in a plan.
pub const NEEDS_ALLOW_REPLACE: &str = "apply replaces it only with --allow-replace";

/// Why a field of a named resource cannot change in place.
pub enum Forces {
    /// Delete and create again (`--allow-replace`); the reason and its price.
    Replace(String),
}

/// A collection of named resources of one kind, desired against live.
pub struct Named<'a, T> {
    /// The address prefix: `group`, `client`, ...
    pub kind: Kind,
    /// `None` when the spec does not declare the kind: nothing is compared,
    /// nothing is unmanaged.
    pub desired: Option<&'a BTreeMap<String, T>>,
    pub live: &'a BTreeMap<String, T>,
    pub prune: bool,
    /// What a change at a field path forces, if it cannot happen in place.
    pub forces: &'a dyn Fn(&str) -> Option<Forces>,
    /// Said when a resource of this kind is deleted.
    pub delete_warning: Option<&'a str>,
    /// Changes the leaf-by-leaf compare cannot see, such as a member of a
    /// set the spec manages whole being removed: given the name, the desired
    /// and (if any) the live resource.
    pub extra: &'a ExtraChanges<'a, T>,
}

/// See `Named::extra`.
pub type ExtraChanges<'a, T> = dyn Fn(&str, &T, Option<&T>) -> Vec<FieldChange> + 'a;

/// For kinds the leaf-by-leaf compare says everything about.
pub fn no_extra<T>(_: &str, _: &T, _: Option<&T>) -> Vec<FieldChange> {
    Vec::new()
}

/// Creates, updates, replacements, and (live but undeclared) unmanaged or
/// pruned resources of one kind.
pub fn diff_named<T: Serialize>(named: Named<'_, T>) -> Vec<ResourceChange> {
    let Some(desired) = named.desired else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (name, want) in desired {
        let address = named.kind.at(name);
        let extra = (named.extra)(name, want, named.live.get(name));
        let want = serde_json::to_value(want).expect("models serialize");
        let mut fields = Vec::new();
        match named.live.get(name) {
            None => {
                compare(&want, None, "", &mut fields);
                fields.extend(extra);
                changes.push(ResourceChange {
                    address,
                    action: Action::Create,
                    fields,
                    reasons: Vec::new(),
                });
            }
            Some(have) => {
                let have = serde_json::to_value(have).expect("models serialize");
                compare(&want, Some(&have), "", &mut fields);
                fields.extend(extra);
                if fields.is_empty() {
                    continue;
                }
                let mut action = Action::Update;
                let mut reasons = Vec::new();
                for field in &mut fields {
                    match (named.forces)(&field.path) {
                        Some(Forces::Replace(reason)) => {
                            action = Action::Replace;
                            push_unique(&mut reasons, reason);
                        }
                        None => {}
                    }
                }
                if action == Action::Replace {
                    reasons.push(NEEDS_ALLOW_REPLACE.into());
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
    for name in named.live.keys().filter(|n| !desired.contains_key(*n)) {
        let (action, reasons) = if named.prune {
            (
                Action::Delete,
                named
                    .delete_warning
                    .map(|w| vec![w.to_string()])
                    .unwrap_or_default(),
            )
        } else {
            (
                Action::Unmanaged,
                vec!["not in the spec; `apply --prune` would delete it".to_string()],
            )
        };
        changes.push(ResourceChange {
            address: named.kind.at(name),
            action,
            fields: Vec::new(),
            reasons,
        });
    }
    changes
}

pub(crate) fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The plan for one pool in one environment.
pub fn plan_pool(desired: &DesiredPool, live: &LiveState, options: PlanOptions) -> PoolPlan {
    let mut changes = Vec::new();
    let mut warnings: Vec<String> = desired
        .warnings
        .iter()
        .filter(|w| !w.one_way_door)
        .map(|w| w.to_string())
        .collect();
    if let Some(change) = pool::diff(
        &desired.settings,
        live.pool.as_ref().map(|p| &p.settings),
        &mut warnings,
    ) {
        changes.push(change);
    }
    let resources = &desired.resources;
    changes.extend(group::diff(
        resources.groups.as_ref(),
        &live.groups,
        options.prune,
    ));
    changes.extend(resource_server::diff(
        resources.resource_servers.as_ref(),
        &live.resource_servers,
        options.prune,
    ));
    changes.extend(domain::diff(
        resources.domain.as_ref(),
        live.domain.as_ref(),
        live.domain_holder.as_ref(),
        &mut warnings,
    ));
    changes.extend(identity_provider::diff(
        resources.identity_providers.as_ref(),
        &live.identity_providers,
        options.prune,
    ));
    changes.extend(lambda_permission::diff(desired, live));
    changes.extend(client::diff(
        resources.clients.as_ref(),
        &live.clients,
        options.prune,
        &mut warnings,
    ));
    // A replaced client is a new client: its branding is made anew.
    let replaced: Vec<String> = changes
        .iter()
        .filter(|c| c.address.kind == Kind::Client && c.action == Action::Replace)
        .map(|c| c.address.name().to_string())
        .collect();
    changes.extend(branding::diff(desired, live, &replaced));
    changes.extend(authorizer::diff(
        resources.authorizer.as_ref(),
        live.authorizer.as_ref(),
        live.pool.as_ref().map(|p| p.arn.as_str()),
        &mut warnings,
    ));
    changes.extend(authorizer::diff_http(
        resources.authorizer.as_ref(),
        live.http_authorizer.as_ref(),
        &desired.region,
        live.pool.as_ref().map(|p| p.id.as_str()),
    ));
    changes.extend(identity_pool::diff(desired, live, &mut warnings));
    changes.extend(replica::diff(
        resources.replicas.as_ref(),
        &live.replicas,
        options.prune,
    ));
    // A deletion's warning is its own reason, drawn under it: repeating it
    // among the pool's warnings printed it twice.
    PoolPlan {
        pool: desired.key.clone(),
        environment: desired.environment.clone(),
        file: desired.file.clone(),
        region: desired.region.clone(),
        pool_name: desired.pool_name().to_string(),
        pool_id: live.pool.as_ref().map(|p| p.id.clone()),
        changes,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diff(desired: Value, live: Option<Value>) -> Vec<(String, Option<Value>, Option<Value>)> {
        let mut out = Vec::new();
        compare(&desired, live.as_ref(), "", &mut out);
        out.into_iter()
            .map(|c| (c.path, c.before, c.after))
            .collect()
    }

    #[test]
    fn only_declared_keys_are_compared() {
        let changes = diff(
            json!({"policy": {"min": 14}}),
            Some(json!({"policy": {"min": 12, "symbols": true}, "other": 1})),
        );
        assert_eq!(
            changes,
            [("policy.min".into(), Some(json!(12)), Some(json!(14)))]
        );
    }

    #[test]
    fn lists_compare_whole_and_absent_is_none() {
        let changes = diff(
            json!({"l": ["a"], "new": {"x": 1}}),
            Some(json!({"l": ["a", "b"]})),
        );
        assert_eq!(
            changes,
            [
                ("l".into(), Some(json!(["a", "b"])), Some(json!(["a"]))),
                ("new.x".into(), None, Some(json!(1)))
            ]
        );
        assert!(diff(json!({"a": [1, 2]}), Some(json!({"a": [1, 2]}))).is_empty());
    }

    #[test]
    fn a_declared_null_matches_absence_and_removes_a_value() {
        assert!(diff(json!({"t": {"a": null}}), Some(json!({"t": {}}))).is_empty());
        assert!(diff(json!({"t": {"a": null}}), None).is_empty());
        assert_eq!(
            diff(json!({"t": {"a": null}}), Some(json!({"t": {"a": "x"}}))),
            [("t.a".into(), Some(json!("x")), None)]
        );
    }

    #[test]
    fn secrets_are_compared_but_never_carried() {
        let secret = |v: &str| serde_json::to_value(crate::model::Secret::new(v)).unwrap();
        let mut out = Vec::new();
        compare(
            &json!({"s": secret("new")}),
            Some(&json!({"s": secret("old")})),
            "",
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert!(out[0].sensitive && out[0].before.is_none() && out[0].after.is_none());
        out.clear();
        compare(
            &json!({"s": secret("same")}),
            Some(&json!({"s": secret("same")})),
            "",
            &mut out,
        );
        assert!(out.is_empty());
    }
}
