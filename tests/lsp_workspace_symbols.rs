//! `wasmscope lsp`'s workspace symbols (`workspace/symbol`) over a workspace of WIT, WIDL and
//! manifest files, scanned at start and edited in the editor, and the `$/progress` the scan
//! reports to clients that show it.

mod support;

use std::path::Path;

use serde_json::{Value, json};
use support::Scratch;
use support::lsp::LspClient;

/// Writes a file of the workspace; returns its URI.
fn write_uri(dir: &Scratch, name: &str, text: &str) -> String {
    uri_of(&dir.write(name, text))
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

const API_WIT: &str = "package demo:shop;\n\ninterface api {\n  use types.{order};\n  place: func(o: order);\n}\n";
const TYPES_WIT: &str = "package demo:shop;\n\ninterface types {\n  record order {\n    id: u64,\n  }\n}\n";
const API_WIDL: &str =
    "namespace \"shop\"\n\ninterface {\n  placeOrder(id: u64): string\n}\n\ntype Receipt {\n  total: u64\n}\n";
const WADM_YAML: &str = "\
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: shop-app
spec:
  components:
    - name: orders
      type: component
      properties:
        image: file://./build/orders.wasm
      traits:
        - type: spreadscaler
          properties:
            instances: 1
    - name: httpserver
      type: capability
      properties:
        image: ghcr.io/wasmcloud/http-server:0.23.0
      traits:
        - type: link
          properties:
            target:
              name: orders
            namespace: wasi
            package: http
            interfaces: [incoming-handler]
";

/// The workspace of these tests, and the URIs of its files.
struct Shop {
    dir: Scratch,
    api_wit: String,
    types_wit: String,
    widl: String,
    manifest: String,
    broken: String,
}

fn shop(name: &str) -> Shop {
    let dir = Scratch::new(name);
    // Build output is never scanned.
    write_uri(
        &dir,
        "target/ignored.wit",
        "package demo:ignored;\ninterface hidden {}\n",
    );
    Shop {
        api_wit: write_uri(&dir, "shop/api.wit", API_WIT),
        types_wit: write_uri(&dir, "shop/types.wit", TYPES_WIT),
        widl: write_uri(&dir, "api.widl", API_WIDL),
        manifest: write_uri(&dir, "wadm.yaml", WADM_YAML),
        // Does not parse: no symbols.
        broken: write_uri(&dir, "broken/broken.wit", "package demo:broken;\ninterface {\n"),
        dir,
    }
}

/// A `SymbolInformation` as the server sends it (LSP's kinds: 2 module, 3 namespace,
/// 8 field, 11 interface, 12 function, 19 object, 23 struct, 7 property).
fn symbol(name: &str, kind: u32, container: Option<&str>, uri: &str, start: (u32, u32), end: (u32, u32)) -> Value {
    let mut symbol = json!({
        "name": name,
        "kind": kind,
        "location": {
            "uri": uri,
            "range": {
                "start": { "line": start.0, "character": start.1 },
                "end": { "line": end.0, "character": end.1 },
            },
        },
    });
    if let Some(container) = container {
        symbol["containerName"] = json!(container);
    }
    symbol
}

fn workspace_symbols(client: &mut LspClient, query: &str) -> Value {
    client.request("workspace/symbol", json!({ "query": query }))["result"].clone()
}

/// The answer to a request, with every message that came before it kept in `seen`.
fn request_seen(client: &mut LspClient, method: &str, params: Value, seen: &mut Vec<Value>) -> Value {
    let id = format!("seen-{}", seen.len());
    let request = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
    support::write_message(&mut client.stdin, &request).unwrap();
    client.wait(|m| {
        seen.push(m.clone());
        m["id"] == id && m.get("method").is_none()
    })
}

#[test]
fn workspace_symbols_match_names_across_the_workspace_and_follow_edits() {
    let shop = shop("lsp-workspace-symbols");
    let (mut client, init) = LspClient::start_with(json!({
        "processId": null,
        "rootUri": uri_of(&shop.dir.0),
        "capabilities": {},
    }));
    assert_eq!(init["result"]["capabilities"]["workspaceSymbolProvider"], true);
    // The scan goes in path order: the manifest is the last file.
    let mut seen = Vec::new();
    client.wait(|m| {
        seen.push(m.clone());
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == shop.manifest
    });

    // Everything, file by file in path order, each file in outline order.
    let (api_wit, types_wit, widl, manifest) = (&shop.api_wit, &shop.types_wit, &shop.widl, &shop.manifest);
    assert_eq!(
        request_seen(&mut client, "workspace/symbol", json!({ "query": "" }), &mut seen)["result"],
        json!([
            symbol("shop", 3, None, widl, (0, 10), (0, 16)),
            symbol("interface", 11, None, widl, (2, 0), (2, 9)),
            symbol("placeOrder", 12, Some("interface"), widl, (3, 2), (3, 12)),
            symbol("Receipt", 23, None, widl, (6, 5), (6, 12)),
            symbol("total", 8, Some("Receipt"), widl, (7, 2), (7, 7)),
            symbol("api", 11, None, api_wit, (2, 10), (2, 13)),
            symbol("order", 23, Some("api"), api_wit, (3, 13), (3, 18)),
            symbol("place", 12, Some("api"), api_wit, (4, 2), (4, 7)),
            symbol("types", 11, None, types_wit, (2, 10), (2, 15)),
            symbol("order", 23, Some("types"), types_wit, (3, 9), (3, 14)),
            symbol("id", 8, Some("order"), types_wit, (4, 4), (4, 6)),
            symbol("shop-app", 3, None, manifest, (3, 8), (3, 16)),
            symbol("orders", 19, Some("shop-app"), manifest, (6, 12), (6, 18)),
            symbol("spreadscaler", 7, Some("orders"), manifest, (11, 16), (11, 28)),
            symbol("httpserver", 19, Some("shop-app"), manifest, (14, 12), (14, 22)),
            symbol("link → orders", 7, Some("httpserver"), manifest, (19, 16), (19, 20)),
        ])
    );

    // Exact names first, then prefixes, then names that contain the query, then the
    // scattered matches; case does not matter.
    assert_eq!(
        workspace_symbols(&mut client, "ORDER"),
        json!([
            symbol("order", 23, Some("api"), api_wit, (3, 13), (3, 18)),
            symbol("order", 23, Some("types"), types_wit, (3, 9), (3, 14)),
            symbol("orders", 19, Some("shop-app"), manifest, (6, 12), (6, 18)),
            symbol("placeOrder", 12, Some("interface"), widl, (3, 2), (3, 12)),
            symbol("link → orders", 7, Some("httpserver"), manifest, (19, 16), (19, 20)),
        ])
    );
    assert_eq!(
        workspace_symbols(&mut client, "hsrv"),
        json!([symbol("httpserver", 19, Some("shop-app"), manifest, (14, 12), (14, 22))])
    );
    assert_eq!(workspace_symbols(&mut client, "nothing-like-this"), json!([]));

    // A file the watcher reports created counts once it is checked.
    let returns = write_uri(
        &shop.dir,
        "shop/returns.wit",
        "package demo:shop;\n\ninterface returns {\n  send-back: func(id: u64);\n}\n",
    );
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": returns, "type": 1 }] }),
    );
    client.diagnostics(&returns);
    assert_eq!(
        workspace_symbols(&mut client, "sendback"),
        json!([symbol("send-back", 12, Some("returns"), &returns, (3, 2), (3, 11))])
    );

    // An open document counts with the editor's text, edit after edit.
    let cancel = API_WIT.replace("  place:", "  cancel: func(o: order);\n  place:");
    client.open(api_wit, &cancel, 1);
    assert_eq!(
        workspace_symbols(&mut client, "cancel"),
        json!([symbol("cancel", 12, Some("api"), api_wit, (4, 2), (4, 8))])
    );
    client.change(api_wit, &cancel.replace("cancel", "refund"), 2);
    assert_eq!(workspace_symbols(&mut client, "cancel"), json!([]));
    assert_eq!(
        workspace_symbols(&mut client, "refund"),
        json!([symbol("refund", 12, Some("api"), api_wit, (4, 2), (4, 8))])
    );
    // A half-typed package contributes nothing until it parses again.
    client.change(api_wit, "package demo:shop;\n\ninterface api {\n  refund: func(", 3);
    assert_eq!(workspace_symbols(&mut client, "refund"), json!([]));

    // A client that did not announce `window.workDoneProgress` was sent no progress.
    let progress: Vec<&Value> = seen
        .iter()
        .filter(|m| m["method"] == "$/progress" || m["method"] == "window/workDoneProgress/create")
        .collect();
    assert!(progress.is_empty(), "{progress:?}");
}

