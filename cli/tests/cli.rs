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
        "{}/../content/tapes/chapter-1.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn json_report_has_the_promised_shape() {
    let (code, stdout, stderr) = run(&["replay", &chapter_path(), "--json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    // Numbers are written from their exact decimals, as the text has them: never a float's
    // `100000.0` or `-1.0`.
    assert!(
        stdout.contains("\"fair\": 100000,\n") && stdout.contains("\"r_residual\": 0.5,\n"),
        "{stdout}"
    );
    assert!(
        !stdout.contains(".0,") && !stdout.contains(".0\n"),
        "{stdout}"
    );
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

/// A scratch directory for this test process.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dealer-book-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn output_of(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_not_a_cut_report() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let (code, _, stderr) = output_of(
        Command::new(env!("CARGO_BIN_EXE_dealer-book"))
            .args(["replay", &chapter_path()])
            .stdout(full),
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: cannot write output: "),
        "{stderr}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dealer-book"))
        .args(["replay", &chapter_path()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    // Close the reading end before the report is written.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_a_usage_error() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let (code, stdout, stderr) = output_of(Command::new(env!("CARGO_BIN_EXE_dealer-book")).args([
        OsStr::new("quote"),
        OsStr::new("--fair"),
        OsStr::from_bytes(b"\xff"),
    ]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr, "error: argument 3 is not valid UTF-8 text\n");
}

#[test]
fn a_byte_order_mark_is_accepted_and_a_bad_byte_is_located() {
    let chapter = std::fs::read(chapter_path()).unwrap();
    let path = scratch("bom.json");
    std::fs::write(&path, [&b"\xEF\xBB\xBF"[..], &chapter].concat()).unwrap();
    let p = path.to_string_lossy().to_string();
    let (code, with_bom, stderr) = run(&["replay", &p, "--json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(with_bom, run(&["replay", &chapter_path(), "--json"]).1);
    let path = scratch("ff.json");
    std::fs::write(&path, b"{\n  \"title\": \"caf\xFF\"}").unwrap();
    let p = path.to_string_lossy().to_string();
    let (code, stdout, stderr) = run(&["replay", &p]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!(
            "error: {p}: line 2, column 16: the tape is not UTF-8 text (byte 0xFF); save it as UTF-8\n"
        )
    );
}

#[cfg(unix)]
#[test]
fn an_endless_file_is_refused_at_the_size_limit() {
    let (code, stdout, stderr) = run(&["replay", "/dev/zero", "--json"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: /dev/zero: tape: the tape is larger than the limit of 67,108,864 bytes (64 MiB); \
         split it into shorter tapes\n"
    );
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    let path = scratch("big.json");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: no disk space is used.
    file.set_len(100 << 20).unwrap();
    let p = path.to_string_lossy().to_string();
    let (code, stdout, stderr) = run(&["replay", &p]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!(
            "error: {p}: tape: the tape is larger than the limit of 67,108,864 bytes (64 MiB); \
             split it into shorter tapes\n"
        )
    );
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn policy_stdin_answers_each_line_as_it_arrives() {
    use std::io::{BufRead, BufReader, Write};
    let mut child = Command::new(env!("CARGO_BIN_EXE_dealer-book"))
        .args(["policy", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..2 {
        // The answer comes back while stdin is still open.
        writeln!(
            input,
            r#"{{"flow":0,"toxicity":0,"volatility":0,"hedge_cost":0,"latency":0}}"#
        )
        .unwrap();
        input.flush().unwrap();
        let mut line = String::new();
        output.read_line(&mut line).unwrap();
        assert!(line.starts_with(r#"{"action":"internalize""#), "{line}");
    }
    drop(input);
    assert!(child.wait().unwrap().success());
}

#[test]
fn policy_stdin_refuses_a_long_line_and_bad_bytes_by_line() {
    use std::io::Write;
    let feed = |bytes: Vec<u8>| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dealer-book"))
            .args(["policy", "--stdin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("binary runs");
        let mut input = child.stdin.take().unwrap();
        // The binary may stop reading early; a broken pipe here is expected then.
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&bytes);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, stdout, stderr) = feed(vec![b' '; 100 << 20]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: line 1: longer than the limit of 65,536 bytes per line\n"
    );
    let (code, _, stderr) = feed(b"\n{\"flow\":\"caf\xFF\"}\n".to_vec());
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: line 2: not UTF-8 text (byte 0xFF at column 13); send UTF-8\n"
    );
}
