//! `wasmcloud:keyvalue`: an in-memory store with Redis-like semantics (strings, lists, sets,
//! expiry), optionally persisted to a JSON file so state survives between debug sessions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::msgpack::{decode, encode};

pub(super) const CONTRACT: &str = "wasmcloud:keyvalue";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Value {
    String(String),
    List(Vec<String>),
    Set(BTreeSet<String>),
    /// A value a component (`wasi:keyvalue`) set that is not UTF-8 text.
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    value: Value,
    /// Seconds since the Unix epoch after which the entry is gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
}

#[derive(Debug, Default)]
pub struct KeyValue {
    entries: BTreeMap<String, Entry>,
    file: Option<PathBuf>,
}

#[derive(Deserialize)]
struct KeyArgs {
    key: String,
}
#[derive(Deserialize)]
struct KeysArgs {
    keys: Vec<String>,
}
#[derive(Deserialize)]
struct AddArgs {
    key: String,
    value: i32,
}
#[derive(Deserialize)]
struct SetArgs {
    key: String,
    value: String,
    #[serde(default)]
    expires: i32,
}
#[derive(Deserialize)]
struct ItemArgs {
    key: String,
    value: String,
}
#[derive(Deserialize)]
struct RangeArgs {
    key: String,
    start: i32,
    stop: i32,
}

#[derive(Serialize)]
struct GetResponse {
    value: String,
    exists: bool,
}
#[derive(Serialize)]
struct ValueResponse<T> {
    value: T,
}
#[derive(Serialize)]
struct KeyResponse {
    key: String,
}
#[derive(Serialize)]
struct ValuesResponse {
    values: Vec<String>,
}
#[derive(Serialize)]
struct ListResponse {
    #[serde(rename = "newCount")]
    new_count: i32,
}
#[derive(Serialize)]
struct SetOperationResponse {
    new_count: i32,
}

/// One store for every actor of a run that is linked to key-value (the actors of a manifest
/// share their provider, as a wasmCloud lattice's actors share theirs).
#[derive(Debug, Clone, Default)]
pub struct SharedKeyValue(Arc<Mutex<KeyValue>>);

impl SharedKeyValue {
    /// Kept in `file` when one is given, else in memory.
    pub fn open(file: Option<&Path>) -> anyhow::Result<Self> {
        let store = match file {
            Some(file) => KeyValue::persisted(file.to_path_buf())?,
            None => KeyValue::default(),
        };
        Ok(SharedKeyValue(Arc::new(Mutex::new(store))))
    }

    pub fn lock(&self) -> MutexGuard<'_, KeyValue> {
        // A panic while holding the lock leaves the entries as they were: keep serving them.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl KeyValue {
    /// A store kept in `file` (JSON), loaded now and written after every change.
    pub fn persisted(file: PathBuf) -> anyhow::Result<Self> {
        let entries = match std::fs::read_to_string(&file) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("`{}` is not a wasmscope key-value file: {e}", file.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(anyhow::anyhow!("cannot read `{}`: {e}", file.display())),
        };
        Ok(KeyValue {
            entries,
            file: Some(file),
        })
    }

    pub fn call(&mut self, operation: &str, payload: &[u8]) -> Result<Vec<u8>, String> {
        self.expire();
        let (response, changed) = self.dispatch(operation, payload)?;
        if changed {
            self.save()?;
        }
        Ok(response)
    }

