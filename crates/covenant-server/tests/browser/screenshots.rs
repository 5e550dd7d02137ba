//! The screenshots of docs/web.md: the main views, drawn by the page from the example deals
//! and policies. `COVENANT_SCREENSHOTS=1 cargo test -p covenant-server --test browser
//! screenshots` writes them into docs/images/; without it they are taken into a temporary
//! folder and only checked (each a PNG under 300 KB), so the views they show keep working.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::driver::{Browser, Failure};
use crate::ensure;

const MAX_BYTES: usize = 300 * 1024;

async fn shoot(b: &Browser, dir: &Path, name: &str) -> Result<(), Failure> {
    // Let smooth scrolling and the last paint settle.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let png = b.client.screenshot().await?;
    ensure!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
    ensure!(
        png.len() < MAX_BYTES,
        "{name}: {} bytes, over {MAX_BYTES}",
        png.len()
    );
    std::fs::write(dir.join(name), png)?;
    Ok(())
}

/// Scroll so that `css` is at the top of the window (less a margin).
async fn scroll_to(b: &Browser, css: &str, margin: i64) -> Result<(), Failure> {
    b.wait(css).await?;
    b.js(
        "const e = document.querySelector(arguments[0]);
         window.scrollTo({top: e.getBoundingClientRect().top + window.scrollY - arguments[1], behavior: 'instant'});",
        vec![json!(css), json!(margin)],
    )
    .await?;
    Ok(())
}

pub async fn screenshots(b: &Browser) -> Result<(), Failure> {
    let keep = std::env::var_os("COVENANT_SCREENSHOTS").is_some_and(|v| v == "1");
    let temp = tempfile::tempdir()?;
    let dir: PathBuf = if keep {
        crate::support::root().join("docs/images")
    } else {
        temp.path().to_path_buf()
    };
    std::fs::create_dir_all(&dir)?;
    crate::history::seed(b)?;
    crate::impact::log_connected_vehicle(b)?;

    b.resize(1280, 1000).await?;
    crate::check::check_pasted(b, "examples/deals/acme-dragon-hk-chain.yaml", true).await?;
    b.wait("#check-ownership svg.ownership").await?;
    b.js("window.scrollTo(0, 0);", vec![]).await?;
    shoot(b, &dir, "check.png").await?;

    scroll_to(b, "#check-ownership", 12).await?;
    shoot(b, &dir, "ownership.png").await?;

    b.click(".card[data-rule='covered-state-control'] .card-actions button")
        .await?;
    b.wait(".card[data-rule='covered-state-control'] .explanation .tree")
        .await?;
    scroll_to(
        b,
        ".card[data-rule='covered-state-control'] .card-actions",
        80,
    )
    .await?;
    shoot(b, &dir, "explain.png").await?;

    b.open("history").await?;
    b.wait("#history-table tbody tr").await?;
    b.wait("#history-charts svg").await?;
    shoot(b, &dir, "history.png").await?;

    let candidate = crate::impact::candidate()?;
    b.open("impact").await?;
    crate::impact::upload_candidate(b, candidate.path()).await?;
    b.click("#impact-run").await?;
    b.wait("#impact-verdicts-changed").await?;
    b.js("window.scrollTo(0, 0);", vec![]).await?;
    shoot(b, &dir, "impact.png").await?;

    b.resize(390, 844).await?;
    let outcome = async {
        crate::check::check_pasted(b, "examples/deals/acme-dragon-hk-chain.yaml", false).await?;
        scroll_to(b, "#check-results", 8).await?;
        shoot(b, &dir, "mobile.png").await
    }
    .await;
    b.resize(1280, 900).await?;
    outcome?;
    if keep {
        println!("screenshots written to {}", dir.display());
    }
    Ok(())
}
