//! A scorecard as the `v` of a `score` record: `{"rubric", "items", "max", "comment"}`.
//!
//! The record carries each points criterion's maximum as well as the values, so a scorecard
//! keeps its score when the rubric file is edited later, and a reader needs no rubric to merge.
//! Anything else in a record (a value above its maximum, an id no rubric could have) makes the
//! record damaged: it is reported and ignored, like a bad checksum.

use crate::model::score::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The criteria one scorecard may hold: more is not a rubric, it is an attack on memory.
pub const MAX_ITEMS: usize = 200;

/// A scorecard's content, without who and when (the record has those).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub rubric: String,
    pub items: BTreeMap<String, Option<Value>>,
    pub max: BTreeMap<String, u32>,
    pub comment: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    rubric: String,
    items: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    max: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

/// Why `id` cannot be a criterion id (`[a-z0-9-]+`, at most 64 characters).
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "bad criterion id {:?}: use a-z, 0-9 and -, at most 64 characters",
            crate::sanitize::line(id)
        ))
    }
}

/// The value as JSON: a number, `"pass"`, `"fail"`, or `null` for N/A.
pub fn value_json(v: Option<Value>) -> serde_json::Value {
    match v {
        None => serde_json::Value::Null,
        Some(Value::Points(p)) => p.into(),
        Some(Value::Pass) => "pass".into(),
        Some(Value::Fail) => "fail".into(),
    }
}

/// The card as a record's value.
pub fn encode(card: &Card) -> String {
    let wire = Wire {
        rubric: card.rubric.clone(),
        items: card
            .items
            .iter()
            .map(|(k, v)| (k.clone(), value_json(*v)))
            .collect(),
        max: card.max.clone(),
        comment: card.comment.clone(),
    };
    serde_json::to_string(&wire).unwrap_or_default()
}

/// A record's value as a card; the error says what is wrong.
pub fn decode(v: &str) -> Result<Card, String> {
    let wire: Wire = serde_json::from_str(v).map_err(|e| e.to_string())?;
    super::check_name("rubric", &wire.rubric)?;
    if wire.items.len() > MAX_ITEMS || wire.max.len() > MAX_ITEMS {
        return Err(format!("more than {MAX_ITEMS} criteria"));
    }
    let mut items = BTreeMap::new();
    for (id, value) in wire.items {
        check_id(&id)?;
        let value = match &value {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) if s == "pass" => Some(Value::Pass),
            serde_json::Value::String(s) if s == "fail" => Some(Value::Fail),
            serde_json::Value::Number(n) => {
                let max = wire
                    .max
                    .get(&id)
                    .copied()
                    .ok_or(format!("{id}: no maximum"))?;
                match n.as_u64().and_then(|p| u32::try_from(p).ok()) {
                    Some(p) if p <= max => Some(Value::Points(p)),
                    _ => return Err(format!("{id}: {n} is not within 0..={max}")),
                }
            }
            other => return Err(format!("{id}: bad value {other}")),
        };
        items.insert(id, value);
    }
    Ok(Card {
        rubric: wire.rubric,
        items,
        max: wire.max,
        comment: wire.comment.filter(|c| !c.trim().is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_reads_back_and_bad_ones_are_refused() {
        let card = Card {
            rubric: "qa".into(),
            items: [
                ("greeting".to_string(), Some(Value::Points(2))),
                ("no-card".to_string(), Some(Value::Pass)),
                ("empathy".to_string(), None),
            ]
            .into_iter()
            .collect(),
            max: [("greeting".to_string(), 2), ("empathy".to_string(), 1)]
                .into_iter()
                .collect(),
            comment: Some("good".into()),
        };
        assert_eq!(decode(&encode(&card)), Ok(card));
        for bad in [
            r#"{"rubric":"qa","items":{"a":3},"max":{"a":2}}"#,
            r#"{"rubric":"qa","items":{"a":1}}"#,
            r#"{"rubric":"qa","items":{"a":-1},"max":{"a":2}}"#,
            r#"{"rubric":"qa","items":{"a":"maybe"}}"#,
            r#"{"rubric":"qa","items":{"A B":null}}"#,
            r#"{"rubric":"../x","items":{}}"#,
            r#"{"rubric":"qa","items":{},"extra":1}"#,
            "not json",
        ] {
            assert!(decode(bad).is_err(), "{bad}");
        }
    }
}
