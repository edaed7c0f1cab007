//! Identity providers: everything changes in place except the type (delete
//! and create again). Beyond the generic comparison: an attribute mapping,
//! once declared, is the whole mapping (a live mapping the spec lacks is a
//! removal), except the `username` mapping AWS adds on its own; a SAML
//! provider moving from a URL to a file loses its URL; and an Apple private
//! key, which AWS never returns, is not compared at all.

use super::{diff_named, Forces, Named};
use crate::live::identity_provider::LiveIdentityProvider;
use crate::model::identity_provider::IdentityProvider;
use crate::plan::{FieldChange, ResourceChange};
use std::collections::BTreeMap;

/// The mapping AWS adds to every provider (`username: sub`) when the spec
/// gives none; compared only when the spec declares it.
const AWS_MAPPING: &str = "username";

/// What a changed field forces: its row in the providers' table says.
fn forces(path: &str) -> Option<Forces> {
    use crate::model::resource_tables::{replaces, IDENTITY_PROVIDER_SETTINGS};
    replaces(IDENTITY_PROVIDER_SETTINGS, path).map(|reason| Forces::Replace(reason.to_string()))
}

pub fn diff(
    desired: Option<&BTreeMap<String, IdentityProvider>>,
    live: &BTreeMap<String, LiveIdentityProvider>,
    prune: bool,
) -> Vec<ResourceChange> {
    let Some(desired) = desired else {
        return Vec::new();
    };
    let mut wanted = desired.clone();
    for (name, want) in &mut wanted {
        want.normalize();
        if live
            .get(name)
            .is_some_and(|l| l.model.private_key.is_none())
        {
            want.private_key = None;
        }
    }
    let live_models: BTreeMap<String, IdentityProvider> = live
        .iter()
        .map(|(name, l)| (name.clone(), l.model.clone()))
        .collect();
    // What the spec takes away by what it declares (a mapping managed whole,
    // a SAML URL replaced by a file) is not a leaf the compare sees.
    let removed = |name: &str, _: &IdentityProvider, have: Option<&IdentityProvider>| match (
        desired.get(name),
        have,
    ) {
        (Some(want), Some(have)) => removals(want, have),
        _ => Vec::new(),
    };
    diff_named(Named {
        kind: crate::plan::Kind::IdentityProvider,
        desired: Some(&wanted),
        live: &live_models,
        prune,
        forces: &forces,
        delete_warning: Some(
            "users who signed in through this provider can no longer sign in that way",
        ),
        extra: &removed,
    })
}

