//! Untrusted text -> safe display text.
