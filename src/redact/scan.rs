//! The built-in scanners. They read the folded text ([`super::fold`]), where everything they
//! look for is ASCII, so they walk bytes; a span always starts and ends on ASCII bytes and
//! therefore on character boundaries.

use super::words::{word_at, word_before};
use super::Kind;
use std::ops::Range;

/// Every e-mail, card, IP address, phone number, IBAN and URL secret in `text` (may overlap; the
/// caller merges).
pub fn builtin(text: &str) -> Vec<(Range<usize>, Kind)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let users = super::secret::userinfo(b);
    let mut found = Vec::new();
    emails(b, &|_| false, &mut found);
    // `https://user:pass@host`: the credentials are masked, the host is not an address.
    out.extend(
        found
            .into_iter()
            .filter(|(r, _)| !users.iter().any(|u| r.start < u.end && u.start < r.end)),
    );
    out.extend(users.into_iter().map(|r| (r, Kind::Secret)));
    super::secret::query(b, &mut out);
    super::iban::ibans(b, &mut out);
    ips(text, &mut out);
    let runs = digit_runs(b);
    for run in &runs {
        cards(b, run, &mut out);
        phones(b, run, &mut out);
    }
    out
}

/// True when the number starting at `i` continues an identifier or a time to its left:
/// `ORD-4111…`, `v1.2`, `10:30`.
fn glued_before(b: &[u8], i: usize) -> bool {
    match i.checked_sub(1).map(|p| b[p]) {
        None => false,
        // `card:4111…` is a label, `10:30` a time.
        Some(b':') => i >= 2 && b[i - 2].is_ascii_digit(),
        Some(b'-' | b'.' | b'/') => word_before(b, i - 1),
        Some(_) => word_before(b, i),
    }
}

/// True when the number ending before `e` runs on into an identifier or a time.
fn glued_after(b: &[u8], e: usize) -> bool {
    match b.get(e) {
        None => false,
        Some(b'-' | b'.' | b'/' | b':') => word_at(b, e + 1),
        Some(_) => word_at(b, e),
    }
}

/// E-mail addresses. `weak(at)` says the `@` at `at` was a spelled-out ` at `, which plain
/// English is full of (`look at example.com`): then the left side must be a name, not a short
/// or common word, and the domain must end in a common ending.
pub fn emails(b: &[u8], weak: &dyn Fn(usize) -> bool, out: &mut Vec<(Range<usize>, Kind)>) {
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
        let name_ok = !weak(at) || super::spelled::plausible(&b[s..at], tld);
        if s < at && host.contains(&b'.') && labels_ok && tld_ok && name_ok {
            out.push((s..e, Kind::Email));
        }
    }
}

fn ips(text: &str, out: &mut Vec<(Range<usize>, Kind)>) {
    let b = text.as_bytes();
    let ipish = |c: u8| c.is_ascii_hexdigit() || c == b':' || c == b'.';
    let mut i = 0;
    while i < b.len() {
        if !ipish(b[i]) || word_before(b, i) {
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

/// A run of digit groups separated by spaces, dashes, dots, slashes, underscores or
/// parentheses, with an optional
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
            while k < b.len() && k - j < 3 && b" -.()/_".contains(&b[k]) {
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

/// Card numbers: windows of whole groups (grouped by spaces, dashes, dots, slashes or
/// underscores), 13–19 digits, Luhn-valid. No network issues numbers
/// starting with 0, and 1 only for 15-digit airline cards, which keeps millisecond timestamps
/// (13 digits starting with 1 until 2033) out.
fn cards(b: &[u8], run: &Run, out: &mut Vec<(Range<usize>, Kind)>) {
    let sep_ok = |s: &[u8]| s.iter().all(|&c| b" -./_".contains(&c));
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

/// Words that announce a phone number (`call me at`, `tel:`, `my number is`), abbreviated
/// (`ph.`, `mob`) and in other languages (`Telefon`, `Téléphone`, `Teléfono`).
const CUES: &[&str] = &[
    "phone",
    "ph",
    "tel",
    "tél",
    "tlf",
    "tfn",
    "telephone",
    "téléphone",
    "telefon",
    "telefoon",
    "telefono",
    "teléfono",
    "telefone",
    "call",
    "mobile",
    "mob",
    "móvil",
    "movil",
    "celular",
    "cell",
    "whatsapp",
    "fax",
    "sms",
    "number",
    "ring",
    "text",
    "هاتف",
    "फ़ोन",
    "फोन",
];

/// Cue words of scripts written without spaces, found inside a longer word (`電話番号`).
const CUES_INSIDE: &[&str] = &["電話", "电话", "携帯", "手机", "전화"];

/// True when a word is a [`CUES`] word or holds a [`CUES_INSIDE`] one.
pub fn is_cue(word: &str) -> bool {
    CUES.contains(&word) || (!word.is_ascii() && CUES_INSIDE.iter().any(|c| word.contains(c)))
}

/// True when one of the three words before `start` is a cue ([`is_cue`]).
fn cued(b: &[u8], start: usize) -> bool {
    let before = String::from_utf8_lossy(&b[start.saturating_sub(32)..start]).to_lowercase();
    before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(is_cue)
}

/// Phone numbers in a run: no one writes a phone number with `_` inside, so the run is split
/// there (`2024_05_31_001` is a name, not a number). A `/` stays (`030/12345678`).
fn phones(b: &[u8], run: &Run, out: &mut Vec<(Range<usize>, Kind)>) {
    let mut a = 0;
    for z in 0..run.groups.len() {
        let last = z + 1 == run.groups.len();
        if last || run.seps[z].contains(&b'_') {
            let part = Run {
                plus: run.plus && a == 0,
                paren: run.paren && a == 0,
                groups: run.groups[a..=z].to_vec(),
                seps: run.seps[a..z].to_vec(),
            };
            phone(b, &part, last, out);
            a = z + 1;
        }
    }
}

/// Phone numbers: 7–15 digits that start with `+` or `(`, come in three or more groups of at
/// most four digits (`555-123-4567`, `0171 555 0199`), are a local `555-0193`, start with a
/// trunk prefix (`07700 900123`), or follow a word such as `call` or `tel:`. Dates, thousands
/// (`1 234 567`) and dotted versions (`114.0.5282.102`) are not phones. `last`: the run ends
/// here (else a `_` follows, which does not glue).
fn phone(b: &[u8], run: &Run, last: bool, out: &mut Vec<(Range<usize>, Kind)>) {
    let lens: Vec<usize> = run.groups.iter().map(ExactSizeIterator::len).collect();
    let seps: Vec<&[u8]> = run.seps.iter().map(|s| s.trim_ascii()).collect();
    let total: usize = lens.iter().sum();
    let start = run.groups[0].start - usize::from(run.plus || run.paren);
    let end = run.groups[run.groups.len() - 1].end;
    if !(7..=15).contains(&total) || (last && glued_after(b, end)) {
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
