//! waPC actors (built with `wapc-guest`, as wasmCloud 0.x actors were): invoked from the
//! command line and under the debugger, calling the built-in key-value and logging providers.

mod support;

use std::process::Command;

use serde_json::{Value, json};
use support::*;

fn run(args: &[&str]) -> (String, String, Option<i32>) {
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .arg(wapc_actor_wasm())
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code(),
    )
}

#[test]
fn run_invokes_operations_in_order_with_providers_and_logs() {
    let (stdout, stderr, code) = run(&[
        "--invoke",
        "Greet=wasm world",
        "--invoke",
        r#"Count@msgpack={"key": "hits", "by": 2}"#,
        "--invoke",
        r#"Count@msgpack={"key": "hits", "by": 3}"#,
        "--invoke",
        "Remember=first",
        "--invoke",
        "Remember=second",
        "--log-level",
        "debug",
    ]);
    assert_eq!(
        stdout,
        "Greet: Hello, wasm world!\nCount: 2\nCount: 5\nRemember: (nothing)\nRemember: first\n"
    );
    assert_eq!(
        stderr,
        "[info wapc-actor] Hello, wasm world!\n[debug wapc-actor] hits is now 2\n[debug wapc-actor] hits is now 5\n"
    );
    assert_eq!(code, Some(0));
}

#[test]
fn failures_reach_the_caller_and_later_invocations_still_run() {
    let (stdout, stderr, code) = run(&[
        "--invoke",
        "Fail",
        "--invoke",
        "Nope=x",
        "--invoke",
        "Count=not msgpack",
        "--invoke",
        "Panic",
        "--invoke",
        "Greet=again",
    ]);
    assert_eq!(stdout, "Greet: Hello, again!\n");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "Fail failed: the Fail operation always fails",
            "Nope failed: No handler registered for function Nope",
            "Count failed: invalid type: integer `110`, expected struct CountRequest",
            "Panic failed: wasm trap: wasm `unreachable` instruction executed in wapc_actor::panic",
            "[info wapc-actor] Hello, again!",
        ]
    );
    assert_eq!(code, Some(1));
}

#[test]
fn the_key_value_file_keeps_state_between_runs() {
    let file = std::env::temp_dir().join(format!("wasmscope-actor-kv-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let file_arg = file.to_str().unwrap();
    let count = r#"Count@msgpack={"key": "runs", "by": 1}"#;
    let first = run(&["--keyvalue-file", file_arg, "--invoke", count]);
    let second = run(&["--keyvalue-file", file_arg, "--invoke", count]);
    assert_eq!((first.0.as_str(), second.0.as_str()), ("Count: 1\n", "Count: 2\n"));
    std::fs::remove_file(&file).unwrap();
}

#[test]
fn bad_invocations_are_refused_before_anything_runs() {
    let (_, stderr, code) = run(&["--invoke", "Put@json={oops"]);
    assert_eq!(
        stderr,
        "wasmscope: the payload of `Put` is not valid JSON: key must be a string at line 1 column 2\n"
    );
    assert_eq!(code, Some(2));
    // A WASI command has no operations.
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["run", "--invoke", "Greet=x"])
        .arg(debuggee_wasm())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.ends_with("is a WASI command program, not an actor: it has no operations to invoke\n"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));
}

fn launch_actor(client: &mut DapClient, invoke: Value) {
    client.initialize();
    client.wait_event("initialized");
    client.request_ok(
        "launch",
        json!({ "program": wapc_actor_wasm(), "invoke": invoke, "logLevel": "debug" }),
    );
}

fn variables_of_top_frame(client: &mut DapClient) -> Vec<String> {
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let frame = trace["stackFrames"][0]["id"].clone();
    let scopes = client.request_ok("scopes", json!({ "frameId": frame }));
    let locals = scopes["scopes"][0]["variablesReference"].clone();
    let vars = client.request_ok("variables", json!({ "variablesReference": locals }));
    shown(vars["variables"].as_array().unwrap())
}

