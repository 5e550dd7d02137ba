//! Deal loading: YAML, JSON, TOML and JSON-lines documents → typed values with positions.

pub mod tree;
