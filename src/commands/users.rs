//! `poolctl users export` and `poolctl users import`: find the pool, hand
//! the work to `users::export` / `users::import`, say what happened.

use super::Context;
use crate::cli::{OnePool, UsersExportArgs, UsersImportArgs};
use crate::desired::DesiredPool;
use crate::live::{target_of, LiveReader};
use crate::users::{self, export, import};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub async fn export(ctx: &Context, args: &UsersExportArgs) -> anyhow::Result<ExitCode> {
    let desired = one_pool(ctx, &args.which)?;
    let pool_id = existing_pool(ctx, &desired).await?;
    let clients = ctx.session.clients(&target_of(&desired)).await;
    let dir = users::export_dir(args.out.as_deref(), &desired.key, &desired.environment);
    crate::errln!("note: {}", users::NOTICE);
    let stop = stop_on_ctrl_c();
    let job = export::ExportJob {
        client: &clients.cognito,
        pool_id: &pool_id,
        pool_name: desired.pool_name(),
        environment: &desired.environment,
        dir: dir.clone(),
        resume: args.resume,
        excluded: excluded(&desired, &args.exclude_attributes),
    };
    let ended = export::run(&job, &stop, &progress_line("exported")).await;
    clear_progress();
    match ended? {
        export::Ended::Complete(n) => {
            crate::outln!(
                "exported {n} user(s) of pool `{}` ({}) to {}: {}, {}, {}",
                desired.pool_name(),
                desired.environment,
                dir.display(),
                users::JSONL,
                users::CSV,
                users::MANIFEST
            );
            Ok(ExitCode::SUCCESS)
        }
        export::Ended::AlreadyComplete(n) => {
            crate::outln!(
                "the export in {} is already complete ({n} user(s)); nothing to resume",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        export::Ended::Interrupted(n) => {
            anyhow::bail!(
                "export interrupted after {n} user(s); `poolctl users export --env {} --out {} --resume` continues it",
                desired.environment,
                dir.display()
            )
        }
    }
}

pub async fn import(ctx: &Context, args: &UsersImportArgs) -> anyhow::Result<ExitCode> {
    // The file first: a bad one stops everything before any AWS call.
    let path = users::jsonl_of(&args.from);
    let records = users::read_jsonl(&path)?;
    let desired = one_pool(ctx, &args.which)?;
    let pool_id = existing_pool(ctx, &desired).await?;
    let clients = ctx.session.clients(&target_of(&desired)).await;
    let report = import::run(
        import::ImportJob {
            client: &clients.cognito,
            pool_id: &pool_id,
            pool_name: desired.pool_name(),
            environment: &desired.environment,
            users: records,
            logs_role: logs_role(&desired, &args.job.logs_role),
            poll_interval: args.job.poll_interval,
        },
        &|line| crate::errln!("{line}"),
    )
    .await?;
    print_report(&report, desired.pool_name(), &desired.environment);
    if report.succeeded() {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

pub fn print_report(report: &import::Report, pool: &str, environment: &str) {
    for name in &report.existing {
        crate::outln!("  = {name} already exists in the pool: not imported again");
    }
    if let Some(job) = &report.job {
        crate::outln!(
            "import job {}: {} imported, {} skipped, {} failed{}",
            job.status,
            job.imported,
            job.skipped,
            job.failed,
            job.message
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        );
    }
    for (row, name) in &report.failed_rows {
        crate::outln!(
            "  ! row {row}: user `{name}` was not imported (the job's CloudWatch Logs say why)"
        );
    }
    for (user, group, why) in &report.memberships_failed {
        crate::outln!("  ! {user} was not added to group `{group}`: {why}");
    }
    for (user, why) in &report.disable_failed {
        crate::outln!(
            "  ! {user} was disabled where it came from but could not be disabled here: {why}"
        );
    }
    crate::outln!(
        "pool `{pool}` ({environment}): {} group membership(s) restored, {} user(s) disabled again; imported users are in RESET_REQUIRED until they reset their password",
        report.memberships_added,
        report.disabled
    );
}

/// The attributes to leave out: the spec's `users.exclude_attributes` and
/// every `--exclude-attribute`.
pub fn excluded(desired: &DesiredPool, flags: &[String]) -> Vec<String> {
    let mut all = desired.users.exclude_attributes.clone();
    for name in flags {
        if !all.contains(name) {
            all.push(name.clone());
        }
    }
    all
}

/// The import job's logs role: `--logs-role` (or its variable), else the
/// spec's `users.import_logs_role`.
pub fn logs_role(desired: &DesiredPool, flag: &Option<String>) -> Option<String> {
    flag.clone()
        .or_else(|| desired.users.import_logs_role.clone())
}

/// The one pool `--env` (and `--pool`) names.
pub fn one_pool(ctx: &Context, which: &OnePool) -> anyhow::Result<DesiredPool> {
    let files = ctx.load()?;
    let pools: Vec<String> = which.pool.iter().cloned().collect();
    let pairs = super::select(&files, Some(std::slice::from_ref(&which.env)), &pools)?;
    if pairs.len() > 1 {
        let keys: Vec<&str> = pairs.iter().map(|(f, _)| f.key.as_str()).collect();
        anyhow::bail!(
            "{} pools declare environment `{}` ({}); say which with --pool NAME",
            pairs.len(),
            which.env,
            keys.join(", ")
        );
    }
    Ok(ctx.resolve(&pairs)?.remove(0))
}

/// The live pool's id; a pool that does not exist is an error.
pub async fn existing_pool(ctx: &Context, desired: &DesiredPool) -> anyhow::Result<String> {
    LiveReader::new(&ctx.session)
        .pool_id(desired)
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "pool `{}` ({}) does not exist in {}; `poolctl apply --env {}` creates it",
                desired.pool_name(),
                desired.environment,
                desired.region,
                desired.environment
            )
        })
}

/// The first Ctrl-C asks the export to stop once its page is safely written;
/// a second one exits at once (the checkpoint still holds).
pub fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            set.store(true, Ordering::SeqCst);
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    flag
}

/// On a terminal, one line on stderr rewritten as pages arrive: the count,
/// the rate and an estimate of the time left (from Cognito's estimate of the
/// pool's users). Off a terminal, nothing.
pub fn progress_line(verb: &'static str) -> impl Fn(u64, u64) + Sync {
    let terminal = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let first = std::sync::Mutex::new(None::<u64>);
    move |done: u64, estimate: u64| {
        if !terminal {
            return;
        }
        let mut first = first.lock().unwrap_or_else(|e| e.into_inner());
        let base = *first.get_or_insert(done);
        let seconds = started.elapsed().as_secs_f64().max(0.001);
        let rate = (done - base) as f64 / seconds;
        let left = match (estimate.checked_sub(done), rate > 0.0) {
            (Some(left), true) if left > 0 => {
                format!(", about {} left", human_duration(left as f64 / rate))
            }
            _ => String::new(),
        };
        crate::err!("\r{verb} {done} of about {estimate} user(s), {rate:.0}/s{left}    ");
    }
}

fn clear_progress() {
    if std::io::stderr().is_terminal() {
        crate::errln!();
    }
}

fn human_duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}
