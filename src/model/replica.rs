//! A multi-Region replica of the pool: a secondary copy of the pool in
//! another region (`CreateUserPoolReplica`), keyed by that region. It shares
//! the pool's id and users; an inactive replica keeps its copy but does not
//! serve end users.

use super::enums::ReplicaStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Replica {
    /// `active` (serves end users) or `inactive`; absent, left as it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ReplicaStatus>,
    /// The replica's own tags: sent with `CreateUserPoolReplica`
    /// (`UserPoolTags`), then key by key (`TagResource` on the replica's
    /// ARN); a tag dropped from the spec is no longer managed and stays.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
}
