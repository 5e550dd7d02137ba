//! The fast path for a JSON deal: one pass from the text straight into schema slots.
//!
//! [`load_json_fast`] parses the JSON grammar of [`super::json`] and applies the typing rules of
//! [`super::validate`] as it goes: a key is looked up by comparing it with the record's field
//! names, strings without escapes are sliced from the text, numbers are read exactly. There is no
//! intermediate tree and one kind of diagnostic: a key the schema does not know, which is only
//! a warning (extra fields are common in real deal files), is kept with its span and its value
//! skipped (the value still checked as JSON, against the same limits, its keys unique). At the
//! first thing the full loader would report otherwise (an error or another warning), a strict
//! load's unknown key, or anything this path does not handle, it returns `None` and the caller
//! runs the full loader, which produces the diagnostics. When it returns a record, it is exactly
//! the one the full loader builds, spans included. The value checks beyond types (country codes,
//! whole numbers, `enum`s: [`super::constraints`]) are the full loader's: a value they refuse
//! makes this path give up.

use std::borrow::Cow;
use std::sync::Arc;

use super::constraints;
use super::doc::Budget;
use super::plan::{read_as_text, Plan};
use super::tree::{Node, NodeValue, Record};
use super::Limits;
use crate::json_bytes::plain_run;
use crate::number::read::exact_from_text;
use crate::number::Exact;
use crate::schema::{Constraint, Field, RecordId, Schema, Type};
use crate::source::Span;
use crate::value::{parse_date, read_money, read_share, short_date, Scalar, Text};

/// The root record of the JSON deal in `src` from offset `base` (past a byte order mark) and
/// its span, or `None` when the full loader must run (a key the schema does not know included).
#[cfg(test)]
pub(crate) fn load_json_fast(
    src: &Arc<str>,
    base: usize,
    schema: &Schema,
    limits: &Limits,
) -> Option<(Record, Span)> {
    let (root, span, unknown) = load_json_fast_with_unknown(src, base, schema, limits)?;
    unknown.is_empty().then_some((root, span))
}

/// A key of a deal that its record's type does not have (a warning, SPEC §1): the full loader
/// reports it in the same order, document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownKey {
    pub record: RecordId,
    /// The key, its escapes decoded.
    pub key: String,
    /// From its opening `"` to past its closing one.
    pub span: Span,
}

/// [`load_json_fast`], keeping the keys the schema does not know (in document order) instead
/// of giving up at them.
pub(crate) fn load_json_fast_with_unknown(
    src: &Arc<str>,
    base: usize,
    schema: &Schema,
    limits: &Limits,
) -> Option<(Record, Span, Vec<UnknownKey>)> {
    let text = src.get(base..)?;
    let plan = Plan::kept_or_made(schema);
    let plan = &*plan;
    let mut p = Fast {
        src,
        s: text,
        b: text.as_bytes(),
        pos: 0,
        base,
        schema,
        plan,
        budget: Budget::new(limits),
        nodes_left: limits.max_nodes,
        unknown: Vec::new(),
        unknown_key: None,
    };
    p.ws();
    p.count()?;
    if p.peek() != Some(b'{') {
        return None;
    }
    let start = p.pos;
    let root = p.record(Schema::ROOT, 1)?;
    let span = p.span(start);
    p.ws();
    let unknown = p.unknown.into_iter().map(|(_, k)| k).collect();
    (p.pos == p.b.len()).then_some((root, span, unknown))
}

/// The field index [`Fast::key`] gives a key that no field of the record has
/// ([`Fast::unknown_key`] holds it then).
const UNKNOWN: usize = usize::MAX;

