//! `poolctl migrate`: through a one-way door. A change Cognito cannot make
//! in place needs a new pool; this prints the runbook and runs it a step at a
//! time, each confirmed and each skipped when already done, so a migration
//! cut short is finished by running the same command again.
//!
//! 1. create the new pool from the spec, under the new name (the apply path,
//!    with the name overridden);
//! 2. export the old pool's users;
//! 3. import them into the new pool (a user import job), groups restored;
//! 4. say what is left to the user. poolctl never deletes the old pool.

use super::users::{
    excluded, existing_pool, logs_role, one_pool, print_report, progress_line, stop_on_ctrl_c,
};
use super::Context;
use crate::apply::apply_pool;
use crate::cli::MigrateArgs;
use crate::desired::DesiredPool;
use crate::diff::PlanOptions;
use crate::live::{target_of, LiveReader};
use crate::plan::Action;
use crate::render::human;
use crate::users::{self, export, import};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

pub async fn run(ctx: &Context, args: &MigrateArgs) -> anyhow::Result<ExitCode> {
    let old = one_pool(ctx, &args.which)?;
    if args.to == old.pool_name() {
        anyhow::bail!(
            "the new pool needs a name of its own: `{}` is the current pool's",
            args.to
        );
    }
    let old_id = existing_pool(ctx, &old).await?;
    let new = new_pool(&old, &args.to);
    let dir = args.dir.clone().unwrap_or_else(|| {
        format!("migrate-{}-{}-to-{}", old.key, old.environment, args.to).into()
    });

    crate::outln!("{}", runbook(&old, &args.to, &dir));
    let ask = |step: &str| confirm(args.yes, step);

    // 1. The new pool, planned and applied like any other.
    if !ask("1. create the new pool")? {
        return Ok(stopped(1));
    }
    let planned = ctx
        .plan(vec![new.clone()], PlanOptions { prune: false })
        .await;
    if planned.report_failures() {
        anyhow::bail!(
            "cannot read the new pool `{}`; nothing was changed",
            args.to
        );
    }
    let plan = planned.plan();
    let pool_plan = &planned.pools[0];
    let refused: Vec<String> = plan
        .with_action(Action::Blocked)
        .chain(plan.with_action(Action::Replace))
        .map(|(_, change)| format!("{} ({})", change.address, change.reasons.join(", ")))
        .collect();
    if !refused.is_empty() {
        anyhow::bail!(
            "pool `{}` exists already and differs from the spec in ways apply cannot change: {}; give --to another name",
            args.to,
            refused.join("; ")
        );
    }
    if plan.has_changes() {
        crate::out!("{}", human::plan(&plan));
        let clients = ctx.session.clients(&target_of(&new)).await;
        let heading = format!("{} ({})", args.to, new.environment);
        let on_done = move |step: &str| crate::outln!("{}", human::step_done(&heading, step));
        apply_pool(
            &ctx.session,
            &clients,
            &pool_plan.desired,
            &pool_plan.live,
            &pool_plan.plan,
            &on_done,
            &AtomicBool::new(false),
        )
        .await
        .map_err(|failure| anyhow::anyhow!("{}", human::apply_failure(&failure)))?;
    } else {
        crate::outln!(
            "1. pool `{}` exists and matches the spec: nothing to do",
            args.to
        );
    }
    let new_id = existing_pool(ctx, &new).await?;

    // 2. The users of the old pool, to files (resumed if cut short).
    if !ask("2. export the users")? {
        return Ok(stopped(2));
    }
    let clients = ctx.session.clients(&target_of(&old)).await;
    crate::errln!("note: {}", users::NOTICE);
    let stop = stop_on_ctrl_c();
    let job = export::ExportJob {
        client: &clients.cognito,
        pool_id: &old_id,
        pool_name: old.pool_name(),
        environment: &old.environment,
        dir: dir.clone(),
        resume: dir.join(users::CHECKPOINT).exists() || dir.join(users::MANIFEST).exists(),
        excluded: excluded(&old, &args.exclude_attributes),
    };
    match export::run(&job, &stop, &progress_line("exported")).await? {
        export::Ended::Complete(n) => {
            crate::outln!("2. exported {n} user(s) to {}", dir.display())
        }
        export::Ended::AlreadyComplete(n) => crate::outln!(
            "2. the export in {} is complete ({n} user(s)): nothing to do",
            dir.display()
        ),
        export::Ended::Interrupted(n) => anyhow::bail!(
            "interrupted after exporting {n} user(s); run the same command again to go on"
        ),
    }

    // 3. Into the new pool; users it has already are left alone.
    if !ask("3. import the users into the new pool")? {
        return Ok(stopped(3));
    }
    let records = users::read_jsonl(&dir.join(users::JSONL))?;
    let new_clients = ctx.session.clients(&target_of(&new)).await;
    let report = import::run(
        import::ImportJob {
            client: &new_clients.cognito,
            pool_id: &new_id,
            pool_name: &args.to,
            environment: &new.environment,
            users: records,
            logs_role: logs_role(&new, &args.job.logs_role),
            poll_interval: args.job.poll_interval,
        },
        &|line| crate::errln!("{line}"),
    )
    .await?;
    print_report(&report, &args.to, &new.environment);

    // 4. What only the user can do.
    let reader = LiveReader::new(&ctx.session);
    let (old_live, new_live) = tokio::try_join!(reader.read(&old), reader.read(&new))?;
    crate::outln!("\n4. left to you (poolctl never deletes the old pool):");
    crate::outln!(
        "   - make the spec name the new pool: `name: {}` in the `{}` environment of {} (or pin `pool_id: {new_id}`)",
        args.to,
        old.environment,
        old.file.display()
    );
    for (name, client) in &new_live.clients.by_name {
        let before = old_live
            .clients
            .by_name
            .get(name)
            .map(|c| c.id.as_str())
            .unwrap_or("(none)");
        crate::outln!(
            "   - point the apps of client `{name}` at its new id: {before} -> {}",
            client.id
        );
    }
    if old.resources.domain.is_some() {
        crate::outln!("   - move the domain: delete it from `{}`, then `poolctl apply` creates it on the new pool", old.pool_name());
    }
    if old.resources.authorizer.is_some() {
        crate::outln!("   - `poolctl apply` points the spec's authorizer at the new pool once the spec names it");
    }
    crate::outln!(
        "   - users sign in again after a password reset (RESET_REQUIRED; see docs/users.md); users who signed up after the export are not carried over: export and import again to pick them up"
    );
    crate::outln!(
        "   - retire pool `{}` ({old_id}) when nothing uses it any more",
        old.pool_name()
    );
    Ok(if report.succeeded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The old pool's spec under the new name. The domain (one name, one pool)
/// and the authorizer (on an API the old pool still serves) stay with the
/// old pool until the spec itself moves.
fn new_pool(old: &DesiredPool, name: &str) -> DesiredPool {
    let mut new = old.clone();
    new.settings.name = Some(name.to_string());
    new.pool_id = None;
    new.resources.domain = None;
    new.resources.authorizer = None;
    new
}

fn runbook(old: &DesiredPool, to: &str, dir: &Path) -> String {
    format!(
        "Migrating pool `{old_name}` ({env}) to a new pool `{to}`:\n  \
         1. create pool `{to}` from {file} with the spec's settings (its clients get new ids)\n  \
         2. export the users of `{old_name}` to {dir}\n  \
         3. import them into `{to}` with a user import job (they arrive in RESET_REQUIRED) and restore their groups\n  \
         4. list what is left to you: the spec's name, the apps' client ids, the old pool\n\
         A step already done is skipped; `{old_name}` is never deleted.",
        old_name = old.pool_name(),
        env = old.environment,
        file = old.file.display(),
        dir = dir.display()
    )
}

/// Whether to run a step: yes with `--yes`; otherwise asked on a terminal.
fn confirm(yes: bool, step: &str) -> anyhow::Result<bool> {
    if yes {
        crate::outln!("{step}");
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("refusing to migrate without confirmation: stdin is not a terminal; pass --yes to run every step");
    }
    crate::out!("{step}? Only 'yes' goes ahead: ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == "yes")
}

fn stopped(step: u8) -> ExitCode {
    crate::outln!(
        "stopped before step {step}; run the same command again to go on (steps done are skipped)"
    );
    ExitCode::FAILURE
}
