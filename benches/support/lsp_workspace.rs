//! Generated inputs for the language server bench: a large WIT package, a large wadm
//! manifest, and a workspace of many small files of every kind the server reads.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A temporary directory, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let path = std::env::temp_dir().join(format!("wasmscope-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// One interface of about fifty lines; from the second on it `use`s types of the one before
/// (which may be in another file of the package).
fn wit_interface(out: &mut String, k: usize) {
    let previous = k.checked_sub(1);
    let _ = writeln!(out, "/// Interface number {k}.\ninterface iface-n{k} {{");
    if let Some(j) = previous {
        let _ = writeln!(out, "  use iface-n{j}.{{rec-n{j}, color-n{j}}};\n");
    }
    let _ = writeln!(
        out,
        "  record rec-n{k} {{\n    id: u64,\n    name: string,\n    tags: list<string>,\n    score: f64,"
    );
    if let Some(j) = previous {
        let _ = writeln!(out, "    prev: option<rec-n{j}>,");
    }
    let _ = writeln!(out, "  }}\n");
    let _ = writeln!(
        out,
        "  variant shape-n{k} {{\n    circle(f32),\n    square(u32),\n    named(string),\n    none,\n  }}\n"
    );
    let _ = writeln!(out, "  enum color-n{k} {{\n    red,\n    green,\n    blue,\n  }}\n");
    let _ = writeln!(out, "  flags perms-n{k} {{\n    read,\n    write,\n    exec,\n  }}\n");
    let _ = writeln!(
        out,
        "  resource handle-n{k} {{\n    constructor(name: string);\n    get: func() -> string;\n    put: func(value: rec-n{k}) -> result<_, string>;\n    open: static func(id: u64) -> handle-n{k};\n  }}\n"
    );
    let _ = writeln!(out, "  type batch-n{k} = list<rec-n{k}>;\n");
    let paint = previous.map_or(format!("color-n{k}"), |j| format!("color-n{j}"));
    let _ = writeln!(
        out,
        "  fetch-n{k}: func(id: u64) -> option<rec-n{k}>;\n  store-n{k}: func(value: rec-n{k}, shape: shape-n{k}) -> result<u64, string>;\n  paint-n{k}: func(color: {paint}) -> perms-n{k};\n  all-n{k}: func() -> batch-n{k};\n}}\n"
    );
}

/// A package of five files in `dir` totalling about `lines` lines, with worlds at the end
/// of the last; the files, in order.
pub fn wit_package(dir: &Path, lines: usize) -> Vec<PathBuf> {
    const FILES: usize = 5;
    let mut texts = vec![String::new(); FILES];
    let per_file = lines / FILES;
    let mut k = 0;
    for (f, text) in texts.iter_mut().enumerate() {
        let _ = writeln!(text, "package bench:big@0.1.0;\n");
        let budget = if f == FILES - 1 { per_file - 40 } else { per_file };
        while text.lines().count() + 20 < budget {
            wit_interface(text, k);
            k += 1;
        }
    }
    let last = texts.last_mut().unwrap();
    // One export each: exporting an interface and one it depends on would be incompatible.
    for w in 0..5 {
        let _ = writeln!(
            last,
            "world app-n{w} {{\n  import iface-n{w};\n  export iface-n{};\n}}\n",
            k - 1 - w
        );
    }
    texts
        .iter()
        .enumerate()
        .map(|(f, text)| write(&dir.join(format!("part{f}.wit")), text))
        .collect()
}

/// Where each function name of a WIT file (in its interfaces) starts: the places keystrokes go.
pub fn function_names(path: &Path) -> Vec<(u32, u32)> {
    places(path, |line| {
        let name = line.strip_prefix("  ")?;
        let first = name.chars().next()?;
        (first.is_ascii_lowercase() && name.contains(": func(")).then_some(2)
    })
}

/// Where each `bucket:` value of a manifest starts.
pub fn config_values(path: &Path) -> Vec<(u32, u32)> {
    places(path, |line| line.find("bucket: ").map(|at| at + "bucket: ".len()))
}

