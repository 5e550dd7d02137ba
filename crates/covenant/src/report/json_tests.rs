//! The hand-written JSON report equals, byte for byte, what `serde_json` writes for the
//! report structures it replaced (kept here as the reference).

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use serde::Serialize;

use std::cmp::Ordering;

use super::*;
use crate::eval::outcome::{
    Bound, DealLocation, Distance, Element, Expiry, Help, Margin, Message, Note, Op, Outcome,
    Reason, Shown, Tested, Verdict, Waiver,
};
use crate::number::Exact;
use crate::report::audit::Audit;
use crate::report::prose;
use crate::source::Span;
use crate::syntax::ast::CmpOp;
use crate::value::Scalar;

mod reference {
    use super::*;

    #[derive(Serialize)]
    struct EvidenceJson<'a> {
        note: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        element: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        op: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        bound: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        margin: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        more: Option<usize>,
        /// Why a value is unknown (spec-v2-notes E), added with the ownership reasons.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'static str>,
        /// The members of ownership evidence (spec-v2-notes F).
        #[serde(flatten)]
        ownership: Option<OwnershipJson>,
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    enum OwnershipJson {
        Look(LookJson),
        Controller {
            kind: &'static str,
            entity: String,
            chain: Vec<String>,
            controller: Option<String>,
        },
        Group {
            kind: &'static str,
            key: String,
            members: Vec<String>,
            #[serde(skip_serializing_if = "is_zero")]
            more_members: usize,
            value: String,
        },
        /// The row of a lookup table (SPEC §8).
        TableRow {
            kind: &'static str,
            table: String,
            row: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            at: Option<String>,
            value: String,
        },
        Conversion(ConversionJson),
    }

    /// A conversion (SPEC §11), added with money across currencies.
    #[derive(Serialize)]
    struct ConversionJson {
        kind: &'static str,
        from: String,
        to: String,
        rate: String,
        unit: String,
        via: &'static str,
        date: String,
        on: String,
        source: String,
        at: String,
        legs: Vec<LegJson>,
    }

    #[derive(Serialize)]
    struct LegJson {
        base: String,
        quote: String,
        rate: String,
        at: String,
    }

    fn conversion(c: &crate::eval::outcome::ConversionShown) -> ConversionJson {
        use crate::fx::Via;
        let legs = match c.rate.via {
            Via::Direct(l) | Via::Inverse(l) => vec![l],
            Via::Cross { to, from } => vec![to, from],
        };
        let at = |line: usize| format!("{}:{line}", c.file);
        ConversionJson {
            kind: "conversion",
            from: Scalar::Money(c.from.0, c.from.1).to_string(),
            to: Scalar::Money(c.to.0, c.to.1).to_string(),
            rate: c
                .rate
                .factor()
                .map_or_else(|_| "overflow".to_string(), Exact::display),
            unit: format!("{}/{}", c.to.0, c.from.0),
            via: match c.rate.via {
                Via::Direct(_) => "direct",
                Via::Inverse(_) => "inverse",
                Via::Cross { .. } => "cross",
            },
            date: c.rate.date.to_string(),
            on: c.on.to_string(),
            source: c.source.to_string(),
            at: legs.first().map(|l| at(l.line)).unwrap_or_default(),
            legs: legs
                .iter()
                .map(|l| LegJson {
                    base: l.base.to_string(),
                    quote: l.quote.to_string(),
                    rate: l.rate.display(),
                    at: at(l.line),
                })
                .collect(),
        }
    }

    #[derive(Serialize)]
    struct LookJson {
        kind: &'static str,
        measure: String,
        mode: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        threshold: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        threshold_test: Option<&'static str>,
        target: String,
        value: Option<String>,
        paths: Vec<PathJson>,
        more_paths: u64,
        more_value: String,
    }

    #[derive(Serialize)]
    struct PathJson {
        contribution: String,
        edges: Vec<EdgeJson>,
    }

    #[derive(Serialize)]
    struct EdgeJson {
        from: String,
        to: String,
        value: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        counted: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<String>,
    }

