//! Log delivery (`SetLogDeliveryConfiguration`, read back with
//! `GetLogDeliveryConfiguration`): where a pool sends its user notification
//! (message delivery error) logs and its user authentication event logs
//! (threat protection's, plus tier).
//!
//! The call sets the whole list, so a declared `log_delivery` is the whole
//! configuration: an event source it leaves out (or sets to null) gets no
//! delivery. Not declaring `log_delivery` at all leaves it alone.

use super::enums::LogLevel;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LogDelivery {
    /// `userNotification`: errors delivering email and SMS messages; to
    /// CloudWatch Logs only, level `error`. Serialized even when absent, so
    /// the diff reads absence as "none" (a removal), not as "unmanaged".
    pub user_notification: Option<LogDestination>,
    /// `userAuthEvents`: threat protection's user activity; level `info`,
    /// to CloudWatch Logs, S3 or Firehose (plus tier).
    pub user_auth_events: Option<LogDestination>,
}

/// One event source's delivery: its level and one destination.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LogDestination {
    /// The only level AWS takes for the source when not said: `error` for
    /// `user_notification`, `info` for `user_auth_events`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<LogLevel>,
    // The destinations serialize even when absent: a declared delivery
    // names all of its destinations, so one it leaves out is removed.
    /// A CloudWatch Logs log group's ARN.
    pub cloudwatch_logs: Option<String>,
    /// An S3 bucket's ARN.
    pub s3: Option<String>,
    /// A Data Firehose stream's ARN.
    pub firehose: Option<String>,
}

/// An event source: the spec's key, AWS's name and the one level AWS takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSource {
    pub key: &'static str,
    pub api_name: &'static str,
    pub level: LogLevel,
}

pub const USER_NOTIFICATION: EventSource = EventSource {
    key: "user_notification",
    api_name: "userNotification",
    level: LogLevel::Error,
};

pub const USER_AUTH_EVENTS: EventSource = EventSource {
    key: "user_auth_events",
    api_name: "userAuthEvents",
    level: LogLevel::Info,
};

impl LogDelivery {
    /// Each event source with its delivery, if any.
    pub fn sources(&self) -> [(EventSource, Option<&LogDestination>); 2] {
        [
            (USER_NOTIFICATION, self.user_notification.as_ref()),
            (USER_AUTH_EVENTS, self.user_auth_events.as_ref()),
        ]
    }

    pub fn source_mut(&mut self, api_name: &str) -> Option<&mut Option<LogDestination>> {
        match api_name {
            "userNotification" => Some(&mut self.user_notification),
            "userAuthEvents" => Some(&mut self.user_auth_events),
            _ => None,
        }
    }

    /// Both sides of a comparison with the level said.
    pub fn normalize(&mut self) {
        for source in [USER_NOTIFICATION, USER_AUTH_EVENTS] {
            if let Some(Some(dest)) = self.source_mut(source.api_name) {
                dest.level.get_or_insert(source.level);
            }
        }
    }
}

impl LogDestination {
    /// The destinations given: spec key and ARN.
    pub fn destinations(&self) -> Vec<(&'static str, &str)> {
        [
            ("cloudwatch_logs", &self.cloudwatch_logs),
            ("s3", &self.s3),
            ("firehose", &self.firehose),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}