/// (line, character) of each line where `at` finds a place.
fn places(path: &Path, at: impl Fn(&str) -> Option<usize>) -> Vec<(u32, u32)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| Some((i as u32, at(line)? as u32)))
        .collect()
}

/// A wadm application of about `lines` lines: components with config, spread scalers and
/// links to providers.
fn wadm_text(name: &str, lines: usize) -> String {
    let mut out = format!(
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: {name}\n  annotations:\n    version: v0.1.0\n    description: generated for the language server bench\nspec:\n  components:\n"
    );
    let mut i = 0;
    while out.lines().count() + 40 <= lines.max(50) {
        let provider = i / 5;
        if i % 5 == 0 {
            let _ = write!(
                out,
                "    - name: provider-{provider}\n      type: capability\n      properties:\n        image: ghcr.io/wasmcloud/keyvalue-redis:0.28.{provider}\n        config:\n          - name: redis-{provider}\n            properties:\n              url: redis://127.0.0.1:6379\n      traits:\n        - type: spreadscaler\n          properties:\n            instances: 1\n"
            );
        }
        let _ = write!(
            out,
            "    - name: comp-{i}\n      type: component\n      properties:\n        image: ghcr.io/example/comp-{i}:0.1.0\n        config:\n          - name: comp-{i}-config\n            properties:\n              greeting: hello\n      traits:\n        - type: spreadscaler\n          properties:\n            instances: {}\n            spread:\n              - name: east\n                weight: 50\n                requirements:\n                  zone: east\n              - name: west\n                weight: 50\n                requirements:\n                  zone: west\n        - type: link\n          properties:\n            namespace: wasi\n            package: keyvalue\n            interfaces: [store, atomics]\n            target:\n              name: provider-{provider}\n              config:\n                - name: kv-{i}\n                  properties:\n                    bucket: b{i}\n",
            1 + i % 4
        );
        i += 1;
    }
    out
}

/// One large manifest in `dir`.
pub fn wadm_manifest(dir: &Path, lines: usize) -> PathBuf {
    write(&dir.join("app.wadm.yaml"), &wadm_text("big", lines))
}

fn widl_text(n: usize) -> String {
    format!(
        "namespace \"bench:widl{n}\"\n\n\"Operations of service {n}\"\ninterface {{\n  get{{key: string}}: Item\n  set(key: string, value: Item): bool\n  list(prefix: string): [Item]\n  level(item: Item): Level\n}}\n\n\"An item\"\ntype Item {{\n  name: string\n  count: i32\n  tags: [string]\n  meta: {{string: string}}?\n}}\n\nenum Level {{\n  Low = 0\n  High = 1\n}}\n"
    )
}

fn wasmcloud_toml_text(n: usize) -> String {
    format!(
        "name = \"service-{n}\"\nlanguage = \"rust\"\ntype = \"component\"\nversion = \"0.1.0\"\n\n[component]\nwasm_target = \"wasm32-wasip2\"\n"
    )
}

/// A workspace of `files` files: projects (a four-file WIT package, a manifest and a
/// `wasmcloud.toml` each) for 60% of them, WIDL files and more manifests for the rest.
pub fn generate_workspace(root: &Path, files: usize) -> Vec<PathBuf> {
    let projects = files / 10;
    let mut written = Vec::new();
    for p in 0..projects {
        let project = root.join(format!("project{p}"));
        for f in 0..4 {
            let mut text = format!("package bench:project{p}@0.1.0;\n\n");
            for k in 0..2 {
                wit_interface(&mut text, f * 2 + k);
            }
            written.push(write(&project.join(format!("wit/part{f}.wit")), &text));
        }
        written.push(write(
            &project.join("wadm.yaml"),
            &wadm_text(&format!("project{p}"), 120),
        ));
        written.push(write(&project.join("wasmcloud.toml"), &wasmcloud_toml_text(p)));
    }
    let rest = files - written.len();
    for n in 0..rest {
        if n % 2 == 0 {
            written.push(write(&root.join(format!("contracts/service{n}.widl")), &widl_text(n)));
        } else {
            written.push(write(
                &root.join(format!("apps/app{n}.wadm.yaml")),
                &wadm_text(&format!("app{n}"), 120),
            ));
        }
    }
    written
}
