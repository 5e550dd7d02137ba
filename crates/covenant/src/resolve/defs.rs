//! Definitions: one table for every loaded file, each `let` resolved and typed once, lazily
//! and in dependency order, with cycles reported with their chain.

use std::cell::RefCell;

use miette::LabeledSpan;

use crate::schema::{RecordId, Schema, Type};
use crate::source::{SourceFile, Span};
use crate::syntax::ast;

use super::calendars::Calendars;
use super::depth::Depth;
use super::error::{self, DuplicateDefinition, FirstDefinition, ResolveError};
use super::ir::{Base, Expr, ExprKind};
use super::load::reachable_files;
use super::phrase::{self, DefRef};
use super::typeck::{self, Constant, Definitions, Lowerer};
use super::{CompileDiagnostic, LoadedFile};

pub(super) struct DefEntry {
    /// As messages show it: `covered nation`, `party controls` (an item definition).
    pub name: String,
    /// What two definitions a file sees must not share: the `_`-joined name of a `let`;
    /// `party.controls` for an item definition (see [`super::define`]).
    pub key: String,
    pub file: usize,
    pub name_span: Span,
    pub value: ast::Expr,
    pub state: DefState,
    /// For an item definition, the items its expression is resolved on.
    pub item: Option<ItemScope>,
}

/// The scope an item definition's expression is resolved in (SPEC §8): one item of the
/// record type `record`, named by `singular`.
#[derive(Clone, Debug)]
pub(super) struct ItemScope {
    pub record: RecordId,
    pub singular: String,
}

/// What visibility and duplicate checks read of a definition.
pub(crate) struct DefMeta {
    pub name: String,
    pub key: String,
    pub file: usize,
    pub span: Span,
    pub item: bool,
}

pub(super) enum DefState {
    Pending,
    InProgress,
    Done(Expr),
    Failed,
}

pub(super) struct DefTable<'a> {
    pub schema: &'a Schema,
    pub fx: &'a super::FxScope,
    pub files: &'a [LoadedFile],
    /// The calendars each file sees (SPEC §9).
    pub calendars: &'a Calendars,
    pub visible: Vec<Vec<DefRef>>,
    pub entries: RefCell<Vec<DefEntry>>,
    pub stack: RefCell<Vec<usize>>,
    pub errors: RefCell<Vec<CompileDiagnostic>>,
    pub depth: Depth,
    pub record: Option<&'a super::index::Recorder>,
}

