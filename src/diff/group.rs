//! Groups: every field changes in place; deleting one drops its memberships.

use super::{diff_named, Named};
use crate::model::group::Group;
use crate::plan::ResourceChange;
use std::collections::BTreeMap;

pub fn diff(
    desired: Option<&BTreeMap<String, Group>>,
    live: &BTreeMap<String, Group>,
    prune: bool,
) -> Vec<ResourceChange> {
    diff_named(Named {
        kind: crate::plan::Kind::Group,
        desired,
        live,
        prune,
        forces: &|_| None,
        delete_warning: Some(
            "deleting a group removes every user from it; the memberships are lost",
        ),
        extra: &super::no_extra,
    })
}
