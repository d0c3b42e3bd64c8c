//! Variables as a Rust developer reads them, through `scopes` and `variables` over DAP.

mod support;

use serde_json::{Value, json};
use support::*;

/// Stops at `BP:values` and returns the client and the Locals scope's variables.
fn stopped_in_values() -> (DapClient, Vec<Value>) {
    let mut client = DapClient::new();
    let launch = client.launch(&["values"], json!({}));
    assert_eq!(launch["success"], true, "{launch}");
    client.set_breakpoints(&["values"]);
    client.request_ok("configurationDone", json!({}));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let frame = &trace["stackFrames"][0];
    assert_eq!(frame["name"], "debuggee::values");
    assert_eq!(frame["line"], line_of("values"));
    let scopes = client.request_ok("scopes", json!({ "frameId": frame["id"] }));
    assert_eq!(scopes["scopes"][0]["name"], "Locals");
    assert_eq!(scopes["scopes"][1]["name"], "Wasm Locals");
    let locals = client.request_ok(
        "variables",
        json!({ "variablesReference": scopes["scopes"][0]["variablesReference"] }),
    );
    let vars = locals["variables"].as_array().unwrap().clone();
    (client, vars)
}

fn find<'a>(vars: &'a [Value], name: &str) -> &'a Value {
    vars.iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no variable `{name}` in {vars:?}"))
}

