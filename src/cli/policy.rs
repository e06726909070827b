//! `dealer-book policy --flow X --toxicity X --volatility X --hedge-cost X --latency X [--json]`
//! and `dealer-book policy --stdin`: the internalize-or-hedge policy ([`crate::policy`]) for one
//! environment, or for one environment per JSON line read from stdin.
//!
//! Levels are from 0 to 1 with at most 3 decimals. `--json` (always, with `--stdin`) prints
//! `{"action","reason","hedge","quote"}` on one line: `action` is the label, one of
//! `internalize`, `skew`, `partial_hedge`, `full_hedge`, `widen`, `pause`; `hedge` is one of
//! `none`, `partial`, `full` and `quote` one of `normal`, `skew`, `widen`, `pause` (the two
//! decisions the label displays). With `--stdin` every line is an object
//! `{"flow":..,"toxicity":..,"volatility":..,"hedge_cost":..,"latency":..}` (blank lines are
//! skipped) and one output line is written per input line, in order; a missing, unknown,
//! non-numeric or out-of-range field stops the run with exit 2 and one `error: line N: ...`
//! naming it, before anything is printed.

use clap::Args;
use serde_json::{Map, Value};

use super::{Io, Output};
use crate::explain;
use crate::policy::{decide, parse_level, Input, Inputs, Level};

/// Arguments of `policy`.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Client flow balance: 0 two-sided, 1 one-sided.
    #[arg(long, value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub flow: Option<Level>,
    /// Toxicity score: 0 benign, 1 informed or stale-quote flow.
    #[arg(long, value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub toxicity: Option<Level>,
    /// Volatility: 0 calm, 1 stressed.
    #[arg(long, value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub volatility: Option<Level>,
    /// Hedge cost: 0 deep, cheap venue, 1 thin, expensive venue.
    #[arg(long = "hedge-cost", value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub hedge_cost: Option<Level>,
    /// Latency risk: 0 fresh reference, 1 stale reference.
    #[arg(long, value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub latency: Option<Level>,
    /// Read one JSON object of the five levels per line from stdin; write one JSON line each.
    #[arg(long)]
    pub stdin: bool,
    /// Also say why: each input's level, the threshold it met and what it decided, and the
    /// nearest level of each input that would change the answer.
    #[arg(long)]
    pub explain: bool,
}

fn level(text: &str) -> Result<Level, String> {
    parse_level(text).map_err(|e| e.to_string())
}

/// `{"action","reason","hedge","quote"}` on one line, with `"trace"` and `"boundaries"` when
/// explaining (`boundaries` omitted when no level of any input changes the action).
fn decision_json(x: &Inputs, explain_too: bool) -> String {
    let d = decide(x);
    let mut m = Map::new();
    m.insert("action".into(), Value::String(d.action.key().into()));
    m.insert(
        "reason".into(),
        Value::String(explain::policy::reason(&d, x)),
    );
    m.insert("hedge".into(), Value::String(d.hedge.key().into()));
    m.insert("quote".into(), Value::String(d.quote.key().into()));
    if explain_too {
        let level = |l: Level| super::number(crate::num::plain_decimal(l as i128, 3, 0));
        let trace = explain::policy::trace(&d, x)
            .into_iter()
            .map(|r| {
                let mut t = Map::new();
                t.insert("input".into(), Value::String(r.input.key().into()));
                t.insert("level".into(), level(r.level));
                t.insert("threshold".into(), level(r.threshold));
                t.insert("decides".into(), Value::String(r.decides));
                Value::Object(t)
            })
            .collect();
        m.insert("trace".into(), Value::Array(trace));
        let bounds: Vec<Value> = crate::policy::boundaries(x)
            .into_iter()
            .map(|b| {
                let mut t = Map::new();
                t.insert("input".into(), Value::String(b.input.key().into()));
                t.insert("at".into(), level(b.at));
                t.insert("becomes".into(), Value::String(b.becomes.key().into()));
                Value::Object(t)
            })
            .collect();
        if !bounds.is_empty() {
            m.insert("boundaries".into(), Value::Array(bounds));
        }
    }
    serde_json::to_string(&Value::Object(m)).unwrap_or_default()
}

/// One stdin line as inputs, or what is wrong with it (without the line number).
fn parse_line(line: &str) -> Result<Inputs, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(obj) = value else {
        return Err("expected a JSON object of the five levels".into());
    };
    if let Some(k) = obj.keys().find(|k| Input::from_key(k).is_none()) {
        return Err(format!(
            "unknown field `{k}` (expected flow, toxicity, volatility, hedge_cost, latency)"
        ));
    }
    let mut x = Inputs::default();
    for input in Input::ALL {
        let key = input.key();
        let level = match obj.get(key) {
            None => return Err(format!("missing field `{key}`")),
            Some(Value::Number(n)) => parse_level(&n.to_string()),
            Some(other) => {
                return Err(format!(
                    "`{key}`: {other} is not a number; levels are from 0 to 1"
                ))
            }
        }
        .map_err(|e| format!("`{key}`: {e}"))?;
        x = x.with(input, level);
    }
    Ok(x)
}

