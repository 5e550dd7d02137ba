//! Lowering pest pairs to expressions, phrases and literals.
//!
//! Spans are built from the tokens (atomic pairs) and the children's spans, never from a
//! non-atomic pair's own span, which may include trailing white space and comments.

use pest::iterators::Pair as PestPair;

use crate::source::{SourceFile, Span};

use super::ast::{
    AggKind, CmpOp, Expr, ExprKind, InForm, ItemName, MustPred, Phrase, PhrasePart, PresenceWord,
};
use super::error::ParseError;
use super::grammar::Rule;

pub(crate) type Pair<'i> = PestPair<'i, Rule>;
pub(crate) type Res<T> = Result<T, ParseError>;

/// Lowers the pairs of one item; `base` is the item's offset in the file.
pub(crate) struct Lowerer<'f> {
    pub file: &'f SourceFile,
    pub base: usize,
    /// Errors that do not stop lowering (bad literals, duplicate clauses).
    pub errors: Vec<ParseError>,
}

/// The children of `p`, without line ends.
pub(crate) fn kids<'i>(p: &Pair<'i>) -> Vec<Pair<'i>> {
    p.clone()
        .into_inner()
        .filter(|k| k.as_rule() != Rule::eol)
        .collect()
}

/// Down a chain of precedence levels that each hold one operand only (`expr` > `or_expr` > … >
/// `primary` for a plain phrase): each such level lowers to its child, so skip them without
/// collecting their children.
fn only_child_chain(mut p: Pair<'_>) -> Pair<'_> {
    loop {
        if !matches!(
            p.as_rule(),
            Rule::expr
                | Rule::clause_expr
                | Rule::or_expr
                | Rule::and_expr
                | Rule::not_expr
                | Rule::cmp_expr
                | Rule::mem_expr
                | Rule::add_expr
                | Rule::mul_expr
                | Rule::agg_expr
                | Rule::where_expr
                | Rule::primary
                | Rule::projection
                | Rule::target_projection
                | Rule::lt_target
                | Rule::quant_subject
                | Rule::literal
                | Rule::table_key
                | Rule::key_and
                | Rule::key_not
                | Rule::cell_bound
        ) {
            return p;
        }

        let mut inner = p.clone().into_inner().filter(|k| k.as_rule() != Rule::eol);
        match (inner.next(), inner.next()) {
            (Some(only), None) => p = only,
            _ => return p,
        }
    }
}

impl<'f> Lowerer<'f> {
    pub fn new(file: &'f SourceFile, base: usize) -> Self {
        Lowerer {
            file,
            base,
            errors: Vec::new(),
        }
    }

    /// The absolute span of a pair (exact for atomic pairs).
    pub fn span(&self, p: &Pair<'_>) -> Span {
        let s = p.as_span();
        Span::new(self.base + s.start(), self.base + s.end())
    }

    /// The text of a pair, read from the file: the text the grammar read may differ (a line
    /// end inside brackets is a VT there, see `grammar_text`).
    pub fn text(&self, p: &Pair<'_>) -> &'f str {
        self.file.slice(self.span(p))
    }

    /// A grammar/lowering mismatch: a bug, reported rather than panicking.
    pub fn bug(&self, p: &Pair<'_>) -> ParseError {
        let at = self.span(p);
        ParseError::syntax(
            self.file,
            at,
            format!(
                "internal parser error: unexpected `{}`",
                self.text(p).trim()
            ),
            "here".to_string(),
            Some("please report this policy text to the Covenant maintainers".to_string()),
        )
    }

    /// The `i`-th child, or a bug report.
    pub fn nth<'i>(&self, kids: &[Pair<'i>], i: usize, parent: &Pair<'i>) -> Res<Pair<'i>> {
        kids.get(i).cloned().ok_or_else(|| self.bug(parent))
    }

    pub fn expr(&mut self, p: Pair<'_>) -> Res<Expr> {
        let p = only_child_chain(p);
        let ks = kids(&p);
        match p.as_rule() {
            Rule::expr
            | Rule::clause_expr
            | Rule::primary
            | Rule::lt_target
            | Rule::quant_subject
            | Rule::literal
            | Rule::cell_bound
                if ks.len() == 1 =>
            {
                self.expr(self.nth(&ks, 0, &p)?)
            }
            Rule::primary => self.conversion(&p, &ks),
            Rule::mul_expr => {
                self.slashed_dates(&ks);
                self.fold(&p, ks)
            }
            Rule::or_expr | Rule::and_expr | Rule::add_expr | Rule::table_key | Rule::key_and => {
                self.fold(&p, ks)
            }
            Rule::not_expr | Rule::key_not => self.not_expr(&p, &ks),
            Rule::table => self.table(&p, &ks),
            Rule::quant => self.quant(&p, &ks),
            Rule::cmp_expr => self.cmp_expr(&p, &ks),
            Rule::mem_expr => self.mem_expr(&p, &ks),
            Rule::agg_expr => self.agg_expr(&p, &ks),
            Rule::where_expr => {
                let list = self.expr(self.nth(&ks, 0, &p)?)?;
                if ks.len() == 1 {
                    return Ok(list);
                }
                let name = match ks.get(1) {
                    Some(k) if k.as_rule() == Rule::item_name => Some(self.item_name(k)?),
                    _ => None,
                };
                let cond = self.expr(self.nth(&ks, ks.len() - 1, &p)?)?;
                let span = list.span.join(cond.span);
                Ok(mk(
                    ExprKind::Where {
                        list: bx(list),
                        name,
                        cond: bx(cond),
                    },
                    span,
                ))
            }
            Rule::projection | Rule::target_projection => {
                let list = self.expr(self.nth(&ks, 0, &p)?)?;
                let phrase = self.phrase(&self.nth(&ks, 1, &p)?)?;
                let span = list.span.join(phrase.span);
                Ok(mk(
                    ExprKind::Projection {
                        list: bx(list),
                        phrase,
                    },
                    span,
                ))
            }
            Rule::paren => {
                let open = self.span(&self.nth(&ks, 0, &p)?);
                let close = self.span(&self.nth(&ks, 2, &p)?);
                let inner = self.expr(self.nth(&ks, 1, &p)?)?;
                Ok(mk(ExprKind::Paren(bx(inner)), open.join(close)))
            }
            Rule::list => {
                let open = self.span(&self.nth(&ks, 0, &p)?);
                let close = self.span(&self.nth(&ks, ks.len().saturating_sub(1), &p)?);
                let mut items = Vec::new();
                for k in ks.iter().filter(|k| k.as_rule() == Rule::expr) {
                    items.push(self.expr(k.clone())?);
                }
                Ok(mk(ExprKind::List(items), open.join(close)))
            }
            Rule::look_through => self.look_through(&p, &ks),
            Rule::phrase | Rule::target_phrase | Rule::bound_phrase => {
                let phrase = self.phrase(&p)?;
                let span = phrase.span;
                Ok(mk(ExprKind::Phrase(phrase), span))
            }
            Rule::must_form => self.must_form(&p, &ks),
            Rule::duration => self.duration(&p, &ks),
            Rule::date
            | Rule::money
            | Rule::percent
            | Rule::number
            | Rule::string
            | Rule::boolean => {
                let span = self.span(&p);
                let lit = self.literal(&p)?;
                Ok(mk(ExprKind::Literal(lit), span))
            }
            _ => Err(self.bug(&p)),
        }
    }

    fn cmp_expr(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let lhs = self.expr(self.nth(ks, 0, p)?)?;
        if ks.len() == 1 {
            return Ok(lhs);
        }
        let op_pair = self.nth(ks, 1, p)?;
        if op_pair.as_rule() == Rule::presence {
            return self.presence(lhs, &op_pair);
        }
        let op = self.cmp_op(&op_pair)?;
        if let Some(w) = trailing_where(&lhs) {
            self.errors.push(self.where_before_comparison(w, &op_pair));
        }
        let rhs = self.expr(self.nth(ks, 2, p)?)?;
        let span = lhs.span.join(rhs.span);
        Ok(mk(
            ExprKind::Compare {
                op,
                lhs: bx(lhs),
                rhs: bx(rhs),
            },
            span,
        ))
    }

    /// SPEC §2.4: the `C` of `X where C` runs to the end of the clause, so a `where` on the
    /// left of a comparison (`count of parties where country = home >= 2`) would have to take
    /// the comparison into `C`; comparisons do not chain, so it must be parenthesised.
    fn where_before_comparison(&self, w: &Expr, op: &Pair<'_>) -> ParseError {
        let text = self.file.slice(w.span);
        ParseError::syntax(
            self.file,
            w.span,
            format!(
                "a `where` before `{}` must be parenthesised",
                self.text(op).trim()
            ),
            "the condition of this `where` runs to the end of the clause".to_string(),
            Some(format!("put the filtered list in brackets: `({text})`")),
        )
    }

    /// `X is [not] missing|present`.
    fn presence(&mut self, subject: Expr, p: &Pair<'_>) -> Res<Expr> {
        let ks = kids(p);
        let last = self.nth(&ks, ks.len().saturating_sub(1), p)?;
        let word = self.presence_word(&last)?;
        if let Some(w) = trailing_where(&subject) {
            self.errors.push(self.where_before_comparison(w, p));
        }
        let negated = ks.iter().any(|k| k.as_rule() == Rule::kw_not);
        let span = subject.span.join(self.span(&last));
        let kind = ExprKind::Presence {
            subject: bx(subject),
            negated,
            word,
        };
        Ok(mk(kind, span))
    }

    fn presence_word(&self, p: &Pair<'_>) -> Res<PresenceWord> {
        let inner = self.nth(&kids(p), 0, p)?;
        Ok(match inner.as_rule() {
            Rule::w_missing => PresenceWord::Missing,
            Rule::w_present => PresenceWord::Present,
            _ => return Err(self.bug(&inner)),
        })
    }

    /// `as N`: the words after `as`.
    pub(super) fn item_name(&self, p: &Pair<'_>) -> Res<ItemName> {
        let words_pair = self.nth(&kids(p), 1, p)?;
        let words: Vec<Pair<'_>> = kids(&words_pair);
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return Err(self.bug(p));
        };
        Ok(ItemName {
            words: words.iter().map(|w| self.text(w).to_string()).collect(),
            span: self.span(first).join(self.span(last)),
        })
    }

    fn cmp_op(&self, p: &Pair<'_>) -> Res<CmpOp> {
        let inner = self.nth(&kids(p), 0, p)?;
        Ok(match inner.as_rule() {
            Rule::op_le => CmpOp::Le,
            Rule::op_ge => CmpOp::Ge,
            Rule::op_ne | Rule::is_not => CmpOp::Ne,
            Rule::op_lt => CmpOp::Lt,
            Rule::op_gt => CmpOp::Gt,
            Rule::op_eq | Rule::kw_is => CmpOp::Eq,
            Rule::is_word_cmp => self.word_cmp(&self.nth(&kids(&inner), 1, &inner)?)?,
            _ => return Err(self.bug(&inner)),
        })
    }

    /// `at least` (Ge), `at most` (Le), `more than` (Gt), `less than` (Lt).
    fn word_cmp(&self, p: &Pair<'_>) -> Res<CmpOp> {
        let inner = self.nth(&kids(p), 0, p)?;
        Ok(match inner.as_rule() {
            Rule::at_least => CmpOp::Ge,
            Rule::at_most => CmpOp::Le,
            Rule::more_than => CmpOp::Gt,
            Rule::less_than => CmpOp::Lt,
            _ => return Err(self.bug(&inner)),
        })
    }

    fn mem_expr(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let lhs = self.expr(self.nth(ks, 0, p)?)?;
        if ks.len() == 1 {
            return Ok(lhs);
        }
        let op = self.nth(ks, 1, p)?;
        if op.as_rule() == Rule::within_op {
            let tolerance = self.expr(self.nth(ks, 2, p)?)?;
            let rhs = self.expr(self.nth(ks, 4, p)?)?;
            let span = lhs.span.join(rhs.span);
            let kind = ExprKind::Within {
                lhs: bx(lhs),
                tolerance: bx(tolerance),
                rhs: bx(rhs),
            };
            return Ok(mk(kind, span));
        }
        let rhs = self.expr(self.nth(ks, 2, p)?)?;
        let span = lhs.span.join(rhs.span);
        let inner = self.nth(&kids(&op), 0, &op)?;
        let (elem, list, negated, written_as) = match inner.as_rule() {
            Rule::not_in => (lhs, rhs, true, InForm::In),
            Rule::kw_in => (lhs, rhs, false, InForm::In),
            Rule::kw_contains => (rhs, lhs, false, InForm::Contains),
            Rule::is_one_of => (lhs, rhs, false, InForm::IsOneOf),
            _ => return Err(self.bug(&inner)),
        };
        let kind = ExprKind::In {
            elem: bx(elem),
            list: bx(list),
            negated,
            written_as,
        };
        Ok(mk(kind, span))
    }

    fn agg_expr(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let first = self.nth(ks, 0, p)?;
        if first.as_rule() == Rule::year_of {
            return self.year_of(p, ks);
        }
        if first.as_rule() != Rule::agg_op {
            return self.expr(first);
        }
        let op = self.nth(&kids(&first), 0, &first)?;
        let kind = match op.as_rule() {
            Rule::kw_total => AggKind::Total,
            Rule::kw_count | Rule::kw_number => AggKind::Count,
            Rule::kw_max => AggKind::Max,
            Rule::kw_min => AggKind::Min,
            Rule::kw_average => AggKind::Average,
            _ => return Err(self.bug(&op)),
        };
        let arg = self.expr(self.nth(ks, 1, p)?)?;
        if let Some(per_key) = ks.get(2) {
            return self.per(kind, self.span(&op), arg, per_key);
        }
        let span = self.span(&op).join(arg.span);
        Ok(mk(ExprKind::Aggregate { kind, arg: bx(arg) }, span))
    }

    fn must_form(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let subject = self.expr(self.nth(ks, 0, p)?)?;
        let negated = ks.iter().any(|k| k.as_rule() == Rule::kw_not);
        let pred_pair = self.nth(ks, ks.len().saturating_sub(1), p)?;
        let form = self.nth(&kids(&pred_pair), 0, &pred_pair)?;
        let fk = kids(&form);
        let last = self.nth(&fk, fk.len().saturating_sub(1), &form)?;
        let (pred, end) = if form.as_rule() == Rule::have {
            let phrase = self.phrase(&last)?;
            let end = phrase.span;
            (MustPred::Have(phrase), end)
        } else if form.as_rule() == Rule::be_presence {
            (
                MustPred::Presence(self.presence_word(&last)?),
                self.span(&last),
            )
        } else {
            let value = self.expr(last)?;
            let end = value.span;
            let value = bx(value);
            let pred = match form.as_rule() {
                Rule::be_in => MustPred::BeIn(value),
                Rule::be_one_of => MustPred::BeOneOf(value),
                Rule::be_cmp => MustPred::BeCmp(self.word_cmp(&self.nth(&fk, 1, &form)?)?, value),
                Rule::be_value => MustPred::Be(value),
                Rule::stay_in => MustPred::Stay {
                    list: value,
                    with_in: true,
                },
                Rule::stay => MustPred::Stay {
                    list: value,
                    with_in: false,
                },
                _ => return Err(self.bug(&form)),
            };
            (pred, end)
        };
        let span = subject.span.join(end);
        Ok(mk(
            ExprKind::Must {
                subject: bx(subject),
                negated,
                pred,
            },
            span,
        ))
    }

    pub fn phrase(&self, p: &Pair<'_>) -> Res<Phrase> {
        let mut parts = Vec::new();
        for k in kids(p) {
            let span = self.span(&k);
            parts.push(match k.as_rule() {
                Rule::word => PhrasePart::Word {
                    text: self.text(&k).to_string(),
                    quoted: false,
                    span,
                },
                Rule::quoted_word => {
                    let text = kids(&k).first().map_or("", |t| self.text(t)).to_string();
                    PhrasePart::Word {
                        text,
                        quoted: true,
                        span,
                    }
                }
                Rule::dot => PhrasePart::Dot(span),
                Rule::kw_deal => PhrasePart::Deal(span),
                _ => return Err(self.bug(&k)),
            });
        }
        let span = match (parts.first(), parts.last()) {
            (Some(a), Some(b)) => a.span().join(b.span()),
            _ => self.span(p),
        };
        Ok(Phrase { parts, span })
    }
}

pub(super) fn bx(e: Expr) -> Box<Expr> {
    Box::new(e)
}

pub(super) fn mk(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

/// An unparenthesised `X where C` at the end of `e` (its right-most operand), if any: the only
/// place one can be, since `C` takes in everything after it up to a comparison.
pub(super) fn trailing_where(mut e: &Expr) -> Option<&Expr> {
    loop {
        e = match &e.kind {
            ExprKind::Where { .. } => return Some(e),
            ExprKind::Arith { first, rest } => rest.last().map_or(first, |(_, t)| t),
            ExprKind::Within { rhs, .. } => rhs,
            ExprKind::PercentOf { of, .. } => of,
            ExprKind::Aggregate { arg, .. } | ExprKind::YearOf(arg) => arg,
            ExprKind::In {
                elem,
                list,
                written_as,
                ..
            } => match written_as {
                InForm::Contains => elem,
                InForm::In | InForm::IsOneOf => list,
            },
            _ => return None,
        };
    }
}
