//! Work counters for tests: list elements examined by membership tests.

use std::cell::Cell;

thread_local! {
    static MEMBER: Cell<usize> = const { Cell::new(0) };
}

pub(crate) fn member(n: usize) {
    MEMBER.with(|c| c.set(c.get() + n));
}

/// The count so far, reset to 0.
pub(crate) fn take_member() -> usize {
    MEMBER.with(|c| c.replace(0))
}
