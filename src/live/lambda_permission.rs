//! Reading the resource policies of the functions a pool's triggers name
//! (Lambda `GetPolicy`), each through a client for the function's own region.

use crate::aws::{explain, Session, Target};
use crate::model::lambda_permission::{FunctionPolicy, PolicyStatement};
use crate::model::triggers::{FunctionArn, Triggers};
use aws_sdk_lambda::operation::get_policy::GetPolicyError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::{BTreeMap, BTreeSet};

/// The functions whose policies the plan needs: every function a declared
/// trigger names, in the spec and live.
pub fn functions_named(desired: &Triggers, live: Option<&Triggers>) -> BTreeSet<String> {
    let mut arns = BTreeSet::new();
    for (name, want) in desired.declared() {
        arns.extend(want.map(str::to_string));
        arns.extend(live.and_then(|l| l.function(name)).map(str::to_string));
    }
    arns
}

/// Each function's policy, concurrently. `target` is the pool's; a function
/// is read in its own region with the pool's profile.
pub async fn read(
    session: &Session,
    target: &Target,
    functions: BTreeSet<String>,
) -> anyhow::Result<BTreeMap<String, FunctionPolicy>> {
    let reads = functions.into_iter().map(|arn| async move {
        let policy = read_one(session, target, &arn).await?;
        anyhow::Ok((arn, policy))
    });
    Ok(futures::future::try_join_all(reads)
        .await?
        .into_iter()
        .collect())
}

/// A Lambda client for the function's own region, with the pool's profile
/// (`target` is the pool's). An ARN that does not parse is the pool's region's.
pub async fn lambda_for(
    session: &Session,
    target: &Target,
    function_arn: &str,
) -> aws_sdk_lambda::Client {
    let region = FunctionArn::parse(function_arn).map_or(target.region.as_str(), |a| a.region);
    session.clients(&target.in_region(region)).await.lambda
}

async fn read_one(session: &Session, target: &Target, arn: &str) -> anyhow::Result<FunctionPolicy> {
    let lambda = lambda_for(session, target, arn).await;
    match lambda.get_policy().function_name(arn).send().await {
        Ok(out) => {
            let statements = match out.policy() {
                Some(document) => PolicyStatement::parse_policy(document)
                    .map_err(|e| anyhow::anyhow!("GetPolicy {arn}: {e}"))?,
                None => Vec::new(),
            };
            Ok(FunctionPolicy::Statements(statements))
        }
        Err(err) if crate::aws::is_not_found(&err) => {
            // Lambda answers ResourceNotFoundException both for a function
            // that does not exist and for one that has no policy yet.
            let message = err.as_service_error().and_then(GetPolicyError::message);
            if message.is_some_and(|m| m.starts_with("Function not found")) {
                tracing::info!(function = arn, "the trigger's function does not exist");
                return Ok(FunctionPolicy::Missing);
            }
            confirm_exists(&lambda, arn).await
        }
        Err(err) => Err(explain(&format!("GetPolicy {arn}"), err)),
    }
}

/// Tells "no policy yet" from "no function" when the message did not say.
async fn confirm_exists(
    lambda: &aws_sdk_lambda::Client,
    arn: &str,
) -> anyhow::Result<FunctionPolicy> {
    match lambda
        .get_function_configuration()
        .function_name(arn)
        .send()
        .await
    {
        Ok(_) => Ok(FunctionPolicy::Statements(Vec::new())),
        Err(err) if crate::aws::is_not_found(&err) => Ok(FunctionPolicy::Missing),
        Err(err) => Err(explain(&format!("GetFunctionConfiguration {arn}"), err)),
    }
}
