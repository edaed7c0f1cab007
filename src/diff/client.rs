//! App clients: everything changes in place except the secret setting, which
//! replaces the client (and so its id). A name several live clients share
//! cannot be planned at all.

use super::{diff_named, Forces, Named};
use crate::live::client::LiveClients;
use crate::model::client::AppClient;
use crate::plan::{Action, Kind, ResourceChange};
use std::collections::BTreeMap;

pub use crate::model::resource_tables::SECRET_IS_FIXED;
use crate::model::resource_tables::{replaces, CLIENT_SETTINGS};

/// What a changed field forces: its row in the clients' table says.
fn forces(path: &str) -> Option<Forces> {
    replaces(CLIENT_SETTINGS, path).map(|reason| Forces::Replace(reason.to_string()))
}

pub fn diff(
    desired: Option<&BTreeMap<String, AppClient>>,
    live: &LiveClients,
    prune: bool,
    warnings: &mut Vec<String>,
) -> Vec<ResourceChange> {
    let Some(desired) = desired else {
        return Vec::new();
    };
    // Both sides in one canonical form, so list order never shows as a change.
    let mut plannable = BTreeMap::new();
    let mut shared = Vec::new();
    for (name, client) in desired {
        if live.shared_names.contains_key(name) {
            shared.push(name);
            continue;
        }
        let mut client = client.clone();
        client.normalize();
        // Branding is planned as resources of its own (`diff::branding`).
        client.ui_customization = None;
        client.managed_login_branding = None;
        plannable.insert(name.clone(), client);
    }
    let mut live_models = live.models();
    for name in live.shared_names.keys() {
        // Undeclared, they are unmanaged (and pruned) like any other client.
        if !desired.contains_key(name) {
            live_models.insert(name.clone(), AppClient::default());
        }
    }

    let mut changes = diff_named(Named {
        kind: Kind::Client,
        desired: Some(&plannable),
        live: &live_models,
        prune,
        forces: &forces,
        delete_warning: Some(
            "every app using this client's id stops signing in, and its users' refresh tokens stop working",
        ),
        extra: &super::no_extra,
    });
    for change in &mut changes {
        let name = change.address.name().to_string();
        if let Some(clients) = live.shared_names.get(&name) {
            let ids: Vec<&str> = clients.iter().map(|c| c.id.as_str()).collect();
            change.reasons.push(format!(
                "{} live clients have this name ({}); deleting removes them all",
                ids.len(),
                ids.join(", ")
            ));
        }
        // A replacement is a new client, without threat protection of its
        // own: everything the spec declares of it is set again.
        if change.action == Action::Replace {
            if let Some(threat) = plannable
                .get(&name)
                .and_then(|c| c.threat_protection.as_ref())
            {
                let mut fields = Vec::new();
                super::compare(
                    &serde_json::to_value(threat).expect("models serialize"),
                    None,
                    "threat_protection",
                    &mut fields,
                );
                change
                    .fields
                    .retain(|f| !f.path.starts_with("threat_protection"));
                change.fields.extend(fields);
            }
        }
        let gets_secret = matches!(change.action, Action::Create | Action::Replace)
            && plannable.get(&name).is_some_and(AppClient::has_secret);
        if gets_secret {
            warnings.push(format!(
                "{}: gets a client secret: only a server can keep it, and it can never be removed without replacing the client",
                change.address
            ));
        }
    }
    for name in shared {
        let clients = &live.shared_names[name];
        let ids: Vec<String> = clients
            .iter()
            .map(|c| match &c.raw.creation_date {
                Some(date) => format!("{} (created {date})", c.id),
                None => c.id.clone(),
            })
            .collect();
        changes.push(ResourceChange {
            address: Kind::Client.at(name),
            action: Action::Blocked,
            fields: Vec::new(),
            reasons: vec![
                format!(
                    "{} live clients are named `{name}`: {}; poolctl cannot tell which one the spec means",
                    clients.len(),
                    ids.join(", ")
                ),
                "delete or rename all but one of them (the one apps use) by hand".to_string(),
            ],
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::client::LiveClient;
    use crate::model::Duration;
    use aws_sdk_cognitoidentityprovider::types as sdk;

    fn spec(yaml: &str) -> BTreeMap<String, AppClient> {
        let node = marked_yaml::parse_yaml(0, yaml).unwrap();
        marked_yaml::from_node(&node).unwrap()
    }

    fn live_client(id: &str, name: &str, raw: sdk::UserPoolClientType, secret: bool) -> LiveClient {
        let mut raw = raw;
        raw.client_name = Some(name.into());
        raw.client_id = Some(id.into());
        let mut model = crate::live::client::to_model(&raw, secret);
        model.normalize();
        LiveClient {
            id: id.into(),
            raw,
            model,
        }
    }

    /// The example's `web` client as AWS would describe it, in other units
    /// and another order.
    fn live_web() -> LiveClients {
        let raw = sdk::UserPoolClientType::builder()
            .explicit_auth_flows(sdk::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .explicit_auth_flows(sdk::ExplicitAuthFlowsType::AllowUserSrpAuth)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(sdk::OAuthFlowType::Code)
            .allowed_o_auth_scopes("profile")
            .allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .callback_urls("https://shop.example.com/callback")
            .supported_identity_providers("COGNITO")
            .access_token_validity(60)
            .id_token_validity(1)
            .refresh_token_validity(30)
            .token_validity_units(
                sdk::TokenValidityUnitsType::builder()
                    .access_token(sdk::TimeUnitsType::Minutes)
                    .build(),
            )
            .prevent_user_existence_errors(sdk::PreventUserExistenceErrorTypes::Enabled)
            .build();
        let mut live = LiveClients::default();
        live.by_name
            .insert("web".into(), live_client("id-web", "web", raw, false));
        live
    }

    const WEB: &str = "web:
  explicit_auth_flows: [user_srp, refresh_token]
  allowed_oauth_flows: [code]
  allowed_oauth_scopes: [openid, email, profile]
  callback_urls: [https://shop.example.com/callback]
  supported_identity_providers: [COGNITO]
  access_token_validity: 1h
  id_token_validity: 60m
  refresh_token_validity: 30d
  prevent_user_existence_errors: true
";

    fn plan(desired: &str, live: &LiveClients, prune: bool) -> Vec<ResourceChange> {
        diff(Some(&spec(desired)), live, prune, &mut Vec::new())
    }

    #[test]
    fn same_client_in_other_units_and_order_is_no_change() {
        assert!(plan(WEB, &live_web(), false).is_empty());
    }

    #[test]
    fn one_field_changes_exactly_that_field() {
        let changes = plan(&WEB.replace("60m", "2h"), &live_web(), false);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].action, Action::Update);
        let f = &changes[0].fields;
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].path, "id_token_validity");
        assert_eq!(f[0].before, Some(serde_json::json!("1h")));
        assert_eq!(f[0].after, Some(serde_json::json!("2h")));

        let changes = plan(
            &WEB.replace("[openid, email, profile]", "[openid, email]"),
            &live_web(),
            false,
        );
        assert_eq!(changes[0].fields[0].path, "allowed_oauth_scopes");
    }

    #[test]
    fn the_secret_setting_forces_replacement() {
        let mut warnings = Vec::new();
        let desired = spec(&format!("{WEB}  generate_secret: true\n"));
        let changes = diff(Some(&desired), &live_web(), false, &mut warnings);
        assert_eq!(changes[0].action, Action::Replace);
        assert_eq!(changes[0].reasons[0], SECRET_IS_FIXED);
        assert_eq!(changes[0].fields[0].path, "generate_secret");
        assert_eq!(warnings.len(), 1, "{warnings:?}");

        // Undeclared means public: a live secret is a replacement too.
        let mut live = live_web();
        let web = live.by_name.get_mut("web").unwrap();
        web.model.generate_secret = Some(true);
        let changes = plan(WEB, &live, false);
        assert_eq!(changes[0].action, Action::Replace);
        assert_eq!(changes[0].fields[0].before, Some(serde_json::json!(true)));
    }

    #[test]
    fn new_clients_show_every_declared_field() {
        let mut warnings = Vec::new();
        let changes = diff(
            Some(&spec(
                "api: { generate_secret: true, refresh_token_validity: 1h }\n",
            )),
            &LiveClients::default(),
            false,
            &mut warnings,
        );
        assert_eq!(changes[0].action, Action::Create);
        let paths: Vec<_> = changes[0].fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["generate_secret", "refresh_token_validity"]);
        assert_eq!(warnings.len(), 1);
        let _ = Duration(0);
    }

    #[test]
    fn clients_not_in_the_spec_are_unmanaged_or_pruned() {
        let changes = plan("{}\n", &live_web(), false);
        assert_eq!(changes[0].action, Action::Unmanaged);
        let changes = plan("{}\n", &live_web(), true);
        assert_eq!(changes[0].action, Action::Delete);
        assert!(changes[0].reasons[0].contains("stops signing in"));
    }

    #[test]
    fn a_shared_name_blocks_when_declared() {
        let mut live = LiveClients::default();
        let raw = sdk::UserPoolClientType::builder().build();
        live.shared_names.insert(
            "web".into(),
            vec![
                live_client("id-1", "web", raw.clone(), false),
                live_client("id-2", "web", raw, false),
            ],
        );
        let changes = plan(WEB, &live, false);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].action, Action::Blocked);
        assert!(
            changes[0].reasons[0].contains("id-1, id-2"),
            "{:?}",
            changes[0].reasons
        );

        let changes = plan("{}\n", &live, true);
        assert_eq!(changes[0].action, Action::Delete);
        assert!(changes[0]
            .reasons
            .iter()
            .any(|r| r.contains("removes them all")));
    }
}
