//! The plan benchmark (`scripts/bench`, documented in docs/benchmark.md):
//! N pools x 3 environments of a realistic spec, applied into moto behind a
//! proxy that adds a real region's round trip to every request and enforces
//! Cognito's request-rate quotas; then a no-change `plan --all-envs`, timed,
//! with every request counted, set against two lower bounds: the round-trip
//! depth times the latency, and the busiest quota's requests over its rate.
//! Also: one pool in one environment; the same plans while a co-tenant
//! spends part of every quota; and one big pool (300 clients, 1,000 groups,
//! 50 identity providers), planned and then applied with one field changed
//! on every client.
//!
//!   cargo bench --bench plan -- [--sizes 1,10,50] [--latency-ms 40] [--no-quotas]
//!       [--runs 3] [--co-tenant 0.5] [--big | --only-big]

#[path = "../tests/integration/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use support::quota::{category, enforce_cognito_quotas, enforce_cognito_quotas_shared, region_of};
use support::*;

struct Options {
    sizes: Vec<usize>,
    latency: Duration,
    quotas: bool,
    runs: usize,
    /// Share of every category's quota a co-tenant spends (0: none).
    co_tenant: f64,
    /// Run the big-pool case (minutes).
    big: bool,
    /// Run only the big-pool case.
    only_big: bool,
}

fn options() -> Options {
    let mut o = Options {
        sizes: vec![1, 10, 50],
        latency: Duration::from_millis(40),
        quotas: true,
        runs: 3,
        co_tenant: 0.5,
        big: false,
        only_big: false,
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
            "--co-tenant" => {
                o.co_tenant = args[i + 1].parse().expect("--co-tenant SHARE (0 to 1)");
                i += 1;
            }
            "--big" => o.big = true,
            "--only-big" => {
                o.big = true;
                o.only_big = true;
            }
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
    let out = cmd.timeout(Duration::from_secs(1200)).run();
    (out, start.elapsed())
}

/// Runs poolctl with `args` under GNU time, which reports the peak RSS of
/// the child it waits for (`wait4`'s rusage): the wall time, the output,
/// and the peak in KiB. Each run starts on an idle account: the requests of
/// the run before have left every quota's one-second window.
fn timed(dir: &std::path::Path, endpoint: &str, args: &[&str]) -> (Output, Duration, Option<u64>) {
    std::thread::sleep(Duration::from_millis(1500));
    let report = dir.join("rss.txt");
    let _ = std::fs::remove_file(&report);
    let cmd = Poolctl::with_program("/usr/bin/time", dir)
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_poolctl"))
        .args(args)
        .endpoint(endpoint)
        .env("BENCH_GOOGLE_SECRET", "bench-secret");
    let (out, elapsed) = run_measured(cmd);
    let rss = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| t.trim().lines().last()?.parse().ok());
    (out, elapsed, rss)
}

/// The lower bound the quotas put on a set of requests: the busiest quota
/// (a category per region, or one operation on one pool) at its rate, the
/// categories at `1 - co_tenant` of theirs.
fn quota_bound(requests: &[RecordedRequest], co_tenant: f64) -> (Duration, String) {
    let mut counts: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for r in requests {
        let Some((cat, quota)) = category(&r.operation) else {
            continue;
        };
        let region = region_of(r);
        let left = quota as f64 * (1.0 - co_tenant);
        counts
            .entry(format!("{cat} in {region}"))
            .or_insert((0, left))
            .0 += 1;
        if !matches!(cat, "UserPoolRead" | "UserPoolUpdate") {
            if let Some(pool) = r.json().get("UserPoolId").and_then(|p| p.as_str()) {
                counts
                    .entry(format!("{} on {pool}", r.operation))
                    .or_insert((0, 5.0))
                    .0 += 1;
            }
        }
    }
    // n requests of which at most `rate` go out within any second span at
    // least floor((n - 1) / rate) seconds: a second's budget may go at once.
    counts
        .into_iter()
        .map(|(key, (count, rate))| {
            (
                Duration::from_secs_f64(((count - 1) as f64 / rate).floor()),
                format!("{count} {key} at {rate}/s"),
            )
        })
        .max_by_key(|(d, _)| *d)
        .unwrap_or_default()
}

/// Requests the proxy throttled (absorbed by pacing and retries), and
/// whether a throttling error reached the user.
fn throttling(requests: &[RecordedRequest], out: &Output) -> (usize, bool) {
    let absorbed = requests.iter().filter(|r| r.faulted).count();
    let surfaced = out.stderr.contains("TooManyRequests");
    (absorbed, surfaced)
}

