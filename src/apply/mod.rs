//! Applying a plan: the AWS calls that carry out each planned change, in
//! dependency order (the pool first; identity providers, resource servers and
//! the rest before the clients that name them; the API Gateway authorizer,
//! which needs the pool's ARN and client ids, after them, then the stage
//! deployment; identity pools, which name the clients, after the clients,
//! each followed by its roles and mappings; deletions last, in reverse),
//! independent calls concurrently, reporting what was done and, if a call
//! fails, what was not.

pub mod authorizer;
pub mod branding;
pub mod client;
pub mod client_secrets;
pub mod domain;
pub mod group;
pub mod identity_pool;
pub mod identity_provider;
pub mod lambda_permission;
pub mod log_delivery;
pub mod pool;
pub mod replica;
pub mod resource_server;
pub mod terms;
pub mod threat_protection;
pub mod users;

use crate::aws::{Clients, Session};
use crate::desired::DesiredPool;
use crate::diff;
use crate::live::LiveState;
use crate::plan::{Action, Address, Kind, PoolPlan};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

/// An apply that stopped part-way. Everything in `done` happened; nothing in
/// `not_done` did. Running apply again converges, because it plans afresh
/// from live state.
#[derive(Debug)]
pub struct ApplyError {
    pub pool: String,
    pub environment: String,
    pub done: Vec<String>,
    /// The steps that failed, each with why.
    pub failed: Vec<(String, anyhow::Error)>,
    pub not_done: Vec<String>,
    /// Stopped by the user (Ctrl-C) rather than by a failure.
    pub interrupted: bool,
}

impl fmt::Display for ApplyError {
    /// One line; `render::human::apply_failure` draws the whole report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "apply of pool `{}` ({}) stopped",
            self.pool, self.environment
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
    /// The pool-wide threat protection settings (`SetRiskConfiguration`).
    SetThreatProtection,
    /// Where the pool's logs go (`SetLogDeliveryConfiguration`).
    SetLogDelivery,
    /// An app client's own threat protection settings: after every client
    /// step, so a client created by the same apply exists.
    SetClientThreatProtection {
        client: String,
    },
    /// Lets Cognito invoke a trigger's function for this pool
    /// (`lambda_permission.<trigger>`). On a pool that exists it runs before
    /// the pool update that attaches the trigger, so no call of the trigger
    /// is ever denied in between; a new pool needs its ARN first.
    Grant {
        trigger: String,
        before_pool: bool,
    },
    /// Removes the statement poolctl added for a trigger from a function the
    /// pool no longer uses: after the pool update that detaches it.
    Revoke {
        trigger: String,
    },
    /// A resource inside the pool: its kind (the address prefix), name and
    /// what happens to it.
    Resource {
        kind: Kind,
        name: String,
        action: Action,
    },
}

impl Step {
    pub fn describe(&self, plan: &PoolPlan) -> String {
        match self {
            Step::CreatePool => format!("create user pool {} (CreateUserPool)", plan.pool_name),
            Step::UpdatePool => format!("update user pool {} (UpdateUserPool)", plan.pool_name),
            Step::AddCustomAttributes(names) => {
                format!(
                    "add custom attributes {} (AddCustomAttributes)",
                    names.join(", ")
                )
            }
            Step::SetMfa => "set MFA (SetUserPoolMfaConfig)".to_string(),
            Step::SetThreatProtection => "set threat protection (SetRiskConfiguration)".to_string(),
            Step::SetLogDelivery => "set log delivery (SetLogDeliveryConfiguration)".to_string(),
            Step::SetClientThreatProtection { client } => format!(
                "set threat protection of {}.{client} (SetRiskConfiguration)",
                Kind::Client
            ),
            Step::Grant { trigger, .. } => {
                format!("grant {}.{trigger} (AddPermission)", Kind::LambdaPermission)
            }
            Step::Revoke { trigger } => format!(
                "remove poolctl's statement of {}.{trigger} (RemovePermission)",
                Kind::LambdaPermission
            ),
            Step::Resource { kind, name, action } => {
                let verb = match action {
                    Action::Create => "create",
                    Action::Update => "update",
                    Action::Replace => "replace",
                    Action::Delete => "delete",
                    Action::Blocked | Action::Unmanaged => "skip",
                };
                if name.is_empty() {
                    // A resource there is one of, like the domain.
                    format!("{verb} {kind}")
                } else {
                    format!("{verb} {kind}.{name}")
                }
            }
        }
    }

