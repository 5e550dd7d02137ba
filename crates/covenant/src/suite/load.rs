//! Reading a test suite (`*.test.yaml`, SPEC §5) with the deal loader's YAML reader, into a
//! position-keeping tree, then into [`Suite`]: every problem is collected, with its place in
//! the suite file, before any case runs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::deal;
use crate::deal::doc::{Doc, DocKind, Entry, Lit};
use crate::eval::outcome::Verdict;
use crate::limits::PolicyLimits;
use crate::resolve::{self, Policy};
use crate::source::{SourceFile, Span};

use super::deal_text;
use super::diag::{self, SuiteError};
use super::prepared::{slug, Case, Suite};

/// Outcomes a case may expect of a rule; `exempt` is a pass by an exemption.
pub const OUTCOMES: [&str; 5] = ["pass", "fail", "not-applicable", "incomplete", "exempt"];
const VERDICTS: [&str; 4] = ["compliant", "non-compliant", "incomplete", "invalid"];
const SUITE_KEYS: [&str; 2] = ["policy", "cases"];
const CASE_KEYS: [&str; 7] = [
    "name",
    "deal",
    "as_of",
    "deny_warnings",
    "strict",
    "include_proposed",
    "expect",
];
const EXPECT_KEYS: [&str; 2] = ["verdict", "rules"];

/// A case before its policy is known.
struct RawCase {
    name: String,
    name_span: Span,
    deal: Option<RawDeal>,
    as_of: Option<Date>,
    deny_warnings: bool,
    strict: bool,
    include_proposed: bool,
    verdict: Option<Verdict>,
    rules: Vec<(String, Span, &'static str)>,
}

enum RawDeal {
    Path(String, Span),
    Inline(Span),
}

struct Reader<'a> {
    source: &'a SourceFile,
    errors: Vec<SuiteError>,
}

/// Read, check and prepare the suite at `path` (shown as `display`); the suite file, its
/// deals and its policy are read within `limits` (a suite or deal file within the deal size
/// limit).
pub fn load(
    path: &Path,
    display: &str,
    limits: &PolicyLimits,
) -> Result<Suite, Vec<miette::Report>> {
    let empty = SourceFile::new(display, "");
    let text = match deal_text::read_text(path, limits) {
        Ok(t) => t,
        Err(why) => return Err(unreadable(&empty, why)),
    };
    let source = SourceFile::new(display, text);
    let doc = deal::parse_yaml_tree(&source).map_err(|errs| {
        errs.iter()
            .map(|e| miette::Report::new(SuiteError::from_yaml(e, &source)))
            .collect::<Vec<_>>()
    })?;
    let mut r = Reader {
        source: &source,
        errors: Vec::new(),
    };
    let (policy_paths, raw) = r.suite(&doc);
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut reports: Vec<miette::Report> = Vec::new();
    let mut warnings: Vec<miette::Report> = Vec::new();
    let policy = match policy_paths {
        Some((paths, span)) => {
            let full: Vec<PathBuf> = paths.iter().map(|p| dir.join(p)).collect();
            match resolve::compile_with(&full, limits) {
                Ok(compiled) => {
                    let (policy, w) = compiled.into_parts();
                    warnings = w.into_reports();
                    Some(policy)
                }
                Err(diags) => {
                    reports.extend(diags.into_reports());
                    r.push(diag::PolicyDoesNotCompile {
                        span,
                        src: source.named(),
                    });
                    None
                }
            }
        }
        None => None,
    };
    let mut cases = Vec::new();
    let mut slugs: HashMap<String, (String, Span)> = HashMap::new();
    for (i, rc) in raw.into_iter().enumerate() {
        if let Some(policy) = &policy {
            r.check_rule_ids(policy, &rc.rules);
        }
        let slug = slug(&rc.name, i);
        if let Some((other, first)) = slugs.insert(slug.clone(), (rc.name.clone(), rc.name_span)) {
            r.push(diag::DuplicateCase {
                first_name: other,
                name: rc.name.clone(),
                slug: slug.clone(),
                span: rc.name_span,
                first,
                src: source.named(),
            });
        }
        let deal = match &rc.deal {
            Some(RawDeal::Path(p, span)) => {
                match deal_text::file(&source, &dir, p, *span, limits) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        r.errors.push(*e);
                        None
                    }
                }
            }
            Some(RawDeal::Inline(span)) => Some(deal_text::inline(&source, display, *span)),
            None => None,
        };
        if let Some(deal) = deal {
            cases.push(Case {
                name: rc.name,
                slug,
                deal,
                as_of: rc.as_of,
                deny_warnings: rc.deny_warnings,
                include_proposed: rc.include_proposed,
                strict: rc.strict,
                verdict: rc.verdict,
                rules: rc.rules.into_iter().map(|(id, _, o)| (id, o)).collect(),
            });
        }
    }
    reports.extend(r.errors.into_iter().map(miette::Report::new));
    match policy {
        Some(policy) if reports.is_empty() => Ok(Suite {
            path: path.to_path_buf(),
            policy: policy.into(),
            cases,
            warnings,
        }),
        _ => Err(reports),
    }
}

