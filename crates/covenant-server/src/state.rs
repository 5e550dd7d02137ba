//! What every request shares: the serving policy set, the decision log, the checking pool,
//! the metrics and the limits.

use std::sync::Arc;

use crate::decision_log::DecisionLog;
use crate::metrics::Metrics;
use crate::policies::PolicyStore;
use crate::work::Pool;

/// What every request shares.
#[derive(Clone)]
pub struct AppState {
    pub policies: Arc<PolicyStore>,
    pub log: DecisionLog,
    pub pool: Arc<Pool>,
    pub metrics: Arc<Metrics>,
    pub token: Option<Arc<str>>,
    /// Keep each deal's text in the log (`--no-store-deals`: only its hash).
    pub store_deals: bool,
    /// The largest request body: the deal size limit.
    pub max_body: u64,
    /// The deal and policy limits (a candidate policy set is compiled within them).
    pub limits: covenant::limits::Limits,
}
