//! File names as strings that can be turned back into the real name.
//!
//! A spool path is keyed by a `/`-separated string relative to the root (the store, the cache,
//! the watcher and every row's `source` use it). File names on Unix are bytes, not always UTF-8;
//! a lossy conversion would make `show`, the viewer and `text:` look for a file that does not
//! exist, and would give two names (`a\xff.json`, `a\xfe.json`) one key. So a byte that is not
//! part of valid UTF-8 is written as one character of a private-use range
//! (`U+10FF00 + byte`), and a real character of that range is written byte by byte the same
//! way: the mapping is one-to-one and [`decode`] undoes it. Those characters only ever stand
//! for bytes; [`display`] shows each as `�`.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// The first character of the range that stands for raw bytes.
const BASE: u32 = 0x10_FF00;

/// True for a character that stands for a raw byte of a name.
pub fn is_escape(c: char) -> bool {
    (BASE..=BASE + 0xFF).contains(&u32::from(c))
}

fn escape_byte(out: &mut String, b: u8) {
    out.push(char::from_u32(BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER));
}

/// The string key of a name (or a path): itself when it is UTF-8 without escape characters.
pub fn encode(name: &OsStr) -> Cow<'_, str> {
    if let Some(s) = name.to_str() {
        if !s.chars().any(is_escape) {
            return Cow::Borrowed(s);
        }
    }
    Cow::Owned(encode_bytes(&bytes_of(name)))
}

fn encode_bytes(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    while !bytes.is_empty() {
        let (good, rest) = match std::str::from_utf8(bytes) {
            Ok(s) => (s, &[][..]),
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(good).unwrap_or_default(), rest)
            }
        };
        for c in good.chars() {
            if is_escape(c) {
                let mut buf = [0u8; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    escape_byte(&mut out, b);
                }
            } else {
                out.push(c);
            }
        }
        // The first byte of what is left is not valid UTF-8 here: one escape, then go on.
        if let Some((&b, tail)) = rest.split_first() {
            escape_byte(&mut out, b);
            bytes = tail;
        } else {
            bytes = rest;
        }
    }
    out
}

/// The real name (or path) of a key made by [`encode`].
pub fn decode(key: &str) -> Cow<'_, OsStr> {
    if !key.chars().any(is_escape) {
        return Cow::Borrowed(OsStr::new(key));
    }
    let mut bytes = Vec::with_capacity(key.len());
    for c in key.chars() {
        if is_escape(c) {
            bytes.push((u32::from(c) - BASE) as u8);
        } else {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    Cow::Owned(os_from_bytes(bytes))
}

/// The absolute path of spool-relative key `rel` (`root` itself for `""`).
pub fn path_of(root: &Path, rel: &str) -> PathBuf {
    if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(decode(rel))
    }
}

/// A key as people read it: each raw byte shown as `�` (what a lossy conversion shows).
pub fn display(key: &str) -> Cow<'_, str> {
    if !key.chars().any(is_escape) {
        return Cow::Borrowed(key);
    }
    Cow::Owned(
        key.chars()
            .map(|c| {
                if is_escape(c) {
                    char::REPLACEMENT_CHARACTER
                } else {
                    c
                }
            })
            .collect(),
    )
}

#[cfg(unix)]
fn bytes_of(name: &OsStr) -> Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    Cow::Borrowed(name.as_bytes())
}

#[cfg(not(unix))]
fn bytes_of(name: &OsStr) -> Cow<'_, [u8]> {
    Cow::Owned(name.to_string_lossy().into_owned().into_bytes())
}

#[cfg(unix)]
fn os_from_bytes(bytes: Vec<u8>) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    OsString::from_vec(bytes)
}

#[cfg(not(unix))]
fn os_from_bytes(bytes: Vec<u8>) -> OsString {
    OsString::from(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn utf8_names_are_their_own_key() {
        for n in ["a.json", "2020/09/ü.json", "日本.jsonl", ""] {
            assert!(matches!(encode(OsStr::new(n)), Cow::Borrowed(_)));
            assert_eq!(decode(n), OsStr::new(n));
        }
    }

    #[test]
    fn broken_names_get_distinct_keys_and_read_as_bytes() {
        let a = OsStr::from_bytes(b"chat-\xff.json");
        let b = OsStr::from_bytes(b"chat-\xfe.json");
        let (ka, kb) = (encode(a), encode(b));
        assert_ne!(ka, kb);
        assert_eq!(display(&ka), "chat-\u{FFFD}.json");
        assert_eq!(decode(&ka), a);
        assert_eq!(decode(&kb), b);
        // A real name holding an escape character cannot pose as a broken one.
        let c = OsStr::new("chat-\u{10FFFF}.json");
        assert_ne!(encode(c), ka);
        assert_eq!(decode(&encode(c)), c);
    }

    proptest! {
        #[test]
        fn every_name_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            let name = OsStr::from_bytes(&bytes);
            let key = encode(name);
            let back = decode(&key);
            prop_assert_eq!(back.as_bytes(), &bytes[..]);
        }

        #[test]
        fn keys_of_different_names_differ(
            a in proptest::collection::vec(any::<u8>(), 0..8),
            b in proptest::collection::vec(any::<u8>(), 0..8),
        ) {
            prop_assume!(a != b);
            prop_assert_ne!(encode(OsStr::from_bytes(&a)), encode(OsStr::from_bytes(&b)));
        }
    }
}
