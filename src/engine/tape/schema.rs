//! The tape format as a JSON Schema (draft 2020-12), generated from the tape types with
//! `schemars`, so the schema and the reader describe one format. Shipped as `tape.schema.json`
//! beside the chapter: a tape that names it in `"$schema"` gets validation and completion in
//! editors. The reader stays the authority: the schema cannot say "at most 8 decimals" (JSON
//! Schema's `multipleOf` is checked in floating point by most validators), so it says so in words.

use schemars::{json_schema, Schema, SchemaGenerator};

/// The schema as pretty-printed JSON, as checked in at `content/tape.schema.json`.
pub fn tape_schema_json() -> String {
    let schema = schemars::schema_for!(super::Tape);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// A trade size: a positive number of BTC.
pub(crate) fn qty(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 1_000_000,
        "description": "BTC, more than 0, at most 1,000,000, up to 8 decimals"
    })
}

/// A starting position: BTC of either sign.
pub(crate) fn position(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "number",
        "minimum": -1_000_000,
        "maximum": 1_000_000,
        "description": "BTC, either sign, at most 1,000,000 in size, up to 8 decimals (default 0)"
    })
}

/// A price: a positive number of dollars.
pub(crate) fn price(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 1_000_000_000,
        "description": "USD, more than 0, at most 1,000,000,000, up to 2 decimals"
    })
}

/// Optional text: a string when present (never null).
pub(crate) fn optional_text(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string" })
}

/// The top-level keys the reader accepts besides the tape's own fields.
pub(crate) fn tape_extras(schema: &mut Schema) {
    if let Some(props) = schema
        .get_mut("properties")
        .and_then(serde_json::Value::as_object_mut)
    {
        props.insert(
            "description".into(),
            serde_json::json!({ "type": "string", "description": "Optional notes about the tape." }),
        );
        props.insert(
            "$schema".into(),
            serde_json::json!({ "type": "string", "description": "The schema this tape follows, for editors." }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::Tape;
    use serde_json::Value;

    const CHECKED_IN: &str = "content/tape.schema.json";

    fn path(p: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
    }

    fn validator() -> jsonschema::Validator {
        let schema: Value = serde_json::from_str(&super::tape_schema_json()).unwrap();
        jsonschema::validator_for(&schema).expect("a valid draft 2020-12 schema")
    }

    /// `DEALER_BOOK_WRITE_SCHEMA=1 cargo test -p dealer-book schema` rewrites the file.
    #[test]
    fn checked_in_schema_is_current() {
        let generated = super::tape_schema_json();
        if std::env::var_os("DEALER_BOOK_WRITE_SCHEMA").is_some() {
            std::fs::write(path(CHECKED_IN), &generated).unwrap();
        }
        let on_disk = std::fs::read_to_string(path(CHECKED_IN)).unwrap_or_default();
        assert!(
            on_disk == generated,
            "{CHECKED_IN} is stale: run DEALER_BOOK_WRITE_SCHEMA=1 cargo test -p dealer-book schema"
        );
    }

    /// Every tape in the repository: the schema and the reader agree on it.
    #[test]
    fn every_tape_in_the_repository_agrees_with_the_schema() {
        let v = validator();
        let mut seen = 0;
        for dir in ["content/tapes", "examples/tapes"] {
            for entry in std::fs::read_dir(path(dir)).unwrap() {
                let file = entry.unwrap().path();
                if file.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let text = std::fs::read_to_string(&file).unwrap();
                let json: Value = serde_json::from_str(&text).unwrap();
                let by_schema = v.validate(&json).map_err(|e| e.to_string());
                let by_reader = Tape::from_json(&text).map_err(|e| e.to_string());
                assert_eq!(
                    by_schema.is_ok(),
                    by_reader.is_ok(),
                    "{}: schema {by_schema:?}, reader {by_reader:?}",
                    file.display()
                );
                seen += 1;
            }
        }
        assert!(seen >= 3, "found {seen} tapes");
        let generated = super::super::synthetic::tape(2_000, 100).to_json();
        assert!(v.is_valid(&serde_json::from_str(&generated).unwrap()));
    }

    #[test]
    fn schema_and_reader_agree_on_small_tapes() {
        let v = validator();
        let head = r#"{"$schema":"tape.schema.json","title":"t","start":{"fair":1},"steps":[{"title":"s","events":["#;
        for (event, valid) in [
            (r#"{"type":"client_buy","qty":1.5,"price":100050}"#, true),
            (r#"{"type":"fair","price":99500,"stale":true}"#, true),
            (r#"{"type":"refresh"}"#, true),
            (r#"{"type":"client_buy","qty":0,"price":1}"#, false),
            (r#"{"type":"client_buy","qty":"1","price":1}"#, false),
            (r#"{"type":"hedge_sell","price":1}"#, false),
            (r#"{"type":"fair","price":1,"stael":true}"#, false),
            (r#"{"type":"refresh","price":1}"#, false),
            (r#"{"type":"teleport"}"#, false),
            (r#"{"type":"fair","price":1,"stale":"yes"}"#, false),
            ("7", false),
        ] {
            let text = format!("{head}{event}]}}]}}");
            let json: Value = serde_json::from_str(&text).unwrap();
            let errors: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
            assert_eq!(errors.is_empty(), valid, "schema on {event}: {errors:?}");
            assert_eq!(Tape::from_json(&text).is_ok(), valid, "reader on {event}");
        }
        for (tape, valid) in [
            (
                r#"{"title":"t","start":{"fair":1,"i_client":-2.5},"steps":[{"title":"s","note":"n","events":[]}]}"#,
                true,
            ),
            (r#"{"title":"t","start":{"fair":1},"steps":[]}"#, false),
            (
                r#"{"title":"t","start":{"fair":1},"steps":[{"title":"s","note":null,"events":[]}]}"#,
                false,
            ),
            (
                r#"{"title":"t","start":{"fair":1},"steps":[{"title":"s","events":[]}],"extra":1}"#,
                false,
            ),
            (
                r#"{"start":{"fair":1},"steps":[{"title":"s","events":[]}]}"#,
                false,
            ),
        ] {
            let json: Value = serde_json::from_str(tape).unwrap();
            assert_eq!(v.is_valid(&json), valid, "schema on {tape}");
            assert_eq!(Tape::from_json(tape).is_ok(), valid, "reader on {tape}");
        }
    }
}
