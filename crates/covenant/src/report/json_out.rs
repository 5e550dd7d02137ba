//! A small JSON writer straight into a byte buffer, compact or pretty, byte for byte as
//! `serde_json` writes: the same string escapes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
//! `\u00xx` for other control characters, everything else as is) and the same pretty layout
//! (two-space indent, `"key": value`, `[]` and `{}` when empty).

use crate::json_bytes::plain_run;

/// A JSON value being written into `buf`. Keys are fixed ASCII names that need no escape.
pub struct JsonOut<'a> {
    buf: &'a mut Vec<u8>,
    /// The nesting depth, for the pretty layout.
    depth: usize,
    pretty: bool,
    /// Nothing written yet in the innermost object or array.
    first: bool,
}

impl<'a> JsonOut<'a> {
    /// Compact JSON, as `serde_json::to_string`.
    pub fn compact(buf: &'a mut Vec<u8>) -> Self {
        JsonOut {
            buf,
            depth: 0,
            pretty: false,
            first: true,
        }
    }

    /// Pretty JSON, as `serde_json::to_string_pretty`, for a value nested `depth` levels deep.
    pub fn pretty(buf: &'a mut Vec<u8>, depth: usize) -> Self {
        JsonOut {
            buf,
            depth,
            pretty: true,
            first: true,
        }
    }

    #[inline]
    pub fn begin_object(&mut self) {
        self.open(b'{');
    }

    #[inline]
    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    #[inline]
    pub fn begin_array(&mut self) {
        self.open(b'[');
    }

    #[inline]
    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// Start the next element of an array.
    #[inline(always)]
    pub fn element(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
        self.new_line();
    }

    /// Start the next member of an object: its key and the colon.
    #[inline(always)]
    pub fn key(&mut self, key: &str) {
        debug_assert!(!key.bytes().any(needs_escape_byte), "key {key:?}");
        self.element();
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        // Constant lengths each way, copied inline rather than through `memcpy`.
        if self.pretty {
            self.buf.extend_from_slice(b"\": ");
        } else {
            self.buf.extend_from_slice(b"\":");
        }
    }

    #[inline]
    pub fn str(&mut self, s: &str) {
        write_str(self.buf, s);
    }

    #[inline]
    pub fn uint(&mut self, n: usize) {
        write_uint(self.buf, n);
    }

    #[inline]
    pub fn bool(&mut self, b: bool) {
        if b {
            self.buf.extend_from_slice(b"true");
        } else {
            self.buf.extend_from_slice(b"false");
        }
    }

    /// A value written already, in this writer's layout (and, pretty, at this depth).
    #[inline]
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Members of the innermost object written already, in this writer's layout (and, pretty,
    /// at this depth): the next member is not its first.
    #[inline]
    pub fn raw_members(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        self.first = false;
    }

    /// A writer for the members that follow others written elsewhere: the first it writes is
    /// not the object's first.
    pub fn after_members(mut self) -> Self {
        self.first = false;
        self
    }

    #[inline]
    pub fn null(&mut self) {
        self.buf.extend_from_slice(b"null");
    }

    /// A member with a string value.
    #[inline(always)]
    pub fn field_str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.str(value);
    }

    /// A member whose value is a fixed name with nothing to escape (an outcome, a severity,
    /// an operator): copied as is, not searched for bytes to escape.
    #[inline(always)]
    pub fn field_name(&mut self, key: &str, value: &'static str) {
        debug_assert!(!value.bytes().any(needs_escape_byte), "value {value:?}");
        self.key(key);
        self.buf.push(b'"');
        self.buf.extend_from_slice(value.as_bytes());
        self.buf.push(b'"');
    }

    /// A member with a string value, left out when there is none.
    #[inline(always)]
    pub fn field_opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.field_str(key, v);
        }
    }

    /// A member with a number value, left out when there is none.
    #[inline]
    pub fn field_opt_uint(&mut self, key: &str, value: Option<usize>) {
        if let Some(n) = value {
            self.key(key);
            self.uint(n);
        }
    }

    #[inline]
    fn open(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    #[inline]
    fn close(&mut self, bracket: u8) {
        self.depth = self.depth.saturating_sub(1);
        if !self.first {
            self.new_line();
        }
        self.buf.push(bracket);
        self.first = false;
    }

    #[inline(always)]
    fn new_line(&mut self) {
        if self.pretty {
            self.buf.push(b'\n');
            self.buf.extend(std::iter::repeat_n(b' ', 2 * self.depth));
        }
    }
}

