//! Identity pools (`cognito-identity`) where moto falls short.
//!
//! moto 5.2 creates, describes, updates, lists and deletes identity pools,
//! but does not implement `SetIdentityPoolRoles`/`GetIdentityPoolRoles` nor
//! `SetPrincipalTagAttributeMap`/`GetPrincipalTagAttributeMap` (it answers
//! HTTP 500), and it ignores `AllowClassicFlow`. This layer answers those
//! calls itself from the API reference's request and response shapes
//! (including its validation of role mappings), and reports the
//! `AllowClassicFlow` each pool was last sent.

use super::Answer;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

#[derive(Default)]
pub struct IdentityPoolSemantics {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Identity pools seen to exist in moto's answers.
    known: HashSet<String>,
    /// Pool id -> (Roles, RoleMappings) as last set.
    roles: HashMap<String, (Value, Value)>,
    /// (pool id, provider name) -> (UseDefaults, PrincipalTags).
    tags: HashMap<(String, String), (bool, Value)>,
    /// Pool id -> AllowClassicFlow as last sent.
    classic: HashMap<String, bool>,
}

fn missing(id: &str) -> Answer {
    Answer::error(
        "ResourceNotFoundException",
        &format!("IdentityPool '{id}' not found."),
    )
}

/// `SetIdentityPoolRoles`'s checks of each role mapping, as AWS words them.
fn check_mappings(mappings: &Value) -> Result<(), Answer> {
    let Some(map) = mappings.as_object() else {
        return Ok(());
    };
    if map.len() > 10 {
        return Err(Answer::error(
            "InvalidParameterException",
            "Role mappings can be specified for at most 10 identity providers.",
        ));
    }
    for (provider, m) in map {
        let kind = m["Type"].as_str().unwrap_or_default();
        if !matches!(kind, "Token" | "Rules") {
            return Err(Answer::error(
                "InvalidParameterException",
                &format!("Invalid role mapping type for {provider}."),
            ));
        }
        if m["AmbiguousRoleResolution"].as_str().is_none() {
            return Err(Answer::error(
                "InvalidParameterException",
                &format!("AmbiguousRoleResolution must be specified for {provider}."),
            ));
        }
        let rules = m["RulesConfiguration"]["Rules"].as_array();
        if kind == "Rules" && rules.is_none_or(|r| r.is_empty() || r.len() > 25) {
            return Err(Answer::error(
                "InvalidParameterException",
                &format!("Rules mapping for {provider} needs 1 to 25 rules."),
            ));
        }
    }
    Ok(())
}

impl IdentityPoolSemantics {
    /// An answer in moto's place; `None` forwards the request to moto.
    pub fn answer(&self, operation: &str, request: &Value) -> Option<Answer> {
        let id = request["IdentityPoolId"].as_str().map(str::to_string);
        let mut state = self.state.lock().unwrap();
        match operation {
            "SetIdentityPoolRoles" => {
                let id = id?;
                if !state.known.contains(&id) {
                    return Some(missing(&id));
                }
                let mappings = request
                    .get("RoleMappings")
                    .cloned()
                    .unwrap_or_else(|| json!({}));
                if let Err(answer) = check_mappings(&mappings) {
                    return Some(answer);
                }
                let roles = request.get("Roles").cloned().unwrap_or_else(|| json!({}));
                state.roles.insert(id, (roles, mappings));
                Some(Answer::ok(json!({})))
            }
            "GetIdentityPoolRoles" => {
                let id = id?;
                if !state.known.contains(&id) {
                    return Some(missing(&id));
                }
                let (roles, mappings) = state
                    .roles
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| (json!({}), json!({})));
                let mut out = json!({ "IdentityPoolId": id, "Roles": roles });
                if mappings.as_object().is_some_and(|m| !m.is_empty()) {
                    out["RoleMappings"] = mappings;
                }
                Some(Answer::ok(out))
            }
            "SetPrincipalTagAttributeMap" | "GetPrincipalTagAttributeMap" => {
                let id = id?;
                if !state.known.contains(&id) {
                    return Some(missing(&id));
                }
                let provider = request["IdentityProviderName"].as_str()?.to_string();
                let key = (id.clone(), provider.clone());
                if operation == "SetPrincipalTagAttributeMap" {
                    let value = (
                        request["UseDefaults"].as_bool().unwrap_or(false),
                        request
                            .get("PrincipalTags")
                            .cloned()
                            .unwrap_or_else(|| json!({})),
                    );
                    state.tags.insert(key.clone(), value);
                }
                let (use_defaults, tags) =
                    state.tags.get(&key).cloned().unwrap_or((false, json!({})));
                Some(Answer::ok(json!({
                    "IdentityPoolId": id,
                    "IdentityProviderName": provider,
                    "UseDefaults": use_defaults,
                    "PrincipalTags": tags,
                })))
            }
            "DeleteIdentityPool" => {
                if let Some(id) = id {
                    state.known.remove(&id);
                    state.roles.remove(&id);
                    state.classic.remove(&id);
                    state.tags.retain(|(pool, _), _| *pool != id);
                }
                None
            }
            _ => None,
        }
    }

    /// A new response body for moto's answer, when this layer changes it.
    pub fn rewrite(&self, operation: &str, request: &Value, body: &[u8]) -> Option<Vec<u8>> {
        if !matches!(
            operation,
            "CreateIdentityPool"
                | "UpdateIdentityPool"
                | "DescribeIdentityPool"
                | "ListIdentityPools"
        ) {
            return None;
        }
        let mut response: Value = serde_json::from_slice(body).ok()?;
        let mut state = self.state.lock().unwrap();
        if operation == "ListIdentityPools" {
            for pool in response["IdentityPools"].as_array().into_iter().flatten() {
                if let Some(id) = pool["IdentityPoolId"].as_str() {
                    state.known.insert(id.to_string());
                }
            }
            return None;
        }
        let id = response["IdentityPoolId"].as_str()?.to_string();
        state.known.insert(id.clone());
        if operation != "DescribeIdentityPool" {
            let classic = request["AllowClassicFlow"].as_bool().unwrap_or(false);
            state.classic.insert(id.clone(), classic);
        }
        let classic = state.classic.get(&id).copied().unwrap_or(false);
        let pool: &mut Map<String, Value> = response.as_object_mut()?;
        pool.insert("AllowClassicFlow".into(), Value::Bool(classic));
        serde_json::to_vec(&response).ok()
    }
}
