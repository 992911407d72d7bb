//! Credentials and tokens in URLs: the user and password of `https://user:pass@host/` and the
//! values of query parameters that carry a secret (`?token=…`, `&api_key=…`, `#access_token=…`).

use super::Kind;
use std::ops::Range;

/// Bytes that end a URL in running text.
fn url_end(c: u8) -> bool {
    c.is_ascii_whitespace() || b"<>\"'`".contains(&c)
}

/// The `user:pass` of every `scheme://user:pass@host` (up to the last `@` before the path).
pub fn userinfo(b: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = find(&b[from..], b"://") {
        let s = from + p + 3;
        let mut e = s;
        while e < b.len() && !url_end(b[e]) && !b"/?#".contains(&b[e]) {
            e += 1;
        }
        if let Some(at) = b[s..e].iter().rposition(|&c| c == b'@') {
            if at > 0 {
                out.push(s..s + at);
            }
        }
        from = e.max(s);
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Parameter names whose value is a secret.
const NAMES: &[&str] = &[
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "auth_token",
    "api_key",
    "apikey",
    "api-key",
    "key",
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "client_secret",
    "sig",
    "signature",
    "auth",
    "authorization",
    "sessionid",
    "session_id",
    "x-amz-credential",
];

/// True for a parameter named for a secret: one of [`NAMES`] or ending like one (`_token`,
/// `-key`, `_secret`, `-signature`).
fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    NAMES.contains(&n.as_str())
        || ["token", "secret", "password", "signature", "_key", "-key"]
            .iter()
            .any(|s| n.len() > s.len() && n.ends_with(s) && !n.ends_with("monkey"))
}

/// The values of secret parameters after `?`, `&`, `;` or `#`.
pub fn query(b: &[u8], out: &mut Vec<(Range<usize>, Kind)>) {
    let name_char = |c: u8| c.is_ascii_alphanumeric() || b"_-.".contains(&c);
    for (i, _) in b.iter().enumerate().filter(|(_, &c)| b"?&;#".contains(&c)) {
        let s = i + 1;
        let mut e = s;
        while e < b.len() && name_char(b[e]) {
            e += 1;
        }
        if e == s || b.get(e) != Some(&b'=') {
            continue;
        }
        let name = String::from_utf8_lossy(&b[s..e]);
        let v = e + 1;
        let mut end = v;
        while end < b.len() && !url_end(b[end]) && !b"&#;".contains(&b[end]) {
            end += 1;
        }
        if end > v && secret_name(&name) {
            out.push((v..end, Kind::Secret));
        }
    }
}
