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
        let (client, init) = Self::start_with(json!({ "processId": null, "rootUri": null, "capabilities": {} }));
        assert_eq!(init["result"]["serverInfo"]["name"], "wasmscope");
        let capabilities = &init["result"]["capabilities"];
        let mut advertised: Vec<&str> = capabilities.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        advertised.sort();
        assert_eq!(
            advertised,
            [
                "completionProvider",
                "definitionProvider",
                "documentFormattingProvider",
                "documentLinkProvider",
                "documentSymbolProvider",
                "foldingRangeProvider",
                "hoverProvider",
                "referencesProvider",
                "renameProvider",
                "semanticTokensProvider",
                "textDocumentSync",
                "workspaceSymbolProvider",
            ]
        );
        // Incremental sync (2), with open and close notifications.
        assert_eq!(
            capabilities["textDocumentSync"],
            json!({ "openClose": true, "change": 2 })
        );
        assert_eq!(capabilities["documentSymbolProvider"], true);
        assert_eq!(capabilities["workspaceSymbolProvider"], true);
        assert_eq!(capabilities["hoverProvider"], true);
        assert_eq!(
            capabilities["completionProvider"],
            json!({ "triggerCharacters": [".", ":", "<", "{"] })
        );
        assert_eq!(capabilities["definitionProvider"], true);
        assert_eq!(capabilities["referencesProvider"], true);
        assert_eq!(capabilities["renameProvider"], json!({ "prepareProvider": true }));
        assert_eq!(capabilities["documentFormattingProvider"], true);
        assert_eq!(
            capabilities["semanticTokensProvider"],
            json!({
                "legend": {
                    "tokenTypes": [
                        "namespace", "interface", "type", "enum", "enumMember", "property", "function",
                        "parameter", "keyword", "string", "number", "comment", "decorator"
                    ],
                    "tokenModifiers": []
                },
                "full": true
            })
        );
        client
    }

    /// A server initialized with `params` (a workspace, client capabilities), and the
    /// answer to `initialize`.
    pub fn start_with(params: Value) -> (Self, Value) {
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
        let init = client.request("initialize", params);
        client.notify("initialized", json!({}));
        (client, init)
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

    /// The next `publishDiagnostics` for `uri` with `version` (`Value::Null` for files the
    /// editor does not have open).
    pub fn diagnostics_version(&mut self, uri: &str, version: Value) -> Value {
        self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        })["params"]
            .clone()
    }

    /// An incremental `didChange`: `changes` is the `contentChanges` array.
    pub fn change_with(&mut self, uri: &str, version: i32, changes: Value) {
        let document = json!({ "uri": uri, "version": version });
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": document, "contentChanges": changes }),
        );
    }

    /// The result of a `textDocument/…` request at a position of `uri`, with `extra`
    /// parameters merged in.
    pub fn request_at(&mut self, method: &str, uri: &str, line: u32, character: u32, extra: Value) -> Value {
        let mut params =
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
        if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
            params.extend(extra.clone());
        }
        self.request(method, params)
    }

    /// Answers a request the server sent (`client/registerCapability`, …).
    pub fn respond(&mut self, id: &Value, result: Value) {
        write_message(
            &mut self.stdin,
            &json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        )
        .unwrap();
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
