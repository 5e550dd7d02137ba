//! The SIMD floor: parse a JSON-lines file into `sonic_rs::Value`, one line at a time, and
//! count the deals and parties, like `../shared/bench/floor` does with `serde_json`. No rule
//! is evaluated.
//!
//!   floor-sonic FILE.jsonl
use std::io::{BufRead, BufReader};

use sonic_rs::{JsonContainerTrait, JsonValueTrait};

fn main() {
    let path = std::env::args().nth(1).expect("usage: floor-sonic FILE.jsonl");
    let file = std::fs::File::open(&path).expect("open");
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = String::new();
    let mut deals = 0usize;
    let mut parties = 0usize;
    loop {
        line.clear();
        if reader.read_line(&mut line).expect("read") == 0 {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let value: sonic_rs::Value = sonic_rs::from_str(&line).expect("json");
        // Touch the value so the parse cannot be optimised away.
        parties += value.get("parties").and_then(|p| p.as_array()).map_or(0, |a| a.len());
        deals += 1;
    }
    println!("deals={deals} parties={parties}");
}
