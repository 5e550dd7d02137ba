//! Item definitions (SPEC §8): `define SINGULAR WORDS: EXPR` adds a computed field named
//! WORDS to the records SINGULAR names, in the compiled policy's copy of the schema.
//!
//! The field is `Computed::Define(i)`, `i` the definition's index in the definition table
//! (shared with `let`: one table, so cycles through both are found, and `use` brings both in).
//! `define entity …` also gives the field to parties (parties are entities) and, as a link to
//! the entity's field, to owners (`owner controls` reads the named entity's), unless the owner
//! edge has a field of that name (the edge's own comes first, SPEC §7.1). The field's type is
//! its expression's, known once that is resolved (phrase resolution asks the table); the
//! schema's copy is set after compilation ([`set_types`]). A file that does not see the
//! definition does not reach its field (see `phrase::field_named`).

use std::collections::HashMap;

use crate::schema::{Computed, Field, RecordId, Schema, Type};
use crate::syntax::ast::{DefineDef, Item};

use super::defs::duplicate_definition;
use super::defs::{DefEntry, DefMeta, DefState, ItemScope};
use super::error::{DefineLikeField, ResolveError, UnknownItem};
use super::ir::Definition;
use super::phrase::DefRef;
use super::typeck::did_you_mean;
use super::{CompileDiagnostic, LoadedFile};

/// The definition table's entries, in file and item order: each `let`, and each `define` with
/// its field added to `schema` (owners' links last, see [`link_owners`]).
pub(super) fn collect(
    files: &[LoadedFile],
    schema: &mut Schema,
    errors: &mut Vec<CompileDiagnostic>,
) -> Vec<DefEntry> {
    let mut entries = Vec::new();
    for (file, loaded) in files.iter().enumerate() {
        for item in &loaded.ast.items {
            match item {
                Item::Let(def) => entries.push(DefEntry {
                    name: def.name.join(" "),
                    key: def.name.join("_"),
                    file,
                    name_span: def.name_span,
                    value: def.value.clone(),
                    state: DefState::Pending,
                    item: None,
                }),
                Item::Define(def) => {
                    let index = entries.len();
                    entries.extend(entry(schema, files, file, def, index, errors));
                }
                _ => {}
            }
        }
    }
    link_owners(schema);
    entries
}

/// The definition table's entry for `def` (which will be entry `index`), its field added to
/// the schema; None (and an error) when its singular names no items or its words name a
/// field the records have.
fn entry(
    schema: &mut Schema,
    files: &[LoadedFile],
    file: usize,
    def: &DefineDef,
    index: usize,
    errors: &mut Vec<CompileDiagnostic>,
) -> Option<DefEntry> {
    let loaded = files.get(file)?;
    let singular = def.item.node.as_str();
    let Some(record) = record_named(schema, singular) else {
        let help = did_you_mean(singular, &singulars(schema));
        errors.push(
            ResolveError::from(UnknownItem {
                singular: singular.to_string(),
                src: loaded.source.named(),
                span: def.item.span.into(),
                help,
            })
            .into(),
        );
        return None;
    };
    let key = def.name.join("_");
    let targets = targets(schema, record);
    for &target in &targets {
        if let Some(field) = clash(schema, target, &key) {
            errors.push(
                ResolveError::from(DefineLikeField {
                    name: def.name.join(" "),
                    field: field.replace('_', " "),
                    record: schema.record(target).name.replace('_', " "),
                    src: loaded.source.named(),
                    span: def.name_span.into(),
                })
                .into(),
            );
            return None;
        }
    }
    for target in targets {
        if let Some(r) = schema.records.get_mut(target.0) {
            r.fields.push(Field {
                computed: Some(Computed::Define(index)),
                ..Field::new(&key, Type::Bool)
            });
        }
    }
    Some(DefEntry {
        name: format!("{singular} {}", def.name.join(" ")),
        key: format!("{}.{key}", schema.record(record).name),
        file,
        name_span: def.name_span,
        value: def.value.clone(),
        state: DefState::Pending,
        item: Some(ItemScope {
            record,
            singular: singular.to_string(),
        }),
    })
}

