//! The human plan, in Terraform's shape: `+` create, `~` update with
//! `before -> after`, `!` cannot change, then a one-line summary.

use crate::plan::{Action, DriftStatus, FieldChange, Plan, PoolPlan, ResourceChange, Summary};
use crate::spec::diag::{Diagnostic, Severity, SpecErrors};
use anstyle::{AnsiColor, Style};
use serde_json::Value;
use std::fmt::Write;

const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const RED: Style = AnsiColor::Red.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();
const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

fn action_style(action: Action) -> Style {
    match action {
        Action::Create => GREEN,
        Action::Update => YELLOW,
        Action::Replace | Action::Delete => RED,
        Action::Blocked => RED.bold(),
        Action::Unmanaged => CYAN,
    }
}

pub fn plan(plan: &Plan) -> String {
    let mut out = String::new();
    for pool in &plan.pools {
        pool_plan(&mut out, pool);
    }
    out.push_str(&summary_line(&plan.summary()));
    out.push('\n');
    out
}

/// The heading that names a pool in every report: spec key, environment,
/// region, AWS name and id.
pub fn pool_heading(
    pool: &str,
    environment: &str,
    region: &str,
    name: &str,
    id: Option<&str>,
) -> String {
    let id = id
        .map(|i| format!(" ({i})"))
        .unwrap_or_else(|| " (does not exist yet)".into());
    paint(
        BOLD,
        &format!("pool {pool} · {environment} · {region} · {name}{id}"),
    )
}

fn pool_plan(out: &mut String, pool: &PoolPlan) {
    let _ = writeln!(
        out,
        "{}",
        pool_heading(
            &pool.pool,
            &pool.environment,
            &pool.region,
            &pool.pool_name,
            pool.pool_id.as_deref()
        )
    );
    if pool.changes.is_empty() {
        let _ = writeln!(out, "  no changes");
    }
    for change in &pool.changes {
        resource(out, change);
    }
    for warning in &pool.warnings {
        let _ = writeln!(out, "  {}", self::warning(warning));
    }
    out.push('\n');
}

fn resource(out: &mut String, change: &ResourceChange) {
    let style = action_style(change.action);
    let _ = writeln!(
        out,
        "  {} {} {}",
        paint(style, change.action.symbol()),
        paint(BOLD, &change.address.to_string()),
        change.action.verb()
    );
    for field in &change.fields {
        field_line(out, change.action, field);
    }
    for reason in &change.reasons {
        let _ = writeln!(out, "      {}", paint(DIM, &format!("# {reason}")));
    }
}

fn field_line(out: &mut String, action: Action, field: &FieldChange) {
    let (symbol, style) = if field.blocked.is_some() {
        ("!", RED.bold())
    } else if action == Action::Create || (field.before.is_none() && !field.sensitive) {
        ("+", GREEN)
    } else if field.after.is_none() && !field.sensitive {
        ("-", RED)
    } else {
        ("~", YELLOW)
    };
    let text = if field.sensitive {
        match action {
            Action::Create => "(sensitive value)".to_string(),
            _ => "(sensitive value changed)".to_string(),
        }
    } else {
        match (&field.before, &field.after) {
            (None, Some(after)) => value(after),
            (Some(before), None) => format!("{} -> (removed)", value(before)),
            (Some(before), Some(after)) => format!("{} -> {}", value(before), value(after)),
            (None, None) => "(none)".into(),
        }
    };
    let door = match &field.one_way_door {
        Some(_) => format!(
            "  {}",
            paint(YELLOW, "# one-way door: fixed forever at creation")
        ),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "      {} {}: {text}{door}",
        paint(style, symbol),
        field.path
    );
}

/// A value as the plan shows it: compact JSON, one line.
pub fn value(v: &Value) -> String {
    match v {
        Value::Null => "(none)".into(),
        Value::String(s) if s == crate::plan::KNOWN_AFTER_APPLY => s.clone(),
        other => {
            let text = other.to_string();
            let characters = text.chars().count();
            if characters > 200 {
                format!(
                    "{}… ({characters} characters)",
                    &text[..text.char_indices().nth(160).map_or(text.len(), |(i, _)| i)],
                )
            } else {
                text
            }
        }
    }
}

