//! Breakpoints (in main, in a callee, moved, pending, unverified) and stepping over, into and
//! out, across calls and recursion, over DAP.

mod support;

use serde_json::{Value, json};
use support::*;

/// (function name, line) of every frame whose source is on this machine.
fn user_stack(client: &mut DapClient) -> Vec<(String, u64)> {
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    trace["stackFrames"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("presentationHint").is_none())
        .map(|f| (f["name"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect()
}

fn top(client: &mut DapClient) -> (String, u64) {
    user_stack(client).remove(0)
}

fn step(client: &mut DapClient, command: &str) -> (String, u64) {
    client.request_ok(command, json!({ "threadId": 1 }));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "step", "{stopped}");
    top(client)
}

fn local(client: &mut DapClient, frame_index: usize, name: &str) -> String {
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let frame = &trace["stackFrames"][frame_index];
    let scopes = client.request_ok("scopes", json!({ "frameId": frame["id"] }));
    let vars = client.request_ok(
        "variables",
        json!({ "variablesReference": scopes["scopes"][0]["variablesReference"] }),
    );
    let var = vars["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .cloned();
    var.unwrap_or_else(|| panic!("no `{name}` in frame {frame_index}: {vars}"))["value"]
        .as_str()
        .unwrap()
        .to_string()
}

fn at(name: &str, marker: &str) -> (String, u64) {
    (name.to_string(), line_of(marker) as u64)
}

#[test]
fn breakpoints_in_caller_and_callee_with_exact_stacks() {
    let mut client = DapClient::new();
    client.launch(&["steps"], json!({}));
    let set = client.set_breakpoints(&["call_add", "add_body"]);
    let bps = set["breakpoints"].as_array().unwrap();
    assert_eq!(bps.len(), 2);
    for (bp, marker) in bps.iter().zip(["call_add", "add_body"]) {
        assert_eq!(bp["verified"], true, "{bp}");
        assert_eq!(bp["line"], line_of(marker));
    }
    client.request_ok("configurationDone", json!({}));

    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    assert_eq!(stopped["body"]["hitBreakpointIds"], json!([bps[0]["id"]]));
    assert_eq!(
        user_stack(&mut client)[..2],
        [at("debuggee::steps", "call_add"), ("debuggee::main".into(), 20)]
    );

    client.request_ok("continue", json!({ "threadId": 1 }));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["hitBreakpointIds"], json!([bps[1]["id"]]));
    assert_eq!(
        user_stack(&mut client)[..2],
        [at("debuggee::add", "add_body"), at("debuggee::steps", "call_add")]
    );
    assert_eq!(local(&mut client, 0, "a"), "2");
    assert_eq!(local(&mut client, 0, "b"), "3");

    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
    client.wait_event("terminated");
    assert_eq!(client.output("stdout"), "add=5 doubled=10 factorial=120\n");
}

#[test]
fn step_over_into_and_out() {
    let mut client = DapClient::new();
    client.launch(&["steps"], json!({}));
    client.set_breakpoints(&["call_add"]);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");

    // Over the call: the next line of the same function.
    assert_eq!(step(&mut client, "next"), at("debuggee::steps", "after_add"));
    assert_eq!(local(&mut client, 0, "sum"), "5");
    // Into `factorial` from the `call_fact` line.
    assert_eq!(step(&mut client, "next"), at("debuggee::steps", "call_fact"));
    let into = step(&mut client, "stepIn");
    assert_eq!(into.0, "debuggee::factorial");
    assert_eq!(local(&mut client, 0, "n"), "5");
    // Out again: back in the caller, past the call.
    let out = step(&mut client, "stepOut");
    assert_eq!(out.0, "debuggee::steps");
    assert!(out.1 >= line_of("call_fact") as u64, "{out:?}");
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn step_in_and_out_of_a_callee_and_next_inside_it() {
    let mut client = DapClient::new();
    client.launch(&["steps"], json!({}));
    client.set_breakpoints(&["call_add"]);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");

    assert_eq!(step(&mut client, "stepIn"), at("debuggee::add", "add_body"));
    assert_eq!(
        step(&mut client, "next"),
        ("debuggee::add".to_string(), line_of("add_body") as u64 + 1)
    );
    assert_eq!(step(&mut client, "stepOut"), at("debuggee::steps", "after_add"));
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
}

#[test]
fn recursion_shows_every_activation_and_step_over_stays_in_its_frame() {
    let mut client = DapClient::new();
    client.launch(&["steps"], json!({}));
    client.set_breakpoints(&["fact_base"]);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");

    let stack = user_stack(&mut client);
    let mut expected = vec![at("debuggee::factorial", "fact_base")];
    expected.extend(std::iter::repeat_n(at("debuggee::factorial", "fact_rec"), 4));
    expected.push(at("debuggee::steps", "call_fact"));
    assert_eq!(stack[..6], expected[..]);
    // Each activation has its own `n`.
    let ns: Vec<String> = (0..5).map(|i| local(&mut client, i, "n")).collect();
    assert_eq!(ns, ["1", "2", "3", "4", "5"]);

    // Stepping out of the innermost call lands in its caller (n == 2), not in another
    // activation further out.
    client.set_breakpoints(&[]);
    let out = step(&mut client, "stepOut");
    assert_eq!(out.0, "debuggee::factorial");
    assert_eq!(local(&mut client, 0, "n"), "2");
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
}

#[test]
fn breakpoint_on_a_line_without_code_moves_to_the_next_line_with_code() {
    let mut client = DapClient::new();
    client.launch(&["steps"], json!({}));
    // The blank line right before `fn add`.
    let blank = line_of("add_body") - 2;
    let body = client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": debuggee_source() }, "breakpoints": [{ "line": blank }] }),
    );
    let bp = &body["breakpoints"][0];
    assert_eq!(bp["verified"], true, "{bp}");
    assert_eq!(bp["line"], blank + 1, "{bp}");
    assert_eq!(
        bp["message"],
        format!("line {blank} has no code: moved to line {}", blank + 1)
    );
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");
    assert_eq!(top(&mut client).0, "debuggee::add");
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
}

#[test]
fn breakpoints_set_before_launch_are_pending_then_verified() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let body = client.set_breakpoints(&["add_body"]);
    let pending = &body["breakpoints"][0];
    assert_eq!(pending["verified"], false);
    assert_eq!(pending["message"], "pending: resolved when the program is loaded");
    let id = pending["id"].clone();

    let launch = client.request("launch", json!({ "program": debuggee_wasm(), "args": ["steps"] }));
    assert_eq!(launch["success"], true, "{launch}");
    let event = client.wait_event("breakpoint");
    assert_eq!(event["body"]["reason"], "changed");
    assert_eq!(event["body"]["breakpoint"]["id"], id);
    assert_eq!(event["body"]["breakpoint"]["verified"], true);
    assert_eq!(event["body"]["breakpoint"]["line"], line_of("add_body"));
    client.request_ok("configurationDone", json!({}));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["hitBreakpointIds"], json!([id]));
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
}

