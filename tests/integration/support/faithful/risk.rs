//! Threat protection's settings, which moto lacks: `SetRiskConfiguration`
//! and `DescribeRiskConfiguration`, played from the API reference's
//! request and response shapes (`RiskConfigurationType` and its parts).
//!
//! A configuration is kept per pool and per app client. Both calls need the
//! pool (and the client, when one is named) to exist in moto, and the
//! pool's threat protection add-on on (`UserPoolAddOns.AdvancedSecurityMode`
//! `AUDIT` or `ENFORCED`), else `UserPoolAddOnNotEnabledException`. A Set
//! replaces the whole configuration; one with none of the three parts
//! deletes it. What the reference marks required, its enums, lengths and
//! list sizes are checked (`InvalidParameterException`). `EventFilter` left
//! out is kept as all three events ("Defaults to all events").

use super::import_jobs::{Cognito, Played};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;

const PARTS: [&str; 3] = [
    "CompromisedCredentialsRiskConfiguration",
    "AccountTakeoverRiskConfiguration",
    "RiskExceptionConfiguration",
];

#[derive(Default)]
pub struct RiskConfigurations {
    /// (pool id, client id or "") -> the configuration's parts.
    configs: Mutex<HashMap<(String, String), Map<String, Value>>>,
}

pub(super) fn ok(body: Value) -> Played {
    Played {
        status: 200,
        error_type: None,
        body: body.to_string().into_bytes(),
        json: true,
    }
}

pub(super) fn error(code: &str, message: &str) -> Played {
    Played {
        status: 400,
        error_type: Some(code.to_string()),
        body: json!({ "__type": code, "message": message })
            .to_string()
            .into_bytes(),
        json: true,
    }
}

/// The pool as moto describes it, or AWS's not-found answer.
pub(super) async fn pool_of(moto: &impl Cognito, pool: &str) -> Result<Value, Played> {
    let (status, answer) = moto
        .call("DescribeUserPool", json!({ "UserPoolId": pool }))
        .await;
    if status == 200 {
        Ok(answer["UserPool"].clone())
    } else {
        Err(error(
            "ResourceNotFoundException",
            &format!("User pool {pool} does not exist."),
        ))
    }
}

fn invalid(message: &str) -> Played {
    error("InvalidParameterException", message)
}

