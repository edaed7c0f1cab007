//! A client's terms documents (`CreateTerms`, `UpdateTerms`, `DeleteTerms`,
//! `ListTerms`, `DescribeTerms`), which moto lacks, answered from the API
//! reference's request and response shapes and its constraints: `TermsName`
//! is `terms-of-use` or `privacy-policy`, one of each per client
//! (`TermsExistsException`); `TermsSource` `LINK`; `Enforcement` `NONE`;
//! `Links` keys `cognito:<language>` for the 13 managed login languages,
//! values 1-1024 characters without white space. The client must be one the
//! layer has seen in moto's answers; `DeleteUserPoolClient` deletes its terms.

use super::Answer;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

const LANGUAGES: [&str; 13] = [
    "default",
    "dutch",
    "english",
    "french",
    "spanish",
    "german",
    "bahasa-indonesia",
    "italian",
    "japanese",
    "korean",
    "portuguese-brazil",
    "chinese-simplified",
    "chinese-traditional",
];

#[derive(Default)]
pub struct TermsSemantics {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// (pool id, client id) seen in moto's answers.
    clients: HashSet<(String, String)>,
    /// Terms id -> the document as DescribeTerms reports it.
    terms: BTreeMap<String, Value>,
    made: u64,
}

fn invalid(message: &str) -> Answer {
    Answer::error("InvalidParameterException", message)
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default()
}

/// The request's fields AWS checks, as it words a refusal.
fn check(request: &Value) -> Result<(), Answer> {
    if let Some(name) = request.get("TermsName") {
        if !matches!(name.as_str(), Some("terms-of-use" | "privacy-policy")) {
            return Err(invalid(
                "1 validation error detected: Value at 'termsName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(terms-of-use|privacy-policy)$",
            ));
        }
    }
    if let Some(source) = request.get("TermsSource") {
        if source != "LINK" {
            return Err(invalid("1 validation error detected: Value at 'termsSource' failed to satisfy enum value set: [LINK]"));
        }
    }
    if let Some(enforcement) = request.get("Enforcement") {
        if enforcement != "NONE" {
            return Err(invalid("1 validation error detected: Value at 'enforcement' failed to satisfy enum value set: [NONE]"));
        }
    }
    if let Some(links) = request.get("Links") {
        let Some(links) = links.as_object() else {
            return Err(invalid("Links must be a map."));
        };
        if links.len() > 13 {
            return Err(invalid("1 validation error detected: Value at 'links' failed to satisfy constraint: Member must have length less than or equal to 13"));
        }
        for (key, url) in links {
            let known = key
                .strip_prefix("cognito:")
                .is_some_and(|l| LANGUAGES.contains(&l));
            let url = url.as_str().unwrap_or_default();
            let url_ok = (1..=1024).contains(&url.chars().count())
                && !url.chars().any(|c| c.is_whitespace() || c.is_control());
            if !known || !url_ok {
                return Err(invalid(&format!(
                    "1 validation error detected: Value at 'links' failed to satisfy constraint (key {key})"
                )));
            }
        }
    }
    Ok(())
}

fn description(terms: &Value) -> Value {
    json!({
        "TermsId": terms["TermsId"],
        "TermsName": terms["TermsName"],
        "Enforcement": terms["Enforcement"],
        "CreationDate": terms["CreationDate"],
        "LastModifiedDate": terms["LastModifiedDate"],
    })
}

impl TermsSemantics {
    /// Learns which clients exist from moto's answers about them.
    pub fn observe(&self, operation: &str, request: &Value, response_body: &[u8]) {
        let mut state = self.state.lock().unwrap();
        let pool = request["UserPoolId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        match operation {
            "DeleteUserPoolClient" => {
                let client = request["ClientId"].as_str().unwrap_or_default().to_string();
                state.clients.remove(&(pool.clone(), client.clone()));
                state
                    .terms
                    .retain(|_, t| !(t["UserPoolId"] == pool && t["ClientId"] == client));
            }
            "CreateUserPoolClient" | "DescribeUserPoolClient" | "ListUserPoolClients" => {
                let Ok(response) = serde_json::from_slice::<Value>(response_body) else {
                    return;
                };
                let listed = match response.get("UserPoolClients") {
                    Some(Value::Array(list)) => list.clone(),
                    _ => vec![response["UserPoolClient"].clone()],
                };
                for c in listed {
                    if let (Some(p), Some(id)) = (c["UserPoolId"].as_str(), c["ClientId"].as_str())
                    {
                        state.clients.insert((p.to_string(), id.to_string()));
                    }
                }
            }
            _ => {}
        }
    }

