//! Passkey settings (`WebAuthnConfiguration`), which moto's
//! `SetUserPoolMfaConfig` ignores and its `GetUserPoolMfaConfig` never
//! reports. This layer checks them as the API reference constrains them
//! (`RelyingPartyId` 1-127 characters, `UserVerification` `required` or
//! `preferred`, `FactorConfiguration` `SINGLE_FACTOR` or
//! `MULTI_FACTOR_WITH_USER_VERIFICATION`), remembers what each pool was last
//! sent, and reports it in both answers. A `SetUserPoolMfaConfig` without the
//! block resets it (nothing is reported), as Cognito's other set calls reset
//! what they are not sent: a caller must send it back.

use super::Answer;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct WebAuthnSemantics {
    /// Pool id -> the `WebAuthnConfiguration` last set.
    configs: Mutex<HashMap<String, Value>>,
}

fn invalid(message: &str) -> Answer {
    Answer::error("InvalidParameterException", message)
}

impl WebAuthnSemantics {
    /// A refusal in moto's place; `None` forwards the request to moto.
    pub fn answer(&self, operation: &str, request: &Value) -> Option<Answer> {
        if operation != "SetUserPoolMfaConfig" {
            return None;
        }
        let config = request.get("WebAuthnConfiguration")?;
        if let Some(rp) = config.get("RelyingPartyId").and_then(Value::as_str) {
            if rp.is_empty() || rp.chars().count() > 127 {
                return Some(invalid("1 validation error detected: Value at 'webAuthnConfiguration.relyingPartyId' failed to satisfy constraint: Member must have length between 1 and 127"));
            }
        }
        if let Some(v) = config.get("UserVerification").and_then(Value::as_str) {
            if !matches!(v, "required" | "preferred") {
                return Some(invalid(&format!("1 validation error detected: Value '{v}' at 'webAuthnConfiguration.userVerification' failed to satisfy constraint: Member must satisfy enum value set: [required, preferred]")));
            }
        }
        if let Some(f) = config.get("FactorConfiguration").and_then(Value::as_str) {
            if !matches!(f, "SINGLE_FACTOR" | "MULTI_FACTOR_WITH_USER_VERIFICATION") {
                return Some(invalid(&format!(
                    "Value '{f}' at 'webAuthnConfiguration.factorConfiguration' is not valid"
                )));
            }
        }
        None
    }

    /// moto's answer with the remembered configuration in it.
    pub fn rewrite(
        &self,
        operation: &str,
        request: &Value,
        response_body: &[u8],
    ) -> Option<Vec<u8>> {
        let id = request["UserPoolId"].as_str()?.to_string();
        let mut configs = self.configs.lock().unwrap();
        match operation {
            "SetUserPoolMfaConfig" => match request.get("WebAuthnConfiguration") {
                Some(config) => {
                    configs.insert(id.clone(), config.clone());
                }
                None => {
                    configs.remove(&id);
                }
            },
            "GetUserPoolMfaConfig" => {}
            "DeleteUserPool" => {
                configs.remove(&id);
                return None;
            }
            _ => return None,
        }
        let config = configs.get(&id)?;
        let mut response: Value = serde_json::from_slice(response_body).ok()?;
        response
            .as_object_mut()?
            .insert("WebAuthnConfiguration".into(), config.clone());
        serde_json::to_vec(&response).ok()
    }
}
