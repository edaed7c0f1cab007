//! Hosted UI branding end to end through the binary: the classic UI's CSS
//! and logo (pool-wide and per client) and a client's managed login style,
//! from files next to the spec. moto has none of these APIs: the proxy's
//! fidelity layer plays them (`support/faithful/branding.rs`). Every
//! assertion is on the requests poolctl sent or on what the next plan says.

use crate::support::*;
use serde_json::Value;

const SPEC: &str = r#"name: brand-${env}
environments: { dev: { region: us-east-1 } }
domain: brand-test-${env}
ui_customization:
  css_file: branding/hosted.css
  logo_file: branding/logo.png
clients:
  web:
    callback_urls: [https://app.example.com/cb]
    ui_customization:
      css_file: branding/web.css
    managed_login_branding:
      settings_file: branding/web-style.json
      assets:
        page_header_logo: { light: branding/logo.png, dark: branding/logo-dark.png }
  mobile:
    managed_login_branding:
      use_cognito_provided_values: true
"#;

const HOSTED_CSS: &str = ".logo-customizable { max-width: 60%; }\n";
const WEB_CSS: &str = ".submitButton-customizable { background-color: #0b5cab; }\n";
const LOGO: &[u8] = b"\x89PNG\r\n\x1a\nlight-logo";
const LOGO_DARK: &[u8] = b"\x89PNG\r\n\x1a\ndark-logo";
const STYLE: &str =
    r#"{ "components": { "pageBackground": { "lightMode": { "color": "ffffffff" } } } }"#;

fn stack_with_spec() -> Stack {
    let stack = Stack::new();
    stack.spec("brand.yaml", SPEC);
    write(&stack, "hosted.css", HOSTED_CSS.as_bytes());
    write(&stack, "web.css", WEB_CSS.as_bytes());
    write(&stack, "logo.png", LOGO);
    write(&stack, "logo-dark.png", LOGO_DARK);
    write(&stack, "web-style.json", STYLE.as_bytes());
    stack
}

fn write(stack: &Stack, name: &str, bytes: &[u8]) {
    let dir = stack.path().join("pools/branding");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn plan(stack: &Stack) -> Value {
    let out = stack
        .poolctl()
        .args(["plan", "--env", "dev", "--json"])
        .run();
    out.assert_success();
    serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{}", out.dump()))
}

fn apply(stack: &Stack) -> Output {
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve"])
        .run();
    out.assert_success();
    out
}

fn pair(address: &str, action: &str) -> (String, String) {
    (address.to_string(), action.to_string())
}

fn b64(bytes: &[u8]) -> String {
    aws_smithy_types::base64::encode(bytes)
}

/// A client through the proxy (moto lacks these APIs), for changes behind
/// poolctl's back.
fn by_hand(stack: &Stack) -> aws_sdk_cognitoidentityprovider::Client {
    cognito_client(&stack.proxy.endpoint(), TEST_REGION)
}

fn client_id(stack: &Stack, pool: &str, name: &str) -> String {
    let clients = block_on(
        stack
            .cognito()
            .list_user_pool_clients()
            .user_pool_id(pool)
            .send(),
    )
    .unwrap();
    clients
        .user_pool_clients()
        .iter()
        .find(|c| c.client_name() == Some(name))
        .and_then(|c| c.client_id())
        .unwrap()
        .to_string()
}

#[test]
fn branding_applies_after_new_clients_converges_and_shows_file_changes_by_digest() {
    let stack = stack_with_spec();
    let first = plan(&stack);
    let acts = actions(&first);
    for expected in [
        pair("ui_customization", "create"),
        pair("ui_customization.web", "create"),
        pair("managed_login_branding.web", "create"),
        pair("managed_login_branding.mobile", "create"),
    ] {
        assert!(acts.contains(&expected), "{expected:?} not in {acts:?}");
    }
    let warnings = first["pools"][0]["warnings"].to_string();
    assert!(
        warnings.contains("managed login style is stored but not shown"),
        "a version 1 domain shows no managed login: {warnings}"
    );
    let text = first.to_string();
    assert!(
        !text.contains("submitButton-customizable"),
        "a plan shows digests, not bytes: {text}"
    );

    let out = apply(&stack);
    let pool = pool_id(&stack);
    let web = client_id(&stack, &pool, "web");
    // The clients are created first; their branding after, with their ids.
    let ops = stack.proxy.operations();
    let created = ops
        .iter()
        .rposition(|o| o == "CreateUserPoolClient")
        .unwrap();
    let first_branding = ops
        .iter()
        .position(|o| o == "SetUICustomization" || o == "CreateManagedLoginBranding")
        .unwrap_or_else(|| panic!("no branding call: {}", out.dump()));
    assert!(created < first_branding, "{ops:?}");

    let sets: Vec<Value> = stack
        .proxy
        .requests_for("SetUICustomization")
        .iter()
        .map(|r| r.json())
        .collect();
    assert_eq!(sets.len(), 2, "{sets:?}");
    let all = sets.iter().find(|r| r["ClientId"] == "ALL").unwrap();
    assert_eq!(all["CSS"], HOSTED_CSS);
    assert_eq!(all["ImageFile"], b64(LOGO));
    let own = sets.iter().find(|r| r["ClientId"] == web.as_str()).unwrap();
    assert_eq!(own["CSS"], WEB_CSS);
    assert!(
        own.get("ImageFile").is_none(),
        "the spec names no logo for web: {own}"
    );

    let creates: Vec<Value> = stack
        .proxy
        .requests_for("CreateManagedLoginBranding")
        .iter()
        .map(|r| r.json())
        .collect();
    let web_style = creates
        .iter()
        .find(|r| r["ClientId"] == web.as_str())
        .unwrap();
    assert_eq!(
        web_style["Settings"]["components"]["pageBackground"]["lightMode"]["color"],
        "ffffffff"
    );
    let assets = web_style["Assets"].as_array().unwrap();
    assert_eq!(assets.len(), 2);
    assert!(assets.iter().any(|a| a["Category"] == "PAGE_HEADER_LOGO"
        && a["ColorMode"] == "DARK"
        && a["Extension"] == "PNG"
        && a["Bytes"] == b64(LOGO_DARK)));
    let mobile_style = creates
        .iter()
        .find(|r| r["ClientId"] != web.as_str())
        .unwrap();
    assert_eq!(mobile_style["UseCognitoProvidedValues"], true);
    assert!(mobile_style.get("Settings").is_none() && mobile_style.get("Assets").is_none());

    // Converged: the second plan is empty and applies nothing.
    assert!(actions(&plan(&stack)).is_empty());
    stack.proxy.clear();
    apply(&stack);
    assert!(stack.writes().is_empty(), "{:?}", stack.writes());

    // A changed file shows by path and digest, and only its resource changes.
    let new_css = ".submitButton-customizable { background-color: #083f78; }\n";
    write(&stack, "web.css", new_css.as_bytes());
    let p = plan(&stack);
    assert_eq!(actions(&p), [pair("ui_customization.web", "update")]);
    let f = fields(change(&p, "ui_customization.web"));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "css_file");
    let before = f[0].1.as_str().unwrap();
    let after = f[0].2.as_str().unwrap();
    assert!(
        before.starts_with(&format!("{} bytes, sha256:", WEB_CSS.len())),
        "{before}"
    );
    assert!(
        after.starts_with(&format!(
            "branding/web.css: {} bytes, sha256:",
            new_css.len()
        )),
        "{after}"
    );
    assert_ne!(
        before.split("sha256:").nth(1),
        after.split("sha256:").nth(1)
    );
    let human = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert!(
        human.stdout.contains("branding/web.css"),
        "{}",
        human.dump()
    );
    assert!(!human.stdout.contains("#083f78"), "{}", human.dump());
}

#[test]
fn a_css_change_resends_the_logo_and_a_settings_change_sends_only_settings() {
    let stack = stack_with_spec();
    apply(&stack);
    stack.proxy.clear();

    // SetUICustomization sets CSS and logo together: the unchanged logo is
    // sent back, or AWS would drop it.
    write(
        &stack,
        "hosted.css",
        b".logo-customizable { max-width: 50%; }\n",
    );
    write(
        &stack,
        "web-style.json",
        br#"{"components": {"pageBackground": {"lightMode": {"color": "000000ff"}}}}"#,
    );
    apply(&stack);
    let writes = stack.writes();
    let ops: Vec<&str> = writes.iter().map(|r| r.operation.as_str()).collect();
    assert_eq!(ops.len(), 2, "{ops:?}");
    let set = writes
        .iter()
        .find(|r| r.operation == "SetUICustomization")
        .unwrap()
        .json();
    assert_eq!(set["ClientId"], "ALL");
    assert_eq!(set["CSS"], ".logo-customizable { max-width: 50%; }\n");
    assert_eq!(
        set["ImageFile"],
        b64(LOGO),
        "the logo must survive a CSS change"
    );
    let update = writes
        .iter()
        .find(|r| r.operation == "UpdateManagedLoginBranding")
        .unwrap()
        .json();
    assert_eq!(
        update["Settings"]["components"]["pageBackground"]["lightMode"]["color"],
        "000000ff"
    );
    assert!(
        update.get("Assets").is_none(),
        "unchanged assets are not sent: {update}"
    );
    assert!(update.get("UseCognitoProvidedValues").is_none(), "{update}");
    assert!(actions(&plan(&stack)).is_empty());
}

#[test]
fn changes_made_by_hand_are_drift_and_apply_puts_them_back() {
    let stack = stack_with_spec();
    apply(&stack);
    let pool = pool_id(&stack);
    let web = client_id(&stack, &pool, "web");
    let mobile = client_id(&stack, &pool, "mobile");
    let hand = by_hand(&stack);
    block_on(
        hand.set_ui_customization()
            .user_pool_id(&pool)
            .client_id(&web)
            .css(".label-customizable { color: red; }")
            .send(),
    )
    .unwrap();
    let style = block_on(
        hand.describe_managed_login_branding_by_client()
            .user_pool_id(&pool)
            .client_id(&mobile)
            .send(),
    )
    .unwrap();
    let style_id = style
        .managed_login_branding()
        .and_then(|s| s.managed_login_branding_id())
        .unwrap()
        .to_string();
    block_on(
        hand.update_managed_login_branding()
            .user_pool_id(&pool)
            .managed_login_branding_id(&style_id)
            .use_cognito_provided_values(false)
            .send(),
    )
    .unwrap();

    let drift = stack.poolctl().args(["drift", "--env", "dev"]).run();
    assert_ne!(drift.status, 0, "{}", drift.dump());
    let p = plan(&stack);
    assert_eq!(
        actions(&p),
        [
            pair("managed_login_branding.mobile", "update"),
            pair("ui_customization.web", "update")
        ]
    );
    assert_eq!(
        fields(change(&p, "managed_login_branding.mobile")),
        [(
            "use_cognito_provided_values".to_string(),
            Value::Bool(false),
            Value::Bool(true)
        )]
    );
    stack.proxy.clear();
    apply(&stack);
    let update = stack.proxy.requests_for("UpdateManagedLoginBranding")[0].json();
    assert_eq!(update["ManagedLoginBrandingId"], style_id.as_str());
    assert_eq!(update["UseCognitoProvidedValues"], true);
    let set = stack.proxy.requests_for("SetUICustomization")[0].json();
    assert_eq!(set["CSS"], WEB_CSS);
    assert!(actions(&plan(&stack)).is_empty());
}

#[test]
fn bad_branding_files_are_located_errors_and_nothing_is_sent() {
    let stack = stack_with_spec();
    write(
        &stack,
        "hosted.css",
        b".logo-customizable { width: 1px }\nbody { margin: 0 }\n",
    );
    write(&stack, "logo-dark.gif", b"GIF89a");
    write(&stack, "big.png", &vec![0u8; 120 * 1024]);
    let spec = SPEC
        .replace("logo-dark.png", "logo-dark.gif")
        .replace(
            "logo_file: branding/logo.png",
            "logo_file: branding/big.png",
        )
        .replace("branding/web-style.json", "branding/missing.json");
    stack.spec("brand.yaml", &spec);
    let out = stack.poolctl().args(["plan", "--env", "dev"]).run();
    assert_eq!(out.status, 1, "{}", out.dump());
    for expected in [
        "pools/brand.yaml:5:3: ui_customization.css_file: the CSS selector `body` is not one Cognito accepts (pool `brand`, environment `dev`)",
        "pools/brand.yaml:6:3: ui_customization.logo_file: the logo is 122880 bytes",
        "clients.web.managed_login_branding.settings_file: cannot read `pools/branding/missing.json`",
        "clients.web.managed_login_branding.assets.page_header_logo.dark: managed login takes ICO, JPEG, PNG, SVG or WEBP images, not `.gif`",
    ] {
        assert!(out.stderr.contains(expected), "missing {expected:?} in {}", out.dump());
    }
    assert!(
        stack.proxy.requests().is_empty(),
        "{:?}",
        stack.proxy.operations()
    );
}

#[test]
fn import_writes_the_files_next_to_the_spec_and_then_plans_nothing() {
    let stack = stack_with_spec();
    apply(&stack);
    std::fs::remove_dir_all(stack.path().join("pools")).unwrap();
    let out = stack
        .poolctl()
        .region("us-east-1")
        .args(["import", "--env", "dev", "--name", "brand-dev"])
        .run();
    out.assert_success();
    assert!(
        out.stderr.contains("(hosted UI branding)"),
        "{}",
        out.dump()
    );
    let pools = stack.path().join("pools");
    let spec_file = std::fs::read_dir(&pools)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "yaml"))
        .unwrap_or_else(|| panic!("no spec written: {}", out.dump()));
    let spec = std::fs::read_to_string(&spec_file).unwrap();
    let stem = spec_file.file_stem().unwrap().to_str().unwrap();
    assert!(
        spec.contains(&format!("css_file: branding/{stem}-${{env}}/ui.css")),
        "{spec}"
    );
    let dir = pools.join(format!("branding/{stem}-dev"));
    assert_eq!(
        std::fs::read_to_string(dir.join("ui.css")).unwrap(),
        HOSTED_CSS
    );
    assert_eq!(std::fs::read(dir.join("ui-logo.png")).unwrap(), LOGO);
    assert_eq!(
        std::fs::read_to_string(dir.join("web-ui.css")).unwrap(),
        WEB_CSS
    );
    assert_eq!(
        std::fs::read(dir.join("web-page_header_logo-dark.png")).unwrap(),
        LOGO_DARK
    );
    assert!(spec.contains("use_cognito_provided_values: true"), "{spec}");

    stack.proxy.clear();
    let p = plan(&stack);
    assert!(actions(&p).is_empty(), "{p}\n{spec}");
    // The plan read what the imported spec declares: the branding too.
    assert_eq!(stack.proxy.requests_for("GetUICustomization").len(), 2);
    assert_eq!(
        stack
            .proxy
            .requests_for("DescribeManagedLoginBrandingByClient")
            .len(),
        2
    );
}

