//! The Tracing mode's records, from which `explain` builds its trace: every element of a
//! quantifier or an implicit each, as the evaluator judged it.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

use crate::deal::{self, Format, LoadOptions};
use crate::resolve::{compile_str, Policy};
use crate::source::SourceFile;

use super::super::expr::{Evaluator, Facts, Judgement, Record, Tracing, Tv, WithEvidence};
use super::super::note::Vacuous;
use super::super::outcome::Message;

fn policy(text: &str) -> Policy {
    compile_str("t.policy", text).map(|c| c.policy).unwrap()
}

fn deal(p: &Policy, json: &str) -> crate::deal::tree::Deal {
    let source = SourceFile::new("d.json", json);
    let options = LoadOptions::default();
    deal::load(
        source,
        "d.json".into(),
        1,
        Format::Json,
        &p.schema,
        &options,
    )
    .unwrap()
    .deal
}

const PARTIES: &str = r#"{"proposal":"x","parties":[
    {"name":"A","country":"US","stake":"60%"},
    {"name":"B","country":"CN","stake":"55%"},
    {"name":"C","stake":"10%"}]}"#;

#[test]
fn a_quantifier_records_each_element_with_its_membership_and_body() {
    let p = policy("rule r: every party where country != \"US\": stake < 50%\n");
    let d = deal(&p, PARTIES);
    let mut ev = Evaluator::new(&p, &d);
    let mut j: Judgement<'_, Tracing> = ev.truth(&p.rules[0].require[0]);
    assert_eq!(j.tv, Tv::False);
    let Some(Record::Quant(elements)) = j.facts.take_record() else {
        panic!("no record")
    };
    let judged: Vec<(Tv, Option<Tv>)> = elements.iter().map(|e| (e.member, e.body)).collect();
    // A is not a member; B is, and fails; C's country is missing: it may be, and holds.
    assert_eq!(
        judged,
        [
            (Tv::False, None),
            (Tv::True, Some(Tv::False)),
            (Tv::Unknown, Some(Tv::True))
        ]
    );
    // The evidence mode keeps no record.
    let mut j: Judgement<'_, WithEvidence> = ev.truth(&p.rules[0].require[0]);
    assert!(j.facts.take_record().is_none());
}

#[test]
fn an_implicit_each_records_each_element_and_an_empty_list() {
    let p = policy("rule r: party stake < 50%\n");
    let d = deal(&p, PARTIES);
    let mut j: Judgement<'_, Tracing> = Evaluator::new(&p, &d).truth(&p.rules[0].require[0]);
    let Some(Record::Each(elements)) = j.facts.take_record() else {
        panic!("no record")
    };
    let tvs: Vec<Tv> = elements.iter().map(|(_, tv)| *tv).collect();
    assert_eq!(tvs, [Tv::False, Tv::False, Tv::True]);
    let d = deal(&p, r#"{"proposal":"x","parties":[]}"#);
    let mut j: Judgement<'_, Tracing> = Evaluator::new(&p, &d).truth(&p.rules[0].require[0]);
    assert!(matches!(j.facts.take_record(), Some(Record::Each(e)) if e.is_empty()));
}

/// `check` says a pass by an implicit each over an empty list "holds" (its evidence pass does
/// not run for a pass); `explain` says it held vacuously, from the each's record.
#[test]
fn explain_says_what_held_vacuously() {
    let p = policy("rule r: party stake < 50%\n");
    let d = deal(&p, r#"{"proposal":"x","parties":[]}"#);
    assert_eq!(
        super::super::evaluate(&p, &d, None)[0].message,
        Message::Holds
    );
    let t = super::explain(&p, &d, None, None).remove(0);
    assert_eq!(
        t.message,
        Message::HoldsVacuously(Vacuous::Empty("party stake".into()))
    );
}
