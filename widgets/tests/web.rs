//! In-browser tests (wasm-bindgen-test, headless Chromium): each widget mounted on its own,
//! clicked through the chapter tape and another tape, with the DOM checked against the chapter.

use std::sync::Arc;

use dealer_book::replay::replay;
use dealer_book::settings::WidgetSettings;
use dealer_book::tape::Tape;
use dealer_book_widgets::book_trainer::BookTrainer;
use dealer_book_widgets::controls::ReplayState;
use dealer_book_widgets::dealer_book::DealerBookLanes;
use dealer_book_widgets::heatmap::InternalizationHeatmap;
use dealer_book_widgets::maker_inventory::MakerInventory;
use dealer_book_widgets::pages::chapter_replay;
use dealer_book_widgets::replay::InteractiveReplay;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const OTHER_TAPE: &str = r#"{"title":"two-sided","start":{"fair":50000},"steps":[
  {"title":"a buyer","events":[{"type":"client_buy","qty":0.25,"price":50025}]},
  {"title":"a seller","events":[{"type":"fair","price":50010},{"type":"client_sell","qty":0.2,"price":49985}]}]}"#;

fn fresh_root() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

fn mount<V: IntoView + 'static>(
    replay: Arc<dealer_book::replay::Replay>,
    view: fn() -> V,
) -> web_sys::HtmlElement {
    let root = fresh_root();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(ReplayState::new(replay.clone(), &WidgetSettings::default()));
        view()
    });
    handle.forget();
    root
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_string())
        .collect()
}

fn click(root: &web_sys::HtmlElement, selector: &str, label: &str) {
    let list = root.query_selector_all(selector).unwrap();
    let button = (0..list.length())
        .filter_map(|i| list.item(i))
        .find(|n| n.text_content().unwrap_or_default().contains(label))
        .unwrap_or_else(|| panic!("no {selector} labelled {label}"));
    button.dyn_into::<web_sys::HtmlElement>().unwrap().click();
}

#[wasm_bindgen_test]
async fn maker_inventory_walks_the_chapter() {
    let root = mount(chapter_replay().unwrap(), || view! { <MakerInventory /> });
    leptos::task::tick().await;
    assert_eq!(texts(&root, ".quantities dd")[..3], ["0.0", "0.0", "0.0"]);
    let want = [
        (["-1.0", "0.0", "-1.0"], "GREEN", "+$50"),
        (["-3.0", "+2.0", "-1.0"], "GREEN", "-$10"),
        (["-1.5", "+2.0", "+0.5"], "GREEN", "-$415"),
        (["+0.5", "+0.5", "+1.0"], "RED", "-$2,875"),
        (["+0.5", "+0.5", "+1.0"], "GREEN", "-$2,575"),
    ];
    for (i, (q, band, net)) in want.iter().enumerate() {
        click(&root, "button", "Next");
        leptos::task::tick().await;
        let got = texts(&root, ".quantities dd");
        assert_eq!(got[..3], q[..], "step {}", i + 1);
        assert!(got[3].ends_with(band), "step {}: band {}", i + 1, got[3]);
        let values = texts(&root, ".bar-values li");
        assert_eq!(values[4], *net, "net after step {}", i + 1);
        if i == 3 {
            assert_eq!(values[3], "-$1,900");
            let calcs = texts(&root, ".calcs code");
            assert_eq!(
                calcs,
                [
                    "0.5 x ($99,500 - $100,500) = -$500",
                    "2 x ($99,500 - $100,450) = -$1,900",
                    "1.5 x ($99,460 - $99,500) = -$60"
                ]
            );
        }
    }
    assert_eq!(
        texts(&root, ".bar-values li"),
        ["+$225", "-$700", "-$200", "-$1,900", "-$2,575"]
    );
    // The screen-reader table carries the same numbers.
    assert_eq!(
        texts(&root, "table.sr-only td"),
        ["+$225", "-$700", "-$200", "-$1,900", "-$2,575"]
    );
    let all = root.text_content().unwrap_or_default().to_lowercase();
    assert!(!all.contains("spread capture"));
}

#[wasm_bindgen_test]
async fn maker_inventory_works_with_another_tape() {
    let other = Arc::new(replay(&Tape::from_json(OTHER_TAPE).unwrap()).unwrap());
    let root = mount(other, || view! { <MakerInventory /> });
    leptos::task::tick().await;
    click(&root, "button", "Next");
    click(&root, "button", "Next");
    leptos::task::tick().await;
    assert_eq!(
        texts(&root, ".quantities dd")[..3],
        ["-0.05", "0.00", "-0.05"]
    );
    assert_eq!(texts(&root, ".bar-values li")[0], "+$11.25");
}

