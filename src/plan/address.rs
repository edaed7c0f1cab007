//! A resource's address in a plan (`client.web`, `user_pool`) as a type: its
//! kind is an enum, so code that orders, applies or draws a change matches on
//! it exhaustively instead of splitting and comparing strings.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Every kind of resource a plan can change. Each one's word is the address
/// prefix (and spec word) users see; adding a variant makes the compiler
/// point at every place a kind must be handled (apply's phase and dispatch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    UserPool,
    Domain,
    Client,
    Group,
    ResourceServer,
    IdentityProvider,
    LambdaPermission,
    UiCustomization,
    ManagedLoginBranding,
    Replica,
    Authorizer,
    Deployment,
    IdentityPool,
}

impl Kind {
    /// The word in addresses: `client` of `client.web`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::UserPool => "user_pool",
            Kind::Domain => "domain",
            Kind::Client => "client",
            Kind::Group => "group",
            Kind::ResourceServer => "resource_server",
            Kind::IdentityProvider => "identity_provider",
            Kind::LambdaPermission => "lambda_permission",
            Kind::UiCustomization => "ui_customization",
            Kind::ManagedLoginBranding => "managed_login_branding",
            Kind::Replica => "replica",
            Kind::Authorizer => "authorizer",
            Kind::Deployment => "deployment",
            Kind::IdentityPool => "identity_pool",
        }
    }

    /// The address of this kind's resource `name`.
    pub fn at(self, name: impl Into<String>) -> Address {
        Address {
            kind: self,
            name: Some(name.into()),
        }
    }

    /// The address of a resource a pool has one of (`user_pool`, `domain`).
    pub fn one(self) -> Address {
        Address {
            kind: self,
            name: None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that names no resource kind poolctl knows (a saved plan written
/// by another version, or edited by hand).
#[derive(Debug, thiserror::Error)]
#[error("`{address}` is not a resource address poolctl knows: unknown resource kind `{kind}`")]
pub struct UnknownKind {
    pub address: String,
    pub kind: String,
}

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Parsed by the derived `Deserialize` (the snake_case variant name),
        // so a new variant is parsed without a list to keep in step.
        Kind::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(s))
            .map_err(|_| UnknownKind {
                address: s.to_string(),
                kind: s.to_string(),
            })
    }
}

/// `<kind>.<name>`, or only `<kind>` for a resource a pool has one of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    pub kind: Kind,
    pub name: Option<String>,
}

impl Address {
    /// `web` of `client.web`; empty for a resource of which there is one.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{}.{name}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

impl FromStr for Address {
    type Err = UnknownKind;

    /// The kind is the part before the first dot: names (an identity pool's
    /// provider key, a region) may hold dots, kinds never do.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, name) = match s.split_once('.') {
            Some((kind, name)) => (kind, Some(name.to_string())),
            None => (s, None),
        };
        let kind = kind.parse().map_err(|_| UnknownKind {
            address: s.to_string(),
            kind: kind.to_string(),
        })?;
        Ok(Address { kind, name })
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_print_and_parse_as_the_strings_they_were() {
        for text in [
            "user_pool",
            "domain",
            "ui_customization",
            "client.web",
            "managed_login_branding.web",
            "identity_pool.main",
            "identity_provider.cognito-idp.us-east-1.amazonaws.com/x:abc",
            "replica.eu-west-1",
        ] {
            let address: Address = text.parse().unwrap();
            assert_eq!(address.to_string(), text);
            let json = serde_json::to_string(&address).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            let back: Address = serde_json::from_str(&json).unwrap();
            assert_eq!(back, address);
        }
        let web: Address = "client.web".parse().unwrap();
        assert_eq!((web.kind, web.name()), (Kind::Client, "web"));
        assert_eq!("domain".parse::<Address>().unwrap(), Kind::Domain.one());
    }

    #[test]
    fn every_kind_round_trips_through_its_word() {
        for kind in [
            Kind::UserPool,
            Kind::Domain,
            Kind::Client,
            Kind::Group,
            Kind::ResourceServer,
            Kind::IdentityProvider,
            Kind::LambdaPermission,
            Kind::UiCustomization,
            Kind::ManagedLoginBranding,
            Kind::Replica,
            Kind::Authorizer,
            Kind::Deployment,
            Kind::IdentityPool,
        ] {
            assert_eq!(kind.as_str().parse::<Kind>().unwrap(), kind);
        }
    }

    #[test]
    fn an_unknown_kind_is_an_error_that_names_it() {
        let err = serde_json::from_str::<Address>("\"gizmo.web\"").unwrap_err();
        assert!(
            err.to_string().contains("unknown resource kind `gizmo`"),
            "{err}"
        );
        assert!("".parse::<Address>().is_err());
    }
}
