//! Where things are in a tape's text, even while it is being typed: a forgiving scan of the JSON
//! structure (objects, arrays, keys and their byte spans) that never fails, so the tape studio can
//! mark the text behind an error, tell which step the caret is in and find where to insert an
//! event. It judges nothing: [`super::read`] alone decides whether a tape is valid.
//!
//! Truncated text leaves its open containers running to the end; stray closers and commas are
//! skipped. Containers nested deeper than a tape ever goes ([`MAX_DEPTH`]) are passed over
//! without being kept, so deep nesting costs no memory and no stack.

use std::ops::Range;

use super::{Location, Problem, TapeError};

/// Containers kept below the root: tape, steps, step, events, event, field value and one more.
pub const MAX_DEPTH: usize = 7;

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `{ … }`.
    Object,
    /// `[ … ]`.
    Array,
    /// A string, number, `true`, `false`, `null` or any other run of text.
    Scalar,
}

/// One JSON value and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// What it is.
    pub kind: Kind,
    /// Its bytes in the text, brackets included; an unclosed container runs to the end.
    pub span: Range<usize>,
    /// Its members (object fields or array elements), in order.
    pub members: Vec<Member>,
}

/// A field of an object (with its key) or an element of an array (without).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The key as written between its quotes, and the key's span (quotes included).
    pub key: Option<(String, Range<usize>)>,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The value of field `name` (the last one, when a key repeats).
    pub fn field(&self, name: &str) -> Option<&Node> {
        self.field_member(name, true).map(|m| &m.value)
    }

    /// The member for field `name`: the first or the last when it repeats.
    fn field_member(&self, name: &str, last: bool) -> Option<&Member> {
        let mut it = self
            .members
            .iter()
            .filter(|m| m.key.as_ref().is_some_and(|(k, _)| k == name));
        if last {
            it.next_back()
        } else {
            it.next()
        }
    }

    /// The elements of an array (members of an object, too).
    pub fn elements(&self) -> impl Iterator<Item = &Node> {
        self.members.iter().map(|m| &m.value)
    }
}

/// The structure of a tape's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    /// The first top-level value, if there is one.
    pub root: Option<Node>,
    /// The text's length, for spans at the end.
    len: usize,
}

/// A frame of the scan: a container being read.
struct Frame {
    node: Node,
    key: Option<(String, Range<usize>)>,
}

