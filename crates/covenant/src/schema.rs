//! Deal schemas: the built-in standard JV proposal schema (v1) and custom JSON Schemas.
//!
//! A record's fields are numbered; the loader stores a record as one slot per field, so an
//! evaluation step is an index, never a name lookup.

use std::fmt;

#[path = "schema_json.rs"]
pub mod json;

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
    /// One of [`ENTITY_KINDS`] (SPEC §7.1): `covenant::deal::bad-kind`.
    EntityKind,
    /// A date field that also takes the word `never` (an approval's `expires`, SPEC §10),
    /// read as [`crate::value::Scalar::Never`]; any other text is `covenant::deal::bad-date`.
    DateOrNever,
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
    /// A field whose value evaluation computes (SPEC §7, §8) instead of reading its slot.
    pub computed: Option<Computed>,
}

impl Field {
    /// A plain stored field of type `ty`: optional, no singular, no constraint.
    pub fn new(name: &str, ty: Type) -> Field {
        Field {
            name: name.into(),
            ty,
            singular: None,
            required: false,
            default_empty: false,
            constraint: Constraint::None,
            computed: None,
        }
    }

    /// Whether a deal document holds this field (a key the loader reads into its slot).
    pub fn is_stored(&self) -> bool {
        matches!(self.computed, None | Some(Computed::AllEntities))
    }
}

/// How evaluation computes a field that the deal does not hold as written (SPEC §7.1–§7.3,
/// §8). Computed-only fields come after the stored ones in their record, so a record's slots
/// are exactly its stored fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Computed {
    /// The root's `entities`: stored (the deal's `entities` list), but a phrase reads every
    /// entity, the parties first.
    AllEntities,
    /// `controller` of an entity: the end of its chain of control (SPEC §7.3).
    Controller,
    /// `bloc` of an entity: the first group linked to it by shared members, else its name.
    Bloc,
    /// A field of an owner edge that reads the named entity's field of this index in the
    /// entity record (`owner country`, `owner controller`).
    Linked(usize),
    /// A `define` item definition, by its index in the compiled policy.
    Define(usize),
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

    /// The fields a deal document holds: a prefix of [`RecordSchema::fields`], one slot each.
    pub fn stored_fields(&self) -> &[Field] {
        let n = self
            .fields
            .iter()
            .position(|f| !f.is_stored())
            .unwrap_or(self.fields.len());
        self.fields.get(..n).unwrap_or_default()
    }
}

/// Fields added to the records of the standard schema (`schema "…" extends standard`, SPEC
/// §8), by record id.
#[derive(Clone, Debug, Default)]
pub struct Additions {
    pub fields: Vec<Vec<Field>>,
}

/// A deal schema: record types, the first being the root.
#[derive(Clone, Debug)]
pub struct Schema {
    pub name: String,
    pub records: Vec<RecordSchema>,
    /// What loading keeps of the schema, made at its first deal ([`LoadPlan`]).
    pub plan: LoadPlan,
}

/// A cache loading keeps with the schema (what it needs to know of it beyond its fields), made
/// at the first deal the schema loads: opaque here, it is the loader's (`deal::plan`). A
/// clone starts without one.
#[derive(Default)]
pub struct LoadPlan(std::sync::OnceLock<Box<Kept>>);

/// What a [`LoadPlan`] holds: any value that can be shared between threads and across a
/// caught panic.
type Kept = dyn std::any::Any + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe;

impl LoadPlan {
    pub(crate) fn get_or_init(
        &self,
        make: impl FnOnce() -> Box<Kept>,
    ) -> &(dyn std::any::Any + Send + Sync) {
        self.0.get_or_init(make).as_ref()
    }
}

impl Clone for LoadPlan {
    fn clone(&self) -> LoadPlan {
        LoadPlan::default()
    }
}

