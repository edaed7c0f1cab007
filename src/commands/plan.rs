//! `poolctl plan`: what apply would change, read from live state.

use super::Context;
use crate::cli::PlanArgs;
use crate::plan::saved::SavedPlan;
use crate::render::{human, json};
use std::process::ExitCode;

pub async fn run(ctx: &Context, args: &PlanArgs) -> anyhow::Result<ExitCode> {
    let desired = ctx.desired(&args.selection)?;
    let options = crate::diff::PlanOptions { prune: args.prune };
    let planned = ctx.plan(desired, options).await;
    let plan = planned.plan();
    if args.json {
        crate::outln!("{}", json::plan(&plan, &planned.failures));
    } else {
        // With every pool failed there is no plan to draw, only the errors.
        if !plan.pools.is_empty() {
            crate::out!("{}", human::plan(&plan));
        }
    }
    if planned.report_failures() {
        return Ok(ExitCode::FAILURE);
    }
    if let Some(path) = &args.out {
        let pools: Vec<_> = planned
            .pools
            .iter()
            .map(|p| (&p.desired, &p.live))
            .collect();
        SavedPlan::new(&plan, &pools, args.prune).write(path)?;
        crate::errln!("{}", human::saved_plan_written(path));
    }
    if args.detailed_exitcode && plan.has_changes() {
        return Ok(super::exit(2));
    }
    Ok(ExitCode::SUCCESS)
}
