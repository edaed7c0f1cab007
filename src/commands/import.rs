//! `poolctl import`: read a live pool, write the spec that declares it (or
//! add it as an environment of an existing spec), then check that a plan of
//! the result against the same live state is empty.

use super::Context;
use crate::aws::Target;
use crate::cli::ImportArgs;
use crate::diff::PlanOptions;
use crate::import::{self, files, merge, template::Templater, Imported};
use crate::live::authorizer::ApiLookupError;
use crate::live::import::{Request, Selector, WholePool};
use crate::live::LookupError;
use crate::render::human::{self, ImportCheck};
use crate::spec::diag::SpecErrors;
use anyhow::Context as _;
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

pub async fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let env = args.env.as_str();
    anyhow::ensure!(
        crate::spec::check::is_environment_name(env),
        "`{env}` is not a valid environment name (letters, digits, - and _)"
    );
    let profile = ctx.overrides.profile.clone();
    let region = match ctx.overrides.region.clone().or_else(|| {
        args.pool_id
            .as_deref()
            .and_then(crate::spec::check::region_of_pool_id)
            .map(str::to_string)
    }) {
        Some(region) => region,
        None => crate::aws::default_region(profile.as_deref())
            .await
            .context("no region: give --region (or AWS_REGION)")?,
    };
    let to_stdout = args.out.as_deref() == Some(Path::new("-"));
    let selector = match (&args.pool_id, &args.name) {
        (Some(id), _) => Selector::Id(id.clone()),
        (None, Some(name)) => Selector::Name(name.clone()),
        (None, None) => anyhow::bail!("give --pool-id or --name"),
    };
    let request = Request {
        target: Target {
            profile: profile.clone(),
            region: region.clone(),
        },
        selector,
        environment: env.to_string(),
        file: args
            .out
            .clone()
            .filter(|_| !to_stdout)
            .unwrap_or_else(|| ctx.pools_dir.join("(new).yaml")),
        rest_api: args.rest_api.clone(),
        authorizer: args.authorizer.clone(),
    };
    let whole = live::read(ctx, &request).await?;

    let live_name = whole.pool().settings.name.clone().unwrap_or_default();
    let templated = Templater {
        environment: env,
        region: &region,
    }
    .with_env(&live_name);
    let same_pool = |name: &str| merge::is_same_pool(name, env, &region, &live_name, &templated);
    let out = match &args.out {
        _ if to_stdout => None,
        Some(path) => Some(path.clone()),
        None => Some(
            files::existing_spec(&ctx.pools_dir, &same_pool)?.unwrap_or_else(|| {
                files::default_path(&ctx.pools_dir, &import::stem_of(&templated, &live_name))
            }),
        ),
    };
    let stem = out
        .as_deref()
        .and_then(Path::file_stem)
        .and_then(|s| s.to_str())
        .map(str::to_string)
        .unwrap_or_else(|| import::stem_of(&templated, &live_name));
    let imported = import::from_live(
        &whole,
        &import::Options {
            environment: env,
            region: &region,
            stem: &stem,
            pin_pool_id: args.pool_id.is_some(),
            profile: profile.as_deref(),
        },
    );

    let spec_path = out
        .clone()
        .unwrap_or_else(|| ctx.pools_dir.join(format!("{stem}.yaml")));
    let text = match &out {
        Some(path) if path.exists() => add_environment(path, &imported, &same_pool)?,
        _ => imported.new_file()?,
    };
    let dir = spec_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    files::write_metadata_files(&dir, &imported)?;
    match &out {
        Some(path) => files::write_atomically(path, &text)?,
        None => crate::out!("{text}"),
    }
    crate::err!("{}", human::import_report(&imported, out.as_deref(), &dir));
    check(ctx, &spec_path, &text, &imported).await
}

/// The AWS side, with the lookup errors worded for this command.
mod live {
    use super::*;

