//! Launch settings (args, env, cwd, stopOnEntry), output and exit codes, pause, terminate and
//! disconnect, over DAP.

mod support;

use serde_json::json;
use support::*;

#[test]
fn args_env_cwd_stdout_stderr_and_exit_code_reach_the_client() {
    let dir = std::env::temp_dir().join(format!("wasmscope-io-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("input.txt"), "from the host\n").unwrap();
    let mut client = DapClient::new();
    let launch = client.launch(
        &["io", "first", "second arg"],
        json!({ "env": { "GREETING": "hi there" }, "cwd": dir }),
    );
    assert_eq!(launch["success"], true, "{launch}");
    client.request_ok("configurationDone", json!({}));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 3);
    client.wait_event("terminated");
    assert_eq!(
        client.output("stdout"),
        "arg: first\narg: second arg\nGREETING=hi there\nfile: from the host\n"
    );
    assert_eq!(client.output("stderr"), "to stderr\n");
    client.request_ok("disconnect", json!({}));
    assert_eq!(client.wait_exit(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stop_on_entry_stops_at_the_first_line_of_main() {
    let mut client = DapClient::new();
    client.launch(&["steps"], json!({ "stopOnEntry": true }));
    client.request_ok("configurationDone", json!({}));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "entry");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(trace["stackFrames"][0]["name"], "debuggee::main");
    assert_eq!(trace["stackFrames"][0]["line"], 17);
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
}

#[test]
fn pause_stops_an_endless_loop_and_continue_resumes_it() {
    let mut client = DapClient::new();
    client.launch(&["loop"], json!({}));
    client.request_ok("configurationDone", json!({}));
    // Let it spin.
    assert!(
        client
            .try_wait_event("exited", std::time::Duration::from_millis(300))
            .is_none()
    );
    client.request_ok("pause", json!({ "threadId": 1 }));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "pause");
    // It may stop inside `black_box` (core's source, marked subtle): the first frame with
    // local source is the loop.
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let user = trace["stackFrames"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f.get("presentationHint").is_none())
        .unwrap();
    assert_eq!(user["name"], "debuggee::endless_loop");

    // A breakpoint set while paused is hit after continuing.
    client.set_breakpoints(&["loop_body"]);
    client.request_ok("continue", json!({ "threadId": 1 }));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(trace["stackFrames"][0]["line"], line_of("loop_body"));

    // Breakpoints cleared while running take effect at once: pause works again.
    client.set_breakpoints(&[]);
    client.request_ok("continue", json!({ "threadId": 1 }));
    client.request_ok("pause", json!({ "threadId": 1 }));
    assert_eq!(client.wait_event("stopped")["body"]["reason"], "pause");
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn breakpoints_set_while_running_are_hit() {
    let mut client = DapClient::new();
    client.launch(&["loop"], json!({}));
    client.request_ok("configurationDone", json!({}));
    assert!(
        client
            .try_wait_event("stopped", std::time::Duration::from_millis(200))
            .is_none()
    );
    client.set_breakpoints(&["loop_body"]);
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn disconnect_while_running_ends_program_and_adapter() {
    let mut client = DapClient::new();
    client.launch(&["loop"], json!({}));
    client.request_ok("configurationDone", json!({}));
    assert!(
        client
            .try_wait_event("exited", std::time::Duration::from_millis(200))
            .is_none()
    );
    let response = client.request("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(response["success"], true);
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn terminate_ends_the_program_and_reports_terminated() {
    let mut client = DapClient::new();
    client.launch(&["loop"], json!({}));
    client.request_ok("configurationDone", json!({}));
    client.request_ok("terminate", json!({}));
    client.wait_event("terminated");
    client.request_ok("disconnect", json!({}));
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn closing_stdin_ends_the_adapter() {
    let mut client = DapClient::new();
    client.launch(&["loop"], json!({}));
    client.request_ok("configurationDone", json!({}));
    client.close_stdin();
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn stop_on_entry_without_dwarf_stops_at_the_first_instruction() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let launch = client.request(
        "launch",
        json!({ "program": debuggee_wasm_without_dwarf(), "args": ["steps"], "stopOnEntry": true }),
    );
    assert_eq!(launch["success"], true, "{launch}");
    client.request_ok("configurationDone", json!({}));
    assert_eq!(client.wait_event("stopped")["body"]["reason"], "entry");
    // No source: frames are named from the module's name section.
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(trace["stackFrames"][0]["name"], "_start");
    assert!(trace["stackFrames"][0].get("source").is_none());
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
}
