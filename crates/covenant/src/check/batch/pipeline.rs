//! A bounded, ordered pipeline: one thread reads pieces of work, worker threads do them, and
//! the calling thread writes the results in the order read. Reading, working and writing
//! overlap; at most [`IN_FLIGHT_PER_WORKER`] pieces per worker are read ahead, being worked
//! on or waiting to be written, so memory stays bounded however long the input. With a
//! [`Budget`], the pieces in flight weigh at most so many bytes as well (though each worker
//! may always have one).
//!
//! A panic on any thread ends the run: the others stop soon after (never wait for each
//! other) and the panic is raised again in the caller.

use std::collections::{BTreeMap, VecDeque};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Condvar, Mutex};
use std::thread::{self, Builder, Scope};
use std::time::Duration;

use crate::limits::WORKER_STACK;

/// Pieces of work in flight per worker: enough to keep every worker busy while the writer
/// waits for a slow piece.
pub const IN_FLIGHT_PER_WORKER: usize = 4;

/// The pieces of work in flight with `workers` workers.
pub fn in_flight(workers: usize) -> usize {
    workers.max(1) * IN_FLIGHT_PER_WORKER
}

/// Hands each piece of work to the pipeline, in order.
pub type Feed<'a, W> = dyn FnMut(W) + 'a;

/// The most bytes in flight, and what a piece of work is expected to weigh once done.
pub struct Budget<'a, W> {
    pub bytes: usize,
    pub weigh: &'a (dyn Fn(&W) -> usize + Sync),
}

/// What the workers do: each first makes a state of its own with `start`, given its index
/// (0, 1, …), on its own thread; then it does each piece it takes with `work` and that state.
pub struct Workers<'a, S, W, D> {
    pub start: &'a (dyn Fn(usize) -> S + Sync),
    pub work: &'a (dyn Fn(&S, W) -> D + Sync),
}

/// Read with `read` on its own thread, do each piece with `work` on `workers` threads (each
/// with a [`WORKER_STACK`]), and `write` the results here in the order read, with at most
/// `budget.bytes` in flight (or one piece per worker). When no thread can be started,
/// everything runs here, one piece at a time, with the state of worker 0.
pub fn run_within<S, W: Send, D: Send>(
    workers: usize,
    budget: &Budget<'_, W>,
    read: impl FnOnce(&mut Feed<'_, W>) + Send,
    work: &Workers<'_, S, W, D>,
    write: &mut dyn FnMut(D),
) {
    let failed = AtomicBool::new(false);
    let gate = Gate::new(budget.bytes, workers.max(1));
    let read = Mutex::new(Some(read));
    let take_read = || read.lock().ok().and_then(|mut r| r.take());
    let queue = WorkQueue::new();
    thread::scope(|s| {
        let in_flight = in_flight(workers);
        let (slot_tx, slot_rx) = sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = slot_tx.try_send(());
        }
        let (done_tx, done_rx) = channel::<(u64, D)>();
        let started = start_workers(s, workers, &queue, &done_tx, &slot_tx, &failed, work);
        drop(done_tx);
        let reader = (started > 0).then(|| {
            let (failed, gate, queue) = (&failed, &gate, &queue);
            let weigh = budget.weigh;
            Builder::new()
                .name("covenant-read".into())
                .spawn_scoped(s, move || {
                    let to_workers = ToWorkers {
                        slot_rx,
                        queue,
                        gate,
                        weigh,
                    };
                    if let Some(read) = take_read() {
                        feed(read, to_workers, failed);
                    }
                })
        });
        if let Some(Ok(_)) = &reader {
            crate::limits::note_thread_started();
        }
        match reader {
            Some(Ok(_)) => write_in_order(done_rx, write, &slot_tx, &gate, &failed),
            // No thread: read, work and write here (the workers, if any, see no work).
            _ => {
                queue.close();
                if let Some(read) = take_read() {
                    let state = (work.start)(0);
                    read(&mut |w| write((work.work)(&state, w)));
                }
            }
        }
    });
}