fn unreadable(source: &SourceFile, why: String) -> Vec<miette::Report> {
    let name = source.name.to_string();
    vec![miette::Report::new(SuiteError::from(diag::Unreadable {
        name,
        why,
    }))]
}

impl Reader<'_> {
    fn push(&mut self, e: impl Into<SuiteError>) {
        self.errors.push(e.into());
    }

    fn src(&self) -> crate::source::Named {
        self.source.named()
    }

    /// The entries of a mapping; unknown keys are errors.
    fn map<'d>(&mut self, doc: &'d Doc, what: &str, keys: &[&str]) -> Option<&'d [Entry]> {
        let DocKind::Map(entries) = &doc.kind else {
            self.push(diag::NotAMapping {
                what: what.into(),
                found: doc.describe(),
                span: doc.span,
                src: self.src(),
            });
            return None;
        };
        for e in entries {
            if !keys.contains(&e.key.as_str()) {
                let names: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
                let help = crate::resolve::typeck::did_you_mean(&e.key, &names)
                    .unwrap_or_else(|| format!("the keys of {what} are {}", list(keys)));
                self.push(diag::UnknownKey {
                    key: e.key.clone(),
                    what: what.into(),
                    span: e.key_span,
                    help,
                    src: self.src(),
                });
            }
        }
        Some(entries)
    }

    fn string(&mut self, doc: &Doc, what: &str) -> Option<String> {
        match &doc.kind {
            DocKind::Scalar(Lit::Str { value, .. }) => Some(value.clone()),
            DocKind::Scalar(Lit::Number(t)) => Some(t.clone()),
            _ => {
                self.push(diag::NotAString {
                    what: what.into(),
                    found: doc.describe(),
                    span: doc.span,
                    src: self.src(),
                });
                None
            }
        }
    }

    fn bool(&mut self, doc: &Doc, what: &str) -> bool {
        match &doc.kind {
            DocKind::Scalar(Lit::Bool(b)) => *b,
            _ => {
                self.push(diag::NotABool {
                    what: what.into(),
                    found: doc.describe(),
                    span: doc.span,
                    src: self.src(),
                });
                false
            }
        }
    }

    /// A value that must be one of `allowed`.
    fn choice(&mut self, doc: &Doc, what: &str, allowed: &[&'static str]) -> Option<&'static str> {
        let text = self.string(doc, what)?;
        if let Some(a) = allowed.iter().find(|a| **a == text) {
            return Some(a);
        }
        let names: Vec<String> = allowed.iter().map(|k| k.to_string()).collect();
        let help = crate::resolve::typeck::did_you_mean(&text, &names)
            .unwrap_or_else(|| format!("write one of {}", list(allowed)));
        self.push(diag::NotAllowed {
            text,
            what: what.into(),
            span: doc.span,
            help,
            src: self.src(),
        });
        None
    }

    /// The top level: the policy paths (with the span of the `policy` value) and the cases.
    fn suite(&mut self, doc: &Doc) -> (Option<(Vec<String>, Span)>, Vec<RawCase>) {
        let Some(entries) = self.map(doc, "a suite", &SUITE_KEYS) else {
            return (None, Vec::new());
        };
        let get = |k: &str| entries.iter().find(|e| e.key == k).map(|e| &e.value);
        let policy = match get("policy") {
            Some(v) => self.policy(v),
            None => {
                self.missing(
                    doc.span,
                    "a suite",
                    "policy",
                    "policy: ../policies/jv.policy",
                );
                None
            }
        };
        let mut cases = Vec::new();
        match get("cases").map(|v| (&v.kind, v.span)) {
            Some((DocKind::Seq(items), _)) if !items.is_empty() => {
                for item in items {
                    if let Some(c) = self.case(item) {
                        cases.push(c);
                    }
                }
            }
            Some((_, span)) => self.push(diag::CasesNotAList {
                span,
                src: self.src(),
            }),
            None => self.missing(doc.span, "a suite", "cases", "cases: [...]"),
        }
        (policy, cases)
    }

    fn missing(&mut self, span: Span, what: &str, key: &str, example: &str) {
        let start = Span::new(span.start, span.start);
        self.push(diag::MissingKey {
            what: what.into(),
            key: key.into(),
            example: example.into(),
            span: start,
            src: self.src(),
        });
    }

    fn policy(&mut self, v: &Doc) -> Option<(Vec<String>, Span)> {
        let paths = match &v.kind {
            DocKind::Seq(items) if !items.is_empty() => {
                let paths: Vec<Option<String>> = items
                    .iter()
                    .map(|i| self.string(i, "a policy path"))
                    .collect();
                paths.into_iter().collect::<Option<Vec<_>>>()?
            }
            _ => vec![self.string(v, "`policy` (a path or a list of paths)")?],
        };
        Some((paths, v.span))
    }

    fn case(&mut self, doc: &Doc) -> Option<RawCase> {
        let entries = self.map(doc, "a case", &CASE_KEYS)?;
        let get = |k: &str| entries.iter().find(|e| e.key == k).map(|e| &e.value);
        let (name, name_span) = match get("name") {
            Some(v) => (self.string(v, "a case's `name`")?, v.span),
            None => {
                self.missing(doc.span, "a case", "name", "name: what the case shows");
                return None;
            }
        };
        let mut case = RawCase {
            name,
            name_span,
            deal: None,
            as_of: None,
            deny_warnings: get("deny_warnings").is_some_and(|v| self.bool(v, "`deny_warnings`")),
            strict: get("strict").is_some_and(|v| self.bool(v, "`strict`")),
            include_proposed: get("include_proposed")
                .is_some_and(|v| self.bool(v, "`include_proposed`")),
            verdict: None,
            rules: Vec::new(),
        };
        match get("deal") {
            Some(v) if matches!(v.kind, DocKind::Map(_)) => {
                case.deal = Some(RawDeal::Inline(v.span))
            }
            Some(v) => {
                case.deal = self
                    .string(v, "`deal` (a path or a mapping)")
                    .map(|p| RawDeal::Path(p, v.span))
            }
            None => self.missing(doc.span, "a case", "deal", "deal: ../deals/jv.yaml"),
        }
        if let Some(v) = get("as_of") {
            let text = self.string(v, "`as_of`");
            match text.as_deref().map(crate::value::parse_date) {
                Some(Ok(d)) => case.as_of = Some(d),
                Some(Err(e)) => self.push(diag::BadDate {
                    message: e.message,
                    span: v.span,
                    help: e.help,
                    src: self.src(),
                }),
                None => {}
            }
        }
        match get("expect") {
            Some(v) => self.expect(v, &mut case),
            None => self.missing(
                doc.span,
                "a case",
                "expect",
                "expect: { verdict: compliant }",
            ),
        }
        Some(case)
    }

    fn expect(&mut self, doc: &Doc, case: &mut RawCase) {
        let Some(entries) = self.map(doc, "`expect`", &EXPECT_KEYS) else {
            return;
        };
        if entries.is_empty() {
            self.push(diag::EmptyExpect {
                span: doc.span,
                src: self.src(),
            });
        }
        for e in entries {
            match e.key.as_str() {
                "verdict" => {
                    case.verdict = self.choice(&e.value, "a verdict", &VERDICTS).map(verdict);
                }
                "rules" => self.expect_rules(&e.value, case),
                _ => {}
            }
        }
    }

    fn expect_rules(&mut self, doc: &Doc, case: &mut RawCase) {
        let DocKind::Map(entries) = &doc.kind else {
            self.push(diag::RulesNotAMapping {
                found: doc.describe(),
                span: doc.span,
                src: self.src(),
            });
            return;
        };
        for e in entries {
            if let Some(o) = self.choice(&e.value, "an outcome", &OUTCOMES) {
                case.rules.push((e.key.clone(), e.key_span, o));
            }
        }
    }

    fn check_rule_ids(&mut self, policy: &Policy, rules: &[(String, Span, &'static str)]) {
        let ids: Vec<String> = policy.rules.iter().map(|r| r.id.clone()).collect();
        for (id, span, _) in rules {
            if !ids.contains(id) {
                let help = crate::resolve::typeck::did_you_mean(id, &ids)
                    .unwrap_or_else(|| format!("the policy's rules are {}", list(&ids)));
                self.push(diag::UnknownRule {
                    id: id.clone(),
                    span: *span,
                    help,
                    src: self.src(),
                });
            }
        }
    }
}

fn verdict(s: &str) -> Verdict {
    match s {
        "compliant" => Verdict::Compliant,
        "non-compliant" => Verdict::NonCompliant,
        "incomplete" => Verdict::Incomplete,
        _ => Verdict::Invalid,
    }
}

fn list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}
