//! Shared support for wasmscope's end-to-end tests (`mod support;`).
//!
//! * [`debuggee_wasm`] builds the fixture program in `tests/fixtures/debuggee`
//!   (once per test process) and returns its `.wasm` path.
//! * [`line_of`] maps a `// BP:name` marker in the fixture's source to its line,
//!   so tests never hard-code line numbers.
//! * [`DapClient`] drives `wasmscope dap` over stdio like an editor would.

// Every test binary includes this module but uses only part of it.
#![allow(dead_code)]

pub mod host;
pub mod lsp;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single wait (response, event, exit) may take before the test
/// fails. Generous because the adapter compiles the module with cranelift in
/// a debug build, possibly on a loaded CI machine.
pub const TIMEOUT: Duration = Duration::from_secs(30);

// ------------------------------------------------------------------ fixture

/// Root of the standalone fixture crate.
pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/debuggee")
}

/// Absolute path of the fixture's `src/main.rs`, as the adapter should report
/// it in stack frames and as tests pass it to `setBreakpoints`.
pub fn debuggee_source() -> PathBuf {
    fixture_dir().join("src/main.rs")
}

/// Builds the fixture for `wasm32-wasip1` (once per test process; cargo's own
/// lock serialises concurrent test binaries) and returns the absolute path of
/// `debuggee.wasm`.
pub fn debuggee_wasm() -> PathBuf {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    // If the build panics the cell stays empty, so every test that needs the
    // module fails with cargo's error rather than with a poisoned lock.
    WASM.get_or_init(|| build_debuggee(false)).clone()
}

/// The same program built with the fixture's release profile, which strips all DWARF: a
/// module without debug info.
pub fn debuggee_wasm_without_dwarf() -> PathBuf {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| build_debuggee(true)).clone()
}

fn build_debuggee(release: bool) -> PathBuf {
    build_fixture_crate(&fixture_dir(), "wasm32-wasip1", "debuggee.wasm", release)
}

/// Root of the waPC actor fixture crate.
pub fn wapc_actor_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wapc-actor")
}

/// The waPC actor fixture (`wapc-guest`, built for `wasm32-unknown-unknown` as wasmCloud 0.x
/// actors were), once per test process.
pub fn wapc_actor_wasm() -> PathBuf {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| build_fixture_crate(&wapc_actor_dir(), "wasm32-unknown-unknown", "wapc_actor.wasm", false))
        .clone()
}

/// 1-based line of the waPC actor's line ending in `// BP:<marker>`.
pub fn wapc_line_of(marker: &str) -> u32 {
    let path = wapc_actor_dir().join("src/lib.rs");
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    find_marker(&source, marker).unwrap_or_else(|e| panic!("{e} in {}", path.display()))
}

/// Root of the component fixture crate (a `wasi:cli/run` command built for `wasm32-wasip2`).
pub fn component_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/component")
}

/// The component fixture, built once per test process.
pub fn component_wasm() -> PathBuf {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| build_fixture_crate(&component_dir(), "wasm32-wasip2", "component.wasm", false))
        .clone()
}

/// 1-based line of the component fixture's line ending in `// BP:<marker>`.
pub fn component_line_of(marker: &str) -> u32 {
    let path = component_dir().join("src/main.rs");
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    find_marker(&source, marker).unwrap_or_else(|e| panic!("{e} in {}", path.display()))
}

/// Root of the HTTP component fixture crate (exports `wasi:http/incoming-handler`).
pub fn http_component_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/http-component")
}

/// The HTTP component fixture, built once per test process.
pub fn http_component_wasm() -> PathBuf {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| build_fixture_crate(&http_component_dir(), "wasm32-wasip2", "http_component.wasm", false))
        .clone()
}

/// 1-based line of the HTTP component fixture's line ending in `// BP:<marker>`.
pub fn http_component_line_of(marker: &str) -> u32 {
    let path = http_component_dir().join("src/lib.rs");
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    find_marker(&source, marker).unwrap_or_else(|e| panic!("{e} in {}", path.display()))
}

