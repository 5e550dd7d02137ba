//! Bytes → a deal with an entity graph (SPEC §7.1), written in YAML, JSON and TOML: parties
//! and `entities` with kinds (a few outside the six), `owners` edges with stakes, votes and
//! prior values (some past 100%, some naming no entity, some forming cycles), groups and a
//! casting vote. Shared by the `deal_graph` fuzz target and its regression replay
//! (`tests/it/fuzz_regressions.rs`), so both run the same decoding.
#![allow(dead_code)]

use covenant::deal::{DealErrors, Format, Loaded};

/// Names drawn from a small pool, so that they repeat and miss; two need escaping or are not
/// ASCII, to test spans.
const NAMES: [&str; 10] = [
    "Acme Motors",
    "Dragon Motors",
    "Northern Auto HK",
    "FAW Group",
    "SASAC",
    "Big \"Red\" Auto",
    "\u{160}koda Back\\Slash",
    "Beta Capital",
    "acme motors",
    "Nobody",
];
const KINDS: [&str; 8] = [
    "state",
    "state-owned",
    "company",
    "fund",
    "individual",
    "public",
    "State-owned",
    "soe",
];
const COUNTRIES: [&str; 4] = ["CN", "HK", "US", "SG"];

/// The bytes, read one at a time; zeros once they run out.
struct Bytes<'a>(std::slice::Iter<'a, u8>);

impl Bytes<'_> {
    fn next(&mut self) -> usize {
        self.0.next().copied().map_or(0, usize::from)
    }

    fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items
            .get(self.next() % items.len())
            .copied()
            .unwrap_or_default()
    }
}

