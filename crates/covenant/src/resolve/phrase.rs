//! Phrase resolution (SPEC §2.3): runs of words → a base and a path of field indices.

use std::cell::Cell;

use crate::schema::{Computed, Field, RecordId, Schema, Type};
use crate::source::Span;
use crate::syntax::ast::{Phrase, PhrasePart};

use super::ir::{Base, Step};

/// An item scope opened by `where`, a quantifier or a must-form.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The item's type: a record, or a scalar for lists of scalars.
    pub ty: Type,
    /// Names (words joined with `_`) that denote the item itself, such as `party`.
    pub names: Vec<String>,
    /// The first phrase that named the item by one of `names`, if one did (for
    /// `covenant::lint::shadowed-item`).
    pub named_at: Cell<Option<Span>>,
}

impl Frame {
    pub fn new(ty: Type, names: Vec<String>) -> Frame {
        Frame {
            ty,
            names,
            named_at: Cell::new(None),
        }
    }
}

/// A visible definition: its `_`-joined name and index. A `let` is named by its key; an item
/// definition (`define`, SPEC §8) is a field of its records instead, visible where it is.
#[derive(Clone, Debug)]
pub struct DefRef {
    pub key: String,
    pub index: usize,
    /// An item definition: never a name of its own, only a field.
    pub item: bool,
}

