//! Lowering a source (SPEC §12): `cite "TEXT" [section "S"] [url "U"] [version "V"]`.

use super::ast::Cite;
use super::grammar::Rule;
use super::lower_expr::{kids, Lowerer, Pair, Res};

impl Lowerer<'_> {
    /// `cite_clause`: children `kw_cite`, the text, then `cite_section`, `cite_url` and
    /// `cite_version` as written, each a word and its string.
    pub(super) fn cite(&mut self, p: &Pair<'_>) -> Res<Cite> {
        let ks = kids(p);
        let text = self.spanned_string(&self.nth(&ks, 1, p)?);
        let mut cite = Cite {
            span: text.span,
            text,
            section: None,
            url: None,
            version: None,
        };
        for part in ks.iter().skip(2) {
            let value = self.spanned_string(&self.nth(&kids(part), 1, part)?);
            cite.span = cite.span.join(value.span);
            let slot = match part.as_rule() {
                Rule::cite_section => &mut cite.section,
                Rule::cite_url => &mut cite.url,
                Rule::cite_version => &mut cite.version,
                _ => return Err(self.bug(part)),
            };
            *slot = Some(value);
        }
        Ok(cite)
    }
}