/// A folder under the system's temporary directory for one test, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// `wasmscope-NAME-PID`, emptied first: names are unique within a test binary.
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("wasmscope-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// Writes `name` (and the folders it is in); returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `wasmscope run ARGS…`, run to its end.
pub fn wasmscope_run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// A process's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Root of the messaging component fixture crate (exports `wasmcloud:messaging/handler`).
pub fn messaging_component_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/messaging-component")
}

/// The messaging component fixture, built once per test process.
pub fn messaging_component_wasm() -> PathBuf {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| {
        build_fixture_crate(
            &messaging_component_dir(),
            "wasm32-wasip2",
            "messaging_component.wasm",
            false,
        )
    })
    .clone()
}

/// 1-based line of the messaging component fixture's line ending in `// BP:<marker>`.
pub fn messaging_component_line_of(marker: &str) -> u32 {
    let path = messaging_component_dir().join("src/lib.rs");
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    find_marker(&source, marker).unwrap_or_else(|e| panic!("{e} in {}", path.display()))
}

/// Builds a fixture crate for `target` and returns the absolute path of its `artifact`.
fn build_fixture_crate(dir: &Path, target: &str, artifact: &str, release: bool) -> PathBuf {
    let target_dir = dir.join("target");
    // `CARGO` is the cargo running the tests; fall back to PATH when the tests
    // are run some other way.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .arg("build")
        .arg("--target")
        .arg(target)
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        // Explicit, so neither the outer test run's CARGO_TARGET_DIR nor a
        // `build.target-dir` in some cargo config moves the artifact away
        // from the path returned below.
        .arg("--target-dir")
        .arg(&target_dir)
        .args(release.then_some("--release"))
        .env_remove("CARGO_TARGET_DIR")
        .stdin(Stdio::null())
        .output()
        .expect("failed to run cargo to build a fixture");
    if !output.status.success() {
        panic!(
            "building the fixture {} failed ({}); is the {target} target installed \
             (`rustup target add {target}`)?\n{}",
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let profile = if release { "release" } else { "debug" };
    let wasm = target_dir.join(format!("{target}/{profile}/{artifact}"));
    assert!(wasm.is_file(), "cargo succeeded but {} does not exist", wasm.display());
    wasm
}

/// 1-based line of the fixture line ending in `// BP:<marker>`.
///
/// Panics if the marker is missing or appears more than once, since either
/// means the test and the fixture disagree.
pub fn line_of(marker: &str) -> u32 {
    let path = debuggee_source();
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    find_marker(&source, marker).unwrap_or_else(|e| panic!("{e} in {}", path.display()))
}

/// `name = value : type` of every variable in a `variables` response, for exact comparison.
pub fn shown(vars: &[Value]) -> Vec<String> {
    vars.iter()
        .map(|v| {
            let text = |key: &str| v[key].as_str().unwrap_or("").to_string();
            format!("{} = {} : {}", text("name"), text("value"), text("type"))
        })
        .collect()
}

/// The C fixture's source.
pub fn c_debuggee_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/c-debuggee/main.c")
}

/// 1-based line of the C fixture line ending in `// BP:<marker>`.
pub fn c_line_of(marker: &str) -> u32 {
    let path = c_debuggee_source();
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    find_marker(&source, marker).unwrap_or_else(|e| panic!("{e} in {}", path.display()))
}

/// Builds the C fixture with clang for wasm32-wasi (Debian's clang, lld, wasi-libc and
/// libclang-rt-14-dev-wasm32; `scripts/test.sh` installs them) once per test process.
pub fn c_debuggee_wasm() -> PathBuf {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| {
        let source = c_debuggee_source();
        let out_dir = source.parent().unwrap().join("target");
        std::fs::create_dir_all(&out_dir).unwrap();
        let wasm = out_dir.join("c-debuggee.wasm");
        let output = Command::new("clang")
            .args(["--target=wasm32-wasi", "-g", "-O0", "-o"])
            .arg(&wasm)
            .arg(&source)
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run clang ({e}): install clang, lld, wasi-libc and libclang-rt-14-dev-wasm32")
            });
        assert!(
            output.status.success(),
            "clang failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        wasm
    })
    .clone()
}

