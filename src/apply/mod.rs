//! Applying a plan: the AWS calls that carry out each planned change, in
//! dependency order, reporting what was done and, if a call fails, what was
//! not.

pub mod pool;

use crate::aws::Clients;
use crate::desired::DesiredPool;
use crate::diff;
use crate::live::LiveState;
use crate::plan::{Action, PoolPlan};
use std::fmt;

/// An apply that stopped part-way. Everything in `done` happened; nothing in
/// `not_done` did. Running apply again converges, because it plans afresh
/// from live state.
#[derive(Debug)]
pub struct ApplyError {
    pub pool: String,
    pub environment: String,
    pub done: Vec<String>,
    pub failed: String,
    pub not_done: Vec<String>,
    pub cause: anyhow::Error,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "apply of pool `{}` ({}) stopped: {}: {:#}",
            self.pool, self.environment, self.failed, self.cause
        )?;
        let list = |items: &[String]| {
            if items.is_empty() {
                "nothing".to_string()
            } else {
                items.join("; ")
            }
        };
        write!(f, "\n  done: {}", list(&self.done))?;
        write!(f, "\n  not done: {}", list(&self.not_done))?;
        write!(
            f,
            "\n  run `poolctl apply` again to finish: it plans from live state"
        )
    }
}

impl std::error::Error for ApplyError {}

/// One AWS-facing action of an apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    CreatePool,
    UpdatePool,
    AddCustomAttributes(Vec<String>),
    SetMfa,
}

impl Step {
    pub fn describe(&self, plan: &PoolPlan) -> String {
        match self {
            Step::CreatePool => format!("create user pool {} (CreateUserPool)", plan.pool_name),
            Step::UpdatePool => format!("update user pool {} (UpdateUserPool)", plan.pool_name),
            Step::AddCustomAttributes(names) => format!(
                "add custom attributes {} (AddCustomAttributes)",
                names.join(", ")
            ),
            Step::SetMfa => "set MFA (SetUserPoolMfaConfig)".to_string(),
        }
    }
}

/// The steps a pool's plan needs, in the order they must run.
pub fn steps(plan: &PoolPlan) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(change) = plan.change(diff::pool::ADDRESS) {
        let touches = |prefix: &str| change.fields.iter().any(|f| f.path.starts_with(prefix));
        match change.action {
            Action::Create => {
                steps.push(Step::CreatePool);
                if touches("mfa.") {
                    steps.push(Step::SetMfa);
                }
            }
            Action::Update => {
                if change
                    .fields
                    .iter()
                    .any(|f| !f.path.starts_with("mfa.") && !f.path.starts_with("schema."))
                {
                    steps.push(Step::UpdatePool);
                }
                let mut added: Vec<String> = change
                    .fields
                    .iter()
                    .filter_map(|f| f.path.strip_prefix("schema."))
                    .filter_map(|rest| rest.split('.').next())
                    .map(str::to_string)
                    .collect();
                added.dedup();
                if !added.is_empty() {
                    steps.push(Step::AddCustomAttributes(added));
                }
                // After UpdateUserPool, which sends the live MFA mode back.
                if touches("mfa.") {
                    steps.push(Step::SetMfa);
                }
            }
            _ => {}
        }
    }
    steps
}

/// Applies one pool's plan. The plan must hold no blocked change: the caller
/// refuses those before anything runs.
pub async fn apply_pool(
    clients: &Clients,
    desired: &DesiredPool,
    live: &LiveState,
    plan: &PoolPlan,
    on_done: &(dyn Fn(&str) + Sync),
) -> Result<(), ApplyError> {
    let steps = steps(plan);
    let mut remaining: Vec<String> = steps.iter().map(|s| s.describe(plan)).collect();
    let mut done = Vec::new();
    let cognito = &clients.cognito;
    let settings = &desired.settings;
    let mut pool_id = live.pool.as_ref().map(|p| p.id.clone());
    for step in &steps {
        let label = step.describe(plan);
        tracing::info!(pool = %desired.key, environment = %desired.environment, "{label}");
        let id = pool_id.clone().unwrap_or_default();
        let result = match step {
            Step::CreatePool => pool::create(cognito, settings).await.map(|created| {
                tracing::info!(id = %created.id, "created user pool");
                pool_id = Some(created.id);
            }),
            Step::UpdatePool => match &live.pool {
                Some(live_pool) => pool::update(cognito, live_pool, settings).await,
                None => Err(anyhow::anyhow!("the pool is not live")),
            },
            Step::AddCustomAttributes(names) => {
                let schema = settings.schema.clone().unwrap_or_default();
                let new: Vec<_> = schema.iter().filter(|(n, _)| names.contains(n)).collect();
                pool::add_custom_attributes(cognito, &id, &new).await
            }
            Step::SetMfa => pool::set_mfa(cognito, &id, settings, live.pool.as_ref()).await,
        };
        match result {
            Ok(()) => {
                remaining.remove(0);
                on_done(&label);
                done.push(label);
            }
            Err(cause) => {
                remaining.remove(0);
                return Err(ApplyError {
                    pool: desired.key.clone(),
                    environment: desired.environment.clone(),
                    done,
                    failed: label,
                    not_done: remaining,
                    cause,
                });
            }
        }
    }
    Ok(())
}
