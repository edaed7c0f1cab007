//! The pool's domain. Its name (a prefix or a custom domain) cannot change in
//! place: a different name, or a switch between prefix and custom, deletes
//! the live domain and creates the declared one (`--allow-replace`). The
//! certificate and the managed login version change in place.

use super::compare;
use crate::live::domain::{DomainHolder, LiveDomain};
use crate::model::domain::Domain;
use crate::model::resource_tables::{replaces, DOMAIN_NAME_IS_FIXED, DOMAIN_SETTINGS};
use crate::plan::{Action, FieldChange, Kind, ResourceChange};
use serde_json::Value;

pub fn diff(
    desired: Option<&Domain>,
    live: Option<&LiveDomain>,
    holder: Option<&DomainHolder>,
    warnings: &mut Vec<String>,
) -> Option<ResourceChange> {
    let change = diff_names(desired?, live, warnings)?;
    match holder {
        Some(holder) if matches!(change.action, Action::Create | Action::Replace) => {
            Some(held_elsewhere(change, holder))
        }
        _ => Some(change),
    }
}

/// A create or replacement AWS would refuse: the name is another pool's.
/// Blocked, so that apply stops before it changes anything.
fn held_elsewhere(mut change: ResourceChange, holder: &DomainHolder) -> ResourceChange {
    let whose = match &holder.pool_name {
        Some(name) => format!("pool `{name}` ({})", holder.pool_id),
        None => format!("pool {}", holder.pool_id),
    };
    let reason = format!(
        "domain `{}` belongs to {whose}; AWS gives a domain to one pool only: remove it there, or declare another name",
        holder.domain
    );
    for field in change
        .fields
        .iter_mut()
        .filter(|f| replaces(DOMAIN_SETTINGS, &f.path).is_some())
    {
        field.blocked = Some(reason.clone());
    }
    change.action = Action::Blocked;
    change.reasons = vec![reason];
    change
}

fn diff_names(
    desired: &Domain,
    live: Option<&LiveDomain>,
    warnings: &mut Vec<String>,
) -> Option<ResourceChange> {
    let want = serde_json::to_value(desired).expect("models serialize");
    let Some(live) = live else {
        let mut fields = Vec::new();
        compare(&want, None, "", &mut fields);
        return Some(ResourceChange {
            address: Kind::Domain.one(),
            action: Action::Create,
            fields,
            reasons: Vec::new(),
        });
    };
    if let Some(other) = &live.other {
        warnings.push(format!(
            "the pool also has the domain `{other}`, which the spec does not declare; poolctl leaves it alone"
        ));
    }
    let have = &live.settings;
    let renamed = desired.prefix != have.prefix || desired.custom != have.custom;
    let mut fields = Vec::new();
    if renamed {
        // Both name keys, so that a switch between prefix and custom shows
        // the one going away as well as the one coming.
        for (path, before, after) in [
            ("prefix", &have.prefix, &desired.prefix),
            ("custom", &have.custom, &desired.custom),
        ] {
            if before != after {
                fields.push(FieldChange {
                    path: path.into(),
                    before: before.clone().map(Value::String),
                    after: after.clone().map(Value::String),
                    sensitive: false,
                    one_way_door: None,
                    blocked: None,
                });
            }
        }
    }
    let have_value = serde_json::to_value(have).expect("models serialize");
    let mut rest = Vec::new();
    compare(&want, Some(&have_value), "", &mut rest);
    fields.extend(
        rest.into_iter()
            // The name's rows are above, as one replacement.
            .filter(|f| replaces(DOMAIN_SETTINGS, &f.path).is_none()),
    );
    if fields.is_empty() {
        return None;
    }
    let (action, reasons) = if renamed {
        let old = have.name().unwrap_or_default();
        (
            Action::Replace,
            vec![
                DOMAIN_NAME_IS_FIXED.to_string(),
                format!("sign-in and OAuth URLs under `{old}` stop working"),
                super::NEEDS_ALLOW_REPLACE.to_string(),
            ],
        )
    } else {
        (Action::Update, Vec::new())
    };
    Some(ResourceChange {
        address: Kind::Domain.one(),
        action,
        fields,
        reasons,
    })
}

// Its cases are data: tests/cases/domain/ (run by the integration
// test `cases::every_diff_case_plans_as_expected`).
