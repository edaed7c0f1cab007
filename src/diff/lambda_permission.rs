//! The Lambda permission of every declared trigger (`lambda_permission.<trigger>`):
//! what each needs so that Cognito may invoke the function for this pool.
//!
//! - A grant is needed unless ANY statement of the function's policy already
//!   lets `cognito-idp.amazonaws.com` invoke it for this pool's ARN, so
//!   statements made by CDK or by hand are never duplicated.
//! - A function that does not exist blocks the plan: attaching it would make
//!   every call of the trigger fail.
//! - When a trigger moves to another function or is detached (`false`), the
//!   statement poolctl added for it is revoked, but only when no trigger of the
//!   pool (declared or not) still uses that function, and never a statement
//!   poolctl did not write.
//!
//! Apply recomputes the same plan with the pool's ARN once it is known, so a
//! pool created in the same run gets its grants too.

use crate::desired::DesiredPool;
use crate::live::LiveState;
use crate::model::lambda_permission::{
    account_of, statement_id, unique_statement_id, FunctionPolicy, ACTION, PRINCIPAL,
};
use crate::model::triggers::{Triggers, TRIGGER_NAMES};
use crate::plan::KNOWN_AFTER_APPLY;
use crate::plan::{Action, FieldChange, Kind, ResourceChange};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One statement on one function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub function_arn: String,
    pub statement_id: String,
}

/// What one declared trigger's permission needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PermissionPlan {
    pub trigger: &'static str,
    /// AddPermission: the function lacks any grant for the pool.
    pub grant: Option<Statement>,
    /// RemovePermission: poolctl's statement on a function the pool no
    /// longer uses.
    pub revoke: Option<Statement>,
    /// The function the trigger names does not exist.
    pub missing: Option<String>,
}

/// What the permissions are planned from.
pub struct Inputs<'a> {
    pub desired: &'a Triggers,
    /// The live pool's triggers; `None` for a pool not created yet.
    pub live: Option<&'a Triggers>,
    pub pool_name: &'a str,
    /// `None` until the pool exists.
    pub pool_arn: Option<&'a str>,
    pub policies: &'a BTreeMap<String, FunctionPolicy>,
}

impl<'a> Inputs<'a> {
    /// The inputs for one pool: `pool_arn` overrides the live one (apply
    /// knows it for a pool it just created).
    pub fn of(
        desired: &'a DesiredPool,
        live: &'a LiveState,
        pool_arn: Option<&'a str>,
    ) -> Option<Inputs<'a>> {
        let live_pool = live.pool.as_ref();
        Some(Inputs {
            desired: desired.settings.triggers.as_ref()?,
            live: live_pool.and_then(|p| p.settings.triggers.as_ref()),
            pool_name: desired.pool_name(),
            pool_arn: pool_arn
                .filter(|a| !a.is_empty())
                .or(live_pool.map(|p| p.arn.as_str())),
            policies: &live.function_policies,
        })
    }
}

pub fn plan_permissions(inputs: &Inputs) -> Vec<PermissionPlan> {
    // What every trigger will point at after apply: declared ones as
    // declared, the rest as they are live.
    let still_used: BTreeSet<&str> = TRIGGER_NAMES
        .iter()
        .filter_map(|name| {
            let declared = inputs.desired.declared().find(|(n, _)| n == name);
            match declared {
                Some((_, want)) => want,
                None => inputs.live.and_then(|l| l.function(name)),
            }
        })
        .collect();
    let mut plans = Vec::new();
    for (trigger, want) in inputs.desired.declared() {
        let mut plan = PermissionPlan {
            trigger,
            ..PermissionPlan::default()
        };
        if let Some(function) = want {
            match inputs.policies.get(function) {
                Some(FunctionPolicy::Missing) => plan.missing = Some(function.to_string()),
                Some(FunctionPolicy::Statements(statements)) => {
                    let granted = inputs
                        .pool_arn
                        .is_some_and(|arn| statements.iter().any(|s| s.grants(arn)));
                    if !granted {
                        let mut sid = statement_id(inputs.pool_name, trigger);
                        let taken = statements.iter().any(|s| s.sid.as_deref() == Some(&sid));
                        if let (true, Some(arn)) = (taken, inputs.pool_arn) {
                            sid = unique_statement_id(inputs.pool_name, arn, trigger);
                        }
                        plan.grant = Some(Statement {
                            function_arn: function.to_string(),
                            statement_id: sid,
                        });
                    }
                }
                None => {
                    plan.grant = Some(Statement {
                        function_arn: function.to_string(),
                        statement_id: statement_id(inputs.pool_name, trigger),
                    })
                }
            }
        }
        let old = inputs.live.and_then(|l| l.function(trigger));
        if let (Some(old), Some(arn)) = (old, inputs.pool_arn) {
            if Some(old) != want && !still_used.contains(old) {
                if let Some(FunctionPolicy::Statements(statements)) = inputs.policies.get(old) {
                    plan.revoke = statements
                        .iter()
                        .find(|s| s.is_poolctls(trigger, arn))
                        .and_then(|s| s.sid.clone())
                        .map(|sid| Statement {
                            function_arn: old.to_string(),
                            statement_id: sid,
                        });
                }
            }
        }
        if plan.grant.is_some() || plan.revoke.is_some() || plan.missing.is_some() {
            plans.push(plan);
        }
    }
    plans
}