fn start_workers<'scope, S, W: Send + 'scope, D: Send + 'scope>(
    s: &'scope Scope<'scope, '_>,
    workers: usize,
    queue: &'scope WorkQueue<W>,
    done_tx: &Sender<(u64, D)>,
    slot_tx: &SyncSender<()>,
    failed: &'scope AtomicBool,
    work: &'scope Workers<'scope, S, W, D>,
) -> usize {
    let mut started = 0;
    for i in 0..workers {
        let done_tx = done_tx.clone();
        let alarm = Alarm {
            failed,
            wake: slot_tx.clone(),
        };
        let spawned = Builder::new()
            .name(format!("covenant-check-{i}"))
            .stack_size(WORKER_STACK)
            .spawn_scoped(s, move || {
                let _alarm = alarm;
                let state = (work.start)(i);
                do_work(queue, done_tx, |w| (work.work)(&state, w));
            });
        if spawned.is_ok() {
            crate::limits::note_thread_started();
            started += 1;
        }
    }
    started
}

/// A worker: take the next piece, do it, send the result, until the work runs out.
fn do_work<W, D>(queue: &WorkQueue<W>, done_tx: Sender<(u64, D)>, work: impl Fn(W) -> D) {
    while let Some((seq, w)) = queue.take() {
        if done_tx.send((seq, work(w))).is_err() {
            return;
        }
    }
}

/// The pieces read and not yet taken, in order, shared by the workers. An idle worker waits
/// on the condition variable, not holding the lock: had it waited in a channel's `recv`
/// under a lock, each piece taken would hand the lock to the next idle worker, a wake-up
/// from one worker to another that the scheduler answers by placing the two on one core
/// (BENCHMARKS.md, "twenty-eighth session"). Only the reader wakes a worker.
struct WorkQueue<W> {
    state: Mutex<Pieces<W>>,
    ready: Condvar,
}

struct Pieces<W> {
    waiting: VecDeque<(u64, W)>,
    /// No more pieces will come: the reader is done, or gone.
    closed: bool,
    /// Workers waiting on the condition variable, and any woken that have not yet taken the
    /// lock back: a piece added wakes one only if this is not 0 (a wake-up is a system call
    /// even when no one waits).
    idle: usize,
}

impl<W> WorkQueue<W> {
    fn new() -> Self {
        WorkQueue {
            state: Mutex::new(Pieces {
                waiting: VecDeque::new(),
                closed: false,
                idle: 0,
            }),
            ready: Condvar::new(),
        }
    }

    /// Adds a piece and wakes one idle worker; false when the queue cannot take it.
    fn put(&self, seq: u64, w: W) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        state.waiting.push_back((seq, w));
        let wake = state.idle > 0;
        drop(state);
        if wake {
            self.ready.notify_one();
        }
        true
    }

    /// The next piece, waiting for one; None once the queue is closed and empty (or a
    /// thread panicked while holding it).
    fn take(&self) -> Option<(u64, W)> {
        let mut state = self.state.lock().ok()?;
        loop {
            if let Some(piece) = state.waiting.pop_front() {
                return Some(piece);
            }
            if state.closed {
                return None;
            }
            state.idle = state.idle.saturating_add(1);
            state = self.ready.wait(state).ok()?;
            state.idle = state.idle.saturating_sub(1);
        }
    }

    /// No more pieces: the workers finish those waiting, then stop.
    fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.closed = true;
        }
        self.ready.notify_all();
    }
}

/// The reader's way to the workers. Dropped, when the reader is done or unwinding, it closes
/// the queue, so that no worker waits for a piece that will never come.
struct ToWorkers<'a, W> {
    slot_rx: Receiver<()>,
    queue: &'a WorkQueue<W>,
    gate: &'a Gate,
    weigh: &'a (dyn Fn(&W) -> usize + Sync),
}

