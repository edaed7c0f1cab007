//! The pool's domain. Its name (a prefix or a custom domain) cannot change in
//! place: a different name, or a switch between prefix and custom, deletes
//! the live domain and creates the declared one (`--allow-replace`). The
//! certificate and the managed login version change in place.

use super::compare;
use crate::live::domain::LiveDomain;
use crate::model::domain::Domain;
use crate::plan::{Action, FieldChange, ResourceChange};
use serde_json::Value;

pub const ADDRESS: &str = "domain";

pub fn diff(
    desired: Option<&Domain>,
    live: Option<&LiveDomain>,
    warnings: &mut Vec<String>,
) -> Option<ResourceChange> {
    let desired = desired?;
    let want = serde_json::to_value(desired).expect("models serialize");
    let Some(live) = live else {
        let mut fields = Vec::new();
        compare(&want, None, "", &mut fields);
        return Some(ResourceChange {
            address: ADDRESS.into(),
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
            .filter(|f| f.path != "prefix" && f.path != "custom"),
    );
    if fields.is_empty() {
        return None;
    }
    let (action, reasons) = if renamed {
        let old = have.name().unwrap_or_default();
        (
            Action::Replace,
            vec![
                "a domain's name cannot change in place: the live domain is deleted, then the declared one created".to_string(),
                format!("sign-in and OAuth URLs under `{old}` stop working"),
                super::NEEDS_ALLOW_REPLACE.to_string(),
            ],
        )
    } else {
        (Action::Update, Vec::new())
    };
    Some(ResourceChange {
        address: ADDRESS.into(),
        action,
        fields,
        reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn live(settings: Domain, other: Option<&str>) -> LiveDomain {
        LiveDomain {
            settings,
            routing: None,
            custom_config: None,
            other: other.map(str::to_string),
        }
    }

    fn prefix(p: &str, version: Option<u8>) -> Domain {
        Domain {
            prefix: Some(p.into()),
            managed_login_version: version,
            ..Domain::default()
        }
    }

    fn custom(name: &str, arn: &str) -> Domain {
        Domain {
            custom: Some(name.into()),
            certificate_arn: Some(arn.into()),
            managed_login_version: Some(1),
            ..Domain::default()
        }
    }

    type Row = (String, Option<Value>, Option<Value>);

    fn rows(change: &ResourceChange) -> Vec<Row> {
        change
            .fields
            .iter()
            .map(|f| (f.path.clone(), f.before.clone(), f.after.clone()))
            .collect()
    }

    #[test]
    fn undeclared_means_untouched_and_absent_means_create() {
        let mut w = Vec::new();
        assert!(diff(None, Some(&live(prefix("x", Some(1)), None)), &mut w).is_none());
        let change = diff(Some(&prefix("shop", None)), None, &mut w).unwrap();
        assert_eq!(change.action, Action::Create);
        assert_eq!(
            rows(&change),
            [("prefix".into(), None, Some(json!("shop")))]
        );
    }

    #[test]
    fn same_name_updates_in_place_only_declared_fields() {
        let mut w = Vec::new();
        let have = live(prefix("shop", Some(1)), None);
        assert!(diff(Some(&prefix("shop", None)), Some(&have), &mut w).is_none());
        assert!(diff(Some(&prefix("shop", Some(1))), Some(&have), &mut w).is_none());
        let change = diff(Some(&prefix("shop", Some(2))), Some(&have), &mut w).unwrap();
        assert_eq!(change.action, Action::Update);
        assert_eq!(
            rows(&change),
            [(
                "managed_login_version".into(),
                Some(json!(1)),
                Some(json!(2))
            )]
        );
        let have = live(custom("a.example.com", "arn:1"), None);
        let change = diff(Some(&custom("a.example.com", "arn:2")), Some(&have), &mut w).unwrap();
        assert_eq!(change.action, Action::Update);
        assert_eq!(
            rows(&change),
            [(
                "certificate_arn".into(),
                Some(json!("arn:1")),
                Some(json!("arn:2"))
            )]
        );
        assert!(w.is_empty());
    }

    #[test]
    fn a_new_name_or_kind_is_a_replacement() {
        let mut w = Vec::new();
        let have = live(prefix("shop-old", Some(1)), None);
        let change = diff(Some(&prefix("shop-new", None)), Some(&have), &mut w).unwrap();
        assert_eq!(change.action, Action::Replace);
        assert_eq!(
            rows(&change),
            [(
                "prefix".into(),
                Some(json!("shop-old")),
                Some(json!("shop-new"))
            )]
        );
        assert!(change.reasons.iter().any(|r| r.contains("--allow-replace")));
        assert!(change
            .reasons
            .iter()
            .any(|r| r.contains("`shop-old` stop working")));

        let change = diff(Some(&custom("a.example.com", "arn:1")), Some(&have), &mut w).unwrap();
        assert_eq!(change.action, Action::Replace);
        assert_eq!(
            rows(&change),
            [
                ("prefix".into(), Some(json!("shop-old")), None),
                ("custom".into(), None, Some(json!("a.example.com"))),
                ("certificate_arn".into(), None, Some(json!("arn:1"))),
            ]
        );
    }

    #[test]
    fn a_second_live_domain_is_left_alone_with_a_warning() {
        let mut w = Vec::new();
        let have = live(prefix("shop", Some(1)), Some("auth.example.com"));
        assert!(diff(Some(&prefix("shop", None)), Some(&have), &mut w).is_none());
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("`auth.example.com`"), "{w:?}");
    }
}
