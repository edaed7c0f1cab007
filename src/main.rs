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
    let filter = match cli.verbose {
        0 => "poolctl=warn",
        1 => "poolctl=info",
        2 => "poolctl=debug,aws_config=info",
        // Not `aws_smithy_runtime=trace`: at trace the SDK logs response
        // bodies, and DescribeIdentityProvider's holds client secrets in the
        // clear (tests/identity_providers.rs plants some and looks).
        _ => "poolctl=trace,aws_config=debug,aws_smithy_runtime=debug,aws_sdk_cognitoidentityprovider=debug",
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(choice != anstream::ColorChoice::Never && std::env::var_os("NO_COLOR").is_none())
        .with_target(false)
        .without_time()
        .init();
}