/// Runs `policy`.
pub fn run(args: &PolicyArgs, json: bool, io: &dyn Io) -> Output {
    if args.stdin {
        let text = match io.read_stdin() {
            Ok(t) => t,
            Err(e) => return Output::fail(1, format!("stdin: cannot read: {e}")),
        };
        let mut out = String::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match parse_line(line) {
                Ok(x) => {
                    out.push_str(&decision_json(&x, args.explain));
                    out.push('\n');
                }
                Err(e) => return Output::fail(2, format!("line {}: {e}", i + 1)),
            }
        }
        return Output::ok(out);
    }
    // clap guarantees all five without --stdin; default to 0 only to stay total.
    let x = Inputs {
        flow: args.flow.unwrap_or_default(),
        toxicity: args.toxicity.unwrap_or_default(),
        volatility: args.volatility.unwrap_or_default(),
        hedge_cost: args.hedge_cost.unwrap_or_default(),
        latency: args.latency.unwrap_or_default(),
    };
    if json {
        Output::ok(decision_json(&x, args.explain) + "\n")
    } else {
        let d = decide(&x);
        let mut out = format!(
            "action: {}\nreason: {}\n",
            d.action.key(),
            explain::policy::reason(&d, &x)
        );
        if args.explain {
            out.push_str(&format!(
                "rules: {}; {}\n",
                explain::policy::hedge_rule_name(d.hedge_reason),
                explain::policy::quote_rule_name(d.quote_reason)
            ));
            for r in explain::policy::trace(&d, &x) {
                out.push_str(&format!(
                    "{} {} (threshold {}): {}\n",
                    explain::policy::input_label(r.input),
                    explain::policy::level(r.level),
                    explain::policy::level(r.threshold),
                    r.decides
                ));
            }
            for line in explain::policy::what_would_change(&x) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        Output::ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::run_on;
    use crate::policy::{decide, Inputs};

    const FIVE: [&str; 11] = [
        "policy",
        "--flow",
        "0",
        "--toxicity",
        "0",
        "--volatility",
        "0",
        "--hedge-cost",
        "0",
        "--latency",
        "0",
    ];

    #[test]
    fn one_cell_json_and_text() {
        let mut args = FIVE.to_vec();
        args.push("--json");
        let out = run_on(&args, "");
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["action"], "internalize");
        assert_eq!(
            v.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["action", "reason", "hedge", "quote"]
        );
        assert_eq!(
            (v["hedge"].as_str(), v["quote"].as_str()),
            (Some("none"), Some("normal"))
        );
        let text = run_on(&FIVE, "");
        assert!(text.stdout.starts_with("action: internalize\nreason: "));
    }

    #[test]
    fn explain_adds_trace_and_boundaries() {
        let out = run_on(
            &[
                "policy",
                "--flow",
                "0.4",
                "--toxicity",
                "0.2",
                "--volatility",
                "0.5",
                "--hedge-cost",
                "0.3",
                "--latency",
                "0.1",
                "--explain",
                "--json",
            ],
            "",
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["action", "reason", "hedge", "quote", "trace", "boundaries"]
        );
        assert_eq!(v["trace"][0]["input"], "flow");
        assert_eq!(v["trace"][0]["threshold"].to_string(), "0.353");
        assert_eq!(v["trace"].as_array().unwrap().len(), 5);
        let tox = v["boundaries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["input"] == "toxicity")
            .unwrap();
        assert_eq!(
            (tox["at"].to_string().as_str(), tox["becomes"].as_str()),
            ("0.6", Some("full_hedge"))
        );
        // Without --explain nothing changes.
        let mut plain = FIVE.to_vec();
        plain.push("--json");
        let v: serde_json::Value = serde_json::from_str(&run_on(&plain, "").stdout).unwrap();
        assert!(v.get("trace").is_none());
    }

    #[test]
    fn bad_levels_name_the_field() {
        for (flag, value) in [
            ("--flow", "1.5"),
            ("--toxicity", "-0.1"),
            ("--volatility", "abc"),
            ("--hedge-cost", "0.0001"),
        ] {
            let mut args = FIVE.to_vec();
            let i = args.iter().position(|a| *a == flag).unwrap();
            args[i + 1] = value;
            let out = run_on(&args, "");
            assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{flag}");
            assert_eq!(out.stderr.lines().count(), 1);
            assert!(out.stderr.contains(flag), "{}", out.stderr);
        }
        let out = run_on(&["policy", "--flow", "0", "--toxicity", "0"], "");
        assert_eq!((out.code, out.stdout.as_str()), (2, ""));
        assert!(out.stderr.contains("--latency"), "{}", out.stderr);
    }

    #[test]
    fn stdin_lines_in_order() {
        let input = "{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}\n\n{\"latency\":1,\"flow\":0.5,\"toxicity\":0.25,\"volatility\":1e-1,\"hedge_cost\":1}\n";
        let out = run_on(&["policy", "--stdin"], input);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines.len(), 2);
        let second = Inputs {
            flow: 500,
            toxicity: 250,
            volatility: 100,
            hedge_cost: 1000,
            latency: 1000,
        };
        let v: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(v["action"], decide(&second).action.key());
        assert_eq!(v["hedge"], decide(&second).hedge.key());
        assert_eq!(v["quote"], decide(&second).quote.key());
    }

    #[test]
    fn stdin_errors_name_line_and_field() {
        for (input, needle) in [
            ("{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0}", "line 1: missing field `latency`"),
            ("{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}\n{\"flow\":\"a\",\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}", "line 2: `flow`"),
            ("\n\n{\"flow\":0,\"toxicity\":2,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}", "line 3: `toxicity`: 2 is out of range"),
            ("{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0,\"x\":1}", "line 1: unknown field `x`"),
            ("not json", "line 1: invalid JSON"),
            ("[1]", "line 1: expected a JSON object"),
        ] {
            let out = run_on(&["policy", "--stdin"], input);
            assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{input}");
            assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
            assert!(out.stderr.starts_with(&format!("error: {needle}")), "{}", out.stderr);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_stdin_line_is_answered_or_refused_in_one_line(line in "\\PC{0,60}") {
            let out = run_on(&["policy", "--stdin"], &line);
            proptest::prop_assert!(out.code == 0 || (out.code == 2 && out.stdout.is_empty() && out.stderr.lines().count() == 1));
        }
    }
}
