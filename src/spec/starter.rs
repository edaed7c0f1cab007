//! The commented starter spec `poolctl init` writes: a small, safe pool that
//! validates as written and says where to go next.

use std::fmt::Write;

/// The region a starter names when neither `--region` nor the AWS
/// configuration gives one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// A spec file's name (its stem): what `--pool` selects by.
pub fn is_pool_key(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The starter spec for pool `name` in `envs` (in order), each in `region`.
/// The last environment, when there are several, is treated as production.
pub fn text(name: &str, envs: &[String], region: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", super::schema::modeline());
    let _ = write!(
        out,
        "# The Cognito user pool `{name}`, as code. Next steps:
#   poolctl validate                 check this file offline
#   poolctl plan --env {first}         what apply would do (reads AWS, changes nothing)
#   poolctl apply --env {first}        create or update the pool
#   poolctl outputs --env {first}      ids and URLs for your applications
# Every key is described in docs/spec.md and in `poolctl schema`.

# The pool's name in AWS. `${{env}}` is the environment's name, so each
# environment gets a pool of its own.
name: {name}-${{env}}

# Where the pool lives in each environment. Any key below can be given a
# different value inside an environment's block.
environments:
",
        first = envs[0]
    );
    for (i, env) in envs.iter().enumerate() {
        let production = envs.len() > 1 && i == envs.len() - 1;
        if production {
            let _ = write!(
                out,
                "  {env}:
    region: {region}
    # Applying here asks for the environment's name to be typed back, and
    # the pool cannot be deleted until protection is turned off.
    protected: true
    deletion_protection: active
"
            );
        } else {
            let _ = writeln!(out, "  {env}:\n    region: {region}");
        }
    }
    out.push_str(
        "
# Sign-in: users type their email address. These three are chosen forever
# when the pool is created (changing them later means a new, empty pool).
username_attributes: [email]
case_sensitive: false
auto_verified_attributes: [email]

password_policy:
  minimum_length: 12
  require_uppercase: true
  require_lowercase: true
  require_numbers: true
  require_symbols: false

# Optional second factor with an authenticator app. `required` is a
# one-way door: it cannot be turned back off.
mfa:
  mode: optional
  totp: true

account_recovery: [verified_email]

# App clients: how applications sign users in. A client is public (no
# secret: browsers and mobile apps) unless it says `generate_secret: true`,
# which is fixed for the client's life.
clients:
  web:
    explicit_auth_flows: [user_srp, refresh_token]
    refresh_token_validity: 30d
",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_keys_are_file_stems() {
        assert!(is_pool_key("shop"));
        assert!(is_pool_key("shop_api-2"));
        for bad in ["", "-x", "a/b", "a b", "../x", "a.yaml"] {
            assert!(!is_pool_key(bad), "{bad}");
        }
    }
}
