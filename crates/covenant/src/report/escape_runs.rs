//! Text escaped by runs: the characters a format changes are few and mostly ASCII, so they are
//! found by a scan of the bytes that may begin one, and the runs between them are copied
//! whole, rather than each character tested and pushed (a quarter of a JUnit report's time).

/// `s` written at the end of `out`: each character that begins with a byte `stop` picks out
/// written by `one`, the runs between them copied as they are. Every byte `stop` picks must be
/// ASCII or the first byte of a character, so that each run ends at a character boundary; a
/// character `one` is given may need no escape (it shares its first byte with one that does)
/// and is then written as it is by `one`.
pub(crate) fn push_escaped(
    out: &mut String,
    s: &str,
    stop: impl Fn(u8) -> bool,
    mut one: impl FnMut(&mut String, char),
) {
    let mut rest = s;
    while let Some(at) = rest.bytes().position(&stop) {
        debug_assert!(rest.is_char_boundary(at), "a stop byte inside a character");
        let (plain, tail) = rest.split_at_checked(at).unwrap_or((rest, ""));
        out.push_str(plain);
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            one(out, c);
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
}
