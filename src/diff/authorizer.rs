//! The API Gateway authorizer: created, updated in place (identity source, TTL,
//! the pool's ARN, the protected methods), replaced when it moves to another
//! REST API, and never deleted otherwise. The REST API is not poolctl's:
//! other authorizers on it are left alone, and only those that point at this
//! pool are mentioned, as unmanaged. An HTTP API's JWT authorizer is the same
//! in small: issuer, audience and identity source change in place.

use super::compare;
use crate::live::authorizer::{AuthorizerState, LiveAuthorizer};
use crate::live::http_authorizer::{HttpAuthorizerState, JwtAuthorizer};
use crate::model::authorizer::{
    issuer_url, Authorizer, COGNITO_USER_POOLS, DEFAULT_HTTP_IDENTITY_SOURCE,
    DEFAULT_IDENTITY_SOURCE, DEFAULT_RESULT_TTL, JWT,
};
use crate::model::Duration;
use crate::plan::{Action, FieldChange, Kind, ResourceChange, KNOWN_AFTER_APPLY};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What is compared, in the spec's terms; absent fields are not managed.
#[derive(Serialize, Default)]
struct View {
    #[serde(skip_serializing_if = "Option::is_none")]
    rest_api: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_arns: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    result_ttl: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    protect: Option<BTreeMap<String, MethodView>>,
}

#[derive(Serialize)]
struct MethodView {
    authorization_type: String,
    /// By name: a new authorizer's id is known only after apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    authorizer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_scopes: Option<Vec<String>>,
}

fn desired_view(
    spec: &Authorizer,
    state: &AuthorizerState,
    pool_arn: Option<&str>,
    creating: bool,
) -> Value {
    let view = View {
        rest_api: Some(state.api.to_string()),
        kind: Some(COGNITO_USER_POOLS.to_string()),
        provider_arns: Some(match pool_arn {
            Some(arn) if !arn.is_empty() => json!([arn]),
            _ => json!(KNOWN_AFTER_APPLY),
        }),
        identity_source: spec
            .identity_source
            .clone()
            .or_else(|| creating.then(|| DEFAULT_IDENTITY_SOURCE.to_string())),
        result_ttl: spec
            .result_ttl
            .or_else(|| creating.then_some(DEFAULT_RESULT_TTL)),
        protect: spec.protect.as_ref().map(|_| {
            spec.routes()
                .into_iter()
                .map(|(route, scopes)| {
                    (
                        route.to_string(),
                        MethodView {
                            authorization_type: COGNITO_USER_POOLS.to_string(),
                            authorizer: Some(spec.name().to_string()),
                            authorization_scopes: scopes,
                        },
                    )
                })
                .collect()
        }),
    };
    serde_json::to_value(view).expect("views serialize")
}

fn live_view(have: &LiveAuthorizer, api: String, state: &AuthorizerState) -> Value {
    let view = View {
        rest_api: Some(api),
        kind: Some(have.kind.clone()),
        provider_arns: Some(json!(have.provider_arns)),
        identity_source: have.identity_source.clone(),
        result_ttl: Some(have.result_ttl.map(Duration).unwrap_or(DEFAULT_RESULT_TTL)),
        protect: Some(
            state
                .methods
                .iter()
                .map(|(route, m)| {
                    (
                        route.to_string(),
                        MethodView {
                            authorization_type: m.authorization_type.clone(),
                            authorizer: m
                                .authorizer_id
                                .as_deref()
                                .map(|id| state.name_of(id).unwrap_or(id).to_string()),
                            authorization_scopes: Some(m.scopes.clone()),
                        },
                    )
                })
                .collect(),
        ),
    };
    serde_json::to_value(view).expect("views serialize")
}

