//! Writing threat protection's settings (`SetRiskConfiguration`), the
//! pool's and an app client's own. The call replaces the whole
//! configuration of the pool (or client), so the declared parts are laid
//! over a fresh read of the live one and the whole is sent: a part the spec
//! does not declare survives.
//!
//! A client's own settings are written after the client exists (its own
//! step, after every client step), with its id: the live one, or, for a
//! client just created or replaced, the one listed now.

use super::ApplyCtx;
use crate::aws::explain;
use crate::diff;
use crate::model::overlay;
use crate::model::threat_protection::*;
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types as sdk;

/// Sets the pool-wide configuration. `live` is the pool as the plan read it
/// (`None` for a pool created by this apply).
pub async fn set_pool(
    cognito: &cognito::Client,
    pool_id: &str,
    desired: &crate::model::PoolSettings,
    live: Option<&crate::live::LivePool>,
    plan: &crate::plan::PoolPlan,
) -> anyhow::Result<()> {
    let Some(want) = &desired.threat_protection else {
        return Ok(());
    };
    // Read again right before writing, and write over that.
    let fresh = crate::live::threat_protection::read(cognito, pool_id, None).await?;
    if let Some(live) = live {
        let mut now = live.settings.clone();
        now.threat_protection = fresh.clone();
        let change = diff::pool::diff(desired, Some(&now), &mut Vec::new());
        super::still_planned(plan, &crate::plan::Kind::UserPool.one(), change.as_ref())?;
    }
    send(cognito, pool_id, None, &merged(fresh, want)).await
}

/// Sets client `name`'s own configuration.
pub async fn set_client(ctx: &ApplyCtx<'_>, name: &str) -> anyhow::Result<()> {
    let Some(want) = ctx
        .desired
        .resources
        .clients
        .as_ref()
        .and_then(|c| c.get(name))
        .and_then(|c| c.threat_protection.as_ref())
    else {
        return Ok(());
    };
    let pool_id = &ctx.pool()?.id;
    let cognito = &ctx.clients.cognito;
    let address = crate::plan::Kind::Client.at(name);
    let planned = ctx.plan.changes.iter().find(|c| c.address == address);
    // The client as the plan read it, unless this apply made it anew.
    let live = ctx
        .live
        .clients
        .by_name
        .get(name)
        .filter(|_| planned.is_none_or(|c| c.action == crate::plan::Action::Update));
    let id = match live {
        Some(live) => live.id.clone(),
        None => {
            let ids = crate::live::http_authorizer::client_ids(cognito, pool_id).await?;
            match ids.get(name).map(Vec::as_slice) {
                Some([id]) => id.clone(),
                Some(ids) => anyhow::bail!(
                    "client {name}: {} live clients have this name; its threat protection was not set",
                    ids.len()
                ),
                None => anyhow::bail!(
                    "client {name} does not exist; its threat protection was not set"
                ),
            }
        }
    };
    let fresh = crate::live::threat_protection::read(cognito, pool_id, Some(&id)).await?;
    if let (Some(live), Some(desired)) = (live, ctx.desired.resources.clients.as_ref()) {
        let mut now = crate::live::client::LiveClients::default();
        let mut client = live.clone();
        client.model.threat_protection = fresh.clone();
        now.by_name.insert(name.to_string(), client);
        let one = std::collections::BTreeMap::from([(name.to_string(), desired[name].clone())]);
        let change = diff::client::diff(Some(&one), &now, false, &mut Vec::new());
        ctx.still_planned(&address, change.first())?;
    }
    send(cognito, pool_id, Some(&id), &merged(fresh, want)).await
}

/// The declared parts laid over the live configuration.
fn merged(live: Option<ThreatProtection>, want: &ThreatProtection) -> ThreatProtection {
    let mut whole = overlay(&live.unwrap_or_default(), want);
    whole.normalize();
    whole
}