impl<W> Drop for ToWorkers<'_, W> {
    fn drop(&mut self) {
        self.queue.close();
    }
}

/// The reader: each piece waits for a free slot and room in the budget, then goes to the
/// workers, numbered. Once a thread has panicked, the rest of the input is dropped unread by
/// the workers.
fn feed<W>(read: impl FnOnce(&mut Feed<'_, W>), to: ToWorkers<'_, W>, failed: &AtomicBool) {
    let mut seq = 0u64;
    let stop = || failed.load(Ordering::SeqCst);
    read(&mut |w| {
        if stop() || to.slot_rx.recv().is_err() || stop() {
            return;
        }
        to.gate.enter((to.weigh)(&w), failed);
        if stop() {
            return;
        }
        if to.queue.put(seq, w) {
            seq += 1;
        }
    });
}

/// The bytes in flight: each piece's expected weight, from when it goes to the workers until
/// it is written (both in the order read).
struct Gate {
    budget: usize,
    /// Pieces always let through, however heavy: one per worker, so none waits idle.
    least: usize,
    pieces: Mutex<(usize, VecDeque<usize>)>,
    left: Condvar,
}

impl Gate {
    fn new(budget: usize, least: usize) -> Gate {
        Gate {
            budget,
            least,
            pieces: Mutex::new((0, VecDeque::new())),
            left: Condvar::new(),
        }
    }

    /// Wait until a piece of `weight` fits (or the run has failed), then count it in.
    fn enter(&self, weight: usize, failed: &AtomicBool) {
        let Ok(mut pieces) = self.pieces.lock() else {
            return;
        };
        while pieces.1.len() >= self.least
            && pieces.0.saturating_add(weight) > self.budget
            && !failed.load(Ordering::SeqCst)
        {
            // A timeout as well: a failed run wakes no one.
            match self.left.wait_timeout(pieces, Duration::from_millis(50)) {
                Ok((p, _)) => pieces = p,
                Err(_) => return,
            }
        }
        pieces.0 = pieces.0.saturating_add(weight);
        pieces.1.push_back(weight);
    }

    /// The oldest piece is written.
    fn leave(&self) {
        if let Ok(mut pieces) = self.pieces.lock() {
            if let Some(w) = pieces.1.pop_front() {
                pieces.0 = pieces.0.saturating_sub(w);
            }
        }
        self.left.notify_all();
    }
}

/// The writer: results arrive in any order and are written in the order read; each one
/// written frees a slot for the reader.
fn write_in_order<D>(
    done_rx: Receiver<(u64, D)>,
    write: &mut dyn FnMut(D),
    slot_tx: &SyncSender<()>,
    gate: &Gate,
    failed: &AtomicBool,
) {
    let written = catch_unwind(AssertUnwindSafe(|| {
        let mut next = 0u64;
        let mut waiting = BTreeMap::new();
        for (seq, done) in done_rx.iter() {
            waiting.insert(seq, done);
            while let Some(done) = waiting.remove(&next) {
                write(done);
                next += 1;
                gate.leave();
                let _ = slot_tx.try_send(());
            }
        }
    }));
    if let Err(panic) = written {
        failed.store(true, Ordering::SeqCst);
        let _ = slot_tx.try_send(());
        resume_unwind(panic);
    }
}

/// Held by a worker: when the worker panics, the reader is told to stop (and woken), so
/// nothing waits for a result that will never come.
struct Alarm<'a> {
    failed: &'a AtomicBool,
    wake: SyncSender<()>,
}

