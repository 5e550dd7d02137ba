//! `schema "FILE" extends standard` (SPEC §8): the standard schema with FILE's fields added.
//!
//! FILE is a JSON Schema document read with the conventions of [`super::json_schema`]. Its root
//! `properties` add fields to the deal; `$defs.Party`, `.Entity`, `.Owner`, `.Group`,
//! `.Approval`, `.Technology`, `.Data`, `.Plant` and `.Board` add fields to those records (an
//! entity's fields go to parties too, since parties are entities); any other `$defs` name only
//! defines a type for a `$ref`. A `$ref` to one of those names refers to the standard record.
//! Redeclaring a field (or a list's singular) that the record already has is a [`Conflict`],
//! located in FILE.
//!
//! A field added under the name of a standard country field (`country`, `origin`, …) or count
//! (`seats`, …) gets that field's check, as the standard one has it (SPEC §13); `"format":
//! "country"` and `"type": "integer"` give theirs to any field.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::doc::{Budget, Doc, DocKind};
use super::error::Diags;
use super::json_schema::{kinds, Converter};
use crate::schema::{
    Additions, Constraint, Field, RecordId, Schema, Type, COUNTRY_FIELDS, WHOLE_NUMBER_FIELDS,
};
use crate::source::{SourceFile, Span};

/// The `$defs` names that extend a record of the standard schema, with the record.
pub const EXTENDED_RECORDS: [(&str, RecordId); 9] = [
    ("Party", Schema::PARTY),
    ("Entity", Schema::ENTITY),
    ("Owner", Schema::OWNER),
    ("Group", Schema::GROUP),
    ("Approval", Schema::APPROVAL),
    ("Technology", Schema::TECH),
    ("Data", Schema::DATA),
    ("Plant", Schema::PLANT),
    ("Board", Schema::BOARD),
];

/// Why an extension cannot be used.
#[derive(Debug)]
pub enum ExtendError {
    /// The file cannot be read as a schema: the reason.
    Bad(String),
    /// It redeclares a field of the standard schema.
    Conflict(Conflict),
}

/// A field the extension declares that the record already has.
#[derive(Debug)]
pub struct Conflict {
    /// The field's name as the file writes it.
    pub field: String,
    /// The record, as the standard schema names it (`party`, `deal`).
    pub record: String,
    /// Where the file declares it (the property's key), when it can be found.
    pub span: Option<Span>,
    /// The schema file, to show the place in (set by the caller, who knows its path).
    pub file: Option<SourceFile>,
}

/// The standard schema extended by the JSON Schema `text`.
pub fn extend_standard(text: &str) -> Result<Schema, ExtendError> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| ExtendError::Bad(format!("invalid json: {e}")))?;
    let obj = root
        .as_object()
        .ok_or_else(|| ExtendError::Bad("the schema must be a json object".into()))?;
    let standard = Schema::standard();
    let mut converter = Converter {
        root: &root,
        records: standard.records.clone(),
        refs: standard_refs(),
    };
    let mut additions = Additions {
        fields: vec![Vec::new(); standard.records.len()],
    };
    let root_fields = match obj.get("properties") {
        Some(_) => converter.fields(obj, "the schema", 0),
        None => Ok(Vec::new()),
    };
    set(
        &mut additions,
        Schema::ROOT,
        root_fields.map_err(ExtendError::Bad)?,
    );
    let defs = definitions(obj);
    for (name, record) in EXTENDED_RECORDS {
        let Some(def) = defs.and_then(|d| d.get(name)) else {
            continue;
        };
        let at = format!("`$defs.{name}`");
        let def = def
            .as_object()
            .ok_or_else(|| ExtendError::Bad(format!("{at}: its schema must be an object")))?;
        if kinds(def, &at).map_err(ExtendError::Bad)? != "object" {
            return Err(ExtendError::Bad(format!("{at}: it must be an object")));
        }
        let fields = converter.fields(def, &at, 1).map_err(ExtendError::Bad)?;
        set(&mut additions, record, fields);
    }
    if let Some(conflict) = first_conflict(&standard, &additions) {
        return Err(ExtendError::Conflict(locate(conflict, text)));
    }
    let mut schema = Schema::standard_with(&additions);
    schema
        .records
        .extend(converter.records.into_iter().skip(standard.records.len()));
    Ok(schema)
}

