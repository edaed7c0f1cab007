//! poolctl: Amazon Cognito user pools as code.

use clap::Parser;
use poolctl::cli::{Cli, Color};
use poolctl::{render, spec};
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap exits 2 on a usage error, but 2 means "changes present" here (and
    // "drifted" for drift): a mistyped flag in CI must not read as drift.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    setup_output(&cli);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            return report(anyhow::Error::new(err).context("cannot start the async runtime"))
        }
    };
    let code = match runtime.block_on(poolctl::run(cli)) {
        Ok(code) => code,
        Err(err) => report(err),
    };
    // A reader that went away is not an error (see src/output.rs); output
    // lost any other way is.
    match poolctl::output::stdout_failure() {
        Some(err) => report(anyhow::Error::new(err).context("cannot write to standard output")),
        None => code,
    }
}

/// The one place errors are printed.
fn report(err: anyhow::Error) -> ExitCode {
    if let Some(spec_errors) = err.downcast_ref::<spec::diag::SpecErrors>() {
        poolctl::errln!("{}", render::human::spec_errors(spec_errors));
    } else {
        poolctl::errln!("{} {err:#}", render::human::error_label());
    }
    ExitCode::FAILURE
}

fn setup_output(cli: &Cli) {
    let choice = match cli.color {
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
        Color::Auto => anstream::ColorChoice::Auto,
    };
    choice.write_global();
    // The logs are coloured exactly when the rest of standard error is:
    // `auto` means a terminal, and neither NO_COLOR nor a pipe or file.
    let ansi = anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
    poolctl::logging::init(cli.verbose, ansi);
}