#[test]
fn a_replaced_client_gets_its_branding_anew() {
    let stack = stack_with_spec();
    apply(&stack);
    let pool = pool_id(&stack);
    let old = client_id(&stack, &pool, "web");
    stack.spec(
        "brand.yaml",
        &SPEC.replace(
            "    callback_urls: [https://app.example.com/cb]\n",
            "    callback_urls: [https://app.example.com/cb]\n    generate_secret: true\n",
        ),
    );
    let p = plan(&stack);
    let acts = actions(&p);
    for expected in [
        pair("client.web", "replace"),
        pair("ui_customization.web", "create"),
        pair("managed_login_branding.web", "create"),
    ] {
        assert!(acts.contains(&expected), "{expected:?} not in {acts:?}");
    }
    stack.proxy.clear();
    let out = stack
        .poolctl()
        .args(["apply", "--env", "dev", "--auto-approve", "--allow-replace"])
        .run();
    out.assert_success();
    let new = client_id(&stack, &pool, "web");
    assert_ne!(old, new);
    let set = stack.proxy.requests_for("SetUICustomization")[0].json();
    assert_eq!(set["ClientId"], new.as_str());
    let create = stack.proxy.requests_for("CreateManagedLoginBranding")[0].json();
    assert_eq!(create["ClientId"], new.as_str());
    assert!(actions(&plan(&stack)).is_empty());
}

