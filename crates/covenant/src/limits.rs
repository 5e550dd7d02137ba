//! Resource limits: every input that could make a run slow, deep or large has a bound with its
//! own diagnostic (`docs/limits.md`). Deal documents are bounded by [`crate::deal::Limits`];
//! policies by [`PolicyLimits`]; a whole `check` run by [`Limits`].

use std::cell::Cell;
use std::time::Duration;

use crate::deal;

/// How long a file that is not a regular file (a FIFO, a device) may take to be read.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest expression depth [`PolicyLimits::max_depth`] may be raised to: evaluation and
/// compilation recurse once per level, and run on stacks sized for this many (see
/// [`BIG_STACK`]).
pub const HARD_MAX_EXPR_DEPTH: usize = 4096;

/// Stack for threads that compile or evaluate policies: enough for [`HARD_MAX_EXPR_DEPTH`]
/// levels in a debug build. The memory is reserved, and committed only as it is used.
pub const BIG_STACK: usize = 256 * 1024 * 1024;

/// Stack for the check engine's worker threads, which load, evaluate and render deals: a
/// deal's nesting is capped at 1,024 and evaluation needs far less per level than
/// compilation, so a quarter of [`BIG_STACK`] is ample (and cheaper to reserve per core).
pub const WORKER_STACK: usize = 64 * 1024 * 1024;

/// The most worker threads `--jobs` may ask for. Each reserves a [`WORKER_STACK`]; far more
/// threads than cores only add memory, and a fixed bound keeps a command line that works on
/// one machine working on every other.
pub const MAX_JOBS: usize = 256;

/// Limits on policy files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyLimits {
    /// The largest policy file, in bytes (`covenant::policy::too-large`).
    pub max_file_size: u64,
    /// The deepest expression after compilation, counting brackets, prefix operators, each
    /// operator of a chain and, through every definition used, the definition's own depth
    /// (`covenant::resolve::too-deep`). Capped at [`HARD_MAX_EXPR_DEPTH`].
    pub max_depth: usize,
    /// The most rules over every loaded file (`covenant::policy::too-many-rules`).
    pub max_rules: usize,
    /// How long a policy (or schema) file that is not a regular file may take to be read.
    pub read_timeout: Duration,
}

impl Default for PolicyLimits {
    fn default() -> Self {
        PolicyLimits {
            max_file_size: 4 << 20,
            max_depth: 1024,
            max_rules: 100_000,
            read_timeout: DEFAULT_READ_TIMEOUT,
        }
    }
}

impl PolicyLimits {
    /// The expression depth limit in force: [`Self::max_depth`], at most
    /// [`HARD_MAX_EXPR_DEPTH`].
    pub fn depth(&self) -> usize {
        self.max_depth.clamp(1, HARD_MAX_EXPR_DEPTH)
    }
}

/// Every limit of one `covenant check` run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub policy: PolicyLimits,
    /// Nesting, value count and string length inside one deal document.
    pub deal: deal::Limits,
    /// The largest deal document in bytes: a deal file, standard input, or one line of a
    /// `.jsonl` batch (`covenant::deal::too-large`). A batch file itself may be any size.
    pub max_deal_size: u64,
    /// The most deals one run checks; `None` is no limit. Deals past the limit are still
    /// reported, each as `invalid` with `covenant::limit::too-many-deals`, and are not read.
    pub max_deals: Option<u64>,
    /// How long a deal file that is not a regular file (a FIFO, a device) may take to be
    /// read; for a `.jsonl` batch, to give its next bytes.
    pub read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            policy: PolicyLimits::default(),
            deal: deal::Limits::default(),
            max_deal_size: 32 << 20,
            max_deals: None,
            read_timeout: DEFAULT_READ_TIMEOUT,
        }
    }
}

