//! Reading a pool's terms documents: `ListTerms` names them (paged, without
//! the client each belongs to) and `DescribeTerms`, a few at a time, gives
//! each one's client and links. Read only when the spec declares `terms` on
//! a client, and by `import`.

use super::client::LiveClients;
use crate::aws::explain;
use crate::model::terms::{ClientTerms, TermsDocument, TermsLinks};
use crate::model::triggers::Slot;
use aws_sdk_cognitoidentityprovider as cognito;
use futures::stream::{StreamExt, TryStreamExt};

/// One live terms document.
#[derive(Debug, Clone)]
pub struct LiveTerms {
    pub id: String,
    pub client_id: String,
    /// `terms-of-use` or `privacy-policy`.
    pub name: String,
    pub links: TermsLinks,
}

/// Every terms document of the pool (none when the pool does not exist).
pub async fn read_pool(client: &cognito::Client, pool_id: &str) -> anyhow::Result<Vec<LiveTerms>> {
    let mut ids = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let out = match client
            .list_terms()
            .user_pool_id(pool_id)
            .max_results(60)
            .set_next_token(next.take())
            .send()
            .await
        {
            Ok(out) => out,
            Err(err) if crate::aws::is_not_found(&err) => return Ok(Vec::new()),
            Err(err) => return Err(explain(&format!("ListTerms {pool_id}"), err)),
        };
        ids.extend(out.terms.into_iter().map(|t| t.terms_id));
        match out.next_token {
            Some(token) if !token.is_empty() => next = Some(token),
            _ => break,
        }
    }
    let described: Vec<Option<LiveTerms>> = futures::stream::iter(ids)
        .map(|id| describe(client, pool_id, id))
        .buffered(crate::aws::limiter::PER_POOL_PER_SECOND as usize)
        .try_collect()
        .await?;
    Ok(described.into_iter().flatten().collect())
}

/// One document; `None` when it went away since the list.
async fn describe(
    client: &cognito::Client,
    pool_id: &str,
    id: String,
) -> anyhow::Result<Option<LiveTerms>> {
    let out = match client
        .describe_terms()
        .user_pool_id(pool_id)
        .terms_id(&id)
        .send()
        .await
    {
        Ok(out) => out,
        Err(err) if crate::aws::is_not_found(&err) => return Ok(None),
        Err(err) => return Err(explain(&format!("DescribeTerms {id}"), err)),
    };
    let Some(terms) = out.terms else {
        return Ok(None);
    };
    let (links, unknown) = TermsLinks::from_api(&terms.links);
    if !unknown.is_empty() {
        tracing::warn!(terms = id, languages = ?unknown, "terms links in languages poolctl does not know; a declared document replaces them");
    }
    Ok(Some(LiveTerms {
        id,
        client_id: terms.client_id,
        name: terms.terms_name,
        links,
    }))
}

/// Puts each document on its client: every client's model then says which
/// documents it has (`false` for one it lacks), and `terms_ids` where they are.
pub fn attach(clients: &mut LiveClients, terms: Vec<LiveTerms>) {
    let all = clients
        .by_name
        .values_mut()
        .chain(clients.shared_names.values_mut().flatten());
    for live in all {
        let mut model = ClientTerms {
            terms_of_use: Some(Slot::Detached),
            privacy_policy: Some(Slot::Detached),
        };
        for t in terms.iter().filter(|t| t.client_id == live.id) {
            if let Some(slot) = model.document_mut(&t.name) {
                *slot = Some(Slot::Attached(TermsDocument {
                    links: t.links.clone(),
                }));
                clients
                    .terms_ids
                    .insert((live.id.clone(), t.name.clone()), t.id.clone());
            }
        }
        live.model.terms = Some(model);
    }
}