/// The record type whose items `singular` names: the elements of a list of records with that
/// singular, or a record field of that name (the root's fields first, then each record's in
/// schema order).
pub(super) fn record_named(schema: &Schema, singular: &str) -> Option<RecordId> {
    schema.records.iter().find_map(|r| {
        r.fields
            .iter()
            .find_map(|f| match (&f.ty, f.singular.as_deref()) {
                (Type::List(t), Some(s)) if s == singular => record_of(t),
                (Type::Record(id), _) if f.name == singular => Some(*id),
                _ => None,
            })
    })
}

fn record_of(t: &Type) -> Option<RecordId> {
    match t {
        Type::Record(id) => Some(*id),
        _ => None,
    }
}

/// Every singular naming records, for did-you-mean.
fn singulars(schema: &Schema) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in schema.records.iter().flat_map(|r| &r.fields) {
        let name = match (&f.ty, &f.singular) {
            (Type::List(t), Some(s)) if record_of(t).is_some() => s,
            (Type::Record(_), _) => &f.name,
            _ => continue,
        };
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// Whether the schema is the standard one (maybe extended): its entities, parties and owners
/// are where the standard puts them.
fn is_standard(schema: &Schema) -> bool {
    let named = |id: RecordId, name: &str| schema.records.get(id.0).is_some_and(|r| r.name == name);
    named(Schema::PARTY, "party")
        && named(Schema::ENTITY, "entity")
        && named(Schema::OWNER, "owner")
}

/// The records that get the field: `record`, and parties too for an entity.
fn targets(schema: &Schema, record: RecordId) -> Vec<RecordId> {
    if record == Schema::ENTITY && is_standard(schema) {
        vec![Schema::ENTITY, Schema::PARTY]
    } else {
        vec![record]
    }
}

/// The first field (or list singular) of `record` that is not an item definition and that
/// `key` equals or is a word-prefix of (SPEC §2.3 rule 4).
fn clash(schema: &Schema, record: RecordId, key: &str) -> Option<String> {
    schema
        .record(record)
        .fields
        .iter()
        .filter(|f| super::phrase::define_of(schema, f).is_none())
        .flat_map(|f| std::iter::once(&f.name).chain(f.singular.as_ref()))
        .find(|name| {
            name.strip_prefix(key)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('_'))
        })
        .cloned()
}

/// Owners reach each `define entity` field through the named entity (SPEC §7.1), unless the
/// edge has a field of that name. Added after every definition's own fields, so that an
/// owner's own `define owner` field comes first.
fn link_owners(schema: &mut Schema) {
    if !is_standard(schema) {
        return;
    }
    let entity = schema.record(Schema::ENTITY);
    let owner = schema.record(Schema::OWNER);
    let links: Vec<Field> = entity
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.computed, Some(Computed::Define(_))))
        .filter(|(_, f)| {
            owner
                .fields
                .iter()
                .all(|o| o.name != f.name || matches!(o.computed, Some(Computed::Define(_))))
        })
        .map(|(j, f)| Field {
            computed: Some(Computed::Linked(j)),
            ..Field::new(&f.name, Type::Bool)
        })
        .collect();
    if let Some(owner) = schema.records.get_mut(Schema::OWNER.0) {
        owner.fields.extend(links);
    }
}

/// Two item definitions a file sees that give one record the same field: the second is a
/// duplicate (`define entity x` and `define party x` both give parties `x`). Same-record
/// duplicates are found by their keys with every other definition.
pub(super) fn duplicates(
    files: &[LoadedFile],
    metas: &[DefMeta],
    entries: &[DefEntry],
    visible: &[Vec<DefRef>],
    schema: &Schema,
    errors: &mut Vec<CompileDiagnostic>,
) {
    let mut reported: Vec<(usize, usize)> = Vec::new();
    for seen in visible {
        let mut fields: HashMap<(RecordId, &str), usize> = HashMap::new();
        for d in seen.iter().filter(|d| d.item) {
            let Some(scope) = entries.get(d.index).and_then(|e| e.item.as_ref()) else {
                continue;
            };
            let Some(field) = d.key.split_once('.').map(|(_, f)| f) else {
                continue;
            };
            for target in targets(schema, scope.record) {
                match fields.get(&(target, field)) {
                    Some(&first) if first != d.index && !reported.contains(&(first, d.index)) => {
                        reported.push((first, d.index));
                        if let Some(meta) = metas.get(d.index) {
                            let error = duplicate_definition(files, metas, first, meta);
                            errors.push(ResolveError::from(error).into());
                        }
                    }
                    Some(_) => {}
                    None => {
                        fields.insert((target, field), d.index);
                    }
                }
            }
        }
    }
}

