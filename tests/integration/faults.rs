//! Faults in the middle of an apply, and the safety rails around apply.
//!
//! The recording proxy in front of moto injects what AWS and the network do
//! to a long apply: bursts of throttling, server errors, dropped connections,
//! answers that are slow, lost or never come. Whatever happens, an apply
//! either completes or stops saying what it did and what it did not; a
//! re-run converges; and every write poolctl sent is to something its plan
//! listed (deletes only where the plan deleted), checked from the requests the
//! proxy recorded, while resources outside the spec and other pools stay.
//!
//! Also: protected environments ask for their name on a real terminal (a pty
//! made by util-linux `script`, which every Debian has), and deletion
//! protection is never turned off unless the spec says so.

use crate::support::{self, *};
use aws_sdk_cognitoidentityprovider::types as sdk;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SECRET_VAR: &str = "FLT_GOOGLE_SECRET";

/// A pool with one of every kind inside it: identity provider (secret from
/// the environment), resource server, groups, domain, clients that name them.
const SPEC: &str = r#"name: flt-${env}
environments:
  dev: { region: us-east-1 }
password_policy: { minimum_length: 12 }
identity_providers:
  Google:
    type: google
    client_id: 1234567890-abc.apps.googleusercontent.com
    client_secret: ${env:FLT_GOOGLE_SECRET}
    authorize_scopes: [openid, email, profile]
    attribute_mapping: { email: email, name: name }
resource_servers:
  shop-api:
    name: Shop API
    scopes: { orders.read: Read orders, orders.write: Place orders }
groups:
  admins: { description: Administrators, precedence: 1 }
  support: { precedence: 10 }
