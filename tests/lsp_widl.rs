//! `wasmscope lsp` on WIDL files (waPC's interface language), driven as an editor drives it:
//! diagnostics with exact ranges on open and on every change (imports read from disk or
//! from the editor's unsaved text), the outline, and hover across imports.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::lsp::LspClient;

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/widl")
        .join(name)
}

/// The `file://` URI and text of a fixture.
fn fixture(name: &str) -> (String, String) {
    let path = fixture_path(name);
    (
        format!("file://{}", path.display()),
        std::fs::read_to_string(path).unwrap(),
    )
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({
        "start": { "line": start.0, "character": start.1 },
        "end": { "line": end.0, "character": end.1 },
    })
}

fn error(start: (u32, u32), end: (u32, u32), message: &str) -> Value {
    json!({ "range": range(start, end), "severity": 1, "source": "wasmscope", "message": message })
}

/// The 0-based line and column of the `nth` `needle` in `text` (ASCII fixtures).
fn position(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {needle:?} #{nth}"))
        .0;
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line as u32, column as u32)
}

#[test]
fn widl_errors_are_published_with_exact_ranges_and_follow_changes() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("broken.widl");
    client.open(&uri, &text, 1);
    let published = client.diagnostics_version(&uri, json!(1));
    assert_eq!(
        published["diagnostics"],
        json!([
            error((3, 22), (3, 38), "cannot read `./nowhere.widl`: no such file"),
            error(
                (6, 20),
                (6, 30),
                "unknown type `GetRespons`; did you mean `GetResponse`?"
            ),
            error((8, 2), (8, 5), "duplicate operation `get`, first defined on line 7"),
            error((9, 7), (9, 8), "expected a parameter name, found `:`"),
            error((15, 2), (15, 7), "duplicate field `value`, first defined on line 15"),
            error((16, 16), (16, 18), "WIDL comments start with `#`, not `//`"),
            error(
                (21, 10),
                (21, 11),
                "duplicate enum index `0`, first used by `Red` on line 21"
            ),
            error((24, 5), (24, 10), "`Empty` is already imported from `./core.widl`"),
        ])
    );

    // Some mistakes fixed: the others are still there, where they were.
    let fewer = text
        .replace("GetRespons\n", "GetResponse\n")
        .replace("// who", "# who")
        .replace("  list(: [string]", "  list(): [string]");
    client.change(&uri, &fewer, 2);
    let published = client.diagnostics_version(&uri, json!(2));
    let messages: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        vec![
            "cannot read `./nowhere.widl`: no such file",
            "duplicate operation `get`, first defined on line 7",
            "duplicate field `value`, first defined on line 15",
            "duplicate enum index `0`, first used by `Red` on line 21",
            "`Empty` is already imported from `./core.widl`",
        ]
    );

    // Half-typed text: the error is where typing stopped, and the rest is still checked.
    let half = format!("{fewer}\ntype Half {{\n  next: ");
    client.change(&uri, &half, 3);
    let published = client.diagnostics_version(&uri, json!(3));
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 7, "{diagnostics:#?}");
    let end = position(&half, "next: ", 0);
    let end = (end.0, end.1 + 6);
    assert_eq!(
        diagnostics[5],
        error(end, end, "expected a type, found the end of the file")
    );
    assert_eq!(
        diagnostics[6],
        error(end, end, "expected `}` to close type `Half`, found the end of the file")
    );

    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(client.diagnostics(&uri)["diagnostics"], json!([]));
}

#[test]
fn unsaved_text_of_an_imported_file_wins_over_the_disk() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("keyvalue.widl");
    client.open(&uri, &text, 1);
    assert_eq!(client.diagnostics_version(&uri, json!(1))["diagnostics"], json!([]));

    let uses_extra = text.replace(
        "  priority: Priority = Normal\n",
        "  priority: Priority = Normal\n  extra: Extra\n",
    );
    client.change(&uri, &uses_extra, 2);
    let at = position(&uses_extra, "Extra", 0);
    assert_eq!(
        client.diagnostics_version(&uri, json!(2))["diagnostics"],
        json!([error(at, (at.0, at.1 + 5), "unknown type `Extra`")])
    );

    // `core.widl`, edited but not saved, now defines `Extra`.
    let (core_uri, core) = fixture("core.widl");
    client.open(&core_uri, &format!("{core}\ntype Extra {{}}\n"), 1);
    assert_eq!(
        client.diagnostics_version(&core_uri, json!(1))["diagnostics"],
        json!([])
    );
    client.change(&uri, &uses_extra, 3);
    assert_eq!(client.diagnostics_version(&uri, json!(3))["diagnostics"], json!([]));
}