#[test]
fn a_saved_plan_is_stale_when_a_file_or_the_live_branding_moved() {
    let stack = stack_with_spec();
    apply(&stack);
    write(&stack, "web.css", b".label-customizable { color: #111; }\n");
    let file = stack.path().join("dev.plan.json");
    let save = || {
        stack
            .poolctl()
            .args(["plan", "--env", "dev", "--out"])
            .arg(&file)
            .run()
            .assert_success();
    };
    let refused = || {
        stack.proxy.clear();
        let out = stack.poolctl().arg("apply").arg(&file).run();
        out.assert_exit(1);
        assert!(
            out.stderr.contains("saved plan is stale; run plan again"),
            "{}",
            out.dump()
        );
        assert!(stack.writes().is_empty(), "{:?}", stack.writes());
    };

    // The file changed again after the plan was saved.
    save();
    write(&stack, "web.css", b".label-customizable { color: #222; }\n");
    refused();

    // The live pool-wide customization changed by hand.
    save();
    let pool = pool_id(&stack);
    block_on(
        by_hand(&stack)
            .set_ui_customization()
            .user_pool_id(&pool)
            .client_id("ALL")
            .css(".banner-customizable { color: red; }")
            .send(),
    )
    .unwrap();
    refused();

    // Saved and applied untouched, it applies exactly the planned change.
    stack.spec("brand.yaml", SPEC);
    save();
    stack.proxy.clear();
    stack
        .poolctl()
        .arg("apply")
        .arg(&file)
        .run()
        .assert_success();
    assert!(actions(&plan(&stack)).is_empty());
}