fn find_marker(source: &str, marker: &str) -> Result<u32, String> {
    // Matching the whole trailing comment keeps `BP:fact` from matching
    // `BP:fact_rec`, and ignores mentions of markers in doc comments.
    let needle = format!("// BP:{marker}");
    let mut lines = source
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim_end().ends_with(&needle))
        .map(|(index, _)| index as u32 + 1);
    match (lines.next(), lines.next()) {
        (Some(line), None) => Ok(line),
        (None, _) => Err(format!("marker `{needle}` not found")),
        (Some(first), Some(second)) => Err(format!("marker `{needle}` is duplicated (lines {first} and {second})")),
    }
}

// ------------------------------------------------------------- DAP framing

/// Writes one DAP message with its `Content-Length` header.
pub fn write_message(writer: &mut impl Write, message: &Value) -> std::io::Result<()> {
    let body = serde_json::to_vec(message).expect("a serde_json::Value always serialises");
    write!(writer, "Content-Length: {}\r\n\r\n", body.len())?;
    writer.write_all(&body)?;
    writer.flush()
}

/// Reads one DAP message. `Ok(None)` is a clean end of stream between
/// messages; anything malformed is an `Err` describing what was read, since
/// it means the adapter broke the protocol (e.g. logged to stdout).
pub fn read_message(reader: &mut impl BufRead) -> Result<Option<Value>, String> {
    let mut content_length: Option<usize> = None;
    let mut header_lines = 0;
    loop {
        let mut line = String::new();
        let read = reader
            .read_line(&mut line)
            .map_err(|e| format!("reading a header line: {e}"))?;
        if read == 0 {
            return if header_lines == 0 {
                Ok(None)
            } else {
                Err("end of stream inside a message header".to_string())
            };
        }
        header_lines += 1;
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("not a header line: {line:?}"))?;
        // Header names are case-insensitive; DAP defines no other header, so
        // anything else is ignored as the base protocol allows.
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            let length = value
                .trim()
                .parse()
                .map_err(|e| format!("bad Content-Length {value:?}: {e}"))?;
            content_length = Some(length);
        }
    }
    let length = content_length.ok_or("message header without Content-Length")?;
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| format!("reading a {length}-byte body: {e}"))?;
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| format!("body is not JSON ({e}): {}", String::from_utf8_lossy(&body)))
}

// --------------------------------------------------------------- DapClient

/// What the reader thread forwards: a message, or why it stopped reading.
type Incoming = Result<Value, String>;

/// A DAP client talking to a `wasmscope dap` child process over its stdio, or to a debug
/// server over TCP ([`Self::connect`]).
///
/// Every message the adapter sends is recorded (see [`Self::messages_seen`]).
/// Messages not consumed by the call that received them -- events arriving
/// while waiting for a response, responses to [`Self::send_raw`] requests --
/// wait in a queue for later [`Self::wait_event`]/[`Self::wait_response`].
pub struct DapClient {
    /// The adapter process, when this client started one.
    child: Option<Child>,
    /// Where requests go: the adapter's stdin, or the socket.
    stdin: Option<Box<dyn Write + Send>>,
    incoming: Receiver<Incoming>,
    /// Why the adapter's stdout ended, once the reader thread has said so.
    closed: Option<String>,
    next_seq: i64,
    pending: VecDeque<Value>,
    seen: Vec<Value>,
}

