//! The DealerBook lanes in words: what each lane cell says and the callouts under the lanes
//! (healthy internalization, a pick-off and the toxic fill it left on the book, the switch to
//! protective logic). The replay decides what happened; this module decides how it is said.

use crate::engine::num::{Price, Qty};
use crate::engine::pnl::Bucket;
use crate::engine::quote::{shown_quote, Basis, ControlAction, QuoteParams};
use crate::engine::replay::{Replay, StepReport};
use crate::words::format;

/// A callout: a short title (with a glyph, so colour is never the only cue) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Callout {
    /// `⇄ Internalized`, `⚠ Picked off`, `■ Protective logic`.
    pub title: &'static str,
    /// The sentences.
    pub text: String,
}

/// Marker shown after a client-lane fill on a stale quote.
pub const STALE_MARK: &str = " ⚠ stale-quote fill";

/// The client lane of a step: each customer fill in a few words, and whether it hit a stale
/// quote (booked as stale-fill markout).
pub fn client_trades(s: &StepReport) -> Vec<(String, bool)> {
    s.events
        .iter()
        .filter(|e| e.event.is_client())
        .take(LANE_TRADES)
        .filter_map(|e| {
            let stale = e
                .contribution
                .is_some_and(|c| c.bucket == Bucket::ToxicMarkout);
            super::event::lane_text(&e.event).map(|t| (t, stale))
        })
        .collect()
}

/// Trades a lane cell lists; a step with more says how many more (see [`more_trades`]).
pub const LANE_TRADES: usize = 6;

/// `… and 994 more customer trades` when a step has more trades of a kind than a cell lists.
pub fn more_trades(s: &StepReport, client: bool) -> Option<String> {
    let all = s
        .events
        .iter()
        .filter(|e| {
            if client {
                e.event.is_client()
            } else {
                e.event.is_hedge()
            }
        })
        .count();
    (all > LANE_TRADES).then(|| {
        format!(
            "… and {} more {} trades",
            format::count((all - LANE_TRADES) as u64),
            if client { "customer" } else { "hedge" }
        )
    })
}

/// The hedge lane of a step: each external fill with its cost, `sells 1.5 @ $99,460 (-$60)`.
pub fn hedge_trades(s: &StepReport) -> Vec<String> {
    s.events
        .iter()
        .filter(|e| e.event.is_hedge())
        .take(LANE_TRADES)
        .filter_map(|e| {
            let cost = e
                .contribution
                .map(|c| format::money(c.amount))
                .unwrap_or_default();
            super::event::lane_text(&e.event).map(|t| format!("{t} ({cost})"))
        })
        .collect()
}

/// The engine lane: the control action with a glyph (■ protective, ● ordinary).
pub fn engine_mode(action: ControlAction) -> String {
    let glyph = if is_protective(action) { "■" } else { "●" };
    format!("{glyph} {}", action.label())
}

/// True when the engine has left ordinary quoting.
pub fn is_protective(action: ControlAction) -> bool {
    action >= ControlAction::ReduceWidenHedge
}

