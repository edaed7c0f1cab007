//! Command-line definitions (clap) and nothing else.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "poolctl",
    version,
    about = "Amazon Cognito user pools as code: validate, plan and apply YAML specs",
    after_help = "Exit codes: 0 success (or no changes), 1 error, 2 changes present (plan --detailed-exitcode) or drifted (drift)."
)]
pub struct Cli {
    /// Directory holding one YAML spec per pool.
    #[arg(long, global = true, default_value = "pools", value_name = "DIR")]
    pub pools: PathBuf,

    /// Send every AWS call to this endpoint (e.g. a local emulator). The SDK
    /// also honours AWS_ENDPOINT_URL.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// AWS profile for every pool, overriding the spec's `profile`.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// AWS region for every pool, overriding the spec's `region`.
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// More output on stderr: -v each AWS call, -vv decisions, -vvv the SDK's own logs.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Most AWS requests in flight at once per quota category, account and
    /// region; requests are also paced within Cognito's per-second quotas.
    #[arg(long, global = true, value_name = "N", default_value_t = crate::aws::limiter::DEFAULT_MAX_CONCURRENCY)]
    pub max_concurrency: usize,

    /// How long to wait for AWS to answer one request (e.g. 30s, 2m). A
    /// request left unanswered that long is retried like a dropped connection.
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s", value_parser = parse_timeout)]
    pub request_timeout: std::time::Duration,

    /// When to colour output (NO_COLOR is honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    match crate::model::Duration::parse(text)?.seconds() {
        0 => Err("the request timeout must be at least 1s".to_string()),
        seconds => Ok(std::time::Duration::from_secs(seconds)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the specs offline: syntax, keys, types, ranges, references.
    Validate(ValidateArgs),
    /// Show what apply would change, reading live state from AWS.
    Plan(PlanArgs),
    /// Make live state match the specs.
    Apply(ApplyArgs),
    /// Check whether live state still matches the specs: exit 0 in sync, 2 drifted, 1 error.
    Drift(DriftArgs),
    /// Show a plan saved by `plan --out`.
    Show(ShowArgs),
    /// Write a spec from a live pool, or add an environment to an existing spec.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The saved plan.
    #[arg(value_name = "PLAN_FILE")]
    pub plan_file: std::path::PathBuf,

    /// Print it as the versioned JSON plan document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Only these environments (default: every environment of every file).
    #[arg(long = "env", value_name = "ENV")]
    pub envs: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct Selection {
    /// The environment(s) to work on; repeat for several.
    #[arg(long = "env", value_name = "ENV")]
    pub envs: Vec<String>,

    /// Every environment any selected spec declares.
    #[arg(long, conflicts_with = "envs")]
    pub all_envs: bool,

    /// Only these pools (a spec file's stem, or the pool's name); repeat for several.
    #[arg(long = "pool", id = "pool", value_name = "NAME")]
    pub pool_names: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    /// Without --env, every environment of the selected pools.
    #[command(flatten)]
    pub selection: Selection,

    /// Print the report as a versioned JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The environment the live pool is.
    #[arg(long = "env", value_name = "ENV")]
    pub env: String,

    /// The live pool's id (pinned in the environment's block).
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "name",
        conflicts_with = "name"
    )]
    pub pool_id: Option<String>,

    /// The live pool's name (exactly one pool of the region must have it).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Where to write: a spec file (an existing one gets the environment
    /// added), or `-` for standard output. Default: the spec in --pools whose
    /// `name` is this pool's, else <pools>/<name without the environment>.yaml.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Also import the Cognito authorizer of this REST API (name or id) that
    /// points at the pool.
    #[arg(long, value_name = "NAME_OR_ID")]
    pub rest_api: Option<String>,

    /// Which authorizer, when several on the REST API point at the pool.
    #[arg(long, value_name = "NAME", requires = "rest_api")]
    pub authorizer: Option<String>,

    /// Also import this identity pool (its exact name or its id) into the
    /// spec's `identity_pools:`; repeatable.
    #[arg(long = "identity-pool", value_name = "NAME_OR_ID")]
    pub identity_pools: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// Print the plan as a versioned JSON document.
    #[arg(long)]
    pub json: bool,

    /// Exit 2 when there are changes (0 none, 1 error).
    #[arg(long)]
    pub detailed_exitcode: bool,

    /// Plan deletion of live resources the spec does not declare.
    #[arg(long)]
    pub prune: bool,

    /// Also save the plan to FILE, for `poolctl apply FILE` (and `poolctl show FILE`).
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan saved by `plan --out`: apply exactly it, or refuse if what it
    /// was made against has changed since.
    #[arg(value_name = "PLAN_FILE", conflicts_with_all = ["envs", "all_envs", "pool", "prune"])]
    pub plan_file: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub selection: Selection,

    /// Apply without asking; required when not on a terminal.
    #[arg(long)]
    pub auto_approve: bool,

    /// Delete live clients, identity providers, groups and resource servers
    /// the spec does not declare (only kinds the spec declares at all).
    #[arg(long)]
    pub prune: bool,

    /// Allow replacements: delete and create again what cannot change in place
    /// (a client's secret, an identity provider's type, a domain's name).
    #[arg(long)]
    pub allow_replace: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_timeout_is_a_duration_of_at_least_a_second() {
        assert_eq!(parse_timeout("2m"), Ok(std::time::Duration::from_secs(120)));
        assert_eq!(parse_timeout("45"), Ok(std::time::Duration::from_secs(45)));
        assert!(parse_timeout("0s").is_err());
        assert!(parse_timeout("soon").is_err());
    }
}
