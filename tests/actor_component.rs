//! Components (wasmCloud 1.x actors, `wasm32-wasip2`): a `wasi:cli/run` command under
//! `wasmscope run` and under the debugger, with breakpoints, frames, variables and stepping
//! inside the component's core module.

mod support;

use std::process::Command;

use serde_json::{Value, json};
use support::*;

fn run(args: &[&str], env: &[&str]) -> (String, String, Option<i32>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wasmscope"));
    command.arg("run");
    for pair in env {
        command.args(["--env", pair]);
    }
    let output = command.arg(component_wasm()).args(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code(),
    )
}

#[test]
fn run_executes_wasi_cli_run_with_args_and_exit_code() {
    let (stdout, stderr, code) = run(&["one", "two words"], &[]);
    assert_eq!(stdout, "hello from a component #7 with [\"one\", \"two words\"]: 6\n");
    assert_eq!(stderr, "");
    assert_eq!(code, Some(0));
}

#[test]
fn run_passes_the_environment_and_reports_wasi_cli_exit() {
    // WASI 0.2's `wasi:cli/exit.exit` carries only success or failure: `exit(3)` is a failure.
    let (stdout, stderr, code) = run(&[], &["EXIT_CODE=3"]);
    assert_eq!(stdout, "hello from a component #7 with []: 6\n");
    assert_eq!(stderr, "exiting with 3\n");
    assert_eq!(code, Some(1));
}

#[test]
fn a_panicking_component_reports_the_trap() {
    let (stdout, stderr, code) = run(&["panic"], &[]);
    assert_eq!(stdout, "");
    assert!(stderr.contains("asked to panic"), "{stderr}");
    assert!(stderr.contains("Error: "), "{stderr}");
    assert_eq!(code, Some(134));
}

#[test]
fn a_component_has_no_operations_to_invoke() {
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["run", "--invoke", "Greet=x"])
        .arg(component_wasm())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("is a component: it has no waPC operations to invoke"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));
}

fn set_component_breakpoints(client: &mut DapClient, markers: &[&str]) -> Value {
    let breakpoints: Vec<Value> = markers
        .iter()
        .map(|m| json!({ "line": component_line_of(m) }))
        .collect();
    client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": component_dir().join("src/main.rs") }, "breakpoints": breakpoints }),
    )
}

fn top_frame(client: &mut DapClient) -> Value {
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    trace["stackFrames"][0].clone()
}

fn locals_of(client: &mut DapClient, frame: &Value) -> Vec<String> {
    let scopes = client.request_ok("scopes", json!({ "frameId": frame["id"] }));
    assert_eq!(scopes["scopes"][0]["name"], "Locals", "{scopes}");
    let reference = scopes["scopes"][0]["variablesReference"].clone();
    let vars = client.request_ok("variables", json!({ "variablesReference": reference }));
    shown(vars["variables"].as_array().unwrap())
}

#[test]
fn a_breakpoint_in_the_components_main_shows_rust_values_and_steps() {
    let mut client = DapClient::new();
    let launch = client.launch(&["x"], json!({ "program": component_wasm() }));
    assert_eq!(launch["success"], true, "{launch}");
    let set = set_component_breakpoints(&mut client, &["call"]);
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set}");
    assert_eq!(set["breakpoints"][0]["line"], component_line_of("call"), "{set}");
    client.request_ok("configurationDone", json!({}));

    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint", "{stopped}");
    let frame = top_frame(&mut client);
    assert_eq!(frame["name"], "component::main");
    assert_eq!(frame["line"], component_line_of("call"));
    assert_eq!(
        locals_of(&mut client, &frame),
        [
            r#"args = ["x"] : alloc::vec::Vec<alloc::string::String>"#,
            r#"order = Order { id: 7, label: "component" } : component::Order"#,
            r#"greeting = "hello from a component" : alloc::string::String"#,
            "items = [1, 2, 3] : alloc::vec::Vec<u32>",
        ]
    );
    let label = client.request_ok(
        "evaluate",
        json!({ "expression": "order.label", "frameId": frame["id"], "context": "watch" }),
    );
    assert_eq!(label["result"], r#""component""#);

    client.request_ok("next", json!({ "threadId": 1 }));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "step", "{stopped}");
    let frame = top_frame(&mut client);
    assert_eq!(frame["name"], "component::main");
    assert_eq!(frame["line"], component_line_of("print"));
    let vars = locals_of(&mut client, &frame);
    assert!(vars.contains(&"sum = 6 : u32".to_string()), "{vars:?}");

    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_output("stdout", "hello from a component #7 with [\"x\"]: 6\n");
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
    client.wait_event("terminated");
}

#[test]
fn step_in_reaches_a_function_of_the_component() {
    let mut client = DapClient::new();
    client.launch(&[], json!({ "program": component_wasm() }));
    set_component_breakpoints(&mut client, &["call"]);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");
    client.request_ok("stepIn", json!({ "threadId": 1 }));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "step", "{stopped}");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(trace["stackFrames"][0]["name"], "component::total");
    assert_eq!(trace["stackFrames"][0]["line"], component_line_of("total"));
    assert_eq!(trace["stackFrames"][1]["name"], "component::main");
    assert_eq!(trace["stackFrames"][1]["line"], component_line_of("call"));
    let vars = locals_of(&mut client, &trace["stackFrames"][0]);
    assert!(vars.contains(&"items = [1, 2, 3] : &[u32]".to_string()), "{vars:?}");
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
}

