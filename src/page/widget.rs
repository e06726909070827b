//! The widgets an author can embed: their names in attributes, URLs and the chapter's slots,
//! and the title and one-line summary every front end shows for them (the chapter's static
//! slots, the widgets' frames, the studio's menu), so each reads the same everywhere.

/// The widgets an author can embed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum WidgetKind {
    /// The book trainer (buttons that move I_client and H_external).
    BookTrainer,
    /// The interactive replay with quote controls.
    Replay,
    /// MakerInventory: book quantities and PnL bars.
    MakerInventory,
    /// DealerBook lanes.
    DealerBook,
    /// InternalizationHeatmap.
    Heatmap,
    /// The hedge-rule lab: the tape against none / band / flat, exactly and over many paths.
    HedgeLab,
}

impl WidgetKind {
    /// Every widget.
    pub const ALL: [WidgetKind; 6] =
        crate::engine::names::variants(<WidgetKind as strum::VariantArray>::VARIANTS);

    /// The name used in attributes, URLs and the chapter's slots.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// Parses a [`WidgetKind::key`].
    pub fn from_key(key: &str) -> Option<WidgetKind> {
        crate::engine::names::by_name(&WidgetKind::ALL, WidgetKind::key, key.trim(), false)
    }

    /// Reader-facing title.
    pub fn title(self) -> &'static str {
        match self {
            WidgetKind::BookTrainer => "Dealer book trainer",
            WidgetKind::Replay => "Interactive replay",
            WidgetKind::MakerInventory => "Maker inventory and PnL buckets",
            WidgetKind::DealerBook => "Dealer book lanes",
            WidgetKind::Heatmap => "Internalize or hedge: the policy map",
            WidgetKind::HedgeLab => "Hedge-rule lab",
        }
    }

    /// One line saying what the widget lets a reader do (shown in its place before it starts).
    pub fn summary(self) -> &'static str {
        match self {
            WidgetKind::BookTrainer => {
                "Buttons for customer trades and hedges, with I_client + H_external = R_residual updated after each."
            }
            WidgetKind::Replay => {
                "Steps through the chapter's tape: each event, the quote it leads to, the band and the control action, under three volatility regimes."
            }
            WidgetKind::MakerInventory => {
                "I_client, H_external and R_residual at the chosen step, with the four PnL buckets as bars."
            }
            WidgetKind::DealerBook => {
                "One lane per quantity across every step of the tape, with the trade, band and control action at each."
            }
            WidgetKind::Heatmap => {
                "How much to hedge and how to quote across two chosen inputs (flow, toxicity, volatility, hedge cost, latency), with both decisions and the reason at each point."
            }
            WidgetKind::HedgeLab => {
                "The tape re-run under other hedge rules (never, to the band, flat), exactly and over many simulated paths, with each rule's exact mean and spread and its ranking for a risk aversion you set."
            }
        }
    }

    /// True for widgets that follow the replay cursor.
    pub fn uses_replay(self) -> bool {
        !matches!(self, WidgetKind::BookTrainer)
    }

    /// The part of the widgets' code that draws this widget.
    pub fn code(self) -> WidgetCode {
        match self {
            WidgetKind::BookTrainer => WidgetCode::Trainer,
            WidgetKind::HedgeLab => WidgetCode::HedgeLab,
            WidgetKind::Replay
            | WidgetKind::MakerInventory
            | WidgetKind::DealerBook
            | WidgetKind::Heatmap => WidgetCode::Replays,
        }
    }

    /// The names of the code a chapter slot of this widget needs, in the order the page asks
    /// for them: the chapter's own code first for widgets that follow the replay, then the
    /// widget's. The chapter's static slots carry them (`data-code`), so the page's loader can
    /// fetch a slot's files as soon as the slot is on screen, beside the main module.
    pub fn chapter_code(self) -> &'static [&'static str] {
        const TRAINER: &[&str] = &[WidgetCode::Trainer.name()];
        const REPLAYS: &[&str] = &[CHAPTER_CODE, WidgetCode::Replays.name()];
        const HEDGE_LAB: &[&str] = &[CHAPTER_CODE, WidgetCode::HedgeLab.name()];
        match self.code() {
            WidgetCode::Trainer => TRAINER,
            WidgetCode::Replays => REPLAYS,
            WidgetCode::HedgeLab => HEDGE_LAB,
        }
    }
}

/// The name of the chapter page's own code (its tape, shared state and companions).
pub const CHAPTER_CODE: &str = "chapter";

/// The groups of the widgets' code. In the split WebAssembly build each is a split point of
/// `widgets/src/main.rs` of the same name, and so a chunk of its own, fetched when first needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WidgetCode {
    /// The book trainer: small, and needing no tape.
    Trainer,
    /// The four widgets that replay a tape (they share most of their code).
    Replays,
    /// The hedge lab (its own simulation and charts).
    HedgeLab,
}

impl WidgetCode {
    /// The split point's name (and the build's name for its files).
    pub const fn name(self) -> &'static str {
        match self {
            WidgetCode::Trainer => "trainer",
            WidgetCode::Replays => "replays",
            WidgetCode::HedgeLab => "hedge_lab",
        }
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn each_widget_names_its_own_code_last_and_the_chapter_code_when_it_replays() {
        for kind in WidgetKind::ALL {
            let names = kind.chapter_code();
            assert_eq!(names.last(), Some(&kind.code().name()), "{kind:?}");
            assert_eq!(
                names.contains(&CHAPTER_CODE),
                kind.uses_replay(),
                "{kind:?}"
            );
        }
        assert_eq!(WidgetKind::BookTrainer.chapter_code(), ["trainer"]);
        assert_eq!(WidgetKind::Heatmap.chapter_code(), ["chapter", "replays"]);
    }
}

crate::engine::names::from_str_by!(WidgetKind, WidgetKind::from_key);
