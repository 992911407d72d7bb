//! Where in a TOML text an error is: the line of a byte offset and the key written on it, so
//! every file chatspool reads (the config, rubrics, saved views) names the line and key alike.

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The key defined on the line at byte `at` (the text before its `=`, unquoted), for errors
/// about a value; `None` on a line that defines none.
pub fn key_on_line(text: &str, at: usize) -> Option<&str> {
    let at = at.min(text.len());
    let start = line_start(text, at);
    let line = text[start..].lines().next().unwrap_or("");
    let key = line.split_once('=')?.0.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.starts_with('#')).then_some(key)
}

/// The name of the nearest `[table]` header above byte `at` (array tables `[[…]]` are not
/// counted), if any.
pub fn table_above(text: &str, at: usize) -> Option<&str> {
    let start = line_start(text, at.min(text.len()));
    text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| l.trim_matches(['[', ']']).trim())
        .filter(|t| !t.is_empty())
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keys_and_tables() {
        let text = "a = 1\n[sla]\n\"reply\" = \"x\"\n# c = 2\n";
        let at = text.find("\"x\"").unwrap();
        assert_eq!(line_of(text, at), 3);
        assert_eq!(key_on_line(text, at), Some("reply"));
        assert_eq!(table_above(text, at), Some("sla"));
        assert_eq!(key_on_line(text, text.find("# c").unwrap()), None);
        assert_eq!(table_above(text, 0), None);
        assert_eq!(line_of(text, 10_000), 5);
    }
}
