//! Reading the pool's domain: `DescribeUserPool` names it (`Domain` holds a
//! prefix, `CustomDomain` a custom domain), `DescribeUserPoolDomain` gives its
//! certificate and managed login version. Read only when the spec declares a
//! `domain`.

use super::pool::LivePool;
use crate::aws::explain;
use crate::model::domain::{is_custom_name, Domain};
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types::{CustomDomainConfigType, RoutingType};

/// The live domain the spec's `domain` is compared with.
#[derive(Debug, Clone)]
pub struct LiveDomain {
    /// Normalized: `prefix` or `custom`, a custom domain's `certificate_arn`,
    /// and `managed_login_version` (1, the classic hosted UI, when AWS
    /// reports none).
    pub settings: Domain,
    /// Failover routing, which poolctl does not manage but sends back on
    /// update so that it survives.
    pub routing: Option<RoutingType>,
    /// The custom domain's configuration as AWS reports it: an update sends
    /// it back with only the certificate changed, so its TLS security policy
    /// survives.
    pub custom_config: Option<CustomDomainConfigType>,
    /// A second live domain of the other kind (a pool can hold a prefix and
    /// a custom domain at once); left alone.
    pub other: Option<String>,
}

/// The live domain to compare with `declared`: the one of the same kind
/// (prefix or custom) if there is one, else the other kind's.
pub async fn read(
    client: &cognito::Client,
    pool: &LivePool,
    declared: &Domain,
) -> anyhow::Result<Option<LiveDomain>> {
    // AWS reports a prefix in `Domain` and a custom domain in `CustomDomain`;
    // sorting by the name itself also copes with a custom name in `Domain`.
    let names = [
        pool.raw.domain.as_deref(),
        pool.raw.custom_domain.as_deref(),
    ];
    let prefix = names
        .iter()
        .flatten()
        .find(|n| !n.is_empty() && !is_custom_name(n));
    let custom = names.iter().flatten().find(|n| is_custom_name(n));
    let (primary, other) = if declared.custom.is_some() {
        (custom.or(prefix), custom.and(prefix))
    } else {
        (prefix.or(custom), prefix.and(custom))
    };
    let Some(name) = primary else {
        return Ok(None);
    };
    let out = client
        .describe_user_pool_domain()
        .domain(*name)
        .send()
        .await
        .map_err(|e| explain(&format!("DescribeUserPoolDomain {name}"), e))?;
    // An empty description means no such domain: it went away since the pool
    // was described.
    let Some(description) = out.domain_description.filter(|d| d.domain.is_some()) else {
        return Ok(None);
    };
    let custom_domain = is_custom_name(name);
    Ok(Some(LiveDomain {
        settings: Domain {
            prefix: (!custom_domain).then(|| name.to_string()),
            custom: custom_domain.then(|| name.to_string()),
            certificate_arn: description
                .custom_domain_config
                .as_ref()
                .map(|c| c.certificate_arn.clone())
                .filter(|_| custom_domain),
            managed_login_version: Some(
                description
                    .managed_login_version
                    .and_then(|v| u8::try_from(v).ok())
                    .unwrap_or_else(|| {
                        crate::model::pool_table::aws_default_in(
                            crate::model::resource_tables::DOMAIN_SETTINGS,
                            "managed_login_version",
                        )
                    }),
            ),
        },
        routing: description.routing,
        custom_config: description.custom_domain_config,
        other: other.map(|o| o.to_string()),
    }))
}

/// Another pool holding the domain name the spec declares: AWS would refuse
/// to give it to this pool, so the plan blocks the change instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainHolder {
    /// The declared domain name.
    pub domain: String,
    pub pool_id: String,
    /// `None` when the holder cannot be described (another account's pool).
    pub pool_name: Option<String>,
}

/// Which other pool, if any, holds `declared`'s name. Asked only when this
/// pool does not already have that name live (`own_domain`), so a plan that
/// changes nothing about the domain costs no extra call.
pub async fn holder(
    client: &cognito::Client,
    declared: &Domain,
    own_pool: Option<&str>,
    own_domain: Option<&Domain>,
) -> anyhow::Result<Option<DomainHolder>> {
    let Some(name) = declared.name() else {
        return Ok(None);
    };
    if own_domain.and_then(Domain::name) == Some(name) {
        return Ok(None);
    }
    let out = client
        .describe_user_pool_domain()
        .domain(name)
        .send()
        .await
        .map_err(|e| explain(&format!("DescribeUserPoolDomain {name}"), e))?;
    let Some(pool_id) = out
        .domain_description
        .and_then(|d| d.user_pool_id)
        .filter(|id| !id.is_empty())
    else {
        return Ok(None);
    };
    if Some(pool_id.as_str()) == own_pool {
        return Ok(None);
    }
    // Its name is a courtesy for the message; a pool poolctl may not
    // describe is still named by its id.
    let pool_name = client
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .ok()
        .and_then(|o| o.user_pool?.name);
    Ok(Some(DomainHolder {
        domain: name.to_string(),
        pool_id,
        pool_name,
    }))
}
