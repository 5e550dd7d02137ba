//! The expression depth limit of compilation (`covenant::resolve::too-deep`).
//!
//! Lowering and evaluation recurse once per level of an expression, and a definition is
//! evaluated where it is used, so the depth that matters is the *effective* one: the levels of
//! the expression plus, at each use of a definition, the definition's own effective depth.
//! [`Depth`] counts it while lowering: every lowered sub-expression is one level (a definition
//! lowered on first use is lowered at the depth of that use, so the count never restarts and
//! the compiler's own recursion stays bounded), and a use of a definition lowered earlier adds
//! that definition's recorded depth. A compiled policy therefore never evaluates deeper than
//! the limit, whatever chain of definitions it has.

use std::cell::{Cell, RefCell};

/// Depth accounting of one compilation.
pub(crate) struct Depth {
    limit: usize,
    current: Cell<usize>,
    /// The deepest level reached since the innermost definition being lowered started.
    peak: Cell<usize>,
    /// The effective depth of each definition lowered so far (by definition index).
    defs: RefCell<Vec<usize>>,
}

/// What [`Depth::begin_def`] saves for [`Depth::end_def`].
pub(crate) struct DefStart {
    start: usize,
    outer_peak: usize,
}

impl Depth {
    pub fn new(limit: usize, definitions: usize) -> Depth {
        Depth {
            limit,
            current: Cell::new(0),
            peak: Cell::new(0),
            defs: RefCell::new(vec![0; definitions]),
        }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// One level deeper; false (and no change) when that passes the limit.
    pub fn enter(&self) -> bool {
        let d = self.current.get() + 1;
        if d > self.limit {
            return false;
        }
        self.current.set(d);
        self.peak.set(self.peak.get().max(d));
        true
    }

    pub fn leave(&self) {
        self.current.set(self.current.get().saturating_sub(1));
    }

    /// A definition starts being lowered at the current depth.
    pub fn begin_def(&self) -> DefStart {
        let start = self.current.get();
        let outer_peak = self.peak.replace(start);
        DefStart { start, outer_peak }
    }

    /// The definition `index` is lowered: record its effective depth.
    pub fn end_def(&self, index: usize, saved: DefStart) {
        let peak = self.peak.get();
        if let Some(d) = self.defs.borrow_mut().get_mut(index) {
            *d = peak.saturating_sub(saved.start);
        }
        self.peak.set(peak.max(saved.outer_peak));
    }

    /// A use of definition `index` at the current depth: `Err(its depth)` when evaluating it
    /// here would pass the limit.
    pub fn use_def(&self, index: usize) -> Result<(), usize> {
        let own = self.defs.borrow().get(index).copied().unwrap_or(0);
        let reached = self.current.get().saturating_add(own);
        if reached > self.limit {
            return Err(own);
        }
        self.peak.set(self.peak.get().max(reached));
        Ok(())
    }
}
