//! What `--short` adds to a chat beyond its short talk: contact details that never repeat (every
//! visitor e-mail and phone is its own, as on a real site) and the custom data most real chats
//! carry, an order-number custom field and a `plan` custom variable, with varying values.

use crate::chat::ChatSpec;
use crate::rng::Rng;

const DOMAINS: [&str; 5] = [
    "gmail.example",
    "outlook.example",
    "mail.example",
    "yahoo.example",
    "proton.example",
];

const PLANS: [&str; 6] = ["Free", "Basic", "Pro", "Business", "Enterprise", "Trial"];
const TERMS: [&str; 3] = ["monthly", "annual", "2-year"];

/// `index` mapped one to one onto `0..modulus` (for `index < modulus`): multiplying by a number
/// prime to the modulus is a bijection, so the digits look drawn at random yet never repeat.
fn permute(index: u64, mult: u64, modulus: u64) -> u64 {
    (u128::from(index) * u128::from(mult) % u128::from(modulus)) as u64
}

/// Set the contact details and custom data of short chat `spec` (drawn from its own stream, so
/// the talk is the same with or without them).
pub fn personalise(spec: &mut ChatSpec, rng: &mut Rng) {
    let local = spec
        .name
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic()))
        .collect::<Vec<_>>()
        .join(".");
    let local = if local.is_empty() { "guest" } else { &local };
    // A fixed-width number after a dot: distinct numbers give distinct addresses whatever the
    // name (below 10^8 chats).
    let n = permute(spec.index, 48_271_003, 100_000_000);
    spec.email = if rng.chance(0.88) {
        format!("{local}.{n:08}@{}", rng.pick(&DOMAINS))
    } else {
        String::new()
    };
    let p = permute(spec.index, 7_919_000_003, 10_000_000_000);
    spec.phone = if rng.chance(0.65) {
        format!(
            "+1 {:03} {:03} {:04}",
            200 + p / 10_000_000 % 800,
            p / 10_000 % 1000,
            p % 10_000
        )
    } else {
        String::new()
    };
    spec.order = if rng.chance(0.8) {
        format!("A-{}", rng.range(1_000_000, 9_999_999))
    } else {
        String::new()
    };
    spec.plan = if rng.chance(0.85) {
        format!("{} ({})", rng.pick(&PLANS), rng.pick(&TERMS))
    } else {
        String::new()
    };
}