    fn ownership(note: &Note, file: &str) -> Option<OwnershipJson> {
        use crate::report::holdings::{key, member, share};
        Some(match note {
            Note::LookThrough(l) => OwnershipJson::Look(LookJson {
                kind: "look-through",
                measure: l.measure.to_string(),
                mode: if l.control.is_some() {
                    "control"
                } else {
                    "proportional"
                },
                threshold: l.control.map(|(t, _)| format!("{}%", t.display())),
                threshold_test: l
                    .control
                    .map(|(_, at_least)| if at_least { "at least" } else { "more than" }),
                target: l.target.to_string(),
                value: l.value.as_ref().map(share),
                paths: l
                    .paths
                    .iter()
                    .map(|p| PathJson {
                        contribution: share(&p.contribution),
                        edges: p
                            .edges
                            .iter()
                            .map(|e| EdgeJson {
                                from: e.from.to_string(),
                                to: e.to.to_string(),
                                value: share(&e.value),
                                counted: e.counted.as_ref().map(share),
                                at: e
                                    .at
                                    .as_ref()
                                    .map(|l| format!("{file}:{}:{}", l.line, l.column)),
                            })
                            .collect(),
                    })
                    .collect(),
                more_paths: l.more_paths,
                more_value: share(&l.more_value),
            }),
            Note::Controller(c) => OwnershipJson::Controller {
                kind: "controller",
                entity: c.entity.to_string(),
                chain: c.chain.iter().map(|l| l.holder.to_string()).collect(),
                controller: c.controller.as_ref().map(|c| c.0.to_string()),
            },
            Note::Group(g) => OwnershipJson::Group {
                kind: "group",
                key: key(&g.key),
                members: g.members.iter().map(member).collect(),
                more_members: g.more_members,
                value: prose::shown(&g.value),
            },
            Note::TableRow(t) => OwnershipJson::TableRow {
                kind: "table-row",
                table: t.table.to_string(),
                row: t.row.to_string(),
                at: t
                    .at
                    .as_ref()
                    .map(|p| format!("{}:{}:{}", p.file, p.line, p.column)),
                value: prose::shown(&t.value),
            },
            Note::Conversion(c) => OwnershipJson::Conversion(conversion(c)),
            _ => return None,
        })
    }

    #[derive(Serialize)]
    struct RuleJson<'a> {
        id: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<&'a str>,
        severity: &'a str,
        status: &'a str,
        counted: bool,
        outcome: &'a str,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        exempt: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        exemption: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        waiver: Option<crate::report::waiver::WaiverJson>,
        message: String,
        evidence: Vec<EvidenceJson<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        help: Option<String>,
        cite: Vec<&'a str>,
        citations: Vec<&'a crate::resolve::ir::Citation>,
    }

    #[derive(Serialize)]
    struct ProblemJson<'a> {
        code: &'a str,
        severity: &'a str,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        help: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<usize>,
    }

    #[derive(Serialize)]
    pub struct DealJson<'a> {
        path: &'a str,
        proposal: Option<&'a str>,
        verdict: &'a str,
        applicable: Option<usize>,
        rules: Vec<RuleJson<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        errors: Vec<ProblemJson<'a>>,
        #[serde(skip_serializing_if = "is_zero")]
        errors_omitted: usize,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<ProblemJson<'a>>,
        #[serde(skip_serializing_if = "is_zero")]
        warnings_omitted: usize,
    }

    fn is_zero(n: &usize) -> bool {
        *n == 0
    }

    fn evidence<'a>(e: &'a Evidence, file: &'a str) -> EvidenceJson<'a> {
        EvidenceJson {
            note: prose::note(e),
            element: e.element.as_ref().map(prose::element),
            path: e.path.as_deref(),
            value: e.value.as_ref().map(prose::shown),
            op: e.op.map(prose::op),
            bound: e.bound.as_ref().map(prose::bound),
            margin: e.margin.as_ref().map(prose::margin),
            file: e.location.as_ref().map(|_| file),
            line: e.location.as_ref().map(|l| l.line),
            column: e.location.as_ref().map(|l| l.column),
            more: e.more,
            reason: crate::report::words::reason_name(&e.note),
            ownership: ownership(&e.note, file),
        }
    }

    fn rule<'a>(policy: &'a Policy, r: &'a RuleResult, file: &'a str) -> Option<RuleJson<'a>> {
        let rule = policy.rules.get(r.rule)?;
        Some(RuleJson {
            id: &rule.id,
            title: rule.title.as_deref(),
            severity: rule.severity.as_str(),
            status: rule.status.as_str(),
            counted: r.counted,
            outcome: r.outcome.as_str(),
            exempt: r.is_exempt(),
            exemption: r.exempt.as_deref(),
            waiver: r.waiver().map(crate::report::waiver::WaiverJson::of),
            message: prose::result_message(r).into_owned(),
            evidence: r.evidence.iter().map(|e| evidence(e, file)).collect(),
            help: prose::result_help(r),
            cite: rule.cites.iter().map(|c| c.text.as_str()).collect(),
            citations: rule.cites.iter().collect(),
        })
    }

    pub fn deal_json<'a>(policy: &'a Policy, d: &'a DealReport) -> DealJson<'a> {
        let file = d
            .path
            .rsplit_once(':')
            .filter(|(_, n)| n.parse::<usize>().is_ok())
            .map_or(d.path.as_str(), |(f, _)| f);
        let problem = |p: &'a DealProblem| ProblemJson {
            code: &p.code,
            severity: if p.error { "error" } else { "warning" },
            message: &p.message,
            help: p.help.as_deref(),
            line: p.line,
            column: p.column,
        };
        DealJson {
            path: &d.path,
            proposal: d.proposal.as_deref(),
            verdict: d.verdict.as_str(),
            applicable: d.applicable(),
            rules: d
                .results
                .iter()
                .filter_map(|r| rule(policy, r, file))
                .collect(),
            errors: d.problems.iter().filter(|p| p.error).map(problem).collect(),
            errors_omitted: d.errors_omitted,
            warnings: d
                .problems
                .iter()
                .filter(|p| !p.error)
                .map(problem)
                .collect(),
            warnings_omitted: d.warnings_omitted,
        }
    }

    pub fn deal_line(policy: &Policy, d: &DealReport) -> String {
        serde_json::to_string(&deal_json(policy, d)).unwrap()
    }

    pub fn report(
        policy: &Policy,
        audit: &Audit,
        deals: &[DealReport],
        summary: &Summary,
    ) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            #[serde(flatten)]
            audit: crate::report::audit::AuditFields<'a>,
            deals: Vec<DealJson<'a>>,
            summary: &'a Summary,
        }
        let r = Report {
            audit: audit.fields(policy),
            deals: deals.iter().map(|d| deal_json(policy, d)).collect(),
            summary,
        };
        serde_json::to_string_pretty(&r).unwrap()
    }

    /// A line of the `--format jsonl` report.
    pub fn report_line(policy: &Policy, audit: &Audit, d: &DealReport) -> String {
        #[derive(Serialize)]
        struct Line<'a> {
            #[serde(flatten)]
            deal: DealJson<'a>,
            run: crate::report::audit::AuditFields<'a>,
        }
        let line = Line {
            deal: deal_json(policy, d),
            run: audit.fields(policy),
        };
        serde_json::to_string(&line).unwrap()
    }
}

