mod support;
use serde_json::json;
use support::*;

#[test]
fn probe() {
    let mut c = DapClient::new();
    let r = c.launch(&["values"], json!({}));
    eprintln!("launch: {r}");
    let b = c.set_breakpoints(&["values"]);
    eprintln!("bps: {b}");
    c.request_ok("configurationDone", json!({}));
    let s = c.wait_event("stopped");
    eprintln!("stopped: {s}");
    let st = c.request_ok("stackTrace", json!({"threadId": 1}));
    for f in st["stackFrames"].as_array().unwrap().iter().take(4) { eprintln!("frame: {f}"); }
    let fid = st["stackFrames"][0]["id"].clone();
    let sc = c.request_ok("scopes", json!({"frameId": fid}));
    eprintln!("scopes: {sc}");
    let vars = c.request_ok("variables", json!({"variablesReference": sc["scopes"][0]["variablesReference"]}));
    for v in vars["variables"].as_array().unwrap() { eprintln!("var: {} = {} : {} ref={}", v["name"], v["value"], v["type"], v["variablesReference"]); }
    panic!("show");
}
