//! Checks of the pool's domain: a prefix's format and reserved words, a
//! custom domain's certificate (an ACM certificate in us-east-1, whatever
//! the pool's region), and the managed login version.

use super::Checks;
use crate::model::domain::Domain;
use crate::model::enums::Tier;

/// Words AWS refuses anywhere in a prefix.
const RESERVED: [&str; 3] = ["aws", "amazon", "cognito"];

pub fn check(domain: Option<&Domain>, tier: Option<Tier>, c: &mut Checks) {
    let Some(domain) = domain else {
        return;
    };
    match (&domain.prefix, &domain.custom) {
        (Some(_), Some(_)) => {
            c.error(
                "domain",
                "give either `prefix` or `custom`, not both: the spec declares the pool's one domain",
            );
        }
        (None, None) => {
            c.error("domain", "a domain needs a `prefix` or a `custom` name").help =
                Some("e.g. `domain: shop-${env}`, or `domain: { custom: auth.example.com, certificate_arn: ... }`".into());
        }
        (Some(prefix), None) => {
            check_prefix(prefix, c);
            if domain.certificate_arn.is_some() {
                c.error(
                    "domain.certificate_arn",
                    "only a custom domain takes a certificate; a prefix domain uses Cognito's",
                );
            }
        }
        (None, Some(custom)) => {
            check_custom(custom, c);
            match &domain.certificate_arn {
                None => {
                    c.error(
                        "domain.certificate_arn",
                        "a custom domain needs `certificate_arn`: an ACM certificate for it in us-east-1",
                    );
                }
                Some(arn) => check_certificate(arn, c),
            }
        }
    }
    match domain.managed_login_version {
        Some(1) | None => {}
        Some(2) => {
            if tier == Some(Tier::Lite) {
                c.error(
                    "domain.managed_login_version",
                    "managed login (version 2) needs the essentials or plus tier; this pool's tier is lite",
                );
            }
        }
        Some(other) => {
            c.error(
                "domain.managed_login_version",
                format!("{other} is not a managed login version: 1 (the classic hosted UI) or 2 (managed login)"),
            );
        }
    }
}

fn check_prefix(prefix: &str, c: &mut Checks) {
    let chars_ok = prefix
        .chars()
        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
    if prefix.is_empty()
        || prefix.len() > 63
        || !chars_ok
        || prefix.starts_with('-')
        || prefix.ends_with('-')
    {
        let diag = c.error(
            "domain.prefix",
            format!("`{prefix}` is not a domain prefix: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen"),
        );
        if prefix.contains('.') {
            diag.help = Some(
                "a name with dots is a custom domain: `domain: { custom: ..., certificate_arn: ... }`"
                    .into(),
            );
        }
    }
    if let Some(word) = RESERVED.iter().find(|w| prefix.contains(*w)) {
        c.error(
            "domain.prefix",
            format!("`{prefix}` contains `{word}`: AWS reserves `aws`, `amazon` and `cognito` in domain prefixes"),
        );
    }
}

fn check_custom(name: &str, c: &mut Checks) {
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    };
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 || name.len() > 253 || !labels.iter().all(|l| label_ok(l)) {
        c.error(
            "domain.custom",
            format!("`{name}` is not a fully qualified domain name in lower case, like auth.example.com"),
        );
    }
}

