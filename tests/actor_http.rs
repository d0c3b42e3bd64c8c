//! `wasmcloud:httpserver` for waPC actors: each HTTP request on a loopback port invokes the
//! actor's `HandleRequest`; under the debugger a breakpoint in the handler holds the request
//! until continue.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;
use support::*;

const SERVING: &str = "serving wasmcloud:httpserver on http://";

#[test]
fn run_serves_http_requests_through_the_actor() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["run", "--http", "127.0.0.1:0"])
        .arg(wapc_actor_wasm())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix(&format!("wasmscope: {SERVING}"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    assert_eq!(
        http_request(&addr, "POST", "/count?a=1", "hi"),
        ("HTTP/1.1 200 OK".into(), "POST /count?a=1 (2 bytes): visit 1\n".into())
    );
    assert_eq!(
        http_request(&addr, "GET", "/count", ""),
        ("HTTP/1.1 200 OK".into(), "GET /count? (0 bytes): visit 2\n".into())
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    assert!(
        stdout.starts_with(r#"HandleRequest: msgpack {"body":"POST /count?a=1 (2 bytes): visit 1\n","#),
        "{stdout}"
    );
}

#[test]
fn only_loopback_addresses_are_served() {
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["run", "--http", "0.0.0.0:0"])
        .arg(wapc_actor_wasm())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "wasmscope: the HTTP server listens on loopback addresses only, not 0.0.0.0\n"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_request_stops_at_a_breakpoint_in_the_handler_and_completes_after_continue() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    client.request_ok("launch", json!({ "program": wapc_actor_wasm(), "http": "127.0.0.1:0" }));
    let source = wapc_actor_dir().join("src/lib.rs");
    client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": source }, "breakpoints": [{ "line": wapc_line_of("http") }] }),
    );
    client.request_ok("configurationDone", json!({}));
    let console = client.wait_output("console", SERVING);
    let addr = console
        .lines()
        .find_map(|l| l.strip_prefix(&format!("wasmscope: {SERVING}")))
        .unwrap()
        .to_string();

    // The client waits while the actor is stopped.
    let request = {
        let addr = addr.clone();
        std::thread::spawn(move || http_request(&addr, "PUT", "/debugged?q=2", "body"))
    };
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(trace["stackFrames"][0]["name"], "wapc_actor::handle_request");
    assert_eq!(trace["stackFrames"][0]["line"], wapc_line_of("http"));
    let request_value = client.request_ok(
        "evaluate",
        json!({ "expression": "request", "frameId": trace["stackFrames"][0]["id"], "context": "watch" }),
    );
    assert_eq!(
        request_value["result"],
        r#"HttpRequest { method: "PUT", path: "/debugged", query_string: "q=2", body: [98, 111, 100, 121] }"#
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(!request.is_finished(), "the request must wait for the debugger");

    client.request_ok("continue", json!({ "threadId": 1 }));
    let (status, body) = request.join().unwrap();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(body, "PUT /debugged?q=2 (4 bytes): visit 1\n");

    // Ending the session ends the server: no port is left behind.
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    client.wait_event("terminated");
    assert_eq!(client.wait_exit(), Some(0));
    assert!(TcpStream::connect(&addr).is_err(), "{addr} still accepts connections");
}

#[test]
fn a_request_to_the_actors_own_server_fails_at_once() {
    // The actor is busy with the invocation that calls, so its server could never answer:
    // the call fails instead of waiting out the client's 30 s timeout.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://localhost:{port}/self");
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args([
            "run",
            "--http",
            &format!("127.0.0.1:{port}"),
            "--allow-host",
            "localhost",
        ])
        .arg(wapc_actor_wasm())
        .args(["--invoke", &format!("Fetch={url}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..2 {
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        lines.push(line);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        lines,
        [
            format!("wasmscope: {SERVING}127.0.0.1:{port}\n"),
            format!(
                "Fetch failed: Host error: `{url}` is this actor's own HTTP server: the actor handles one \
                 invocation at a time and is busy with this one, so the request could never be answered\n"
            ),
        ]
    );
}
