//! Checks of the pool's passkey settings (`web_authn`) and of passkeys as a
//! first sign-in factor. The relying party id's length is its row's check
//! (`model::pool_table`); the tier passwordless sign-in needs is checked
//! with the sign-in policy (`check::pool`). What is left are foot-guns AWS
//! accepts, so they are warnings.

use super::Checks;
use crate::model::enums::AuthFactor;
use crate::spec::document::Document;

pub fn check(doc: &Document, c: &mut Checks) {
    let settings = &doc.settings;
    let rp = settings
        .web_authn
        .as_ref()
        .and_then(|w| w.relying_party_id.as_deref());
    if let Some(rp) = rp {
        if rp.contains("://") || rp.contains('/') || rp.contains(':') {
            c.warn(
                "web_authn.relying_party_id",
                format!("`{rp}` is not a bare domain name: a relying party id is a host like `auth.example.com`, without scheme, port or path, and passkeys registered for anything else never match"),
            );
        }
    }
    let passkey_sign_in = settings
        .sign_in_policy
        .as_ref()
        .and_then(|p| p.allowed_first_auth_factors.as_ref())
        .is_some_and(|f| f.contains(&AuthFactor::WebAuthn));
    let custom = doc
        .resources
        .domain
        .as_ref()
        .and_then(|d| d.custom.as_deref());
    if let (true, Some(custom)) = (passkey_sign_in, custom) {
        if rp != Some(custom) {
            c.warn(
                "web_authn.relying_party_id",
                format!("passkey sign-in with the custom domain `{custom}`: managed login and the hosted UI need the relying party id to be that domain; set `web_authn.relying_party_id: {custom}`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::check::testing::messages;
    use crate::spec::{document, yaml};

    #[test]
    fn web_authn_is_accepted_as_a_first_factor() {
        let m = messages("tier: essentials\nsign_in_policy: { allowed_first_auth_factors: [password, web_authn] }\nweb_authn: { relying_party_id: auth.example.com, user_verification: required }\n");
        assert!(m.is_empty(), "{m:?}");
    }

    #[test]
    fn lite_refuses_passkey_sign_in_and_a_long_id_is_refused() {
        let m = messages(
            "tier: lite\nsign_in_policy: { allowed_first_auth_factors: [password, web_authn] }\n",
        );
        assert!(
            m.iter()
                .any(|(e, f, _)| *e && f == "sign_in_policy.allowed_first_auth_factors"),
            "{m:?}"
        );
        let long = "a".repeat(128);
        let m = messages(&format!("web_authn: {{ relying_party_id: {long} }}\n"));
        assert!(
            m.iter()
                .any(|(e, f, _)| *e && f == "web_authn.relying_party_id"),
            "{m:?}"
        );
    }

    #[test]
    fn foot_guns_are_warnings() {
        let m = messages("web_authn: { relying_party_id: 'https://auth.example.com' }\n");
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(!m[0].0 && m[0].2.contains("bare domain"), "{m:?}");

        let m = messages("tier: essentials\nsign_in_policy: { allowed_first_auth_factors: [password, web_authn] }\ndomain: { custom: auth.example.com, certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/x }\n");
        assert!(
            m.iter().any(|(e, f, msg)| !e
                && f == "web_authn.relying_party_id"
                && msg.contains("auth.example.com")),
            "{m:?}"
        );
        assert!(m.iter().all(|(e, ..)| !e), "{m:?}");
    }

    #[test]
    fn a_bad_user_verification_is_refused_when_read() {
        let root = yaml::parse(
            "name: shop\nregion: us-east-1\nweb_authn: { user_verification: always }\n",
        )
        .unwrap();
        assert!(document::read(root.as_mapping().unwrap()).is_err());
    }
}
