//! Resource limits: every input that could make a run slow, deep or large has a bound with its
//! own diagnostic (`docs/limits.md`). Deal documents are bounded by [`crate::deal::Limits`];
//! policies by [`PolicyLimits`]; a whole `check` run by [`Limits`].

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
/// overflows the caller's stack; a panic in `f` is resumed here. When no thread can be
/// started, `f` runs on the caller's thread.
pub fn with_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let mut f = Some(f);
    let result = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("covenant-deep".to_string())
            .stack_size(BIG_STACK)
            .spawn_scoped(scope, || f.take().map(|f| f()));
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(value) => value,
                Err(payload) => std::panic::resume_unwind(payload),
            },
            Err(_) => None,
        }
    });
    match result {
        Some(value) => value,
        None => match f.take() {
            Some(f) => f(),
            None => std::panic::resume_unwind(Box::new("with_big_stack: no result")),
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
}
