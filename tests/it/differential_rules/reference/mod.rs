//! The random-rule differential test: rules over the whole v1 expression grammar, printed as
//! policy text for covenant and evaluated by an independent reference written from the
//! SPEC, on random deals. See `tests/differential/README.md`.

pub mod ast;
pub mod eval;
mod eval_lists;
pub mod gen_deal;
pub mod gen_prelude;
pub mod gen_rule;
mod gen_value;
pub mod pending;
pub mod pools;
pub mod print;
pub mod rng;
pub mod run;
#[cfg(test)]
mod spec_examples;
pub mod typing;
mod value;
