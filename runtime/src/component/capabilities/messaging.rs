//! `wasmcloud:messaging/consumer`: a component publishes through the same in-process messaging
//! as waPC actors (logged, delivered to the subscribers of the run, the publisher included);
//! a request fails at once, as it does for them.

use super::bindings::wasmcloud::messaging::consumer::Host;
use super::bindings::wasmcloud::messaging::types::{self, BrokerMessage};
use crate::actor::providers::no_responder;
use crate::host::HostState;

impl types::Host for HostState {}

impl Host for HostState {
    fn request(&mut self, subject: String, _body: Vec<u8>, _timeout_ms: u32) -> Result<BrokerMessage, String> {
        Err(no_responder(&subject))
    }

    fn publish(&mut self, msg: BrokerMessage) -> Result<(), String> {
        let actor = &mut self.actor;
        let reply_to = msg.reply_to.unwrap_or_default();
        actor
            .providers
            .messaging
            .publish(&msg.subject, &reply_to, &msg.body, &actor.log);
        Ok(())
    }
}
