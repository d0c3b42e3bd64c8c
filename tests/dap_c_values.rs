//! A C program: structs, arrays, pointers, enums and strings shown from DWARF, over DAP.

mod support;

use serde_json::json;
use support::*;

#[test]
fn c_values_and_a_c_call_stack() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let launch = client.request("launch", json!({ "program": c_debuggee_wasm() }));
    assert_eq!(launch["success"], true, "{launch}");
    let set = client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": c_debuggee_source() }, "breakpoints": [{ "line": c_line_of("c_values") }, { "line": c_line_of("c_sum_return") }] }),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set}");
    assert_eq!(set["breakpoints"][1]["verified"], true, "{set}");
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    assert_eq!(trace["stackFrames"][0]["name"], "main");
    assert_eq!(trace["stackFrames"][0]["line"], c_line_of("c_values"));
    let scopes = client.request_ok("scopes", json!({ "frameId": trace["stackFrames"][0]["id"] }));
    let locals = client.request_ok(
        "variables",
        json!({ "variablesReference": scopes["scopes"][0]["variablesReference"] }),
    );
    let vars = locals["variables"].as_array().unwrap().clone();
    let shown_vars = shown(&vars);
    // Pointers show the address they hold: check all but the address digits.
    let without_address = |line: &str| {
        let mut out = String::new();
        let mut rest = line;
        while let Some(at) = rest.find("0x") {
            out.push_str(&rest[..at]);
            out.push_str("0x…");
            rest = &rest[at + 10..];
        }
        out + rest
    };
    let shown_vars: Vec<String> = shown_vars.iter().map(|l| without_address(l)).collect();
    assert_eq!(
        shown_vars,
        [
            "p = {x = 3, y = -4} : struct point",
            "numbers = [1, 2, 3, 4, 5] : int[5]",
            "name = 0x… \"wasm\" : const char *",
            "pp = 0x… : struct point *",
            "seg = {from = {x = 0, y = 0}, to = {x = 7, y = 8}, label = 0x… \"diagonal\"} : segment_t",
            "c = GREEN : enum color",
            "ratio = 0.75 : double",
            "letter = 65 'A' : char",
            "big = 1099511627776 : unsigned long long",
            "total = 0 : int",
        ]
    );
    // The pointer's target is one level down; its address is `p`'s.
    let pp = vars.iter().find(|v| v["name"] == "pp").unwrap();
    let p = vars.iter().find(|v| v["name"] == "p").unwrap();
    assert_eq!(
        pp["value"],
        p["memoryReference"]
            .as_str()
            .map(|a| format!("{:#010x}", u64::from_str_radix(&a[2..], 16).unwrap()))
            .unwrap()
    );
    let target = client.request_ok("variables", json!({ "variablesReference": pp["variablesReference"] }));
    assert_eq!(
        shown(target["variables"].as_array().unwrap()),
        ["* = {x = 3, y = -4} : struct point"]
    );
    let numbers = vars.iter().find(|v| v["name"] == "numbers").unwrap();
    let elements = client.request_ok(
        "variables",
        json!({ "variablesReference": numbers["variablesReference"], "start": 3, "count": 2 }),
    );
    assert_eq!(
        shown(elements["variables"].as_array().unwrap()),
        ["[3] = 4 : int", "[4] = 5 : int"]
    );

    // Into `sum`: a C call stack and the callee's parameters.
    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_event("stopped");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let frames: Vec<(String, u64)> = trace["stackFrames"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|f| (f["name"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        frames,
        [
            ("sum".to_string(), c_line_of("c_sum_return") as u64),
            ("main".to_string(), c_line_of("c_values") as u64)
        ]
    );
    let scopes = client.request_ok("scopes", json!({ "frameId": trace["stackFrames"][0]["id"] }));
    let locals = client.request_ok(
        "variables",
        json!({ "variablesReference": scopes["scopes"][0]["variablesReference"] }),
    );
    let locals = locals["variables"].as_array().unwrap();
    let count = locals.iter().find(|v| v["name"] == "count").unwrap();
    assert_eq!(count["value"], "5");
    let total = locals.iter().find(|v| v["name"] == "total").unwrap();
    assert_eq!(total["value"], "15");
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
    assert_eq!(
        client.output("stdout"),
        "3 -4 wasm 7 diagonal 1 0.75 A 1099511627776 15\n"
    );
}
