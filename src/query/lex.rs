//! Splitting a query into terms: whitespace separates terms, double quotes group.
//!
//! A term is a list of segments, each quoted or not, so that the parser can tell a sigil or a colon
//! that was typed from one inside quotes (`"^a:b"` is a plain phrase). Inside quotes `\"` is a quote
//! and `\\` a backslash; any other backslash is kept. An unterminated quote runs to the end of the
//! input (the search bar sees every keystroke of `agent:"PT: Ja`, so this is lenient, not an error).

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seg {
    pub text: String,
    pub quoted: bool,
}

pub(crate) type RawTerm = Vec<Seg>;

pub(crate) fn lex(input: &str) -> Vec<RawTerm> {
    let mut terms = Vec::new();
    let mut term: RawTerm = Vec::new();
    let mut plain = String::new();
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            flush(&mut plain, &mut term);
            if !term.is_empty() {
                terms.push(std::mem::take(&mut term));
            }
        } else if c == '"' {
            flush(&mut plain, &mut term);
            let mut quoted = String::new();
            while let Some(q) = chars.next() {
                match q {
                    '"' => break,
                    '\\' => match chars.clone().next() {
                        Some(e @ ('"' | '\\')) => {
                            chars.next();
                            quoted.push(e);
                        }
                        _ => quoted.push('\\'),
                    },
                    _ => quoted.push(q),
                }
            }
            term.push(Seg {
                text: quoted,
                quoted: true,
            });
        } else {
            plain.push(c);
        }
    }
    flush(&mut plain, &mut term);
    if !term.is_empty() {
        terms.push(term);
    }
    terms
}

fn flush(plain: &mut String, term: &mut RawTerm) {
    if !plain.is_empty() {
        term.push(Seg {
            text: std::mem::take(plain),
            quoted: false,
        });
    }
}

/// The term as the user wrote it (quotes restored), for error messages.
pub(crate) fn show(term: &[Seg]) -> String {
    let mut s = String::new();
    for seg in term {
        if seg.quoted {
            s.push('"');
            s.push_str(&seg.text.replace('\\', "\\\\").replace('"', "\\\""));
            s.push('"');
        } else {
            s.push_str(&seg.text);
        }
    }
    s
}

/// All the text of some segments, quotes removed.
pub(crate) fn join(segs: &[Seg]) -> String {
    segs.iter().map(|s| s.text.as_str()).collect()
}
