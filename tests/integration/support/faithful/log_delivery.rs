//! Log delivery, which moto lacks: `SetLogDeliveryConfiguration` and
//! `GetLogDeliveryConfiguration`, played from the API reference's
//! `LogConfigurationType` and `LogDeliveryConfigurationType`.
//!
//! A Set replaces the pool's whole list. Refused as the reference says:
//! more than 2 configurations, an unknown event source or level,
//! `userNotification` other than `ERROR` to CloudWatch Logs,
//! `userAuthEvents` other than `INFO` to one of CloudWatch Logs, S3 or
//! Firehose (`InvalidParameterException`), and `userAuthEvents` on a pool
//! not on the plus tier (`FeatureUnavailableInTierException`). Get answers
//! the last list set (empty when none).

use super::import_jobs::{Cognito, Played};
use super::risk::{error, ok, pool_of};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct LogDeliveries {
    /// Pool id -> its `LogConfigurations`.
    configs: Mutex<HashMap<String, Value>>,
}

impl LogDeliveries {
    /// The layer's answer to a request it plays; `None` for any other.
    pub async fn handle(
        &self,
        operation: &str,
        body: &[u8],
        moto: &impl Cognito,
    ) -> Option<Played> {
        if !matches!(
            operation,
            "SetLogDeliveryConfiguration" | "GetLogDeliveryConfiguration"
        ) {
            return None;
        }
        let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let pool_id = request["UserPoolId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let pool = match pool_of(moto, &pool_id).await {
            Ok(pool) => pool,
            Err(answer) => return Some(answer),
        };
        let mut configs = self.configs.lock().unwrap();
        if operation == "SetLogDeliveryConfiguration" {
            let Some(list) = request["LogConfigurations"].as_array() else {
                return Some(error(
                    "InvalidParameterException",
                    "LogConfigurations is required",
                ));
            };
            if let Err((code, message)) = check(list, pool["UserPoolTier"].as_str()) {
                return Some(error(code, &message));
            }
            configs.insert(pool_id.clone(), Value::Array(list.clone()));
        }
        let list = configs.get(&pool_id).cloned().unwrap_or(json!([]));
        Some(ok(json!({
            "LogDeliveryConfiguration": { "UserPoolId": pool_id, "LogConfigurations": list }
        })))
    }
}

fn check(list: &[Value], tier: Option<&str>) -> Result<(), (&'static str, String)> {
    let invalid = |m: String| ("InvalidParameterException", m);
    if list.len() > 2 {
        return Err(invalid(format!(
            "LogConfigurations has {} items; at most 2",
            list.len()
        )));
    }
    let mut seen = Vec::new();
    for config in list {
        let source = config["EventSource"].as_str().unwrap_or_default();
        let level = config["LogLevel"].as_str().unwrap_or_default();
        let destinations: Vec<&str> = [
            "CloudWatchLogsConfiguration",
            "S3Configuration",
            "FirehoseConfiguration",
        ]
        .into_iter()
        .filter(|d| !config[*d].is_null())
        .collect();
        if seen.contains(&source) {
            return Err(invalid(format!("EventSource {source} is given twice")));
        }
        seen.push(source);
        match source {
            "userNotification" => {
                if level != "ERROR" || destinations != ["CloudWatchLogsConfiguration"] {
                    return Err(invalid(
                        "userNotification logs are delivered at ERROR level to CloudWatchLogsConfiguration only".into(),
                    ));
                }
            }
            "userAuthEvents" => {
                if level != "INFO" || destinations.len() != 1 {
                    return Err(invalid(
                        "userAuthEvents logs are delivered at INFO level to one of CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration".into(),
                    ));
                }
                if tier != Some("PLUS") {
                    return Err((
                        "FeatureUnavailableInTierException",
                        "userAuthEvents log delivery requires the PLUS feature plan".into(),
                    ));
                }
            }
            other => {
                return Err(invalid(format!("unknown EventSource `{other}`")));
            }
        }
    }
    Ok(())
}
