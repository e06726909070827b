//! The `dealer-book` binary as authors run it: JSON shape, text report, exit codes.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dealer-book"))
        .args(args)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn chapter_path() -> String {
    format!(
        "{}/content/tapes/chapter-1.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn json_report_has_the_promised_shape() {
    let (code, stdout, stderr) = run(&["replay", &chapter_path(), "--json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(v["title"], "Chapter 1: the dealer book");
    let steps = v["steps"].as_array().expect("steps array");
    assert_eq!(steps.len(), 5);
    let first = &steps[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "title",
            "i_client",
            "h_external",
            "r_residual",
            "fair",
            "band",
            "pnl"
        ]
    );
    assert_eq!(first["i_client"].to_string(), "-1");
    assert_eq!(first["r_residual"].to_string(), "-1");
    assert_eq!(first["fair"].to_string(), "100000");
    assert_eq!(first["band"], "green");
    assert_eq!(
        first["pnl"].to_string(),
        r#"{"spread_edge":50,"inventory_markout":0,"hedge_cost":0,"toxic_markout":0,"total":50}"#
    );
    assert_eq!(steps[2]["r_residual"].to_string(), "0.5");
    assert_eq!(steps[3]["band"], "red");
    assert_eq!(
        steps[4]["pnl"].to_string(),
        r#"{"spread_edge":225,"inventory_markout":-700,"hedge_cost":-200,"toxic_markout":-1900,"total":-2575}"#
    );
}

#[test]
fn text_report_shows_calculations_and_decomposition() {
    let (code, stdout, _) = run(&["replay", &chapter_path()]);
    assert_eq!(code, 0);
    for needle in [
        "Step 4: A toxic stale-quote event",
        "2 x ($99,500 - $100,450) = -$1,900",
        "book: I_client +0.5  H_external +0.5  R_residual +1.0  fair $99,500 (quotes on stale $100,500)  band red",
        "+$225 - $700 - $200 - $1,900 = -$2,575",
        "Mark-to-market check        -$2,575",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
    assert!(!stdout.to_lowercase().contains("spread capture"));
}

#[test]
fn invalid_tape_exit_2_one_line() {
    let dir = std::env::temp_dir().join(format!("dealer-book-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    std::fs::write(
        &path,
        r#"{"title":"t","start":{"fair":1},"steps":[{"title":"a","events":[]},{"title":"b","events":[]},{"title":"c","events":[]},
        {"title":"d","events":[{"type":"refresh"},{"type":"client_sell","qty":0,"price":5}]}]}"#,
    )
    .unwrap();
    let p = path.to_string_lossy().to_string();
    let (code, stdout, stderr) = run(&["replay", &p]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!("error: {p}: step 4, event 2: qty must be positive\n")
    );
    std::fs::write(&path, "{\n  \"title\": 3,\n").unwrap();
    let (code, stdout, stderr) = run(&["replay", &p, "--json"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr.lines().count(), 1);
    assert!(
        stderr.starts_with(&format!("error: {p}: line 3, column 0: invalid JSON:")),
        "{stderr}"
    );
}

#[test]
fn missing_file_exit_1() {
    let (code, stdout, stderr) = run(&["replay", "/nonexistent/tape.json"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.starts_with("error: /nonexistent/tape.json: cannot read:"));
}
