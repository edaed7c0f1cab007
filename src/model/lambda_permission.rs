//! A trigger's Lambda permission: the statement in the function's resource
//! policy that lets Cognito invoke it for one pool. Without it every trigger
//! call fails with AccessDeniedException, at sign-up time.

use serde_json::Value;

/// The service Cognito invokes triggers as.
pub const PRINCIPAL: &str = "cognito-idp.amazonaws.com";
pub const ACTION: &str = "lambda:InvokeFunction";
/// Statement ids poolctl writes start with this.
pub const SID_PREFIX: &str = "poolctl-";
/// Lambda's limit on a statement id.
const MAX_SID: usize = 100;

/// A function's resource policy as live: the function may not exist at all,
/// which is not the same as having no policy yet (no statements).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum FunctionPolicy {
    Missing,
    Statements(Vec<PolicyStatement>),
}

/// The parts of a policy statement that decide whether it lets a pool invoke.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct PolicyStatement {
    pub sid: Option<String>,
    pub allow: bool,
    pub services: Vec<String>,
    /// `"Principal": "*"` or `{"AWS": "*"}`.
    pub any_principal: bool,
    pub actions: Vec<String>,
    /// `AWS:SourceArn` under ArnLike / ArnEquals / StringEquals / StringLike.
    pub source_arns: Vec<String>,
    /// `AWS:SourceAccount` under StringEquals / StringLike.
    pub source_accounts: Vec<String>,
}

