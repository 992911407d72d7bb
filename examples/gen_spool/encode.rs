//! Bytes of a body: the top-level envelope in the vendor's field order, serialised compact or
//! pretty, with an optional byte order mark and CRLF line ends.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::variants::Json;

/// The top level of a webhook body; fields in the vendor's order (`event`, `visitor`, `chat`).
#[derive(Serialize)]
pub struct Envelope<'a> {
    pub event: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visitor: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat: Option<&'a Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Serialise `value` as the chosen JSON form, with optional BOM and CRLF, appending to `out`.
pub fn encode<T: Serialize>(value: &T, form: Json, bom: bool, crlf: bool, out: &mut Vec<u8>) {
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let start = out.len();
    let res = match form {
        Json::Compact => serde_json::to_writer(&mut *out, value),
        Json::Pretty2 => serde_json::to_writer_pretty(&mut *out, value),
        Json::Pretty4 => {
            let f = serde_json::ser::PrettyFormatter::with_indent(b"    ");
            value.serialize(&mut serde_json::Serializer::with_formatter(&mut *out, f))
        }
    };
    res.expect("serialising to memory cannot fail");
    out.push(b'\n');
    if crlf {
        // JSON strings escape their newlines, so every raw LF here sits between tokens.
        let body: Vec<u8> = out.split_off(start);
        for b in body {
            if b == b'\n' {
                out.push(b'\r');
            }
            out.push(b);
        }
    }
}