struct Fast<'a, 's> {
    /// The deal's source: strings without escapes are shared from it, not copied.
    src: &'a Arc<str>,
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    base: usize,
    schema: &'s Schema,
    /// The schema's stored fields and key names, worked out once per schema.
    plan: &'s Plan,
    budget: Budget,
    /// How many more values the node limit allows.
    nodes_left: usize,
    /// The keys no field of their record has, with the depth of their record (to tell a
    /// record's own keys from those of the records inside it).
    unknown: Vec<(usize, UnknownKey)>,
    /// The last key [`Fast::key`] found no field for, and its span.
    unknown_key: Option<(Cow<'a, str>, Span)>,
}

impl<'a> Fast<'a, '_> {
    fn span(&self, start: usize) -> Span {
        Span::new(self.base + start, self.base + self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    #[inline(always)]
    fn ws(&mut self) {
        // A byte above the space is no white space: most JSON lines have none between tokens.
        if self.peek().is_none_or(|c| c > b' ') {
            return;
        }
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Count one more value against the node limit (as the full parser counts it: refused past
    /// `max_nodes`), counted down.
    fn count(&mut self) -> Option<()> {
        self.nodes_left = self.nodes_left.checked_sub(1)?;
        Some(())
    }

    /// Enter a mapping or list at `depth` (the root is 1), past its opening bracket.
    fn enter(&mut self, depth: usize) -> Option<()> {
        if depth > self.budget.max_depth {
            return None;
        }
        self.pos += 1;
        self.ws();
        Some(())
    }

    /// The literal `word` (`true`, `false`, `null`) at the cursor.
    fn word(&mut self, word: &[u8]) -> Option<()> {
        let rest = self.b.get(self.pos..)?;
        if !rest.starts_with(word) {
            return None;
        }
        self.pos += word.len();
        Some(())
    }

    /// A mapping at the cursor's `{`, as a record of type `id`.
    fn record(&mut self, id: RecordId, depth: usize) -> Option<Record> {
        let start = self.pos;
        self.enter(depth)?;
        let schema = self.schema;
        let rp = self.plan.record(schema, id);
        let rs = schema
            .record(id)
            .fields
            .get(..rp.stored)
            .unwrap_or_default();
        let mut fields: Vec<Option<Node>> =
            std::iter::repeat_with(|| None).take(rs.len()).collect();
        // The fields present, by index (with at most 64 stored fields: `rp.masks`).
        let mut present = 0u64;
        let first_unknown = self.unknown.len();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            let mut next = 0;
            loop {
                self.ws();
                let (i, colon) = self.key(rs, next, rp.plain_names)?;
                if i == UNKNOWN {
                    self.unknown_field(id, first_unknown, depth)?;
                    self.ws();
                    match self.bump()? {
                        b',' => continue,
                        b'}' => break,
                        _ => return None,
                    }
                }
                next = i + 1;
                let field = rs.get(i)?;
                if !colon {
                    self.ws();
                    if self.bump()? != b':' {
                        return None;
                    }
                }
                self.ws();
                let slot = fields.get_mut(i)?;
                if slot.is_some() {
                    return None; // a duplicate key
                }
                // Read straight into its slot; the deal is given up at anything refused. Most
                // values are strings without escapes, read here; the rest by `field_into`.
                let text = match rp.masks {
                    Some(m) => m.text >> i & 1 == 1,
                    None => read_as_text(field),
                };
                if !(text && self.text_field_into(field, slot)?) {
                    self.field_into(field, depth + 1, slot)?;
                    let node = slot.as_ref()?;
                    if !constraints::accepts(field, node) {
                        return None; // the full loader reports it
                    }
                    if field.required && matches!(node.value, NodeValue::Null) {
                        return None;
                    }
                }
                if i < 64 {
                    present |= 1 << i;
                }
                self.ws();
                match self.bump()? {
                    b',' => {}
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        let span = self.span(start);
        if let Some(masks) = rp.masks {
            // A field not present is one whose slot is empty.
            if masks.required & !present != 0 {
                return None;
            }
            let mut empty_lists = masks.default_empty & !present;
            while empty_lists != 0 {
                let i = empty_lists.trailing_zeros();
                empty_lists &= empty_lists - 1;
                *fields.get_mut(i as usize)? = Some(Node {
                    value: NodeValue::List(Vec::new()),
                    span,
                });
            }
            return Some(Record { fields });
        }
        for (slot, field) in fields.iter_mut().zip(rs) {
            if slot.is_none() {
                if field.required {
                    return None;
                }
                if field.default_empty && field.ty.is_list() {
                    *slot = Some(Node {
                        value: NodeValue::List(Vec::new()),
                        span,
                    });
                }
            }
        }
        Some(Record { fields })
    }

    /// The index of the field of `rs` named by the key at the cursor's `"`. Keys mostly come
    /// in one order, so the field after the previous key (`next`) is tried first, on the bytes
    /// of the text; a key with escapes (or not a field) is read as a string. `plain`: no name
    /// of `rs` has a byte JSON escapes (else each name that matches is checked). With it, whether
    /// the `:` after the key was read too (when it follows the key's `"` at once). A key no
    /// field has gives [`UNKNOWN`].
    fn key(&mut self, rs: &[Field], next: usize, plain: bool) -> Option<(usize, bool)> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let rest = self.b.get(self.pos + 1..)?;
        let n = rs.len();
        let mut i = next;
        for _ in 0..n {
            if i >= n {
                i = 0;
            }
            let name = rs.get(i).map_or(&[][..], |f| f.name.as_bytes());
            if rest.first() == name.first() && key_is(rest, name) {
                // The key's text is the name: then its value too, unless the name holds bytes
                // JSON escapes.
                if name.len() > self.budget.max_string_len
                    || (!plain && plain_run(name) < name.len())
                {
                    break;
                }
                if rest.get(name.len() + 1) == Some(&b':') {
                    self.pos += name.len() + 3;
                    return Some((i, true));
                }
                self.pos += name.len() + 2;
                return Some((i, false));
            }
            i += 1;
        }
        let start = self.pos;
        let key = self.string()?;
        match rs.iter().position(|f| f.name == *key) {
            Some(i) => Some((i, false)),
            None => {
                self.unknown_key = Some((key, self.span(start)));
                Some((UNKNOWN, false))
            }
        }
    }

    /// A key record `id` (at `depth`) has no field for, its value at the cursor past the key:
    /// kept, and its value skipped. Gives up on a key seen before in this record (the full
    /// loader reports it), and on a strict load's unknown key (an error then, not a warning).
    #[cold]
    fn unknown_field(&mut self, id: RecordId, first: usize, depth: usize) -> Option<()> {
        let (key, span) = self.unknown_key.take()?;
        let seen = self.unknown.get(first..)?;
        if seen.iter().any(|(d, k)| *d == depth && k.key == *key) {
            return None;
        }
        self.ws();
        if self.bump()? != b':' {
            return None;
        }
        self.ws();
        self.skip(depth + 1)?;
        let key = UnknownKey {
            record: id,
            key: key.into_owned(),
            span,
        };
        self.unknown.push((depth, key));
        Some(())
    }

    /// Past the JSON value at the cursor (at nesting `depth` if a mapping or a list), counted
    /// against the limits as the full parser counts it; `None` at anything it would report (a
    /// key twice in one mapping included) or that this path does not read (a number it cannot
    /// read exactly).
    fn skip(&mut self, depth: usize) -> Option<()> {
        self.count()?;
        match self.peek()? {
            b'{' => {
                self.enter(depth)?;
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Some(());
                }
                let mut keys: Vec<Cow<'a, str>> = Vec::new();
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        return None;
                    }
                    let key = self.string()?;
                    if keys.contains(&key) {
                        return None;
                    }
                    keys.push(key);
                    self.ws();
                    if self.bump()? != b':' {
                        return None;
                    }
                    self.ws();
                    self.skip(depth + 1)?;
                    self.ws();
                    match self.bump()? {
                        b',' => {}
                        b'}' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.enter(depth)?;
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Some(());
                }
                loop {
                    self.ws();
                    self.skip(depth + 1)?;
                    self.ws();
                    match self.bump()? {
                        b',' => {}
                        b']' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b'"' => self.string().map(drop),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            _ => None,
        }
    }

    /// The value of a `field` read as text ([`read_as_text`]: the caller knows it is) when it
    /// is a string without escapes within the length limit: read into `out` and checked against
    /// the field's constraint (`Some(true)`), or refused (`None`: the deal is given up).
    /// Anything else (`Some(false)`, the cursor unmoved) is [`Fast::field_into`]'s. What it
    /// reads is what [`Fast::field_into`] reads, the node counted once and its constraint
    /// checked by the predicate of [`constraints::accepts`].
    #[inline(always)]
    fn text_field_into(&mut self, field: &Field, out: &mut Option<Node>) -> Option<bool> {
        debug_assert!(read_as_text(field));
        let ty = &field.ty;
        if self.peek() != Some(b'"') {
            return Some(false);
        }
        let start = self.pos;
        let first = start + 1;
        let Some(n) = self.plain_string() else {
            return Some(false);
        };
        self.count()?;
        let value = if let Type::String = ty {
            if !matches!(field.constraint, Constraint::None)
                && !constraints::text_meets(&field.constraint, self.b.get(first..first + n)?)
            {
                return None; // the full loader reports it
            }
            let at = self.base + first;
            Scalar::Str(Text::shared(self.src, at, at + n))
        } else {
            let scalar = typed_string(self.s.get(first..first + n)?, ty)?;
            if !constraints::meets(&field.constraint, &scalar) {
                return None;
            }
            scalar
        };
        *out = Some(Node {
            value: NodeValue::Scalar(value),
            span: self.span(start),
        });
        Some(true)
    }

    /// The value of `field` at the cursor: `never` for a field that takes a date or `never`
    /// (SPEC §10), else a value of its type.
    fn field_into(&mut self, field: &Field, depth: usize, out: &mut Option<Node>) -> Option<()> {
        let never = br#""never""#;
        if matches!(field.constraint, Constraint::DateOrNever)
            && self.b.get(self.pos..self.pos + never.len()) == Some(&never[..])
        {
            self.count()?;
            let start = self.pos;
            self.pos += never.len();
            *out = Some(Node {
                value: NodeValue::Scalar(Scalar::Never),
                span: self.span(start),
            });
            return Some(());
        }
        self.value_into(&field.ty, depth, out)
    }

    /// A list at the cursor's `[`, with elements of type `elem`.
    fn list(&mut self, elem: &Type, depth: usize) -> Option<Vec<Node>> {
        self.enter(depth)?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(Vec::new());
        }
        // Room for the usual few elements at once, not grown from nothing at the first.
        let mut items = Vec::with_capacity(4);
        loop {
            self.ws();
            items.push(self.value(elem, depth + 1)?);
            self.ws();
            match self.bump()? {
                b',' => {}
                b']' => return Some(items),
                _ => return None,
            }
        }
    }

    /// A value of type `ty` at the cursor, at nesting `depth` if it is a mapping or a list.
    fn value(&mut self, ty: &Type, depth: usize) -> Option<Node> {
        let mut out = None;
        self.value_into(ty, depth, &mut out)?;
        out
    }

    /// [`Fast::value`], written to `out` (a record's slot: not moved again).
    fn value_into(&mut self, ty: &Type, depth: usize, out: &mut Option<Node>) -> Option<()> {
        self.count()?;
        let start = self.pos;
        let value = match (self.peek()?, ty) {
            (b'n', _) => {
                self.word(b"null")?;
                NodeValue::Null
            }
            (b'{', Type::Record(id)) => NodeValue::Record(self.record(*id, depth)?),
            (b'[', Type::List(elem)) => NodeValue::List(self.list(elem, depth)?),
            (b'"', Type::String) => {
                let first = self.pos + 1;
                // Most strings have no escapes: sliced from the text where they stand.
                if let Some(n) = self.plain_string() {
                    let at = self.base + first;
                    *out = Some(Node {
                        value: NodeValue::Scalar(Scalar::Str(Text::shared(self.src, at, at + n))),
                        span: self.span(start),
                    });
                    return Some(());
                }
                let text = match self.string()? {
                    Cow::Borrowed(b) => {
                        let start = self.base + first;
                        Text::slice(self.src, start, start + b.len())
                    }
                    Cow::Owned(o) => Text::from(o.as_str()),
                };
                NodeValue::Scalar(Scalar::Str(text))
            }
            (b'"', Type::Percent | Type::Money | Type::Date) => {
                let first = self.pos + 1;
                let scalar = match self.plain_string() {
                    Some(n) => typed_string(self.s.get(first..first + n)?, ty)?,
                    None => typed_string(&self.string()?, ty)?,
                };
                NodeValue::Scalar(scalar)
            }
            (b't', Type::Bool) => {
                self.word(b"true")?;
                NodeValue::Scalar(Scalar::Bool(true))
            }
            (b'f', Type::Bool) => {
                self.word(b"false")?;
                NodeValue::Scalar(Scalar::Bool(false))
            }
            (b'-' | b'0'..=b'9', Type::Number) => NodeValue::Scalar(Scalar::Number(self.number()?)),
            _ => return None,
        };
        *out = Some(Node {
            value,
            span: self.span(start),
        });
        Some(())
    }

    /// The length of the string at the cursor's `"` when it has no escapes and is within the
    /// length limit, the cursor then past its closing `"`; else `None`, the cursor unmoved. Its
    /// text starts and ends next to a `"`, so on character boundaries.
    #[inline(always)]
    fn plain_string(&mut self) -> Option<usize> {
        let first = self.pos + 1;
        let n = plain_run(self.b.get(first..)?);
        if self.b.get(first + n) != Some(&b'"') || n > self.budget.max_string_len {
            return None;
        }
        self.pos = first + n + 1;
        Some(n)
    }

    /// A string at the cursor's `"`: borrowed from the text unless it has escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.bump()? != b'"' {
            return None;
        }
        let start = self.pos;
        let n = plain_run(self.b.get(start..)?);
        self.pos += n;
        match self.bump()? {
            b'"' if n <= self.budget.max_string_len => {
                Some(Cow::Borrowed(self.s.get(start..start + n)?))
            }
            b'\\' => self.escaped(start).map(Cow::Owned),
            _ => None,
        }
    }

    /// The rest of a string with escapes, from the cursor past its first `\`.
    #[cold]
    fn escaped(&mut self, start: usize) -> Option<String> {
        let mut out = String::from(self.s.get(start..self.pos - 1)?);
        loop {
            out.push(self.escape()?);
            let run = self.pos;
            self.pos += plain_run(self.b.get(run..)?);
            out.push_str(self.s.get(run..self.pos)?);
            match self.bump()? {
                b'"' => return (out.len() <= self.budget.max_string_len).then_some(out),
                b'\\' => {}
                _ => return None,
            }
        }
    }

    /// The character of an escape after its `\`, as the full JSON parser decodes it.
    fn escape(&mut self) -> Option<char> {
        Some(match self.bump()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    if self.bump()? != b'\\' || self.bump()? != b'u' {
                        return None;
                    }
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                char::from_u32(code)?
            }
            _ => return None,
        })
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.b.get(self.pos..self.pos + 4)?;
        let mut code = 0u32;
        for &d in digits {
            code = code * 16 + char::from(d).to_digit(16)?;
        }
        self.pos += 4;
        Some(code)
    }

    /// A number at the cursor, by the grammar of the full JSON parser, read exactly.
    fn number(&mut self) -> Option<Exact> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        // In a word: 18 digits cannot overflow it; a longer number (whose sum wrapped) is
        // read from its text below.
        let mut int: u64 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            int = int.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            self.pos += 1;
        }
        let n = self.pos - int_start;
        if n == 0 || (n > 1 && self.b.get(int_start) == Some(&b'0')) {
            return None;
        }
        let plain = !matches!(self.peek(), Some(b'.' | b'e' | b'E'));
        if plain && n <= 18 {
            let int = i128::from(int);
            return Some(Exact::from_int(if negative { -int } else { int }));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.digits()?;
        }
        exact_from_text(self.s.get(start..self.pos)?).ok()
    }

    /// One or more digits.
    fn digits(&mut self) -> Option<()> {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        (self.pos > start).then_some(())
    }
}

