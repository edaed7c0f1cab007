//! Multi-Region replicas, keyed by region. `status` changes in place
//! (`UpdateUserPoolReplica`), and tags key by key as the pool's own do (one
//! added or changed is set, one dropped from the spec is left alone: the
//! live tags are read, and compared, only for the keys the spec names);
//! both only on a replica that has settled: one
//! Cognito is still creating or deleting is a blocked change with its
//! reason. A replica holds the pool's users in its region, so one the spec
//! no longer lists is deleted only with `--prune`.

use super::compare;
use crate::live::replica::LiveReplica;
use crate::model::enums::ReplicaStatus;
use crate::model::replica::Replica;
use crate::plan::{Action, Kind, ResourceChange};
use std::collections::BTreeMap;

/// Said of a replica's deletion.
pub const DELETE_WARNING: &str = "the replica's copy of the pool in that region goes, and sign-in there with it; an active replica is deactivated first";

pub fn diff(
    desired: Option<&BTreeMap<String, Replica>>,
    live: &BTreeMap<String, LiveReplica>,
    prune: bool,
) -> Vec<ResourceChange> {
    let Some(desired) = desired else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (region, want) in desired {
        let address = Kind::Replica.at(region);
        // Only the declared keys are compared (`compare` walks the spec's).
        let want_value = serde_json::to_value(want).expect("models serialize");
        let mut fields = Vec::new();
        let Some(have) = live.get(region) else {
            let full = serde_json::to_value(want).expect("models serialize");
            compare(&full, None, "", &mut fields);
            changes.push(ResourceChange {
                address,
                action: Action::Create,
                fields,
                reasons: Vec::new(),
            });
            continue;
        };
        if have.is_deleting() {
            changes.push(ResourceChange {
                address,
                action: Action::Blocked,
                fields,
                reasons: vec![format!(
                    "the replica in {region} is being deleted (DELETING); run apply again once it is gone to create it anew"
                )],
            });
            continue;
        }
        if have.is_creating() {
            // It becomes ACTIVE by itself; only another status must wait.
            if want.status.is_some_and(|s| s != ReplicaStatus::Active) {
                let status = serde_json::json!({ "status": want.status });
                compare(&status, None, "", &mut fields);
                changes.push(ResourceChange {
                    address,
                    action: Action::Blocked,
                    fields,
                    reasons: vec![format!(
                        "the replica in {region} is still being created (CREATING); its status can change once Cognito has created it: run apply again then"
                    )],
                });
            }
            continue;
        }
        let have_value = serde_json::to_value(&have.model).expect("models serialize");
        compare(&want_value, Some(&have_value), "", &mut fields);
        if !fields.is_empty() {
            changes.push(ResourceChange {
                address,
                action: Action::Update,
                fields,
                reasons: Vec::new(),
            });
        }
    }
    // A replica on its way out is no longer the spec's business.
    for (region, _) in live
        .iter()
        .filter(|(r, l)| !desired.contains_key(*r) && !l.is_deleting())
    {
        let (action, reasons) = if prune {
            (Action::Delete, vec![DELETE_WARNING.to_string()])
        } else {
            (
                Action::Unmanaged,
                vec!["not in the spec; `apply --prune` would delete it".to_string()],
            )
        };
        changes.push(ResourceChange {
            address: Kind::Replica.at(region),
            action,
            fields: Vec::new(),
            reasons,
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(state: &str) -> LiveReplica {
        LiveReplica {
            model: Replica {
                status: ReplicaStatus::from_api(state),
                tags: None,
            },
            state: state.into(),
            arn: None,
        }
    }

    fn want(status: Option<ReplicaStatus>) -> Replica {
        Replica {
            status,
            tags: Some(BTreeMap::from([("team".into(), "id".into())])),
        }
    }

    fn actions(changes: &[ResourceChange]) -> Vec<(String, Action)> {
        changes
            .iter()
            .map(|c| (c.address.to_string(), c.action))
            .collect()
    }

    fn tagged(state: &str, tags: &[(&str, &str)]) -> LiveReplica {
        let mut l = live(state);
        l.model.tags = Some(
            tags.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        l
    }

    #[test]
    fn status_changes_in_place() {
        let desired = BTreeMap::from([("us-west-2".into(), want(Some(ReplicaStatus::Inactive)))]);
        let live_map = BTreeMap::from([("us-west-2".into(), tagged("ACTIVE", &[("team", "id")]))]);
        let changes = diff(Some(&desired), &live_map, false);
        assert_eq!(
            actions(&changes),
            [("replica.us-west-2".into(), Action::Update)]
        );
        assert_eq!(changes[0].fields.len(), 1);
        assert_eq!(changes[0].fields[0].path, "status");
        let same = BTreeMap::from([("us-west-2".into(), tagged("INACTIVE", &[("team", "id")]))]);
        assert!(diff(Some(&desired), &same, false).is_empty());
    }

    #[test]
    fn replica_tags_are_compared_key_by_key_for_the_declared_keys_only() {
        let desired = BTreeMap::from([("us-west-2".into(), want(None))]);
        // A live tag the spec does not name is not managed: no change.
        let extra = BTreeMap::from([(
            "us-west-2".into(),
            tagged("ACTIVE", &[("team", "id"), ("cost", "x")]),
        )]);
        assert!(diff(Some(&desired), &extra, false).is_empty());
        let changed = BTreeMap::from([("us-west-2".into(), tagged("ACTIVE", &[("team", "ops")]))]);
        let changes = diff(Some(&desired), &changed, false);
        assert_eq!(
            actions(&changes),
            [("replica.us-west-2".into(), Action::Update)]
        );
        assert_eq!(changes[0].fields.len(), 1);
        assert_eq!(changes[0].fields[0].path, "tags.team");
        assert_eq!(changes[0].fields[0].before, Some("ops".into()));
        let untagged = BTreeMap::from([("us-west-2".into(), live("ACTIVE"))]);
        let changes = diff(Some(&desired), &untagged, false);
        assert_eq!(changes[0].fields[0].path, "tags.team");
        assert_eq!(changes[0].fields[0].before, None);
        // A replica still being created: its tags wait, like its status.
        let creating = BTreeMap::from([("us-west-2".into(), live("CREATING"))]);
        assert!(diff(Some(&desired), &creating, false).is_empty());
    }

    #[test]
    fn creating_and_deleting_replicas_block_what_must_wait() {
        let active = BTreeMap::from([("us-west-2".into(), want(Some(ReplicaStatus::Active)))]);
        let inactive = BTreeMap::from([("us-west-2".into(), want(Some(ReplicaStatus::Inactive)))]);
        let creating = BTreeMap::from([("us-west-2".into(), live("CREATING"))]);
        assert!(diff(Some(&active), &creating, false).is_empty());
        let blocked = diff(Some(&inactive), &creating, false);
        assert_eq!(
            actions(&blocked),
            [("replica.us-west-2".into(), Action::Blocked)]
        );
        assert!(blocked[0].reasons[0].contains("CREATING"));
        let deleting = BTreeMap::from([("us-west-2".into(), live("DELETING"))]);
        let blocked = diff(Some(&active), &deleting, false);
        assert_eq!(blocked[0].action, Action::Blocked);
        assert!(blocked[0].reasons[0].contains("DELETING"));
    }

    #[test]
    fn an_unlisted_replica_is_deleted_only_with_prune() {
        let live_map = BTreeMap::from([
            ("eu-west-1".to_string(), live("ACTIVE")),
            ("ap-south-1".to_string(), live("DELETING")),
        ]);
        let none = BTreeMap::new();
        assert_eq!(
            actions(&diff(Some(&none), &live_map, false)),
            [("replica.eu-west-1".into(), Action::Unmanaged)]
        );
        assert_eq!(
            actions(&diff(Some(&none), &live_map, true)),
            [("replica.eu-west-1".into(), Action::Delete)]
        );
        assert!(diff(None, &live_map, true).is_empty());
    }
}
