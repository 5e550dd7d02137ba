//! A value derived once from a compiled policy by a later phase, kept with the policy without
//! the policy's phase naming its type: evaluation keeps its compiled quick pass here
//! (`eval::compiled`), while resolution does not depend on evaluation.

use std::any::Any;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::OnceLock;

/// A value kept: shared between threads, and as safe across a caught panic as the policy.
type Value = dyn Any + Send + Sync + UnwindSafe + RefUnwindSafe;

/// One value of any type, made on first use and kept for the life of its owner.
#[derive(Default)]
pub struct Attached(OnceLock<Box<Value>>);

impl Attached {
    /// The value kept, made by `make` on first use. None if a value of another type was kept
    /// first (one phase owns the slot, so this does not happen).
    pub fn get_or_init<T>(&self, make: impl FnOnce() -> T) -> Option<&T>
    where
        T: Any + Send + Sync + UnwindSafe + RefUnwindSafe,
    {
        let kept: &dyn Any = &**self.0.get_or_init(|| Box::new(make()));
        kept.downcast_ref()
    }
}

impl std::fmt::Debug for Attached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0.get() {
            Some(_) => "Attached(kept)",
            None => "Attached(empty)",
        })
    }
}
