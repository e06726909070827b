//! Browser entry point: a panic hook that shows errors on the page, the loader of the widgets'
//! code, then mount what the page asks for.
//!
//! The pages' and widgets' code is reached only through the split points below, so in the split
//! build (`scripts/build-app.sh`: rustc with relocations, `wasm-split-cli`, then wasm-bindgen)
//! each becomes a WebAssembly chunk of its own, fetched the first time a page needs it; code two
//! points share goes into a chunk both load. The main module keeps the Leptos runtime, the
//! address's settings and what the chapter does before the reader nears a widget. Points:
//! - `chapter`: the chapter's tape, shared state, follow bars and lesson builders;
//! - `trainer`: the book trainer (the chapter's first widget, small, and needing no tape, so it
//!   mounts without waiting for the chapter's code);
//! - `replays`: the four widgets that replay a tape (they share most of their code);
//! - `hedge_lab`: the hedge lab (its own simulation and charts);
//! - `single`: one widget from settings, for presentation, `embed.html` and the custom element.

use dealer_book::settings::WidgetKind;
use dealer_book::widget::WidgetCode;
use dealer_book_widgets::pages::chunks::ChapterCode;
use dealer_book_widgets::pages::chunks::{self, ChunkError, LoadFuture, SingleFn, SingleFuture};
use dealer_book_widgets::pages::chunks::{ChapterFuture, ViewFn};
use dealer_book_widgets::pages::views;

#[leptos::wasm_split::wasm_split(trainer, wasm_split_path = ::leptos::wasm_split, fallible)]
fn trainer_code() -> Result<ViewFn, ChunkError> {
    Ok(views::trainer)
}

#[leptos::wasm_split::wasm_split(replays, wasm_split_path = ::leptos::wasm_split, fallible)]
fn replay_code() -> Result<ViewFn, ChunkError> {
    Ok(views::replays)
}

#[leptos::wasm_split::wasm_split(hedge_lab, wasm_split_path = ::leptos::wasm_split, fallible)]
fn hedge_lab_code() -> Result<ViewFn, ChunkError> {
    Ok(views::hedge_lab)
}

#[leptos::wasm_split::wasm_split(single, wasm_split_path = ::leptos::wasm_split, fallible)]
fn single_code() -> Result<SingleFn, ChunkError> {
    Ok(dealer_book_widgets::pages::single::single_view)
}

#[leptos::wasm_split::wasm_split(chapter, wasm_split_path = ::leptos::wasm_split, fallible)]
fn chapter_code() -> Result<ChapterCode, ChunkError> {
    Ok(dealer_book_widgets::pages::chapter::chapter_code())
}

fn load_chapter() -> ChapterFuture {
    Box::pin(chapter_code())
}

fn load_single() -> SingleFuture {
    Box::pin(single_code())
}

/// The chunk that holds a widget kind's code (each split point is named as its
/// [`WidgetCode::name`], which the chapter's slots and the page's loader use for its files).
fn load(kind: WidgetKind) -> LoadFuture {
    match kind.code() {
        WidgetCode::Trainer => Box::pin(trainer_code()),
        WidgetCode::HedgeLab => Box::pin(hedge_lab_code()),
        WidgetCode::Replays => Box::pin(replay_code()),
    }
}

fn main() {
    dealer_book_widgets::install_panic_hook();
    chunks::set_loaders(chunks::Loaders {
        widget: load,
        single: load_single,
        chapter: load_chapter,
    });
    dealer_book_widgets::pages::start();
}
