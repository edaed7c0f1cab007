//! Machine-readable output: the plan (and drift report) as versioned JSON
//! documents.

use crate::plan::Plan;
use crate::plan::PoolFailure;
use serde::Serialize;

#[derive(Serialize)]
struct PlanDocument<'a> {
    #[serde(flatten)]
    plan: &'a Plan,
    summary: crate::plan::Summary,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ErrorEntry>,
}

/// A pool that could not be planned.
#[derive(Serialize)]
pub struct ErrorEntry {
    pub pool: String,
    pub environment: String,
    pub message: String,
}

pub fn errors(failures: &[PoolFailure]) -> Vec<ErrorEntry> {
    failures
        .iter()
        .map(|f| ErrorEntry {
            pool: f.pool.clone(),
            environment: f.environment.clone(),
            message: format!("{:#}", f.error),
        })
        .collect()
}

pub fn plan(plan: &Plan, failures: &[PoolFailure]) -> String {
    let doc = PlanDocument {
        plan,
        summary: plan.summary(),
        errors: errors(failures),
    };
    serde_json::to_string_pretty(&doc).expect("plans serialize")
}

#[derive(Serialize)]
struct DriftDocument<'a> {
    format_version: u32,
    drifted: bool,
    pools: Vec<DriftEntry<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ErrorEntry>,
}

#[derive(Serialize)]
struct DriftEntry<'a> {
    pool: &'a str,
    environment: &'a str,
    region: &'a str,
    pool_name: &'a str,
    pool_id: Option<&'a str>,
    status: crate::plan::DriftStatus,
    changes: &'a [crate::plan::ResourceChange],
}

/// The drift report: per pool and environment, whether it drifted and how.
pub fn drift(plan: &Plan, failures: &[PoolFailure]) -> String {
    let pools: Vec<DriftEntry> = plan
        .pools
        .iter()
        .map(|p| DriftEntry {
            pool: &p.pool,
            environment: &p.environment,
            region: &p.region,
            pool_name: &p.pool_name,
            pool_id: p.pool_id.as_deref(),
            status: p.drift(),
            changes: &p.changes,
        })
        .collect();
    let doc = DriftDocument {
        format_version: crate::plan::FORMAT_VERSION,
        drifted: plan.drifted(),
        pools,
        errors: errors(failures),
    };
    serde_json::to_string_pretty(&doc).expect("reports serialize")
}
