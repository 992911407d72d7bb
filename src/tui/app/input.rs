//! A one-line text input (the search bar, the review prompts): insert, delete, move,
//! word-delete.

use super::super::keymap::Action;

/// The search bar's text and cursor (a byte index on a char boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    pub cursor: usize,
}

impl LineInput {
    pub fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars().filter(|c| !c.is_control()) {
            self.insert(c);
        }
    }

    pub fn backspace(&mut self) {
        if let Some((i, _)) = self.text[..self.cursor].char_indices().next_back() {
            self.text.remove(i);
            self.cursor = i;
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.len() {
            self.text.remove(self.cursor);
        }
    }

    pub fn left(&mut self) {
        if let Some((i, _)) = self.text[..self.cursor].char_indices().next_back() {
            self.cursor = i;
        }
    }

    pub fn right(&mut self) {
        if let Some(c) = self.text[self.cursor..].chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Ctrl-W: delete the word before the cursor (and the spaces after it).
    pub fn delete_word(&mut self) {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end_matches(' ');
        let start = trimmed.rfind(' ').map_or(0, |i| i + 1);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Ctrl-U: delete everything before the cursor.
    pub fn delete_to_start(&mut self) {
        self.text.replace_range(..self.cursor, "");
        self.cursor = 0;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Apply a line-editing action (the key table's `Edit` bindings); other actions do
    /// nothing. Shared by the search bar and the review prompts.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::DeleteWord => self.delete_word(),
            Action::DeleteToStart => self.delete_to_start(),
            Action::LineStart => self.home(),
            Action::LineEnd => self.end(),
            Action::CharLeft => self.left(),
            Action::CharRight => self.right(),
            Action::DeleteBack => self.backspace(),
            Action::DeleteForward => self.delete(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_handles_multibyte_text() {
        let mut i = LineInput::default();
        for c in "山田 ab".chars() {
            i.insert(c);
        }
        i.left();
        i.left();
        i.backspace();
        assert_eq!(i.text, "山田ab");
        i.home();
        i.right();
        i.delete();
        assert_eq!(i.text, "山ab");
        i.end();
        i.delete_word();
        assert_eq!(i.text, "");
        i.insert_str("agent:x foo\u{1b}");
        i.delete_word();
        assert_eq!(i.text, "agent:x ");
        i.delete_to_start();
        assert_eq!((i.text.as_str(), i.cursor), ("", 0));
    }
}
