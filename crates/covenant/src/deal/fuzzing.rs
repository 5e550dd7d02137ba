//! Not for callers: the two paths of [`super::load`] apart, for the fuzz target `deal_fast`
//! (`fuzz/fuzz_targets/common.rs`) and the replay of its saved inputs, which check that the
//! JSON fast path gives the full loader's deal and warnings, or gives up.

use super::{fast, without_bom, LoadOptions};
use crate::schema::Schema;
use crate::source::SourceFile;

/// [`super::load`] without its JSON fast path: what the full loader alone gives.
pub use super::load_full as load_without_fast_path;

/// Whether the one-pass JSON loader of [`super::load`]'s fast path reads `source` (the
/// checks after it may still send the deal to the full loader): the saved inputs of
/// `deal_fast` are checked to be read by it, so that comparing the two paths on them tests
/// something.
pub fn read_by_json_fast_path(source: &SourceFile, schema: &Schema, opts: &LoadOptions) -> bool {
    let (_, base) = without_bom(&source.text);
    fast::load_json_fast_with_unknown(&source.text, base, schema, &opts.limits).is_some()
}