#[test]
fn breakpoints_in_files_the_module_does_not_contain_stay_unverified() {
    let mut client = DapClient::new();
    client.launch(&["steps"], json!({}));
    let body = client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": "/nowhere/other.rs" }, "breakpoints": [{ "line": 3 }] }),
    );
    assert_eq!(body["breakpoints"][0]["verified"], false);
    assert_eq!(
        body["breakpoints"][0]["message"],
        "no code in this module comes from `/nowhere/other.rs`"
    );
    client.request_ok("configurationDone", json!({}));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
}

#[test]
fn a_module_without_dwarf_runs_and_says_why_breakpoints_cannot_bind() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let launch = client.request(
        "launch",
        json!({ "program": debuggee_wasm_without_dwarf(), "args": ["steps"] }),
    );
    assert_eq!(launch["success"], true, "{launch}");
    let body = client.set_breakpoints(&["add_body"]);
    let bp: &Value = &body["breakpoints"][0];
    assert_eq!(bp["verified"], false);
    assert_eq!(
        bp["message"],
        "the module has no DWARF debug info: build it with debug info (e.g. a cargo debug build, or `-g`)"
    );
    client.request_ok("configurationDone", json!({}));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
    assert_eq!(client.output("stdout"), "add=5 doubled=10 factorial=120\n");
}

#[test]
fn next_goes_line_by_line_over_calls_into_the_standard_library() {
    let mut client = DapClient::new();
    client.launch(&["values"], json!({}));
    client.set_breakpoints(&["values"]);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");
    let start = line_of("values") as u64;
    // `println!`, `Vec::len`, an iterator `sum` over 1000 elements: each a single step.
    for line in start + 1..=start + 5 {
        assert_eq!(step(&mut client, "next"), ("debuggee::values".to_string(), line));
    }
    assert_eq!(
        client.output("stdout"),
        "checksum=35 f64=2.5 bool=true char=λ\nhello world [1, 2, 3] big.len=1000 sum=499500\n"
    );
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
}

#[test]
fn step_out_of_a_recursive_call_returns_to_the_right_activation() {
    let mut client = DapClient::new();
    client.launch(&["steps"], json!({}));
    client.set_breakpoints(&["fact_rec"]);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");
    // Stopped in the outermost activation (n == 5) before it recurses; step over the
    // recursive call: all four deeper activations run, and we stay in n == 5.
    assert_eq!(local(&mut client, 0, "n"), "5");
    client.set_breakpoints(&[]);
    let over = step(&mut client, "next");
    assert_eq!(
        over,
        ("debuggee::factorial".to_string(), line_of("fact_rec") as u64 + 1)
    );
    assert_eq!(local(&mut client, 0, "n"), "5");
    assert_eq!(local(&mut client, 0, "rest"), "24");
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
}
