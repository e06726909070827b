//! Notices: a setting (URL parameter, element attribute, lesson field) that could not be used as
//! given, and what was used instead; and the lines a page shows for them.

use std::fmt;

/// A setting that could not be used as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The parameter or attribute name.
    pub name: String,
    /// The value as given.
    pub value: String,
    /// What is wrong and what is used instead.
    pub message: String,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}=\"{}\": {}",
            clip(&self.name),
            clip(&self.value),
            self.message
        )
    }
}

/// Characters of a name or value a notice quotes; longer ones end in `…`.
const NOTICE_QUOTE: usize = 60;

/// Notices a page lists in full; the rest are counted.
pub const MAX_NOTICES: usize = 8;

fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(NOTICE_QUOTE) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

/// Notices as the lines a page shows: each once, long names and values clipped, at most
/// [`MAX_NOTICES`] lines and then one that counts the rest, so no address can flood a page.
pub fn notice_lines(notices: &[Notice]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut more = 0usize;
    for n in notices {
        let line = n.to_string();
        if !seen.insert(line.clone()) {
            continue;
        }
        if lines.len() < MAX_NOTICES {
            lines.push(line);
        } else {
            more += 1;
        }
    }
    if more > 0 {
        lines.push(format!(
            "… and {more} more setting{} that could not be used",
            if more == 1 { "" } else { "s" }
        ));
    }
    lines
}
