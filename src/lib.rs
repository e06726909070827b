//! # dealer-book
//!
//! An exact engine for what happens on a market maker's (dealer's) book when a customer trades.
//! No web dependencies: it compiles for native targets and `wasm32-unknown-unknown`, and the
//! browser widgets only format and draw what it returns.
//!
//! The crate is three layers, each a folder, each importing only the ones before it:
//!
//! 1. [`engine`]: numbers, book, tape, PnL, replay, quote, policy, hedge rules, simulation. It
//!    returns data, never sentences.
//! 2. [`words`]: `format`, `explain` and `narrative`, the text a reader sees, built from the
//!    engine's data.
//! 3. [`page`]: settings, lessons, the replay cursor, follow my reading, links, exports, the
//!    studio's rules: what a page holds, without a browser.
//!
//! The front ends sit on top in their own crates: the CLI (`cli/`), the widgets (`widgets/`) and
//! the chapter renderer (`chapter/`). Every module is also re-exported at the crate root
//! (`dealer_book::tape`, `dealer_book::explain`, …), the paths those crates use.
//!
//! ```
//! let tape = dealer_book::tape::Tape::from_json(include_str!("../content/tapes/chapter-1.json")).unwrap();
//! let replay = dealer_book::replay::replay(&tape).unwrap();
//! let net = replay.pnl_at(replay.len()).total();
//! assert_eq!(dealer_book::format::money(net), "-$2,575");
//! ```

#![warn(missing_docs)]

/// `FromStr` for an enum through its `from_key` / `from_name`.
macro_rules! from_str_by {
    ($t:ty, $parse:path) => {
        impl std::str::FromStr for $t {
            type Err = $crate::UnknownName;
            fn from_str(s: &str) -> Result<$t, $crate::UnknownName> {
                $parse(s).ok_or($crate::UnknownName)
            }
        }
    };
}

pub mod engine;
pub mod page;
pub mod words;

pub use engine::{
    book, hedge_rule, lab, num, pnl, policy, quote, replay, risk, simulate, stats, tape,
};
pub use page::{cursor, export, lesson, link, notice, reading, settings, studio, widget, window};
pub use words::{explain, format, narrative};

/// The chapter's tape, as shipped in `content/tapes/chapter-1.json`.
pub const CHAPTER_TAPE: &str = include_str!("../content/tapes/chapter-1.json");

/// The variant of `all` whose name is `text` (ASCII case folded when `fold_case`): the one
/// parser behind every enum's `from_key` / `from_name` and `FromStr`.
pub(crate) fn by_name<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    text: &str,
    fold_case: bool,
) -> Option<T> {
    all.iter().copied().find(|&v| {
        if fold_case {
            name(v).eq_ignore_ascii_case(text)
        } else {
            name(v) == text
        }
    })
}

/// A name that is none of an enum's names (the `FromStr` error of the named enums).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not one of the accepted names")]
pub struct UnknownName;

/// An enum's variants, in declaration order, as an array of its length: the `ALL` of each enum
/// with string names, from strum's `VariantArray`. A wrong length fails the build.
pub(crate) const fn variants<T: Copy, const N: usize>(all: &[T]) -> [T; N] {
    assert!(all.len() == N, "ALL must hold every variant");
    match all.first_chunk::<N>() {
        Some(a) => *a,
        None => panic!("ALL must hold every variant"),
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{book::Band, hedge_rule::HedgeRule, pnl::Bucket, policy, quote};
    use crate::page::{lesson::Theme, link::Page, widget::WidgetKind};

    /// Every name of a parsed enum reads back to its variant (`FromStr`), `ALL` lists each
    /// variant once in declaration order, and no enum gives two variants one name.
    #[test]
    fn every_enum_name_round_trips() {
        fn check<T>(all: &[T], name: fn(T) -> &'static str)
        where
            T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr + strum::VariantArray,
        {
            assert_eq!(all, T::VARIANTS);
            for &v in all {
                assert_eq!(name(v).parse::<T>().ok(), Some(v), "{}", name(v));
            }
            assert!("no such name".parse::<T>().is_err());
        }
        fn distinct<T: Copy + strum::VariantArray>(name: fn(T) -> &'static str) {
            let names: std::collections::BTreeSet<_> =
                T::VARIANTS.iter().map(|&v| name(v)).collect();
            assert_eq!(names.len(), T::VARIANTS.len());
        }
        check(&WidgetKind::ALL, WidgetKind::key);
        check(&HedgeRule::ALL, HedgeRule::key);
        check(&quote::Regime::ALL, quote::Regime::name);
        check(&policy::Input::ALL, policy::Input::key);
        check(&Page::ALL, Page::name);
        check(<Theme as strum::VariantArray>::VARIANTS, Theme::key);
        distinct(policy::Action::key);
        distinct(policy::Hedge::key);
        distinct(policy::QuoteStance::key);
        distinct(Bucket::key);
        distinct(Band::name);
        distinct(quote::ControlAction::key);
        assert_eq!(
            quote::ControlAction::SkewAndPartialHedge.key(),
            "skew_partial_hedge"
        );
        assert_eq!(" Stressed ".trim().parse(), Ok(quote::Regime::Stressed));
        assert_eq!(
            WidgetKind::from_key(" hedge-lab"),
            Some(WidgetKind::HedgeLab)
        );
        assert_eq!(HedgeRule::from_key("FLAT"), Some(HedgeRule::Flat));
        assert_eq!(
            policy::Input::from_key("Flow"),
            None,
            "input keys are exact"
        );
    }
}
