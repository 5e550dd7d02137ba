//! The server's answers computed in process, on policies given as unsaved buffers: related
//! places of diagnostics, completion in item scopes, quick fixes, hover and tokens. The whole
//! protocol is tested on the real binary in `tests/it/lsp.rs`.

use std::path::PathBuf;

use tower_lsp_server::ls_types::{
    CodeActionOrCommand, CompletionTextEdit, Diagnostic, NumberOrString, TextEdit, Uri,
};

use crate::check::{check, Checked, Snapshot};
use crate::position::LineIndex;

const DIR: &str = "/covenant-lsp-tests";

/// The files as open buffers; the first is the root.
fn snapshot(files: &[(&str, &str)]) -> (Snapshot, PathBuf) {
    let mut snapshot = Snapshot::default();
    for (name, text) in files {
        snapshot
            .overlay
            .insert(PathBuf::from(DIR).join(name), (*text).into());
    }
    (snapshot, PathBuf::from(DIR).join(files[0].0))
}

fn checked(files: &[(&str, &str)]) -> Checked {
    let (snapshot, root) = snapshot(files);
    check(&[root], &snapshot, 0)
}

fn diagnostics(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    crate::diagnostics::of_root(&checked(files), None, false)
}

fn code(d: &Diagnostic) -> &str {
    match &d.code {
        Some(NumberOrString::String(c)) => c,
        _ => "",
    }
}

/// The completion labels at the `|` of `text` (at its end when it has none).
fn completions_at_end(text: &str) -> Vec<String> {
    let at = text.find('|').unwrap_or(text.len());
    let text = text.replace('|', "");
    let (snapshot, root) = snapshot(&[("c.policy", &text)]);
    crate::complete::complete(&snapshot, &root, &text, at)
        .into_iter()
        .map(|i| i.label)
        .collect()
}

fn apply(text: &str, edit: &TextEdit) -> String {
    let lines = LineIndex::new(text);
    let start = lines.offset(text, edit.range.start);
    let end = lines.offset(text, edit.range.end);
    format!("{}{}{}", &text[..start], edit.new_text, &text[end..])
}

/// The only quick fix for the only diagnostic of `text`, applied.
fn fixed(text: &str) -> (String, String) {
    let checked = checked(&[("f.policy", text)]);
    let found = crate::diagnostics::of_root(&checked, None, false);
    assert_eq!(found.len(), 1, "{found:?}");
    let uri: Uri = "file:///f.policy".parse().unwrap();
    let actions = crate::actions::quick_fixes(&checked, &uri, &found);
    let [CodeActionOrCommand::CodeAction(action)] = actions.as_slice() else {
        panic!("{actions:?}")
    };
    let changes = action
        .edit
        .as_ref()
        .and_then(|e| e.changes.as_ref())
        .unwrap();
    let [edit] = changes[&uri].as_slice() else {
        panic!("{changes:?}")
    };
    (action.title.clone(), apply(text, edit))
}

const RULE_A: &str = "rule a \"A\" {\n  cite \"x\"\n  require board seats > 1\n}\n";

#[test]
fn a_duplicate_rule_id_relates_its_first_use_in_the_same_file_and_in_a_used_one() {
    let text = format!("{RULE_A}{RULE_A}");
    let found = diagnostics(&[("jv.policy", &text)]);
    let [d] = found.as_slice() else {
        panic!("{found:?}")
    };
    assert_eq!(code(d), "covenant::resolve::duplicate-rule-id");
    assert_eq!(d.range.start.line, 4);
    let related = d.related_information.as_ref().unwrap();
    assert_eq!(related[0].location.range.start.line, 0);
    assert_eq!(related[0].message, "first used here");

    let jv = format!("use \"other.policy\"\n{RULE_A}");
    let found = diagnostics(&[("jv.policy", &jv), ("other.policy", RULE_A)]);
    let [d] = found.as_slice() else {
        panic!("{found:?}")
    };
    let related = d.related_information.as_ref().unwrap();
    assert!(related[0].location.uri.as_str().ends_with("/other.policy"));
    assert_eq!(related[0].location.range.start.line, 0);
}

#[test]
fn a_cycle_relates_each_of_its_definitions() {
    let text = "let a = [b]\nlet b = [a]\nrule r: \"CN\" in a\n";
    let found = diagnostics(&[("c.policy", text)]);
    let cycle = found
        .iter()
        .find(|d| code(d) == "covenant::resolve::cyclic-definition")
        .unwrap_or_else(|| panic!("{found:?}"));
    let related = cycle.related_information.as_ref().unwrap();
    let lines: Vec<u32> = related
        .iter()
        .map(|r| r.location.range.start.line)
        .collect();
    assert!(lines.contains(&0) || lines.contains(&1), "{related:?}");
    assert_ne!(Some(cycle.range.start.line), lines.first().copied());
}

