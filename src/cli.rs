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
    #[arg(long, global = true, default_value = "pools", value_name = "DIR", help_heading = GLOBAL)]
    pub pools: PathBuf,

    /// More output on stderr: -v each AWS call, -vv decisions, -vvv the SDK's
    /// own logs (credentials masked).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub verbose: u8,

    /// When to colour output, logs included (NO_COLOR is honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto, help_heading = GLOBAL)]
    pub color: Color,

    /// The AWS options are also accepted before the command, where they have
    /// always been (`poolctl --endpoint-url URL plan ...`); given after it,
    /// they win. Only the commands that talk to AWS list them.
    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// The heading of the flags every command takes.
const GLOBAL: &str = "Global options";

/// Where a pool lives, overriding the spec: what `validate` resolves with,
/// and what every command that talks to AWS reaches.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "AWS options")]
pub struct TargetArgs {
    /// AWS region for every pool, overriding the spec's `region`.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// AWS profile for every pool, overriding the spec's `profile`.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

impl TargetArgs {
    /// `self` where given, else `outer` (the same flags before the command).
    pub fn or(&self, outer: &TargetArgs) -> TargetArgs {
        TargetArgs {
            region: self.region.clone().or_else(|| outer.region.clone()),
            profile: self.profile.clone().or_else(|| outer.profile.clone()),
        }
    }
}

/// How poolctl talks to AWS: only on the commands that do.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "AWS options")]
pub struct AwsArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    /// Send every AWS call to this endpoint (e.g. a local emulator). The SDK
    /// also honours AWS_ENDPOINT_URL.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Most AWS requests in flight at once per quota category, account and
    /// region (default 32); requests are also paced within Cognito's
    /// per-second quotas.
    #[arg(long, value_name = "N")]
    pub max_concurrency: Option<usize>,

    /// How long to wait for AWS to answer one request (default 30s; e.g.
    /// 2m). A request left unanswered that long is retried like a dropped
    /// connection.
    #[arg(long, value_name = "DURATION", value_parser = parse_timeout)]
    pub request_timeout: Option<std::time::Duration>,
}

impl AwsArgs {
    /// `self` where given, else `outer` (the same flags before the command).
    pub fn or(&self, outer: &AwsArgs) -> AwsArgs {
        AwsArgs {
            target: self.target.or(&outer.target),
            endpoint_url: self
                .endpoint_url
                .clone()
                .or_else(|| outer.endpoint_url.clone()),
            max_concurrency: self.max_concurrency.or(outer.max_concurrency),
            request_timeout: self.request_timeout.or(outer.request_timeout),
        }
    }

    pub fn max_concurrency(&self) -> usize {
        self.max_concurrency
            .unwrap_or(crate::aws::limiter::DEFAULT_MAX_CONCURRENCY)
    }

    pub fn request_timeout(&self) -> std::time::Duration {
        self.request_timeout
            .unwrap_or(std::time::Duration::from_secs(
                DEFAULT_REQUEST_TIMEOUT_SECONDS,
            ))
    }
}

pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: u64 = 30;

impl Cli {
    /// The AWS options in effect for the command: those given after it,
    /// else those given before it. A command that does not talk to AWS
    /// still gets the ones given before it, as it always has.
    pub fn aws(&self) -> AwsArgs {
        match &self.command {
            Command::Plan(a) => a.aws.or(&self.aws),
            Command::Apply(a) => a.aws.or(&self.aws),
            Command::Drift(a) => a.aws.or(&self.aws),
            Command::Import(a) => a.aws.or(&self.aws),
            Command::Validate(a) => AwsArgs {
                target: a.target.or(&self.aws.target),
                ..self.aws.clone()
            },
            Command::Outputs(a) => a.aws.or(&self.aws),
            Command::Users(UsersCommand::Export(a)) => a.aws.or(&self.aws),
            Command::Users(UsersCommand::Import(a)) => a.aws.or(&self.aws),
            Command::Migrate(a) => a.aws.or(&self.aws),
            Command::Client(c) => c.aws().or(&self.aws),
            Command::Init(a) => AwsArgs {
                target: a.target.or(&self.aws.target),
                ..self.aws.clone()
            },
            Command::Show(_) | Command::Schema | Command::Completions(_) | Command::Man(_) => {
                self.aws.clone()
            }
        }
    }
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
    /// Rotate a confidential client's secret without replacing the client:
    /// list its secrets, add a new one, retire the old one.
    #[command(subcommand)]
    Client(ClientCommand),
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// List a client's secrets: ids and creation dates, never values.
    Secrets(ClientSecretsArgs),
    /// Add a new secret next to the current one (Cognito keeps at most two);
    /// its value goes to --out FILE (created, mode 0600) or, with --stdout,
    /// to standard output, and nowhere else.
    RotateSecret(RotateSecretArgs),
    /// Delete the client's older secrets (or --secret-id), once every app
    /// uses the newest.
    RetireSecret(RetireSecretArgs),
}

