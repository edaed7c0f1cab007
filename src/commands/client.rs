//! `poolctl client secrets | rotate-secret | retire-secret`: a confidential
//! client's secret rotated in two steps, without replacing the client (its
//! id, and so every app's configuration, stays). Rotation is a command, not
//! a spec key: the moment the old secret may go is when every app has the
//! new one, which no spec knows, and a new secret's value must go somewhere
//! safe, which a plan must never hold. See docs/client-secrets.md.

use super::users::{existing_pool, one_pool};
use super::Context;
use crate::apply::client_secrets as write;
use crate::cli::{ClientCommand, ClientSecretsArgs, OneClient, RetireSecretArgs, RotateSecretArgs};
use crate::live::client_secrets::{self as read, SecretInfo, MAX_SECRETS};
use crate::live::target_of;
use aws_sdk_cognitoidentityprovider as cognito;
use std::io::Write;
use std::process::ExitCode;

pub async fn run(ctx: &Context, command: &ClientCommand) -> anyhow::Result<ExitCode> {
    match command {
        ClientCommand::Secrets(args) => secrets(ctx, args).await,
        ClientCommand::RotateSecret(args) => rotate(ctx, args).await,
        ClientCommand::RetireSecret(args) => retire(ctx, args).await,
    }
}

/// The live client a command works on.
struct Found {
    cognito: cognito::Client,
    pool_id: String,
    client_id: String,
    /// `client `web` (id) of pool `shop-dev` (dev)`, for messages.
    label: String,
    /// The flags that name it again, for the next command to suggest.
    again: String,
    /// The environment, when the spec marks it protected.
    protected: Option<String>,
}

async fn find(ctx: &Context, target: &OneClient) -> anyhow::Result<Found> {
    let desired = one_pool(ctx, &target.which)?;
    let pool_id = existing_pool(ctx, &desired).await?;
    let cognito = ctx.session.clients(&target_of(&desired)).await.cognito;
    let name = &target.client;
    let ids: Vec<String> = crate::live::client::list(&cognito, &pool_id)
        .await?
        .into_iter()
        .filter(|c| c.client_name() == Some(name.as_str()))
        .filter_map(|c| c.client_id)
        .collect();
    let pool = format!("pool `{}` ({})", desired.pool_name(), desired.environment);
    let client_id = match &ids[..] {
        [one] => one.clone(),
        [] => anyhow::bail!("{pool} has no client named `{name}`"),
        many => anyhow::bail!(
            "{} clients of {pool} are named `{name}` ({}): rename all but one first",
            many.len(),
            many.join(", ")
        ),
    };
    let live = crate::live::client::describe(&cognito, &pool_id, client_id.clone())
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!("client `{name}` ({client_id}) of {pool} no longer exists")
        })?;
    if !live.model.has_secret() {
        anyhow::bail!(
            "client `{name}` ({client_id}) of {pool} is public: it has no secret to rotate (a secret comes only with `generate_secret: true`, which replaces the client)"
        );
    }
    let mut again = format!("--env {}", desired.environment);
    if let Some(p) = &target.which.pool {
        again.push_str(&format!(" --pool {p}"));
    }
    again.push_str(&format!(" {name}"));
    Ok(Found {
        cognito,
        pool_id,
        label: format!("client `{name}` ({client_id}) of {pool}"),
        client_id,
        again,
        protected: desired.protected.then(|| desired.environment.clone()),
    })
}

fn describe(secret: &SecretInfo) -> String {
    match &secret.created {
        Some(date) => format!("{} (created {date})", secret.id),
        None => secret.id.clone(),
    }
}

async fn secrets(ctx: &Context, args: &ClientSecretsArgs) -> anyhow::Result<ExitCode> {
    let found = find(ctx, &args.target).await?;
    let list = read::list(&found.cognito, &found.pool_id, &found.client_id).await?;
    crate::outln!("{}: {} secret(s), oldest first", found.label, list.len());
    for (i, secret) in list.iter().enumerate() {
        let newest = if i + 1 == list.len() {
            "  (newest)"
        } else {
            ""
        };
        crate::outln!("  {}{newest}", describe(secret));
    }
    Ok(ExitCode::SUCCESS)
}

