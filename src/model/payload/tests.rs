//! Payload parsing tests: each FORMAT.md field variant and the vendor sample.

use super::*;
