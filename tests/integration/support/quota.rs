//! AWS's request-rate quotas for Cognito, played by the proxy: a fault rule
//! that answers TooManyRequestsException whenever a request would exceed
//! its category's per-second quota in its account and region (or a single
//! operation's 5 a second on one pool), as Cognito does.

use super::{Fault, FaultRule, RecordedRequest};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Cognito's quota category of an operation and its requests per second.
pub fn category(operation: &str) -> Option<(&'static str, usize)> {
    Some(match operation {
        "DescribeUserPool" | "ListUserPools" => ("UserPoolRead", 15),
        "CreateUserPool" | "UpdateUserPool" | "DeleteUserPool" => ("UserPoolUpdate", 15),
        "DescribeIdentityProvider"
        | "DescribeResourceServer"
        | "DescribeUserPoolDomain"
        | "GetGroup"
        | "GetUserPoolMfaConfig"
        | "ListGroups"
        | "ListIdentityProviders"
        | "ListResourceServers"
        | "ListTagsForResource" => ("UserPoolResourceRead", 20),
        "AddCustomAttributes"
        | "CreateGroup"
        | "UpdateGroup"
        | "DeleteGroup"
        | "CreateIdentityProvider"
        | "UpdateIdentityProvider"
        | "DeleteIdentityProvider"
        | "CreateResourceServer"
        | "UpdateResourceServer"
        | "DeleteResourceServer"
        | "CreateUserPoolDomain"
        | "UpdateUserPoolDomain"
        | "DeleteUserPoolDomain"
        | "SetUserPoolMfaConfig"
        | "TagResource"
        | "UntagResource" => ("UserPoolResourceUpdate", 15),
        "DescribeUserPoolClient" | "ListUserPoolClients" => ("UserPoolClientRead", 15),
        "CreateUserPoolClient" | "UpdateUserPoolClient" | "DeleteUserPoolClient" => {
            ("UserPoolClientUpdate", 15)
        }
        "GetCSVHeader" | "DescribeUserImportJob" | "ListUserImportJobs" => {
            ("UserPoolResourceRead", 20)
        }
        "CreateUserImportJob" | "StartUserImportJob" | "StopUserImportJob" => {
            ("UserPoolResourceUpdate", 15)
        }
        "DescribeRiskConfiguration" | "GetLogDeliveryConfiguration" => ("UserPoolResourceRead", 20),
        "SetRiskConfiguration" | "SetLogDeliveryConfiguration" => ("UserPoolResourceUpdate", 15),
        "ListUsers" | "ListUsersInGroup" => ("UserList", 30),
        "AdminGetUser" => ("UserRead", 120),
        "AdminCreateUser" => ("UserCreation", 50),
        "AdminAddUserToGroup"
        | "AdminRemoveUserFromGroup"
        | "AdminDisableUser"
        | "AdminEnableUser" => ("UserUpdate", 25),
        _ => return None,
    })
}

/// The region a request is signed for (SigV4 credential scope).
pub fn region_of(request: &RecordedRequest) -> String {
    request
        .header("authorization")
        .and_then(|auth| auth.split("Credential=").nth(1))
        .and_then(|cred| cred.split(['/', ',']).nth(2))
        .unwrap_or("")
        .to_string()
}

fn pool_of(request: &RecordedRequest) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(&request.body)
        .ok()?
        .get("UserPoolId")?
        .as_str()
        .map(str::to_string)
}

/// A fault rule enforcing the quotas over a sliding one-second window.
pub fn enforce_cognito_quotas() -> FaultRule {
    enforce_cognito_quotas_shared(0.0)
}

/// The same, on an account where another client (a co-tenant) hammers every
/// category: it spends `share` of each category's quota, evenly, from a
/// second before the first request on (the tokens are spent before poolctl
/// starts). The per-pool caps are poolctl's own: the co-tenant works on
/// other pools.
pub fn enforce_cognito_quotas_shared(share: f64) -> FaultRule {
    let windows: Arc<Mutex<HashMap<String, VecDeque<Instant>>>> = Arc::default();
    let co_tenant: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    Arc::new(move |request, _| {
        let (category, per_second) = category(&request.operation)?;
        let region = region_of(request);
        let now = Instant::now();
        let category_key = format!("{region}/{category}");
        let mut keys = vec![(category_key.clone(), per_second)];
        if category.starts_with("UserPoolResource") || category.starts_with("UserPoolClient") {
            if let Some(pool) = pool_of(request) {
                keys.push((format!("{region}/{pool}/{}", request.operation), 5));
            }
        }
        let mut windows = windows.lock().unwrap();
        if share > 0.0 {
            let gap = Duration::from_secs_f64(1.0 / (share * per_second as f64));
            let mut next = co_tenant.lock().unwrap();
            let next = next
                .entry(category_key.clone())
                .or_insert_with(|| now - Duration::from_secs(1));
            let window = windows.entry(category_key).or_default();
            while *next <= now {
                window.push_back(*next);
                *next += gap;
            }
        }
        let over = keys.iter().any(|(key, limit)| {
            let window = windows.entry(key.clone()).or_default();
            window.retain(|t| now.duration_since(*t) < Duration::from_secs(1));
            window.len() >= *limit
        });
        if over {
            return Some(Fault::Throttle);
        }
        for (key, _) in keys {
            windows.entry(key).or_default().push_back(now);
        }
        None
    })
}