    /// Steps of a lower phase finish before a higher phase starts; steps of
    /// one phase run concurrently.
    fn phase(&self) -> i8 {
        match self {
            Step::Grant {
                before_pool: true, ..
            } => -1,
            Step::Grant { .. } => 2,
            Step::Revoke { .. } => 5,
            Step::CreatePool | Step::UpdatePool => 0,
            // After UpdateUserPool, which may turn the add-on on.
            Step::AddCustomAttributes(_)
            | Step::SetMfa
            | Step::SetThreatProtection
            | Step::SetLogDelivery => 1,
            Step::SetClientThreatProtection { .. } => 4,
            // Every kind is named, so a new kind must be given its phase.
            Step::Resource { kind, action, .. } => match kind {
                // After the clients (a new one's id) and the domain, which
                // the hosted UI needs.
                Kind::UiCustomization | Kind::ManagedLoginBranding => 4,
                Kind::Authorizer => 4,
                // After the clients it names; it sets its roles itself,
                // right after the pool.
                Kind::IdentityPool => 4,
                Kind::Deployment => 5,
                Kind::Client if *action == Action::Delete => 6,
                Kind::Client => 3,
                Kind::Group
                | Kind::ResourceServer
                | Kind::Domain
                | Kind::IdentityProvider
                | Kind::Replica
                // The pool and trigger permissions have steps of their own
                // and never come here.
                | Kind::UserPool
                | Kind::LambdaPermission => {
                    if *action == Action::Delete {
                        7
                    } else {
                        2
                    }
                }
            },
        }
    }
}

/// The requests a step made of several (a replacement, an authorizer and
/// the methods it protects) has carried out so far, each as a line of the
/// apply report ("create authorizer.cognito (CreateAuthorizer)"). When such a
/// step fails half way, these are reported done: the user, and the next
/// plan, see exactly what changed.
#[derive(Debug, Default)]
pub struct Progress(std::sync::Mutex<Vec<String>>);

impl Progress {
    /// Records one request of the step as carried out.
    pub fn did(&self, what: impl Into<String>) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(what.into());
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

/// What the resource appliers work with.
pub struct ApplyCtx<'a> {
    pub clients: &'a Clients,
    /// For clients in other regions than the pool's (a trigger's function).
    pub session: &'a Session,
    pub desired: &'a DesiredPool,
    pub live: &'a LiveState,
    /// The pool's id and ARN: live, or just created; `None` while it does
    /// not exist.
    pub pool: Option<pool::PoolRef>,
    /// What this step has carried out so far (one context per step).
    pub progress: Progress,
    /// The plan being applied: what each resource looked like when it was
    /// made, to check against right before writing.
    pub plan: &'a PoolPlan,
}

impl ApplyCtx<'_> {
    /// See [`still_planned`].
    pub fn still_planned(
        &self,
        address: &Address,
        now: Option<&crate::plan::ResourceChange>,
    ) -> anyhow::Result<()> {
        still_planned(self.plan, address, now)
    }

    /// The pool, for a step that needs it to exist.
    pub fn pool(&self) -> anyhow::Result<&pool::PoolRef> {
        self.pool
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("the user pool does not exist"))
    }
}

