//! Diagnostics: errors and warnings about a spec, each naming the file, line,
//! column, field, pool and environment it is about.

use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub pool: Option<String>,
    pub environment: Option<String>,
    /// The key path inside the pool's document, e.g. `password_policy.minimum_length`.
    pub field: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// A warning that restates a permanent property of the spec (a custom
    /// attribute, required MFA): `validate` shows it, while `plan` speaks up
    /// only when such a door is actually being walked through.
    #[serde(skip)]
    pub one_way_door: bool,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            pool: None,
            environment: None,
            field: None,
            message: message.into(),
            help: None,
            one_way_door: false,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.field = (!field.is_empty()).then_some(field);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn for_pool(mut self, pool: &str, environment: Option<&str>) -> Self {
        self.pool = Some(pool.to_string());
        self.environment = environment.map(str::to_string);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `pools/shop.yaml:12:21: password_policy.minimum_length: message (pool `shop`, environment `prod`)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)?;
        match (&self.pool, &self.environment) {
            // Grouped diagnostics carry several names joined by "`, `".
            (Some(pool), Some(env)) if env.contains("`, `") => {
                write!(f, " (pool `{pool}`, environments `{env}`)")?
            }
            (Some(pool), Some(env)) => write!(f, " (pool `{pool}`, environment `{env}`)")?,
            (Some(pool), None) => write!(f, " (pool `{pool}`)")?,
            _ => {}
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// One or more errors found in the specs; nothing was sent to AWS.
#[derive(Debug, Clone)]
pub struct SpecErrors(pub Vec<Diagnostic>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors: Vec<_> = self.0.iter().filter(|d| d.is_error()).collect();
        for (i, d) in errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// The known word closest to a misspelt one, if any is close enough to be a
/// plausible typo, or is what the misspelt word starts with (`totp_enabled`
/// for `totp`).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, c)| {
            let typo = *distance <= (c.len().max(word.len()) / 3).max(2);
            let stem = c.len() >= 3
                && (word.starts_with(c) || c.starts_with(word))
                && word.len().min(c.len()) >= 3;
            typo || stem
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["minimum_length", "require_symbols", "password_history_size"];
        assert_eq!(nearest("minimun_length", keys), Some("minimum_length"));
        assert_eq!(nearest("min_len", keys), None);
        assert_eq!(nearest("require_symbol", keys), Some("require_symbols"));
        assert_eq!(
            nearest("totp_enabled", ["mode", "totp", "sms"]),
            Some("totp")
        );
    }

    #[test]
    fn renders_every_coordinate() {
        let d = Diagnostic::error("must be between 6 and 99, got 4")
            .in_file("pools/shop.yaml")
            .at(12, 21)
            .field("password_policy.minimum_length")
            .for_pool("shop", Some("prod"));
        assert_eq!(
            d.to_string(),
            "pools/shop.yaml:12:21: password_policy.minimum_length: must be between 6 and 99, got 4 (pool `shop`, environment `prod`)"
        );
    }
}
