//! `wasmscope run --debug ADDR`: a host that runs as without the flag and lets one DAP client
//! at a time attach, pause, detach and attach again while it keeps serving; tokens; loopback
//! only unless `--allow-remote`; and `wasmscope dap` bridging a stdio client to such a host.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};
use support::host::DebugHost;
use support::*;

fn ok(status_and_body: (String, String), path: &str) {
    assert_eq!(
        status_and_body,
        ("HTTP/1.1 200 OK".to_string(), format!("Method::Get {path}: hello\n"))
    );
}

fn initialize(client: &mut DapClient) {
    client.request_ok(
        "initialize",
        json!({ "clientID": "wasmscope-tests", "adapterID": "wasmscope", "linesStartAt1": true, "pathFormat": "path" }),
    );
    client.wait_event("initialized");
}

fn break_at_text(client: &mut DapClient) -> Value {
    client.request_ok(
        "setBreakpoints",
        json!({
            "source": { "path": http_component_dir().join("src/lib.rs") },
            "breakpoints": [{ "line": http_component_line_of("text") }],
        }),
    )
}

/// Waits for a stop in the handler and returns the `path` it sees.
fn stopped_in_handler(client: &mut DapClient, reason: &str) -> String {
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], reason, "{stopped}");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let top = &trace["stackFrames"][0];
    if reason == "breakpoint" {
        assert_eq!(top["line"], http_component_line_of("text"), "{trace}");
    }
    let frame = trace["stackFrames"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["name"]
                .as_str()
                .unwrap_or("")
                .ends_with("incoming_handler::Guest>::handle")
        })
        .unwrap_or_else(|| panic!("no handler frame in {trace}"));
    let path = client.request_ok(
        "evaluate",
        json!({ "expression": "path", "frameId": frame["id"], "context": "watch" }),
    );
    path["result"].as_str().unwrap().to_string()
}

#[test]
fn attach_pause_detach_and_attach_again_while_the_component_serves() {
    let mut host = DebugHost::start("127.0.0.1:0", &[], &[]);
    ok(host.get("/before"), "/before");

    // Attach, and a breakpoint applies to the next request.
    let mut client = DapClient::connect(&host.debug_addr);
    initialize(&mut client);
    client.request_ok("attach", json!({}));
    client.wait_output("console", "wasmscope: attached to `");
    let set = break_at_text(&mut client);
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set}");
    client.request_ok("configurationDone", json!({}));
    let modules = client.request_ok("modules", json!({}));
    assert!(
        modules["modules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["symbolStatus"] == "DWARF loaded"),
        "{modules}"
    );
    let during = host.get_later("/during");
    assert_eq!(stopped_in_handler(&mut client, "breakpoint"), r#""/during""#);
    std::thread::sleep(Duration::from_millis(200));
    assert!(!during.is_finished(), "the request must wait for the debugger");
    client.request_ok("continue", json!({ "threadId": 1 }));
    ok(during.join().unwrap(), "/during");

    // Pause while idle: the next request stops as soon as it runs.
    client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": http_component_dir().join("src/lib.rs") }, "breakpoints": [] }),
    );
    client.request_ok("pause", json!({ "threadId": 1 }));
    let paused = host.get_later("/paused");
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "pause", "{stopped}");
    client.request_ok("continue", json!({ "threadId": 1 }));
    ok(paused.join().unwrap(), "/paused");

    // Detach with a breakpoint set: the host goes on serving, and nothing stops any more.
    break_at_text(&mut client);
    client.request_ok("disconnect", json!({ "terminateDebuggee": false }));
    client.wait_closed();
    ok(host.get("/after"), "/after");
    host.wait_line("wasmscope: debugger from ");

    // Attach again; detaching while stopped lets the waiting request complete.
    let mut again = DapClient::connect(&host.debug_addr);
    initialize(&mut again);
    again.request_ok("attach", json!({}));
    ok(host.get("/no-breakpoints"), "/no-breakpoints");
    break_at_text(&mut again);
    again.request_ok("configurationDone", json!({}));
    let waiting = host.get_later("/waiting");
    assert_eq!(stopped_in_handler(&mut again, "breakpoint"), r#""/waiting""#);
    again.request_ok("disconnect", json!({}));
    again.wait_closed();
    ok(waiting.join().unwrap(), "/waiting");
    ok(host.get("/still"), "/still");

    // A client that asks to end the debuggee ends the host, and its ports with it.
    let mut last = DapClient::connect(&host.debug_addr);
    initialize(&mut last);
    last.request_ok("attach", json!({}));
    last.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(host.wait_exit(), Some(0));
    assert!(std::net::TcpStream::connect(&host.http_addr).is_err());
    assert!(std::net::TcpStream::connect(&host.debug_addr).is_err());
}

