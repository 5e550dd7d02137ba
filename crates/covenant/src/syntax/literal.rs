//! Lowering literal tokens: numbers, percents, money, dates, strings and booleans.
//!
//! The grammar reads literal-shaped tokens leniently (`5x`, `2026-02-30`, `USD 3.5X`) so that
//! an invalid one is reported here as `covenant::parse::bad-literal`, with the token underlined,
//! instead of as a confusing syntax error somewhere after it.

use crate::number::read::{plain_decimal, NumError};
use crate::number::Exact;
use crate::source::Span;
use crate::value::{parse_date, read_money, read_percent, Unread};

use super::ast::Literal;
use super::error::ParseError;
use super::grammar::Rule;
use super::lower_expr::{kids, Lowerer, Pair, Res};

const NUMBER_HELP: &str =
    "write a number with digits, an optional `.` and `_` separators, such as `1_000_000` or `3.5`";

impl Lowerer<'_> {
    /// The `N` of a counting quantifier: a whole number.
    pub(crate) fn count(&mut self, p: &Pair<'_>) -> u64 {
        let text = self.text(p);
        let cleaned: String = text.chars().filter(|&c| c != '_').collect();
        match cleaned.parse::<u64>() {
            Ok(n) => n,
            Err(_) => {
                let at = self.span(p);
                self.errors.push(ParseError::bad_literal(
                    self.file,
                    at,
                    format!("`{text}` is not a whole number"),
                    "expected a whole number of elements",
                    Some(
                        "a counting quantifier takes a whole number, such as `at least 2 plants`"
                            .into(),
                    ),
                ));
                0
            }
        }
    }

    /// A literal token; an invalid one is reported and lowered as the number 0.
    pub(crate) fn literal(&mut self, p: &Pair<'_>) -> Res<Literal> {
        let text = self.text(p);
        let at = self.span(p);
        let lit = match p.as_rule() {
            Rule::boolean => Literal::Bool(
                kids(p)
                    .first()
                    .is_some_and(|k| k.as_rule() == Rule::kw_true),
            ),
            Rule::string => Literal::Str(self.string(p)),
            Rule::number => match plain_decimal(text) {
                Ok(n) => Literal::Number(n),
                Err(NumError::TooLarge) => self.too_long(at, text),
                Err(NumError::Malformed) => self.bad(
                    at,
                    format!("`{text}` is not a number"),
                    "not a number",
                    NUMBER_HELP,
                ),
            },
            Rule::percent => match read_percent(text) {
                Ok(n) => Literal::Percent(n),
                Err(Unread::TooLarge) => self.too_long(at, text),
                Err(Unread::Bad(_)) => self.bad(
                    at,
                    format!("`{text}` is not a percent"),
                    "not a percent",
                    NUMBER_HELP,
                ),
            },
            Rule::money => match read_money(text) {
                Ok((c, n)) => Literal::Money(c, n),
                Err(Unread::TooLarge) => self.too_long(at, text),
                Err(Unread::Bad(e)) => self.bad(at, e.message, "not an amount of money", &e.help),
            },
            Rule::date => match parse_date(text) {
                Ok(d) => Literal::Date(d),
                Err(e) => self.bad(at, e.message, "not a valid date", &e.help),
            },
            _ => return Err(self.bug(p)),
        };
        Ok(lit)
    }

    /// `09/01/2026`: whole numbers divided with no space between, shaped like a date written
    /// day-first (or `2026/05/02`). Read as a division it would silently be a number near 0,
    /// so it is a `bad-literal` error whose help gives the date to write. `ks` are the operands
    /// and operators of a `*` / `/` chain.
    pub(crate) fn slashed_dates(&mut self, ks: &[Pair<'_>]) {
        // A number token holds no line end, so the grammar's text of it is the file's.
        let digits = |p: &Pair<'_>| {
            let t = p.as_str();
            (1..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
        };
        for w in ks.windows(5).step_by(2) {
            let [a, op1, b, op2, c] = w else { continue };
            let touching = [a, op1, b, op2]
                .iter()
                .zip([op1, b, op2, c])
                .all(|(x, y)| x.as_span().end() == y.as_span().start());
            let divides = [op1, op2].iter().all(|o| o.as_rule() == Rule::op_div);
            if !(touching && divides && [a, b, c].iter().all(|p| digits(p))) {
                continue;
            }
            let at = self.span(a).join(self.span(c));
            let text = self.file.slice(at);
            if let Some(help) = crate::spelling::date_help(text) {
                self.errors.push(ParseError::bad_literal(
                    self.file,
                    at,
                    format!("`{text}` is not a date: it would be read as a division"),
                    "not a date",
                    Some(help),
                ));
            }
        }
    }

    /// A well-formed number with more digits than can be kept exactly: never rounded.
    fn too_long(&mut self, at: Span, text: &str) -> Literal {
        self.bad(
            at,
            format!("`{text}` has too many digits to be read exactly"),
            "too many digits",
            "a number in a policy has at most 38 significant digits, since numbers are never rounded",
        )
    }

    fn bad(&mut self, at: Span, message: String, label: &str, help: &str) -> Literal {
        self.errors.push(ParseError::bad_literal(
            self.file,
            at,
            message,
            label,
            Some(help.to_string()),
        ));
        Literal::Number(Exact::ZERO)
    }

    /// The value of a `string` pair, escapes resolved; an unknown escape is reported.
    pub fn string(&mut self, p: &Pair<'_>) -> String {
        let Some(inner) = kids(p).into_iter().next() else {
            return String::new();
        };
        let raw = self.text(&inner);
        let inner_start = self.span(&inner).start;
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, e @ ('"' | '\\'))) => out.push(e),
                Some((j, e)) => {
                    let at = Span::new(inner_start + i, inner_start + j + e.len_utf8());
                    self.errors.push(ParseError::bad_literal(
                        self.file,
                        at,
                        format!("unknown escape `\\{e}` in a string"),
                        "unknown escape",
                        Some("the only escapes are `\\\"` and `\\\\`".to_string()),
                    ));
                    out.push(e);
                }
                None => out.push('\\'),
            }
        }
        out
    }
}
