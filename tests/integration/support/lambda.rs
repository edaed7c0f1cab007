//! Lambda functions in moto for trigger tests: creating one (moto needs no
//! Docker to create a function, only an IAM role that exists), and reading or
//! changing its resource policy behind poolctl's back.

use super::{block_on, lambda_client, Moto};
use serde_json::Value;

/// The smallest valid zip archive (an empty one): moto stores the code
/// without running it, so the package needs no handler inside.
const EMPTY_ZIP: &[u8] = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// Creates function `name` in `region` (with a fresh IAM role) and returns
/// its ARN, `arn:aws:lambda:REGION:123456789012:function:NAME` in moto.
pub fn create_function(moto: &Moto, name: &str, region: &str) -> String {
    let role = moto.create_iam_role(&format!("{name}-role"));
    let out = block_on(
        lambda_client(&moto.endpoint(), region)
            .create_function()
            .function_name(name)
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(role)
            .handler("index.handler")
            .code(
                aws_sdk_lambda::types::FunctionCode::builder()
                    .zip_file(aws_sdk_lambda::primitives::Blob::new(EMPTY_ZIP))
                    .build(),
            )
            .send(),
    )
    .unwrap_or_else(|e| panic!("CreateFunction {name} in moto: {e:?}"));
    out.function_arn()
        .unwrap_or_else(|| panic!("CreateFunction {name} returned no ARN"))
        .to_string()
}

fn region_of(function_arn: &str) -> &str {
    function_arn
        .split(':')
        .nth(3)
        .unwrap_or_else(|| panic!("`{function_arn}` is not a function ARN"))
}

/// The statements of the function's resource policy; empty when it has none.
pub fn policy_statements(moto: &Moto, function_arn: &str) -> Vec<Value> {
    let client = lambda_client(&moto.endpoint(), region_of(function_arn));
    match block_on(client.get_policy().function_name(function_arn).send()) {
        Ok(out) => {
            let policy: Value = serde_json::from_str(out.policy().unwrap_or("{}")).unwrap();
            match &policy["Statement"] {
                Value::Array(items) => items.clone(),
                Value::Null => Vec::new(),
                one => vec![one.clone()],
            }
        }
        Err(e) => {
            let service = e.into_service_error();
            assert!(
                service.is_resource_not_found_exception(),
                "GetPolicy {function_arn}: {service:?}"
            );
            Vec::new()
        }
    }
}

/// The `Sid` of each statement, in order.
pub fn statement_ids(moto: &Moto, function_arn: &str) -> Vec<String> {
    policy_statements(moto, function_arn)
        .iter()
        .map(|s| s["Sid"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Lets Cognito invoke the function for `pool_arn`, as CDK or a person would.
pub fn add_cognito_statement(moto: &Moto, function_arn: &str, sid: &str, pool_arn: &str) {
    let client = lambda_client(&moto.endpoint(), region_of(function_arn));
    block_on(
        client
            .add_permission()
            .function_name(function_arn)
            .statement_id(sid)
            .action("lambda:InvokeFunction")
            .principal("cognito-idp.amazonaws.com")
            .source_arn(pool_arn)
            .send(),
    )
    .unwrap_or_else(|e| panic!("AddPermission {sid} on {function_arn}: {e:?}"));
}

pub fn remove_statement(moto: &Moto, function_arn: &str, sid: &str) {
    let client = lambda_client(&moto.endpoint(), region_of(function_arn));
    block_on(
        client
            .remove_permission()
            .function_name(function_arn)
            .statement_id(sid)
            .send(),
    )
    .unwrap_or_else(|e| panic!("RemovePermission {sid} on {function_arn}: {e:?}"));
}
