//! The values deals and policies draw from. Both sides use the same small pools, so rules
//! meet deal values at their boundaries (`50%` against a `50%` stake) and strings match.

use super::ast::{Dom, Q};
use super::rng::Rng;

pub fn q(n: i128, d: i128) -> Q {
    Q::new(n, d)
}

pub fn strings(dom: Dom) -> &'static [&'static str] {
    match dom {
        Dom::Country => &["US", "CN", "DE", "MX", "RU", "JP", "GB"],
        // With a quote and a backslash (escaped in policy strings) and a non-ASCII letter.
        Dom::Name => &[
            "Acme Motors",
            "Dragon Motors",
            "Liberty Auto",
            "Pearl River Tech",
            "Big \"Red\" Auto",
            "\u{160}koda Back\\Slash",
        ],
        Dom::TechCategory => &["battery", "vcs", "ads", "software"],
        Dom::DataCategory => &["personal", "mapping", "corporate"],
        Dom::Transfer => &["license", "assignment", "none"],
        Dom::Region => &["MI", "OH", "TX"],
        Dom::Waiver => &["US-CONTROL", "FEOC", "DATA-LOCAL"],
        Dom::Sector => &["automotive", "energy"],
        Dom::Proposal => &["JV Alpha", "JV Beta"],
        Dom::None => &["cells", "telemetry", "maps"],
    }
}

/// A string a policy compares with: mostly from the pool, sometimes one no deal has, and
/// now and then a near miss of a pool value in another case (never a country code, which
/// must be a valid code, SPEC §13).
pub fn policy_string(rng: &mut Rng, dom: Dom) -> String {
    if rng.chance(8) {
        return match dom {
            Dom::Country => "IR".to_string(),
            _ => "other".to_string(),
        };
    }
    let s = rng.pick(strings(dom)).to_string();
    if dom != Dom::Country && rng.chance(2) {
        return s.to_uppercase();
    }
    s
}

/// Percents in hundredths: boundaries such as 49.5%, 50%, 50.5% and 33.33%.
pub const PERCENTS: &[i128] = &[
    0, 1000, 2000, 2500, 3333, 4000, 4900, 4950, 5000, 5050, 5100, 6000, 7500, 10000,
];

pub fn percent(rng: &mut Rng) -> Q {
    q(*rng.pick(PERCENTS), 10_000)
}

/// Amounts with their currency; most are USD.
pub fn money(rng: &mut Rng) -> (&'static str, Q) {
    let amounts: [i128; 6] = [
        0,
        250_000,
        1_000_000,
        120_000_000,
        1_000_000_000,
        3_500_000_000,
    ];
    let cur = if rng.chance(12) { "EUR" } else { "USD" };
    (cur, Q::from_integer(*rng.pick(&amounts)))
}

pub const DATES: &[&str] = &[
    "2025-12-31",
    "2026-01-01",
    "2026-03-01",
    "2026-06-30",
    "2026-07-01",
    "2026-09-01",
    "2027-01-01",
];

pub fn date(rng: &mut Rng) -> String {
    rng.pick(DATES).to_string()
}

/// A whole number for a field: seats, capacity or subjects.
pub fn count(rng: &mut Rng, key: &str) -> i64 {
    match key {
        "capacity" => *rng.pick(&[0, 50_000, 100_000, 250_000]),
        "subjects" => *rng.pick(&[0, 1_000, 1_000_000, 2_000_000]),
        _ => rng.below(12) as i64,
    }
}

/// A plain number for a policy: small counts and the field values above.
pub fn policy_number(rng: &mut Rng) -> Q {
    let n: [i128; 9] = [0, 1, 2, 3, 4, 5, 7, 100_000, 1_000_000];
    if rng.chance(10) {
        return q(1, 2);
    }
    Q::from_integer(*rng.pick(&n))
}
