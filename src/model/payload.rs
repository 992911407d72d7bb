//! Serde mirror of the webhook body.
