//! Unit tests of the ownership floor: SPEC §7.2 and §7.3 bullet by bullet, the worked example
//! of spec-v2-notes A.1 and A.2 with its numbers, and a differential test against path
//! enumeration on random graphs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod control;
mod differential;
mod frac;
mod graph;
mod kept;
mod look_through;
mod paths;
mod reference;
mod support;
