//! Printing expressions: one space around every operator, `[a, b]` lists, parentheses exactly
//! where the author wrote them (the AST keeps them), spellings read from the source where
//! the AST does not keep them apart.

use crate::source::Span;
use crate::syntax::ast::{
    AggKind, CmpOp, Convert, Expr, ExprKind, InForm, ItemName, Literal, LookThrough, MustPred,
    Phrase, PhrasePart, QuantKind,
};

use super::layout::{words, Printer};
use super::INDENT;

impl Printer<'_> {
    pub(super) fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Quant {
                kind,
                subject,
                name,
                filter,
                body,
            } => {
                let head = self.quant_head(*kind, e.span.start, subject.span.start);
                self.kw(&head, e.span.start);
                self.expr(subject);
                let mut end = subject.span.end;
                if let Some(name) = name {
                    end = self.item_name(name, end);
                }
                if let Some(filter) = filter {
                    self.op("where", end, filter.span.start);
                    self.expr(filter);
                    end = filter.span.end;
                }
                if let Some(body) = body {
                    self.op(":", end, body.span.start);
                    self.expr(body);
                }
            }
            ExprKind::Or(terms) => self.chain(terms, "or"),
            ExprKind::And(terms) => self.chain(terms, "and"),
            ExprKind::Not(inner) => {
                self.kw("not", e.span.start);
                self.expr(inner);
            }
            ExprKind::Compare { op, lhs, rhs } => {
                let spelling = self.cmp_spelling(*op, lhs.span.end, rhs.span.start);
                self.infix(lhs, spelling, rhs);
            }
            ExprKind::In {
                elem,
                list,
                negated,
                written_as,
            } => match written_as {
                InForm::Contains => self.infix(list, "contains", elem),
                InForm::IsOneOf => self.infix(elem, "is one of", list),
                InForm::In if *negated => self.infix(elem, "not in", list),
                InForm::In => self.infix(elem, "in", list),
            },
            ExprKind::Within {
                lhs,
                tolerance,
                rhs,
            } => {
                self.expr(lhs);
                self.op("is within", lhs.span.end, tolerance.span.start);
                self.expr(tolerance);
                self.op("of", tolerance.span.end, rhs.span.start);
                self.expr(rhs);
            }
            ExprKind::Arith { first, rest } => {
                self.expr(first);
                let mut end = first.span.end;
                for (op, term) in rest {
                    self.op(op.symbol(), end, term.span.start);
                    self.expr(term);
                    end = term.span.end;
                }
            }
            ExprKind::PercentOf { percent, of } => self.infix(percent, "of", of),
            ExprKind::Aggregate { kind, arg } => {
                self.kw(self.agg_word(*kind, e.span.start), e.span.start);
                self.expr(arg);
            }
            ExprKind::Where { list, name, cond } => {
                self.expr(list);
                let end = match name {
                    Some(name) => self.item_name(name, list.span.end),
                    None => list.span.end,
                };
                self.op("where", end, cond.span.start);
                self.expr(cond);
            }
            ExprKind::Projection { list, phrase } => {
                self.expr(list);
                self.phrase(phrase);
            }
            ExprKind::Presence {
                subject,
                negated,
                word,
            } => {
                self.expr(subject);
                let not = if *negated { " not" } else { "" };
                let text = format!("is{not} {}", word.as_str());
                let end = Span::new(e.span.end, e.span.end);
                self.op(&text, subject.span.end, end.start);
            }
            ExprKind::Per { kind, arg, key } => {
                self.kw(self.agg_word(*kind, e.span.start), e.span.start);
                self.expr(arg);
                self.op("per", arg.span.end, key.span.start);
                self.phrase(key);
            }
            ExprKind::LookThrough(l) => self.look_through(e, l),
            ExprKind::Convert(c) => self.convert(c),
            ExprKind::Must {
                subject,
                negated,
                pred,
            } => self.must(subject, *negated, pred),
            ExprKind::List(items) => self.list(e.span, items),
            ExprKind::Literal(lit) => {
                let text = self.slice(e.span);
                if matches!(lit, Literal::Money(..)) {
                    // `USD   3.5B` is one token: its white space is not significant.
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    self.tok(&text, Some(e.span));
                } else {
                    self.tok(text, Some(e.span));
                }
            }
            ExprKind::Phrase(p) => self.phrase(p),
            ExprKind::Duration {
                count, unit_span, ..
            } => {
                self.expr(count);
                // The unit's words as written (`day` or `days`), one space apart.
                let words = words(self.slice(*unit_span));
                self.tok(&words, Some(*unit_span));
            }
            ExprKind::YearOf(arg) => {
                self.kw("year of", e.span.start);
                self.expr(arg);
            }
            ExprKind::Table(t) => self.table(e, t),
            ExprKind::Paren(inner) => {
                let open = Span::new(e.span.start, e.span.start + 1);
                let close = Span::new(e.span.end.saturating_sub(1), e.span.end);
                self.tok("(", Some(open));
                self.expr(inner);
                self.tok(")", Some(close));
            }
        }
    }

    /// `as N`, written after `from`; returns the end of the name.
    fn item_name(&mut self, name: &ItemName, from: usize) -> usize {
        self.op("as", from, name.span.start);
        self.tok(&name.words.join(" "), Some(name.span));
        name.span.end
    }

    fn src_at(&self, pos: usize) -> &str {
        self.src.get(pos..).unwrap_or("")
    }

    /// The words of an aggregate that starts at `at`: `count of`, or `number of` as written.
    fn agg_word(&self, kind: AggKind, at: usize) -> &'static str {
        match kind {
            AggKind::Total => "total",
            AggKind::Count if self.src_at(at).starts_with("number") => "number of",
            AggKind::Count => "count of",
            AggKind::Max => "max",
            AggKind::Min => "min",
            AggKind::Average => "average",
        }
    }

    /// `look-through M of S in T [by control [more than | at least] P]`, `by control` alone
    /// kept alone.
    fn look_through(&mut self, e: &Expr, l: &LookThrough) {
        self.kw("look-through", e.span.start);
        self.phrase(&l.measure);
        self.op("of", l.measure.span.end, l.holders.span.start);
        self.expr(&l.holders);
        self.op("in", l.holders.span.end, l.target.span.start);
        self.expr(&l.target);
        let Some(c) = &l.control else { return };
        let words = match (&c.threshold, c.inclusive) {
            (None, _) => "by control",
            (Some(_), true) => "by control at least",
            (Some(_), false) => "by control more than",
        };
        let next = c.threshold.as_ref().map_or(c.span.end, |t| t.span.start);
        self.op(words, l.target.span.end, next);
        if let Some(t) = &c.threshold {
            self.expr(t);
        }
    }

    /// `E converted to CUR [on D]` (SPEC §11).
    fn convert(&mut self, c: &Convert) {
        self.expr(&c.amount);
        let code = c.currency.span;
        self.op("converted to", c.amount.span.end, code.start);
        self.tok(c.currency.node.as_str(), Some(code));
        if let Some(on) = &c.on {
            self.op("on", code.end, on.span.start);
            self.expr(on);
        }
    }

    /// `a op b op …`, printed as a left-nested chain of `infix` would be.
    fn chain(&mut self, terms: &[Expr], op: &str) {
        let mut prev: Option<&Expr> = None;
        for t in terms {
            if let Some(p) = prev {
                self.op(op, p.span.end, t.span.start);
            }
            self.expr(t);
            prev = Some(t);
        }
    }

    fn infix(&mut self, lhs: &Expr, op: &str, rhs: &Expr) {
        self.expr(lhs);
        self.op(op, lhs.span.end, rhs.span.start);
        self.expr(rhs);
    }

    /// An operator written between `from` and `to` in the source: placed at its first
    /// token, so that comments before it stay before it.
    pub(super) fn op(&mut self, text: &str, from: usize, to: usize) {
        let gap = self.src.get(from..to).unwrap_or("");
        let mut offset = gap.len();
        let mut in_comment = false;
        for (i, c) in gap.char_indices() {
            match c {
                '\n' => in_comment = false,
                _ if in_comment || c.is_whitespace() => {}
                '#' => in_comment = true,
                _ => {
                    offset = i;
                    break;
                }
            }
        }
        self.kw(text, from + offset);
    }

    /// `every`, `some`, `no`, or a counting head with its number as written (`1_000`).
    fn quant_head(&self, kind: QuantKind, from: usize, to: usize) -> String {
        let count = |n: u64| {
            let written = words(self.src.get(from..to).unwrap_or(""));
            let last = written.rsplit(' ').next().unwrap_or("").to_string();
            let digits: String = last.chars().filter(|&c| c != '_').collect();
            let well_formed = last.starts_with(|c: char| c.is_ascii_digit())
                && last.chars().all(|c| c.is_ascii_digit() || c == '_');
            if well_formed && digits.parse::<u64>() == Ok(n) {
                last
            } else {
                n.to_string()
            }
        };
        match kind {
            QuantKind::Every => "every".to_string(),
            QuantKind::Some => "some".to_string(),
            QuantKind::No => "no".to_string(),
            QuantKind::AtLeast(n) => format!("at least {}", count(n)),
            QuantKind::AtMost(n) => format!("at most {}", count(n)),
            QuantKind::Exactly(n) => format!("exactly {}", count(n)),
        }
    }

    /// `<` or `is less than`, `=` or `is`, … as the author wrote it (the id of a bare rule
    /// reads the spelling).
    fn cmp_spelling(&self, op: CmpOp, from: usize, to: usize) -> &'static str {
        let written = words(self.src.get(from..to).unwrap_or(""));
        let in_words = match op {
            CmpOp::Lt => "is less than",
            CmpOp::Le => "is at most",
            CmpOp::Gt => "is more than",
            CmpOp::Ge => "is at least",
            CmpOp::Eq => "is",
            CmpOp::Ne => "is not",
        };
        if written == in_words {
            in_words
        } else {
            op.symbol()
        }
    }

    fn must(&mut self, subject: &Expr, negated: bool, pred: &MustPred) {
        self.expr(subject);
        let must = if negated { "must not" } else { "must" };
        let (words, value) = match pred {
            MustPred::Be(v) => ("be", v),
            MustPred::BeIn(v) => ("be in", v),
            MustPred::BeOneOf(v) => ("be one of", v),
            MustPred::BeCmp(CmpOp::Ge, v) => ("be at least", v),
            MustPred::BeCmp(CmpOp::Le, v) => ("be at most", v),
            MustPred::BeCmp(CmpOp::Gt, v) => ("be more than", v),
            MustPred::BeCmp(CmpOp::Lt, v) => ("be less than", v),
            // Not produced by the parser: `be V` is the closest reading.
            MustPred::BeCmp(_, v) => ("be", v),
            MustPred::Stay {
                list,
                with_in: true,
            } => ("stay in", list),
            MustPred::Stay { list, .. } => ("stay", list),
            MustPred::Presence(word) => {
                let end = self
                    .src
                    .len()
                    .min(subject.span.end + self.src_at(subject.span.end).len());
                self.op(
                    &format!("{must} be {}", word.as_str()),
                    subject.span.end,
                    end,
                );
                return;
            }
            MustPred::Have(phrase) => {
                self.op(&format!("{must} have"), subject.span.end, phrase.span.start);
                self.phrase(phrase);
                return;
            }
        };
        self.op(
            &format!("{must} {words}"),
            subject.span.end,
            value.span.start,
        );
        self.expr(value);
    }

    /// `[a, b]`; a list with a comment inside is laid out one element per line, each with
    /// a trailing comma, the `]` on a line of its own.
    fn list(&mut self, span: Span, items: &[Expr]) {
        let open = Span::new(span.start, span.start + 1);
        let close = Span::new(span.end.saturating_sub(1), span.end);
        self.tok("[", Some(open));
        if !self.has_comment_in(span) {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.tok(",", None);
                }
                self.expr(item);
            }
            self.tok("]", Some(close));
            return;
        }
        let outer = self.indent();
        let cont = self.cont;
        for item in items {
            self.line(outer + INDENT, item.span.start, false);
            self.expr(item);
            self.tok(",", None);
        }
        self.flush(close.start, Some(outer + INDENT), false);
        self.line(outer, close.start, false);
        self.tok("]", Some(close));
        self.cont = cont;
    }

    /// Words separated by single spaces, `.` without spaces, back quotes kept.
    fn phrase(&mut self, p: &Phrase) {
        let mut text = String::new();
        let mut glue = true;
        for part in &p.parts {
            let word = match part {
                PhrasePart::Dot(_) => {
                    text.push('.');
                    glue = true;
                    continue;
                }
                PhrasePart::Deal(_) => "deal".to_string(),
                PhrasePart::Word { text, quoted, .. } if *quoted => format!("`{text}`"),
                PhrasePart::Word { text, .. } => text.clone(),
            };
            if !glue {
                text.push(' ');
            }
            text.push_str(&word);
            glue = false;
        }
        self.tok(&text, Some(p.span));
    }
}
