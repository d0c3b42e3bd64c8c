//! An invocation of an actor operation: its payload as the user wrote it (text, JSON, msgpack
//! from JSON, base64) and its outcome, decoded for display.

use std::fmt;
use std::str::FromStr;

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

/// How a payload is written in a launch configuration or on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayloadFormat {
    /// UTF-8 text, passed as its bytes.
    #[default]
    Text,
    /// JSON, passed as its text.
    Json,
    /// JSON, encoded as msgpack with field names (as wasmCloud 0.x interfaces encode).
    Msgpack,
    /// Raw bytes in base64.
    Base64,
}

impl FromStr for PayloadFormat {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<PayloadFormat> {
        Ok(match s {
            "text" => PayloadFormat::Text,
            "json" => PayloadFormat::Json,
            "msgpack" => PayloadFormat::Msgpack,
            "base64" => PayloadFormat::Base64,
            other => bail!("unknown payload format `{other}` (expected text, json, msgpack or base64)"),
        })
    }
}

/// One call of an actor operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub operation: String,
    pub payload: Vec<u8>,
}

impl Invocation {
    /// An invocation whose payload is written in `format`.
    pub fn new(operation: &str, format: PayloadFormat, payload: &str) -> Result<Invocation> {
        if operation.is_empty() {
            bail!("an invocation needs an operation name");
        }
        let payload = match format {
            PayloadFormat::Text => payload.as_bytes().to_vec(),
            PayloadFormat::Json => {
                serde_json::from_str::<serde_json::Value>(payload)
                    .with_context(|| format!("the payload of `{operation}` is not valid JSON"))?;
                payload.as_bytes().to_vec()
            }
            PayloadFormat::Msgpack => {
                let value = serde_json::from_str::<serde_json::Value>(payload)
                    .with_context(|| format!("the payload of `{operation}` is not valid JSON"))?;
                rmp_serde::to_vec_named(&value)?
            }
            PayloadFormat::Base64 => BASE64
                .decode(payload.trim())
                .with_context(|| format!("the payload of `{operation}` is not valid base64"))?,
        };
        Ok(Invocation {
            operation: operation.to_string(),
            payload,
        })
    }

    /// The command line's `OP=TEXT`, or `OP@FORMAT=PAYLOAD` with FORMAT one of text, json,
    /// msgpack, base64; `OP` alone has an empty payload.
    pub fn from_spec(spec: &str) -> Result<Invocation> {
        let (head, payload) = spec.split_once('=').unwrap_or((spec, ""));
        let (operation, format) = match head.split_once('@') {
            Some((operation, format)) => (operation, format.parse()?),
            None => (head, PayloadFormat::Text),
        };
        Invocation::new(operation, format, payload)
    }
}

/// How an invocation ended, as its caller sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The guest's response bytes.
    Response(Vec<u8>),
    /// The guest's error, a host error, or a trap, as text.
    Error(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Response(bytes) => f.write_str(&describe_response(bytes)),
            Outcome::Error(message) => write!(f, "error: {message}"),
        }
    }
}

/// Response bytes for a reader: text as it is, msgpack as JSON, anything else as base64.
pub fn describe_response(bytes: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(bytes)
        && !text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return text.to_string();
    }
    let mut reader = bytes;
    if let Ok(value) = rmpv::decode::read_value(&mut reader)
        && reader.is_empty()
    {
        return format!("msgpack {}", to_json(value));
    }
    format!("base64 {}", BASE64.encode(bytes))
}

/// A msgpack value as JSON: binary as its text when it is UTF-8 (an HTTP body, say), else as
/// base64; map keys that are not strings as their JSON text.
fn to_json(value: rmpv::Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        rmpv::Value::Nil => Json::Null,
        rmpv::Value::Boolean(b) => Json::Bool(b),
        rmpv::Value::Integer(i) => match (i.as_i64(), i.as_u64()) {
            (Some(n), _) => n.into(),
            (None, Some(n)) => n.into(),
            (None, None) => Json::Null,
        },
        rmpv::Value::F32(f) => serde_json::Number::from_f64(f.into()).map_or(Json::Null, Json::Number),
        rmpv::Value::F64(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
        rmpv::Value::String(s) => match s.into_str() {
            Some(s) => Json::String(s),
            None => Json::Null,
        },
        rmpv::Value::Binary(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Json::String(text),
            Err(e) => Json::String(format!("base64:{}", BASE64.encode(e.as_bytes()))),
        },
        rmpv::Value::Array(items) => Json::Array(items.into_iter().map(to_json).collect()),
        rmpv::Value::Map(entries) => Json::Object(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = match to_json(k) {
                        Json::String(s) => s,
                        other => other.to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        rmpv::Value::Ext(kind, bytes) => Json::String(format!("ext {kind}: base64:{}", BASE64.encode(bytes))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_in_every_format() {
        let text = Invocation::from_spec("Greet=wasm world").unwrap();
        assert_eq!(
            (text.operation.as_str(), text.payload.as_slice()),
            ("Greet", &b"wasm world"[..])
        );
        let json = Invocation::from_spec(r#"Put@json={"a": 1}"#).unwrap();
        assert_eq!(json.payload, br#"{"a": 1}"#);
        let msgpack = Invocation::from_spec(r#"Count@msgpack={"key":"k","by":2}"#).unwrap();
        // fixmap(2) "by" 2 "key" "k" (serde_json keeps keys sorted; decoders go by name)
        assert_eq!(msgpack.payload, b"\x82\xa2by\x02\xa3key\xa1k");
        let raw = Invocation::from_spec("Raw@base64=AAEC").unwrap();
        assert_eq!(raw.payload, [0, 1, 2]);
        assert_eq!(Invocation::from_spec("Ping").unwrap().payload, b"");
    }

    #[test]
    fn bad_payloads_say_what_is_wrong() {
        let error = |spec: &str| format!("{:#}", Invocation::from_spec(spec).unwrap_err());
        assert_eq!(
            error("Put@json={"),
            "the payload of `Put` is not valid JSON: EOF while parsing an object at line 1 column 1"
        );
        assert!(error("Raw@base64=!!").starts_with("the payload of `Raw` is not valid base64"));
        assert_eq!(
            error("Op@yaml=x"),
            "unknown payload format `yaml` (expected text, json, msgpack or base64)"
        );
        assert_eq!(error("=x"), "an invocation needs an operation name");
    }

    #[test]
    fn responses_are_decoded_for_display() {
        assert_eq!(describe_response(b"Hello, world!"), "Hello, world!");
        assert_eq!(describe_response(b"\x81\xa5value\x03"), r#"msgpack {"value":3}"#);
        assert_eq!(describe_response(&[0, 1, 2]), "base64 AAEC");
        // A truncated msgpack array is no msgpack.
        assert_eq!(describe_response(&[0x92, 0x01]), "base64 kgE=");
        // fixmap(1) "body" bin8(2) "hi": binary that is text shows as text.
        assert_eq!(describe_response(b"\x81\xa4body\xc4\x02hi"), r#"msgpack {"body":"hi"}"#);
        assert_eq!(Outcome::Error("boom".into()).to_string(), "error: boom");
    }
}