/// A JSON string, quoted and escaped as `serde_json` does: the runs of bytes between escapes
/// are found eight bytes at a time and copied whole.
pub fn write_str(buf: &mut Vec<u8>, s: &str) {
    let mut rest = s.as_bytes();
    buf.reserve(rest.len() + 2);
    buf.push(b'"');
    loop {
        // The bytes JSON escapes are exactly those a plain run stops at.
        let (clean, tail) = rest
            .split_at_checked(plain_run(rest))
            .unwrap_or((rest, &[]));
        buf.extend_from_slice(clean);
        let Some((&b, after)) = tail.split_first() else {
            break;
        };
        write_escape(buf, b);
        rest = after;
    }
    buf.push(b'"');
}

fn needs_escape_byte(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

fn write_escape(buf: &mut Vec<u8>, b: u8) {
    let short: &[u8] = match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        0x08 => b"\\b",
        0x0c => b"\\f",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        _ => {
            buf.extend_from_slice(b"\\u00");
            buf.push(hex_digit(b >> 4));
            buf.push(hex_digit(b & 0xf));
            return;
        }
    };
    buf.extend_from_slice(short);
}

fn hex_digit(n: u8) -> u8 {
    if n < 10 {
        b'0' + n
    } else {
        b'a' + (n - 10)
    }
}

/// A number in decimal.
pub fn write_uint(buf: &mut Vec<u8>, mut n: usize) {
    let start = buf.len();
    loop {
        // `n % 10` is below 10, so the cast is exact.
        buf.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if let Some(digits) = buf.get_mut(start..) {
        digits.reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(s: &str) -> String {
        let mut buf = Vec::new();
        write_str(&mut buf, s);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn escapes_like_serde_json() {
        let all_ascii: String = (0u8..=127).map(char::from).collect();
        for s in [
            "",
            "plain",
            "\"quoted\" and \\ back",
            "tab\there\r\nnext\u{0c}\u{08}\u{0}\u{1f}\u{7f}",
            "≈33.3333% for party \"Liberty–Rheinland\" 🚗",
            "exactly8",
            "exactly8\"",
            "1234567\\",
            all_ascii.as_str(),
        ] {
            assert_eq!(ours(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn numbers() {
        for n in [0, 1, 9, 10, 99, 100, 12345, usize::MAX] {
            let mut buf = Vec::new();
            write_uint(&mut buf, n);
            assert_eq!(buf, n.to_string().into_bytes());
        }
    }

    #[test]
    fn pretty_layout_like_serde_json() {
        let mut buf = Vec::new();
        let mut j = JsonOut::pretty(&mut buf, 0);
        j.begin_object();
        j.field_str("a", "x");
        j.key("empty");
        j.begin_array();
        j.end_array();
        j.key("list");
        j.begin_array();
        j.element();
        j.begin_object();
        j.end_object();
        j.element();
        j.uint(7);
        j.end_array();
        j.key("b");
        j.bool(true);
        j.key("n");
        j.null();
        j.end_object();
        let value =
            serde_json::json!({"a": "x", "empty": [], "list": [{}, 7], "b": true, "n": null});
        let expected = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(String::from_utf8(buf.clone()).unwrap(), expected);
        let compact = {
            let mut buf = Vec::new();
            let mut j = JsonOut::compact(&mut buf);
            j.begin_object();
            j.field_str("a", "x");
            j.key("list");
            j.begin_array();
            j.element();
            j.uint(1);
            j.element();
            j.str("two");
            j.end_array();
            j.end_object();
            String::from_utf8(buf).unwrap()
        };
        assert_eq!(compact, r#"{"a":"x","list":[1,"two"]}"#);
    }

    proptest! {
        #[test]
        fn any_string_escapes_like_serde_json(s in any::<String>()) {
            prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn control_heavy_strings_escape_like_serde_json(
            s in proptest::collection::vec(
                prop_oneof![
                    (0u32..0x80).prop_map(|c| char::from_u32(c).unwrap_or('?')),
                    Just('"'), Just('\\'), Just('é'), Just('≈'), Just('\u{1F697}'),
                ],
                0..40,
            ).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
        }
    }
}