#[test]
fn the_scan_reports_progress_to_clients_that_show_it() {
    let shop = shop("lsp-scan-progress");
    let (mut client, _) = LspClient::start_with(json!({
        "processId": null,
        "rootUri": uri_of(&shop.dir.0),
        "capabilities": { "window": { "workDoneProgress": true } },
    }));
    // The scan does not wait for the client to accept the token: files may be published
    // before the progress is even created, so everything is watched from the start.
    let (mut progress, mut published) = (Vec::new(), Vec::new());
    let mut token = Value::Null;
    loop {
        let message = client.wait(|m| {
            m["method"] == "window/workDoneProgress/create"
                || m["method"] == "$/progress"
                || m["method"] == "textDocument/publishDiagnostics"
        });
        if message["method"] == "window/workDoneProgress/create" {
            token = message["params"]["token"].clone();
            assert_eq!(token, "wasmscope/workspace-scan");
            client.respond(&message["id"], Value::Null);
            continue;
        }
        if message["method"] == "textDocument/publishDiagnostics" {
            published.push(message["params"]["uri"].as_str().unwrap().to_string());
            continue;
        }
        assert_eq!(message["params"]["token"], token);
        let value = message["params"]["value"].clone();
        progress.push(value.clone());
        if value["kind"] == "end" {
            break;
        }
    }
    // Five files found (`target/` is not searched), each one analysed.
    assert_eq!(
        progress[0],
        json!({ "kind": "begin", "title": "Checking the workspace", "cancellable": false, "message": "5 files", "percentage": 0 })
    );
    assert_eq!(
        progress.last().unwrap(),
        &json!({ "kind": "end", "message": "5 files checked" })
    );
    // In between, only reports, each further than the one before and saying how far.
    let mut last = 0;
    for report in &progress[1..progress.len() - 1] {
        let percentage = report["percentage"].as_u64().unwrap();
        assert!(percentage > last && percentage <= 100, "{progress:?}");
        let done = percentage * 5 / 100;
        assert_eq!(
            report,
            &json!({ "kind": "report", "message": format!("{done}/5 files"), "percentage": percentage })
        );
        last = percentage;
    }
    // The scan published every file it found before it said it was done.
    published.sort();
    let mut scanned = [&shop.widl, &shop.broken, &shop.api_wit, &shop.types_wit, &shop.manifest].map(String::as_str);
    scanned.sort();
    assert_eq!(published, scanned);
}
