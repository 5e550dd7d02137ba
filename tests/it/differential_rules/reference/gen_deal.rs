//! Random deals within the standard schema (SPEC §1): fields left out, empty lists, a
//! missing `parties`, currencies that differ. A few deals carry data a pending fix is about
//! (a near-miss spelling, a non-ISO country code, a fractional count, two parties of one
//! name).

use serde_json::{json, Map, Value};

use super::ast::{Dom, Rec, Ty};
use super::pending::Pending;
use super::pools;
use super::print::{decimal, underscores};
use super::rng::Rng;

pub struct GenDeal {
    pub json: Value,
    /// Why the deal is invalid under the SPEC (and the pending fix that makes it so).
    pub invalid: Option<Pending>,
}

pub fn deal(rng: &mut Rng) -> GenDeal {
    let mut root = Map::new();
    root.insert("proposal".into(), json!(string(rng, Dom::Proposal)));
    optional(rng, &mut root, 85, "date", |r| json!(pools::date(r)));
    // Half the deals are hosted in the US, which some batches' header asks for.
    optional(rng, &mut root, 85, "jurisdiction", |r| match r.chance(45) {
        true => json!("US"),
        false => json!(string(r, Dom::Country)),
    });
    optional(rng, &mut root, 80, "sector", |r| {
        json!(string(r, Dom::Sector))
    });
    optional(rng, &mut root, 80, "cfius_filed", |r| json!(r.chance(50)));
    optional(rng, &mut root, 80, "investment", |r| {
        typed(r, Ty::Money, "")
    });
    if rng.chance(55) {
        let n = rng.below(3);
        let waivers: Vec<Value> = (0..n).map(|_| json!(string(rng, Dom::Waiver))).collect();
        root.insert("waivers".into(), Value::Array(waivers));
    } else if rng.chance(5) {
        root.insert("waivers".into(), Value::Null);
    }
    for rec in Rec::ALL {
        if let Some(list) = records(rng, rec) {
            root.insert(rec.key().into(), list);
        }
    }
    if rng.chance(85) {
        let mut board = Map::new();
        optional(rng, &mut board, 85, "seats", |r| {
            json!(pools::count(r, "seats"))
        });
        optional(rng, &mut board, 80, "chair", |r| {
            json!(string(r, Dom::Name))
        });
        root.insert("board".into(), Value::Object(board));
    }
    let mut json = Value::Object(root);
    let invalid = corrupt(rng, &mut json).or_else(|| same_names(&json));
    GenDeal { json, invalid }
}

/// Two parties of one name: the deal is invalid (SPEC §7.1, §15: party names are unique).
fn same_names(deal: &Value) -> Option<Pending> {
    let parties = deal["parties"].as_array()?;
    let names: Vec<&str> = parties.iter().filter_map(|p| p["name"].as_str()).collect();
    let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
    (unique.len() < names.len()).then_some(Pending::UniqueNames)
}

/// Parties mostly get names of their own; a few deals keep a repeated name, which the SPEC
/// makes invalid.
fn distinct_names(rng: &mut Rng, items: &mut [Value]) {
    if rng.chance(5) {
        return;
    }
    let mut used: Vec<String> = Vec::new();
    for item in items {
        let Some(name) = item["name"].as_str().map(str::to_string) else {
            continue;
        };
        if used.contains(&name) {
            let free = pools::strings(Dom::Name)
                .iter()
                .find(|n| !used.iter().any(|u| u == *n));
            match free {
                Some(free) => {
                    item["name"] = json!(free);
                    used.push(free.to_string());
                }
                None => {
                    item.as_object_mut().map(|m| m.remove("name"));
                }
            }
        } else {
            used.push(name);
        }
    }
}

