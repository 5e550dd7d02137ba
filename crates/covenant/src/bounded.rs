//! Reading a named file within a size limit and, when it is not a regular file (a FIFO, a
//! device, a socket), within a time limit: `covenant check pipe.yaml` on a FIFO that never
//! gets a writer, or a policy that `use`s `/dev/zero`, ends with a diagnostic instead of
//! blocking or filling memory.
//!
//! A regular file is read here, at most `max + 1` bytes. Any other file is opened and read on
//! a helper thread that hands over chunks; the caller waits for them at most the time limit.
//! A helper blocked for good (a FIFO without a writer) stays blocked until the process ends:
//! the standard library cannot interrupt it, and it holds nothing but the open file.

use std::io::{self, Read};
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::limits::show_duration;

/// Bytes handed over per chunk by the helper thread.
const CHUNK: usize = 64 * 1024;

/// What kind of file a path names (following links), for messages and the folder walk.
pub fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() || t.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Read all of `path`: `Ok(None)` when it holds more than `max` bytes. A file that is not a
/// regular file must be read to its end within `timeout`.
pub fn read_file(path: &Path, max: u64, timeout: Duration) -> io::Result<Option<Vec<u8>>> {
    let meta = std::fs::metadata(path)?;
    // A regular file's size, and one byte more to find its end: read without a copy as the
    // buffer grows (a rate file of several megabytes was copied three times).
    let mut room = 0;
    let reader: Box<dyn Read> = if special_kind(&meta).is_none() {
        if meta.is_file() && meta.len() > max {
            return Ok(None);
        }
        if meta.is_file() {
            room = usize::try_from(meta.len()).map_or(0, |n| n.saturating_add(1));
        }
        Box::new(std::fs::File::open(path)?)
    } else {
        Box::new(Timed::open(path, timeout, true)?)
    };
    let mut bytes = Vec::with_capacity(room);
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}

/// Open `path` for reading as a stream (a `.jsonl` batch). A file that is not a regular file
/// must open, and then give more bytes, within `timeout` each time.
pub fn open(path: &Path, timeout: Duration) -> io::Result<Box<dyn Read + Send>> {
    let meta = std::fs::metadata(path)?;
    if special_kind(&meta).is_none() {
        return Ok(Box::new(std::fs::File::open(path)?));
    }
    Ok(Box::new(Timed::open(path, timeout, false)?))
}

/// A file read on a helper thread, each wait bounded.
struct Timed {
    chunks: Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
    timeout: Duration,
    /// The time by which the whole file must be read, or None: each chunk within `timeout`.
    deadline: Option<Instant>,
    done: bool,
}

impl Timed {
    fn open(path: &Path, timeout: Duration, whole: bool) -> io::Result<Timed> {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(2);
        let path = path.to_path_buf();
        std::thread::Builder::new()
            .name("covenant-read".into())
            .spawn(move || {
                let mut file = match std::fs::File::open(&path) {
                    Ok(f) => f,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                loop {
                    let mut buf = vec![0; CHUNK];
                    let sent = match file.read(&mut buf) {
                        Ok(n) => {
                            buf.truncate(n);
                            let end = n == 0;
                            tx.send(Ok(buf)).is_ok() && !end
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => true,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            false
                        }
                    };
                    if !sent {
                        return;
                    }
                }
            })?;
        Ok(Timed {
            chunks: rx,
            chunk: Vec::new(),
            at: 0,
            timeout,
            deadline: whole.then(|| Instant::now() + timeout),
            done: false,
        })
    }

    fn next_chunk(&mut self) -> io::Result<()> {
        let wait = match self.deadline {
            Some(d) => d.saturating_duration_since(Instant::now()),
            None => self.timeout,
        };
        match self.chunks.recv_timeout(wait) {
            Ok(Ok(chunk)) => {
                self.done = chunk.is_empty();
                self.chunk = chunk;
                self.at = 0;
                Ok(())
            }
            Ok(Err(e)) => Err(e),
            Err(RecvTimeoutError::Disconnected) => {
                self.done = true;
                Ok(())
            }
            Err(RecvTimeoutError::Timeout) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "nothing to read within {}: not a regular file, and nothing writes to it (raise the limit with --read-timeout)",
                    show_duration(self.timeout)
                ),
            )),
        }
    }
}

impl Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            self.next_chunk()?;
        }
        let rest = self.chunk.get(self.at..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), rest.get(..n)) {
            to.copy_from_slice(from);
        }
        self.at += n;
        Ok(n)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_read_up_to_the_limit() {
        let zero = Path::new("/dev/zero");
        assert_eq!(read_file(zero, 100, Duration::from_secs(5)).unwrap(), None);
        let null = Path::new("/dev/null");
        assert_eq!(
            read_file(null, 100, Duration::from_secs(5)).unwrap(),
            Some(Vec::new())
        );
        let mut all = Vec::new();
        open(zero, Duration::from_secs(5))
            .unwrap()
            .take(200_000)
            .read_to_end(&mut all)
            .unwrap();
        assert_eq!(all.len(), 200_000);
    }

    #[test]
    fn a_regular_file_larger_than_the_limit_is_not_read() {
        let path = std::env::temp_dir().join(format!("covenant-bounded-{}", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap();
        let second = Duration::from_secs(1);
        assert_eq!(read_file(&path, 9, second).unwrap(), None);
        assert_eq!(read_file(&path, 10, second).unwrap().unwrap().len(), 10);
        let _ = std::fs::remove_file(&path);
    }
}