impl DefTable<'_> {
    fn source(&self, file: usize) -> Option<&SourceFile> {
        self.files.get(file).map(|f| &f.source)
    }

    /// Resolve and type definition `index` unless done (a cycle is reported once).
    pub fn ensure(&self, index: usize) {
        let (file, value, item) = {
            let mut entries = self.entries.borrow_mut();
            let Some(entry) = entries.get_mut(index) else {
                return;
            };
            match entry.state {
                DefState::Pending => {}
                DefState::InProgress => {
                    drop(entries);
                    self.cycle_error(index);
                    return;
                }
                _ => return,
            }
            entry.state = DefState::InProgress;
            (entry.file, entry.value.clone(), entry.item.clone())
        };
        self.stack.borrow_mut().push(index);
        let started = self.depth.begin_def();
        let result = match (self.source(file), self.visible.get(file)) {
            (Some(source), Some(visible)) => {
                let mut lowerer = Lowerer {
                    schema: self.schema,
                    fx: self.fx,
                    defs: self,
                    visible,
                    file,
                    source,
                    calendars: self.calendars,
                    errors: Vec::new(),
                    record: self.record,
                };
                // An item definition sees one item of its records, named by the singular.
                let mut frames: Vec<phrase::Frame> = item
                    .map(|scope| {
                        phrase::Frame::new(Type::Record(scope.record), vec![scope.singular])
                    })
                    .into_iter()
                    .collect();
                let x = lowerer.expr_in_root(&value, &mut frames);
                self.errors.borrow_mut().append(&mut lowerer.errors);
                x.map(|x| self.named_table(index, x))
            }
            _ => None,
        };
        self.depth.end_def(index, started);
        self.stack.borrow_mut().pop();
        if let Some(entry) = self.entries.borrow_mut().get_mut(index) {
            if matches!(entry.state, DefState::InProgress) {
                entry.state = result.map_or(DefState::Failed, DefState::Done);
            }
        }
    }

    /// A table gets its definition's name, which its evidence shows (SPEC §8).
    fn named_table(&self, index: usize, mut x: Expr) -> Expr {
        if let ExprKind::Table(t) = &mut x.kind {
            if let Some(entry) = self.entries.borrow().get(index) {
                t.name = entry.name.as_str().into();
            }
        }
        x
    }

    fn cycle_error(&self, index: usize) {
        let stack = self.stack.borrow();
        let entries = self.entries.borrow();
        let start = stack.iter().position(|&i| i == index).unwrap_or(0);
        let chain: Vec<usize> = stack
            .get(start..)
            .map(<[usize]>::to_vec)
            .unwrap_or_default();
        let names: Vec<String> = chain
            .iter()
            .chain(std::iter::once(&index))
            .filter_map(|&i| entries.get(i).map(|e| e.name.clone()))
            .collect();
        let Some(first) = entries.get(index) else {
            return;
        };
        let Some(src) = self.source(first.file) else {
            return;
        };
        let others = chain
            .iter()
            .skip(1)
            .filter_map(|&i| entries.get(i))
            .filter(|e| e.file == first.file)
            .map(|e| {
                let label = format!("`{}` is part of the cycle", e.name);
                LabeledSpan::new_with_span(Some(label), e.name_span)
            })
            .collect();
        let err = error::CyclicDefinition {
            names,
            src: src.named(),
            span: first.name_span.into(),
            others,
        };
        drop(entries);
        // Mark the whole chain failed so each cycle is reported once.
        let mut entries = self.entries.borrow_mut();
        for &i in &chain {
            if let Some(e) = entries.get_mut(i) {
                e.state = DefState::Failed;
            }
        }
        self.errors
            .borrow_mut()
            .push(ResolveError::from(err).into());
    }

    fn with_done<T>(&self, index: usize, f: impl FnOnce(&Expr) -> T) -> Option<T> {
        self.ensure(index);
        match self.entries.borrow().get(index).map(|e| &e.state) {
            Some(DefState::Done(x)) => Some(f(x)),
            _ => None,
        }
    }
}