fn optional(
    rng: &mut Rng,
    map: &mut Map<String, Value>,
    percent: u32,
    key: &str,
    value: impl FnOnce(&mut Rng) -> Value,
) {
    if rng.chance(percent) {
        let v = value(rng);
        map.insert(key.into(), v);
    } else if rng.chance(20) {
        // `null` is missing, as an absent field (docs/semantics.md).
        map.insert(key.into(), Value::Null);
    }
}

/// A string of the pool; a few non-country strings are near misses of a pool value
/// (`"VCS"`, `" license"`), which the SPEC makes unknown (§2.6).
fn string(rng: &mut Rng, dom: Dom) -> String {
    let s = rng.pick(pools::strings(dom)).to_string();
    if dom == Dom::Country || !rng.chance(3) {
        return s;
    }
    match rng.below(3) {
        0 => s.to_uppercase(),
        1 => format!("{s} "),
        _ => format!(" {}", s.to_lowercase()),
    }
}

/// A typed scalar as the deal writes it: `"51%"`, `"USD 3.5B"`, a number.
fn typed(rng: &mut Rng, ty: Ty, key: &str) -> Value {
    match ty {
        Ty::Pct => json!(format!(
            "{}%",
            decimal(&(pools::percent(rng) * pools::q(100, 1)))
        )),
        Ty::Money => {
            let (cur, amount) = pools::money(rng);
            let text = decimal(&amount);
            // Some amounts with a suffix or `_` separators, as deals write them.
            let written = match (rng.below(3), text.len()) {
                (0, n) if n > 6 && text.ends_with("000000") => {
                    format!("{}M", decimal(&(amount / pools::q(1_000_000, 1))))
                }
                (1, n) if n > 3 => underscores(&text),
                _ => text,
            };
            json!(format!("{cur} {written}"))
        }
        Ty::Num => json!(pools::count(rng, key)),
        Ty::Bool => json!(rng.chance(50)),
        Ty::Date => json!(pools::date(rng)),
        Ty::Str => Value::Null,
    }
}

/// A list of records, or `None` to leave it out (a missing `parties`; an empty default for
/// the others). A `null` list is missing, whichever list it is.
fn records(rng: &mut Rng, rec: Rec) -> Option<Value> {
    match rng.below(20) {
        0 | 1 => return None,
        2 | 3 => return Some(json!([])),
        4 => return Some(Value::Null),
        _ => {}
    }
    let n = 1 + rng.below(4);
    let mut items: Vec<Value> = (0..n).map(|_| record(rng, rec)).collect();
    if rec == Rec::Party {
        distinct_names(rng, &mut items);
    }
    Some(Value::Array(items))
}

fn record(rng: &mut Rng, rec: Rec) -> Value {
    let mut map = Map::new();
    for f in rec.fields() {
        if !rng.chance(88) {
            if rng.chance(20) {
                map.insert(f.key.into(), Value::Null);
            }
            continue;
        }
        let v = match f.ty {
            Ty::Str => json!(string(rng, f.dom)),
            ty => typed(rng, ty, f.key),
        };
        map.insert(f.key.into(), v);
    }
    if rec == Rec::Data && rng.chance(75) {
        let n = rng.below(3);
        let to: Vec<Value> = (0..n)
            .map(|_| json!(rng.pick(pools::strings(Dom::Country)).to_string()))
            .collect();
        map.insert("transfers".into(), Value::Array(to));
    }
    Value::Object(map)
}

/// Rarely, data the SPEC rejects: a country that is not an ISO 3166-1 alpha-2 code (§13),
/// or a fractional count (§8).
fn corrupt(rng: &mut Rng, deal: &mut Value) -> Option<Pending> {
    if rng.chance(2) {
        let bad = *rng.pick(&["UK", "cn", "China", "CHN"]);
        deal["jurisdiction"] = json!(bad);
        return Some(Pending::CountryCodes);
    }
    if rng.chance(2) {
        deal["board"] = json!({"seats": 6.5, "chair": "Acme Motors"});
        return Some(Pending::WholeNumbers);
    }
    None
}
