//! A resource server: an API whose OAuth scopes app clients can be granted,
//! as `<identifier>/<scope>`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ResourceServer {
    /// The display name; the identifier is the key it is declared under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Scope name -> description. The whole set is managed: a live scope
    /// missing here is removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<BTreeMap<String, String>>,
}
