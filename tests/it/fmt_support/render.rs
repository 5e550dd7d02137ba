//! Printing a generated policy (see `gen`) as text, with a random layout.

use super::gen::{Ce, Cell, Clause, Item, Policy, Table, G};

/// The policy as text; its layout is drawn from `policy.noise`.
pub fn to_text(policy: &Policy) -> String {
    let mut r = Render {
        out: String::new(),
        noise: &policy.noise,
        k: 0,
        depth: 0,
        comments: 0,
    };
    r.policy(policy);
    r.out
}

struct Render<'a> {
    out: String,
    noise: &'a [u8],
    k: usize,
    /// Open brackets: inside them a line end is white space.
    depth: usize,
    comments: usize,
}

/// How tightly an expression binds (SPEC §2.4, loosest first).
fn level(g: &G) -> u8 {
    match g {
        G::Or(..) => 2,
        G::And(..) => 3,
        G::Quant { .. } | G::Not(_) => 4,
        G::Cmp(..) | G::Presence(..) => 5,
        G::Mem(..) | G::Within(..) => 6,
        G::Arith("+" | "-", ..) => 7,
        G::Arith(..) => 8,
        G::Agg(..) | G::Per(..) | G::YearOf(_) => 9,
        G::Where(..) => 10,
        G::List(..)
        | G::Atom(_)
        | G::Phrase(_)
        | G::Paren(_)
        | G::Project(..)
        | G::Look { .. }
        | G::Convert(..) => 11,
    }
}

/// A quantifier or a `where` runs to the end of the clause or bracket.
fn open_ended(g: &G) -> bool {
    matches!(g, G::Quant { .. } | G::Where(..))
}

