//! `wasmscope lsp` driven as an editor drives it: JSON-RPC over stdio, WIT diagnostics with
//! exact ranges on open and on every change; and `wasmscope check` in batch.

mod support;

use std::process::{Child, Command};
use std::time::Duration;

use serde_json::{Value, json};
use support::TIMEOUT;
use support::lsp::LspClient;

fn fixture(name: &str) -> (String, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wit")
        .join(name);
    (
        format!("file://{}", path.display()),
        std::fs::read_to_string(path).unwrap(),
    )
}

#[test]
fn wit_errors_are_published_with_exact_ranges_and_cleared_when_fixed() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("broken/broken.wit");
    client.open(&uri, &text, 1);
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 1);
    assert_eq!(
        published["diagnostics"],
        json!([{
            "range": { "start": { "line": 4, "character": 19 }, "end": { "line": 4, "character": 24 } },
            "severity": 1,
            "source": "wasmscope",
            "message": "name `persn` does not exist",
        }])
    );

    // Half-typed text still gets an answer: a syntax error where typing stopped.
    let half = text.replace("-> string;", "-> ");
    client.change(&uri, &half, 2);
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 2);
    // wit-parser finds the problem at the next token, the closing brace.
    assert_eq!(
        published["diagnostics"][0]["range"]["start"],
        json!({ "line": 5, "character": 0 })
    );
    assert_eq!(published["diagnostics"][0]["severity"], 1);

    let fixed = text.replace("persn", "string");
    client.change(&uri, &fixed, 3);
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 3);
    assert_eq!(published["diagnostics"], json!([]));

    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(client.diagnostics(&uri)["diagnostics"], json!([]));
}

#[test]
fn a_valid_file_has_no_diagnostics_and_other_files_are_left_alone() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("greeter/greeter.wit");
    client.open(&uri, &text, 7);
    let published = client.diagnostics(&uri);
    assert_eq!(published, json!({ "uri": uri, "version": 7, "diagnostics": [] }));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///tmp/notes.txt", "languageId": "plaintext", "version": 1, "text": "x" } }),
    );
    // Nothing is published for a plain text file: the next message is the shutdown answer.
    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
}

#[test]
fn malformed_json_rpc_gets_an_error_and_the_server_keeps_serving() {
    let mut client = LspClient::start();
    let body = b"{ this is not json";
    use std::io::Write;
    write!(client.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
    client.stdin.write_all(body).unwrap();
    client.stdin.flush().unwrap();
    let error = client.wait(|m| m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32700);
    // An unknown method is an error too, and the server still answers afterwards.
    let unknown = client.request("wasmscope/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let shutdown = client.request("shutdown", Value::Null);
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    client.notify("exit", Value::Null);
    let status = wait_exit(&mut client.child);
    assert_eq!(status, Some(0));
}

fn wait_exit(child: &mut Child) -> Option<i32> {
    let deadline = std::time::Instant::now() + TIMEOUT;
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the language server did not exit");
}

#[test]
fn check_prints_findings_and_fails_on_errors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wit");
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("check")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "{}:5:20: error: name `persn` does not exist\n",
            dir.join("broken/broken.wit").display()
        )
    );
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("check")
        .arg(dir.join("greeter"))
        .arg(dir.join("multi"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(output.stdout, b"");
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["check", "/no/such/dir"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("wasmscope: cannot read `/no/such/dir`"));
}

#[test]
fn a_package_spans_its_directory_and_unsaved_siblings_count() {
    let mut client = LspClient::start();
    let (api_uri, api) = fixture("multi/api.wit");
    let (types_uri, types) = fixture("multi/types.wit");
    // `api.wit` uses an interface from its sibling on disk: no error.
    client.open(&api_uri, &api, 1);
    assert_eq!(client.diagnostics(&api_uri)["diagnostics"], json!([]));
    // The sibling, edited but not saved, no longer has the record: `api.wit` is re-checked
    // against the editor's text when it changes.
    let renamed = types.replace("record order", "record purchase");
    client.open(&types_uri, &renamed, 1);
    assert_eq!(client.diagnostics(&types_uri)["diagnostics"], json!([]));
    client.change(&api_uri, &api, 2);
    let published = client.diagnostics(&api_uri);
    assert_eq!(published["diagnostics"][0]["message"], "name `order` does not exist");
    assert_eq!(
        published["diagnostics"][0]["range"],
        json!({ "start": { "line": 4, "character": 13 }, "end": { "line": 4, "character": 18 } })
    );
}

#[test]
fn document_symbols_outline_interfaces_types_fields_functions_and_worlds() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("greeter/greeter.wit");
    client.open(&uri, &text, 1);
    client.diagnostics(&uri);
    let response = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    // (name, kind, line, start character, end character, children)
    fn outline(symbols: &Value) -> Vec<String> {
        symbols
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let r = &s["range"];
                let children = outline(&s["children"]);
                format!(
                    "{} kind={} {}:{}-{} [{}]",
                    s["name"].as_str().unwrap(),
                    s["kind"],
                    r["start"]["line"],
                    r["start"]["character"],
                    r["end"]["character"],
                    children.join("; ")
                )
            })
            .collect()
    }
    assert_eq!(
        outline(&response["result"]),
        [
            "greet kind=11 3:10-15 [person kind=23 5:9-15 [name kind=8 6:4-8 []; age kind=8 7:4-7 []]; hello kind=12 10:2-7 []]",
            "greeter kind=2 13:6-13 []",
        ]
    );
    // While the file does not parse there is no outline (and no error).
    client.change(&uri, "package demo:x;\ninterface {", 2);
    client.diagnostics(&uri);
    let response = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(response["result"], Value::Null);
}

