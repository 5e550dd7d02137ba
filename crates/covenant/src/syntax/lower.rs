//! Lowering pest pairs to items: the header, `use`, `let` and rules.

use super::ast::{
    CalendarClause, Clause, DefineDef, Header, Item, LetDef, Rule as PolicyRule, RuleForm,
    Severity, Spanned, Status, Window,
};
use super::error::ParseError;
use super::grammar::Rule;
use super::id::{derive_id, id_tokens};
use super::lower_expr::{kids, Lowerer, Pair, Res};
use crate::source::Span;

/// What may stand at the top level of a file.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    Header(Box<Header>),
    Item(Item),
}

impl Lowerer<'_> {
    /// The entries of a `file` pair.
    pub fn entries(&mut self, p: &Pair<'_>) -> Res<Vec<Entry>> {
        let mut out = Vec::new();
        for k in kids(p) {
            match k.as_rule() {
                Rule::header => out.push(Entry::Header(Box::new(self.header(&k)?))),
                Rule::item => out.push(Entry::Item(self.item(&k)?)),
                Rule::EOI => {}
                _ => return Err(self.bug(&k)),
            }
        }
        Ok(out)
    }

    fn header(&mut self, p: &Pair<'_>) -> Res<Header> {
        let ks = kids(p);
        let policy = self.span(&self.nth(&ks, 0, p)?);
        let title = self.nth(&ks, 1, p)?;
        let title = self.spanned_string(&title);
        let mut header = Header {
            span: policy.join(title.span),
            title: Some(title),
            ..Header::default()
        };
        // The spans of the clauses seen so far, for duplicate reports.
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        for k in ks.iter().skip(2) {
            let clause_span = self.clause_span(k);
            header.span = header.span.join(clause_span);
            // Repeatable, as in a rule.
            if k.as_rule() == Rule::cite_clause {
                header.cites.push(self.cite(k)?);
                continue;
            }
            let name = match k.as_rule() {
                Rule::header_version => "version",
                Rule::header_jurisdiction => "jurisdiction",
                Rule::header_schema => "schema",
                Rule::header_calendar => "calendar",
                Rule::window => "effective",
                Rule::status_clause => "status",
                Rule::header_fx => "fx",
                _ => return Err(self.bug(k)),
            };
            if let Some(&(_, first)) = seen.iter().find(|(n, _)| *n == name) {
                self.errors.push(ParseError::duplicate(
                    self.file,
                    name,
                    "the header".to_string(),
                    clause_span,
                    first,
                    None,
                ));
                continue;
            }
            seen.push((name, clause_span));
            if k.as_rule() == Rule::window {
                header.effective = Some(self.window(k)?);
                continue;
            }
            if k.as_rule() == Rule::status_clause {
                header.status = Some(self.status(k)?);
                continue;
            }
            if k.as_rule() == Rule::header_calendar {
                header.calendar = Some(self.calendar(k, clause_span)?);
                continue;
            }
            if k.as_rule() == Rule::header_fx {
                header.fx = Some(Box::new(self.fx_clause(k)?));
                continue;
            }
            let clause_kids = kids(k);
            let value = self.spanned_string(&self.nth(&clause_kids, 1, k)?);
            if let Some(extends) = clause_kids.get(2) {
                header.schema_extends = Some(self.span(extends));
            }
            match k.as_rule() {
                Rule::header_version => header.version = Some(value),
                Rule::header_jurisdiction => header.jurisdiction = Some(value),
                _ => header.schema = Some(value),
            }
        }
        Ok(header)
    }

    fn item(&mut self, p: &Pair<'_>) -> Res<Item> {
        let inner = self.nth(&kids(p), 0, p)?;
        let ks = kids(&inner);
        match inner.as_rule() {
            Rule::use_item => Ok(Item::Use(self.spanned_string(&self.nth(&ks, 1, &inner)?))),
            Rule::let_item => {
                let kw = self.span(&self.nth(&ks, 0, &inner)?);
                let (name, name_span) = self.name_words(&self.nth(&ks, 1, &inner)?);
                let value = self.expr(self.nth(&ks, 3, &inner)?)?;
                self.rows_indented_under(kw.start, &value);
                let span = kw.join(value.span);
                Ok(Item::Let(LetDef {
                    name,
                    name_span,
                    value,
                    span,
                }))
            }
            Rule::define_item => {
                let kw = self.span(&self.nth(&ks, 0, &inner)?);
                let item = self.nth(&ks, 1, &inner)?;
                let item = Spanned::new(self.text(&item).to_string(), self.span(&item));
                let (name, name_span) = self.name_words(&self.nth(&ks, 2, &inner)?);
                let value = self.expr(self.nth(&ks, 4, &inner)?)?;
                self.rows_indented_under(kw.start, &value);
                let span = kw.join(value.span);
                Ok(Item::Define(DefineDef {
                    item,
                    name,
                    name_span,
                    value,
                    span,
                }))
            }
            Rule::rule_item => Ok(Item::Rule(self.rule_item(&inner, &ks)?)),
            Rule::bare_rule => {
                let expr = self.expr(self.nth(&ks, 0, &inner)?)?;
                let text = self.file.slice(expr.span);
                let id = derive_id(&id_tokens(text));
                Ok(Item::Rule(PolicyRule {
                    id: Spanned::new(id, expr.span),
                    id_derived: true,
                    title: None,
                    form: RuleForm::Bare,
                    span: expr.span,
                    clauses: vec![Clause::Require(expr)],
                }))
            }
            _ => Err(self.bug(&inner)),
        }
    }

    /// The words of a definition's name and their span, from the first word to the last.
    fn name_words(&self, p: &Pair<'_>) -> (Vec<String>, Span) {
        let words = kids(p);
        let name = words.iter().map(|w| self.text(w).to_string()).collect();
        let span = match (words.first(), words.last()) {
            (Some(a), Some(b)) => self.span(a).join(self.span(b)),
            _ => self.span(p),
        };
        (name, span)
    }

    fn rule_item(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<PolicyRule> {
        let kw = self.span(&self.nth(ks, 0, p)?);
        let id_pair = self.nth(ks, 1, p)?;
        let id = Spanned::new(self.text(&id_pair).to_string(), self.span(&id_pair));
        let mut title = None;
        let mut body = None;
        for k in ks.iter().skip(2) {
            match k.as_rule() {
                Rule::string => title = Some(self.spanned_string(k)),
                _ => body = Some(k.clone()),
            }
        }
        let body = body.ok_or_else(|| self.bug(p))?;
        let bk = kids(&body);
        let (form, clauses, end) = if body.as_rule() == Rule::one_line_body {
            let expr = self.expr(self.nth(&bk, 1, &body)?)?;
            let end = expr.span;
            (RuleForm::OneLine, vec![Clause::Require(expr)], end)
        } else {
            let close = self.span(&self.nth(&bk, bk.len().saturating_sub(1), &body)?);
            let mut clauses = Vec::new();
            let mut seen: Vec<(&'static str, Span)> = Vec::new();
            for c in bk.iter().filter(|c| c.as_rule() == Rule::clause) {
                let (clause, name, span) = self.clause(c)?;
                if let Some(name) = name {
                    if let Some(&(_, first)) = seen.iter().find(|(n, _)| *n == name) {
                        self.errors.push(ParseError::duplicate(
                            self.file,
                            name,
                            format!("rule `{}`", id.node),
                            span,
                            first,
                            Some(format!(
                                "a rule has at most one `{name}` clause; remove one"
                            )),
                        ));
                    } else {
                        seen.push((name, span));
                    }
                }
                clauses.push(clause);
            }
            (RuleForm::Braced, clauses, close)
        };
        Ok(PolicyRule {
            id,
            id_derived: false,
            title,
            form,
            clauses,
            span: kw.join(end),
        })
    }

    /// A clause, the name under which it may appear only once, and its span.
    fn clause(&mut self, p: &Pair<'_>) -> Res<(Clause, Option<&'static str>, Span)> {
        let inner = self.nth(&kids(p), 0, p)?;
        let span = self.clause_span(&inner);
        let ks = kids(&inner);
        let arg = self.nth(&ks, ks.len().saturating_sub(1), &inner)?;
        let out = match inner.as_rule() {
            Rule::severity_clause => {
                let level = self.nth(&kids(&arg), 0, &arg)?;
                let sev = match level.as_rule() {
                    Rule::kw_error => Severity::Error,
                    Rule::kw_warning => Severity::Warning,
                    _ => Severity::Info,
                };
                (
                    Clause::Severity(Spanned::new(sev, self.span(&level))),
                    Some("severity"),
                )
            }
            Rule::status_clause => (Clause::Status(self.status(&inner)?), Some("status")),
            Rule::overrides_clause => (Clause::Overrides(self.rule_ids(&inner)), None),
            Rule::cite_clause => (Clause::Cite(self.cite(&inner)?), None),
            Rule::help_clause => (Clause::Help(self.spanned_string(&arg)), Some("help")),
            Rule::window => (Clause::Effective(self.window(&inner)?), Some("effective")),
            Rule::when_clause => (Clause::When(self.expr(arg)?), None),
            Rule::require_clause => (Clause::Require(self.expr(arg)?), None),
            Rule::unless_clause => (Clause::Unless(self.expr(arg)?), None),
            Rule::waivable_clause => (Clause::Waivable(self.expr(arg)?), Some("waivable by")),
            _ => return Err(self.bug(&inner)),
        };
        Ok((out.0, out.1, span))
    }

    /// The span of a clause from its first token to the end of its last one.
    fn clause_span(&self, p: &Pair<'_>) -> Span {
        let mut span = self.span(p);
        // Trim white space and comments a non-atomic pair may hold at its end.
        let text = self.file.slice(span);
        let trimmed = trim_trailing_trivia(text);
        span.end = span.start + trimmed.len();
        span
    }

    /// The rule ids of `overrides ID[, ID …]`, each with its span.
    fn rule_ids(&self, p: &Pair<'_>) -> Vec<Spanned<String>> {
        kids(p)
            .iter()
            .filter(|k| k.as_rule() == Rule::rule_id)
            .map(|k| Spanned::new(self.text(k).to_string(), self.span(k)))
            .collect()
    }

    /// `status WORD`: the word and its span.
    fn status(&mut self, p: &Pair<'_>) -> Res<Spanned<Status>> {
        let word = self.nth(&kids(p), 1, p)?;
        let word = self.nth(&kids(&word), 0, &word)?;
        let status = match word.as_rule() {
            Rule::w_in_force => Status::InForce,
            Rule::w_proposed => Status::Proposed,
            Rule::w_reported => Status::Reported,
            _ => Status::Repealed,
        };
        Ok(Spanned::new(status, self.span(&word)))
    }

    fn window(&mut self, p: &Pair<'_>) -> Res<Window> {
        let ks = kids(p);
        let kw = self.span(&self.nth(&ks, 0, p)?);
        let from = self.date(&self.nth(&ks, 1, p)?);
        let mut until = None;
        let mut on = None;
        for k in ks.iter().skip(2) {
            match k.as_rule() {
                Rule::date => until = Some(self.date(k)),
                Rule::window_on => on = Some(Box::new(self.expr(self.nth(&kids(k), 1, k)?)?)),
                _ => {}
            }
        }
        let end = match (&on, &until) {
            (Some(d), _) => d.span,
            (None, Some(u)) => u.span,
            (None, None) => from.span,
        };
        Ok(Window {
            span: kw.join(end),
            from,
            until,
            on,
        })
    }

    /// `calendar "TEXT" from "FILE"`.
    fn calendar(&mut self, p: &Pair<'_>, span: Span) -> Res<CalendarClause> {
        let ks = kids(p);
        let name = self.spanned_string(&self.nth(&ks, 1, p)?);
        let file = self.spanned_string(&self.nth(&ks, 3, p)?);
        Ok(CalendarClause { name, file, span })
    }

    fn date(&mut self, p: &Pair<'_>) -> Spanned<jiff::civil::Date> {
        let at = self.span(p);
        match crate::value::parse_date(self.text(p)) {
            Ok(d) => Spanned::new(d, at),
            Err(e) => {
                self.errors.push(ParseError::bad_literal(
                    self.file,
                    at,
                    e.message,
                    "not a valid date",
                    Some(e.help),
                ));
                Spanned::new(jiff::civil::Date::default(), at)
            }
        }
    }

    pub(super) fn spanned_string(&mut self, p: &Pair<'_>) -> Spanned<String> {
        let span = self.span(p);
        Spanned::new(self.string(p), span)
    }
}

/// `text` without trailing white space and `#` comments.
pub(crate) fn trim_trailing_trivia(text: &str) -> &str {
    let mut end = text.len();
    loop {
        let head = text.get(..end).unwrap_or("");
        let trimmed = head.trim_end();
        // A comment is the last `#` on the last line that is outside a string.
        let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        let line = trimmed.get(line_start..).unwrap_or("");
        match comment_start(line) {
            Some(i) => end = line_start + i,
            None => return trimmed,
        }
    }
}

/// Where a `#` comment starts in `line`, skipping strings and back-quoted words.
pub(crate) fn comment_start(line: &str) -> Option<usize> {
    let mut in_str = false;
    let mut in_quote = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '`' => in_quote = !in_quote,
            '"' if !in_quote => in_str = true,
            '#' if !in_quote => return Some(i),
            _ => {}
        }
    }
    None
}
