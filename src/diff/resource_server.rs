//! Resource servers: the identifier is the key, so a new identifier is a new
//! server (and the old one unmanaged, or deleted with `--prune`); the name
//! and the scopes change in place. The scopes are a closed set: a live scope
//! the spec does not list is removed, which the generic comparison (open
//! mappings: only declared keys count) cannot say, so they are compared here.

use super::{diff_named, Named};
use crate::model::resource_server::ResourceServer;
use crate::plan::{FieldChange, ResourceChange};
use serde_json::Value;
use std::collections::BTreeMap;

pub const KIND: &str = "resource_server";

pub fn diff(
    desired: Option<&BTreeMap<String, ResourceServer>>,
    live: &BTreeMap<String, ResourceServer>,
    prune: bool,
) -> Vec<ResourceChange> {
    let Some(desired) = desired else {
        return Vec::new();
    };
    let without_scopes: BTreeMap<String, ResourceServer> = desired
        .iter()
        .map(|(id, server)| {
            let server = ResourceServer {
                scopes: None,
                ..server.clone()
            };
            (id.clone(), server)
        })
        .collect();
    // The scope set is managed whole: compared here, not leaf by leaf.
    let scopes = |identifier: &str, _: &ResourceServer, have: Option<&ResourceServer>| match desired
        .get(identifier)
        .and_then(|s| s.scopes.as_ref())
    {
        Some(want) => scope_changes(want, have.and_then(|s| s.scopes.as_ref())),
        None => Vec::new(),
    };
    diff_named(Named {
        kind: KIND,
        desired: Some(&without_scopes),
        live,
        prune,
        forces: &|_| None,
        delete_warning: Some(
            "deleting a resource server deletes its scopes: app clients can no longer be granted them and tokens stop carrying them",
        ),
        extra: &scopes,
    })
}

/// Added, removed and re-described scopes, one field each, as
/// `scopes.<scope name>`.
fn scope_changes(
    want: &BTreeMap<String, String>,
    have: Option<&BTreeMap<String, String>>,
) -> Vec<FieldChange> {
    let empty = BTreeMap::new();
    let have = have.unwrap_or(&empty);
    let mut names: Vec<&String> = want.keys().chain(have.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|name| want.get(*name) != have.get(*name))
        .map(|name| FieldChange {
            path: format!("scopes.{name}"),
            before: have.get(name).map(|d| Value::String(d.clone())),
            after: want.get(name).map(|d| Value::String(d.clone())),
            sensitive: false,
            one_way_door: None,
            blocked: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Action;
    use serde_json::json;

    fn server(name: Option<&str>, scopes: Option<&[(&str, &str)]>) -> ResourceServer {
        ResourceServer {
            name: name.map(str::to_string),
            scopes: scopes.map(|s| {
                s.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            }),
        }
    }

    fn one(id: &str, s: ResourceServer) -> BTreeMap<String, ResourceServer> {
        BTreeMap::from([(id.to_string(), s)])
    }

    type Row = (String, Option<Value>, Option<Value>);

    fn fields(change: &ResourceChange) -> Vec<Row> {
        change
            .fields
            .iter()
            .map(|f| (f.path.clone(), f.before.clone(), f.after.clone()))
            .collect()
    }

    #[test]
    fn scopes_are_a_closed_set() {
        let live = one(
            "api",
            server(
                Some("API"),
                Some(&[("read", "Read"), ("old", "Old"), ("write", "Write")]),
            ),
        );
        let desired = one(
            "api",
            server(
                None,
                Some(&[("read", "Read"), ("write", "Write all"), ("new", "New")]),
            ),
        );
        let changes = diff(Some(&desired), &live, false);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].action, Action::Update);
        assert_eq!(
            fields(&changes[0]),
            [
                ("scopes.new".into(), None, Some(json!("New"))),
                ("scopes.old".into(), Some(json!("Old")), None),
                (
                    "scopes.write".into(),
                    Some(json!("Write")),
                    Some(json!("Write all"))
                ),
            ]
        );
    }

    #[test]
    fn undeclared_scopes_are_not_managed_and_an_empty_set_removes_all() {
        let live = one("api", server(Some("API"), Some(&[("read", "Read")])));
        assert!(diff(Some(&one("api", server(Some("API"), None))), &live, false).is_empty());
        let changes = diff(Some(&one("api", server(None, Some(&[])))), &live, false);
        assert_eq!(
            fields(&changes[0]),
            [("scopes.read".into(), Some(json!("Read")), None)]
        );
    }

    #[test]
    fn name_and_scope_changes_share_one_change_in_order() {
        let live = BTreeMap::from([
            ("a".to_string(), server(Some("A"), Some(&[("r", "R")]))),
            ("b".to_string(), server(Some("B"), Some(&[]))),
            ("hand".to_string(), server(Some("H"), None)),
        ]);
        let desired = BTreeMap::from([
            ("a".to_string(), server(Some("A2"), Some(&[("r", "R2")]))),
            ("b".to_string(), server(Some("B"), Some(&[("w", "W")]))),
            ("c".to_string(), server(Some("C"), Some(&[("x", "X")]))),
        ]);
        let changes = diff(Some(&desired), &live, false);
        let summary: Vec<(&str, Action, usize)> = changes
            .iter()
            .map(|c| (c.address.as_str(), c.action, c.fields.len()))
            .collect();
        assert_eq!(
            summary,
            [
                ("resource_server.a", Action::Update, 2),
                ("resource_server.b", Action::Update, 1),
                ("resource_server.c", Action::Create, 2),
                ("resource_server.hand", Action::Unmanaged, 0),
            ]
        );
        assert_eq!(
            fields(&changes[2]),
            [
                ("name".into(), None, Some(json!("C"))),
                ("scopes.x".into(), None, Some(json!("X")))
            ]
        );
        let pruned = diff(Some(&desired), &live, true);
        assert_eq!(pruned[3].action, Action::Delete);
        assert!(pruned[3].reasons[0].contains("scopes"));
    }
}