fn policy() -> Policy {
    let text = "policy \"Test \\\"policy\\\"\" version \"1.0\"\n  cite \"Act \\\"A\\\"\" version \"2\"\n\n\
        rule first \"The first rule\": board seats >= 3\n\n\
        rule second {\n  severity warning\n  cite \"Reg\\\\1\" section \"(b)\" url \"https://e.org/r\"\n  require board seats <= 11\n}\n\n\
        rule third: board seats > 1\n";
    crate::resolve::compile_str("test.policy", text)
        .map(|c| c.policy)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z \"\\\\%≈–\t\n\u{1}]{0,20}",
        Just("/deals/batch.jsonl:12".to_string()),
    ]
}

/// A value with text to escape.
fn shown() -> impl Strategy<Value = Shown> {
    prop_oneof![
        text().prop_map(|t| Shown::Scalar(Scalar::Str(t.as_str().into()))),
        (0i128..1_000_000).prop_map(|n| Shown::Scalar(Scalar::Percent(Exact::from_int(n)))),
        Just(Shown::Zero),
    ]
}

fn note() -> impl Strategy<Value = Note> {
    prop_oneof![
        (text(), any::<bool>()).prop_map(|(s, held)| Note::Test {
            subject: s.into(),
            held
        }),
        text().prop_map(|s| Note::Part { subject: s.into() }),
        text().prop_map(|s| Note::Unknown(Reason::Missing { field: s.into() })),
        text().prop_map(|s| Note::More { of: s.into() }),
        ownership_note(),
        conversion_note(),
    ]
}

/// Conversion evidence and a missing rate (SPEC §11), with text to escape in the source and
/// the file's name.
fn conversion_note() -> impl Strategy<Value = Note> {
    use crate::eval::outcome::{ConversionShown, NoRate};
    use crate::fx::{Leg, Rate, Via};
    use crate::value::Currency;
    let code = proptest::sample::select(vec![*b"USD", *b"CAD", *b"EUR"]).prop_map(Currency);
    let leg = (code.clone(), code.clone(), 1i128..100_000, 1usize..500).prop_map(
        |(base, quote, rate, line)| Leg {
            base,
            quote,
            rate: Exact::from_int(rate),
            line,
        },
    );
    let via = prop_oneof![
        leg.clone().prop_map(Via::Direct),
        leg.clone().prop_map(Via::Inverse),
        (leg.clone(), leg).prop_map(|(to, from)| Via::Cross { to, from }),
    ];
    let day = (0i8..28).prop_map(|d| jiff::civil::date(2024, 7, 1 + d));
    let shown = (
        (
            code.clone(),
            0i128..1_000_000,
            code.clone(),
            0i128..1_000_000,
        ),
        (day.clone(), day.clone(), via),
        (text(), text()),
    )
        .prop_map(|((a, x, b, y), (on, date, via), (source, file))| {
            Note::Conversion(Box::new(ConversionShown {
                from: (a, Exact::from_int(x)),
                to: (b, Exact::from_int(y)),
                on,
                rate: Rate { date, via },
                source: source.into(),
                file: file.into(),
            }))
        });
    let no_rate = (code.clone(), code, day, text()).prop_map(|(from, to, on, file)| {
        Note::Unknown(Reason::NoRate(Box::new(NoRate {
            from,
            to,
            on,
            file: file.into(),
        })))
    });
    prop_oneof![shown, no_rate]
}

