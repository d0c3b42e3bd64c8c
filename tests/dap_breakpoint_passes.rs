//! A breakpoint stops once each time control passes through its line, however the compiler
//! split the line's code: a loop's line once per iteration (also when the loop's back edge
//! skips the `loop` opcode), a `for` loop's line once per `next()`, a line with an overflow
//! check, a `?` or a match arm's test and body once.

mod support;

use serde_json::{Value, json};
use support::*;

/// The debuggee running `args`, with breakpoints at `markers`.
fn running(args: &[&str], markers: &[&str]) -> DapClient {
    let mut client = DapClient::new();
    client.launch(args, json!({}));
    client.set_breakpoints(markers);
    client.request_ok("configurationDone", json!({}));
    client
}

fn stopped_line(client: &mut DapClient) -> u64 {
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint", "{stopped}");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    trace["stackFrames"][0]["line"].as_u64().unwrap()
}

/// How a variable of the top frame is shown.
fn shown_value(client: &mut DapClient, name: &str) -> String {
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let result = client.request_ok(
        "evaluate",
        json!({ "expression": name, "frameId": trace["stackFrames"][0]["id"], "context": "watch" }),
    );
    result["result"]
        .as_str()
        .unwrap_or_else(|| panic!("no result: {result}"))
        .to_string()
}

/// The value of an integer variable in the top frame.
fn integer(client: &mut DapClient, name: &str) -> u64 {
    let shown = shown_value(client, name);
    shown
        .parse()
        .unwrap_or_else(|_| panic!("`{name}` is not an integer: {shown}"))
}

/// Stops `count` times at `marker` and reads `variable` at each stop.
fn values_at_each_stop(client: &mut DapClient, marker: &str, variable: &str, count: usize) -> Vec<u64> {
    (0..count)
        .map(|_| {
            assert_eq!(stopped_line(client), line_of(marker) as u64);
            let value = integer(client, variable);
            client.request_ok("continue", json!({ "threadId": 1 }));
            value
        })
        .collect()
}

/// After the program has ended by itself.
fn end(client: &mut DapClient) {
    client.wait_event("terminated");
    client.request_ok("disconnect", json!({}));
    assert_eq!(client.wait_exit(), Some(0));
}

fn stops_seen(client: &DapClient) -> Vec<&Value> {
    client
        .events_seen()
        .into_iter()
        .filter(|e| e["event"] == "stopped")
        .collect()
}

#[test]
fn a_loop_body_stops_once_per_iteration() {
    let mut client = running(&["loop"], &["loop_body"]);
    // `counter = black_box(counter.wrapping_add(1))`: its code comes in two runs around the
    // inlined `wrapping_add`, and the loop's back edge lands past the `loop` opcode.
    assert_eq!(
        values_at_each_stop(&mut client, "loop_body", "counter", 4),
        [0, 1, 2, 3]
    );
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn a_while_line_stops_once_per_test_of_its_condition() {
    let mut client = running(&["bench_arith"], &["arith_while"]);
    // The condition is tested at the loop's top, first entered from before the loop and then
    // from the latch, which jumps back from the same line.
    assert_eq!(values_at_each_stop(&mut client, "arith_while", "i", 4), [0, 1, 2, 3]);
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn a_for_line_stops_at_each_next_and_not_twice_on_entry() {
    let mut client = running(&["io", "a", "b"], &["for_args", "after_for"]);
    // Two arguments and the `None` that ends the loop: three `next()` calls.
    let mut lines = Vec::new();
    loop {
        let line = stopped_line(&mut client);
        lines.push(line);
        client.request_ok("continue", json!({ "threadId": 1 }));
        if line == line_of("after_for") as u64 {
            break;
        }
    }
    let for_line = line_of("for_args") as u64;
    assert_eq!(lines, [for_line, for_line, for_line, line_of("after_for") as u64]);
    end(&mut client);
}

#[test]
fn a_line_with_an_overflow_check_stops_once() {
    // `let sum = a + b;` and `let doubled = black_box(sum * 2);`: each checks for overflow
    // and has a panic path of its own line.
    let mut client = running(&["steps"], &["add_body", "after_add"]);
    assert_eq!(stopped_line(&mut client), line_of("add_body") as u64);
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(stopped_line(&mut client), line_of("after_add") as u64);
    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_event("exited");
    assert_eq!(stops_seen(&client).len(), 2, "{:#?}", stops_seen(&client));
    end(&mut client);
}

#[test]
fn a_question_mark_line_stops_once_per_call_on_either_arm() {
    let mut client = running(&["question"], &["question"]);
    // One call takes the `Ok` arm, the other returns the error early.
    for text in ["\"41\"", "\"x\""] {
        assert_eq!(stopped_line(&mut client), line_of("question") as u64);
        assert_eq!(shown_value(&mut client, "text"), text);
        client.request_ok("continue", json!({ "threadId": 1 }));
    }
    client.wait_event("exited");
    assert_eq!(stops_seen(&client).len(), 2, "{:#?}", stops_seen(&client));
    end(&mut client);
}
