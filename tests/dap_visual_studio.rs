//! Visual Studio conformance: Visual Studio can't run here, so these tests replay what its
//! Debug Adapter Host sends (client id `visualstudio`, the `$`-prefixed properties of
//! `launch.vs.json` passed through, Windows paths with drive letters and backslashes, a
//! `modules` request on attach) and check what it insists on: enumerated fields with values
//! of their enumeration, every number within a 32-bit signed integer, a scope named as
//! `$localsScopeName` says, and nothing after the `disconnect` response.

mod support;

use serde_json::{Value, json};
use support::host::DebugHost;
use support::*;

/// The `initialize` arguments Visual Studio's Debug Adapter Host sends.
fn visual_studio_initialize() -> Value {
    json!({
        "clientID": "visualstudio",
        "clientName": "Visual Studio",
        "adapterID": "wasmscope",
        "pathFormat": "path",
        "linesStartAt1": true,
        "columnsStartAt1": true,
        "supportsVariableType": true,
        "supportsVariablePaging": true,
        "supportsRunInTerminalRequest": true,
        "supportsMemoryReferences": true,
        "supportsHandshakeRequest": true,
        "locale": "en-US",
    })
}

/// The properties of a `launch.vs.json` configuration that the host passes along.
fn launch_vs_properties() -> Value {
    json!({
        "name": "Debug debuggee.wasm",
        "type": "default",
        "$adapter": "C:\\Users\\dev\\.cargo\\bin\\wasmscope.exe",
        "$adapterArgs": "dap",
        "$localsScopeName": "Locals",
        "$adapterRuntime": "native",
    })
}

/// `path` as a Windows checkout of the same tree would name it: `C:\src\wasmscope\tests\…`.
fn windows_path(path: &std::path::Path) -> String {
    let relative = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
    format!("C:\\src\\wasmscope\\{}", relative.to_string_lossy().replace('/', "\\"))
}

/// Visual Studio reads every protocol number as an `i32`: a larger one ends the session.
fn assert_numbers_fit_i32(message: &Value) {
    match message {
        Value::Number(n) => {
            let fits = n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) || n.is_f64();
            assert!(fits, "{n} does not fit a 32-bit signed integer");
        }
        Value::Array(items) => items.iter().for_each(assert_numbers_fit_i32),
        Value::Object(fields) => fields.values().for_each(assert_numbers_fit_i32),
        _ => {}
    }
}

/// Enumerated fields Visual Studio checks against their enumeration.
fn assert_enumerations(message: &Value) {
    let body = &message["body"];
    match (message["type"].as_str(), message["event"].as_str()) {
        (Some("event"), Some("stopped")) => {
            let reasons = [
                "step",
                "breakpoint",
                "exception",
                "pause",
                "entry",
                "goto",
                "function breakpoint",
                "data breakpoint",
                "instruction breakpoint",
            ];
            assert!(reasons.contains(&body["reason"].as_str().unwrap()), "{message}");
        }
        (Some("event"), Some("output")) => {
            let categories = ["console", "important", "stdout", "stderr", "telemetry"];
            assert!(
                categories.contains(&body["category"].as_str().unwrap_or("console")),
                "{message}"
            );
        }
        (Some("event"), Some("breakpoint")) => {
            assert!(
                ["changed", "new", "removed"].contains(&body["reason"].as_str().unwrap()),
                "{message}"
            );
        }
        _ => {}
    }
}

fn check_everything_seen(client: &DapClient) {
    for message in client.messages_seen() {
        assert_numbers_fit_i32(message);
        assert_enumerations(message);
    }
}