domain: flt-${env}
clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
    allowed_oauth_flows: [code]
    allowed_oauth_scopes: [openid, email, shop-api/orders.read]
    callback_urls: [https://shop.example.com/callback]
    supported_identity_providers: [COGNITO, Google]
  mobile:
    explicit_auth_flows: [user_srp, refresh_token]
    refresh_token_validity: 90d
"#;

/// `SPEC` changed throughout: every kind but the domain has an update,
/// groups and clients a create, and the group `support` leaves the spec
/// (unmanaged: never deleted without --prune).
fn updated_spec() -> String {
    SPEC.replace("minimum_length: 12", "minimum_length: 14")
        .replace(
            "attribute_mapping: { email: email, name: name }",
            "attribute_mapping: { email: email, name: name, picture: picture }",
        )
        .replace(
            "orders.write: Place orders }",
            "orders.write: Place orders, refunds: Issue refunds }",
        )
        .replace(
            "  admins: { description: Administrators, precedence: 1 }\n  support: { precedence: 10 }\n",
            "  admins: { description: Administrators, precedence: 2 }\n  auditors: { precedence: 20 }\n",
        )
        .replace(
            "callback_urls: [https://shop.example.com/callback]",
            "callback_urls: [https://shop.example.com/callback, https://shop.example.com/cb2]",
        )
        + "  console:\n    explicit_auth_flows: [user_srp, refresh_token]\n    access_token_validity: 30m\n"
}

const INTERNAL_ERROR: &str =
    r#"{"__type":"InternalErrorException","message":"Internal server error"}"#;

fn poolctl(stack: &Stack) -> Poolctl {
    stack.poolctl().env(SECRET_VAR, "google-secret-1")
}

fn apply(stack: &Stack, extra: &[&str]) -> Output {
    let mut args = vec!["apply", "--env", "dev", "--auto-approve"];
    args.extend(extra);
    poolctl(stack).args(args).run()
}

/// address -> action of the plan apply would carry out now.
fn planned(stack: &Stack, extra: &[&str]) -> BTreeMap<String, String> {
    let mut args = vec!["plan", "--env", "dev", "--json"];
    args.extend(extra);
    let out = poolctl(stack).args(args).run();
    out.assert_success();
    let plan: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("plan --json is not JSON ({e}):\n{}", out.dump()));
    plan["pools"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["address"].as_str().unwrap().to_string(),
                c["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// No faults: apply completes and the plan after it is empty.
#[track_caller]
fn assert_converges(stack: &Stack) {
    apply(stack, &[]).assert_success();
    assert_no_changes(stack);
}

#[track_caller]
fn assert_no_changes(stack: &Stack) {
    let out = poolctl(stack)
        .args(["plan", "--env", "dev", "--detailed-exitcode"])
        .run();
    out.assert_exit(0);
}

fn pool_ids(stack: &Stack, name: &str) -> Vec<String> {
    let pools = block_on(stack.cognito().list_user_pools().max_results(60).send()).unwrap();
    pools
        .user_pools()
        .iter()
        .filter(|p| p.name() == Some(name))
        .filter_map(|p| p.id().map(str::to_string))
        .collect()
}

fn pool_id(stack: &Stack, name: &str) -> String {
    let ids = pool_ids(stack, name);
    assert_eq!(ids.len(), 1, "pools named {name}: {ids:?}");
    ids[0].clone()
}

/// Client id -> name, straight from moto.
fn client_names(stack: &Stack, pool: &str) -> BTreeMap<String, String> {
    let out = block_on(
        stack
            .cognito()
            .list_user_pool_clients()
            .user_pool_id(pool)
            .max_results(60)
            .send(),
    )
    .unwrap();
    out.user_pool_clients()
        .iter()
        .map(|c| {
            (
                c.client_id().unwrap().to_string(),
                c.client_name().unwrap().to_string(),
            )
        })
        .collect()
}

fn group_names(stack: &Stack, pool: &str) -> BTreeSet<String> {
    let out = block_on(stack.cognito().list_groups().user_pool_id(pool).send()).unwrap();
    out.groups()
        .iter()
        .filter_map(|g| g.group_name().map(str::to_string))
        .collect()
}

/// What exists outside the spec: another pool in the account, and a group
/// and a client made by hand in the spec's pool (once it exists).
struct Bystanders {
    other_pool: String,
    in_pool: Option<String>,
}

impl Bystanders {
    fn create(stack: &Stack) -> Bystanders {
        let other = block_on(
            stack
                .cognito()
                .create_user_pool()
                .pool_name("other-dev")
                .send(),
        )
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
        block_on(
            stack
                .cognito()
                .create_group()
                .user_pool_id(&other)
                .group_name("admins")
                .send(),
        )
        .unwrap();
        Bystanders {
            other_pool: other,
            in_pool: None,
        }
    }

    fn add_to(&mut self, stack: &Stack, pool: &str) {
        let cognito = stack.cognito();
        block_on(
            cognito
                .create_group()
                .user_pool_id(pool)
                .group_name("by-hand")
                .send(),
        )
        .unwrap();
        block_on(
            cognito
                .create_user_pool_client()
                .user_pool_id(pool)
                .client_name("by-hand")
                .send(),
        )
        .unwrap();
        self.in_pool = Some(pool.to_string());
    }

    #[track_caller]
    fn assert_intact(&self, stack: &Stack) {
        assert_eq!(pool_ids(stack, "other-dev"), vec![self.other_pool.clone()]);
        assert_eq!(
            group_names(stack, &self.other_pool),
            BTreeSet::from(["admins".to_string()])
        );
        if let Some(pool) = &self.in_pool {
            assert!(
                group_names(stack, pool).contains("by-hand"),
                "the group made by hand is gone"
            );
            assert!(
                client_names(stack, pool).values().any(|n| n == "by-hand"),
                "the client made by hand is gone"
            );
        }
    }
}

/// The plan address a write request is for. Panics on a write poolctl has
/// no business sending for this spec.
fn address_of(request: &RecordedRequest, clients: &BTreeMap<String, String>) -> String {
    let body = request.json();
    let field = |name: &str| {
        body[name]
            .as_str()
            .unwrap_or_else(|| panic!("{} without {name}: {body}", request.operation))
            .to_string()
    };
    match request.operation.as_str() {
        "CreateUserPool" | "UpdateUserPool" | "SetUserPoolMfaConfig" | "AddCustomAttributes" => {
            "user_pool".to_string()
        }
        "CreateGroup" | "UpdateGroup" | "DeleteGroup" => format!("group.{}", field("GroupName")),
        "CreateUserPoolClient" | "UpdateUserPoolClient" => {
            format!("client.{}", field("ClientName"))
        }
        "DeleteUserPoolClient" => {
            let id = field("ClientId");
            let name = clients
                .get(&id)
                .unwrap_or_else(|| panic!("DeleteUserPoolClient of unknown client {id}"));
            format!("client.{name}")
        }
        "CreateIdentityProvider" | "UpdateIdentityProvider" | "DeleteIdentityProvider" => {
            format!("identity_provider.{}", field("ProviderName"))
        }
        "CreateResourceServer" | "UpdateResourceServer" | "DeleteResourceServer" => {
            format!("resource_server.{}", field("Identifier"))
        }
        "CreateUserPoolDomain" | "UpdateUserPoolDomain" | "DeleteUserPoolDomain" => {
            "domain".to_string()
        }
        other => panic!("poolctl sent {other}, which no plan of this spec calls for: {body}"),
    }
}

/// Every write poolctl sent targets the spec's pool and an address the plan
/// listed; a Delete* only where the plan deletes or replaces.
#[track_caller]
fn assert_writes_within_plan(
    stack: &Stack,
    plan: &BTreeMap<String, String>,
    clients: &BTreeMap<String, String>,
    bystanders: &Bystanders,
) {
    for write in stack.writes() {
        let address = address_of(&write, clients);
        let action = plan.get(&address).unwrap_or_else(|| {
            panic!(
                "request #{} {} is for {address}, which the plan does not list: {plan:?}",
                write.index, write.operation
            )
        });
        assert!(
            !matches!(action.as_str(), "unmanaged" | "blocked"),
            "request #{} {} touches {address}, which the plan only reports ({action})",
            write.index,
            write.operation
        );
        if write.operation.starts_with("Delete") {
            assert!(
                matches!(action.as_str(), "delete" | "replace"),
                "request #{} {} deletes {address}, which the plan does not delete ({action})",
                write.index,
                write.operation
            );
        }
        assert_ne!(
            write.json()["UserPoolId"].as_str(),
            Some(bystanders.other_pool.as_str()),
            "request #{} {} writes to a pool outside the spec",
            write.index,
            write.operation
        );
    }
}

/// The steps of the `label:` line of an apply report (`done: a; b`).
fn report_line(stderr: &str, label: &str) -> Option<Vec<String>> {
    let prefix = format!("  {label}: ");
    let line = stderr.lines().find(|l| l.starts_with(&prefix))?;
    let items = &line[prefix.len()..];
    Some(if items == "nothing" {
        Vec::new()
    } else {
        items.split("; ").map(str::to_string).collect()
    })
}

/// The address of a step as apply reports it ("create group.admins"), or
/// for a step of the pool itself the operation it names ("create user pool
/// flt-dev (CreateUserPool)").
enum StepTarget {
    Address(String),
    Operation(String),
}

fn step_target(step: &str) -> StepTarget {
    if let Some(op) = step
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once('('))
        .map(|(_, op)| op)
    {
        return StepTarget::Operation(op.to_string());
    }
    let (_, address) = step
        .split_once(' ')
        .unwrap_or_else(|| panic!("not a step: {step}"));
    StepTarget::Address(address.to_string())
}

/// An apply that completed, or stopped saying what was done and what was
/// not, and whose report agrees with the requests the proxy saw: every step
/// reported done was answered with success, nothing was sent for a step
/// reported not done. Returns whether it stopped.
#[track_caller]
fn assert_completed_or_stopped_cleanly(
    stack: &Stack,
    out: &Output,
    clients: &BTreeMap<String, String>,
) -> bool {
    if out.status == 0 {
        assert!(out.stdout.contains("Apply complete"), "{}", out.dump());
        return false;
    }
    out.assert_exit(1);
    let writes = stack.writes();
    let Some(not_done) = report_line(&out.stderr, "not done") else {
        // It stopped before applying anything: the live read failed.
        assert!(
            out.stderr.contains("pool `flt` (dev)"),
            "an error that does not name the pool and environment:\n{}",
            out.dump()
        );
        assert!(writes.is_empty(), "a failed read, yet writes: {writes:?}");
        return true;
    };
    assert!(
        out.stderr.contains("apply of pool `flt` (dev) stopped"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("run `poolctl apply` again to finish"),
        "{}",
        out.dump()
    );
    let done = report_line(&out.stderr, "done").expect("a done line");
    let interrupted = out.stderr.contains("interrupted");
    assert!(
        interrupted || out.stderr.contains("  failed: "),
        "a stop that names no failure:\n{}",
        out.dump()
    );
    for step in &done {
        let answered = |r: &RecordedRequest| r.status.is_some_and(|s| s < 300);
        let ok = match step_target(step) {
            StepTarget::Operation(op) => stack.proxy.requests_for(&op).iter().any(answered),
            StepTarget::Address(address) => writes
                .iter()
                .any(|w| address_of(w, clients) == address && answered(w)),
        };
        assert!(
            ok,
            "`{step}` is reported done, but no request for it succeeded\n{}",
            out.dump()
        );
    }
    for step in &not_done {
        let sent: Vec<&RecordedRequest> = match step_target(step) {
            StepTarget::Operation(op) => writes.iter().filter(|w| w.operation == op).collect(),
            StepTarget::Address(address) => writes
                .iter()
                .filter(|w| address_of(w, clients) == address)
                .collect(),
        };
        assert!(
            sent.is_empty(),
            "`{step}` is reported not done, but was sent: {:?}\n{}",
            sent.iter().map(|r| &r.operation).collect::<Vec<_>>(),
            out.dump()
        );
    }
    true
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Completes,
    Stops,
}

/// What a faulty apply printed, and the requests it sent.
struct Faulted {
    out: Output,
    requests: Vec<RecordedRequest>,
}

/// One experiment: the pool named `prefix-dev` (`flt-dev` in `SPEC`),
/// from nothing or from `SPEC` already applied, with bystanders made by
/// hand in it, is applied `spec` under `rule`.
struct Case<'a> {
    prefix: &'a str,
    spec: &'a str,
    over_existing: bool,
    rule: FaultRule,
    extra: &'a [&'a str],
    /// None: either is fine.
    expect: Option<Expect>,
    /// The plan apply will carry out, when known already (addresses do
    /// not name the pool); else it is planned first.
    plan: Option<&'a BTreeMap<String, String>>,
}

/// `spec` for the pool `prefix-dev` (and its domain) instead of `flt-dev`.
fn renamed(spec: &str, prefix: &str) -> String {
    spec.replace("flt-${env}", &format!("{prefix}-${{env}}"))
}

/// Runs a case on `stack`: checks the outcome, the report and the writes,
/// then clears the fault and checks a re-run converges, with one pool of
/// the name, no two clients of one name, and the bystanders intact.
fn run_case(stack: &Stack, bystanders: &mut Bystanders, case: Case<'_>) -> Faulted {
    let pool_name = format!("{}-dev", case.prefix);
    let mut clients = BTreeMap::new();
    bystanders.in_pool = None;
    stack.proxy.clear_fault_rule();
    if case.over_existing {
        stack.spec("flt.yaml", &renamed(SPEC, case.prefix));
        apply(stack, &[]).assert_success();
        let pool = pool_id(stack, &pool_name);
        bystanders.add_to(stack, &pool);
        clients = client_names(stack, &pool);
    }
    stack.spec("flt.yaml", &renamed(case.spec, case.prefix));
    let prune = case.extra.contains(&"--prune");
    let plan = match case.plan {
        Some(plan) => plan.clone(),
        None => planned(stack, if prune { &["--prune"] } else { &[] }),
    };
    if prune {
        // Pruning deletes the client made by hand: it cannot be checked for.
        bystanders.in_pool = None;
    }

    stack.proxy.clear();
    stack.proxy.set_fault_rule(case.rule);
    let out = apply(stack, case.extra);
    stack.proxy.clear_fault_rule();
    let requests = stack.proxy.requests();
    let stopped = assert_completed_or_stopped_cleanly(stack, &out, &clients);
    if let Some(expect) = case.expect {
        assert_eq!(
            stopped,
            expect == Expect::Stops,
            "expected the apply to {expect:?}\n{}",
            out.dump()
        );
    }
    assert_writes_within_plan(stack, &plan, &clients, bystanders);
    bystanders.assert_intact(stack);
    assert!(
        requests.iter().any(|r| r.faulted),
        "the fault was never injected"
    );

    if stopped {
        assert_converges(stack);
    } else {
        assert_no_changes(stack);
    }
    assert_eq!(pool_ids(stack, &pool_name).len(), 1, "one pool, not two");
    let names: Vec<String> = client_names(stack, &pool_id(stack, &pool_name))
        .into_values()
        .collect();
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(names.len(), unique.len(), "clients share a name: {names:?}");
    bystanders.assert_intact(stack);
    Faulted { out, requests }
}

/// A case on a stack of its own.
fn apply_under_fault(
    spec: &str,
    over_existing: bool,
    rule: FaultRule,
    extra: &[&str],
    expect: Expect,
) -> Faulted {
    let stack = Stack::new();
    let mut bystanders = Bystanders::create(&stack);
    run_case(
        &stack,
        &mut bystanders,
        Case {
            prefix: "flt",
            spec,
            over_existing,
            rule,
            extra,
            expect: Some(expect),
            plan: None,
        },
    )
}

/// The answers (None: no answer) to every attempt of `operation`, in order.
fn attempts(requests: &[RecordedRequest], operation: &str) -> Vec<Option<u16>> {
    requests
        .iter()
        .filter(|r| r.operation == operation)
        .map(|r| r.status)
        .collect()
}

/// A rule that injects `fault` into the `count` requests from index `from` on.
fn burst(from: usize, count: usize, fault: Fault) -> FaultRule {
    Arc::new(move |_, index| (from..from + count).contains(&index).then(|| fault.clone()))
}

#[test]
fn a_throttling_burst_longer_than_the_retries_stops_apply_and_a_rerun_converges() {
    // From nothing: request 0 is ListUserPools, 1 DescribeUserPoolDomain
    // (is the declared prefix another pool's?), 2 CreateUserPool, then the
    // five resources the clients name, at once. Fifteen throttled answers in
    // a row outlast the SDK's three attempts of each.
    let Faulted { out, .. } = apply_under_fault(
        SPEC,
        false,
        burst(3, 15, Fault::Throttle),
        &[],
        Expect::Stops,
    );
    assert!(
        out.stderr.contains("TooManyRequestsException"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("done: create user pool flt-dev"),
        "{}",
        out.dump()
    );
    // The clients come after what they name; they were never started.
    let not_done = report_line(&out.stderr, "not done").unwrap();
    assert!(
        not_done.contains(&"create client.web".to_string()),
        "{}",
        out.dump()
    );
}

#[test]
fn a_short_throttling_burst_is_absorbed_by_pacing_and_retries() {
    // Cognito's quotas are enforced throughout (poolctl's pacing keeps
    // within them), and the first attempts of the five resources created
    // at once after the pool are all throttled, as when another tool spends
    // the account's quota: the retries absorb it.
    let quotas = support::quota::enforce_cognito_quotas();
    let seen = std::sync::Mutex::new(BTreeSet::<String>::new());
    let rule: FaultRule = Arc::new(move |req, index| {
        let resource = matches!(
            req.operation.as_str(),
            "CreateGroup"
                | "CreateResourceServer"
                | "CreateUserPoolDomain"
                | "CreateIdentityProvider"
        );
        if resource && seen.lock().unwrap().insert(req.body.clone()) {
            return Some(Fault::Throttle);
        }
        quotas(req, index)
    });
    let Faulted { out, requests } = apply_under_fault(SPEC, false, rule, &[], Expect::Completes);
    assert!(out.stdout.contains("8 created"), "{}", out.dump());
    for operation in [
        "CreateResourceServer",
        "CreateUserPoolDomain",
        "CreateIdentityProvider",
    ] {
        assert_eq!(
            attempts(&requests, operation),
            [Some(400), Some(200)],
            "{operation}"
        );
    }
    let mut groups = attempts(&requests, "CreateGroup");
    groups.sort();
    assert_eq!(groups, [Some(200), Some(200), Some(400), Some(400)]);
}

#[test]
fn server_errors_are_retried_and_a_lasting_outage_stops_apply() {
    // One 500 for every write: retried, each goes through on its second
    // attempt, except the new client's. A 500 does not say AWS did nothing,
    // and a second CreateUserPoolClient would make a second client.
    let once: FaultRule = {
        let seen = std::sync::Mutex::new(BTreeSet::<String>::new());
        Arc::new(move |req, _| {
            let write = req.operation.starts_with("Update") || req.operation.starts_with("Create");
            (write && seen.lock().unwrap().insert(req.body.clone()))
                .then(|| Fault::Status(500, INTERNAL_ERROR.to_string()))
        })
    };
    let Faulted { out, .. } = apply_under_fault(&updated_spec(), true, once, &[], Expect::Stops);
    assert_eq!(
        report_line(&out.stderr, "done").unwrap(),
        [
            "update user pool flt-dev (UpdateUserPool)",
            "update group.admins",
            "create group.auditors",
            "update resource_server.shop-api",
            "update identity_provider.Google",
            "update client.web"
        ],
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains(
            "failed: create client.console: CreateUserPoolClient console failed: InternalErrorException"
        ),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr
            .contains("AWS may have created the client `console` all the same"),
        "{}",
        out.dump()
    );
    assert_eq!(
        report_line(&out.stderr, "not done").unwrap(),
        Vec::<String>::new()
    );

    // Every group write fails with a 500 from the first on: the phase of
    // groups fails, the clients after it are not started.
    let Faulted { out, .. } = apply_under_fault(
        &updated_spec(),
        true,
        fault_on(
            "UpdateGroup",
            Fault::Status(500, INTERNAL_ERROR.to_string()),
        ),
        &[],
        Expect::Stops,
    );
    assert!(
        out.stderr.contains(
            "failed: update group.admins: UpdateGroup admins failed: InternalErrorException"
        ),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr
            .contains("done: update user pool flt-dev (UpdateUserPool)"),
        "{}",
        out.dump()
    );
    let not_done = report_line(&out.stderr, "not done").unwrap();
    for step in ["create client.console", "update client.web"] {
        assert!(not_done.contains(&step.to_string()), "{}", out.dump());
    }
}

#[test]
fn dropped_connections_are_retried_or_stop_apply() {
    // Two dropped connections for the provider's creation: the third
    // attempt goes through.
    let Faulted { requests, .. } = apply_under_fault(
        SPEC,
        false,
        fault_first(2, "CreateIdentityProvider", Fault::Drop),
        &[],
        Expect::Completes,
    );
    assert_eq!(
        attempts(&requests, "CreateIdentityProvider"),
        [None, None, Some(200)]
    );
    // Every request from the 14th on is dropped: the network is gone in the
    // middle of an update.
    let Faulted { out, .. } = apply_under_fault(
        &updated_spec(),
        true,
        Arc::new(|_, index| (index >= 14).then_some(Fault::Drop)),
        &[],
        Expect::Stops,
    );
    assert!(
        out.stderr
            .contains("connection closed before message completed"),
        "{}",
        out.dump()
    );
}

#[test]
fn a_lost_answer_to_a_create_is_not_sent_twice() {
    // AWS created the client, but its answer never came back. Sent again,
    // it would make a second client of the same name, which no later plan
    // could tell apart from the first.
    let Faulted { out, requests } = apply_under_fault(
        SPEC,
        false,
        fault_first(1, "CreateUserPoolClient", Fault::LoseAnswer),
        &[],
        Expect::Stops,
    );
    assert!(
        out.stderr.contains("may have created the client"),
        "{}",
        out.dump()
    );
    // One attempt for each of the two clients (they run at once): the one
    // without an answer was not sent again.
    let mut answers = attempts(&requests, "CreateUserPoolClient");
    answers.sort();
    assert_eq!(answers, [None, Some(200)]);

    // The same for the pool: a second pool of one name could not be planned at all.
    let Faulted { out, requests } = apply_under_fault(
        SPEC,
        false,
        fault_first(1, "CreateUserPool", Fault::LoseAnswer),
        &[],
        Expect::Stops,
    );
    assert_eq!(attempts(&requests, "CreateUserPool"), [None]);
    assert!(
        out.stderr.contains("may have created the pool `flt-dev`"),
        "{}",
        out.dump()
    );
    assert!(out.stderr.contains("done: nothing"), "{}", out.dump());
}

#[test]
fn a_create_refused_by_throttling_is_still_retried() {
    // A throttled create was refused, not done: sending it again is safe.
    let Faulted { out, requests } = apply_under_fault(
        SPEC,
        false,
        fault_first(2, "CreateUserPoolClient", Fault::Throttle),
        &[],
        Expect::Completes,
    );
    assert!(out.stdout.contains("create client.web"), "{}", out.dump());
    let mut answers = attempts(&requests, "CreateUserPoolClient");
    answers.sort();
    assert_eq!(answers, [Some(200), Some(200), Some(400), Some(400)]);
}

#[test]
fn slow_answers_within_the_timeout_only_slow_apply_down() {
    let Faulted { requests, .. } = apply_under_fault(
        SPEC,
        false,
        fault_on(
            "CreateGroup",
            Fault::SlowAnswer(Duration::from_millis(1500)),
        ),
        &["--request-timeout", "5s"],
        Expect::Completes,
    );
    assert_eq!(
        attempts(&requests, "CreateGroup"),
        [Some(200), Some(200)],
        "each answered once, not retried"
    );
}

#[test]
fn an_answer_that_never_comes_times_out_instead_of_hanging() {
    // UpdateUserPool is never answered. With a 1s request timeout each of
    // the SDK's three attempts gives up after a second and the apply stops,
    // naming the timeout; the default SDK would wait forever.
    let started = Instant::now();
    let Faulted { out, requests } = apply_under_fault(
        &updated_spec(),
        true,
        fault_on("UpdateUserPool", Fault::Delay(Duration::from_secs(600))),
        &["--request-timeout", "1s"],
        Expect::Stops,
    );
    assert_eq!(attempts(&requests, "UpdateUserPool"), [None, None, None]);
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "{:?}",
        started.elapsed()
    );
    assert!(
        out.stderr
            .contains("failed: update user pool flt-dev (UpdateUserPool)"),
        "{}",
        out.dump()
    );
    assert!(
        out.stderr.contains("AWS did not answer in time; how long to wait for an answer is set by --request-timeout"),
        "{}",
        out.dump()
    );
    assert!(out.stderr.contains("done: nothing"), "{}", out.dump());
}

#[test]
fn a_slow_answer_past_the_timeout_is_retried_where_that_is_safe() {
    // AWS carried out the update, but answered too late: the SDK's retry
    // sends the same whole object again, which changes nothing more.
    let Faulted { out, requests } = apply_under_fault(
        &updated_spec(),
        true,
        fault_first(
            1,
            "UpdateUserPoolClient",
            Fault::SlowAnswer(Duration::from_secs(3)),
        ),
        &["--request-timeout", "1s"],
        Expect::Completes,
    );
    assert!(out.stdout.contains("update client.web"), "{}", out.dump());
    let sent = requests
        .iter()
        .filter(|r| r.operation == "UpdateUserPoolClient")
        .collect::<Vec<_>>();
    assert_eq!(sent.len(), 2, "the late one and its retry");
    assert_eq!(
        sent[0].body, sent[1].body,
        "the same whole client both times"
    );
}

#[test]
fn with_prune_only_what_the_plan_deletes_is_deleted_and_a_lost_answer_is_not_an_error() {
    // The plan deletes the group and client made by hand and the group
    // `support` the spec dropped. AWS carries out each delete, but the
    // answer to its first attempt is lost: the SDK sends it again, and
    // finds it gone, which is what the step was for.
    let rule: FaultRule = {
        let seen = std::sync::Mutex::new(BTreeSet::<String>::new());
        Arc::new(move |req, _| {
            (req.operation.starts_with("Delete") && seen.lock().unwrap().insert(req.body.clone()))
                .then_some(Fault::LoseAnswer)
        })
    };
    let Faulted { out, requests } =
        apply_under_fault(&updated_spec(), true, rule, &["--prune"], Expect::Completes);
    for step in [
        "delete group.by-hand",
        "delete group.support",
        "delete client.by-hand",
    ] {
        assert!(out.stdout.contains(step), "{}", out.dump());
    }
    assert!(out.stdout.contains("3 deleted"), "{}", out.dump());
    // The retry found each already deleted.
    assert_eq!(
        attempts(&requests, "DeleteUserPoolClient"),
        [None, Some(400)]
    );
    assert_eq!(
        attempts(&requests, "DeleteGroup")
            .iter()
            .filter(|s| **s == Some(400))
            .count(),
        2
    );
}

#[test]
fn a_failure_in_the_pools_steps_reports_the_steps_after_it_as_not_done() {
    // A new custom attribute and an MFA change run one after the other;
    // when the first fails, the second is reported as not done.
    let spec = updated_spec()
        + "schema:\n  custom:tenant: { type: string }\nmfa: { mode: optional, totp: true }\n";
    let Faulted { out, .. } = apply_under_fault(
        &spec,
        true,
        fault_on(
            "AddCustomAttributes",
            Fault::Status(
                400,
                r#"{"__type":"InvalidParameterException","message":"refused"}"#.into(),
            ),
        ),
        &[],
        Expect::Stops,
    );
    let not_done = report_line(&out.stderr, "not done").unwrap();
    assert!(
        not_done.contains(&"set MFA (SetUserPoolMfaConfig)".to_string()),
        "{}",
        out.dump()
    );
}

/// What the property test injects at one request.
#[derive(Clone, Copy, Debug)]
enum Single {
    /// AWS refuses the request (as an IAM policy would): never retried.
    Refused,
    /// AWS carries the request out, but the answer is lost.
    Lost,
}

impl Single {
    fn fault(self) -> Fault {
        match self {
            Single::Refused => Fault::Status(
                400,
                r#"{"__type":"AccessDeniedException","message":"not allowed"}"#.to_string(),
            ),
            Single::Lost => Fault::LoseAnswer,
        }
    }
}

#[test]
fn a_single_failure_at_any_request_of_an_apply_stops_it_cleanly_and_a_rerun_converges() {
    // The update with --prune (creates, updates and deletes of every kind)
    // with one failure at request k: refused at even k, its answer lost at
    // odd k. Every k where the apply writes, and every third of its reads
    // (which all fail alike). Each case is a pool of its own; four
    // workers, each with its own moto, share them out, because the pacing
    // and the SDK's backoff (not the CPU) take most of a case's time.
    const WORKERS: usize = 4;
    let spec = updated_spec();
    let started = Instant::now();
    let outcomes: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let spec = &spec;
                scope.spawn(move || single_failures(spec, worker, WORKERS))
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker failed"))
            .collect()
    });
    eprintln!(
        "{} cases in {:?}:\n{}",
        outcomes.len(),
        started.elapsed(),
        outcomes.join("\n")
    );
}

