//! The command's big stack: a fresh stack segment on the process's own thread.
//!
//! A command may compile and evaluate the deepest policy the limits allow, so it runs on
//! [`covenant::limits::BIG_STACK`] bytes of stack. It used to get them from a thread of its
//! own, started and joined at every run; switching the main thread onto a mapped segment of
//! that size does the same for less: no thread to start, and the command allocates from the
//! heap that start-up has already warmed (one small deal about 0.25 ms sooner and 22 page
//! faults fewer, `BENCHMARKS.md`, twenty-fifth session).
//!
//! `stacker` maps the segment (with a guard page below it) and switches to it; it also tells
//! pest's stack guard, which test builds turn on (`syntax/tests/errors.rs`), where the new
//! stack ends. Switched by hand, the guard would read the main thread's stack limit and find
//! no stack left.

use std::panic::resume_unwind;

/// Run `f` on a fresh stack of `size` bytes on this thread; a panic in `f` is resumed here.
/// When no segment that large can be mapped (a limit on address space, memory overcommit
/// turned off), `f` runs on a thread with that stack, or here when no thread can be started
/// either ([`covenant::limits::with_stack`]).
pub fn run<T: Send>(size: usize, f: impl FnOnce() -> T + Send) -> T {
    if !can_map(size) {
        return covenant::limits::with_stack("covenant-deep", size, f);
    }
    let mut result = None;
    stacker::grow(size, || {
        result = Some(covenant::limits::on_fresh_stack(size, f));
    });
    match result {
        Some(value) => value,
        None => resume_unwind(Box::new("big_stack: no result")),
    }
}

/// Whether a stack of `size` bytes can be mapped, readable and writable: `stacker` panics
/// when it cannot, so it is asked here first. The memory is reserved, never touched.
#[cfg(unix)]
fn can_map(size: usize) -> bool {
    // SAFETY: a new private anonymous mapping, unmapped before returning; no memory in use is
    // touched.
    unsafe {
        let mapping = libc::mmap(
            std::ptr::null_mut(),
            size,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        if mapping == libc::MAP_FAILED {
            return false;
        }
        let opened = libc::mprotect(mapping, size, libc::PROT_READ | libc::PROT_WRITE) == 0;
        libc::munmap(mapping, size);
        opened
    }
}

/// Elsewhere the command keeps a thread of its own.
#[cfg(not(unix))]
fn can_map(_size: usize) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use covenant::limits::{threads_started_here, with_big_stack, BIG_STACK};

    /// Recurse `depth` times with a 1 KiB frame: about `depth` KiB of stack.
    #[inline(never)]
    fn deep(depth: usize) -> usize {
        let frame = std::hint::black_box([depth as u8; 1024]);
        if depth == 0 {
            return 0;
        }
        // The frame is read after the call, so it stays on the stack below it.
        let below = deep(depth - 1);
        below + usize::from(std::hint::black_box(&frame)[1023] & 1)
    }

    #[test]
    fn runs_on_this_thread_with_the_whole_big_stack() {
        let here = std::thread::current().id();
        // 64 MiB of frames: far more than the test thread's own stack.
        let (same, depth) = run(BIG_STACK, || {
            (std::thread::current().id() == here, deep(64 * 1024))
        });
        assert!(same, "the work ran on the calling thread");
        assert_eq!(depth, 32 * 1024);
    }

    #[test]
    fn a_big_stack_inside_starts_no_thread_and_nothing_is_left_after() {
        let before = threads_started_here();
        let inside = run(BIG_STACK, || {
            let here = std::thread::current().id();
            with_big_stack(|| std::thread::current().id() == here)
        });
        assert!(inside, "with_big_stack ran on the segment");
        assert_eq!(threads_started_here(), before);
        // Back on the test thread's own stack, a big stack is a thread again.
        let here = std::thread::current().id();
        assert!(!with_big_stack(|| std::thread::current().id() == here));
        assert_eq!(threads_started_here(), before + 1);
    }

    #[test]
    fn a_stack_that_cannot_be_mapped_is_a_thread_s_or_this_one() {
        let too_large = 1 << 60;
        assert!(!can_map(too_large));
        assert!(can_map(BIG_STACK));
        assert_eq!(run(too_large, || 42), 42);
    }

    #[test]
    fn a_panic_inside_is_resumed_here() {
        let caught =
            std::panic::catch_unwind(|| run(BIG_STACK, || -> u8 { std::panic::panic_any(7u8) }));
        let payload = caught.err().and_then(|p| p.downcast::<u8>().ok());
        assert_eq!(payload.as_deref(), Some(&7));
        // The thread's stack is its own again.
        let here = std::thread::current().id();
        assert!(!with_big_stack(|| std::thread::current().id() == here));
    }
}
