//! The one place for an attached client: the first connection takes it, later ones are
//! refused until it is free again.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default, Clone)]
pub(crate) struct ClientSlot {
    holder: Arc<Mutex<Option<SocketAddr>>>,
}

/// Frees the slot when the connection that took it ends.
pub(crate) struct SlotGuard {
    holder: Arc<Mutex<Option<SocketAddr>>>,
}

impl ClientSlot {
    /// Takes the slot for `peer`, or says who holds it.
    pub(crate) fn claim(&self, peer: SocketAddr) -> Result<SlotGuard, SocketAddr> {
        let mut holder = self.holder.lock().unwrap_or_else(|e| e.into_inner());
        match *holder {
            Some(other) => Err(other),
            None => {
                *holder = Some(peer);
                Ok(SlotGuard {
                    holder: self.holder.clone(),
                })
            }
        }
    }

    fn is_free(&self) -> bool {
        self.holder.lock().unwrap_or_else(|e| e.into_inner()).is_none()
    }

    pub(crate) async fn wait_until_free(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.is_free() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        self.holder.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time() {
        let slot = ClientSlot::default();
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:2".parse().unwrap();
        let guard = slot.claim(a).unwrap();
        assert_eq!(slot.claim(b).err(), Some(a));
        drop(guard);
        assert!(slot.claim(b).is_ok());
    }
}
