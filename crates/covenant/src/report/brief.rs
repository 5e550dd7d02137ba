//! The human report's account of a rule that does not pass (and of an exemption), in the words
//! of the deal rather than of the policy: the rule's title, and one sentence (what the deal
//! says, what the rule requires, how to fix it). The deal values it rests on are
//! [`super::deal_values`]. Written from the evaluator's facts; the policy's clauses and source
//! are left to `--verbose` and `explain` (see `docs/reports.md`).

use crate::eval::outcome::{Evidence, Fix, Help, Message, Note, Outcome, Reason, RuleResult};
use crate::resolve::ir::Rule;

use super::words::{element, phrase, reads_as_words, requirement, shown};
use super::{holdings, prose};

/// A rule's title, or, for a rule without one, its id in words (`data-must-stay-onshore` →
/// "Data must stay onshore").
pub fn title(rule: &Rule) -> String {
    match &rule.title {
        Some(t) => t.clone(),
        None => capitalized(&rule.id.replace('-', " ")),
    }
}

/// The sentence of a result that does not pass, or of an exemption, said of `rules` rules
/// (more than one when several rules share it: "so these 5 rules cannot be decided").
pub fn sentence(rule: &Rule, r: &RuleResult, rules: usize) -> String {
    let text = match (&r.message, r.outcome) {
        (Message::Waived(w), _) => format!("exempt by {}", super::waiver::approval(w)),
        (Message::Exempt, _) => match r.exempt.as_deref().filter(|x| reads_as_words(x)) {
            Some(unless) => format!("exempt: the deal meets the rule's exemption: {unless}"),
            None => "exempt: the deal meets the rule's exemption".into(),
        },
        (Message::MayBeOverridden(m), _) => {
            let failed = failure(rule, r, rules);
            format!("{failed}, but {}", super::status::may_override(&m.by))
        }
        (_, Outcome::Fail) => failure(rule, r, rules),
        (_, Outcome::Incomplete) => undecided(r, rules),
        _ => prose::result_message(r).into_owned(),
    };
    finished(&text)
}

/// "the rule" or "these 5 rules".
fn the_rules(rules: usize) -> String {
    if rules == 1 {
        "the rule".into()
    } else {
        format!("these {rules} rules")
    }
}

/// A failure: what the deal says; what the rule requires; how to fix it.
fn failure(rule: &Rule, r: &RuleResult, rules: usize) -> String {
    let facts = Facts::of(&r.evidence);
    let mut text = facts.as_ref().map_or_else(
        || "the deal does not meet the rule".to_string(),
        |f| f.said.clone(),
    );
    if let Some(requires) = facts.as_ref().and_then(|f| f.requires.as_deref()) {
        let verb = if rules == 1 { "requires" } else { "require" };
        text.push_str(&format!("; {} {verb} {requires}", the_rules(rules)));
    }
    if let Some(how) = how(rule, r, facts.as_ref()) {
        text.push_str(" — ");
        text.push_str(&how);
    }
    text
}

/// An incomplete result: why it cannot be decided, and what the deal must give.
fn undecided(r: &RuleResult, rules: usize) -> String {
    let (cause, fix) = match &r.message {
        Message::NoDate { window, field } => {
            let (are, apply) = if rules == 1 {
                ("is", "it applies")
            } else {
                ("are", "they apply")
            };
            let until = window
                .until
                .map(|u| format!(" until {u}"))
                .unwrap_or_default();
            return format!(
                "the deal has no `{field}`, and {} {are} in effect from {}{until}, so whether \
                 {apply} cannot be decided — give the deal a {}, or pass --as-of",
                the_rules(rules),
                window.from,
                field.replace('_', " ")
            );
        }
        Message::CannotDecide { because } => {
            let e = because.and_then(|i| r.evidence.get(i));
            cause_of(e.or_else(|| first_unknown(&r.evidence)))
        }
        Message::WhenUnknown => cause_of(first_unknown(&r.evidence)),
        _ => return prose::result_message(r).into_owned(),
    };
    let mut text = cause;
    text.push_str(&format!(", so {} cannot be decided", the_rules(rules)));
    if let Some(fix) = fix {
        text.push_str(" — ");
        text.push_str(&fix);
    }
    text
}

fn first_unknown(evidence: &[Evidence]) -> Option<&Evidence> {
    evidence.iter().find(|e| {
        matches!(
            e.note,
            Note::Unknown(_) | Note::Presence { absent: true, .. } | Note::NoDate { .. }
        )
    })
}

