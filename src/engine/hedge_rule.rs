//! Hedge rules and the exact counterfactual: "what if the dealer had hedged differently?"
//!
//! A [`HedgeRule`] decides, right after each customer fill, how much to trade externally. The
//! counterfactual of a tape under a rule ([`counterfactual`]) keeps the tape's customer flow, fair
//! moves, stale flags and refreshes, drops every `hedge_buy` / `hedge_sell` of the tape, and inserts
//! the rule's hedges instead. A rule hedge executes at fresh fair value plus the hedge cost when the
//! dealer buys and minus it when the dealer sells, so it is booked like any hedge event, in the
//! external hedge cost bucket (`-|qty| x cost`). The result is an ordinary tape, replayed by
//! [`crate::engine::replay`]: the buckets still sum to mark-to-market PnL, and quantities stay exact.
//!
//! - `tape`: the hedges the tape actually made (the tape unchanged);
//! - `none`: never hedge;
//! - `flat`: hedge `R_residual` to zero;
//! - `band`: when `|R_residual|` is above the green limit of the regime in force (1.0 BTC in the
//!   normal regime, 2.0 calm, 0.4 stressed: the limits hold a constant dollar risk), hedge back
//!   to that limit (same sign); inside the band, do nothing.

use crate::engine::book::BandLimits;
use crate::engine::num::{Price, Qty, MAX_PRICE};
use crate::engine::quote::{regime_limits, Regime};
use crate::engine::tape::{Event, Step, Tape};

/// How the dealer hedges after each customer fill.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::Display,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum HedgeRule {
    /// The hedges written on the tape.
    Tape,
    /// Never hedge.
    None,
    /// Hedge back to the green limit when outside it.
    Band,
    /// Hedge `R_residual` to zero after every customer fill.
    Flat,
}

/// The default hedge cost: $50 per BTC either side of fresh fair value.
pub const DEFAULT_HEDGE_COST: Price = Price::usd(50);

/// Largest hedge cost accepted per BTC (the tape's price limit).
pub const MAX_HEDGE_COST: Price = MAX_PRICE;

impl HedgeRule {
    /// Every rule, the tape first.
    pub const ALL: [HedgeRule; 4] =
        crate::engine::names::variants(<HedgeRule as strum::VariantArray>::VARIANTS);

    /// The name used on the command line, in JSON and in URLs: `tape`, `none`, `band`, `flat`.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// Parses a [`HedgeRule::key`] (case-insensitive, surrounding spaces ignored).
    pub fn from_key(key: &str) -> Option<HedgeRule> {
        crate::engine::names::by_name(&HedgeRule::ALL, HedgeRule::key, key.trim(), true)
    }

    /// Reader-facing name.
    pub fn label(self) -> &'static str {
        match self {
            HedgeRule::Tape => "As written",
            HedgeRule::None => "Never hedge",
            HedgeRule::Band => "Hedge to the band",
            HedgeRule::Flat => "Hedge flat",
        }
    }

    /// The dealer's signed hedge quantity (+ buy, - sell) this rule trades when the book holds
    /// `r_residual` right after a customer fill; `None` when it does not trade. `Tape` never
    /// trades here (its hedges are the tape's own events).
    pub fn hedge_for(self, r_residual: Qty, limits: &BandLimits) -> Option<Qty> {
        let r = r_residual.sats();
        let target = match self {
            HedgeRule::Tape | HedgeRule::None => return None,
            HedgeRule::Flat => 0,
            HedgeRule::Band => {
                let g = limits.green_max.sats();
                if r.abs() <= g {
                    return None;
                }
                g * r.signum()
            }
        };
        let d = target - r;
        (d != 0).then_some(Qty::from_sats(d))
    }
}

crate::engine::names::from_str_by!(HedgeRule, HedgeRule::from_key);

/// The hedge fill for a dealer trade of signed size `d` at fresh fair value `fair` with cost
/// `cost` per BTC: buy at `fair + cost`, sell at `fair - cost`.
pub fn hedge_event(d: Qty, fair: Price, cost: Price) -> Event {
    if d.sats() > 0 {
        Event::HedgeBuy {
            qty: d,
            price: Price::from_cents(fair.cents().saturating_add(cost.cents())),
        }
    } else {
        Event::HedgeSell {
            qty: d.abs(),
            price: Price::from_cents(fair.cents().saturating_sub(cost.cents())),
        }
    }
}

