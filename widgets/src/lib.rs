//! # dealer-book-widgets
//!
//! Leptos widgets around the `dealer-book` engine. They format and draw; every number comes
//! from the core. Start reading at [`book_trainer`], the smallest widget, written as a tutorial.
//!
//! - [`controls`]: the shared replay state, keyboard, band badge, live region, notices.
//! - [`replay_controls`]: the replay's buttons and step picker, with the predict panel.
//! - [`book_trainer`], [`maker_inventory`], [`dealer_book`], [`replay`], [`heatmap`],
//!   [`hedge_lab`]: one widget each ([`lab_charts`] draws the hedge lab's charts).
//! - [`downloads`]: the replay as CSV / JSON and charts as PNG / SVG, offered as downloads.
//! - [`lesson_builder`]: the panel that prepares lesson links for instructors.
//! - [`predict_panel`]: predict-then-reveal questions for lesson links.
//! - [`follow`]: follow my reading on the chapter page (reading line, scrollspy, follow bar).
//! - [`studio`]: the tape studio (editor, live preview, palette, share link, embed snippets).
//! - [`tape_source`]: where a widget's tape comes from (a fetch, a link's fragment, inline text),
//!   for the pages and the studio.
//! - [`pages`]: the chapter's widget islands, single-widget views (classroom, iframe) and the
//!   custom element (in its own shadow root).

#![warn(missing_docs)]

pub mod book_trainer;
pub mod controls;
pub mod dealer_book;
pub mod downloads;
pub mod follow;
pub mod heatmap;
pub mod hedge_lab;
pub mod lab_charts;
pub mod lesson_builder;
pub mod maker_inventory;
pub mod pages;
pub mod predict_panel;
pub mod replay;
pub mod replay_controls;
pub mod studio;
pub mod tape_source;

/// Installs a panic hook that logs to the console *and* shows the message on the page, so a
/// failure is never a blank page.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = doc.body() else { return };
        if let Ok(el) = doc.create_element("div") {
            el.set_class_name("error-box panic-box");
            let _ = el.set_attribute("role", "alert");
            el.set_text_content(Some(&format!(
                "Something went wrong inside the dealer-book widgets; the rest of the page is unaffected. Details: {info}"
            )));
            let _ = body.prepend_with_node_1(&el);
        }
    }));
}