/// Ownership evidence with text to escape in every name.
fn ownership_note() -> impl Strategy<Value = Note> {
    use crate::eval::outcome::{
        ControllerShown, EdgeShown, GroupShown, LinkShown, LookThroughShown, Member, PathShown,
        Share,
    };
    let share = (0i128..1000, any::<bool>()).prop_map(|(n, rounded)| Share {
        percent: Exact::from_int(n),
        rounded,
    });
    let at = option::of((1usize..100, 1usize..100)).prop_map(|at| {
        at.map(|(line, column)| DealLocation {
            span: Span { start: 0, end: 1 },
            line,
            column,
            end_line: line,
            end_column: column + 1,
        })
    });
    let edge = (
        text(),
        text(),
        share.clone(),
        option::of(share.clone()),
        at.clone(),
    )
        .prop_map(|(from, to, value, counted, at)| EdgeShown {
            from: from.into(),
            to: to.into(),
            value,
            counted,
            at,
        });
    let path = (share.clone(), vec(edge, 0..3)).prop_map(|(contribution, edges)| PathShown {
        contribution,
        edges,
    });
    let look = (
        (text(), text(), option::of((0i128..100, any::<bool>()))),
        (option::of(share.clone()), vec(path, 0..3), 0u64..5, share),
    )
        .prop_map(
            |((subject, target, control), (value, paths, more_paths, more_value))| {
                Note::LookThrough(Box::new(LookThroughShown {
                    measure: "voting".into(),
                    subject: subject.into(),
                    control: control.map(|(t, at_least)| (Exact::from_int(t), at_least)),
                    target: target.into(),
                    value,
                    paths,
                    more_paths,
                    more_value,
                }))
            },
        );
    let link = (text(), option::of(0i128..100), any::<bool>(), at).prop_map(
        |(holder, voting, controls, at)| LinkShown {
            holder: holder.into(),
            voting: voting.map(Exact::from_int),
            controls,
            at,
        },
    );
    let controller =
        (text(), vec(link, 0..3), option::of(text())).prop_map(|(entity, chain, controller)| {
            Note::Controller(Box::new(ControllerShown {
                entity: entity.into(),
                chain,
                controller: controller.map(|c| (c.into(), None, None)),
            }))
        });
    let group = (text(), vec(text(), 0..3), 0usize..3, shown()).prop_map(
        |(key, members, more_members, value)| {
            Note::Group(Box::new(GroupShown {
                subject: "total party voting per bloc".into(),
                key: Shown::Scalar(Scalar::Str(key.as_str().into())),
                members: members
                    .into_iter()
                    .map(|m| Member::Value(Shown::Scalar(Scalar::Str(m.as_str().into()))))
                    .collect(),
                more_members,
                value,
            }))
        },
    );
    let table_row = (
        text(),
        text(),
        option::of((text(), 1usize..100, 1usize..100)),
        shown(),
    )
        .prop_map(|(table, row, at, value)| {
            use crate::eval::outcome::{PolicyPlace, TableRowShown};
            Note::TableRow(Box::new(TableRowShown {
                table: table.into(),
                row: row.into(),
                at: at.map(|(file, line, column)| PolicyPlace {
                    file: file.into(),
                    line,
                    column,
                }),
                value,
            }))
        });
    prop_oneof![look, controller, group, table_row]
}

fn evidence() -> impl Strategy<Value = Evidence> {
    (
        (
            option::of((text(), 0usize..100)),
            option::of(text()),
            option::of(shown()),
            option::of(shown()),
        ),
        (option::of(0usize..4), option::of((0u32..40, any::<bool>()))),
        note(),
        option::of((0usize..100_000, 0usize..1000)),
        option::of(0usize..1_000_000),
    )
        .prop_map(
            |((element, path, value, bound), (op, margin), note, at, more)| {
                let ops = [Op::Cmp(CmpOp::Lt), Op::In, Op::NotIn, Op::Within];
                Evidence {
                    element: element.map(|(name, index)| Element {
                        kind: "data_set".into(),
                        name: (index % 2 == 0).then(|| name.as_str().into()),
                        index,
                    }),
                    path,
                    value,
                    bound: bound.map(Bound::Value),
                    op: op.and_then(|i| ops.get(i).copied()),
                    margin: margin.map(|(days, over)| Margin {
                        distance: Distance::Days(days),
                        side: if over {
                            Ordering::Greater
                        } else {
                            Ordering::Less
                        },
                    }),
                    note,
                    location: at.map(|(line, column)| DealLocation {
                        span: Span { start: 0, end: 1 },
                        line,
                        column,
                        end_line: line,
                        end_column: column + 1,
                    }),
                    more,
                }
            },
        )
}

