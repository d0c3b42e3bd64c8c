//! `wasmscope lsp` in a real editor: headless Neovim (Debian's 0.7.2, installed by
//! `scripts/test.sh`) runs `tests/fixtures/neovim/wit_session.lua`, which starts the server
//! with Neovim's built-in LSP client on a WIT package in a temporary workspace, and writes what
//! Neovim received as JSON: the diagnostic it shows, where go to definition lands, that editing
//! the buffer clears the diagnostic, and the hover. The test asserts those exact values.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long Neovim may take for the whole session.
const SESSION_TIMEOUT: Duration = Duration::from_secs(90);
/// How long each of the Lua's waits (diagnostics, a request, the server's exit) may take.
const WAIT_MS: u64 = 30_000;

const TYPES_WIT: &str = "package demo:shop;

interface types {
  /// One purchase.
  record order {
    id: u64,
    total: u32,
  }
}
";

/// `custmer` is misspelt: Neovim must show the error on it.
const API_WIT: &str = "package demo:shop;

interface api {
  use types.{order};

  /// What the buyer takes home.
  record receipt {
    placed: order,
    buyer: custmer,
  }

  place: func(o: order) -> receipt;
}
";

/// A directory of its own under the system's temporary directory, removed when dropped.
struct Workspace {
    root: PathBuf,
}

impl Workspace {
    fn new() -> Workspace {
        let root = std::env::temp_dir().join(format!("wasmscope-editor-neovim-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("wit")).unwrap();
        // Canonical, so that paths compare equal to the ones Neovim reports.
        let root = root.canonicalize().unwrap();
        Workspace { root }
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.root.join(relative);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Neovim, killed if the test ends before it does. Its language server exits when its stdin
/// (a pipe from Neovim) closes, so killing Neovim leaves no process behind.
struct Nvim(Child);

impl Drop for Nvim {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// The `nvim` on `PATH`; fails the test (rather than skipping it) when there is none.
fn nvim() -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("nvim"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| {
            panic!("`nvim` is not installed: run scripts/test.sh, which installs Debian's `neovim` package")
        })
}

/// The 0-based line and byte column where `needle` starts in `text`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in the text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (text[..at].matches('\n').count(), at - line_start)
}

/// Runs the Lua session with `plan` and returns its report, with Neovim's stderr on failure.
fn run_session(workspace: &Workspace, plan: &Value) -> Value {
    let plan_path = workspace.root.join("plan.json");
    std::fs::write(&plan_path, plan.to_string()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/neovim/wit_session.lua");
    let home = workspace.root.join("home");
    let stderr_path = workspace.root.join("nvim.stderr");
    let mut command = Command::new(nvim());
    // `--clean`: no user configuration or plugins; `-i NONE`: no shada; `-n`: no swap file.
    command
        .args(["--headless", "--clean", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("WASMSCOPE_NVIM_PLAN", &plan_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).unwrap());
    // Everything Neovim reads or writes for itself (its LSP log too) stays in the workspace.
    command.env("HOME", &home);
    for (variable, dir) in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ] {
        command.env(variable, home.join(dir));
    }
    let mut nvim = Nvim(command.spawn().unwrap());
    let deadline = Instant::now() + SESSION_TIMEOUT;
    let status = loop {
        if let Some(status) = nvim.0.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            drop(nvim);
            panic!(
                "Neovim did not finish within {SESSION_TIMEOUT:?}; stderr: {}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    assert!(status.success(), "Neovim exited with {status}; stderr: {stderr}");
    let report = std::fs::read_to_string(plan["report"].as_str().unwrap())
        .unwrap_or_else(|e| panic!("Neovim wrote no report ({e}); stderr: {stderr}"));
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report.get("error"), None, "the session failed; stderr: {stderr}");
    report
}

/// Whether the process `pid` is gone (or a zombie waiting for its parent).
fn exited(pid: u64) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

#[test]
fn neovim_shows_wit_diagnostics_jumps_to_definitions_and_hovers() {
    let workspace = Workspace::new();
    let types = workspace.write("wit/types.wit", TYPES_WIT);
    let api = workspace.write("wit/api.wit", API_WIT);

    let (error_line, error_col) = position_of(API_WIT, "custmer");
    let fixed_line = API_WIT.lines().nth(error_line).unwrap().replace("custmer", "string");
    // The cursor on `order` in `place: func(o: order)`, on its third letter.
    let (use_line, use_col) = position_of(API_WIT, "order) ->");
    let cursor = json!({ "line": use_line + 1, "col": use_col + 2 });
    let plan = json!({
        "server": [env!("CARGO_BIN_EXE_wasmscope"), "lsp"],
        "root": workspace.root,
        "file": api,
        "definition_at": cursor,
        "hover_at": cursor,
        "fix": { "line": error_line, "text": fixed_line },
        "wait_ms": WAIT_MS,
        "report": workspace.root.join("report.json"),
    });
    let report = run_session(&workspace, &plan);

    assert_eq!(report["steps"], json!(["diagnostics", "definition", "fix", "hover"]));
    // Neovim's own diagnostic items: 0-based lines, byte columns, severity 1 = ERROR.
    assert_eq!(
        report["diagnostics"],
        json!([{
            "lnum": error_line, "col": error_col,
            "end_lnum": error_line, "end_col": error_col + "custmer".len(),
            "severity": 1,
            "message": "type `custmer` does not exist",
            "source": "wasmscope",
        }])
    );

    // Go to definition leads from the `use`d name to the record in the sibling file.
    let (order_line, order_col) = position_of(TYPES_WIT, "order {");
    assert_eq!(
        report["definition"],
        json!({
            "uri": format!("file://{}", types.display()),
            "range": {
                "start": { "line": order_line, "character": order_col },
                "end": { "line": order_line, "character": order_col + "order".len() },
            },
        })
    );
    // And Neovim opened that file with the cursor on the name (1-based line, byte column).
    assert_eq!(
        report["landed"],
        json!({ "file": types, "cursor": [order_line + 1, order_col] })
    );

    assert_eq!(report["diagnostics_after_fix"], json!([]));
    assert_eq!(
        report["hover"],
        json!({
            "contents": { "kind": "markdown", "value": "```wit\nrecord order\n```\n\nOne purchase." },
            "range": {
                "start": { "line": use_line, "character": use_col },
                "end": { "line": use_line, "character": use_col + "order".len() },
            },
        })
    );

    // The server was shut down with the editor.
    assert_eq!(report["server_stopped"], true);
    let server_pid = report["server_pid"].as_u64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !exited(server_pid) {
        assert!(
            Instant::now() < deadline,
            "the language server (pid {server_pid}) outlived Neovim"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
