//! `wasmscope dap --listen`: the adapter over TCP, one session per connection.

mod support;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};
use support::*;

struct Listener {
    child: Child,
    addr: String,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Listener {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("dap")
        .args(args)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("wasmscope dap: listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    Listener { child, addr }
}

/// A minimal client: requests in order, every message read until the awaited one.
struct TcpClient {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
    seq: u64,
    seen: Vec<Value>,
}

impl TcpClient {
    fn connect(addr: &str) -> Self {
        let stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        TcpClient {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
            seq: 0,
            seen: Vec::new(),
        }
    }

    fn next(&mut self) -> Value {
        let message = read_message(&mut self.reader)
            .unwrap()
            .expect("the adapter closed the connection");
        self.seen.push(message.clone());
        message
    }

    fn request(&mut self, command: &str, arguments: Value) -> Value {
        self.seq += 1;
        write_message(
            &mut self.writer,
            &json!({ "seq": self.seq, "type": "request", "command": command, "arguments": arguments }),
        )
        .unwrap();
        loop {
            let message = self.next();
            if message["type"] == "response" && message["request_seq"] == self.seq {
                assert_eq!(message["success"], true, "{message}");
                return message;
            }
        }
    }

    fn event(&mut self, name: &str) -> Value {
        if let Some(i) = self
            .seen
            .iter()
            .position(|m| m["type"] == "event" && m["event"] == name)
        {
            return self.seen.remove(i);
        }
        loop {
            let message = self.next();
            if message["type"] == "event" && message["event"] == name {
                self.seen.pop();
                return message;
            }
        }
    }
}

fn debug_session(addr: &str) {
    let mut client = TcpClient::connect(addr);
    client.request("initialize", json!({ "clientID": "tcp-test" }));
    client.event("initialized");
    client.request("launch", json!({ "program": debuggee_wasm(), "args": ["steps"] }));
    let source = json!({ "path": debuggee_source() });
    let set = client.request(
        "setBreakpoints",
        json!({ "source": source, "breakpoints": [{ "line": line_of("add_body") }] }),
    );
    assert_eq!(set["body"]["breakpoints"][0]["verified"], true);
    client.request("configurationDone", json!({}));
    assert_eq!(client.event("stopped")["body"]["reason"], "breakpoint");
    let trace = client.request("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(trace["body"]["stackFrames"][0]["name"], "debuggee::add");
    client.request("continue", json!({ "threadId": 1 }));
    assert_eq!(client.event("exited")["body"]["exitCode"], 0);
    client.request("disconnect", json!({}));
}

#[test]
fn sessions_over_tcp_one_after_another_and_side_by_side() {
    let listener = start(&["--listen", "127.0.0.1:0"]);
    debug_session(&listener.addr);
    // The listener outlives a session, and serves two at once.
    let (a, b) = (listener.addr.clone(), listener.addr.clone());
    let first = std::thread::spawn(move || debug_session(&a));
    let second = std::thread::spawn(move || debug_session(&b));
    first.join().unwrap();
    second.join().unwrap();
}

#[test]
fn non_loopback_addresses_are_refused_without_allow_remote() {
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["dap", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "wasmscope: refusing to listen on 0.0.0.0:0: not a loopback address (pass --allow-remote to accept other machines)\n"
    );
}
