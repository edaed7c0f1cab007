//! The desired state of one pool in one environment: what a resolved spec asks
//! for, normalized the same way live state is.

use crate::model::PoolSettings;
use crate::spec::diag::Diagnostic;
use crate::spec::document::{Document, Resources};
use crate::spec::SpecFile;
use std::path::PathBuf;

/// Serialized (secrets as digests only), it is what a saved plan records to
/// recognise later that the specs and secrets are still the same.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DesiredPool {
    /// The spec file's stem; `--pool` selects by it.
    pub key: String,
    pub file: PathBuf,
    pub environment: String,
    pub region: String,
    pub profile: Option<String>,
    /// A role to assume (in another account, typically) before reading or
    /// changing anything.
    pub role: Option<crate::aws::AssumeRole>,
    /// Pins the live pool instead of finding it by name.
    pub pool_id: Option<String>,
    /// Applying here needs the environment's name typed back.
    pub protected: bool,
    /// The spec's `users` block: what exports leave out, the import role.
    pub users: crate::spec::document::UsersSettings,
    pub settings: PoolSettings,
    pub resources: Resources,
    /// Warnings from the offline checks.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

impl DesiredPool {
    pub fn new(
        file: &SpecFile,
        environment: &str,
        doc: Document,
        warnings: Vec<Diagnostic>,
    ) -> Self {
        let mut settings = doc.settings;
        settings.normalize();
        DesiredPool {
            key: file.key.clone(),
            file: file.path.clone(),
            environment: environment.to_string(),
            region: doc.env.region.unwrap_or_default(),
            role: doc.env.role_arn.map(|role_arn| crate::aws::AssumeRole {
                role_arn,
                external_id: doc.env.external_id,
                session_name: doc
                    .env
                    .session_name
                    .unwrap_or_else(|| crate::aws::DEFAULT_SESSION_NAME.to_string()),
                duration: doc.env.duration.map(|d| d.seconds()),
            }),
            profile: doc.env.profile,
            pool_id: doc.env.pool_id,
            protected: doc.env.protected.unwrap_or(false),
            users: doc.env.users.unwrap_or_default(),
            settings,
            resources: doc.resources,
            warnings,
        }
    }

    /// The pool's name in AWS (checked present by the spec checks).
    pub fn pool_name(&self) -> &str {
        self.settings.name.as_deref().unwrap_or(&self.key)
    }
}
