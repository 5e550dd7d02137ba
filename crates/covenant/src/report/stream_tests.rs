//! The streamed reports are byte for byte the whole-batch ones, from memory or from disk.

use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::check::{read, Engine, Settings};
use crate::report::junit;
use crate::report::spool::Spool;
use crate::report::stream::Caps;

fn examples() -> (Arc<Policy>, Vec<DealReport>) {
    let root = crate::repo_root();
    let compiled = crate::resolve::compile(&[root.join("examples/policies")]);
    let policy = compiled
        .map(|c| c.policy)
        .unwrap_or_else(|_| std::process::abort());
    let mut deals: Vec<PathBuf> = std::fs::read_dir(root.join("examples/deals"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e != "jsonl"))
        .collect();
    deals.sort();
    let policy = Arc::new(policy);
    let engine = Engine::new(Arc::clone(&policy), Settings::default());
    let mut reports: Vec<DealReport> = deals.iter().map(|p| engine.check_file(p)).collect();
    // An invalid deal, with problems past the ones shown.
    let mut invalid = read::unreadable("gone.yaml", "no such file").report("gone.yaml".into());
    invalid.errors_omitted = 7;
    invalid.warnings_omitted = 2;
    reports.push(invalid);
    (policy, reports)
}

/// The audit fields of the runs compared: a fixed time, so that both renderings carry it.
fn audit() -> Audit {
    Audit::at(jiff::Timestamp::UNIX_EPOCH, "2026-01-31".parse().ok())
}

fn whole(kind: Kind, policy: &Policy, deals: &[DealReport], summary: &Summary) -> String {
    whole_within(kind, policy, deals, summary, &Caps::NONE)
}

fn whole_within(
    kind: Kind,
    policy: &Policy,
    deals: &[DealReport],
    summary: &Summary,
    caps: &Caps,
) -> String {
    match kind {
        Kind::Sarif => sarif::report_within(policy, &audit(), deals, summary, caps.results),
        Kind::Markdown => markdown_cut::report_within(policy, deals, summary, caps),
    }
}

fn streamed(
    kind: Kind,
    policy: &Policy,
    deals: &[DealReport],
    summary: &Summary,
    spool_limit: usize,
    caps: &Caps,
) -> String {
    let spool = || Spool::with_limit(spool_limit);
    let mut report = Streamed::with_spools(kind, spool(), spool()).within(*caps);
    for d in deals {
        let mut buf = b"text of earlier deals in the chunk".to_vec();
        let start = buf.len();
        render(kind, policy, d, &mut buf);
        report.add(policy, d, buf.get(start..).unwrap_or_default());
    }
    let mut out = Vec::new();
    if let Err(e) = report.finish(policy, &audit(), summary, &mut out) {
        panic!("{kind:?}: {e}");
    }
    String::from_utf8(out).unwrap_or_default()
}

#[test]
fn streamed_reports_are_the_whole_batch_reports_byte_for_byte() {
    let (policy, reports) = examples();
    for kind in [Kind::Sarif, Kind::Markdown] {
        for n in [0, 1, 2, reports.len()] {
            let deals = reports.get(..n).unwrap_or_default();
            let mut summary = Summary::default();
            deals.iter().for_each(|d| summary.add(d.verdict));
            let expected = whole(kind, &policy, deals, &summary);
            for limit in [usize::MAX, 0, 100] {
                let got = streamed(kind, &policy, deals, &summary, limit, &Caps::NONE);
                assert_eq!(got, expected, "{kind:?}, {n} deals, spool limit {limit}");
            }
        }
    }
}

/// Every cap the reports can have, from none to one that leaves almost nothing.
fn caps() -> Vec<Caps> {
    let mut caps = vec![Caps::NONE, Caps::GITHUB];
    for results in [0, 1, 5, 17, 40] {
        caps.push(Caps {
            results: Some(results),
            markdown_chars: None,
        });
    }
    for chars in [0, 3_000, 6_000, 12_000, 30_000] {
        caps.push(Caps {
            results: None,
            markdown_chars: Some(chars),
        });
        caps.push(Caps {
            results: Some(9),
            markdown_chars: Some(chars),
        });
    }
    caps
}

