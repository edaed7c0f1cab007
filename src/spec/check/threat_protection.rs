//! Checks of threat protection's settings, pool-wide and per client: what
//! `SetRiskConfiguration` refuses (required parts, lengths, list sizes,
//! CIDR ranges) and what it needs of the pool (the plus tier and the
//! threat protection add-on, without which AWS answers
//! `UserPoolAddOnNotEnabledException` halfway through an apply).

use super::Checks;
use crate::model::enums::{AdvancedSecurityMode, Tier};
use crate::model::threat_protection::ThreatProtection;
use crate::spec::document::Document;

/// Per list of `IpAddressExceptions`.
const MAX_RANGES: usize = 200;
const SUBJECT_CHARS: (usize, usize) = (1, 140);
const BODY_CHARS: (usize, usize) = (6, 20_000);

pub fn check(doc: &Document, c: &mut Checks) {
    let mut declared: Vec<(String, &ThreatProtection)> = Vec::new();
    if let Some(threat) = &doc.settings.threat_protection {
        declared.push(("threat_protection".into(), threat));
    }
    for (name, client) in doc.resources.clients.iter().flatten() {
        if let Some(threat) = &client.threat_protection {
            declared.push((format!("clients.{name}.threat_protection"), threat));
        }
    }
    if declared.is_empty() {
        return;
    }
    let settings = &doc.settings;
    let mode = settings
        .user_pool_add_ons
        .as_ref()
        .and_then(|a| a.advanced_security_mode);
    for (at, threat) in &declared {
        if settings.tier != Some(Tier::Plus) {
            let now = match settings.tier {
                Some(tier) => format!("`tier` is {tier}"),
                None => "`tier` is not declared".to_string(),
            };
            c.error(
                at.as_str(),
                format!("threat protection settings need the plus tier, but {now}"),
            )
            .help = Some("declare `tier: plus`".into());
        }
        if !matches!(
            mode,
            Some(AdvancedSecurityMode::Audit | AdvancedSecurityMode::Enforced)
        ) {
            let now = match mode {
                Some(mode) => format!("is `{mode}`"),
                None => "is not declared".to_string(),
            };
            c.error(
                at.as_str(),
                format!("threat protection settings need `user_pool_add_ons.advanced_security_mode` `audit` or `enforced`; it {now}"),
            )
            .help = Some("AWS refuses them while the add-on is off (UserPoolAddOnNotEnabledException)".into());
        }
        check_one(at, threat, c);
    }
}

fn check_one(at: &str, t: &ThreatProtection, c: &mut Checks) {
    if let Some(cc) = &t.compromised_credentials {
        if cc.action.is_none() {
            c.error(
                format!("{at}.compromised_credentials.action"),
                "compromised-credentials detection needs an `action`: `block` or `no_action`",
            );
        }
        if cc.event_filter.as_ref().is_some_and(Vec::is_empty) {
            c.error(
                format!("{at}.compromised_credentials.event_filter"),
                "list at least one event (`sign_in`, `password_change`, `sign_up`), or leave `event_filter` out for all three",
            );
        }
    }
    if let Some(at_config) = &t.account_takeover {
        for (level, action) in at_config.levels() {
            if action.is_some_and(|a| a.action.is_none()) {
                c.error(
                    format!("{at}.account_takeover.{level}.action"),
                    "each declared risk level needs an `action`: `block`, `mfa_if_configured`, `mfa_required` or `no_action`",
                );
            }
        }
        if let Some(notify) = &at_config.notify_configuration {
            let field = format!("{at}.account_takeover.notify_configuration");
            match &notify.source_arn {
                None => {
                    c.error(
                        format!("{field}.source_arn"),
                        "notification email needs the `source_arn` of a verified SES identity",
                    );
                }
                Some(arn) if !(arn.starts_with("arn:") && arn.contains(":ses:")) => {
                    c.error(
                        format!("{field}.source_arn"),
                        format!("`{arn}` is not an SES identity ARN"),
                    );
                }
                Some(_) => {}
            }
            for (key, email) in notify.emails() {
                let Some(email) = email else { continue };
                let field = format!("{field}.{key}");
                match &email.subject {
                    None => {
                        c.error(format!("{field}.subject"), "an email needs a `subject`");
                    }
                    Some(s) => length(c, &format!("{field}.subject"), s, SUBJECT_CHARS),
                }
                for (body, text) in [
                    ("html_body", &email.html_body),
                    ("text_body", &email.text_body),
                ] {
                    if let Some(text) = text {
                        length(c, &format!("{field}.{body}"), text, BODY_CHARS);
                    }
                }
            }
        }
    }
    if let Some(ip) = &t.ip_address_exceptions {
        for (key, list) in [
            ("always_allow", &ip.always_allow),
            ("always_block", &ip.always_block),
        ] {
            let Some(list) = list else { continue };
            let field = format!("{at}.ip_address_exceptions.{key}");
            if list.len() > MAX_RANGES {
                c.error(
                    field.as_str(),
                    format!(
                        "{} ranges; Cognito accepts at most {MAX_RANGES}",
                        list.len()
                    ),
                );
            }
            for range in list {
                if is_cidr(range) {
                    continue;
                }
                if range.parse::<std::net::IpAddr>().is_ok() {
                    // The reference says CIDR notation; whether AWS refuses
                    // a bare address is not documented.
                    c.warn(
                        field.as_str(),
                        format!("`{range}` has no prefix length; AWS documents CIDR notation (`{range}/32` for one IPv4 address)"),
                    );
                } else {
                    c.error(
                        field.as_str(),
                        format!(
                            "`{range}` is not an IP range in CIDR notation (like `192.0.2.0/24`)"
                        ),
                    );
                }
            }
        }
    }
}

fn length(c: &mut Checks, field: &str, text: &str, (min, max): (usize, usize)) {
    let n = text.chars().count();
    if n < min || n > max {
        c.error(
            field,
            format!("is {n} characters long; Cognito accepts {min} to {max}"),
        );
    }
}

/// An IPv4 or IPv6 address, a slash and a prefix length that fits it.
pub fn is_cidr(range: &str) -> bool {
    let Some((address, prefix)) = range.split_once('/') else {
        return false;
    };
    let Ok(prefix) = prefix.parse::<u8>() else {
        return false;
    };
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => prefix <= 32,
        Ok(std::net::IpAddr::V6(_)) => prefix <= 128,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_cidr;

    #[test]
    fn cidr_ranges() {
        assert!(is_cidr("192.0.2.0/24"));
        assert!(is_cidr("2001:db8::/32"));
        assert!(!is_cidr("192.0.2.1"));
        assert!(!is_cidr("192.0.2.0/33"));
        assert!(!is_cidr("example.com/8"));
    }
}
