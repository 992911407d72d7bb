//! The built-in scanners. Everything they look for is ASCII, so they walk bytes; a span always
//! starts and ends on ASCII bytes and therefore on character boundaries.

use super::Kind;
use std::ops::Range;

/// Every e-mail, card, IP address and phone number in `text` (may overlap; the caller merges).
pub fn builtin(text: &str) -> Vec<(Range<usize>, Kind)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    emails(b, &mut out);
    ips(text, &mut out);
    let runs = digit_runs(b);
    for run in &runs {
        cards(b, run, &mut out);
        phone(b, run, &mut out);
    }
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// True when the number starting at `i` continues an identifier or a time to its left:
/// `ORD-4111…`, `v1.2`, `10:30`.
fn glued_before(b: &[u8], i: usize) -> bool {
    match i.checked_sub(1).map(|p| b[p]) {
        None => false,
        Some(c) if is_word(c) => true,
        // `card:4111…` is a label, `10:30` a time.
        Some(b':') => i >= 2 && b[i - 2].is_ascii_digit(),
        Some(b'-' | b'.' | b'/') => i >= 2 && is_word(b[i - 2]),
        _ => false,
    }
}

/// True when the number ending before `e` runs on into an identifier or a time.
fn glued_after(b: &[u8], e: usize) -> bool {
    match b.get(e) {
        None => false,
        Some(&c) if is_word(c) => true,
        Some(b'-' | b'.' | b'/' | b':') => b.get(e + 1).is_some_and(|&c| is_word(c)),
        _ => false,
    }
}

fn emails(b: &[u8], out: &mut Vec<(Range<usize>, Kind)>) {
    // Non-ASCII letters too: `ana@münchen.de`, `josé@correo.es`.
    let local = |c: u8| c.is_ascii_alphanumeric() || c >= 0x80 || b"._%+-".contains(&c);
    let domain = |c: u8| c.is_ascii_alphanumeric() || c >= 0x80 || c == b'.' || c == b'-';
    for (at, _) in b.iter().enumerate().filter(|(_, &c)| c == b'@') {
        let mut s = at;
        while s > 0 && local(b[s - 1]) {
            s -= 1;
        }
        while s < at && b[s] == b'.' {
            s += 1;
        }
        let mut e = at + 1;
        while e < b.len() && domain(b[e]) {
            e += 1;
        }
        while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        let host = &b[at + 1..e];
        let tld = host.rsplit(|&c| c == b'.').next().unwrap_or_default();
        let labels_ok = host.split(|&c| c == b'.').all(|l| !l.is_empty());
        let tld_ok = tld.len() >= 2 && tld.iter().all(|&c| c.is_ascii_alphabetic() || c >= 0x80);
        if s < at && host.contains(&b'.') && labels_ok && tld_ok {
            out.push((s..e, Kind::Email));
        }
    }
}

fn ips(text: &str, out: &mut Vec<(Range<usize>, Kind)>) {
    let b = text.as_bytes();
    let ipish = |c: u8| c.is_ascii_hexdigit() || c == b':' || c == b'.';
    let mut i = 0;
    while i < b.len() {
        if !ipish(b[i]) || (i > 0 && is_word(b[i - 1])) {
            i += 1;
            continue;
        }
        let mut e = i;
        while e < b.len() && ipish(b[e]) {
            e += 1;
        }
        // A sentence may end right after the address, and a port may follow it.
        let mut end = e;
        while end > i && b[end - 1] == b'.' {
            end -= 1;
        }
        if let Some(r) = ip_in(text, i, end) {
            out.push((r, Kind::Ip));
        }
        i = e.max(i + 1);
    }
}

/// The longest prefix of `text[s..e]` that is an IP address and is not glued to more text.
fn ip_in(text: &str, s: usize, e: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let token = &text[s..e];
    if token.matches(':').count() >= 2 {
        // IPv6; trailing `:` (a port or punctuation) is cut until it parses.
        let mut end = e;
        while end > s {
            let t = &text[s..end];
            let hex = t.bytes().any(|c| c.is_ascii_hexdigit());
            if hex && t.len() >= 3 && t.parse::<std::net::Ipv6Addr>().is_ok() {
                return (!glued_after(b, end) || b[end] == b':').then_some(s..end);
            }
            end = t.rfind(':').map(|p| s + p)?;
        }
        return None;
    }
    let head: Vec<&str> = token.split(':').next()?.splitn(5, '.').collect();
    if head.len() < 4 || head[..4].iter().any(|p| p.is_empty() || p.len() > 3) {
        return None;
    }
    let v4 = head[..4].join(".");
    let end = s + v4.len();
    // Leading zeros (`192.168.001.001`) are still an address to a reader.
    let octets = head[..4]
        .iter()
        .all(|p| p.bytes().all(|c| c.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n <= 255));
    let ok = octets && !b[s].is_ascii_alphabetic();
    let glued = b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit);
    (ok && !glued && !glued_before(b, s)).then_some(s..end)
}

/// A run of digit groups separated by spaces, dashes, dots or parentheses, with an optional
/// leading `+`: the raw material of cards and phone numbers.
struct Run {
    plus: bool,
    paren: bool,
    /// Byte range of each group of digits.
    groups: Vec<Range<usize>>,
    /// The separator bytes between group `i` and `i + 1`.
    seps: Vec<Vec<u8>>,
}

