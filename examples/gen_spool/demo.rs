//! `--demo`: a small spool that shows every feature at a glance (committed as
//! `assets/demo-spool/`). Dates are the last week of October 2026, fixed, never "now".

use std::io;

use crate::chat::{Recipe, Shape};
use crate::emit::{Gen, BASE_MS, DAY_MS};
use crate::extras;
use crate::names;
use crate::rng::Rng;

/// The vendor's own example payload, byte for byte.
const VENDOR_SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/variants/vendor-sample.json");
const VENDOR_START_MS: i64 = 1_584_415_801_019;

fn r(shape: Shape) -> Recipe {
    Recipe {
        shape: Some(shape),
        ..Recipe::default()
    }
}

fn with_agent(shape: Shape, agent: usize, rating: i64) -> Recipe {
    Recipe {
        shape: Some(shape),
        agent: Some(agent),
        rating: Some(rating),
        ..Recipe::default()
    }
}

fn waits(secs: i64) -> Recipe {
    Recipe {
        shape: Some(Shape::Normal),
        wait_secs: Some(secs),
        ..Recipe::default()
    }
}

fn visitor(shape: Shape, name: &'static str) -> Recipe {
    Recipe {
        shape: Some(shape),
        visitor: Some(name),
        ..Recipe::default()
    }
}

/// What each of the 39 generated chats shows (the vendor sample is the 40th).
fn recipes() -> Vec<Recipe> {
    let mut v = vec![
        with_agent(Shape::Normal, 0, 5),     // 0 Walid
        with_agent(Shape::Normal, 1, 4),     // 1 "PT: Jason"
        with_agent(Shape::Normal, 2, 3),     // 2 "Henry - Comm100"
        with_agent(Shape::MultiLine, 3, -1), // 3 "Francis - Comm100 ( Training )", multi-line
        with_agent(Shape::Transfer, 0, 2),   // 4 transfer; + chat_transferred, chat_wrapped_up
        r(Shape::BotThenAgent),              // 5
        r(Shape::BotOnly),                   // 6
        r(Shape::Missed),                    // 7 no agent
        with_agent(Shape::Normal, 4, 5),     // 8 across midnight UTC
        with_agent(Shape::Long, 5, 1),       // 9 ~200 messages
        visitor(Shape::Hostile, "\u{1b}]0;pwned\u{7}Mallory\u{202e}"), // 10
        visitor(Shape::Intl, "王小明"),      // 11
        visitor(Shape::Intl, "🦀 Ferris"),   // 12
        visitor(Shape::Intl, "محمد الأحمد"),  // 13
        visitor(Shape::Intl, "יעל כהן"),     // 14
        r(Shape::Anonymous),                 // 15
        r(Shape::IpVisitor),                 // 16
        with_agent(Shape::Normal, 6, 4),     // 17 retried: earlier copy + complete
        waits(65),                           // 18 "1m 5s"
        waits(3723),                         // 19 "1h 2m 3s"
        waits(10),                           // 20 "10s"; then the broken file
    ];
    // 21..=38 ordinary chats; 35 is gzipped, 36..=38 share one JSON Lines file.
    v.resize(39, r(Shape::Normal));
    v
}

/// Business hours on one of the seven days before 2026-11-01, except the midnight chat.
fn start_of(j: usize, rng: &mut Rng) -> i64 {
    if j == 8 {
        return BASE_MS - 140_250; // 2026-10-31T23:57:39.750Z
    }
    let day = BASE_MS - DAY_MS * (7 - (j as i64 % 7));
    day + rng.range(8 * 3_600_000, 20 * 3_600_000)
}

pub fn demo(g: &mut Gen) -> io::Result<()> {
    let dir = g.out.dir(VENDOR_START_MS)?;
    g.out
        .write(&dir, "vendor-sample.json", VENDOR_SAMPLE, false)?;
    g.out.chats(1);
    let mut jsonl = Vec::new();
    for (j, recipe) in recipes().iter().enumerate() {
        let mut rng = Rng::for_item(g.o.seed, 9, j as u64);
        let mut recipe = recipe.clone();
        if recipe.visitor.is_none() && matches!(recipe.shape, Some(Shape::Normal | Shape::Transfer))
        {
            // Distinct names read better in a demo than the random draw's repeats.
            recipe.visitor = Some(names::VISITORS[1 + j % (names::VISITORS.len() - 1)].0);
        }
        // Every topic a few times, rather than what a random draw happens to repeat.
        recipe.topic = Some(j * 5 % crate::topic_texts::TOPICS.len());
        let (spec, v) = g.make(j as u64, start_of(j, &mut rng), &recipe);
        let dir = g.out.dir(spec.start_ms)?;
        match j {
            36..=38 => {
                jsonl.push((spec, v));
                if j == 38 {
                    let dir = g.out.dir(jsonl[0].0.start_ms)?;
                    g.jsonl(&dir, "batch-demo.jsonl", &jsonl, false)?;
                }
                continue;
            }
            35 => {
                g.chat_file(&dir, &spec, &v, true)?;
            }
            17 => {
                let main = g.chat_file(&dir, &spec, &v, false)?;
                g.retries(&dir, &spec, &v, 1, true, main)?;
            }
            4 => {
                g.chat_file(&dir, &spec, &v, false)?;
                for kind in ["chat_transferred", "chat_wrapped_up"] {
                    g.event(&dir, &format!("{}.{kind}.json", spec.id), kind, &spec, &v)?;
                }
            }
            _ => {
                g.chat_file(&dir, &spec, &v, false)?;
            }
        }
        if j == 20 {
            let mut buf = Vec::new();
            let (spare, _) = g.make(1000, spec.start_ms + 5_000, &Recipe::default());
            extras::broken("truncated", &spare, &mut buf);
            let path = g.out.write(&dir, "broken-truncated.json", &buf, false)?;
            g.out.problem(path, "truncated");
        }
    }
    Ok(())
}
