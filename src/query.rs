//! The query language shared by `list --query`, `stats --query` and the TUI search bar.
//! (Being implemented: see the helper's spec.)
