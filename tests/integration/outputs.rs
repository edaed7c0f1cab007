//! `poolctl outputs`: what an app needs from a live pool (ids, issuer, JWKS,
//! domain and sign-in URLs), in each format, read-only, and a pool that does
//! not exist yet said so.

use crate::support::*;
use serde_json::Value;

const SPEC: &str = r#"name: out-${env}
environments:
  dev: { region: us-east-1 }
  prod: { region: us-east-1 }
domain: out-${env}-login
clients:
  web-app:
    allowed_oauth_flows: [code]
    allowed_oauth_scopes: [openid, email]
    callback_urls: [https://shop.example.com/callback]
    supported_identity_providers: [COGNITO]
  backend:
    generate_secret: true
    explicit_auth_flows: [user_srp, refresh_token]
"#;

fn outputs(stack: &Stack, args: &[&str]) -> Output {
    let mut all = vec!["outputs"];
    all.extend(args);
    stack.poolctl().args(all).run()
}

#[test]
fn outputs_name_every_id_and_url_and_only_read() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SPEC);
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();
    let writes_before = stack.writes().len();
    let id = pool_id(&stack);

    let out = outputs(&stack, &["--env", "dev", "--json"]);
    out.assert_success();
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["format_version"], 1);
    let pool = &doc["pools"][0];
    assert_eq!(pool["exists"], true, "{}", out.dump());
    assert_eq!(pool["user_pool_id"], id.as_str());
    assert!(pool["user_pool_arn"]
        .as_str()
        .unwrap()
        .ends_with(&format!(":userpool/{id}")));
    let issuer = format!("https://cognito-idp.us-east-1.amazonaws.com/{id}");
    assert_eq!(pool["issuer"], issuer.as_str());
    assert_eq!(
        pool["provider_name"],
        format!("cognito-idp.us-east-1.amazonaws.com/{id}").as_str()
    );
    assert_eq!(
        pool["jwks_url"],
        format!("{issuer}/.well-known/jwks.json").as_str()
    );
    let base = "https://out-dev-login.auth.us-east-1.amazoncognito.com";
    assert_eq!(pool["domain"]["base_url"], base);
    let clients = pool["clients"].as_array().unwrap();
    let client = |name: &str| {
        clients
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no client {name}: {pool}"))
    };
    let web_id = client("web-app")["client_id"].as_str().unwrap().to_string();
    assert_eq!(
        client("web-app")["sign_in_url"],
        format!("{base}/login?client_id={web_id}&response_type=code&redirect_uri=https%3A%2F%2Fshop.example.com%2Fcallback").as_str()
    );
    assert!(client("backend").get("sign_in_url").is_none());
    // Never a secret, in any format.
    let secret = live_secret(
        &stack,
        &id,
        client("backend")["client_id"].as_str().unwrap(),
    );
    let human = outputs(&stack, &["--env", "dev"]);
    human.assert_success();
    let dotenv = outputs(&stack, &["--env", "dev", "--format", "dotenv"]);
    dotenv.assert_success();
    for text in [&out.stdout, &human.stdout, &dotenv.stdout] {
        assert!(
            !text.contains(&secret),
            "a client secret was printed: {text}"
        );
    }

    assert!(
        human.stdout.contains(&format!("issuer           {issuer}")),
        "{}",
        human.dump()
    );
    assert!(
        human.stdout.contains(&format!("client web-app   {web_id}")),
        "{}",
        human.dump()
    );
    assert!(
        dotenv
            .stdout
            .contains(&format!("SHOP_DEV_USER_POOL_ID={id}\n")),
        "{}",
        dotenv.dump()
    );
    assert!(dotenv
        .stdout
        .contains(&format!("SHOP_DEV_CLIENT_WEB_APP_ID={web_id}\n")));
    assert!(dotenv.stdout.contains(&format!(
        "SHOP_DEV_CLIENT_WEB_APP_SIGN_IN_URL='{base}/login?client_id={web_id}&"
    )));
    assert!(dotenv
        .stdout
        .contains(&format!("SHOP_DEV_DOMAIN_URL={base}\n")));

    // GitHub Actions: appended to the file, after what was there.
    let github = stack.path().join("github_output");
    std::fs::write(&github, "earlier=1\n").unwrap();
    let out = stack
        .poolctl()
        .args(["outputs", "--env", "dev", "--format", "github"])
        .env("GITHUB_OUTPUT", &github)
        .run();
    out.assert_success();
    let written = std::fs::read_to_string(&github).unwrap();
    assert!(written.starts_with("earlier=1\n"), "{written}");
    assert!(
        written.contains(&format!("\nSHOP_DEV_ISSUER={issuer}\n")),
        "{written}"
    );
    assert!(written.contains(&format!(
        "SHOP_DEV_CLIENT_WEB_APP_SIGN_IN_URL={base}/login?client_id={web_id}&"
    )));
    assert_eq!(out.stdout, "", "github writes only to the file");

    assert_eq!(
        stack.writes().len(),
        writes_before,
        "outputs only reads: {:?}",
        stack.writes()
    );
}

