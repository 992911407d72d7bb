//! International bank account numbers: two letters, two check digits and up to 30 letters or
//! digits, written together or in groups of four, that pass the mod-97 check (which keeps
//! product codes and the like out).

use super::words::{word_at, word_before};
use super::Kind;
use std::ops::Range;

/// True when `iban` (letters and digits only) passes the ISO 13616 check: the first four moved
/// to the end, letters as 10–35, the number mod 97 is 1.
pub fn valid(iban: &[u8]) -> bool {
    if !(15..=34).contains(&iban.len()) {
        return false;
    }
    let check = &iban[2..4];
    if !iban[..2].iter().all(u8::is_ascii_alphabetic) || !check.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if matches!(check, b"00" | b"01" | b"99") {
        return false;
    }
    let mut rem = 0u32;
    for &c in iban[4..].iter().chain(&iban[..4]) {
        let c = c.to_ascii_uppercase();
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 { rem * 100 + v } else { rem * 10 + v } % 97;
    }
    rem == 1
}

/// Every IBAN in `b`: the longest run of space-separated letter-and-digit groups from a word
/// start that passes [`valid`].
pub fn ibans(b: &[u8], out: &mut Vec<(Range<usize>, Kind)>) {
    let mut i = 0;
    while i + 4 <= b.len() {
        let head = &b[i..i + 4];
        let shape = head[..2].iter().all(u8::is_ascii_alphabetic)
            && head[2..].iter().all(u8::is_ascii_digit);
        if !shape || word_before(b, i) {
            i += 1;
            continue;
        }
        // Group ends (exclusive) and the letters and digits so far.
        let mut ends = Vec::new();
        let mut chars = Vec::new();
        let mut j = i;
        loop {
            let g = j;
            while j < b.len() && b[j].is_ascii_alphanumeric() && chars.len() < 34 {
                chars.push(b[j]);
                j += 1;
            }
            if j == g {
                break;
            }
            ends.push((j, chars.len()));
            if b.get(j) == Some(&b' ') && b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric) {
                j += 1;
            } else {
                break;
            }
        }
        let found = ends
            .iter()
            .rev()
            .find(|&&(e, n)| !word_at(b, e) && valid(&chars[..n]));
        match found {
            Some(&(e, _)) => {
                out.push((i..e, Kind::Iban));
                i = e;
            }
            None => i += 1,
        }
    }
}
