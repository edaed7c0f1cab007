//! The `-v` logs on standard error: which targets speak at each level, whether
//! they are coloured, and the mask every line passes through so that no
//! credential reaches the log.
//!
//! At `-vvv` the SDK's own debug logs print the resolved `Credentials` (their
//! `Debug` hides the secret key but shows the access key id) and, on some
//! paths, the signed request's `Authorization` header, which names the
//! access key id after `Credential=`. The README promises that no credential
//! is logged, so each event is masked before it is written, whatever target
//! it came from: a filter on targets alone would be undone by the next SDK
//! release that logs the same thing from elsewhere.

use std::io::Write;

/// Installs the subscriber: `verbose` is the count of `-v`, `ansi` whether
/// standard error gets colours (decided as `--color` decides for the rest).
pub fn init(verbose: u8, ansi: bool) {
    let filter = match verbose {
        0 => "poolctl=warn",
        1 => "poolctl=info",
        2 => "poolctl=debug,aws_config=info",
        // Not `aws_smithy_runtime=trace`: at trace the SDK logs response
        // bodies, and DescribeIdentityProvider's holds client secrets in the
        // clear (tests/identity_providers.rs plants some and looks).
        _ => "poolctl=trace,aws_config=debug,aws_smithy_runtime=debug,aws_sdk_cognitoidentityprovider=debug",
    };
    let masks = Masks::from_env(|name| std::env::var(name).ok());
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(move || MaskedStderr {
            masks: masks.clone(),
            line: Vec::new(),
        })
        .with_ansi(ansi)
        .with_target(false)
        .without_time()
        .init();
}

/// What is masked: the values of the credential variables themselves, and
/// whatever follows a name that introduces a credential.
#[derive(Clone, Debug, Default)]
pub struct Masks {
    values: Vec<String>,
}

/// Written in place of a masked value (the SDK's own word for it).
pub const REDACTED: &str = "** redacted **";

/// Names after which a credential follows, in the forms the SDK's `Debug`
/// output, signed headers and JSON documents use.
const INTRODUCERS: &[&str] = &[
    "access_key_id: \"",
    "access_key_id=",
    "AccessKeyId\":\"",
    "AccessKeyId\": \"",
    "secret_access_key: \"",
    "SecretAccessKey\":\"",
    "SecretAccessKey\": \"",
    "session_token: \"",
    "SessionToken\":\"",
    "SessionToken\": \"",
    "Credential=",
    "x-amz-security-token: \"",
    "X-Amz-Security-Token=",
];

/// AWS access key ids: a four-letter kind, then 16 upper-case letters or
/// digits (`AKIA...` long-term, `ASIA...` temporary).
const KEY_ID_PREFIXES: &[&str] = &["AKIA", "ASIA"];

impl Masks {
    /// The credentials given in the environment; values too short to be
    /// real credentials are left out, so that they do not mask ordinary words.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Masks {
        let values = [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ]
        .iter()
        .filter_map(|name| var(name))
        .filter(|value| value.len() >= 8)
        .collect();
        Masks { values }
    }

    /// `line` with every credential in it replaced by [`REDACTED`].
    pub fn apply(&self, line: &str) -> String {
        let mut text = line.to_string();
        for value in &self.values {
            text = text.replace(value.as_str(), REDACTED);
        }
        for introducer in INTRODUCERS {
            text = mask_after(&text, introducer);
        }
        mask_key_ids(&text)
    }
}

/// Masks the token after each `introducer`: up to a quote, `/` (as in
/// `Credential=AKID/20260101/...`), `,`, whitespace or the end.
fn mask_after(text: &str, introducer: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(introducer) {
        let start = at + introducer.len();
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| matches!(c, '"' | '/' | ',' | '&' | ';') || c.is_whitespace())
            .unwrap_or(tail.len());
        if end > 0 && &tail[..end] != REDACTED && !tail.starts_with(REDACTED) {
            out.push_str(REDACTED);
        } else {
            out.push_str(&tail[..end]);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn mask_key_ids(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i + 20 <= bytes.len() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after = bytes.get(i + 20).is_none_or(|b| !b.is_ascii_alphanumeric());
        if boundary
            && after
            && KEY_ID_PREFIXES
                .iter()
                .any(|p| bytes[i..].starts_with(p.as_bytes()))
            && bytes[i + 4..i + 20]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            out.push_str(&text[copied..i]);
            out.push_str(REDACTED);
            i += 20;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Standard error, one event at a time: the event is gathered whole (the
/// formatter may write it in pieces) and masked before it is written.
struct MaskedStderr {
    masks: Masks,
    line: Vec<u8>,
}

impl Write for MaskedStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.line.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for MaskedStderr {
    fn drop(&mut self) {
        if self.line.is_empty() {
            return;
        }
        let masked = self.masks.apply(&String::from_utf8_lossy(&self.line));
        crate::err!("{masked}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masks() -> Masks {
        Masks::from_env(|name| match name {
            "AWS_ACCESS_KEY_ID" => Some("plain-key-id-123".to_string()),
            "AWS_SECRET_ACCESS_KEY" => Some("short".to_string()),
            _ => None,
        })
    }

    #[test]
    fn the_sdk_credentials_debug_loses_its_key_id() {
        let line = r#"Identity { data: Credentials { provider_name: "EnvironmentVariable", access_key_id: "OTHERKEY", secret_access_key: "** redacted **", expires_after: "never" } }"#;
        let masked = masks().apply(line);
        assert!(!masked.contains("OTHERKEY"), "{masked}");
        assert!(
            masked.contains(r#"access_key_id: "** redacted **""#),
            "{masked}"
        );
        assert!(
            masked.contains(r#"secret_access_key: "** redacted **""#),
            "{masked}"
        );
    }

    #[test]
    fn signed_headers_key_ids_and_known_values_are_masked() {
        let m = masks();
        let header = "authorization: AWS4-HMAC-SHA256 Credential=SOMEID/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host";
        let masked = m.apply(header);
        assert!(!masked.contains("SOMEID"), "{masked}");
        assert!(masked.contains("/20260101/us-east-1"), "{masked}");
        assert_eq!(
            m.apply("key AKIAIOSFODNN7EXAMPLE used"),
            format!("key {REDACTED} used")
        );
        assert_eq!(m.apply("id=plain-key-id-123."), format!("id={REDACTED}."));
        // Too short to be a credential: ordinary words stay.
        assert_eq!(m.apply("a short answer"), "a short answer");
        // Not a key id: too long, or lower case.
        assert_eq!(
            m.apply("AKIAIOSFODNN7EXAMPLE1 akiaiosfodnn7example"),
            "AKIAIOSFODNN7EXAMPLE1 akiaiosfodnn7example"
        );
    }
}
