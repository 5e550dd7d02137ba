//! The reference AST printed as policy text for covenant to compile. Compound operands are
//! parenthesised; a quantifier is written bare only where it may run to the end of the
//! clause or bracket (SPEC §2.4), so the text means exactly the tree it came from.

use super::ast::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    Item(Rec),
    Waiver,
}

pub struct Printer<'a> {
    pub lets: &'a [Let],
    scopes: Vec<Scope>,
    /// The `as` name of each scope, if it has one (SPEC §8).
    names: Vec<Option<String>>,
}

/// An exact terminating decimal (`7/2` → `3.5`); the generator only makes such values.
pub fn decimal(q: &Q) -> String {
    let neg = *q.numer() < 0;
    let (mut n, d) = (q.numer().abs(), *q.denom());
    let int = n / d;
    n %= d;
    let mut s = if neg {
        format!("-{int}")
    } else {
        int.to_string()
    };
    if n != 0 {
        s.push('.');
        for _ in 0..12 {
            n *= 10;
            s.push(char::from(b'0' + (n / d) as u8));
            n %= d;
            if n == 0 {
                break;
            }
        }
    }
    s
}

/// `1000000` → `1_000_000`, for integers of five digits and more.
fn grouped(q: &Q) -> String {
    let text = decimal(q);
    if !q.is_integer() || text.len() < 5 || text.starts_with('-') {
        return text;
    }
    underscores(&text)
}

/// Digits in groups of three: `250000` → `250_000`.
pub fn underscores(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    out
}

fn money(cur: &str, q: &Q) -> String {
    for (suffix, scale) in [("B", 1_000_000_000i128), ("M", 1_000_000), ("K", 1_000)] {
        let scaled = q / Q::from_integer(scale);
        if *q >= Q::from_integer(scale) && (scaled * Q::from_integer(100)).is_integer() {
            return format!("{cur} {}{suffix}", decimal(&scaled));
        }
    }
    format!("{cur} {}", grouped(q))
}

pub fn lit(l: &Lit) -> String {
    match l {
        Lit::Num(q) => grouped(q),
        Lit::Pct(q) => format!("{}%", decimal(&(q * Q::from_integer(100)))),
        Lit::Money(cur, q) => money(cur, q),
        Lit::Str(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        Lit::Bool(b) => b.to_string(),
        Lit::Date(d) => d.clone(),
    }
}

pub fn list_lit(items: &[Lit]) -> String {
    let parts: Vec<String> = items.iter().map(lit).collect();
    format!("[{}]", parts.join(", "))
}

fn cmp_op(op: COp, words: bool) -> &'static str {
    match (op, words) {
        (COp::Lt, false) => "<",
        (COp::Le, false) => "<=",
        (COp::Gt, false) => ">",
        (COp::Ge, false) => ">=",
        (COp::Eq, false) => "=",
        (COp::Ne, false) => "!=",
        (COp::Lt, true) => "is less than",
        (COp::Le, true) => "is at most",
        (COp::Gt, true) => "is more than",
        (COp::Ge, true) => "is at least",
        (COp::Eq, true) => "is",
        (COp::Ne, true) => "is not",
    }
}

