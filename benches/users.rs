//! The users export benchmark (`scripts/bench-users`): a pool of N users
//! (every fifth in one group, every seventh in another) in moto, behind a
//! proxy that adds a region's round trip to each request and enforces
//! Cognito's quotas; then `users export`, timed, set against its two lower
//! bounds: the `ListUsers` pages at the UserList quota (30 a second; the
//! memberships' `ListUsersInGroup` pages share it) and the pages' round
//! trips one after another (a page's token comes from the one before), plus
//! moto's own time for the walk (it scans the whole pool for each page;
//! measured with a plain SDK walk first).
//!
//!   cargo bench --bench users -- [--users 5000,20000] [--latency-ms 0,40]

#[path = "../tests/integration/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};
use support::quota::enforce_cognito_quotas;
use support::*;

const SPEC: &str = "name: bench-users-${env}\nenvironments: { dev: { region: us-east-1 } }\nschema:\n  custom:tier: { type: string, mutable: true }\ngroups:\n  admins: {}\n  support: {}\n";

fn list(args: &[String], flag: &str, default: &[u64]) -> Vec<u64> {
    args.iter()
        .position(|a| a == flag)
        .map(|i| {
            args[i + 1]
                .split(',')
                .map(|n| n.parse().expect("a comma-separated list of numbers"))
                .collect()
        })
        .unwrap_or_else(|| default.to_vec())
}

/// `count` users straight into moto (not through the proxy), 16 at a time.
fn seed(moto: &Moto, pool: &str, count: usize) {
    use futures::StreamExt;
    let client = cognito_client(&moto.endpoint(), TEST_REGION);
    block_on(async {
        futures::stream::iter(0..count)
            .map(|i| {
                let client = client.clone();
                async move {
                    let name = format!("user-{i:07}");
                    let attr = |n: &str, v: String| {
                        aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                            .name(n)
                            .value(v)
                            .build()
                            .unwrap()
                    };
                    client
                        .admin_create_user()
                        .user_pool_id(pool)
                        .username(&name)
                        .message_action("SUPPRESS".into())
                        .user_attributes(attr("email", format!("{name}@example.com")))
                        .user_attributes(attr("custom:tier", format!("t{}", i % 4)))
                        .send()
                        .await
                        .unwrap();
                    for (every, group) in [(5, "admins"), (7, "support")] {
                        if i % every == 0 {
                            client
                                .admin_add_user_to_group()
                                .user_pool_id(pool)
                                .username(&name)
                                .group_name(group)
                                .send()
                                .await
                                .unwrap();
                        }
                    }
                }
            })
            .buffer_unordered(16)
            .collect::<Vec<()>>()
            .await
    });
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/users.rs: run it with scripts/bench-users (cargo bench --bench users)");
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    let sizes = list(&args, "--users", &[5000]);
    let latencies = list(&args, "--latency-ms", &[0, 40]);
    println!("poolctl users export benchmark: quotas enforced (UserList 30/s)");
    println!();
    println!("| users | latency ms | export s | users/s | ListUsers | ListUsersInGroup | throttled | quota bound s | chain bound s (round trips + moto's walk) | export / larger bound |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for &users in &sizes {
        let moto = Moto::start();
        let dir = tempfile::tempdir().unwrap();
        write_pools(dir.path(), &[("bench.yaml", SPEC)]);
        Poolctl::new(dir.path())
            .endpoint(&moto.endpoint())
            .args(["apply", "--env", "dev", "--auto-approve"])
            .run()
            .assert_success();
        let client = cognito_client(&moto.endpoint(), TEST_REGION);
        let pools = block_on(client.list_user_pools().max_results(60).send()).unwrap();
        let pool = pools.user_pools()[0].id().unwrap().to_string();
        seed(&moto, &pool, users as usize);
        // moto's own cost of the walk (it scans the pool for every page),
        // which no client can go below: one plain SDK walk, timed.
        let start = Instant::now();
        let mut token: Option<String> = None;
        loop {
            let page = block_on(
                client
                    .list_users()
                    .user_pool_id(&pool)
                    .limit(60)
                    .set_pagination_token(token.clone())
                    .send(),
            )
            .unwrap();
            token = page.pagination_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        let moto_walk = start.elapsed();
        for &latency in &latencies {
            let latency = Duration::from_millis(latency);
            let proxy = Proxy::start_faithful_with_latency(&moto.endpoint(), latency);
            proxy.set_fault_rule(enforce_cognito_quotas());
            let out_dir = dir.path().join(format!("export-{}", latency.as_millis()));
            let start = Instant::now();
            Poolctl::new(dir.path())
                .endpoint(&proxy.endpoint())
                .args(["users", "export", "--env", "dev", "--out"])
                .arg(&out_dir)
                .timeout(Duration::from_secs(3600))
                .run()
                .assert_success();
            let elapsed = start.elapsed();
            let pages = proxy.requests_for("ListUsers").len();
            let in_group = proxy.requests_for("ListUsersInGroup").len();
            let throttled = proxy.requests().iter().filter(|r| r.faulted).count();
            let quota_bound = Duration::from_secs_f64((pages + in_group) as f64 / 30.0);
            let trip_bound = latency * pages as u32 + moto_walk;
            let bound = quota_bound.max(trip_bound);
            println!(
                "| {users} | {} | {:.2} | {:.0} | {pages} | {in_group} | {throttled} | {:.2} | {:.2} | {:.2} |",
                latency.as_millis(),
                elapsed.as_secs_f64(),
                users as f64 / elapsed.as_secs_f64(),
                quota_bound.as_secs_f64(),
                trip_bound.as_secs_f64(),
                elapsed.as_secs_f64() / bound.as_secs_f64(),
            );
        }
    }
}