/// A string as YAML, JSON and TOML all read it in double quotes.
fn q(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One record: its fields as (key, value written in double quotes or as a list).
type Fields = Vec<(&'static str, String)>;

fn share(b: &mut Bytes<'_>) -> Option<String> {
    match b.next() % 8 {
        0 => None,
        1 => Some("100%".into()),
        2 => Some("0%".into()),
        n => Some(format!("{}.5%", (n * 13 + b.next()) % 100)),
    }
}

fn owner(b: &mut Bytes<'_>) -> Fields {
    let mut f: Fields = vec![("name", q(b.pick(&NAMES)))];
    for key in ["stake", "voting", "prior_stake", "prior_voting"] {
        if let Some(s) =
            share(b).filter(|_| !key.starts_with("prior") || b.next().is_multiple_of(4))
        {
            f.push((key, q(&s)));
        }
    }
    if b.next().is_multiple_of(5) {
        f.push(("controls", "true".into()));
    }
    f
}

fn entity(b: &mut Bytes<'_>, party: bool) -> (Fields, Vec<Fields>, bool) {
    // A kind outside the six stops the other checks (they need valid values): rarely.
    let kind = match b.next() % 16 {
        0 => b.pick(&KINDS),
        n => KINDS.get(n % 6).copied().unwrap_or_default(),
    };
    let mut f: Fields = vec![("name", q(b.pick(&NAMES))), ("kind", q(kind))];
    f.push(("country", q(b.pick(&COUNTRIES))));
    if party {
        f.push(("stake", q(&share(b).unwrap_or_else(|| "50%".into()))));
    }
    let has_owners = !b.next().is_multiple_of(3);
    let owners = (0..if has_owners { b.next() % 4 } else { 0 })
        .map(|_| owner(b))
        .collect();
    (f, owners, has_owners)
}

/// The deal the bytes describe, in each of the three formats.
pub fn deal_texts(data: &[u8]) -> [(Format, String); 3] {
    let mut b = Bytes(data.iter());
    let parties: Vec<_> = (0..b.next() % 4).map(|_| entity(&mut b, true)).collect();
    let entities: Vec<_> = (0..b.next() % 12).map(|_| entity(&mut b, false)).collect();
    let groups: Vec<Fields> = (0..b.next() % 3)
        .map(|_| {
            let members: Vec<String> = (0..b.next() % 3).map(|_| q(b.pick(&NAMES))).collect();
            vec![
                ("name", q(b.pick(&NAMES))),
                ("kind", q("concert")),
                ("members", format!("[{}]", members.join(", "))),
            ]
        })
        .collect();
    let casting_vote = (b.next() % 2 == 0).then(|| q(b.pick(&NAMES)));
    let lists = [("parties", parties), ("entities", entities)];
    [
        (Format::Yaml, yaml(&lists, &groups, casting_vote.as_deref())),
        (Format::Json, json(&lists, &groups, casting_vote.as_deref())),
        (Format::Toml, toml(&lists, &groups, casting_vote.as_deref())),
    ]
}

type Lists = [(&'static str, Vec<(Fields, Vec<Fields>, bool)>); 2];

fn inline(f: &Fields, sep: &str) -> String {
    let items: Vec<String> = f.iter().map(|(k, v)| format!("{k}{sep}{v}")).collect();
    format!("{{ {} }}", items.join(", "))
}

fn json(lists: &Lists, groups: &[Fields], casting_vote: Option<&str>) -> String {
    let record = |(f, owners, has): &(Fields, Vec<Fields>, bool)| {
        let mut f: Vec<String> = f.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        if *has {
            let o: Vec<String> = owners.iter().map(inline_json).collect();
            f.push(format!("\"owners\": [{}]", o.join(", ")));
        }
        format!("{{ {} }}", f.join(", "))
    };
    let mut out = String::from("{\n  \"proposal\": \"Graph JV\"");
    for (key, items) in lists {
        let items: Vec<String> = items.iter().map(record).collect();
        out += &format!(",\n  \"{key}\": [\n    {}\n  ]", items.join(",\n    "));
    }
    let g: Vec<String> = groups.iter().map(inline_json).collect();
    out += &format!(",\n  \"groups\": [{}]", g.join(", "));
    if let Some(c) = casting_vote {
        out += &format!(",\n  \"board\": {{ \"casting_vote\": {c} }}");
    }
    out + "\n}\n"
}

fn inline_json(f: &Fields) -> String {
    let items: Vec<String> = f.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
    format!("{{ {} }}", items.join(", "))
}

fn yaml(lists: &Lists, groups: &[Fields], casting_vote: Option<&str>) -> String {
    let mut out = String::from("proposal: \"Graph JV\"\n");
    for (key, items) in lists {
        out += &format!("{key}:\n");
        if items.is_empty() {
            out.pop();
            out += " []\n";
        }
        for (f, owners, has) in items {
            for (i, (k, v)) in f.iter().enumerate() {
                out += &format!("{}{k}: {v}\n", if i == 0 { "  - " } else { "    " });
            }
            if *has {
                out += "    owners:\n";
                if owners.is_empty() {
                    out.pop();
                    out += " []\n";
                }
                for o in owners {
                    out += &format!("      - {}\n", inline(o, ": "));
                }
            }
        }
    }
    let g: Vec<String> = groups.iter().map(|g| inline(g, ": ")).collect();
    out += &format!("groups: [{}]\n", g.join(", "));
    if let Some(c) = casting_vote {
        out += &format!("board:\n  casting_vote: {c}\n");
    }
    out
}

fn toml(lists: &Lists, groups: &[Fields], casting_vote: Option<&str>) -> String {
    let mut out = String::from("proposal = \"Graph JV\"\n");
    if lists.iter().any(|(_, items)| items.is_empty()) {
        for (key, items) in lists {
            if items.is_empty() {
                out += &format!("{key} = []\n");
            }
        }
    }
    let g: Vec<String> = groups.iter().map(|g| inline(g, " = ")).collect();
    out += &format!("groups = [{}]\n", g.join(", "));
    if let Some(c) = casting_vote {
        out += &format!("board = {{ casting_vote = {c} }}\n");
    }
    for (key, items) in lists {
        for (f, owners, has) in items {
            out += &format!("\n[[{key}]]\n");
            for (k, v) in f {
                out += &format!("{k} = {v}\n");
            }
            if *has {
                let o: Vec<String> = owners.iter().map(|o| inline(o, " = ")).collect();
                out += &format!("owners = [{}]\n", o.join(", "));
            }
        }
    }
    out
}

/// What a load shows the user: each error's code and message, or that it loaded.
pub fn outcome(result: &Result<Loaded, DealErrors>) -> Vec<(String, String)> {
    match result {
        Ok(_) => Vec::new(),
        Err(e) => e
            .errors
            .iter()
            .map(|e| (e.code().to_string(), e.message()))
            .collect(),
    }
}