#[test]
fn capped_reports_are_streamed_as_the_whole_batch_writes_them() {
    let (policy, reports) = examples();
    let mut summary = Summary::default();
    reports.iter().for_each(|d| summary.add(d.verdict));
    for kind in [Kind::Sarif, Kind::Markdown] {
        for caps in caps() {
            let expected = whole_within(kind, &policy, &reports, &summary, &caps);
            for limit in [usize::MAX, 0] {
                let got = streamed(kind, &policy, &reports, &summary, limit, &caps);
                assert_eq!(got, expected, "{kind:?}, {caps:?}, spool limit {limit}");
            }
        }
    }
}

/// The results a SARIF log lists, and the count of the others in its run.
fn listed(log: &str) -> (usize, u64) {
    let v: serde_json::Value = serde_json::from_str(log).unwrap_or_default();
    let run = &v["runs"][0];
    let shown = run["results"].as_array().map_or(0, Vec::len);
    let omitted = run["properties"]["results_omitted"].as_u64().unwrap_or(0);
    (shown, omitted)
}

#[test]
fn a_capped_sarif_log_lists_the_first_results_and_counts_the_others() {
    let (policy, reports) = examples();
    let summary = Summary::default();
    let (all, none) = listed(&sarif::report(&policy, &audit(), &reports, &summary));
    assert_eq!(none, 0);
    assert!(all > 20, "{all}");
    for max in [0, 1, 17, all - 1, all, all + 1] {
        let log = sarif::report_within(&policy, &audit(), &reports, &summary, Some(max));
        let (shown, omitted) = listed(&log);
        assert_eq!(shown, max.min(all), "max {max}");
        assert_eq!(shown + omitted as usize, all, "max {max}");
        let told = log.contains("more are not (`--max-results`)");
        assert_eq!(told, omitted > 0, "max {max}");
        assert!(log.contains("\"executionSuccessful\": true"));
        // Every deal is still listed with its verdict.
        assert_eq!(log.matches("\"verdict\": ").count(), reports.len() + shown);
    }
}

#[test]
fn a_capped_markdown_report_fits_and_says_what_it_left_out() {
    let (policy, reports) = examples();
    let mut summary = Summary::default();
    reports.iter().for_each(|d| summary.add(d.verdict));
    let whole = markdown_cut::report(&policy, &reports, &summary);
    let length = super::markdown_cut::chars(whole.as_bytes());
    // Room for the whole report and its possible last line: the whole report, unchanged.
    let roomy = Caps {
        results: None,
        markdown_chars: Some(length + 2_000),
    };
    assert_eq!(
        markdown_cut::report_within(&policy, &reports, &summary, &roomy),
        whole
    );
    assert!(length > 12_000, "{length}");
    for chars in [0, 2_500, 6_000, length / 2, length - 1] {
        let caps = Caps {
            results: None,
            markdown_chars: Some(chars),
        };
        let cut = markdown_cut::report_within(&policy, &reports, &summary, &caps);
        let head = markdown::head(&policy, &summary);
        assert!(cut.starts_with(&head), "{cut}");
        // Past the room for the head and the last line, the report fits the limit.
        if chars >= 6_000 {
            assert!(
                super::markdown_cut::chars(cut.as_bytes()) <= chars,
                "{chars}"
            );
        }
        assert!(cut.contains("more deals not shown"), "{chars}: {cut}");
        assert!(
            cut.ends_with(". The summary above counts every deal.*\n"),
            "{cut}"
        );
        // Only deals with findings are listed once the report is cut.
        assert!(!cut.contains("| compliant | — |"), "{cut}");
    }
}

#[test]
fn problems_past_the_ones_shown_are_counted_in_every_format() {
    let (policy, reports) = examples();
    let invalid = reports.get(reports.len() - 1..).unwrap_or_default();
    let summary = Summary::default();
    let sarif = whole(Kind::Sarif, &policy, invalid, &summary);
    assert!(sarif.contains("\"errors_omitted\": 7,\n"), "{sarif}");
    assert!(sarif.contains("\"warnings_omitted\": 2\n"), "{sarif}");
    let junit = junit::report(&policy, invalid, "2026-03-01T00:00:00");
    assert!(
        junit.contains("… and 7 more errors not shown\n… and 2 more warnings not shown</error>"),
        "{junit}"
    );
    let markdown = whole(Kind::Markdown, &policy, invalid, &summary);
    assert!(
        markdown.contains("8 problems, 2 deal warnings"),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n*… and 7 more errors not shown*\n"),
        "{markdown}"
    );
}

