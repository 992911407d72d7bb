//! chatspool: read, search and watch a spool of Comm100 `chat_ended` webhook payloads.
//!
//! The domain (parsing, the store, the query language, statistics) lives here free of any terminal
//! code so that the CLI, the TUI, the tests and the benchmarks all share one implementation.

pub mod cli;
pub mod config;
pub mod details;
pub mod dirs;
pub mod export;
pub mod fold;
pub mod format;
pub mod log;
pub mod memory;
pub mod model;
pub mod paths;
pub mod query;
pub mod redact;
#[cfg(feature = "remote")]
pub mod remote;
pub mod review;
pub mod sanitize;
pub mod search;
pub mod signals;
pub mod sources;
pub mod spans;
pub mod spool;
pub mod stats;
pub mod tui;
pub mod view;
pub mod views;
pub mod work;
