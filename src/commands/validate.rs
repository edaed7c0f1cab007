//! `poolctl validate`: every check that needs no AWS account.

use super::Context;
use crate::cli::ValidateArgs;
use crate::render::human;
use crate::spec::diag::SpecErrors;
use std::process::ExitCode;

pub fn run(ctx: &Context, args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let files = ctx.load()?;
    let envs = (!args.envs.is_empty()).then_some(args.envs.as_slice());
    let pairs = super::select(&files, envs, &[])?;
    let pools = match ctx.resolve(&pairs) {
        Ok(pools) => pools,
        Err(SpecErrors(diags)) => {
            let warnings: Vec<_> = diags.iter().filter(|d| !d.is_error()).cloned().collect();
            for line in human::grouped_diagnostics(&warnings) {
                crate::errln!("{line}");
            }
            return Err(SpecErrors(diags).into());
        }
    };
    let warnings: Vec<_> = pools
        .iter()
        .flat_map(|p| p.warnings.iter().cloned())
        .collect();
    let grouped = human::grouped_diagnostics(&warnings);
    for line in &grouped {
        crate::errln!("{line}");
    }
    crate::outln!(
        "{}",
        human::validated(files.len(), pools.len(), grouped.len())
    );
    Ok(ExitCode::SUCCESS)
}
