//! The plan: a value describing what apply would change, resource by resource
//! and field by field. Computing, drawing and applying it are separate steps.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;

pub mod address;
pub mod saved;

pub use address::{Address, Kind};

/// Bumped whenever a field of the JSON plan changes meaning or goes away.
pub const FORMAT_VERSION: u32 = 1;

/// The value of a field apply learns only when it runs (the ARN of a pool
/// created by the same apply).
pub const KNOWN_AFTER_APPLY: &str = "(known after apply)";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub format_version: u32,
    pub pools: Vec<PoolPlan>,
}

/// One pool in one environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolPlan {
    /// The spec's key (its file stem).
    pub pool: String,
    pub environment: String,
    pub file: PathBuf,
    pub region: String,
    pub pool_name: String,
    /// The live pool's id; `None` when apply would create it.
    pub pool_id: Option<String>,
    pub changes: Vec<ResourceChange>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    /// Delete and create again: only with `--allow-replace`.
    Replace,
    /// Only with `--prune`.
    Delete,
    /// Cognito cannot make this change in place; apply refuses the plan.
    Blocked,
    /// Exists live, not in the spec; left alone unless `--prune`.
    Unmanaged,
}

impl Action {
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Replace => "-/+",
            Action::Delete => "-",
            Action::Blocked => "!",
            Action::Unmanaged => "?",
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            Action::Create => "will be created",
            Action::Update => "will be updated in place",
            Action::Replace => "must be replaced",
            Action::Delete => "will be deleted",
            Action::Blocked => "cannot be changed in place",
            Action::Unmanaged => "exists but is not in the spec",
        }
    }
}

/// One resource's change. Its address is `<kind>.<name>`, or only `<kind>`
/// for a resource a pool has one of (`user_pool`, `domain`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResourceChange {
    /// `user_pool`, `client.web`, `group.admins`, ... (a string in JSON).
    pub address: Address,
    pub action: Action,
    pub fields: Vec<FieldChange>,
    /// Why the action is what it is, and what it costs, for blocked and
    /// replaced resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

/// One leaf that differs. `before`/`after` are `None` when absent, and always
/// `None` when `sensitive`: a secret's value never enters a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub sensitive: bool,
    /// Set when Cognito cannot change this field in place: the reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<String>,
    /// Set on a field of a resource being created that can never change
    /// afterwards (a new pool's sign-in attributes, case sensitivity,
    /// required standard attributes, custom attributes): what is fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_way_door: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub replace: usize,
    pub delete: usize,
    pub blocked: usize,
    pub unmanaged: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn add(&mut self, other: Summary) {
        self.create += other.create;
        self.update += other.update;
        self.replace += other.replace;
        self.delete += other.delete;
        self.blocked += other.blocked;
        self.unmanaged += other.unmanaged;
        self.warnings += other.warnings;
    }

    pub fn changes(&self) -> usize {
        self.create + self.update + self.replace + self.delete + self.blocked
    }
}

impl PoolPlan {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            warnings: self.warnings.len(),
            ..Summary::default()
        };
        for change in &self.changes {
            match change.action {
                Action::Create => s.create += 1,
                Action::Update => s.update += 1,
                Action::Replace => s.replace += 1,
                Action::Delete => s.delete += 1,
                Action::Blocked => s.blocked += 1,
                Action::Unmanaged => s.unmanaged += 1,
            }
        }
        s
    }
}

/// A pool that could not be planned, and why.
pub struct PoolFailure {
    pub pool: String,
    pub environment: String,
    pub error: anyhow::Error,
}

/// One pool's drift in a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftStatus {
    InSync,
    /// Something the spec manages differs, or an unmanaged resource exists.
    Drifted,
    /// The pool itself does not exist.
    Missing,
}

impl PoolPlan {
    pub fn drift(&self) -> DriftStatus {
        if self.pool_id.is_none() {
            DriftStatus::Missing
        } else if self.changes.is_empty() {
            DriftStatus::InSync
        } else {
            DriftStatus::Drifted
        }
    }
}

impl Plan {
    pub fn new(pools: Vec<PoolPlan>) -> Self {
        Plan {
            format_version: FORMAT_VERSION,
            pools,
        }
    }

    pub fn summary(&self) -> Summary {
        let mut total = Summary::default();
        for pool in &self.pools {
            total.add(pool.summary());
        }
        total
    }

    pub fn has_changes(&self) -> bool {
        self.summary().changes() > 0
    }

    /// Whether any pool drifted (unmanaged resources count).
    pub fn drifted(&self) -> bool {
        self.pools.iter().any(|p| p.drift() != DriftStatus::InSync)
    }

    /// Every change of one action, with the pool it belongs to.
    pub fn with_action(
        &self,
        action: Action,
    ) -> impl Iterator<Item = (&PoolPlan, &ResourceChange)> {
        self.pools
            .iter()
            .flat_map(|p| p.changes.iter().map(move |c| (p, c)))
            .filter(move |(_, c)| c.action == action)
    }
}
