//! The fallback parse for a payload that repeats a key (valid JSON the typed pass refuses): a
//! `serde_json::Value` whose arrays keep at most [`MAX_ITEMS`] elements each. A full `Value` of a
//! 60 MB array of 30 million numbers takes about a gigabyte; cut, it takes kilobytes, so this
//! path is bounded like the typed one.

use super::lenient::MAX_ITEMS;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Parse `json` into a value with long arrays cut; also how many elements were left out.
pub fn parse(json: &[u8]) -> Result<(Value, usize), serde_json::Error> {
    let mut cut = 0;
    let mut d = serde_json::Deserializer::from_slice(json);
    let value = Seed(&mut cut).deserialize(&mut d)?;
    d.end()?;
    Ok((value, cut))
}

/// Builds one value, adding the elements it leaves out to the count.
struct Seed<'a>(&'a mut usize);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while out.len() < MAX_ITEMS {
            match seq.next_element_seed(Seed(&mut *self.0))? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {
            *self.0 += 1;
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // A repeated key replaces the earlier value, as JavaScript does.
            let value = map.next_value_seed(Seed(&mut *self.0))?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_cut_and_the_rest_counted() {
        let long = vec!["1"; MAX_ITEMS + 5].join(",");
        let json = format!(r#"{{"a":[{long}],"b":{{"c":[[{long}]]}},"a":[{long}]}}"#);
        let (v, cut) = parse(json.as_bytes()).unwrap();
        assert_eq!(v["a"].as_array().unwrap().len(), MAX_ITEMS);
        assert_eq!(v["b"]["c"][0].as_array().unwrap().len(), MAX_ITEMS);
        assert_eq!(cut, 15, "three arrays, five left out of each");
        assert!(
            parse(b"{} x").is_err(),
            "trailing characters are still an error"
        );
    }
}
