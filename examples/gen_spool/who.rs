//! Who the visitor is: a name, a place that fits the name, and the language they write in,
//! which is the place's when a script exists for it and the visitor is one to use it.

use crate::chat::{Recipe, Shape};
use crate::lang::{self, Script};
use crate::names::{self, Place};
use crate::rng::Rng;

pub struct Who {
    /// The visitor's name as the payload gives it; empty when none was collected.
    pub name: String,
    pub place: &'static Place,
    pub ip: String,
    /// How the agent addresses them: a first name, a full name in other scripts, or "there".
    pub address: String,
    /// Their own language, when they write in it (else English).
    pub script: Option<&'static Script>,
    /// Ends some messages with an emoji (a visitor whose very name has one).
    pub emoji: bool,
}

impl Who {
    pub fn draw(rng: &mut Rng, recipe: &Recipe, shape: Shape) -> Who {
        let (name, home): (String, &str) = match (recipe.visitor, shape) {
            (Some(v), _) => (v.to_string(), names::home_of(v)),
            (None, Shape::Anonymous | Shape::IpVisitor) => (String::new(), ""),
            (None, Shape::Hostile) => (rng.pick(names::HOSTILE_VISITORS).to_string(), "en"),
            (None, Shape::Intl) => {
                let (n, home) = *rng.pick(names::INTL_VISITORS);
                (n.to_string(), home)
            }
            _ => {
                let (n, home) = *rng.pick(names::VISITORS);
                (n.to_string(), home)
            }
        };
        let place = names::place_for(rng, home, home.is_empty());
        let ip = format!("{}.{}.{}", place.ip, rng.below(256), rng.below(255) + 1);
        let name = if shape == Shape::IpVisitor && recipe.visitor.is_none() {
            ip.clone()
        } else {
            name
        };
        let native = names::INTL_VISITORS.iter().any(|(n, _)| *n == name);
        let own_words = matches!(shape, Shape::Normal | Shape::Intl | Shape::Missed);
        let script = lang::script_for(place.lang)
            .filter(|_| own_words && home != "en" && !home.is_empty())
            .filter(|_| native || rng.chance(0.4));
        let plain = !name.is_empty() && name != ip && shape != Shape::Hostile;
        // People are addressed by first name, except in scripts where that would be rude or
        // odd (Chinese, Japanese, Korean, Arabic, Hebrew names are kept whole).
        let whole = name.chars().any(|c| matches!(c as u32, 0x0590..=0x06FF | 0x1100..=0x11FF | 0x3040..=0x9FFF | 0xAC00..=0xD7AF));
        let first = name
            .split_whitespace()
            .find(|w| w.chars().any(char::is_alphabetic));
        let address = match first {
            Some(_) if plain && whole => name.clone(),
            Some(first) if plain => first.to_string(),
            _ => "there".to_string(),
        };
        let emoji = name.chars().any(|c| c as u32 >= 0x1F300);
        Who {
            name,
            place,
            ip,
            address,
            script,
            emoji,
        }
    }
}
