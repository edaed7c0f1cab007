//! A confidential client's secrets (`AddUserPoolClientSecret`,
//! `ListUserPoolClientSecrets`, `DeleteUserPoolClientSecret`), which moto
//! lacks, answered from the API reference's request and response shapes.
//!
//! A client's first secret is the one `CreateUserPoolClient` (or a later
//! `DescribeUserPoolClient`) reports; this layer learns it from moto's
//! answers. Cognito keeps at most two secrets per client ("up to 2 active
//! secrets per app client") and never deletes the last one. It generates a
//! value unless the request gives one (24 to 64 word characters), and
//! returns the value only when it generated it. `ListUserPoolClientSecrets`
//! never returns a value. `DeleteUserPoolClient` forgets them all.

use super::Answer;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct ClientSecretSemantics {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// (pool id, client id) -> the client's secrets, oldest first; a known
    /// public client has none.
    clients: HashMap<(String, String), Vec<Held>>,
    made: u64,
}

struct Held {
    id: String,
    created: f64,
}

fn key(request: &Value) -> Option<(String, String)> {
    Some((
        request["UserPoolId"].as_str()?.to_string(),
        request["ClientId"].as_str()?.to_string(),
    ))
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default()
}

impl ClientSecretSemantics {
    /// Learns which clients exist and whether they have a secret, from
    /// moto's answers about them.
    pub fn observe(&self, operation: &str, request: &Value, response_body: &[u8]) {
        let mut state = self.state.lock().unwrap();
        if operation == "DeleteUserPoolClient" {
            if let Some(k) = key(request) {
                state.clients.remove(&k);
            }
            return;
        }
        if !matches!(operation, "CreateUserPoolClient" | "DescribeUserPoolClient") {
            return;
        }
        let Ok(response) = serde_json::from_slice::<Value>(response_body) else {
            return;
        };
        let client = &response["UserPoolClient"];
        let (Some(pool), Some(id)) = (client["UserPoolId"].as_str(), client["ClientId"].as_str())
        else {
            return;
        };
        let created = client["CreationDate"].as_f64().unwrap_or_else(now);
        let has_secret = client["ClientSecret"].as_str().is_some();
        state
            .clients
            .entry((pool.to_string(), id.to_string()))
            .or_insert_with(|| {
                if has_secret {
                    vec![Held {
                        id: format!("{id}--{}", created as u64),
                        created,
                    }]
                } else {
                    Vec::new()
                }
            });
    }

    /// An answer in moto's place for the client-secret operations.
    pub fn answer(&self, operation: &str, request: &Value) -> Option<Answer> {
        if !matches!(
            operation,
            "AddUserPoolClientSecret" | "ListUserPoolClientSecrets" | "DeleteUserPoolClientSecret"
        ) {
            return None;
        }
        let k = key(request)?;
        let mut state = self.state.lock().unwrap();
        state.made += 1;
        let made = state.made;
        let Some(secrets) = state.clients.get_mut(&k) else {
            return Some(Answer::error(
                "ResourceNotFoundException",
                &format!("Client {} does not exist.", k.1),
            ));
        };
        if secrets.is_empty() {
            return Some(Answer::error(
                "InvalidParameterException",
                &format!("Client {} does not have a client secret.", k.1),
            ));
        }
        match operation {
            "AddUserPoolClientSecret" => {
                if secrets.len() >= 2 {
                    return Some(Answer::error(
                        "LimitExceededException",
                        "The app client already has the maximum number of client secrets (2).",
                    ));
                }
                let given = request["ClientSecret"].as_str();
                if let Some(given) = given {
                    let ok = (24..=64).contains(&given.len())
                        && given
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '+');
                    if !ok {
                        return Some(Answer::error(
                            "InvalidParameterException",
                            "1 validation error detected: Value at 'clientSecret' failed to satisfy constraint",
                        ));
                    }
                }
                let last = secrets.last().map(|s| s.created).unwrap_or_default();
                let created = now().max(last + 0.001);
                let id = format!("{}--{}-{made}", k.1, created as u64);
                secrets.push(Held {
                    id: id.clone(),
                    created,
                });
                let mut descriptor = json!({
                    "ClientSecretId": id,
                    "ClientSecretCreateDate": created,
                });
                if given.is_none() {
                    let digest = Sha256::digest(format!("{}/{id}/{created}", k.1).as_bytes());
                    let value: String = digest
                        .iter()
                        .map(|b| {
                            char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[*b as usize % 36])
                        })
                        .chain("s3cr3t".chars())
                        .take(52)
                        .collect();
                    descriptor["ClientSecretValue"] = Value::String(value);
                }
                Some(Answer::ok(json!({ "ClientSecretDescriptor": descriptor })))
            }
            "ListUserPoolClientSecrets" => {
                let list: Vec<Value> = secrets
                    .iter()
                    .map(|s| json!({ "ClientSecretId": s.id, "ClientSecretCreateDate": s.created }))
                    .collect();
                Some(Answer::ok(json!({ "ClientSecrets": list })))
            }
            _ => {
                let id = request["ClientSecretId"].as_str().unwrap_or_default();
                let Some(at) = secrets.iter().position(|s| s.id == id) else {
                    return Some(Answer::error(
                        "ResourceNotFoundException",
                        &format!("Client secret {id} does not exist."),
                    ));
                };
                if secrets.len() == 1 {
                    return Some(Answer::error(
                        "InvalidParameterException",
                        "The last client secret of an app client cannot be deleted.",
                    ));
                }
                secrets.remove(at);
                Some(Answer::ok(json!({})))
            }
        }
    }
}
