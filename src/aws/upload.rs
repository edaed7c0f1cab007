//! One HTTP PUT of a file to a pre-signed URL (the user import job's upload
//! slot), and one GET of a file AWS hosts (the classic hosted UI's logo),
//! through the same HTTP stack the SDK uses (hyper 1, rustls on ring,
//! HTTP(S)_PROXY honoured): no second HTTP client in the build.

use aws_smithy_runtime_api::client::http::HttpConnector;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::body::SdkBody;

/// PUTs `body` to `url` with the headers Cognito's import slot requires;
/// an answer other than 2xx is an error that quotes it.
pub async fn put_presigned(
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> anyhow::Result<()> {
    use aws_smithy_http_client::{proxy::ProxyConfig, tls, ConnectorBuilder};
    let mut builder = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
        tls::rustls_provider::CryptoMode::Ring,
    ));
    builder.set_proxy_config(Some(ProxyConfig::from_env()));
    let connector = builder.build();
    let length = body.len();
    let mut request = HttpRequest::new(SdkBody::from(body));
    request
        .set_uri(url)
        .map_err(|e| anyhow::anyhow!("the import job's upload URL is not a URL: {e}"))?;
    request.set_method("PUT").expect("PUT is a method");
    for (name, value) in headers {
        request
            .headers_mut()
            .insert(name.to_string(), value.to_string());
    }
    request
        .headers_mut()
        .insert("content-length", length.to_string());
    let response = connector
        .call(request)
        .await
        .map_err(|e| anyhow::anyhow!("uploading the users CSV failed: {e}"))?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        let text = response
            .body()
            .bytes()
            .map(|b| {
                String::from_utf8_lossy(b)
                    .chars()
                    .take(500)
                    .collect::<String>()
            })
            .unwrap_or_default();
        anyhow::bail!("uploading the users CSV failed: HTTP {status}: {text}");
    }
    Ok(())
}

/// GETs `url` (the logo `GetUICustomization` names by URL only), so it can
/// be compared by digest and sent back unchanged when only the CSS changes.
pub async fn get(url: &str) -> anyhow::Result<Vec<u8>> {
    use aws_smithy_http_client::{proxy::ProxyConfig, tls, ConnectorBuilder};
    let mut builder = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
        tls::rustls_provider::CryptoMode::Ring,
    ));
    builder.set_proxy_config(Some(ProxyConfig::from_env()));
    let connector = builder.build();
    let mut request = HttpRequest::new(SdkBody::empty());
    request
        .set_uri(url)
        .map_err(|e| anyhow::anyhow!("`{url}` is not a URL: {e}"))?;
    request.set_method("GET").expect("GET is a method");
    let response = connector
        .call(request)
        .await
        .map_err(|e| anyhow::anyhow!("fetching {url} failed: {e}"))?;
    let status = response.status().as_u16();
    anyhow::ensure!(
        (200..300).contains(&status),
        "fetching {url} failed: HTTP {status}"
    );
    let body = response.into_body();
    let bytes = aws_smithy_types::byte_stream::ByteStream::new(body)
        .collect()
        .await
        .map_err(|e| anyhow::anyhow!("reading {url} failed: {e}"))?;
    Ok(bytes.to_vec())
}