impl PolicyStatement {
    /// Whether this statement lets Cognito invoke the function for the pool
    /// `pool_arn`: made by poolctl, CDK or by hand alike.
    pub fn grants(&self, pool_arn: &str) -> bool {
        let principal = self.any_principal || self.services.iter().any(|s| s == PRINCIPAL);
        let action = self
            .actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case(ACTION) || a == "lambda:*" || a == "*");
        let source =
            self.source_arns.is_empty() || self.source_arns.iter().any(|p| glob_match(p, pool_arn));
        let account = self.source_accounts.is_empty()
            || account_of(pool_arn)
                .is_some_and(|acct| self.source_accounts.iter().any(|a| a == acct));
        self.allow && principal && action && source && account
    }

    /// Whether poolctl wrote this statement for `trigger` of the pool `pool_arn`.
    pub fn is_poolctls(&self, trigger: &str, pool_arn: &str) -> bool {
        self.sid
            .as_deref()
            .is_some_and(|sid| sid.starts_with(SID_PREFIX) && sid.ends_with(&format!("-{trigger}")))
            && self.source_arns.iter().any(|a| a == pool_arn)
    }

    /// Reads a policy document (`GetPolicy`'s `Policy`). What it cannot read
    /// is left out: such a statement never counts as a grant.
    pub fn parse_policy(document: &str) -> anyhow::Result<Vec<PolicyStatement>> {
        let doc: Value = serde_json::from_str(document)
            .map_err(|e| anyhow::anyhow!("the function's policy is not JSON: {e}"))?;
        let statements = match &doc["Statement"] {
            Value::Array(items) => items.clone(),
            Value::Null => Vec::new(),
            one => vec![one.clone()],
        };
        Ok(statements.iter().map(PolicyStatement::from_json).collect())
    }

    fn from_json(s: &Value) -> PolicyStatement {
        let mut out = PolicyStatement {
            sid: s["Sid"].as_str().map(str::to_string),
            allow: s["Effect"].as_str() == Some("Allow"),
            actions: strings(&s["Action"]),
            ..Default::default()
        };
        match &s["Principal"] {
            Value::String(p) => out.any_principal = p == "*",
            Value::Object(map) => {
                out.services = strings(map.get("Service").unwrap_or(&Value::Null));
                out.any_principal = strings(map.get("AWS").unwrap_or(&Value::Null))
                    .iter()
                    .any(|a| a == "*");
            }
            _ => {}
        }
        if let Value::Object(conditions) = &s["Condition"] {
            for (operator, keys) in conditions {
                let Value::Object(keys) = keys else { continue };
                for (key, value) in keys {
                    // Condition keys are case-insensitive.
                    match key.to_ascii_lowercase().as_str() {
                        "aws:sourcearn" => out.source_arns.extend(strings(value)),
                        "aws:sourceaccount" => out.source_accounts.extend(strings(value)),
                        // A condition poolctl does not understand might deny the
                        // pool: such a statement does not count as a grant.
                        _ => out.allow = false,
                    }
                }
                if !matches!(
                    operator.as_str(),
                    "ArnLike" | "ArnEquals" | "StringEquals" | "StringLike"
                ) {
                    out.allow = false;
                }
            }
        }
        out
    }
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// IAM's `*` / `?` wildcards, as ArnLike and StringLike read them.
fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The account of an ARN (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`),
/// when it has a 12-digit one.
pub fn account_of(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())).then_some(account)
}

/// The statement id poolctl gives a trigger's permission:
/// `poolctl-<pool name>-<trigger>`, limited to what Lambda accepts
/// (`[A-Za-z0-9-_]`, at most 100 characters).
pub fn statement_id(pool_name: &str, trigger: &str) -> String {
    build_sid(pool_name, None, trigger)
}

/// The fallback when another pool's statement already holds
/// `statement_id(...)` on the same function (two pools of one name in
/// different regions or accounts): a short digest of the pool's ARN keeps it
/// unique and still stable.
pub fn unique_statement_id(pool_name: &str, pool_arn: &str, trigger: &str) -> String {
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(pool_arn.as_bytes()));
    build_sid(pool_name, Some(&digest[..8]), trigger)
}

fn build_sid(pool_name: &str, tag: Option<&str>, trigger: &str) -> String {
    let clean: String = pool_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let tag = tag.map(|t| format!("{t}-")).unwrap_or_default();
    let room = MAX_SID - SID_PREFIX.len() - 1 - tag.len() - trigger.len();
    let name: String = clean.chars().take(room).collect();
    format!("{SID_PREFIX}{name}-{tag}{trigger}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const POOL: &str = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyZ";

    fn statements(json: &str) -> Vec<PolicyStatement> {
        PolicyStatement::parse_policy(json).unwrap()
    }

    #[test]
    fn statements_made_by_anyone_count_as_grants() {
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[
              {{"Sid":"cdk-made","Effect":"Allow","Principal":{{"Service":"cognito-idp.amazonaws.com"}},"Action":"lambda:InvokeFunction","Resource":"f","Condition":{{"ArnLike":{{"AWS:SourceArn":"{POOL}"}}}}}},
              {{"Sid":"other-pool","Effect":"Allow","Principal":{{"Service":"cognito-idp.amazonaws.com"}},"Action":"lambda:InvokeFunction","Condition":{{"ArnLike":{{"aws:SourceArn":"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other"}}}}}},
              {{"Sid":"wildcard","Effect":"Allow","Principal":{{"Service":["cognito-idp.amazonaws.com"]}},"Action":["lambda:InvokeFunction"],"Condition":{{"ArnLike":{{"AWS:SourceArn":"arn:aws:cognito-idp:us-east-1:123456789012:userpool/*"}}}}}},
              {{"Sid":"s3","Effect":"Allow","Principal":{{"Service":"s3.amazonaws.com"}},"Action":"lambda:InvokeFunction"}},
              {{"Sid":"wrong-account","Effect":"Allow","Principal":{{"Service":"cognito-idp.amazonaws.com"}},"Action":"lambda:InvokeFunction","Condition":{{"StringEquals":{{"AWS:SourceAccount":"999999999999"}}}}}},
              {{"Sid":"deny","Effect":"Deny","Principal":{{"Service":"cognito-idp.amazonaws.com"}},"Action":"lambda:InvokeFunction"}}
            ]}}"#
        );
        let grants: Vec<Option<String>> = statements(&policy)
            .into_iter()
            .filter(|s| s.grants(POOL))
            .map(|s| s.sid)
            .collect();
        assert_eq!(
            grants,
            [Some("cdk-made".to_string()), Some("wildcard".to_string())]
        );
        let single = r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"cognito-idp.amazonaws.com"},"Action":"lambda:*"}}"#;
        assert!(statements(single)[0].grants(POOL));
        assert!(PolicyStatement::parse_policy("not json").is_err());
    }

    #[test]
    fn poolctls_own_statements_are_told_by_id_and_pool() {
        let policy = format!(
            r#"{{"Statement":[{{"Sid":"poolctl-shop-dev-post_authentication","Effect":"Allow","Principal":{{"Service":"cognito-idp.amazonaws.com"}},"Action":"lambda:InvokeFunction","Condition":{{"ArnLike":{{"AWS:SourceArn":"{POOL}"}}}}}}]}}"#
        );
        let s = &statements(&policy)[0];
        assert!(s.is_poolctls("post_authentication", POOL));
        assert!(!s.is_poolctls("pre_authentication", POOL));
        assert!(!s.is_poolctls(
            "post_authentication",
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/x"
        ));
    }

    #[test]
    fn statement_ids_are_clean_bounded_and_stable() {
        assert_eq!(
            statement_id("shop-dev", "pre_sign_up"),
            "poolctl-shop-dev-pre_sign_up"
        );
        assert_eq!(
            statement_id("My Pool+1", "custom_message"),
            "poolctl-My-Pool-1-custom_message"
        );
        let long = "x".repeat(128);
        let sid = statement_id(&long, "verify_auth_challenge_response");
        assert_eq!(sid.len(), 100);
        assert!(sid.ends_with("-verify_auth_challenge_response"));
        let unique = unique_statement_id(&long, POOL, "pre_sign_up");
        assert_eq!(unique.len(), 100);
        assert_eq!(unique, unique_statement_id(&long, POOL, "pre_sign_up"));
        assert_ne!(unique, unique_statement_id(&long, "other", "pre_sign_up"));
        assert!(unique.ends_with("-pre_sign_up"));
        assert_eq!(account_of(POOL), Some("123456789012"));
        assert_eq!(account_of("arn:x"), None);
    }
}
