//! `covenant serve`: the HTTP API over the checking engine ([`covenant::check::Engine`]) and
//! the decision log ([`decision_log`]) every check is committed to before it is answered.

pub mod decision_log;
