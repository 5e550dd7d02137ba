//! The command's big stack: a fresh stack segment on the process's own thread.
//!
//! A command may compile and evaluate the deepest policy the limits allow, so it runs on
//! [`covenant::limits::BIG_STACK`] bytes of stack. It used to get them from a thread of its
//! own, started and joined at every run; switching the main thread onto a mapped segment of
//! that size does the same for less: no thread to start, and the command allocates from the
//! heap that start-up has already warmed (`BENCHMARKS.md`, "Issue 18: twenty-fifth session").
//!
//! The segment is mapped here (with a guard page below and above it) and `psm`, the crate
//! under `stacker`, switches to it. `stacker::grow` did both until the thirty-fourth session;
//! it also asked the C library where the main thread's own stack ends, which reads
//! `/proc/self/maps` a second time at every start (the standard library's start-up reads it
//! once). Without it a start takes about 113,000 instructions and 12 system calls fewer
//! (`BENCHMARKS.md`, "Issue 18: thirty-fourth session"). Nothing on the segment asks
//! `stacker` where the stack ends: no build's parser has pest's stack guard (Cargo.toml: pest
//! without `std`; test builds as well, since `crates/covenant/build.rs` reads the grammar for
//! the keyword tests), and [`covenant::limits::on_fresh_stack`] tells the library's own
//! nesting how large the segment is.

#[cfg(all(unix, not(target_os = "openbsd")))]
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

/// Run `f` on a fresh stack of `size` bytes on this thread; a panic in `f` is resumed here.
/// Where no such segment can be had (a limit on address space, memory overcommit turned off,
/// a target where `psm` cannot switch stacks, OpenBSD, any target but Unix), `f` runs as it did
/// before the segment: on a thread with that stack, or here when no thread can be started
/// either ([`covenant::limits::with_stack`]).
pub fn run<T: Send>(size: usize, f: impl FnOnce() -> T + Send) -> T {
    match Segment::map(size) {
        Some(segment) => segment.run(size, f),
        None => without_segment(size, f),
    }
}

/// `f` as it ran before the segment: on a thread with a stack of `size` bytes, or here when no
/// thread can be started.
fn without_segment<T: Send>(size: usize, f: impl FnOnce() -> T + Send) -> T {
    covenant::limits::with_stack("covenant-deep", size, f)
}

/// A mapped stack segment: whole pages, readable and writable, between two guard pages that
/// are neither. Unmapped when dropped.
#[cfg(all(unix, not(target_os = "openbsd")))]
struct Segment {
    mapping: *mut libc::c_void,
    len: usize,
    page: usize,
}

#[cfg(all(unix, not(target_os = "openbsd")))]
impl Segment {
    /// A segment of at least `size` bytes, if one can be mapped. The memory is reserved; the
    /// stack touches it as it grows.
    fn map(size: usize) -> Option<Segment> {
        if !CAN_SWITCH {
            return None;
        }
        // SAFETY: sysconf reads a constant of the system.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
        let len = size
            .checked_next_multiple_of(page)
            .map(|stack| stack.max(page))
            .and_then(|stack| stack.checked_add(2 * page))?;
        // SAFETY: a new private anonymous mapping, owned by the segment from here on; no memory
        // in use is touched.
        let mapping = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if mapping == libc::MAP_FAILED {
            return None;
        }
        let segment = Segment { mapping, len, page };
        // SAFETY: the pages between the two guard pages of the mapping just made.
        let opened = unsafe {
            libc::mprotect(
                segment.base().cast(),
                segment.stack_len(),
                libc::PROT_READ | libc::PROT_WRITE,
            ) == 0
        };
        opened.then_some(segment)
    }

    /// The lowest address of the stack, above the lower guard page.
    fn base(&self) -> *mut u8 {
        self.mapping.cast::<u8>().wrapping_add(self.page)
    }

