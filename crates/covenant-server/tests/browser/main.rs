//! The web page in a real browser: the server started on an ephemeral loopback port, headless
//! Chromium driven through chromedriver (WebDriver, with `fantoccini`), one browser for every
//! scenario. Its own harness (`harness = false` in Cargo.toml): it starts chromedriver and
//! Chromium once, runs the scenarios in turn, then stops them, whatever the scenarios did.
//!
//! - Chromium and chromedriver are Debian's `chromium` and `chromium-driver` (`.ci/chromium`
//!   installs them; this harness runs it when they are missing). When they cannot be had the
//!   tests FAIL, saying so, unless `COVENANT_SKIP_BROWSER=1` asks to skip them.
//! - `cargo test -p covenant-server --test browser NAME` runs the scenarios whose name holds
//!   NAME. `COVENANT_SCREENSHOTS=1 cargo test -p covenant-server --test browser screenshots`
//!   writes the screenshots of docs/web.md into docs/images/.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests: a failure is a panic"
)]

mod check;
mod driver;
mod history;
mod impact;
mod layout;
mod screenshots;
#[allow(
    dead_code,
    reason = "the HTTP tests' helpers, of which these tests use a few"
)]
#[path = "../http/support.rs"]
mod support;
mod token;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::time::Instant;

use driver::{Browser, Failure};
use support::TestServer;

type Scenario = for<'a> fn(&'a Browser) -> Pin<Box<dyn Future<Output = Result<(), Failure>> + 'a>>;

macro_rules! scenarios {
    ($($module:ident :: $name:ident),* $(,)?) => {
        [$((stringify!($name), (|b| Box::pin($module::$name(b))) as Scenario)),*]
    };
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let all = scenarios![
        check::a_failing_deal_shows_its_failing_rule_at_its_line,
        check::a_toml_deal_is_uploaded_and_checked,
        check::explain_opens_the_rules_tree,
        check::the_sarif_report_is_downloaded,
        check::a_broken_deal_shows_its_problems_at_their_lines,
        check::the_ownership_diagram_highlights_the_deciding_path,
        history::the_history_filters_and_opens_a_past_decision,
        impact::a_candidate_policy_shows_what_changes,
        impact::a_candidate_that_does_not_compile_shows_its_errors,
        layout::the_tabs_answer_the_keyboard,
        layout::nothing_overflows_at_390_pixels,
        token::the_page_asks_for_the_token,
        screenshots::screenshots,
    ];
    let chosen: Vec<_> = all
        .iter()
        .filter(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
        .collect();
    if std::env::var_os("COVENANT_SKIP_BROWSER").is_some_and(|v| v == "1") {
        println!(
            "\nrunning 0 tests: COVENANT_SKIP_BROWSER=1 skips the {} browser tests",
            chosen.len()
        );
        println!(
            "\ntest result: ok. 0 passed; 0 failed; {} ignored; 0 measured; 0 filtered out\n",
            chosen.len()
        );
        return;
    }
    println!("\nrunning {} tests", chosen.len());
    if chosen.is_empty() {
        println!(
            "\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; {} filtered out\n",
            all.len()
        );
        return;
    }
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = TestServer::start();
    let log = server.dir.path().join("decisions.db");
    let browser = match runtime.block_on(Browser::start(&server.url(""), log)) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("\nthe browser tests cannot run: {}\n", e.0);
            println!("\ntest result: FAILED. 0 passed; {} failed; 0 ignored; 0 measured; 0 filtered out\n", chosen.len());
            std::process::exit(101);
        }
    };
    let mut failed = Vec::new();
    for (name, scenario) in &chosen {
        let began = Instant::now();
        let outcome = runtime.block_on(async {
            let run = AssertUnwindSafe(scenario(&browser));
            futures_catch(run).await
        });
        match outcome {
            Ok(()) => println!(
                "test {name} ... ok ({:.1} s)",
                began.elapsed().as_secs_f64()
            ),
            Err(why) => {
                println!("test {name} ... FAILED");
                failed.push((name, why));
            }
        }
    }
    runtime.block_on(browser.stop());
    drop(server);
    for (name, why) in &failed {
        println!("\n---- {name} ----\n{why}");
    }
    let passed = chosen.len() - failed.len();
    let verdict = if failed.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {verdict}. {passed} passed; {} failed; 0 ignored; 0 measured; {} filtered out; finished in {:.2}s\n",
        failed.len(),
        all.len() - chosen.len(),
        started.elapsed().as_secs_f64()
    );
    if !failed.is_empty() {
        std::process::exit(101);
    }
}

/// Run a scenario, its failure or panic as a message.
async fn futures_catch<F: Future<Output = Result<(), Failure>>>(
    run: AssertUnwindSafe<F>,
) -> Result<(), String> {
    let mut run = Box::pin(run.0);
    let outcome = std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| run.as_mut().poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(r)) => std::task::Poll::Ready(r.map_err(|f| f.0)),
            Err(payload) => std::task::Poll::Ready(Err(payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into()))),
        }
    })
    .await;
    outcome
}
