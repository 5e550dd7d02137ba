//! `covenant fmt`: the canonical layout of a policy file (see `docs/formatting.md`).
//!
//! The file is parsed, and the AST is printed back token by token, in source order. Spellings
//! the AST does not keep apart are read from the source through the spans (`is` or `=`,
//! `count of` or `number of`, `1_000` or `1000`, `USD 3.5B`), so the printed file parses to
//! the same AST, a bare rule keeps its derived id, and formatting twice changes nothing.
//! Comments are not in the AST: they are read from the source text and placed where they
//! were (see [`layout`]).

mod expr;
mod layout;
mod table;

use crate::source::{SourceFile, Span};

use super::ast::{
    Cite, Clause, FxClause, Header, Item, PolicyFile, Rule, RuleForm, Spanned, Status, Window,
};
use super::{parse, with_parse_stack, ParseErrors};
use layout::Printer;

/// Indentation of clauses in a braced body and of header clauses.
const INDENT: usize = 2;

/// Format a policy file, or report why it does not parse.
/// A lone CR is printed as the line feed it stands for (see [`super::parse`]).
pub fn format_policy(file: &SourceFile) -> Result<String, ParseErrors> {
    let file = &*file.with_lone_crs_as_line_feeds();
    // Deep (but allowed) nesting is printed on the parser's large stack.
    with_parse_stack(|| format_file(file))
}

fn format_file(file: &SourceFile) -> Result<String, ParseErrors> {
    let policy = parse(file)?;
    let mut printer = Printer::new(&file.text);
    printer.policy(&policy);
    Ok(printer.finish())
}

