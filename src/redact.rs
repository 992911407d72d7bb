//! Masking personal data in text that leaves chatspool (exports, copies) or, on request, in what
//! the viewer shows: e-mail addresses, phone numbers, IP addresses and card numbers, plus any
//! patterns the config file adds.
//!
//! The built-in kinds are found by small scanners rather than regular expressions, because the
//! naive patterns fail both ways on chat text: `\d{13,16}` takes order ids and millisecond
//! timestamps while missing `4111 1111 1111 1111`, and a phone pattern takes `10:00:05` or
//! `2024-05-31`. Here a card is 13–19 digits, optionally grouped by spaces or dashes, that pass the
//! Luhn check; a phone number is 7–15 digits that start with `+` or `(` or come in at least three
//! short groups; an IP address is a valid IPv4 or IPv6 address. Numbers glued to letters
//! (`ORD-4111111111111111`, `v1.2.3.4`) are identifiers and stay.

mod chat;
mod fold;
mod iban;
#[cfg(test)]
pub(crate) use scan::luhn;
mod scan;
mod secret;
mod spelled;
mod words;

use std::borrow::Cow;
use std::ops::Range;

/// What a masked span was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Email,
    Card,
    Ip,
    Phone,
    Iban,
    /// A password or token in a URL.
    Secret,
    /// A pattern from the config file.
    Custom,
}

impl Kind {
    /// The text that replaces a span: says what was there, never what it was.
    pub fn mask(self) -> &'static str {
        match self {
            Kind::Email => "[email]",
            Kind::Card => "[card]",
            Kind::Ip => "[ip]",
            Kind::Phone => "[phone]",
            Kind::Iban => "[iban]",
            Kind::Secret => "[secret]",
            Kind::Custom => "[redacted]",
        }
    }
}

/// The masking rules in force: the built-in kinds plus the config file's patterns.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    extra: Vec<regex::Regex>,
}

impl Redactor {
    /// The built-in kinds plus `patterns` (already validated, e.g. by the config file).
    pub fn new(patterns: Vec<regex::Regex>) -> Self {
        Redactor { extra: patterns }
    }

    /// The spans to mask in `text`, in order and not overlapping.
    pub fn spans(&self, text: &str) -> Vec<(Range<usize>, Kind)> {
        // The scanners read the folded text; each span found there masks the original bytes.
        let folded = fold::fold(text);
        let mut found: Vec<_> = scan::builtin(&folded.text)
            .into_iter()
            .map(|(r, k)| (folded.original(r), k))
            .collect();
        if let Some(sp) = folded.then(spelled::at_forms) {
            let weak = |at: usize| spelled::weak(&text[sp.original(at..at + 1)]);
            let mut emails = Vec::new();
            scan::emails(sp.text.as_bytes(), &weak, &mut emails);
            found.extend(emails.into_iter().map(|(r, k)| (sp.original(r), k)));
        }
        for re in &self.extra {
            found.extend(
                re.find_iter(text)
                    .filter(|m| !m.is_empty())
                    .map(|m| (m.range(), Kind::Custom)),
            );
        }
        merge(found)
    }

    /// `text` with every span replaced by its kind's mask.
    pub fn apply<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let spans = self.spans(text);
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (r, kind) in spans {
            out.push_str(&text[at..r.start]);
            out.push_str(kind.mask());
            at = r.end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }
}

/// `text` as the scanners read it: percent-encoding decoded, full-width forms and other
/// scripts' digits as ASCII, exotic spaces plain, invisible characters dropped.
pub fn folded(text: &str) -> Cow<'_, str> {
    fold::fold(text).text
}

/// Sort spans and fold overlapping ones into the earliest-starting, longest one.
fn merge(mut spans: Vec<(Range<usize>, Kind)>) -> Vec<(Range<usize>, Kind)> {
    spans.sort_by_key(|(r, k)| (r.start, std::cmp::Reverse(r.end), *k));
    let mut out: Vec<(Range<usize>, Kind)> = Vec::with_capacity(spans.len());
    for (r, k) in spans {
        match out.last_mut() {
            Some((last, _)) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push((r, k)),
        }
    }
    out
}

/// The kind a field's name says it holds (`Phone`, `Mobile number`, `E-mail`, `IP
/// address`, `Telefon`, `Téléphone`, `電話番号`): such a value is masked whole, whatever its
/// shape.
pub fn named_kind(name: &str) -> Option<Kind> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    let inside = |w: &[&str]| w.iter().any(|x| lower.contains(x));
    if has(&["email", "mail", "correo", "courriel", "epost"]) || inside(&["メール", "邮箱"]) {
        Some(Kind::Email)
    } else if has(&[
        "phone",
        "telephone",
        "cellphone",
        "smartphone",
        "cell",
        "mobile",
        "whatsapp",
        "fax",
    ]) || words
        .iter()
        .any(|w| scan::is_cue(w) && !matches!(*w, "number" | "text" | "call" | "ring" | "sms"))
    {
        Some(Kind::Phone)
    } else if has(&["ip", "ipv4", "ipv6"]) {
        Some(Kind::Ip)
    } else if has(&["iban"]) {
        Some(Kind::Iban)
    } else {
        None
    }
}

/// Masks text when redaction is on, passes it through otherwise: what views and exports hold.
#[derive(Debug, Clone, Copy)]
pub struct Mask<'a>(pub Option<&'a Redactor>);

impl Mask<'_> {
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.0 {
            Some(r) => r.apply(text),
            None => Cow::Borrowed(text),
        }
    }

    /// A details section's values, each as [`Mask::field`] masks it under its label.
    pub fn section(&self, section: &mut crate::details::Section) {
        if self.0.is_none() {
            return;
        }
        for item in &mut section.items {
            item.label = self.text(&item.label).into_owned();
            item.value = self.field(&item.label, &item.value).into_owned();
        }
    }

    /// A field's value: whole when its name says it is an address or a number (`Email`,
    /// `visitor_email`, `Phone`, `IP`), by the patterns otherwise.
    pub fn field<'t>(&self, name: &str, text: &'t str) -> Cow<'t, str> {
        match (self.0, named_kind(name)) {
            (Some(_), Some(kind)) if !text.trim().is_empty() => Cow::Borrowed(kind.mask()),
            _ => self.text(text),
        }
    }
}

#[cfg(test)]
mod tests;
