//! Traps: a Rust panic, a bare `unreachable`, an out-of-bounds access, and the `trap` filter.

mod support;

use serde_json::{Value, json};
use support::*;

fn first_user_frame(client: &mut DapClient) -> Value {
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let frames = trace["stackFrames"].as_array().unwrap();
    // Library frames without local sources are marked so clients skip them.
    let frame = frames
        .iter()
        .find(|f| f.get("presentationHint").is_none())
        .cloned()
        .unwrap();
    for before in frames.iter().take_while(|f| f["id"] != frame["id"]) {
        assert_eq!(before["presentationHint"], "subtle", "{before}");
    }
    frame
}

#[test]
fn a_panic_stops_with_its_message_at_the_panicking_line() {
    let mut client = DapClient::new();
    client.launch(&["panic"], json!({}));
    client.request_ok("configurationDone", json!({}));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "exception");
    assert_eq!(
        stopped["body"]["description"],
        format!(
            "panicked at src/main.rs:{}:9: division by zero: 10 / 0",
            line_of("panic_line")
        )
    );
    assert_eq!(
        stopped["body"]["text"],
        "wasm trap: wasm `unreachable` instruction executed"
    );

    let frame = first_user_frame(&mut client);
    assert_eq!(frame["name"], "debuggee::divide");
    assert_eq!(frame["line"], line_of("panic_line"));
    assert_eq!(frame["source"]["path"], debuggee_source().to_str().unwrap());

    let info = client.request_ok("exceptionInfo", json!({ "threadId": 1 }));
    assert_eq!(info["exceptionId"], "trap");
    assert_eq!(info["breakMode"], "always");
    assert_eq!(info["description"], stopped["body"]["description"]);

    // Continuing ends the session, as the trap ends the program.
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 134);
    client.wait_event("terminated");
    let stderr = client.output("stderr");
    assert!(stderr.contains("division by zero: 10 / 0"), "{stderr}");
    assert!(stderr.contains("wasm `unreachable` instruction executed"), "{stderr}");
}

#[test]
fn a_bare_unreachable_trap_stops_in_the_trapping_function() {
    let mut client = DapClient::new();
    client.launch(&["trap"], json!({}));
    client.request_ok("configurationDone", json!({}));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "exception");
    // No panic message: the description is the trap itself.
    assert_eq!(
        stopped["body"]["description"],
        "wasm trap: wasm `unreachable` instruction executed"
    );
    let frame = first_user_frame(&mut client);
    assert_eq!(frame["name"], "debuggee::raw_trap");
    assert_eq!(frame["line"], line_of("trap_line"));
    assert_eq!(client.output("stdout"), "trapping after 1\n");
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn an_out_of_bounds_access_stops_on_its_line() {
    let mut client = DapClient::new();
    client.launch(&["trap_oob"], json!({}));
    client.request_ok("configurationDone", json!({}));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "exception");
    assert_eq!(stopped["body"]["text"], "wasm trap: out of bounds memory access");
    let frame = first_user_frame(&mut client);
    assert_eq!(frame["name"], "debuggee::trap_oob");
    assert_eq!(frame["line"], line_of("trap_oob_line"));
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 134);
}

#[test]
fn without_the_trap_filter_a_panic_just_ends_the_program() {
    let mut client = DapClient::new();
    client.launch(&["panic"], json!({}));
    client.request_ok("setExceptionBreakpoints", json!({ "filters": [] }));
    client.request_ok("configurationDone", json!({}));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 134);
    client.wait_event("terminated");
    assert!(client.events_seen().iter().all(|e| e["event"] != "stopped"));
}
