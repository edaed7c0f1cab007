//! Checks of `log_delivery`: only what `SetLogDeliveryConfiguration`
//! refuses, per the API reference's `LogConfigurationType`: user
//! notification logs are `error` level and go to CloudWatch Logs; user
//! authentication events are `info` level, go to CloudWatch Logs, S3 or
//! Firehose, and need the plus tier; a destination is an ARN of its service.

use super::Checks;
use crate::model::enums::Tier;
use crate::model::log_delivery::{USER_AUTH_EVENTS, USER_NOTIFICATION};
use crate::model::PoolSettings;

pub fn check(s: &PoolSettings, c: &mut Checks) {
    let Some(logs) = &s.log_delivery else {
        return;
    };
    for (source, dest) in logs.sources() {
        let Some(dest) = dest else { continue };
        let at = format!("log_delivery.{}", source.key);
        if let Some(level) = dest.level {
            if level != source.level {
                c.error(
                    format!("{at}.level"),
                    format!(
                        "`{}` logs are delivered at level `{}` only",
                        source.key, source.level
                    ),
                );
            }
        }
        let destinations = dest.destinations();
        match destinations.len() {
            0 => {
                c.error(
                    at.as_str(),
                    "give a destination: `cloudwatch_logs` (a log group ARN), `s3` (a bucket ARN) or `firehose` (a stream ARN)",
                );
            }
            1 => {}
            _ => {
                // Nothing in the reference says AWS refuses it; it documents one.
                c.warn(
                    at.as_str(),
                    "AWS documents one destination per event source; give one",
                );
            }
        }
        for (key, arn) in &destinations {
            let service = match *key {
                "cloudwatch_logs" => "logs",
                "s3" => "s3",
                _ => "firehose",
            };
            let parts: Vec<&str> = arn.splitn(6, ':').collect();
            if parts.len() < 6 || parts[0] != "arn" || parts[2] != service {
                c.error(
                    format!("{at}.{key}"),
                    format!("`{arn}` is not an `arn:aws:{service}:...` ARN"),
                );
            }
            if source == USER_NOTIFICATION && *key != "cloudwatch_logs" {
                c.error(
                    format!("{at}.{key}"),
                    "user notification logs go to CloudWatch Logs only (`cloudwatch_logs`)",
                );
            }
        }
        if source == USER_AUTH_EVENTS {
            match s.tier {
                Some(Tier::Plus) => {}
                Some(tier) => {
                    c.error(
                        at.as_str(),
                        format!("user authentication event logs need the plus tier, but `tier` is {tier}"),
                    );
                }
                None => {
                    c.warn(
                        at.as_str(),
                        "user authentication event logs need the plus tier; declare `tier: plus` to be sure",
                    );
                }
            }
        }
    }
}
