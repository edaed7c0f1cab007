//! Writing a client's terms documents: `CreateTerms` for a declared document
//! the client lacks, `UpdateTerms` (the whole links map) for one whose links
//! differ, `DeleteTerms` for one declared `false`. A document the spec does
//! not declare is never touched.

use super::ApplyCtx;
use crate::aws::{deleted, explain};
use crate::model::terms::{ClientTerms, TermsDocument};
use crate::model::triggers::Slot;
use crate::plan::Kind;
use aws_sdk_cognitoidentityprovider::types as sdk;

/// Makes `client_id`'s documents what `want` declares. `live` is what the
/// client has (`None`: a new client, which has none).
pub async fn converge(
    ctx: &ApplyCtx<'_>,
    name: &str,
    client_id: &str,
    want: Option<&ClientTerms>,
    live: Option<&ClientTerms>,
) -> anyhow::Result<()> {
    let Some(want) = want else {
        return Ok(());
    };
    let live_docs = live.map(ClientTerms::documents);
    for (i, (terms_name, declared)) in want.documents().into_iter().enumerate() {
        let Some(declared) = declared else { continue };
        let have = live_docs.as_ref().and_then(|d| d[i].1);
        let id = ctx
            .live
            .clients
            .terms_ids
            .get(&(client_id.to_string(), terms_name.to_string()));
        match (declared, id) {
            (Slot::Attached(doc), None) => {
                create(ctx, client_id, terms_name, doc).await?;
                ctx.progress.did(format!(
                    "create {terms_name} of {} (CreateTerms)",
                    Kind::Client.at(name)
                ));
            }
            (Slot::Attached(doc), Some(id)) => {
                if have != Some(declared) {
                    update(ctx, id, terms_name, doc).await?;
                    ctx.progress.did(format!(
                        "update {terms_name} of {} (UpdateTerms)",
                        Kind::Client.at(name)
                    ));
                }
            }
            (Slot::Detached, Some(id)) => {
                let result = ctx
                    .clients
                    .cognito
                    .delete_terms()
                    .user_pool_id(&ctx.pool()?.id)
                    .terms_id(id)
                    .send()
                    .await;
                deleted(
                    &format!("DeleteTerms {terms_name} of client {name}"),
                    result,
                )?;
                ctx.progress.did(format!(
                    "delete {terms_name} of {} (DeleteTerms)",
                    Kind::Client.at(name)
                ));
            }
            (Slot::Detached, None) => {}
        }
    }
    Ok(())
}

async fn create(
    ctx: &ApplyCtx<'_>,
    client_id: &str,
    terms_name: &str,
    doc: &TermsDocument,
) -> anyhow::Result<()> {
    ctx.clients
        .cognito
        .create_terms()
        .user_pool_id(&ctx.pool()?.id)
        .client_id(client_id)
        .terms_name(terms_name)
        .terms_source(sdk::TermsSourceType::Link)
        .enforcement(sdk::TermsEnforcementType::None)
        .set_links(Some(doc.links.to_api()))
        .send()
        .await
        .map_err(|e| {
            explain(
                &format!("CreateTerms {terms_name} of client {client_id}"),
                e,
            )
        })?;
    Ok(())
}

async fn update(
    ctx: &ApplyCtx<'_>,
    id: &str,
    terms_name: &str,
    doc: &TermsDocument,
) -> anyhow::Result<()> {
    // The whole map: Cognito keeps the links it is sent.
    ctx.clients
        .cognito
        .update_terms()
        .user_pool_id(&ctx.pool()?.id)
        .terms_id(id)
        .terms_name(terms_name)
        .terms_source(sdk::TermsSourceType::Link)
        .enforcement(sdk::TermsEnforcementType::None)
        .set_links(Some(doc.links.to_api()))
        .send()
        .await
        .map_err(|e| explain(&format!("UpdateTerms {terms_name} ({id})"), e))?;
    Ok(())
}
