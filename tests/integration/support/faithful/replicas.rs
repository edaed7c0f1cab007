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
//!
//! A replica's own tags: those given to `CreateUserPoolReplica`
//! (`UserPoolTags`), then `TagResource`, `UntagResource` and
//! `ListTagsForResource` on the replica's ARN (the pool's id, in the
//! replica's region); the pool's own ARN is left to moto. An ARN naming a
//! region with no replica is `ResourceNotFoundException`; more than 50 tags
//! on a replica, or a key or value of the wrong length, is refused.

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
    /// (pool id, region) -> the replica's tags.
    tags: HashMap<(String, String), BTreeMap<String, String>>,
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
        if matches!(
            operation,
            "TagResource" | "UntagResource" | "ListTagsForResource"
        ) {
            return self.tag_answer(operation, request);
        }
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
        let mut tags_now: Option<BTreeMap<String, String>> = None;
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
                    // A new replica has the tags it is created with, only.
                    tags_now = Some(
                        request["UserPoolTags"]
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                            .collect(),
                    );
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
                    tags_now = Some(BTreeMap::new());
                    Answer::ok(json!({
                        "UserPoolReplica": replica(&pool, &region, "DELETING", "SECONDARY")
                    }))
                }
            },
            _ => return None,
        };
        if let Some(tags) = tags_now {
            state.tags.insert((pool, region), tags);
        }
        Some(answer)
    }

    /// The tag calls on a replica's ARN; `None` for any other ARN (the
    /// pool's own, in its region, is moto's).
    fn tag_answer(&self, operation: &str, request: &Value) -> Option<Answer> {
        let arn = request["ResourceArn"].as_str()?;
        // arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let (region, pool) = match parts.as_slice() {
            [_, _, "cognito-idp", region, _, rest] => (
                region.to_string(),
                rest.strip_prefix("userpool/")?.to_string(),
            ),
            _ => return None,
        };
        if pool.split('_').next() == Some(region.as_str()) {
            return None;
        }
        let mut state = self.state.lock().unwrap();
        let exists = state
            .replicas
            .get(&pool)
            .is_some_and(|r| r.contains_key(&region));
        if !exists {
            return Some(Answer::error(
                "ResourceNotFoundException",
                &format!("Resource {arn} does not exist."),
            ));
        }
        let tags = state.tags.entry((pool, region)).or_default();
        let answer = match operation {
            "ListTagsForResource" => Answer::ok(json!({ "Tags": tags })),
            "TagResource" => {
                let Some(new) = request["Tags"].as_object() else {
                    return Some(invalid(
                        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
                    ));
                };
                let mut next = tags.clone();
                for (k, v) in new {
                    let v = v.as_str().unwrap_or_default();
                    if !(1..=128).contains(&k.chars().count()) || v.chars().count() > 256 {
                        return Some(invalid(&format!(
                            "1 validation error detected: tag {k} failed to satisfy constraint: key length 1-128, value length 0-256"
                        )));
                    }
                    next.insert(k.clone(), v.to_string());
                }
                if next.len() > 50 {
                    return Some(invalid("A resource can have at most 50 tags."));
                }
                *tags = next;
                Answer::ok(json!({}))
            }
            "UntagResource" => {
                for key in request["TagKeys"].as_array().into_iter().flatten() {
                    tags.remove(key.as_str().unwrap_or_default());
                }
                Answer::ok(json!({}))
            }
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
                state.tags.retain(|(pool, _), _| *pool != id);
                state.deleted_pools.insert(id);
            }
            _ => {}
        }
    }
}
