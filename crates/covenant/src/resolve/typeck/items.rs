//! Item scopes of quantifiers and filters (SPEC §2.3, §8): the names of the item (its
//! singular, or `as N`), the items that need an `as`, names that read like a field, and the
//! `covenant::lint::shadowed-item` warning.

use crate::schema::{Schema, Type};
use crate::source::Span;
use crate::syntax::ast;

use super::super::error::{ItemNameLikeName, ShadowedItem, UnnamedItem};
use super::super::ir::Expr;
use super::super::phrase::Frame;
use super::names::{record_names, same_words_or_prefix};
use super::Lowerer;

/// What opens an item scope, for messages: `some`, `where`.
#[derive(Clone, Copy)]
pub(super) struct Binder<'x> {
    pub name: Option<&'x ast::ItemName>,
    /// The part that reads the item (`where` or `:`), if there is one.
    pub part: Option<&'static str>,
    /// The head written (`some`, `every`, `where`), for the help line.
    pub head: &'static str,
}

impl Binder<'_> {
    /// The head and the list, as the help line writes them: `some parties`, `parties`.
    fn written(&self, list: &str) -> String {
        if self.head.is_empty() {
            list.to_string()
        } else {
            format!("{} {list}", self.head)
        }
    }
}

impl Lowerer<'_> {
    /// The scope of the items of `list` for a quantifier or filter: named by `as N` when
    /// given, else by the list's singular. None after a diagnostic.
    pub(super) fn item_frame(
        &mut self,
        list: &Expr,
        binder: Binder<'_>,
        frames: &[Frame],
    ) -> Option<Frame> {
        let ty = list.ty.element().clone();
        if let Some(name) = binder.name {
            let key = name.words.join("_");
            self.item_name_is_free(&key, &ty, name.span, frames)?;
            return Some(Frame::new(ty, vec![key]));
        }
        let names = self.item_names(list);
        let scalar = !matches!(ty, Type::Record(_));
        if let (true, true, Some(part)) = (names.is_empty(), scalar, binder.part) {
            self.resolve_error(UnnamedItem {
                text: list.text.to_string(),
                part,
                src: self.named(),
                span: list.loc.span.into(),
                help: format!(
                    "name the item with `as`: `{} as x{} …x…`",
                    binder.written(&list.text),
                    if part == ":" { ":" } else { " where" }
                ),
            });
            return None;
        }
        Some(Frame::new(ty, names))
    }

    /// SPEC §8, as §2.3 rule 4: an item name must not equal, or be the first words of, a
    /// field or singular of the item, of an enclosing item or of the deal root, an enclosing
    /// item's name, or a visible definition.
    fn item_name_is_free(
        &mut self,
        key: &str,
        ty: &Type,
        span: Span,
        frames: &[Frame],
    ) -> Option<()> {
        let own = match ty {
            Type::Record(id) => Some(record_names(self.schema, *id)),
            _ => None,
        };
        let enclosing = frames.iter().flat_map(|f| {
            let fields = match f.ty {
                Type::Record(id) => Some(record_names(self.schema, id)),
                _ => None,
            };
            f.names
                .iter()
                .map(String::as_str)
                .chain(fields.into_iter().flatten())
        });
        let clash = own
            .into_iter()
            .flatten()
            .chain(enclosing)
            .chain(record_names(self.schema, Schema::ROOT))
            .chain(self.visible.iter().map(|d| d.key.as_str()))
            .find(|other| same_words_or_prefix(key, other))
            .map(|other| other.replace('_', " "));
        let Some(other) = clash else {
            return Some(());
        };
        self.resolve_error(ItemNameLikeName {
            name: key.replace('_', " "),
            other,
            src: self.named(),
            span: span.into(),
        });
        None
    }

    /// `covenant::lint::shadowed-item`: `frame`, the scope of the items of `list` named by
    /// their singular (no `as`), was named in its condition or body while an enclosing item
    /// (in `frames`) has that name too.
    pub(super) fn shadowed_item(
        &mut self,
        frame: &Frame,
        binder: Binder<'_>,
        list: &Expr,
        frames: &[Frame],
    ) {
        let Some(at) = frame.named_at.get() else {
            return;
        };
        if binder.name.is_some() {
            return;
        }
        let hidden = frame
            .names
            .iter()
            .find(|n| frames.iter().any(|outer| outer.names.contains(n)));
        let Some(name) = hidden else { return };
        let name = name.replace('_', " ");
        self.resolve_error(ShadowedItem {
            help: format!(
                "name one of them with `as` (`{} as other {} …`), so the text says which \
                 `{name}` it means",
                binder.written(&list.text),
                binder.part.unwrap_or("where")
            ),
            name,
            list: list.text.to_string(),
            src: self.named(),
            span: at.into(),
            list_span: list.loc.span.into(),
        });
    }

    /// Lower `f` with `frame` as the innermost item scope; gives the frame back, with what
    /// the lowering marked on it.
    pub(super) fn in_frame<T>(
        &mut self,
        frame: Frame,
        frames: &mut Vec<Frame>,
        f: impl FnOnce(&mut Self, &mut Vec<Frame>) -> Option<T>,
    ) -> (Option<T>, Frame) {
        frames.push(frame);
        let x = f(self, frames);
        let frame = frames
            .pop()
            .unwrap_or_else(|| Frame::new(Type::Bool, Vec::new()));
        (x, frame)
    }
}