/// Why a value is unknown, and what would give it: "Pearl River Tech's `stake` is missing",
/// "add it to the deal".
fn cause_of(e: Option<&Evidence>) -> (String, Option<String>) {
    let Some(e) = e else {
        return ("the deal lacks data the rule needs".into(), None);
    };
    let missing = |field: &str, null: bool| {
        let word = if null { "null" } else { "missing" };
        let said = match e.element.as_ref() {
            Some(el) => format!("{} `{field}` is {word}", prose::possessive(&element(el))),
            None if null => format!(
                "the deal's `{}` is null",
                e.path.as_deref().unwrap_or(field)
            ),
            None => format!("the deal has no `{}`", e.path.as_deref().unwrap_or(field)),
        };
        (said, Some("add it to the deal".to_string()))
    };
    match &e.note {
        Note::Unknown(Reason::Missing { field })
        | Note::Presence {
            field,
            absent: true,
        } => missing(field, false),
        Note::Unknown(Reason::Null { field }) => missing(field, true),
        Note::Unknown(reason) => (prose::unknown(reason, e.element.as_ref()), None),
        _ => (prose::note(e), None),
    }
}

/// What a failing result's evidence says, and what the rule requires of it.
struct Facts {
    /// "Pearl River Tech's `stake` is 50%".
    said: String,
    /// "less than 50%"; None when the evidence is a match the rule forbids.
    requires: Option<String>,
    /// The one value said, when there is one: a fix that moves it says "it".
    one: Option<(String, Option<String>)>,
}

impl Facts {
    fn of(evidence: &[Evidence]) -> Option<Facts> {
        let failed: Vec<(usize, &Evidence)> = evidence
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e.note, Note::Test { held: false, .. }))
            .collect();
        if let Some(&(_, first)) = failed.first() {
            let peers: Vec<(usize, &Evidence)> = failed
                .iter()
                .copied()
                .filter(|(_, e)| same_test(e, first))
                .collect();
            return Some(Facts::failed(evidence, &peers));
        }
        let matched: Vec<&Evidence> = evidence
            .iter()
            .filter(|e| matches!(e.note, Note::Test { held: true, .. }))
            .collect();
        if let Some(first) = matched.first() {
            return Some(Facts::matched(first, &matched));
        }
        evidence.first().map(|e| Facts {
            said: match &e.note {
                Note::NoneMatches { item } => format!("no {item} of the deal meets it"),
                Note::Presence { .. } | Note::Unknown(_) => cause_of(Some(e)).0,
                _ => prose::note(e),
            },
            requires: None,
            one: None,
        })
    }

    /// Values that failed one test: "Pearl River Tech's `stake` is 50%", or "`profit_share`
    /// is 33.33% for Acme Motors, 33.33% for Dragon Motors and 33.34% for Sakura Mobility".
    fn failed(evidence: &[Evidence], peers: &[(usize, &Evidence)]) -> Facts {
        let first = peers.first().map(|(_, e)| *e);
        let mut requires = first.and_then(|e| {
            let b = e.bound.as_ref()?;
            Some(requirement(e.op, b, e.value.as_ref()))
        });
        let said = match peers {
            [(at, one)] => format!(
                "{} is {}{}",
                noun(one),
                value_of(one),
                groups_after(evidence, *at)
            ),
            many => {
                if let Some(r) = requires.as_mut() {
                    r.push_str(" for each");
                }
                let values: Vec<String> = many
                    .iter()
                    .map(|(at, e)| match &e.element {
                        Some(el) => format!("{} for {}", value_of(e), name(&element(el))),
                        None => format!("{}{}", value_of(e), groups_after(evidence, *at)),
                    })
                    .collect();
                let of = first.map(field_noun).unwrap_or_default();
                format!("{of} is {}", listed_more(&values, left_out(evidence)))
            }
        };
        let one = match peers {
            [(_, one)] => Some((subject(one), one.element.as_ref().map(element))),
            _ => None,
        };
        Facts {
            said,
            requires,
            one,
        }
    }

    /// Values that matched what the rule forbids (`no technology where …`): "technology
    /// "DragonLink telematics unit" has `category` "vcs" and `origin` "CN"".
    fn matched(first: &Evidence, all: &[&Evidence]) -> Facts {
        let of_first: Vec<&Evidence> = all
            .iter()
            .copied()
            .filter(|e| e.element == first.element)
            .collect();
        let said = match &first.element {
            Some(el) => {
                let parts: Vec<String> = of_first
                    .iter()
                    .map(|e| format!("{} {}", field_or_subject(e), value_of(e)))
                    .collect();
                format!("{} has {}", element(el), listed(&parts))
            }
            None => format!("{} is {}", noun(first), value_of(first)),
        };
        Facts {
            said,
            requires: None,
            one: None,
        }
    }
}

/// The same test of the same field (against the same bound) as `other`'s.
fn same_test(e: &Evidence, other: &Evidence) -> bool {
    e.op == other.op && e.bound == other.bound && field_noun(e) == field_noun(other)
}

/// How many elements of the outermost list the evaluator left out of the evidence ("and 9990
/// more of `party`").
fn left_out(evidence: &[Evidence]) -> usize {
    evidence
        .iter()
        .filter(|e| matches!(e.note, Note::More { .. }) && e.element.is_none())
        .filter_map(|e| e.more)
        .sum()
}

