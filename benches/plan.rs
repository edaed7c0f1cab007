//! The plan benchmark (`scripts/bench`): N pools x 3 environments of a
//! realistic spec, applied into moto behind a proxy that adds a real region's
//! round trip to every request and enforces Cognito's request-rate quotas;
//! then a no-change `plan --all-envs`, timed, with every request counted, set
//! against two lower bounds: the round-trip depth times the latency, and the
//! busiest quota category's requests over its quota.
//!
//!   cargo bench --bench plan -- [--sizes 1,10,50] [--latency-ms 40] [--no-quotas] [--runs 3]

#[path = "../tests/integration/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use support::quota::{category, enforce_cognito_quotas, region_of};
use support::*;

struct Options {
    sizes: Vec<usize>,
    latency: Duration,
    quotas: bool,
    runs: usize,
}

fn options() -> Options {
    let mut o = Options {
        sizes: vec![1, 10, 50],
        latency: Duration::from_millis(40),
        quotas: true,
        runs: 3,
    };
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--sizes" => {
                o.sizes = args[i + 1]
                    .split(',')
                    .map(|s| s.parse().expect("--sizes 1,10,50"))
                    .collect();
                i += 1;
            }
            "--latency-ms" => {
                o.latency = Duration::from_millis(args[i + 1].parse().expect("--latency-ms N"));
                i += 1;
            }
            "--runs" => {
                o.runs = args[i + 1].parse().expect("--runs N");
                i += 1;
            }
            "--no-quotas" => o.quotas = false,
            other => panic!("unknown argument {other}"),
        }
        i += 1;
    }
    o
}

/// A realistic pool: the shop example's settings, 5 app clients, 2 identity
/// providers (Google and SAML), 5 groups, a resource server and a domain.
fn spec(i: usize) -> String {
    let mut groups = String::new();
    for (g, name) in ["admins", "support", "finance", "ops", "readonly"]
        .iter()
        .enumerate()
    {
        groups.push_str(&format!(
            "  {name}: {{ description: {name} of pool {i}, precedence: {g} }}\n"
        ));
    }
    let mut clients = String::new();
    for name in ["web", "admin", "partner", "ios", "android"] {
        clients.push_str(&format!(
            "  {name}:\n    explicit_auth_flows: [user_srp, refresh_token]\n    allowed_oauth_flows: [code]\n    allowed_oauth_scopes: [openid, email, api/orders.read]\n    callback_urls: [https://{name}.example.com/callback]\n    supported_identity_providers: [COGNITO, Google, Corp]\n    access_token_validity: 1h\n    refresh_token_validity: 30d\n"
        ));
    }
    format!(
        r#"name: bench{i}-${{env}}
environments:
  dev: {{ region: us-east-1 }}
  staging: {{ region: us-east-1 }}
  prod: {{ region: eu-west-1, deletion_protection: active }}
username_attributes: [email]
case_sensitive: false
auto_verified_attributes: [email]
password_policy: {{ minimum_length: 12, require_symbols: false, password_history_size: 5 }}
mfa: {{ mode: optional, totp: true, sms: false }}
account_recovery: [verified_email]
admin_create_user_config: {{ allow_admin_create_user_only: true }}
schema:
  email: {{ required: true }}
  custom:tenant_id: {{ type: string, mutable: false, max_length: 128 }}
tier: essentials
tags: {{ team: bench, managed-by: poolctl }}
clients:
{clients}identity_providers:
  Google:
    type: google
    client_id: bench-{i}.apps.googleusercontent.com
    client_secret: ${{env:BENCH_GOOGLE_SECRET}}
    authorize_scopes: [openid, email]
    attribute_mapping: {{ email: email }}
  Corp:
    type: saml
    metadata_url: https://login.example.com/{i}/federationmetadata.xml
    attribute_mapping: {{ email: http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress }}
resource_servers:
  api: {{ name: Bench API, scopes: {{ orders.read: Read orders, orders.write: Place orders }} }}
groups:
{groups}domain: bench{i}-${{env}}
"#
    )
}

/// Runs a command to completion, timing it.
fn run_measured(cmd: Poolctl) -> (Output, Duration) {
    let start = Instant::now();
    let out = cmd.timeout(Duration::from_secs(600)).run();
    (out, start.elapsed())
}

struct Row {
    n: usize,
    apply: Duration,
    plan: Duration,
    requests: usize,
    throttled: usize,
    depth_bound: Duration,
    quota_bound: Duration,
    peak_rss_kb: Option<u64>,
    by_operation: BTreeMap<String, usize>,
}

