//! `wasmcloud:messaging`: in-process publish/subscribe. An actor's subscriptions come from
//! its manifest link (`subscriptions`) or `--subscribe`; a message it publishes on a subject
//! it subscribes to is delivered back to it as a `HandleMessage` invocation, run right after
//! the current one, and to every other actor of the run ([`MessageBus`]) that subscribes to it,
//! queued behind what that actor is doing. Every publish is logged, so the debug console shows
//! the traffic.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::WeakUnboundedSender;

use serde::{Deserialize, Serialize};

use super::msgpack::{decode, encode};
use crate::actor::execute::{InvocationSender, Request};
use crate::actor::invocation::Invocation;
use crate::actor::log::{LogLevel, LogSink};

pub(super) const CONTRACT: &str = "wasmcloud:messaging";

/// Deliveries caused by deliveries (a handler publishing what it subscribes to) stop here.
const MAX_HOPS: u32 = 16;

/// The operation a subscriber receives messages with.
pub const HANDLE_MESSAGE: &str = "HandleMessage";

#[derive(Deserialize)]
struct PublishArgs {
    subject: String,
    #[serde(rename = "replyTo", default)]
    reply_to: String,
    #[serde(with = "serde_bytes", default)]
    body: Vec<u8>,
}

#[derive(Deserialize)]
struct RequestArgs {
    subject: String,
}

#[derive(Serialize)]
struct PublishResponse {
    published: bool,
}

/// The actors of one run (a manifest's) that take messages: each one's subscriptions and its
/// invocation queue, held open (a subscriber waits for messages) until the run [closes] the
/// bus, when the actors that could publish have ended. Actors start together but not at the
/// same instant: until all have joined, messages are also kept, and handed to each latecomer
/// that subscribes to them.
///
/// [closes]: MessageBus::close
#[derive(Debug, Clone, Default)]
pub struct MessageBus(Arc<Mutex<Bus>>);

#[derive(Debug, Default)]
struct Bus {
    expected: usize,
    closed: bool,
    members: Vec<Member>,
    /// (subject, message, hops), while some actor has yet to join.
    backlog: Vec<(String, Invocation, u32)>,
}

#[derive(Debug)]
struct Member {
    subscriptions: Vec<String>,
    queue: WeakUnboundedSender<Request>,
    /// Keeps a subscriber's queue open until the bus closes.
    hold: Option<InvocationSender>,
}

/// More messages than this before every actor has joined are not kept.
const MAX_BACKLOG: usize = 1000;

impl Member {
    fn send(&self, subject: &str, invocation: &Invocation, hops: u32) {
        if !self.subscriptions.iter().any(|s| subject_matches(s, subject)) {
            return;
        }
        if let Some(queue) = self.queue.upgrade() {
            let _ = queue.send(Request {
                invocation: invocation.clone(),
                reply: None,
                hops,
            });
        }
    }
}

impl MessageBus {
    /// A bus for a run of `actors` actors.
    pub fn new(actors: usize) -> Self {
        MessageBus(Arc::new(Mutex::new(Bus {
            expected: actors,
            ..Bus::default()
        })))
    }

    fn bus(&self) -> std::sync::MutexGuard<'_, Bus> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds an actor and hands it what it missed; the index names it so that its own
    /// messages are not queued twice.
    fn join(&self, subscriptions: Vec<String>, queue: &InvocationSender) -> usize {
        let mut bus = self.bus();
        let hold = (!bus.closed && !subscriptions.is_empty()).then(|| queue.clone());
        let member = Member {
            subscriptions,
            queue: queue.downgrade(),
            hold,
        };
        for (subject, invocation, hops) in &bus.backlog {
            member.send(subject, invocation, *hops);
        }
        bus.members.push(member);
        if bus.members.len() >= bus.expected {
            bus.backlog = Vec::new();
        }
        bus.members.len() - 1
    }

    /// No more publishers: subscribers end once their queues are drained.
    pub fn close(&self) {
        let mut bus = self.bus();
        bus.closed = true;
        for member in &mut bus.members {
            member.hold = None;
        }
    }

    /// Queues `HandleMessage` for every other running member subscribed to `subject`.
    fn deliver(&self, from: usize, subject: &str, invocation: &Invocation, hops: u32) {
        let mut bus = self.bus();
        for (index, member) in bus.members.iter().enumerate() {
            if index != from {
                member.send(subject, invocation, hops);
            }
        }
        if bus.members.len() < bus.expected && bus.backlog.len() < MAX_BACKLOG {
            bus.backlog.push((subject.to_string(), invocation.clone(), hops));
        }
    }
}