fn digit_runs(b: &[u8]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let plus = b[i] == b'+' && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        let paren = b[i] == b'(' && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        let start_ok = b[i].is_ascii_digit() || plus || paren;
        if !start_ok || glued_before(b, i) || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut run = Run {
            plus,
            paren,
            groups: Vec::new(),
            seps: Vec::new(),
        };
        let mut j = i + usize::from(plus || paren);
        loop {
            let g = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            run.groups.push(g..j);
            let mut k = j;
            while k < b.len() && k - j < 3 && b" -.()".contains(&b[k]) {
                k += 1;
            }
            if k > j && k < b.len() && b[k].is_ascii_digit() {
                run.seps.push(b[j..k].to_vec());
                j = k;
            } else {
                break;
            }
        }
        i = j.max(i + 1);
        runs.push(run);
    }
    runs
}

fn digits(b: &[u8], groups: &[Range<usize>]) -> Vec<u8> {
    groups
        .iter()
        .flat_map(|g| b[g.clone()].iter().map(|c| c - b'0'))
        .collect()
}

/// The Luhn checksum cards carry.
pub fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    sum % 10 == 0
}

/// Card numbers: windows of whole groups, 13–19 digits, Luhn-valid. No network issues numbers
/// starting with 0, and 1 only for 15-digit airline cards, which keeps millisecond timestamps
/// (13 digits starting with 1 until 2033) out.
fn cards(b: &[u8], run: &Run, out: &mut Vec<(Range<usize>, Kind)>) {
    let sep_ok = |s: &[u8]| s.iter().all(|&c| c == b' ' || c == b'-');
    let n = run.groups.len();
    let mut a = 0;
    while a < n {
        let mut found = None;
        for z in (a..n).rev() {
            if run.seps[a..z].iter().any(|s| !sep_ok(s)) {
                continue;
            }
            let d = digits(b, &run.groups[a..=z]);
            let first_ok = match d.first() {
                Some(0) | None => false,
                Some(1) => d.len() == 15,
                _ => true,
            };
            let start = run.groups[a].start;
            let end = run.groups[z].end;
            let edges = (a > 0 || !glued_before(b, start)) && (z + 1 < n || !glued_after(b, end));
            if (13..=19).contains(&d.len()) && first_ok && edges && luhn(&d) {
                found = Some((z, start..end));
                break;
            }
        }
        match found {
            Some((z, r)) => {
                out.push((r, Kind::Card));
                a = z + 1;
            }
            None => a += 1,
        }
    }
}

/// `YYYY-MM-DD`, `DD.MM.YYYY` and the like: three groups with one separator, one of them four
/// digits at an end.
fn date_like(lens: &[usize], seps: &[&[u8]]) -> bool {
    let same = seps[0] == seps[1] && matches!(seps[0], b"-" | b"." | b"/");
    let shape = matches!(lens, [4, 1..=2, 1..=2] | [1..=2, 1..=2, 4]);
    same && shape
}

/// Words that announce a phone number (`call me at`, `tel:`, `my number is`).
const CUES: &[&str] = &[
    "phone",
    "tel",
    "telephone",
    "call",
    "mobile",
    "cell",
    "whatsapp",
    "fax",
    "sms",
    "number",
    "ring",
    "text",
];

/// True when one of the three words before `start` is a [`CUES`] word.
fn cued(b: &[u8], start: usize) -> bool {
    let before = String::from_utf8_lossy(&b[start.saturating_sub(32)..start]).to_lowercase();
    before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| CUES.contains(&w))
}

/// Phone numbers: 7–15 digits that start with `+` or `(`, come in three or more groups of at
/// most four digits (`555-123-4567`, `0171 555 0199`), are a local `555-0193`, start with a
/// trunk prefix (`07700 900123`), or follow a word such as `call` or `tel:`. Dates, thousands
/// (`1 234 567`) and dotted versions (`114.0.5282.102`) are not phones.
fn phone(b: &[u8], run: &Run, out: &mut Vec<(Range<usize>, Kind)>) {
    let lens: Vec<usize> = run.groups.iter().map(ExactSizeIterator::len).collect();
    let seps: Vec<&[u8]> = run.seps.iter().map(|s| s.trim_ascii()).collect();
    let total: usize = lens.iter().sum();
    let start = run.groups[0].start - usize::from(run.plus || run.paren);
    let end = run.groups[run.groups.len() - 1].end;
    if !(7..=15).contains(&total) || glued_after(b, end) {
        return;
    }
    if lens
        .windows(3)
        .zip(seps.windows(2))
        .any(|(l, s)| date_like(l, s))
    {
        return;
    }
    let dotted = seps.iter().any(|s| s.contains(&b'.'));
    let dotted_phone =
        matches!(lens.as_slice(), [3, 3, 4] | [3, 4]) && seps.iter().all(|s| *s == b".");
    if dotted && !dotted_phone {
        return;
    }
    let thousands = lens.len() >= 3 && lens[0] <= 3 && lens[1..].iter().all(|&l| l == 3);
    let grouped = lens.len() >= 3 && lens.iter().all(|&l| l <= 4) && !thousands;
    // `555-0193`: the local number without its area code.
    let local = lens == [3, 4] && seps.iter().all(|s| matches!(*s, b"-" | b"."));
    // A trunk or international prefix (`07700 900123`, `0049 30 901820`): no order id or
    // amount starts with 0 and runs to ten digits.
    let trunk = b[run.groups[0].start] == b'0' && total >= 10 && !thousands;
    let ok =
        run.plus || (run.paren && lens.len() >= 2) || grouped || local || trunk || cued(b, start);
    if ok {
        out.push((start..end, Kind::Phone));
    }
}
