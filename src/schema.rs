//! `covenant schema`: the deal schema — the standard one, or the one the policies given name
//! (a custom schema, or the standard one extended) — as a JSON Schema for editors (`--json`,
//! docs/deals.md "A JSON Schema for editors") or as a listing of its records and fields.

use std::io::Write;
use std::path::PathBuf;

use covenant::schema::{json, Constraint, Field, Schema, Type, ENTITY_KINDS};

use super::check::compile_policies;
use super::style;

#[derive(clap::Args, Debug, Clone)]
pub struct SchemaArgs {
    /// The policies whose deals' schema to show (repeatable); without it, the standard schema.
    #[arg(short, long = "policy", value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// Print a JSON Schema (draft-07), which YAML, JSON and TOML editors validate deals with.
    #[arg(long)]
    pub json: bool,
}

/// Exit codes: `0`; `2` when the policies do not compile.
pub fn run(args: &SchemaArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let schema = if args.policy.is_empty() {
        Schema::standard()
    } else {
        let handler = covenant::report::human::handler(style::stderr(style::from_flag(
            style::ColorWhen::Auto,
        )));
        match compile_policies(&args.policy, err, &handler) {
            Some(policy) => policy.schema,
            None => return 2,
        }
    };
    let text = if args.json {
        json::json_schema_text(&schema)
    } else {
        listing(&schema)
    };
    let _ = out.write_all(text.as_bytes());
    0
}

/// The schema's name, then each record with its fields, one a line: name, type, and what the
/// field must be beyond its type.
fn listing(schema: &Schema) -> String {
    let mut text = format!("{}\n", schema.name);
    for r in &schema.records {
        let fields = r.stored_fields();
        let width = fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
        text.push_str(&format!("\n{}\n", r.name));
        for f in fields {
            let name = &f.name;
            text.push_str(&format!("  {name:width$}  {}\n", field_text(schema, f)));
        }
    }
    text
}

fn field_text(schema: &Schema, f: &Field) -> String {
    let record = |t: &Type| match t {
        Type::Record(id) => Some(format!("{} record", schema.record(*id).name)),
        _ => None,
    };
    let ty = match &f.ty {
        Type::List(t) => match record(t) {
            Some(r) => format!("list of {r}s"),
            None => format!("list of {t}s"),
        },
        t => record(t).unwrap_or_else(|| t.to_string()),
    };
    let mut notes = vec![ty];
    match &f.constraint {
        Constraint::None => {}
        Constraint::Country => notes.push("ISO 3166-1 country codes".into()),
        Constraint::Integer => notes.push("whole numbers".into()),
        Constraint::OneOf(words) => notes.push(format!("one of {}", words.join(", "))),
        Constraint::EntityKind => notes.push(format!("one of {}", ENTITY_KINDS.join(", "))),
        Constraint::DateOrNever => notes.push("or `never`".into()),
    }
    if f.required {
        notes.push("required".into());
    }
    if let Some(s) = &f.singular {
        notes.push(format!("one: {s}"));
    }
    if f.default_empty {
        notes.push("empty when absent".into());
    }
    notes.join("; ")
}
