//! The long chat: an agent and a visitor go through the visitor's site page by page, hunting a
//! chat button that shows on some pages and not on others. Every round names its own page, so
//! two hundred messages never read as the same two lines over and over.

use crate::rng::Rng;
use crate::talk::Talk;

#[rustfmt::skip]
const PAGES: &[&str] = &[
    "the home page", "/pricing", "/about", "/contact", "/blog", "/blog/spring-sale", "/help",
    "/help/returns", "/help/shipping", "/account", "/account/orders", "/cart", "/checkout",
    "/search?q=jacket", "/products/rain-jacket", "/products/trail-shoes", "/products/wool-socks",
    "/products/backpack-30l", "/products/water-bottle", "/products/gift-card", "/collections/new",
    "/collections/sale", "/collections/kids", "/stores", "/stores/berlin", "/careers", "/press",
    "/terms", "/privacy", "/newsletter", "/wishlist", "/compare", "/gift-guide", "/size-guide",
    "/sustainability", "/reviews", "/faq", "/login", "/register", "/order-status",
];

/// The agent's request for one page (`{p}`).
const CHECKS: &[&str] = &[
    "Could you open {p} and tell me whether the chat button shows?",
    "Next one: {p}. Anything there?",
    "And on {p}?",
    "Please try {p} in a private window.",
    "Is the button on {p}?",
    "Let's try {p} with the ad blocker switched off.",
    "Could you reload {p} with Ctrl+Shift+R?",
    "How about {p} on your phone?",
    "Now {p}, please.",
];

/// What the visitor sees on that page.
const RESULTS: &[&str] = &[
    "Nothing on {p}.",
    "Yes! It shows on {p}.",
    "{p}: no button, and the same CSP error in the console.",
    "On {p} it appears for a second, then disappears.",
    "{p} loads, but the button is greyed out.",
    "Still nothing on {p}.",
    "It shows on {p}, but clicking it does nothing.",
    "No button on {p}.",
    "On {p} it's there after one reload and gone after the next.",
    "Hang on, {p} is slow today... no, nothing.",
    "Same as before on {p}.",
    "{p} shows it at the bottom left instead of the bottom right, weird.",
];

/// Things the agent says between rounds, now and then.
const ASIDES: &[&str] = &[
    "Thanks for your patience, we're getting closer.",
    "Interesting. I'm noting every page down for our engineers.",
    "OK, that narrows it down a bit.",
    "Let me compare that with what I see from here.",
    "Sorry this is taking a while.",
];

/// The visitor's remarks as it drags on.
const SIGHS: &[&str] = &[
    "How many more pages do we need to check?",
    "I have a meeting in twenty minutes, just so you know.",
    "This worked fine until yesterday.",
    "Our customers are asking where the chat went.",
];

/// Round `k`: the agent's request and the visitor's finding, on the `k`-th page of the walk.
fn round(rng: &mut Rng, k: usize) -> (String, String) {
    let page = PAGES[k % PAGES.len()];
    // A second pass over the pages asks differently from the first.
    let check = CHECKS[(k + k / PAGES.len() * 4 + rng.below(2) as usize) % CHECKS.len()];
    let result = *rng.pick(RESULTS);
    let mut found = result.replace("{p}", page);
    if let Some(first) = found.get(..1) {
        if result.starts_with("{p}") && page.starts_with("the") {
            found = first.to_uppercase() + &found[1..];
        }
    }
    (check.replace("{p}", page), found)
}

/// The page-by-page hunt (about 200 messages), after the visitor has described the problem.
pub fn walk(talk: &mut Talk) {
    for k in 0..95 {
        let (check, found) = round(talk.rng(), k);
        talk.say_agent(&check, 3, 20);
        talk.maybe_idle(0.015);
        talk.say_visitor(&found, 3, 15);
        if k % 17 == 16 {
            let aside = talk.agent_picks(ASIDES);
            talk.say_agent(aside, 2, 10);
        } else if k % 23 == 22 {
            let sigh = talk.visitor_picks(SIGHS);
            talk.say_visitor(sigh, 2, 10);
        }
    }
}