impl ClientCommand {
    fn aws(&self) -> &AwsArgs {
        match self {
            ClientCommand::Secrets(a) => &a.aws,
            ClientCommand::RotateSecret(a) => &a.aws,
            ClientCommand::RetireSecret(a) => &a.aws,
        }
    }
}

/// Which client: the pool (`--env`, `--pool`) and the client's name in the spec.
#[derive(Debug, Clone, Args)]
pub struct OneClient {
    #[command(flatten)]
    pub which: OnePool,

    /// The client's name (its key under `clients:`).
    #[arg(value_name = "CLIENT")]
    pub client: String,
}

#[derive(Debug, Args)]
pub struct ClientSecretsArgs {
    #[command(flatten)]
    pub target: OneClient,

    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("destination").required(true).args(["out", "stdout"])))]
pub struct RotateSecretArgs {
    #[command(flatten)]
    pub target: OneClient,

    /// Write the new secret to FILE, created with mode 0600 (an existing
    /// file is never overwritten).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Print the new secret on standard output (alone, one line), e.g. to
    /// pipe it into a secrets manager.
    #[arg(long)]
    pub stdout: bool,

    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct RetireSecretArgs {
    #[command(flatten)]
    pub target: OneClient,

    /// The secret to delete (an id `client secrets` lists); default: every
    /// secret but the newest.
    #[arg(long, value_name = "ID")]
    pub secret_id: Option<String>,

    #[command(flatten)]
    pub aws: AwsArgs,
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

    /// The region (and profile whose region to take) the starter spec names.
    #[command(flatten)]
    pub target: TargetArgs,
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

    #[command(flatten)]
    pub aws: AwsArgs,
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

    #[command(flatten)]
    pub aws: AwsArgs,
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

    #[command(flatten)]
    pub aws: AwsArgs,
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

    /// Nothing is sent to AWS, but the region and profile a pool resolves
    /// to are part of what is checked.
    #[command(flatten)]
    pub target: TargetArgs,
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

    #[command(flatten)]
    pub aws: AwsArgs,
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
    #[command(flatten)]
    pub aws: AwsArgs,
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

    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputsFormat {
    Dotenv,
    Github,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").args(["envs", "all_envs"]).required(true)))]
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

    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").args(["envs", "all_envs", "plan_file"]).required(true)))]
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

    #[command(flatten)]
    pub aws: AwsArgs,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_consistent_and_the_help_states_the_real_defaults() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        let help = Cli::command()
            .term_width(1000)
            .render_long_help()
            .to_string();
        let concurrency = crate::aws::limiter::DEFAULT_MAX_CONCURRENCY;
        assert!(help.contains(&format!("(default {concurrency})")), "{help}");
        assert!(
            help.contains(&format!("(default {DEFAULT_REQUEST_TIMEOUT_SECONDS}s;")),
            "{help}"
        );
    }

    #[test]
    fn aws_flags_work_before_the_command_and_win_after_it() {
        let cli = Cli::try_parse_from([
            "poolctl",
            "--max-concurrency",
            "1",
            "--region",
            "eu-west-1",
            "plan",
            "--env",
            "dev",
            "--region",
            "us-east-2",
        ])
        .unwrap();
        let aws = cli.aws();
        assert_eq!(aws.max_concurrency(), 1);
        assert_eq!(aws.target.region.as_deref(), Some("us-east-2"));
        assert_eq!(aws.request_timeout(), std::time::Duration::from_secs(30));
        // validate takes the region and profile, not the connection flags.
        assert!(Cli::try_parse_from(["poolctl", "validate", "--region", "x"]).is_ok());
        assert!(Cli::try_parse_from(["poolctl", "validate", "--endpoint-url", "x"]).is_err());
        assert!(Cli::try_parse_from(["poolctl", "--endpoint-url", "x", "validate"]).is_ok());
        assert!(Cli::try_parse_from(["poolctl", "show", "p", "--region", "x"]).is_err());
    }

    #[test]
    fn the_request_timeout_is_a_duration_of_at_least_a_second() {
        assert_eq!(parse_timeout("2m"), Ok(std::time::Duration::from_secs(120)));
        assert_eq!(parse_timeout("45"), Ok(std::time::Duration::from_secs(45)));
        assert!(parse_timeout("0s").is_err());
        assert!(parse_timeout("soon").is_err());
    }
}
