//! Follow my reading on the chapter page: where the reading line is (one IntersectionObserver
//! over the chapter's sections, no scroll handler), the contents' scrollspy, and the bar above
//! each widget beside the replay's steps that says what it follows. The rules are
//! [`dealer_book::reading`]'s; this module only watches the page and lays them out.

use dealer_book::reading::{read_link, Follow};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, IntersectionObserver, IntersectionObserverInit};

use crate::controls::ReplayState;

/// The reading line's place, in percent of the viewport's height from its top.
const READING_LINE_PERCENT: u32 = 30;
/// The same, as a fraction.
const READING_LINE: f64 = READING_LINE_PERCENT as f64 / 100.0;

/// Where each replay step's text is: `(step, section id)`, with step 0 for the introduction.
#[derive(Clone, Debug, Default)]
pub struct StepTargets(pub Vec<(usize, String)>);

impl StepTargets {
    /// The link target of the text of `step`.
    pub fn href(&self, step: usize) -> Option<String> {
        self.0
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, id)| format!("#{id}"))
    }
}

/// One section of the chapter's outline.
struct Section {
    element: Element,
    /// The contents' link to it.
    link: Option<Element>,
    /// Its replay step (0 for the follow region's introduction).
    step: Option<usize>,
}

/// Watches the reading line over the chapter's sections: marks the current one in the contents
/// and reports the replay step being read to `reading`. Returns where each step's text is.
pub fn watch_reading(doc: &Document, reading: RwSignal<Option<usize>>) -> StepTargets {
    let mut sections = Vec::new();
    let mut targets = StepTargets::default();
    let Ok(list) = doc.query_selector_all("section.sec[data-toc]") else {
        return targets;
    };
    for element in (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
    {
        let id = element.get_attribute("data-toc").unwrap_or_default();
        let step = if element.has_attribute("data-follow") {
            Some(0)
        } else {
            element
                .get_attribute("data-step")
                .and_then(|s| s.parse().ok())
        };
        if let Some(s) = step {
            targets.0.push((s, id.clone()));
        }
        let link = doc
            .query_selector(&format!(".toc a[href=\"#{id}\"]"))
            .ok()
            .flatten();
        sections.push(Section {
            element,
            link,
            step,
        });
    }
    if sections.is_empty() {
        return targets;
    }
    let reading_now = reading;
    let current = std::cell::Cell::new(None);
    let current_name = doc.query_selector(".toc-current").ok().flatten();
    let update = move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        let height = window
            .inner_height()
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0);
        let line = height * READING_LINE;
        // Sections are in document order, so their tops only grow: the current one is the last
        // whose top has passed the line.
        let at = sections
            .iter()
            .take_while(|s| s.element.get_bounding_client_rect().top() <= line)
            .count()
            .checked_sub(1);
        if current.get() != at {
            if let Some(old) = current.get().and_then(|i| sections[i].link.as_ref()) {
                old.remove_attribute("aria-current").ok();
            }
            let new = at.and_then(|i| sections[i].link.as_ref());
            if let Some(new) = new {
                new.set_attribute("aria-current", "location").ok();
            }
            // The narrow screens' contents bar names the section being read.
            if let Some(name) = &current_name {
                name.set_text_content(new.and_then(|a| a.text_content()).as_deref());
            }
            current.set(at);
        }
        let reading = at.and_then(|i| sections[i].step);
        if reading_now.get_untracked() != reading {
            reading_now.set(reading);
        }
    };
    update();
    // A thin band at the reading line: a callback whenever a section enters or leaves it, which
    // is whenever the section at the line changes (sections meet without gaps).
    let observe = move || -> Result<(), JsValue> {
        let callback = Closure::<dyn FnMut()>::new(update);
        let init = IntersectionObserverInit::new();
        // A band half a percent of the window high (whole numbers written: formatting an f64
        // would pull the float printer into the main module).
        init.set_root_margin(&format!(
            "-{READING_LINE_PERCENT}% 0px -{}.5% 0px",
            99 - READING_LINE_PERCENT
        ));
        let observer =
            IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init)?;
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                observer.observe(&el);
            }
        }
        // Both live as long as the page.
        callback.forget();
        std::mem::forget(observer);
        Ok(())
    };
    if let Err(e) = observe() {
        web_sys::console::warn_2(&"Follow my reading is unavailable:".into(), &e);
    }
    close_contents_on_choice(doc);
    targets
}

/// On narrow screens the contents are a bar over the text: choosing a section folds it again.
fn close_contents_on_choice(doc: &Document) {
    let Some(details) = doc.query_selector(".toc details").ok().flatten() else {
        return;
    };
    let folder = details.clone();
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let narrow = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|v| v.as_f64())
            .is_some_and(|w| w < 1024.0);
        let on_link = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|e| e.closest("a").ok().flatten())
            .is_some();
        if narrow && on_link {
            folder.remove_attribute("open").ok();
        }
    });
    details
        .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
        .ok();
    on_click.forget();
}

/// The bar above a widget beside the replay's steps: what the widget follows, a link to the
/// text of the step it shows (the keyboard's way back to the prose), and the "Follow my
/// reading" switch.
#[component]
pub fn FollowBar() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let targets = use_context::<StoredValue<StepTargets>>();
    let mode = move || state.follow().unwrap_or(Follow::Off);
    let link = move || {
        let c = state.step();
        let href = targets.and_then(|t| t.with_value(|t| t.href(c)))?;
        Some(view! {
            <a class="follow-read" href=href>
                {read_link(c)}
            </a>
        })
    };
    view! {
        <p class="follow-status">{move || mode().status(state.step())}</p>
        {link}
        <button
            type="button"
            class="btn btn-quiet follow-switch"
            aria-pressed=move || mode().is_on().to_string()
            on:click=move |_| state.toggle_follow()
        >
            "Follow my reading"
        </button>
    }
}