    /// An answer in moto's place for the terms operations.
    pub fn answer(&self, operation: &str, request: &Value) -> Option<Answer> {
        if !matches!(
            operation,
            "CreateTerms" | "UpdateTerms" | "DeleteTerms" | "ListTerms" | "DescribeTerms"
        ) {
            return None;
        }
        if let Err(refused) = check(request) {
            return Some(refused);
        }
        let pool = request["UserPoolId"].as_str()?.to_string();
        let mut state = self.state.lock().unwrap();
        let missing = |id: &str| {
            Answer::error(
                "ResourceNotFoundException",
                &format!("Terms {id} do not exist."),
            )
        };
        let id = request["TermsId"].as_str().unwrap_or_default().to_string();
        let found = state
            .terms
            .get(&id)
            .filter(|t| t["UserPoolId"] == pool.as_str())
            .is_some();
        match operation {
            "CreateTerms" => {
                let client = request["ClientId"].as_str()?.to_string();
                if !state.clients.contains(&(pool.clone(), client.clone())) {
                    return Some(Answer::error(
                        "ResourceNotFoundException",
                        &format!("Client {client} does not exist in user pool {pool}."),
                    ));
                }
                let name = request["TermsName"].clone();
                let taken = state.terms.values().any(|t| {
                    t["UserPoolId"] == pool.as_str()
                        && t["ClientId"] == client.as_str()
                        && t["TermsName"] == name
                });
                if taken {
                    return Some(Answer::error(
                        "TermsExistsException",
                        &format!("Terms {name} already exist for client {client}."),
                    ));
                }
                state.made += 1;
                let id = format!("a1b2c3d4-0000-4000-8000-{:012}", state.made);
                let at = now();
                let terms = json!({
                    "TermsId": id,
                    "UserPoolId": pool,
                    "ClientId": client,
                    "TermsName": name,
                    "TermsSource": request["TermsSource"],
                    "Enforcement": request["Enforcement"],
                    "Links": request.get("Links").cloned().unwrap_or_else(|| Value::Object(Map::new())),
                    "CreationDate": at,
                    "LastModifiedDate": at,
                });
                state.terms.insert(id, terms.clone());
                Some(Answer::ok(json!({ "Terms": terms })))
            }
            "UpdateTerms" => {
                if !found {
                    return Some(missing(&id));
                }
                let terms = state.terms.get_mut(&id)?;
                for key in ["TermsName", "TermsSource", "Enforcement", "Links"] {
                    if let Some(value) = request.get(key) {
                        terms[key] = value.clone();
                    }
                }
                terms["LastModifiedDate"] = json!(now());
                Some(Answer::ok(json!({ "Terms": terms.clone() })))
            }
            "DeleteTerms" => {
                if !found {
                    return Some(missing(&id));
                }
                state.terms.remove(&id);
                Some(Answer::ok(json!({})))
            }
            "DescribeTerms" => match state.terms.get(&id).filter(|_| found) {
                Some(terms) => Some(Answer::ok(json!({ "Terms": terms }))),
                None => Some(missing(&id)),
            },
            _ => {
                // ListTerms: a page of MaxResults (at most 60) after NextToken.
                let max = request["MaxResults"].as_u64().unwrap_or(60).clamp(1, 60) as usize;
                let after = request["NextToken"].as_str().unwrap_or_default();
                let all: Vec<&Value> = state
                    .terms
                    .iter()
                    .filter(|(id, t)| t["UserPoolId"] == pool.as_str() && id.as_str() > after)
                    .map(|(_, t)| t)
                    .collect();
                let page: Vec<Value> = all.iter().take(max).map(|t| description(t)).collect();
                let mut body = json!({ "Terms": page });
                if all.len() > max {
                    body["NextToken"] = all[max - 1]["TermsId"].clone();
                }
                Some(Answer::ok(body))
            }
        }
    }
}
