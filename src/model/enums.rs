//! Closed sets of values (sign-in attributes, MFA modes, tiers, ...): their
//! spec spelling, their AWS API spelling, and the conversions between them.

/// Declares an enum whose spec form is lower-case (with optional aliases) and
/// whose AWS form is the API's own string, so every conversion goes through one
/// table instead of a hand-written match per direction.
macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $variant:ident = $spec:literal / $api:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value as written in a spec.
            pub const SPEC_NAMES: &'static [&'static str] = &[$($spec),+];

            /// The spelling in a spec file.
            pub fn spec_name(self) -> &'static str {
                match self { $($name::$variant => $spec),+ }
            }

            /// The spelling the AWS API uses.
            pub fn api_name(self) -> &'static str {
                match self { $($name::$variant => $api),+ }
            }

            /// From the AWS API's spelling; `None` for a value this version of
            /// poolctl does not know.
            pub fn from_api(value: &str) -> Option<Self> {
                match value { $($api => Some($name::$variant),)+ _ => None }
            }

            pub fn from_spec(value: &str) -> Option<Self> {
                match value { $($spec $(| $alias)* => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.spec_name())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.spec_name())
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                // Every spelling `from_spec` accepts, aliases included.
                let names: &[&str] = &[$($spec $(, $alias)*),+];
                schemars::json_schema!({ "type": "string", "enum": names })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::from_spec(&text)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&text, Self::SPEC_NAMES))
            }
        }
    };
}

api_enum! {
    /// What users type as their user name.
    pub enum UsernameAttribute {
        Email = "email" / "email",
        PhoneNumber = "phone_number" / "phone_number",
    }
}

api_enum! {
    /// Attributes users may sign in with besides their user name.
    pub enum AliasAttribute {
        Email = "email" / "email",
        PhoneNumber = "phone_number" / "phone_number",
        PreferredUsername = "preferred_username" / "preferred_username",
    }
}

api_enum! {
    /// Attributes Cognito verifies by sending a code.
    pub enum VerifiedAttribute {
        Email = "email" / "email",
        PhoneNumber = "phone_number" / "phone_number",
    }
}

api_enum! {
    /// Whether users need a second factor.
    pub enum MfaMode {
        Off = "off" / "OFF",
        Optional = "optional" / "OPTIONAL",
        Required = "required" / "ON" | "on",
    }
}

api_enum! {
    /// How a user gets back into an account.
    pub enum RecoveryMechanism {
        VerifiedEmail = "verified_email" / "verified_email",
        VerifiedPhoneNumber = "verified_phone_number" / "verified_phone_number",
        AdminOnly = "admin_only" / "admin_only",
    }
}

api_enum! {
    /// On or off, for deletion protection.
    pub enum Activation {
        Active = "active" / "ACTIVE",
        Inactive = "inactive" / "INACTIVE",
    }
}

api_enum! {
    /// The user pool's feature plan.
    pub enum Tier {
        Lite = "lite" / "LITE",
        Essentials = "essentials" / "ESSENTIALS",
        Plus = "plus" / "PLUS",
    }
}

api_enum! {
    /// The data type of a schema attribute.
    pub enum AttributeType {
        String = "string" / "String",
        Number = "number" / "Number",
        DateTime = "datetime" / "DateTime",
        Boolean = "boolean" / "Boolean",
    }
}

api_enum! {
    /// Whether verification emails carry a code or a link.
    pub enum DefaultEmailOption {
        ConfirmWithCode = "confirm_with_code" / "CONFIRM_WITH_CODE",
        ConfirmWithLink = "confirm_with_link" / "CONFIRM_WITH_LINK",
    }
}

api_enum! {
    /// Who sends the pool's email: Cognito, or SES in the developer's account.
    pub enum EmailSendingAccount {
        CognitoDefault = "cognito_default" / "COGNITO_DEFAULT",
        Developer = "developer" / "DEVELOPER",
    }
}

api_enum! {
    /// Threat protection for standard authentication.
    pub enum AdvancedSecurityMode {
        Off = "off" / "OFF",
        Audit = "audit" / "AUDIT",
        Enforced = "enforced" / "ENFORCED",
    }
}

api_enum! {
    /// Threat protection for custom authentication.
    pub enum CustomAuthMode {
        Audit = "audit" / "AUDIT",
        Enforced = "enforced" / "ENFORCED",
    }
}

api_enum! {
    /// Factors a user may start a sign-in with (choice-based authentication).
    pub enum AuthFactor {
        Password = "password" / "PASSWORD",
        EmailOtp = "email_otp" / "EMAIL_OTP",
        SmsOtp = "sms_otp" / "SMS_OTP",
        WebAuthn = "web_authn" / "WEB_AUTHN",
    }
}

