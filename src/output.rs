//! The one way poolctl writes to standard output and standard error, so that
//! a reader going away (`poolctl plan --json | head -1`, `drift --json | true`)
//! ends the output quietly instead of panicking in `println!` (exit 101).
//!
//! A closed pipe is remembered and later output is dropped; the command runs
//! on to its normal end and exit code. That matters for `apply`: a reader
//! that stops reading its progress must not cut the apply short between two
//! AWS calls, and `drift --json | true` still exits 2 when drifted. Any other
//! write error (a full disk behind `> plan.json`) is kept and reported once by
//! `main`, with exit code 1, so a truncated output never passes for a whole one.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);
static STDOUT_FAILURE: Mutex<Option<std::io::Error>> = Mutex::new(None);

/// Writes to standard output (colours stripped as `--color` says) and
/// flushes, so a prompt shows before poolctl waits for an answer.
pub fn stdout(args: std::fmt::Arguments<'_>) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = anstream::stdout().lock();
    if let Err(err) = out.write_fmt(args).and_then(|()| out.flush()) {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            *STDOUT_FAILURE.lock().unwrap_or_else(|e| e.into_inner()) = Some(err);
        }
    }
}

/// Writes to standard error. Nowhere is left to report a failure to write
/// there, so one only stops further writes.
pub fn stderr(args: std::fmt::Arguments<'_>) {
    if STDERR_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut err = anstream::stderr().lock();
    if err.write_fmt(args).and_then(|()| err.flush()).is_err() {
        STDERR_CLOSED.store(true, Ordering::Relaxed);
    }
}

/// A write to standard output that failed for another reason than its
/// reader going away.
pub fn stdout_failure() -> Option<std::io::Error> {
    STDOUT_FAILURE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
}

/// `print!` through [`stdout`].
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::stdout(format_args!($($arg)*)) };
}

/// `println!` through [`stdout`].
#[macro_export]
macro_rules! outln {
    () => { $crate::output::stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` through [`stderr`].
#[macro_export]
macro_rules! err {
    ($($arg:tt)*) => { $crate::output::stderr(format_args!($($arg)*)) };
}

/// `eprintln!` through [`stderr`].
#[macro_export]
macro_rules! errln {
    () => { $crate::output::stderr(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::stderr(format_args!("{}\n", format_args!($($arg)*))) };
}
