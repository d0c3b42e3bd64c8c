//! `wasi:config/store`: the launch's configuration (`--config KEY=VALUE`, a launch's
//! `config`), read-only. The values live in the
//! linker's functions, not the store: they are fixed for the program's life.

use std::sync::Arc;

use anyhow::Result;
use wasmtime::StoreContextMut;
use wasmtime::component::Linker;

use super::bindings::wasi::config::store::Error;
use crate::host::HostState;

const INTERFACE: &str = "wasi:config/store@0.2.0-draft";

type Answer<T> = wasmtime::Result<(Result<T, Error>,)>;

pub(super) fn add_to_linker(linker: &mut Linker<HostState>, values: &[(String, String)]) -> Result<()> {
    let values: Arc<[(String, String)]> = effective(values).into();
    let mut instance = linker.instance(INTERFACE)?;
    let for_get = values.clone();
    instance.func_wrap(
        "get",
        move |_: StoreContextMut<'_, HostState>, (key,): (String,)| -> Answer<Option<String>> {
            Ok((Ok(lookup(&for_get, &key)),))
        },
    )?;
    instance.func_wrap(
        "get-all",
        move |_: StoreContextMut<'_, HostState>, (): ()| -> Answer<Vec<(String, String)>> {
            Ok((Ok(values.to_vec()),))
        },
    )?;
    Ok(())
}

/// Each key once, with its last value, in the order keys first appeared: what `get-all`
/// answers when a manifest's value is overridden on the command line.
fn effective(values: &[(String, String)]) -> Vec<(String, String)> {
    let mut keys: Vec<&str> = Vec::new();
    for (key, _) in values {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    keys.into_iter()
        .filter_map(|key| Some((key.to_string(), lookup(values, key)?)))
        .collect()
}

/// The last value given for `key` wins, as with repeated `--config` flags.
fn lookup(values: &[(String, String)], key: &str) -> Option<String> {
    values.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_value_of_a_key_wins_and_a_missing_key_is_none() {
        let values = [("a".to_string(), "1".to_string()), ("a".to_string(), "2".to_string())];
        assert_eq!(lookup(&values, "a"), Some("2".to_string()));
        assert_eq!(lookup(&values, "b"), None);
        let values = [
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "x".to_string()),
            ("a".to_string(), "2".to_string()),
        ];
        assert_eq!(
            effective(&values),
            [("a".to_string(), "2".to_string()), ("b".to_string(), "x".to_string())]
        );
    }
}