/// The authorizer's change, the unmanaged authorizers that point at the pool,
/// and the stage deployment that makes a change take effect.
pub fn diff(
    spec: Option<&Authorizer>,
    state: Option<&AuthorizerState>,
    pool_arn: Option<&str>,
    warnings: &mut Vec<String>,
) -> Vec<ResourceChange> {
    let (Some(spec), Some(state)) = (spec, state) else {
        return Vec::new();
    };
    let name = spec.name();
    let address = Kind::Authorizer.at(name);
    let on_api = format!("on REST API {}", state.api);
    let mut changes = Vec::new();
    let mut fields = Vec::new();

    let change = match (state.named(name), &state.moved) {
        (Some(have), _) if have.kind != COGNITO_USER_POOLS => {
            let reason = format!(
                "a {} authorizer named `{name}` already exists {on_api}; it is not a Cognito authorizer and poolctl will not replace it: give the spec's authorizer another name",
                have.kind
            );
            Some(ResourceChange {
                address: address.clone(),
                action: Action::Blocked,
                fields: vec![FieldChange {
                    path: "type".into(),
                    before: Some(json!(have.kind)),
                    after: Some(json!(COGNITO_USER_POOLS)),
                    sensitive: false,
                    one_way_door: None,
                    blocked: Some(
                        "an authorizer's type cannot change to or from COGNITO_USER_POOLS".into(),
                    ),
                }],
                reasons: vec![reason],
            })
        }
        (Some(have), _) => {
            let want = desired_view(spec, state, pool_arn, false);
            let have = live_view(have, state.api.to_string(), state);
            compare(&want, Some(&have), "", &mut fields);
            (!fields.is_empty()).then(|| ResourceChange {
                address: address.clone(),
                action: Action::Update,
                fields: std::mem::take(&mut fields),
                reasons: vec![on_api.clone()],
            })
        }
        (None, Some(moved)) => {
            let want = desired_view(spec, state, pool_arn, false);
            let have = live_view(&moved.authorizer, moved.api.to_string(), state);
            compare(&want, Some(&have), "", &mut fields);
            let mut reasons = vec![format!(
                "moving to another REST API needs a new authorizer: apply creates it on {} and then deletes the one on {}",
                state.api, moved.api
            )];
            let action = if moved.used_by.is_empty() {
                reasons.push(super::NEEDS_ALLOW_REPLACE.into());
                Action::Replace
            } else {
                let routes: Vec<String> = moved.used_by.iter().map(|r| r.to_string()).collect();
                let reason = format!(
                    "the authorizer on {} still protects {}; API Gateway will not delete it while methods use it, and poolctl does not unprotect routes: move those methods to another authorizer first",
                    moved.api,
                    routes.join(", ")
                );
                for field in fields.iter_mut().filter(|f| f.path == "rest_api") {
                    field.blocked = Some(reason.clone());
                }
                reasons.push(reason);
                Action::Blocked
            };
            Some(ResourceChange {
                address: address.clone(),
                action,
                fields: std::mem::take(&mut fields),
                reasons,
            })
        }
        (None, None) => {
            let want = desired_view(spec, state, pool_arn, true);
            compare(&want, None, "", &mut fields);
            Some(ResourceChange {
                address: address.clone(),
                action: Action::Create,
                fields: std::mem::take(&mut fields),
                reasons: Vec::new(),
            })
        }
    };
    let deploy = change
        .as_ref()
        .is_some_and(|c| matches!(c.action, Action::Create | Action::Update | Action::Replace));
    changes.extend(change);

    if let Some(arn) = pool_arn.filter(|a| !a.is_empty()) {
        for other in state
            .authorizers
            .iter()
            .filter(|a| a.name != name && a.points_at(arn))
        {
            changes.push(ResourceChange {
                address: Kind::Authorizer.at(&other.name),
                action: Action::Unmanaged,
                fields: Vec::new(),
                reasons: vec![format!(
                    "{on_api}, it points at this pool but is not the spec's authorizer; poolctl never deletes it, not even with --prune"
                )],
            });
        }
    }
    if !state.elsewhere.is_empty() {
        let apis: Vec<String> = state
            .elsewhere
            .iter()
            .map(|(api, _)| api.to_string())
            .collect();
        warnings.push(format!(
            "authorizers named `{name}` that point at this pool also exist on REST APIs {}; poolctl cannot tell which one the spec moved from and leaves them alone",
            apis.join(", ")
        ));
    }
    if let (true, Some(stage)) = (deploy, &spec.stage) {
        changes.push(ResourceChange {
            address: Kind::Deployment.at(stage),
            action: Action::Create,
            fields: vec![FieldChange {
                path: "rest_api".into(),
                before: None,
                after: Some(json!(state.api.to_string())),
                sensitive: false,
                one_way_door: None,
                blocked: None,
            }],
            reasons: vec![format!(
                "deploys stage `{stage}` so that API Gateway serves the authorizer's changes"
            )],
        });
    }
    changes
}