/// Checks a resource read again right before it is written against the plan.
/// `now` is the change the spec calls for against that fresh read. The
/// write is laid over the fresh read, so whatever someone else changed in
/// the meantime that the spec does not declare is kept; but when a field
/// the plan changes, or another declared field, moved since the plan, the
/// write would not be the one the user reviewed: the resource is left alone
/// and the step fails saying what moved (as a stale saved plan is refused).
pub fn still_planned(
    plan: &PoolPlan,
    address: &Address,
    now: Option<&crate::plan::ResourceChange>,
) -> anyhow::Result<()> {
    let planned = plan.changes.iter().find(|c| c.address == *address);
    let fields = |c: Option<&crate::plan::ResourceChange>| -> Vec<crate::plan::FieldChange> {
        c.map(|c| c.fields.clone()).unwrap_or_default()
    };
    let (then, now) = (fields(planned), fields(now));
    if then == now {
        return Ok(());
    }
    let show = |f: Option<&crate::plan::FieldChange>| match f {
        Some(f) if f.sensitive => "(sensitive)".to_string(),
        Some(f) => f
            .before
            .as_ref()
            .map_or("(none)".to_string(), |v| v.to_string()),
        // Not among the differences: it holds the spec's value.
        None => "as the spec says".to_string(),
    };
    let mut paths: Vec<&str> = then.iter().chain(&now).map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    let moved: Vec<String> = paths
        .into_iter()
        .filter_map(|path| {
            let a = then.iter().find(|f| f.path == path);
            let b = now.iter().find(|f| f.path == path);
            (a != b).then(|| format!("`{path}` was {} and is now {}", show(a), show(b)))
        })
        .collect();
    anyhow::bail!(
        "{address} changed since the plan ({}); nothing was written to it. Run `poolctl plan` to see it as it is now",
        moved.join(", ")
    )
}

/// The steps a pool's plan needs, in the order they must run.
pub fn steps(plan: &PoolPlan) -> Vec<Step> {
    let mut steps = Vec::new();
    for change in &plan.changes {
        if change.address.kind == Kind::UserPool {
            steps.extend(pool_steps(change));
            continue;
        }
        if change.address.kind == Kind::LambdaPermission {
            let trigger = change.address.name();
            let grant = Step::Grant {
                trigger: trigger.to_string(),
                before_pool: plan.pool_id.is_some(),
            };
            let revoke = Step::Revoke {
                trigger: trigger.to_string(),
            };
            match change.action {
                Action::Create => steps.push(grant),
                Action::Update => steps.extend([grant, revoke]),
                Action::Delete => steps.push(revoke),
                _ => {}
            }
            continue;
        }
        if matches!(change.action, Action::Blocked | Action::Unmanaged) {
            continue;
        }
        if change.address.kind == Kind::Client && change.action != Action::Delete {
            // A client's own threat protection has a call of its own; the
            // client's other fields go through Create/UpdateUserPoolClient.
            let own = |f: &crate::plan::FieldChange| {
                f.path == CLIENT_THREAT_PROTECTION
                    || f.path.starts_with(&format!("{CLIENT_THREAT_PROTECTION}."))
            };
            if change.fields.iter().any(own) {
                steps.push(Step::SetClientThreatProtection {
                    client: change.address.name().to_string(),
                });
            }
            if change.action == Action::Update && change.fields.iter().all(own) {
                continue;
            }
        }
        steps.push(Step::Resource {
            kind: change.address.kind,
            name: change.address.name().to_string(),
            action: change.action,
        });
    }
    steps.sort_by_key(Step::phase);
    steps
}

/// An app client's field set by `SetRiskConfiguration`, not by
/// Create/UpdateUserPoolClient.
pub const CLIENT_THREAT_PROTECTION: &str = "threat_protection";

