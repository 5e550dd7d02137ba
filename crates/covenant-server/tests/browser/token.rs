//! A server with a bearer token: the page loads without it, asks for it when the API answers
//! 401, and sends it from then on.

use serde_json::json;

use crate::driver::{Browser, Failure};
use crate::ensure;
use crate::support::TestServer;

const TOKEN: &str = "page-s3cret";

pub async fn the_page_asks_for_the_token(b: &Browser) -> Result<(), Failure> {
    // The server runs on a runtime of its own: started and stopped off this one.
    let server = std::thread::spawn(|| TestServer::with(|o| o.token = Some(TOKEN.into())))
        .join()
        .map_err(|_| Failure("the server with a token did not start".into()))?;
    let outcome = async {
        b.client.goto("about:blank").await?;
        b.client.goto(&server.url("/#check")).await?;
        b.wait("#token-dialog[open]").await?;
        b.find("#token-input").await?.send_keys("wrong").await?;
        b.click("#token-form button[value='ok']").await?;
        b.until(
            "the token to be refused",
            "!document.querySelector('#token-error').hidden",
        )
        .await?;
        ensure!(
            b.text("#token-error").await?.contains("did not accept"),
            "a wrong token is refused"
        );
        b.find("#token-input").await?.send_keys(TOKEN).await?;
        b.click("#token-form button[value='ok']").await?;
        let set = b.text("#set-summary .set-name").await?;
        ensure!(
            set.contains("US–China auto JV framework"),
            "the policy set shows: {set}"
        );
        let kept = b
            .js("return sessionStorage.getItem('covenant-token');", vec![])
            .await?;
        ensure!(kept == json!(TOKEN), "kept for the tab: {kept}");
        ensure!(
            b.find("#token-button").await?.is_displayed().await?,
            "the token can be changed"
        );
        // The next calls carry it: a check is answered.
        let deal = std::fs::read_to_string(b.file("examples/deals/acme-dragon-51-49.yaml"))?;
        b.paste("#deal-text", &deal).await?;
        b.click("#check-button").await?;
        b.wait("#check-verdict.verdict-box-compliant").await?;
        Ok(())
    }
    .await;
    std::thread::spawn(move || drop(server))
        .join()
        .map_err(|_| Failure("the server with a token did not stop".into()))?;
    outcome
}
