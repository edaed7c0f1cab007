//! Writing trigger permissions: `AddPermission` so Cognito may invoke a
//! trigger's function for this pool, `RemovePermission` of the statement
//! poolctl added once the pool no longer uses a function.
//!
//! Each step recomputes the trigger's permission plan with the pool's ARN as
//! it is now (a pool created earlier in this apply has one only now) and
//! calls each function through a client for the function's own region.

use super::ApplyCtx;
use crate::aws::{deleted, explain};
use crate::diff::lambda_permission::{plan_permissions, Inputs, PermissionPlan, Statement};
use crate::live::lambda_permission::lambda_for;
use crate::live::target_of;
use crate::model::lambda_permission::{account_of, ACTION, PRINCIPAL};

/// Grants Cognito, for this pool, the right to invoke `trigger`'s function.
pub async fn grant(ctx: &ApplyCtx<'_>, trigger: &str) -> anyhow::Result<()> {
    let Some(Statement {
        function_arn,
        statement_id,
    }) = plan_for(ctx, trigger)?.grant
    else {
        // Granted meanwhile (or by another trigger's statement): nothing to add.
        return Ok(());
    };
    let pool = ctx.pool()?;
    let mut request = lambda(ctx, &function_arn)
        .await
        .add_permission()
        .function_name(&function_arn)
        .statement_id(&statement_id)
        .action(ACTION)
        .principal(PRINCIPAL)
        .source_arn(&pool.arn);
    // SourceAccount guards against a pool of the same ARN in another
    // account; only sent when the pool's ARN says which account it is in.
    if let Some(account) = account_of(&pool.arn) {
        request = request.source_account(account);
    }
    request.send().await.map_err(|e| {
        explain(
            &format!("AddPermission {statement_id} on {function_arn}"),
            e,
        )
    })?;
    Ok(())
}

/// Removes the statement poolctl added for `trigger` from a function the
/// pool no longer uses.
pub async fn revoke(ctx: &ApplyCtx<'_>, trigger: &str) -> anyhow::Result<()> {
    let Some(Statement {
        function_arn,
        statement_id,
    }) = plan_for(ctx, trigger)?.revoke
    else {
        return Ok(());
    };
    let result = lambda(ctx, &function_arn)
        .await
        .remove_permission()
        .function_name(&function_arn)
        .statement_id(&statement_id)
        .send()
        .await;
    deleted(
        &format!("RemovePermission {statement_id} on {function_arn}"),
        result,
    )
}

fn plan_for(ctx: &ApplyCtx<'_>, trigger: &str) -> anyhow::Result<PermissionPlan> {
    let Some(pool) = &ctx.pool else {
        anyhow::bail!("the pool's ARN is not known");
    };
    let inputs = Inputs::of(ctx.desired, ctx.live, Some(&pool.arn))
        .ok_or_else(|| anyhow::anyhow!("the spec declares no triggers"))?;
    Ok(plan_permissions(&inputs)
        .into_iter()
        .find(|p| p.trigger == trigger)
        .unwrap_or_default())
}

async fn lambda(ctx: &ApplyCtx<'_>, function_arn: &str) -> aws_sdk_lambda::Client {
    lambda_for(ctx.session, &target_of(ctx.desired), function_arn).await
}

#[cfg(test)]
mod tests {
    use crate::apply::{steps, Step};
    use crate::plan::{Action, FieldChange, PoolPlan, ResourceChange};

    fn change(address: &str, action: Action, path: &str) -> ResourceChange {
        ResourceChange {
            address: address.parse().expect("a known kind"),
            action,
            fields: vec![FieldChange {
                path: path.into(),
                before: None,
                after: None,
                sensitive: false,
                one_way_door: None,
                blocked: None,
            }],
            reasons: Vec::new(),
        }
    }

    fn plan(pool_id: Option<&str>, changes: Vec<ResourceChange>) -> PoolPlan {
        PoolPlan {
            pool: "shop".into(),
            environment: "dev".into(),
            file: "pools/shop.yaml".into(),
            region: "us-east-1".into(),
            pool_name: "shop-dev".into(),
            pool_id: pool_id.map(str::to_string),
            changes,
            warnings: Vec::new(),
        }
    }

    fn grant(trigger: &str, before_pool: bool) -> Step {
        Step::Grant {
            trigger: trigger.into(),
            before_pool,
        }
    }

    #[test]
    fn an_existing_pool_is_granted_before_its_update_and_revoked_after() {
        let p = plan(
            Some("us-east-1_AbC123xyZ"),
            vec![
                change("user_pool", Action::Update, "triggers.pre_sign_up"),
                change(
                    "lambda_permission.pre_sign_up",
                    Action::Update,
                    "function_arn",
                ),
                change(
                    "lambda_permission.custom_message",
                    Action::Delete,
                    "function_arn",
                ),
                change(
                    "lambda_permission.user_migration",
                    Action::Create,
                    "function_arn",
                ),
            ],
        );
        assert_eq!(
            steps(&p),
            [
                grant("pre_sign_up", true),
                grant("user_migration", true),
                Step::UpdatePool,
                Step::Revoke {
                    trigger: "pre_sign_up".into()
                },
                Step::Revoke {
                    trigger: "custom_message".into()
                },
            ]
        );
    }

    #[test]
    fn a_new_pool_is_granted_once_it_exists_and_nothing_blocked_runs() {
        let p = plan(
            None,
            vec![
                change("user_pool", Action::Create, "name"),
                change(
                    "lambda_permission.pre_sign_up",
                    Action::Create,
                    "function_arn",
                ),
                change(
                    "lambda_permission.post_confirmation",
                    Action::Blocked,
                    "function_arn",
                ),
            ],
        );
        assert_eq!(steps(&p), [Step::CreatePool, grant("pre_sign_up", false)]);
    }
}
