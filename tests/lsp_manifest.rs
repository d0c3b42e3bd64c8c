//! Manifests through `wasmscope lsp` as an editor sees them: wadm applications, a 2020 host
//! manifest and `wasmcloud.toml` get their diagnostics with exact ranges on open and on
//! every change, an outline and hovers; and `wasmscope check` prints the same findings.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use support::Scratch;
use support::lsp::LspClient;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/manifests")
}

fn fixture(name: &str) -> (String, String) {
    let path = fixtures().join(name);
    (
        format!("file://{}", path.display()),
        std::fs::read_to_string(path).unwrap(),
    )
}

/// A diagnostic as the server publishes it (`line`, `start`..`end` characters on one line).
fn diagnostic(line: u32, start: u32, end: u32, severity: u32, message: &str) -> Value {
    json!({
        "range": { "start": { "line": line, "character": start }, "end": { "line": line, "character": end } },
        "severity": severity,
        "source": "wasmscope",
        "message": message,
    })
}

const ERROR: u32 = 1;
const WARNING: u32 = 2;

fn broken_wadm_diagnostics() -> Value {
    json!([
        diagnostic(14, 15, 44, ERROR, "image file `./build/missing_s.wasm` does not exist"),
        diagnostic(17, 10, 20, ERROR, "missing required key `instances`"),
        diagnostic(18, 12, 20, ERROR, "unknown key `instance`; did you mean `instances`?"),
        diagnostic(
            26,
            20,
            24,
            ERROR,
            "The following capability component(s) are missing from the manifest: [\"helo\"]"
        ),
        diagnostic(
            26,
            20,
            24,
            WARNING,
            "link (target [helo]) target [helo] is not a listed component"
        ),
        diagnostic(
            29,
            25,
            40,
            WARNING,
            "unrecognized interface [wasi:http/incomng-handler]"
        ),
        diagnostic(
            30,
            12,
            25,
            WARNING,
            "one of the components' link trait contains a source_config key, please use source:config: rather"
        ),
    ])
}

#[test]
fn wadm_findings_are_published_with_exact_ranges_and_follow_every_change() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("broken.wadm.yaml");
    client.open(&uri, &text, 1);
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 1);
    assert_eq!(published["diagnostics"], broken_wadm_diagnostics());

    // The link fixed: its target exists and its interface is known.
    let fixed = text
        .replace("target: helo", "target: hello")
        .replace("incomng", "incoming");
    client.change(&uri, &fixed, 2);
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 2);
    assert_eq!(
        published["diagnostics"],
        json!([
            diagnostic(14, 15, 44, ERROR, "image file `./build/missing_s.wasm` does not exist"),
            diagnostic(17, 10, 20, ERROR, "missing required key `instances`"),
            diagnostic(18, 12, 20, ERROR, "unknown key `instance`; did you mean `instances`?"),
            diagnostic(
                30,
                12,
                25,
                WARNING,
                "one of the components' link trait contains a source_config key, please use source:config: rather"
            ),
        ])
    );

    // Half-typed: a syntax error where the text stops making sense, nothing else.
    let half = fixed.replace(
        "      traits:\n        - type: spreadscaler",
        "      traits:\n      - type: [spread",
    );
    client.change(&uri, &half, 3);
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 3);
    assert_eq!(published["diagnostics"].as_array().unwrap().len(), 1, "{published}");
    assert_eq!(published["diagnostics"][0]["severity"], ERROR);
    let message = published["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("syntax error: "), "{message}");
}

#[test]
fn a_valid_application_has_no_findings_and_an_outline_of_components_and_traits() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("hello.wadm.yaml");
    client.open(&uri, &text, 1);
    assert_eq!(client.diagnostics(&uri)["diagnostics"], json!([]));
    let response = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    // (name, kind, line, start-end characters, children)
    fn outline(symbols: &Value) -> Vec<String> {
        symbols
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let r = &s["range"];
                format!(
                    "{} kind={} {}:{}-{} [{}]",
                    s["name"].as_str().unwrap(),
                    s["kind"],
                    r["start"]["line"],
                    r["start"]["character"],
                    r["end"]["character"],
                    outline(&s["children"]).join("; ")
                )
            })
            .collect()
    }
    assert_eq!(
        outline(&response["result"]),
        [
            "hello-world kind=3 4:8-19 [hello kind=19 10:12-17 [spreadscaler kind=7 15:16-28 []]; httpserver kind=19 18:12-22 [link → hello kind=7 23:16-20 []]]"
        ]
    );
}

