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
use dealer_book_widgets::hedge_lab::HedgeLab;
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
        texts(&root, ".sr-only table td"),
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
    assert!(texts(&root, ".fine")
        .iter()
        .any(|t| t.contains("Tape PnL so far: $0")));
    // The flat start is inside green: the panel says γ has nothing to act on.
    click(&root, "label.radio", "normal");
    leptos::task::tick().await;
    assert!(texts(&root, ".gamma-note")[0].starts_with("γ has no effect here"));
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
        reason.contains("pause")
            && reason.contains("quote pause")
            && reason.contains("latency risk 0.90"),
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

fn set_range(root: &web_sys::HtmlElement, id_prefix: &str, value: &str) {
    let list = root.query_selector_all("input[type=range]").unwrap();
    let input: web_sys::HtmlInputElement = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
        .find(|i| i.id().starts_with(id_prefix))
        .unwrap_or_else(|| panic!("no slider {id_prefix}"));
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// Until the hedge lab's distribution run has ended (its panel is no longer `aria-busy`): it
/// runs in slices, each in a turn of the browser's event loop of its own (the first too), so it
/// reaches the page some turns after the change that asked for it. At most 2,000 turns.
async fn settle(root: &web_sys::HtmlElement) {
    leptos::task::tick().await;
    for _ in 0..2000 {
        let turn = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .unwrap()
                .set_timeout_with_callback(&resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(turn).await;
        leptos::task::tick().await;
        let running = root.query_selector("[aria-busy=true]").unwrap().is_some();
        if !running && root.query_selector(".lab-dist").unwrap().is_some() {
            return;
        }
    }
    panic!("the hedge lab's distribution did not finish in 2,000 turns");
}

#[wasm_bindgen_test]
async fn hedge_lab_exact_panel_and_distribution() {
    let root = mount(chapter_replay().unwrap(), || view! { <HedgeLab /> });
    settle(&root).await;
    click(&root, "button", "Reset");
    for _ in 0..5 {
        click(&root, "button", "Next");
    }
    settle(&root).await;
    // Net row of the exact table: the tape, never, band, flat, with differences to the tape.
    let rows = root.query_selector_all(".lab-exact tbody tr").unwrap();
    let net: web_sys::Element = rows.item(4).unwrap().dyn_into().unwrap();
    let cells: Vec<String> = (0..net.children().length())
        .filter_map(|i| net.children().item(i))
        .map(|c| c.text_content().unwrap_or_default())
        .collect();
    assert_eq!(cells[0], "Net PnL");
    assert_eq!(cells[1], "-$2,575");
    assert_eq!(cells[2], "-$1,485 (+$1,090 vs tape)");
    assert_eq!(cells[3], "-$2,550 (+$25 vs tape)");
    assert_eq!(cells[4], "-$2,000 (+$575 vs tape)");
    let risk = texts(&root, ".lab-exact .risk-row td");
    assert_eq!(risk[..4], ["3 BTC", "3 BTC", "3 BTC", "2 BTC"]);
    // Distribution table, six columns per rule: mean (exact, then simulated ± its standard
    // error), stdev, 5th percentile, hedge cost, against as written, certainty equivalent.
    let dist = texts(&root, ".lab-dist tbody td");
    assert_eq!(dist.len(), 24);
    assert!(
        dist[6].starts_with("-$1,273 (exact); simulated "),
        "{}",
        dist[6]
    );
    assert_eq!(dist[7], "$4,448 (exact)");
    assert_eq!(dist[19], "$1,208 (exact)");
    // Cheaper hedges: flat's hedge cost falls with the slider.
    let cost_at_50 = dist[21].clone();
    set_range(&root, "lab-cost", "10");
    settle(&root).await;
    let dist = texts(&root, ".lab-dist tbody td");
    assert_ne!(dist[21], cost_at_50);
    assert!(dist[21].starts_with("-$6"), "{}", dist[21]);
    assert!(texts(&root, ".lab-exact tbody tr:nth-child(5) td")[3].starts_with("-$1,740"));
    // Fewer paths: the histogram table still counts every path of every rule.
    set_range(&root, "lab-paths", "500");
    settle(&root).await;
    let counts: u32 = texts(&root, ".lab-table-alt tbody td")
        .iter()
        .skip(24) // the R_residual table comes first: 6 steps x 4 rules
        .filter_map(|c| c.parse::<u32>().ok())
        .sum();
    assert_eq!(counts, 4 * 500);
    assert!(root
        .text_content()
        .unwrap()
        .contains("Over 500 simulated paths per rule"));
}

#[wasm_bindgen_test]
fn lab_charts_draw_as_svg() {
    use dealer_book::lab::{distribution, Exact, LAB_SEED};
    use dealer_book::num::Price;
    use dealer_book::quote::Regime;
    use dealer_book_widgets::lab_charts::{draw_histograms, draw_r_paths, svg};
    use plotters::style::RGBColor;
    let tape = Tape::from_json(dealer_book::CHAPTER_TAPE).unwrap();
    let d = distribution(&tape, Price::usd(50), Regime::Normal, 300, LAB_SEED).unwrap();
    let text = svg((600, 280), |a| {
        draw_histograms(a, &d.histogram, &d.stats, 2, RGBColor(0, 0, 0)).unwrap();
    });
    assert!(
        text.starts_with("<svg") && text.contains("<rect"),
        "{}",
        &text[..80.min(text.len())]
    );
    let e = Exact::new(&tape, Price::usd(50), Regime::Normal).unwrap();
    let paths: Vec<Vec<f64>> = (0..4)
        .map(|i| e.r_path(i).iter().map(|q| q.as_f64()).collect())
        .collect();
    let text = svg((600, 180), |a| {
        draw_r_paths(a, &paths, 3.0, 1.0, 2, 1, RGBColor(0, 0, 0)).unwrap();
    });
    assert!(
        text.contains("<polyline") || text.contains("<path"),
        "{text}"
    );
}
