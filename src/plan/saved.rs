//! Saved plans (`plan --out FILE`): the plan, the desired state it was made
//! for (secrets only as digests) and a fingerprint of every live resource it
//! read, so `apply FILE` can apply exactly that plan or refuse when anything
//! it was made against has moved.

use super::Plan;
use crate::desired::DesiredPool;
use crate::live::LiveState;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Bumped whenever the file's shape changes; older files are refused.
pub const SAVED_FORMAT_VERSION: u32 = 1;

const KIND: &str = "poolctl-saved-plan";

#[derive(Debug, Serialize, Deserialize)]
pub struct SavedPlan {
    pub kind: String,
    pub format_version: u32,
    /// The poolctl that made it.
    pub poolctl_version: String,
    /// Seconds since the Unix epoch.
    pub created_at: u64,
    pub prune: bool,
    pub plan: Value,
    pub pools: Vec<SavedPool>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SavedPool {
    pub pool: String,
    pub environment: String,
    /// The desired state as resolved then, secrets as digests.
    pub desired: Value,
    /// Address -> digest of each live resource read then.
    pub live: BTreeMap<String, String>,
}

/// Why a saved plan cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum SavedPlanError {
    #[error("{path}: not a poolctl saved plan ({reason})")]
    Unreadable { path: String, reason: String },
    #[error("{path}: saved plan format {found} is not supported by this poolctl (it reads format {SAVED_FORMAT_VERSION}); run plan again")]
    Version { path: String, found: u32 },
    #[error("saved plan is stale; run plan again. Nothing was changed.\n{}", .0.join("\n"))]
    Stale(Vec<String>),
}

impl SavedPlan {
    pub fn new(plan: &Plan, pools: &[(&DesiredPool, &LiveState)], prune: bool) -> Self {
        SavedPlan {
            kind: KIND.to_string(),
            format_version: SAVED_FORMAT_VERSION,
            poolctl_version: env!("CARGO_PKG_VERSION").to_string(),
            created_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            prune,
            plan: serde_json::to_value(plan).expect("plans serialize"),
            pools: pools
                .iter()
                .map(|(desired, live)| SavedPool {
                    pool: desired.key.clone(),
                    environment: desired.environment.clone(),
                    desired: desired_value(desired),
                    live: live.fingerprints(),
                })
                .collect(),
        }
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(self).expect("saved plans serialize");
        std::fs::write(path, text + "\n")
            .map_err(|e| anyhow::anyhow!("cannot write the plan to {}: {e}", path.display()))
    }

    pub fn read(path: &Path) -> Result<SavedPlan, SavedPlanError> {
        let shown = path.display().to_string();
        let unreadable = |reason: String| SavedPlanError::Unreadable {
            path: shown.clone(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
        if value.get("kind").and_then(Value::as_str) != Some(KIND) {
            return Err(unreadable("no `kind: poolctl-saved-plan`".into()));
        }
        let found = value
            .get("format_version")
            .and_then(Value::as_u64)
            .unwrap_or(0) as u32;
        if found != SAVED_FORMAT_VERSION {
            return Err(SavedPlanError::Version { path: shown, found });
        }
        let saved: SavedPlan =
            serde_json::from_value(value).map_err(|e| unreadable(e.to_string()))?;
        // The plan inside is checked here, once, so the file is named if it is broken.
        serde_json::from_value::<Plan>(saved.plan.clone())
            .map_err(|e| unreadable(format!("its plan: {e}")))?;
        Ok(saved)
    }

    /// The plan, as `plan` drew it (checked readable by `read`).
    pub fn plan(&self) -> Plan {
        serde_json::from_value(self.plan.clone()).expect("checked when the file was read")
    }

    /// Whether `plan`, made now, is the plan that was saved.
    pub fn is_plan(&self, plan: &Plan) -> bool {
        let now = serde_json::to_value(plan).expect("plans serialize");
        comparable_plan(&now) == comparable_plan(&self.plan)
    }

    /// What moved since the plan was made, one line each; empty when nothing.
    pub fn staleness(&self, now: &[(&DesiredPool, &LiveState)]) -> Vec<String> {
        let mut moved = Vec::new();
        for saved in &self.pools {
            let label = format!("pool `{}` ({})", saved.pool, saved.environment);
            let Some((desired, live)) = now
                .iter()
                .find(|(d, _)| d.key == saved.pool && d.environment == saved.environment)
            else {
                moved.push(format!("  {label}: no longer in the specs"));
                continue;
            };
            if desired_value(desired) != saved.desired {
                moved.push(format!(
                    "  {label}: the spec, or a secret it reads from the environment, changed"
                ));
            }
            let current = live.fingerprints();
            for (address, digest) in &saved.live {
                match current.get(address) {
                    None => moved.push(format!("  {label}: {address} no longer exists")),
                    Some(now) if now != digest => {
                        moved.push(format!("  {label}: {address} changed"))
                    }
                    _ => {}
                }
            }
            for address in current.keys().filter(|a| !saved.live.contains_key(*a)) {
                moved.push(format!("  {label}: {address} appeared"));
            }
        }
        moved
    }
}

/// The desired state as recorded, without where its file was found: the same
/// specs read through `--pools ./pools` or from another directory are the
/// same specs.
fn desired_value(desired: &DesiredPool) -> Value {
    let mut value = serde_json::to_value(desired).expect("desired state serializes");
    if let Some(fields) = value.as_object_mut() {
        fields.remove("file");
    }
    value
}

/// A plan as compared: without the spec files' paths, which also appear in
/// the warnings (`pools/shop.yaml:12:3: ...`).
fn comparable_plan(plan: &Value) -> Value {
    let mut plan = plan.clone();
    for pool in plan["pools"].as_array_mut().into_iter().flatten() {
        if let Some(fields) = pool.as_object_mut() {
            fields.remove("file");
            fields.remove("warnings");
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Kind;

    fn saved_with_address(address: &str) -> String {
        serde_json::json!({
            "kind": KIND,
            "format_version": SAVED_FORMAT_VERSION,
            "poolctl_version": "0",
            "created_at": 0,
            "prune": false,
            "plan": {"format_version": 1, "pools": [{
                "pool": "shop", "environment": "dev", "file": "pools/shop.yaml",
                "region": "us-east-1", "pool_name": "shop-dev", "pool_id": null,
                "warnings": [],
                "changes": [{"address": address, "action": "create", "fields": []}],
            }]},
            "pools": [],
        })
        .to_string()
    }

    #[test]
    fn a_saved_plan_with_an_unknown_resource_kind_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, saved_with_address("gizmo.web")).unwrap();
        let err = SavedPlan::read(&path).unwrap_err().to_string();
        assert!(err.contains("not a poolctl saved plan"), "{err}");
        assert!(err.contains("unknown resource kind `gizmo`"), "{err}");

        std::fs::write(&path, saved_with_address("client.web")).unwrap();
        let plan = SavedPlan::read(&path).unwrap().plan();
        let address = &plan.pools[0].changes[0].address;
        assert_eq!((address.kind, address.name()), (Kind::Client, "web"));
    }
}