/// The calls a pool's change needs: each changed field's row in the pool's
/// settings table names the calls that set it.
fn pool_steps(change: &crate::plan::ResourceChange) -> Vec<Step> {
    use crate::model::pool_table::{row_for, Call};
    let mut steps = Vec::new();
    let needs = |call: Call| {
        change.fields.iter().any(|f| {
            row_for(&f.path)
                // A field no row speaks for goes the way most settings go.
                .map_or(call == Call::UpdateUserPool, |r| r.calls.contains(&call))
        })
    };
    match change.action {
        Action::Create => {
            steps.push(Step::CreatePool);
            if needs(Call::SetUserPoolMfaConfig) {
                steps.push(Step::SetMfa);
            }
            extra_steps(&needs, &mut steps);
        }
        Action::Update => {
            if needs(Call::UpdateUserPool) {
                steps.push(Step::UpdatePool);
            }
            // The attributes below a row that AddCustomAttributes sets.
            let mut added: Vec<String> = change
                .fields
                .iter()
                .filter_map(|f| {
                    let row = row_for(&f.path)?;
                    row.calls
                        .contains(&Call::AddCustomAttributes)
                        .then_some(())?;
                    f.path.strip_prefix(row.path)?.strip_prefix('.')
                })
                .filter_map(|rest| rest.split('.').next())
                .map(str::to_string)
                .collect();
            added.dedup();
            if !added.is_empty() {
                steps.push(Step::AddCustomAttributes(added));
            }
            // After UpdateUserPool, which sends the live MFA mode back.
            if needs(Call::SetUserPoolMfaConfig) {
                steps.push(Step::SetMfa);
            }
            extra_steps(&needs, &mut steps);
        }
        _ => {}
    }
    steps
}

/// The pool's settings that have a call of their own besides those above.
fn extra_steps(needs: &dyn Fn(crate::model::pool_table::Call) -> bool, steps: &mut Vec<Step>) {
    use crate::model::pool_table::Call;
    if needs(Call::SetRiskConfiguration) {
        steps.push(Step::SetThreatProtection);
    }
    if needs(Call::SetLogDeliveryConfiguration) {
        steps.push(Step::SetLogDelivery);
    }
}

/// Applies one pool's plan. The plan must hold no blocked change, and a
/// replacement only when the user allowed it: the caller refuses those
/// before anything runs.
pub async fn apply_pool(
    session: &Session,
    clients: &Clients,
    desired: &DesiredPool,
    live: &LiveState,
    plan: &PoolPlan,
    on_done: &(dyn Fn(&str) + Sync),
    interrupt: &AtomicBool,
) -> Result<(), ApplyError> {
    let steps = steps(plan);
    let stop = |done: Vec<String>, failed: Vec<(String, anyhow::Error)>, not_done: Vec<String>| {
        ApplyError {
            pool: desired.key.clone(),
            environment: desired.environment.clone(),
            done,
            interrupted: failed.is_empty(),
            failed,
            not_done,
        }
    };
    let mut done = Vec::new();
    let mut pool = live.pool.as_ref().map(|p| pool::PoolRef {
        id: p.id.clone(),
        arn: p.arn.clone(),
    });
    let mut index = 0;
    while index < steps.len() {
        let phase = steps[index].phase();
        let batch: Vec<&Step> = steps[index..]
            .iter()
            .take_while(|s| s.phase() == phase)
            .collect();
        if interrupt.load(Ordering::SeqCst) {
            let not_done = steps[index..].iter().map(|s| s.describe(plan)).collect();
            return Err(stop(done, Vec::new(), not_done));
        }
        index += batch.len();

        let mut failed = Vec::new();
        // Steps of this phase that never started because one before them failed.
        let mut skipped: Vec<&Step> = Vec::new();
        if phase == 0 || phase == 1 {
            // The pool's own steps run one after another: each depends on the last.
            for (i, step) in batch.iter().enumerate() {
                let label = step.describe(plan);
                if i > 0 && interrupt.load(Ordering::SeqCst) {
                    let not_done = batch[i..]
                        .iter()
                        .copied()
                        .chain(&steps[index..])
                        .map(|s| s.describe(plan))
                        .collect();
                    return Err(stop(done, Vec::new(), not_done));
                }
                match pool_step(clients, desired, live, plan, step, &mut pool).await {
                    Ok(()) => {
                        on_done(&label);
                        done.push(label);
                    }
                    Err(cause) => {
                        failed.push((label, cause));
                        skipped.extend(&batch[i + 1..]);
                        break;
                    }
                }
            }
        } else {
            let pool = &pool;
            let results = futures::future::join_all(batch.iter().map(|step| async move {
                let ctx = ApplyCtx {
                    clients,
                    session,
                    desired,
                    live,
                    pool: pool.clone(),
                    progress: Progress::default(),
                    plan,
                };
                let label = step.describe(plan);
                tracing::info!(pool = %desired.key, environment = %desired.environment, "{label}");
                let result = match step {
                    Step::Grant { trigger, .. } => lambda_permission::grant(&ctx, trigger).await,
                    Step::Revoke { trigger } => lambda_permission::revoke(&ctx, trigger).await,
                    Step::SetClientThreatProtection { client } => {
                        threat_protection::set_client(&ctx, client).await
                    }
                    _ => resource_step(&ctx, step).await,
                };
                (label, result, ctx.progress.take())
            }))
            .await;
            for (label, result, partly) in results {
                match result {
                    Ok(()) => {
                        on_done(&label);
                        done.push(label);
                    }
                    Err(cause) => {
                        // What the failed step did carry out is done all the same.
                        for what in partly {
                            on_done(&what);
                            done.push(what);
                        }
                        failed.push((label, cause));
                    }
                }
            }
        }
        if !failed.is_empty() {
            let not_done = skipped
                .into_iter()
                .chain(&steps[index..])
                .map(|s| s.describe(plan))
                .collect();
            return Err(stop(done, failed, not_done));
        }
    }
    Ok(())
}

