//! Deal schemas: the built-in standard JV proposal schema (v1) and custom JSON Schemas.
//!
//! A record's fields are numbered; the loader stores a record as one slot per field, so an
//! evaluation step is an index, never a name lookup.

use std::fmt;

/// The static type of a deal value or an expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Number,
    Percent,
    /// Money of some currency; the currency is known only at run time.
    Money,
    Date,
    String,
    Bool,
    List(Box<Type>),
    Record(RecordId),
}

impl Type {
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }

    pub fn is_list(&self) -> bool {
        matches!(self, Type::List(_))
    }

    /// The element type of a list, or the type itself.
    pub fn element(&self) -> &Type {
        match self {
            Type::List(t) => t,
            t => t,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Number => f.write_str("number"),
            Type::Percent => f.write_str("percent"),
            Type::Money => f.write_str("money"),
            Type::Date => f.write_str("date"),
            Type::String => f.write_str("string"),
            Type::Bool => f.write_str("bool"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Record(_) => f.write_str("record"),
        }
    }
}

/// Index of a record type in its schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecordId(pub usize);

/// What a scalar field's value (or each element of a list field) must be beyond its type,
/// checked when a deal is loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Constraint {
    #[default]
    None,
    /// An assigned ISO 3166-1 alpha-2 code (SPEC §13): `covenant::deal::bad-country`.
    Country,
    /// A whole number (SPEC §8): `covenant::deal::not-an-integer`.
    Integer,
    /// One of these strings (a custom schema's `enum`): `covenant::deal::not-in-enum`.
    OneOf(Vec<String>),
}

/// The country fields of the standard schema (SPEC §13), by name, wherever they appear: a
/// record of the standard schema that gains one of these fields gains its check.
pub const COUNTRY_FIELDS: [&str; 6] = [
    "jurisdiction",
    "country",
    "state",
    "origin",
    "location",
    "transfers",
];

/// The counts of the standard schema, which take whole numbers only (SPEC §8).
pub const WHOLE_NUMBER_FIELDS: [&str; 3] = ["seats", "board_seats", "subjects"];

/// One field of a record.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub ty: Type,
    /// The singular used to name one element of a list field (`parties` → `party`).
    pub singular: Option<String>,
    pub required: bool,
    /// An optional list that defaults to empty when absent.
    pub default_empty: bool,
    /// What the value (each element of a list) must be beyond its type.
    pub constraint: Constraint,
}

/// A record type: an ordered list of fields.
#[derive(Clone, Debug)]
pub struct RecordSchema {
    pub name: String,
    pub fields: Vec<Field>,
}

impl RecordSchema {
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// A deal schema: record types, the first being the root.
#[derive(Clone, Debug)]
pub struct Schema {
    pub name: String,
    pub records: Vec<RecordSchema>,
}

impl Schema {
    pub const ROOT: RecordId = RecordId(0);

    pub fn record(&self, id: RecordId) -> &RecordSchema {
        // Record ids are only created by the schema itself, so they are always in range; a
        // schema without records (never built) reads as one empty record.
        static EMPTY: RecordSchema = RecordSchema {
            name: String::new(),
            fields: Vec::new(),
        };
        self.records
            .get(id.0)
            .or_else(|| self.records.last())
            .unwrap_or(&EMPTY)
    }

    pub fn root(&self) -> &RecordSchema {
        self.record(Self::ROOT)
    }

