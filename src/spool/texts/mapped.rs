//! The store file mapped into memory: searches read its pages straight from the page cache, with
//! no copy and no buffer of the process's own (a 60 MB transcript costs no allocation, and the
//! pages count as file-backed memory the kernel can drop, not as the viewer's).
//!
//! The second and last `unsafe` in chatspool (with `crate::memory`): mapping a file.

#![allow(unsafe_code)]

use std::fs::File;

/// A read-only mapping of a whole text store file.
#[derive(Debug)]
pub struct Map(memmap2::Mmap);

impl Map {
    /// Map `file`; `None` when it cannot be mapped.
    pub fn of(file: &File) -> Option<Map> {
        // SAFETY: the file is a text store this process opened or wrote. Stores are never
        // written in place: a new store is a new file renamed over the old name, and a damaged
        // one is unlinked, so the mapped bytes stay as they were checked for as long as this
        // mapping lives. (Someone truncating the file by hand while chatspool runs would make a
        // read fault, as it would for any program that maps files, such as ripgrep or git.)
        unsafe { memmap2::Mmap::map(file) }.ok().map(Map)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}