/// Whether `rest` starts with `name` and a `"`: the bytes compared a word at a time.
#[inline]
pub(super) fn key_is(rest: &[u8], name: &[u8]) -> bool {
    let n = name.len();
    if rest.get(n) != Some(&b'"') {
        return false;
    }
    let Some(text) = rest.get(..n) else {
        return false;
    };
    let word = |b: &[u8], at: usize| {
        b.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_ne_bytes)
    };
    if n < 8 {
        let quad = |b: &[u8], at: usize| {
            b.get(at..at + 4)
                .and_then(|w| <[u8; 4]>::try_from(w).ok())
                .map(u32::from_ne_bytes)
        };
        if n < 4 {
            return text == name;
        }
        // The first four bytes and the last four (overlapping).
        return quad(text, 0) == quad(name, 0) && quad(text, n - 4) == quad(name, n - 4);
    }
    // Whole words, then the last eight bytes (overlapping the words already compared).
    let mut at = 0;
    while at + 8 <= n {
        if word(text, at) != word(name, at) {
            return false;
        }
        at += 8;
    }
    at == n || word(text, n - 8) == word(name, n - 8)
}

/// A string as a value of a string-written type, exactly as the validator reads it. Inlined,
/// so that the value is stored once, where its node is, not returned through memory and copied
/// (a scalar's number, written as two 8-byte halves and read back as one 16-byte word,
/// stalled the processor at every typed field).
#[inline(always)]
fn typed_string(text: &str, ty: &Type) -> Option<Scalar> {
    Some(match ty {
        Type::String => Scalar::Str(text.into()),
        // The same range as `ranges::share`: anything else goes to the full loader.
        Type::Percent => Scalar::Percent(read_share(text)?),
        Type::Money => {
            let (c, a) = read_money(text).ok()?;
            if a.is_negative() {
                return None;
            }
            Scalar::Money(c, a)
        }
        Type::Date => Scalar::Date(match short_date(text) {
            Some(date) => date,
            None => parse_date(text).ok()?,
        }),
        _ => return None,
    })
}
