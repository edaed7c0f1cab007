//! `poolctl import`: read a live pool, write the spec that declares it (or
//! add it as an environment of an existing spec), then check that a plan of
//! the result against the same live state is empty.

use super::Context;
use crate::aws::Target;
use crate::cli::ImportArgs;
use crate::diff::PlanOptions;
use crate::import::{self, merge, render, template::Templater, Imported};
use crate::live::authorizer::ApiLookupError;
use crate::live::import::{Request, Selector, WholePool};
use crate::live::LookupError;
use crate::render::human;
use crate::spec::diag::SpecErrors;
use anyhow::Context as _;
use serde_yaml::Mapping;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub async fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let env = args.env.as_str();
    anyhow::ensure!(
        !env.is_empty()
            && env
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "`{env}` is not a valid environment name (letters, digits, - and _)"
    );
    let profile = ctx.overrides.profile.clone();
    let region = match ctx
        .overrides
        .region
        .clone()
        .or_else(|| args.pool_id.as_deref().and_then(region_of_pool_id))
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
            existing_spec(&ctx.pools_dir, &same_pool)?.unwrap_or_else(|| {
                default_path(&ctx.pools_dir, &import::stem_of(&templated, &live_name))
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
    write_metadata_files(&dir, &imported)?;
    match &out {
        Some(path) => write_atomically(path, &text)?,
        None => print!("{text}"),
    }
    report(&imported, out.as_deref(), &dir);
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

/// `us-east-1` from `us-east-1_AbC123xyZ`.
fn region_of_pool_id(id: &str) -> Option<String> {
    let (region, rest) = id.split_once('_')?;
    (region.contains('-') && !rest.is_empty()).then(|| region.to_string())
}

/// `<pools>/<stem>.yaml`, or the `.yml` file of that stem if there is one.
fn default_path(pools_dir: &Path, stem: &str) -> PathBuf {
    let yml = pools_dir.join(format!("{stem}.yml"));
    if yml.exists() {
        yml
    } else {
        pools_dir.join(format!("{stem}.yaml"))
    }
}

/// The spec in the pools directory that is the live pool's, if one is.
fn existing_spec(
    pools_dir: &Path,
    same_pool: &dyn Fn(&str) -> bool,
) -> anyhow::Result<Option<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(pools_dir) else {
        return Ok(None);
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    let found: Vec<PathBuf> = paths
        .into_iter()
        .filter(|path| {
            std::fs::read_to_string(path)
                .ok()
                .and_then(|text| serde_yaml::from_str::<Mapping>(&text).ok())
                .and_then(|m| m.get("name").and_then(render::scalar_text))
                .is_some_and(|name| same_pool(&name))
        })
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        many => anyhow::bail!(
            "several specs are this pool's ({}); choose one with --out",
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
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
        anstream::eprintln!("{} {warning}", human::warning_label());
    }
    Ok(added.text)
}

/// The SAML metadata documents, next to the spec. An existing file is
/// overwritten only with the same content.
fn write_metadata_files(dir: &Path, imported: &Imported) -> anyhow::Result<()> {
    for file in &imported.metadata_files {
        let path = dir.join(&file.file_name);
        if let Ok(existing) = std::fs::read_to_string(&path) {
            anyhow::ensure!(
                existing.trim() == file.content.trim(),
                "{} exists and holds other SAML metadata; move it away to import",
                path.display()
            );
            continue;
        }
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        write_atomically(&path, &file.content)?;
    }
    Ok(())
}

fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut temp = path.as_os_str().to_os_string();
    temp.push(".poolctl-import");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, text).with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// What was written and what it needs, on stderr (stdout may be the spec).
fn report(imported: &Imported, out: Option<&Path>, dir: &Path) {
    let what = format!(
        "environment `{}` of user pool {} ({}, {})",
        imported.environment, imported.pool_name, imported.pool_id, imported.region
    );
    match out {
        Some(path) => anstream::eprintln!("poolctl: wrote {}: {what}", path.display()),
        None => anstream::eprintln!("poolctl: wrote {what} to standard output"),
    }
    for file in &imported.metadata_files {
        anstream::eprintln!(
            "poolctl: wrote {} (SAML metadata)",
            dir.join(&file.file_name).display()
        );
    }
    if !imported.secrets.is_empty() {
        anstream::eprintln!("poolctl: secrets are read from these environment variables; set them before validate, plan or apply:");
        for s in &imported.secrets {
            anstream::eprintln!("  {}  ({})", s.name, s.path);
        }
    }
    for note in &imported.notes {
        anstream::eprintln!("{} {note}", human::warning_label());
    }
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
            anstream::eprintln!(
                "{} not checked against live state: set {} first",
                human::warning_label(),
                unset.borrow().join(", ")
            );
            return Ok(ExitCode::SUCCESS);
        }
        Err(SpecErrors(diags)) => {
            for d in &diags {
                anstream::eprintln!("{}", human::diagnostic(d));
            }
            anstream::eprintln!(
                "{} the spec written does not validate for `{env}`; fix it before planning",
                human::error_label()
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    let planned = ctx.plan(vec![desired], PlanOptions::default()).await;
    if planned.report_failures() {
        anstream::eprintln!(
            "{} could not check the spec written against live state",
            human::warning_label()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let plan = planned.plan();
    if plan.has_changes() {
        anstream::eprintln!(
            "{} `poolctl plan --env {env}` would not be empty; what poolctl cannot import as it is:",
            human::warning_label()
        );
        anstream::eprint!("{}", human::plan(&plan));
    } else {
        anstream::eprintln!("poolctl: checked: `poolctl plan --env {env}` shows no changes");
    }
    Ok(ExitCode::SUCCESS)
}
