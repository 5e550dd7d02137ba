//! Resolution and type checking: phrases → typed IR.