fn definitions(obj: &Map<String, Value>) -> Option<&Map<String, Value>> {
    obj.get("$defs")
        .or_else(|| obj.get("definitions"))
        .and_then(Value::as_object)
}

/// `$ref`s to the extended `$defs` names refer to the standard records.
fn standard_refs() -> HashMap<String, RecordId> {
    EXTENDED_RECORDS
        .iter()
        .flat_map(|(name, id)| {
            [
                (format!("#/$defs/{name}"), *id),
                (format!("#/definitions/{name}"), *id),
            ]
        })
        .collect()
}

/// Record the fields added to `record`, each with the check its name has in the standard
/// schema when the file gives it none.
fn set(additions: &mut Additions, record: RecordId, mut fields: Vec<Field>) {
    for f in &mut fields {
        if f.constraint == Constraint::None {
            f.constraint = by_name(&f.name, &f.ty);
        }
    }
    if let Some(slot) = additions.fields.get_mut(record.0) {
        *slot = fields;
    }
}

fn by_name(name: &str, ty: &Type) -> Constraint {
    match ty.element() {
        Type::String if COUNTRY_FIELDS.contains(&name) => Constraint::Country,
        Type::Number if WHOLE_NUMBER_FIELDS.contains(&name) => Constraint::Integer,
        _ => Constraint::None,
    }
}

/// The names a phrase reaches on a record: its fields and lists' singulars.
fn names(fields: &[Field]) -> impl Iterator<Item = &str> {
    fields
        .iter()
        .flat_map(|f| std::iter::once(f.name.as_str()).chain(f.singular.as_deref()))
}

/// The first added field whose name or singular the record has already: the standard
/// record's own (fields, computed fields, an owner's links to its entity), and for an entity's
/// field the party's too (and the other way), since both records get an entity's fields.
fn first_conflict(standard: &Schema, additions: &Additions) -> Option<(String, RecordId)> {
    let added = |r: RecordId| additions.fields.get(r.0).map_or(&[][..], Vec::as_slice);
    for (index, fields) in additions.fields.iter().enumerate() {
        let record = RecordId(index);
        let mut taken: Vec<&str> = names(&standard.record(record).fields).collect();
        match record {
            r if r == Schema::ENTITY => taken.extend(names(&standard.record(Schema::PARTY).fields)),
            r if r == Schema::PARTY => taken.extend(names(added(Schema::ENTITY))),
            _ => {}
        }
        for f in fields {
            let mut own = std::iter::once(f.name.as_str()).chain(f.singular.as_deref());
            if own.any(|n| taken.contains(&n)) {
                return Some((f.name.clone(), record));
            }
        }
    }
    None
}

/// Where the conflicting field is declared: the key of its property in the file.
fn locate((field, record): (String, RecordId), text: &str) -> Conflict {
    let def = EXTENDED_RECORDS
        .iter()
        .find(|(_, id)| *id == record)
        .map(|(name, _)| *name);
    let path: Vec<&str> = match def {
        Some(name) => vec!["$defs", name, "properties", &field],
        None => vec!["properties", &field],
    };
    let mut span = key_span(text, &path);
    if span.is_none() && def.is_some() {
        let rest = path.get(1..).unwrap_or_default();
        span = key_span(text, &[&["definitions"], rest].concat());
    }
    Conflict {
        record: Schema::standard().record(record).name.clone(),
        field,
        span,
        file: None,
    }
}

/// The span of the last key of `path` in the JSON document `text`, read with positions.
fn key_span(text: &str, path: &[&str]) -> Option<Span> {
    let mut budget = Budget::new(&super::Limits::default());
    let source = SourceFile::new("schema", text);
    let mut diags = Diags::new(&source);
    let doc = super::json::parse(text, 0, &mut budget, &mut diags).ok()?;
    let mut here: &Doc = &doc;
    let mut span = None;
    for key in path {
        let DocKind::Map(entries) = &here.kind else {
            return None;
        };
        let entry = entries.iter().rev().find(|e| e.key == *key)?;
        span = Some(entry.key_span);
        here = &entry.value;
    }
    span
}
