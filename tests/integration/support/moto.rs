//! Owns the `moto_server` child process that stands in for AWS: finding the executable, starting it on a free loopback port, and making sure it never outlives the test.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
/// Picking a port by binding :0 and releasing it leaves a window in which
/// another process can take it; a couple of retries make that harmless.
const START_ATTEMPTS: usize = 3;
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

const INSTALL_HINT: &str = "run scripts/test, which installs moto into target/moto-venv, \
     or pip install 'moto[server]==5.2.1' (or set MOTO_SERVER=/path/to/moto_server)";

/// moto_server runs under this `sh` wrapper rather than directly, so that it
/// dies with the test process even when that process is killed or aborts
/// (no Drop runs then): the wrapper blocks reading its stdin, a pipe whose only
/// writer is this process, and kills moto when that pipe reaches EOF.
/// It prints moto's pid first so that Drop can fall back to SIGKILL.
const WRAPPER: &str = r#""$@" </dev/null >&2 &
pid=$!
echo "$pid"
cat >/dev/null
kill "$pid" 2>/dev/null
wait "$pid"
"#;

/// A running moto_server; it is stopped when this value drops.
pub struct Moto {
    port: u16,
    pid: u32,
    wrapper: Child,
    lifeline: Option<ChildStdin>,
    /// moto's stdout and stderr. An unnamed temp file, so that nothing is
    /// left behind in /tmp even by `shared()`, which is never dropped.
    log: File,
}

