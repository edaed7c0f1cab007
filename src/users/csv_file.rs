//! Cognito's user import CSV: the columns `GetCSVHeader` names, in its
//! order, one row a user. Used for the export's `users.csv` (for the source
//! pool's header) and for the file an import uploads (for the target's).

use super::UserRecord;

/// Whether a column needs `true` or `false` for this user: the MFA flag
/// always, a verified flag when its attribute has a value.
fn needs_boolean(column: &str, user: &UserRecord) -> bool {
    match column {
        "cognito:mfa_enabled" => true,
        "email_verified" => user.attributes.contains_key("email"),
        "phone_number_verified" => user.attributes.contains_key("phone_number"),
        _ => false,
    }
}

/// The header line.
pub fn header(columns: &[String]) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(columns)?;
    Ok(out.into_inner()?)
}

/// One row per user, in the header's column order. MFA cannot be carried
/// over (its secrets cannot be read), so `cognito:mfa_enabled` is `false`.
pub fn rows(columns: &[String], users: &[UserRecord]) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for user in users {
        let row = columns.iter().map(|column| {
            let value = match column.as_str() {
                "cognito:username" => Some(user.username.as_str()),
                "cognito:mfa_enabled" => None,
                name => user.attributes.get(name).map(String::as_str),
            };
            match value {
                Some(value) => value.to_string(),
                None if needs_boolean(column, user) => "false".to_string(),
                None => String::new(),
            }
        });
        out.write_record(row)?;
    }
    Ok(out.into_inner()?)
}

/// The user names of an import CSV's rows (for the emulator and the tests'
/// own checks).
pub fn count_rows(text: &str) -> usize {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .filter(Result::is_ok)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn rows_follow_the_header_and_quote_what_needs_it() {
        let columns: Vec<String> = [
            "name",
            "email",
            "email_verified",
            "custom:tier",
            "cognito:mfa_enabled",
            "cognito:username",
        ]
        .map(String::from)
        .to_vec();
        let user = UserRecord {
            username: "ann".into(),
            sub: Some("s-1".into()),
            status: Some("CONFIRMED".into()),
            enabled: true,
            attributes: BTreeMap::from([
                ("email".into(), "ann@example.com".into()),
                ("name".into(), "Ann, \"the\" first".into()),
            ]),
            groups: vec![],
            created: None,
            modified: None,
        };
        let text = String::from_utf8(header(&columns).unwrap()).unwrap()
            + &String::from_utf8(rows(&columns, &[user]).unwrap()).unwrap();
        assert_eq!(
            text,
            "name,email,email_verified,custom:tier,cognito:mfa_enabled,cognito:username\n\
             \"Ann, \"\"the\"\" first\",ann@example.com,false,,false,ann\n"
        );
        assert_eq!(count_rows(&text), 1);
    }
}
