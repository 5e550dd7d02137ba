//! A SARIF result written by hand in serde_json's pretty layout ([`super::super::pretty`]):
//! the same bytes as its `Serialize` (which the whole log keeps, and the tests compare with),
//! for the streamed report, which writes one result for every failing rule of every deal.

use super::super::pretty::Pretty;
use super::super::waiver::WaiverJson;
use super::{Location, Region, ResultProperties, SarifResult, Suppression};

impl SarifResult<'_> {
    /// The result as pretty JSON, its lines after the first begun with `indent` spaces.
    pub fn write_pretty(&self, buf: &mut Vec<u8>, indent: usize) {
        let mut p = Pretty::new(buf, indent);
        p.open_object();
        p.str_member("ruleId", self.rule_id);
        p.key("ruleIndex");
        p.usize(self.rule_index);
        if let Some(kind) = self.kind {
            p.str_member("kind", kind);
        }
        p.str_member("level", self.level);
        p.key("message");
        text(&mut p, &self.message.text);
        p.key("locations");
        locations(&mut p, &self.locations);
        if !self.related_locations.is_empty() {
            p.key("relatedLocations");
            locations(&mut p, &self.related_locations);
        }
        p.key("partialFingerprints");
        p.open_object();
        for (k, v) in &self.partial_fingerprints {
            p.str_member(k, v);
        }
        p.close_object();
        if !self.suppressions.is_empty() {
            p.key("suppressions");
            suppressions(&mut p, &self.suppressions);
        }
        p.key("properties");
        properties(&mut p, &self.properties);
        p.close_object();
    }
}

fn text(p: &mut Pretty<'_>, text: &str) {
    p.open_object();
    p.str_member("text", text);
    p.close_object();
}

fn locations(p: &mut Pretty<'_>, list: &[Location]) {
    p.open_array();
    for l in list {
        p.item();
        location(p, l);
    }
    p.close_array();
}

fn location(p: &mut Pretty<'_>, l: &Location) {
    p.open_object();
    p.key("physicalLocation");
    p.open_object();
    p.key("artifactLocation");
    p.open_object();
    p.str_member("uri", &l.physical_location.artifact_location.uri);
    p.close_object();
    if let Some(r) = &l.physical_location.region {
        p.key("region");
        region(p, r);
    }
    p.close_object();
    if let Some(m) = &l.message {
        p.key("message");
        text(p, &m.text);
    }
    p.close_object();
}

fn region(p: &mut Pretty<'_>, r: &Region) {
    p.open_object();
    p.key("startLine");
    p.usize(r.start_line);
    for (key, n) in [
        ("startColumn", r.start_column),
        ("endLine", r.end_line),
        ("endColumn", r.end_column),
    ] {
        if let Some(n) = n {
            p.key(key);
            p.usize(n);
        }
    }
    p.close_object();
}

fn suppressions(p: &mut Pretty<'_>, list: &[Suppression]) {
    p.open_array();
    for s in list {
        p.item();
        p.open_object();
        p.str_member("kind", s.kind);
        p.str_member("status", s.status);
        p.str_member("justification", &s.justification);
        p.close_object();
    }
    p.close_array();
}

fn properties(p: &mut Pretty<'_>, props: &ResultProperties<'_>) {
    p.open_object();
    p.str_member("deal", props.deal);
    if let Some(proposal) = props.proposal {
        p.str_member("proposal", proposal);
    }
    if let Some(outcome) = props.outcome {
        p.str_member("outcome", outcome);
    }
    if let Some(status) = props.status {
        p.str_member("status", status);
    }
    if let Some(counted) = props.counted {
        p.key("counted");
        p.bool(counted);
    }
    p.str_member("verdict", props.verdict);
    if let Some(help) = &props.help {
        p.str_member("help", help);
    }
    if !props.evidence.is_empty() {
        p.strs_member("evidence", &props.evidence);
    }
    if let Some(w) = &props.waiver {
        p.key("waiver");
        waiver(p, w);
    }
    p.close_object();
}

