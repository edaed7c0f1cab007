//! `poolctl apply`: show the plan, get a yes, carry it out.

use super::{Context, Planned};
use crate::apply::{apply_pool, ApplyError};
use crate::cli::ApplyArgs;
use crate::diff::PlanOptions;
use crate::live::target_of;
use crate::plan::saved::{SavedPlan, SavedPlanError};
use crate::plan::Action;
use crate::render::human;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub async fn run(ctx: &Context, args: &ApplyArgs) -> anyhow::Result<ExitCode> {
    let planned = match &args.plan_file {
        Some(path) => planned_from_saved(ctx, path).await?,
        None => {
            let desired = ctx.desired(&args.selection)?;
            let options = crate::diff::PlanOptions { prune: args.prune };
            ctx.plan(desired, options).await
        }
    };
    let plan = planned.plan();
    // With every pool failed there is no plan to draw, only the errors.
    if !plan.pools.is_empty() {
        crate::out!("{}", human::plan(&plan));
    }
    let read_failed = planned.report_failures();

    // Each blocked change says why in its own reasons (an immutable field,
    // a function not deployed, a client name used twice, ...).
    let blocked: Vec<String> = plan
        .with_action(Action::Blocked)
        .map(|(pool, change)| {
            let why = if change.reasons.is_empty() {
                "it cannot be applied".to_string()
            } else {
                change.reasons.join(", ")
            };
            format!(
                "{why} ({} in pool `{}`, {})",
                change.address, pool.pool, pool.environment
            )
        })
        .collect();
    if !blocked.is_empty() {
        // A pool Cognito cannot change in place has a way through: a new
        // pool, and the users carried over.
        let migrations: Vec<String> = plan
            .with_action(Action::Blocked)
            .filter(|(_, change)| change.address.kind == crate::plan::Kind::UserPool)
            .map(|(pool, _)| {
                format!(
                    "\n  hint: `poolctl migrate --env {} --pool {} --to NEW_NAME` creates a new pool with these settings and carries the users over (docs/users.md)",
                    pool.environment, pool.pool
                )
            })
            .collect();
        anyhow::bail!(
            "refusing to apply: {}; nothing was changed{}",
            blocked.join("; "),
            migrations.concat()
        );
    }
    let replaced: Vec<String> = plan
        .with_action(Action::Replace)
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
        return Ok(if read_failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    if !args.auto_approve {
        let desired: Vec<&crate::desired::DesiredPool> =
            planned.pools.iter().map(|p| &p.desired).collect();
        // A saved plan was reviewed when it was made: only protected
        // environments are asked about again.
        confirm(&desired, args.plan_file.is_none())?;
    }

    let interrupt = interrupt_on_ctrl_c();
    let interrupt = &*interrupt;
    // Pools and environments are independent: each applies on its own, and
    // one failing does not stop the others.
    let results = futures::future::join_all(planned.pools.iter().map(|p| async move {
        let clients = ctx.session.clients(&target_of(&p.desired)).await;
        let heading = format!("{} ({})", p.desired.key, p.desired.environment);
        let on_done = move |step: &str| crate::outln!("{}", human::step_done(&heading, step));
        apply_pool(
            &ctx.session,
            &clients,
            &p.desired,
            &p.live,
            &p.plan,
            &on_done,
            interrupt,
        )
        .await
    }))
    .await;
    let failures: Vec<ApplyError> = results.into_iter().filter_map(Result::err).collect();
    for failure in &failures {
        crate::errln!("{}", human::apply_failure(failure));
    }
    if failures.is_empty() {
        crate::outln!("{}", human::applied(&plan.summary()));
    }
    if read_failed || !failures.is_empty() {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Plans again for exactly the pools and environments a saved plan names,
/// and refuses (changing nothing) unless the specs, the secrets they read and
/// every live resource are as they were when the plan was made.
async fn planned_from_saved(ctx: &Context, path: &std::path::Path) -> anyhow::Result<Planned> {
    let saved = SavedPlan::read(path)?;
    let files = ctx.load()?;
    let mut pairs = Vec::new();
    let mut moved = Vec::new();
    for pool in &saved.pools {
        match files
            .iter()
            .find(|f| f.key == pool.pool && f.environments.contains(&pool.environment))
        {
            Some(file) => pairs.push((file, pool.environment.clone())),
            None => moved.push(format!(
                "  pool `{}` ({}): no longer in the specs",
                pool.pool, pool.environment
            )),
        }
    }
    if !moved.is_empty() {
        return Err(SavedPlanError::Stale(moved).into());
    }
    let desired = ctx.resolve(&pairs)?;
    let planned = ctx.plan(desired, PlanOptions { prune: saved.prune }).await;
    if planned.report_failures() {
        anyhow::bail!("cannot re-read live state for the saved plan; nothing was changed");
    }
    let now: Vec<_> = planned
        .pools
        .iter()
        .map(|p| (&p.desired, &p.live))
        .collect();
    let mut moved = saved.staleness(&now);
    if moved.is_empty() && !saved.is_plan(&planned.plan()) {
        moved.push("  the plan poolctl computes now differs from the saved one".to_string());
    }
    if !moved.is_empty() {
        return Err(SavedPlanError::Stale(moved).into());
    }
    Ok(planned)
}

/// The first Ctrl-C asks apply to stop once the requests in flight have
/// finished (nothing is cut off half-way); a second one exits at once.
fn interrupt_on_ctrl_c() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            set.store(true, Ordering::SeqCst);
            crate::errln!("{}", human::interrupting());
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    flag
}

/// Asks for `yes` on a terminal (and for the environment's name where the
/// spec marks it protected); refuses outright without a terminal.
fn confirm(desired: &[&crate::desired::DesiredPool], ask_yes: bool) -> anyhow::Result<()> {
    let mut protected: Vec<&str> = desired
        .iter()
        .filter(|d| d.protected)
        .map(|d| d.environment.as_str())
        .collect();
    protected.sort();
    protected.dedup();
    if !ask_yes && protected.is_empty() {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("refusing to apply without confirmation: stdin is not a terminal; pass --auto-approve to apply non-interactively");
    }
    let stdin = std::io::stdin();
    let ask = |prompt: String| -> anyhow::Result<String> {
        crate::out!("{prompt}");
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer)?;
        Ok(answer.trim().to_string())
    };
    for env in protected {
        if ask(human::protected_prompt(env))? != env {
            anyhow::bail!(
                "apply cancelled: the environment's name was not typed; nothing was changed"
            );
        }
    }
    if ask_yes && ask(human::confirm_prompt())? != "yes" {
        anyhow::bail!("apply cancelled; nothing was changed");
    }
    Ok(())
}
