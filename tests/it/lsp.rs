//! `covenant lsp` spoken to over JSON-RPC, as an editor does: initialize, open a policy that
//! uses another, diagnostics (with codes, links and quick fixes), hover, definition,
//! references, completion inside a `where`, formatting, symbols, semantic tokens, a broken
//! then mended rule, a change in a used file re-checking its user, a caught panic, shutdown.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::lsp_client::Client;

const COMMON: &str = "let home = \"US\"\nlet foreign partner = parties where country != home\n";

const JV: &str = "\
use \"common.policy\"

rule minority \"Each foreign partner stays a minority\" {
  cite \"JV framework\" section \"2\"
  require foreign partner stak < 50%
}

rule board-seat \"Every home party has a board seat\" {
  cite \"JV framework\" section \"3\"
  overrides minority
  require every party where country = home: board seats >= 1
}
";

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("covenant-lsp-it-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::canonicalize(&dir).unwrap()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The LSP position of the `nth` occurrence of `needle` in `text` (ASCII text), plus `shift`
/// characters.
fn pos(text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    let at = text.match_indices(needle).nth(nth).unwrap().0 + shift;
    let line = text[..at].matches('\n').count();
    let character = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": character})
}

fn at(uri: &str, text: &str, needle: &str, shift: usize) -> Value {
    json!({"textDocument": {"uri": uri}, "position": pos(text, needle, 0, shift)})
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Apply LSP text edits (non-overlapping) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let new = e["newText"].as_str().unwrap().to_string();
            (offset(&r["start"]), offset(&r["end"]), new)
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

fn change(client: &mut Client, uri: &str, version: i64, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version},
               "contentChanges": [{"text": text}]}),
    );
}

fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "covenant", "version": 1, "text": text}}),
    );
}