impl RiskConfigurations {
    /// The layer's answer to a request it plays; `None` for any other.
    pub async fn handle(
        &self,
        operation: &str,
        body: &[u8],
        moto: &impl Cognito,
    ) -> Option<Played> {
        if !matches!(
            operation,
            "SetRiskConfiguration" | "DescribeRiskConfiguration"
        ) {
            return None;
        }
        let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let pool_id = request["UserPoolId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let client_id = request["ClientId"].as_str().map(str::to_string);
        let pool = match pool_of(moto, &pool_id).await {
            Ok(pool) => pool,
            Err(answer) => return Some(answer),
        };
        if let Some(client) = &client_id {
            let (status, _) = moto
                .call(
                    "DescribeUserPoolClient",
                    json!({ "UserPoolId": pool_id, "ClientId": client }),
                )
                .await;
            if status != 200 {
                return Some(error(
                    "ResourceNotFoundException",
                    &format!("Client {client} does not exist."),
                ));
            }
        }
        let mode = pool["UserPoolAddOns"]["AdvancedSecurityMode"]
            .as_str()
            .unwrap_or("OFF");
        if !matches!(mode, "AUDIT" | "ENFORCED") {
            return Some(error(
                "UserPoolAddOnNotEnabledException",
                "The advanced security features (threat protection) add-on is not enabled for this user pool.",
            ));
        }
        let key = (pool_id.clone(), client_id.clone().unwrap_or_default());
        let mut configs = self.configs.lock().unwrap();
        if operation == "SetRiskConfiguration" {
            if let Err(message) = check(&request) {
                return Some(invalid(&message));
            }
            let mut parts = Map::new();
            for part in PARTS {
                if let Some(value) = request.get(part).filter(|v| !v.is_null()) {
                    parts.insert(part.to_string(), value.clone());
                }
            }
            if let Some(cc) = parts.get_mut(PARTS[0]) {
                if cc.get("EventFilter").is_none_or(Value::is_null) {
                    cc["EventFilter"] = json!(["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"]);
                }
            }
            if parts.is_empty() {
                configs.remove(&key);
            } else {
                configs.insert(key.clone(), parts);
            }
        }
        let mut config = Map::new();
        config.insert("UserPoolId".into(), Value::String(pool_id));
        if let Some(client) = client_id {
            config.insert("ClientId".into(), Value::String(client));
        }
        if let Some(parts) = configs.get(&key) {
            config.extend(parts.clone());
            config.insert("LastModifiedDate".into(), json!(1_700_000_000));
        }
        Some(ok(json!({ "RiskConfiguration": config })))
    }
}

/// What the reference's shapes require of a SetRiskConfiguration request.
fn check(r: &Value) -> Result<(), String> {
    let one_of = |v: &Value, allowed: &[&str], what: &str| match v.as_str() {
        Some(s) if allowed.contains(&s) => Ok(()),
        _ => Err(format!("{what} must be one of {}", allowed.join(", "))),
    };
    let cc = &r["CompromisedCredentialsRiskConfiguration"];
    if !cc.is_null() {
        one_of(
            &cc["Actions"]["EventAction"],
            &["BLOCK", "NO_ACTION"],
            "CompromisedCredentialsRiskConfiguration.Actions.EventAction",
        )?;
        for event in cc["EventFilter"].as_array().into_iter().flatten() {
            one_of(
                event,
                &["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"],
                "EventFilter",
            )?;
        }
    }
    let at = &r["AccountTakeoverRiskConfiguration"];
    if !at.is_null() {
        let actions = &at["Actions"];
        if !actions.is_object() {
            return Err("AccountTakeoverRiskConfiguration.Actions is required".into());
        }
        for level in ["LowAction", "MediumAction", "HighAction"] {
            let action = &actions[level];
            if action.is_null() {
                continue;
            }
            one_of(
                &action["EventAction"],
                &["BLOCK", "MFA_IF_CONFIGURED", "MFA_REQUIRED", "NO_ACTION"],
                &format!("{level}.EventAction"),
            )?;
            if !action["Notify"].is_boolean() {
                return Err(format!("{level}.Notify is required"));
            }
        }
        let notify = &at["NotifyConfiguration"];
        if !notify.is_null() {
            let arn = notify["SourceArn"].as_str().unwrap_or_default();
            if arn.len() < 20 || !arn.starts_with("arn:") {
                return Err("NotifyConfiguration.SourceArn must be an ARN".into());
            }
            for email in ["BlockEmail", "NoActionEmail", "MfaEmail"] {
                let email = &notify[email];
                if email.is_null() {
                    continue;
                }
                let subject = email["Subject"].as_str().unwrap_or_default();
                if !(1..=140).contains(&subject.chars().count()) {
                    return Err("NotifyEmailType.Subject must be 1 to 140 characters".into());
                }
                for body in ["HtmlBody", "TextBody"] {
                    if let Some(text) = email[body].as_str() {
                        if !(6..=20_000).contains(&text.chars().count()) {
                            return Err(format!(
                                "NotifyEmailType.{body} must be 6 to 20000 characters"
                            ));
                        }
                    }
                }
            }
        }
    }
    let ex = &r["RiskExceptionConfiguration"];
    for list in ["BlockedIPRangeList", "SkippedIPRangeList"] {
        if ex[list].as_array().is_some_and(|l| l.len() > 200) {
            return Err(format!("{list} has more than 200 items"));
        }
    }
    Ok(())
}