impl Drop for Alarm<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.failed.store(true, Ordering::SeqCst);
            let _ = self.wake.try_send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn run<W: Send, D: Send>(
        workers: usize,
        read: impl FnOnce(&mut Feed<'_, W>) + Send,
        work: &(dyn Fn(W) -> D + Sync),
        write: &mut dyn FnMut(D),
    ) {
        let budget = Budget {
            bytes: usize::MAX,
            weigh: &|_| 0,
        };
        let stateless = Workers {
            start: &|_| (),
            work: &|(), w| work(w),
        };
        run_within(workers, &budget, read, &stateless, write);
    }

    /// Each worker makes its state once, on its own thread, before its first piece, and does
    /// every piece with it; with no thread, the caller does them all with worker 0's.
    #[test]
    fn each_worker_does_its_pieces_with_a_state_of_its_own() {
        for workers in [0, 1, 3] {
            let started = Mutex::new(Vec::new());
            let mut done = Vec::new();
            let budget = Budget {
                bytes: usize::MAX,
                weigh: &|_| 0,
            };
            run_within(
                workers,
                &budget,
                |feed: &mut Feed<'_, u64>| (0..300).for_each(feed),
                &Workers {
                    start: &|i| {
                        started.lock().unwrap().push(i);
                        (i, thread::current().id())
                    },
                    work: &|state: &(usize, thread::ThreadId), n: u64| {
                        thread::sleep(Duration::from_micros(n % 3 * 20));
                        (n, *state, thread::current().id())
                    },
                },
                &mut |d| done.push(d),
            );
            let mut started = started.into_inner().unwrap();
            started.sort_unstable();
            let expected: Vec<usize> = (0..workers.max(1)).collect();
            assert_eq!(started, expected, "{workers} workers");
            let order: Vec<u64> = done.iter().map(|(n, ..)| *n).collect();
            assert_eq!(order, (0..300).collect::<Vec<_>>());
            for (n, (i, made_on), done_on) in &done {
                assert_eq!(made_on, done_on, "piece {n}, worker {i}");
            }
        }
    }

    #[test]
    fn results_are_written_in_order_for_any_number_of_workers() {
        for workers in [0, 1, 2, 7] {
            let mut out = Vec::new();
            run(
                workers,
                |feed: &mut Feed<'_, u64>| (0..500).for_each(feed),
                &|n: u64| {
                    if n.is_multiple_of(7) {
                        thread::sleep(Duration::from_micros(200));
                    }
                    n * 2
                },
                &mut |d| out.push(d),
            );
            assert_eq!(
                out,
                (0..500).map(|n| n * 2).collect::<Vec<_>>(),
                "{workers}"
            );
        }
    }

    /// Runs 200 pieces on 2 workers with a slow writer: how many were written, and the most
    /// read ahead of the writer.
    fn read_ahead(budget: &Budget<'_, ()>) -> (usize, usize) {
        let read = AtomicUsize::new(0);
        let mut most = 0;
        let mut written = 0;
        run_within(
            2,
            budget,
            |feed: &mut Feed<'_, ()>| {
                for _ in 0..200 {
                    read.fetch_add(1, Ordering::SeqCst);
                    feed(());
                }
            },
            &Workers {
                start: &|_| (),
                work: &|(), ()| thread::sleep(Duration::from_micros(50)),
            },
            &mut |()| {
                written += 1;
                most = most.max(read.load(Ordering::SeqCst) - written);
                thread::sleep(Duration::from_micros(100));
            },
        );
        (written, most)
    }

    #[test]
    fn memory_is_bounded() {
        let (written, most) = read_ahead(&Budget {
            bytes: usize::MAX,
            weigh: &|_| 0,
        });
        assert_eq!(written, 200);
        // Read ahead: the slots, plus the piece the reader holds while it waits for one.
        assert!(most <= 2 * IN_FLIGHT_PER_WORKER + 1, "{most}");
    }

    #[test]
    fn the_budget_bounds_the_bytes_in_flight_but_keeps_every_worker_busy() {
        let (written, most) = read_ahead(&Budget {
            bytes: 25,
            weigh: &|_: &()| 10,
        });
        assert_eq!(written, 200);
        // Two pieces (one per worker, 20 bytes of 25), plus the one the reader holds.
        assert!(most <= 3, "{most}");
        assert!(most >= 2, "{most}");
    }

    /// Let go, when dropped, every thread still waiting on `queue` (three pieces, then the
    /// close), so that a test whose assert fails fails rather than hangs.
    struct LetGo<'a>(&'a WorkQueue<u32>);

    impl Drop for LetGo<'_> {
        fn drop(&mut self) {
            for _ in 0..3 {
                self.0.put(99, 99);
            }
            self.0.close();
        }
    }

    const A_WHILE: Duration = Duration::from_secs(10);

    #[test]
    fn the_queue_gives_its_pieces_in_order_and_those_left_after_it_closes() {
        let queue = WorkQueue::<u32>::new();
        for seq in 0..3u32 {
            assert!(queue.put(u64::from(seq), seq * 10));
        }
        assert_eq!(queue.take(), Some((0, 0)));
        queue.close();
        assert_eq!(queue.take(), Some((1, 10)));
        assert_eq!(queue.take(), Some((2, 20)));
        // Closed and empty: nothing, at once (asked on a thread of its own).
        let (last_tx, last_rx) = channel();
        thread::scope(|s| {
            let _let_go = LetGo(&queue);
            let queue = &queue;
            s.spawn(move || {
                let _ = last_tx.send(queue.take());
            });
            assert_eq!(last_rx.recv_timeout(A_WHILE), Ok(None));
        });
    }

    #[test]
    fn workers_waiting_on_the_queue_are_woken_by_a_piece_or_its_close() {
        let queue = WorkQueue::<u32>::new();
        let (taken_tx, taken_rx) = channel();
        thread::scope(|s| {
            let _let_go = LetGo(&queue);
            for _ in 0..3 {
                let taken_tx = taken_tx.clone();
                let queue = &queue;
                s.spawn(move || {
                    let _ = taken_tx.send(queue.take());
                });
            }
            // All three wait, none holding the lock: each piece wakes one of them.
            thread::sleep(Duration::from_millis(20));
            assert!(queue.put(0, 7));
            assert_eq!(taken_rx.recv_timeout(A_WHILE), Ok(Some((0, 7))));
            queue.close();
            for _ in 0..2 {
                assert_eq!(taken_rx.recv_timeout(A_WHILE), Ok(None));
            }
        });
    }

    #[test]
    fn a_panic_in_the_reader_ends_the_run_without_a_hang() {
        // On a thread of its own, so that a run that never ends fails the test.
        let (ended_tx, ended_rx) = channel();
        thread::spawn(move || {
            let run_it = || {
                run(
                    2,
                    |feed: &mut Feed<'_, u32>| {
                        (0..50).for_each(&mut *feed);
                        std::panic::panic_any("reader panic");
                    },
                    &|n: u32| n,
                    &mut |_| {},
                )
            };
            let _ = ended_tx.send(catch_unwind(AssertUnwindSafe(run_it)).is_err());
        });
        assert_eq!(ended_rx.recv_timeout(A_WHILE), Ok(true));
    }

    #[test]
    fn a_panic_in_a_worker_ends_the_run_without_a_hang() {
        let run_it = || {
            run(
                2,
                |feed: &mut Feed<'_, u32>| (0..10_000).for_each(feed),
                &|n: u32| {
                    if n == 100 {
                        std::panic::panic_any("worker panic");
                    }
                    n
                },
                &mut |_| {},
            )
        };
        assert!(catch_unwind(AssertUnwindSafe(run_it)).is_err());
    }

    #[test]
    fn a_panic_in_the_writer_ends_the_run_without_a_hang() {
        let run_it = || {
            run(
                2,
                |feed: &mut Feed<'_, u32>| (0..10_000).for_each(feed),
                &|n: u32| n,
                &mut |n| {
                    if n == 100 {
                        std::panic::panic_any("writer panic");
                    }
                },
            )
        };
        assert!(catch_unwind(AssertUnwindSafe(run_it)).is_err());
    }
}
