//! `poolctl drift`: does live state still match the specs? For a scheduled
//! CI job: 0 in sync, 2 drifted (including unmanaged resources), 1 error.

use super::Context;
use crate::cli::{DriftArgs, Selection};
use crate::render::{human, json};
use std::process::ExitCode;

pub async fn run(ctx: &Context, args: &DriftArgs) -> anyhow::Result<ExitCode> {
    let selection = Selection {
        all_envs: args.selection.all_envs || args.selection.envs.is_empty(),
        ..args.selection.clone()
    };
    let desired = ctx.desired(&selection)?;
    let planned = ctx.plan(desired, crate::diff::PlanOptions::default()).await;
    let plan = planned.plan();
    if args.json {
        crate::outln!("{}", json::drift(&plan, &planned.failures));
    } else {
        crate::out!("{}", human::drift(&plan));
    }
    if planned.report_failures() {
        return Ok(ExitCode::FAILURE);
    }
    if plan.drifted() {
        return Ok(super::exit(2));
    }
    Ok(ExitCode::SUCCESS)
}