impl Render<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.noise.get(self.k % self.noise.len().max(1)).copied();
        let b = b.unwrap_or(0) ^ (self.k as u8).wrapping_mul(37);
        self.k += 1;
        b
    }

    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn comment(&mut self) -> String {
        self.comments += 1;
        let n = self.comments;
        match self.byte() % 4 {
            0 => format!("# c{n}"),
            1 => format!("#c{n} \"quoted\" `tick`"),
            2 => format!("## {n} # again   "),
            _ => format!("#{n}"),
        }
    }

    /// A line end inside an expression (after a continuation token or inside brackets):
    /// maybe a trailing comment, own-line comments or a blank line; the next line indented.
    fn newline(&mut self) {
        match self.byte() % 4 {
            0 => self.push("\n"),
            1 => {
                let c = self.comment();
                self.push(&format!("  {c}\n"));
            }
            2 => {
                let c = self.comment();
                let ind = " ".repeat(usize::from(self.byte() % 6));
                self.push(&format!("\n{ind}{c}\n"));
            }
            _ => self.push("\n\n"),
        }
        let ind = " ".repeat(1 + usize::from(self.byte() % 6));
        self.push(&ind);
    }

    /// Between two tokens: spaces, or (inside brackets) maybe a line end.
    fn gap(&mut self) {
        let b = self.byte();
        if self.depth > 0 && b.is_multiple_of(7) {
            self.newline();
        } else if b.is_multiple_of(6) {
            self.push("   ");
        } else {
            self.push(" ");
        }
    }

    /// After a token that lets the clause go on to the next line.
    fn cont(&mut self) {
        if self.byte().is_multiple_of(5) {
            self.newline();
        } else {
            self.gap();
        }
    }

    /// Where no space is needed (after `(`, before `)`).
    fn tight(&mut self) {
        let b = self.byte();
        if self.depth > 0 && b.is_multiple_of(7) {
            self.newline();
        } else if b.is_multiple_of(5) {
            self.push(" ");
        }
    }

    /// A line end between items, clauses or header clauses: maybe blank lines and comments.
    fn line_end(&mut self, indent: bool) {
        match self.byte() % 6 {
            0 => {
                let c = self.comment();
                self.push(&format!("   {c}\n"));
            }
            1 => self.push("\n\n"),
            2 => {
                let c = self.comment();
                self.push(&format!("\n{c}\n"));
            }
            3 => {
                let c = self.comment();
                self.push(&format!("\n\n    {c}\n\n\n"));
            }
            _ => self.push("\n"),
        }
        if indent {
            let ind = " ".repeat(usize::from(self.byte() % 5));
            self.push(&ind);
        }
    }

    fn paren(&mut self, g: &G) {
        self.push("(");
        self.depth += 1;
        self.tight();
        self.expr(g, 2, true);
        self.tight();
        self.depth -= 1;
        self.push(")");
    }

    /// `g` where the grammar wants an expression binding at least as tightly as `min`;
    /// `tail` when nothing follows it up to the end of the clause or bracket.
    fn expr(&mut self, g: &G, min: u8, tail: bool) {
        if level(g) < min || (open_ended(g) && !tail) {
            self.paren(g);
            return;
        }
        match g {
            G::Quant {
                head,
                subject,
                name,
                filter,
                body,
            } => {
                self.push(head);
                self.gap();
                self.expr(subject, 11, false);
                self.item_name(*name);
                if let Some(f) = filter {
                    self.gap();
                    self.push("where");
                    self.cont();
                    self.expr(f, 2, tail && body.is_none());
                }
                if let Some(b) = body {
                    self.tight();
                    self.push(":");
                    self.cont();
                    self.expr(b, 2, tail);
                }
            }
            G::Or(a, b) => self.infix(a, 2, "or", b, 3, tail),
            G::And(a, b) => self.infix(a, 3, "and", b, 4, tail),
            G::Not(a) => {
                self.push("not");
                self.gap();
                self.expr(a, 4, tail);
            }
            G::Cmp(op, a, b) => self.infix(a, 6, op, b, 6, tail),
            G::Mem(op, a, b) => self.infix(a, 7, op, b, 7, tail),
            G::Within(a, t, b) => {
                self.expr(a, 7, false);
                self.gap();
                self.push("is within");
                self.gap();
                self.expr(t, 11, false);
                self.gap();
                self.push("of");
                self.cont();
                self.expr(b, 7, tail);
            }
            G::Arith(op @ ("+" | "-"), a, b) => self.infix(a, 7, op, b, 8, tail),
            G::Arith(op, a, b) => self.infix(a, 8, op, b, 9, tail),
            G::Agg(op, a) => {
                self.push(op);
                self.gap();
                self.expr(a, 9, tail);
            }
            G::YearOf(a) => {
                self.push("year");
                self.gap();
                self.push("of");
                self.gap();
                self.expr(a, 9, tail);
            }
            G::Per(op, a, k) => {
                self.push(op);
                self.gap();
                // An aggregate inside takes the `per` (it binds to the innermost one).
                match &**a {
                    G::Agg(..) | G::Per(..) => self.paren(a),
                    a => self.expr(a, 9, false),
                }
                self.gap();
                self.push("per");
                self.gap();
                self.push(k);
            }
            G::Look {
                measure,
                holders,
                target,
                control,
            } => {
                self.push("look-through");
                self.gap();
                self.push(measure);
                self.gap();
                self.push("of");
                self.gap();
                self.expr(holders, 11, false);
                self.gap();
                self.push("in");
                self.gap();
                // A threshold phrase of a look-through target would read on through this
                // one's `by control`: the grammar's phrase takes `by` and `control`. The target
                // takes no conversion either (it would end the look-through).
                match &**target {
                    G::Convert(..) => self.paren(target),
                    G::Look { .. } if control.is_some() => self.paren(target),
                    t => self.expr(t, 11, false),
                }
                if let Some(c) = control {
                    self.gap();
                    self.push("by control");
                    if let Some((words, p)) = c {
                        self.gap();
                        self.push(words);
                        self.gap();
                        self.expr(p, 11, false);
                    }
                }
            }
            G::Where(a, name, c) => {
                self.expr(a, 11, false);
                self.item_name(*name);
                self.gap();
                self.push("where");
                self.cont();
                self.expr(c, 2, true);
            }
            G::List(items, comma) => {
                self.push("[");
                self.depth += 1;
                self.tight();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(",");
                        self.gap();
                    }
                    self.expr(item, 2, true);
                }
                if *comma && !items.is_empty() {
                    self.push(",");
                }
                self.tight();
                self.depth -= 1;
                self.push("]");
            }
            G::Project(a, p) => {
                self.paren(a);
                self.tight();
                self.push(" ");
                self.push(p);
            }
            G::Convert(a, currency, on) => {
                // A primary takes one conversion: a converted amount or date is bracketed.
                self.converted_operand(a);
                self.gap();
                self.push("converted to");
                self.gap();
                self.push(currency);
                if let Some(d) = on {
                    self.gap();
                    self.push("on");
                    self.gap();
                    self.converted_operand(d);
                }
            }
            G::Presence(a, word) => {
                self.expr(a, 6, false);
                self.gap();
                self.push(word);
            }
            G::Atom(s) | G::Phrase(s) => self.push(s),
            G::Paren(a) => self.paren(a),
        }
    }

    fn converted_operand(&mut self, g: &G) {
        match g {
            G::Convert(..) => self.paren(g),
            g => self.expr(g, 11, false),
        }
    }

    fn item_name(&mut self, name: Option<&str>) {
        if let Some(n) = name {
            self.gap();
            self.push("as");
            self.gap();
            self.push(n);
        }
    }

    fn infix(&mut self, a: &G, min_a: u8, op: &str, b: &G, min_b: u8, tail: bool) {
        self.expr(a, min_a, false);
        self.gap();
        self.push(op);
        self.cont();
        self.expr(b, min_b, tail);
    }

    fn clause_expr(&mut self, ce: &Ce) {
        match ce {
            Ce::Expr(g) => self.expr(g, 2, true),
            Ce::Must {
                subject,
                not,
                pred,
                value,
            } => {
                self.expr(subject, 7, false);
                self.gap();
                self.push(if *not { "must not" } else { "must" });
                self.gap();
                self.push(pred);
                if !matches!(*pred, "be missing" | "be present") {
                    self.gap();
                    self.expr(value, 7, true);
                }
            }
        }
    }

    fn clause(&mut self, c: &Clause) {
        match c {
            Clause::Severity(s) => self.push(&format!("severity {s}")),
            Clause::Cite(text, section, url, version) => {
                self.push(&format!("cite {text}"));
                for (word, part) in [("section", section), ("url", url), ("version", version)] {
                    if let Some(p) = part {
                        let gap = if self.byte().is_multiple_of(2) {
                            " "
                        } else {
                            "   "
                        };
                        self.push(&format!("{gap}{word} {p}"));
                    }
                }
            }
            Clause::Overrides(ids) => {
                self.push("overrides");
                for (i, id) in ids.iter().enumerate() {
                    if i > 0 {
                        // A line end may follow the comma (SPEC §2.1).
                        let comma = if self.byte().is_multiple_of(3) {
                            ",\n    "
                        } else {
                            " ,  "
                        };
                        self.push(comma);
                    } else {
                        self.gap();
                    }
                    self.push(id);
                }
            }
            Clause::Help(s) => self.push(&format!("help  {s}")),
            Clause::Effective(a, b, on) => {
                self.window(a, *b);
                if let Some(d) = on {
                    self.gap();
                    self.push("on");
                    self.gap();
                    self.expr(d, 7, true);
                }
            }
            Clause::When(e) | Clause::Require(e) | Clause::Unless(e) => {
                self.push(match c {
                    Clause::When(_) => "when",
                    Clause::Require(_) => "require",
                    _ => "unless",
                });
                self.gap();
                self.clause_expr(e);
            }
        }
    }

    fn window(&mut self, from: &str, until: Option<&str>) {
        self.push(&format!("effective {from}"));
        if let Some(u) = until {
            self.push(&format!(" until  {u}"));
        }
    }

    fn rule_head(&mut self, id: &str, title: &Option<String>) {
        self.push(&format!("rule {id}"));
        if let Some(t) = title {
            self.gap();
            self.push(t);
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Use(p) => self.push(&format!("use {p}")),
            Item::Let(name, value) => {
                self.push(&format!("let {} =", name.join("  ")));
                self.cont();
                self.expr(value, 2, true);
            }
            Item::Define(item, name, value) => {
                self.push(&format!("define  {item} {}", name.join("  ")));
                self.tight();
                self.push(":");
                self.cont();
                self.expr(value, 2, true);
            }
            Item::LetTable(name, t) => {
                self.push(&format!("let {} =", name.join("  ")));
                self.cont();
                self.table(t);
            }
            Item::DefineTable(item, name, t) => {
                self.push(&format!("define  {item} {}", name.join("  ")));
                self.tight();
                self.push(":");
                self.cont();
                self.table(t);
            }
            Item::OneLine(id, title, e) => {
                self.rule_head(id, title);
                self.tight();
                self.push(":");
                self.cont();
                self.clause_expr(e);
            }
            Item::Bare(e) => self.clause_expr(e),
            Item::Braced(id, title, clauses) => {
                self.rule_head(id, title);
                self.push(" {");
                if clauses.len() <= 1 && self.byte().is_multiple_of(3) {
                    for c in clauses {
                        self.push(" ");
                        self.clause(c);
                    }
                    self.push(" }");
                    return;
                }
                for c in clauses {
                    self.line_end(true);
                    self.clause(c);
                }
                self.line_end(true);
                self.push("}");
            }
        }
    }

    /// `table by K, …:` then each row on a line of its own, indented, with blank lines and
    /// comment lines between rows; a line end may follow a `,` and a row's `:`.
    fn table(&mut self, t: &Table) {
        self.push("table");
        self.gap();
        self.push("by");
        self.gap();
        for (i, key) in t.keys.iter().enumerate() {
            if i > 0 {
                self.tight();
                self.push(",");
                self.cont();
            }
            // No quantifier or `where` outside brackets: `tail` false brackets them.
            self.expr(key, 2, false);
        }
        self.tight();
        self.push(":");
        for (cells, value) in &t.rows {
            self.row_break();
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    self.tight();
                    self.push(",");
                    self.cont();
                }
                match cell {
                    Cell::Any => self.push("any"),
                    Cell::From(from, until) => {
                        self.push("from");
                        self.gap();
                        self.expr(from, 11, false);
                        if let Some(u) = until {
                            self.gap();
                            self.push("until");
                            self.gap();
                            self.expr(u, 11, false);
                        }
                    }
                    Cell::Value(v) => self.expr(v, 7, false),
                }
            }
            self.row_value(value);
        }
        if let Some(o) = &t.otherwise {
            self.row_break();
            self.push("otherwise");
            self.row_value(o);
        }
    }

    fn row_value(&mut self, value: &G) {
        self.tight();
        self.push(":");
        self.cont();
        self.expr(value, 2, true);
    }

    /// The line end before a row: maybe a trailing comment, blank lines and comment lines
    /// (at any indentation), then the row's indentation (at least one space or tab).
    fn row_break(&mut self) {
        match self.byte() % 4 {
            0 => {
                let c = self.comment();
                self.push(&format!("  {c}\n"));
            }
            1 => {
                let c = self.comment();
                let ind = " ".repeat(usize::from(self.byte() % 4));
                self.push(&format!("\n\n{ind}{c}\n"));
            }
            _ => self.push("\n"),
        }
        let ind = if self.byte().is_multiple_of(5) {
            "\t".to_string()
        } else {
            " ".repeat(1 + usize::from(self.byte() % 6))
        };
        self.push(&ind);
    }

    fn policy(&mut self, p: &Policy) {
        match self.byte() % 4 {
            0 => self.push("# A leading comment.\n"),
            1 => self.push("\n# A leading comment, then a blank line.\n\n"),
            _ => {}
        }
        if let Some(h) = &p.header {
            self.push(&format!("policy {}", h.title));
            let mut clauses = h.clauses.as_slice();
            if h.version_inline && clauses.first() == Some(&0) {
                self.push(" version \"2026.1\"");
                clauses = clauses.get(1..).unwrap_or(&[]);
            }
            for c in clauses {
                self.line_end(true);
                match c {
                    0 => self.push("version \"1\""),
                    1 => self.push("jurisdiction \"US\""),
                    2 => self.push("schema \"jv.schema.json\""),
                    4 => self.push("schema  \"jv.schema.json\"   extends  standard"),
                    5 => self.push("calendar  \"UK bank holidays\"  from   \"uk.csv\""),
                    6 => {
                        self.window("2026-02-01", None);
                        self.push("  on   closing  date -  30 days");
                    }
                    7 => self.push("fx \"Test rates\"  from \"rates.csv\""),
                    8 => self.push("fx  \"Test rates\" from  \"rates.csv\"   url \"https://example.org/rates\""),
                    9 => self.push("cite   \"Test Act\""),
                    10 => self.push(
                        "cite \"Test Act\"  section \"2(a)\" url  \"https://example.org/act\"  version \"3\"",
                    ),
                    _ => self.window("2026-02-01", Some("2028-01-01")),
                }
            }
            self.line_end(false);
        }
        for item in &p.items {
            self.item(item);
            self.line_end(false);
        }
    }
}