pub fn summary_line(s: &Summary) -> String {
    if s.changes() == 0 && s.unmanaged == 0 {
        let tail = match s.warnings {
            0 => String::new(),
            1 => "; 1 warning".into(),
            n => format!("; {n} warnings"),
        };
        return format!("No changes: live state matches the specs{tail}.");
    }
    let mut parts = vec![
        format!("{} to create", s.create),
        format!("{} to update", s.update),
    ];
    if s.replace > 0 {
        parts.push(format!("{} to replace", s.replace));
    }
    if s.delete > 0 {
        parts.push(format!("{} to delete", s.delete));
    }
    parts.push(format!("{} blocked", s.blocked));
    let mut line = format!("Plan: {}", parts.join(", "));
    if s.unmanaged > 0 {
        let _ = write!(line, "; {} unmanaged", s.unmanaged);
    }
    let _ = write!(
        line,
        "; {} warning{}.",
        s.warnings,
        if s.warnings == 1 { "" } else { "s" }
    );
    line
}

/// The drift report: one line per pool and environment, then what drifted.
pub fn drift(plan: &Plan) -> String {
    let mut out = String::new();
    let mut drifted = 0;
    for pool in &plan.pools {
        let status = pool.drift();
        let label = match status {
            DriftStatus::InSync => paint(GREEN, "in sync"),
            DriftStatus::Missing => paint(RED.bold(), "missing: the pool does not exist"),
            DriftStatus::Drifted => paint(YELLOW.bold(), "drifted"),
        };
        if status != DriftStatus::InSync {
            drifted += 1;
        }
        let _ = writeln!(
            out,
            "{} {}: {label}",
            paint(
                BOLD,
                &format!("{} · {} · {}", pool.pool, pool.environment, pool.region)
            ),
            pool.pool_id.as_deref().unwrap_or(&pool.pool_name)
        );
        if status == DriftStatus::Missing {
            continue;
        }
        for change in &pool.changes {
            let what = if change.fields.is_empty() {
                change.action.verb().to_string()
            } else {
                change
                    .fields
                    .iter()
                    .map(|f| f.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "  {} {}: {what}",
                paint(action_style(change.action), change.action.symbol()),
                change.address
            );
        }
    }
    let _ = writeln!(
        out,
        "Drift: {drifted} of {} pool environment{} drifted.",
        plan.pools.len(),
        if plan.pools.len() == 1 { "" } else { "s" }
    );
    out
}

pub fn interrupting() -> String {
    paint(
        YELLOW.bold(),
        "Interrupt received: letting the requests in flight finish, then stopping (Ctrl-C again to quit at once).",
    )
}

pub fn saved_plan_written(path: &std::path::Path) -> String {
    format!(
        "Saved the plan to {}. To apply exactly this plan: poolctl apply {}",
        path.display(),
        path.display()
    )
}

/// What `show` says of a saved plan before drawing it.
pub fn saved_plan_heading(path: &std::path::Path, saved: &crate::plan::saved::SavedPlan) -> String {
    let pools: Vec<String> = saved
        .pools
        .iter()
        .map(|p| format!("{} ({})", p.pool, p.environment))
        .collect();
    paint(
        DIM,
        &format!(
            "# saved plan {} · poolctl {} · made at {} · {}{}",
            path.display(),
            saved.poolctl_version,
            utc_time(saved.created_at),
            pools.join(", "),
            if saved.prune { " · with --prune" } else { "" }
        ),
    )
}

/// Seconds since the Unix epoch as an RFC 3339 time in UTC
/// (`2026-12-06T07:23:41Z`).
pub fn utc_time(seconds: u64) -> String {
    i64::try_from(seconds)
        .ok()
        .map(aws_smithy_types::DateTime::from_secs)
        .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
        .unwrap_or_else(|| format!("{seconds} (Unix time)"))
}

/// One finished apply step.
/// Why a read of many resources of one pool takes a while: Cognito's
/// per-pool cap on one operation, which no client can go past.
pub fn paced_read(
    pool_id: &str,
    count: usize,
    what: &str,
    operation: &str,
    per_second: u32,
) -> String {
    let seconds = count.div_ceil(per_second as usize);
    format!(
        "{} pool {pool_id}: {count} {what} to read; Cognito allows {per_second} {operation} a second on one pool, so this takes at least {seconds} s",
        paint(BOLD, "note:")
    )
}

pub fn step_done(pool: &str, step: &str) -> String {
    format!("{} {pool}: {step}", paint(GREEN, "done"))
}

pub fn applied(s: &Summary) -> String {
    paint(
        GREEN.bold(),
        &format!(
            "Apply complete: {} created, {} updated, {} replaced, {} deleted.",
            s.create, s.update, s.replace, s.delete
        ),
    )
}

/// What `validate` says when all is well.
pub fn validated(files: usize, environments: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}: {}, {} checked; {}.",
        paint(GREEN.bold(), "valid"),
        plural(files, "file"),
        plural(environments, "pool environment"),
        plural(warnings, "warning")
    )
}

