//! Thin commands: each turns its arguments into calls on the core and hands
//! the results to a renderer.

pub mod apply;
pub mod client;
pub mod drift;
pub mod import;
pub mod init;
pub mod migrate;
pub mod outputs;
pub mod plan;
pub mod shell;
pub mod show;
pub mod users;
pub mod validate;

use crate::aws::Session;
use crate::cli::{Cli, Selection};
use crate::desired::DesiredPool;
use crate::diff::PlanOptions;
use crate::live::{LiveReader, LiveState};
use crate::plan::{Plan, PoolFailure, PoolPlan};
use crate::spec::diag::{Diagnostic, SpecErrors};
use crate::spec::{self, Overrides, SpecFile};
use futures::future::join_all;
use std::process::ExitCode;

/// What every command shares: the global flags, resolved.
pub struct Context {
    pub pools_dir: std::path::PathBuf,
    pub overrides: Overrides,
    pub session: Session,
}

impl Context {
    pub fn new(cli: &Cli) -> Self {
        let aws = cli.aws();
        Context {
            pools_dir: cli.pools.clone(),
            overrides: Overrides {
                region: aws.target.region.clone(),
                profile: aws.target.profile.clone(),
            },
            session: Session::new(
                aws.endpoint_url.clone(),
                aws.max_concurrency(),
                aws.request_timeout(),
            ),
        }
    }

    pub fn load(&self) -> Result<Vec<SpecFile>, SpecErrors> {
        spec::load_dir(&self.pools_dir)
    }

    /// Resolves every (file, environment) pair, reporting every error of every
    /// pair before failing.
    pub fn resolve(&self, pairs: &[(&SpecFile, String)]) -> Result<Vec<DesiredPool>, SpecErrors> {
        let env_var = |name: &str| std::env::var(name).ok();
        let mut pools = Vec::new();
        let mut errors = Vec::new();
        for (file, env) in pairs {
            match spec::resolve(file, env, &self.overrides, &env_var) {
                Ok(pool) => pools.push(pool),
                Err(SpecErrors(mut diags)) => errors.append(&mut diags),
            }
        }
        errors.extend(same_pool_twice(&pools));
        errors.extend(same_domain_twice(&pools));
        if errors.iter().any(Diagnostic::is_error) {
            // The warnings of the pairs that did resolve still deserve saying.
            errors.extend(pools.iter().flat_map(|p| p.warnings.iter().cloned()));
            return Err(SpecErrors(errors));
        }
        Ok(pools)
    }

    /// The desired pools a plan or apply works on.
    pub fn desired(&self, selection: &Selection) -> anyhow::Result<Vec<DesiredPool>> {
        if selection.envs.is_empty() && !selection.all_envs {
            anyhow::bail!("which environment? Give --env ENV (repeatable) or --all-envs");
        }
        let files = self.load()?;
        let envs = (!selection.all_envs).then_some(selection.envs.as_slice());
        let pairs = select(&files, envs, &selection.pool_names)?;
        Ok(self.resolve(&pairs)?)
    }

    /// Reads live state for every desired pool at once and plans each. A
    /// pool whose read fails does not stop the others: it is reported among
    /// the failures, and the command's exit code says so.
    pub async fn plan(&self, desired: Vec<DesiredPool>, options: PlanOptions) -> Planned {
        let reader = LiveReader::new(&self.session);
        let reads = join_all(desired.iter().map(|d| reader.read(d))).await;
        let mut planned = Planned::default();
        for (desired, read) in desired.into_iter().zip(reads) {
            match read {
                Ok(live) => {
                    let plan = crate::diff::plan_pool(&desired, &live, options);
                    planned.pools.push(PlannedPool {
                        desired,
                        live,
                        plan,
                    });
                }
                Err(error) => planned.failures.push(PoolFailure {
                    pool: desired.key,
                    environment: desired.environment,
                    error,
                }),
            }
        }
        planned
    }
}

/// The outcome of planning several pools and environments.
#[derive(Default)]
pub struct Planned {
    pub pools: Vec<PlannedPool>,
    pub failures: Vec<PoolFailure>,
}

pub struct PlannedPool {
    pub desired: DesiredPool,
    pub live: LiveState,
    pub plan: PoolPlan,
}

impl Planned {
    pub fn plan(&self) -> Plan {
        Plan::new(self.pools.iter().map(|p| p.plan.clone()).collect())
    }

    /// Prints each failure (on stderr) and says whether there were any.
    pub fn report_failures(&self) -> bool {
        if let Some(text) = crate::render::human::failures(&self.failures, self.pools.len()) {
            crate::errln!("{text}");
        }
        !self.failures.is_empty()
    }
}