#[test]
fn hover_describes_keys_and_names_the_component_a_link_targets() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("hello.wadm.yaml");
    client.open(&uri, &text, 1);
    client.diagnostics(&uri);
    let hover = |client: &mut LspClient, line: u32, character: u32| {
        client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        )["result"]
            .clone()
    };
    // `image:` of the first component.
    assert_eq!(
        hover(&mut client, 13, 10),
        json!({
            "contents": {
                "kind": "markdown",
                "value": "`image`: string\n\nThe image reference to use. Required unless the component is a shared component that is defined in another shared application.",
            },
            "range": { "start": { "line": 13, "character": 8 }, "end": { "line": 13, "character": 13 } },
        })
    );
    // `target: hello` of the link.
    assert_eq!(
        hover(&mut client, 25, 22),
        json!({
            "contents": {
                "kind": "markdown",
                "value": "Link from `httpserver` to component `hello` (component, `file://./build/hello_s.wasm`)\n\nover `wasi:http/{incoming-handler}`",
            },
            "range": { "start": { "line": 25, "character": 20 }, "end": { "line": 25, "character": 25 } },
        })
    );
    // A comment: nothing.
    assert_eq!(hover(&mut client, 0, 3), Value::Null);
}

#[test]
fn host_manifests_and_wasmcloud_toml_get_their_findings_and_outlines() {
    let mut client = LspClient::start();
    let (uri, text) = fixture("broken-host.yaml");
    client.open(&uri, &text, 1);
    assert_eq!(
        client.diagnostics(&uri)["diagnostics"],
        json!([
            diagnostic(1, 4, 21, ERROR, "actor file `./build/echo.wasm` does not exist"),
            diagnostic(3, 4, 24, WARNING, "actor `./build/hello_s.wasm` is listed twice"),
            diagnostic(6, 4, 12, ERROR, "unknown key `linkname`; did you mean `link_name`?"),
            diagnostic(8, 4, 67, ERROR, "missing required key `provider_id`"),
            diagnostic(
                11,
                12,
                18,
                ERROR,
                "expected a boolean, a number or a string, found a list"
            ),
        ])
    );
    let (uri, text) = fixture("host.yaml");
    client.open(&uri, &text, 1);
    assert_eq!(client.diagnostics(&uri)["diagnostics"], json!([]));

    let (uri, text) = fixture("broken-project/wasmcloud.toml");
    client.open(&uri, &text, 1);
    assert_eq!(
        client.diagnostics(&uri)["diagnostics"],
        json!([
            diagnostic(
                2,
                7,
                17,
                ERROR,
                "unknown value `compnent`, expected one of `component`, `provider`, `actor`, `interface`"
            ),
            diagnostic(3, 10, 15, ERROR, "`0.1` is not a semantic version (like `0.1.0`)"),
            diagnostic(
                6,
                14,
                22,
                ERROR,
                "unknown value `wasm64`, expected one of `wasm32-unknown-unknown`, `wasm32-wasi`, `wasm32-wasip1`, `wasm32-wasi-preview1`, `wasm32-wasip2`, `wasm32-wasi-preview2`, `wasm32-preview2`"
            ),
            diagnostic(7, 7, 10, ERROR, "expected an array, found a string"),
            diagnostic(
                10,
                12,
                21,
                ERROR,
                "unknown value `threads`, expected one of `none`, `tasks`, `asyncify`"
            ),
            diagnostic(11, 0, 2, ERROR, "unknown key `gc`"),
        ])
    );
    // Fixed in the editor: nothing left.
    let fixed = text
        .replace("compnent", "component")
        .replace("\"0.1\"", "\"0.1.0\"")
        .replace("wasm64", "wasm32-wasip2")
        .replace("tags = \"x\"", "tags = [\"x\"]")
        .replace("threads", "tasks")
        .replace("gc = ", "garbage_collector = ");
    client.change(&uri, &fixed, 2);
    assert_eq!(client.diagnostics(&uri)["diagnostics"], json!([]));
    let response = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    let names: Vec<String> = response["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} kind={} children={}",
                s["name"].as_str().unwrap(),
                s["kind"],
                s["children"].as_array().unwrap().len()
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            "name kind=7 children=0",
            "language kind=7 children=0",
            "type kind=7 children=0",
            "version kind=7 children=0",
            "component kind=3 children=2",
            "tinygo kind=3 children=2",
        ]
    );
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 10, "character": 3 } }),
    );
    assert_eq!(
        hover["result"]["contents"]["value"],
        "`scheduler`: string\n\nThe scheduler to use for the TinyGo build. Override the default scheduler (asyncify)."
    );
}

