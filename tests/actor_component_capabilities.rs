//! Capabilities of components (wasmCloud 1.x): `wasi:keyvalue` over the waPC key-value
//! provider's store and file, `wasi:config/store` from `--config` or a launch's `config`, and
//! `wasi:logging` into the actor log, under `wasmscope run` and under the debugger.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::{Value, json};
use support::*;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/capabilities-component")
}

/// The capabilities fixture (a `wasi:cli/run` command for `wasm32-wasip2` whose bindings are
/// generated from the host's `runtime/wit`), built once per test process.
fn capabilities_wasm() -> PathBuf {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| {
        let dir = fixture_dir();
        let target_dir = dir.join("target");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--target", "wasm32-wasip2", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            .env_remove("CARGO_TARGET_DIR")
            .stdin(Stdio::null())
            .output()
            .expect("failed to run cargo to build the capabilities fixture");
        assert!(
            output.status.success(),
            "building {} failed:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        target_dir.join("wasm32-wasip2/debug/capabilities-component.wasm")
    })
    .clone()
}

/// 1-based line of the fixture's line ending in `// BP:<marker>`.
fn capabilities_line_of(marker: &str) -> u32 {
    let source = std::fs::read_to_string(fixture_dir().join("src/main.rs")).unwrap();
    let tag = format!("// BP:{marker}");
    let lines: Vec<usize> = source
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim_end().ends_with(&tag))
        .map(|(index, _)| index + 1)
        .collect();
    assert_eq!(lines.len(), 1, "marker {tag} must appear exactly once");
    lines[0] as u32
}

/// A key-value file in the temporary directory, removed when the test ends.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("wasmscope-{name}-{}.json", std::process::id()));
        let _ = std::fs::remove_file(&path);
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn run(program: &Path, flags: &[&str]) -> (String, String, Option<i32>) {
    let output = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .args(flags)
        .arg(program)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code(),
    )
}

/// What the fixture prints after reading its configuration, `visits` times visited.
fn expected_stdout(greeting: &str, entries: usize, visits: u64) -> String {
    format!(
        "greeting = {greeting}\n\
         missing = None\n\
         config entries = {entries}\n\
         visits = {visits}\n\
         name = Some(\"wasmscope\")\n\
         exists(name) = true\n\
         increment(name) = Err(Error::Other(\"the value of `name` is not an unsigned integer\"))\n\
         get-many = [Some(\"a=1\"), None]\n\
         keys = [\"name\", \"visits\"]\n\
         open(no-such-bucket) = Error::NoSuchStore\n"
    )
}

#[test]
fn run_reads_config_logs_and_persists_keyvalue_between_runs() {
    let file = TempFile::new("component-kv");
    let kv = file.0.to_str().unwrap();
    let (stdout, stderr, code) = run(
        &capabilities_wasm(),
        &[
            "--config",
            "greeting=hello",
            "--config",
            "mode=test",
            "--keyvalue-file",
            kv,
        ],
    );
    assert_eq!(stdout, expected_stdout("Some(\"hello\")", 2, 1));
    // The debug line is below the default level (info).
    assert_eq!(stderr, "[info capabilities] greeting is Some(\"hello\")\n");
    assert_eq!(code, Some(0));
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&file.0).unwrap()).unwrap();
    assert_eq!(
        stored,
        json!({
            "name": { "value": { "string": "wasmscope" } },
            "visits": { "value": { "string": "1" } },
        })
    );

    // A second run counts on from the file; without `--config` the greeting is `none`.
    let (stdout, stderr, code) = run(&capabilities_wasm(), &["--log-level", "debug", "--keyvalue-file", kv]);
    assert_eq!(stdout, expected_stdout("None", 0, 2));
    assert_eq!(
        stderr,
        "[info capabilities] greeting is None\n[debug capabilities] a debug line\n"
    );
    assert_eq!(code, Some(0));
}