    /// The standard JV proposal schema (v1) of SPEC §1.
    pub fn standard() -> Schema {
        use Type::*;
        let f = |name: &str, ty: Type| Field {
            name: name.into(),
            ty,
            singular: None,
            required: false,
            default_empty: false,
            constraint: standard_constraint(name),
        };
        let list = |name: &str, singular: &str, elem: Type, default_empty: bool| Field {
            name: name.into(),
            ty: Type::list(elem),
            singular: Some(singular.into()),
            required: false,
            default_empty,
            constraint: standard_constraint(name),
        };
        const DEAL: RecordId = RecordId(0);
        const PARTY: RecordId = RecordId(1);
        const BOARD: RecordId = RecordId(2);
        const TECH: RecordId = RecordId(3);
        const DATA: RecordId = RecordId(4);
        const PLANT: RecordId = RecordId(5);
        let _ = DEAL;
        let mut proposal = f("proposal", String);
        proposal.required = true;
        Schema {
            name: "standard JV proposal schema v1".into(),
            records: vec![
                RecordSchema {
                    name: "deal".into(),
                    fields: vec![
                        proposal,
                        f("date", Date),
                        f("jurisdiction", String),
                        f("sector", String),
                        f("cfius_filed", Bool),
                        f("investment", Money),
                        list("waivers", "waiver", String, true),
                        list("parties", "party", Record(PARTY), false),
                        f("board", Record(BOARD)),
                        list("technology", "technology", Record(TECH), true),
                        list("data", "data", Record(DATA), true),
                        list("plants", "plant", Record(PLANT), true),
                    ],
                },
                RecordSchema {
                    name: "party".into(),
                    fields: vec![
                        f("name", String),
                        f("country", String),
                        f("stake", Percent),
                        f("voting", Percent),
                        f("board_seats", Number),
                        f("government_stake", Percent),
                        f("profit_share", Percent),
                        f("subsidies", Money),
                    ],
                },
                RecordSchema {
                    name: "board".into(),
                    fields: vec![f("seats", Number), f("chair", String)],
                },
                RecordSchema {
                    name: "technology".into(),
                    fields: vec![
                        f("name", String),
                        f("owner", String),
                        f("origin", String),
                        f("category", String),
                        f("transfer", String),
                        f("source_code_escrow", Bool),
                    ],
                },
                RecordSchema {
                    name: "data".into(),
                    fields: vec![
                        f("name", String),
                        f("category", String),
                        f("location", String),
                        f("subjects", Number),
                        list("transfers", "transfer", String, true),
                    ],
                },
                RecordSchema {
                    name: "plant".into(),
                    fields: vec![
                        f("country", String),
                        f("region", String),
                        f("capacity", Number),
                        f("local_content", Percent),
                    ],
                },
            ],
        }
    }
}

/// The check a field of the standard schema gets by its name.
fn standard_constraint(name: &str) -> Constraint {
    if COUNTRY_FIELDS.contains(&name) {
        Constraint::Country
    } else if WHOLE_NUMBER_FIELDS.contains(&name) {
        Constraint::Integer
    } else {
        Constraint::None
    }
}

/// The singular of a list field name by SPEC §2.3: `ies`→`y`, `(s|x|z|ch|sh)es`→stem,
/// `s`→nothing; `data` stays `data`; otherwise the name itself.
pub fn singular_of(name: &str) -> String {
    if name == "data" {
        return name.into();
    }
    if let Some(stem) = name.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if let Some(stem) = name.strip_suffix("es") {
        if stem.ends_with(['s', 'x', 'z']) || stem.ends_with("ch") || stem.ends_with("sh") {
            return stem.into();
        }
    }
    if let Some(stem) = name.strip_suffix('s') {
        if !stem.is_empty() {
            return stem.into();
        }
    }
    name.into()
}

/// A type with its article, as messages name it: "a percent", "a list of records".
pub fn describe(ty: &Type) -> String {
    match ty {
        Type::Record(_) => "a record".into(),
        Type::List(t) if matches!(**t, Type::Record(_)) => "a list of records".into(),
        Type::List(t) => format!("a list of {t}s"),
        t => format!("a {t}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_country_and_count_fields_are_checked() {
        let s = Schema::standard();
        let checked: Vec<(String, String, Constraint)> = s
            .records
            .iter()
            .flat_map(|r| {
                r.fields
                    .iter()
                    .filter(|f| f.constraint != Constraint::None)
                    .map(|f| (r.name.clone(), f.name.clone(), f.constraint.clone()))
            })
            .collect();
        let want = [
            ("deal", "jurisdiction", Constraint::Country),
            ("party", "country", Constraint::Country),
            ("party", "board_seats", Constraint::Integer),
            ("board", "seats", Constraint::Integer),
            ("technology", "origin", Constraint::Country),
            ("data", "location", Constraint::Country),
            ("data", "subjects", Constraint::Integer),
            ("data", "transfers", Constraint::Country),
            ("plant", "country", Constraint::Country),
        ];
        let want: Vec<(String, String, Constraint)> = want
            .into_iter()
            .map(|(r, f, c)| (r.to_string(), f.to_string(), c))
            .collect();
        assert_eq!(checked, want);
    }

    #[test]
    fn singulars() {
        assert_eq!(singular_of("parties"), "party");
        assert_eq!(singular_of("plants"), "plant");
        assert_eq!(singular_of("boxes"), "box");
        assert_eq!(singular_of("branches"), "branch");
        assert_eq!(singular_of("data"), "data");
        assert_eq!(singular_of("technology"), "technology");
    }
}
