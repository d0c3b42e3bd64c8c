//! An LSP client that drives `wasmscope lsp` over stdio as an editor does.

use std::io::BufReader;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};

use serde_json::{Value, json};

use super::{TIMEOUT, read_message, write_message};

pub struct LspClient {
    pub child: Child,
    pub stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: u64,
}

impl LspClient {
    pub fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            while let Ok(Some(message)) = read_message(&mut stdout) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = LspClient {
            child,
            stdin,
            incoming,
            next_id: 0,
        };
        let init = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "wasmscope");
        assert_eq!(init["result"]["capabilities"]["textDocumentSync"], 1);
        assert_eq!(init["result"]["capabilities"]["documentSymbolProvider"], true);
        assert_eq!(init["result"]["capabilities"]["hoverProvider"], true);
        client.notify("initialized", json!({}));
        client
    }

    /// `didOpen`, with the language id VS Code gives files of this name.
    pub fn open(&mut self, uri: &str, text: &str, version: i32) {
        let language = match uri.rsplit('.').next() {
            Some("wit") => "wit",
            Some("widl") => "widl",
            Some("yaml" | "yml") => "yaml",
            Some("toml") => "toml",
            _ => "plaintext",
        };
        let document = json!({ "uri": uri, "languageId": language, "version": version, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    /// A full-sync change: the whole new text.
    pub fn change(&mut self, uri: &str, text: &str, version: i32) {
        let document = json!({ "uri": uri, "version": version });
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": document, "contentChanges": [{ "text": text }] }),
        );
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        write_message(
            &mut self.stdin,
            &json!({ "jsonrpc": "2.0", "method": method, "params": params }),
        )
        .unwrap();
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        write_message(
            &mut self.stdin,
            &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }),
        )
        .unwrap();
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    pub fn wait(&mut self, mut wanted: impl FnMut(&Value) -> bool) -> Value {
        loop {
            let message = self
                .incoming
                .recv_timeout(TIMEOUT)
                .expect("no answer from the language server");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// The next `publishDiagnostics` for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Value {
        self.wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)["params"].clone()
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
