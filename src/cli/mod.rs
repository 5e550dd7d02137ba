//! The commands, callable without spawning a process.
