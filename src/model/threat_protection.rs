//! Threat protection's settings (`SetRiskConfiguration`, read back with
//! `DescribeRiskConfiguration`): compromised-credentials detection,
//! adaptive authentication (account takeover) and IP address exceptions.
//! One type for the pool-wide configuration and for an app client's own,
//! which replaces the pool's for that client.
//!
//! Like every setting, a part the spec leaves out is not managed: an update
//! lays the declared parts over the live configuration and sends the whole.

use super::enums::{CompromisedCredentialsAction, RiskEvent, TakeoverAction};
use super::pool::sort_set;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ThreatProtection {
    /// What happens when a user signs in (or up, or changes a password)
    /// with a password known to have leaked elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compromised_credentials: Option<CompromisedCredentials>,
    /// Adaptive authentication: what happens at each risk level, and the
    /// email that tells the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_takeover: Option<AccountTakeover>,
    /// Addresses never assessed (always allowed) or always blocked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address_exceptions: Option<IpAddressExceptions>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CompromisedCredentials {
    /// The events checked (`EventFilter`); AWS checks all three when none
    /// are given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_filter: Option<Vec<RiskEvent>>,
    /// `block` or `no_action` (`Actions.EventAction`, required by AWS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<CompromisedCredentialsAction>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AccountTakeover {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<RiskLevelAction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<RiskLevelAction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<RiskLevelAction>,
    /// How the notification email is sent, and its templates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify_configuration: Option<NotifyConfiguration>,
}

/// What adaptive authentication does at one risk level.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskLevelAction {
    /// `block`, `mfa_if_configured`, `mfa_required` or `no_action`
    /// (`EventAction`, required by AWS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<TakeoverAction>,
    /// Email the user (`Notify`); `false` when not said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfiguration {
    /// The SES identity that sends the email (required by AWS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_email: Option<NotifyEmail>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_action_email: Option<NotifyEmail>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_email: Option<NotifyEmail>,
}

/// One notification email's template.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyEmail {
    /// 1 to 140 characters (required by AWS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// 6 to 20,000 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html_body: Option<String>,
    /// 6 to 20,000 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_body: Option<String>,
}

/// CIDR ranges, each list a set of at most 200.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IpAddressExceptions {
    /// Never assessed for risk (`SkippedIPRangeList`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub always_allow: Option<Vec<String>>,
    /// Always blocked (`BlockedIPRangeList`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub always_block: Option<Vec<String>>,
}

impl ThreatProtection {
    /// The sets sorted and de-duplicated, on both sides of a comparison.
    pub fn normalize(&mut self) {
        if let Some(c) = &mut self.compromised_credentials {
            sort_set(&mut c.event_filter);
        }
        if let Some(ip) = &mut self.ip_address_exceptions {
            sort_set(&mut ip.always_allow);
            sort_set(&mut ip.always_block);
        }
    }

    /// True when nothing is configured (AWS's answer for a pool or client
    /// without a configuration of its own).
    pub fn is_empty(&self) -> bool {
        self == &ThreatProtection::default()
    }
}

/// The spec's name of a risk level, as `AccountTakeover` keys them.
pub const RISK_LEVELS: [&str; 3] = ["low", "medium", "high"];

impl AccountTakeover {
    pub fn levels(&self) -> [(&'static str, Option<&RiskLevelAction>); 3] {
        [
            ("low", self.low.as_ref()),
            ("medium", self.medium.as_ref()),
            ("high", self.high.as_ref()),
        ]
    }
}

impl NotifyConfiguration {
    pub fn emails(&self) -> [(&'static str, Option<&NotifyEmail>); 3] {
        [
            ("block_email", self.block_email.as_ref()),
            ("no_action_email", self.no_action_email.as_ref()),
            ("mfa_email", self.mfa_email.as_ref()),
        ]
    }
}
