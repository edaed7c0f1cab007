//! UpdateUserPoolClient as AWS does it: a field the request leaves out is
//! reset to its default. moto merges the request into the client instead, so
//! an update that forgot a field would look harmless there.
//!
//! moto answers an update with the merged whole, so this layer can tell which
//! fields the request left out and what they held. It remembers them per
//! client and takes them out of that answer and of later
//! DescribeUserPoolClient answers (putting in AWS's default where AWS reports
//! one), exactly as AWS would report a reset field. A field changed since,
//! behind the proxy's back (a test's out-of-band edit), is reported as it is.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;

/// Fields an update does not set: identity and bookkeeping.
const NOT_RESET: [&str; 6] = [
    "UserPoolId",
    "ClientId",
    "ClientName",
    "ClientSecret",
    "CreationDate",
    "LastModifiedDate",
];

/// What AWS reports for a field reset to its default; absent for the rest.
fn default_of(key: &str) -> Option<Value> {
    match key {
        "RefreshTokenValidity" => Some(Value::from(30)),
        "AuthSessionValidity" => Some(Value::from(3)),
        "EnableTokenRevocation" => Some(Value::Bool(true)),
        "AllowedOAuthFlowsUserPoolClient" | "EnablePropagateAdditionalUserContextData" => {
            Some(Value::Bool(false))
        }
        _ => None,
    }
}

#[derive(Default)]
pub struct ClientSemantics {
    /// Client id -> the fields its last update left out, with their values then.
    reset: Mutex<HashMap<String, Map<String, Value>>>,
}

impl ClientSemantics {
    /// A new response body, when this layer changes the answer.
    pub fn rewrite(
        &self,
        operation: &str,
        request: &Value,
        response_body: &[u8],
    ) -> Option<Vec<u8>> {
        if !matches!(operation, "UpdateUserPoolClient" | "DescribeUserPoolClient") {
            return None;
        }
        let id = request["ClientId"].as_str()?.to_string();
        let mut response: Value = serde_json::from_slice(response_body).ok()?;
        let client = response.get_mut("UserPoolClient")?.as_object_mut()?;
        let mut reset = self.reset.lock().unwrap();
        if operation == "UpdateUserPoolClient" {
            let sent = request.as_object()?;
            let left_out: Map<String, Value> = client
                .iter()
                .filter(|(key, _)| !NOT_RESET.contains(&key.as_str()) && !sent.contains_key(*key))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            reset.insert(id.clone(), left_out);
        }
        let fields = reset.get(&id)?;
        for (key, then) in fields {
            if client.get(key) == Some(then) {
                client.remove(key);
                if let Some(default) = default_of(key) {
                    client.insert(key.clone(), default);
                }
            }
        }
        serde_json::to_vec(&response).ok()
    }
}
