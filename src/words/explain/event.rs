//! An event in words: what happened, from the dealer's side, and a fill as its lane shows it.

use crate::engine::tape::Event;

/// The event in words, from the dealer's side: `customer buys 1 BTC at $100,050`.
pub fn describe(event: &Event) -> String {
    use crate::words::format::{price as p, qty as q};
    match *event {
        Event::ClientBuy { qty, price } => {
            format!("customer buys {} BTC at {}", q(qty), p(price))
        }
        Event::ClientSell { qty, price } => {
            format!("customer sells {} BTC at {}", q(qty), p(price))
        }
        Event::HedgeBuy { qty, price } => {
            format!("dealer buys {} BTC hedge at {}", q(qty), p(price))
        }
        Event::HedgeSell { qty, price } => {
            format!("dealer sells {} BTC hedge at {}", q(qty), p(price))
        }
        Event::Fair {
            price,
            stale: false,
        } => format!("fair value moves to {}", p(price)),
        Event::Fair { price, stale: true } => {
            format!(
                "fresh fair moves to {}; the quote reference stays behind (stale)",
                p(price)
            )
        }
        Event::Refresh => "quote reference catches up with fresh fair".to_string(),
    }
}

/// A fill in a few words from its lane's point of view (the customer in the client lane, the
/// dealer in the hedge lane): `buys 1 @ $100,050`. `None` for non-fills.
pub fn lane_text(event: &Event) -> Option<String> {
    use crate::words::format::{price as p, qty as q};
    let (verb, qty, price) = match *event {
        Event::ClientBuy { qty, price } | Event::HedgeBuy { qty, price } => ("buys", qty, price),
        Event::ClientSell { qty, price } | Event::HedgeSell { qty, price } => ("sells", qty, price),
        _ => return None,
    };
    Some(format!("{verb} {} @ {}", q(qty), p(price)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::num::{Price, Qty};

    #[test]
    fn lanes_name_the_fill_from_their_side() {
        let buy = Event::ClientBuy {
            qty: Qty::btc(1),
            price: Price::from_cents(10_050),
        };
        assert_eq!(lane_text(&buy).as_deref(), Some("buys 1 @ $100.50"));
        let sell = Event::HedgeSell {
            qty: Qty::btc(3),
            price: Price::usd(99),
        };
        assert_eq!(lane_text(&sell).as_deref(), Some("sells 3 @ $99"));
        assert_eq!(lane_text(&Event::Refresh), None);
        assert_eq!(describe(&buy), "customer buys 1 BTC at $100.50");
        assert_eq!(describe(&sell), "dealer sells 3 BTC hedge at $99");
    }
}
