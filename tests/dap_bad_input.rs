//! Bad input gets an error (or is dropped with a log line) and the adapter keeps serving.

mod support;

use serde_json::json;
use support::*;

#[test]
fn malformed_messages_are_reported_and_the_session_goes_on() {
    let mut client = DapClient::new();
    client.initialize();
    // A body that is not JSON, a header without a length, a JSON value that is no request.
    client.send_raw(b"Content-Length: 9\r\n\r\nnot json!");
    client.send_raw(b"X-Nonsense: 1\r\n\r\n");
    client.send_message(&json!({ "seq": 50, "type": "request" }));
    client.send_message(&json!([1, 2, 3]));
    let unknown = client.request("frobnicate", json!({}));
    assert_eq!(unknown["success"], false);
    assert_eq!(unknown["message"], "unsupported request `frobnicate`");
    let no_command = client.wait_response(50);
    assert_eq!(no_command["success"], false);
    let bad_args = client.request("setBreakpoints", json!({ "source": 7 }));
    assert_eq!(bad_args["success"], false);
    assert!(
        bad_args["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid arguments for `setBreakpoints`"),
        "{bad_args}"
    );
    let console = client.output("console");
    assert!(
        console.contains("dropped a malformed message: body is not JSON"),
        "{console}"
    );
    assert!(
        console.contains("dropped a malformed message: missing Content-Length header"),
        "{console}"
    );

    // Still serving: a whole session works.
    let launch = client.request("launch", json!({ "program": debuggee_wasm(), "args": ["steps"] }));
    assert_eq!(launch["success"], true, "{launch}");
    client.request_ok("configurationDone", json!({}));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
}

#[test]
fn launching_a_missing_file_fails_the_request_clearly() {
    let mut client = DapClient::new();
    client.initialize();
    let response = client.request("launch", json!({ "program": "/no/such/program.wasm" }));
    assert_eq!(response["success"], false);
    assert_eq!(response["message"], "program `/no/such/program.wasm` does not exist");
    // The adapter is still there and can launch something real.
    let launch = client.request("launch", json!({ "program": debuggee_wasm(), "args": ["steps"] }));
    assert_eq!(launch["success"], true, "{launch}");
}

#[test]
fn launching_a_file_that_is_not_wasm_fails_the_request_clearly() {
    let mut client = DapClient::new();
    client.initialize();
    let not_wasm = debuggee_source();
    let response = client.request("launch", json!({ "program": not_wasm }));
    assert_eq!(response["success"], false);
    assert_eq!(
        response["message"],
        format!(
            "`{}` is not a WebAssembly binary (it does not start with the `\\0asm` magic)",
            not_wasm.display()
        )
    );
    let corrupt = std::env::temp_dir().join(format!("wasmscope-corrupt-{}.wasm", std::process::id()));
    let mut bytes = std::fs::read(debuggee_wasm()).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&corrupt, bytes).unwrap();
    let response = client.request("launch", json!({ "program": corrupt }));
    assert_eq!(response["success"], false);
    assert!(
        response["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("`{}` is not a valid WebAssembly binary", corrupt.display())),
        "{response}"
    );
    std::fs::remove_file(corrupt).unwrap();
}

#[test]
fn requests_that_need_a_stopped_program_say_so() {
    let mut client = DapClient::new();
    client.initialize();
    let response = client.request("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(response["success"], false);
    assert_eq!(
        response["message"],
        "no program is running: send `launch` (or `attach`) first"
    );
    client.launch_again_loop();
}

trait LaunchLoop {
    fn launch_again_loop(&mut self);
}

impl LaunchLoop for DapClient {
    /// Launches the endless loop and checks that inspection while running is refused.
    fn launch_again_loop(&mut self) {
        let launch = self.request("launch", json!({ "program": debuggee_wasm(), "args": ["loop"] }));
        assert_eq!(launch["success"], true);
        self.request_ok("configurationDone", json!({}));
        let response = self.request("stackTrace", json!({ "threadId": 1 }));
        assert_eq!(response["success"], false);
        assert_eq!(response["message"], "the program is running: pause it first");
        let response = self.request("continue", json!({ "threadId": 1 }));
        assert_eq!(response["message"], "the program is not stopped");
        let response = self.request("variables", json!({ "variablesReference": 999 }));
        assert_eq!(response["success"], false);
        self.request_ok("disconnect", json!({ "terminateDebuggee": true }));
        assert_eq!(self.wait_exit(), Some(0));
    }
}