struct Row {
    case: String,
    wall: Duration,
    requests: usize,
    throttled: usize,
    surfaced: bool,
    bound: Duration,
    bound_is: String,
    target: f64,
    peak_rss_kb: Option<u64>,
}

impl Row {
    fn print(&self) {
        let ratio = self.wall.as_secs_f64() / self.bound.as_secs_f64();
        println!(
            "| {} | {:.2} s | {} | {} | {} | {:.2} s ({}) | {:.2} | {} | {} |",
            self.case,
            self.wall.as_secs_f64(),
            self.requests,
            self.throttled,
            if self.surfaced { "YES" } else { "0" },
            self.bound.as_secs_f64(),
            self.bound_is,
            ratio,
            if self.target > 0.0 {
                format!(
                    "{} {:.2}",
                    if ratio <= self.target { "<=" } else { "MISSED" },
                    self.target
                )
            } else {
                "-".to_string()
            },
            self.peak_rss_kb
                .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
                .unwrap_or_else(|| "-".into()),
        );
    }
}

/// A no-change plan, `runs` times; the median row.
#[allow(clippy::too_many_arguments)]
fn plan_row(
    case: String,
    dir: &std::path::Path,
    proxy: &Proxy,
    args: &[&str],
    runs: usize,
    co_tenant: f64,
    depth: Duration,
    target: f64,
) -> (Row, BTreeMap<String, usize>) {
    let mut rows = Vec::new();
    let mut by_operation = BTreeMap::new();
    for _ in 0..runs.max(1) {
        std::thread::sleep(Duration::from_millis(1500));
        proxy.clear();
        let (out, wall, rss) = timed(dir, &proxy.endpoint(), args);
        assert_eq!(
            out.status,
            0,
            "the re-plan must find no changes:\n{}",
            out.dump()
        );
        let requests = proxy.requests();
        let (throttled, surfaced) = throttling(&requests, &out);
        let (quota, bound_is) = quota_bound(&requests, co_tenant);
        let (bound, bound_is) = if depth > quota {
            (depth, "round trips".to_string())
        } else {
            (quota, bound_is)
        };
        by_operation = BTreeMap::new();
        for r in &requests {
            *by_operation.entry(r.operation.clone()).or_insert(0) += 1;
        }
        rows.push(Row {
            case: case.clone(),
            wall,
            requests: requests.len(),
            throttled,
            surfaced,
            bound,
            bound_is,
            target,
            peak_rss_kb: rss,
        });
    }
    rows.sort_by_key(|r| r.wall);
    let median = rows.swap_remove(rows.len() / 2);
    (median, by_operation)
}

/// Dependent round trips of a no-change plan: the ListUserPools pages of
/// the busiest region, then every pool's reads at once, then per-resource
/// describes.
fn depth_bound(pools_in_busiest_region: usize, latency: Duration) -> Duration {
    let pages = pools_in_busiest_region.div_ceil(60).max(1);
    latency * (pages + 2) as u32
}

/// N pools x 3 environments: the no-change plan alone, then while a
/// co-tenant spends part of every quota; for N = 1 also the most common
/// run, one pool in one environment.
fn measure(n: usize, o: &Options) -> (Vec<Row>, BTreeMap<String, usize>) {
    let moto = Moto::start();
    let proxy = Proxy::start_with_latency(&moto.endpoint(), o.latency);
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, String)> = (0..n)
        .map(|i| (format!("bench{i}.yaml"), spec(i)))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_pools(dir.path(), &refs);
    // Made straight in moto: setting up is not what is measured.
    Poolctl::new(dir.path())
        .endpoint(&moto.endpoint())
        .env("BENCH_GOOGLE_SECRET", "bench-secret")
        .timeout(Duration::from_secs(1200))
        // moto answers slowly when the machine is busy: patience, few at once.
        .args([
            "apply",
            "--all-envs",
            "--auto-approve",
            "--request-timeout",
            "300s",
            "--max-concurrency",
            "4",
        ])
        .run()
        .assert_success();
    if o.quotas {
        proxy.set_fault_rule(enforce_cognito_quotas());
    }
    let mut rows = Vec::new();
    if n == 1 {
        let (row, _) = plan_row(
            "1 pool (5 clients) x 1 env".into(),
            dir.path(),
            &proxy,
            &["plan", "--env", "dev", "--detailed-exitcode"],
            o.runs,
            0.0,
            depth_bound(1, o.latency),
            // The target: 0.25 s wall over 0.12 s of round trips.
            0.25 / depth_bound(1, o.latency).as_secs_f64(),
        );
        rows.push(row);
    }
    let all = ["plan", "--all-envs", "--detailed-exitcode"];
    let (row, by_operation) = plan_row(
        format!("{n} x 3"),
        dir.path(),
        &proxy,
        &all,
        o.runs,
        0.0,
        depth_bound(2 * n, o.latency),
        if n >= 10 { 1.2 } else { 0.0 },
    );
    rows.push(row);
    if o.quotas && o.co_tenant > 0.0 {
        proxy.set_fault_rule(enforce_cognito_quotas_shared(o.co_tenant));
        let (row, _) = plan_row(
            format!("{n} x 3, co-tenant spends {:.0}%", o.co_tenant * 100.0),
            dir.path(),
            &proxy,
            &all,
            o.runs,
            o.co_tenant,
            depth_bound(2 * n, o.latency),
            1.5,
        );
        rows.push(row);
    }
    (rows, by_operation)
}