#[test]
fn a_breakpoint_in_a_handler_shows_the_decoded_request_as_a_rust_value() {
    let mut client = DapClient::new();
    launch_actor(
        &mut client,
        json!([
            { "operation": "Greet", "payload": "debugger" },
            { "operation": "Count", "payload": { "key": "hits", "by": 4 }, "format": "msgpack" },
        ]),
    );
    let source = wapc_actor_dir().join("src/lib.rs");
    let set = client.request_ok(
        "setBreakpoints",
        json!({
            "source": { "path": source },
            "breakpoints": [{ "line": wapc_line_of("greet") }, { "line": wapc_line_of("count") }],
        }),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set}");
    assert_eq!(set["breakpoints"][1]["verified"], true, "{set}");
    client.request_ok("configurationDone", json!({}));

    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(trace["stackFrames"][0]["name"], "wapc_actor::greet");
    assert_eq!(trace["stackFrames"][0]["line"], wapc_line_of("greet"));
    let vars = variables_of_top_frame(&mut client);
    assert!(vars.contains(&r#"name = "debugger" : &str"#.to_string()), "{vars:?}");

    client.request_ok("continue", json!({ "threadId": 1 }));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(trace["stackFrames"][0]["name"], "wapc_actor::count");
    let vars = variables_of_top_frame(&mut client);
    assert!(
        vars.contains(&r#"request = CountRequest { key: "hits", by: 4 } : wapc_actor::CountRequest"#.to_string()),
        "{vars:?}"
    );
    // The first invocation's log line and response reached the debug console.
    let console = client.output("console");
    assert!(console.contains("[info wapc-actor] Hello, debugger!\n"), "{console}");
    assert!(console.contains("Greet: Hello, debugger!\n"), "{console}");

    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_output("console", "Count: 4\n");
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
    client.wait_event("terminated");
    let log = client
        .messages_seen()
        .iter()
        .find(|m| m["event"] == "output" && m["body"]["output"] == "[debug wapc-actor] hits is now 4\n")
        .cloned()
        .expect("the debug log line");
    assert_eq!(log["body"]["data"]["level"], "debug");
}

#[test]
fn a_trapping_handler_stops_then_fails_only_its_invocation() {
    let mut client = DapClient::new();
    launch_actor(
        &mut client,
        json!([{ "operation": "Panic" }, { "operation": "Greet", "payload": "after" }]),
    );
    client.request_ok("configurationDone", json!({}));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "exception");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let user = trace["stackFrames"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "wapc_actor::panic")
        .cloned()
        .expect("the handler's frame");
    assert_eq!(user["line"], wapc_line_of("panic"));
    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_output(
        "console",
        "Panic: error: wasm trap: wasm `unreachable` instruction executed in wapc_actor::panic\n",
    );
    client.wait_output("console", "Greet: Hello, after!\n");
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 1);
    client.wait_event("terminated");
}

#[test]
fn a_bad_invoke_entry_fails_the_launch_with_a_clear_message() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let response = client.request(
        "launch",
        json!({ "program": wapc_actor_wasm(), "invoke": [{ "operation": "Raw", "payload": "!!", "format": "base64" }] }),
    );
    assert_eq!(response["success"], false);
    let message = response["message"].as_str().unwrap();
    assert!(
        message.starts_with("bad `invoke` entry: the payload of `Raw` is not valid base64"),
        "{message}"
    );
    // The adapter still serves.
    let threads = client.request("threads", json!({}));
    assert_eq!(threads["success"], true, "{threads}");
}

fn console(client: &mut DapClient, command: &str) -> Value {
    client.request("evaluate", json!({ "expression": command, "context": "repl" }))
}

#[test]
fn a_serving_actor_takes_invocations_and_log_levels_from_the_debug_console() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    client.request_ok(
        "launch",
        json!({
            "program": wapc_actor_wasm(),
            "invoke": [{ "operation": "Greet", "payload": "first" }],
            "serve": true,
        }),
    );
    client.request_ok("configurationDone", json!({}));
    client.wait_output("console", "Greet: Hello, first!\n");
    assert!(client.output("console").contains("[info wapc-actor] Hello, first!\n"));

    // Quieter: the next greeting's info line is filtered out, its response is not.
    assert_eq!(console(&mut client, ".log warn")["body"]["result"], "log level: warn");
    assert_eq!(
        console(&mut client, ".invoke Greet=second")["body"]["result"],
        "invoking Greet…"
    );
    client.wait_output("console", "Greet: Hello, second!\n");
    assert!(
        !client.output("console").contains("Hello, second!\n[")
            && !client.output("console").contains("] Hello, second!")
    );
    assert_eq!(console(&mut client, ".log")["body"]["result"], "log level: warn");

    // A breakpoint set while the actor waits is hit by the next invocation.
    let source = wapc_actor_dir().join("src/lib.rs");
    client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": source }, "breakpoints": [{ "line": wapc_line_of("count") }] }),
    );
    console(&mut client, r#".invoke Count@msgpack={"key": "repl", "by": 7}"#);
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_output("console", "Count: 7\n");

    let unknown = console(&mut client, ".frobnicate");
    assert_eq!(unknown["success"], false);
    assert_eq!(
        unknown["message"],
        "unknown command `.frobnicate`; `.help` lists the commands"
    );
    let bad = console(&mut client, ".log loud");
    assert_eq!(
        bad["message"],
        "cannot change the log level: unknown log level `loud` (expected error, warn, info, debug or trace)"
    );

    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    client.wait_event("terminated");
}

#[test]
fn without_serve_the_console_says_how_to_invoke() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    client.request_ok(
        "launch",
        json!({ "program": wapc_actor_wasm(), "invoke": [{ "operation": "Greet", "payload": "x" }], "stopOnEntry": true }),
    );
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");
    let answer = console(&mut client, ".invoke Greet=y");
    assert_eq!(answer["success"], false);
    assert_eq!(
        answer["message"],
        "this program takes no invocations now: launch a waPC actor with `serve` to invoke it from here"
    );
    let help = console(&mut client, ".help");
    assert!(
        help["body"]["result"]
            .as_str()
            .unwrap()
            .starts_with(".invoke OP[=PAYLOAD]")
    );
}

#[test]
fn an_actor_with_nothing_to_do_says_how_to_give_it_work_unless_it_serves() {
    let launch = |serve: bool| {
        let mut client = DapClient::new();
        client.initialize();
        client.wait_event("initialized");
        client.request_ok("launch", json!({ "program": wapc_actor_wasm(), "serve": serve }));
        client.request_ok("configurationDone", json!({}));
        client
    };
    let mut idle = launch(false);
    idle.wait_output(
        "console",
        "is a waPC actor and nothing was given to invoke: add `invoke` to the launch, or \
         `\"serve\": true` to invoke it from the debug console\n",
    );
    idle.wait_event("terminated");

    let mut serving = launch(true);
    assert_eq!(
        console(&mut serving, ".invoke Greet=x")["body"]["result"],
        "invoking Greet…"
    );
    serving.wait_output("console", "Greet: Hello, x!\n");
    assert!(
        !serving.output("console").contains("nothing was given"),
        "{}",
        serving.output("console")
    );
    serving.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    serving.wait_event("terminated");
}