impl DapClient {
    /// Starts `wasmscope dap`. Its stderr is inherited so adapter logs show
    /// up in the test output.
    pub fn new() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
            .arg("dap")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("failed to start `wasmscope dap`");
        let stdin: ChildStdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        Self::over(Some(child), Box::new(stdin), stdout)
    }

    /// A client of the DAP server listening on `addr` (`wasmscope dap --listen`, or a host
    /// started with `wasmscope run --debug`).
    pub fn connect(addr: &str) -> Self {
        let stream = std::net::TcpStream::connect(addr).unwrap_or_else(|e| panic!("cannot connect to {addr}: {e}"));
        let reader = stream.try_clone().expect("a TCP stream can be cloned");
        Self::over(None, Box::new(stream), reader)
    }

    fn over(child: Option<Child>, writer: Box<dyn Write + Send>, reader: impl std::io::Read + Send + 'static) -> Self {
        let (sender, incoming) = mpsc::channel();
        // A thread, because std offers no read with timeout on a pipe; the
        // channel gives the waits below their timeouts.
        std::thread::Builder::new()
            .name("dap-reader".into())
            .spawn(move || {
                let mut reader = BufReader::new(reader);
                loop {
                    let (item, stop) = match read_message(&mut reader) {
                        Ok(Some(message)) => (Ok(message), false),
                        Ok(None) => (Err("the adapter closed its stdout".to_string()), true),
                        Err(error) => (Err(format!("DAP protocol error: {error}")), true),
                    };
                    if sender.send(item).is_err() || stop {
                        break;
                    }
                }
            })
            .expect("failed to spawn the DAP reader thread");
        DapClient {
            child,
            stdin: Some(writer),
            incoming,
            closed: None,
            next_seq: 1,
            pending: VecDeque::new(),
            seen: Vec::new(),
        }
    }

    /// Whether the adapter has closed its end (stdout, or the connection), after taking in
    /// everything already sent.
    pub fn is_closed(&mut self) -> bool {
        self.drain_available();
        self.closed.is_some()
    }

    /// Waits up to [`TIMEOUT`] for the adapter to close its end; panics otherwise.
    pub fn wait_closed(&mut self) {
        let deadline = Instant::now() + TIMEOUT;
        while self.closed.is_none() {
            match self.receive(deadline) {
                Ok(message) => self.pending.push_back(message),
                Err(_) if self.closed.is_some() => break,
                Err(why) => panic!("the adapter did not close its end ({why})\n{}", self.describe_seen()),
            }
        }
    }

    /// Writes bytes to the adapter's stdin as they are (for malformed-input
    /// tests); responses they provoke are queued for [`Self::wait_response`].
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("the adapter's stdin was closed");
        if let Err(e) = stdin.write_all(bytes).and_then(|()| stdin.flush()) {
            panic!("writing to the adapter failed: {e}\n{}", self.describe_seen());
        }
    }

    /// Frames and sends any message unchanged (no `seq` is assigned).
    pub fn send_message(&mut self, message: &Value) {
        let mut bytes = Vec::new();
        write_message(&mut bytes, message).expect("writing to a Vec cannot fail");
        self.send_raw(&bytes);
    }

    /// Sends a request without waiting and returns its `seq`, so a test can
    /// do something else before [`Self::wait_response`].
    /// A `Value::Null` `arguments` is left out of the message.
    pub fn send_request(&mut self, command: &str, arguments: Value) -> i64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        let mut message = json!({ "seq": seq, "type": "request", "command": command });
        if !arguments.is_null() {
            message["arguments"] = arguments;
        }
        self.send_message(&message);
        seq
    }

    /// Sends a request and returns the whole response message (successful or
    /// not). Events arriving meanwhile are queued.
    pub fn request(&mut self, command: &str, arguments: Value) -> Value {
        let seq = self.send_request(command, arguments);
        self.wait_response(seq)
    }

    /// Like [`Self::request`], but panics unless `success` is true, and
    /// returns the response's `body` (`Null` when it has none).
    pub fn request_ok(&mut self, command: &str, arguments: Value) -> Value {
        let response = self.request(command, arguments);
        if response["success"] != Value::Bool(true) {
            panic!("`{command}` failed: {response:#}");
        }
        response.get("body").cloned().unwrap_or(Value::Null)
    }

    /// Waits up to [`TIMEOUT`] for the response whose `request_seq` is `seq`.
    pub fn wait_response(&mut self, seq: i64) -> Value {
        let is_it = |m: &Value| m["type"] == "response" && m["request_seq"] == seq;
        if let Some(message) = self.take_pending(is_it) {
            return message;
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.receive(deadline) {
                Ok(message) if is_it(&message) => return message,
                Ok(message) => self.pending.push_back(message),
                Err(why) => panic!("no response to request seq {seq} ({why})\n{}", self.describe_seen()),
            }
        }
    }

    /// Returns the first queued or incoming event named `event`, waiting up
    /// to [`TIMEOUT`]; panics listing every message seen otherwise.
    pub fn wait_event(&mut self, event: &str) -> Value {
        match self.try_wait_event(event, TIMEOUT) {
            Some(message) => message,
            None => panic!(
                "no `{event}` event ({})\n{}",
                self.closed.as_deref().unwrap_or("timed out"),
                self.describe_seen()
            ),
        }
    }

    /// Like [`Self::wait_event`], but gives up with `None` after `timeout`,
    /// or as soon as the adapter has closed its stdout.
    pub fn try_wait_event(&mut self, event: &str, timeout: Duration) -> Option<Value> {
        let is_it = |m: &Value| m["type"] == "event" && m["event"] == event;
        if let Some(message) = self.take_pending(is_it) {
            return Some(message);
        }
        let deadline = Instant::now() + timeout;
        loop {
            match self.receive(deadline) {
                Ok(message) if is_it(&message) => return Some(message),
                Ok(message) => self.pending.push_back(message),
                Err(_) => return None,
            }
        }
    }

    /// Concatenated `output` of every `output` event of `category` seen so far
    /// (after taking in everything already sent), including ones a
    /// `wait_event("output")` consumed. Cumulative: calling it again returns
    /// the same text plus anything new. A missing category counts as
    /// `console`, as DAP specifies.
    pub fn output(&mut self, category: &str) -> String {
        self.drain_available();
        self.seen
            .iter()
            .filter(|m| m["type"] == "event" && m["event"] == "output")
            .filter(|m| m["body"]["category"].as_str().unwrap_or("console") == category)
            .filter_map(|m| m["body"]["output"].as_str())
            .collect()
    }

    /// Waits up to [`TIMEOUT`] until [`Self::output`] of `category` contains
    /// `needle`, and returns that output. Output events race with others
    /// (`stopped`, `terminated`), so tests should wait rather than assume.
    pub fn wait_output(&mut self, category: &str, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let output = self.output(category);
            if output.contains(needle) {
                return output;
            }
            match self.receive(deadline) {
                Ok(message) => self.pending.push_back(message),
                Err(why) => panic!(
                    "{category} output never contained {needle:?} ({why}); it was {output:?}\n{}",
                    self.describe_seen()
                ),
            }
        }
    }

    /// Every message received so far, in order (responses, events, reverse
    /// requests), whether or not it has been consumed.
    pub fn messages_seen(&self) -> &[Value] {
        &self.seen
    }

    /// The events among [`Self::messages_seen`].
    pub fn events_seen(&self) -> Vec<&Value> {
        self.seen.iter().filter(|m| m["type"] == "event").collect()
    }

    /// Closes the adapter's stdin, as an editor going away would.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits up to [`TIMEOUT`] for the adapter process to exit and returns
    /// its exit code (`None` if a signal ended it). Panics on timeout.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let child = self.child.as_mut().expect("this client started no adapter process");
            match child.try_wait().expect("failed to poll the adapter process") {
                Some(status) => return status.code(),
                None if Instant::now() >= deadline => {
                    self.drain_available();
                    panic!("the adapter did not exit within {TIMEOUT:?}\n{}", self.describe_seen());
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }

    // ------------------------------------------------------ conveniences

    /// Sends `initialize` and returns the adapter's capabilities (the body).
    pub fn initialize(&mut self) -> Value {
        self.request_ok(
            "initialize",
            json!({
                "clientID": "wasmscope-tests",
                "clientName": "wasmscope tests",
                "adapterID": "wasmscope",
                "linesStartAt1": true,
                "columnsStartAt1": true,
                "pathFormat": "path",
            }),
        )
    }

    /// `initialize`, wait for `initialized`, then `launch` the debuggee with
    /// `args` (the scenario name first) plus the fields of `extra` (e.g.
    /// `stopOnEntry`, `env`, `cwd`), which override the defaults. Returns the
    /// launch response unchecked, so failure tests can use it too.
    /// Breakpoints and `configurationDone` are left to the test.
    pub fn launch(&mut self, args: &[&str], extra: Value) -> Value {
        self.initialize();
        self.wait_event("initialized");
        let mut arguments = json!({
            "program": debuggee_wasm(),
            "args": args,
        });
        match extra {
            Value::Object(fields) => {
                for (name, value) in fields {
                    arguments[name] = value;
                }
            }
            Value::Null => {}
            other => panic!("launch extras must be a JSON object, got {other}"),
        }
        self.request("launch", arguments)
    }

    /// `setBreakpoints` in the fixture source on the lines of `markers` (see
    /// [`line_of`]); returns the response body (`breakpoints`, in order).
    pub fn set_breakpoints(&mut self, markers: &[&str]) -> Value {
        let breakpoints: Vec<Value> = markers
            .iter()
            .map(|marker| json!({ "line": line_of(marker) }))
            .collect();
        self.request_ok(
            "setBreakpoints",
            json!({
                "source": { "path": debuggee_source() },
                "breakpoints": breakpoints,
            }),
        )
    }

    // ----------------------------------------------------------- internals

    /// Removes and returns the first queued message matching `is_it`.
    fn take_pending(&mut self, is_it: impl Fn(&Value) -> bool) -> Option<Value> {
        let index = self.pending.iter().position(is_it)?;
        self.pending.remove(index)
    }

    /// Next message from the adapter, recorded in `seen`. `Err` on timeout or
    /// once the stream has ended; a protocol error panics, because no test
    /// can meaningfully continue after one.
    fn receive(&mut self, deadline: Instant) -> Result<Value, String> {
        if let Some(why) = &self.closed {
            return Err(why.clone());
        }
        let timeout = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(timeout) {
            Ok(Ok(message)) => {
                self.seen.push(message.clone());
                Ok(message)
            }
            Ok(Err(why)) => self.stream_ended(why),
            Err(RecvTimeoutError::Timeout) => Err("timed out".to_string()),
            Err(RecvTimeoutError::Disconnected) => self.stream_ended("the DAP reader thread stopped".to_string()),
        }
    }

    /// Queues everything the reader thread has already delivered.
    fn drain_available(&mut self) {
        while self.closed.is_none() {
            match self.incoming.try_recv() {
                Ok(Ok(message)) => {
                    self.seen.push(message.clone());
                    self.pending.push_back(message);
                }
                Ok(Err(why)) => {
                    let _ = self.stream_ended(why);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    let _ = self.stream_ended("the DAP reader thread stopped".to_string());
                }
            }
        }
    }

    fn stream_ended(&mut self, why: String) -> Result<Value, String> {
        if why.starts_with("DAP protocol error") {
            panic!("{why}\n{}", self.describe_seen());
        }
        self.closed = Some(why.clone());
        Err(why)
    }

    /// The messages seen so far, one per line, for failure messages.
    fn describe_seen(&self) -> String {
        const LIMIT: usize = 400;
        let mut text = format!("messages seen from the adapter ({}):", self.seen.len());
        for message in &self.seen {
            let mut line = message.to_string();
            if line.len() > LIMIT {
                let mut end = LIMIT;
                while !line.is_char_boundary(end) {
                    end -= 1;
                }
                line.truncate(end);
                line.push_str("...");
            }
            text.push_str("\n  ");
            text.push_str(&line);
        }
        text
    }
}