#[test]
fn an_editor_session_over_json_rpc() {
    let dir = scratch();
    std::fs::write(dir.join("common.policy"), COMMON).unwrap();
    std::fs::write(dir.join("jv.policy"), JV).unwrap();
    let (jv, common) = (uri(&dir.join("jv.policy")), uri(&dir.join("common.policy")));
    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({"processId": null, "capabilities": {},
               "workspaceFolders": [{"uri": uri(&dir), "name": "jv"}]}),
    );
    let caps = &init["capabilities"];
    for cap in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "completionProvider",
        "documentSymbolProvider",
        "documentFormattingProvider",
        "codeActionProvider",
        "semanticTokensProvider",
    ] {
        assert!(!caps[cap].is_null(), "no {cap}: {init}");
    }
    client.notify("initialized", json!({}));

    // Diagnostics: the misspelt phrase, its code, the link to its entry and the did-you-mean.
    open(&mut client, &jv, JV);
    let diags = client.diagnostics(&jv, |d| !d.is_empty());
    assert_eq!(
        codes(&diags),
        ["covenant::resolve::unknown-phrase"],
        "{diags:?}"
    );
    let unknown = &diags[0];
    assert_eq!(unknown["range"]["start"], pos(JV, "stak", 0, 0));
    let href = unknown["codeDescription"]["href"].as_str().unwrap();
    assert!(
        href.contains("diagnostics.md#resolution-covenantresolve"),
        "{href}"
    );
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `stake`?"));

    // The quick fix, applied, mends the rule: no diagnostic is left.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": jv}, "range": unknown["range"],
               "context": {"diagnostics": [unknown]}}),
    );
    let fix = &actions[0];
    assert_eq!(fix["title"], "Replace with `stake`");
    let fixed = apply(JV, fix["edit"]["changes"][&jv].as_array().unwrap());
    assert!(fixed.contains("require foreign partner stake < 50%"));
    change(&mut client, &jv, 2, &fixed);
    client.diagnostics(&jv, <[Value]>::is_empty);
    let text = fixed;

    // Hover: a field with its path, type and unit; a definition; a rule id; a keyword.
    let hover = |client: &mut Client, needle: &str, shift: usize| {
        let h = client.request("textDocument/hover", at(&jv, &text, needle, shift));
        h["contents"]["value"].as_str().unwrap_or("").to_string()
    };
    let stake = hover(&mut client, "stake <", 1);
    assert!(
        stake.contains("`foreign partner[].stake`") && stake.contains("percent"),
        "{stake}"
    );
    let definition = hover(&mut client, "foreign partner stake", 2);
    assert!(definition.contains("let foreign partner = parties where country != home"));
    let rule = hover(&mut client, "overrides minority", 11);
    assert!(
        rule.contains("Each foreign partner stays a minority"),
        "{rule}"
    );
    assert!(
        rule.contains("JV framework, section 2") && rule.contains("in-force"),
        "{rule}"
    );
    let keyword = hover(&mut client, "every party", 1);
    assert!(keyword.starts_with("**every**"), "{keyword}");

    // Definition: the `let` in the used file; references: the rule id and its `overrides`.
    let def = client.request(
        "textDocument/definition",
        at(&jv, &text, "foreign partner stake", 0),
    );
    assert_eq!(def["uri"], common.as_str());
    assert_eq!(def["range"]["start"], pos(COMMON, "foreign partner", 0, 0));
    let mut refs = at(&jv, &text, "rule minority", 5);
    refs["context"] = json!({"includeDeclaration": true});
    let refs = client.request("textDocument/references", refs);
    let lines: Vec<u64> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 9], "{refs}");

    // Completion inside a `where`: the fields of each party.
    let done = client.request(
        "textDocument/completion",
        at(&jv, &text, "country = home:", 0),
    );
    let labels: Vec<&str> = done
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for wanted in [
        "stake",
        "country",
        "board seats",
        "foreign partner",
        "every",
    ] {
        assert!(labels.contains(&wanted), "no `{wanted}` in {labels:?}");
    }
    // After a country field: the country codes.
    let codes_at = at(&jv, &text, "country = home", 10);
    let done = client.request("textDocument/completion", codes_at);
    let cn = done.as_array().unwrap().iter().find(|i| i["label"] == "CN");
    assert_eq!(
        cn.map(|i| i["detail"].clone()),
        Some(json!("China")),
        "{done}"
    );

    // Symbols and semantic tokens.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": jv}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["common.policy", "minority", "board-seat"]);
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": jv}}),
    );
    assert!(tokens["data"].as_array().unwrap().len() > 50, "{tokens}");

    // Formatting through `fmt`.
    let messy = text.replace("require every party", "require   every party");
    change(&mut client, &jv, 3, &messy);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": jv}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(apply(&messy, edits.as_array().unwrap()), text);

    // A broken rule, then mended.
    let rule = |condition: &str| {
        format!("{text}\nrule extra \"E\" {{\n  cite \"JV framework\"\n  require {condition}\n}}\n")
    };
    change(&mut client, &jv, 4, &rule("(board seats > 1"));
    let diags = client.diagnostics(&jv, |d| !d.is_empty());
    let [broken] = diags.as_slice() else {
        panic!("{diags:?}")
    };
    assert!(
        broken["code"]
            .as_str()
            .unwrap()
            .starts_with("covenant::parse::"),
        "{broken}"
    );
    assert_eq!(broken["range"]["start"]["line"], 16, "{broken}");
    change(&mut client, &jv, 5, &rule("(board seats > 1)"));
    client.diagnostics(&jv, <[Value]>::is_empty);

    // A change in the used file re-checks its user; the open buffer wins over the disk.
    open(&mut client, &common, COMMON);
    change(
        &mut client,
        &common,
        2,
        &COMMON.replace("let home =", "let homeland ="),
    );
    let diags = client.diagnostics(&jv, |d| !d.is_empty());
    assert!(
        diags
            .iter()
            .all(|d| d["message"].as_str().unwrap().contains("`home`")),
        "{diags:?}"
    );
    change(&mut client, &common, 3, COMMON);
    client.diagnostics(&jv, <[Value]>::is_empty);

    // A panic inside an analysis is caught: an error answer, and the server goes on.
    let panicking = uri(&dir.join("covenant-test-panic.policy"));
    open(&mut client, &panicking, "rule r: board seats > 1\n");
    let answer = client.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": panicking}, "position": {"line": 0, "character": 9}}),
    );
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("caught"),
        "{answer}"
    );
    let again = client.request("textDocument/hover", at(&jv, &text, "stake <", 1));
    assert!(again["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("percent"));

    assert!(client.stop().success());
    let _ = std::fs::remove_dir_all(&dir);
}
