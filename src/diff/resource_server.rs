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
        kind: crate::plan::Kind::ResourceServer,
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

// Its cases are data: tests/cases/resource_server/ (run by the integration
// test `cases::every_diff_case_plans_as_expected`).