#[wasm_bindgen_test]
async fn dealer_book_lanes_call_out_internalization_and_protection() {
    let root = mount(chapter_replay().unwrap(), || view! { <DealerBookLanes /> });
    leptos::task::tick().await;
    for _ in 0..3 {
        click(&root, "button", "Next");
    }
    leptos::task::tick().await;
    let callouts = texts(&root, ".callout");
    assert_eq!(callouts.len(), 1, "{callouts:?}");
    assert!(
        callouts[0].contains("offset 1.5 BTC")
            && callouts[0].contains("0 BTC was hedged externally this step"),
        "{callouts:?}"
    );
    click(&root, "button", "Next");
    leptos::task::tick().await;
    let callouts = texts(&root, ".callout");
    assert!(
        callouts
            .iter()
            .any(|c| c.contains("Picked off") && c.contains("-$1,900")),
        "{callouts:?}"
    );
    // The stale-quote fill nets against earlier flow, but it is not called internalization.
    assert!(
        !callouts.iter().any(|c| c.contains("⇄ Internalized")),
        "{callouts:?}"
    );
    assert!(
        callouts
            .iter()
            .any(|c| c.contains("not healthy internalization")),
        "{callouts:?}"
    );
    assert!(
        callouts
            .iter()
            .any(|c| c.contains("Protective logic") && c.contains("stale against fresh fair")),
        "{callouts:?}"
    );
    assert_eq!(texts(&root, "thead th.current"), ["Step 4 "].map(str::trim));
}

#[wasm_bindgen_test]
async fn interactive_replay_quotes_move_with_the_controls() {
    let root = mount(
        chapter_replay().unwrap(),
        || view! { <InteractiveReplay /> },
    );
    leptos::task::tick().await;
    let facts = texts(&root, ".quote-facts dd");
    assert_eq!(facts[0], "$99,950 / $100,050");
    assert_eq!(facts[6], "Quote normally");
    click(&root, "label.radio", "stressed");
    leptos::task::tick().await;
    let stressed = texts(&root, ".quote-facts dd");
    assert_eq!(
        stressed[0], "$99,875 / $100,125",
        "stressed widens the spread"
    );
    // The tape's PnL does not move with the controls.
    assert!(texts(&root, ".fine")[0].contains("Tape PnL so far: $0"));
}

#[wasm_bindgen_test]
async fn heatmap_reacts_to_sliders() {
    let root = mount(
        chapter_replay().unwrap(),
        || view! { <InternalizationHeatmap /> },
    );
    leptos::task::tick().await;
    let reason = texts(&root, ".hm-reason")[0].clone();
    assert!(reason.contains("partial_hedge"), "{reason}");
    let list = root.query_selector_all("input[type=range]").unwrap();
    let latency: web_sys::HtmlInputElement = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
        .find(|i| i.id().starts_with("hm-latency"))
        .expect("latency slider");
    latency.set_value("900");
    latency
        .dispatch_event(
            &web_sys::Event::new_with_event_init_dict("input", &{
                let init = web_sys::EventInit::new();
                init.set_bubbles(true);
                init
            })
            .unwrap(),
        )
        .unwrap();
    leptos::task::tick().await;
    let reason = texts(&root, ".hm-reason")[0].clone();
    assert!(
        reason.contains("pause") && reason.contains("Latency risk 0.90"),
        "{reason}"
    );
    assert_eq!(texts(&root, ".legend code").len(), 6);
}

#[wasm_bindgen_test]
async fn book_trainer_says_what_moved() {
    let root = fresh_root();
    leptos::mount::mount_to(root.clone(), || view! { <BookTrainer /> }).forget();
    leptos::task::tick().await;
    click(&root, "button", "Customer buys");
    leptos::task::tick().await;
    assert_eq!(
        texts(&root, ".equation")[0]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        "I_client -1.0 + H_external 0.0 = R_residual -1.0"
    );
    assert!(texts(&root, ".explanation")[0]
        .starts_with("Customer bought 1 BTC, so the dealer sold 1 BTC: I_client -1.0"));
    click(&root, "button", "Dealer buys hedge");
    leptos::task::tick().await;
    assert!(texts(&root, ".trainer-band")[0].contains("Book is flat"));
    let input: web_sys::HtmlInputElement = root
        .query_selector("input")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value("-3");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(
        texts(&root, ".qty-error")[0],
        "Quantity must be more than 0 BTC."
    );
}