/// The callouts for the step that brought the book to `cursor` (none at the start).
pub fn callouts(r: &Replay, cursor: usize, params: &QuoteParams) -> Vec<Callout> {
    let Some(s) = r.step_at(cursor) else {
        return Vec::new();
    };
    let d = r.qty_decimals;
    let total = r.flow_until(cursor);
    let healthy = Qty::from_sats(s.flow.internalized.sats() - s.flow.internalized_toxic.sats());
    let mut out = Vec::new();
    if healthy.sats() > 0 {
        let toxic_so_far = if total.internalized_toxic.sats() > 0 {
            format!(
                " (of which {} BTC were toxic fills absorbed, not healthy netting)",
                format::qty(total.internalized_toxic)
            )
        } else {
            String::new()
        };
        let risk = if s.flow.risk_added.sats() > 0 {
            format!(
                " In risk terms, {} BTC of it reduced R_residual and {} BTC added new risk on the other side: earlier hedges had already covered that part, so the book was over-hedged for the flow that came.",
                format::qty(s.flow.risk_reduced),
                format::qty(s.flow.risk_added)
            )
        } else {
            format!(
                " All of it reduced R_residual ({} BTC of risk netted).",
                format::qty(s.flow.risk_reduced)
            )
        };
        out.push(Callout {
            title: "⇄ Internalized",
            text: format!(
                "This step's customer flow offset {} BTC of earlier, opposite customer flow in I_client, with no external trade; {} BTC was hedged externally this step.{risk} So far: {} BTC internalized in I_client{toxic_so_far}, {} BTC of residual risk netted by customer flow, {} BTC hedged externally (hedge cost {}).",
                format::qty(healthy),
                format::qty(s.flow.hedged),
                format::qty(total.internalized),
                format::qty(total.risk_reduced),
                format::qty(total.hedged),
                format::money(total.hedge_cost)
            ),
        });
    }
    let toxic = s.step_pnl.toxic_markout;
    if toxic.units() != 0 {
        let absorbed = if s.flow.internalized_toxic.sats() > 0 {
            format!(
                " It netted {} BTC of earlier customer buying in I_client yet added {} BTC to R_residual: toxic flow absorbed at a price the market had left, not healthy internalization.",
                format::qty(s.flow.internalized_toxic),
                format::qty(s.flow.risk_added)
            )
        } else {
            String::new()
        };
        let what = if toxic.units() < 0 {
            "A customer picked off a stale quote this step"
        } else {
            "A customer traded the favourable side of a stale quote this step"
        };
        out.push(Callout {
            title: if toxic.units() < 0 {
                "⚠ Picked off"
            } else {
                "⚠ Stale fill"
            },
            text: format!(
                "{what}: {} of stale-fill markout, booked apart from spread edge.{absorbed}",
                format::money(toxic)
            ),
        });
    }
    let q = shown_quote(&s.book, params);
    if is_protective(q.action) {
        let why = if q.basis == Basis::Protective {
            format!(
                "the reference ({}) is stale against fresh fair ({}), beyond the {} tolerance",
                format::price(s.book.quote_ref),
                format::price(s.book.fair),
                format::price(q.limits.stale_tolerance)
            )
        } else {
            format!(
                "R_residual {} BTC is beyond the amber limit of {} BTC in the {} regime",
                format::btc_signed(s.book.r_residual(), d),
                format::qty(q.limits.amber_max),
                params.regime.name()
            )
        };
        out.push(Callout {
            title: "■ Protective logic",
            text: format!(
                "Netting is not enough: {why}. The engine quotes protectively: {} (size {} BTC, spread {}).",
                q.action.label().to_ascii_lowercase(),
                format::qty(q.size),
                format::price(Price::from_cents(q.spread_cents()))
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    fn chapter() -> Replay {
        crate::engine::replay::chapter_replay()
    }

    #[test]
    fn step_3_is_healthy_internalization() {
        let c = callouts(&chapter(), 3, &QuoteParams::default());
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].title, "⇄ Internalized");
        assert_eq!(
            c[0].text,
            "This step's customer flow offset 1.5 BTC of earlier, opposite customer flow in I_client, with no external trade; 0 BTC was hedged externally this step. In risk terms, 1 BTC of it reduced R_residual and 0.5 BTC added new risk on the other side: earlier hedges had already covered that part, so the book was over-hedged for the flow that came. So far: 1.5 BTC internalized in I_client, 1 BTC of residual risk netted by customer flow, 2 BTC hedged externally (hedge cost -$140)."
        );
    }

    #[test]
    fn step_4_pick_off_is_not_called_internalization() {
        let c = callouts(&chapter(), 4, &QuoteParams::default());
        let titles: Vec<&str> = c.iter().map(|c| c.title).collect();
        assert_eq!(titles, ["⚠ Picked off", "■ Protective logic"]);
        assert!(c[0].text.contains("-$1,900"));
        assert!(c[0].text.contains("netted 1.5 BTC"));
        assert!(
            c[0].text.contains("added 2 BTC to R_residual"),
            "{}",
            c[0].text
        );
        assert!(c[0].text.contains("not healthy internalization"));
        assert!(c[1].text.contains("stale against fresh fair ($99,500)"));
        assert!(
            c[1].text.ends_with("(size 1 BTC, spread $200)."),
            "{}",
            c[1].text
        );
    }

    #[test]
    fn lanes_mark_the_stale_fill() {
        let r = chapter();
        assert_eq!(
            client_trades(&r.steps[3]),
            [("sells 2 @ $100,450".to_string(), true)]
        );
        assert_eq!(hedge_trades(&r.steps[3]), ["sells 1.5 @ $99,460 (-$60)"]);
        assert_eq!(more_trades(&r.steps[3], true), None);
        let long = crate::engine::tape::synthetic::tape(1_000, 1_000);
        let long = crate::engine::replay::replay(&long).unwrap();
        assert_eq!(client_trades(&long.steps[0]).len(), LANE_TRADES);
        assert!(hedge_trades(&long.steps[0]).len() <= LANE_TRADES);
        let more = more_trades(&long.steps[0], true).unwrap();
        assert!(
            more.starts_with("… and ") && more.ends_with(" more customer trades"),
            "{more}"
        );
        assert_eq!(engine_mode(ControlAction::Pause), "■ Pause quoting");
        assert!(callouts(&r, 0, &QuoteParams::default()).is_empty());
    }
}