fn children(client: &mut DapClient, var: &Value, paging: Value) -> Vec<Value> {
    let reference = var["variablesReference"].as_u64().unwrap();
    assert_ne!(reference, 0, "{var} has no children");
    let mut args = json!({ "variablesReference": reference });
    if let Value::Object(extra) = paging {
        for (k, v) in extra {
            args[k] = v;
        }
    }
    client.request_ok("variables", args)["variables"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn every_value_kind_is_shown_as_rust_prints_it() {
    let (_client, vars) = stopped_in_values();
    assert_eq!(
        shown(&vars),
        [
            "num_i32 = -7 : i32",
            "num_u64 = 42 : u64",
            "num_f64 = 2.5 : f64",
            "flag = true : bool",
            "letter = 'λ' : char",
            "owned = \"hello\" : alloc::string::String",
            "borrowed = \"world\" : &str",
            "vec = [1, 2, 3] : alloc::vec::Vec<i32>",
            "big = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …] : alloc::vec::Vec<u32>",
            "arr = [10, 20, 30, 40] : [u8; 4]",
            "slice = [1, 2, 3] : &[i32]",
            "some = Some(7) : core::option::Option<i32>",
            "none = None : core::option::Option<i32>",
            "ok = Ok(5) : core::result::Result<i32, alloc::string::String>",
            "err = Err(\"bad\") : core::result::Result<i32, alloc::string::String>",
            "color = Green : debuggee::Color",
            "circle = Circle { r: 1.5 } : debuggee::Shape",
            "rect = Rect(2, 3) : debuggee::Shape",
            "point = Point { x: 1, y: -2 } : debuggee::Point",
            "tuple = (1, \"two\", 3.0) : (u8, &str, f32)",
            "boxed = Point { x: 3, y: 4 } : alloc::boxed::Box<debuggee::Point>",
            "point_ref = Point { x: 1, y: -2 } : &debuggee::Point",
            "rc = \"shared\" : alloc::rc::Rc<alloc::string::String>",
            "arc = [4, 5] : alloc::sync::Arc<alloc::vec::Vec<i32>>",
            "line = Line { from: Point { x: 0, y: 0 }, to: Point { x: 5, y: 6 }, label: \"diagonal\" } : debuggee::Line",
        ]
    );
    // Scalars and strings have no children; collections and structs do.
    for leaf in ["num_i32", "owned", "borrowed", "none", "color", "rc"] {
        assert_eq!(find(&vars, leaf)["variablesReference"], 0, "{leaf}");
    }
}

#[test]
fn collections_expand_to_indexed_children_with_paging() {
    let (mut client, vars) = stopped_in_values();
    let vec = find(&vars, "vec");
    assert_eq!(vec["indexedVariables"], 3);
    assert_eq!(
        shown(&children(&mut client, vec, Value::Null)),
        ["[0] = 1 : i32", "[1] = 2 : i32", "[2] = 3 : i32"]
    );

    let big = find(&vars, "big");
    assert_eq!(big["indexedVariables"], 1000);
    let page = children(&mut client, big, json!({ "start": 500, "count": 3 }));
    assert_eq!(
        shown(&page),
        ["[500] = 500 : u32", "[501] = 501 : u32", "[502] = 502 : u32"]
    );
    let tail = children(&mut client, big, json!({ "start": 998, "count": 10 }));
    assert_eq!(shown(&tail), ["[998] = 998 : u32", "[999] = 999 : u32"]);

    assert_eq!(
        shown(&children(&mut client, find(&vars, "arr"), Value::Null)),
        ["[0] = 10 : u8", "[1] = 20 : u8", "[2] = 30 : u8", "[3] = 40 : u8"]
    );
    assert_eq!(
        shown(&children(&mut client, find(&vars, "slice"), Value::Null)),
        ["[0] = 1 : i32", "[1] = 2 : i32", "[2] = 3 : i32"]
    );
    assert_eq!(
        shown(&children(&mut client, find(&vars, "arc"), Value::Null)),
        ["[0] = 4 : i32", "[1] = 5 : i32"]
    );
}

#[test]
fn structs_enums_tuples_and_pointers_expand_by_field() {
    let (mut client, vars) = stopped_in_values();
    assert_eq!(
        shown(&children(&mut client, find(&vars, "point"), Value::Null)),
        ["x = 1 : i32", "y = -2 : i32"]
    );
    assert_eq!(
        shown(&children(&mut client, find(&vars, "boxed"), Value::Null)),
        ["x = 3 : i32", "y = 4 : i32"]
    );
    assert_eq!(
        shown(&children(&mut client, find(&vars, "point_ref"), Value::Null)),
        ["x = 1 : i32", "y = -2 : i32"]
    );
    assert_eq!(
        shown(&children(&mut client, find(&vars, "some"), Value::Null)),
        ["0 = 7 : i32"]
    );
    assert_eq!(
        shown(&children(&mut client, find(&vars, "err"), Value::Null)),
        ["0 = \"bad\" : alloc::string::String"]
    );
    assert_eq!(
        shown(&children(&mut client, find(&vars, "circle"), Value::Null)),
        ["r = 1.5 : f64"]
    );
    assert_eq!(
        shown(&children(&mut client, find(&vars, "rect"), Value::Null)),
        ["0 = 2 : i32", "1 = 3 : i32"]
    );
    assert_eq!(
        shown(&children(&mut client, find(&vars, "tuple"), Value::Null)),
        ["0 = 1 : u8", "1 = \"two\" : &str", "2 = 3.0 : f32"]
    );
    let line = children(&mut client, find(&vars, "line"), Value::Null);
    assert_eq!(
        shown(&line),
        [
            "from = Point { x: 0, y: 0 } : debuggee::Point",
            "to = Point { x: 5, y: 6 } : debuggee::Point",
            "label = \"diagonal\" : alloc::string::String"
        ]
    );
    assert_eq!(
        shown(&children(&mut client, &line[1], Value::Null)),
        ["x = 5 : i32", "y = 6 : i32"]
    );
}

#[test]
fn raw_wasm_locals_and_memory_are_readable() {
    let (mut client, vars) = stopped_in_values();
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let scopes = client.request_ok("scopes", json!({ "frameId": trace["stackFrames"][0]["id"] }));
    let wasm = client.request_ok(
        "variables",
        json!({ "variablesReference": scopes["scopes"][1]["variablesReference"] }),
    );
    let wasm = wasm["variables"].as_array().unwrap();
    assert_eq!(
        wasm.len() as u64,
        scopes["scopes"][1]["namedVariables"].as_u64().unwrap()
    );
    assert_eq!(wasm[0]["name"], "local0");
    assert!(["i32", "i64", "f32", "f64"].contains(&wasm[0]["type"].as_str().unwrap()));

    // The bytes of "hello" behind `owned`.
    let owned = find(&vars, "owned");
    let memory = client.request_ok(
        "readMemory",
        json!({ "memoryReference": owned["memoryReference"], "count": 5 }),
    );
    assert_eq!(memory["data"], "aGVsbG8="); // base64("hello")
    assert_eq!(memory["address"], owned["memoryReference"]);
}

#[test]
fn evaluate_follows_paths_into_values() {
    let (mut client, _vars) = stopped_in_values();
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let frame_id = trace["stackFrames"][0]["id"].clone();
    let mut eval = |expression: &str| {
        client.request(
            "evaluate",
            json!({ "expression": expression, "frameId": frame_id, "context": "hover" }),
        )
    };
    let shown = |r: Value| {
        format!(
            "{} : {}",
            r["body"]["result"].as_str().unwrap(),
            r["body"]["type"].as_str().unwrap()
        )
    };
    assert_eq!(shown(eval("num_i32")), "-7 : i32");
    assert_eq!(shown(eval("line.to.x")), "5 : i32");
    assert_eq!(shown(eval("line.label")), "\"diagonal\" : alloc::string::String");
    assert_eq!(shown(eval("big[500]")), "500 : u32");
    assert_eq!(shown(eval("tuple.1")), "\"two\" : &str");
    assert_eq!(
        shown(eval("*boxed")),
        "Point { x: 3, y: 4 } : alloc::boxed::Box<debuggee::Point>"
    );
    assert_eq!(shown(eval("some.0")), "7 : i32");
    let expandable = eval("point");
    assert_ne!(expandable["body"]["variablesReference"], 0);

    let missing = eval("nope");
    assert_eq!(missing["success"], false);
    assert_eq!(missing["message"], "no variable `nope` in this frame");
    let out_of_range = eval("vec[3]");
    assert_eq!(out_of_range["message"], "index 3 is out of range: `vec` has 3 elements");
    let no_field = eval("point.z");
    assert_eq!(no_field["message"], "no `point.z`");
    let nonsense = eval("1 + 2");
    assert_eq!(nonsense["success"], false);
}

#[test]
fn an_aggregate_passed_by_value_shows_its_fields() {
    // `line: Line` arrives as the address of a copy, in a wasm local: DWARF says
    // `DW_OP_WASM_location 0x0 N` without `DW_OP_stack_value`, a memory location.
    let mut client = DapClient::new();
    client.launch(&["question"], json!({}));
    client.set_breakpoints(&["by_value"]);
    client.request_ok("configurationDone", json!({}));
    assert_eq!(client.wait_event("stopped")["body"]["reason"], "breakpoint");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let frame = &trace["stackFrames"][0];
    assert_eq!(frame["name"], "debuggee::label_length");
    let scopes = client.request_ok("scopes", json!({ "frameId": frame["id"] }));
    let locals = client.request_ok(
        "variables",
        json!({ "variablesReference": scopes["scopes"][0]["variablesReference"] }),
    );
    assert_eq!(
        shown(locals["variables"].as_array().unwrap()),
        [r#"line = Line { from: Point { x: 1, y: 2 }, to: Point { x: 3, y: 4 }, label: "by value" } : debuggee::Line"#]
    );
    let label = client.request_ok(
        "evaluate",
        json!({ "expression": "line.label", "frameId": frame["id"], "context": "watch" }),
    );
    assert_eq!(label["result"], r#""by value""#);
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(client.wait_exit(), Some(0));
}
