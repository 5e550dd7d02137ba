//! The decision-log suite, written once: each test takes a fresh target and runs the same on
//! SQLite and PostgreSQL (`main.rs` instantiates it for both).

mod reading;
mod summary;
mod writing;

pub use reading::*;
pub use summary::*;
pub use writing::*;

use covenant_server::decision_log::{DecisionLog, NewDecision};

pub(crate) async fn append_all(
    log: &DecisionLog,
    decisions: Vec<NewDecision>,
) -> Vec<(i64, NewDecision)> {
    let mut logged = Vec::new();
    for decision in decisions {
        let id = log.append(&decision).await.unwrap();
        logged.push((id, decision));
    }
    logged
}