#[test]
fn a_problem_in_a_used_file_is_shown_on_the_use_line() {
    let jv = format!("use \"common.policy\"\n{RULE_A}");
    let found = diagnostics(&[("jv.policy", &jv), ("common.policy", "let x = stak\n")]);
    let [d] = found.as_slice() else {
        panic!("{found:?}")
    };
    assert_eq!(d.range.start.line, 0);
    assert!(d
        .message
        .starts_with("in `/covenant-lsp-tests/common.policy`: unknown phrase"));
}

#[test]
fn completion_offers_the_items_fields_in_a_where_and_in_a_quantifiers_body() {
    for text in [
        "let x = parties where ",
        "rule r: every party: ",
        "rule r: some party where country = \"US\" and ",
        "rule r {\n  cite \"x\"\n  require every plant where |\n}\n",
        "rule r {\n  require some party where (|) and board seats > 1\n}\n",
    ] {
        let labels = completions_at_end(text);
        assert!(
            labels.iter().any(|l| l == "stake" || l == "local content"),
            "{text}: {labels:?}"
        );
        assert!(labels.iter().any(|l| l == "every"), "{text}: keywords");
    }
    let labels = completions_at_end("rule r: board ");
    assert!(labels.contains(&"seats".to_string()), "{labels:?}");
    let labels = completions_at_end(
        "let foreign partner = parties where country != \"US\"\nrule r: foreign partner ",
    );
    assert!(labels.contains(&"stake".to_string()), "{labels:?}");
}

#[test]
fn completion_offers_country_codes_after_a_country_field() {
    for text in [
        "rule r: every party: country = ",
        "rule r: every party: country = \"C",
        "rule r: no party where country in [\"RU\", ",
    ] {
        let (snapshot, root) = snapshot(&[("c.policy", text)]);
        let items = crate::complete::complete(&snapshot, &root, text, text.len());
        let cn = items.iter().find(|i| i.label == "CN");
        let Some(CompletionTextEdit::Edit(edit)) = cn.and_then(|i| i.text_edit.clone()) else {
            panic!("{text}: {items:?}")
        };
        let quoted = !text.ends_with('C');
        assert_eq!(
            edit.new_text,
            if quoted { "\"CN\"" } else { "CN" },
            "{text}"
        );
    }
}

#[test]
fn a_did_you_mean_is_a_quick_fix() {
    let (title, text) = fixed("rule r \"R\" {\n  cite \"x\"\n  require board seat > 1\n}\n");
    assert_eq!(title, "Replace with `seats`");
    assert!(text.contains("require board seats > 1"), "{text}");
    assert!(diagnostics(&[("f.policy", &text)]).is_empty());
}

#[test]
fn a_keyword_is_back_quoted_by_a_quick_fix() {
    let (title, text) = fixed("rule r \"R\" {\n  cite \"x\"\n  require every party: in force\n}\n");
    assert!(title.starts_with("Back-quote"), "{title}");
    assert!(text.contains("require every party: `in` force"), "{text}");
}

#[test]
fn a_missing_cite_is_added_by_a_quick_fix() {
    let (_, text) = fixed("rule r \"R\": board seats > 1\n");
    assert_eq!(
        text,
        "rule r \"R\" {\n  cite \"…\"\n  require board seats > 1\n}\n"
    );
    let (_, text) = fixed("rule r \"R\" {\n  require board seats > 1\n}\n");
    assert_eq!(
        text,
        "rule r \"R\" {\n  cite \"…\"\n  require board seats > 1\n}\n"
    );
    assert!(diagnostics(&[("f.policy", &text)]).is_empty());
}

fn hover_text(text: &str, needle: &str) -> String {
    let checked = checked(&[("h.policy", text)]);
    let at = text.find(needle).unwrap() + 1;
    let hover = crate::hover::hover(&checked, checked.root.unwrap(), at).unwrap();
    match hover.contents {
        tower_lsp_server::ls_types::HoverContents::Markup(m) => m.value,
        other => panic!("{other:?}"),
    }
}

#[test]
fn hover_shows_fields_definitions_rules_and_keywords() {
    let text = "policy \"P\"\n  status proposed\nlet home = \"US\"\n\
                rule us \"Hosted at home\" {\n  cite \"Act\" section \"1\"\n  \
                require every party where country = home: board seats >= 1\n}\n";
    assert!(hover_text(text, "country =").contains("`party.country`"));
    assert!(hover_text(text, "country =").contains("ISO 3166-1"));
    let seats = hover_text(text, "board seats");
    assert!(seats.contains("`party.board_seats` — a number"), "{seats}");
    assert!(hover_text(text, "home:").contains("let home = \"US\""));
    let rule = hover_text(text, "us \"Hosted");
    assert!(
        rule.contains("Hosted at home")
            && rule.contains("`proposed`")
            && rule.contains("Act, section 1")
    );
    assert!(hover_text(text, "every").starts_with("**every**"));
}

