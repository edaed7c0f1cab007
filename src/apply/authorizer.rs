//! Writing the API Gateway authorizer, the methods it protects, and the stage
//! deployment that makes changes take effect; or an HTTP API's JWT authorizer.
//!
//! API Gateway updates by patch operations, so an update sends only what
//! differs and nothing else of the authorizer or the method is touched. The
//! provider ARN list can never be empty: the pool's (new) ARN is added before
//! any other is removed, in one request.

use super::ApplyCtx;
use crate::aws::retry::{self, AtMostOnce};
use crate::aws::{deleted, explain};
use crate::diff::authorizer::audience_ids;
use crate::live::authorizer::{AuthorizerState, LiveAuthorizer, LiveMethod};
use crate::live::http_authorizer::{client_ids, HttpAuthorizerState};
use crate::model::authorizer::{
    issuer_url, Authorizer, COGNITO_USER_POOLS, DEFAULT_HTTP_IDENTITY_SOURCE,
    DEFAULT_IDENTITY_SOURCE,
};
use crate::plan::Action;
use crate::plan::Kind;
use apigateway::types::{AuthorizerType, Op, PatchOperation};
use apigatewayv2::types::JwtConfiguration;
use aws_sdk_apigateway as apigateway;
use aws_sdk_apigatewayv2 as apigatewayv2;

/// One patch operation, before it becomes the SDK's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    pub op: &'static str,
    pub path: String,
    pub value: Option<String>,
}

impl Patch {
    fn new(op: &'static str, path: &str, value: impl Into<String>) -> Patch {
        Patch {
            op,
            path: path.to_string(),
            value: Some(value.into()),
        }
    }

    fn sdk(&self) -> PatchOperation {
        PatchOperation::builder()
            .op(Op::from(self.op))
            .path(&self.path)
            .set_value(self.value.clone())
            .build()
    }
}

/// What `UpdateAuthorizer` must be sent to bring `have` to the spec.
pub fn authorizer_patch(have: &LiveAuthorizer, spec: &Authorizer, pool_arn: &str) -> Vec<Patch> {
    let mut ops = Vec::new();
    if let Some(source) = spec
        .identity_source
        .as_ref()
        .filter(|s| have.identity_source.as_ref() != Some(*s))
    {
        ops.push(Patch::new("replace", "/identitySource", source));
    }
    if let Some(ttl) = spec
        .result_ttl
        .filter(|t| have.result_ttl != Some(t.seconds()))
    {
        ops.push(Patch::new(
            "replace",
            "/authorizerResultTtlInSeconds",
            ttl.seconds().to_string(),
        ));
    }
    // Added first: removing the old ARN first would leave the list empty,
    // which API Gateway refuses.
    if !have.provider_arns.iter().any(|a| a == pool_arn) {
        ops.push(Patch::new("add", "/providerARNs", pool_arn));
    }
    for old in have.provider_arns.iter().filter(|a| *a != pool_arn) {
        ops.push(Patch::new("remove", "/providerARNs", old.as_str()));
    }
    ops
}

/// What `UpdateMethod` must be sent to put `have` behind the authorizer.
/// Scopes are managed only when declared.
pub fn method_patch(
    have: &LiveMethod,
    authorizer_id: &str,
    scopes: Option<&[String]>,
) -> Vec<Patch> {
    let mut ops = Vec::new();
    let retyped = have.authorization_type != COGNITO_USER_POOLS;
    if retyped {
        ops.push(Patch::new(
            "replace",
            "/authorizationType",
            COGNITO_USER_POOLS,
        ));
    }
    // API Gateway wants the authorizer in the same request as the type.
    if retyped || have.authorizer_id.as_deref() != Some(authorizer_id) {
        ops.push(Patch::new("replace", "/authorizerId", authorizer_id));
    }
    if let Some(scopes) = scopes {
        for add in scopes.iter().filter(|s| !have.scopes.contains(s)) {
            ops.push(Patch::new("add", "/authorizationScopes", add.as_str()));
        }
        for remove in have.scopes.iter().filter(|s| !scopes.contains(s)) {
            ops.push(Patch::new(
                "remove",
                "/authorizationScopes",
                remove.as_str(),
            ));
        }
    }
    ops
}

