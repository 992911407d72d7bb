//! Lenient leaf types: each accepts any JSON value and keeps what it can read.
//!
//! Comm100 payloads change a field's JSON type between versions (ids as GUID strings or integers,
//! status as a number or a numeric string, attachments as an object or an array). These wrappers
//! make such differences invisible to the rest of the parser and never produce an error themselves.

use super::super::time::{from_millis, parse_date_str};
use super::super::Agent;
use chrono::{DateTime, Utc};
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// Generates the scalar visitor methods that every lenient leaf shares: each scalar goes through
/// `$from_str` / `$from_i64` / `$from_f64`, containers are consumed and ignored.
macro_rules! lenient_visitor {
    ($name:ident, $out:ty, $what:literal, str => $s:expr, i64 => $i:expr, u64 => $u:expr, f64 => $f:expr, bool => $b:expr) => {
        struct $name;
        impl<'de> Visitor<'de> for $name {
            type Value = $out;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str($what)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<$out, E> {
                Ok(($s)(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<$out, E> {
                Ok(($i)(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<$out, E> {
                Ok(($u)(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<$out, E> {
                Ok(($f)(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<$out, E> {
                Ok(($b)(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<$out, E> {
                Ok(<$out>::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<$out, E> {
                Ok(<$out>::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<$out, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$out, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(<$out>::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$out, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(<$out>::default())
            }
        }
    };
}

/// Any scalar as text (numbers and booleans are written out); containers and null are absent.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LStr(pub Option<String>);

lenient_visitor!(LStrVisitor, LStr, "a string",
    str => |v: &str| LStr(Some(v.to_string())),
    i64 => |v: i64| LStr(Some(v.to_string())),
    u64 => |v: u64| LStr(Some(v.to_string())),
    f64 => |v: f64| LStr(Some(v.to_string())),
    bool => |v: bool| LStr(Some(v.to_string())));

impl<'de> Deserialize<'de> for LStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LStrVisitor)
    }
}

/// An integer given as a number or a numeric string.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LInt(pub Option<i64>);

fn int_from_f64(v: f64) -> Option<i64> {
    // Truncation is intended: counts and codes are whole numbers written as floats by some tools.
    #[allow(clippy::cast_possible_truncation)]
    (v.is_finite() && v.abs() < 9.0e15).then_some(v as i64)
}

lenient_visitor!(LIntVisitor, LInt, "an integer",
    str => |v: &str| {
        let t = v.trim();
        LInt(t.parse::<i64>().ok().or_else(|| t.parse::<f64>().ok().and_then(int_from_f64)))
    },
    i64 => |v: i64| LInt(Some(v)),
    u64 => |v: u64| LInt(i64::try_from(v).ok()),
    f64 => |v: f64| LInt(int_from_f64(v)),
    bool => |_| LInt(None));

impl<'de> Deserialize<'de> for LInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LIntVisitor)
    }
}

/// A date in any form docs/FORMAT.md lists; unreadable dates are absent.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LDate(pub Option<DateTime<Utc>>);

lenient_visitor!(LDateVisitor, LDate, "a date",
    str => |v: &str| LDate(parse_date_str(v)),
    i64 => |v: i64| LDate(from_millis(v)),
    u64 => |v: u64| LDate(i64::try_from(v).ok().and_then(from_millis)),
    f64 => |v: f64| LDate(int_from_f64(v).and_then(from_millis)),
    bool => |_| LDate(None));

impl<'de> Deserialize<'de> for LDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LDateVisitor)
    }
}

/// An object of type `T`, or absent when the value is anything else (null, a string, an array).
#[derive(Debug)]
pub struct Maybe<T>(pub Option<T>);

impl<T> Default for Maybe<T> {
    fn default() -> Self {
        Maybe(None)
    }
}

struct MaybeVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for MaybeVisitor<T> {
    type Value = Maybe<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Maybe<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|t| Maybe(Some(t)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Maybe<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Maybe(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Maybe<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_none<E: de::Error>(self) -> Result<Maybe<T>, E> {
        Ok(Maybe(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Maybe<T>, E> {
        Ok(Maybe(None))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Maybe<T>, E> {
        Ok(Maybe(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Maybe<T>, E> {
        Ok(Maybe(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Maybe<T>, E> {
        Ok(Maybe(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Maybe<T>, E> {
        Ok(Maybe(None))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Maybe<T>, E> {
        Ok(Maybe(None))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Maybe<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MaybeVisitor(PhantomData))
    }
}

/// Most items of one list (custom fields, attachments, …) kept per chat. Real chats have a
/// handful; a hostile file of 30 million tiny items would otherwise cost gigabytes. Items past
/// the cap are read (so the JSON is still checked) but not kept: only counted.
pub const MAX_ITEMS: usize = 1000;

/// Most agents kept per chat, for the same reason (and each name is matched in the transcript).
pub const MAX_AGENTS: usize = 100;

/// Zero or more objects: an array of them (non-objects skipped), one bare object, or nothing.
/// The second field counts the items left out past [`MAX_ITEMS`].
#[derive(Debug)]
pub struct Many<T>(pub Vec<T>, pub usize);

impl<T> Default for Many<T> {
    fn default() -> Self {
        Many(Vec::new(), 0)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Many<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Many<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array or an object")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Many<T>, A::Error> {
                let mut out = Vec::new();
                while out.len() < MAX_ITEMS {
                    match seq.next_element::<Maybe<T>>()? {
                        Some(item) => out.extend(item.0),
                        None => return Ok(Many(out, 0)),
                    }
                }
                Ok(Many(out, skip_rest(&mut seq)?))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Many<T>, A::Error> {
                Ok(Many(
                    vec![T::deserialize(MapAccessDeserializer::new(map))?],
                    0,
                ))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Many<T>, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_none<E: de::Error>(self) -> Result<Many<T>, E> {
                Ok(Many::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Many<T>, E> {
                Ok(Many::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Many<T>, E> {
                Ok(Many::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Many<T>, E> {
                Ok(Many::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Many<T>, E> {
                Ok(Many::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Many<T>, E> {
                Ok(Many::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Many<T>, E> {
                Ok(Many::default())
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Read the rest of a sequence without keeping it; how many elements there were.
fn skip_rest<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<usize, A::Error> {
    let mut n = 0;
    while seq.next_element::<IgnoredAny>()?.is_some() {
        n += 1;
    }
    Ok(n)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct OperatorP {
    display_name: LStr,
    name: LStr,
    email: LStr,
    id: LStr,
}

impl OperatorP {
    fn into_agent(self) -> Option<Agent> {
        let email = self.email.0.filter(|s| !s.trim().is_empty());
        let id = self.id.0.filter(|s| !s.trim().is_empty());
        let name = [self.display_name.0, self.name.0]
            .into_iter()
            .flatten()
            .map(|n| n.trim().to_string())
            .find(|n| !n.is_empty())
            .or_else(|| email.clone())?;
        Some(Agent { name, email, id })
    }
}

/// `operators`/`agents`: an array of `{display_name, email, id}` (or of plain names), one such
/// object, or one plain string of comma-separated names. At most [`MAX_AGENTS`] are kept; the
/// second field counts the ones left out.
#[derive(Debug, Default)]
pub struct Operators(pub Vec<Agent>, pub usize);

fn names_from_str(s: &str) -> Operators {
    let mut names = s.split(',').map(str::trim).filter(|n| !n.is_empty());
    let kept = names
        .by_ref()
        .take(MAX_AGENTS)
        .map(|n| Agent {
            name: n.to_string(),
            ..Agent::default()
        })
        .collect();
    Operators(kept, names.count())
}

/// One element of an operators array.
struct OperatorItem(Operators);

impl<'de> Deserialize<'de> for OperatorItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OperatorsVisitor).map(OperatorItem)
    }
}

struct OperatorsVisitor;

impl<'de> Visitor<'de> for OperatorsVisitor {
    type Value = Operators;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("operators")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Operators, E> {
        Ok(names_from_str(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Operators, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Operators, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Operators, E> {
        Ok(Operators::default())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Operators, E> {
        Ok(Operators::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Operators, E> {
        Ok(Operators::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<Operators, E> {
        Ok(Operators::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Operators, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Operators, A::Error> {
        let mut out = Operators::default();
        while out.0.len() < MAX_AGENTS {
            match seq.next_element::<OperatorItem>()? {
                Some(OperatorItem(item)) => out.add(item),
                None => return Ok(out),
            }
        }
        out.1 += skip_rest(&mut seq)?;
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Operators, A::Error> {
        let op = OperatorP::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Operators(op.into_agent().into_iter().collect(), 0))
    }
}

impl Operators {
    /// Append `more`, keeping at most [`MAX_AGENTS`] and counting the rest.
    pub fn add(&mut self, more: Operators) {
        let room = MAX_AGENTS.saturating_sub(self.0.len());
        self.1 += more.1 + more.0.len().saturating_sub(room);
        self.0.extend(more.0.into_iter().take(room));
    }
}

impl<'de> Deserialize<'de> for Operators {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OperatorsVisitor)
    }
}
