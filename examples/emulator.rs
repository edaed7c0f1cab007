//! The local emulator (`scripts/emulator`): moto behind the same recording
//! proxy and AWS-fidelity layer the integration tests use, on one loopback
//! port, until Ctrl-C. It prints the endpoint and the environment to export,
//! then a line per request poolctl (or anything else) sends through it.
//!
//! The proxy, the fidelity layer and the moto launcher have one home,
//! `tests/integration/support/`; this file compiles them from there, so the
//! emulator a user runs answers exactly as the tests' stand-in for AWS does.
//! It is a Cargo example because those need the dev-dependencies (hyper,
//! tempfile), which a plain `cargo build` of poolctl must not compile.

use std::time::Duration;

use clap::Parser;

// Only the parts a long-running emulator needs; the rest (fault injection,
// test assertions) is unused here.
#[allow(dead_code)]
#[path = "../tests/integration/support"]
mod support {
    pub mod faithful;
    pub mod moto;
    pub mod proxy;
}

use support::moto::{moto_server_path, Moto};
use support::proxy::Proxy;

/// Runs moto behind poolctl's AWS-fidelity layer on 127.0.0.1 until Ctrl-C.
#[derive(Parser)]
#[command(name = "scripts/emulator")]
struct Args {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 5050)]
    port: u16,
    /// The AWS_REGION to suggest (moto serves every region).
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Do not print a line per request.
    #[arg(long)]
    quiet: bool,
    /// A poolctl executable to suggest as the `poolctl` alias
    /// (scripts/emulator passes the one it built).
    #[arg(long, value_name = "PATH")]
    poolctl: Option<std::path::PathBuf>,
}

/// Requests kept before the proxy's record is emptied: it records every
/// request for the tests, and the emulator may run for days.
const KEEP_REQUESTS: usize = 1000;

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    // moto_server_path honours MOTO_SERVER, as scripts/emulator sets it, and
    // panics with install instructions when there is none.
    let moto_server = moto_server_path();
    let moto = Moto::start();
    let proxy = match Proxy::try_start_faithful_on(args.port, &moto.endpoint()) {
        Ok(proxy) => proxy,
        Err(e) => {
            eprintln!(
                "emulator: cannot listen on 127.0.0.1:{}: {e}; choose another with --port",
                args.port
            );
            return std::process::ExitCode::FAILURE;
        }
    };
    let endpoint = proxy.endpoint();
    println!(
        "poolctl emulator: {} behind poolctl's AWS-fidelity layer",
        moto_server.display()
    );
    println!(
        "listening on {endpoint} (moto itself on {}, pid {})",
        moto.endpoint(),
        moto.pid()
    );
    println!();
    println!("In another shell:");
    println!("export AWS_ENDPOINT_URL={endpoint}");
    println!(
        "export AWS_ACCESS_KEY_ID=emulator AWS_SECRET_ACCESS_KEY=emulator AWS_REGION={}",
        args.region
    );
    println!("unset AWS_PROFILE AWS_SESSION_TOKEN");
    if let Some(poolctl) = &args.poolctl {
        println!("alias poolctl={}", poolctl.display());
    }
    println!();
    println!("Ctrl-C stops the emulator, and everything in it is forgotten.");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("emulator: cannot build a tokio runtime");
    runtime.block_on(serve_until_stopped(&proxy, args.quiet));
    println!("emulator: stopping");
    // The proxy stops first, so nothing reaches a moto that is going away.
    drop(proxy);
    drop(moto);
    std::process::ExitCode::SUCCESS
}

/// Prints each finished request until SIGINT or SIGTERM.
async fn serve_until_stopped(proxy: &Proxy, quiet: bool) {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("emulator: cannot listen for SIGTERM");
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    let mut log = RequestLog {
        printed: 0,
        ahead: Default::default(),
        quiet,
    };
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = terminate.recv() => break,
            _ = tick.tick() => log.print_new(proxy),
        }
    }
    // What finished since the last tick, so the log is complete.
    log.print_new(proxy);
}

struct RequestLog {
    /// Every request before this index has been printed.
    printed: usize,
    /// Printed requests at or after `printed`: answered while an earlier one
    /// was still in flight (or will never be answered: its client hung up).
    ahead: std::collections::BTreeSet<usize>,
    quiet: bool,
}

impl RequestLog {
    /// Prints the requests answered since the last call.
    fn print_new(&mut self, proxy: &Proxy) {
        let requests = proxy.requests();
        for request in requests.iter().skip(self.printed) {
            if let Some(status) = request.status {
                if self.ahead.insert(request.index) && !self.quiet {
                    println!("{status} {}", request.operation);
                }
            }
        }
        while self.ahead.remove(&self.printed) {
            self.printed += 1;
        }
        if self.ahead.len() + self.printed >= KEEP_REQUESTS {
            // Forgets also what is in flight now; it just goes unprinted.
            proxy.clear();
            self.printed = 0;
            self.ahead.clear();
        }
    }
}
