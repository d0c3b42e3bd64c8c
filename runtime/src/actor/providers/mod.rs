//! Built-in capability providers, selected by the contract an actor calls
//! (`__host_call`'s namespace), with the wasmCloud 0.x msgpack payloads.

mod http_client;
pub mod http_server;
mod keyvalue;
mod logging;
mod messaging;
mod msgpack;

pub use http_client::{HttpClient, host_allowed};
pub use keyvalue::{KeyValue, SharedKeyValue};
pub use messaging::{
    DeliveredMessage, HANDLE_MESSAGE, MessageBus, Messaging, delivery, log_published, no_responder, subject_matches,
};

use super::log::LogSink;

/// The contracts the built-in providers answer.
pub const CONTRACTS: [&str; 4] = [
    keyvalue::CONTRACT,
    logging::CONTRACT,
    http_client::CONTRACT,
    messaging::CONTRACT,
];

/// What the providers are configured with, beyond the defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderSettings {
    /// Hosts `wasmcloud:httpclient` may reach (`host` or `host:port`; `*` for any).
    pub allowed_hosts: Vec<String>,
    /// Subjects (NATS wildcards allowed) whose `wasmcloud:messaging` messages the actor
    /// receives as `HandleMessage`.
    pub subscriptions: Vec<String>,
}

impl ProviderSettings {
    /// Both sets of hosts and subscriptions (the command line's and a manifest link's).
    pub fn merged(&self, other: &ProviderSettings) -> ProviderSettings {
        let join = |a: &[String], b: &[String]| {
            let mut all = a.to_vec();
            all.extend(b.iter().filter(|x| !a.contains(x)).cloned());
            all
        };
        ProviderSettings {
            allowed_hosts: join(&self.allowed_hosts, &other.allowed_hosts),
            subscriptions: join(&self.subscriptions, &other.subscriptions),
        }
    }
}

/// The providers of one actor host.
#[derive(Debug, Default)]
pub struct Providers {
    pub keyvalue: SharedKeyValue,
    pub http_client: HttpClient,
    pub messaging: Messaging,
    /// What the actor's signed claims allow; `None` allows every contract (an unsigned module
    /// run for local development).
    pub granted: Option<Grant>,
    /// Contracts a manifest links the actor to; `None` (no manifest) allows every one.
    pub linked: Option<Vec<String>>,
}

/// The capabilities a signed actor holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The actor's module key, as hosts name it in denials.
    pub subject: String,
    pub capabilities: Vec<String>,
}

impl Providers {
    /// The providers of one actor: the run's shared key-value store when it has one, else one
    /// of its own kept in `keyvalue_file` (when given).
    pub fn new(config: &crate::host::ProgramConfig) -> anyhow::Result<Providers> {
        let settings = &config.providers;
        Ok(Providers {
            keyvalue: match &config.keyvalue_store {
                Some(shared) => shared.clone(),
                None => SharedKeyValue::open(config.keyvalue_file.as_deref())?,
            },
            http_client: HttpClient::new(settings.allowed_hosts.clone()),
            messaging: Messaging::new(settings.subscriptions.clone(), config.messages.clone()),
            granted: None,
            linked: None,
        })
    }

    /// A call of `operation` on the provider bound to `binding` for `namespace`; the error is
    /// the text the actor receives.
    pub fn call(
        &mut self,
        binding: &str,
        namespace: &str,
        operation: &str,
        payload: &[u8],
        log: &LogSink,
    ) -> Result<Vec<u8>, String> {
        if let Some(grant) = &self.granted
            && !grant.capabilities.iter().any(|c| c == namespace)
        {
            // The wording of waSCC/wasmCloud 0.x hosts' authorization failures.
            return Err(format!(
                "Actor {} is not authorized to use capability {namespace}",
                grant.subject
            ));
        }
        // Hosts have logging built in; every other contract needs a link.
        if let Some(linked) = &self.linked
            && namespace != logging::CONTRACT
            && !linked.iter().any(|c| c == namespace)
        {
            return Err(format!(
                "no link from this actor to a `{namespace}` provider (link name `{binding}`) in the manifest"
            ));
        }
        match namespace {
            keyvalue::CONTRACT => self.keyvalue.lock().call(operation, payload),
            logging::CONTRACT => logging::call(operation, payload, log),
            http_client::CONTRACT => self.http_client.call(operation, payload),
            messaging::CONTRACT => self.messaging.call(operation, payload, log),
            _ => Err(format!(
                "no capability provider for `{namespace}`: wasmscope provides {}",
                CONTRACTS.join(", ")
            )),
        }
    }
}