pub async fn run(ctx: &ApplyCtx<'_>, name: &str, action: Action) -> anyhow::Result<()> {
    let spec = ctx
        .desired
        .resources
        .authorizer
        .as_ref()
        .filter(|a| a.name() == name)
        .ok_or_else(|| anyhow::anyhow!("authorizer `{name}` is not in the spec"))?;
    if spec.is_http() {
        return run_http(ctx, spec, action).await;
    }
    let state = ctx
        .live
        .authorizer
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("authorizer `{name}`: its REST API was not read"))?;
    let Some(pool) = &ctx.pool else {
        anyhow::bail!("authorizer `{name}`: the pool's ARN is not known");
    };
    let client = &ctx.clients.apigateway;
    match action {
        Action::Create => {
            let id = create(client, state, spec, None, &pool.arn).await?;
            ctx.progress.did(format!(
                "create {} (CreateAuthorizer)",
                Kind::Authorizer.at(name)
            ));
            protect(ctx, state, spec, &id).await
        }
        Action::Update => {
            let have = state
                .named(name)
                .ok_or_else(|| anyhow::anyhow!("authorizer `{name}` is not live"))?;
            let ops = authorizer_patch(have, spec, &pool.arn);
            if !ops.is_empty() {
                client
                    .update_authorizer()
                    .rest_api_id(&state.api.id)
                    .authorizer_id(&have.id)
                    .set_patch_operations(Some(ops.iter().map(Patch::sdk).collect()))
                    .send()
                    .await
                    .map_err(|e| {
                        explain(&format!("UpdateAuthorizer {name} on {}", state.api), e)
                    })?;
                ctx.progress.did(format!(
                    "update {} (UpdateAuthorizer)",
                    Kind::Authorizer.at(name)
                ));
            }
            protect(ctx, state, spec, &have.id).await
        }
        Action::Replace => {
            let moved = state
                .moved
                .as_ref()
                .ok_or_else(|| anyhow::anyhow!("authorizer `{name}` has nothing to replace"))?;
            let id = create(client, state, spec, Some(&moved.authorizer), &pool.arn).await?;
            ctx.progress.did(format!(
                "create {} on {} (CreateAuthorizer)",
                Kind::Authorizer.at(name),
                state.api
            ));
            protect(ctx, state, spec, &id).await?;
            let result = client
                .delete_authorizer()
                .rest_api_id(&moved.api.id)
                .authorizer_id(&moved.authorizer.id)
                .send()
                .await;
            deleted(&format!("DeleteAuthorizer {name} on {}", moved.api), result)
        }
        other => anyhow::bail!("authorizer {name}: nothing to do for {other:?}"),
    }
}

