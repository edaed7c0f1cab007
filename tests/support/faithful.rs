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
//! moto's DescribeIdentityProvider echoes the ProviderDetails it was sent.
//! AWS adds read-only keys of its own (the endpoints of a social provider,
//! `attributes_url_add_attributes`, `token_request_method`; for OIDC the
//! endpoints it discovered; for SAML the metadata it fetched from
//! `MetadataURL` and the binding URIs in it) and never returns an Apple
//! private key. This layer answers the same way (see the API reference's
//! "Describe response" examples under CreateIdentityProvider).

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
        if operation == "DescribeIdentityProvider" {
            add_aws_details(response.get_mut("IdentityProvider")?.as_object_mut()?);
            return serde_json::to_vec(&response).ok();
        }
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

/// The fetched metadata AWS reports for a SAML provider created from a URL.
pub const FETCHED_METADATA: &str = r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/fetched"/>"#;

fn add_aws_details(provider: &mut Map<String, Value>) {
    let provider_type = provider
        .get("ProviderType")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some(details) = provider
        .get_mut("ProviderDetails")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let text = |details: &Map<String, Value>, key: &str| {
        details.get(key).and_then(Value::as_str).map(str::to_string)
    };
    let version = text(details, "api_version").unwrap_or_else(|| "v17.0".into());
    let issuer = text(details, "oidc_issuer").unwrap_or_default();
    let added: Vec<(&str, String)> = match provider_type.as_str() {
        "Google" => vec![
            (
                "attributes_url",
                "https://people.googleapis.com/v1/people/me?personFields=".into(),
            ),
            ("attributes_url_add_attributes", "true".into()),
            (
                "authorize_url",
                "https://accounts.google.com/o/oauth2/v2/auth".into(),
            ),
            ("oidc_issuer", "https://accounts.google.com".into()),
            ("token_request_method", "POST".into()),
            (
                "token_url",
                "https://www.googleapis.com/oauth2/v4/token".into(),
            ),
        ],
        "Facebook" => vec![
            (
                "attributes_url",
                format!("https://graph.facebook.com/{version}/me?fields="),
            ),
            ("attributes_url_add_attributes", "true".into()),
            (
                "authorize_url",
                format!("https://www.facebook.com/{version}/dialog/oauth"),
            ),
            ("token_request_method", "GET".into()),
            (
                "token_url",
                format!("https://graph.facebook.com/{version}/oauth/access_token"),
            ),
        ],
        "LoginWithAmazon" => vec![
            (
                "attributes_url",
                "https://api.amazon.com/user/profile".into(),
            ),
            ("attributes_url_add_attributes", "false".into()),
            ("authorize_url", "https://www.amazon.com/ap/oa".into()),
            ("token_request_method", "POST".into()),
            ("token_url", "https://api.amazon.com/auth/o2/token".into()),
        ],
        "SignInWithApple" => {
            details.remove("private_key");
            vec![
                ("attributes_url_add_attributes", "false".into()),
                (
                    "authorize_url",
                    "https://appleid.apple.com/auth/authorize".into(),
                ),
                ("oidc_issuer", "https://appleid.apple.com".into()),
                ("token_request_method", "POST".into()),
                ("token_url", "https://appleid.apple.com/auth/token".into()),
            ]
        }
        "OIDC" => vec![
            ("attributes_url_add_attributes", "false".into()),
            ("authorize_url", format!("{issuer}/oauth2/authorize")),
            ("token_url", format!("{issuer}/oauth2/token")),
            ("attributes_url", format!("{issuer}/oauth2/userInfo")),
            ("jwks_uri", format!("{issuer}/.well-known/jwks.json")),
        ],
        "SAML" => {
            let mut added = vec![
                (
                    "SSORedirectBindingURI",
                    "https://idp.example.com/sso/saml".into(),
                ),
                (
                    "SLORedirectBindingURI",
                    "https://idp.example.com/slo/saml".into(),
                ),
            ];
            if details.contains_key("MetadataURL") {
                added.push(("MetadataFile", FETCHED_METADATA.into()));
            }
            if text(details, "EncryptedResponses").as_deref() == Some("true") {
                added.push(("ActiveEncryptionCertificate", "MIIC-certificate".into()));
            }
            added
        }
        _ => Vec::new(),
    };
    for (key, value) in added {
        details
            .entry(key.to_string())
            .or_insert(Value::String(value));
    }
}