async fn send(
    cognito: &cognito::Client,
    pool_id: &str,
    client_id: Option<&str>,
    config: &ThreatProtection,
) -> anyhow::Result<()> {
    let what = match client_id {
        Some(id) => format!("SetRiskConfiguration {pool_id} client {id}"),
        None => format!("SetRiskConfiguration {pool_id}"),
    };
    cognito
        .set_risk_configuration()
        .user_pool_id(pool_id)
        .set_client_id(client_id.map(str::to_string))
        .set_compromised_credentials_risk_configuration(
            config
                .compromised_credentials
                .as_ref()
                .map(compromised_credentials)
                .transpose()?,
        )
        .set_account_takeover_risk_configuration(
            config
                .account_takeover
                .as_ref()
                .map(account_takeover)
                .transpose()?,
        )
        .set_risk_exception_configuration(config.ip_address_exceptions.as_ref().map(|ip| {
            sdk::RiskExceptionConfigurationType::builder()
                // An empty list is what no list means; AWS reports none.
                .set_skipped_ip_range_list(ip.always_allow.clone().filter(|l| !l.is_empty()))
                .set_blocked_ip_range_list(ip.always_block.clone().filter(|l| !l.is_empty()))
                .build()
        }))
        .send()
        .await
        .map_err(|e| explain(&what, e))?;
    Ok(())
}

fn compromised_credentials(
    c: &CompromisedCredentials,
) -> anyhow::Result<sdk::CompromisedCredentialsRiskConfigurationType> {
    let action = c.action.ok_or_else(|| {
        anyhow::anyhow!("threat_protection.compromised_credentials needs an `action`")
    })?;
    Ok(sdk::CompromisedCredentialsRiskConfigurationType::builder()
        .set_event_filter(c.event_filter.as_ref().map(|events| {
            events
                .iter()
                .map(|e| sdk::EventFilterType::from(e.api_name()))
                .collect()
        }))
        .actions(
            sdk::CompromisedCredentialsActionsType::builder()
                .event_action(action.api_name().into())
                .build()?,
        )
        .build())
}

fn account_takeover(
    a: &AccountTakeover,
) -> anyhow::Result<sdk::AccountTakeoverRiskConfigurationType> {
    let level = |l: Option<&RiskLevelAction>, key: &str| -> anyhow::Result<_> {
        let Some(l) = l else { return Ok(None) };
        let action = l.action.ok_or_else(|| {
            anyhow::anyhow!("threat_protection.account_takeover.{key} needs an `action`")
        })?;
        Ok(Some(
            sdk::AccountTakeoverActionType::builder()
                .notify(l.notify.unwrap_or(false))
                .event_action(action.api_name().into())
                .build()?,
        ))
    };
    let actions = sdk::AccountTakeoverActionsType::builder()
        .set_low_action(level(a.low.as_ref(), "low")?)
        .set_medium_action(level(a.medium.as_ref(), "medium")?)
        .set_high_action(level(a.high.as_ref(), "high")?)
        .build();
    let notify = match &a.notify_configuration {
        None => None,
        Some(n) => {
            let email = |e: Option<&NotifyEmail>| -> anyhow::Result<_> {
                e.map(|e| {
                    sdk::NotifyEmailType::builder()
                        .subject(e.subject.clone().unwrap_or_default())
                        .set_html_body(e.html_body.clone())
                        .set_text_body(e.text_body.clone())
                        .build()
                })
                .transpose()
                .map_err(Into::into)
            };
            Some(
                sdk::NotifyConfigurationType::builder()
                    .source_arn(n.source_arn.clone().unwrap_or_default())
                    .set_from(n.from.clone())
                    .set_reply_to(n.reply_to.clone())
                    .set_block_email(email(n.block_email.as_ref())?)
                    .set_no_action_email(email(n.no_action_email.as_ref())?)
                    .set_mfa_email(email(n.mfa_email.as_ref())?)
                    .build()?,
            )
        }
    };
    Ok(sdk::AccountTakeoverRiskConfigurationType::builder()
        .actions(actions)
        .set_notify_configuration(notify)
        .build())
}
