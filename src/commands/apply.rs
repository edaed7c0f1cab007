//! `poolctl apply`: show the plan, get a yes, carry it out.

use super::Context;
use crate::apply::{apply_pool, ApplyError};
use crate::cli::ApplyArgs;
use crate::live::target_of;
use crate::render::human;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

pub async fn run(ctx: &Context, args: &ApplyArgs) -> anyhow::Result<ExitCode> {
    let desired = ctx.desired(&args.selection)?;
    let options = crate::diff::PlanOptions { prune: args.prune };
    let (plan, lives) = ctx.plan(&desired, options).await?;
    anstream::print!("{}", human::plan(&plan));

    let blocked: Vec<String> = plan
        .blocked()
        .map(|(pool, change)| {
            format!(
                "{} in pool `{}` ({})",
                change.address, pool.pool, pool.environment
            )
        })
        .collect();
    let missing_functions: Vec<String> = plan
        .blocked()
        .filter(|(_, c)| c.address.starts_with(crate::diff::lambda_permission::KIND))
        .filter_map(|(_, c)| c.reasons.first().cloned())
        .collect();
    if !missing_functions.is_empty() && missing_functions.len() == blocked.len() {
        anyhow::bail!(
            "refusing to apply: {}; nothing was changed",
            missing_functions.join("; ")
        );
    }
    if !blocked.is_empty() {
        anyhow::bail!(
            "refusing to apply: the plan holds changes Cognito cannot make in place ({}); nothing was changed. \
             Revert them in the spec, or create a new pool under a new name and migrate users",
            blocked.join(", ")
        );
    }
    let replaced: Vec<String> = plan
        .pools
        .iter()
        .flat_map(|p| p.changes.iter().map(move |c| (p, c)))
        .filter(|(_, c)| c.action == crate::plan::Action::Replace)
        .map(|(pool, change)| {
            format!(
                "{} in pool `{}` ({})",
                change.address, pool.pool, pool.environment
            )
        })
        .collect();
    if !replaced.is_empty() && !args.allow_replace {
        anyhow::bail!(
            "refusing to apply: the plan replaces {} (deleted and created again, with a new identity); nothing was changed. \
             Pass --allow-replace to go ahead",
            replaced.join(", ")
        );
    }
    if !plan.has_changes() {
        return Ok(ExitCode::SUCCESS);
    }
    if !args.auto_approve {
        confirm(&desired)?;
    }

    let results = futures::future::join_all(desired.iter().zip(&lives).zip(&plan.pools).map(
        |((d, live), pool_plan)| async move {
            let clients = ctx.session.clients(&target_of(d)).await;
            let heading = format!("{} ({})", d.key, d.environment);
            let on_done =
                move |step: &str| anstream::println!("{}", human::step_done(&heading, step));
            apply_pool(&ctx.session, &clients, d, live, pool_plan, &on_done).await
        },
    ))
    .await;
    let failures: Vec<ApplyError> = results.into_iter().filter_map(Result::err).collect();
    if let Some(first) = failures.into_iter().next() {
        return Err(first.into());
    }
    anstream::println!("{}", human::applied(&plan.summary()));
    Ok(ExitCode::SUCCESS)
}

/// Asks for `yes` on a terminal (and for the environment's name where the
/// spec marks it protected); refuses outright without a terminal.
fn confirm(desired: &[crate::desired::DesiredPool]) -> anyhow::Result<()> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("refusing to apply without confirmation: stdin is not a terminal; pass --auto-approve to apply non-interactively");
    }
    let mut protected: Vec<&str> = desired
        .iter()
        .filter(|d| d.protected)
        .map(|d| d.environment.as_str())
        .collect();
    protected.dedup();
    let stdin = std::io::stdin();
    let ask = |prompt: &str| -> anyhow::Result<String> {
        print!("{prompt}");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer)?;
        Ok(answer.trim().to_string())
    };
    for env in protected {
        if ask(&format!(
            "Environment `{env}` is protected. Type its name to continue: "
        ))? != env
        {
            anyhow::bail!(
                "apply cancelled: the environment's name was not typed; nothing was changed"
            );
        }
    }
    if ask("Do you want to perform these actions? Only 'yes' will be accepted: ")? != "yes" {
        anyhow::bail!("apply cancelled; nothing was changed");
    }
    Ok(())
}