/// Parse a size such as `4096`, `512K`, `32M` or `1G` (binary multiples; `KiB`, `MB` and
/// lower case are accepted too).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (num, unit) = t.split_at(digits);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write a number of bytes, such as 32M"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(format!("`{text}` has an unknown unit: use K, M or G")),
    };
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// Parse a duration such as `30s`, `500ms`, `2m` or `30` (seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (num, unit) = t.split_at(digits);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: write one such as 30s or 500ms"))?;
    let millis = match unit.trim().to_ascii_lowercase().as_str() {
        "ms" => Some(n),
        "" | "s" => n.checked_mul(1000),
        "m" | "min" => n.checked_mul(60_000),
        _ => return Err(format!("`{text}` has an unknown unit: use ms, s or m")),
    };
    millis
        .map(Duration::from_millis)
        .ok_or_else(|| format!("`{text}` is too long"))
}

/// A duration for messages: `300 ms`, `30 s`.
pub fn show_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// A size for messages: `32 MiB`, `1.5 KiB`, `100 bytes`.
pub fn show_size(n: u64) -> String {
    let units = [(30, "GiB"), (20, "MiB"), (10, "KiB")];
    for (shift, name) in units {
        let unit = 1u64 << shift;
        if n >= unit {
            let whole = n / unit;
            let tenth = (n % unit) * 10 / unit;
            return if tenth == 0 {
                format!("{whole} {name}")
            } else {
                format!("{whole}.{tenth} {name}")
            };
        }
    }
    format!("{n} bytes")
}

/// Run `f` on a thread with a [`BIG_STACK`], so that deep (but allowed) nesting never
/// overflows the caller's stack; a panic in `f` is resumed here. Runs here when this thread
/// already has that much stack left (see [`with_stack`]).
pub fn with_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    with_stack("covenant-deep", BIG_STACK, f)
}

thread_local! {
    /// Where this thread's stack starts and how large it is, when [`with_stack`] started it or
    /// [`on_fresh_stack`] runs on it (`(0, 0)` on any other thread: its stack is not known).
    static STACK: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    /// How many threads were started from this thread ([`threads_started_here`]).
    static STARTED: Cell<usize> = const { Cell::new(0) };
}

/// How many threads the engine has started from the calling thread so far (the threads of
/// [`with_stack`] and of the check pipeline): a small run starts none (for tests and
/// benchmarks).
pub fn threads_started_here() -> usize {
    STARTED.with(Cell::get)
}

/// Count a thread started from this thread.
pub(crate) fn note_thread_started() {
    STARTED.with(|n| n.set(n.get() + 1));
}

/// The address of a local of the caller: where its stack is now.
#[inline(never)]
fn stack_here() -> usize {
    let here = 0u8;
    std::hint::black_box(&here) as *const u8 as usize
}

/// The stack left on this thread, if [`with_stack`] started it or [`on_fresh_stack`] runs on
/// it (stacks grow down on every target covenant is built for).
fn stack_left() -> Option<usize> {
    let (start, size) = STACK.with(Cell::get);
    let used = start.checked_sub(stack_here())?;
    (size > 0).then(|| size.saturating_sub(used))
}

