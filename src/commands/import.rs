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
use crate::spec::Overrides;
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
    let region = match ctx
        .overrides
        .region
        .clone()
        .or_else(|| {
            args.pool_id
                .as_deref()
                .and_then(crate::spec::check::region_of_pool_id)
                .map(str::to_string)
        })
        .or_else(|| region_from_specs(ctx, args))
    {
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
            role: None,
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
        identity_pools: args.identity_pools.clone(),
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
    files::write_branding_files(&dir, &imported)?;
    match &out {
        Some(path) => {
            files::write_atomically(path, &text)?;
            // What the new file's modeline points at.
            crate::spec::schema::write_beside(&dir)
                .with_context(|| format!("cannot write the schema into {}", dir.display()))?;
        }
        None => crate::out!("{text}"),
    }
    crate::err!("{}", human::import_report(&imported, out.as_deref(), &dir));
    check(ctx, &spec_path, &text, &imported).await
}

/// The region the specs already declare for the environment: that of the
/// `--out` file if it declares it, else the one region every spec in
/// `--pools` that declares the environment agrees on.
fn region_from_specs(ctx: &Context, args: &ImportArgs) -> Option<String> {
    let env_var = |name: &str| std::env::var(name).ok();
    let region_of = |path: &Path| {
        crate::spec::load_file(path)
            .ok()
            .and_then(|file| crate::spec::declared_region(&file, &args.env, &env_var))
    };
    if let Some(region) = args
        .out
        .as_deref()
        .filter(|p| *p != Path::new("-") && p.exists())
        .and_then(region_of)
    {
        return Some(region);
    }
    let entries = std::fs::read_dir(&ctx.pools_dir).ok()?;
    let mut regions: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .filter_map(|p| region_of(&p))
        .collect();
    regions.sort();
    regions.dedup();
    match regions.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
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
    // What was written must pass `validate` as a whole, not only the
    // imported environment: another environment of the same file may now
    // resolve to this very pool.
    let others = other_environments(&file, env, &env_var, &desired);
    if !others.is_empty() {
        let invalid = ImportCheck::Invalid {
            environment: env,
            diagnostics: &others,
        };
        crate::errln!("{}", human::import_check(&invalid));
        return Ok(ExitCode::FAILURE);
    }
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

/// The errors `validate` would find in the file's other environments once
/// the imported one is in it: an environment that fails to resolve, or two
/// that resolve to one pool. An environment whose variables are not set here
/// cannot be judged and is left out.
fn other_environments(
    file: &crate::spec::SpecFile,
    env: &str,
    env_var: &dyn Fn(&str) -> Option<String>,
    imported: &crate::desired::DesiredPool,
) -> Vec<crate::spec::diag::Diagnostic> {
    let mut errors = Vec::new();
    let mut pools = vec![imported.clone()];
    for other in file.environments.iter().filter(|e| *e != env) {
        let unset = std::cell::Cell::new(false);
        let lookup = |name: &str| {
            let value = env_var(name);
            unset.set(unset.get() || value.is_none());
            value
        };
        match crate::spec::resolve(file, other, &Overrides::default(), &lookup) {
            Ok(pool) => pools.push(pool),
            Err(_) if unset.get() => {}
            Err(SpecErrors(diagnostics)) => {
                errors.extend(diagnostics.into_iter().filter(|d| d.is_error()))
            }
        }
    }
    errors.extend(super::same_pool_twice(&pools));
    errors
}