impl<'a> Printer<'a> {
    pub fn new(lets: &'a [Let]) -> Printer<'a> {
        Printer {
            lets,
            scopes: Vec::new(),
            names: Vec::new(),
        }
    }

    pub fn let_item(&mut self, l: &Let) -> String {
        let value = match &l.def {
            LetDef::Scalar(e, _, _) => self.expr(e, true),
            LetDef::Records(Src::Filter(from, cond), _) => self.filter(from, cond),
            LetDef::Records(src, _) => self.src_plural(src),
            LetDef::List(items, _) => list_lit(items),
            LetDef::Mapped(l, _) => self.list(l),
        };
        format!("let {} = {value}", l.name)
    }

    pub fn rule(&mut self, r: &Rule) -> String {
        let plain = r.window.is_none() && r.whens.is_empty() && r.unlesses.is_empty();
        if plain && r.requires.len() == 1 {
            return format!("rule {}: {}", r.id, self.clause(&r.requires[0]));
        }
        let mut out = format!("rule {} {{\n", r.id);
        if let Some((from, until)) = &r.window {
            out.push_str(&format!("  effective {from}"));
            if let Some(u) = until {
                out.push_str(&format!(" until {u}"));
            }
            out.push('\n');
        }
        for w in &r.whens {
            out.push_str(&format!("  when {}\n", self.expr(w, true)));
        }
        for c in &r.requires {
            out.push_str(&format!("  require {}\n", self.clause(c)));
        }
        for u in &r.unlesses {
            out.push_str(&format!("  unless {}\n", self.expr(u, true)));
        }
        out.push('}');
        out
    }

    pub fn clause(&mut self, c: &Clause) -> String {
        match c {
            Clause::Expr(e) => self.expr(e, true),
            Clause::Must(m) => self.must(m),
        }
    }

    fn must(&mut self, m: &Must) -> String {
        let subject = match &m.subject {
            MustSubject::One(e) => self.expr(e, false),
            MustSubject::Each(l) => self.list(l),
            MustSubject::Records(s) => self.src_plural(s),
        };
        let pred = match &m.pred {
            MustPred::Be(e) => format!("be {}", self.expr(e, false)),
            MustPred::BeList(l) => format!("be {}", self.list(l)),
            MustPred::BeIn(l) => format!("be in {}", self.list(l)),
            MustPred::BeOneOf(l) => format!("be one of {}", self.list(l)),
            MustPred::BeCmp(op, e) => {
                let words = match op {
                    COp::Ge => "at least",
                    COp::Le => "at most",
                    COp::Gt => "more than",
                    _ => "less than",
                };
                format!("be {words} {}", self.expr(e, false))
            }
            MustPred::Have(f) => format!("have {}", f.words),
            MustPred::StayIn(l) => format!("stay in {}", self.list(l)),
            MustPred::Stay(l) => format!("stay {}", self.list(l)),
        };
        let not = if m.negated { "not " } else { "" };
        format!("{subject} must {not}{pred}")
    }

    fn rec_of(&self, src: &Src) -> Rec {
        match src {
            Src::Root(r) => *r,
            Src::Let(i) => match &self.lets[*i].def {
                LetDef::Records(_, r) => *r,
                _ => Rec::Party,
            },
            Src::Filter(from, _) => self.rec_of(from),
        }
    }

    fn filter(&mut self, from: &Src, cond: &Expr) -> String {
        let head = self.src_plural(from);
        let name = self.push_scope(Scope::Item(self.rec_of(from)));
        let c = self.expr(cond, true);
        self.pop_scope();
        format!("{head}{name} where {c}")
    }

    /// Open an item scope; a nested scope of records is named with `as` every other level
    /// (SPEC §8: the fields stay bare words and an outer singular keeps its meaning). Returns
    /// the ` as NAME` to write after the list.
    fn push_scope(&mut self, scope: Scope) -> String {
        let depth = self.scopes.len();
        let name =
            (depth % 2 == 1 && matches!(scope, Scope::Item(_))).then(|| format!("item{depth}"));
        self.scopes.push(scope);
        let written = name.as_ref().map_or(String::new(), |n| format!(" as {n}"));
        self.names.push(name);
        written
    }

    fn pop_scope(&mut self) {
        self.scopes.pop();
        self.names.pop();
    }

    /// A list of records where it is a whole list: `parties`, `foreign partner`, `(… where …)`.
    fn src_plural(&mut self, src: &Src) -> String {
        match src {
            Src::Root(r) => r.key().to_string(),
            Src::Let(i) => self.lets[*i].name.to_string(),
            Src::Filter(from, cond) => format!("({})", self.filter(from, cond)),
        }
    }

    /// The head of a mapped phrase: `party` in `party stake`, or a definition's name.
    fn src_singular(&self, src: &Src) -> String {
        match src {
            Src::Root(r) => r.singular().to_string(),
            Src::Let(i) => self.lets[*i].name.to_string(),
            Src::Filter(..) => unreachable!("a mapped phrase starts at a root list or a let"),
        }
    }

    pub fn list(&mut self, l: &ListE) -> String {
        match l {
            ListE::Lit(items) => list_lit(items),
            ListE::Let(i) => self.lets[*i].name.to_string(),
            ListE::Mapped(src, f) => format!("{} {}", self.src_singular(src), f.words),
            ListE::Transfers(src) => format!("{} transfers", self.src_singular(src)),
            ListE::Waivers => "waivers".to_string(),
            ListE::ItemTransfers(0) => "transfers".to_string(),
            ListE::ItemTransfers(_) => "data transfers".to_string(),
        }
    }

    /// An operand of a comparison or membership test: arithmetic binds tighter.
    fn side(&mut self, s: &Side) -> String {
        match s {
            Side::One(e) => self.expr(e, false),
            Side::Each(l) => self.list(l),
        }
    }

    /// An operand of arithmetic, parenthesised only where precedence (`+ -` below `* / of`)
    /// or left associativity needs it: `a - (b - c)`, `(a + b) * c`, but `a / b * c`.
    fn operand(&mut self, e: &Expr, parent: AOp, right: bool) -> String {
        let level = |op: AOp| match op {
            AOp::Add | AOp::Sub => 1,
            AOp::Mul | AOp::Div | AOp::Of => 2,
        };
        match e {
            Expr::Arith(op, ..)
                if level(*op) < level(parent) || (right && level(*op) == level(parent)) =>
            {
                format!("({})", self.expr(e, true))
            }
            _ => self.expr(e, false),
        }
    }

    fn scope_rec(&self, up: usize) -> Rec {
        match self.scopes[self.scopes.len() - 1 - up] {
            Scope::Item(r) => r,
            Scope::Waiver => unreachable!("a waiver has no fields"),
        }
    }

    /// `tail`: the text may run to the end of the clause or the enclosing bracket, so a
    /// quantifier may be written bare.
    pub fn expr(&mut self, e: &Expr, tail: bool) -> String {
        match e {
            Expr::Lit(l) => lit(l),
            Expr::Root(f) if self.scopes.is_empty() => f.words.to_string(),
            Expr::Root(f) => format!("deal {}", f.words),
            // A named item's field: by its `as` name for some fields, bare for the others.
            Expr::Item(0, f) => match self.names.last() {
                Some(Some(n)) if f.words.len() % 2 == 0 => format!("{n} {}", f.words),
                _ => f.words.to_string(),
            },
            // An enclosing item by its `as` name when it has one: its singular then keeps its
            // meaning from outside (SPEC §8).
            Expr::Item(up, f) => match &self.names[self.names.len() - 1 - up] {
                Some(n) => format!("{n} {}", f.words),
                None => format!("{} {}", self.scope_rec(*up).singular(), f.words),
            },
            Expr::WaiverItem => "waiver".to_string(),
            Expr::LetScalar(i) => self.lets[*i].name.to_string(),
            Expr::Agg(a, l) => {
                let op = match a {
                    Agg::Total => "total",
                    Agg::Max => "max",
                    Agg::Min => "min",
                    Agg::Average => "average",
                };
                format!("{op} {}", self.list(l))
            }
            Expr::CountRecords(s) => format!("count of {}", self.src_plural(s)),
            Expr::CountValues(l) => format!("number of {}", self.list(l)),
            Expr::Arith(op, a, b) => {
                let sym = match op {
                    AOp::Add => "+",
                    AOp::Sub => "-",
                    AOp::Mul => "*",
                    AOp::Div => "/",
                    AOp::Of => "of",
                };
                format!(
                    "{} {sym} {}",
                    self.operand(a, *op, false),
                    self.operand(b, *op, true)
                )
            }
            Expr::Cmp(op, words, a, b) => {
                format!("{} {} {}", self.side(a), cmp_op(*op, *words), self.side(b))
            }
            Expr::Member(op, a, l) => {
                let (a, l) = (self.side(a), self.list(l));
                match op {
                    MOp::In => format!("{a} in {l}"),
                    MOp::NotIn => format!("{a} not in {l}"),
                    MOp::Contains => format!("{l} contains {a}"),
                    MOp::OneOf => format!("{a} is one of {l}"),
                }
            }
            Expr::Within(a, t, b) => {
                format!(
                    "{} is within {} of {}",
                    self.side(a),
                    lit(t),
                    self.expr(b, false)
                )
            }
            Expr::Not(inner) => format!("not {}", self.child(inner, tail, false)),
            Expr::And(items) => self.junction(items, " and ", tail),
            Expr::Or(items) => self.junction(items, " or ", tail),
            Expr::Quant(q) => self.quant(q, tail),
            Expr::Presence(subject, written) => format!("{} {written}", self.expr(subject, false)),
        }
    }

    fn junction(&mut self, items: &[Expr], sep: &str, tail: bool) -> String {
        let n = items.len();
        let parts: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, e)| self.child(e, tail && i + 1 == n, sep == " or "))
            .collect();
        parts.join(sep)
    }

    /// An operand of `not`, `and` or `or`.
    fn child(&mut self, e: &Expr, tail: bool, in_or: bool) -> String {
        match e {
            Expr::Or(_) => format!("({})", self.expr(e, true)),
            Expr::And(_) if !in_or => format!("({})", self.expr(e, true)),
            Expr::Quant(_) if !tail => format!("({})", self.expr(e, true)),
            _ => self.expr(e, tail),
        }
    }

    fn quant(&mut self, q: &Quant, tail: bool) -> String {
        if !tail {
            return format!("({})", self.quant(q, true));
        }
        let head = match q.kind {
            QKind::Every => "every".to_string(),
            QKind::Some => "some".to_string(),
            QKind::No => "no".to_string(),
            QKind::AtLeast(n) => format!("at least {n}"),
            QKind::AtMost(n) => format!("at most {n}"),
            QKind::Exactly(n) => format!("exactly {n}"),
        };
        let counting = matches!(
            q.kind,
            QKind::AtLeast(_) | QKind::AtMost(_) | QKind::Exactly(_)
        );
        let (subject, scope) = match &q.over {
            QOver::Records(s) => {
                let words = match s {
                    Src::Root(r) if !counting => r.singular().to_string(),
                    _ => self.src_plural(s),
                };
                (words, Scope::Item(self.rec_of(s)))
            }
            QOver::YesNo(s, f) => (
                format!("{} {}", self.src_singular(s), f.words),
                Scope::Item(self.rec_of(s)),
            ),
            QOver::Waivers => ("waiver".to_string(), Scope::Waiver),
        };
        let name = self.push_scope(scope);
        let mut out = format!("{head} {subject}{name}");
        if let Some(c) = &q.filter {
            let c = self.expr(c, q.body.is_none());
            out.push_str(&format!(" where {c}"));
        }
        if let Some(p) = &q.body {
            let p = self.expr(p, true);
            out.push_str(&format!(": {p}"));
        }
        self.pop_scope();
        out
    }
}
