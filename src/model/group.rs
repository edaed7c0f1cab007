//! A user pool group: the unit of authorization claims (`cognito:groups`) and
//! of IAM role mapping.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Group {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Lower wins when a user's groups map to different IAM roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precedence: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}
