//! `poolctl show FILE`: a saved plan, drawn as `plan` draws one.

use crate::cli::ShowArgs;
use crate::plan::saved::SavedPlan;
use crate::render::{human, json};
use std::process::ExitCode;

pub fn run(args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let saved = SavedPlan::read(&args.plan_file)?;
    let plan = saved.plan();
    if args.json {
        crate::outln!("{}", json::plan(&plan, &[]));
    } else {
        crate::outln!("{}", human::saved_plan_heading(&args.plan_file, &saved));
        crate::out!("{}", human::plan(&plan));
    }
    Ok(ExitCode::SUCCESS)
}
