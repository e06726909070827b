//! Browser entry point: a panic hook that shows errors on the page, then mount what the page asks for.

fn main() {
    dealer_book_widgets::install_panic_hook();
    dealer_book_widgets::pages::start();
}
