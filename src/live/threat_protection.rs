//! Reading threat protection's settings (`DescribeRiskConfiguration`), the
//! pool's and an app client's own, into the `ThreatProtection` model.
//!
//! Read only when a spec declares them (and by `import`): the call costs a
//! request per client, and a pool without the threat protection add-on has
//! none (AWS answers `UserPoolAddOnNotEnabledException`, read as "none").

use crate::aws::explain;
use crate::model::enums::*;
use crate::model::threat_protection::*;
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::error::ProvideErrorMetadata;
use cognito::types as sdk;

/// The pool's configuration (`client_id` `None`) or a client's own; `None`
/// when there is none.
pub async fn read(
    client: &cognito::Client,
    pool_id: &str,
    client_id: Option<&str>,
) -> anyhow::Result<Option<ThreatProtection>> {
    let answer = client
        .describe_risk_configuration()
        .user_pool_id(pool_id)
        .set_client_id(client_id.map(str::to_string))
        .send()
        .await;
    let what = match client_id {
        Some(id) => format!("DescribeRiskConfiguration {pool_id} client {id}"),
        None => format!("DescribeRiskConfiguration {pool_id}"),
    };
    let out = match answer {
        Ok(out) => out,
        Err(err) => {
            let code = err.as_service_error().and_then(|e| e.code());
            if matches!(
                code,
                Some("UserPoolAddOnNotEnabledException" | "ResourceNotFoundException")
            ) {
                return Ok(None);
            }
            return Err(explain(&what, err));
        }
    };
    let Some(config) = out.risk_configuration else {
        return Ok(None);
    };
    // A client without a configuration of its own may be answered with the
    // pool's: that is not the client's.
    if client_id.is_some() && config.client_id.as_deref() != client_id {
        return Ok(None);
    }
    let mut model = to_model(&config);
    model.normalize();
    Ok(Some(model).filter(|m| !m.is_empty()))
}

fn convert<T>(value: &str, from_api: fn(&str) -> Option<T>) -> Option<T> {
    let converted = from_api(value);
    if converted.is_none() {
        tracing::warn!(
            value,
            "AWS reported a value this poolctl does not know; it is ignored"
        );
    }
    converted
}

pub fn to_model(c: &sdk::RiskConfigurationType) -> ThreatProtection {
    ThreatProtection {
        compromised_credentials: c
            .compromised_credentials_risk_configuration
            .as_ref()
            .map(|cc| CompromisedCredentials {
                event_filter: cc.event_filter.as_ref().map(|events| {
                    events
                        .iter()
                        .filter_map(|e| convert(e.as_str(), RiskEvent::from_api))
                        .collect()
                }),
                action: cc.actions.as_ref().and_then(|a| {
                    convert(
                        a.event_action.as_str(),
                        CompromisedCredentialsAction::from_api,
                    )
                }),
            }),
        account_takeover: c.account_takeover_risk_configuration.as_ref().map(|at| {
            let actions = at.actions.as_ref();
            let level = |a: Option<&sdk::AccountTakeoverActionType>| {
                a.map(|a| RiskLevelAction {
                    action: convert(a.event_action.as_str(), TakeoverAction::from_api),
                    notify: Some(a.notify),
                })
            };
            AccountTakeover {
                low: level(actions.and_then(|a| a.low_action.as_ref())),
                medium: level(actions.and_then(|a| a.medium_action.as_ref())),
                high: level(actions.and_then(|a| a.high_action.as_ref())),
                notify_configuration: at.notify_configuration.as_ref().map(|n| {
                    let email = |e: Option<&sdk::NotifyEmailType>| {
                        e.map(|e| NotifyEmail {
                            subject: Some(e.subject.clone()),
                            html_body: e.html_body.clone(),
                            text_body: e.text_body.clone(),
                        })
                    };
                    NotifyConfiguration {
                        source_arn: Some(n.source_arn.clone()),
                        from: n.from.clone(),
                        reply_to: n.reply_to.clone(),
                        block_email: email(n.block_email.as_ref()),
                        no_action_email: email(n.no_action_email.as_ref()),
                        mfa_email: email(n.mfa_email.as_ref()),
                    }
                }),
            }
        }),
        ip_address_exceptions: c.risk_exception_configuration.as_ref().map(|r| {
            IpAddressExceptions {
                always_allow: Some(r.skipped_ip_range_list.clone().unwrap_or_default()),
                always_block: Some(r.blocked_ip_range_list.clone().unwrap_or_default()),
            }
        }),
    }
}