/// The item definition a field computes, directly or as an owner's link to its entity's
/// field.
pub fn define_of(schema: &Schema, field: &Field) -> Option<usize> {
    match field.computed {
        Some(Computed::Define(i)) => Some(i),
        Some(Computed::Linked(j)) => match schema.record(Schema::ENTITY).fields.get(j)?.computed {
            Some(Computed::Define(i)) => Some(i),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a phrase in a file that sees `defs` reaches `field`: an item definition's field
/// only where the definition is visible (SPEC §8).
pub fn visible(schema: &Schema, field: &Field, defs: &[DefRef]) -> bool {
    define_of(schema, field).is_none_or(|i| defs.iter().any(|d| d.item && d.index == i))
}

/// A successful resolution.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub base: Base,
    pub steps: Vec<Step>,
    pub ty: Type,
    /// The words that name the base when it is a definition or an enclosing item (`foreign
    /// partner` of `foreign partner stake`); None for a field of the deal or of an item.
    pub base_span: Option<Span>,
}

/// Why a phrase did not resolve: the index of the first word that failed and the names that
/// were possible there.
#[derive(Clone, Debug)]
pub struct Unresolved {
    pub word: usize,
    pub candidates: Vec<String>,
    /// The value before the failing word was a scalar: it has no fields.
    pub after_scalar: Option<Type>,
    /// The phrase names a definition that failed to compile (already reported).
    pub poisoned: bool,
    /// The first words name both a definition (this index) and a field or item: SPEC §2.3
    /// rule 4 makes that an error, so a phrase never has two readings.
    pub ambiguous: Option<usize>,
    /// The first words are a singular that names both an enclosing item and a list field of
    /// the current item (`party` in `every party: some approval where …`): SPEC §2.3 rule 4,
    /// an error. The singular, in words.
    pub item_or_list: Option<String>,
}

impl Unresolved {
    /// No reading from word `word` on, with these names possible there.
    fn at(word: usize, candidates: Vec<String>) -> Unresolved {
        Unresolved {
            word,
            candidates,
            after_scalar: None,
            poisoned: false,
            ambiguous: None,
            item_or_list: None,
        }
    }
}

/// The words of a phrase, with `None` for a `.` boundary and `Some("")` never.
fn segments(p: &Phrase) -> (bool, Vec<Vec<(usize, &str)>>) {
    let mut deal = false;
    let mut segs: Vec<Vec<(usize, &str)>> = vec![Vec::new()];
    for (i, part) in p.parts.iter().enumerate() {
        match part {
            PhrasePart::Deal(_) if i == 0 => deal = true,
            PhrasePart::Deal(_) => {
                if let Some(last) = segs.last_mut() {
                    last.push((i, "deal"));
                }
            }
            PhrasePart::Dot(_) => segs.push(Vec::new()),
            PhrasePart::Word { text, .. } => {
                if let Some(last) = segs.last_mut() {
                    last.push((i, text.as_str()));
                }
            }
        }
    }
    segs.retain(|s| !s.is_empty());
    (deal, segs)
}

/// Is `name` the words joined with `_` (compared in place: phrases are resolved at every use)?
fn is_joined(name: &str, words: &[(usize, &str)]) -> bool {
    let mut rest = name;
    for (i, (_, w)) in words.iter().enumerate() {
        if i > 0 {
            let Some(r) = rest.strip_prefix('_') else {
                return false;
            };
            rest = r;
        }
        let Some(r) = rest.strip_prefix(w) else {
            return false;
        };
        rest = r;
    }
    rest.is_empty()
}

/// The field of `record` named by `words` (joined with `_`): its name or (for lists) its
/// singular; of the item definitions, only those in `defs`.
fn field_named(
    schema: &Schema,
    record: RecordId,
    words: &[(usize, &str)],
    defs: &[DefRef],
) -> Option<usize> {
    let rec = schema.record(record);
    rec.fields
        .iter()
        .position(|f| is_joined(&f.name, words) && visible(schema, f, defs))
        .or_else(|| {
            rec.fields.iter().position(|f| {
                f.ty.is_list() && f.singular.as_deref().is_some_and(|s| is_joined(s, words))
            })
        })
}

/// Display names of a record's fields (`board seats`), for did-you-mean.
pub fn field_names(schema: &Schema, record: RecordId) -> Vec<String> {
    visible_field_names(schema, record, None)
}

/// Display names of a record's fields a file reaches (all of them for `None`).
fn visible_field_names(schema: &Schema, record: RecordId, defs: Option<&[DefRef]>) -> Vec<String> {
    schema
        .record(record)
        .fields
        .iter()
        .filter(|f| defs.is_none_or(|d| visible(schema, f, d)))
        .flat_map(|f| {
            let mut v = vec![f.name.replace('_', " ")];
            if let Some(s) = &f.singular {
                if s != &f.name {
                    v.push(s.replace('_', " "));
                }
            }
            v
        })
        .collect()
}

/// The type of an item definition, computed on demand (None: it failed, or is part of a
/// cycle; already reported).
type DefType<'a> = &'a dyn Fn(usize) -> Option<Type>;

/// One step into field `index` of `record` from a value of type `from`. An item definition's
/// field has the type of its definition (None when that failed).
fn step(
    schema: &Schema,
    from: &Type,
    record: RecordId,
    index: usize,
    def_type: DefType<'_>,
) -> Option<(Step, Type)> {
    let field = schema.record(record).fields.get(index)?;
    let field_ty = match define_of(schema, field) {
        Some(i) => def_type(i)?,
        None => field.ty.clone(),
    };
    let map = from.is_list();
    let flatten = map && field_ty.is_list();
    let ty = match (map, &field_ty) {
        (false, t) => t.clone(),
        (true, Type::List(inner)) => Type::List(inner.clone()),
        (true, t) => Type::list(t.clone()),
    };
    Some((
        Step {
            field: index,
            record,
            name: field.name.clone().into(),
            map,
            flatten,
        },
        ty,
    ))
}

fn record_of(ty: &Type) -> Option<RecordId> {
    match ty.element() {
        Type::Record(id) => Some(*id),
        _ => None,
    }
}

/// A first-step candidate: words consumed, base, base type, optional first field.
struct Start {
    len: usize,
    base: Base,
    base_ty: Type,
    field: Option<(RecordId, usize)>,
}

fn starts(
    schema: &Schema,
    frames: &[Frame],
    defs: &[DefRef],
    def_type: &dyn Fn(usize) -> Option<Type>,
    words: &[(usize, &str)],
) -> Vec<Start> {
    let mut found = Vec::new();
    for len in (1..=words.len()).rev() {
        let key = words.get(..len).unwrap_or(words);
        for (depth, frame) in frames.iter().rev().enumerate() {
            if frame.names.iter().any(|n| is_joined(n, key)) {
                found.push(Start {
                    len,
                    base: Base::Item(depth),
                    base_ty: frame.ty.clone(),
                    field: None,
                });
            }
            if let Type::Record(id) = frame.ty {
                if let Some(f) = field_named(schema, id, key, defs) {
                    found.push(Start {
                        len,
                        base: Base::Item(depth),
                        base_ty: frame.ty.clone(),
                        field: Some((id, f)),
                    });
                }
            }
        }
        for d in defs.iter().filter(|d| !d.item && is_joined(&d.key, key)) {
            // A definition that failed to compile still claims its name (with no type), so
            // its uses report nothing more.
            found.push(Start {
                len,
                base: Base::Let(d.index),
                base_ty: def_type(d.index)
                    .unwrap_or(Type::Record(crate::schema::RecordId(usize::MAX))),
                field: None,
            });
        }
        if let Some(f) = field_named(schema, Schema::ROOT, key, defs) {
            found.push(Start {
                len,
                base: Base::Root,
                base_ty: Type::Record(Schema::ROOT),
                field: Some((Schema::ROOT, f)),
            });
        }
        if !found.is_empty() {
            break;
        }
    }
    found
}

/// SPEC §2.3 rule 4, second sentence: the first words, as found, are a singular that names a
/// list field of the current item (`parties` of an approval, by `party`) and an enclosing
/// item (the `party` of `every party: …`). The singular, in words.
fn item_or_list_field(schema: &Schema, found: &[Start], first: &[(usize, &str)]) -> Option<String> {
    let key = first.get(..found.first()?.len)?;
    let list_by_singular = found.iter().any(|s| match (&s.base, s.field) {
        (Base::Item(0), Some((record, index))) => schema
            .record(record)
            .fields
            .get(index)
            .is_some_and(|f| f.ty.is_list() && !is_joined(&f.name, key)),
        _ => false,
    });
    let enclosing_item = found
        .iter()
        .any(|s| matches!((&s.base, s.field), (Base::Item(d), None) if *d > 0));
    (list_by_singular && enclosing_item)
        .then(|| key.iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" "))
}

/// Resolve a phrase against the scopes. `def_type` gives (and, lazily, computes) the type of a
/// visible definition.
pub fn resolve(
    schema: &Schema,
    frames: &[Frame],
    defs: &[DefRef],
    def_type: &dyn Fn(usize) -> Option<Type>,
    phrase: &Phrase,
) -> Result<Resolved, Unresolved> {
    let (deal, segs) = segments(phrase);
    let mut seg_iter = segs.iter();
    let mut ty;
    let base;
    let mut steps = Vec::new();
    let rest: &[(usize, &str)];
    let mut base_span = None;
    if deal {
        base = Base::Root;
        ty = Type::Record(Schema::ROOT);
        rest = seg_iter.next().map(|s| s.as_slice()).unwrap_or(&[]);
    } else {
        let Some(first) = seg_iter.next() else {
            return Err(Unresolved::at(0, Vec::new()));
        };
        let found = starts(schema, frames, defs, def_type, first);
        if let Some(words) = item_or_list_field(schema, &found, first) {
            return Err(Unresolved {
                item_or_list: Some(words),
                ..Unresolved::at(first.first().map_or(0, |w| w.0), Vec::new())
            });
        }
        let def = found.iter().find_map(|s| match s.base {
            Base::Let(i) => Some(i),
            _ => None,
        });
        if let (Some(index), true) = (def, found.iter().any(|s| !matches!(s.base, Base::Let(_)))) {
            return Err(Unresolved {
                ambiguous: Some(index),
                ..Unresolved::at(first.first().map_or(0, |w| w.0), Vec::new())
            });
        }
        let Some(start) = found.into_iter().next() else {
            let mut candidates: Vec<String> = defs
                .iter()
                .filter(|d| !d.item)
                .map(|d| d.key.replace('_', " "))
                .collect();
            for frame in frames {
                candidates.extend(frame.names.iter().map(|n| n.replace('_', " ")));
                if let Type::Record(id) = frame.ty {
                    candidates.extend(visible_field_names(schema, id, Some(defs)));
                }
            }
            candidates.extend(visible_field_names(schema, Schema::ROOT, Some(defs)));
            return Err(Unresolved::at(first.first().map_or(0, |w| w.0), candidates));
        };
        if matches!(
            start.base_ty,
            Type::Record(crate::schema::RecordId(usize::MAX))
        ) {
            return Err(poisoned());
        }
        if let (Base::Item(depth), None) = (&start.base, start.field) {
            let frame = frames
                .len()
                .checked_sub(depth + 1)
                .and_then(|i| frames.get(i));
            if let Some(f) = frame.filter(|f| f.named_at.get().is_none()) {
                let word = |w: Option<&(usize, &str)>| {
                    w.and_then(|(i, _)| phrase.parts.get(*i))
                        .map_or(phrase.span, PhrasePart::span)
                };
                let words = word(first.first()).join(word(first.get(start.len - 1)));
                f.named_at.set(Some(words));
            }
        }
        if start.field.is_none() {
            let word = |w: Option<&(usize, &str)>| w.and_then(|(i, _)| phrase.parts.get(*i));
            base_span = word(first.first())
                .zip(word(first.get(start.len.saturating_sub(1))))
                .map(|(a, b)| a.span().join(b.span()));
        }
        base = start.base;
        ty = start.base_ty;
        if let Some((record, index)) = start.field {
            match step(schema, &Type::Record(record), record, index, def_type) {
                Some((s, t)) => {
                    steps.push(s);
                    ty = t;
                }
                None => return Err(poisoned()),
            }
        }
        rest = first.get(start.len..).unwrap_or(&[]);
    }
    let names = Names { defs, def_type };
    let ty = walk(schema, &names, ty, rest, seg_iter, &mut steps)?;
    Ok(Resolved {
        base,
        steps,
        ty,
        base_span,
    })
}

/// Resolve a phrase read on a value of type `from` (a record, or a list of records to map
/// over): the steps of a projection `(LIST) PHRASE` (SPEC §8), and their type.
pub fn resolve_steps(
    schema: &Schema,
    defs: &[DefRef],
    def_type: &dyn Fn(usize) -> Option<Type>,
    from: Type,
    phrase: &Phrase,
) -> Result<(Vec<Step>, Type), Unresolved> {
    let (_, segs) = segments(phrase);
    let mut steps = Vec::new();
    let names = Names { defs, def_type };
    let ty = walk(schema, &names, from, &[], segs.iter(), &mut steps)?;
    Ok((steps, ty))
}

/// The steps of the words `rest` and then of each segment of `segs`, from a value of type
/// `ty`: each the longest `_`-joined match among the fields of the value so far.
fn walk<'w>(
    schema: &Schema,
    names: &Names<'_>,
    mut ty: Type,
    mut rest: &'w [(usize, &'w str)],
    mut seg_iter: std::slice::Iter<'w, Vec<(usize, &'w str)>>,
    steps: &mut Vec<Step>,
) -> Result<Type, Unresolved> {
    loop {
        while !rest.is_empty() {
            let first_word = rest.first().map_or(0, |w| w.0);
            let Some(record) = record_of(&ty) else {
                return Err(Unresolved {
                    after_scalar: Some(ty),
                    ..Unresolved::at(first_word, Vec::new())
                });
            };
            let mut matched = None;
            for len in (1..=rest.len()).rev() {
                let words = rest.get(..len).unwrap_or(rest);
                if let Some(f) = field_named(schema, record, words, names.defs) {
                    matched = Some((len, f));
                    break;
                }
            }
            let Some((len, index)) = matched else {
                return Err(Unresolved::at(
                    first_word,
                    visible_field_names(schema, record, Some(names.defs)),
                ));
            };
            let Some((s, t)) = step(schema, &ty, record, index, names.def_type) else {
                return Err(poisoned());
            };
            steps.push(s);
            ty = t;
            rest = rest.get(len..).unwrap_or(&[]);
        }
        match seg_iter.next() {
            Some(next) => rest = next.as_slice(),
            None => break,
        }
    }
    Ok(ty)
}

/// The definitions a phrase sees, and the types of those already typed.
struct Names<'a> {
    defs: &'a [DefRef],
    def_type: &'a dyn Fn(usize) -> Option<Type>,
}

/// A phrase that reads a definition that failed to compile (already reported).
fn poisoned() -> Unresolved {
    Unresolved {
        poisoned: true,
        ..Unresolved::at(0, Vec::new())
    }
}