#[test]
fn a_wapc_actor_and_a_component_share_the_keyvalue_store() {
    let file = TempFile::new("shared-kv");
    let kv = file.0.to_str().unwrap();
    let (stdout, _, code) = run(&capabilities_wasm(), &["--keyvalue-file", kv]);
    assert!(stdout.contains("visits = 1\n"), "{stdout}");
    assert_eq!(code, Some(0));
    let (stdout, stderr, code) = run(
        &wapc_actor_wasm(),
        &[
            "--keyvalue-file",
            kv,
            "--invoke",
            r#"Count@msgpack={"key": "visits", "by": 10}"#,
        ],
    );
    assert_eq!(stdout, "Count: 11\n", "{stderr}");
    assert_eq!(code, Some(0));
    let (stdout, _, code) = run(&capabilities_wasm(), &["--keyvalue-file", kv, "--log-level", "error"]);
    assert!(stdout.contains("visits = 12\n"), "{stdout}");
    assert_eq!(code, Some(0));
}

#[test]
fn a_config_flag_without_a_value_is_refused() {
    let (stdout, stderr, code) = run(&capabilities_wasm(), &["--config", "greeting"]);
    assert_eq!(stdout, "");
    assert!(stderr.contains("--config takes KEY=VALUE, got `greeting`"), "{stderr}");
    assert_eq!(code, Some(2));
}

#[test]
fn the_debugger_shows_the_config_value_and_the_log_line() {
    let file = TempFile::new("debug-kv");
    let mut client = DapClient::new();
    let launch = client.launch(
        &[],
        json!({
            "program": capabilities_wasm(),
            "config": { "greeting": "from launch" },
            "keyvalueFile": file.0,
        }),
    );
    assert_eq!(launch["success"], true, "{launch}");
    let line = capabilities_line_of("greeting");
    let set = client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": fixture_dir().join("src/main.rs") }, "breakpoints": [{ "line": line }] }),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set}");
    client.request_ok("configurationDone", json!({}));

    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint", "{stopped}");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let frame = trace["stackFrames"][0].clone();
    assert_eq!(frame["name"], "capabilities_component::main");
    assert_eq!(frame["line"], line);
    let greeting = client.request_ok(
        "evaluate",
        json!({ "expression": "greeting", "frameId": frame["id"], "context": "watch" }),
    );
    assert_eq!(greeting["result"], r#"Some("from launch")"#);
    let missing = client.request_ok(
        "evaluate",
        json!({ "expression": "missing", "frameId": frame["id"], "context": "watch" }),
    );
    assert_eq!(missing["result"], "None");

    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_output("console", "[info capabilities] greeting is Some(\"from launch\")\n");
    client.wait_output("stdout", "visits = 1\n");
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
    client.wait_event("terminated");
    assert!(
        !client.output("console").contains("a debug line"),
        "{}",
        client.output("console")
    );
    let stdout = client.output("stdout");
    assert!(
        stdout.contains("open(no-such-bucket) = Error::NoSuchStore\n"),
        "{stdout}"
    );
}

#[test]
fn a_component_named_in_a_wadm_manifest_runs_with_its_capabilities() {
    let file = TempFile::new("manifest-kv");
    let manifest = std::env::temp_dir().join(format!("wasmscope-capabilities-{}.wadm.yaml", std::process::id()));
    let _remove = TempFile(manifest.clone());
    std::fs::write(
        &manifest,
        format!(
            "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: capabilities\n\
             spec:\n  components:\n    - name: counter\n      type: component\n      properties:\n        \
             image: file://{}\n        config:\n          - name: settings\n            properties:\n              \
             greeting: from-manifest\n              mode: local\n",
            capabilities_wasm().display()
        ),
    )
    .unwrap();
    // The component's `config` properties, and `--config` on top (the command line wins).
    let (stdout, stderr, code) = run(&manifest, &["--keyvalue-file", file.0.to_str().unwrap()]);
    assert_eq!(stdout, expected_stdout("Some(\"from-manifest\")", 2, 1), "{stderr}");
    assert_eq!(code, Some(0));
    for visits in [2, 3] {
        let (stdout, stderr, code) = run(
            &manifest,
            &["--config", "greeting=hi", "--keyvalue-file", file.0.to_str().unwrap()],
        );
        assert_eq!(stdout, expected_stdout("Some(\"hi\")", 2, visits), "{stderr}");
        assert_eq!(stderr, "[info capabilities] greeting is Some(\"hi\")\n");
        assert_eq!(code, Some(0));
    }
}