/// Diagnostics with the same file, place and message across environments are
/// said once, naming every environment.
pub fn grouped_diagnostics(diags: &[Diagnostic]) -> Vec<String> {
    let mut groups: Vec<(Diagnostic, Vec<String>)> = Vec::new();
    for d in diags {
        let same = |g: &Diagnostic| {
            g.severity == d.severity
                && g.file == d.file
                && g.line == d.line
                && g.column == d.column
                && g.field == d.field
                && g.message == d.message
                && g.pool == d.pool
        };
        let env = d.environment.clone().unwrap_or_default();
        match groups.iter_mut().find(|(g, _)| same(g)) {
            Some((_, envs)) => envs.push(env),
            None => groups.push((d.clone(), vec![env])),
        }
    }
    groups
        .into_iter()
        .map(|(mut d, envs)| {
            if envs.len() > 1 {
                d.environment = Some(envs.join("`, `"));
            }
            diagnostic(&d)
        })
        .collect()
}

/// The pools that could not be planned, and (when others were) a note that
/// the plan shown covers only those; `None` when every pool was planned.
pub fn failures(failures: &[crate::plan::PoolFailure], planned: usize) -> Option<String> {
    if failures.is_empty() {
        return None;
    }
    let mut lines: Vec<String> = failures
        .iter()
        .map(|f| pool_failure(&f.pool, &f.environment, &f.error))
        .collect();
    if planned > 0 {
        lines.push(partly_planned(planned, failures.len()));
    }
    Some(lines.join("\n"))
}

/// After a run where some pools were planned and some could not be.
pub fn partly_planned(planned: usize, failed: usize) -> String {
    format!(
        "{} the plan above covers {planned} pool environment{}; {failed} could not be planned (above)",
        paint(YELLOW.bold(), "note:"),
        if planned == 1 { "" } else { "s" }
    )
}

/// A pool that could not be planned, in a multi-pool run.
pub fn pool_failure(pool: &str, environment: &str, error: &anyhow::Error) -> String {
    format!("{} pool `{pool}` ({environment}): {error:#}", error_label())
}

/// The errors of specs that did not resolve, one line each (an error names
/// its own environment: fixing one may not fix the other), then how many.
pub fn spec_errors(errors: &SpecErrors) -> String {
    let lines: Vec<String> = errors
        .0
        .iter()
        .filter(|d| d.is_error())
        .map(diagnostic)
        .collect();
    let n = lines.len();
    format!(
        "{}\npoolctl: {n} error{} in the specs; nothing was sent to AWS",
        lines.join("\n"),
        if n == 1 { "" } else { "s" }
    )
}

/// An apply that stopped: what failed, what was done and what was not.
pub fn apply_failure(e: &crate::apply::ApplyError) -> String {
    let mut text = format!("{} {e}", error_label());
    if e.interrupted {
        text.push_str(": interrupted; the requests in flight were allowed to finish");
    }
    for (step, cause) in &e.failed {
        let _ = write!(text, "\n  failed: {step}: {cause:#}");
    }
    let list = |items: &[String]| {
        if items.is_empty() {
            "nothing".to_string()
        } else {
            items.join("; ")
        }
    };
    let _ = write!(text, "\n  done: {}", list(&e.done));
    let _ = write!(text, "\n  not done: {}", list(&e.not_done));
    text.push_str("\n  run `poolctl apply` again to finish: it plans from live state");
    text
}

/// Asked before an interactive apply.
pub fn confirm_prompt() -> String {
    "Do you want to perform these actions? Only 'yes' will be accepted: ".to_string()
}

/// Asked before an interactive apply in a `protected: true` environment.
pub fn protected_prompt(environment: &str) -> String {
    format!("Environment `{environment}` is protected. Type its name to continue: ")
}

/// A warning line: `warning: <text>`.
pub fn warning(text: &str) -> String {
    format!("{} {text}", warning_label())
}

/// What an import wrote and what it needs (stderr: stdout may be the spec).
pub fn import_report(
    imported: &crate::import::Imported,
    out: Option<&std::path::Path>,
    dir: &std::path::Path,
) -> String {
    let mut text = String::new();
    let what = format!(
        "environment `{}` of user pool {} ({}, {})",
        imported.environment, imported.pool_name, imported.pool_id, imported.region
    );
    let _ = match out {
        Some(path) => writeln!(text, "poolctl: wrote {}: {what}", path.display()),
        None => writeln!(text, "poolctl: wrote {what} to standard output"),
    };
    for file in &imported.metadata_files {
        let _ = writeln!(
            text,
            "poolctl: wrote {} (SAML metadata)",
            dir.join(&file.file_name).display()
        );
    }
    for file in &imported.branding_files {
        let _ = writeln!(
            text,
            "poolctl: wrote {} (hosted UI branding)",
            dir.join(&file.file_name).display()
        );
    }
    if !imported.secrets.is_empty() {
        text.push_str(
            "poolctl: secrets are read from these environment variables; set them before validate, plan or apply:\n",
        );
        for s in &imported.secrets {
            let _ = writeln!(text, "  {}  ({})", s.name, s.path);
        }
    }
    for note in &imported.notes {
        let _ = writeln!(text, "{}", warning(note));
    }
    text
}

