//! The impact of a candidate policy set on the logged deals, and a candidate's compile errors
//! at their lines.

use crate::driver::{Browser, Failure};
use crate::ensure;

/// The example policies in a folder, with `connected-vehicle` no longer screening `vcs`
/// software: the deal whose telematics unit failed it passes.
pub fn candidate() -> Result<tempfile::TempDir, Failure> {
    let dir = tempfile::tempdir()?;
    let policies = crate::support::example("policies");
    for name in ["common.policy", "ownership.policy", "us-auto-jv.policy"] {
        let mut text = std::fs::read_to_string(policies.join(name))?;
        if name == "us-auto-jv.policy" {
            let before = text.clone();
            text = text.replace(r#"category in ["vcs", "ads"]"#, r#"category in ["ads"]"#);
            ensure!(text != before, "the candidate changes connected-vehicle");
        }
        std::fs::write(dir.path().join(name), text)?;
    }
    Ok(dir)
}

/// Check the connected-vehicle deal through the API, so that the log holds it.
pub fn log_connected_vehicle(b: &Browser) -> Result<(), Failure> {
    let body = std::fs::read(b.file("examples/deals/acme-dragon-connected-vehicle.yaml"))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let answer = agent
        .post(&format!("{}/v1/check", b.base))
        .header("Content-Type", "application/yaml")
        .send(&body[..])?;
    ensure!(answer.status() == 200, "logged: {}", answer.status());
    Ok(())
}

pub async fn upload_candidate(b: &Browser, dir: &std::path::Path) -> Result<(), Failure> {
    let paths: Vec<String> = ["common.policy", "ownership.policy", "us-auto-jv.policy"]
        .iter()
        .map(|n| {
            let p = dir.join(n);
            p.canonicalize().unwrap_or(p).display().to_string()
        })
        .collect();
    b.find("#impact-upload")
        .await?
        .send_keys(&paths.join("\n"))
        .await?;
    b.until(
        "three files",
        "document.querySelectorAll('#impact-files .policy-file').length === 3",
    )
    .await?;
    Ok(())
}

pub async fn a_candidate_policy_shows_what_changes(b: &Browser) -> Result<(), Failure> {
    log_connected_vehicle(b)?;
    let dir = candidate()?;
    b.open("impact").await?;
    upload_candidate(b, dir.path()).await?;
    let names = b
        .js(
            "return [...document.querySelectorAll('#impact-files .file-name')].map(i => i.value);",
            vec![],
        )
        .await?;
    ensure!(
        names.to_string().contains("us-auto-jv.policy"),
        "the files keep their names: {names}"
    );
    b.click("#impact-run").await?;
    let changed = b.text("#impact-verdicts-changed").await?;
    ensure!(
        changed.parse::<u32>().is_ok_and(|n| n >= 1),
        "some verdict changes: {changed}"
    );
    let deal = b
        .text("#impact-results .impact-deals li.verdict-changed")
        .await?;
    for part in [
        "Non-compliant",
        "Compliant",
        "verdict changes",
        "connected-vehicle: fail → pass",
    ] {
        ensure!(
            deal.contains(part),
            "the changed deal shows {part:?}: {deal}"
        );
    }
    let rules = b.text("#impact-results .transitions").await?;
    ensure!(
        rules.contains("connected-vehicle"),
        "the rule's transition is listed: {rules}"
    );
    ensure!(
        b.text("#impact-results .rule-changes")
            .await?
            .contains("connected-vehicle"),
        "the changed rule is named"
    );
    Ok(())
}

pub async fn a_candidate_that_does_not_compile_shows_its_errors(
    b: &Browser,
) -> Result<(), Failure> {
    b.open("impact").await?;
    b.find("#impact-files .file-name")
        .await?
        .send_keys("broken.policy")
        .await?;
    b.paste(
        "#impact-text-1",
        "policy \"Broken\" version \"1\"\n\nrule seats: board seats >= \n",
    )
    .await?;
    b.click("#impact-run").await?;
    let problems = b.text("#impact-diagnostics li").await?;
    ensure!(
        problems.contains("broken.policy, line 3"),
        "the error names its file and line: {problems}"
    );
    b.wait("#impact-files .backdrop .line-error[data-line='3']")
        .await?;
    Ok(())
}