#[test]
fn a_launch_as_visual_studio_sends_it() {
    let mut client = DapClient::new();
    let caps = client.request_ok("initialize", visual_studio_initialize());
    assert_eq!(caps["supportsConfigurationDoneRequest"], true);
    assert_eq!(caps["supportsModulesRequest"], true);
    client.wait_event("initialized");

    let mut launch = launch_vs_properties();
    launch["program"] = json!(debuggee_wasm());
    launch["args"] = json!(["values"]);
    client.request_ok("launch", launch);

    // Breakpoints come with the Windows path of the file Visual Studio has open.
    let source = windows_path(&debuggee_source());
    let set = client.request_ok(
        "setBreakpoints",
        json!({
            "source": { "name": "main.rs", "path": source },
            "breakpoints": [{ "line": line_of("values") }],
            "lines": [line_of("values")],
            "sourceModified": false,
        }),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set}");
    assert_eq!(set["breakpoints"][0]["line"], line_of("values"));
    assert_eq!(set["breakpoints"][0]["source"]["path"], source);
    client.request_ok("setExceptionBreakpoints", json!({ "filters": ["trap"] }));
    client.request_ok("configurationDone", json!({}));

    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    assert_eq!(
        stopped["body"]["allThreadsStopped"], true,
        "Visual Studio stops all threads at once"
    );
    let threads = client.request_ok("threads", json!({}));
    assert_eq!(threads["threads"], json!([{ "id": 1, "name": "main" }]));
    let trace = client.request_ok(
        "stackTrace",
        json!({ "threadId": 1, "startFrame": 0, "levels": 20, "format": { "parameters": true, "module": true } }),
    );
    let top = &trace["stackFrames"][0];
    assert_eq!(top["name"], "debuggee::values");
    assert_eq!(top["line"], line_of("values"));

    // `$localsScopeName: Locals` names a scope that exists.
    let scopes = client.request_ok("scopes", json!({ "frameId": top["id"] }));
    let locals = scopes["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Locals")
        .unwrap_or_else(|| panic!("no Locals scope: {scopes}"))
        .clone();
    let variables = client.request_ok(
        "variables",
        json!({ "variablesReference": locals["variablesReference"] }),
    );
    let shown = shown(variables["variables"].as_array().unwrap());
    assert!(
        shown.contains(&r#"owned = "hello" : alloc::string::String"#.to_string()),
        "{shown:?}"
    );
    assert!(
        shown.contains(&"some = Some(7) : core::option::Option<i32>".to_string()),
        "{shown:?}"
    );
    // Expand a paged vector and a struct, as the Locals window does.
    let vars = variables["variables"].as_array().unwrap();
    for name in ["big", "line", "arc"] {
        let var = vars.iter().find(|v| v["name"] == name).unwrap();
        let children = client.request_ok(
            "variables",
            json!({ "variablesReference": var["variablesReference"], "start": 0, "count": 100 }),
        );
        assert!(
            !children["variables"].as_array().unwrap().is_empty(),
            "{name}: {children}"
        );
    }
    let evaluated = client.request_ok(
        "evaluate",
        json!({ "expression": "line.to.x", "frameId": top["id"], "context": "watch" }),
    );
    assert_eq!(evaluated["result"], "5");
    let modules = client.request_ok("modules", json!({ "startModule": 0, "moduleCount": 0 }));
    assert_eq!(modules["totalModules"], 1);
    assert_eq!(modules["modules"][0]["name"], "debuggee.wasm");
    assert_eq!(modules["modules"][0]["symbolStatus"], "DWARF loaded");

    // Stop Debugging while stopped: the program's end is reported before the response.
    client.request_ok("disconnect", json!({ "restart": false, "terminateDebuggee": true }));
    assert_eq!(client.wait_exit(), Some(0));
    check_everything_seen(&client);
    assert!(client.events_seen().iter().any(|e| e["event"] == "terminated"));
    let last = client.messages_seen().last().unwrap();
    assert_eq!(
        (last["type"].as_str(), last["command"].as_str()),
        (Some("response"), Some("disconnect")),
        "nothing may follow the disconnect response"
    );
}

#[test]
fn an_attach_as_visual_studio_sends_it() {
    let host = DebugHost::start("127.0.0.1:0", &[], &[]);
    let mut client = DapClient::new();
    client.request_ok("initialize", visual_studio_initialize());
    client.wait_event("initialized");
    let mut attach = launch_vs_properties();
    attach["request"] = json!("attach");
    attach["connect"] = json!(host.debug_addr);
    client.request_ok("attach", attach);

    // Visual Studio asks for the modules on attach.
    let modules = client.request_ok("modules", json!({ "startModule": 0, "moduleCount": 0 }));
    let list = modules["modules"].as_array().unwrap();
    assert_eq!(modules["totalModules"], list.len());
    assert!(
        list.iter().any(|m| m["symbolStatus"] == "DWARF loaded"
            && m["name"]
                .as_str()
                .unwrap()
                .starts_with("http_component.wasm (core module ")),
        "{modules}"
    );

    let source = windows_path(&http_component_dir().join("src/lib.rs"));
    let set = client.request_ok(
        "setBreakpoints",
        json!({ "source": { "name": "lib.rs", "path": source }, "breakpoints": [{ "line": http_component_line_of("text") }] }),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set}");
    client.request_ok("setExceptionBreakpoints", json!({ "filters": [] }));
    client.request_ok("configurationDone", json!({}));

    let addr = host.http_addr.clone();
    let request = std::thread::spawn(move || http_request(&addr, "GET", "/from-vs", ""));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1, "startFrame": 0, "levels": 20 }));
    assert_eq!(trace["stackFrames"][0]["line"], http_component_line_of("text"));
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(request.join().unwrap().1, "Method::Get /from-vs: hello\n");

    // "Detach All": the host goes on serving.
    client.request_ok("disconnect", json!({ "restart": false, "terminateDebuggee": false }));
    assert_eq!(client.wait_exit(), Some(0));
    check_everything_seen(&client);
    assert_eq!(client.messages_seen().last().unwrap()["command"], "disconnect");
    let (status, _) = http_request(&host.http_addr, "GET", "/after", "");
    assert_eq!(status, "HTTP/1.1 200 OK");
}