impl Definitions for DefTable<'_> {
    fn def_type(&self, index: usize) -> Option<Type> {
        self.with_done(index, |x| x.ty.clone())
    }

    fn def_is_list_value(&self, index: usize) -> bool {
        self.with_done(index, |x| match &x.kind {
            ExprKind::List(_) => true,
            ExprKind::Path {
                base: Base::Let(i),
                steps,
            } => steps.is_empty() && self.def_is_list_value(*i),
            _ => false,
        })
        .unwrap_or(false)
    }

    fn def_is_constant(&self, index: usize) -> bool {
        self.with_done(index, |x| typeck::is_constant(x, self))
            .unwrap_or(false)
    }

    fn def_is_mapped(&self, index: usize) -> bool {
        self.with_done(index, |x| typeck::is_mapped(x, self))
            .unwrap_or(false)
    }

    fn def_item_names(&self, index: usize) -> Vec<String> {
        let Some(x) = self.with_done(index, Clone::clone) else {
            return Vec::new();
        };
        let (Some(source), Some(visible)) = (self.source(x.loc.file), self.visible.get(x.loc.file))
        else {
            return Vec::new();
        };
        let lowerer = Lowerer {
            schema: self.schema,
            fx: self.fx,
            defs: self,
            visible,
            file: x.loc.file,
            source,
            calendars: self.calendars,
            errors: Vec::new(),
            record: None,
        };
        lowerer.item_names(&x)
    }

    fn def_constant(&self, index: usize) -> Option<Constant> {
        // The value is cloned out of the table: following a definition it names borrows the
        // table again.
        let x = self.with_done(index, Clone::clone)?;
        match &x.kind {
            ExprKind::Const(s) => Some(Constant::One(s.clone())),
            ExprKind::List(items) => items
                .iter()
                .map(|i| match &i.kind {
                    ExprKind::Const(s) => Some(s.clone()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(Constant::Many),
            ExprKind::Path {
                base: Base::Let(i),
                steps,
            } if steps.is_empty() => self.def_constant(*i),
            _ => None,
        }
    }

    fn def_name(&self, index: usize) -> (String, usize, Span) {
        self.entries
            .borrow()
            .get(index)
            .map(|e| (e.name.clone(), e.file, e.name_span))
            .unwrap_or_default()
    }

    fn enter(&self) -> bool {
        self.depth.enter()
    }

    fn leave(&self) {
        self.depth.leave()
    }

    fn use_def(&self, index: usize) -> Result<(), usize> {
        self.depth.use_def(index)
    }

    fn depth_limit(&self) -> usize {
        self.depth.limit()
    }
}

impl Lowerer<'_> {
    fn expr_in_root(&mut self, e: &ast::Expr, frames: &mut Vec<phrase::Frame>) -> Option<Expr> {
        self.lower_value(e, frames)
    }
}

/// What the visibility and duplicate checks read of each definition.
pub(super) fn entries_meta(entries: &[DefEntry]) -> Vec<DefMeta> {
    entries
        .iter()
        .map(|e| DefMeta {
            name: e.name.clone(),
            key: e.key.clone(),
            file: e.file,
            span: e.name_span,
            item: e.item.is_some(),
        })
        .collect()
}

/// For each file, the definitions it sees: its own and those of every file it uses,
/// transitively. A name seen twice is an error showing both places.
pub fn visible_definitions(
    files: &[LoadedFile],
    defs: &[DefMeta],
    errors: &mut Vec<CompileDiagnostic>,
) -> Vec<Vec<DefRef>> {
    let mut reported = Vec::new();
    (0..files.len())
        .map(|file| {
            let reach = reachable_files(files, file);
            let mut seen: Vec<DefRef> = Vec::new();
            for (index, def) in defs.iter().enumerate() {
                if !reach.contains(&def.file) {
                    continue;
                }
                if let Some(prev) = seen.iter().find(|d| d.key == def.key) {
                    if !reported.contains(&(prev.index, index)) {
                        reported.push((prev.index, index));
                        let error = duplicate_definition(files, defs, prev.index, def);
                        errors.push(ResolveError::from(error).into());
                    }
                    continue;
                }
                seen.push(DefRef {
                    key: def.key.clone(),
                    index,
                    item: def.item,
                });
            }
            seen
        })
        .collect()
}

/// The definition `second` names again what definition `first` (an index into `defs`)
/// names: both places are shown, the first as a related diagnostic when in another file.
pub(super) fn duplicate_definition(
    files: &[LoadedFile],
    defs: &[DefMeta],
    first: usize,
    second: &DefMeta,
) -> DuplicateDefinition {
    let (name, f2, s2) = (&second.name, second.file, second.span);
    let first = defs.get(first).map(|d| (d.file, d.span));
    let again = files.get(f2);
    let first_elsewhere = first
        .filter(|(f1, _)| *f1 != f2)
        .and_then(|(f1, s1)| Some((files.get(f1)?, s1)))
        .map(|(src, s1)| FirstDefinition {
            name: name.clone(),
            src: src.source.named(),
            span: s1.into(),
        });
    DuplicateDefinition {
        name: name.clone(),
        src: again.map(|f| f.source.named()),
        span: again.map(|_| s2.into()),
        first: first.filter(|(f1, _)| *f1 == f2).map(|(_, s1)| s1.into()),
        first_elsewhere,
    }
}