/// The plan's changes for the pool's declared triggers.
pub fn diff(desired: &DesiredPool, live: &LiveState) -> Vec<ResourceChange> {
    let Some(inputs) = Inputs::of(desired, live, None) else {
        return Vec::new();
    };
    changes(&plan_permissions(&inputs), inputs.pool_arn)
}

fn changes(plans: &[PermissionPlan], pool_arn: Option<&str>) -> Vec<ResourceChange> {
    let text = |s: &str| Some(Value::String(s.to_string()));
    let field = |path: &str, before: Option<Value>, after: Option<Value>| FieldChange {
        path: path.to_string(),
        before,
        after,
        sensitive: false,
        one_way_door: None,
        blocked: None,
    };
    plans
        .iter()
        .map(|plan| {
            let address = Kind::LambdaPermission.at(plan.trigger);
            if let Some(function) = &plan.missing {
                let reason = format!(
                    "function `{function}` does not exist; deploy it first: a trigger naming a missing function fails every `{}` call",
                    plan.trigger
                );
                let mut fields = vec![field("function_arn", None, text(function))];
                fields[0].blocked = Some(reason.clone());
                return ResourceChange {
                    address,
                    action: Action::Blocked,
                    fields,
                    reasons: vec![reason],
                };
            }
            match (&plan.grant, &plan.revoke) {
                (Some(grant), None) => {
                    let mut fields = vec![
                        field("function_arn", None, text(&grant.function_arn)),
                        field("statement_id", None, text(&grant.statement_id)),
                        field("principal", None, text(PRINCIPAL)),
                        field("action", None, text(ACTION)),
                        field("source_arn", None, text(pool_arn.unwrap_or(KNOWN_AFTER_APPLY))),
                    ];
                    if let Some(account) = pool_arn.and_then(account_of) {
                        fields.push(field("source_account", None, text(account)));
                    }
                    ResourceChange {
                        address,
                        action: Action::Create,
                        fields,
                        reasons: Vec::new(),
                    }
                }
                (Some(grant), Some(revoke)) => {
                    let mut fields = vec![field(
                        "function_arn",
                        text(&revoke.function_arn),
                        text(&grant.function_arn),
                    )];
                    if grant.statement_id != revoke.statement_id {
                        fields.push(field(
                            "statement_id",
                            text(&revoke.statement_id),
                            text(&grant.statement_id),
                        ));
                    }
                    ResourceChange {
                        address,
                        action: Action::Update,
                        fields,
                        reasons: vec![
                            "the new function is granted before the pool switches to it; poolctl's statement leaves the old one afterwards".into(),
                        ],
                    }
                }
                (None, Some(revoke)) => ResourceChange {
                    address,
                    action: Action::Delete,
                    fields: vec![
                        field("function_arn", text(&revoke.function_arn), None),
                        field("statement_id", text(&revoke.statement_id), None),
                    ],
                    reasons: Vec::new(),
                },
                (None, None) => unreachable!("plans without work are dropped"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lambda_permission::PolicyStatement;
    use crate::model::triggers::Slot;

    const POOL: &str = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyZ";
    const A: &str = "arn:aws:lambda:us-east-1:123456789012:function:a";
    const B: &str = "arn:aws:lambda:us-east-1:123456789012:function:b";
    const GONE: &str = "arn:aws:lambda:us-east-1:123456789012:function:gone";

    fn triggers(pairs: &[(&str, Option<&str>)]) -> Triggers {
        let mut t = Triggers::default();
        for (name, arn) in pairs {
            let slot = match arn {
                Some(a) => Slot::Attached(a.to_string()),
                None => Slot::Detached,
            };
            match *name {
                "pre_sign_up" => t.pre_sign_up = Some(slot),
                "post_confirmation" => t.post_confirmation = Some(slot),
                "custom_message" => t.custom_message = Some(slot),
                other => panic!("{other}"),
            }
        }
        t
    }

    fn statement(sid: &str, pool: &str) -> PolicyStatement {
        PolicyStatement {
            sid: Some(sid.into()),
            allow: true,
            services: vec![PRINCIPAL.into()],
            actions: vec![ACTION.into()],
            source_arns: vec![pool.into()],
            ..Default::default()
        }
    }

    fn policies(
        entries: &[(&str, Option<Vec<PolicyStatement>>)],
    ) -> BTreeMap<String, FunctionPolicy> {
        entries
            .iter()
            .map(|(arn, s)| {
                let policy = match s {
                    Some(s) => FunctionPolicy::Statements(s.clone()),
                    None => FunctionPolicy::Missing,
                };
                (arn.to_string(), policy)
            })
            .collect()
    }

    fn run(
        desired: &Triggers,
        live: Option<&Triggers>,
        pool_arn: Option<&str>,
        policies: &BTreeMap<String, FunctionPolicy>,
    ) -> Vec<PermissionPlan> {
        plan_permissions(&Inputs {
            desired,
            live,
            pool_name: "shop-dev",
            pool_arn,
            policies,
        })
    }

    fn sid(trigger: &str) -> String {
        statement_id("shop-dev", trigger)
    }

    #[test]
    fn a_new_pool_gets_a_grant_per_trigger_with_the_arn_known_after_apply() {
        let desired = triggers(&[("pre_sign_up", Some(A)), ("post_confirmation", Some(A))]);
        let p = policies(&[(A, Some(vec![]))]);
        let plans = run(&desired, None, None, &p);
        assert_eq!(plans.len(), 2);
        assert_eq!(
            plans[0].grant,
            Some(Statement {
                function_arn: A.into(),
                statement_id: sid("pre_sign_up")
            })
        );
        let changes = changes(&plans, None);
        assert_eq!(changes[0].action, Action::Create);
        let source = changes[0]
            .fields
            .iter()
            .find(|f| f.path == "source_arn")
            .unwrap();
        assert_eq!(source.after, Some(Value::String(KNOWN_AFTER_APPLY.into())));
    }

    #[test]
    fn any_granting_statement_counts_and_nothing_is_planned() {
        let desired = triggers(&[("pre_sign_up", Some(A))]);
        let p = policies(&[(A, Some(vec![statement("made-by-cdk", POOL)]))]);
        assert!(run(&desired, Some(&desired), Some(POOL), &p).is_empty());
        // A statement for another pool does not.
        let p = policies(&[(
            A,
            Some(vec![statement(
                "x",
                "arn:aws:cognito-idp:us-east-1:123456789012:userpool/other",
            )]),
        )]);
        assert_eq!(run(&desired, Some(&desired), Some(POOL), &p).len(), 1);
    }

    #[test]
    fn a_missing_function_blocks() {
        let desired = triggers(&[("pre_sign_up", Some(GONE))]);
        let p = policies(&[(GONE, None)]);
        let plans = run(&desired, None, Some(POOL), &p);
        assert_eq!(plans[0].missing.as_deref(), Some(GONE));
        let change = &changes(&plans, Some(POOL))[0];
        assert_eq!(change.action, Action::Blocked);
        assert!(
            change.reasons[0].contains("does not exist"),
            "{:?}",
            change.reasons
        );
    }

    #[test]
    fn moving_a_trigger_grants_the_new_function_and_revokes_poolctls_statement_on_the_old() {
        let live = triggers(&[("pre_sign_up", Some(A))]);
        let desired = triggers(&[("pre_sign_up", Some(B))]);
        let p = policies(&[
            (
                A,
                Some(vec![
                    statement(&sid("pre_sign_up"), POOL),
                    statement("by-hand", POOL),
                ]),
            ),
            (B, Some(vec![])),
        ]);
        let plans = run(&desired, Some(&live), Some(POOL), &p);
        assert_eq!(plans[0].grant.as_ref().unwrap().function_arn, B);
        assert_eq!(
            plans[0].revoke,
            Some(Statement {
                function_arn: A.into(),
                statement_id: sid("pre_sign_up")
            })
        );
        assert_eq!(changes(&plans, Some(POOL))[0].action, Action::Update);

        // Only poolctl's statement is ever revoked.
        let p = policies(&[
            (A, Some(vec![statement("by-hand", POOL)])),
            (B, Some(vec![])),
        ]);
        assert_eq!(run(&desired, Some(&live), Some(POOL), &p)[0].revoke, None);
    }

    #[test]
    fn a_function_still_used_by_another_trigger_keeps_its_statement() {
        // custom_message is not declared but live on A: A stays in use.
        let mut live = triggers(&[("pre_sign_up", Some(A))]);
        live.custom_message = Some(Slot::Attached(A.into()));
        let desired = triggers(&[("pre_sign_up", None)]);
        let p = policies(&[(A, Some(vec![statement(&sid("pre_sign_up"), POOL)]))]);
        assert!(run(&desired, Some(&live), Some(POOL), &p).is_empty());

        let live = triggers(&[("pre_sign_up", Some(A))]);
        let plans = run(&desired, Some(&live), Some(POOL), &p);
        assert_eq!(plans[0].grant, None);
        assert_eq!(plans[0].revoke.as_ref().unwrap().function_arn, A);
        let change = &changes(&plans, Some(POOL))[0];
        assert_eq!(change.action, Action::Delete);
        assert_eq!(change.fields[0].after, None);
    }

    #[test]
    fn an_id_another_pool_holds_gets_a_unique_suffix() {
        let desired = triggers(&[("pre_sign_up", Some(A))]);
        let other = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Other";
        let p = policies(&[(A, Some(vec![statement(&sid("pre_sign_up"), other)]))]);
        let plans = run(&desired, Some(&desired), Some(POOL), &p);
        let grant = plans[0].grant.as_ref().unwrap();
        assert_eq!(
            grant.statement_id,
            unique_statement_id("shop-dev", POOL, "pre_sign_up")
        );
    }
}
