//! The tape studio's entry point (`studio.html`): a panic hook that shows errors on the page,
//! then the studio.

fn main() {
    dealer_book_widgets::install_panic_hook();
    dealer_book_widgets::pages::studio::start();
}
