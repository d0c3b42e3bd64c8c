//! Folding ranges and document links through `wasmscope lsp`, as an editor asks for them:
//! a WIT file folds its interface, record and world bodies; a wadm manifest folds each
//! mapping and component, and links its local `file://` image to the file on disk (but not a
//! registry image, nor a local one that is missing).

mod support;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::lsp::LspClient;

fn region(start: u32, end: u32) -> Value {
    json!({ "startLine": start, "endLine": end, "kind": "region" })
}

fn folds(client: &mut LspClient, uri: &str) -> Value {
    client.request("textDocument/foldingRange", json!({ "textDocument": { "uri": uri } }))["result"].clone()
}

#[test]
fn a_wit_file_folds_its_blocks() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wit/greeter/greeter.wit");
    let uri = format!("file://{}", path.display());
    let mut client = LspClient::start();
    client.open(&uri, &std::fs::read_to_string(&path).unwrap(), 1);
    // `interface greet {` … `}`, `record person {` … `}`, `world greeter {` … `}`.
    assert_eq!(
        folds(&mut client, &uri),
        json!([region(3, 11), region(5, 8), region(13, 15)])
    );

    // Half typed: what closes still folds, a comment run folds as a comment.
    let typed = "// one\n// two\ninterface greet {\n  record person {\n    name: string,\n  }\n";
    client.change(&uri, typed, 2);
    assert_eq!(
        folds(&mut client, &uri),
        json!([{ "startLine": 0, "endLine": 1, "kind": "comment" }, region(3, 5)])
    );

    // A document the server does not have gets no folds.
    assert_eq!(folds(&mut client, "file:///nowhere/a.wit"), Value::Null);
}

/// A folder in the temp dir, removed on drop.
struct Folder(PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const APP: &str = "apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: hello
spec:
  components:
    - name: hello
      type: component
      properties:
        image: \"file://./build/hello.wasm\"
    - name: http
      type: capability
      properties:
        image: ghcr.io/wasmcloud/http-server:0.23.0
    - name: gone
      type: component
      properties:
        image: file://./missing.wasm
";

#[test]
fn a_wadm_manifest_links_its_local_image_and_folds_its_components() {
    let folder = Folder(std::env::temp_dir().join(format!("wasmscope-links-{}", std::process::id())));
    let image = folder.0.join("build/hello.wasm");
    std::fs::create_dir_all(image.parent().unwrap()).unwrap();
    std::fs::write(&image, b"\0asm\x01\0\0\0").unwrap();
    let manifest = folder.0.join("app.wadm.yaml");
    std::fs::write(&manifest, APP).unwrap();
    let uri = format!("file://{}", manifest.display());

    let mut client = LspClient::start();
    client.open(&uri, APP, 1);
    let links = client.request("textDocument/documentLink", json!({ "textDocument": { "uri": uri } }));
    // Line 9 is `        image: "file://./build/hello.wasm"`: the link is the text inside the quotes.
    assert_eq!(
        links["result"],
        json!([{
            "range": { "start": { "line": 9, "character": 16 }, "end": { "line": 9, "character": 41 } },
            "target": format!("file://{}", image.display()),
        }])
    );

    assert_eq!(
        folds(&mut client, &uri),
        json!([
            region(2, 3),
            region(4, 17),
            region(5, 17),
            region(6, 9),
            region(8, 9),
            region(10, 13),
            region(12, 13),
            region(14, 17),
            region(16, 17),
        ])
    );
}
