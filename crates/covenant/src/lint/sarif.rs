//! SARIF 2.1.0 for `covenant lint --format sarif`: one run, one result per finding.

use serde_json::{json, Value};

use super::{codes, LintReport, Severity};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The default severity of a lint code (the severity a finding of that code usually has).
fn default_level(code: &str) -> &'static str {
    match code {
        super::NEVER_PASSES | super::EMPTY_WINDOW => "error",
        super::MISSING_CITE => "note",
        c if c.starts_with("covenant::lint::") => "warning",
        _ => "error",
    }
}

/// A file name as a URI: relative paths stay relative; absolute ones become `file://` URIs.
fn uri(path: &str) -> String {
    let p = path
        .replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20");
    if p.starts_with('/') {
        format!("file://{p}")
    } else if p.as_bytes().get(1) == Some(&b':') {
        format!("file:///{p}")
    } else {
        p
    }
}

pub fn report(report: &LintReport) -> String {
    let mut ids: Vec<String> = codes().map(|c| c.code.to_string()).collect();
    for f in &report.findings {
        if !ids.contains(&f.code) {
            ids.push(f.code.clone());
        }
    }
    let rules: Vec<Value> = ids
        .iter()
        .map(|id| {
            let text = codes()
                .find(|c| c.code == id)
                .map_or("a diagnostic of the policy compiler", |c| c.summary);
            let name = id.rsplit("::").next().unwrap_or(id);
            json!({
                "id": id,
                "name": name,
                "shortDescription": { "text": text },
                "defaultConfiguration": { "level": default_level(id) },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut r = json!({
                "ruleId": f.code,
                "ruleIndex": ids.iter().position(|i| *i == f.code).unwrap_or(0),
                "level": level(f.severity),
                "message": { "text": match &f.help {
                    Some(h) => format!("{}\nhelp: {h}", f.message),
                    None => f.message.clone(),
                } },
            });
            if let (Some(file), Some(line), Some(column), Some(end_line), Some(end_column)) =
                (&f.file, f.line, f.column, f.end_line, f.end_column)
            {
                let location = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(file) },
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        }
                    }
                }]);
                if let Value::Object(m) = &mut r {
                    m.insert("locations".into(), location);
                }
            }
            r
        })
        .collect();
    let sarif = json!({
        "version": "2.1.0",
        "$schema": SCHEMA,
        "runs": [{
            "tool": { "driver": {
                "name": "covenant",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out =
        serde_json::to_string_pretty(&sarif).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