/// "a, b and c"; more than three: "a, b, c and 4 more".
fn listed(items: &[String]) -> String {
    listed_more(items, 0)
}

/// [`listed`], with `extra` more items not given.
fn listed_more(items: &[String], extra: usize) -> String {
    const LISTED: usize = 3;
    let (shown, more) = if items.len() > LISTED + 1 || (extra > 0 && items.len() > LISTED) {
        (
            items.get(..LISTED).unwrap_or(items),
            items.len() - LISTED + extra,
        )
    } else {
        (items, extra)
    };
    match (shown.split_last(), more) {
        (Some((last, rest)), 0) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        (_, 0) => shown.concat(),
        _ => format!("{} and {more} more", shown.join(", ")),
    }
}

/// The subject a piece of evidence tests, as the policy writes it.
fn subject(e: &Evidence) -> String {
    match &e.note {
        Note::Test { subject, .. } | Note::Part { subject } => subject.to_string(),
        _ => String::new(),
    }
}

/// The deal field below an element that a path ends with (`parties[1].stake` → `stake`), or the
/// whole path of a field of the deal itself (`board.seats`); None for a path to an element.
fn field(path: &str) -> Option<&str> {
    if path.ends_with(']') {
        return None;
    }
    Some(path.rsplit_once("].").map_or(path, |(_, f)| f))
}

/// `` `stake` `` for a deal field, else the subject in words.
fn field_or_subject(e: &Evidence) -> String {
    match e.path.as_deref().and_then(field) {
        Some(f) => format!("`{f}`"),
        None => phrase(&subject(e)),
    }
}

/// The field several elements' values are of: `` `profit_share` `` or "the total party stake".
fn field_noun(e: &Evidence) -> String {
    match e.path.as_deref().and_then(field) {
        Some(f) => {
            let mut text = String::with_capacity(f.len() + 2);
            text.push('`');
            text.push_str(f);
            text.push('`');
            text
        }
        None => phrase(&subject(e)),
    }
}

/// Whose value, and of what: "Pearl River Tech's `stake`", "the deal's `cfius_filed`", "the
/// look-through voting of covered state in deal".
fn noun(e: &Evidence) -> String {
    let field = e.path.as_deref().and_then(field);
    match (&e.element, field) {
        (Some(el), Some(f)) => format!("{} `{f}`", prose::possessive(&element(el))),
        (Some(el), None) => format!("{} of {}", phrase(&subject(e)), name(&element(el))),
        (None, Some(f)) => format!("the deal's `{f}`"),
        (None, None) => phrase(&subject(e)),
    }
}

/// `party "Dragon Motors"` → `Dragon Motors`; `plant #2` as it is.
fn name(label: &str) -> String {
    match (label.find('"'), label.rfind('"')) {
        (Some(a), Some(b)) if b > a => label.get(a + 1..b).unwrap_or(label).to_string(),
        _ => label.to_string(),
    }
}

fn value_of(e: &Evidence) -> String {
    e.value.as_ref().map_or_else(|| "unknown".into(), shown)
}

/// " for Acme Motors": the groups of `AGG X per K` that follow the test at `at` in the
/// evidence (the values per group it tested).
fn groups_after(evidence: &[Evidence], at: usize) -> String {
    let keys: Vec<String> = evidence
        .iter()
        .skip(at + 1)
        .map_while(|e| match &e.note {
            Note::Group(g) => Some(holdings::key(&g.key)),
            _ => None,
        })
        .collect();
    if keys.is_empty() {
        String::new()
    } else {
        format!(" for {}", listed(&keys))
    }
}

/// How to fix a failure: the move of the value, by how much, then the rule's own help.
fn how(rule: &Rule, r: &RuleResult, facts: Option<&Facts>) -> Option<String> {
    let fix = match &r.help {
        Some(Help::Fix(f)) => Some(fix(f, facts)),
        _ => None,
    };
    match (fix, rule.help.as_deref()) {
        (Some(f), Some(h)) => Some(format!("{f}; {h}")),
        (Some(f), None) => Some(f),
        (None, h) => h.map(str::to_string),
    }
}

/// "reduce it below 50%" when the fix moves the one value said, else the help line's words.
fn fix(f: &Fix, facts: Option<&Facts>) -> String {
    let this = Some((f.subject.to_string(), f.element.as_ref().map(element)));
    if facts.is_some_and(|x| x.one.is_some() && x.one == this) {
        prose::fix_with(f, "it")
    } else {
        prose::help(&Help::Fix(Box::new(f.clone())))
    }
}

/// A sentence as printed: its first letter a capital (unless it starts with a quote or a
/// code span), ending with a full stop.
fn finished(text: &str) -> String {
    let mut out = capitalized(text.trim_end());
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => {
            let mut out = String::with_capacity(text.len() + 2);
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
            out
        }
        None => String::new(),
    }
}

#[cfg(test)]
#[path = "brief_tests.rs"]
mod tests;
