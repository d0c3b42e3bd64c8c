//! Property tests: whatever an editor sends, no analysis panics and every range it answers lies
//! inside the text. Random edits of every fixture (WIT, WIDL, wadm and host manifests,
//! `wasmcloud.toml`), and random byte strings under each kind of file name. The generator has a
//! fixed seed per case, so a failure names an input that reproduces.

use std::ops::Range;
use std::path::{Path, PathBuf};

use wasmscope_lsp as lsp;

/// xorshift64*: small, deterministic, good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Pieces of every language the server reads, and characters that upset lexers.
const PIECES: &[&str] = &[
    "package",
    "interface",
    "world",
    "record",
    "variant",
    "enum",
    "flags",
    "resource",
    "func",
    "use",
    "import",
    "export",
    "type",
    "namespace",
    "role",
    "union",
    "alias",
    "directive",
    "apiVersion:",
    "spec:",
    "components:",
    "- name: x\n",
    "traits:",
    "type: link",
    "properties:",
    "target:",
    "interfaces: [",
    "actors:",
    "links:",
    "[component]",
    "name = \"x\"",
    "{",
    "}",
    "(",
    ")",
    "<",
    ">",
    "[",
    "]",
    ":",
    ";",
    ",",
    "=",
    "->",
    "@",
    "%",
    "/",
    "*",
    "\"",
    "'",
    "#",
    "//",
    "/*",
    "*/",
    "\n",
    "\t",
    "  ",
    "é",
    "🦀",
    "\u{0}",
    "\r\n",
    "-",
    "|",
    "&",
    "?",
    "0.1.0",
    "wasi:http/types@0.2.0",
];

fn fixtures() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut files = Vec::new();
    for folder in ["wit", "widl", "manifests"] {
        collect(&root.join(folder), &mut files);
    }
    files.sort();
    assert!(files.len() >= 15, "found only {} fixtures", files.len());
    files
}

fn collect(dir: &Path, files: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && name != "build" {
                collect(&path, files);
            }
        } else if [".wit", ".widl", ".yaml", ".yml", ".toml"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            let text = std::fs::read_to_string(&path).unwrap();
            files.push((path, text));
        }
    }
}

/// A char boundary at or before `i`.
fn boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One random edit, as an editor's incremental change would make it.
fn edit(text: &str, rng: &mut Rng) -> String {
    let at = boundary(text, rng.below(text.len() + 1));
    let end = boundary(text, at + rng.below(40)).max(at);
    match rng.below(4) {
        // Delete a range.
        0 => format!("{}{}", &text[..at], &text[end..]),
        // Insert a piece of some language.
        1 => format!("{}{}{}", &text[..at], PIECES[rng.below(PIECES.len())], &text[at..]),
        // Replace a range with random bytes, read as editors read them.
        2 => {
            let bytes: Vec<u8> = (0..rng.below(12)).map(|_| rng.next() as u8).collect();
            format!("{}{}{}", &text[..at], String::from_utf8_lossy(&bytes), &text[end..])
        }
        // Move a slice elsewhere.
        _ => {
            let slice = text[at..end].to_string();
            let rest = format!("{}{}", &text[..at], &text[end..]);
            let to = boundary(&rest, rng.below(rest.len() + 1));
            format!("{}{slice}{}", &rest[..to], &rest[to..])
        }
    }
}

fn inside(range: &Range<usize>, text: &str, what: &str, path: &Path) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what} range {range:?} outside a text of {} bytes in {}: {text:?}",
        text.len(),
        path.display()
    );
}

/// Every entry point, at a few offsets: no panic, answers inside the text.
fn exercise(path: &Path, text: &str, rng: &mut Rng) {
    let none = |_: &Path| None;
    for finding in lsp::analyze(path, text, &none).unwrap_or_default() {
        inside(&finding.range, text, "finding", path);
    }
    for symbol in lsp::outline(path, text, &none).unwrap_or_default() {
        inside(&symbol.range, text, "symbol", path);
    }
    for token in lsp::semantic_tokens(path, text).unwrap_or_default() {
        inside(&token.range, text, "token", path);
    }
    let _ = lsp::format(path, text);
    for _ in 0..3 {
        let offset = boundary(text, rng.below(text.len() + 1));
        if let Some((range, _)) = lsp::hover(path, text, offset, &none) {
            inside(&range, text, "hover", path);
        }
        for item in lsp::completion(path, text, offset, &none).unwrap_or_default() {
            assert!(
                !item.label.is_empty(),
                "an empty completion in {}: {text:?}",
                path.display()
            );
        }
        // A location in this same file must lie inside the text being edited.
        let here = |location: &lsp::Location| location.path == path;
        if let Some(location) = lsp::definition(path, text, offset, &none).filter(here) {
            inside(&location.range, text, "definition", path);
        }
        for location in lsp::references(path, text, offset, &none)
            .unwrap_or_default()
            .iter()
            .filter(|l| here(l))
        {
            inside(&location.range, text, "reference", path);
        }
    }
}

#[test]
fn random_edits_of_every_fixture_never_panic() {
    for (index, (path, original)) in fixtures().into_iter().enumerate() {
        let mut rng = Rng::new(index as u64 + 1);
        let mut text = original.clone();
        for step in 0..300 {
            text = edit(&text, &mut rng);
            // Start again now and then, so edits keep landing near valid text.
            if step % 40 == 39 {
                text = original.clone();
            }
            exercise(&path, &text, &mut rng);
        }
    }
}

#[test]
fn random_bytes_under_every_kind_of_name_never_panic() {
    let dir = std::env::temp_dir().join(format!("wasmscope-robustness-{}", std::process::id()));
    let names = [
        "garbage.wit",
        "garbage.widl",
        "app.wadm.yaml",
        "host.yaml",
        "wasmcloud.toml",
    ];
    // YAML files are told apart by their keys: give some inputs the keys of each kind.
    let heads = [
        "",
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\n",
        "actors:\n",
        "[component]\n",
    ];
    for (index, name) in names.iter().enumerate() {
        let path = dir.join(name);
        let mut rng = Rng::new(1000 + index as u64);
        for _ in 0..400 {
            let bytes: Vec<u8> = (0..rng.below(300)).map(|_| rng.next() as u8).collect();
            let text = format!("{}{}", heads[rng.below(heads.len())], String::from_utf8_lossy(&bytes));
            exercise(&path, &text, &mut rng);
        }
    }
}
