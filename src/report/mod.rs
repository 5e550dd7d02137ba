//! Reports: human (miette), JSON, JSON-lines.