/// Run `f` as the work of a stack of `size` bytes: for a caller that has just switched this
/// thread to a fresh stack that large (the `covenant` binary runs its command so, rather than
/// on a thread of its own). A [`with_stack`] inside `f` of at most that size runs here, as on
/// a thread [`with_stack`] started; once `f` returns, this thread's stack is what it was.
pub fn on_fresh_stack<T>(size: usize, f: impl FnOnce() -> T) -> T {
    struct Restore((usize, usize));
    impl Drop for Restore {
        fn drop(&mut self) {
            STACK.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(STACK.with(|s| s.replace((stack_here(), size))));
    f()
}

/// How much of its stack a thread may have used for a nested [`with_stack`] of the same size
/// to run on it: such calls come from shallow frames (a command's compile on the big stack).
const NESTED_SLACK: usize = 1 << 20;

/// Run `f` with a stack of `size` bytes: here, when this thread was started by this function
/// and has that much left, give or take [`NESTED_SLACK`] (a compile inside a command already on
/// the big stack), else on a new thread named `name` with a stack of `size`. A panic in `f` is
/// resumed here. When no thread can be started, `f` runs here.
pub fn with_stack<T: Send>(name: &str, size: usize, f: impl FnOnce() -> T + Send) -> T {
    if stack_left().is_some_and(|left| left.saturating_add(NESTED_SLACK) >= size) {
        return f();
    }
    let mut f = Some(f);
    let result = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name(name.to_string())
            .stack_size(size)
            .spawn_scoped(scope, || {
                STACK.with(|s| s.set((stack_here(), size)));
                f.take().map(|f| f())
            });
        match spawned {
            Ok(handle) => {
                note_thread_started();
                match handle.join() {
                    Ok(value) => value,
                    Err(payload) => std::panic::resume_unwind(payload),
                }
            }
            Err(_) => None,
        }
    });
    match result {
        Some(value) => value,
        None => match f.take() {
            Some(f) => f(),
            None => std::panic::resume_unwind(Box::new("with_stack: no result")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("32M"), Ok(32 << 20));
        assert_eq!(parse_size("1gib"), Ok(1 << 30));
        assert!(parse_size("12X").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("99999999999999G").is_err());
        assert_eq!(show_size(32 << 20), "32 MiB");
        assert_eq!(show_size(1536), "1.5 KiB");
        assert_eq!(show_size(100), "100 bytes");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("300ms"), Ok(Duration::from_millis(300)));
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("1h").is_err());
        assert!(parse_duration("s").is_err());
        assert!(parse_duration("99999999999999999m").is_err());
        assert_eq!(show_duration(Duration::from_millis(300)), "300 ms");
        assert_eq!(show_duration(Duration::from_secs(30)), "30 s");
    }

    #[test]
    fn big_stack_runs_and_resumes_panics() {
        assert_eq!(with_big_stack(|| 41 + 1), 42);
        let caught = std::panic::catch_unwind(|| with_big_stack(|| -> u8 { panic!("boom") }));
        assert!(caught.is_err());
    }

    #[test]
    fn a_big_stack_inside_a_big_stack_starts_no_thread() {
        let before = threads_started_here();
        let (inner, started_inside) = with_big_stack(|| {
            let outer = std::thread::current().id();
            let inner = with_big_stack(|| std::thread::current().id() == outer);
            let smaller = with_stack("small", 1 << 20, || std::thread::current().id() == outer);
            (inner && smaller, threads_started_here())
        });
        assert!(inner, "the nested calls ran on the outer big-stack thread");
        assert_eq!(started_inside, 0);
        assert_eq!(threads_started_here(), before + 1);
    }

    #[test]
    fn on_a_fresh_stack_a_big_stack_runs_here_and_nothing_is_left_after() {
        // Nothing deep runs: the test thread only stands in for a fresh stack.
        let here = std::thread::current().id();
        let before = threads_started_here();
        let inside = on_fresh_stack(BIG_STACK, || {
            with_big_stack(|| std::thread::current().id() == here)
        });
        assert!(inside);
        assert_eq!(threads_started_here(), before);
        assert!(!with_big_stack(|| std::thread::current().id() == here));
        assert_eq!(threads_started_here(), before + 1);
    }

    #[test]
    fn a_thread_without_enough_stack_left_starts_one() {
        // A thread with a 1 MiB stack cannot give 8 MiB: it starts one.
        let (same, started) = with_stack("small", 1 << 20, || {
            let outer = std::thread::current().id();
            let same = with_stack("larger", 8 << 20, || std::thread::current().id() == outer);
            (same, threads_started_here())
        });
        assert!(!same);
        assert_eq!(started, 1);
        // The test harness's own thread was not started by `with_stack`: its stack is unknown.
        let here = std::thread::current().id();
        assert!(with_stack("any", 1 << 16, || std::thread::current().id()) != here);
    }
}
