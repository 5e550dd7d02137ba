//! The threads that check deals: CPU-bound work never runs on the async runtime. Each has a
//! large stack ([`covenant::limits::WORKER_STACK`]), as the command line's workers do, so the
//! deepest deal and policy the limits allow cannot overflow it; a panic in the work is caught
//! and answered `covenant::server::internal`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::ApiError;

/// A pool of checking threads.
pub struct Pool(rayon::ThreadPool);

impl Pool {
    /// A pool of `threads` threads (0: one per core).
    pub fn new(threads: usize) -> Result<Pool, String> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(covenant::limits::WORKER_STACK)
            .thread_name(|i| format!("covenant-serve-check-{i}"))
            .build()
            .map(Pool)
            .map_err(|e| format!("cannot start the checking threads: {e}"))
    }

    /// Run `work` on a checking thread and wait for it without blocking the runtime.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.0.spawn(move || {
            let _ = tx.send(catch_unwind(AssertUnwindSafe(work)));
        });
        match rx.await {
            Ok(Ok(done)) => Ok(done),
            Ok(Err(payload)) => {
                let p = covenant::check::read::internal_panic("answering", payload.as_ref());
                Err(ApiError::internal(p.to_string()))
            }
            Err(_) => Err(ApiError::internal("the checking thread stopped")),
        }
    }
}
