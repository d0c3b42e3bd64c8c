//! Manifests: wadm application manifests, the 2020 host manifest and `wasmcloud.toml`.
//!
//! Each kind is a document tree with positions ([`tree`], read by [`yaml`] or [`toml_tree`])
//! checked against a JSON schema ([`schema`], errors placed by [`schema_errors`]), plus the
//! kind's own checks; completion and hover read the same schema ([`assist`], [`cursor`]).

mod assist;
mod cursor;
pub(crate) mod folding;
pub(crate) mod host;
pub(crate) mod links;
mod local_file;
mod schema;
mod schema_errors;
mod toml_cursor;
mod toml_tree;
mod tree;
pub(crate) mod wadm;
pub(crate) mod wasm_file;
pub(crate) mod wasmcloud_toml;
mod yaml;

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::line_index::LineIndex;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/manifests")
    }

    const FIXTURES: [&str; 8] = [
        "hello.wadm.yaml",
        "broken.wadm.yaml",
        "apps.wadm.yaml",
        "broken-syntax.wadm.yaml",
        "host.yaml",
        "broken-host.yaml",
        "project/wasmcloud.toml",
        "broken-project/wasmcloud.toml",
    ];

    /// `line:col: severity: message [text]` of every finding of a fixture.
    fn findings(name: &str) -> Vec<String> {
        let path = fixtures().join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let index = LineIndex::new(&text);
        crate::analyze(&path, &text, &|_| None)
            .unwrap()
            .into_iter()
            .map(|f| {
                let (line, col) = index.human(f.range.start);
                format!("{line}:{col}: {:?}: {} [{}]", f.severity, f.message, &text[f.range])
            })
            .collect()
    }

    #[test]
    fn valid_fixtures_have_no_findings() {
        for name in ["hello.wadm.yaml", "host.yaml", "project/wasmcloud.toml"] {
            assert_eq!(findings(name), Vec::<String>::new(), "{name}");
        }
    }

    #[test]
    fn broken_fixtures_have_their_findings_where_they_are() {
        assert_eq!(
            findings("broken.wadm.yaml"),
            [
                "15:16: Error: image file `./build/missing_s.wasm` does not exist [file://./build/missing_s.wasm]",
                "18:11: Error: missing required key `instances` [properties]",
                "19:13: Error: unknown key `instance`; did you mean `instances`? [instance]",
                "27:21: Error: The following capability component(s) are missing from the manifest: [\"helo\"] [helo]",
                "27:21: Warning: link (target [helo]) target [helo] is not a listed component [helo]",
                "30:26: Warning: unrecognized interface [wasi:http/incomng-handler] [incomng-handler]",
                "31:13: Warning: one of the components' link trait contains a source_config key, please use source:config: rather [source_config]",
            ]
        );
        assert_eq!(
            findings("apps.wadm.yaml"),
            ["32:14: Error: latest is not allowed in wadm [latest]"]
        );
        assert_eq!(
            findings("broken-syntax.wadm.yaml"),
            ["5:2: Error: syntax error: while parsing a block mapping, did not find expected key [a]"]
        );
        assert_eq!(
            findings("broken-host.yaml"),
            [
                "2:5: Error: actor file `./build/echo.wasm` does not exist [./build/echo.wasm]",
                "4:5: Warning: actor `./build/hello_s.wasm` is listed twice [./build/hello_s.wasm]",
                "7:5: Error: unknown key `linkname`; did you mean `link_name`? [linkname]",
                "9:5: Error: missing required key `provider_id` [actor: MBCFOPM6JW2APJLXJD3Z5O4CN7CPYJ2B4FTKLJUR5YR5MITIU7HD3WD5]",
                "12:13: Error: expected a boolean, a number or a string, found a list [[8080]]",
            ]
        );
        assert_eq!(
            findings("broken-project/wasmcloud.toml"),
            [
                "3:8: Error: unknown value `compnent`, expected one of `component`, `provider`, `actor`, `interface` [\"compnent\"]",
                "4:11: Error: `0.1` is not a semantic version (like `0.1.0`) [\"0.1\"]",
                "7:15: Error: unknown value `wasm64`, expected one of `wasm32-unknown-unknown`, `wasm32-wasi`, `wasm32-wasip1`, `wasm32-wasi-preview1`, `wasm32-wasip2`, `wasm32-wasi-preview2`, `wasm32-preview2` [\"wasm64\"]",
                "8:8: Error: expected an array, found a string [\"x\"]",
                "11:13: Error: unknown value `threads`, expected one of `none`, `tasks`, `asyncify` [\"threads\"]",
                "12:1: Error: unknown key `gc` [gc]",
            ]
        );
    }

    #[test]
    fn multi_document_files_outline_every_application() {
        let path = fixtures().join("apps.wadm.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let outline = crate::outline(&path, &text, &|_| None).unwrap();
        let names: Vec<String> = outline
            .iter()
            .map(|app| {
                let children: Vec<String> = app
                    .children
                    .iter()
                    .map(|c| {
                        let traits: Vec<&str> = c.children.iter().map(|t| t.name.as_str()).collect();
                        format!("{} [{}]", c.name, traits.join(", "))
                    })
                    .collect();
                format!("{}: {}", app.name, children.join("; "))
            })
            .collect();
        assert_eq!(
            names,
            ["kv-counter: counter [link → kvredis]; kvredis []", "echo: echo []"]
        );
    }

    /// Text beyond ASCII, cut anywhere: no panic, and ranges on character boundaries.
    #[test]
    fn unicode_text_cut_anywhere_never_panics() {
        let texts = [
            (
                "/w/app.wadm.yaml",
                "apiVersion: core.oam.dev/v1beta1\nmetadata:\n  name: héllo-日本\nspec:\n  components:\n    - name: \"🙂\"\n      type: cömponent\n      traits:\n        - type: link\n          properties: { target: \"🙂x\", namespace: wasi }\n",
            ),
            (
                "/w/host.yaml",
                "actors:\n  - ./é🙂.wasm\nlinks:\n  - actor: ключ\n    contract_id: 🙂\n",
            ),
            (
                "/w/wasmcloud.toml",
                "name = \"日本\"\nlanguage = \"🙂\"\n[component]\nwasm_target = \"é\nclaims = [\"ö\"\n",
            ),
        ];
        let open = |_: &Path| None;
        for (path, text) in texts {
            let path = Path::new(path);
            for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
                let prefix = &text[..end];
                for finding in crate::analyze(path, prefix, &open).unwrap_or_default() {
                    assert!(prefix.is_char_boundary(finding.range.start) && prefix.is_char_boundary(finding.range.end));
                }
                let _ = crate::outline(path, prefix, &open);
                for offset in (0..=end).filter(|i| prefix.is_char_boundary(*i)) {
                    let _ = crate::hover(path, prefix, offset, &open);
                    let _ = crate::completion(path, prefix, offset, &open);
                    let _ = crate::references(path, prefix, offset, &open);
                }
            }
        }
    }

    /// Every entry point on every prefix of every fixture (as if typed up to there), at the
    /// end of the prefix and in its middle, and at every offset of the whole text: no panic,
    /// whatever the text. Host manifests are checked as such from their first byte (by name
    /// they are only recognised once `actors:` is typed).
    #[test]
    fn truncated_fixtures_never_panic() {
        let open = |_: &Path| None;
        let all = |path: &Path, text: &str, offset: usize| {
            let _ = crate::hover(path, text, offset, &open);
            let _ = crate::completion(path, text, offset, &open);
            let _ = crate::definition(path, text, offset, &open);
            let _ = crate::references(path, text, offset, &open);
            if path.to_string_lossy().ends_with("host.yaml") {
                let _ = super::host::hover(path, text, offset);
                let _ = super::host::completion(text, offset);
            }
        };
        for name in FIXTURES {
            let path = fixtures().join(name);
            let text = std::fs::read_to_string(&path).unwrap();
            let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
            for &end in &boundaries {
                let prefix = &text[..end];
                let _ = crate::analyze(&path, prefix, &open);
                let _ = crate::outline(&path, prefix, &open);
                if name.ends_with("host.yaml") {
                    let _ = super::host::analyze(&path, prefix, &open);
                    let _ = super::host::outline(prefix);
                }
                for offset in [end, end / 2] {
                    all(&path, prefix, offset);
                }
            }
            for &offset in &boundaries {
                all(&path, &text, offset);
            }
        }
    }
}