async fn pool_step(
    clients: &Clients,
    desired: &DesiredPool,
    live: &LiveState,
    plan: &PoolPlan,
    step: &Step,
    pool_ref: &mut Option<pool::PoolRef>,
) -> anyhow::Result<()> {
    let cognito = &clients.cognito;
    let settings = &desired.settings;
    tracing::info!(pool = %desired.key, environment = %desired.environment, "{step:?}");
    let id = || {
        pool_ref
            .as_ref()
            .map(|p| p.id.clone())
            .ok_or_else(|| anyhow::anyhow!("the user pool does not exist"))
    };
    match step {
        Step::CreatePool => {
            let created = pool::create(cognito, settings).await?;
            tracing::info!(id = %created.id, "created user pool");
            *pool_ref = Some(created);
            Ok(())
        }
        Step::UpdatePool => {
            // Read again: what the plan read may be minutes old (the prompt).
            let id = id()?;
            let Some(fresh) = crate::live::pool::describe(cognito, &id).await? else {
                anyhow::bail!("user pool {id} no longer exists; nothing was written to it");
            };
            let mut fresh = fresh;
            // Settings with calls of their own are checked by their steps.
            if let Some(planned) = &live.pool {
                fresh.settings.threat_protection = planned.settings.threat_protection.clone();
                fresh.settings.log_delivery = planned.settings.log_delivery.clone();
            }
            let now = diff::pool::diff(settings, Some(&fresh.settings), &mut Vec::new());
            still_planned(plan, &Kind::UserPool.one(), now.as_ref())?;
            pool::update(cognito, &fresh, settings).await
        }
        Step::AddCustomAttributes(names) => {
            let schema = settings.schema.clone().unwrap_or_default();
            let new: Vec<_> = schema.iter().filter(|(n, _)| names.contains(n)).collect();
            pool::add_custom_attributes(cognito, &id()?, &new).await
        }
        Step::SetMfa => pool::set_mfa(cognito, &id()?, settings, live.pool.as_ref()).await,
        Step::SetThreatProtection => {
            threat_protection::set_pool(cognito, &id()?, settings, live.pool.as_ref(), plan).await
        }
        Step::SetLogDelivery => {
            log_delivery::set(cognito, &id()?, settings, live.pool.as_ref(), plan).await
        }
        Step::Resource { .. }
        | Step::Grant { .. }
        | Step::Revoke { .. }
        | Step::SetClientThreatProtection { .. } => {
            unreachable!("resource steps run in other phases")
        }
    }
}