api_enum! {
    /// Authentication flows an app client allows.
    pub enum ExplicitAuthFlow {
        UserSrp = "user_srp" / "ALLOW_USER_SRP_AUTH",
        RefreshToken = "refresh_token" / "ALLOW_REFRESH_TOKEN_AUTH",
        UserPassword = "user_password" / "ALLOW_USER_PASSWORD_AUTH",
        AdminUserPassword = "admin_user_password" / "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        CustomAuth = "custom_auth" / "ALLOW_CUSTOM_AUTH",
        UserAuth = "user_auth" / "ALLOW_USER_AUTH",
        // The legacy names, from before the `ALLOW_` flows: AWS still
        // accepts and keeps them (written as AWS spells them, since
        // configurations carried over from elsewhere do).
        LegacyAdminNoSrp = "ADMIN_NO_SRP_AUTH" / "ADMIN_NO_SRP_AUTH",
        LegacyCustomAuthFlowOnly = "CUSTOM_AUTH_FLOW_ONLY" / "CUSTOM_AUTH_FLOW_ONLY",
        LegacyUserPassword = "USER_PASSWORD_AUTH" / "USER_PASSWORD_AUTH",
    }
}

impl ExplicitAuthFlow {
    /// For a legacy flow name, the current flow that replaced it.
    pub fn current(self) -> Option<ExplicitAuthFlow> {
        match self {
            ExplicitAuthFlow::LegacyAdminNoSrp => Some(ExplicitAuthFlow::AdminUserPassword),
            ExplicitAuthFlow::LegacyCustomAuthFlowOnly => Some(ExplicitAuthFlow::CustomAuth),
            ExplicitAuthFlow::LegacyUserPassword => Some(ExplicitAuthFlow::UserPassword),
            _ => None,
        }
    }

    pub fn is_legacy(self) -> bool {
        self.current().is_some()
    }
}

api_enum! {
    /// OAuth 2.0 grants an app client allows.
    pub enum OAuthFlow {
        Code = "code" / "code",
        Implicit = "implicit" / "implicit",
        ClientCredentials = "client_credentials" / "client_credentials",
    }
}

api_enum! {
    /// The kind of a federated identity provider.
    pub enum ProviderType {
        Google = "google" / "Google",
        Facebook = "facebook" / "Facebook",
        Apple = "apple" / "SignInWithApple",
        Amazon = "amazon" / "LoginWithAmazon",
        Saml = "saml" / "SAML",
        Oidc = "oidc" / "OIDC",
    }
}

api_enum! {
    /// How Cognito asks an OIDC provider for user attributes.
    pub enum AttributesRequestMethod {
        Get = "get" / "GET" | "GET",
        Post = "post" / "POST" | "POST",
    }
}

api_enum! {
    /// The event version a pre token generation trigger receives.
    pub enum PreTokenLambdaVersion {
        V1 = "v1" / "V1_0",
        V2 = "v2" / "V2_0",
        V3 = "v3" / "V3_0",
    }
}

api_enum! {
    /// The event version a custom SMS or email sender receives.
    pub enum SenderLambdaVersion {
        V1 = "v1" / "V1_0",
    }
}

api_enum! {
    /// Whether passkeys must verify the user (a PIN, a biometric) or only
    /// should (WebAuthn's user verification requirement).
    pub enum UserVerification {
        Required = "required" / "required",
        Preferred = "preferred" / "preferred",
    }
}

api_enum! {
    /// What a replica does: serve end users, or only hold its copy. The two
    /// states `UpdateUserPoolReplica` can set; `CREATING` and `DELETING` are
    /// Cognito's own, on the way.
    pub enum ReplicaStatus {
        Active = "active" / "ACTIVE",
        Inactive = "inactive" / "INACTIVE",
    }
}

api_enum! {
    /// The event version an inbound federation trigger receives (AWS
    /// accepts only the first).
    pub enum InboundFederationLambdaVersion {
        V1 = "v1" / "V1_0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_api_and_alias_spellings() {
        assert_eq!(MfaMode::from_spec("on"), Some(MfaMode::Required));
        assert_eq!(MfaMode::Required.api_name(), "ON");
        assert_eq!(MfaMode::from_api("OPTIONAL"), Some(MfaMode::Optional));
        assert_eq!(Tier::from_spec("Essentials"), None);
        assert_eq!(
            AttributeType::from_api("DateTime"),
            Some(AttributeType::DateTime)
        );
    }
}

// Threat protection (`SetRiskConfiguration`) and log delivery
// (`SetLogDeliveryConfiguration`): see `model::threat_protection` and
// `model::log_delivery`.

api_enum! {
    /// A password event compromised-credentials detection watches.
    pub enum RiskEvent {
        SignIn = "sign_in" / "SIGN_IN",
        PasswordChange = "password_change" / "PASSWORD_CHANGE",
        SignUp = "sign_up" / "SIGN_UP",
    }
}

api_enum! {
    /// What Cognito does with a sign-in whose password is known leaked.
    pub enum CompromisedCredentialsAction {
        Block = "block" / "BLOCK",
        NoAction = "no_action" / "NO_ACTION",
    }
}

api_enum! {
    /// What adaptive authentication does at one risk level.
    pub enum TakeoverAction {
        Block = "block" / "BLOCK",
        MfaIfConfigured = "mfa_if_configured" / "MFA_IF_CONFIGURED",
        MfaRequired = "mfa_required" / "MFA_REQUIRED",
        NoAction = "no_action" / "NO_ACTION",
    }
}

api_enum! {
    /// Which events a log delivery carries.
    pub enum LogLevel {
        Error = "error" / "ERROR",
        Info = "info" / "INFO",
    }
}
