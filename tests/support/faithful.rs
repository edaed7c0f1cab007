//! Plays the parts of AWS's Cognito semantics that moto gets wrong, in the
//! proxy's responses, so end-to-end tests see what AWS would answer.
//!
//! moto's UpdateUserPool wipes UsernameAttributes, AliasAttributes and
//! UsernameConfiguration (AWS keeps them: they are immutable), so the next
//! DescribeUserPool would report a pool that changed its sign-in attributes.
//! This layer remembers each pool's immutable sign-in fields from the first
//! answer that shows them and puts them back into later DescribeUserPool
//! answers, exactly as AWS would report them.
//!
//! moto also ignores UpdateUserPool's PoolName (AWS renames the pool), so
//! names sent there are remembered and reported by DescribeUserPool and
//! ListUserPools.
//!
//! App clients: see `clients` (UpdateUserPoolClient resets what it is not sent).

mod clients;

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;

const IMMUTABLE: [&str; 3] = [
    "UsernameAttributes",
    "AliasAttributes",
    "UsernameConfiguration",
];

#[derive(Default)]
pub struct CognitoSemantics {
    pools: Mutex<HashMap<String, Map<String, Value>>>,
    names: Mutex<HashMap<String, String>>,
    clients: clients::ClientSemantics,
}

impl CognitoSemantics {
    /// A new response body, when this layer changes the answer.
    pub fn rewrite(
        &self,
        operation: &str,
        request_body: &str,
        response_body: &[u8],
    ) -> Option<Vec<u8>> {
        let request: Value = serde_json::from_str(request_body).unwrap_or(Value::Null);
        if let Some(rewritten) = self.clients.rewrite(operation, &request, response_body) {
            return Some(rewritten);
        }
        if operation == "UpdateUserPool" {
            if let (Some(id), Some(name)) =
                (request["UserPoolId"].as_str(), request["PoolName"].as_str())
            {
                self.names
                    .lock()
                    .unwrap()
                    .insert(id.to_string(), name.to_string());
            }
            return None;
        }
        let mut response: Value = serde_json::from_slice(response_body).ok()?;
        if operation == "ListUserPools" {
            let names = self.names.lock().unwrap();
            for pool in response.get_mut("UserPools")?.as_array_mut()? {
                if let Some(name) = pool["Id"].as_str().and_then(|id| names.get(id)) {
                    pool["Name"] = Value::String(name.clone());
                }
            }
            return serde_json::to_vec(&response).ok();
        }
        let renamed = request["UserPoolId"]
            .as_str()
            .and_then(|id| self.names.lock().unwrap().get(id).cloned());
        let pool = response.get_mut("UserPool")?.as_object_mut()?;
        if let Some(name) = renamed {
            pool.insert("Name".to_string(), Value::String(name));
        }
        let mut pools = self.pools.lock().unwrap();
        match operation {
            "CreateUserPool" => {
                let id = pool.get("Id")?.as_str()?.to_string();
                pools.insert(id, immutable_fields(pool));
                None
            }
            "DescribeUserPool" => {
                let id = request.get("UserPoolId")?.as_str()?.to_string();
                let remembered = pools.entry(id).or_insert_with(|| immutable_fields(pool));
                for key in IMMUTABLE {
                    match remembered.get(key) {
                        Some(value) => pool.insert(key.to_string(), value.clone()),
                        None => pool.remove(key),
                    };
                }
                serde_json::to_vec(&response).ok()
            }
            _ => None,
        }
    }
}

fn immutable_fields(pool: &Map<String, Value>) -> Map<String, Value> {
    IMMUTABLE
        .iter()
        .filter_map(|k| pool.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect()
}