const BIG_CLIENTS: usize = 300;
const BIG_GROUPS: usize = 1000;
const BIG_PROVIDERS: usize = 50;

/// One big pool: 300 app clients, 1,000 groups, 50 SAML identity providers;
/// `changed` sets one more field on every client.
fn big_spec(changed: bool) -> String {
    let mut spec =
        String::from("name: big-${env}\nenvironments:\n  dev: { region: us-east-1 }\nclients:\n");
    for c in 0..BIG_CLIENTS {
        spec.push_str(&format!(
            "  c{c:03}: {{ explicit_auth_flows: [user_srp, refresh_token]"
        ));
        if changed {
            spec.push_str(", id_token_validity: 30m");
        }
        spec.push_str(" }\n");
    }
    spec.push_str("groups:\n");
    for g in 0..BIG_GROUPS {
        spec.push_str(&format!("  g{g:04}: {{ precedence: {g} }}\n"));
    }
    spec.push_str("identity_providers:\n");
    for p in 0..BIG_PROVIDERS {
        spec.push_str(&format!(
            "  p{p:02}: {{ type: saml, metadata_url: 'https://login.example.com/{p}/metadata.xml' }}\n"
        ));
    }
    spec
}

/// The big pool, made in moto directly (through poolctl, Cognito's 5
/// writes a second per pool would make setting up take minutes): an
/// empty pool by poolctl, its resources by the SDK, then poolctl's apply
/// to settle whatever the SDK made differently.
fn set_up_big(dir: &std::path::Path, moto: &Moto) {
    use aws_sdk_cognitoidentityprovider::types::{ExplicitAuthFlowsType, IdentityProviderTypeType};
    use futures::stream::{self, StreamExt};
    write_pools(
        dir,
        &[(
            "big.yaml",
            "name: big-${env}\nenvironments:\n  dev: { region: us-east-1 }\n",
        )],
    );
    let poolctl = || {
        Poolctl::new(dir)
            .endpoint(&moto.endpoint())
            .timeout(Duration::from_secs(1200))
    };
    poolctl()
        .args([
            "apply",
            "--env",
            "dev",
            "--auto-approve",
            "--request-timeout",
            "300s",
            "--max-concurrency",
            "4",
        ])
        .run()
        .assert_success();
    let client = cognito_client(&moto.endpoint(), "us-east-1");
    let pools = block_on(client.list_user_pools().max_results(60).send()).unwrap();
    let pool = pools.user_pools()[0].id().unwrap().to_string();
    let (client, pool) = (&client, pool.as_str());
    block_on(async {
        stream::iter(0..BIG_CLIENTS)
            .map(|c| async move {
                client
                    .create_user_pool_client()
                    .user_pool_id(pool)
                    .client_name(format!("c{c:03}"))
                    .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
                    .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
                    .send()
                    .await
                    .unwrap();
            })
            .buffer_unordered(8)
            .collect::<Vec<()>>()
            .await;
        stream::iter(0..BIG_GROUPS)
            .map(|g| async move {
                client
                    .create_group()
                    .user_pool_id(pool)
                    .group_name(format!("g{g:04}"))
                    .precedence(g as i32)
                    .send()
                    .await
                    .unwrap();
            })
            .buffer_unordered(8)
            .collect::<Vec<()>>()
            .await;
        stream::iter(0..BIG_PROVIDERS)
            .map(|p| async move {
                client
                    .create_identity_provider()
                    .user_pool_id(pool)
                    .provider_name(format!("p{p:02}"))
                    .provider_type(IdentityProviderTypeType::Saml)
                    .provider_details(
                        "MetadataURL",
                        format!("https://login.example.com/{p}/metadata.xml"),
                    )
                    .send()
                    .await
                    .unwrap();
            })
            .buffer_unordered(8)
            .collect::<Vec<()>>()
            .await;
    });
    write_pools(dir, &[("big.yaml", &big_spec(false))]);
    poolctl()
        .args([
            "apply",
            "--env",
            "dev",
            "--auto-approve",
            "--request-timeout",
            "300s",
            "--max-concurrency",
            "4",
        ])
        .run()
        .assert_success();
}

