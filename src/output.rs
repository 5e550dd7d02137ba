//! Where reports go: standard output, with every write error kept so that a lost report is
//! an error (exit 2) instead of a silent success.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// A writer that keeps its first error. Later writes fail the same way, so a command that
/// ignores write errors writes nothing more after the first, and [`Report::finish`] reports
/// it.
pub struct Report<'a> {
    inner: &'a mut dyn Write,
    error: Option<(io::ErrorKind, String)>,
}

impl<'a> Report<'a> {
    pub fn new(inner: &'a mut dyn Write) -> Report<'a> {
        Report { inner, error: None }
    }

    fn failed(&self) -> Option<io::Error> {
        self.error
            .as_ref()
            .map(|(kind, text)| io::Error::new(*kind, text.clone()))
    }

    fn keep<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            if self.error.is_none() {
                self.error = Some((e.kind(), e.to_string()));
            }
        }
        result
    }

    /// Flush, and the first error met while writing, if any.
    pub fn finish(mut self) -> io::Result<()> {
        let flushed = self.inner.flush();
        let _ = self.keep(flushed);
        self.failed().map_or(Ok(()), Err)
    }
}

impl Write for Report<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(e) = self.failed() {
            return Err(e);
        }
        let written = self.inner.write(buf);
        self.keep(written)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if let Some(e) = self.failed() {
            return Err(e);
        }
        let written = self.inner.write_all(buf);
        self.keep(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(e) = self.failed() {
            return Err(e);
        }
        let flushed = self.inner.flush();
        self.keep(flushed)
    }
}

/// Set (by the `covenant` binary, before the Rust runtime starts) when standard output was
/// closed at start. The runtime then opens `/dev/null` on it, so that every byte written to
/// a closed standard output would be dropped without an error.
pub static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

/// Is standard output closed, right now? Called before the runtime reopens it, where nothing
/// may allocate (so not through `io::stdout()`, which allocates its buffer): mimalloc, the
/// binary's allocator, would start at that allocation, before its own start-up code, and then
/// map its first pages outside an arena and read every option not set from the environment
/// again at each use (BENCHMARKS.md, "Issue 18: twenty-fourth session").
pub fn stdout_is_closed() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: descriptor 1 is borrowed for one `fcntl(F_DUPFD_CLOEXEC)`, which fails with
        // EBADF when it is closed (the question asked); a copy made is closed at once. Before
        // `main` the process has one thread, so nothing opens or closes descriptor 1 meanwhile;
        // after it, std's runtime keeps descriptor 1 open and its `Stdout::as_fd` borrows it
        // the same way.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(1) };
        fd.try_clone_to_owned()
            .is_err_and(|e| e.raw_os_error() == Some(EBADF))
    }
    #[cfg(not(unix))]
    false
}

#[cfg(unix)]
const EBADF: i32 = 9;

/// The process's standard output, or, when it was closed at start (`>&-`), a writer that
/// fails.
pub fn stdout() -> Box<dyn Write> {
    if STDOUT_CLOSED_AT_START.load(Ordering::Relaxed) || stdout_is_closed() {
        Box::new(Closed)
    } else {
        Box::new(io::stdout().lock())
    }
}

struct Closed;

impl Write for Closed {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::other("it is closed"))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` bytes, then fails as a full disk does.
    struct Full {
        room: usize,
        written: Vec<u8>,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from_raw_os_error(28));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.written.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_first_error_is_kept_and_nothing_is_written_after_it() {
        let mut full = Full {
            room: 4,
            written: Vec::new(),
        };
        let mut report = Report::new(&mut full);
        assert!(report.write_all(b"abcdef").is_err());
        assert!(report.write_all(b"gh").is_err());
        let e = report.finish().unwrap_err();
        assert_eq!(e.raw_os_error(), None);
        assert!(e.to_string().contains("No space left on device"), "{e}");
        assert_eq!(full.written, b"abcd");
    }

    #[test]
    fn a_report_written_in_full_is_fine() {
        let mut sink = Vec::new();
        let mut report = Report::new(&mut sink);
        report.write_all(b"ok\n").unwrap();
        assert!(report.finish().is_ok());
        assert_eq!(sink, b"ok\n");
    }
}