    fn dispatch(&mut self, operation: &str, payload: &[u8]) -> Result<(Vec<u8>, bool), String> {
        let read = |r: Result<Vec<u8>, String>| r.map(|bytes| (bytes, false));
        let write = |r: Result<Vec<u8>, String>| r.map(|bytes| (bytes, true));
        match operation {
            "Get" | "KeyExists" => {
                let args: KeyArgs = decode(operation, payload)?;
                let response = match self.entries.get(&args.key).map(|e| &e.value) {
                    Some(Value::String(value)) => GetResponse {
                        value: value.clone(),
                        exists: true,
                    },
                    Some(_) => return Err(wrong_type(&args.key)),
                    None => GetResponse {
                        value: String::new(),
                        exists: false,
                    },
                };
                read(encode(&response))
            }
            "Add" => {
                let args: AddArgs = decode(operation, payload)?;
                let current = match self.entries.get(&args.key).map(|e| &e.value) {
                    Some(Value::String(text)) => text
                        .parse::<i32>()
                        .map_err(|_| format!("the value of `{}` is not an integer", args.key))?,
                    Some(_) => return Err(wrong_type(&args.key)),
                    None => 0,
                };
                let value = current
                    .checked_add(args.value)
                    .ok_or_else(|| format!("adding {} to `{}` overflows", args.value, args.key))?;
                self.put(args.key, Value::String(value.to_string()), None);
                write(encode(&ValueResponse { value }))
            }
            "Set" => {
                let args: SetArgs = decode(operation, payload)?;
                let expires_at = (args.expires > 0).then(|| now() + args.expires as u64);
                self.put(args.key, Value::String(args.value.clone()), expires_at);
                write(encode(&ValueResponse { value: args.value }))
            }
            "Del" | "Clear" => {
                let args: KeyArgs = decode(operation, payload)?;
                self.entries.remove(&args.key);
                write(encode(&KeyResponse { key: args.key }))
            }
            "Range" => {
                let args: RangeArgs = decode(operation, payload)?;
                let list = self.list(&args.key)?;
                read(encode(&ValuesResponse {
                    values: range(list, args.start, args.stop),
                }))
            }
            "Push" => {
                let args: ItemArgs = decode(operation, payload)?;
                let list = self.list_mut(&args.key)?;
                list.push(args.value);
                let new_count = list.len() as i32;
                write(encode(&ListResponse { new_count }))
            }
            "ListItemDelete" => {
                let args: ItemArgs = decode(operation, payload)?;
                let list = self.list_mut(&args.key)?;
                list.retain(|item| *item != args.value);
                let new_count = list.len() as i32;
                write(encode(&ListResponse { new_count }))
            }
            "SetAdd" | "SetRemove" => {
                let args: ItemArgs = decode(operation, payload)?;
                let set = self.set_mut(&args.key)?;
                if operation == "SetAdd" {
                    set.insert(args.value);
                } else {
                    set.remove(&args.value);
                }
                let new_count = set.len() as i32;
                write(encode(&SetOperationResponse { new_count }))
            }
            "SetQuery" => {
                let args: KeyArgs = decode(operation, payload)?;
                let values = self.set(&args.key)?.iter().cloned().collect();
                read(encode(&ValuesResponse { values }))
            }
            "SetUnion" | "SetIntersection" => {
                let args: KeysArgs = decode(operation, payload)?;
                let mut sets = Vec::new();
                for key in &args.keys {
                    sets.push(self.set(key)?);
                }
                let values: BTreeSet<String> = if operation == "SetUnion" {
                    sets.iter().flat_map(|s| s.iter().cloned()).collect()
                } else {
                    match sets.split_first() {
                        Some((first, rest)) => first
                            .iter()
                            .filter(|v| rest.iter().all(|s| s.contains(*v)))
                            .cloned()
                            .collect(),
                        None => BTreeSet::new(),
                    }
                };
                read(encode(&ValuesResponse {
                    values: values.into_iter().collect(),
                }))
            }
            other => Err(format!("`{CONTRACT}` has no operation `{other}`")),
        }
    }

    fn put(&mut self, key: String, value: Value, expires_at: Option<u64>) {
        self.entries.insert(key, Entry { value, expires_at });
    }

    fn list(&self, key: &str) -> Result<Vec<String>, String> {
        match self.entries.get(key).map(|e| &e.value) {
            Some(Value::List(list)) => Ok(list.clone()),
            Some(_) => Err(wrong_type(key)),
            None => Ok(Vec::new()),
        }
    }

    fn list_mut(&mut self, key: &str) -> Result<&mut Vec<String>, String> {
        let entry = self.entries.entry(key.to_string()).or_insert(Entry {
            value: Value::List(Vec::new()),
            expires_at: None,
        });
        match &mut entry.value {
            Value::List(list) => Ok(list),
            _ => Err(wrong_type(key)),
        }
    }

    fn set(&self, key: &str) -> Result<BTreeSet<String>, String> {
        match self.entries.get(key).map(|e| &e.value) {
            Some(Value::Set(set)) => Ok(set.clone()),
            Some(_) => Err(wrong_type(key)),
            None => Ok(BTreeSet::new()),
        }
    }

    fn set_mut(&mut self, key: &str) -> Result<&mut BTreeSet<String>, String> {
        let entry = self.entries.entry(key.to_string()).or_insert(Entry {
            value: Value::Set(BTreeSet::new()),
            expires_at: None,
        });
        match &mut entry.value {
            Value::Set(set) => Ok(set),
            _ => Err(wrong_type(key)),
        }
    }