impl Outline {
    /// Scans `text`. Never fails; linear in the text's length.
    pub fn new(text: &str) -> Outline {
        let bytes = text.as_bytes();
        let mut stack: Vec<Frame> = Vec::new();
        // Containers open beyond MAX_DEPTH: counted, not kept.
        let mut hidden = 0usize;
        let mut root: Option<Node> = None;
        // The key read in the innermost object, waiting for its value.
        let mut key: Option<(String, Range<usize>)> = None;
        let mut after_colon = false;
        let mut i = 0;
        let n = bytes.len();

        // Hands a finished value to its parent (or makes it the root).
        fn attach(
            stack: &mut [Frame],
            root: &mut Option<Node>,
            key: Option<(String, Range<usize>)>,
            node: Node,
        ) {
            match stack.last_mut() {
                Some(parent) => parent.node.members.push(Member { key, value: node }),
                None => {
                    if root.is_none() {
                        *root = Some(node);
                    }
                }
            }
        }

        while i < n {
            let b = bytes[i];
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                b'{' | b'[' => {
                    if hidden > 0 || stack.len() > MAX_DEPTH {
                        hidden += 1;
                    } else {
                        let kind = if b == b'{' { Kind::Object } else { Kind::Array };
                        stack.push(Frame {
                            node: Node {
                                kind,
                                span: i..n,
                                members: Vec::new(),
                            },
                            key: key.take(),
                        });
                        after_colon = false;
                    }
                    i += 1;
                }
                b'}' | b']' => {
                    if hidden > 0 {
                        hidden -= 1;
                    } else if let Some(mut frame) = stack.pop() {
                        frame.node.span.end = i + 1;
                        attach(&mut stack, &mut root, frame.key, frame.node);
                        key = None;
                        after_colon = false;
                    }
                    i += 1;
                }
                b':' => {
                    after_colon = true;
                    i += 1;
                }
                b',' => {
                    key = None;
                    after_colon = false;
                    i += 1;
                }
                b'"' => {
                    let start = i;
                    i += 1;
                    while i < n && bytes[i] != b'"' && bytes[i] != b'\n' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    // Past the closing quote; an unterminated string stops at its line's end.
                    let end = if i < n && bytes[i] == b'"' {
                        i + 1
                    } else {
                        i.min(n)
                    };
                    i = end;
                    if hidden > 0 {
                        continue;
                    }
                    let in_object = stack.last().is_some_and(|f| f.node.kind == Kind::Object);
                    if in_object && !after_colon && key.is_none() {
                        let inner = text.get(start + 1..end.saturating_sub(1).max(start + 1));
                        key = Some((inner.unwrap_or("").to_string(), start..end));
                    } else {
                        let node = Node {
                            kind: Kind::Scalar,
                            span: start..end,
                            members: Vec::new(),
                        };
                        attach(&mut stack, &mut root, key.take(), node);
                        after_colon = false;
                    }
                }
                _ => {
                    let start = i;
                    while i < n && !is_delimiter(bytes[i]) {
                        i += 1;
                    }
                    if hidden > 0 {
                        continue;
                    }
                    let node = Node {
                        kind: Kind::Scalar,
                        span: start..i,
                        members: Vec::new(),
                    };
                    attach(&mut stack, &mut root, key.take(), node);
                    after_colon = false;
                }
            }
        }
        // Unclosed containers run to the end.
        while let Some(frame) = stack.pop() {
            attach(&mut stack, &mut root, frame.key, frame.node);
        }
        Outline { root, len: n }
    }

    /// The `steps` array.
    pub fn steps_array(&self) -> Option<&Node> {
        self.root
            .as_ref()
            .and_then(|r| r.field("steps"))
            .filter(|s| s.kind == Kind::Array)
    }

    /// The spans of the steps, in order.
    pub fn steps(&self) -> Vec<Range<usize>> {
        self.steps_array()
            .map(|a| a.elements().map(|s| s.span.clone()).collect())
            .unwrap_or_default()
    }

    /// The 0-based step whose text holds `offset`: the step it is in, else the last step that
    /// starts before it (the caret between two steps belongs to the one before). `None` outside
    /// the `steps` array or before its first step.
    pub fn step_at(&self, offset: usize) -> Option<usize> {
        let array = self.steps_array()?;
        if offset <= array.span.start || offset >= array.span.end {
            return None;
        }
        let mut found = None;
        for (i, s) in array.elements().enumerate() {
            if s.span.start <= offset {
                found = Some(i);
            } else {
                break;
            }
        }
        found
    }

    /// Step `index` (0-based).
    pub fn step(&self, index: usize) -> Option<&Node> {
        self.steps_array()?.elements().nth(index)
    }

    /// The node a located error points at: the tape, `start`, a step or an event.
    pub fn node_at(&self, location: &Location) -> Option<&Node> {
        let root = self.root.as_ref()?;
        match *location {
            Location::Tape => Some(root),
            Location::Start => root.field("start"),
            Location::Step { step } => self.step(step.checked_sub(1)?),
            Location::Event { step, event } => self
                .step(step.checked_sub(1)?)?
                .field("events")?
                .elements()
                .nth(event.checked_sub(1)?),
        }
    }

    /// The bytes to mark for an error: the field at fault where the error names one, the token
    /// at a JSON error's line and column, else the object at fault (its first line). Empty only
    /// when the error is at the very end of the text.
    pub fn error_span(&self, text: &str, error: &TapeError) -> Range<usize> {
        match error {
            TapeError::Json { line, column, .. } => {
                let at = byte_offset(text, *line, *column, false);
                token_at(text, at)
            }
            TapeError::NotUtf8 { line, column, .. } => {
                let at = byte_offset(text, *line, *column, true);
                token_at(text, at)
            }
            TapeError::TooLarge { .. } => 0..0,
            TapeError::Invalid { location, problem } => {
                let Some(node) = self.node_at(location) else {
                    return 0..text.len().min(1);
                };
                problem_span(node, problem).unwrap_or_else(|| first_line(text, &node.span))
            }
        }
    }

    /// The text's length.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for empty text.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The span of the field a problem names, within the object at fault.
fn problem_span(node: &Node, problem: &Problem) -> Option<Range<usize>> {
    let member = |name: &str, last: bool| {
        node.field_member(name, last)
            .map(|m| m.key.as_ref().map_or(m.value.span.start, |k| k.1.start)..m.value.span.end)
    };
    match problem {
        Problem::WrongType { field, .. } => member(field, false),
        Problem::UnknownField { field, .. } => member(field, false),
        Problem::Duplicate { field } => member(field, true),
        Problem::NotPositive { field } | Problem::BadNumber { field, .. } => member(field, false),
        Problem::UnknownEventType(_) => member("type", false),
        Problem::NoSteps => member("steps", false),
        Problem::NotAnObject { .. } => Some(node.span.clone()),
        Problem::Missing { .. } | Problem::TooManySteps { .. } | Problem::TooManyEvents { .. } => {
            None
        }
    }
}

/// The span cut at the end of its first line (an object's opening brace and what follows it).
fn first_line(text: &str, span: &Range<usize>) -> Range<usize> {
    let end = text
        .get(span.clone())
        .and_then(|s| s.find('\n'))
        .map_or(span.end, |i| span.start + i);
    span.start..end.max(span.start + 1).min(text.len())
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\r' | b'{' | b'}' | b'[' | b']' | b':' | b',' | b'"'
    )
}

