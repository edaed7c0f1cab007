//! The normalized model: the types desired state (from specs) and live state
//! (from AWS) are both expressed in, so the diff compares like with like.

pub mod authorizer;
pub mod branding;
pub mod client;
pub mod domain;
pub mod duration;
pub mod enums;
pub mod group;
pub mod identity_pool;
pub mod identity_provider;
pub mod lambda_permission;
pub mod log_delivery;
pub mod pool;
pub mod pool_table;
pub mod replica;
pub mod resource_server;
pub mod resource_tables;
pub mod secret;
pub mod terms;
pub mod threat_protection;
pub mod triggers;

pub use duration::Duration;
pub use pool::PoolSettings;
pub use secret::Secret;

use serde::{de::DeserializeOwned, Serialize};

/// `over`'s declared fields laid over `base`: objects merge key by key, all
/// else replaces. For models without secrets (a secret serializes as a
/// digest and cannot be read back).
pub fn overlay<T: Serialize + DeserializeOwned>(base: &T, over: &T) -> T {
    fn merge(base: &mut serde_json::Value, over: serde_json::Value) {
        match (base, over) {
            (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
                for (key, value) in o {
                    merge(b.entry(key).or_insert(serde_json::Value::Null), value);
                }
            }
            (b, o) => *b = o,
        }
    }
    let mut value = serde_json::to_value(base).expect("models serialize");
    merge(
        &mut value,
        serde_json::to_value(over).expect("models serialize"),
    );
    serde_json::from_value(value).expect("a merge of two valid models is valid")
}
