//! Checks of the pool's Lambda triggers: function ARNs, event versions and
//! the tier they need, the custom senders' KMS key, and the region.

use super::Checks;
use crate::model::enums::{PreTokenLambdaVersion, Tier};
use crate::model::triggers::{FunctionArn, Triggers};

pub fn check(
    triggers: Option<&Triggers>,
    tier: Option<Tier>,
    region: Option<&str>,
    c: &mut Checks,
) {
    let Some(t) = triggers else { return };
    for (name, function) in t.declared() {
        let Some(arn) = function else { continue };
        let field = format!("triggers.{name}");
        match FunctionArn::parse(arn) {
            None => {
                c.error(
                    &field,
                    format!("`{arn}` is not a Lambda function ARN"),
                )
                .help = Some(
                    "e.g. `arn:aws:lambda:us-east-1:123456789012:function:shop-pre-signup` (a version or alias may follow: `...:function:NAME:live`)".into(),
                );
            }
            Some(parsed) => {
                if let Some(region) = region.filter(|r| *r != parsed.region) {
                    c.warn(
                        &field,
                        format!(
                            "the function is in {}, the pool in {region}: Cognito only invokes triggers in the pool's own region",
                            parsed.region
                        ),
                    );
                }
            }
        }
    }

    if let Some(pre_token) = t.pre_token_generation.as_ref().and_then(|s| s.attached()) {
        let version = pre_token.lambda_version;
        if version != PreTokenLambdaVersion::V1 {
            let field = "triggers.pre_token_generation.lambda_version";
            match tier {
                Some(Tier::Lite) => {
                    c.error(
                        field,
                        format!("pre token generation `{version}` (access token customization) needs the essentials or plus tier, but `tier` is lite"),
                    );
                }
                None => {
                    c.warn(
                        field,
                        format!("pre token generation `{version}` needs the essentials or plus tier; declare `tier` to be sure"),
                    );
                }
                Some(_) => {}
            }
        }
    }

    let senders = [
        ("custom_sms_sender", &t.custom_sms_sender),
        ("custom_email_sender", &t.custom_email_sender),
    ];
    for (name, slot) in senders {
        if slot.as_ref().and_then(|s| s.attached()).is_some() && t.kms_key_id.is_none() {
            c.error(
                format!("triggers.{name}"),
                "a custom sender needs `kms_key_id`: the KMS key Cognito encrypts codes with for the function to decrypt",
            );
        }
    }
    if let Some(key) = &t.kms_key_id {
        if !is_kms_key_arn(key) {
            c.error(
                "triggers.kms_key_id",
                format!("`{key}` is not a KMS key ARN (like arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab)"),
            );
        }
    }
}

fn is_kms_key_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    matches!(
        parts.as_slice(),
        ["arn", partition, "kms", region, account, resource]
            if partition.starts_with("aws")
                && !region.is_empty()
                && account.len() == 12
                && account.chars().all(|ch| ch.is_ascii_digit())
                && resource.strip_prefix("key/").is_some_and(|id| !id.is_empty())
    )
}

#[cfg(test)]
mod tests {
    use crate::spec::check::testing::messages;
    use crate::spec::{document, yaml};

    const F: &str = "arn:aws:lambda:us-east-1:123456789012:function";

    #[test]
    fn function_arns_are_checked() {
        let m = messages(&format!(
            "triggers:\n  pre_sign_up: {F}:pre\n  custom_message: {F}:msg:live\n  post_confirmation: arn:aws:lambda:us-east-1:123456789012:layer:x\n  user_migration: false\n"
        ));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].0);
        assert_eq!(m[0].1, "triggers.post_confirmation");
        assert!(m[0].2.contains("not a Lambda function ARN"), "{m:?}");
    }

    #[test]
    fn another_region_is_a_warning() {
        let m = messages(
            "triggers:\n  pre_sign_up: arn:aws:lambda:eu-west-1:123456789012:function:pre\n",
        );
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(!m[0].0);
        assert!(m[0].2.contains("eu-west-1"), "{m:?}");
    }

    #[test]
    fn pre_token_v2_and_v3_need_essentials_or_plus() {
        let spec = |tier: &str, version: &str| {
            format!("{tier}triggers:\n  pre_token_generation: {{ lambda_arn: {F}:claims, lambda_version: {version} }}\n")
        };
        let m = messages(&spec("tier: lite\n", "v2"));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].0 && m[0].2.contains("essentials or plus"), "{m:?}");
        assert_eq!(m[0].1, "triggers.pre_token_generation.lambda_version");
        let m = messages(&spec("", "v3"));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(!m[0].0, "undeclared tier only warns: {m:?}");
        assert!(messages(&spec("tier: essentials\n", "v3")).is_empty());
        assert!(messages(&spec("tier: lite\n", "v1")).is_empty());
        assert!(messages(&format!(
            "tier: lite\ntriggers:\n  pre_token_generation: {F}:claims\n"
        ))
        .is_empty());
    }

    #[test]
    fn custom_senders_need_a_kms_key_and_version_one() {
        let m = messages(&format!("triggers:\n  custom_email_sender: {F}:mail\n"));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].0 && m[0].2.contains("kms_key_id"), "{m:?}");
        assert_eq!(m[0].1, "triggers.custom_email_sender");
        let ok = format!("triggers:\n  custom_sms_sender: {{ lambda_arn: {F}:sms, lambda_version: v1 }}\n  kms_key_id: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab\n");
        assert!(messages(&ok).is_empty(), "{:?}", messages(&ok));
        let m = messages(&ok.replace("key/1234abcd-12ab", "alias/mine"));
        assert!(m[0].0 && m[0].1 == "triggers.kms_key_id", "{m:?}");

        // Version 2 does not exist for senders: refused when the spec is read.
        let root = yaml::parse(&format!(
            "triggers:\n  custom_sms_sender: {{ lambda_arn: {F}:sms, lambda_version: v2 }}\n"
        ))
        .unwrap();
        let errs = document::read(root.as_mapping().unwrap()).unwrap_err();
        assert!(errs[0].message.contains("unknown value `v2`"), "{errs:?}");
        assert_eq!(
            errs[0].field.as_deref(),
            Some("triggers.custom_sms_sender.lambda_version")
        );
    }

    #[test]
    fn detaching_needs_no_function_and_true_is_refused() {
        assert!(
            messages("triggers:\n  pre_sign_up: false\n  custom_sms_sender: false\n").is_empty()
        );
        let root = yaml::parse("triggers:\n  pre_sign_up: true\n").unwrap();
        let errs = document::read(root.as_mapping().unwrap()).unwrap_err();
        assert!(errs[0].message.contains("`false` to detach"), "{errs:?}");
        assert_eq!(errs[0].field.as_deref(), Some("triggers.pre_sign_up"));
    }
}
