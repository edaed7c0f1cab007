//! Reading where a pool's logs go (`GetLogDeliveryConfiguration`) into the
//! `LogDelivery` model. Read only when a spec declares `log_delivery` (and
//! by `import`).

use crate::aws::explain;
use crate::model::enums::LogLevel;
use crate::model::log_delivery::{LogDelivery, LogDestination};
use aws_sdk_cognitoidentityprovider as cognito;

/// The pool's log delivery; `None` when it has none.
pub async fn read(client: &cognito::Client, pool_id: &str) -> anyhow::Result<Option<LogDelivery>> {
    let out = client
        .get_log_delivery_configuration()
        .user_pool_id(pool_id)
        .send()
        .await
        .map_err(|e| explain(&format!("GetLogDeliveryConfiguration {pool_id}"), e))?;
    let mut model = LogDelivery::default();
    let configs = out
        .log_delivery_configuration
        .map(|c| c.log_configurations)
        .unwrap_or_default();
    for config in configs {
        let Some(slot) = model.source_mut(config.event_source.as_str()) else {
            tracing::warn!(
                source = config.event_source.as_str(),
                "AWS reported a log event source this poolctl does not know; it is ignored"
            );
            continue;
        };
        *slot = Some(LogDestination {
            level: LogLevel::from_api(config.log_level.as_str()),
            cloudwatch_logs: config
                .cloud_watch_logs_configuration
                .and_then(|c| c.log_group_arn),
            s3: config.s3_configuration.and_then(|c| c.bucket_arn),
            firehose: config.firehose_configuration.and_then(|c| c.stream_arn),
        });
    }
    model.normalize();
    Ok(Some(model).filter(|m| m != &LogDelivery::default()))
}