    fn expire(&mut self) {
        let now = now();
        self.entries.retain(|_, e| e.expires_at.is_none_or(|at| at > now));
    }

    fn save(&self) -> Result<(), String> {
        let Some(file) = &self.file else { return Ok(()) };
        let text = serde_json::to_string_pretty(&self.entries).map_err(|e| e.to_string())?;
        std::fs::write(file, text).map_err(|e| format!("cannot write the key-value file `{}`: {e}", file.display()))
    }
}

/// The byte-valued view components use (`wasi:keyvalue`): the same entries and file as the
/// waPC operations, so UTF-8 values are the strings `Get` and `Set` see. Every change is saved
/// at once, as `call` does.
impl KeyValue {
    /// The value of `key`; `None` when it is not there. A list or set is an error.
    pub fn get_bytes(&mut self, key: &str) -> Result<Option<Vec<u8>>, String> {
        self.expire();
        match self.entries.get(key).map(|e| &e.value) {
            Some(Value::String(text)) => Ok(Some(text.clone().into_bytes())),
            Some(Value::Bytes(bytes)) => Ok(Some(bytes.clone())),
            Some(_) => Err(wrong_type(key)),
            None => Ok(None),
        }
    }

    pub fn set_bytes(&mut self, key: &str, value: Vec<u8>) -> Result<(), String> {
        self.expire();
        let value = match String::from_utf8(value) {
            Ok(text) => Value::String(text),
            Err(e) => Value::Bytes(e.into_bytes()),
        };
        self.put(key.to_string(), value, None);
        self.save()
    }

    pub fn delete(&mut self, key: &str) -> Result<(), String> {
        self.expire();
        if self.entries.remove(key).is_some() {
            self.save()?;
        }
        Ok(())
    }

    pub fn exists(&mut self, key: &str) -> bool {
        self.expire();
        self.entries.contains_key(key)
    }

    /// Every key, in order.
    pub fn keys(&mut self) -> Vec<String> {
        self.expire();
        self.entries.keys().cloned().collect()
    }

    /// Adds `delta` to the unsigned integer text at `key` (0 when absent); returns the sum.
    pub fn increment(&mut self, key: &str, delta: u64) -> Result<u64, String> {
        self.expire();
        let current = match self.entries.get(key).map(|e| &e.value) {
            Some(Value::String(text)) => text
                .parse::<u64>()
                .map_err(|_| format!("the value of `{key}` is not an unsigned integer"))?,
            Some(_) => return Err(wrong_type(key)),
            None => 0,
        };
        let value = current
            .checked_add(delta)
            .ok_or_else(|| format!("adding {delta} to `{key}` overflows"))?;
        self.put(key.to_string(), Value::String(value.to_string()), None);
        self.save()?;
        Ok(value)
    }
}

fn wrong_type(key: &str) -> String {
    format!("the value of `{key}` is of another kind (string, list or set) than this operation needs")
}

