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

#[cfg(test)]
mod tests {
    use super::*;

    /// `covenant::server::internal`, the last resort: a panic while answering is a 500 with
    /// its code, and the pool goes on working.
    #[tokio::test]
    async fn a_panic_in_the_work_is_an_internal_error() {
        let pool = Pool::new(1).map_err(|e| e.to_string());
        let Ok(pool) = pool else {
            return assert_eq!(pool.err(), None);
        };
        #[allow(clippy::panic, reason = "the panic under test")]
        let failed = pool.run(|| -> u8 { panic!("boom") }).await;
        let failed = failed.map_err(|e| (e.status.as_u16(), e.code, e.message));
        assert_eq!(
            failed,
            Err((
                500,
                "covenant::server::internal",
                "internal error while answering: boom".to_string()
            ))
        );
        assert_eq!(pool.run(|| 2 + 2).await.ok(), Some(4));
    }
}
