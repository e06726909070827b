//! `dealer-book quote --r-residual R [--fair F] [--regime calm|normal|stressed] [--gamma G]
//! [--stale] [--reference P] [--json]`: the toy quote engine ([`dealer_book::quote`]) on one book.
//!
//! Defaults: fair $100,000, normal regime, γ 0.5, fresh reference. `--reference P` gives the
//! reference the resting quotes are built on; the gap `fair - P` is judged against the regime's
//! tolerance (the resting half-spread: a smaller gap cannot be picked off). `--stale` alone puts
//! the reference one cent beyond that tolerance above fair (fair just fell through the resting
//! bid). `--json` prints `{"bid","ask","size","skew","band","action"}` with dollars and BTC as
//! exact JSON numbers and band and action as lowercase words: the engine's quote once it knows
//! fresh fair (protective when the gap is beyond tolerance). With `--reference` it adds
//! `"resting": {"bid","ask","size"}`, the quote customers can still hit until the engine sees
//! the gap, and `"stale": true|false`, the gap judged against the tolerance.
//!
//! A side whose price would be $0.01 or below is withdrawn ([`dealer_book::quote::MIN_QUOTED_PRICE`]):
//! its `"bid"` or `"ask"` is `null` (in `"resting"` and `"terms"` too) and the text says
//! `withdrawn`. Only extreme books reach it (long 1,000 BTC, stressed, γ 1), which printed $0
//! before; every other quote prints as it did.

use clap::Args;
use serde::Serialize;

use super::replay::parse_regime;
use super::{number, ExactNumber, Output};
use dealer_book::book::Book;
use dealer_book::num::{parse_decimal, Price, Qty, MAX_POSITION, MAX_PRICE};
use dealer_book::quote::{quote, Gamma, QuoteParams, Regime};

/// Arguments of `quote`.
#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// Residual delta R_residual in BTC (negative: the dealer is short), up to 8 decimals.
    #[arg(long = "r-residual", value_name = "R", allow_negative_numbers = true, value_parser = parse_r)]
    pub r_residual: Qty,
    /// Fresh fair value in dollars, up to 2 decimals.
    #[arg(long, value_name = "F", default_value = "100000", value_parser = parse_price)]
    pub fair: Price,
    /// Volatility regime: calm, normal or stressed.
    #[arg(long, value_name = "REGIME", default_value = "normal", value_parser = parse_regime)]
    pub regime: Regime,
    /// Risk aversion γ from 0 to 1, up to 3 decimals.
    #[arg(long, value_name = "G", default_value = "0.5", value_parser = parse_gamma)]
    pub gamma: Gamma,
    /// The resting quotes sit on a reference one cent beyond the stale tolerance above fair.
    #[arg(long)]
    pub stale: bool,
    /// The reference price the resting quotes are built on, in dollars.
    #[arg(long, value_name = "P", value_parser = parse_price)]
    pub reference: Option<Price>,
    /// Also print every term of the formula and the Avellaneda–Stoikov reservation price and
    /// spread for the same book, γ and volatility.
    #[arg(long)]
    pub explain: bool,
}

fn parse_r(text: &str) -> Result<Qty, String> {
    parse_decimal(text.trim(), 8, MAX_POSITION.sats() as i128)
        .map(|v| Qty::from_sats(v as i64))
        .map_err(|e| format!("R_residual {e} (BTC, up to 8 decimals, at most 1,000,000,000)"))
}

fn parse_price(text: &str) -> Result<Price, String> {
    match parse_decimal(text.trim(), 2, MAX_PRICE.cents() as i128) {
        Ok(v) if v > 0 => Ok(Price::from_cents(v as i64)),
        Ok(_) => Err("price must be positive".into()),
        Err(e) => Err(format!(
            "price {e} (dollars, up to 2 decimals, at most 1,000,000,000)"
        )),
    }
}

fn parse_gamma(text: &str) -> Result<Gamma, String> {
    Gamma::parse(text).map_err(|e| e.to_string())
}

