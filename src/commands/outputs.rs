//! `poolctl outputs`: what the applications that use each pool need (ids,
//! issuer, JWKS and sign-in URLs), read from the live pools. Only reads.

use super::Context;
use crate::cli::{OutputsArgs, OutputsFormat};
use crate::outputs::{self, PoolOutputs};
use crate::render::outputs as render;
use anyhow::Context as _;
use std::io::Write;
use std::process::ExitCode;

pub async fn run(ctx: &Context, args: &OutputsArgs) -> anyhow::Result<ExitCode> {
    // Checked before any AWS call: a CI step without it would read for nothing.
    let github_output = match args.format {
        Some(OutputsFormat::Github) => Some(std::env::var_os("GITHUB_OUTPUT").filter(|v| !v.is_empty()).context(
            "--format github appends to the file $GITHUB_OUTPUT names, and GITHUB_OUTPUT is not set (it is set inside a GitHub Actions step)",
        )?),
        _ => None,
    };
    let desired = ctx.desired(&args.selection)?;
    // Planning reads exactly what outputs need (the pool, its declared
    // clients, domain and authorizer) and reports failures per pool.
    let planned = ctx.plan(desired, crate::diff::PlanOptions::default()).await;
    let pools: Vec<PoolOutputs> = planned
        .pools
        .iter()
        .map(|p| outputs::of(&p.desired, &p.live))
        .collect();
    match args.format {
        None if args.json => crate::outln!("{}", render::json(&pools, &planned.failures)),
        None => crate::out!("{}", render::human(&pools)),
        Some(format) => {
            let pairs = outputs::dotenv_pairs(&pools)?;
            for pool in pools.iter().filter(|p| !p.exists) {
                crate::errln!(
                    "{} pool `{}` ({}) does not exist yet: it has no outputs; run `poolctl apply --env {}` first",
                    crate::render::human::error_label(),
                    pool.pool,
                    pool.environment,
                    pool.environment
                );
            }
            match (format, &github_output) {
                (OutputsFormat::Github, Some(path)) => {
                    let mut file = std::fs::OpenOptions::new()
                        .append(true)
                        .create(true)
                        .open(path)
                        .with_context(|| {
                            format!("cannot open $GITHUB_OUTPUT ({})", path.to_string_lossy())
                        })?;
                    file.write_all(render::github(&pairs).as_bytes())
                        .with_context(|| {
                            format!("cannot write $GITHUB_OUTPUT ({})", path.to_string_lossy())
                        })?;
                    crate::errln!("wrote {} outputs to $GITHUB_OUTPUT", pairs.len());
                }
                _ => crate::out!("{}", render::dotenv(&pairs)),
            }
            // An app deployed with a missing variable fails later and far
            // away; in these machine formats a missing pool fails the step.
            if pools.iter().any(|p| !p.exists) {
                planned.report_failures();
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    if planned.report_failures() {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