/// Give each item definition's field (and an owner's link to one) the type of its compiled
/// definition.
pub(super) fn set_types(schema: &mut Schema, defs: &[Definition]) {
    let types: Vec<Option<Type>> = (0..schema.records.len())
        .flat_map(|r| {
            let fields = &schema.record(RecordId(r)).fields;
            fields
                .iter()
                .map(|f| super::phrase::define_of(schema, f).and_then(|i| defs.get(i)))
                .map(|d| d.map(|d| d.value.ty.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut types = types.into_iter();
    for record in &mut schema.records {
        for field in &mut record.fields {
            if let Some(Some(ty)) = types.next() {
                field.ty = ty;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
mod tests {
    use crate::resolve::compile_str;
    use crate::schema::{Computed, Schema, Type};

    #[test]
    fn an_entity_definition_is_a_field_of_entities_parties_and_owners() {
        let text = "define entity covered: country in [\"CN\"]\ndefine owner big: stake > 50%\ndefine party share: stake * 2\nrule r: no party covered\n";
        let policy = compile_str("t.policy", text).unwrap().policy;
        let s = &policy.schema;
        let field = |record, name: &str| {
            let r = s.record(record);
            r.fields[r.field_index(name).unwrap()].clone()
        };
        assert_eq!(
            field(Schema::ENTITY, "covered").computed,
            Some(Computed::Define(0))
        );
        assert_eq!(
            field(Schema::PARTY, "covered").computed,
            Some(Computed::Define(0))
        );
        let entity_index = s.record(Schema::ENTITY).field_index("covered").unwrap();
        assert_eq!(
            field(Schema::OWNER, "covered").computed,
            Some(Computed::Linked(entity_index))
        );
        assert_eq!(
            field(Schema::OWNER, "big").computed,
            Some(Computed::Define(1))
        );
        assert_eq!(
            field(Schema::PARTY, "share").computed,
            Some(Computed::Define(2))
        );
        // Each field has its definition's type once compiled; stored fields are unchanged.
        assert_eq!(field(Schema::PARTY, "covered").ty, Type::Bool);
        assert_eq!(field(Schema::OWNER, "covered").ty, Type::Bool);
        assert_eq!(field(Schema::PARTY, "share").ty, Type::Percent);
        let standard = Schema::standard();
        for (a, b) in s.records.iter().zip(&standard.records) {
            assert_eq!(
                a.stored_fields().len(),
                b.stored_fields().len(),
                "{}",
                a.name
            );
        }
        assert_eq!(policy.defs[0].item, Some(Schema::ENTITY));
        assert_eq!(policy.defs[0].name, "entity covered");
    }

    #[test]
    fn a_singular_names_the_record_type_of_its_items() {
        let s = Schema::standard();
        assert_eq!(super::record_named(&s, "party"), Some(Schema::PARTY));
        assert_eq!(super::record_named(&s, "entity"), Some(Schema::ENTITY));
        assert_eq!(super::record_named(&s, "owner"), Some(Schema::OWNER));
        assert_eq!(super::record_named(&s, "board"), Some(Schema::BOARD));
        assert_eq!(super::record_named(&s, "data"), Some(Schema::DATA));
        // A list of strings has no records.
        assert_eq!(super::record_named(&s, "veto"), None);
        assert_eq!(super::record_named(&s, "parties"), None);
    }
}
