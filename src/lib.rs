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
pub mod offline;
pub mod output;
pub mod outputs;
pub mod plan;
pub mod render;
pub mod spec;
pub mod users;

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
        Command::Outputs(args) => commands::outputs::run(&ctx, args).await,
        Command::Init(args) => commands::init::run(&ctx, args).await,
        Command::Schema => {
            crate::out!("{}", spec::schema::text());
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions(args) => commands::shell::completions(args),
        Command::Man(args) => commands::shell::man(args),
        Command::Users(cli::UsersCommand::Export(args)) => {
            commands::users::export(&ctx, args).await
        }
        Command::Users(cli::UsersCommand::Import(args)) => {
            commands::users::import(&ctx, args).await
        }
        Command::Migrate(args) => commands::migrate::run(&ctx, args).await,
        Command::Client(command) => commands::client::run(&ctx, command).await,
    }
}
