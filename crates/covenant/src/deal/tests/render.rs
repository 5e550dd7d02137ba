//! A small value tree written as a deal in YAML (block style), JSON and TOML, so one deal can
//! be loaded in every format and the diagnostics compared.

use super::Format;

/// A deal value: a string, a boolean, a list or a mapping (keys in order).
#[derive(Clone, Debug)]
pub(super) enum V {
    Str(String),
    Bool(bool),
    List(Vec<V>),
    Map(Vec<(String, V)>),
}

pub(super) fn s(text: &str) -> V {
    V::Str(text.into())
}

pub(super) fn map(entries: &[(&str, V)]) -> V {
    V::Map(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

pub(super) fn list(items: &[V]) -> V {
    V::List(items.to_vec())
}

/// `root` (a mapping) as a deal document of `format`.
pub(super) fn render(root: &V, format: Format) -> String {
    match format {
        Format::Json => json(root, 0),
        Format::Yaml => {
            let mut out = String::new();
            yaml_map(root, 0, &mut out);
            out
        }
        Format::Toml => toml(root),
    }
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

fn json(v: &V, indent: usize) -> String {
    let pad = "  ".repeat(indent + 1);
    let end = "  ".repeat(indent);
    match v {
        V::Str(t) => quoted(t),
        V::Bool(b) => b.to_string(),
        V::List(items) if items.is_empty() => "[]".into(),
        V::List(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|i| format!("{pad}{}", json(i, indent + 1)))
                .collect();
            format!("[\n{}\n{end}]", inner.join(",\n"))
        }
        V::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{pad}{}: {}", quoted(k), json(v, indent + 1)))
                .collect();
            format!("{{\n{}\n{end}}}", inner.join(",\n"))
        }
    }
}

/// The entries of a mapping, each on its own line at `indent`.
fn yaml_map(v: &V, indent: usize, out: &mut String) {
    let V::Map(entries) = v else {
        panic!("a mapping")
    };
    let pad = "  ".repeat(indent);
    for (i, (k, v)) in entries.iter().enumerate() {
        // The first entry of a list item follows its `- `.
        if !(i == 0 && out.ends_with("- ")) {
            out.push_str(&pad);
        }
        out.push_str(k);
        out.push(':');
        yaml_value(v, indent, out);
    }
}

fn yaml_value(v: &V, indent: usize, out: &mut String) {
    match v {
        V::Str(t) => out.push_str(&format!(" {}\n", quoted(t))),
        V::Bool(b) => out.push_str(&format!(" {b}\n")),
        V::List(items) if items.is_empty() => out.push_str(" []\n"),
        V::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        V::List(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&"  ".repeat(indent + 1));
                out.push_str("- ");
                match item {
                    V::Map(_) => yaml_map(item, indent + 2, out),
                    other => {
                        out.pop();
                        yaml_value(other, indent + 2, out);
                    }
                }
            }
        }
        V::Map(_) => {
            out.push('\n');
            yaml_map(v, indent + 1, out);
        }
    }
}

/// TOML: the root's scalars and lists of scalars, then a `[[list]]` table per record of a
/// list and a `[table]` per record, with deeper records inline.
fn toml(root: &V) -> String {
    let V::Map(entries) = root else {
        panic!("a mapping")
    };
    let mut out = String::new();
    let is_table = |v: &V| match v {
        V::Map(_) => true,
        V::List(items) => !items.is_empty() && items.iter().all(|i| matches!(i, V::Map(_))),
        _ => false,
    };
    for (k, v) in entries.iter().filter(|(_, v)| !is_table(v)) {
        out.push_str(&format!("{k} = {}\n", toml_inline(v)));
    }
    for (k, v) in entries.iter().filter(|(_, v)| is_table(v)) {
        let tables: Vec<&V> = match v {
            V::List(items) => items.iter().collect(),
            one => vec![one],
        };
        for t in tables {
            let header = if matches!(v, V::List(_)) {
                format!("\n[[{k}]]\n")
            } else {
                format!("\n[{k}]\n")
            };
            out.push_str(&header);
            if let V::Map(fields) = t {
                for (fk, fv) in fields {
                    out.push_str(&format!("{fk} = {}\n", toml_inline(fv)));
                }
            }
        }
    }
    out
}

fn toml_inline(v: &V) -> String {
    match v {
        V::Str(t) => quoted(t),
        V::Bool(b) => b.to_string(),
        V::List(items) => {
            let inner: Vec<String> = items.iter().map(toml_inline).collect();
            format!("[{}]", inner.join(", "))
        }
        V::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{k} = {}", toml_inline(v)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
    }
}