/// How a run's report is fed its deals: whole reports, one summary at a time, or the summaries
/// of chunks of deals with their parts in one text (what `covenant check` does).
#[derive(Clone, Copy, PartialEq)]
enum Handed {
    Reports,
    Summaries,
    Chunks,
}

/// A run's report fed each deal's summary (what `covenant check` hands the writer when the
/// workers render the deals), alone or a chunk at a time, is byte for byte the report fed
/// whole reports, with the same counts and exit code, in every format that does not need
/// whole reports.
#[test]
fn a_report_given_summaries_is_the_report_given_whole_reports() {
    use crate::report::run::{DealRenderer, Format, RunReport};
    use crate::report::Options;
    let (policy, mut deals) = examples();
    // A deal to which no rule applies (one more): counted for --require-applicable.
    let mut none_apply = read::empty("the deal").report("none.yaml".into());
    none_apply.verdict = crate::eval::outcome::Verdict::Compliant;
    deals.push(none_apply);
    let formats = [
        Format::Human,
        Format::Json,
        Format::Jsonl,
        Format::Junit,
        Format::Github,
        Format::Sarif,
        Format::Markdown,
    ];
    let flags = [(false, false), (true, false), (false, true), (true, true)];
    for format in formats {
        for (failures_only, require_applicable) in flags {
            let options = Options {
                failures_only,
                require_applicable,
                ..Options::default()
            };
            let renderer = DealRenderer::with_options(format, false, &policy, &audit(), options);
            let rendered: Vec<Vec<u8>> = deals
                .iter()
                .map(|d| {
                    let mut buf = Vec::new();
                    renderer.render(&policy, d, &mut buf);
                    buf
                })
                .collect();
            // Every deal's part in one text, as a chunk's workers render them; the second deal
            // not rendered at all, the third given a place that is not in the text (backwards):
            // no part, in every way of handing them.
            let mut text = Vec::new();
            let parts: Vec<Option<std::ops::Range<usize>>> = rendered
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let start = text.len();
                    text.extend_from_slice(r);
                    match i {
                        1 => None,
                        #[allow(clippy::reversed_empty_ranges, reason = "a place not in the text")]
                        2 => Some(text.len() + 1..start),
                        _ => Some(start..text.len()),
                    }
                })
                .collect();
            let run = |handed: Handed| {
                let mut out = Vec::new();
                let mut report = RunReport::start_with(format, options, &policy, audit(), &mut out);
                let needs = report.needs_reports();
                assert_eq!(needs, matches!(format, Format::Sarif | Format::Markdown));
                match handed {
                    Handed::Chunks if !needs => {
                        let summaries: Vec<_> = deals
                            .iter()
                            .map(|d| d.summary())
                            .zip(parts.iter().cloned())
                            .collect();
                        for chunk in summaries.chunks(3) {
                            report.add_summaries(&text, chunk);
                        }
                    }
                    _ => {
                        for (d, part) in deals.iter().zip(&parts) {
                            let part = part.clone().and_then(|r| text.get(r)).unwrap_or_default();
                            match handed != Handed::Reports && !needs {
                                true => report.add_summary(d.summary(), part),
                                false => report.add(&policy, d, part),
                            }
                        }
                    }
                }
                let summary = report.finish(&policy).ok();
                let code = summary.map(|s| s.exit_code_with(&options));
                let counts = summary.map(|s| (s.deals, s.invalid, s.no_rule_applies));
                (out, code, counts)
            };
            let whole = run(Handed::Reports);
            assert!(whole
                .2
                .is_some_and(|(n, _, none)| n == deals.len() && none >= 1));
            for summarized in [run(Handed::Summaries), run(Handed::Chunks)] {
                assert_eq!(whole.1, summarized.1, "{format:?} {options:?}");
                assert_eq!(whole.2, summarized.2, "{format:?} {options:?}");
                assert_eq!(
                    String::from_utf8_lossy(&whole.0),
                    String::from_utf8_lossy(&summarized.0),
                    "{format:?} {options:?}"
                );
            }
        }
    }
}