/// Live settings the spec takes away by what it declares.
fn removals(want: &IdentityProvider, have: &IdentityProvider) -> Vec<FieldChange> {
    let removed = |path: String, before: &str| FieldChange {
        path,
        before: Some(serde_json::Value::String(before.to_string())),
        after: None,
        sensitive: false,
        one_way_door: None,
        blocked: None,
    };
    let mut out = Vec::new();
    if let (Some(wanted), Some(live)) = (&want.attribute_mapping, &have.attribute_mapping) {
        for (attribute, claim) in live {
            if attribute != AWS_MAPPING && !wanted.contains_key(attribute) {
                out.push(removed(format!("attribute_mapping.{attribute}"), claim));
            }
        }
    }
    if want.metadata_file.is_some() {
        if let Some(url) = &have.metadata_url {
            out.push(removed("metadata_url".into(), url));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::enums::ProviderType;
    use crate::model::identity_provider::MetadataDocument;
    use crate::model::Secret;
    use crate::plan::Action;

    fn google(secret: &str, mapping: &[(&str, &str)]) -> IdentityProvider {
        IdentityProvider {
            provider_type: Some(ProviderType::Google),
            client_id: Some("id".into()),
            client_secret: Some(Secret::new(secret)),
            authorize_scopes: Some(vec!["openid".into(), "email".into()]),
            attribute_mapping: Some(
                mapping
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            ..Default::default()
        }
    }

    fn live(model: IdentityProvider) -> LiveIdentityProvider {
        let mut model = model;
        model.normalize();
        LiveIdentityProvider {
            model,
            ..Default::default()
        }
    }

    fn one(desired: IdentityProvider, have: IdentityProvider) -> Vec<ResourceChange> {
        let desired = BTreeMap::from([("Google".to_string(), desired)]);
        let live = BTreeMap::from([("Google".to_string(), live(have))]);
        diff(Some(&desired), &live, false)
    }

    #[test]
    fn aws_username_mapping_and_scope_order_are_not_drift() {
        let changes = one(
            google("s", &[("email", "email")]),
            google("s", &[("email", "email"), ("username", "sub")]),
        );
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn a_changed_secret_is_sensitive_and_valueless() {
        let changes = one(google("new", &[]), google("old", &[]));
        assert_eq!(changes.len(), 1);
        let field = &changes[0].fields[0];
        assert_eq!(field.path, "client_secret");
        assert!(field.sensitive && field.before.is_none() && field.after.is_none());
    }

    #[test]
    fn a_mapping_the_spec_dropped_is_removed() {
        let changes = one(
            google("s", &[("email", "email")]),
            google("s", &[("email", "email"), ("picture", "picture")]),
        );
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].action, Action::Update);
        let f = &changes[0].fields[0];
        assert_eq!(
            (f.path.as_str(), f.before.clone(), f.after.clone()),
            (
                "attribute_mapping.picture",
                Some(serde_json::json!("picture")),
                None
            )
        );
    }

    #[test]
    fn a_type_change_is_a_replacement() {
        let saml = IdentityProvider {
            provider_type: Some(ProviderType::Saml),
            metadata_url: Some("https://idp.example.com/m".into()),
            ..Default::default()
        };
        let oidc = IdentityProvider {
            provider_type: Some(ProviderType::Oidc),
            ..Default::default()
        };
        let changes = one(oidc, saml);
        assert_eq!(changes[0].action, Action::Replace);
        assert!(changes[0].reasons[0].contains("type is fixed"));
    }

    #[test]
    fn apple_private_keys_are_not_compared_when_aws_hides_them() {
        let apple = |key: Option<&str>| IdentityProvider {
            provider_type: Some(ProviderType::Apple),
            key_id: Some("K1".into()),
            private_key: key.map(Secret::new),
            ..Default::default()
        };
        assert!(one(apple(Some("pem")), apple(None)).is_empty());
        assert_eq!(one(apple(Some("pem")), apple(Some("other"))).len(), 1);
    }

    #[test]
    fn moving_saml_metadata_from_a_url_to_a_file_drops_the_url() {
        let doc = MetadataDocument::from_content("<md/>");
        let have = IdentityProvider {
            provider_type: Some(ProviderType::Saml),
            metadata_url: Some("https://idp.example.com/m".into()),
            metadata_file: Some(doc.clone()),
            ..Default::default()
        };
        let want = IdentityProvider {
            provider_type: Some(ProviderType::Saml),
            metadata_file: Some(doc),
            ..Default::default()
        };
        let changes = one(want, have);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].fields[0].path, "metadata_url");
        assert_eq!(changes[0].fields[0].after, None);
    }

    #[test]
    fn undeclared_providers_are_unmanaged_after_the_declared_ones() {
        let desired = BTreeMap::from([("Zed".to_string(), google("s", &[]))]);
        let live = BTreeMap::from([
            ("Aardvark".to_string(), LiveIdentityProvider::default()),
            ("Zed".to_string(), live(google("t", &[]))),
        ]);
        let changes = diff(Some(&desired), &live, false);
        let actions: Vec<(String, Action)> = changes
            .iter()
            .map(|c| (c.address.to_string(), c.action))
            .collect();
        assert_eq!(
            actions,
            [
                ("identity_provider.Zed".to_string(), Action::Update),
                ("identity_provider.Aardvark".to_string(), Action::Unmanaged)
            ]
        );
        assert!(diff(None, &live, true).is_empty());
    }
}
