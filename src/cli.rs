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
    /// Print what apps need from the live pools: ids, issuer, JWKS and sign-in URLs.
    Outputs(OutputsArgs),
    /// Write a commented starter spec, pools/NAME.yaml.
    Init(InitArgs),
    /// Print the JSON Schema of a spec file (for editors).
    Schema,
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `poolctl man | man -l -`.
    Man(ManArgs),
    /// Back up a pool's users (export) or load them into a pool (import).
    #[command(subcommand)]
    Users(UsersCommand),
    /// Move to a new pool when a change cannot be made in place: create it
    /// from the spec, then carry the users over, step by step.
    Migrate(MigrateArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Instead of printing one page, write poolctl.1 and a page per
    /// subcommand (poolctl-plan.1, ...) into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The pool's spec name (the file's stem): letters, digits, - and _.
    #[arg(value_name = "NAME")]
    pub name: String,

    /// An environment to declare; repeat for several (default: dev).
    #[arg(long = "env", value_name = "ENV")]
    pub envs: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Write every user of a pool to DIR: users.jsonl (one user a line, with
    /// groups), users.csv (Cognito's import format), export.json.
    Export(UsersExportArgs),
    /// Load users (an export's users.jsonl) into a pool through a Cognito
    /// user import job, then restore their group memberships.
    Import(UsersImportArgs),
}

/// Which pool: an environment and, when several specs declare it, the pool.
#[derive(Debug, Clone, Args)]
pub struct OnePool {
    /// The environment the pool is in.
    #[arg(long = "env", value_name = "ENV")]
    pub env: String,

    /// The pool (a spec file's stem, or the pool's name); needed when more
    /// than one spec declares the environment.
    #[arg(long = "pool", value_name = "NAME")]
    pub pool: Option<String>,
}

#[derive(Debug, Args)]
pub struct UsersExportArgs {
    #[command(flatten)]
    pub which: OnePool,

    /// The directory to write (default: users-<pool>-<env>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Continue the export that stopped in DIR (its checkpoint.json).
    #[arg(long)]
    pub resume: bool,

    /// Leave this attribute out of the export (e.g. custom:ssn); repeatable.
    #[arg(long = "exclude-attribute", value_name = "NAME")]
    pub exclude_attributes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct UsersImportArgs {
    #[command(flatten)]
    pub which: OnePool,

    /// An export's directory, or its users.jsonl.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,

    #[command(flatten)]
    pub job: ImportJobArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ImportJobArgs {
    /// The IAM role Cognito's import job writes its CloudWatch Logs with.
    #[arg(long, value_name = "ARN", env = "POOLCTL_IMPORT_LOGS_ROLE")]
    pub logs_role: Option<String>,

    /// How often to ask after the import job (e.g. 5s).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_interval)]
    pub poll_interval: std::time::Duration,
}

fn parse_interval(text: &str) -> Result<std::time::Duration, String> {
    if let Some(ms) = text.strip_suffix("ms") {
        return ms
            .parse::<u64>()
            .map(std::time::Duration::from_millis)
            .map_err(|e| format!("`{text}`: {e}"));
    }
    Ok(std::time::Duration::from_secs(
        crate::model::Duration::parse(text)?.seconds(),
    ))
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub which: OnePool,

    /// The new pool's name.
    #[arg(long, value_name = "NEW_NAME")]
    pub to: String,

    /// Where the users are exported to on the way (default: migrate-<pool>-<env>-to-<NEW_NAME>).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Run every step without asking; required when not on a terminal.
    #[arg(long)]
    pub yes: bool,

    /// Leave this attribute out of the users carried over; repeatable.
    #[arg(long = "exclude-attribute", value_name = "NAME")]
    pub exclude_attributes: Vec<String>,

    #[command(flatten)]
    pub job: ImportJobArgs,
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
pub struct OutputsArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// Print a versioned JSON document.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// `dotenv`: KEY=value lines on stdout; `github`: append them to the
    /// file $GITHUB_OUTPUT names (GitHub Actions step outputs).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<OutputsFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputsFormat {
    Dotenv,
    Github,
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