/// The cases k = worker, worker + workers, ... of the property test above,
/// on a stack of their own. Returns a line per case.
fn single_failures(spec: &str, worker: usize, workers: usize) -> Vec<String> {
    let stack = Stack::new();
    let mut bystanders = Bystanders::create(&stack);

    // The plan, and how many requests the apply sends when nothing goes wrong.
    stack.spec("flt.yaml", &renamed(SPEC, "cal"));
    apply(&stack, &[]).assert_success();
    bystanders.add_to(&stack, &pool_id(&stack, "cal-dev"));
    stack.spec("flt.yaml", &renamed(spec, "cal"));
    let plan = planned(&stack, &["--prune"]);
    stack.proxy.clear();
    apply(&stack, &["--prune"]).assert_success();
    let calibration = stack.proxy.requests();
    assert!(calibration.len() > 15, "{:?}", stack.proxy.operations());
    let writes: BTreeSet<usize> = stack.writes().iter().map(|w| w.index).collect();
    assert!(writes.len() >= 10, "{:?}", stack.proxy.operations());
    let cases: Vec<usize> = (0..calibration.len())
        .filter(|k| writes.contains(k) || k % 3 == 0)
        .collect();

    let mut outcomes = Vec::new();
    for k in cases.into_iter().skip(worker).step_by(workers) {
        let single = if k % 2 == 0 {
            Single::Refused
        } else {
            Single::Lost
        };
        let prefix = format!("k{k}");
        let faulted = run_case(
            &stack,
            &mut bystanders,
            Case {
                prefix: &prefix,
                spec,
                over_existing: true,
                rule: Arc::new(move |_, index| (index == k).then(|| single.fault())),
                extra: &["--prune"],
                expect: None,
                plan: Some(&plan),
            },
        );
        // A refusal is never reported as success.
        if let Single::Refused = single {
            faulted.out.assert_exit(1);
        }
        outcomes.push(format!(
            "{k}: {single:?} {} -> exit {}",
            faulted.requests[k].operation, faulted.out.status
        ));
    }
    outcomes
}