fn result() -> impl Strategy<Value = RuleResult> {
    let outcome = prop_oneof![
        Just(Outcome::Pass),
        Just(Outcome::Fail),
        Just(Outcome::NotApplicable),
        Just(Outcome::Incomplete),
    ];
    let message = prop_oneof![
        text().prop_map(|t| Message::WhenFalse(Some(t.into()))),
        vec(text(), 0..3)
            .prop_map(|ts| Message::DoesNotHold(ts.into_iter().map(Into::into).collect())),
        Just(Message::Exempt),
        waiver().prop_map(|w| Message::Waived(Box::new(w))),
        (0usize..4).prop_map(|i| Message::CannotDecide { because: Some(i) }),
        text().prop_map(|t| Message::Overridden(t.into())),
    ];
    (
        0usize..4,
        outcome,
        option::of(text()),
        message,
        vec(evidence(), 0..3),
        option::of(text()),
        any::<bool>(),
    )
        .prop_map(
            |(rule, outcome, exempt, message, evidence, help, counted)| RuleResult {
                rule,
                outcome,
                exempt: exempt.map(Into::into),
                message,
                evidence,
                help: help.map(|h| Help::Rule(h.into())),
                unknown_when: Box::default(),
                counted,
            },
        )
}

fn waiver() -> impl Strategy<Value = Waiver> {
    (
        option::of(text()),
        text(),
        option::of(text()),
        vec(text(), 0..2),
        any::<bool>(),
    )
        .prop_map(|(id, authority, reference, parties, never)| {
            let day = jiff::civil::date(2025, 8, 1);
            Waiver {
                id,
                kind: None,
                authority,
                granted: day,
                expires: if never {
                    Expiry::Never
                } else {
                    Expiry::On(jiff::civil::date(2030, 8, 1))
                },
                reference,
                parties,
                on: day,
                location: None,
            }
        })
}

fn problem() -> impl Strategy<Value = DealProblem> {
    (
        (text(), text(), option::of(text())),
        option::of(0usize..10_000),
        option::of(0usize..500),
        any::<bool>(),
    )
        .prop_map(|((code, message, help), line, column, error)| DealProblem {
            code,
            message,
            help,
            line,
            column,
            error,
            diagnostic: None,
        })
}