#[derive(Debug, Default)]
pub struct Messaging {
    subscriptions: Vec<String>,
    /// Messages to publish when the actor starts (`--publish`), until they are.
    initial: Vec<(String, Vec<u8>)>,
    /// The run's other actors, once this one has joined.
    bus: Option<(MessageBus, usize)>,
    /// Messages for this actor, with how many deliveries deep each one is.
    pending: VecDeque<(Invocation, u32)>,
    /// How many deliveries deep the running invocation is (0: a request from outside).
    hops: u32,
}

impl Messaging {
    pub fn new(subscriptions: Vec<String>, initial: Vec<(String, Vec<u8>)>) -> Self {
        Messaging {
            subscriptions,
            initial,
            ..Messaging::default()
        }
    }

    /// Publishes the messages given for the start of the run, once; a subject nothing in the
    /// run subscribes to gets a warning, since the message goes nowhere.
    pub fn publish_initial(&mut self, log: &LogSink) {
        for (subject, body) in std::mem::take(&mut self.initial) {
            self.publish(&subject, "", &body, log);
            if self.bus.is_none() && !self.subscribes_to(&subject) {
                log.log(
                    LogLevel::Warn,
                    "messaging",
                    &format!("nothing subscribes to `{subject}`: subscribe the actor with `--subscribe {subject}`"),
                );
            }
        }
    }

    pub(super) fn call(&mut self, operation: &str, payload: &[u8], log: &LogSink) -> Result<Vec<u8>, String> {
        match operation {
            "Publish" => {
                let args: PublishArgs = decode(operation, payload)?;
                self.publish(&args.subject, &args.reply_to, &args.body, log);
                encode(&PublishResponse { published: true })
            }
            "Request" => {
                let args: RequestArgs = decode(operation, payload)?;
                Err(no_responder(&args.subject))
            }
            other => Err(format!("`{CONTRACT}` has no operation `{other}`")),
        }
    }

    /// Takes part in the run's messaging: messages of the others reach this actor's `queue`.
    pub fn join(&mut self, bus: &MessageBus, queue: &InvocationSender) {
        let index = bus.join(self.subscriptions.clone(), queue);
        self.bus = Some((bus.clone(), index));
    }

    /// Publishes a message (an actor's, or one given when the run starts): it is logged, and
    /// delivered to the actor itself when it subscribes to the subject and to the run's other
    /// subscribers.
    pub fn publish(&mut self, subject: &str, reply_to: &str, body: &[u8], log: &LogSink) {
        log_published(log, subject, body);
        let hops = self.hops + 1;
        if hops > MAX_HOPS {
            log.log(
                LogLevel::Warn,
                "messaging",
                &format!(
                    "dropped the message on `{subject}`: {MAX_HOPS} message handlers in a row published again (a loop?)"
                ),
            );
            return;
        }
        let Some(invocation) = delivery(subject, reply_to, body) else {
            return;
        };
        if let Some((bus, index)) = &self.bus {
            bus.deliver(*index, subject, &invocation, hops);
        }
        if self.subscribes_to(subject) {
            self.pending.push_back((invocation, hops));
        }
    }

    pub fn subscribes_to(&self, subject: &str) -> bool {
        self.subscriptions.iter().any(|s| subject_matches(s, subject))
    }

    /// The next message for this actor, if any: it runs before anything else.
    pub fn next_delivery(&mut self) -> Option<Invocation> {
        let (invocation, hops) = self.pending.pop_front()?;
        self.hops = hops;
        Some(invocation)
    }

    /// An invocation from the queue: from outside (a request, the command line: 0 hops), or
    /// a message another actor published (its depth).
    pub fn start_chain(&mut self, hops: u32) {
        self.hops = hops;
    }
}

/// NATS subject matching: `*` is one token, a final `>` one or more.
/// The actor log line of a publish.
pub fn log_published(log: &LogSink, subject: &str, body: &[u8]) {
    log.log(
        LogLevel::Info,
        "messaging",
        &format!("published on `{subject}`: {}", String::from_utf8_lossy(body)),
    );
}

/// The `HandleMessage` invocation that delivers a message (a component's handler reads it back
/// with [`DeliveredMessage::of`]).
pub fn delivery(subject: &str, reply_to: &str, body: &[u8]) -> Option<Invocation> {
    let args = HandleMessageArgs {
        message: DeliveredMessage {
            subject: subject.to_string(),
            reply_to: reply_to.to_string(),
            body: body.to_vec(),
        },
    };
    Some(Invocation {
        operation: HANDLE_MESSAGE.into(),
        payload: encode(&args).ok()?,
    })
}

/// What a request gets: nothing in the run can answer while the requester waits (a reply
/// would have to come from a handler, and the requesting actor's own can't run meanwhile).
pub fn no_responder(subject: &str) -> String {
    format!("no responder for `{subject}`: wasmscope's in-process messaging has no other actor to answer a request")
}