impl fmt::Debug for LoadPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LoadPlan")
    }
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

    /// The standard JV proposal schema of SPEC §1 and §7.1.
    pub fn standard() -> Schema {
        Self::standard_with(&Additions::default())
    }

    /// The standard schema with fields added to its records (`schema "…" extends standard`,
    /// SPEC §8): each record's added fields follow its stored fields; an entity's follow the
    /// entity fields in both the entity and the party record.
    ///
    /// An entity record's fields are a prefix of a party record's, in the same order (parties
    /// are entities, SPEC §7.1): a step that reads an entity field by index reads the same
    /// field of either. The computed fields (`controller`, `bloc`) come after the stored ones.
    pub fn standard_with(added: &Additions) -> Schema {
        let more = |record: RecordId| added.fields.get(record.0).cloned().unwrap_or_default();
        use Type::*;
        let f = |name: &str, ty: Type| Field {
            constraint: standard_constraint(name),
            ..Field::new(name, ty)
        };
        let list = |name: &str, singular: &str, elem: Type, default_empty: bool| Field {
            singular: Some(singular.into()),
            default_empty,
            ..f(name, Type::list(elem))
        };
        let computed = |name: &str, ty: Type, c: Computed| Field {
            computed: Some(c),
            ..Field::new(name, ty)
        };
        let mut proposal = f("proposal", String);
        proposal.required = true;
        let mut entities = list("entities", "entity", Record(Self::ENTITY), true);
        entities.computed = Some(Computed::AllEntities);
        let mut kind = f("kind", String);
        kind.constraint = Constraint::EntityKind;
        let entity_fields = vec![
            f("name", String),
            kind,
            f("country", String),
            f("state", String),
            list("owners", "owner", Record(Self::OWNER), false),
        ]
        .into_iter()
        .chain(more(Self::ENTITY))
        .collect::<Vec<_>>();
        let entity_computed = vec![
            computed("controller", Record(Self::ENTITY), Computed::Controller),
            computed("bloc", String, Computed::Bloc),
        ];
        let party_fields = entity_fields
            .iter()
            .cloned()
            .chain([
                f("stake", Percent),
                f("voting", Percent),
                f("board_seats", Number),
                f("government_stake", Percent),
                f("profit_share", Percent),
                f("subsidies", Money),
                f("prior_stake", Percent),
                f("prior_voting", Percent),
                list("vetoes", "veto", String, true),
                list("appointments", "appointment", String, true),
            ])
            .chain(more(Self::PARTY))
            .chain(entity_computed.iter().cloned())
            .collect();
        // An owner, an item of `entities` and a group are known by their name, which other
        // places use (SPEC §7.1); a party's name stays optional, as in v1.
        let named = |name: &str| Field {
            required: true,
            ..f(name, String)
        };
        let owner_edge = [
            named("name"),
            f("stake", Percent),
            f("voting", Percent),
            f("prior_stake", Percent),
            f("prior_voting", Percent),
            f("board_seats", Number),
            f("controls", Bool),
        ]
        .into_iter()
        .chain(more(Self::OWNER))
        .collect::<Vec<_>>();
        // An owner reaches the named entity's fields, except `name` (the edge's own).
        let linked = entity_fields
            .iter()
            .chain(&entity_computed)
            .enumerate()
            .filter(|(_, e)| owner_edge.iter().all(|o| o.name != e.name))
            .map(|(i, e)| Field {
                computed: Some(Computed::Linked(i)),
                required: false,
                default_empty: false,
                ..e.clone()
            })
            .collect::<Vec<_>>();
        Schema {
            plan: LoadPlan::default(),
            name: "standard JV proposal schema v2".into(),
            records: vec![
                RecordSchema {
                    name: "deal".into(),
                    fields: vec![
                        proposal,
                        f("date", Date),
                        // The deal's other dates, which a window may test (SPEC §9).
                        f("signing_date", Date),
                        f("closing_date", Date),
                        f("implementation_date", Date),
                        f("jurisdiction", String),
                        f("sector", String),
                        f("cfius_filed", Bool),
                        f("investment", Money),
                        list("waivers", "waiver", String, true),
                        list("parties", "party", Record(Self::PARTY), false),
                        f("board", Record(Self::BOARD)),
                        list("technology", "technology", Record(Self::TECH), true),
                        list("data", "data", Record(Self::DATA), true),
                        list("plants", "plant", Record(Self::PLANT), true),
                        entities,
                        list("groups", "group", Record(Self::GROUP), true),
                        list("approvals", "approval", Record(Self::APPROVAL), true),
                    ]
                    .into_iter()
                    .chain(more(Self::ROOT))
                    .collect(),
                },
                RecordSchema {
                    name: "party".into(),
                    fields: party_fields,
                },
                RecordSchema {
                    name: "board".into(),
                    fields: vec![
                        f("seats", Number),
                        f("chair", String),
                        f("casting_vote", String),
                    ]
                    .into_iter()
                    .chain(more(Self::BOARD))
                    .collect(),
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
                    ]
                    .into_iter()
                    .chain(more(Self::TECH))
                    .collect(),
                },
                RecordSchema {
                    name: "data".into(),
                    fields: vec![
                        f("name", String),
                        f("category", String),
                        f("location", String),
                        f("subjects", Number),
                        list("transfers", "transfer", String, true),
                    ]
                    .into_iter()
                    .chain(more(Self::DATA))
                    .collect(),
                },
                RecordSchema {
                    name: "plant".into(),
                    fields: vec![
                        f("country", String),
                        f("region", String),
                        f("capacity", Number),
                        f("local_content", Percent),
                    ]
                    .into_iter()
                    .chain(more(Self::PLANT))
                    .collect(),
                },
                RecordSchema {
                    name: "entity".into(),
                    fields: std::iter::once(named("name"))
                        .chain(entity_fields.into_iter().skip(1))
                        .chain(entity_computed)
                        .collect(),
                },
                RecordSchema {
                    name: "owner".into(),
                    fields: owner_edge.into_iter().chain(linked).collect(),
                },
                RecordSchema {
                    name: "group".into(),
                    fields: vec![
                        named("name"),
                        f("kind", String),
                        list("members", "member", String, true),
                    ]
                    .into_iter()
                    .chain(more(Self::GROUP))
                    .collect(),
                },
                RecordSchema {
                    name: "approval".into(),
                    fields: approval_fields(more(Self::APPROVAL)),
                },
            ],
        }
    }

    /// The record types of the standard schema (SPEC §1, §7.1).
    pub const PARTY: RecordId = RecordId(1);
    pub const BOARD: RecordId = RecordId(2);
    pub const TECH: RecordId = RecordId(3);
    pub const DATA: RecordId = RecordId(4);
    pub const PLANT: RecordId = RecordId(5);
    pub const ENTITY: RecordId = RecordId(6);
    pub const OWNER: RecordId = RecordId(7);
    pub const GROUP: RecordId = RecordId(8);
    pub const APPROVAL: RecordId = RecordId(9);
}