/// The backend client's secret, straight from moto.
fn live_secret(stack: &Stack, pool: &str, client: &str) -> String {
    let described = block_on(
        stack
            .cognito()
            .describe_user_pool_client()
            .user_pool_id(pool)
            .client_id(client)
            .send(),
    )
    .unwrap();
    let secret = described
        .user_pool_client()
        .unwrap()
        .client_secret()
        .unwrap()
        .to_string();
    assert!(secret.len() > 8);
    secret
}

#[test]
fn a_pool_not_created_yet_is_said_so() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SPEC);
    let out = outputs(&stack, &["--env", "prod"]);
    out.assert_success();
    assert!(
        out.stdout.contains("out-prod (does not exist yet)")
            && out
                .stdout
                .contains("the pool does not exist yet: nothing to output"),
        "{}",
        out.dump()
    );
    let out = outputs(&stack, &["--all-envs", "--json"]);
    out.assert_success();
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["pools"][1]["exists"], false);
    assert!(doc["pools"][1].get("user_pool_id").is_none());
    // A machine format must not hand an app an empty variable quietly.
    let out = outputs(&stack, &["--env", "prod", "--format", "dotenv"]);
    out.assert_exit(1);
    assert!(
        out.stderr.contains("pool `shop` (prod) does not exist yet"),
        "{}",
        out.dump()
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn github_format_needs_github_output_before_any_request() {
    let stack = Stack::new();
    stack.spec("shop.yaml", SPEC);
    let out = stack
        .poolctl()
        .args(["outputs", "--env", "dev", "--format", "github"])
        .env_remove("GITHUB_OUTPUT")
        .run();
    out.assert_exit(1);
    assert!(
        out.stderr.contains("GITHUB_OUTPUT is not set"),
        "{}",
        out.dump()
    );
    assert!(stack.proxy.requests().is_empty());
    let out = stack
        .poolctl()
        .args(["outputs", "--format", "dotenv"])
        .run();
    out.assert_exit(1);
    assert!(out.stderr.contains("--env"), "{}", out.dump());
}

#[test]
fn the_authorizer_id_is_the_live_one_on_the_spec_s_rest_api() {
    let stack = Stack::new();
    let gateway = apigateway_client(&stack.moto.endpoint(), TEST_REGION);
    let api_id = block_on(gateway.create_rest_api().name("shop-api-dev").send())
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    stack.spec(
        "shop.yaml",
        "name: auth-${env}\nenvironments: { dev: { region: us-east-1 } }\nauthorizer:\n  rest_api: shop-api-${env}\n  name: cognito\n",
    );
    let before = outputs(&stack, &["--env", "dev", "--json"]);
    before.assert_success();
    let doc: Value = serde_json::from_str(&before.stdout).unwrap();
    assert_eq!(doc["pools"][0]["exists"], false, "{}", before.dump());
    stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run()
        .assert_success();
    let live: Vec<String> = block_on(gateway.get_authorizers().rest_api_id(&api_id).send())
        .unwrap()
        .items()
        .iter()
        .filter(|a| a.name() == Some("cognito"))
        .map(|a| a.id().unwrap().to_string())
        .collect();
    assert_eq!(live.len(), 1);

    let out = outputs(&stack, &["--env", "dev", "--json"]);
    out.assert_success();
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let authorizer = &doc["pools"][0]["authorizer"];
    assert_eq!(
        authorizer["authorizer_id"],
        live[0].as_str(),
        "{}",
        out.dump()
    );
    assert_eq!(authorizer["api_id"], api_id.as_str());
    assert_eq!(authorizer["api_kind"], "rest");
    let dotenv = outputs(&stack, &["--env", "dev", "--format", "dotenv"]);
    assert!(
        dotenv
            .stdout
            .contains(&format!("SHOP_DEV_AUTHORIZER_ID={}\n", live[0])),
        "{}",
        dotenv.dump()
    );
}