/// The byte offset of a 1-based line and column (bytes, or characters when `chars`), clamped to
/// the text and to a character boundary.
pub fn byte_offset(text: &str, line: usize, column: usize, chars: bool) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let col = column.saturating_sub(1);
    let at = if chars {
        text[start..line_end]
            .char_indices()
            .nth(col)
            .map_or(line_end, |(i, _)| start + i)
    } else {
        (start + col).min(line_end)
    };
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The token that starts at (or holds) `at`: a string, a run of text up to a delimiter, or one
/// character.
fn token_at(text: &str, at: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let mut at = at.min(bytes.len());
    // serde_json reports the position just after the character it stopped on.
    if at == bytes.len() || matches!(bytes[at], b'\n' | b'\r') {
        while at > 0 && matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r') {
            at -= 1;
        }
        if at > 0 {
            at -= 1;
        } else {
            return 0..0;
        }
        while !text.is_char_boundary(at) {
            at -= 1;
        }
    }
    let mut end = at;
    while end < bytes.len() && !is_delimiter(bytes[end]) {
        end += 1;
    }
    if end == at {
        end = at + text[at..].chars().next().map_or(0, char::len_utf8);
    }
    at..end
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tape::Tape;

    const TAPE: &str = crate::CHAPTER_TAPE;

    #[test]
    fn finds_the_chapter_steps() {
        let o = Outline::new(TAPE);
        let steps = o.steps();
        assert_eq!(steps.len(), 5);
        for s in &steps {
            assert!(TAPE[s.clone()].starts_with('{') && TAPE[s.clone()].ends_with('}'));
        }
        assert!(TAPE[steps[1].clone()].contains("More one-sided flow"));
        let inside = steps[3].start + 10;
        assert_eq!(o.step_at(inside), Some(3));
        // Between step 1 and step 2: the one before.
        assert_eq!(o.step_at(steps[0].end + 1), Some(0));
        assert_eq!(o.step_at(0), None);
        assert_eq!(o.step_at(TAPE.len()), None);
    }

    #[test]
    fn marks_the_field_at_fault() {
        let text = TAPE.replacen(
            r#""qty": 2, "price": 100070"#,
            r#""qty": -2, "price": 100070"#,
            1,
        );
        let e = Tape::from_json(&text).unwrap_err();
        assert_eq!(e.to_string(), "step 2, event 2: qty must be positive");
        let span = Outline::new(&text).error_span(&text, &e);
        assert_eq!(&text[span], r#""qty": -2"#);

        let text = TAPE.replacen(r#""type": "fair""#, r#""type": "fare""#, 1);
        let e = Tape::from_json(&text).unwrap_err();
        let span = Outline::new(&text).error_span(&text, &e);
        assert_eq!(&text[span], r#""type": "fare""#);
    }

    #[test]
    fn marks_a_duplicate_at_its_second_place() {
        let text =
            r#"{"title":"t","start":{"fair":1},"steps":[{"title":"a","title":"b","events":[]}]}"#;
        let e = Tape::from_json(text).unwrap_err();
        let span = Outline::new(text).error_span(text, &e);
        assert_eq!(&text[span], r#""title":"b""#);
    }

    #[test]
    fn marks_the_token_of_a_json_error() {
        let text = "{\n  \"title\": \"t\",\n  \"start\": { \"fair\": 10x0 }\n}";
        let e = Tape::from_json(text).unwrap_err();
        let TapeError::Json { line, .. } = e else {
            panic!("{e}")
        };
        assert_eq!(line, 3);
        let span = Outline::new(text).error_span(text, &e);
        assert!(text[span.clone()].contains('x'), "{:?}", &text[span]);
        // Cut off: the mark sits on the last character.
        let cut = &TAPE[..200];
        let e = Tape::from_json(cut).unwrap_err();
        let span = Outline::new(cut).error_span(cut, &e);
        assert!(span.end <= cut.len() && !span.is_empty());
    }

    #[test]
    fn a_missing_field_marks_the_object_head() {
        let text = "{\"title\":\"t\",\"steps\":[{\"title\":\"a\",\"events\":[]}]}";
        let e = Tape::from_json(text).unwrap_err();
        assert_eq!(e.to_string(), "tape: missing field `start`");
        let span = Outline::new(text).error_span(text, &e);
        assert_eq!(span.start, 0);
    }

    #[test]
    fn lines_and_columns_round_trip() {
        let text = "ab\ncé\nx";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 4), (2, 2));
        assert_eq!(line_column(text, 6), (2, 3));
        assert_eq!(byte_offset(text, 2, 3, true), 6);
        assert_eq!(byte_offset(text, 2, 2, false), 4);
        assert_eq!(byte_offset(text, 9, 1, false), text.len());
    }

    #[test]
    fn deep_nesting_keeps_nothing_deep() {
        let text = "[".repeat(200_000);
        let o = Outline::new(&text);
        let mut depth = 0;
        let mut node = o.root.as_ref();
        while let Some(n) = node {
            depth += 1;
            node = n.members.first().map(|m| &m.value);
        }
        assert_eq!(depth, MAX_DEPTH + 1);
    }
}