impl QuoteArgs {
    /// The book these arguments describe (all residual in `I_client`: only R_residual matters).
    pub fn book(&self) -> Book {
        let mut book = Book::new(self.fair, self.r_residual, Qty::ZERO);
        match self.reference {
            Some(r) => book.quote_ref = r,
            None if self.stale => {
                // Fair just fell through the resting bid: the reference sits one cent beyond the
                // tolerance above it (a gap far below the pause threshold).
                let tol = dealer_book::quote::staleness(&book, &self.params()).tolerance_cents;
                book.quote_ref = Price::from_cents(
                    self.fair
                        .cents()
                        .saturating_add(tol + 1)
                        .min(MAX_PRICE.cents()),
                );
            }
            None => {}
        }
        // The quote a command line asks about is the engine's, after it has looked.
        book.stale_detected = true;
        book
    }

    /// The quote parameters these arguments describe.
    pub fn params(&self) -> QuoteParams {
        QuoteParams {
            regime: self.regime,
            gamma: self.gamma,
            ..QuoteParams::default()
        }
    }
}

/// A quote's sides (`null` when withdrawn) and size, as exact JSON numbers.
#[derive(Serialize)]
struct Sides {
    bid: Option<Price>,
    ask: Option<Price>,
    size: Qty,
}

impl Sides {
    fn of(q: &dealer_book::quote::Quote) -> Sides {
        Sides {
            bid: q.quoted_bid(),
            ask: q.quoted_ask(),
            size: q.size,
        }
    }
}

/// Every term of the toy formula for a quote, as exact JSON numbers: the excess `q`, the green
/// limit, `γ`, fair `s`, the shock `v`, the skew, the base and inventory half-spread terms, the
/// stale and red-by-size add-ons, the reservation price, bid, ask and size.
#[derive(Serialize)]
struct Terms {
    q: Qty,
    green_limit: Qty,
    gamma: ExactNumber,
    fair: Price,
    v: ExactNumber,
    skew: Price,
    base_half_spread: Price,
    inventory_half_spread: Price,
    stale_widening: Price,
    size_widening: Price,
    reservation: Price,
    #[serde(flatten)]
    sides: Sides,
}

impl Terms {
    fn of(q: &dealer_book::quote::Quote, params: &QuoteParams) -> Terms {
        let plain = |units: i128, scale| number(dealer_book::num::plain_decimal(units, scale, 0));
        Terms {
            q: q.excess,
            green_limit: q.limits.green_max,
            gamma: plain(params.gamma.milli() as i128, 3),
            fair: q.center,
            v: plain(dealer_book::quote::shock_bp(params.regime) as i128, 4),
            skew: Price::from_cents(q.skew_cents),
            base_half_spread: Price::from_cents(q.base_cents),
            inventory_half_spread: Price::from_cents(q.half_spread_cents - q.base_cents),
            stale_widening: Price::from_cents(q.stale_widening_cents),
            size_widening: Price::from_cents(q.size_widening_cents),
            reservation: q.reservation(),
            sides: Sides::of(q),
        }
    }
}

/// The Avellaneda–Stoikov reference for the same book, to the cent, and its `k`.
#[derive(Serialize)]
struct Reference {
    reservation: ExactNumber,
    spread: ExactNumber,
    k: ExactNumber,
}

/// `quote --json`: one line.
#[derive(Serialize)]
struct QuoteJson {
    #[serde(flatten)]
    sides: Sides,
    skew: Price,
    band: &'static str,
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    resting: Option<Sides>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stale: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terms: Option<Terms>,
    #[serde(skip_serializing_if = "Option::is_none")]
    avellaneda_stoikov: Option<Reference>,
}

