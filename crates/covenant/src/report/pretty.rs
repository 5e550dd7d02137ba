//! serde_json's pretty layout (two spaces a level), written by hand into a buffer, each line
//! after the first begun with a nesting indent: the same bytes as serializing with
//! `to_string_pretty` and putting the indent after each line end. For the values the streamed
//! SARIF report writes for every deal (its results and deal entries, whose `Serialize` the
//! whole log keeps and the tests compare with).

use super::json_out::write_str;

/// A line's start: `,` (left out for a first member or element), the line end, then the
/// indent and two spaces a level, as many as the levels of a report's values reach.
const LINE: &[u8; 66] = b",\n                                                                ";

/// A value being written: the buffer, the spaces its lines begin with, how deep it is, and
/// whether the container open at that depth holds nothing yet.
pub struct Pretty<'b> {
    buf: &'b mut Vec<u8>,
    indent: usize,
    depth: usize,
    empty: bool,
}

impl<'b> Pretty<'b> {
    /// A writer of one value whose lines after the first begin with `indent` spaces.
    pub fn new(buf: &'b mut Vec<u8>, indent: usize) -> Pretty<'b> {
        Pretty {
            buf,
            indent,
            depth: 0,
            empty: false,
        }
    }

    /// The line end and the spaces of the current depth, after a comma if `comma`: one copy.
    #[inline]
    fn new_line(&mut self, comma: bool) {
        let from = usize::from(!comma);
        let spaces = self.indent + 2 * self.depth;
        match LINE.get(from..2 + spaces) {
            Some(line) => self.buf.extend_from_slice(line),
            None => {
                self.buf
                    .extend_from_slice(LINE.get(from..2).unwrap_or_default());
                self.buf.resize(self.buf.len() + spaces, b' ');
            }
        }
    }

    fn open(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.empty {
            self.new_line(false);
        }
        self.empty = false;
        self.buf.push(bracket);
    }

    pub fn open_object(&mut self) {
        self.open(b'{');
    }

    pub fn close_object(&mut self) {
        self.close(b'}');
    }

    pub fn open_array(&mut self) {
        self.open(b'[');
    }

    pub fn close_array(&mut self) {
        self.close(b']');
    }

    /// The next member's key, `"key": `; `key` needs no escape.
    #[inline]
    pub fn key(&mut self, key: &str) {
        debug_assert!(!key.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
        self.next();
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\": ");
    }

    /// The next element of an array.
    pub fn item(&mut self) {
        self.next();
    }

    /// The line of the next member or element: after a comma unless it is the first.
    #[inline]
    fn next(&mut self) {
        let comma = !self.empty;
        self.empty = false;
        self.new_line(comma);
    }

    pub fn str(&mut self, s: &str) {
        write_str(self.buf, s);
    }

    pub fn usize(&mut self, n: usize) {
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    pub fn bool(&mut self, b: bool) {
        self.buf
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    pub fn null(&mut self) {
        self.buf.extend_from_slice(b"null");
    }

    /// `s`, or `null`.
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    /// A member whose value is a string.
    #[inline]
    pub fn str_member(&mut self, key: &str, s: &str) {
        self.key(key);
        self.str(s);
    }

    /// A member whose value is a list of strings.
    pub fn strs_member<S: AsRef<str>>(&mut self, key: &str, items: &[S]) {
        self.key(key);
        self.open_array();
        for s in items {
            self.item();
            self.str(s.as_ref());
        }
        self.close_array();
    }
}
