//! `poolctl completions` and `poolctl man`: the shell completion scripts and
//! the manual pages, generated from the same clap definitions that parse the
//! command line, so they never fall behind it.

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use anyhow::Context as _;
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "poolctl", &mut script);
    std::io::stdout()
        .write_all(&script)
        .context("cannot write the completion script")?;
    Ok(ExitCode::SUCCESS)
}

/// The top-level page on stdout (it lists the subcommands), or with `--dir`
/// every page written as files.
pub fn man(args: &ManArgs) -> anyhow::Result<ExitCode> {
    let command = Cli::command();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        clap_mangen::generate_to(command, dir)
            .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .context("cannot render the manual page")?;
    std::io::stdout()
        .write_all(&page)
        .context("cannot write the manual page")?;
    Ok(ExitCode::SUCCESS)
}
