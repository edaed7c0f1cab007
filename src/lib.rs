//! poolctl as a library: the pure core (spec, model, diff, plan, render) and
//! the AWS-facing modules (live, apply), so tests and benchmarks can call the
//! core directly. The binary (`main.rs`) only parses, runs and prints.

pub mod apply;
pub mod aws;
pub mod cli;
pub mod commands;
pub mod desired;
pub mod diff;
pub mod import;
pub mod live;
pub mod logging;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod spec;

use cli::{Cli, Command};
use std::process::ExitCode;

/// Runs one parsed command line to its exit code.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = commands::Context::new(&cli);
    match &cli.command {
        Command::Validate(args) => commands::validate::run(&ctx, args),
        Command::Plan(args) => commands::plan::run(&ctx, args).await,
        Command::Apply(args) => commands::apply::run(&ctx, args).await,
        Command::Drift(args) => commands::drift::run(&ctx, args).await,
        Command::Show(args) => commands::show::run(args),
        Command::Import(args) => commands::import::run(&ctx, args).await,
    }
}
