//! The JSON string scan shared by the deal loader's fast path and the report writer: how
//! many bytes of a string can be copied as they are, before a `"`, a `\\` or a control
//! character needs care.

/// The length of the run of string bytes that need no care: up to a `"`, a `\\`, a control
/// character or the end. Eight bytes at a time, the last (partial) eight too, overlapping the
/// bytes already found clean; byte by byte only when there are fewer than eight in all.
#[inline]
pub fn plain_run(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let hit = special_bytes(u64::from_le_bytes(chunk));
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    if i == b.len() {
        return i;
    }
    // Fewer than eight bytes are left. With eight or more in all, the last eight are one word:
    // the lowest flagged byte is exact, and those before `i` are known clean.
    let Some((at, last)) = b.len().checked_sub(8).and_then(|s| Some((s, b.get(s..)?))) else {
        return short_plain_run(b);
    };
    let hit = special_bytes(<[u8; 8]>::try_from(last).map_or(0, u64::from_le_bytes));
    if hit == 0 {
        b.len()
    } else {
        at + (hit.trailing_zeros() / 8) as usize
    }
}

/// [`plain_run`] of fewer than eight bytes: from four on, the first four and the last four
/// (overlapping) are checked as one word, and only a string with a hit is looked at byte by byte.
#[inline(always)]
fn short_plain_run(b: &[u8]) -> usize {
    let four = |s: Option<&[u8]>| {
        s.and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map(u32::from_le_bytes)
    };
    if let (Some(lo), Some(hi)) = (
        four(b.get(..4)),
        four(b.len().checked_sub(4).and_then(|s| b.get(s..))),
    ) {
        if special_bytes(u64::from(lo) | (u64::from(hi) << 32)) == 0 {
            return b.len();
        }
    }
    b.iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .unwrap_or(b.len())
}

/// The high bit of each byte of `x` that is a `"`, a `\\` or a control character, and perhaps
/// of bytes above such a byte: the lowest flagged byte is exact.
#[inline(always)]
fn special_bytes(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero (or, with `n`, below `n`).
    let below = |x: u64, n: u64| x.wrapping_sub(ONES.wrapping_mul(n)) & !x & HIGH;
    below(x ^ (ONES * u64::from(b'"')), 1)
        | below(x ^ (ONES * u64::from(b'\\')), 1)
        | below(x, 0x20)
}