/// Runs `quote`.
pub fn run(args: &QuoteArgs, json: bool) -> Output {
    let book = args.book();
    let params = args.params();
    let q = quote(&book, &params);
    if json {
        let given_reference = args.reference.is_some();
        let cents = |x: f64| {
            number(dealer_book::num::plain_decimal(
                (x * 100.0).round() as i128,
                2,
                0,
            ))
        };
        let report = QuoteJson {
            sides: Sides::of(&q),
            skew: Price::from_cents(q.skew_cents),
            band: q.band.name(),
            action: q.action.key(),
            resting: given_reference
                .then(|| Sides::of(&dealer_book::quote::resting_quote(&book, &params))),
            stale: given_reference.then(|| dealer_book::quote::staleness(&book, &params).stale),
            terms: args.explain.then(|| Terms::of(&q, &params)),
            avellaneda_stoikov: args.explain.then(|| {
                let a = dealer_book::quote::avellaneda_stoikov(&book, &params);
                Reference {
                    reservation: cents(a.reservation),
                    spread: cents(a.spread),
                    k: number(a.k.to_string()),
                }
            }),
        };
        let mut s = serde_json::to_string(&report).unwrap_or_default();
        s.push('\n');
        Output::ok(s)
    } else {
        let mut s = dealer_book::explain::quote::worked(&book, &params).join("\n");
        s.push('\n');
        if args.explain {
            for line in dealer_book::explain::quote::avellaneda_stoikov_lines(&book, &params) {
                s.push_str(&line);
                s.push('\n');
            }
        }
        Output::ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::run_on;

    #[test]
    fn flat_book_json() {
        let out = run_on(&["quote", "--r-residual", "0", "--json"], "");
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (
                0,
                "{\"bid\":99950,\"ask\":100050,\"size\":2,\"skew\":0,\"band\":\"green\",\"action\":\"quote_normally\"}\n"
            )
        );
    }

    #[test]
    fn chapter_step_2_book_json() {
        // R = -3 at fair $100,020: skew +$40.00, half-spread $50 + $20.00, red by size on the ask.
        let out = run_on(
            &["quote", "--r-residual=-3", "--fair", "100020", "--json"],
            "",
        );
        assert_eq!(
            out.stdout,
            "{\"bid\":99990,\"ask\":100180,\"size\":1,\"skew\":40,\"band\":\"red\",\"action\":\"reduce_widen_hedge\"}\n"
        );
        let neg = run_on(
            &["quote", "--r-residual", "-3", "--fair", "100020", "--json"],
            "",
        );
        assert_eq!(neg.stdout, out.stdout);
    }

    #[test]
    fn explain_adds_the_terms_and_avellaneda_stoikov() {
        let out = run_on(
            &[
                "quote",
                "--r-residual=-3",
                "--fair",
                "100020",
                "--explain",
                "--json",
            ],
            "",
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let t = &v["terms"];
        assert_eq!(t["q"].to_string(), "-2");
        assert_eq!(t["skew"].to_string(), "40");
        assert_eq!(
            (
                t["base_half_spread"].to_string(),
                t["inventory_half_spread"].to_string()
            ),
            ("50".to_string(), "20".to_string())
        );
        // The terms add up to the quote shown: bid = fair + skew - half-spread - stale - (size
        // add-on when long); ask = fair + skew + half-spread + stale + (size add-on when short).
        let f = |k: &str| t[k].as_f64().unwrap();
        let half = f("base_half_spread") + f("inventory_half_spread");
        assert_eq!(
            f("fair") + f("skew") - half - f("stale_widening"),
            v["bid"].as_f64().unwrap()
        );
        assert_eq!(
            f("fair") + f("skew") + half + f("stale_widening") + f("size_widening"),
            v["ask"].as_f64().unwrap()
        );
        let a = &v["avellaneda_stoikov"];
        assert_eq!(a["k"].to_string(), "0.025");
        // r = s - q γ s v² on the whole inventory: 100,020 + 3 x 0.5 x 100,020 x 0.0004 = 100,080.01.
        assert_eq!(a["reservation"].to_string(), "100080.01");
        let text = run_on(&["quote", "--r-residual", "1", "--explain"], "");
        assert!(
            text.stdout.contains("Avellaneda–Stoikov"),
            "{}",
            text.stdout
        );
    }

    #[test]
    fn reference_adds_the_resting_quote_and_the_verdict() {
        // The chapter's step 4: the resting quote customers could hit, then the protective one.
        let out = run_on(
            &[
                "quote",
                "--r-residual",
                "0.5",
                "--fair",
                "99500",
                "--reference",
                "100500",
                "--json",
            ],
            "",
        );
        assert_eq!(
            out.stdout,
            "{\"bid\":99400,\"ask\":99600,\"size\":1,\"skew\":0,\"band\":\"red\",\"action\":\"reduce_widen_hedge\",\"resting\":{\"bid\":100450,\"ask\":100550,\"size\":2},\"stale\":true}\n"
        );
        // A one-cent gap is inside the half-spread: not stale, not red, full size.
        let out = run_on(
            &[
                "quote",
                "--r-residual",
                "0",
                "--reference",
                "100000.01",
                "--json",
            ],
            "",
        );
        assert!(out.stdout.contains("\"band\":\"green\""), "{}", out.stdout);
        assert!(out.stdout.contains("\"size\":2,"), "{}", out.stdout);
        assert!(out.stdout.ends_with("\"stale\":false}\n"), "{}", out.stdout);
        let text = run_on(
            &[
                "quote",
                "--r-residual",
                "0.5",
                "--fair",
                "99500",
                "--reference",
                "100500",
            ],
            "",
        );
        assert!(
            text.stdout.starts_with(
                "resting quote on the reference $100,500: bid $100,450 / ask $100,550"
            ),
            "{}",
            text.stdout
        );
    }

    #[test]
    fn stale_reference_pauses_beyond_the_gap() {
        let out = run_on(
            &[
                "quote",
                "--r-residual",
                "1",
                "--fair",
                "99500",
                "--reference",
                "102000",
                "--json",
            ],
            "",
        );
        assert!(
            out.stdout.contains("\"action\":\"pause\""),
            "{}",
            out.stdout
        );
        let out = run_on(&["quote", "--r-residual", "1", "--stale", "--json"], "");
        assert!(out.stdout.contains("\"band\":\"red\""), "{}", out.stdout);
        assert!(out.stdout.contains("reduce_widen_hedge"), "{}", out.stdout);
    }

    #[test]
    fn a_side_priced_at_a_cent_or_below_is_withdrawn() {
        let args = [
            "quote",
            "--r-residual",
            "1000",
            "--regime",
            "stressed",
            "--gamma",
            "1",
        ];
        let json = run_on(&[&args[..], &["--json"]].concat(), "");
        assert_eq!(
            json.stdout,
            "{\"bid\":null,\"ask\":null,\"size\":1,\"skew\":-249900,\"band\":\"red\",\"action\":\"reduce_widen_hedge\"}\n"
        );
        let text = run_on(&args, "");
        assert!(
            text.stdout.ends_with(
                "quote: bid withdrawn / ask withdrawn (a side priced at $0.01 or below is withdrawn), size 1 BTC, action: reduce size, widen, hedge\n"
            ),
            "{}",
            text.stdout
        );
        let mut one = args;
        one[2] = "300";
        let json = run_on(&[&one[..], &["--json", "--explain"]].concat(), "");
        let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(
            (v["bid"].is_null(), v["ask"].to_string()),
            (true, "62675".into())
        );
        assert!(v["terms"]["bid"].is_null());
    }

    #[test]
    fn bad_values_name_the_flag() {
        for (args, needle) in [
            (&["quote", "--r-residual", "abc"][..], "--r-residual"),
            (&["quote", "--r-residual", "1", "--fair", "0"], "--fair"),
            (
                &["quote", "--r-residual", "1", "--regime", "panic"],
                "--regime",
            ),
            (&["quote", "--r-residual", "1", "--gamma", "1.5"], "--gamma"),
            (&["quote", "--fair", "1"], "--r-residual"),
        ] {
            let out = run_on(args, "");
            assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{args:?}");
            assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
            assert!(out.stderr.contains(needle), "{args:?}: {}", out.stderr);
        }
    }
}
