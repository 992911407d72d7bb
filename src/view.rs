//! The shapes every face shows a chat in, defined once below them: the list's columns (the
//! plain `list`, the viewer's list, the config's `columns`, CSV's column choice) and the JSON
//! objects of `list --json` and `show --json` (also what the JSON and CSV exports write). The
//! command line, the viewer, the config and the exports all import these; none of them imports
//! another face.

pub mod columns;
pub mod json;
