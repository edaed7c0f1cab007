//! Writing where a pool's logs go (`SetLogDeliveryConfiguration`). The call
//! sets the whole list and a declared `log_delivery` is the whole
//! configuration, so the request carries exactly what the spec says.

use crate::aws::explain;
use crate::diff;
use crate::model::log_delivery::LogDelivery;
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types as sdk;

/// Sets the pool's log delivery. `live` is the pool as the plan read it
/// (`None` for a pool created by this apply).
pub async fn set(
    cognito: &cognito::Client,
    pool_id: &str,
    desired: &crate::model::PoolSettings,
    live: Option<&crate::live::LivePool>,
    plan: &crate::plan::PoolPlan,
) -> anyhow::Result<()> {
    let Some(want) = &desired.log_delivery else {
        return Ok(());
    };
    if let Some(live) = live {
        // Read again right before writing.
        let mut now = live.settings.clone();
        now.log_delivery = crate::live::log_delivery::read(cognito, pool_id).await?;
        let change = diff::pool::diff(desired, Some(&now), &mut Vec::new());
        super::still_planned(plan, &crate::plan::Kind::UserPool.one(), change.as_ref())?;
    }
    cognito
        .set_log_delivery_configuration()
        .user_pool_id(pool_id)
        .set_log_configurations(Some(configurations(want)?))
        .send()
        .await
        .map_err(|e| explain(&format!("SetLogDeliveryConfiguration {pool_id}"), e))?;
    Ok(())
}

fn configurations(want: &LogDelivery) -> anyhow::Result<Vec<sdk::LogConfigurationType>> {
    let mut out = Vec::new();
    for (source, dest) in want.sources() {
        let Some(dest) = dest else { continue };
        let level = dest.level.unwrap_or(source.level);
        out.push(
            sdk::LogConfigurationType::builder()
                .event_source(source.api_name.into())
                .log_level(level.api_name().into())
                .set_cloud_watch_logs_configuration(dest.cloudwatch_logs.as_ref().map(|arn| {
                    sdk::CloudWatchLogsConfigurationType::builder()
                        .log_group_arn(arn)
                        .build()
                }))
                .set_s3_configuration(
                    dest.s3
                        .as_ref()
                        .map(|arn| sdk::S3ConfigurationType::builder().bucket_arn(arn).build()),
                )
                .set_firehose_configuration(dest.firehose.as_ref().map(|arn| {
                    sdk::FirehoseConfigurationType::builder()
                        .stream_arn(arn)
                        .build()
                }))
                .build()?,
        );
    }
    Ok(out)
}
