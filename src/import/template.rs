//! Turning live values back into spec text: every `${` escaped (so that
//! interpolation gives the value back), and in names, ARNs and URLs the
//! environment's name written as `${env}` (and an ARN's region as
//! `${region}`), so that two environments of one pool import to the same
//! text wherever they differ only by those.
//!
//! Each rewrite is exact: resolving the text for the same environment and
//! region gives back the live value.

pub struct Templater<'a> {
    pub environment: &'a str,
    pub region: &'a str,
}

impl Templater<'_> {
    /// `text` exactly, whatever it contains.
    pub fn literal(text: &str) -> String {
        text.replace("${", "$${")
    }

    /// `text` with each whole-word occurrence of the environment's name as
    /// `${env}`: `shop-dev` -> `shop-${env}`, but `developer` stays.
    pub fn with_env(&self, text: &str) -> String {
        let escaped = Self::literal(text);
        let env = self.environment;
        if env.is_empty() {
            return escaped;
        }
        let word = |c: char| c.is_ascii_alphanumeric();
        let mut out = String::with_capacity(escaped.len());
        let mut rest = escaped.as_str();
        let mut previous: Option<char> = None;
        while let Some(at) = rest.find(env) {
            let before = rest[..at].chars().next_back().or(previous);
            let after = rest[at + env.len()..].chars().next();
            let bounded = !before.is_some_and(word)
                && !after.is_some_and(word)
                // `$dev` would become `$${env}`, which reads as a literal `${`.
                && before != Some('$');
            out.push_str(&rest[..at]);
            out.push_str(if bounded { "${env}" } else { env });
            previous = env.chars().next_back();
            rest = &rest[at + env.len()..];
        }
        out.push_str(rest);
        out
    }

    /// An ARN: the region field as `${region}` when it is the pool's, the
    /// environment's name as `${env}` in the other fields.
    pub fn arn(&self, arn: &str) -> String {
        arn.split(':')
            .enumerate()
            .map(|(i, part)| {
                if i == 3 && part == self.region && !part.is_empty() {
                    "${region}".to_string()
                } else {
                    self.with_env(part)
                }
            })
            .collect::<Vec<_>>()
            .join(":")
    }

    /// Any value: ARNs and URLs templated, all else literal.
    pub fn value(&self, text: &str) -> String {
        if text.starts_with("arn:") {
            self.arn(text)
        } else if text.contains("://") {
            self.with_env(text)
        } else {
            Self::literal(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::yaml::{substitute, Context};

    fn resolve(text: &str, env: &str, region: &str) -> String {
        let vars = |_: &str| None;
        let ctx = Context {
            environment: env,
            region: Some(region),
            env_var: &vars,
        };
        substitute(text, &ctx).unwrap().0
    }

    #[test]
    fn whole_words_only_and_every_rewrite_resolves_back() {
        let t = Templater {
            environment: "dev",
            region: "us-east-1",
        };
        for (live, written) in [
            ("shop-dev", "shop-${env}"),
            ("dev", "${env}"),
            ("developer-dev.dev", "developer-${env}.${env}"),
            ("devdev", "devdev"),
            ("cost $dev", "cost $dev"),
            ("keep ${this}", "keep $${this}"),
            ("$${x} dev", "$$${x} ${env}"),
        ] {
            assert_eq!(t.with_env(live), written, "{live}");
            assert_eq!(resolve(written, "dev", "us-east-1"), live, "{written}");
        }
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-pre";
        assert_eq!(
            t.value(arn),
            "arn:aws:lambda:${region}:123456789012:function:shop-${env}-pre"
        );
        assert_eq!(resolve(&t.value(arn), "dev", "us-east-1"), arn);
        let other_region = "arn:aws:acm:eu-west-1:123456789012:certificate/dev";
        assert_eq!(
            t.value(other_region),
            "arn:aws:acm:eu-west-1:123456789012:certificate/${env}"
        );
        assert_eq!(
            t.value("https://dev.shop.example.com/cb"),
            "https://${env}.shop.example.com/cb"
        );
        assert_eq!(t.value("Welcome to dev"), "Welcome to dev");
    }
}
