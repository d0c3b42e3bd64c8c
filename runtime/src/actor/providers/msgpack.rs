//! The msgpack encoding of wasmCloud 0.x interfaces: structs as maps with field names.

use serde::Serialize;
use serde::de::DeserializeOwned;

pub(super) fn decode<T: DeserializeOwned>(operation: &str, payload: &[u8]) -> Result<T, String> {
    rmp_serde::from_slice(payload).map_err(|e| format!("malformed payload for `{operation}`: {e}"))
}

pub(super) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    rmp_serde::to_vec_named(value).map_err(|e| format!("cannot encode the response: {e}"))
}