/// The tape as it would have been under `rule`: same customer flow, fair moves and refreshes,
/// the tape's hedges replaced by the rule's, each right after the customer fill that triggered
/// it. The band rule hedges to the green limit of `regime`. `HedgeRule::Tape` returns the tape
/// unchanged.
pub fn counterfactual(tape: &Tape, rule: HedgeRule, cost: Price, regime: Regime) -> Tape {
    if rule == HedgeRule::Tape {
        return tape.clone();
    }
    let limits = regime_limits(&BandLimits::default(), regime);
    let mut fair = tape.start.fair;
    // R_residual as the counterfactual book holds it (saturating: the ledger reports overflow).
    let mut r = tape
        .start
        .i_client
        .sats()
        .saturating_add(tape.start.h_external.sats());
    let steps = tape
        .steps
        .iter()
        .map(|step| {
            let mut events = Vec::with_capacity(step.events.len() * 2);
            for e in &step.events {
                match *e {
                    Event::HedgeBuy { .. } | Event::HedgeSell { .. } => continue,
                    Event::Fair { price, .. } => fair = price,
                    _ => {}
                }
                events.push(*e);
                if let Some((d, _)) = e.dealer_fill() {
                    r = r.saturating_add(d.sats());
                    if let Some(h) = rule.hedge_for(Qty::from_sats(r), &limits) {
                        events.push(hedge_event(h, fair, cost));
                        r = r.saturating_add(h.sats());
                    }
                }
            }
            Step {
                title: step.title.clone(),
                note: step.note.clone(),
                events,
            }
        })
        .collect();
    Tape {
        title: tape.title.clone(),
        start: tape.start,
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::num::Money;
    use crate::engine::replay::replay;

    fn chapter() -> Tape {
        Tape::from_json(crate::CHAPTER_TAPE).unwrap()
    }

    fn net(rule: HedgeRule, cost: Price) -> Money {
        let r = replay(&counterfactual(&chapter(), rule, cost, Regime::Normal)).unwrap();
        r.pnl_at(r.len()).total()
    }

    #[test]
    fn never_hedging_the_chapter_tape_ends_at_minus_1485() {
        assert_eq!(net(HedgeRule::None, DEFAULT_HEDGE_COST), Money::usd(-1_485));
        assert_eq!(net(HedgeRule::Tape, DEFAULT_HEDGE_COST), Money::usd(-2_575));
    }

    #[test]
    fn rules_trade_what_they_promise() {
        let l = BandLimits::default();
        let q = Qty::from_sats;
        assert_eq!(
            HedgeRule::Flat.hedge_for(q(-300_000_000), &l),
            Some(Qty::btc(3))
        );
        assert_eq!(HedgeRule::Flat.hedge_for(Qty::ZERO, &l), None);
        assert_eq!(
            HedgeRule::Band.hedge_for(q(-300_000_000), &l),
            Some(Qty::btc(2))
        );
        assert_eq!(
            HedgeRule::Band.hedge_for(q(150_000_000), &l),
            Some(q(-50_000_000))
        );
        assert_eq!(HedgeRule::Band.hedge_for(Qty::btc(1), &l), None);
        assert_eq!(HedgeRule::Band.hedge_for(q(100_000_001), &l), Some(q(-1)));
        assert_eq!(HedgeRule::None.hedge_for(Qty::btc(9), &l), None);
        assert_eq!(HedgeRule::Tape.hedge_for(Qty::btc(9), &l), None);
    }

    #[test]
    fn flat_and_band_on_the_chapter_tape() {
        // Flat: hedges 1 + 2 + 1.5 + 2 BTC = 6.5 BTC at $50 = -$325; every fair move finds the
        // book flat, so no inventory markout: +$225 edge - $325 - $1,900 toxic = -$2,000.
        let flat = replay(&counterfactual(
            &chapter(),
            HedgeRule::Flat,
            DEFAULT_HEDGE_COST,
            Regime::Normal,
        ))
        .unwrap();
        let end = flat.pnl_at(flat.len());
        assert_eq!(end.hedge_cost, crate::engine::num::Money::usd(-325));
        assert_eq!(end.inventory_markout, crate::engine::num::Money::ZERO);
        assert_eq!(end.total(), Money::usd(-2_000));
        for s in &flat.steps {
            assert_eq!(s.book.r_residual(), Qty::ZERO);
        }
        // Band: after step 2 the book is -3 BTC, hedged back to -1 (buy 2 at $100,070).
        let band = replay(&counterfactual(
            &chapter(),
            HedgeRule::Band,
            DEFAULT_HEDGE_COST,
            Regime::Normal,
        ))
        .unwrap();
        assert_eq!(band.steps[1].book.r_residual(), Qty::btc(-1));
        assert_eq!(
            band.steps[1].events[2].event,
            Event::HedgeBuy {
                qty: Qty::btc(2),
                price: Price::usd(100_070)
            }
        );
        // Costless hedges cost nothing.
        assert_eq!(net(HedgeRule::Flat, Price::usd(0)), Money::usd(-1_675));
        // In the stressed regime the band is 0.4 BTC: after step 1 (-1 BTC) the rule buys 0.6.
        let stressed = replay(&counterfactual(
            &chapter(),
            HedgeRule::Band,
            DEFAULT_HEDGE_COST,
            Regime::Stressed,
        ))
        .unwrap();
        assert_eq!(
            stressed.steps[0].book.r_residual(),
            Qty::from_sats(-40_000_000)
        );
    }

    #[test]
    fn keys_round_trip() {
        for r in HedgeRule::ALL {
            assert_eq!(HedgeRule::from_key(r.key()), Some(r));
        }
        assert_eq!(HedgeRule::from_key(" BAND "), Some(HedgeRule::Band));
        assert_eq!(HedgeRule::from_key("sometimes"), None);
    }
}