#[test]
fn hover_shows_a_types_documentation_where_it_is_used() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("greeter/greeter.wit");
    client.open(&uri, &text, 1);
    client.diagnostics(&uri);
    // `person` in `hello: func(who: person)`, line 10 (0-based), on its third letter.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 10, "character": 21 } }),
    );
    assert_eq!(
        hover["result"],
        json!({
            "contents": { "kind": "markdown", "value": "```wit\nrecord person\n```\n\nA person to greet." },
            "range": { "start": { "line": 10, "character": 19 }, "end": { "line": 10, "character": 25 } },
        })
    );
    // On the interface's name: its doc comment.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 3, "character": 12 } }),
    );
    assert_eq!(
        hover["result"]["contents"]["value"],
        "```wit\ninterface greet\n```\n\nGreets people."
    );
    // On a keyword: nothing.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 10, "character": 10 } }),
    );
    assert_eq!(hover["result"], Value::Null);
}

/// A package that `use`s another resolves it through its `deps/` folder, as `wit-parser`
/// does: no diagnostics while the dependency has what is named, wit-parser's error on the
/// name when it has not, and go to definition on a foreign name opens the dependency's file.
#[test]
fn foreign_packages_resolve_through_deps_with_definitions_there() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("with-deps/world.wit");
    client.open(&uri, &text, 1);
    assert_eq!(client.diagnostics(&uri)["diagnostics"], json!([]));

    let (deps_uri, deps_text) = fixture("with-deps/deps/io/streams.wit");
    let line_of = |text: &str, needle: &str| -> (u32, u32) {
        let at = text.find(needle).unwrap();
        let line = text[..at].matches('\n').count() as u32;
        (line, (at - text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0)) as u32)
    };
    let (line, character) = line_of(&text, "input-stream}");
    let definition = client.request_at("textDocument/definition", &uri, line, character + 3, json!({}));
    let (deps_line, deps_character) = line_of(&deps_text, "input-stream {");
    let result = &definition["result"];
    let location = if result.is_array() { &result[0] } else { result };
    assert_eq!(
        *location,
        json!({
            "uri": deps_uri,
            "range": {
                "start": { "line": deps_line, "character": deps_character },
                "end": { "line": deps_line, "character": deps_character + 12 },
            },
        })
    );

    let typo = text.replace("input-stream", "input-streem");
    client.change(&uri, &typo, 2);
    let published = client.diagnostics(&uri);
    let (line, character) = line_of(&typo, "input-streem");
    assert_eq!(
        published["diagnostics"],
        json!([{
            "range": {
                "start": { "line": line, "character": character },
                "end": { "line": line, "character": character + 12 },
            },
            "severity": 1,
            "source": "wasmscope",
            "message": "type `input-streem` not defined in interface",
        }])
    );
}

/// Hover keeps answering while the file has an error, and shows the item the hovered name
/// resolves to in its own interface.
#[test]
fn hover_answers_while_the_file_has_an_error() {
    let mut client = LspClient::start();
    // The fixture's directory has no other `.wit` file: the package is the editor's text.
    let (uri, _) = fixture("broken/broken.wit");
    let text = "package demo:broken;\n\ninterface a {\n  /// A's id.\n  type id = u64;\n}\n\ninterface b {\n  /// B's id:\n  /// a string.\n  type id = string;\n  lookup: func(key: id) -> nope;\n}\n";
    client.open(&uri, text, 1);
    let published = client.diagnostics(&uri);
    assert_eq!(
        published["diagnostics"],
        json!([{
            "range": { "start": { "line": 11, "character": 27 }, "end": { "line": 11, "character": 31 } },
            "severity": 1,
            "source": "wasmscope",
            "message": "name `nope` does not exist",
        }])
    );
    // `id` in `lookup: func(key: id)`: interface b's own `id`, not a's.
    let hover = client.request_at("textDocument/hover", &uri, 11, 21, json!({}));
    assert_eq!(
        hover["result"],
        json!({
            "contents": { "kind": "markdown", "value": "```wit\ntype id = string\n```\n\nB's id:\na string." },
            "range": { "start": { "line": 11, "character": 20 }, "end": { "line": 11, "character": 22 } },
        })
    );
}
