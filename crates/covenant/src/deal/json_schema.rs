//! Custom deal schemas written as JSON Schema.
//!
//! A policy may name its own schema (`schema "file.json"`); this module converts that JSON Schema
//! document into a [`Schema`]. The conventions:
//!
//! - The root must be `"type": "object"` with `"properties"`; it is the deal record. Properties
//!   keep their order; `"required": [...]` marks required fields.
//! - `"type": "string"` is a string, except with `"format": "percent"` (a percent such as
//!   `"51%"`), `"format": "money"` (`"USD 3.5B"`) or `"format": "date"` (`2026-03-01`);
//!   `"format": "country"` makes a country field, holding ISO 3166-1 alpha-2 codes (SPEC §13).
//! - `"type": "number"` and `"type": "integer"` are exact numbers; an `integer` takes whole
//!   numbers only (SPEC §8). `"type": "boolean"` is a bool.
//! - `"enum": [...]` on a plain string field (or on the items of a list of strings) lists the
//!   values it may hold; an `enum` anywhere else is an error, never ignored.
//! - `"type": "array"` with `"items"` is a list of that item type. Its singular (the name of one
//!   element in rules, `parties` → `party`) is `"x-singular"` if given, else the English rule of
//!   [`singular_of`]. `"default": []` makes a missing list empty instead of missing.
//! - `"type": "object"` with `"properties"` (a property, an array's items, or a `$ref` target)
//!   becomes a record type, named after the property (the singular for list items, the
//!   definition name for a `$ref`).
//! - `"$ref": "#/$defs/Name"` (or `#/definitions/Name`) refers to a definition in the same file;
//!   each definition is one record type, so definitions may refer to each other or themselves.
//! - A type may be written `["string", "null"]`: `null` is always allowed (it reads as missing).
//! - Other keywords (`description`, `minimum`, ...) are ignored; anything else (a type we cannot
//!   represent, a missing `items`, a remote `$ref`) is an error.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::schema::{singular_of, Constraint, Field, RecordId, RecordSchema, Schema, Type};

const MAX_NESTING: usize = 64;

/// Convert a JSON Schema document into a deal schema named `name`.
pub fn schema_from_json_schema(text: &str, name: &str) -> Result<Schema, String> {
    let root: Value = serde_json::from_str(text).map_err(|e| format!("invalid json: {e}"))?;
    let mut c = Converter {
        root: &root,
        records: Vec::new(),
        refs: HashMap::new(),
    };
    let obj = root.as_object().ok_or("the schema must be a json object")?;
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        c.reference(r, 0)?;
    } else {
        if kinds(obj, "the schema")? != "object" {
            return Err("the root of the schema must be `\"type\": \"object\"`".into());
        }
        c.object(obj, "deal", "the schema", 0)?;
    }
    Ok(Schema {
        plan: crate::schema::LoadPlan::default(),
        name: name.into(),
        records: c.records,
    })
}

pub(super) struct Converter<'a> {
    pub root: &'a Value,
    pub records: Vec<RecordSchema>,
    pub refs: HashMap<String, RecordId>,
}

/// The one non-null type of a schema object (`"object"` when only `properties` is given).
pub(super) fn kinds<'a>(obj: &'a Map<String, Value>, at: &str) -> Result<&'a str, String> {
    let types: Vec<&str> = match obj.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        Some(_) => {
            return Err(format!(
                "{at}: `type` must be a string or a list of strings"
            ))
        }
        None if obj.contains_key("properties") => vec!["object"],
        None if obj.contains_key("items") => vec!["array"],
        None if obj.contains_key("enum") => vec!["string"],
        None => return Err(format!("{at}: no `type`")),
    };
    let non_null: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    match non_null.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "{at}: a value that can only be null is not supported"
        )),
        _ => Err(format!(
            "{at}: a value of several types ({}) is not supported",
            non_null.join(", ")
        )),
    }
}

