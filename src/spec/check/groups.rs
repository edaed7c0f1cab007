//! Checks of groups.

use super::Checks;
use crate::model::group::Group;
use std::collections::BTreeMap;

pub fn check(groups: Option<&BTreeMap<String, Group>>, c: &mut Checks) {
    for (name, group) in groups.into_iter().flatten() {
        let field = format!("groups.{name}");
        if name.is_empty() || name.chars().count() > 128 || name.chars().any(char::is_whitespace) {
            c.error(&field, "group names are 1-128 characters without spaces");
        }
        c.max_len(
            &format!("{field}.description"),
            group.description.as_ref(),
            2048,
        );
        if let Some(arn) = &group.role_arn {
            if !(arn.starts_with("arn:") && arn.contains(":iam::") && arn.contains(":role/")) {
                c.error(
                    format!("{field}.role_arn"),
                    format!("`{arn}` is not an IAM role ARN"),
                );
            }
        }
    }
}
