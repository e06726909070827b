//! The book trainer in words: button labels, the start message, the band's guidance, what each
//! press moved and why, and what is wrong with a typed quantity.

use crate::engine::book::{Band, BandLimits, Book, Trade};
use crate::engine::num::{parse_decimal, DecimalError, Qty, MAX_QTY};
use crate::engine::pnl::EngineError;
use crate::words::format::{btc_signed, qty as q};

/// What the trainer says before the first press.
pub const START: &str =
    "Start flat. A customer trade creates dealer inventory; a hedge changes what risk remains.";

/// Button label of a trade.
pub fn label(t: Trade) -> &'static str {
    match t {
        Trade::ClientBuy => "Customer buys",
        Trade::ClientSell => "Customer sells",
        Trade::HedgeBuy => "Dealer buys hedge",
        Trade::HedgeSell => "Dealer sells hedge",
    }
}

/// The engine's bias in a band.
pub fn band_guidance(band: Band) -> &'static str {
    match band {
        Band::Green => "Quote normally.",
        Band::Amber => "Skew quotes and consider a partial hedge.",
        Band::Red => "Reduce size, widen, hedge, or pause.",
    }
}

/// What the engine should do about this book: a flat book needs no hedge at all, otherwise the
/// band's bias.
pub fn guidance(book: &Book, limits: &BandLimits) -> &'static str {
    if book.r_residual().sats() == 0 && !book.is_stale() {
        "Book is flat. Quote normally; no hedge is needed."
    } else {
        band_guidance(book.band(limits))
    }
}

/// Parses the trainer's quantity box: more than 0, at most 1,000,000 BTC, up to 8 decimals.
pub fn parse_qty(text: &str) -> Result<Qty, String> {
    match parse_decimal(text.trim(), 8, MAX_QTY.sats() as i128) {
        Ok(v) if v > 0 => Ok(Qty::from_sats(v as i64)),
        Ok(_) => Err("Quantity must be more than 0 BTC.".to_string()),
        Err(e @ (DecimalError::Syntax | DecimalError::TooPrecise(_) | DecimalError::TooLarge)) => {
            Err(format!("Quantity {e} (up to 1,000,000 BTC, 8 decimals)."))
        }
    }
}

/// Applies a press to `book` and says, from the dealer's side, which number moved and why:
/// `Customer bought 1 BTC, so the dealer sold 1 BTC: I_client -1.0 (now -1.0); R_residual now -1.0.`
/// A refused trade leaves the book alone and says why.
pub fn press(t: Trade, book: &mut Book, qty: Qty, decimals: u32) -> String {
    match t.apply(book, qty) {
        Ok(delta) => moved(t, qty, delta, book, decimals),
        Err(e) => refused(&e),
    }
}

fn refused(e: &EngineError) -> String {
    format!("Not applied: {e}.")
}

fn moved(t: Trade, qty: Qty, delta: Qty, book: &Book, decimals: u32) -> String {
    let n = q(qty);
    let why = match t {
        Trade::ClientBuy => format!("Customer bought {n} BTC, so the dealer sold {n} BTC"),
        Trade::ClientSell => format!("Customer sold {n} BTC, so the dealer bought {n} BTC"),
        Trade::HedgeBuy => format!("Dealer bought {n} BTC on an external venue"),
        Trade::HedgeSell => format!("Dealer sold {n} BTC on an external venue"),
    };
    let (name, now) = if t.is_client() {
        ("I_client", book.i_client)
    } else {
        ("H_external", book.h_external)
    };
    format!(
        "{why}: {name} {} (now {}); R_residual now {}.",
        btc_signed(delta, decimals),
        btc_signed(now, decimals),
        btc_signed(book.r_residual(), decimals)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::num::Price;

    #[test]
    fn trainer_explains_each_move() {
        let mut b = Book::new(Price::usd(100_000), Qty::ZERO, Qty::ZERO);
        assert_eq!(
            press(Trade::ClientBuy, &mut b, Qty::btc(1), 1),
            "Customer bought 1 BTC, so the dealer sold 1 BTC: I_client -1.0 (now -1.0); R_residual now -1.0."
        );
        assert_eq!(
            press(Trade::HedgeBuy, &mut b, Qty::from_sats(50_000_000), 1),
            "Dealer bought 0.5 BTC on an external venue: H_external +0.5 (now +0.5); R_residual now -0.5."
        );
        let mut huge = Book::new(Price::usd(1), crate::engine::num::MAX_POSITION, Qty::ZERO);
        assert!(press(Trade::ClientSell, &mut huge, Qty::btc(1), 1).starts_with("Not applied: "));
    }

    #[test]
    fn guidance_in_words() {
        let mut b = Book::new(Price::usd(1), Qty::ZERO, Qty::ZERO);
        assert_eq!(
            guidance(&b, &BandLimits::default()),
            "Book is flat. Quote normally; no hedge is needed."
        );
        b.i_client = Qty::btc(-2);
        assert_eq!(
            guidance(&b, &BandLimits::default()),
            "Skew quotes and consider a partial hedge."
        );
    }

    #[test]
    fn quantity_box() {
        assert_eq!(parse_qty(" 1.5 "), Ok(Qty::from_sats(150_000_000)));
        assert_eq!(
            parse_qty("0"),
            Err("Quantity must be more than 0 BTC.".into())
        );
        assert_eq!(
            parse_qty("abc"),
            Err("Quantity is not a decimal number (up to 1,000,000 BTC, 8 decimals).".into())
        );
        assert_eq!(label(Trade::HedgeSell), "Dealer sells hedge");
    }
}
