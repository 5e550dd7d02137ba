//! The command's big stack: a fresh stack segment on the process's own thread.
//!
//! A command may compile and evaluate the deepest policy the limits allow, so it runs on
//! [`covenant::limits::BIG_STACK`] bytes of stack. It used to get them from a thread of its
//! own, started and joined at every run; switching the main thread onto a mapped segment of
//! that size does the same for less: no thread to start, and the command allocates from the
//! heap that start-up has already warmed (`BENCHMARKS.md`, "Issue 18: twenty-fifth session").
//!
//! `stacker` maps the segment (with a guard page below it) and switches to it; it also tells
//! pest's stack guard, which test builds turn on (`syntax/tests/errors.rs`), where the new
//! stack ends. Switched by hand, the guard would read the main thread's stack limit and find
//! no stack left: a build that switched with `psm` alone (saving `stacker`'s read of
//! `/proc/self/maps`, 1.8% of a small deal's time) failed 16 integration tests so
//! (`BENCHMARKS.md`, "Issue 18: thirty-fourth session").

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

/// How far short of `size` the stack left at the top of a fresh segment may be (the frames
/// of the switch itself), as [`covenant::limits::with_stack`] allows a nested call.
const SLACK: usize = 1 << 20;

/// Run `f` on a fresh stack of `size` bytes on this thread; a panic in `f` is resumed here.
/// Where no such segment can be had (a limit on address space, memory overcommit turned off,
/// a target where `stacker` cannot switch stacks, any target but Unix), `f` runs as it did
/// before the segment: on a thread with that stack, or here when no thread can be started
/// either ([`covenant::limits::with_stack`]).
pub fn run<T: Send>(size: usize, f: impl FnOnce() -> T + Send) -> T {
    if !can_map(size) {
        return without_segment(size, f);
    }
    let mut f = Some(f);
    let mut result = None;
    let grown = catch_unwind(AssertUnwindSafe(|| {
        stacker::grow(size, || {
            let fresh =
                stacker::remaining_stack().is_some_and(|left| left.saturating_add(SLACK) >= size);
            result = f.take().map(|f| {
                if fresh {
                    covenant::limits::on_fresh_stack(size, f)
                } else {
                    without_segment(size, f)
                }
            });
        })
    }));
    match (result, grown, f) {
        (Some(value), _, _) => value,
        // stacker failed before `f` started (its mapping failed after `can_map`'s): the
        // message its panic printed aside, the run goes on as without the segment.
        (None, Err(_), Some(f)) => without_segment(size, f),
        (None, Err(payload), None) => resume_unwind(payload),
        (None, Ok(()), _) => resume_unwind(Box::new("big_stack: no result")),
    }
}

/// `f` as it ran before the segment: on a thread with a stack of `size` bytes, or here when no
/// thread can be started.
fn without_segment<T: Send>(size: usize, f: impl FnOnce() -> T + Send) -> T {
    covenant::limits::with_stack("covenant-deep", size, f)
}

/// Whether `stacker` can map a stack of `size` bytes: the same mapping it makes (whole pages,
/// one more page below and above), made readable and writable, then unmapped. stacker panics
/// when it cannot, so it is asked here first. The memory is reserved, never touched.
#[cfg(unix)]
fn can_map(size: usize) -> bool {
    // SAFETY: sysconf reads a constant of the system.
    let Ok(page) = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }) else {
        return false;
    };
    let Some(len) = size
        .checked_next_multiple_of(page)
        .map(|stack| stack.max(page))
        .and_then(|stack| stack.checked_add(2 * page))
    else {
        return false;
    };
    // SAFETY: a new private anonymous mapping, unmapped before returning; no memory in use is
    // touched.
    unsafe {
        let mapping = libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        if mapping == libc::MAP_FAILED {
            return false;
        }
        let stack = mapping.cast::<u8>().add(page).cast();
        let opened = libc::mprotect(stack, len - 2 * page, libc::PROT_READ | libc::PROT_WRITE) == 0;
        libc::munmap(mapping, len);
        opened
    }
}

/// Elsewhere the command keeps a thread of its own (stacker's switch is not tried there).
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
        let (same, left, depth) = run(BIG_STACK, || {
            let left = stacker::remaining_stack().unwrap_or(0);
            (std::thread::current().id() == here, left, deep(64 * 1024))
        });
        assert!(same, "the work ran on the calling thread");
        assert!(left + SLACK >= BIG_STACK, "{left} bytes of stack left");
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