    pub async fn read(ctx: &Context, request: &Request) -> anyhow::Result<WholePool> {
        crate::live::import::read(&ctx.session, request)
            .await
            .map_err(|err| match err.downcast::<LookupError>() {
                Ok(LookupError::Ambiguous {
                    name, region, ids, ..
                }) => anyhow::anyhow!(
                    "{} live pools in {region} are named `{name}`: {}; import one with --pool-id",
                    ids.len(),
                    ids.join(", ")
                ),
                Ok(LookupError::PinnedMissing { id, region, .. }) => {
                    anyhow::anyhow!("no user pool `{id}` in {region}")
                }
                Err(err) => match err.downcast::<ApiLookupError>() {
                    Ok(ApiLookupError::Missing { wanted, region, .. }) => {
                        anyhow::anyhow!(
                            "no REST API in {region} is named `{wanted}` or has that id"
                        )
                    }
                    Ok(ApiLookupError::Ambiguous {
                        wanted,
                        region,
                        ids,
                        ..
                    }) => anyhow::anyhow!(
                        "{} REST APIs in {region} are named `{wanted}`: {}; give --rest-api the id",
                        ids.len(),
                        ids.join(", ")
                    ),
                    Ok(other) => other.into(),
                    Err(err) => err,
                },
            })
    }
}

/// The existing file with the imported environment added.
fn add_environment(
    path: &Path,
    imported: &Imported,
    same_pool: &dyn Fn(&str) -> bool,
) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let added = merge::add_environment(path, &text, imported, same_pool)?;
    for warning in &added.warnings {
        crate::errln!("{}", human::warning(warning));
    }
    Ok(added.text)
}
/// Resolves what was written for the environment, with the secrets' live
/// values standing in for their variables, and plans it against live state:
/// the import's promise is that this plan is empty.
async fn check(
    ctx: &Context,
    spec_path: &Path,
    text: &str,
    imported: &Imported,
) -> anyhow::Result<ExitCode> {
    let env = imported.environment.as_str();
    let file = crate::spec::parse_file(spec_path, text.as_bytes().to_vec()).map_err(SpecErrors)?;
    let secrets: HashMap<&str, String> = imported
        .secrets
        .iter()
        .map(|s| {
            let value = match &s.live {
                Some(secret) => secret.expose().to_string(),
                // Not compared (AWS does not return it); any text will do.
                None => "(not returned by AWS)".to_string(),
            };
            (s.name.as_str(), value)
        })
        .collect();
    let unset = std::cell::RefCell::new(Vec::new());
    let env_var = |name: &str| {
        let value = secrets
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok());
        if value.is_none() {
            unset.borrow_mut().push(name.to_string());
        }
        value
    };
    let desired = match crate::spec::resolve(&file, env, &ctx.overrides, &env_var) {
        Ok(desired) => desired,
        // Variables the file already used, for other secrets: not ours to know.
        Err(_) if !unset.borrow().is_empty() => {
            let unset = unset.borrow();
            crate::errln!(
                "{}",
                human::import_check(&ImportCheck::NotChecked { unset: &unset })
            );
            return Ok(ExitCode::SUCCESS);
        }
        Err(SpecErrors(diagnostics)) => {
            let invalid = ImportCheck::Invalid {
                environment: env,
                diagnostics: &diagnostics,
            };
            crate::errln!("{}", human::import_check(&invalid));
            return Ok(ExitCode::FAILURE);
        }
    };
    let planned = ctx.plan(vec![desired], PlanOptions::default()).await;
    let plan = planned.plan();
    let outcome = if planned.report_failures() {
        ImportCheck::Unreadable
    } else if plan.has_changes() {
        ImportCheck::Changes {
            environment: env,
            plan: &plan,
        }
    } else {
        ImportCheck::Clean { environment: env }
    };
    crate::errln!("{}", human::import_check(&outcome));
    Ok(ExitCode::SUCCESS)
}