const PROTECTED: &str = r#"name: prot-${env}
environments:
  dev: { region: us-east-1 }
  prod: { region: us-east-1, protected: true }
groups:
  admins: { precedence: 1 }
"#;

/// poolctl with `args` on a terminal: a pty made by util-linux `script`
/// (in bsdutils, which every Debian installs), which types `input` into
/// it. stdout and stderr both arrive in `Output::stdout`, as a terminal
/// shows them.
fn on_terminal(stack: &Stack, args: &str, input: &str) -> Output {
    let command = format!("'{}' {args}", env!("CARGO_BIN_EXE_poolctl"));
    Poolctl::with_program("script", stack.path())
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .endpoint(&stack.proxy.endpoint())
        .stdin(input)
        .run()
}

#[test]
fn a_protected_environment_asks_for_its_name_on_a_terminal() {
    let stack = Stack::new();
    stack.spec("prot.yaml", PROTECTED);

    // The wrong name: cancelled before anything is sent.
    let out = on_terminal(&stack, "apply --env prod", "dev\nyes\n");
    out.assert_exit(1);
    assert!(
        out.stdout
            .contains("Environment `prod` is protected. Type its name to continue:"),
        "{}",
        out.dump()
    );
    assert!(
        out.stdout
            .contains("apply cancelled: the environment's name was not typed; nothing was changed"),
        "{}",
        out.dump()
    );
    assert!(
        !out.stdout.contains("Only 'yes' will be accepted"),
        "{}",
        out.dump()
    );
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    // The name, then anything but `yes`: cancelled.
    let out = on_terminal(&stack, "apply --env prod", "prod\ny\n");
    out.assert_exit(1);
    assert!(
        out.stdout.contains("apply cancelled; nothing was changed"),
        "{}",
        out.dump()
    );
    // No answer at all (end of input): cancelled.
    on_terminal(&stack, "apply --env prod", "").assert_exit(1);
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    // Not on a terminal, without --auto-approve: refused.
    let out = stack
        .poolctl()
        .args(["apply", "--env", "prod"])
        .stdin("prod\nyes\n")
        .run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("stdin is not a terminal"),
        "{}",
        out.dump()
    );
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    // The name, then `yes`: applied.
    let out = on_terminal(&stack, "apply --env prod", "prod\nyes\n");
    out.assert_exit(0);
    assert!(
        out.stdout.contains("Apply complete: 2 created"),
        "{}",
        out.dump()
    );
    assert_eq!(pool_ids(&stack, "prot-prod").len(), 1);

    // An environment that is not protected asks only for `yes`.
    stack.proxy.clear();
    let out = on_terminal(&stack, "apply --env dev", "yes\n");
    out.assert_exit(0);
    assert!(!out.stdout.contains("is protected"), "{}", out.dump());
    assert!(
        out.stdout.contains("Only 'yes' will be accepted"),
        "{}",
        out.dump()
    );
    assert_eq!(pool_ids(&stack, "prot-dev").len(), 1);

    // --auto-approve is the deliberate way past the question.
    stack.spec(
        "prot.yaml",
        &PROTECTED.replace("precedence: 1", "precedence: 2"),
    );
    let out = stack
        .poolctl()
        .args(["apply", "--env", "prod", "--auto-approve"])
        .run();
    out.assert_success();
    assert_eq!(stack.proxy.requests_for("UpdateGroup").len(), 1);
}