async fn resource_step(ctx: &ApplyCtx<'_>, step: &Step) -> anyhow::Result<()> {
    let Step::Resource { kind, name, action } = step else {
        unreachable!("pool steps run in the first phases")
    };
    // Every kind is named, so a new kind must be given its applier.
    match kind {
        Kind::Group => group::run(ctx, name, *action).await,
        Kind::UiCustomization => branding::run_ui(ctx, name, *action).await,
        Kind::ManagedLoginBranding => branding::run_style(ctx, name, *action).await,
        Kind::ResourceServer => resource_server::run(ctx, name, *action).await,
        Kind::Domain => domain::run(ctx, *action).await,
        Kind::IdentityProvider => identity_provider::run(ctx, name, *action).await,
        Kind::Client => client::run(ctx, name, *action).await,
        Kind::Authorizer => authorizer::run(ctx, name, *action).await,
        Kind::IdentityPool => identity_pool::run(ctx, name, *action).await,
        Kind::Replica => replica::run(ctx, name, *action).await,
        Kind::Deployment => authorizer::deploy(ctx, name).await,
        Kind::UserPool | Kind::LambdaPermission => {
            anyhow::bail!("no applier for resource kind `{kind}`")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{FieldChange, ResourceChange};

    fn field(path: &str) -> FieldChange {
        FieldChange {
            path: path.into(),
            before: None,
            after: Some(serde_json::json!(1)),
            sensitive: false,
            one_way_door: None,
            blocked: None,
        }
    }

    fn plan_of(changes: Vec<ResourceChange>) -> PoolPlan {
        PoolPlan {
            pool: "shop".into(),
            environment: "dev".into(),
            file: "pools/shop.yaml".into(),
            region: "us-east-1".into(),
            pool_name: "shop-dev".into(),
            pool_id: Some("us-east-1_X".into()),
            changes,
            warnings: Vec::new(),
        }
    }

    fn change(address: &str, action: Action, paths: &[&str]) -> ResourceChange {
        ResourceChange {
            address: address.parse().expect("a known kind"),
            action,
            fields: paths.iter().map(|p| field(p)).collect(),
            reasons: Vec::new(),
        }
    }

    #[test]
    fn threat_protection_and_log_delivery_have_steps_of_their_own() {
        let plan = plan_of(vec![change(
            "user_pool",
            Action::Update,
            &[
                "threat_protection.account_takeover.high.action",
                "log_delivery.user_notification.cloudwatch_logs",
            ],
        )]);
        assert_eq!(
            steps(&plan),
            [Step::SetThreatProtection, Step::SetLogDelivery]
        );
    }

    #[test]
    fn a_client_s_own_threat_protection_is_set_after_every_client_step() {
        // Only its threat protection changed: no client update.
        let plan = plan_of(vec![change(
            "client.web",
            Action::Update,
            &["threat_protection.ip_address_exceptions.always_block"],
        )]);
        assert_eq!(
            steps(&plan),
            [Step::SetClientThreatProtection {
                client: "web".into()
            }]
        );
        // A new client first, then its threat protection.
        let plan = plan_of(vec![change(
            "client.web",
            Action::Create,
            &[
                "generate_secret",
                "threat_protection.compromised_credentials.action",
            ],
        )]);
        let steps = steps(&plan);
        assert_eq!(steps.len(), 2);
        assert!(matches!(steps[0], Step::Resource { .. }));
        assert!(steps[0].phase() < steps[1].phase());
    }
}
