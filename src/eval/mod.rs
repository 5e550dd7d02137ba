//! Evaluation: compiled rules × a deal → outcomes with evidence.

pub mod outcome;