fn measure(n: usize, o: &Options) -> Row {
    let moto = Moto::start();
    let proxy = Proxy::start_with_latency(&moto.endpoint(), o.latency);
    if o.quotas {
        proxy.set_fault_rule(enforce_cognito_quotas());
    }
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, String)> = (0..n)
        .map(|i| (format!("bench{i}.yaml"), spec(i)))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_pools(dir.path(), &refs);
    let poolctl = || {
        Poolctl::new(dir.path())
            .endpoint(&proxy.endpoint())
            .env("BENCH_GOOGLE_SECRET", "bench-secret")
    };

    let (out, apply) = run_measured(poolctl().args(["apply", "--all-envs", "--auto-approve"]));
    out.assert_success();

    let mut plans = Vec::new();
    let mut last_requests = Vec::new();
    let mut peak_rss_kb = None;
    for _ in 0..o.runs {
        proxy.clear();
        let time = std::path::Path::new("/usr/bin/time");
        let (out, elapsed) = if time.exists() {
            // GNU time reports the peak RSS of the process it runs.
            let report = dir.path().join("rss.txt");
            let cmd = Poolctl::with_program(time, dir.path())
                .args(["-f", "%M", "-o"])
                .arg(&report)
                .arg(env!("CARGO_BIN_EXE_poolctl"))
                .args(["plan", "--all-envs", "--detailed-exitcode"])
                .endpoint(&proxy.endpoint())
                .env("BENCH_GOOGLE_SECRET", "bench-secret");
            let measured = run_measured(cmd);
            peak_rss_kb = std::fs::read_to_string(&report)
                .ok()
                .and_then(|t| t.trim().lines().last()?.parse().ok());
            measured
        } else {
            run_measured(poolctl().args(["plan", "--all-envs", "--detailed-exitcode"]))
        };
        assert_eq!(
            out.status,
            0,
            "the re-plan must find no changes:\n{}",
            out.dump()
        );
        plans.push(elapsed);
        last_requests = proxy.requests();
    }
    plans.sort();
    let plan = plans[plans.len() / 2];

    let mut by_operation = BTreeMap::new();
    // (region, category) -> (requests, quota per second)
    let mut per_category: BTreeMap<(String, &str), (usize, usize)> = BTreeMap::new();
    let mut throttled = 0;
    for r in &last_requests {
        *by_operation.entry(r.operation.clone()).or_insert(0) += 1;
        if r.faulted {
            throttled += 1;
        }
        if let Some((cat, quota)) = category(&r.operation) {
            per_category
                .entry((region_of(r), cat))
                .or_insert((0, quota))
                .0 += 1;
        }
    }
    // The slowest category, at its quota (a lower bound however the requests are ordered).
    let quota_bound = per_category
        .values()
        .map(|(count, quota)| Duration::from_secs_f64(*count as f64 / *quota as f64))
        .max()
        .unwrap_or_default();
    // Dependent round trips: the ListUserPools pages of the busiest region,
    // then every pool's reads at once, then per-resource describes.
    let pools_per_region = [2 * n, n];
    let pages = pools_per_region
        .iter()
        .map(|p| p.div_ceil(60).max(1))
        .max()
        .unwrap_or(1);
    let depth = pages
        + 1
        + usize::from(
            by_operation
                .keys()
                .any(|k| k.starts_with("Describe") && k != "DescribeUserPool"),
        );
    Row {
        n,
        apply,
        plan,
        requests: last_requests.len(),
        throttled,
        depth_bound: o.latency * depth as u32,
        quota_bound,
        peak_rss_kb,
        by_operation,
    }
}

/// `validate` of many realistic pool files (3 environments each): offline,
/// so it measures poolctl alone. Median of `runs`.
fn measure_validate(files: usize, runs: usize) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let specs: Vec<(String, String)> = (0..files)
        .map(|i| (format!("bench{i}.yaml"), spec(i)))
        .collect();
    let refs: Vec<(&str, &str)> = specs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_pools(dir.path(), &refs);
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let (out, elapsed) = run_measured(
                Poolctl::new(dir.path())
                    .arg("validate")
                    .env("BENCH_GOOGLE_SECRET", "bench-secret"),
            );
            out.assert_success();
            elapsed
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    // `cargo test --all-targets` runs this file too, without `--bench`: only
    // `cargo bench` (scripts/bench) should start the minutes-long measurement.
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/plan.rs: run it with scripts/bench (cargo bench --bench plan)");
        return;
    }
    let o = options();
    println!(
        "poolctl plan benchmark: no-change `plan --all-envs`, {} ms added per request, quotas {}, median of {} runs",
        o.latency.as_millis(),
        if o.quotas { "enforced" } else { "not enforced" },
        o.runs
    );
    println!();
    let validate = measure_validate(200, o.runs);
    println!(
        "validate of 200 pool files (600 pool environments): {:.3} s",
        validate.as_secs_f64()
    );
    println!();
    println!("| pools x envs | apply s | plan s | requests | throttled | depth bound s | quota bound s | plan / larger bound | peak RSS MiB |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut last = None;
    for &n in &o.sizes {
        let row = measure(n, &o);
        let bound = row.depth_bound.max(row.quota_bound);
        println!(
            "| {} x 3 | {:.2} | {:.2} | {} | {} | {:.2} | {:.2} | {:.2} | {} |",
            row.n,
            row.apply.as_secs_f64(),
            row.plan.as_secs_f64(),
            row.requests,
            row.throttled,
            row.depth_bound.as_secs_f64(),
            row.quota_bound.as_secs_f64(),
            row.plan.as_secs_f64() / bound.as_secs_f64(),
            row.peak_rss_kb
                .map(|k| format!("{:.1}", k as f64 / 1024.0))
                .unwrap_or_else(|| "-".into()),
        );
        last = Some(row);
    }
    if let Some(row) = last {
        println!();
        println!("requests by operation ({} x 3):", row.n);
        for (op, count) in &row.by_operation {
            println!("  {op:<28} {count}");
        }
    }
}