#[test]
fn check_prints_manifest_findings_one_per_line_and_fails_on_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .current_dir(root)
        .args(["check", "tests/fixtures/manifests/broken.wadm.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let file = "tests/fixtures/manifests/broken.wadm.yaml";
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        [
            "15:16: error: image file `./build/missing_s.wasm` does not exist",
            "18:11: error: missing required key `instances`",
            "19:13: error: unknown key `instance`; did you mean `instances`?",
            "27:21: error: The following capability component(s) are missing from the manifest: [\"helo\"]",
            "27:21: warning: link (target [helo]) target [helo] is not a listed component",
            "30:26: warning: unrecognized interface [wasi:http/incomng-handler]",
            "31:13: warning: one of the components' link trait contains a source_config key, please use source:config: rather",
        ]
        .iter()
        .map(|line| format!("{file}:{line}\n"))
        .collect::<String>()
    );
    // Valid manifests of every kind: nothing printed, success.
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .current_dir(root)
        .args([
            "check",
            "tests/fixtures/manifests/hello.wadm.yaml",
            "tests/fixtures/manifests/host.yaml",
            "tests/fixtures/manifests/project",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn completion_and_navigation_are_answered_by_the_library() {
    let path = fixtures().join("hello.wadm.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let open = |_: &Path| None;
    // A new trait's type.
    let typed = text.replace(
        "      traits:\n        - type: spreadscaler",
        "      traits:\n        - type: \n        - type: spreadscaler",
    );
    let offset = typed.find("- type: \n").unwrap() + "- type: ".len();
    let labels: Vec<String> = wasmscope_lsp::completion(&path, &typed, offset, &open)
        .unwrap()
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(labels, ["spreadscaler", "daemonscaler", "link"]);
    // A link's target: the application's components.
    let offset = text.find("target: hello").unwrap() + "target: ".len();
    let retyped = format!("{}{}", &text[..offset], &text[offset + "hello".len()..]);
    let labels: Vec<String> = wasmscope_lsp::completion(&path, &retyped, offset, &open)
        .unwrap()
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(labels, ["hello", "httpserver"]);
    // From the link's target to the component's name, and back.
    let target = text.find("target: hello").unwrap() + "target: ".len() + 2;
    let definition = wasmscope_lsp::definition(&path, &text, target, &open).unwrap();
    assert_eq!(definition.path, path);
    assert_eq!(
        definition.range.start,
        text.find("- name: hello").unwrap() + "- name: ".len()
    );
    assert_eq!(&text[definition.range.clone()], "hello");
    let references = wasmscope_lsp::references(&path, &text, target, &open).unwrap();
    let ranges: Vec<_> = references.iter().map(|l| l.range.clone()).collect();
    assert_eq!(
        ranges,
        [
            definition.range,
            text.find("target: hello").unwrap() + 8..text.find("target: hello").unwrap() + 13
        ]
    );
}

/// `module` signed for a new module key by a new account; the module's public key too.
fn signed(module: &[u8], capabilities: &[&str], not_before_in: Option<std::time::Duration>) -> (Vec<u8>, String) {
    use wasmscope_runtime::actor::claims::{KeyPair, SignRequest, sign};
    let (account, module_key) = (KeyPair::new_account(), KeyPair::new_module());
    let request = SignRequest {
        name: "fixture".into(),
        capabilities: capabilities.iter().map(|c| c.to_string()).collect(),
        tags: vec!["e2e".into()],
        not_before_in,
        ..SignRequest::default()
    };
    (
        sign(module, &request, &account, &module_key).unwrap(),
        module_key.public_key(),
    )
}

/// The `nth` occurrence of `needle` in `text` as (line, start character, end character),
/// 0-based, for ASCII text on one line.
fn span(text: &str, needle: &str, nth: usize) -> (u32, u32, u32) {
    let at = text.match_indices(needle).nth(nth).unwrap().0;
    let line = text[..at].matches('\n').count() as u32;
    let column = (at - text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0)) as u32;
    (line, column, column + needle.len() as u32)
}

const LINKED_APP: &str = "apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: linked
  annotations:
    version: v0.1.0
spec:
  components:
    - name: caller
      type: component
      properties:
        image: file://./caller.wasm
      traits:
        - type: spreadscaler
          properties:
            instances: 1
        - type: link
          properties:
            target: callee
            namespace: demo
            package: app
            interfaces: [store, storage]
    - name: callee
      type: component
      properties:
        image: file://./callee.wasm
      traits:
        - type: spreadscaler
          properties:
            instances: 1
    - name: broken
      type: component
      properties:
        image: file://./corrupt.wasm
      traits:
        - type: spreadscaler
          properties:
            instances: 1
";

/// Components built from `tests/fixtures/manifests/components/app.wit`: a link naming an
/// interface the caller does not import and the callee does not export is an error on that
/// interface, naming both worlds; a corrupt image is an error and the server keeps answering;
/// a hover on an image shows its claims and world; completion offers the callee's exports.
#[test]
fn link_interfaces_are_checked_against_the_components_wit_worlds() {
    let scratch = Scratch::new("links");
    let components = fixtures().join("components");
    let caller = std::fs::read(components.join("caller.wasm")).unwrap();
    let callee = std::fs::read(components.join("callee.wasm")).unwrap();
    scratch.write("caller.wasm", &caller);
    let (callee_signed, subject) = signed(&callee, &["wasi:keyvalue"], None);
    scratch.write("callee.wasm", &callee_signed);
    scratch.write("corrupt.wasm", &callee_signed[..callee_signed.len() / 2]);
    let manifest = scratch.write("app.wadm.yaml", LINKED_APP.as_bytes());
    let uri = format!("file://{}", manifest.display());

    let mut client = LspClient::start();
    client.open(&uri, LINKED_APP, 1);
    let published = client.diagnostics(&uri);
    let diagnostics = published["diagnostics"].as_array().unwrap();
    let (line, start, end) = span(LINKED_APP, "storage", 0);
    let (corrupt_line, corrupt_start, corrupt_end) = span(LINKED_APP, "file://./corrupt.wasm", 0);
    assert_eq!(diagnostics.len(), 3, "{published}");
    assert_eq!(
        diagnostics[0],
        diagnostic(
            line,
            start,
            end,
            ERROR,
            "the link's source `caller` does not import `demo:app/storage`: its world `root:component/root` imports `demo:app/store@0.1.0`, `demo:app/handler@0.1.0`"
        )
    );
    assert_eq!(
        diagnostics[1],
        diagnostic(
            line,
            start,
            end,
            ERROR,
            "the link's target `callee` does not export `demo:app/storage`: its world `root:component/root` exports `demo:app/store@0.1.0`, `demo:app/handler@0.1.0`"
        )
    );
    let corrupt = &diagnostics[2];
    assert_eq!(
        corrupt["range"],
        diagnostic(corrupt_line, corrupt_start, corrupt_end, ERROR, "")["range"]
    );
    assert_eq!(corrupt["severity"], ERROR);
    let message = corrupt["message"].as_str().unwrap();
    assert!(
        message.starts_with("image file `./corrupt.wasm` is not valid WebAssembly: "),
        "{message}"
    );

    // The server still answers: a hover on the corrupt image says what is wrong with it.
    let hover = client.request_at("textDocument/hover", &uri, corrupt_line, corrupt_start + 3, json!({}));
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("**`./corrupt.wasm`**: is not valid WebAssembly: "),
        "{value}"
    );

    // A hover on the callee's image: its claims and its world.
    let (callee_line, callee_start, callee_end) = span(LINKED_APP, "file://./callee.wasm", 0);
    let hover = client.request_at("textDocument/hover", &uri, callee_line, callee_start + 9, json!({}));
    assert_eq!(
        hover["result"]["range"],
        json!({ "start": { "line": callee_line, "character": callee_start }, "end": { "line": callee_line, "character": callee_end } })
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    let expected = format!(
        "**Claims**: signed, verified (signature, hash and dates)\n\n- name: fixture\n- subject (module): `{subject}`\n"
    );
    assert!(value.starts_with("**`./callee.wasm`**: component, "), "{value}");
    assert!(value.contains(&expected), "{value}");
    assert!(
        value.contains("- capabilities: `wasi:keyvalue`\n- tags: `e2e`\n- expires: never"),
        "{value}"
    );
    assert!(
        value.ends_with("**World** `root:component/root`\n- imports: none\n- exports: `demo:app/store@0.1.0`, `demo:app/handler@0.1.0`"),
        "{value}"
    );

    // Fixed: only the corrupt image is left.
    let fixed = LINKED_APP.replace("[store, storage]", "[store, handler]");
    client.change(&uri, &fixed, 2);
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"].as_array().unwrap().len(), 1, "{published}");
    assert_eq!(published["diagnostics"][0]["message"], message);

    // Completion of a link's interfaces: what the target exports.
    let typing = LINKED_APP.replace(
        "            interfaces: [store, storage]\n",
        "            interfaces:\n              - \n",
    );
    client.change(&uri, &typing, 3);
    let (line, _, end) = span(&typing, "              - \n", 0);
    let completion = client.request_at("textDocument/completion", &uri, line, end - 1, json!({}));
    let items = completion["result"]
        .as_array()
        .or_else(|| completion["result"]["items"].as_array())
        .unwrap();
    let labels: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["label"].as_str().unwrap(), i["detail"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        labels,
        [("store", "demo:app/store@0.1.0"), ("handler", "demo:app/handler@0.1.0")]
    );
}

/// A host manifest's actors read from disk: claims that are not valid yet are a warning on
/// the actor, and a link to a contract the actor is not signed for a warning on the contract.
#[test]
fn host_manifest_links_are_checked_against_signed_capabilities() {
    let scratch = Scratch::new("host-claims");
    let module = std::fs::read(fixtures().join("build/hello_s.wasm")).unwrap();
    let (actor, subject) = signed(&module, &["wasmcloud:keyvalue"], None);
    scratch.write("echo_s.wasm", &actor);
    let (early, _) = signed(&module, &[], Some(std::time::Duration::from_secs(86_400)));
    scratch.write("early_s.wasm", &early);
    let text = format!(
        "actors:\n  - ./echo_s.wasm\n  - ./early_s.wasm\nlinks:\n  - actor: {subject}\n    provider_id: VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M\n    contract_id: wasmcloud:httpserver\n  - actor: {subject}\n    provider_id: VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M\n    contract_id: wasmcloud:keyvalue\n"
    );
    let manifest = scratch.write("host.yaml", text.as_bytes());
    let uri = format!("file://{}", manifest.display());
    let mut client = LspClient::start();
    client.open(&uri, &text, 1);
    let published = client.diagnostics(&uri);
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2, "{published}");
    let (line, start, end) = span(&text, "./early_s.wasm", 0);
    assert_eq!(
        diagnostics[0]["range"],
        diagnostic(line, start, end, WARNING, "")["range"]
    );
    assert_eq!(diagnostics[0]["severity"], WARNING);
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "actor file `./early_s.wasm` has signed claims that are not valid: the claims are not valid yet"
        ),
        "{message}"
    );
    let (line, start, end) = span(&text, "wasmcloud:httpserver", 0);
    assert_eq!(
        diagnostics[1],
        diagnostic(
            line,
            start,
            end,
            WARNING,
            "actor `./echo_s.wasm` is not signed for `wasmcloud:httpserver`: its claims' capabilities are `wasmcloud:keyvalue`"
        )
    );
    // Hover on an actor: its claims, imports and exports.
    let (line, start, _) = span(&text, "./echo_s.wasm", 0);
    let hover = client.request_at("textDocument/hover", &uri, line, start + 2, json!({}));
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**`./echo_s.wasm`**: core module, "), "{value}");
    assert!(value.contains(&format!("- subject (module): `{subject}`")), "{value}");
    assert!(value.ends_with("- imports: none\n- exports: none"), "{value}");
}

