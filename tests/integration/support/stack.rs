//! A test's whole world: its own moto, an AWS-faithful recording proxy in
//! front of it that poolctl talks to, and a temporary project directory.

use super::{cognito_client, write_pools, Moto, Poolctl, Proxy, RecordedRequest, TEST_REGION};
use std::path::{Path, PathBuf};

pub struct Stack {
    pub moto: Moto,
    pub proxy: Proxy,
    pub dir: tempfile::TempDir,
}

/// Operations that change something; a test that expects nothing changed
/// asserts none of these reached AWS.
pub const WRITE_PREFIXES: &[&str] = &[
    "Create", "Update", "Delete", "Add", "Set", "Tag", "Untag", "Admin", "Put", "Remove", "POST ",
    "PUT ", "PATCH ", "DELETE ", "Start", "Stop",
];

impl Stack {
    pub fn new() -> Stack {
        let moto = Moto::start();
        let proxy = Proxy::start_faithful(&moto.endpoint());
        Stack {
            moto,
            proxy,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (or overwrites) `pools/<name>`.
    pub fn spec(&self, name: &str, text: &str) -> PathBuf {
        write_pools(self.path(), &[(name, text)]).join(name)
    }

    /// poolctl in the project directory, talking to AWS through the proxy.
    pub fn poolctl(&self) -> Poolctl {
        Poolctl::new(self.path()).endpoint(&self.proxy.endpoint())
    }

    /// A client straight to moto, for changes behind poolctl's back (the
    /// proxy does not see them).
    pub fn cognito(&self) -> aws_sdk_cognitoidentityprovider::Client {
        cognito_client(&self.moto.endpoint(), TEST_REGION)
    }

    pub fn writes(&self) -> Vec<RecordedRequest> {
        self.proxy
            .requests()
            .into_iter()
            .filter(|r| WRITE_PREFIXES.iter().any(|p| r.operation.starts_with(p)))
            .collect()
    }
}

impl Default for Stack {
    fn default() -> Self {
        Stack::new()
    }
}