#[test]
fn the_outline_of_a_widl_file() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("keyvalue.widl");
    client.open(&uri, &text, 1);
    let answer = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    let symbols = answer["result"].as_array().unwrap();
    // (name, kind, range of the name, children's names)
    let shown: Vec<(String, u64, Value, Vec<String>)> = symbols
        .iter()
        .map(|s| {
            let children = s["children"]
                .as_array()
                .map(|c| c.iter().map(|c| c["name"].as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            (
                s["name"].as_str().unwrap().to_string(),
                s["kind"].as_u64().unwrap(),
                s["selectionRange"].clone(),
                children,
            )
        })
        .collect();
    let name_range = |needle: &str, nth: usize, len: u32| {
        let at = position(&text, needle, nth);
        range(at, (at.0, at.1 + len))
    };
    let strings = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(
        shown,
        vec![
            (
                "wasmcloud:keyvalue".to_string(),
                3,
                name_range("\"wasmcloud:keyvalue\"", 0, 20),
                vec![]
            ),
            (
                "interface".to_string(),
                11,
                name_range("interface", 0, 9),
                strings(&["get", "set", "add", "del", "listRange", "clear", "health"])
            ),
            (
                "GetResponse".to_string(),
                23,
                name_range("GetResponse {", 0, 11),
                strings(&["value", "exists", "tags", "expiresAt", "priority"])
            ),
            (
                "Consistency".to_string(),
                10,
                name_range("Consistency", 0, 11),
                strings(&["Eventual", "Strong"])
            ),
            ("Answer".to_string(), 23, name_range("Answer", 0, 6), vec![]),
            ("Key".to_string(), 23, name_range("Key ", 0, 3), vec![]),
        ]
    );
    let get = &symbols[1]["children"][0];
    assert_eq!(get["kind"], 12);
    assert_eq!(get["range"], name_range("get{", 0, 3));
}

#[test]
fn hover_shows_signatures_and_descriptions_across_imports() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("keyvalue.widl");
    client.open(&uri, &text, 1);
    let mut hover = |needle: &str, nth: usize| {
        let (line, character) = position(&text, needle, nth);
        let answer = client.request(
            "textDocument/hover",
            json!({
                "textDocument": { "uri": uri },
                "position": { "line": line, "character": character + 1 },
            }),
        );
        answer["result"].clone()
    };

    // A type defined in the imported `core.widl`, used here.
    let at = position(&text, "Empty", 0);
    assert_eq!(
        hover("Empty", 0),
        json!({
            "contents": {
                "kind": "markdown",
                "value": "```widl\ntype Empty {}\n```\n\n\
                          Nothing: what an operation that only succeeds or fails answers.\n\n\
                          Defined in `core.widl`.",
            },
            "range": range(at, (at.0, at.1 + 5)),
        })
    );
    // An operation, with its description.
    assert_eq!(
        hover("get{", 0)["contents"]["value"],
        "```widl\nget{key: string}: GetResponse\n```\n\n\
         Gets a value; `exists` tells a missing key from an empty value."
    );
    // A type of this file where it is used: its fields, and its description.
    assert_eq!(
        hover("GetResponse", 0)["contents"]["value"],
        "```widl\ntype GetResponse {\n  value: string\n  exists: bool @default(false)\n  \
         tags: {string: string}?\n  expiresAt: datetime?\n  priority: Priority = Normal\n}\n```\n\n\
         The answer to `get`"
    );
    // A directive from the import, where it annotates an operation.
    assert_eq!(
        hover("deprecated", 0)["contents"]["value"],
        "```widl\ndirective @deprecated(reason: string) on OPERATION | FIELD | TYPE\n```\n\n\
         Marks what should no longer be used.\n\nDefined in `core.widl`."
    );
    assert_eq!(
        hover("datetime", 0)["contents"]["value"],
        "```widl\ndatetime\n```\n\nBuilt-in type: a point in time."
    );
    // Nothing to say about a comment.
    assert_eq!(hover("# Lists", 0), Value::Null);
}

#[test]
fn rename_edits_the_definition_and_its_uses_across_imports() {
    let mut client = LspClient::start();
    let (kv_uri, kv) = fixture("keyvalue.widl");
    let (core_uri, core) = fixture("core.widl");
    client.open(&kv_uri, &kv, 1);
    client.diagnostics(&kv_uri);

    let (line, column) = position(&kv, "HealthCheckResponse", 0);
    let prepared = client.request_at("textDocument/prepareRename", &kv_uri, line, column + 3, json!({}));
    assert_eq!(prepared["result"], range((line, column), (line, column + 19)));
    let renamed = client.request_at(
        "textDocument/rename",
        &kv_uri,
        line,
        column + 3,
        json!({ "newName": "Health" }),
    );
    let (core_line, core_column) = position(&core, "HealthCheckResponse", 0);
    let edit = |(l, c): (u32, u32)| json!({ "range": range((l, c), (l, c + 19)), "newText": "Health" });
    assert_eq!(
        renamed["result"],
        json!({ "changes": {
            kv_uri.clone(): [edit((line, column))],
            core_uri.clone(): [edit((core_line, core_column))],
        } })
    );
    // A built-in type is no name of the workspace.
    let (line, column) = position(&kv, "string", 0);
    let refused = client.request_at(
        "textDocument/rename",
        &kv_uri,
        line,
        column + 1,
        json!({ "newName": "text" }),
    );
    assert_eq!(refused["error"]["code"], -32803, "{refused}");
}
