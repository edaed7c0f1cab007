//! The integration tests: the built `poolctl` binary against `moto_server` on
//! loopback, through the tests' AWS-fidelity layer (`support::faithful`).
//!
//! One test binary for every behaviour: each module below compiles the
//! support code and links the AWS SDKs once, not once per file.

mod support;

mod authorizer;
mod bad_input;
mod branding;
mod cases;
mod client_extras;
mod clients;
mod converges;
mod docs_examples;
mod emulator;
mod example;
mod faults;
mod friction;
mod groups;
mod half_done;
mod harness;
mod identity_pools;
mod identity_providers;
mod import;
mod init;
mod meanwhile;
mod multi_account;
mod outputs;
mod pool;
mod pool_extras;
mod resource_servers_and_domain;
mod schema;
mod shell;
mod threat_protection;
mod triggers;
mod users;
mod workflow;
