//! Checks of multi-Region replicas: what `CreateUserPoolReplica` refuses
//! (a region that is no region, the pool's own region, a pool on the lite
//! tier) and its tags' limits.

use super::{is_region, Checks};
use crate::model::enums::Tier;
use crate::spec::document::Document;

pub fn check(doc: &Document, c: &mut Checks) {
    let Some(replicas) = &doc.resources.replicas else {
        return;
    };
    let own = doc.env.region.as_deref();
    if !replicas.is_empty() && doc.settings.tier == Some(Tier::Lite) {
        c.error(
            "replicas",
            "multi-Region replication needs the essentials or plus tier, but `tier` is lite",
        );
    }
    for (region, replica) in replicas {
        let field = format!("replicas.{region}");
        if !is_region(region) {
            c.error(
                &field,
                format!("`{region}` is not an AWS region name (like us-west-2)"),
            );
        } else if Some(region.as_str()) == own {
            c.error(
                &field,
                format!("{region} is the pool's own region: a replica lives in another region"),
            );
        }
        if let Some(tags) = &replica.tags {
            if tags.len() > 50 {
                c.error(
                    format!("{field}.tags"),
                    format!("{} tags; Cognito accepts at most 50", tags.len()),
                );
            }
            for (key, value) in tags {
                if key.is_empty() || key.chars().count() > 128 {
                    c.error(
                        format!("{field}.tags.{key}"),
                        "tag keys are 1-128 characters",
                    );
                }
                c.max_len(&format!("{field}.tags.{key}"), Some(value), 256);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::check::testing::messages;
    use crate::spec::{document, yaml};

    #[test]
    fn a_replica_in_another_region_is_accepted() {
        let m = messages("tier: essentials\nreplicas:\n  us-west-2: { status: inactive, tags: { team: id } }\n  eu-west-1: {}\n");
        assert!(m.is_empty(), "{m:?}");
    }

    #[test]
    fn what_aws_refuses_is_an_error() {
        let m = messages("replicas:\n  us-east-1: {}\n  mars-1: {}\n");
        assert!(
            m.iter()
                .any(|(e, f, msg)| *e && f == "replicas.us-east-1" && msg.contains("own region")),
            "{m:?}"
        );
        assert!(
            m.iter().any(|(e, f, _)| *e && f == "replicas.mars-1"),
            "{m:?}"
        );
        let m = messages("tier: lite\nreplicas: { us-west-2: {} }\n");
        assert!(
            m.iter()
                .any(|(e, f, msg)| *e && f == "replicas" && msg.contains("lite")),
            "{m:?}"
        );
        let root = yaml::parse(
            "name: shop\nregion: us-east-1\nreplicas: { us-west-2: { status: creating } }\n",
        )
        .unwrap();
        assert!(document::read(root.as_mapping().unwrap()).is_err());
    }
}