fn waiver(p: &mut Pretty<'_>, w: &WaiverJson) {
    p.open_object();
    p.key("id");
    p.opt_str(w.id.as_deref());
    p.str_member("authority", &w.authority);
    p.str_member("granted", &w.granted);
    p.str_member("expires", &w.expires);
    p.key("reference");
    p.opt_str(w.reference.as_deref());
    if !w.parties.is_empty() {
        p.strs_member("parties", &w.parties);
    }
    p.close_object();
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    use proptest::option::of;
    use proptest::prelude::*;

    use super::super::{text as text_of, ArtifactLocation, DealEntry, PhysicalLocation};
    use super::*;

    /// Text with what JSON escapes (quotes, backslashes, line ends, other controls) and what
    /// it does not (non-ASCII, a line separator).
    const TEXT: &str = "[a-z \"\\\\\n\t\u{1}\u{1f}é\u{2028}]{0,8}";

    fn strings() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(TEXT, 0..3)
    }

    fn location() -> impl Strategy<Value = Location> {
        let region = (
            0usize..100_000,
            of(0usize..200),
            of(0usize..100_000),
            of(0usize..200),
        )
            .prop_map(|(start_line, start_column, end_line, end_column)| Region {
                start_line,
                start_column,
                end_line,
                end_column,
            });
        (TEXT, of(region), of(TEXT)).prop_map(|(uri, region, message)| Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri },
                region,
            },
            message: message.map(text_of),
        })
    }

    fn waiver() -> impl Strategy<Value = WaiverJson> {
        (of(TEXT), TEXT, TEXT, TEXT, of(TEXT), strings()).prop_map(
            |(id, authority, granted, expires, reference, parties)| WaiverJson {
                id,
                authority,
                granted,
                expires,
                reference,
                parties,
            },
        )
    }

    /// Every field's words, leaked: a result borrows them.
    fn word(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }

    fn result() -> impl Strategy<Value = SarifResult<'static>> {
        let head = (
            TEXT,
            any::<usize>(),
            of(TEXT),
            TEXT,
            TEXT,
            proptest::collection::vec(location(), 0..3),
            proptest::collection::vec(location(), 0..3),
            proptest::collection::btree_map("[a-z/]{1,6}", TEXT, 0..3),
            proptest::collection::vec((TEXT, TEXT, TEXT), 0..2),
        );
        let properties = (
            TEXT,
            of(TEXT),
            of(TEXT),
            of(TEXT),
            of(any::<bool>()),
            TEXT,
            of(TEXT),
            strings(),
            of(waiver()),
        );
        (head, properties).prop_map(|(h, p)| {
            let (rule_id, rule_index, kind, level, message, locations, related, prints, sups) = h;
            let (deal, proposal, outcome, status, counted, verdict, help, evidence, waiver) = p;
            let prints: BTreeMap<&'static str, String> =
                prints.into_iter().map(|(k, v)| (word(k), v)).collect();
            SarifResult {
                rule_id: word(rule_id),
                rule_index,
                kind: kind.map(word),
                level: word(level),
                message: text_of(message),
                locations,
                related_locations: related,
                partial_fingerprints: prints,
                suppressions: sups
                    .into_iter()
                    .map(|(kind, status, justification)| Suppression {
                        kind: word(kind),
                        status: word(status),
                        justification,
                    })
                    .collect(),
                properties: ResultProperties {
                    deal: word(deal),
                    proposal: proposal.map(word),
                    outcome: outcome.map(word),
                    status: status.map(word),
                    counted,
                    verdict: word(verdict),
                    help: help.map(Cow::Owned),
                    evidence,
                    waiver,
                },
            }
        })
    }

    fn entry() -> impl Strategy<Value = DealEntry<'static>> {
        (TEXT, of(TEXT), TEXT, 0usize..3, 0usize..3).prop_map(|(path, proposal, verdict, e, w)| {
            DealEntry::for_test(word(path), proposal.map(word), word(verdict), e, w)
        })
    }

    /// `value` written by `write` after some text, and as serde_json's pretty text with
    /// `depth` spaces after each of its line ends.
    fn both_ways<T: serde::Serialize>(
        value: &T,
        depth: usize,
        write: impl FnOnce(&mut Vec<u8>),
    ) -> (String, String) {
        let mut buf = b"before ".to_vec();
        write(&mut buf);
        let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
        let indented = pretty.replace('\n', &format!("\n{}", " ".repeat(depth)));
        (
            String::from_utf8_lossy(&buf).into_owned(),
            format!("before {indented}"),
        )
    }

    proptest! {
        /// A deal entry written by hand is its `Serialize`'s pretty JSON, indented.
        #[test]
        fn a_deal_entry_is_written_as_serde_writes_it(e in entry(), depth in 0usize..80) {
            let (written, expected) = both_ways(&e, depth, |buf| e.write_pretty(buf, depth));
            prop_assert_eq!(written, expected);
        }

        /// A result written by hand is its `Serialize`'s pretty JSON with the indent after each
        /// line end, whatever fields it has and whatever its text holds.
        #[test]
        fn a_result_is_written_as_serde_writes_it(r in result(), depth in 0usize..80) {
            let (written, expected) = both_ways(&r, depth, |buf| r.write_pretty(buf, depth));
            prop_assert_eq!(written, expected);
        }
    }
}