#[test]
fn semantic_tokens_tell_rule_ids_definitions_fields_and_keywords_apart() {
    let text = "let home = \"US\"\nrule us: every party: country = home\n";
    let checked = checked(&[("t.policy", text)]);
    let tokens = crate::tokens::tokens(&checked, 0);
    let mut at = (0u32, 0u32);
    let mut kinds = Vec::new();
    for t in tokens {
        at = match t.delta_line {
            0 => (at.0, at.1 + t.delta_start),
            d => (at.0 + d, t.delta_start),
        };
        let line = text.lines().nth(at.0 as usize).unwrap();
        let word = &line[at.1 as usize..(at.1 + t.length) as usize];
        kinds.push((word.to_string(), t.token_type, t.token_modifiers_bitset));
    }
    let kind = |w: &str| kinds.iter().find(|k| k.0 == w).map(|k| (k.1, k.2));
    assert_eq!(kind("let"), Some((0, 0)));
    assert_eq!(kind("home"), Some((5, 1)));
    assert_eq!(kind("\"US\""), Some((1, 0)));
    assert_eq!(kind("us"), Some((6, 1)));
    assert_eq!(kind("every"), Some((0, 0)));
    assert_eq!(kind("country"), Some((4, 0)));
}

#[test]
fn a_panic_is_caught_and_told() {
    let caught = crate::server::guarded(|| -> u8 { panic!("boom") });
    assert_eq!(caught, Err("internal error, caught: boom".to_string()));
    assert_eq!(crate::server::guarded(|| 7), Ok(7));
}

#[test]
fn formatting_is_one_edit_or_none() {
    let messy = "rule  r:   board seats > 1\n";
    let edits = crate::format::edits("f.policy", messy).unwrap();
    assert_eq!(apply(messy, &edits[0]), "rule r: board seats > 1\n");
    assert_eq!(
        crate::format::edits("f.policy", "rule r: board seats > 1\n"),
        Some(Vec::new())
    );
    assert_eq!(crate::format::edits("f.policy", "rule r: (\n"), None);
}

#[test]
fn use_paths_and_item_definitions_have_definitions_and_references() {
    let jv = "use \"other.policy\"\ndefine party big: stake > 30%\n\
              rule r \"R\" {\n  cite \"x\"\n  require no party where big\n}\n";
    let checked = checked(&[("jv.policy", jv), ("other.policy", "let home = \"US\"\n")]);
    let root = checked.root.unwrap();
    let at_use = jv.find("other").unwrap();
    let target = crate::navigate::target_at(&checked, root, at_use).unwrap();
    let def = crate::navigate::definition(&checked, &target).unwrap();
    assert!(def
        .uri
        .as_str()
        .ends_with("/covenant-lsp-tests/other.policy"));
    let refs = crate::navigate::references(&checked, &target, false);
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].range.start.line, 0);

    let at_big = jv.rfind("big").unwrap();
    let target = crate::navigate::target_at(&checked, root, at_big).unwrap();
    let def = crate::navigate::definition(&checked, &target).unwrap();
    assert_eq!(
        def.range.start,
        crate::position::LineIndex::new(jv).position(jv, jv.find("big").unwrap())
    );
    let refs = crate::navigate::references(&checked, &target, true);
    let lines: Vec<u32> = refs.iter().map(|r| r.range.start.line).collect();
    assert_eq!(lines, [1, 4]);
}

#[test]
fn nothing_is_completed_in_a_title_or_a_citation() {
    for text in ["rule r \"Ti", "rule r {\n  cite \"Act"] {
        let (snapshot, root) = snapshot(&[("c.policy", text)]);
        assert!(crate::complete::complete(&snapshot, &root, text, text.len()).is_empty());
    }
}

#[test]
fn a_file_of_definitions_used_elsewhere_draws_no_unused_or_no_rules_warning() {
    let defs = "let home = \"US\"\nlet cap = 50%\n";
    let codes = |used| -> Vec<String> {
        let found = crate::diagnostics::of_root(&checked(&[("defs.policy", defs)]), None, used);
        found.iter().map(|d| code(d).to_string()).collect()
    };
    let alone = codes(false);
    assert!(
        alone.iter().any(|c| c == covenant::lint::UNUSED_DEFINITION),
        "{alone:?}"
    );
    assert!(
        alone.iter().any(|c| c == covenant::lint::NO_RULES),
        "{alone:?}"
    );
    assert_eq!(codes(true), Vec::<String>::new());
}
