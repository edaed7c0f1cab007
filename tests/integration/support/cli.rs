//! Owns running the poolctl binary in a test: a builder for the command, isolation from the developer's own AWS setup, and assertions that show the output when they fail.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A hung poolctl would otherwise hang the whole test run until CI's limit.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// One poolctl invocation being put together; `run` may be called repeatedly.
#[derive(Clone, Debug)]
pub struct Poolctl {
    program: OsString,
    dir: PathBuf,
    args: Vec<OsString>,
    /// Applied after the isolation defaults, in order; None removes the variable.
    env: Vec<(OsString, Option<OsString>)>,
    stdin: Option<String>,
    timeout: Duration,
    interrupt: Option<Interrupt>,
    /// The signal `interrupt` sends: "-INT" (Ctrl-C) or "-KILL".
    signal: &'static str,
    /// Standard output is a pipe whose reader has already gone (`| true`).
    stdout_closed: bool,
}

/// When to press Ctrl-C: checked repeatedly while the command runs.
#[derive(Clone)]
struct Interrupt(std::sync::Arc<dyn Fn() -> bool + Send + Sync>);

impl std::fmt::Debug for Interrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interrupt(..)")
    }
}

/// What a finished command did.
#[derive(Clone, Debug)]
pub struct Output {
    /// The exit code, or 128 + signal number if a signal ended it.
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    /// The command line, for messages.
    pub command: String,
}

impl Poolctl {
    /// poolctl, run in `dir` (where it will look for `pools/`).
    pub fn new(dir: &Path) -> Poolctl {
        Poolctl::with_program(env!("CARGO_BIN_EXE_poolctl"), dir)
    }

