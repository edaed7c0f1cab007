//! `poolctl init NAME`: a commented starter spec that validates as written,
//! with the editor's schema beside it.

use super::Context;
use crate::cli::InitArgs;
use crate::spec::{self, starter};
use anyhow::Context as _;
use std::process::ExitCode;

pub async fn run(ctx: &Context, args: &InitArgs) -> anyhow::Result<ExitCode> {
    let name = &args.name;
    if !starter::is_pool_key(name) {
        anyhow::bail!(
            "`{name}` cannot name a spec file: use letters, digits, - and _ (starting with a letter or digit)"
        );
    }
    let envs = if args.envs.is_empty() {
        vec!["dev".to_string()]
    } else {
        args.envs.clone()
    };
    for (i, env) in envs.iter().enumerate() {
        if !spec::check::is_environment_name(env) {
            anyhow::bail!("`{env}` is not a valid environment name (letters, digits, - and _)");
        }
        if envs[..i].contains(env) {
            anyhow::bail!("environment `{env}` is given twice");
        }
    }
    let dir = &ctx.pools_dir;
    for ext in ["yaml", "yml"] {
        let existing = dir.join(format!("{name}.{ext}"));
        if existing.exists() {
            anyhow::bail!(
                "{} already exists; poolctl init does not overwrite a spec",
                existing.display()
            );
        }
    }
    let region = match &ctx.overrides.region {
        Some(region) => region.clone(),
        None => crate::aws::default_region(ctx.overrides.profile.as_deref())
            .await
            .unwrap_or_else(|| starter::FALLBACK_REGION.to_string()),
    };
    let text = starter::text(name, &envs, &region);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{name}.yaml"));
    // create_new: a file that appeared since the check is not overwritten.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    spec::schema::write_beside(dir)
        .with_context(|| format!("cannot write the schema into {}", dir.display()))?;
    crate::errln!(
        "wrote {} ({}); next: poolctl validate, then poolctl plan --env {}",
        path.display(),
        envs.join(", "),
        envs[0]
    );
    Ok(ExitCode::SUCCESS)
}