/// An HTTP API's JWT authorizer. The audience's client ids are listed again
/// here: a client the same apply created has one only now.
async fn run_http(ctx: &ApplyCtx<'_>, spec: &Authorizer, action: Action) -> anyhow::Result<()> {
    let name = spec.name();
    let state = ctx
        .live
        .http_authorizer
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("authorizer `{name}`: its HTTP API was not read"))?;
    let Some(pool) = &ctx.pool else {
        anyhow::bail!("authorizer `{name}`: the pool's id is not known");
    };
    let clients = HttpAuthorizerState {
        clients: client_ids(&ctx.clients.cognito, &pool.id).await?,
        ..HttpAuthorizerState::default()
    };
    let names = spec.audience.clone().unwrap_or_default();
    let audience = audience_ids(&names, &clients).ok_or_else(|| {
        let problems: Vec<String> = names
            .iter()
            .filter_map(|n| match clients.clients.get(n).map(Vec::len) {
                Some(1) => None,
                Some(_) => Some(format!("`{n}` names several app clients")),
                None => Some(format!("`{n}` is not an app client of the pool")),
            })
            .collect();
        anyhow::anyhow!("authorizer `{name}`: audience: {}", problems.join("; "))
    })?;
    let jwt = JwtConfiguration::builder()
        .issuer(issuer_url(&ctx.desired.region, &pool.id))
        .set_audience(Some(audience))
        .build();
    let client = &ctx.clients.apigatewayv2;
    match action {
        Action::Create => {
            client
                .create_authorizer()
                .api_id(&state.api.id)
                .name(name)
                .authorizer_type(apigatewayv2::types::AuthorizerType::Jwt)
                .identity_source(
                    spec.identity_source
                        .as_deref()
                        .unwrap_or(DEFAULT_HTTP_IDENTITY_SOURCE),
                )
                .jwt_configuration(jwt)
                .customize()
                .config_override(apigatewayv2::Config::builder().retry_classifier(AtMostOnce))
                .send()
                .await
                .map_err(|e| {
                    retry::explain(
                        &format!("CreateAuthorizer {name} on {}", state.api),
                        &format!("the authorizer `{name}`"),
                        e,
                    )
                })?;
        }
        Action::Update => {
            let have = state
                .named(name)
                .ok_or_else(|| anyhow::anyhow!("authorizer `{name}` is not live"))?;
            // A partial update: what is not sent stays. The JWT
            // configuration goes whole, issuer and audience together.
            client
                .update_authorizer()
                .api_id(&state.api.id)
                .authorizer_id(&have.id)
                .set_identity_source(spec.identity_source.clone().map(|s| vec![s]))
                .jwt_configuration(jwt)
                .send()
                .await
                .map_err(|e| explain(&format!("UpdateAuthorizer {name} on {}", state.api), e))?;
        }
        other => anyhow::bail!("authorizer {name}: nothing to do for {other:?}"),
    }
    Ok(())
}

/// Creates the authorizer on the spec's REST API. Undeclared settings come
/// from `template` (the authorizer it replaces), else API Gateway's defaults.
async fn create(
    client: &apigateway::Client,
    state: &AuthorizerState,
    spec: &Authorizer,
    template: Option<&LiveAuthorizer>,
    pool_arn: &str,
) -> anyhow::Result<String> {
    let name = spec.name();
    let identity_source = spec
        .identity_source
        .clone()
        .or_else(|| template.and_then(|t| t.identity_source.clone()))
        .unwrap_or_else(|| DEFAULT_IDENTITY_SOURCE.to_string());
    let ttl = spec
        .result_ttl
        .map(|t| t.seconds())
        .or_else(|| template.and_then(|t| t.result_ttl));
    let out = client
        .create_authorizer()
        .rest_api_id(&state.api.id)
        .name(name)
        .r#type(AuthorizerType::CognitoUserPools)
        .provider_arns(pool_arn)
        .identity_source(identity_source)
        .set_authorizer_result_ttl_in_seconds(ttl.and_then(|t| i32::try_from(t).ok()))
        .customize()
        .config_override(apigateway::Config::builder().retry_classifier(AtMostOnce))
        .send()
        .await
        .map_err(|e| {
            retry::explain(
                &format!("CreateAuthorizer {name} on {}", state.api),
                &format!("the authorizer `{name}`"),
                e,
            )
        })?;
    out.id
        .ok_or_else(|| anyhow::anyhow!("CreateAuthorizer {name} returned no id"))
}

