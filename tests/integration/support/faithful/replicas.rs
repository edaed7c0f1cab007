//! Multi-Region replicas, which moto lacks entirely (HTTP 500):
//! `CreateUserPoolReplica`, `ListUserPoolReplicas`, `UpdateUserPoolReplica`
//! and `DeleteUserPoolReplica`, answered here from the API reference's
//! request and response shapes (`UserPoolReplicaType`).
//!
//! A new replica is `CREATING` in its creation's answer and in the first
//! list that shows it, then `ACTIVE`. The list names the primary too (the
//! pool in its own region, `PRIMARY`). Cognito's refusals: a replica in the
//! pool's own region or in a region that already has one, a region name of
//! the wrong length, a pool on the lite tier (multi-Region replication needs
//! essentials or plus), a status change while it is creating, and deleting
//! one that is not `INACTIVE`.

use super::Answer;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

#[derive(Default)]
pub struct ReplicaSemantics {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Pool id -> region -> Cognito's status of the replica there.
    replicas: HashMap<String, BTreeMap<String, String>>,
    /// Pool id -> `UserPoolTier` as last sent (AWS's default is ESSENTIALS).
    tiers: HashMap<String, String>,
    deleted_pools: HashSet<String>,
}

const ACCOUNT: &str = "123456789012";

fn replica(pool: &str, region: &str, status: &str, role: &str) -> Value {
    json!({
        "RegionName": region,
        "Status": status,
        "Role": role,
        "UserPoolArn": format!("arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{pool}"),
    })
}

fn invalid(message: &str) -> Answer {
    Answer::error("InvalidParameterException", message)
}

impl ReplicaSemantics {
    /// An answer in moto's place for the replica calls; `None` otherwise.
    pub fn answer(&self, operation: &str, request: &Value) -> Option<Answer> {
        if !operation.contains("UserPoolReplica") {
            return None;
        }
        let pool = request["UserPoolId"].as_str()?.to_string();
        let primary = pool.split('_').next().unwrap_or_default().to_string();
        let mut state = self.state.lock().unwrap();
        if state.deleted_pools.contains(&pool) {
            return Some(Answer::error(
                "ResourceNotFoundException",
                &format!("User pool {pool} does not exist."),
            ));
        }
        if operation == "ListUserPoolReplicas" {
            let mut list = vec![replica(&pool, &primary, "ACTIVE", "PRIMARY")];
            let replicas = state.replicas.entry(pool.clone()).or_default();
            for (region, status) in replicas.iter_mut() {
                list.push(replica(&pool, region, status, "SECONDARY"));
                // Reported once as CREATING, then created.
                if status == "CREATING" {
                    *status = "ACTIVE".to_string();
                }
            }
            return Some(Answer::ok(json!({ "UserPoolReplicas": list })));
        }
        let region = request["RegionName"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if !(5..=32).contains(&region.len()) {
            return Some(invalid(
                "1 validation error detected: Value at 'regionName' failed to satisfy constraint: Member must have length between 5 and 32",
            ));
        }
        let tier = state.tiers.get(&pool).cloned();
        let replicas = state.replicas.entry(pool.clone()).or_default();
        let missing = || {
            Answer::error(
                "ResourceNotFoundException",
                &format!("User pool {pool} has no replica in {region}."),
            )
        };
        let answer = match operation {
            "CreateUserPoolReplica" => {
                if region == primary {
                    invalid("A replica cannot be created in the user pool's primary Region.")
                } else if tier.as_deref() == Some("LITE") {
                    Answer::error(
                        "FeatureUnavailableInTierException",
                        "Multi-Region replication is not available in the Lite tier.",
                    )
                } else if replicas.contains_key(&region) {
                    invalid(&format!("User pool {pool} already has a replica in {region}."))
                } else {
                    replicas.insert(region.clone(), "CREATING".into());
                    Answer::ok(json!({
                        "UserPoolReplica": replica(&pool, &region, "CREATING", "SECONDARY")
                    }))
                }
            }
            "UpdateUserPoolReplica" => {
                let status = request["Status"].as_str().unwrap_or_default();
                match replicas.get_mut(&region) {
                    _ if !matches!(status, "ACTIVE" | "INACTIVE") => invalid(&format!(
                        "1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE]"
                    )),
                    None => missing(),
                    Some(now) if now == "CREATING" || now == "DELETING" => {
                        invalid(&format!("The replica in {region} is {now}."))
                    }
                    Some(now) => {
                        *now = status.to_string();
                        Answer::ok(json!({
                            "UserPoolReplica": replica(&pool, &region, status, "SECONDARY")
                        }))
                    }
                }
            }
            "DeleteUserPoolReplica" => match replicas.get(&region).cloned() {
                None => missing(),
                Some(now) if now != "INACTIVE" => invalid(&format!(
                    "You can only delete replicas that are in the INACTIVE status; the replica in {region} is {now}."
                )),
                Some(_) => {
                    replicas.remove(&region);
                    Answer::ok(json!({
                        "UserPoolReplica": replica(&pool, &region, "DELETING", "SECONDARY")
                    }))
                }
            },
            _ => return None,
        };
        Some(answer)
    }

    /// Follows the pools' tiers and deletions in the requests moto answered.
    pub fn observe(&self, operation: &str, request: &Value, response_body: &[u8]) {
        let mut state = self.state.lock().unwrap();
        let response: Value = serde_json::from_slice(response_body).unwrap_or(Value::Null);
        let id = request["UserPoolId"]
            .as_str()
            .or_else(|| response["UserPool"]["Id"].as_str())
            .map(str::to_string);
        let Some(id) = id else { return };
        match operation {
            "CreateUserPool" | "UpdateUserPool" => {
                if let Some(tier) = request["UserPoolTier"].as_str() {
                    state.tiers.insert(id, tier.to_string());
                }
            }
            "DeleteUserPool" => {
                state.replicas.remove(&id);
                state.deleted_pools.insert(id);
            }
            _ => {}
        }
    }
}
