//! The shared harness of poolctl's integration tests: moto as the stand-in AWS, a recording and fault-injecting proxy in front of it, the poolctl command, SDK clients, and spec files. Each test file does `mod support; use support::*;`.

// Each test file is its own crate and uses only part of this harness.
#![allow(dead_code)]

pub mod cli;
pub mod faithful;
pub mod lambda;
pub mod moto;
pub mod plans;
pub mod proxy;
pub mod quota;
pub mod sdk;
pub mod stack;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

// A test file that does not name an item would warn about its re-export.
#[allow(unused_imports)]
pub use cli::{Output, Poolctl};
#[allow(unused_imports)]
pub use moto::{moto_server_path, Moto};
#[allow(unused_imports)]
pub use plans::{actions, change, fields, pool_id};
#[allow(unused_imports)]
pub use proxy::{fault_first, fault_on, Fault, FaultRule, Proxy, RecordedRequest};
#[allow(unused_imports)]
pub use sdk::{
    apigateway_client, apigatewayv2_client, block_on, cognito_client, lambda_client, sdk_config,
    test_credentials, TEST_REGION,
};
#[allow(unused_imports)]
pub use stack::Stack;

/// Creates `dir/pools/` holding the given spec files; returns that directory.
pub fn write_pools(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let pools = dir.join("pools");
    std::fs::create_dir_all(&pools)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", pools.display()));
    for (name, text) in files {
        let path = pools.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(&path, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    pools
}

/// A name no other test in this process uses, for resources in `Moto::shared()`.
pub fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
