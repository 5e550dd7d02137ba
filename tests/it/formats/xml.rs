//! A minimal XML 1.0 well-formedness checker and tree reader for the JUnit tests: elements,
//! attributes, text, character and the five predefined entity references, comments, an XML
//! declaration. No DTDs, CDATA or processing instructions (the JUnit report writes none).

#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The attribute as a number; panics when absent or not a number.
    pub fn count(&self, name: &str) -> usize {
        let v = self
            .attr(name)
            .unwrap_or_else(|| panic!("<{}> has no `{name}`", self.name));
        v.parse()
            .unwrap_or_else(|_| panic!("<{}> {name}={v:?} is not a count", self.name))
    }

    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

fn is_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

fn name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || !c.is_ascii()
}

fn name_char(c: char) -> bool {
    name_start(c) || c.is_ascii_digit() || c == '-' || c == '.'
}

struct Reader<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        let line = self.s[..self.pos].matches('\n').count() + 1;
        Err(format!(
            "line {line}: {what} near {:?}",
            self.rest().chars().take(30).collect::<String>()
        ))
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn space(&mut self) -> bool {
        let start = self.pos;
        while let Some(c) = self
            .rest()
            .chars()
            .next()
            .filter(|c| " \t\r\n".contains(*c))
        {
            self.pos += c.len_utf8();
        }
        self.pos > start
    }

    fn name(&mut self) -> Result<String, String> {
        let mut chars = self.rest().chars();
        match chars.next() {
            Some(c) if name_start(c) => {}
            _ => return self.err("expected a name"),
        }
        let len: usize = self
            .rest()
            .chars()
            .take_while(|&c| name_char(c))
            .map(char::len_utf8)
            .sum();
        let n = self.rest()[..len].to_string();
        self.pos += len;
        Ok(n)
    }

    /// A reference after `&`: returns the character it stands for.
    fn reference(&mut self) -> Result<char, String> {
        let Some(end) = self.rest().find(';') else {
            return self.err("unterminated reference");
        };
        let r = &self.rest()[..end];
        let c = match r {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let n = if let Some(h) = r.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()
                } else if let Some(d) = r.strip_prefix('#') {
                    d.parse().ok()
                } else {
                    None
                };
                n.and_then(char::from_u32).filter(|&c| is_char(c))
            }
        };
        match c {
            Some(c) => {
                self.pos += end + 1;
                Ok(c)
            }
            None => self.err("bad reference"),
        }
    }

    /// Text up to the next `<`, with references decoded.
    fn text(&mut self, attr: Option<char>) -> Result<String, String> {
        let mut out = String::new();
        while let Some(c) = self.rest().chars().next() {
            if Some(c) == attr || (attr.is_none() && c == '<') {
                break;
            }
            if !is_char(c) {
                return self.err("character not allowed in XML");
            }
            self.pos += c.len_utf8();
            match c {
                '&' => out.push(self.reference()?),
                '<' => return self.err("`<` in an attribute value"),
                '>' if attr.is_none() && out.ends_with("]]") => return self.err("`]]>` in text"),
                // Attribute-value normalisation: literal white space becomes a space.
                '\t' | '\n' | '\r' if attr.is_some() => out.push(' '),
                c => out.push(c),
            }
        }
        Ok(out)
    }

    fn element(&mut self) -> Result<Element, String> {
        if !self.eat("<") {
            return self.err("expected `<`");
        }
        let mut el = Element {
            name: self.name()?,
            ..Element::default()
        };
        loop {
            let spaced = self.space();
            if self.eat("/>") {
                return Ok(el);
            }
            if self.eat(">") {
                break;
            }
            if !spaced {
                return self.err("expected white space before an attribute");
            }
            let n = self.name()?;
            self.space();
            if !self.eat("=") {
                return self.err("expected `=`");
            }
            self.space();
            let q = match self.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return self.err("expected a quoted value"),
            };
            self.pos += 1;
            let v = self.text(Some(q))?;
            if !self.eat(&q.to_string()) {
                return self.err("unterminated attribute value");
            }
            if el.attr(&n).is_some() {
                return self.err(&format!("duplicate attribute `{n}`"));
            }
            el.attrs.push((n, v));
        }
        loop {
            let t = self.text(None)?;
            el.text.push_str(&t);
            if self.eat("<!--") {
                let Some(end) = self.rest().find("-->") else {
                    return self.err("unterminated comment");
                };
                self.pos += end + 3;
            } else if self.eat("</") {
                let n = self.name()?;
                self.space();
                if n != el.name || !self.eat(">") {
                    return self.err(&format!("`</{n}>` does not close `<{}>`", el.name));
                }
                return Ok(el);
            } else if self.rest().starts_with('<') {
                el.children.push(self.element()?);
            } else {
                return self.err(&format!("`<{}>` is not closed", el.name));
            }
        }
    }
}

/// Parse a whole document: an optional XML declaration, one root element, white space.
pub fn parse(doc: &str) -> Result<Element, String> {
    let mut r = Reader { s: doc, pos: 0 };
    if r.eat("<?xml") {
        let Some(end) = r.rest().find("?>") else {
            return r.err("unterminated XML declaration");
        };
        r.pos += end + 2;
    }
    r.space();
    let root = r.element()?;
    r.space();
    if !r.rest().is_empty() {
        return r.err("content after the root element");
    }
    Ok(root)
}

#[test]
fn the_checker_rejects_what_is_not_well_formed() {
    for bad in [
        "<a>",
        "<a></b>",
        "<a x=\"1\" x=\"2\"/>",
        "<a x=\"<\"/>",
        "<a>&nbsp;</a>",
        "<a>\u{1}</a>",
        "<a/><b/>",
        "<a>]]></a>",
        "<a x='1'y='2'/>",
    ] {
        assert!(parse(bad).is_err(), "accepted {bad:?}");
    }
    let ok = parse("<?xml version=\"1.0\"?>\n<a k=\"x&#10;y &amp; &quot;z&quot;\">t &lt; u<b/><!-- c --></a>\n")
        .unwrap();
    assert_eq!(ok.attr("k"), Some("x\ny & \"z\""));
    assert_eq!(ok.text, "t < u");
    assert_eq!(ok.children.len(), 1);
}