/// The fields of an approval (SPEC §10), then the fields an extension adds: the decision's
/// `id`, its free-text `kind`, the `authority` that took it, the `rules` it exempts (rule ids),
/// the `parties` it is limited to (entity names), and its validity `granted` … `expires` (a
/// date or `never`). All are optional: a waiver without `authority`, `granted` or `expires`
/// exempts nothing (`covenant::waiver::incomplete`).
fn approval_fields(added: Vec<Field>) -> Vec<Field> {
    let f = |name: &str, ty: Type| Field::new(name, ty);
    let list = |name: &str, singular: &str| Field {
        singular: Some(singular.into()),
        default_empty: true,
        ..Field::new(name, Type::list(Type::String))
    };
    let expires = Field {
        constraint: Constraint::DateOrNever,
        ..Field::new("expires", Type::Date)
    };
    vec![
        f("id", Type::String),
        f("kind", Type::String),
        f("authority", Type::String),
        list("rules", "rule"),
        list("parties", "party"),
        f("granted", Type::Date),
        expires,
        f("reference", Type::String),
    ]
    .into_iter()
    .chain(added)
    .collect()
}

/// The kinds of entity (SPEC §7.1): any other `kind` of an entity is
/// `covenant::deal::bad-kind`.
pub const ENTITY_KINDS: [&str; 6] = [
    "state",
    "state-owned",
    "company",
    "fund",
    "individual",
    "public",
];

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
            ("party", "kind", Constraint::EntityKind),
            ("party", "country", Constraint::Country),
            ("party", "state", Constraint::Country),
            ("party", "board_seats", Constraint::Integer),
            ("board", "seats", Constraint::Integer),
            ("technology", "origin", Constraint::Country),
            ("data", "location", Constraint::Country),
            ("data", "subjects", Constraint::Integer),
            ("data", "transfers", Constraint::Country),
            ("plant", "country", Constraint::Country),
            ("entity", "kind", Constraint::EntityKind),
            ("entity", "country", Constraint::Country),
            ("entity", "state", Constraint::Country),
            ("owner", "board_seats", Constraint::Integer),
            ("owner", "kind", Constraint::EntityKind),
            ("owner", "country", Constraint::Country),
            ("owner", "state", Constraint::Country),
            ("approval", "expires", Constraint::DateOrNever),
        ];
        let want: Vec<(String, String, Constraint)> = want
            .into_iter()
            .map(|(r, f, c)| (r.to_string(), f.to_string(), c))
            .collect();
        assert_eq!(checked, want);
    }

    #[test]
    fn an_entity_is_a_prefix_of_a_party() {
        let s = Schema::standard();
        let entity = s.record(Schema::ENTITY).stored_fields();
        let party = s.record(Schema::PARTY).stored_fields();
        let names = |fs: &[Field]| fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(entity), names(party.get(..entity.len()).unwrap()));
        assert_eq!(
            names(entity),
            ["name", "kind", "country", "state", "owners"]
        );
        // Computed fields are not stored; an owner reads the entity's fields through its name.
        let owner = s.record(Schema::OWNER);
        assert_eq!(owner.stored_fields().len(), 7);
        let country = owner.field_index("country").unwrap();
        let linked = owner.fields[country].computed.clone();
        assert_eq!(linked, Some(Computed::Linked(2)));
        assert_eq!(
            s.record(Schema::ENTITY).fields[5].computed,
            Some(Computed::Controller)
        );
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