/// A rebuilt `.wasm` (the client's file watcher reports it) republishes the manifests open
/// in the editor: a callee that no longer exports what its link names is an error at once.
#[test]
fn a_rebuilt_component_republishes_its_manifest() {
    let scratch = Scratch::new("rebuilt");
    let components = fixtures().join("components");
    let caller = std::fs::read(components.join("caller.wasm")).unwrap();
    scratch.write("caller.wasm", &caller);
    let callee = scratch.write("callee.wasm", std::fs::read(components.join("callee.wasm")).unwrap());
    scratch.write("corrupt.wasm", &caller);
    let text = LINKED_APP.replace("[store, storage]", "[store]");
    let manifest = scratch.write("app.wadm.yaml", text.as_bytes());
    let uri = format!("file://{}", manifest.display());
    let mut client = LspClient::start();
    client.open(&uri, &text, 1);
    assert_eq!(client.diagnostics(&uri)["diagnostics"], json!([]));
    // The callee rebuilt from the caller's world: it exports nothing now.
    std::fs::write(&callee, &caller).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": format!("file://{}", callee.display()), "type": 2 }] }),
    );
    let published = client.diagnostics(&uri);
    let (line, start, end) = span(&text, "store]", 0);
    assert_eq!(
        published["diagnostics"],
        json!([diagnostic(
            line,
            start,
            end - 1,
            ERROR,
            "the link's target `callee` does not export `demo:app/store`: its world `root:component/root` exports nothing"
        )])
    );
}
