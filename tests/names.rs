//! The enums' names: every name reads back to its variant, `ALL` follows the declaration, and
//! no enum gives two variants one name.

use dealer_book::book::Band;
use dealer_book::hedge_rule::HedgeRule;
use dealer_book::lesson::Theme;
use dealer_book::link::Page;
use dealer_book::pnl::Bucket;
use dealer_book::widget::WidgetKind;
use dealer_book::{policy, quote};

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
        let names: std::collections::BTreeSet<_> = T::VARIANTS.iter().map(|&v| name(v)).collect();
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