/// A message as a `HandleMessage` delivery carries it (the interface's `BrokerMessage`);
/// components take it back as a WIT record rather than msgpack.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeliveredMessage {
    pub subject: String,
    #[serde(rename = "replyTo", default)]
    pub reply_to: String,
    #[serde(with = "serde_bytes", default)]
    pub body: Vec<u8>,
}

/// `HandleMessage`'s argument.
#[derive(Serialize, Deserialize)]
struct HandleMessageArgs {
    message: DeliveredMessage,
}

impl DeliveredMessage {
    /// The message in a `HandleMessage` invocation; `None` for any other invocation.
    pub fn of(invocation: &Invocation) -> Option<DeliveredMessage> {
        if invocation.operation != HANDLE_MESSAGE {
            return None;
        }
        rmp_serde::from_slice::<HandleMessageArgs>(&invocation.payload)
            .ok()
            .map(|args| args.message)
    }
}

/// Whether `subject` matches a subscription `pattern` (NATS wildcards: `*` one token, `>` the rest).
pub fn subject_matches(pattern: &str, subject: &str) -> bool {
    let mut tokens = subject.split('.');
    for part in pattern.split('.') {
        match (part, tokens.next()) {
            (">", Some(_)) => return true,
            ("*", Some(_)) => {}
            (part, Some(token)) if part == token => {}
            _ => return false,
        }
    }
    tokens.next().is_none()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[test]
    fn nats_wildcards() {
        assert!(subject_matches("a.b", "a.b"));
        assert!(subject_matches("a.*", "a.b"));
        assert!(!subject_matches("a.*", "a.b.c"));
        assert!(subject_matches("a.>", "a.b.c"));
        assert!(!subject_matches("a.>", "a"));
        assert!(!subject_matches("a.b", "a.c"));
        assert!(!subject_matches("a.b.c", "a.b"));
    }

    fn publish(messaging: &mut Messaging, subject: &str, log: &LogSink) {
        let payload =
            rmp_serde::to_vec_named(&serde_json::json!({ "subject": subject, "replyTo": "", "body": [] })).unwrap();
        messaging.call("Publish", &payload, log).unwrap();
    }

    #[test]
    fn own_subscriptions_are_delivered_and_loops_end() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let log = LogSink::new(
            LogLevel::Info,
            Arc::new(move |level, _, text| sink.lock().unwrap().push(format!("{level}: {text}"))),
        );
        let mut messaging = Messaging::new(vec!["loop.>".into()], Vec::new());
        publish(&mut messaging, "elsewhere", &log);
        assert!(messaging.next_delivery().is_none());
        messaging.start_chain(0);
        publish(&mut messaging, "loop.start", &log);
        let mut deliveries = 0;
        // A handler that always publishes again: delivered MAX_HOPS times, then dropped.
        while let Some(invocation) = messaging.next_delivery() {
            assert_eq!(invocation.operation, HANDLE_MESSAGE);
            deliveries += 1;
            publish(&mut messaging, "loop.again", &log);
        }
        assert_eq!(deliveries, MAX_HOPS);
        let lines = lines.lock().unwrap();
        assert_eq!(lines[0], "info: published on `elsewhere`: ");
        assert!(
            lines
                .last()
                .unwrap()
                .starts_with("warn: dropped the message on `loop.again`"),
            "{lines:?}"
        );
    }

    #[test]
    fn messages_given_at_the_start_are_published_once_and_read_back_as_delivered() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let log = LogSink::new(
            LogLevel::Info,
            Arc::new(move |level, _, text| sink.lock().unwrap().push(format!("{level}: {text}"))),
        );
        let initial = vec![
            ("news.today".to_string(), b"sunny".to_vec()),
            ("else".to_string(), Vec::new()),
        ];
        let mut messaging = Messaging::new(vec!["news.*".into()], initial);
        messaging.publish_initial(&log);
        messaging.publish_initial(&log);
        let delivery = messaging.next_delivery().unwrap();
        assert_eq!(
            DeliveredMessage::of(&delivery),
            Some(DeliveredMessage {
                subject: "news.today".into(),
                reply_to: String::new(),
                body: b"sunny".to_vec(),
            })
        );
        assert!(messaging.next_delivery().is_none());
        assert_eq!(
            *lines.lock().unwrap(),
            [
                "info: published on `news.today`: sunny",
                "info: published on `else`: ",
                "warn: nothing subscribes to `else`: subscribe the actor with `--subscribe else`",
            ]
        );
        let other = Invocation {
            operation: "Ping".into(),
            payload: delivery.payload,
        };
        assert_eq!(DeliveredMessage::of(&other), None);
    }
}
