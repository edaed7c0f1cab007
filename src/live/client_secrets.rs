//! A confidential client's secrets as Cognito lists them
//! (`ListUserPoolClientSecrets`): ids and creation dates only. Cognito never
//! lists a secret's value, and poolctl would not keep one if it did.

use crate::aws::explain;
use aws_sdk_cognitoidentityprovider as cognito;

/// One of a client's secrets, without its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretInfo {
    pub id: String,
    /// When Cognito created it (RFC 3339), if it says.
    pub created: Option<String>,
}

/// How many secrets Cognito lets a client hold at once
/// (AddUserPoolClientSecret: "up to 2 active secrets per app client").
pub const MAX_SECRETS: usize = 2;

/// The client's secrets, oldest first.
pub async fn list(
    client: &cognito::Client,
    pool_id: &str,
    client_id: &str,
) -> anyhow::Result<Vec<SecretInfo>> {
    let mut secrets = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let out = client
            .list_user_pool_client_secrets()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| explain(&format!("ListUserPoolClientSecrets {client_id}"), e))?;
        for s in out.client_secrets() {
            // Never the value (Cognito leaves it out here anyway).
            secrets.push(SecretInfo {
                id: s.client_secret_id().unwrap_or_default().to_string(),
                created: s.client_secret_create_date().map(rfc3339),
            });
        }
        match out.next_token {
            Some(token) if !token.is_empty() => next = Some(token),
            _ => break,
        }
    }
    sort_oldest_first(&mut secrets);
    Ok(secrets)
}

/// Oldest first; RFC 3339 text in UTC sorts as time does.
pub fn sort_oldest_first(secrets: &mut [SecretInfo]) {
    secrets.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
}

pub fn rfc3339(date: &aws_smithy_types::DateTime) -> String {
    date.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_else(|_| date.secs().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oldest_first() {
        let s = |id: &str, created: &str| SecretInfo {
            id: id.into(),
            created: Some(created.into()),
        };
        let mut list = vec![
            s("b", "2026-02-01T00:00:00Z"),
            s("a", "2025-12-31T23:59:59Z"),
        ];
        sort_oldest_first(&mut list);
        assert_eq!(list[0].id, "a");
    }
}
