//! Desired vs live -> plan. The generic part lives here: a leaf-by-leaf
//! comparison of two serialized models in which only what the spec declares is
//! compared. Each resource kind's module adds what Cognito can and cannot
//! change in place.

pub mod pool;

use crate::desired::DesiredPool;
use crate::live::LiveState;
use crate::model::secret::is_sensitive;
use crate::plan::{FieldChange, PoolPlan};
use serde_json::Value;

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
        blocked: None,
    });
}

/// The plan for one pool in one environment.
pub fn plan_pool(desired: &DesiredPool, live: &LiveState) -> PoolPlan {
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