/// A chunk's parts that are shown one after the other reach the writer in one call (so that a
/// buffered writer passes them on without copying them into its buffer); a deal left out by
/// `--failures-only`, whose part is there, ends such a run.
#[test]
fn a_chunks_parts_shown_together_are_written_in_one_call() {
    use crate::report::run::{DealRenderer, Format, RunReport};
    use crate::report::Options;

    /// Each write's bytes.
    struct Writes(Vec<Vec<u8>>);
    impl std::io::Write for Writes {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.push(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let (policy, deals) = examples();
    for failures_only in [false, true] {
        let options = Options {
            failures_only,
            ..Options::default()
        };
        // Every deal rendered (a renderer with `--failures-only` renders nothing for a deal
        // it leaves out, so its neighbours' parts would meet).
        let renderer =
            DealRenderer::with_options(Format::Jsonl, false, &policy, &audit(), Options::default());
        let mut text = Vec::new();
        let chunk: Vec<_> = deals
            .iter()
            .map(|d| {
                let start = text.len();
                renderer.render(&policy, d, &mut text);
                (d.summary(), Some(start..text.len()))
            })
            .collect();
        let mut out = Writes(Vec::new());
        let mut report = RunReport::start_with(Format::Jsonl, options, &policy, audit(), &mut out);
        report.add_summaries(&text, &chunk);
        assert!(report.finish(&policy).is_ok());
        let shown: Vec<bool> = chunk
            .iter()
            .map(|(d, _)| !failures_only || d.fails(&options))
            .collect();
        let runs = shown
            .iter()
            .zip(std::iter::once(&false).chain(&shown))
            .filter(|(s, before)| **s && !**before)
            .count();
        let expected: Vec<u8> = chunk
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .filter_map(|((_, part), _)| part.clone().and_then(|p| text.get(p)))
            .flatten()
            .copied()
            .collect();
        assert_eq!(out.0.concat(), expected, "failures_only {failures_only}");
        assert_eq!(
            out.0.len(),
            runs,
            "failures_only {failures_only}: {shown:?}"
        );
        assert!(failures_only && runs > 1 || runs == 1, "{shown:?}");
    }
}

/// A deal whose place is not in the chunk's text (here: backwards, from where the run ends) is
/// no part, as for `add_summary`: the run goes on whole, in one write.
#[test]
fn a_place_outside_the_text_is_no_part() {
    use crate::report::run::{DealRenderer, Format, RunReport};
    use crate::report::Options;

    let (policy, deals) = examples();
    let options = Options::default();
    let renderer = DealRenderer::with_options(Format::Jsonl, false, &policy, &audit(), options);
    let mut text = Vec::new();
    let mut chunk: Vec<_> = deals
        .iter()
        .take(3)
        .map(|d| {
            let start = text.len();
            renderer.render(&policy, d, &mut text);
            (d.summary(), Some(start..text.len()))
        })
        .collect();
    let first_end = chunk[0].1.clone().map_or(0, |p| p.end);
    #[allow(clippy::reversed_empty_ranges, reason = "a place not in the text")]
    let backwards = first_end..first_end - 1;
    chunk.insert(1, (chunk[0].0, Some(backwards)));
    chunk.insert(2, (chunk[0].0, Some(text.len()..text.len() + 9)));
    let mut out = Vec::new();
    let mut writes = 0;
    {
        struct Counted<'a>(&'a mut Vec<u8>, &'a mut usize);
        impl std::io::Write for Counted<'_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                *self.1 += 1;
                self.0.extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut counted = Counted(&mut out, &mut writes);
        let mut report =
            RunReport::start_with(Format::Jsonl, options, &policy, audit(), &mut counted);
        report.add_summaries(&text, &chunk);
        assert!(report.finish(&policy).is_ok());
    }
    assert!(first_end > 0);
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&text)
    );
    assert_eq!(writes, 1);
}
