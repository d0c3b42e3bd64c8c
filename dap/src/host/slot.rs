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

    /// Like [`claim`](Self::claim), but gives the holder `grace` to let go first: a client
    /// that disconnects and at once attaches again (an editor's restart) races the end of
    /// its old connection, and must not be refused for it.
    pub(crate) async fn claim_within(&self, peer: SocketAddr, grace: Duration) -> Result<SlotGuard, SocketAddr> {
        let deadline = Instant::now() + grace;
        loop {
            match self.claim(peer) {
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                result => return result,
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

    #[tokio::test]
    async fn a_claim_waits_for_a_holder_that_is_letting_go() {
        let slot = ClientSlot::default();
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:2".parse().unwrap();
        let guard = slot.claim(a).unwrap();
        let letting_go = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            drop(guard);
        });
        let _held = slot.claim_within(b, Duration::from_secs(5)).await.unwrap();
        letting_go.await.unwrap();
        assert_eq!(slot.claim_within(a, Duration::from_millis(20)).await.err(), Some(b));
    }
}