impl Moto {
    /// Starts a fresh moto_server (empty state) on a free 127.0.0.1 port and
    /// waits until it answers HTTP. Panics, with moto's log, if it cannot.
    pub fn start() -> Moto {
        let exe = moto_server_path();
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            match Moto::try_start(&exe) {
                Ok(moto) => return moto,
                Err(failure) => failures.push(failure),
            }
        }
        panic!(
            "moto_server ({}) did not come up after {START_ATTEMPTS} attempts:\n{}",
            exe.display(),
            failures.join("\n")
        );
    }

    /// One moto_server for the whole test binary, started on first use.
    /// Its state is shared by every test that uses it, so such tests must use
    /// names of their own (see `unique_name`) and never reset it. It is
    /// never dropped; the wrapper still stops it when the test process exits.
    pub fn shared() -> &'static Moto {
        static SHARED: OnceLock<Moto> = OnceLock::new();
        SHARED.get_or_init(Moto::start)
    }

    /// `http://127.0.0.1:PORT`, for AWS_ENDPOINT_URL or an SDK client.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The pid of moto_server itself (not of its wrapper).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The last `lines` lines moto wrote (startup messages, one line per request, tracebacks).
    pub fn log_tail(&self, lines: usize) -> String {
        let text = self.log_text();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Reads with pread: moto writes through a descriptor that shares this
    /// file's offset, so seeking here would make it overwrite its own log.
    fn log_text(&self) -> String {
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            match self.log.read_at(&mut chunk, bytes.len() as u64) {
                Ok(0) | Err(_) => break,
                Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Wipes all of moto's state (every service, every region).
    pub fn reset(&self) {
        let response = http_request(self.port, "POST", "/moto-api/reset", &[], "")
            .unwrap_or_else(|e| panic!("moto reset failed: {e}"));
        assert!(
            response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200"),
            "moto reset answered: {response}"
        );
    }

    /// Creates an IAM role in moto and returns its ARN. Lambda's CreateFunction
    /// in moto requires the role to exist, and the project has no IAM SDK crate,
    /// so this speaks IAM's query protocol directly.
    pub fn create_iam_role(&self, name: &str) -> String {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let body = format!(
            "Action=CreateRole&Version=2010-05-08&RoleName={}&AssumeRolePolicyDocument={}",
            form_encode(name),
            form_encode(policy)
        );
        // moto routes a request with no service-specific Host by the service in
        // the SigV4 credential scope; the signature itself is not checked.
        let headers = [
            (
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            ),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/iam/aws4_request, \
                 SignedHeaders=host, Signature=0",
            ),
        ];
        let response = http_request(self.port, "POST", "/", &headers, &body)
            .unwrap_or_else(|e| panic!("IAM CreateRole on moto failed: {e}"));
        let arn = response
            .split("<Arn>")
            .nth(1)
            .and_then(|rest| rest.split("</Arn>").next());
        match arn {
            Some(arn) => arn.to_string(),
            None => panic!("IAM CreateRole on moto gave no ARN:\n{response}"),
        }
    }

    fn try_start(exe: &Path) -> Result<Moto, String> {
        let port = free_port();
        let log = tempfile::tempfile().map_err(|e| format!("cannot create moto log file: {e}"))?;
        let log_file = log
            .try_clone()
            .map_err(|e| format!("cannot share moto log file: {e}"))?;
        let started = Instant::now();
        let mut wrapper = Command::new("sh")
            .arg("-c")
            .arg(WRAPPER)
            .arg("moto-wrapper")
            .arg(exe)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot run sh to start {}: {e}", exe.display()))?;
        let lifeline = wrapper.stdin.take();
        let mut pid_line = String::new();
        let read = BufReader::new(wrapper.stdout.take().expect("piped stdout"))
            .read_line(&mut pid_line)
            .map_err(|e| format!("cannot read moto's pid from its wrapper: {e}"));
        let pid = read.and_then(|_| {
            pid_line
                .trim()
                .parse::<u32>()
                .map_err(|_| format!("moto wrapper printed {pid_line:?} instead of a pid"))
        });
        let pid = match pid {
            Ok(pid) => pid,
            Err(e) => {
                drop(lifeline);
                let _ = wrapper.kill();
                let _ = wrapper.wait();
                return Err(e);
            }
        };
        let moto = Moto {
            port,
            pid,
            wrapper,
            lifeline,
            log,
        };
        match moto.wait_until_ready(started) {
            Ok(()) => Ok(moto),
            Err(reason) => Err(format!(
                "port {port}: {reason}; last lines of moto's output:\n{}",
                moto.log_tail(30)
            )),
        }
    }

    fn wait_until_ready(&self, started: Instant) -> Result<(), String> {
        // Werkzeug logs "Running on http://127.0.0.1:PORT" only once it has
        // bound the port. Waiting for that line, not only for an HTTP answer,
        // keeps us from mistaking another server that grabbed the same port
        // for ours.
        let running_line = format!("127.0.0.1:{}", self.port);
        loop {
            if !process_alive(self.pid) {
                return Err("moto_server exited during startup".into());
            }
            if self.log_text().contains(&running_line)
                && http_request(self.port, "GET", "/moto-api/", &[], "")
                    .is_ok_and(|r| r.starts_with("HTTP/1."))
            {
                return Ok(());
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                return Err(format!(
                    "no HTTP answer on /moto-api/ within {STARTUP_TIMEOUT:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        // EOF on the wrapper's stdin makes it kill moto and wait for it, so
        // once the wrapper has exited the port is free again.
        drop(self.lifeline.take());
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            match self.wrapper.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => break,
            }
        }
        let _ = Command::new("kill")
            .args(["-KILL", &self.pid.to_string()])
            .status();
        let _ = self.wrapper.kill();
        let _ = self.wrapper.wait();
    }
}

/// Where moto_server is: $MOTO_SERVER, else the venv that scripts/install-moto
/// makes, else PATH. Panics with install instructions if there is none.
pub fn moto_server_path() -> PathBuf {
    if let Some(path) = std::env::var_os("MOTO_SERVER") {
        let path = PathBuf::from(path);
        if path.is_file() {
            return path;
        }
        panic!(
            "MOTO_SERVER={} does not exist; {INSTALL_HINT}",
            path.display()
        );
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/moto-venv/bin/moto_server");
    if venv.is_file() {
        return venv;
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join("moto_server");
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "moto_server not found (checked $MOTO_SERVER, {}, PATH); {INSTALL_HINT}",
        venv.display()
    );
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("cannot bind 127.0.0.1:0 to pick a port for moto")
}

/// False once the process has exited. moto's parent (the wrapper) does not
/// reap it until told to stop, so a dead moto lingers as a zombie; that counts
/// as exited.
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X']))
            .unwrap_or(true),
        // No /proc (not Linux): rely on the startup timeout instead.
        Err(_) if !Path::new("/proc/self").exists() => true,
        Err(_) => false,
    }
}

/// A minimal HTTP/1.0 exchange, enough for probing and moto's control API.
/// std-only so that it needs no runtime and works before anything else is up.
fn http_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<String> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!(
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