/// An HTTP API's JWT authorizer, compared in the spec's terms.
#[derive(Serialize)]
struct HttpView {
    http_api: String,
    #[serde(rename = "type")]
    kind: String,
    issuer: Value,
    /// Client ids, sorted: API Gateway keeps no meaningful order.
    audience: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity_source: Option<String>,
}

/// The audience's client ids, or `None` while a named client does not exist
/// (it is created by the same apply) or its name is ambiguous.
pub fn audience_ids(names: &[String], state: &HttpAuthorizerState) -> Option<Vec<String>> {
    let mut ids = Vec::new();
    for name in names {
        match state.clients.get(name).map(Vec::as_slice) {
            Some([id]) => ids.push(id.clone()),
            _ => return None,
        }
    }
    ids.sort();
    ids.dedup();
    Some(ids)
}

fn http_desired_view(
    spec: &Authorizer,
    state: &HttpAuthorizerState,
    region: &str,
    pool_id: Option<&str>,
    creating: bool,
) -> Value {
    let names = spec.audience.clone().unwrap_or_default();
    let view = HttpView {
        http_api: state.api.to_string(),
        kind: JWT.to_string(),
        issuer: match pool_id {
            Some(id) => json!(issuer_url(region, id)),
            None => json!(KNOWN_AFTER_APPLY),
        },
        audience: match audience_ids(&names, state) {
            Some(ids) => json!(ids),
            None => json!(KNOWN_AFTER_APPLY),
        },
        identity_source: spec
            .identity_source
            .clone()
            .or_else(|| creating.then(|| DEFAULT_HTTP_IDENTITY_SOURCE.to_string())),
    };
    serde_json::to_value(view).expect("views serialize")
}

fn http_live_view(have: &JwtAuthorizer, state: &HttpAuthorizerState) -> Value {
    let mut audience = have.audience.clone();
    audience.sort();
    let view = HttpView {
        http_api: state.api.to_string(),
        kind: have.kind.clone(),
        issuer: json!(have.issuer),
        audience: json!(audience),
        identity_source: Some(have.identity_source.join(",")),
    };
    serde_json::to_value(view).expect("views serialize")
}