impl Drop for DapClient {
    /// Never leave an adapter (and a possibly endless debuggee) running.
    fn drop(&mut self) {
        self.stdin = None;
        if let Some(child) = &mut self.child {
            if let Ok(None) = child.try_wait() {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }
}

// ---------------------------------------------------------------- self-test

/// A plain HTTP/1.1 request on a fresh connection (`Connection: close`); returns the status
/// line and the body.
pub fn http_request(addr: &str, method: &str, target: &str, body: &str) -> (String, String) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

/// A one-request HTTP server on loopback: answers `hello` and returns the request it read.
pub fn one_request_http_server() -> (String, std::thread::JoinHandle<String>) {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let served = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let mut request = Vec::new();
        let mut buffer = [0u8; 1024];
        while !request.ends_with(b"\r\n\r\n") {
            let n = stream.read(&mut buffer).unwrap();
            assert!(n > 0, "the client closed early");
            request.extend_from_slice(&buffer[..n]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
            .unwrap();
        String::from_utf8(request).unwrap()
    });
    (addr, served)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(bytes: &[u8]) -> Vec<Result<Option<Value>, String>> {
        let mut reader = BufReader::new(bytes);
        let mut results = Vec::new();
        loop {
            let result = read_message(&mut reader);
            let stop = !matches!(result, Ok(Some(_)));
            results.push(result);
            if stop {
                return results;
            }
        }
    }

    #[test]
    fn support_framing_round_trips() {
        let first = json!({ "seq": 1, "type": "event", "event": "output", "body": { "output": "λ\n" } });
        let second = json!({ "seq": 2, "type": "response", "request_seq": 1, "success": true });
        let mut bytes = Vec::new();
        write_message(&mut bytes, &first).unwrap();
        write_message(&mut bytes, &second).unwrap();
        assert_eq!(parse_all(&bytes), vec![Ok(Some(first)), Ok(Some(second)), Ok(None)]);
    }

    #[test]
    fn support_framing_tolerates_other_headers() {
        let bytes = b"content-length: 2\r\nContent-Type: x\r\n\r\n{}";
        assert_eq!(parse_all(bytes), vec![Ok(Some(json!({}))), Ok(None)]);
    }

    #[test]
    fn support_framing_reports_garbage() {
        let errors = [
            &b"hello from a stray println\n"[..],
            b"Content-Length: 10\r\n\r\n{}",
            b"Content-Length: 2\r\n",
            b"X: 1\r\n\r\n{}",
            b"Content-Length: 3\r\n\r\nnot",
        ];
        for bytes in errors {
            let results = parse_all(bytes);
            assert!(
                matches!(results.last(), Some(Err(_))),
                "{:?} parsed as {results:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn support_markers_match_exactly() {
        let source = "fn a() {} // BP:fact_rec\n  // BP:fact  \nx // BP:dup\ny // BP:dup\n";
        assert_eq!(find_marker(source, "fact_rec"), Ok(1));
        assert_eq!(find_marker(source, "fact"), Ok(2));
        assert!(find_marker(source, "rec").is_err());
        assert!(find_marker(source, "dup").unwrap_err().contains("duplicated"));
    }

    #[test]
    fn support_line_of_finds_fixture_markers() {
        let source = std::fs::read_to_string(debuggee_source()).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        for marker in [
            "values",
            "add_body",
            "fact_rec",
            "panic_line",
            "trap_line",
            "loop_body",
            "never",
        ] {
            let line = line_of(marker);
            assert!(lines[line as usize - 1].ends_with(&format!("// BP:{marker}")));
        }
    }

    #[test]
    #[should_panic(expected = "not found")]
    fn support_line_of_rejects_unknown_markers() {
        line_of("no_such_marker");
    }

    #[test]
    fn support_debuggee_builds() {
        let wasm = debuggee_wasm();
        assert!(wasm.is_absolute());
        let bytes = std::fs::read(&wasm).unwrap();
        assert_eq!(&bytes[..4], b"\0asm");
        // Same path (and no rebuild) on the second call.
        assert_eq!(debuggee_wasm(), wasm);
    }
}
