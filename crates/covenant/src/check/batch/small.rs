//! Small runs. The pipeline hands each worker whole chunks of [`CHUNK`] deals, so a run of at
//! most one chunk would keep one worker busy while the reader, the writer and the other
//! workers wait: starting those threads only adds their cost. Such a run is checked on the
//! calling thread, whatever `--jobs` says (the output is the same for any number of threads).
//!
//! Whether a run is small is told before it starts, cheaply: a deal file is one deal, a
//! `.jsonl` batch (a regular file of at most [`SCAN_BYTES`]) is read once ahead to count its
//! lines, and standard input is read ahead anyway to tell its kind (see
//! [`super::reader::StdinHead`]). Anything else (a FIFO, a larger batch, a standard input
//! longer than one deal's size limit) is taken as large.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::reader::StdinHead;
use super::CHUNK;
use crate::check::inputs::Input;
use crate::check::settings::Settings;

/// The most deals a run checked on the calling thread holds: one chunk.
pub(super) const SMALL_RUN: usize = CHUNK;

/// The largest `.jsonl` batch file read ahead to count its deals (64 deals of the benchmark
/// take about 45 KB).
const SCAN_BYTES: u64 = 1 << 20;

/// Do the inputs hold at most [`SMALL_RUN`] deals? `head`: standard input's first bytes, when
/// the inputs name it.
pub(super) fn is_small(inputs: &[Input], head: Option<&StdinHead>, settings: &Settings) -> bool {
    let mut deals = 0usize;
    for input in inputs {
        let more = match input {
            Input::File(_) | Input::Missing(..) | Input::NoDeals(_) => Some(1),
            Input::Batch(path) => batch_deals(path, SMALL_RUN - deals),
            // Read ahead only for the first; a second `-` reads what the first left (or
            // nothing, when standard input was not given).
            Input::Stdin => head.map_or(Some(1), |h| h.deals(settings)),
        };
        match more {
            Some(n) if deals + n <= SMALL_RUN => deals += n,
            _ => return false,
        }
    }
    true
}

/// The deals of the batch file at `path` (an unreadable or empty batch is reported as one),
/// or None when it is not a small regular file or holds more than `most`.
fn batch_deals(path: &Path, most: usize) -> Option<usize> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Some(1);
    };
    if !meta.is_file() || meta.len() > SCAN_BYTES {
        return None;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return Some(1);
    };
    let lines = BufReader::new(file.take(SCAN_BYTES)).split(b'\n');
    let mut deals = 0;
    for line in lines {
        let Ok(line) = line else {
            return Some(deals + 1);
        };
        if super::reader::has_text(&line) {
            deals += 1;
            if deals > most {
                return None;
            }
        }
    }
    Some(deals.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_small_up_to_one_chunk() {
        let dir = std::env::temp_dir().join(format!("covenant-small-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, lines: usize| {
            let path = dir.join(name);
            let text = "{\"proposal\": \"p\"}\n\n".repeat(lines);
            std::fs::write(&path, text).unwrap();
            path
        };
        let settings = Settings::default();
        let (one_chunk, more) = (write("a.jsonl", SMALL_RUN), write("b.jsonl", SMALL_RUN + 1));
        let small = |inputs: &[Input]| is_small(inputs, None, &settings);
        assert!(small(&[Input::Batch(one_chunk.clone())]));
        assert!(!small(&[Input::Batch(more)]));
        assert!(!small(&[
            Input::File("x.yaml".into()),
            Input::Batch(one_chunk)
        ]));
        assert!(small(&[Input::Batch(dir.join("gone.jsonl"))]));
        let files: Vec<Input> = (0..SMALL_RUN)
            .map(|i| Input::File(format!("{i}.yaml").into()))
            .collect();
        assert!(small(&files));
        assert!(!small(&[files.as_slice(), &[Input::Stdin]].concat()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