#[test]
fn a_second_client_is_refused_and_the_first_goes_on() {
    let mut host = DebugHost::start("127.0.0.1:0", &[], &[]);
    let mut first = DapClient::connect(&host.debug_addr);
    initialize(&mut first);
    first.request_ok("attach", json!({}));

    let mut second = DapClient::connect(&host.debug_addr);
    let refused = second.request("initialize", json!({ "clientID": "second", "adapterID": "wasmscope" }));
    assert_eq!(refused["success"], false, "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.starts_with("another debugger is attached to this host (from 127.0.0.1:"),
        "{message}"
    );
    second.wait_closed();
    host.wait_line("wasmscope: refused a debugger from 127.0.0.1:");

    // The first is undisturbed: it still stops and resumes the program.
    break_at_text(&mut first);
    first.request_ok("configurationDone", json!({}));
    let request = host.get_later("/first");
    assert_eq!(stopped_in_handler(&mut first, "breakpoint"), r#""/first""#);
    first.request_ok("continue", json!({ "threadId": 1 }));
    ok(request.join().unwrap(), "/first");
}

#[test]
fn an_attach_needs_the_right_token() {
    let mut host = DebugHost::start("127.0.0.1:0", &["--token", "s3cret"], &[]);
    let mut client = DapClient::connect(&host.debug_addr);
    initialize(&mut client);
    let missing = client.request("attach", json!({}));
    assert_eq!(missing["success"], false);
    assert_eq!(
        missing["message"],
        "attach refused: this host requires a token: add `\"token\"` to the attach configuration"
    );
    let wrong = client.request("attach", json!({ "token": "guess" }));
    assert_eq!(wrong["message"], "attach refused: wrong token");
    // The host's user sees both refusals.
    host.wait_for(": wrong token\n");
    let refusals: Vec<String> = host
        .stderr
        .lock()
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("wasmscope: refused an attach from 127.0.0.1:"))
        .map(|l| l.rsplit(": ").next().unwrap().to_string())
        .collect();
    assert_eq!(refusals.last().map(String::as_str), Some("wrong token"), "{refusals:?}");
    assert_eq!(refusals.len(), 2, "{refusals:?}");
    // A launch makes no sense on a running host.
    let launch = client.request("launch", json!({ "program": "x.wasm" }));
    assert_eq!(launch["success"], false);
    assert!(
        launch["message"].as_str().unwrap().contains("use an `attach` request"),
        "{launch}"
    );
    ok(host.get("/meanwhile"), "/meanwhile");
    client.request_ok("attach", json!({ "token": "s3cret" }));
    client.request_ok("disconnect", json!({}));

    // The environment variable works as --token does.
    let host = DebugHost::start("127.0.0.1:0", &[], &[("WASMSCOPE_DEBUG_TOKEN", "from-env")]);
    let mut client = DapClient::connect(&host.debug_addr);
    initialize(&mut client);
    assert_eq!(client.request("attach", json!({ "token": "s3cret" }))["success"], false);
    client.request_ok("attach", json!({ "token": "from-env" }));
}

#[test]
fn other_than_loopback_needs_allow_remote() {
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["run", "--debug", "0.0.0.0:0", "--http", "127.0.0.1:0"])
        .arg(http_component_wasm())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "wasmscope: refusing to listen on 0.0.0.0:0: not a loopback address (pass --allow-remote to accept other machines)\n"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["run", "--allow-remote", "--http", "127.0.0.1:0"])
        .arg(http_component_wasm())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "--allow-remote needs --debug");

    // With --allow-remote it listens on every interface (reached here through loopback).
    let host = DebugHost::start("0.0.0.0:0", &["--allow-remote"], &[]);
    let port = host.debug_addr.strip_prefix("0.0.0.0:").unwrap();
    let mut client = DapClient::connect(&format!("127.0.0.1:{port}"));
    initialize(&mut client);
    client.request_ok("attach", json!({}));
}

#[test]
fn the_stdio_adapter_bridges_an_attach_to_the_host() {
    let mut host = DebugHost::start("127.0.0.1:0", &["--token", "t0ken"], &[]);
    let mut client = DapClient::new();
    initialize(&mut client);

    // Nothing to attach to without `connect`, and a wrong address says so.
    let nothing = client.request("attach", json!({}));
    assert!(
        nothing["message"].as_str().unwrap().starts_with("nothing to attach to"),
        "{nothing}"
    );
    let unreachable = client.request("attach", json!({ "connect": "127.0.0.1:9" }));
    assert!(
        unreachable["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot connect to a wasmscope host at 127.0.0.1:9"),
        "{unreachable}"
    );
    let refused = client.request("attach", json!({ "connect": host.debug_addr, "token": "nope" }));
    assert_eq!(refused["message"], "attach refused: wrong token");

    // Breakpoints set before the attach (as editors do) reach the host, keeping their ids.
    let early = break_at_text(&mut client);
    assert_eq!(early["breakpoints"][0]["verified"], false, "{early}");
    let id = early["breakpoints"][0]["id"].clone();
    client.request_ok(
        "attach",
        json!({ "connect": host.debug_addr, "token": "t0ken", "$adapterArgs": "ignored" }),
    );
    let changed = client.wait_event("breakpoint");
    assert_eq!(changed["body"]["breakpoint"]["id"], id, "{changed}");
    assert_eq!(changed["body"]["breakpoint"]["verified"], true, "{changed}");
    client.request_ok("configurationDone", json!({}));

    let request = host.get_later("/bridged");
    assert_eq!(stopped_in_handler(&mut client, "breakpoint"), r#""/bridged""#);
    let scopes = client.request_ok("scopes", json!({ "frameId": 1 }));
    assert_eq!(scopes["scopes"][0]["name"], "Locals", "{scopes}");
    client.request_ok("continue", json!({ "threadId": 1 }));
    ok(request.join().unwrap(), "/bridged");

    // Detaching ends the adapter, not the host.
    client.request_ok("disconnect", json!({ "terminateDebuggee": false }));
    assert_eq!(client.wait_exit(), Some(0));
    ok(host.get("/after-bridge"), "/after-bridge");
    host.wait_line("wasmscope: debugger from ");
}
