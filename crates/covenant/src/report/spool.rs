//! A spool: bytes written in order and read back once, kept in memory up to a limit and in
//! an unnamed temporary file past it. The SARIF, JUnit and Markdown reports begin with counts
//! over the whole batch, so the parts written deal by deal wait here until the counts are
//! known, instead of every deal's report waiting in memory.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes a spool keeps in memory before it moves to a temporary file.
pub const SPOOL_MEMORY: usize = 4 << 20;

#[derive(Debug)]
pub struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    limit: usize,
    len: u64,
    /// The first write that failed: reported by [`Spool::copy_to`], never lost.
    failed: Option<io::Error>,
}

impl Default for Spool {
    fn default() -> Self {
        Spool::with_limit(SPOOL_MEMORY)
    }
}

impl Spool {
    /// A spool that moves to a temporary file past `limit` bytes.
    pub fn with_limit(limit: usize) -> Spool {
        Spool {
            memory: Vec::new(),
            file: None,
            limit,
            len: 0,
            failed: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True once the bytes are in a temporary file.
    pub fn on_disk(&self) -> bool {
        self.file.is_some()
    }

    pub fn write(&mut self, bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.failed.is_some() {
            return;
        }
        let written = match &mut self.file {
            Some(f) => f.write_all(bytes),
            None => {
                self.memory.extend_from_slice(bytes);
                self.spill()
            }
        };
        if let Err(e) = written {
            self.failed = Some(e);
        }
    }

    /// Past the limit, move the bytes to a temporary file. When none can be made, they stay
    /// in memory: the report is still whole.
    fn spill(&mut self) -> io::Result<()> {
        if self.memory.len() <= self.limit {
            return Ok(());
        }
        let Ok(file) = temp_file() else {
            self.limit = usize::MAX;
            return Ok(());
        };
        let mut file = BufWriter::with_capacity(1 << 16, file);
        file.write_all(&self.memory)?;
        self.memory = Vec::new();
        self.file = Some(file);
        Ok(())
    }

    /// Write everything spooled to `out`, in order.
    pub fn copy_to(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(io::Error::new(
                e.kind(),
                format!("cannot keep the report in a temporary file: {e}"),
            ));
        }
        match &mut self.file {
            None => out.write_all(&self.memory),
            Some(f) => {
                f.flush()?;
                let file = f.get_mut();
                file.seek(SeekFrom::Start(0))?;
                let copied = io::copy(&mut file.take(self.len), out)?;
                if copied == self.len {
                    Ok(())
                } else {
                    Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the report's temporary file was cut short",
                    ))
                }
            }
        }
    }
}

/// A new temporary file that is gone once closed: on Unix its name is removed as soon as it
/// is open (nothing is left behind, even after a crash), on Windows it is deleted on close.
fn temp_file() -> io::Result<File> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let mut tries = 0;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("covenant-report-{}-{n}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        // `create_new` never follows a link an attacker left under the name.
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(windows)]
        {
            use std::os::windows::fs::OpenOptionsExt;
            const FILE_FLAG_DELETE_ON_CLOSE: u32 = 0x0400_0000;
            options.custom_flags(FILE_FLAG_DELETE_ON_CLOSE);
        }
        match options.open(&path) {
            Ok(file) => {
                #[cfg(not(windows))]
                std::fs::remove_file(&path)?;
                return Ok(file);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spooled(limit: usize, parts: &[&[u8]]) -> (Vec<u8>, bool) {
        let mut spool = Spool::with_limit(limit);
        for p in parts {
            spool.write(p);
        }
        let mut out = Vec::new();
        spool.copy_to(&mut out).unwrap();
        (out, spool.on_disk())
    }

    #[test]
    fn bytes_come_back_in_order_from_memory_or_from_disk() {
        let parts: Vec<Vec<u8>> = (0..1000u32)
            .map(|i| format!("part {i};").into_bytes())
            .collect();
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let whole = parts.concat();
        assert_eq!(spooled(usize::MAX, &parts), (whole.clone(), false));
        assert_eq!(spooled(100, &parts), (whole, true));
        assert_eq!(spooled(0, &[]), (Vec::new(), false));
    }
}