#[test]
fn a_panic_in_a_component_stops_at_the_panicking_line() {
    let mut client = DapClient::new();
    client.launch(&["panic"], json!({ "program": component_wasm() }));
    client.request_ok("configurationDone", json!({}));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "exception", "{stopped}");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let main = trace["stackFrames"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "component::main")
        .cloned()
        .expect("main's frame");
    assert_eq!(main["line"], component_line_of("panic"));
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 134);
}

const SERVING: &str = "serving wasi:http/incoming-handler on http://";

#[test]
fn an_http_component_reaches_allowed_hosts_only() {
    /// Kills the server however the test ends.
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let (upstream, served) = one_request_http_server();
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_wasmscope"))
            .args(["run", "--http", "127.0.0.1:0", "--allow-host", &upstream])
            .arg(http_component_wasm())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = std::io::BufReader::new(server.0.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    let addr = line
        .trim_end()
        .strip_prefix(&format!("wasmscope: {SERVING}"))
        .unwrap()
        .to_string();
    let (_, body) = http_request(&addr, "GET", &format!("/fetch/{upstream}/greeting"), "");
    assert_eq!(body, "fetched 200: hello");
    assert!(served.join().unwrap().starts_with("GET /greeting HTTP/1.1\r\n"));
    // Any other host: wasi:http's `HTTP-request-denied`, and nothing is sent.
    let (_, body) = http_request(&addr, "GET", "/fetch/127.0.0.1:9/secret", "");
    assert_eq!(body, "fetch failed: ErrorCode::HttpRequestDenied");
}

#[test]
fn run_serves_an_http_component_until_killed() {
    /// Kills the server however the test ends.
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_wasmscope"))
            .args(["run", "--http", "127.0.0.1:0"])
            .arg(http_component_wasm())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = std::io::BufReader::new(server.0.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    let addr = line
        .trim_end()
        .strip_prefix(&format!("wasmscope: {SERVING}"))
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    assert_eq!(
        http_request(&addr, "GET", "/first?x=1", ""),
        (
            "HTTP/1.1 200 OK".to_string(),
            "Method::Get /first?x=1: hello\n".to_string()
        )
    );
    assert_eq!(
        http_request(&addr, "GET", "/second", ""),
        (
            "HTTP/1.1 200 OK".to_string(),
            "Method::Get /second: hello\n".to_string()
        )
    );
    drop(server);
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "{addr} still accepts connections"
    );
}

#[test]
fn an_http_component_needs_an_address_and_a_command_cannot_serve() {
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .arg(http_component_wasm())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("exports `wasi:http/incoming-handler`: give an address to serve it on"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));
    let (_, stderr, code) = {
        let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
            .args(["run", "--http", "127.0.0.1:0"])
            .arg(component_wasm())
            .output()
            .unwrap();
        (
            output.stdout,
            String::from_utf8(output.stderr).unwrap(),
            output.status.code(),
        )
    };
    assert!(
        stderr.contains("does not export `wasi:http/incoming-handler`"),
        "{stderr}"
    );
    assert_eq!(code, Some(2));
}

#[test]
fn an_http_request_stops_at_a_breakpoint_in_the_component_and_completes_after_continue() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    client.request_ok(
        "launch",
        json!({ "program": http_component_wasm(), "http": "127.0.0.1:0" }),
    );
    let set = client.request_ok(
        "setBreakpoints",
        json!({
            "source": { "path": http_component_dir().join("src/lib.rs") },
            "breakpoints": [{ "line": http_component_line_of("text") }],
        }),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set}");
    client.request_ok("configurationDone", json!({}));
    let console = client.wait_output("console", SERVING);
    let addr = console
        .lines()
        .find_map(|l| l.strip_prefix(&format!("wasmscope: {SERVING}")))
        .unwrap()
        .to_string();

    // The client waits while the component is stopped.
    let request = {
        let addr = addr.clone();
        std::thread::spawn(move || http_request(&addr, "GET", "/debugged?q=2", ""))
    };
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint", "{stopped}");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let top = &trace["stackFrames"][0];
    assert_eq!(
        top["name"],
        "<http_component::Handler as wasip2::proxy::exports::wasi::http::incoming_handler::Guest>::handle"
    );
    assert_eq!(top["line"], http_component_line_of("text"));
    let path = client.request_ok(
        "evaluate",
        json!({ "expression": "path", "frameId": top["id"], "context": "watch" }),
    );
    assert_eq!(path["result"], r#""/debugged?q=2""#);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(!request.is_finished(), "the request must wait for the debugger");

    client.request_ok("continue", json!({ "threadId": 1 }));
    let (status, body) = request.join().unwrap();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(body, "Method::Get /debugged?q=2: hello\n");

    // Ending the session ends the server: no port is left behind.
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    client.wait_event("terminated");
    assert_eq!(client.wait_exit(), Some(0));
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "{addr} still accepts connections"
    );
}