    /// The stack's length: whole pages, so a multiple of any stack alignment.
    fn stack_len(&self) -> usize {
        self.len - 2 * self.page
    }

    /// `f` run on the segment, a panic in it resumed after the switch back.
    fn run<T>(self, size: usize, f: impl FnOnce() -> T) -> T {
        // Nothing may unwind across the switch: a panic is carried over it instead.
        let work = || {
            catch_unwind(AssertUnwindSafe(|| {
                covenant::limits::on_fresh_stack(size, f)
            }))
        };
        // SAFETY: the segment's stack is page-aligned whole pages, readable and writable, and
        // is unmapped only below, after the switch back; `work` catches every panic of `f`.
        let done = unsafe { on_stack(self.base(), self.stack_len(), work) };
        drop(self);
        done.unwrap_or_else(|payload| resume_unwind(payload))
    }
}

#[cfg(all(unix, not(target_os = "openbsd")))]
impl Drop for Segment {
    fn drop(&mut self) {
        // SAFETY: the segment's own mapping, no longer a stack: `run` has switched back.
        unsafe { libc::munmap(self.mapping, self.len) };
    }
}

#[cfg(all(unix, not(target_os = "openbsd")))]
psm::psm_stack_manipulation! {
    yes {
        /// Whether `psm` can switch this target's stacks.
        const CAN_SWITCH: bool = true;

        /// `f` run with its stack on the `len` bytes at `base`.
        ///
        /// # Safety
        ///
        /// `base` is page-aligned, `len` whole pages of a readable and writable mapping that
        /// outlives the call, and `f` does not unwind.
        unsafe fn on_stack<R>(base: *mut u8, len: usize, f: impl FnOnce() -> R) -> R {
            // SAFETY: as the caller promises.
            unsafe { psm::on_stack(base, len, f) }
        }
    }
    no {
        const CAN_SWITCH: bool = false;

        /// Never called: where `psm` cannot switch stacks no segment is mapped.
        unsafe fn on_stack<R>(_: *mut u8, _: usize, f: impl FnOnce() -> R) -> R {
            f()
        }
    }
}

/// Elsewhere the command keeps a thread of its own (no segment is tried there). OpenBSD is
/// left out: its kernel kills a process whose stack pointer is outside memory mapped with
/// `MAP_STACK`, which `mprotect` cannot give (stacker maps the stack a second time there).
#[cfg(not(all(unix, not(target_os = "openbsd"))))]
struct Segment;

#[cfg(not(all(unix, not(target_os = "openbsd"))))]
impl Segment {
    fn map(_size: usize) -> Option<Segment> {
        None
    }

    fn run<T>(self, _size: usize, f: impl FnOnce() -> T) -> T {
        f()
    }
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
    fn runs_on_this_thread_with_a_big_stack() {
        let here = std::thread::current().id();
        // At least 64 MiB of frames (about twice that in a debug build): far more than the
        // test thread's own stack.
        let (same, depth) = run(BIG_STACK, || {
            (std::thread::current().id() == here, deep(64 * 1024))
        });
        assert!(same, "the work ran on the calling thread");
        assert_eq!(depth, 32 * 1024);
    }

    /// The segment holds the whole big stack, and the work starts at its top: within the
    /// frames of the switch of its highest address.
    #[test]
    fn the_work_starts_at_the_top_of_a_whole_big_stack() {
        let segment = Segment::map(BIG_STACK).expect("a segment of the big stack's size");
        assert!(segment.stack_len() >= BIG_STACK, "{}", segment.stack_len());
        let (low, high) = (
            segment.base() as usize,
            segment.base() as usize + segment.stack_len(),
        );
        let here = segment.run(BIG_STACK, || psm::stack_pointer() as usize);
        assert!(
            here > low && here <= high,
            "{here:#x} outside {low:#x}..{high:#x}"
        );
        assert!(high - here < 1 << 20, "{} bytes below the top", high - here);
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
        assert!(Segment::map(too_large).is_none());
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
