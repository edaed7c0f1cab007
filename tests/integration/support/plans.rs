//! Picking poolctl's JSON plan apart in tests: which resources change and
//! how, field by field; and the one live pool a test made.

use super::{block_on, Stack};
use serde_json::Value;

/// `(address, action)` of every change of the plan's first pool.
pub fn actions(plan: &Value) -> Vec<(String, String)> {
    plan["pools"][0]["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("not a plan: {plan}"))
        .iter()
        .map(|c| {
            (
                c["address"].as_str().unwrap().to_string(),
                c["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The change to `address` in the plan's first pool.
#[track_caller]
pub fn change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    plan["pools"][0]["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("not a plan: {plan}"))
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no change to {address} in {plan}"))
}

/// `(path, before, after)` of every field of a change.
pub fn fields(change: &Value) -> Vec<(String, Value, Value)> {
    change["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("not a change: {change}"))
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["before"].clone(),
                f["after"].clone(),
            )
        })
        .collect()
}

/// The id of the only live pool (tests that make one).
pub fn pool_id(stack: &Stack) -> String {
    let pools = block_on(stack.cognito().list_user_pools().max_results(60).send()).unwrap();
    pools.user_pools()[0].id().unwrap().to_string()
}