/// The JWT authorizer's change, and the unmanaged ones that trust the pool.
pub fn diff_http(
    spec: Option<&Authorizer>,
    state: Option<&HttpAuthorizerState>,
    region: &str,
    pool_id: Option<&str>,
) -> Vec<ResourceChange> {
    let (Some(spec), Some(state)) = (spec, state) else {
        return Vec::new();
    };
    let name = spec.name();
    let address = Kind::Authorizer.at(name);
    let on_api = format!("on HTTP API {}", state.api);
    let mut fields = Vec::new();
    let mut changes = Vec::new();
    match state.named(name) {
        Some(have) if have.kind != JWT => changes.push(ResourceChange {
            address,
            action: Action::Blocked,
            fields: vec![FieldChange {
                path: "type".into(),
                before: Some(json!(have.kind)),
                after: Some(json!(JWT)),
                sensitive: false,
                one_way_door: None,
                blocked: Some("an authorizer's type cannot change".into()),
            }],
            reasons: vec![format!(
                "a {} authorizer named `{name}` already exists {on_api}; it is not a JWT authorizer and poolctl will not replace it: give the spec's authorizer another name",
                have.kind
            )],
        }),
        Some(have) => {
            let want = http_desired_view(spec, state, region, pool_id, false);
            compare(&want, Some(&http_live_view(have, state)), "", &mut fields);
            if !fields.is_empty() {
                changes.push(ResourceChange {
                    address,
                    action: Action::Update,
                    fields,
                    reasons: vec![on_api.clone()],
                });
            }
        }
        None => {
            let want = http_desired_view(spec, state, region, pool_id, true);
            compare(&want, None, "", &mut fields);
            changes.push(ResourceChange {
                address,
                action: Action::Create,
                fields,
                reasons: Vec::new(),
            });
        }
    }
    if let Some(id) = pool_id {
        let issuer = issuer_url(region, id);
        for other in state
            .authorizers
            .iter()
            .filter(|a| a.name != name && a.issuer.as_deref() == Some(issuer.as_str()))
        {
            changes.push(ResourceChange {
                address: Kind::Authorizer.at(&other.name),
                action: Action::Unmanaged,
                fields: Vec::new(),
                reasons: vec![format!(
                    "{on_api}, it trusts this pool's tokens but is not the spec's authorizer; poolctl never deletes it, not even with --prune"
                )],
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::authorizer::{ApiRef, LiveMethod, Moved};
    use crate::model::authorizer::{Protect, Route};

    const ARN: &str = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_new";
    const OLD_ARN: &str = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_old";

    fn spec(extra: impl FnOnce(&mut Authorizer)) -> Authorizer {
        let mut a = Authorizer {
            rest_api: Some("shop-api".into()),
            name: Some("cognito".into()),
            result_ttl: Some(Duration(300)),
            ..Authorizer::default()
        };
        extra(&mut a);
        a
    }

    fn api(id: &str) -> ApiRef {
        ApiRef {
            id: id.into(),
            name: format!("api-{id}"),
        }
    }

    fn authorizer(id: &str, name: &str, arns: &[&str]) -> LiveAuthorizer {
        LiveAuthorizer {
            id: id.into(),
            name: name.into(),
            kind: COGNITO_USER_POOLS.into(),
            provider_arns: arns.iter().map(|a| a.to_string()).collect(),
            identity_source: Some(DEFAULT_IDENTITY_SOURCE.into()),
            result_ttl: Some(300),
        }
    }

    fn state(authorizers: Vec<LiveAuthorizer>) -> AuthorizerState {
        AuthorizerState {
            api: api("a1"),
            authorizers,
            ..AuthorizerState::default()
        }
    }

    fn run(spec: &Authorizer, state: &AuthorizerState, arn: Option<&str>) -> Vec<ResourceChange> {
        diff(Some(spec), Some(state), arn, &mut Vec::new())
    }

    fn summary(changes: &[ResourceChange]) -> Vec<(String, Action, Vec<String>)> {
        changes
            .iter()
            .map(|c| {
                (
                    c.address.to_string(),
                    c.action,
                    c.fields.iter().map(|f| f.path.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn a_new_pool_s_arn_is_known_after_apply() {
        let changes = run(&spec(|_| {}), &state(vec![]), None);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].action, Action::Create);
        let arns = changes[0]
            .fields
            .iter()
            .find(|f| f.path == "provider_arns")
            .unwrap();
        assert_eq!(arns.after, Some(json!(KNOWN_AFTER_APPLY)));
        let api = changes[0]
            .fields
            .iter()
            .find(|f| f.path == "rest_api")
            .unwrap();
        assert_eq!(api.after, Some(json!("api-a1 (a1)")));
    }

    #[test]
    fn in_sync_is_no_change_and_no_deployment() {
        let s = spec(|a| a.stage = Some("dev".into()));
        assert!(run(
            &s,
            &state(vec![authorizer("z1", "cognito", &[ARN])]),
            Some(ARN)
        )
        .is_empty());
    }

    #[test]
    fn a_changed_pool_arn_and_ttl_update_in_place_and_deploy() {
        let s = spec(|a| {
            a.result_ttl = Some(Duration(0));
            a.stage = Some("dev".into());
        });
        let changes = run(
            &s,
            &state(vec![authorizer("z1", "cognito", &[OLD_ARN])]),
            Some(ARN),
        );
        assert_eq!(
            summary(&changes),
            [
                (
                    "authorizer.cognito".to_string(),
                    Action::Update,
                    vec!["provider_arns".to_string(), "result_ttl".to_string()]
                ),
                (
                    "deployment.dev".to_string(),
                    Action::Create,
                    vec!["rest_api".to_string()]
                )
            ]
        );
        assert_eq!(changes[0].reasons, ["on REST API api-a1 (a1)"]);
    }

    #[test]
    fn protected_methods_compare_by_authorizer_name_and_declared_scopes() {
        let s = spec(|a| {
            a.protect = Some(vec![
                Protect {
                    route: "GET /orders".into(),
                    authorization_scopes: None,
                },
                Protect {
                    route: "POST /orders".into(),
                    authorization_scopes: Some(vec!["shop/write".into()]),
                },
            ])
        });
        let mut st = state(vec![
            authorizer("z1", "cognito", &[ARN]),
            LiveAuthorizer {
                kind: "TOKEN".into(),
                ..authorizer("t1", "lambda", &[])
            },
        ]);
        st.methods.insert(
            Route::parse("GET /orders").unwrap(),
            LiveMethod {
                resource_id: "r1".into(),
                authorization_type: COGNITO_USER_POOLS.into(),
                authorizer_id: Some("z1".into()),
                scopes: vec!["undeclared/kept".into()],
            },
        );
        st.methods.insert(
            Route::parse("POST /orders").unwrap(),
            LiveMethod {
                resource_id: "r1".into(),
                authorization_type: "CUSTOM".into(),
                authorizer_id: Some("t1".into()),
                scopes: vec![],
            },
        );
        let changes = run(&s, &st, Some(ARN));
        let fields: Vec<(String, Option<Value>, Option<Value>)> = changes[0]
            .fields
            .iter()
            .map(|f| (f.path.clone(), f.before.clone(), f.after.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "protect.POST /orders.authorization_type".to_string(),
                    Some(json!("CUSTOM")),
                    Some(json!(COGNITO_USER_POOLS))
                ),
                (
                    "protect.POST /orders.authorizer".to_string(),
                    Some(json!("lambda")),
                    Some(json!("cognito"))
                ),
                (
                    "protect.POST /orders.authorization_scopes".to_string(),
                    Some(json!([])),
                    Some(json!(["shop/write"]))
                ),
            ]
        );
    }

    #[test]
    fn moving_to_another_api_replaces_unless_methods_still_use_it() {
        let mut st = state(vec![]);
        st.moved = Some(Moved {
            api: api("old"),
            authorizer: authorizer("z0", "cognito", &[ARN]),
            used_by: vec![],
        });
        let changes = run(&spec(|_| {}), &st, Some(ARN));
        assert_eq!(
            summary(&changes),
            [(
                "authorizer.cognito".to_string(),
                Action::Replace,
                vec!["rest_api".to_string()]
            )]
        );
        assert!(changes[0].reasons[0].contains("deletes the one on api-old (old)"));

        st.moved.as_mut().unwrap().used_by = vec![Route::parse("GET /orders").unwrap()];
        let changes = run(&spec(|_| {}), &st, Some(ARN));
        assert_eq!(changes[0].action, Action::Blocked);
        assert!(changes[0].fields[0].blocked.is_some());
        assert!(
            changes[0].reasons[1].contains("still protects GET /orders"),
            "{:?}",
            changes[0].reasons
        );
    }

    #[test]
    fn a_same_named_lambda_authorizer_blocks() {
        let st = state(vec![LiveAuthorizer {
            kind: "TOKEN".into(),
            ..authorizer("t1", "cognito", &[])
        }]);
        let changes = run(&spec(|a| a.stage = Some("dev".into())), &st, Some(ARN));
        assert_eq!(
            summary(&changes),
            [(
                "authorizer.cognito".to_string(),
                Action::Blocked,
                vec!["type".to_string()]
            )]
        );
    }

    #[test]
    fn only_other_authorizers_pointing_at_the_pool_are_unmanaged() {
        let st = state(vec![
            authorizer("z1", "cognito", &[ARN]),
            authorizer("z2", "old-name", &[ARN, OLD_ARN]),
            authorizer("z3", "other-pool", &[OLD_ARN]),
            LiveAuthorizer {
                kind: "TOKEN".into(),
                ..authorizer("t1", "lambda", &[])
            },
        ]);
        let changes = run(&spec(|_| {}), &st, Some(ARN));
        assert_eq!(
            summary(&changes),
            [("authorizer.old-name".to_string(), Action::Unmanaged, vec![])]
        );
        assert!(changes[0].reasons[0].contains("never deletes it"));
        // Without the pool's ARN nothing can be recognized as pointing at it.
        assert!(run(&spec(|_| {}), &st, None)
            .iter()
            .all(|c| c.action != Action::Unmanaged));
    }

    fn http_state(
        clients: &[(&str, &str)],
        authorizers: Vec<JwtAuthorizer>,
    ) -> HttpAuthorizerState {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, id) in clients {
            map.entry(name.to_string())
                .or_default()
                .push(id.to_string());
        }
        HttpAuthorizerState {
            api: api("h1"),
            authorizers,
            clients: map,
        }
    }

    fn http_spec() -> Authorizer {
        Authorizer {
            http_api: Some("shop-http".into()),
            name: Some("cognito".into()),
            audience: Some(vec!["web".into(), "mobile".into()]),
            ..Authorizer::default()
        }
    }

    #[test]
    fn a_jwt_authorizer_trusts_the_pool_s_issuer_and_named_clients() {
        let st = http_state(&[("web", "c-web"), ("mobile", "c-mob")], vec![]);
        let changes = diff_http(
            Some(&http_spec()),
            Some(&st),
            "eu-west-1",
            Some("eu-west-1_P"),
        );
        let f: Vec<(String, Option<Value>)> = changes[0]
            .fields
            .iter()
            .map(|f| (f.path.clone(), f.after.clone()))
            .collect();
        assert_eq!(
            f,
            [
                ("http_api".to_string(), Some(json!("api-h1 (h1)"))),
                ("type".to_string(), Some(json!("JWT"))),
                (
                    "issuer".to_string(),
                    Some(json!(
                        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_P"
                    ))
                ),
                ("audience".to_string(), Some(json!(["c-mob", "c-web"]))),
                (
                    "identity_source".to_string(),
                    Some(json!("$request.header.Authorization"))
                ),
            ]
        );
        // A client not created yet (or a new pool): known after apply.
        let st = http_state(&[("web", "c-web")], vec![]);
        let changes = diff_http(Some(&http_spec()), Some(&st), "eu-west-1", None);
        let after = |path: &str| {
            changes[0]
                .fields
                .iter()
                .find(|f| f.path == path)
                .unwrap()
                .after
                .clone()
        };
        assert_eq!(after("issuer"), Some(json!(KNOWN_AFTER_APPLY)));
        assert_eq!(after("audience"), Some(json!(KNOWN_AFTER_APPLY)));
    }

    #[test]
    fn a_jwt_authorizer_updates_what_differs_and_lists_other_trusting_ones() {
        let issuer = issuer_url("us-east-1", "us-east-1_P");
        let have = |name: &str, audience: &[&str]| JwtAuthorizer {
            id: format!("id-{name}"),
            name: name.into(),
            kind: JWT.into(),
            issuer: Some(issuer.clone()),
            audience: audience.iter().map(|a| a.to_string()).collect(),
            identity_source: vec![DEFAULT_HTTP_IDENTITY_SOURCE.into()],
        };
        let st = http_state(
            &[("web", "c-web"), ("mobile", "c-mob")],
            vec![have("cognito", &["c-web"]), have("old", &["c-web"])],
        );
        let changes = diff_http(
            Some(&http_spec()),
            Some(&st),
            "us-east-1",
            Some("us-east-1_P"),
        );
        assert_eq!(
            summary(&changes),
            [
                (
                    "authorizer.cognito".to_string(),
                    Action::Update,
                    vec!["audience".to_string()]
                ),
                ("authorizer.old".to_string(), Action::Unmanaged, vec![])
            ]
        );
        let st = http_state(
            &[("web", "c-web"), ("mobile", "c-mob")],
            vec![have("cognito", &["c-web", "c-mob"])],
        );
        assert!(diff_http(
            Some(&http_spec()),
            Some(&st),
            "us-east-1",
            Some("us-east-1_P")
        )
        .is_empty());
    }

    #[test]
    fn several_candidates_elsewhere_are_a_warning_not_a_guess() {
        let mut st = state(vec![]);
        st.elsewhere = vec![
            (api("b"), authorizer("z1", "cognito", &[ARN])),
            (api("c"), authorizer("z2", "cognito", &[ARN])),
        ];
        let mut warnings = Vec::new();
        let changes = diff(Some(&spec(|_| {})), Some(&st), Some(ARN), &mut warnings);
        assert_eq!(changes[0].action, Action::Create);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("api-b (b), api-c (c)"), "{warnings:?}");
    }
}
