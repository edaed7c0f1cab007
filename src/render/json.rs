//! Machine-readable output: the plan as a versioned JSON document.

use crate::plan::Plan;
use serde::Serialize;

#[derive(Serialize)]
struct PlanDocument<'a> {
    #[serde(flatten)]
    plan: &'a Plan,
    summary: crate::plan::Summary,
}

pub fn plan(plan: &Plan) -> String {
    let doc = PlanDocument {
        plan,
        summary: plan.summary(),
    };
    serde_json::to_string_pretty(&doc).expect("plans serialize")
}