    /// Another program under the same isolation; the harness tests use it to
    /// check the environment that poolctl would get.
    pub fn with_program(program: impl AsRef<OsStr>, dir: &Path) -> Poolctl {
        Poolctl {
            program: program.as_ref().to_os_string(),
            dir: dir.to_path_buf(),
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            timeout: DEFAULT_TIMEOUT,
            interrupt: None,
            signal: "-INT",
            stdout_closed: false,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Poolctl {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Poolctl
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Poolctl {
        self.env.push((
            key.as_ref().to_os_string(),
            Some(value.as_ref().to_os_string()),
        ));
        self
    }

    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Poolctl {
        self.env.push((key.as_ref().to_os_string(), None));
        self
    }

    /// Points every AWS service at `url` (AWS_ENDPOINT_URL), e.g. moto or a Proxy.
    pub fn endpoint(self, url: &str) -> Poolctl {
        self.env("AWS_ENDPOINT_URL", url)
    }

    /// Sets AWS_REGION, which the isolation otherwise removes.
    pub fn region(self, region: &str) -> Poolctl {
        self.env("AWS_REGION", region)
    }

    /// Text fed to standard input; without it stdin is empty (/dev/null), as in CI.
    pub fn stdin(mut self, input: &str) -> Poolctl {
        self.stdin = Some(input.to_string());
        self
    }

    /// Sends SIGINT (a user's Ctrl-C) to the command once `condition` holds,
    /// e.g. when the proxy has seen a given request.
    pub fn interrupt_when(
        mut self,
        condition: impl Fn() -> bool + Send + Sync + 'static,
    ) -> Poolctl {
        self.interrupt = Some(Interrupt(std::sync::Arc::new(condition)));
        self.signal = "-INT";
        self
    }

    /// Kills the command outright (SIGKILL: no chance to clean up) once
    /// `condition` holds: a crash, a lost machine.
    pub fn kill_when(mut self, condition: impl Fn() -> bool + Send + Sync + 'static) -> Poolctl {
        self.interrupt = Some(Interrupt(std::sync::Arc::new(condition)));
        self.signal = "-KILL";
        self
    }

    /// Gives the command a standard output whose reader is already closed,
    /// as `poolctl ... | true` or `| head -1` do; `Output::stdout` is empty.
    pub fn stdout_closed(mut self) -> Poolctl {
        self.stdout_closed = true;
        self
    }

    /// How long before the command is killed and the test fails (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Poolctl {
        self.timeout = timeout;
        self
    }

    /// Runs the command to completion and captures its output. Panics only if
    /// it cannot be started or exceeds the timeout; check the exit status with
    /// `Output::assert_success` / `assert_exit`.
    #[track_caller]
    pub fn run(&self) -> Output {
        let command_line = self.command_line();
        let mut command = Command::new(&self.program);
        command.current_dir(&self.dir).args(&self.args);
        isolate(&mut command);
        for (key, value) in &self.env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        command
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stderr(Stdio::piped());
        if self.stdout_closed {
            let (reader, writer) = std::io::pipe().expect("cannot make a pipe");
            drop(reader);
            command.stdout(writer);
        } else {
            command.stdout(Stdio::piped());
        }

        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{command_line}`: {e}"));
        // stdin, stdout and stderr are each served by their own thread: with a
        // large input or output, doing them in turn can deadlock on a full pipe.
        let stdin_thread = child.stdin.take().map(|mut pipe| {
            let input = self.stdin.clone().unwrap_or_default();
            std::thread::spawn(move || {
                // The command may exit without reading it all; that is its business.
                let _ = pipe.write_all(input.as_bytes());
            })
        });
        let stdout_thread = match child.stdout.take() {
            Some(pipe) => read_all(pipe),
            None => std::thread::spawn(String::new),
        };
        let stderr_thread = read_all(child.stderr.take().expect("piped stderr"));

        let deadline = Instant::now() + self.timeout;
        let mut timed_out = false;
        let mut interrupted = false;
        let status = loop {
            if let Some(Interrupt(condition)) = &self.interrupt {
                if !interrupted && condition() {
                    interrupted = true;
                    let sent = Command::new("kill")
                        .args([self.signal, &child.id().to_string()])
                        .status()
                        .map(|s| s.success());
                    assert!(
                        matches!(sent, Ok(true)),
                        "cannot send SIGINT to `{command_line}`"
                    );
                }
            }
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => {
                    timed_out = true;
                    let _ = child.kill();
                    break child.wait().expect("wait for killed command");
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => panic!("cannot wait for `{command_line}`: {e}"),
            }
        };
        if let Some(thread) = stdin_thread {
            let _ = thread.join();
        }
        let output = Output {
            status: exit_code(status),
            stdout: stdout_thread.join().unwrap_or_default(),
            stderr: stderr_thread.join().unwrap_or_default(),
            command: command_line,
        };
        if timed_out {
            panic!(
                "`{}` did not finish within {:?} and was killed\n{}",
                output.command,
                self.timeout,
                output.dump()
            );
        }
        output
    }

    fn command_line(&self) -> String {
        let program = Path::new(&self.program)
            .file_name()
            .unwrap_or(self.program.as_os_str())
            .to_string_lossy()
            .into_owned();
        std::iter::once(program)
            .chain(self.args.iter().map(|a| {
                let a = a.to_string_lossy();
                if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'')
                {
                    format!("{a:?}")
                } else {
                    a.into_owned()
                }
            }))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Output {
    #[track_caller]
    pub fn assert_success(&self) -> &Output {
        self.assert_exit(0)
    }

    #[track_caller]
    pub fn assert_exit(&self, code: i32) -> &Output {
        if self.status != code {
            panic!(
                "`{}` exited with {}, expected {code}\n{}",
                self.command,
                self.status,
                self.dump()
            );
        }
        self
    }

    /// stdout and stderr, labelled, for failure messages.
    pub fn dump(&self) -> String {
        format!(
            "--- stdout ---\n{}\n--- stderr ---\n{}\n--- end ---",
            self.stdout.trim_end(),
            self.stderr.trim_end()
        )
    }
}

/// Keeps the developer's real AWS account, profiles, SSO sessions and
/// instance metadata out of reach: a test that forgot to set an endpoint must
/// fail, not touch real AWS. Every inherited AWS_* variable is removed, not
/// only the well-known ones, because the SDK reads many (AWS_ROLE_ARN,
/// AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_CREDENTIALS_*, AWS_ENDPOINT_URL_*...).
fn isolate(command: &mut Command) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(&key);
        }
    }
    // Variables that change how poolctl prints, which output assertions rely on.
    for key in ["RUST_LOG", "CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR"] {
        command.env_remove(key);
    }
    command
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1");
}

fn read_all(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn exit_code(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .or_else(|| status.signal().map(|signal| 128 + signal))
        .unwrap_or(-1)
}