/// Puts every method `protect` lists behind the authorizer, one at a time
/// (API Gateway's control plane allows few requests a second).
async fn protect(
    ctx: &ApplyCtx<'_>,
    state: &AuthorizerState,
    spec: &Authorizer,
    authorizer_id: &str,
) -> anyhow::Result<()> {
    let client = &ctx.clients.apigateway;
    for (route, scopes) in spec.routes() {
        let have = state
            .methods
            .get(&route)
            .ok_or_else(|| anyhow::anyhow!("{route} is not a method of {}", state.api))?;
        let ops = method_patch(have, authorizer_id, scopes.as_deref());
        if ops.is_empty() {
            continue;
        }
        client
            .update_method()
            .rest_api_id(&state.api.id)
            .resource_id(&have.resource_id)
            .http_method(&route.method)
            .set_patch_operations(Some(ops.iter().map(Patch::sdk).collect()))
            .send()
            .await
            .map_err(|e| explain(&format!("UpdateMethod {route} on {}", state.api), e))?;
        ctx.progress.did(format!(
            "protect {route} with {} (UpdateMethod)",
            Kind::Authorizer.at(spec.name())
        ));
    }
    Ok(())
}

/// Deploys the stage so API Gateway serves what changed.
pub async fn deploy(ctx: &ApplyCtx<'_>, stage: &str) -> anyhow::Result<()> {
    let state = ctx
        .live
        .authorizer
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("deployment of `{stage}`: the REST API was not read"))?;
    ctx.clients
        .apigateway
        .create_deployment()
        .rest_api_id(&state.api.id)
        .stage_name(stage)
        .description(format!(
            "poolctl: authorizer of user pool {}",
            ctx.desired.pool_name()
        ))
        .send()
        .await
        .map_err(|e| explain(&format!("CreateDeployment {stage} on {}", state.api), e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Duration;

    fn have(arns: &[&str]) -> LiveAuthorizer {
        LiveAuthorizer {
            id: "z1".into(),
            name: "cognito".into(),
            kind: COGNITO_USER_POOLS.into(),
            provider_arns: arns.iter().map(|a| a.to_string()).collect(),
            identity_source: Some(DEFAULT_IDENTITY_SOURCE.into()),
            result_ttl: Some(300),
        }
    }

    fn ops(patches: &[Patch]) -> Vec<String> {
        patches
            .iter()
            .map(|p| format!("{} {} {}", p.op, p.path, p.value.as_deref().unwrap_or("")))
            .collect()
    }

    #[test]
    fn the_new_arn_is_added_before_any_old_one_is_removed() {
        let spec = Authorizer {
            result_ttl: Some(Duration(0)),
            ..Authorizer::default()
        };
        assert_eq!(
            ops(&authorizer_patch(
                &have(&["old-a", "new", "old-b"]),
                &spec,
                "new"
            )),
            [
                "replace /authorizerResultTtlInSeconds 0",
                "remove /providerARNs old-a",
                "remove /providerARNs old-b"
            ]
        );
        assert_eq!(
            ops(&authorizer_patch(&have(&["old"]), &spec, "new")),
            [
                "replace /authorizerResultTtlInSeconds 0",
                "add /providerARNs new",
                "remove /providerARNs old"
            ]
        );
        // Undeclared settings are not sent; nothing differs, nothing is sent.
        assert!(authorizer_patch(&have(&["new"]), &Authorizer::default(), "new").is_empty());
    }

    #[test]
    fn a_method_gets_type_and_authorizer_together_and_declared_scopes() {
        let open = LiveMethod {
            resource_id: "r".into(),
            authorization_type: "NONE".into(),
            authorizer_id: None,
            scopes: vec!["old".into()],
        };
        assert_eq!(
            ops(&method_patch(&open, "z1", None)),
            [
                "replace /authorizationType COGNITO_USER_POOLS",
                "replace /authorizerId z1"
            ]
        );
        let scopes = ["keep".to_string(), "new".to_string()];
        let protected = LiveMethod {
            authorization_type: COGNITO_USER_POOLS.into(),
            authorizer_id: Some("z1".into()),
            scopes: vec!["keep".into(), "old".into()],
            ..open
        };
        assert_eq!(
            ops(&method_patch(&protected, "z1", Some(&scopes))),
            [
                "add /authorizationScopes new",
                "remove /authorizationScopes old"
            ]
        );
        assert!(method_patch(&protected, "z1", None).is_empty());
    }
}