/// Which (file, environment) pairs the selection names; `envs` `None` means
/// every environment of the selected files. An environment no selected file
/// declares, or a pool no file defines, is an error; a file that lacks one of
/// several environments is simply skipped for it.
pub fn select<'a>(
    files: &'a [SpecFile],
    envs: Option<&[String]>,
    pools: &[String],
) -> anyhow::Result<Vec<(&'a SpecFile, String)>> {
    let files: Vec<&SpecFile> = if pools.is_empty() {
        files.iter().collect()
    } else {
        let chosen: Vec<&SpecFile> = files
            .iter()
            .filter(|f| pools.iter().any(|p| *p == f.key || names_of(f).contains(p)))
            .collect();
        for p in pools {
            if !chosen
                .iter()
                .any(|f| *p == f.key || names_of(f).contains(p))
            {
                let known: Vec<&str> = files.iter().map(|f| f.key.as_str()).collect();
                anyhow::bail!("no pool `{p}` in the specs (pools: {})", known.join(", "));
            }
        }
        chosen
    };
    let envs = match envs {
        Some(envs) => envs.to_vec(),
        None => all_environments(files.iter().copied()),
    };
    let mut pairs = Vec::new();
    for env in &envs {
        let before = pairs.len();
        for file in &files {
            if file.environments.contains(env) {
                pairs.push((*file, env.clone()));
            }
        }
        if pairs.len() == before {
            anyhow::bail!(unknown_environment(
                env,
                &all_environments(files.iter().copied())
            ));
        }
    }
    Ok(pairs)
}

/// An environment no selected spec declares: the nearest declared one, if it
/// looks like a typo of it, and every declared one.
fn unknown_environment(env: &str, declared: &[String]) -> String {
    let mut message = format!("no selected pool declares environment `{env}`");
    if let Some(near) = crate::spec::diag::nearest(env, declared.iter().map(String::as_str)) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    message.push_str(&format!(
        " (declared: {})",
        declared
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    message
}

/// Every environment name the files declare, in first-seen order.
pub fn all_environments<'a>(files: impl IntoIterator<Item = &'a SpecFile>) -> Vec<String> {
    let mut envs: Vec<String> = Vec::new();
    for env in files.into_iter().flat_map(|f| &f.environments) {
        if !envs.contains(env) {
            envs.push(env.clone());
        }
    }
    envs
}

/// A pool's `name:` value as written, for matching `--pool` by name; only
/// names without interpolation can match before resolution.
fn names_of(file: &SpecFile) -> Vec<String> {
    file.root
        .as_mapping()
        .and_then(|m| m.get_scalar("name"))
        .map(|n| vec![n.as_str().to_string()])
        .unwrap_or_default()
}

/// Two environments resolving to one live pool would fight over it.
fn same_pool_twice(pools: &[DesiredPool]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (i, a) in pools.iter().enumerate() {
        for b in &pools[i + 1..] {
            let same_place = a.region == b.region && a.profile == b.profile && a.role == b.role;
            let same_pool = match (&a.pool_id, &b.pool_id) {
                (Some(x), Some(y)) => x == y,
                (None, None) => a.pool_name() == b.pool_name(),
                _ => false,
            };
            if same_place && same_pool {
                errors.push(
                    Diagnostic::error(format!(
                        "`{}` ({}) and `{}` ({}) both resolve to the pool `{}` in {}; give each environment its own name (e.g. `name: {}-${{env}}`)",
                        a.key,
                        a.environment,
                        b.key,
                        b.environment,
                        a.pool_name(),
                        a.region,
                        a.key
                    ))
                    .in_file(&b.file)
                    .field("name"),
                );
            }
        }
    }
    errors
}

/// One domain for two pools: a prefix is unique in its region (across every
/// account), a custom domain everywhere. AWS would refuse the second create
/// halfway through an apply.
pub fn same_domain_twice(pools: &[DesiredPool]) -> Vec<Diagnostic> {
    let domain_of = |p: &DesiredPool| {
        let d = p.resources.domain.as_ref()?;
        match (&d.prefix, &d.custom) {
            (Some(prefix), _) => Some((prefix.clone(), Some(p.region.clone()))),
            (None, Some(custom)) => Some((custom.clone(), None)),
            (None, None) => None,
        }
    };
    let mut errors = Vec::new();
    for (i, a) in pools.iter().enumerate() {
        let Some((name, region)) = domain_of(a) else {
            continue;
        };
        for b in &pools[i + 1..] {
            if domain_of(b).as_ref() != Some(&(name.clone(), region.clone())) {
                continue;
            }
            let kind = match &region {
                Some(r) => format!("domain prefix `{name}` in {r}"),
                None => format!("custom domain `{name}`"),
            };
            errors.push(
                Diagnostic::error(format!(
                    "`{}` ({}, {}) and `{}` ({}, {}) both declare the {kind}; a domain belongs to one pool, and AWS would refuse the second (e.g. `domain: {}-${{env}}`)",
                    a.key,
                    a.file.display(),
                    a.environment,
                    b.key,
                    b.file.display(),
                    b.environment,
                    a.key,
                ))
                .in_file(&b.file)
                .for_pool(&b.key, Some(&b.environment))
                .field("domain"),
            );
        }
    }
    errors
}

/// Exit code helpers shared by the commands.
pub fn exit(code: u8) -> ExitCode {
    ExitCode::from(code)
}