/// `arn:aws:acm:us-east-1:123456789012:certificate/<id>`.
fn check_certificate(arn: &str, c: &mut Checks) {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let is_acm = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "acm"
        && parts[4].len() == 12
        && parts[4].chars().all(|ch| ch.is_ascii_digit())
        && parts[5]
            .strip_prefix("certificate/")
            .is_some_and(|id| !id.is_empty());
    if !is_acm {
        c.error(
            "domain.certificate_arn",
            format!("`{arn}` is not an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)"),
        );
        return;
    }
    if parts[3] != "us-east-1" {
        c.error(
            "domain.certificate_arn",
            format!("the certificate is in {}; a custom domain's certificate must be in us-east-1, whatever the pool's region", parts[3]),
        )
        .help = Some("request or import the certificate in ACM in us-east-1 (N. Virginia)".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(domain: Domain, tier: Option<Tier>) -> Vec<(String, String)> {
        let mut c = Checks::default();
        check(Some(&domain), tier, &mut c);
        c.diagnostics
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| (d.field.unwrap_or_default(), d.message))
            .collect()
    }

    fn prefix(p: &str) -> Domain {
        Domain {
            prefix: Some(p.into()),
            ..Domain::default()
        }
    }

    fn custom(name: &str, arn: Option<&str>) -> Domain {
        Domain {
            custom: Some(name.into()),
            certificate_arn: arn.map(str::to_string),
            ..Domain::default()
        }
    }

    const ARN: &str = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d";

    #[test]
    fn good_domains_pass() {
        assert!(errors(prefix("shop-dev"), None).is_empty());
        assert!(errors(prefix("a"), None).is_empty());
        assert!(errors(prefix(&"x".repeat(63)), None).is_empty());
        assert!(errors(custom("auth.example.com", Some(ARN)), None).is_empty());
        let v2 = Domain {
            managed_login_version: Some(2),
            ..prefix("shop")
        };
        assert!(errors(v2, Some(Tier::Essentials)).is_empty());
    }

    #[test]
    fn prefix_format_and_reserved_words() {
        for bad in ["", "-shop", "shop-", "Shop", "shop_dev", "shop.dev"] {
            let e = errors(prefix(bad), None);
            assert_eq!(e.len(), 1, "{bad:?}: {e:?}");
            assert_eq!(e[0].0, "domain.prefix");
            assert!(e[0].1.contains("1-63 lowercase"), "{e:?}");
        }
        assert_eq!(errors(prefix(&"x".repeat(64)), None).len(), 1);
        for word in ["my-aws-shop", "amazonshop", "shop-cognito"] {
            let e = errors(prefix(word), None);
            assert_eq!(e.len(), 1, "{word}: {e:?}");
            assert!(e[0].1.contains("reserves"), "{e:?}");
        }
    }

    #[test]
    fn custom_domains_need_a_us_east_1_certificate() {
        let e = errors(custom("auth.example.com", None), None);
        assert_eq!(e[0].0, "domain.certificate_arn");
        assert!(e[0].1.contains("us-east-1"), "{e:?}");

        let e = errors(
            custom(
                "auth.example.com",
                Some("arn:aws:acm:eu-west-1:123456789012:certificate/abc"),
            ),
            None,
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].1.contains("is in eu-west-1") && e[0].1.contains("must be in us-east-1"),
            "{e:?}"
        );

        let e = errors(
            custom("auth.example.com", Some("arn:aws:iam::123456789012:role/x")),
            None,
        );
        assert!(e[0].1.contains("not an ACM certificate ARN"), "{e:?}");

        for bad in [
            "example",
            "Auth.example.com",
            "auth..example.com",
            "-a.example.com",
        ] {
            let e = errors(custom(bad, Some(ARN)), None);
            assert_eq!(e.len(), 1, "{bad}: {e:?}");
            assert_eq!(e[0].0, "domain.custom");
        }
    }

    #[test]
    fn shape_and_version_rules() {
        let both = Domain {
            prefix: Some("a".into()),
            custom: Some("a.example.com".into()),
            certificate_arn: Some(ARN.into()),
            ..Domain::default()
        };
        assert!(errors(both, None)[0].1.contains("not both"));
        assert!(errors(Domain::default(), None)[0]
            .1
            .contains("needs a `prefix`"));
        let with_cert = Domain {
            certificate_arn: Some(ARN.into()),
            ..prefix("shop")
        };
        assert_eq!(errors(with_cert, None)[0].0, "domain.certificate_arn");
        for (version, tier, ok) in [
            (1, Some(Tier::Lite), true),
            (2, None, true),
            (2, Some(Tier::Lite), false),
            (0, None, false),
            (3, None, false),
        ] {
            let d = Domain {
                managed_login_version: Some(version),
                ..prefix("shop")
            };
            assert_eq!(errors(d, tier).is_empty(), ok, "{version} {tier:?}");
        }
    }
}