impl Printer<'_> {
    fn policy(&mut self, policy: &PolicyFile) {
        self.header(&policy.header);
        for item in &policy.items {
            match item {
                Item::Use(path) => {
                    self.line(0, path.span.start, true);
                    self.tok("use", None);
                    self.string(path.span);
                }
                Item::Let(def) => {
                    self.line(0, def.span.start, true);
                    self.tok("let", None);
                    self.tok(&def.name.join(" "), Some(def.name_span));
                    self.tok("=", None);
                    self.expr(&def.value);
                }
                Item::Define(def) => {
                    self.line(0, def.span.start, true);
                    self.tok("define", None);
                    self.tok(&def.item.node, Some(def.item.span));
                    self.tok(&def.name.join(" "), Some(def.name_span));
                    self.tok(":", None);
                    self.expr(&def.value);
                }
                Item::Rule(rule) => self.rule(rule),
            }
        }
    }

    /// A string literal, as written (escapes and all).
    fn string(&mut self, span: Span) {
        let text = self.slice(span);
        self.tok(text, Some(span));
    }

    /// A keyword printed from the AST, placed just before the token at `pos`.
    fn kw(&mut self, text: &str, pos: usize) {
        self.tok(text, Some(Span::new(pos, pos)));
    }

    /// `policy "title" [version "v"]`, then the header clauses, one per line, in source
    /// order. `version` stays on the `policy` line when it comes first.
    fn header(&mut self, h: &Header) {
        let Some(title) = &h.title else {
            return;
        };
        self.line(0, h.span.start, true);
        self.tok("policy", None);
        self.string(title.span);
        let mut clauses: Vec<(usize, HeaderClause<'_>)> = Vec::new();
        if let Some(v) = &h.version {
            clauses.push((v.span.start, HeaderClause::Text("version", v.span)));
        }
        if let Some(j) = &h.jurisdiction {
            clauses.push((j.span.start, HeaderClause::Text("jurisdiction", j.span)));
        }
        if let Some(s) = &h.schema {
            clauses.push((s.span.start, HeaderClause::Schema(s.span, h.schema_extends)));
        }
        if let Some(w) = &h.effective {
            clauses.push((w.span.start, HeaderClause::Window(w)));
        }
        if let Some(s) = &h.status {
            clauses.push((s.span.start, HeaderClause::Status(s)));
        }
        if let Some(c) = &h.calendar {
            clauses.push((
                c.span.start,
                HeaderClause::Calendar(c.name.span, c.file.span),
            ));
        }
        if let Some(fx) = &h.fx {
            clauses.push((fx.text.span.start, HeaderClause::Fx(fx)));
        }
        for c in &h.cites {
            clauses.push((c.text.span.start, HeaderClause::Cite(c)));
        }
        clauses.sort_by_key(|(pos, _)| *pos);
        for (i, (pos, clause)) in clauses.into_iter().enumerate() {
            let on_policy_line = i == 0 && matches!(clause, HeaderClause::Text("version", _));
            if on_policy_line {
                self.cont = INDENT;
            } else {
                self.line(INDENT, pos, false);
            }
            match clause {
                HeaderClause::Text(word, span) => {
                    self.kw(word, span.start);
                    self.string(span);
                }
                HeaderClause::Schema(span, extends) => {
                    self.kw("schema", span.start);
                    self.string(span);
                    if let Some(extends) = extends {
                        self.tok("extends standard", Some(extends));
                    }
                }
                HeaderClause::Window(w) => self.window(w),
                HeaderClause::Status(s) => self.status(s),
                HeaderClause::Calendar(name, file) => {
                    self.kw("calendar", name.start);
                    self.string(name);
                    self.kw("from", file.start);
                    self.string(file);
                }
                HeaderClause::Fx(fx) => self.fx(fx),
                HeaderClause::Cite(c) => self.cite(c),
            }
        }
    }

    /// `fx "TEXT" from "FILE" [url "U"]` (SPEC §11).
    fn fx(&mut self, fx: &FxClause) {
        self.kw("fx", fx.text.span.start);
        self.string(fx.text.span);
        self.kw("from", fx.file.span.start);
        self.string(fx.file.span);
        if let Some(url) = &fx.url {
            self.kw("url", url.span.start);
            self.string(url.span);
        }
    }

    /// `cite "TEXT" [section "S"] [url "U"] [version "V"]` (SPEC §12).
    fn cite(&mut self, c: &Cite) {
        self.kw("cite", c.text.span.start);
        self.string(c.text.span);
        let parts = [
            ("section", &c.section),
            ("url", &c.url),
            ("version", &c.version),
        ];
        for (word, part) in parts {
            if let Some(part) = part {
                self.kw(word, part.span.start);
                self.string(part.span);
            }
        }
    }

    fn status(&mut self, s: &Spanned<Status>) {
        self.kw("status", s.span.start);
        self.tok(s.node.as_str(), Some(s.span));
    }

    /// `overrides a, b`: the ids as written, separated by `, `.
    fn overrides(&mut self, ids: &[Spanned<String>]) {
        let Some(first) = ids.first() else { return };
        self.kw("overrides", first.span.start);
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.tok(",", None);
            }
            self.tok(&id.node, Some(id.span));
        }
    }

    fn window(&mut self, w: &Window) {
        self.kw("effective", w.span.start);
        self.tok(self.slice(w.from.span), Some(w.from.span));
        if let Some(until) = &w.until {
            self.kw("until", until.span.start);
            self.tok(self.slice(until.span), Some(until.span));
        }
        if let Some(on) = &w.on {
            self.kw("on", on.span.start);
            self.expr(on);
        }
    }

    fn rule(&mut self, rule: &Rule) {
        self.line(0, rule.span.start, true);
        if rule.form == RuleForm::Bare {
            for clause in &rule.clauses {
                if let Clause::Require(e) = clause {
                    self.expr(e);
                }
            }
            return;
        }
        self.tok("rule", None);
        self.tok(&rule.id.node, Some(rule.id.span));
        if let Some(title) = &rule.title {
            self.string(title.span);
        }
        if rule.form == RuleForm::OneLine {
            self.tok(":", None);
            for clause in &rule.clauses {
                if let Clause::Require(e) = clause {
                    self.expr(e);
                }
            }
            return;
        }
        self.tok("{", None);
        // The span of a braced rule ends with its `}`.
        let close = Span::new(rule.span.end.saturating_sub(1), rule.span.end);
        if rule.clauses.is_empty() && !self.has_comment_in(Span::new(rule.id.span.end, close.end)) {
            self.tok("}", Some(close));
            return;
        }
        self.body_start();
        for clause in &rule.clauses {
            self.line(INDENT, clause_start(clause), true);
            self.clause(clause);
        }
        self.flush(close.start, Some(INDENT), true);
        self.line(0, close.start, false);
        self.tok("}", Some(close));
    }

    fn clause(&mut self, clause: &Clause) {
        match clause {
            Clause::Severity(s) => {
                self.kw("severity", s.span.start);
                self.tok(s.node.as_str(), Some(s.span));
            }
            Clause::Status(s) => self.status(s),
            Clause::Overrides(ids) => self.overrides(ids),
            Clause::Cite(c) => self.cite(c),
            Clause::Help(s) => {
                self.kw("help", s.span.start);
                self.string(s.span);
            }
            Clause::Effective(w) => self.window(w),
            Clause::When(e) => {
                self.kw("when", e.span.start);
                self.expr(e);
            }
            Clause::Require(e) => {
                self.kw("require", e.span.start);
                self.expr(e);
            }
            Clause::Unless(e) => {
                self.kw("unless", e.span.start);
                self.expr(e);
            }
            Clause::Waivable(e) => {
                self.kw("waivable", e.span.start);
                self.tok("by", None);
                self.expr(e);
            }
        }
    }
}

enum HeaderClause<'a> {
    /// `version` or `jurisdiction`, and the span of its string.
    Text(&'static str, Span),
    /// `schema`: the span of its string and of `extends standard`, if written.
    Schema(Span, Option<Span>),
    Window(&'a Window),
    Status(&'a Spanned<Status>),
    /// `calendar`: the spans of its name and of its file.
    Calendar(Span, Span),
    Fx(&'a FxClause),
    Cite(&'a Cite),
}

/// Where a clause starts in the source (its value, for the clauses whose keyword is not kept
/// in the AST: no comment can stand between a clause word and its value).
fn clause_start(clause: &Clause) -> usize {
    match clause {
        Clause::Severity(s) => s.span.start,
        Clause::Status(s) => s.span.start,
        Clause::Overrides(ids) => ids.first().map_or(0, |id| id.span.start),
        Clause::Cite(c) => c.text.span.start,
        Clause::Help(s) => s.span.start,
        Clause::Effective(w) => w.span.start,
        Clause::When(e) | Clause::Require(e) | Clause::Unless(e) | Clause::Waivable(e) => {
            e.span.start
        }
    }
}