/// Redis' LRANGE: inclusive bounds, negative ones count from the end.
fn range(list: Vec<String>, start: i32, stop: i32) -> Vec<String> {
    let len = list.len() as i64;
    let index = |i: i32| if i < 0 { len + i as i64 } else { i as i64 };
    let (start, stop) = (index(start).max(0), index(stop).min(len - 1));
    if start > stop {
        return Vec::new();
    }
    list[start as usize..=stop as usize].to_vec()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use super::*;

    fn call(kv: &mut KeyValue, operation: &str, args: Json) -> Result<Json, String> {
        let payload = rmp_serde::to_vec_named(&args).unwrap();
        kv.call(operation, &payload)
            .map(|bytes| rmp_serde::from_slice(&bytes).unwrap())
    }

    #[test]
    fn strings_counters_lists_and_sets() {
        let mut kv = KeyValue::default();
        assert_eq!(
            call(&mut kv, "Get", json!({"key": "a"})),
            Ok(json!({"value": "", "exists": false}))
        );
        assert_eq!(
            call(&mut kv, "Add", json!({"key": "n", "value": 2})),
            Ok(json!({"value": 2}))
        );
        assert_eq!(
            call(&mut kv, "Add", json!({"key": "n", "value": 5})),
            Ok(json!({"value": 7}))
        );
        assert_eq!(
            call(&mut kv, "Set", json!({"key": "a", "value": "x", "expires": 0})),
            Ok(json!({"value": "x"}))
        );
        assert_eq!(
            call(&mut kv, "KeyExists", json!({"key": "a"})),
            Ok(json!({"value": "x", "exists": true}))
        );
        assert_eq!(
            call(&mut kv, "Push", json!({"key": "l", "value": "1"})),
            Ok(json!({"newCount": 1}))
        );
        call(&mut kv, "Push", json!({"key": "l", "value": "2"})).unwrap();
        call(&mut kv, "Push", json!({"key": "l", "value": "3"})).unwrap();
        assert_eq!(
            call(&mut kv, "Range", json!({"key": "l", "start": 1, "stop": -1})),
            Ok(json!({"values": ["2", "3"]}))
        );
        assert_eq!(
            call(&mut kv, "ListItemDelete", json!({"key": "l", "value": "2"})),
            Ok(json!({"newCount": 2}))
        );
        call(&mut kv, "SetAdd", json!({"key": "s", "value": "b"})).unwrap();
        assert_eq!(
            call(&mut kv, "SetAdd", json!({"key": "s", "value": "a"})),
            Ok(json!({"new_count": 2}))
        );
        call(&mut kv, "SetAdd", json!({"key": "t", "value": "a"})).unwrap();
        assert_eq!(
            call(&mut kv, "SetIntersection", json!({"keys": ["s", "t"]})),
            Ok(json!({"values": ["a"]}))
        );
        assert_eq!(
            call(&mut kv, "SetUnion", json!({"keys": ["s", "t"]})),
            Ok(json!({"values": ["a", "b"]}))
        );
        assert_eq!(call(&mut kv, "Del", json!({"key": "a"})), Ok(json!({"key": "a"})));
        assert_eq!(
            call(&mut kv, "Get", json!({"key": "a"})),
            Ok(json!({"value": "", "exists": false}))
        );
    }

    #[test]
    fn errors_name_the_problem() {
        let mut kv = KeyValue::default();
        call(&mut kv, "Push", json!({"key": "l", "value": "1"})).unwrap();
        assert_eq!(
            call(&mut kv, "Add", json!({"key": "l", "value": 1})),
            Err("the value of `l` is of another kind (string, list or set) than this operation needs".into())
        );
        let error = kv.call("Get", b"\xc1").unwrap_err();
        assert!(error.starts_with("malformed payload for `Get`: "), "{error}");
        assert_eq!(
            call(&mut kv, "Frobnicate", json!({})),
            Err("`wasmcloud:keyvalue` has no operation `Frobnicate`".into())
        );
    }

    #[test]
    fn a_persisted_store_survives_a_restart() {
        let file = std::env::temp_dir().join(format!("wasmscope-kv-{}.json", std::process::id()));
        let _ = std::fs::remove_file(&file);
        let mut kv = KeyValue::persisted(file.clone()).unwrap();
        call(&mut kv, "Add", json!({"key": "visits", "value": 3})).unwrap();
        let mut again = KeyValue::persisted(file.clone()).unwrap();
        assert_eq!(
            call(&mut again, "Get", json!({"key": "visits"})),
            Ok(json!({"value": "3", "exists": true}))
        );
        std::fs::write(&file, "not json").unwrap();
        let error = KeyValue::persisted(file.clone()).unwrap_err().to_string();
        assert!(error.contains("is not a wasmscope key-value file"), "{error}");
        std::fs::remove_file(&file).unwrap();
    }

    #[test]
    fn components_see_the_strings_actors_set() {
        let mut kv = KeyValue::default();
        call(&mut kv, "Set", json!({"key": "a", "value": "x", "expires": 0})).unwrap();
        assert_eq!(kv.get_bytes("a"), Ok(Some(b"x".to_vec())));
        assert_eq!(kv.increment("n", 2), Ok(2));
        assert_eq!(kv.increment("n", 3), Ok(5));
        assert_eq!(
            call(&mut kv, "Get", json!({"key": "n"})),
            Ok(json!({"value": "5", "exists": true}))
        );
        kv.set_bytes("raw", vec![0xff, 0]).unwrap();
        assert_eq!(kv.get_bytes("raw"), Ok(Some(vec![0xff, 0])));
        assert_eq!(
            kv.increment("a", 1),
            Err("the value of `a` is not an unsigned integer".into())
        );
        kv.delete("a").unwrap();
        assert!(!kv.exists("a"));
        assert_eq!(kv.keys(), ["n", "raw"]);
    }
}
