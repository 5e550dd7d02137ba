//! Chromium through chromedriver: finding (or installing) them, starting them on loopback,
//! and the helpers the scenarios use (open a view, wait for an element, type, run a script).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// Why a scenario failed.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

/// Fail the scenario with a message unless `cond` holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err($crate::driver::Failure(format!($($msg)+)));
        }
    };
}

/// How long to wait for the page to show something.
const PATIENCE: Duration = Duration::from_secs(15);

/// The flags Chromium runs with: headless, as root (no sandbox), and quiet on the network
/// (without the background-networking flags it keeps calling home, which a closed network
/// answers with nothing but delays).
const FLAGS: [&str; 16] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--force-device-scale-factor=1",
    "--hide-scrollbars",
    "--lang=en-US",
];

/// The browser of the scenarios: chromedriver, its Chromium session, and the server's URL.
pub struct Browser {
    pub client: Client,
    pub base: String,
    pub downloads: tempfile::TempDir,
    /// The server's decision log (a SQLite file), for scenarios that set up a history.
    pub log: PathBuf,
    _profile: tempfile::TempDir,
    driver: Child,
}

fn found(program: &str) -> Option<PathBuf> {
    let var = format!("COVENANT_{}", program.to_uppercase());
    if let Some(p) = std::env::var_os(var).map(PathBuf::from) {
        return p.is_file().then_some(p);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// chromium and chromedriver, installed by `.ci/chromium` when missing.
fn programs() -> Result<(PathBuf, PathBuf), Failure> {
    if let (Some(c), Some(d)) = (found("chromium"), found("chromedriver")) {
        return Ok((c, d));
    }
    let script = crate::support::root().join(".ci/chromium");
    eprintln!(
        "chromium or chromedriver is missing: running {}",
        script.display()
    );
    let ran = match Command::new("bash").arg(&script).status() {
        Ok(status) => format!("it exited with {status}"),
        Err(e) => format!("it could not run: {e}"),
    };
    match (found("chromium"), found("chromedriver")) {
        (Some(c), Some(d)) => Ok((c, d)),
        _ => Err(Failure(format!(
            "the browser tests need Debian's chromium and chromium-driver (chromium and \
             chromedriver on PATH, or COVENANT_CHROMIUM and COVENANT_CHROMEDRIVER), and \
             `.ci/chromium` did not make them available ({ran}). Install them (as root: \
             .ci/chromium, or apt-get install chromium chromium-driver), or set \
             COVENANT_SKIP_BROWSER=1 to skip these tests."
        ))),
    }
}

fn free_port() -> Result<u16, Failure> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The shell command that kills the process group `pgid` (chromedriver and the Chromium it
/// started, whose helpers outlive the session): the shell's own `kill`, which takes a negative
/// id as a group. (procps-ng 4.0's `kill -KILL -PGID` does not, and answers 0: never give it
/// one.)
fn kill_group_command(pgid: u32) -> Option<String> {
    (pgid > 1).then(|| format!("kill -KILL -{pgid} 2>/dev/null"))
}

fn kill_group(pgid: u32) {
    if let Some(command) = kill_group_command(pgid) {
        let _ = Command::new("sh").args(["-c", &command]).status();
    }
}

/// Kill the process group `pgid` once this process has ended, however it ends.
fn reap_after_us(pgid: u32) {
    let Some(kill) = kill_group_command(pgid) else {
        return;
    };
    let me = std::process::id();
    let script = format!("while kill -0 {me} 2>/dev/null; do sleep 1; done; {kill}");
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
}

impl Browser {
    /// Start chromedriver and a Chromium session, 1280 × 900, downloads into a folder.
    pub async fn start(base: &str, log: PathBuf) -> Result<Browser, Failure> {
        let (chromium, chromedriver) = programs()?;
        let port = free_port()?;
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| Failure(format!("cannot start {}: {e}", chromedriver.display())))?;
        reap_after_us(driver.id());
        let profile = tempfile::tempdir()?;
        let downloads = tempfile::tempdir()?;
        let mut args: Vec<String> = FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push("--window-size=1280,900".into());
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads.path(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    "safebrowsing.enabled": false,
                },
            },
        });
        let Value::Object(capabilities) = capabilities else {
            return Err(Failure("capabilities are not an object".into()));
        };
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => return Err(Failure(format!("chromedriver did not start Chromium: {e}"))),
            }
        };
        Ok(Browser {
            client,
            base: base.trim_end_matches('/').to_string(),
            downloads,
            log,
            _profile: profile,
            driver,
        })
    }

    /// Close the session and stop chromedriver (and the Chromium it started).
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        kill_group(self.driver.id());
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// Load the page afresh at `#view` and wait for the policy set to show.
    pub async fn open(&self, view: &str) -> Result<(), Failure> {
        self.client.goto("about:blank").await?;
        self.client.goto(&format!("{}/#{view}", self.base)).await?;
        self.wait("#set-summary .set-name").await?;
        Ok(())
    }

    pub async fn wait(&self, css: &str) -> Result<Element, Failure> {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| Failure(format!("waited for `{css}`: {e}")))
    }

    pub async fn find(&self, css: &str) -> Result<Element, Failure> {
        self.client
            .find(Locator::Css(css))
            .await
            .map_err(|e| Failure(format!("no `{css}`: {e}")))
    }

    pub async fn click(&self, css: &str) -> Result<(), Failure> {
        self.wait(css).await?.click().await?;
        Ok(())
    }

    pub async fn text(&self, css: &str) -> Result<String, Failure> {
        Ok(self.wait(css).await?.text().await?)
    }

    /// Run a script (its `arguments` are `args`) and answer what it returns.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value, Failure> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Wait until the script `expr` (an expression) is true.
    pub async fn until(&self, what: &str, expr: &str) -> Result<(), Failure> {
        let started = Instant::now();
        loop {
            if self.js(&format!("return Boolean({expr});"), vec![]).await? == Value::Bool(true) {
                return Ok(());
            }
            if started.elapsed() > PATIENCE {
                return Err(Failure(format!("waited for {what} (`{expr}`)")));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Put `text` in a textarea as a paste does: all at once, then an `input` event.
    pub async fn paste(&self, css: &str, text: &str) -> Result<(), Failure> {
        self.wait(css).await?;
        self.js(
            "const t = document.querySelector(arguments[0]); t.focus(); t.value = arguments[1];
             t.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));",
            vec![json!(css), json!(text)],
        )
        .await?;
        Ok(())
    }

    /// Resize the window; answer the page's inner width.
    pub async fn resize(&self, width: u32, height: u32) -> Result<u64, Failure> {
        self.client.set_window_size(width, height).await?;
        let w = self.js("return window.innerWidth;", vec![]).await?;
        Ok(w.as_u64().unwrap_or(0))
    }

    /// A file of the repository, as an absolute path.
    pub fn file(&self, path: &str) -> PathBuf {
        let p = crate::support::root().join(path);
        // chromedriver takes only canonical paths for uploads.
        p.canonicalize().unwrap_or(p)
    }

    /// Wait for a file whose name ends with `suffix` to be downloaded, and read it.
    pub async fn downloaded(&self, suffix: &str) -> Result<String, Failure> {
        let started = Instant::now();
        loop {
            if let Some(p) = finished(self.downloads.path(), suffix) {
                return Ok(std::fs::read_to_string(p)?);
            }
            if started.elapsed() > PATIENCE {
                return Err(Failure(format!(
                    "no `*{suffix}` was downloaded into {}",
                    self.downloads.path().display()
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn finished(dir: &Path, suffix: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(suffix))
}
