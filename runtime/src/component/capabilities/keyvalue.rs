//! `wasi:keyvalue` (0.2.0-draft: store, atomics, batch) over the waPC key-value provider's
//! store (`actor.providers.keyvalue`): the same entries and the same `keyvalue_file`. There is
//! one bucket, opened as `""` or `"default"`; any other name is `no-such-store`. A failure is
//! the interface's `error` variant, never a trap.

use std::sync::MutexGuard;

use wasmtime::component::Resource;
use wasmtime_wasi::WasiView;

use super::bindings::wasi::keyvalue::store::{self, Error, KeyResponse};
use super::bindings::wasi::keyvalue::{atomics, batch};
use crate::actor::providers::KeyValue;
use crate::host::HostState;

/// The names the one bucket answers to.
const BUCKET_NAMES: [&str; 2] = ["", "default"];

/// An open bucket, held in the WASI resource table.
pub struct Bucket;

impl HostState {
    /// The store behind `bucket`, once the handle is known to be live.
    fn bucket_store(&mut self, bucket: &Resource<Bucket>) -> Result<MutexGuard<'_, KeyValue>, Error> {
        self.ctx()
            .table
            .get(bucket)
            .map_err(|e| Error::Other(format!("not an open bucket: {e}")))?;
        Ok(self.actor.providers.keyvalue.lock())
    }
}

impl store::Host for HostState {
    fn open(&mut self, identifier: String) -> Result<Resource<Bucket>, Error> {
        if !BUCKET_NAMES.contains(&identifier.as_str()) {
            return Err(Error::NoSuchStore);
        }
        self.ctx()
            .table
            .push(Bucket)
            .map_err(|e| Error::Other(format!("cannot open the bucket: {e}")))
    }
}

impl store::HostBucket for HostState {
    fn get(&mut self, bucket: Resource<Bucket>, key: String) -> Result<Option<Vec<u8>>, Error> {
        self.bucket_store(&bucket)?.get_bytes(&key).map_err(Error::Other)
    }

    fn set(&mut self, bucket: Resource<Bucket>, key: String, value: Vec<u8>) -> Result<(), Error> {
        self.bucket_store(&bucket)?.set_bytes(&key, value).map_err(Error::Other)
    }

    fn delete(&mut self, bucket: Resource<Bucket>, key: String) -> Result<(), Error> {
        self.bucket_store(&bucket)?.delete(&key).map_err(Error::Other)
    }

    fn exists(&mut self, bucket: Resource<Bucket>, key: String) -> Result<bool, Error> {
        Ok(self.bucket_store(&bucket)?.exists(&key))
    }

    /// All keys in one page: the store is local and small.
    fn list_keys(&mut self, bucket: Resource<Bucket>, cursor: Option<u64>) -> Result<KeyResponse, Error> {
        let keys = self.bucket_store(&bucket)?.keys();
        let skip = usize::try_from(cursor.unwrap_or(0)).unwrap_or(usize::MAX);
        Ok(KeyResponse {
            keys: keys.into_iter().skip(skip).collect(),
            cursor: None,
        })
    }

    fn drop(&mut self, bucket: Resource<Bucket>) -> wasmtime::Result<()> {
        self.ctx().table.delete(bucket)?;
        Ok(())
    }
}

impl atomics::Host for HostState {
    fn increment(&mut self, bucket: Resource<Bucket>, key: String, delta: u64) -> Result<u64, Error> {
        self.bucket_store(&bucket)?.increment(&key, delta).map_err(Error::Other)
    }
}

impl batch::Host for HostState {
    fn get_many(
        &mut self,
        bucket: Resource<Bucket>,
        keys: Vec<String>,
    ) -> Result<Vec<Option<(String, Vec<u8>)>>, Error> {
        let mut store = self.bucket_store(&bucket)?;
        keys.into_iter()
            .map(|key| {
                let value = store.get_bytes(&key).map_err(Error::Other)?;
                Ok(value.map(|value| (key, value)))
            })
            .collect()
    }

    fn set_many(&mut self, bucket: Resource<Bucket>, key_values: Vec<(String, Vec<u8>)>) -> Result<(), Error> {
        let mut store = self.bucket_store(&bucket)?;
        for (key, value) in key_values {
            store.set_bytes(&key, value).map_err(Error::Other)?;
        }
        Ok(())
    }

    fn delete_many(&mut self, bucket: Resource<Bucket>, keys: Vec<String>) -> Result<(), Error> {
        let mut store = self.bucket_store(&bucket)?;
        for key in keys {
            store.delete(&key).map_err(Error::Other)?;
        }
        Ok(())
    }
}
