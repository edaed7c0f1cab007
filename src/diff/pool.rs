//! The user pool's own settings: which differences Cognito can apply in place
//! (`UpdateUserPool`, `AddCustomAttributes`, `SetUserPoolMfaConfig`) and which
//! would need a new pool.

use super::compare;
use crate::model::enums::MfaMode;
use crate::model::pool::{is_custom_attribute, PoolSettings};
use crate::model::pool_table::{row_for, Change};
use crate::plan::{Action, FieldChange, Kind, ResourceChange};

/// What an impossible change costs, said plainly.
pub const NEW_POOL_PRICE: &str = "needs a new pool: every user, password and MFA device is lost unless carried over (`poolctl migrate`)";

pub fn diff(
    desired: &PoolSettings,
    live: Option<&PoolSettings>,
    warnings: &mut Vec<String>,
) -> Option<ResourceChange> {
    let desired_json = serde_json::to_value(desired).expect("the model serializes");
    let mut fields = Vec::new();
    let Some(live) = live else {
        compare(&desired_json, None, "", &mut fields);
        for field in &mut fields {
            field.one_way_door = fixed_at_creation(&field.path, field.after.as_ref());
        }
        one_way_door_warnings(desired, None, warnings);
        return Some(ResourceChange {
            address: Kind::UserPool.one(),
            action: Action::Create,
            fields,
            reasons: Vec::new(),
        });
    };
    let live_json = serde_json::to_value(live).expect("the model serializes");
    compare(&desired_json, Some(&live_json), "", &mut fields);
    for field in &mut fields {
        field.blocked = blocked_reason(&field.path, live);
    }
    fields.extend(removed_custom_attributes(desired, live));
    one_way_door_warnings(desired, Some(live), warnings);
    if fields.is_empty() {
        return None;
    }
    let mut reasons: Vec<String> = Vec::new();
    for reason in fields.iter().filter_map(|f| f.blocked.clone()) {
        super::push_unique(&mut reasons, reason);
    }
    let action = if reasons.is_empty() {
        Action::Update
    } else {
        reasons.push(NEW_POOL_PRICE.to_string());
        Action::Blocked
    };
    Some(ResourceChange {
        address: Kind::UserPool.one(),
        action,
        fields,
        reasons,
    })
}

/// Why Cognito cannot change `path` in place, if it cannot: its row in the
/// pool's settings table says.
fn blocked_reason(path: &str, live: &PoolSettings) -> Option<String> {
    match row_for(path)?.change {
        Change::InPlace => None,
        Change::FixedAtCreation(reason) | Change::Replaces(reason) => Some(reason.to_string()),
        Change::Schema => {
            let name = path.strip_prefix("schema.")?.split('.').next()?;
            let exists = live.schema.as_ref().is_some_and(|s| s.contains_key(name));
            if exists {
                Some(format!(
                    "schema attribute `{name}` exists; an attribute's definition can never change"
                ))
            } else if is_custom_attribute(name) {
                None
            } else {
                Some(format!(
                    "standard attribute `{name}`'s definition is fixed when a pool is created"
                ))
            }
        }
    }
}

/// A custom attribute live but not in the spec's `schema` cannot be removed.
fn removed_custom_attributes(desired: &PoolSettings, live: &PoolSettings) -> Vec<FieldChange> {
    let (Some(want), Some(have)) = (&desired.schema, &live.schema) else {
        return Vec::new();
    };
    have.iter()
        .filter(|(name, _)| is_custom_attribute(name) && !want.contains_key(*name))
        .map(|(name, attr)| FieldChange {
            path: format!("schema.{name}"),
            before: Some(serde_json::to_value(attr).expect("the model serializes")),
            after: None,
            sensitive: false,
            one_way_door: None,
            blocked: Some(format!(
                "custom attribute `{name}` exists live but not in the spec; custom attributes can never be removed (add it back to `schema`)"
            )),
        })
        .collect()
}

/// What a new pool's field `path` (set to `after`) fixes for good: the
/// choices Cognito makes only at creation (see `blocked_reason` for what
/// trying to change them later says).
pub fn fixed_at_creation(path: &str, after: Option<&serde_json::Value>) -> Option<String> {
    let mut parts = path.split('.');
    match row_for(path)?.change {
        Change::InPlace => None,
        Change::FixedAtCreation(reason) | Change::Replaces(reason) => {
            Some(format!("one-way door: {reason} and can never change"))
        }
        Change::Schema => {
            parts.next();
            let name = parts.next()?;
            if is_custom_attribute(name) {
                Some(format!(
                    "one-way door: custom attribute `{name}` can never be removed or changed once created"
                ))
            } else if parts.next() == Some("required")
                && after == Some(&serde_json::Value::Bool(true))
            {
                Some(format!(
                    "one-way door: which standard attributes are required (`{name}`) is chosen when the pool is created and can never change"
                ))
            } else {
                None
            }
        }
    }
}

fn one_way_door_warnings(
    desired: &PoolSettings,
    live: Option<&PoolSettings>,
    warnings: &mut Vec<String>,
) {
    let live_mode = live.and_then(|l| l.mfa.as_ref()).and_then(|m| m.mode);
    let desired_mode = desired.mfa.as_ref().and_then(|m| m.mode);
    if desired_mode == Some(MfaMode::Required) && live_mode != Some(MfaMode::Required) {
        warnings.push(
            "mfa.mode: turning MFA to `required` is a one-way door: Cognito may not allow going back, and every user must enrol a factor"
                .into(),
        );
    }
    if let Some(schema) = &desired.schema {
        for name in schema.keys().filter(|n| is_custom_attribute(n)) {
            let exists = live
                .and_then(|l| l.schema.as_ref())
                .is_some_and(|s| s.contains_key(name));
            if !exists {
                warnings.push(format!(
                    "schema.{name}: a new custom attribute can never be removed or changed once created"
                ));
            }
        }
    }
}

// Its cases are data: tests/cases/pool/ (run by the integration
// test `cases::every_diff_case_plans_as_expected`).

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pool::*;

    fn settings(yaml: &str) -> PoolSettings {
        let node = marked_yaml::parse_yaml(0, yaml).unwrap();
        let mut s: PoolSettings = marked_yaml::from_node(&node).unwrap();
        s.normalize();
        s
    }

    #[test]
    fn a_new_pool_marks_the_choices_it_makes_forever() {
        let desired = settings("name: shop-dev\nusername_attributes: [email]\ncase_sensitive: false\npassword_policy: {minimum_length: 12}\nschema: {email: {required: true}, custom:tenant_id: {type: string}}\n");
        let change = diff(&desired, None, &mut Vec::new()).unwrap();
        let marked: Vec<&str> = change
            .fields
            .iter()
            .filter(|f| f.one_way_door.is_some())
            .map(|f| f.path.as_str())
            .collect();
        assert!(marked.contains(&"username_attributes"), "{marked:?}");
        assert!(marked.contains(&"case_sensitive"), "{marked:?}");
        assert!(marked.contains(&"schema.email.required"), "{marked:?}");
        assert!(
            marked
                .iter()
                .any(|p| p.starts_with("schema.custom:tenant_id")),
            "{marked:?}"
        );
        assert!(
            !marked
                .iter()
                .any(|p| p.starts_with("password_policy") || *p == "name"),
            "{marked:?}"
        );
    }
}