fn deletion_protection(stack: &Stack, pool: &str) -> Option<sdk::DeletionProtectionType> {
    block_on(
        stack
            .cognito()
            .describe_user_pool()
            .user_pool_id(pool)
            .send(),
    )
    .unwrap()
    .user_pool()
    .unwrap()
    .deletion_protection()
    .cloned()
}

#[test]
fn deletion_protection_is_never_turned_off_unless_the_spec_says_so() {
    let stack = Stack::new();
    stack.spec("flt.yaml", SPEC);
    apply(&stack, &[]).assert_success();
    let pool = pool_id(&stack, "flt-dev");

    // Someone turns deletion protection on by hand; the spec does not
    // mention it.
    let live = block_on(
        stack
            .cognito()
            .describe_user_pool()
            .user_pool_id(&pool)
            .send(),
    )
    .unwrap()
    .user_pool
    .unwrap();
    block_on(
        stack
            .cognito()
            .update_user_pool()
            .user_pool_id(&pool)
            .deletion_protection(sdk::DeletionProtectionType::Active)
            .set_policies(live.policies)
            .send(),
    )
    .unwrap();
    assert_eq!(
        deletion_protection(&stack, &pool),
        Some(sdk::DeletionProtectionType::Active)
    );

    // Unrelated changes, one UpdateUserPool answered 500 first: every
    // attempt carries the live setting back.
    let spec = updated_spec() + "mfa: { mode: optional, totp: true }\n";
    stack.spec("flt.yaml", &spec);
    let plan = planned(&stack, &[]);
    assert!(plan.contains_key("user_pool"), "{plan:?}");
    stack.proxy.clear();
    stack.proxy.set_fault_rule(fault_first(
        1,
        "UpdateUserPool",
        Fault::Status(500, INTERNAL_ERROR.to_string()),
    ));
    apply(&stack, &[]).assert_success();
    stack.proxy.clear_fault_rule();
    let updates = stack.proxy.requests_for("UpdateUserPool");
    assert_eq!(updates.len(), 2, "the 500 and its retry");
    for update in &updates {
        assert_eq!(
            update.json()["DeletionProtection"],
            "ACTIVE",
            "{}",
            update.body
        );
    }
    assert_eq!(
        deletion_protection(&stack, &pool),
        Some(sdk::DeletionProtectionType::Active)
    );
    assert_no_changes(&stack);

    // The spec says so: then, and only then, it is turned off.
    stack.spec(
        "flt.yaml",
        &(spec.clone() + "deletion_protection: inactive\n"),
    );
    let out = poolctl(&stack).args(["plan", "--env", "dev"]).run();
    assert!(
        out.stdout
            .contains(r#"~ deletion_protection: "active" -> "inactive""#),
        "{}",
        out.dump()
    );
    stack.proxy.clear();
    apply(&stack, &[]).assert_success();
    assert_eq!(
        stack.proxy.requests_for("UpdateUserPool")[0].json()["DeletionProtection"],
        "INACTIVE"
    );
    assert_eq!(
        deletion_protection(&stack, &pool),
        Some(sdk::DeletionProtectionType::Inactive)
    );
}

#[test]
fn waiting_for_a_turn_under_the_pacing_does_not_count_against_the_timeout() {
    // Twelve clients are created at Cognito's 5 a second per pool: the last
    // waits more than two seconds for its turn, longer than the request
    // timeout, which bounds only AWS's answer.
    let stack = Stack::new();
    let clients: String = (0..12)
        .map(|i| format!("  c{i}: {{ explicit_auth_flows: [user_srp, refresh_token] }}\n"))
        .collect();
    stack.spec(
        "many.yaml",
        &format!("name: many-${{env}}\nenvironments: {{ dev: {{ region: us-east-1 }} }}\nclients:\n{clients}"),
    );
    let started = Instant::now();
    let out = stack
        .poolctl()
        .args([
            "apply",
            "--env",
            "dev",
            "--auto-approve",
            "--request-timeout",
            "1s",
        ])
        .run();
    out.assert_success();
    assert!(
        started.elapsed() > Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(stack.proxy.requests_for("CreateUserPoolClient").len(), 12);
}