impl Converter<'_> {
    /// A record type from an object schema; returns its id.
    fn object(
        &mut self,
        obj: &Map<String, Value>,
        name: &str,
        at: &str,
        depth: usize,
    ) -> Result<RecordId, String> {
        if depth > MAX_NESTING {
            return Err(format!("{at}: nested more than {MAX_NESTING} levels deep"));
        }
        let id = RecordId(self.records.len());
        self.records.push(RecordSchema {
            name: name.into(),
            fields: Vec::new(),
        });
        let fields = self.fields(obj, at, depth)?;
        if let Some(rec) = self.records.get_mut(id.0) {
            rec.fields = fields;
        }
        Ok(id)
    }

    /// The fields of an object schema's `properties`, in order, `required` marked.
    pub(super) fn fields(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        depth: usize,
    ) -> Result<Vec<Field>, String> {
        let required: Vec<&str> = match obj.get("required") {
            None => Vec::new(),
            Some(Value::Array(r)) => r.iter().filter_map(Value::as_str).collect(),
            Some(_) => return Err(format!("{at}: `required` must be a list of names")),
        };
        let props = match obj.get("properties") {
            None => return Err(format!("{at}: an object needs `properties`")),
            Some(Value::Object(p)) => p,
            Some(_) => return Err(format!("{at}: `properties` must be an object")),
        };
        let mut fields = Vec::new();
        for (prop, schema) in props {
            let here = format!("property `{prop}`");
            let pobj = schema
                .as_object()
                .ok_or_else(|| format!("{here}: its schema must be an object"))?;
            let ty = self.ty(pobj, prop, &here, depth + 1)?;
            let constraint = constraint(pobj, &ty, &here)?;
            let is_list = ty.is_list();
            let singular = is_list.then(|| {
                pobj.get("x-singular")
                    .and_then(Value::as_str)
                    .map_or_else(|| singular_of(prop), str::to_string)
            });
            let default_empty = is_list
                && pobj
                    .get("default")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty);
            fields.push(Field {
                name: prop.clone(),
                ty,
                singular,
                required: required.contains(&prop.as_str()),
                default_empty,
                constraint,
                computed: None,
            });
        }
        for r in &required {
            if !props.contains_key(*r) {
                return Err(format!(
                    "{at}: required property `{r}` is not in `properties`"
                ));
            }
        }
        Ok(fields)
    }

    fn ty(
        &mut self,
        obj: &Map<String, Value>,
        name: &str,
        at: &str,
        depth: usize,
    ) -> Result<Type, String> {
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            return self.reference(r, depth).map(Type::Record);
        }
        match kinds(obj, at)? {
            "string" => match obj.get("format").and_then(Value::as_str) {
                Some("percent") => Ok(Type::Percent),
                Some("money") => Ok(Type::Money),
                Some("date") => Ok(Type::Date),
                _ => Ok(Type::String),
            },
            "number" | "integer" => Ok(Type::Number),
            "boolean" => Ok(Type::Bool),
            "array" => {
                let items = obj
                    .get("items")
                    .and_then(Value::as_object)
                    .ok_or_else(|| format!("{at}: an array needs an `items` schema"))?;
                let singular = obj
                    .get("x-singular")
                    .and_then(Value::as_str)
                    .map_or_else(|| singular_of(name), str::to_string);
                let elem = self.ty(items, &singular, &format!("{at} items"), depth + 1)?;
                if elem.is_list() {
                    return Err(format!("{at}: a list of lists is not supported"));
                }
                Ok(Type::list(elem))
            }
            "object" => self.object(obj, name, at, depth).map(Type::Record),
            other => Err(format!("{at}: unsupported type `{other}`")),
        }
    }

    /// A local `$ref` to a definition: one record type per definition.
    fn reference(&mut self, r: &str, depth: usize) -> Result<RecordId, String> {
        if let Some(id) = self.refs.get(r) {
            return Ok(*id);
        }
        let def = r
            .strip_prefix("#/$defs/")
            .or_else(|| r.strip_prefix("#/definitions/"))
            .ok_or_else(|| format!("`$ref` `{r}`: only `#/$defs/…` references are supported"))?;
        let container = if r.starts_with("#/$defs/") {
            "$defs"
        } else {
            "definitions"
        };
        let root = self.root;
        let target = root
            .get(container)
            .and_then(|defs| defs.get(def))
            .and_then(Value::as_object)
            .ok_or_else(|| format!("`$ref` `{r}`: no such definition"))?;
        let at = format!("definition `{def}`");
        if kinds(target, &at)? != "object" {
            return Err(format!("{at}: a `$ref` must name an object"));
        }
        // Register the id before converting, so a definition may refer to itself.
        self.refs
            .insert(r.to_string(), RecordId(self.records.len()));
        self.object(target, &def.to_lowercase(), &at, depth)
    }
}

/// The check on a property's values (on each item's, for a list of scalars): `"format":
/// "country"`, `"type": "integer"` or a string `enum`.
fn constraint(obj: &Map<String, Value>, ty: &Type, at: &str) -> Result<Constraint, String> {
    if matches!(ty, Type::List(_) | Type::Record(_)) && obj.contains_key("enum") {
        return Err(format!(
            "{at}: `enum` is supported on plain string values only"
        ));
    }
    let scalar = match (obj.get("items").and_then(Value::as_object), ty) {
        (Some(items), Type::List(elem)) if !matches!(**elem, Type::Record(_)) => items,
        (_, Type::List(_) | Type::Record(_)) => return Ok(Constraint::None),
        _ => obj,
    };
    let format = scalar.get("format").and_then(Value::as_str);
    let integer = match scalar.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    };
    if let Some(values) = scalar.get("enum") {
        if *ty.element() != Type::String || format.is_some() {
            return Err(format!(
                "{at}: `enum` is supported on plain string values only"
            ));
        }
        let Some(values) = values.as_array() else {
            return Err(format!("{at}: `enum` must be a list of strings"));
        };
        let strings: Option<Vec<String>> = values
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| v.as_str().map(str::to_string))
            .collect();
        return match strings {
            Some(s) if !s.is_empty() => Ok(Constraint::OneOf(s)),
            _ => Err(format!("{at}: `enum` must be a non-empty list of strings")),
        };
    }
    Ok(match (format, integer) {
        (Some("country"), _) => Constraint::Country,
        (_, true) => Constraint::Integer,
        _ => Constraint::None,
    })
}