/// Prints its rows as it goes.
fn measure_big(o: &Options) {
    let moto = Moto::start();
    let proxy = Proxy::start_with_latency(&moto.endpoint(), o.latency);
    let dir = tempfile::tempdir().unwrap();
    set_up_big(dir.path(), &moto);
    if o.quotas {
        proxy.set_fault_rule(enforce_cognito_quotas());
    }
    let case =
        format!("1 pool: {BIG_CLIENTS} clients, {BIG_GROUPS} groups, {BIG_PROVIDERS} providers");

    // The no-change plan, once: it takes over a minute, and says why.
    std::thread::sleep(Duration::from_millis(1500));
    proxy.clear();
    let (out, wall, rss) = timed(
        dir.path(),
        &proxy.endpoint(),
        &["plan", "--env", "dev", "--detailed-exitcode"],
    );
    assert_eq!(
        out.status,
        0,
        "the re-plan must find no changes:\n{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("300 app clients to read") && out.stderr.contains("at least 60 s"),
        "the plan does not say why it is slow:\n{}",
        out.dump()
    );
    println!(
        "(the big plan's progress: {})",
        out.stderr
            .lines()
            .find(|l| l.contains("app clients"))
            .unwrap_or("")
    );
    let reads = proxy.requests();
    let (read_bound, read_is) = quota_bound(&reads, 0.0);
    let (throttled, surfaced) = throttling(&reads, &out);
    let plan = Row {
        case: format!("{case}: no-change plan"),
        wall,
        requests: reads.len(),
        throttled,
        surfaced,
        bound: read_bound,
        bound_is: read_is,
        target: 1.2,
        peak_rss_kb: rss,
    };
    // Printed now: the apply below takes minutes more.
    plan.print();

    // One field changed on every client.
    write_pools(dir.path(), &[("big.yaml", &big_spec(true))]);
    std::thread::sleep(Duration::from_millis(1500));
    proxy.clear();
    let (out, wall, rss) = timed(
        dir.path(),
        &proxy.endpoint(),
        &["apply", "--env", "dev", "--auto-approve"],
    );
    out.assert_success();
    let requests = proxy.requests();
    let updates: Vec<RecordedRequest> = requests
        .iter()
        // Throttled attempts, retried, are recorded too.
        .filter(|r| r.operation == "UpdateUserPoolClient" && !r.faulted)
        .cloned()
        .collect();
    assert_eq!(updates.len(), BIG_CLIENTS, "one update per client");
    // Every client is read before any is written (the plan), then written
    // at 5 a second: the two bounds add up.
    let (write_bound, _) = quota_bound(&updates, 0.0);
    let (all_bound, all_is) = quota_bound(&requests, 0.0);
    let (bound, bound_is) = if read_bound + write_bound > all_bound {
        (
            read_bound + write_bound,
            format!(
                "plan's reads {:.0} s + {} UpdateUserPoolClient at 5/s",
                read_bound.as_secs_f64(),
                updates.len()
            ),
        )
    } else {
        (all_bound, all_is)
    };
    let (throttled, surfaced) = throttling(&requests, &out);
    let apply = Row {
        case: format!("{case}: apply, 1 field on every client"),
        wall,
        requests: requests.len(),
        throttled,
        surfaced,
        bound,
        bound_is,
        target: 1.2,
        peak_rss_kb: rss,
    };
    apply.print();
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
        "poolctl plan benchmark: {} ms added per request, quotas {}, median of {} runs (the big pool: one run)",
        o.latency.as_millis(),
        if o.quotas { "enforced" } else { "not enforced" },
        o.runs
    );
    println!();
    if !o.only_big {
        let validate = measure_validate(200, o.runs);
        println!(
            "validate of 200 pool files (600 pool environments): {:.3} s",
            validate.as_secs_f64()
        );
        println!();
    }
    println!("| case | wall | requests | throttled (absorbed) | throttle errors surfaced | lower bound | wall / bound | target | peak RSS |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut last = None;
    if !o.only_big {
        for &n in &o.sizes {
            let (rows, by_operation) = measure(n, &o);
            rows.iter().for_each(Row::print);
            last = Some((n, by_operation));
        }
    }
    if o.big {
        measure_big(&o);
    }
    if let Some((n, by_operation)) = last {
        println!();
        println!("requests by operation ({n} x 3, no-change plan):");
        for (op, count) in &by_operation {
            println!("  {op:<28} {count}");
        }
    }
}
