//! The keyboard and the narrow screen: the tabs move with the arrow keys and show where the
//! focus is; at 390 pixels wide nothing makes the page scroll sideways.

use crate::driver::{Browser, Failure};
use crate::ensure;

const ARROW_RIGHT: &str = "\u{E014}";
const END: &str = "\u{E010}";

pub async fn the_tabs_answer_the_keyboard(b: &Browser) -> Result<(), Failure> {
    b.open("check").await?;
    b.js("document.querySelector('#tab-check').focus();", vec![])
        .await?;
    b.find("#tab-check").await?.send_keys(ARROW_RIGHT).await?;
    let state = b
        .js(
            "return [document.activeElement.id,
                     document.querySelector('#tab-history').getAttribute('aria-selected'),
                     document.querySelector('#view-history').hidden,
                     document.querySelector('#view-check').hidden,
                     getComputedStyle(document.activeElement).outlineStyle];",
            vec![],
        )
        .await?;
    ensure!(
        state == serde_json::json!(["tab-history", "true", false, true, "solid"]),
        "ArrowRight moves to History, shows it, and the focus is visible: {state}"
    );
    b.find("#tab-history").await?.send_keys(END).await?;
    ensure!(
        b.js("return document.activeElement.id;", vec![]).await? == "tab-impact",
        "End moves to the last tab"
    );
    // Tab from the tabs reaches the view's first control, in order.
    let order = b
        .js(
            "return [...document.querySelectorAll('#view-check button, #view-check input, #view-check select, #view-check textarea')]
               .filter(e => e.tabIndex < 0).map(e => e.id);",
            vec![],
        )
        .await?;
    ensure!(
        order == serde_json::json!([]),
        "no control of the check view is out of the tab order: {order}"
    );
    Ok(())
}

/// Elements wider than the window, for the message when something overflows.
const OVERFLOW: &str = "const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (r.right <= w + 0.5 || r.width === 0) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
    }
    return true;
  }).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
  return [document.documentElement.scrollWidth, w, wide];";

async fn fits(b: &Browser, view: &str) -> Result<(), Failure> {
    let v = b.js(OVERFLOW, vec![]).await?;
    ensure!(
        v[0].as_u64() <= v[1].as_u64(),
        "{view}: the page is {} pixels wide in a {}-pixel window: {}",
        v[0],
        v[1],
        v[2]
    );
    Ok(())
}

pub async fn nothing_overflows_at_390_pixels(b: &Browser) -> Result<(), Failure> {
    let width = b.resize(390, 844).await?;
    let outcome = async {
        ensure!(width <= 400, "the window is 390 pixels wide, not {width}");
        crate::check::check_pasted(b, "examples/deals/acme-dragon-hk-chain.yaml", true).await?;
        b.wait("#check-ownership svg.ownership").await?;
        b.click(".card[data-rule='covered-state-control'] .card-actions button")
            .await?;
        b.wait(".card[data-rule='covered-state-control'] .explanation")
            .await?;
        fits(b, "check").await?;
        b.open("history").await?;
        b.wait("#history-table tbody tr").await?;
        b.wait("#history-charts svg").await?;
        fits(b, "history").await?;
        b.click("#history-table tbody tr button").await?;
        b.wait("#history-decision .card").await?;
        fits(b, "a past decision").await?;
        b.open("impact").await?;
        fits(b, "impact").await
    }
    .await;
    b.resize(1280, 900).await?;
    outcome
}
