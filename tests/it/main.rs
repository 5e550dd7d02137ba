//! The integration tests, in one binary: one module per subject, sharing the helpers of
//! `common`, `support` and `fmt_support`. One binary links once instead of once per file.
//! How to run a part, the heavy tests and the soak: `docs/testing.md`.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests: a failure is a panic"
)]

// Shared helpers.
mod common;
mod fmt_support;
/// The fuzz targets' shared checks and policy lists (`fuzz_regressions` replays `deal_fast`'s
/// and `compiled`'s saved inputs through them; `compiled_quick` reads the adversarial
/// policies).
#[path = "../../fuzz/fuzz_targets/common.rs"]
mod fuzz_common;
mod lsp_client;
mod support;

// Subjects.
mod adversarial;
mod approvals;
mod audit;
mod baseline_v2;
mod citations;
mod compiled_quick;
mod control;
mod custom_schema;
mod data_bans;
mod deal_errors;
mod deal_robustness;
mod definitions;
mod diagnostics;
mod diagnostics_reference;
mod diff;
mod differential;
mod differential_rules;
mod distribution;
mod docs;
mod encodings;
mod entity_kinds;
mod examples;
mod explain;
mod fmt;
mod fmt_props;
mod forged_output;
mod formats;
mod fuzz_regressions;
mod fx;
mod fx_reports;
mod human;
mod inputs;
mod install;
mod junit_schema;
mod knobs;
mod lazy_evaluator;
mod limits;
mod lint;
mod lint_logic;
mod look_through;
mod lsp;
mod names;
mod nothing_lost;
mod ownership_reports;
mod parse_errors;
mod parse_fuzz;
mod parse_policies;
mod per;
mod precedence;
mod presence;
mod property;
mod report_memory;
mod report_scale;
mod rulings;
mod sarif_schema;
mod semantics;
mod serve_crash;
mod small_runs;
mod spec_refs;
mod status;
mod suites;
mod table_checks;
mod tables;
mod termination;
mod time;
mod write_errors;