fn deal() -> impl Strategy<Value = DealReport> {
    let verdict = prop_oneof![
        Just(Verdict::Compliant),
        Just(Verdict::NonCompliant),
        Just(Verdict::Incomplete),
        Just(Verdict::Invalid),
    ];
    (
        text(),
        option::of(text()),
        verdict,
        vec(result(), 0..4),
        vec(problem(), 0..3),
        (
            prop_oneof![Just(0), 1..200_000usize],
            prop_oneof![Just(0), 1..9usize],
        ),
    )
        .prop_map(
            |(path, proposal, verdict, results, problems, omitted)| DealReport {
                path,
                proposal,
                verdict,
                results,
                problems,
                errors_omitted: omitted.0,
                warnings_omitted: omitted.1,
                deal: None,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_deal_line_is_what_serde_json_wrote(d in deal()) {
        let policy = policy();
        let ours = deal_line(&policy, &d);
        let theirs = reference::deal_line(&policy, &d);
        prop_assert_eq!(&ours, &theirs);
        let parsed: serde_json::Value = serde_json::from_str(&ours).unwrap();
        prop_assert_eq!(parsed, serde_json::to_value(reference::deal_json(&policy, &d)).unwrap());
    }

    #[test]
    fn a_report_is_what_serde_json_wrote(deals in vec(deal(), 0..3), n in 0usize..1000, audit in audit()) {
        let policy = policy();
        let summary = Summary { deals: n, compliant: n / 2, non_compliant: 3, incomplete: 0, invalid: 12, no_rule_applies: n % 3 };
        prop_assert_eq!(report(&policy, &audit, &deals, &summary), reference::report(&policy, &audit, &deals, &summary));
    }

    #[test]
    fn a_report_line_is_what_serde_json_wrote(d in deal(), audit in audit()) {
        let policy = policy();
        let mut ours = Vec::new();
        write_report_line(&mut ours, &policy, &d, &audit.run_object(&policy));
        let ours = String::from_utf8(ours).unwrap();
        prop_assert_eq!(ours, reference::report_line(&policy, &audit, &d));
    }
}

/// The audit fields of a run: with or without a time and an evaluation date.
fn audit() -> impl Strategy<Value = Audit> {
    (any::<bool>(), 0i64..4_000_000_000, option::of(0i16..3000)).prop_map(|(clock, s, days)| {
        let as_of = days.map(|n| {
            jiff::civil::date(2000, 1, 1)
                .checked_add(jiff::Span::new().days(n))
                .unwrap()
        });
        match clock {
            true => Audit::at(jiff::Timestamp::from_second(s).unwrap(), as_of),
            false => Audit::deterministic(as_of),
        }
    })
}

#[test]
fn an_empty_report_is_what_serde_json_wrote() {
    let policy = policy();
    let summary = Summary::default();
    let audit = Audit::deterministic(None);
    let ours = report(&policy, &audit, &[], &summary);
    assert_eq!(ours, reference::report(&policy, &audit, &[], &summary));
    assert!(ours.contains("\"deals\": []"), "{ours}");
}

#[test]
fn the_report_begins_with_the_audit_fields() {
    let policy = policy();
    let audit = Audit::at(
        "2026-05-01T09:30:00Z".parse().unwrap(),
        "2026-04-30".parse().ok(),
    );
    let ours = report(&policy, &audit, &[], &Summary::default());
    let head = format!(
        "{{\n  \"engine\": {{\n    \"name\": \"covenant\",\n    \"version\": \"{}\"\n  }},\n  \
         \"evaluated_at\": \"2026-05-01T09:30:00Z\",\n  \"as_of\": \"2026-04-30\",\n  \"policies\": [",
        crate::VERSION
    );
    assert!(ours.starts_with(&head), "{ours}");
    let sha = policy.files[0].sha256.as_str();
    assert!(ours.contains(&format!("\"sha256\": \"{sha}\"")), "{ours}");
    let bare = report(
        &policy,
        &Audit::deterministic(None),
        &[],
        &Summary::default(),
    );
    assert!(
        !bare.contains("evaluated_at") && bare.contains("\"as_of\": null,"),
        "{bare}"
    );
}

/// A policy whose rules have `when` clauses and windows, for the pre-rendered results (the
/// fifth rule's title holds the text of the date its object is rendered on).
fn policy_with_whens() -> Policy {
    let text = "policy \"P\" version \"1\"\n\n\
        rule first \"The \\\"first\\\" rule\": board seats >= 3\n\n\
        rule second {\n  severity warning\n  cite \"Reg\\\\1\" section \"(b)\" url \"https://e.org/r\"\n  \
        when board seats > 2\n  when board seats < 40\n  require board seats <= 11\n}\n\n\
        rule third {\n  status proposed\n  when board seats > 1\n  require board seats > 1\n}\n\n\
        rule fourth {\n  effective 2026-09-01\n  require board seats > 1\n}\n\n\
        rule fifth \"From 1111-11-11\" {\n  effective 2026-09-01 until 2027-01-01\n  require board seats > 1\n}\n\n\
        rule sixth {\n  effective 2025-01-01 until 2027-01-01 on date - 30 days\n  require board seats > 1\n  \
        require board seats > 2\n  cite \"A\" version \"2\"\n  cite \"B \\\"b\\\"\" url \"https://e.org\"\n}\n";
    crate::resolve::compile_str("whens.policy", text)
        .map(|c| c.policy)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// The message of a failure of `clauses`.
fn does_not_hold(clauses: &[&str]) -> Just<Message> {
    Just(Message::DoesNotHold(
        clauses.iter().map(|&c| std::sync::Arc::from(c)).collect(),
    ))
}

/// A date: mostly of a four-digit year, sometimes of any year, sometimes the date a
/// not-in-effect object is rendered on.
fn on_any_date() -> impl Strategy<Value = jiff::civil::Date> {
    prop_oneof![
        4 => (1000i16..=9999, 1i8..=12, 1i8..=28)
            .prop_filter_map("a date", |(y, m, d)| jiff::civil::Date::new(y, m, d).ok()),
        2 => (-9999i16..=9999, 1i8..=12, 1i8..=31)
            .prop_filter_map("a date", |(y, m, d)| jiff::civil::Date::new(y, m, d).ok()),
        1 => Just(jiff::civil::date(1111, 11, 11)),
    ]
}

/// A message of a rule not in effect: on any date (years of four digits or not), on the
/// deal's date or `--as-of`, for one of the windows of [`policy_with_whens`] or another, with
/// what the window tests or not.
fn not_in_effect() -> impl Strategy<Value = Message> {
    let day = |y: i16, m: i8, d: i8| jiff::civil::Date::new(y, m, d).unwrap();
    let on = on_any_date();
    let window = |from: jiff::civil::Date, until: Option<jiff::civil::Date>| {
        crate::resolve::ir::Window { from, until }
    };
    let windows = prop_oneof![
        Just(window(day(2026, 9, 1), None)),
        Just(window(day(2026, 9, 1), Some(day(2027, 1, 1)))),
        Just(window(day(2025, 1, 1), Some(day(2027, 1, 1)))),
        Just(window(day(2026, 9, 2), None)),
    ];
    let tested = prop_oneof![
        Just(None),
        Just(Some(Box::new(Tested::Computed("date - 30 days".into())))),
        Just(Some(Box::new(Tested::Computed("date - 31 days".into())))),
        Just(Some(Box::new(Tested::Field("date".into())))),
    ];
    (on, any::<bool>(), windows, tested).prop_map(|(on, as_of, window, tested)| {
        Message::NotInEffect {
            on,
            as_of,
            window,
            tested,
        }
    })
}

/// Results that are often plain (a pass that holds, not applicable by one of the rule's own
/// `when` clauses), and sometimes nearly so (another clause's text, evidence, help, an
/// exemption, unknown `when` clauses).
fn near_plain_result() -> impl Strategy<Value = RuleResult> {
    let message = prop_oneof![
        Just(Message::Holds),
        Just(Message::WhenFalse(Some("board seats > 2".into()))),
        Just(Message::WhenFalse(Some("board seats < 40".into()))),
        Just(Message::WhenFalse(Some("board seats > 1".into()))),
        Just(Message::WhenFalse(Some("board seats > 3".into()))),
        Just(Message::WhenFalse(None)),
        Just(Message::WhenUnknown),
        Just(Message::Exempt),
        not_in_effect(),
        not_in_effect(),
        does_not_hold(&["board seats >= 3"]),
        does_not_hold(&["board seats <= 11"]),
        does_not_hold(&["board seats > 1"]),
        does_not_hold(&["board seats > 2"]),
        does_not_hold(&["board seats > 1", "board seats > 2"]),
        does_not_hold(&["board seats > 3"]),
    ];
    let outcome = prop_oneof![
        3 => Just(Outcome::Pass),
        3 => Just(Outcome::NotApplicable),
        3 => Just(Outcome::Fail),
        1 => Just(Outcome::Incomplete),
    ];
    (
        0usize..7,
        outcome,
        message,
        prop_oneof![4 => Just(Vec::new()), 1 => vec(evidence(), 1..2)],
        prop_oneof![4 => Just(None), 1 => option::of(text())],
        prop_oneof![4 => Just(None), 1 => option::of(text())],
        prop_oneof![4 => Just(Vec::new()), 1 => Just(vec![0usize, 1])],
        any::<bool>(),
    )
        .prop_map(
            |(rule, outcome, message, evidence, exempt, help, unknown_when, counted)| RuleResult {
                rule,
                outcome,
                exempt: exempt.map(Into::into),
                message,
                evidence,
                help: help.map(|h| Help::Rule(h.into())),
                unknown_when: unknown_when.into_boxed_slice(),
                counted,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The results written from [`Prerendered`] are the bytes [`write_rule`] writes, in the
    /// JSON-lines and the JSON report alike.
    #[test]
    fn prerendered_results_are_written_the_slow_way(
        results in vec(near_plain_result(), 0..6),
        path in text(),
        audit in audit(),
    ) {
        let policy = policy_with_whens();
        let d = deal_of(path, results);
        let run = audit.run_object(&policy);
        let compact = Prerendered::new(&policy, false);
        let pretty = Prerendered::new(&policy, true);
        for pre in [None, Some(&compact), Some(&pretty)] {
            written_the_slow_way(&policy, &d, &run, pre)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The results of rules not in effect, written around their date, are the bytes
    /// [`write_rule`] writes: on any date, counted or not, with the rule's own message or
    /// another's, sometimes with evidence.
    #[test]
    fn not_in_effect_results_are_written_the_slow_way(
        results in vec(
            (
                2usize..6,
                2usize..6,
                on_any_date(),
                any::<bool>(),
                any::<bool>(),
                prop_oneof![6 => Just(Vec::new()), 1 => vec(evidence(), 1..2)],
            ),
            1..6,
        ),
    ) {
        let policy = policy_with_whens();
        let results = results
            .into_iter()
            .map(|(rule, message_of, on, as_of, counted, evidence)| {
                let of = policy.rules.get(message_of).unwrap();
                let window = of.window.unwrap_or(crate::resolve::ir::Window {
                    from: jiff::civil::date(2026, 1, 1),
                    until: None,
                });
                RuleResult {
                    rule,
                    counted,
                    evidence,
                    ..RuleResult::plain(
                        Outcome::NotApplicable,
                        crate::eval::not_in_effect(of, window, on, as_of),
                    )
                }
            })
            .collect();
        let d = deal_of("d.json".into(), results);
        let run = Audit::deterministic(None).run_object(&policy);
        for pretty in [false, true] {
            written_the_slow_way(&policy, &d, &run, Some(&Prerendered::new(&policy, pretty)))?;
        }
    }
}

/// A compliant deal of these results, at `path`.
fn deal_of(path: String, results: Vec<RuleResult>) -> DealReport {
    DealReport {
        path,
        proposal: None,
        verdict: Verdict::Compliant,
        results,
        problems: Vec::new(),
        errors_omitted: 0,
        warnings_omitted: 0,
        deal: None,
    }
}

/// The deal's JSON line and its object in the JSON report, written from `pre`, are the bytes
/// written without it.
fn written_the_slow_way(
    policy: &Policy,
    d: &DealReport,
    run: &[u8],
    pre: Option<&Prerendered>,
) -> Result<(), TestCaseError> {
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    write_report_line_with(&mut fast, policy, d, run, pre);
    write_report_line(&mut slow, policy, d, run);
    prop_assert_eq!(
        String::from_utf8(fast).unwrap(),
        String::from_utf8(slow).unwrap()
    );
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    write_report_deal_with(&mut fast, policy, d, pre);
    write_report_deal(&mut slow, policy, d);
    prop_assert_eq!(
        String::from_utf8(fast).unwrap(),
        String::from_utf8(slow).unwrap()
    );
    Ok(())
}

#[test]
fn plain_results_are_prerendered_and_others_not() {
    let policy = policy_with_whens();
    let pre = Prerendered::new(&policy, false);
    let plain = |rule: usize, outcome: Outcome, message: Message| RuleResult {
        rule,
        ..RuleResult::plain(outcome, message)
    };
    assert!(pre
        .of(&policy, &plain(0, Outcome::Pass, Message::Holds))
        .is_some());
    let when = |t: &str| Message::WhenFalse(Some(t.into()));
    let na = Outcome::NotApplicable;
    assert!(pre
        .of(&policy, &plain(1, na, when("board seats < 40")))
        .is_some());
    // Another rule's clause, a fail, an exemption: written the slow way.
    assert!(pre
        .of(&policy, &plain(1, na, when("board seats > 1")))
        .is_none());
    assert!(pre
        .of(&policy, &plain(0, Outcome::Fail, Message::Holds))
        .is_none());
    // A failure on one `require` clause: its head and its sources; on two, or another rule's
    // clause, or exempt: written the slow way.
    let fails = |rule: usize, clauses: &[&str]| {
        let message = Message::DoesNotHold(clauses.iter().map(|&c| c.into()).collect());
        plain(rule, Outcome::Fail, message)
    };
    assert!(pre
        .failure(&policy, &fails(5, &["board seats > 2"]))
        .is_some());
    assert!(pre
        .failure(&policy, &fails(0, &["board seats >= 3"]))
        .is_some());
    assert!(pre
        .failure(&policy, &fails(5, &["board seats > 1", "board seats > 2"]))
        .is_none());
    assert!(pre
        .failure(&policy, &fails(0, &["board seats > 2"]))
        .is_none());
    let mut exempt_failure = fails(0, &["board seats >= 3"]);
    exempt_failure.exempt = Some("x".into());
    assert!(pre.failure(&policy, &exempt_failure).is_none());
    let mut exempt = plain(0, Outcome::Pass, Message::Holds);
    exempt.exempt = Some("x".into());
    assert!(pre.of(&policy, &exempt).is_none());
    // Not in effect on a date: around the date, unless the object holds the date's mark
    // elsewhere (the fifth rule's title) or the message is not the rule's.
    let rule = |i: usize| policy.rules.get(i).unwrap();
    let not_in_effect = |i: usize, on: jiff::civil::Date, as_of: bool| {
        crate::eval::not_in_effect(rule(i), rule(i).window.unwrap(), on, as_of)
    };
    let on = jiff::civil::date(2026, 3, 2);
    for (i, as_of) in [(3, false), (3, true), (5, false), (5, true)] {
        let r = plain(i, na, not_in_effect(i, on, as_of));
        assert!(
            matches!(pre.of(&policy, &r), Some(Rendered::Around { date, .. }) if date == on),
            "rule {i}, as of {as_of}"
        );
    }
    assert!(pre
        .of(&policy, &plain(4, na, not_in_effect(4, on, false)))
        .is_none());
    assert!(pre
        .of(&policy, &plain(3, na, not_in_effect(5, on, false)))
        .is_none());
    // Another policy's results are never written from these.
    let other = policy_with_whens();
    assert!(pre
        .of(&other, &plain(0, Outcome::Pass, Message::Holds))
        .is_none());
}

/// Every fixed name written without an escape search is written as `field_str` writes it.
#[test]
fn fixed_names_need_no_escape() {
    use crate::syntax::ast::{Severity, Status};
    let cmp = CmpOp::ALL;
    let ops = cmp
        .into_iter()
        .map(Op::Cmp)
        .chain([Op::Is, Op::In, Op::NotIn, Op::Within]);
    let names: Vec<&'static str> = [Severity::Error, Severity::Warning, Severity::Info]
        .map(Severity::as_str)
        .into_iter()
        .chain(
            [
                Status::InForce,
                Status::Proposed,
                Status::Reported,
                Status::Repealed,
            ]
            .map(Status::as_str),
        )
        .chain(
            [
                Outcome::Pass,
                Outcome::Fail,
                Outcome::NotApplicable,
                Outcome::Incomplete,
            ]
            .map(Outcome::as_str),
        )
        .chain(
            [
                Verdict::Compliant,
                Verdict::NonCompliant,
                Verdict::Incomplete,
                Verdict::Invalid,
            ]
            .map(Verdict::as_str),
        )
        .chain(ops.map(prose::op))
        .collect();
    for name in names {
        let (mut fast, mut escaped) = (Vec::new(), Vec::new());
        JsonOut::compact(&mut fast).field_name("k", name);
        JsonOut::compact(&mut escaped).field_str("k", name);
        assert_eq!(fast, escaped, "{name}");
    }
}