/// How the check of an imported spec against live state came out.
pub enum ImportCheck<'a> {
    /// The file reads variables this run does not have.
    NotChecked {
        unset: &'a [String],
    },
    /// The spec written does not validate.
    Invalid {
        environment: &'a str,
        diagnostics: &'a [Diagnostic],
    },
    /// Live state could not be read again.
    Unreadable,
    /// What `plan` would still show.
    Changes {
        environment: &'a str,
        plan: &'a Plan,
    },
    Clean {
        environment: &'a str,
    },
}

pub fn import_check(check: &ImportCheck) -> String {
    match check {
        ImportCheck::NotChecked { unset } => {
            warning(&format!("not checked against live state: set {} first", unset.join(", ")))
        }
        ImportCheck::Invalid { environment, diagnostics } => {
            let mut text = String::new();
            for d in *diagnostics {
                let _ = writeln!(text, "{}", diagnostic(d));
            }
            let _ = write!(
                text,
                "{} the spec written does not validate for `{environment}`; fix it before planning",
                error_label()
            );
            text
        }
        ImportCheck::Unreadable => warning("could not check the spec written against live state"),
        ImportCheck::Changes { environment, plan: p } => format!(
            "{}\n{}",
            warning(&format!(
                "`poolctl plan --env {environment}` would not be empty; what poolctl cannot import as it is:"
            )),
            plan(p).trim_end()
        ),
        ImportCheck::Clean { environment } => {
            format!("poolctl: checked: `poolctl plan --env {environment}` shows no changes")
        }
    }
}

pub fn error_label() -> String {
    paint(RED.bold(), "error:")
}

pub fn warning_label() -> String {
    paint(YELLOW.bold(), "warning:")
}

pub fn diagnostic(d: &Diagnostic) -> String {
    let label = match d.severity {
        Severity::Error => error_label(),
        Severity::Warning => warning_label(),
    };
    format!("{label} {d}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::*;
    use serde_json::json;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn reads_like_terraform() {
        let plan = Plan::new(vec![PoolPlan {
            pool: "shop".into(),
            environment: "dev".into(),
            file: "pools/shop.yaml".into(),
            region: "us-east-1".into(),
            pool_name: "shop-dev".into(),
            pool_id: Some("us-east-1_abc".into()),
            changes: vec![
                ResourceChange {
                    address: crate::plan::Kind::UserPool.one(),
                    action: Action::Update,
                    fields: vec![
                        FieldChange {
                            path: "password_policy.minimum_length".into(),
                            before: Some(json!(12)),
                            after: Some(json!(14)),
                            sensitive: false,
                            one_way_door: None,
                            blocked: None,
                        },
                        FieldChange {
                            path: "tags.owner".into(),
                            before: None,
                            after: Some(json!("me")),
                            sensitive: false,
                            one_way_door: None,
                            blocked: None,
                        },
                    ],
                    reasons: vec![],
                },
                ResourceChange {
                    address: crate::plan::Kind::IdentityProvider.at("Google"),
                    action: Action::Update,
                    fields: vec![FieldChange {
                        path: "client_secret".into(),
                        before: None,
                        after: None,
                        sensitive: true,
                        one_way_door: None,
                        blocked: None,
                    }],
                    reasons: vec![],
                },
            ],
            warnings: vec!["something to know".into()],
        }]);
        insta::assert_snapshot!(strip(&super::plan(&plan)), @r#"
        pool shop · dev · us-east-1 · shop-dev (us-east-1_abc)
          ~ user_pool will be updated in place
              ~ password_policy.minimum_length: 12 -> 14
              + tags.owner: "me"
          ~ identity_provider.Google will be updated in place
              ~ client_secret: (sensitive value changed)
          warning: something to know

        Plan: 0 to create, 2 to update, 0 blocked; 1 warning.
        "#);
    }

    #[test]
    fn summary_mentions_only_what_is_there() {
        let s = Summary {
            create: 1,
            update: 1,
            warnings: 2,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&s),
            "Plan: 1 to create, 1 to update, 0 blocked; 2 warnings."
        );
        assert_eq!(
            summary_line(&Summary::default()),
            "No changes: live state matches the specs."
        );
    }
}
