//! `poolctl plan`: what apply would change, read from live state.

use super::Context;
use crate::cli::PlanArgs;
use crate::render::{human, json};
use std::process::ExitCode;

pub async fn run(ctx: &Context, args: &PlanArgs) -> anyhow::Result<ExitCode> {
    let desired = ctx.desired(&args.selection)?;
    let options = crate::diff::PlanOptions { prune: args.prune };
    let planned = ctx.plan(desired, options).await;
    let plan = planned.plan();
    if args.json {
        println!("{}", json::plan(&plan, &planned.failures));
    } else {
        anstream::print!("{}", human::plan(&plan));
    }
    if planned.report_failures() {
        return Ok(ExitCode::FAILURE);
    }
    if args.detailed_exitcode && plan.has_changes() {
        return Ok(super::exit(2));
    }
    Ok(ExitCode::SUCCESS)
}