async fn rotate(ctx: &Context, args: &RotateSecretArgs) -> anyhow::Result<ExitCode> {
    // The file first: one that cannot be created stops everything before
    // any AWS call, so a new secret is never made with nowhere to go.
    let mut file = match &args.out {
        Some(path) => Some((path, create_private(path)?)),
        None => None,
    };
    let result = rotate_into(ctx, args, file.as_mut().map(|(p, f)| (p.as_path(), f))).await;
    if result.is_err() {
        if let Some((path, _)) = &file {
            // Nothing was written to it: leave no empty file behind.
            let _ = std::fs::remove_file(path);
        }
    }
    result
}

async fn rotate_into(
    ctx: &Context,
    args: &RotateSecretArgs,
    file: Option<(&std::path::Path, &mut std::fs::File)>,
) -> anyhow::Result<ExitCode> {
    let found = find(ctx, &args.target).await?;
    let before = read::list(&found.cognito, &found.pool_id, &found.client_id).await?;
    if before.len() >= MAX_SECRETS {
        let held: Vec<String> = before.iter().map(describe).collect();
        anyhow::bail!(
            "{} already has {} secrets, Cognito's limit: {}; retire the old one once no app uses it (`poolctl client retire-secret {}`), then rotate",
            found.label,
            before.len(),
            held.join(", "),
            found.again
        );
    }
    let (info, value) = write::add(&found.cognito, &found.pool_id, &found.client_id).await?;
    let kept = match file {
        Some((path, file)) => {
            let written = file
                .write_all(format!("{}\n", value.expose()).as_bytes())
                .and_then(|()| file.sync_all());
            if let Err(e) = written {
                anyhow::bail!(
                    "added secret {} to {}, but could not write it to {}: {e}; delete it with `poolctl client retire-secret {} --secret-id {}` and rotate again",
                    info.id,
                    found.label,
                    path.display(),
                    found.again,
                    info.id
                );
            }
            format!("written to {} (mode 0600)", path.display())
        }
        None => {
            // Alone on standard output, so it can be piped as it is.
            crate::outln!("{}", value.expose());
            "printed on standard output".to_string()
        }
    };
    drop(value);
    crate::errln!(
        "added secret {} to {}: {kept}",
        describe(&info),
        found.label
    );
    crate::errln!(
        "both secrets work now; once every app uses the new one: `poolctl client retire-secret {}`",
        found.again
    );
    Ok(ExitCode::SUCCESS)
}

async fn retire(ctx: &Context, args: &RetireSecretArgs) -> anyhow::Result<ExitCode> {
    let found = find(ctx, &args.target).await?;
    let list = read::list(&found.cognito, &found.pool_id, &found.client_id).await?;
    let doomed: Vec<&SecretInfo> = match &args.secret_id {
        Some(id) => {
            let secret = list.iter().find(|s| &s.id == id).ok_or_else(|| {
                anyhow::anyhow!(
                    "{} has no secret {id}; it has {}",
                    found.label,
                    list.iter().map(describe).collect::<Vec<_>>().join(", ")
                )
            })?;
            vec![secret]
        }
        None => list.iter().take(list.len().saturating_sub(1)).collect(),
    };
    if doomed.is_empty() || doomed.len() == list.len() {
        anyhow::bail!(
            "{} has {} secret(s); Cognito keeps at least one, so there is nothing to retire",
            found.label,
            list.len()
        );
    }
    if let Some(env) = &found.protected {
        // As `apply` does: a protected environment's name is typed back.
        confirm_protected(env)?;
    }
    for secret in doomed {
        write::delete(&found.cognito, &found.pool_id, &found.client_id, &secret.id).await?;
        crate::outln!(
            "deleted secret {} of {}: apps still using it can no longer sign in",
            describe(secret),
            found.label
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks for a protected environment's name on a terminal; refuses without one.
fn confirm_protected(env: &str) -> anyhow::Result<()> {
    use std::io::{BufRead, IsTerminal};
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "refusing to retire a secret in protected environment `{env}` without confirmation: stdin is not a terminal"
        );
    }
    crate::out!("{}", crate::render::human::protected_prompt(env));
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() != env {
        anyhow::bail!("cancelled: the environment's name was not typed; no secret was deleted");
    }
    Ok(())
}

/// A new file only its owner can read; an existing one is never touched.
fn create_private(path: &std::path::Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|e| {
        anyhow::anyhow!(
            "cannot create {} for the new secret: {e}{}",
            path.display(),
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                " (poolctl never overwrites a file with a secret: choose another name)"
            } else {
                ""
            }
        )
    })
}
