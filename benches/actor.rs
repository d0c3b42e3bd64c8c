//! Actor invocation throughput, plain (`wasmscope run`) vs under the debugger (`wasmscope dap`,
//! breakpoints armed in the actor but never hit): `cargo bench --bench actor`. Prints medians
//! and ratios; figures go to docs/benchmarks.md.
//!
//! - waPC: a trivial operation (`Ping`, payload echoed) invoked N times in one process; the
//!   per-invocation cost is the difference between N+1 and 1 invocations, so loading and
//!   compiling the module cancel out.
//! - HTTP: sequential requests on one keep-alive connection to a waPC actor serving
//!   `wasmcloud:httpserver` (each request = one `HandleRequest` invocation with a key-value call),
//!   and to a component exporting `wasi:http/incoming-handler`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::*;

const RUNS: usize = 5;
const INVOCATIONS: usize = 2000;
const REQUESTS: usize = 500;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn invoke_args(n: usize) -> Vec<String> {
    (0..n)
        .flat_map(|_| ["--invoke".to_string(), "Ping=x".to_string()])
        .collect()
}

fn plain_invocations(n: usize) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .arg(wapc_actor_wasm())
        .args(invoke_args(n))
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    start.elapsed()
}

/// Launch → exited under the adapter, with a breakpoint armed in a handler that `Ping` never
/// reaches.
fn debug_invocations(n: usize) -> Duration {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let invoke: Vec<Value> = (0..n).map(|_| json!({ "operation": "Ping", "payload": "x" })).collect();
    let start = Instant::now();
    client.request_ok("launch", json!({ "program": wapc_actor_wasm(), "invoke": invoke }));
    let source = wapc_actor_dir().join("src/lib.rs");
    let set = client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": source }, "breakpoints": [{ "line": wapc_line_of("greet") }] }),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("exited");
    start.elapsed()
}

/// Microseconds per invocation: (time for n+1) − (time for 1), over n.
fn per_invocation(measure: impl Fn(usize) -> Duration) -> f64 {
    let one = measure(1);
    let many = measure(INVOCATIONS + 1);
    many.saturating_sub(one).as_secs_f64() * 1e6 / INVOCATIONS as f64
}

/// A keep-alive HTTP/1.1 client: `REQUESTS` sequential GETs; returns requests per second.
fn drive_http(addr: &str) -> f64 {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let start = Instant::now();
    for _ in 0..REQUESTS {
        write!(writer, "GET /bench HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut length = 0;
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
    }
    REQUESTS as f64 / start.elapsed().as_secs_f64()
}

/// An HTTP server under test: the program and where a breakpoint that requests never reach
/// goes (for the debugger's side).
struct HttpSubject {
    program: std::path::PathBuf,
    source: std::path::PathBuf,
    never_line: u32,
}

fn plain_http(subject: &HttpSubject) -> f64 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["run", "--http", "127.0.0.1:0"])
        .arg(&subject.program)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let addr = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the server ended early");
        if let Some(addr) = line.trim().split("http://").nth(1) {
            break addr.to_string();
        }
    };
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let rate = drive_http(&addr);
    child.kill().unwrap();
    child.wait().unwrap();
    rate
}

fn debug_http(subject: &HttpSubject) -> f64 {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    client.request_ok("launch", json!({ "program": subject.program, "http": "127.0.0.1:0" }));
    let set = client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": subject.source }, "breakpoints": [{ "line": subject.never_line }] }),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true);
    client.request_ok("configurationDone", json!({}));
    let console = client.wait_output("console", "on http://");
    let addr = console
        .lines()
        .find_map(|l| l.split("http://").nth(1))
        .unwrap()
        .to_string();
    let rate = drive_http(&addr);
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    rate
}

fn main() {
    // Build first, so no measurement includes cargo.
    let actor = HttpSubject {
        program: wapc_actor_wasm(),
        source: wapc_actor_dir().join("src/lib.rs"),
        never_line: wapc_line_of("greet"),
    };
    let component = HttpSubject {
        program: http_component_wasm(),
        source: http_component_dir().join("src/lib.rs"),
        never_line: http_component_line_of("panic"),
    };
    let mut plain = Vec::new();
    let mut debug = Vec::new();
    let mut rates: [(Vec<f64>, Vec<f64>); 2] = Default::default();
    // Interleaved, so load changes on a shared machine hit both sides alike.
    for _ in 0..RUNS {
        plain.push(per_invocation(plain_invocations));
        debug.push(per_invocation(debug_invocations));
        for (subject, (plain_rps, debug_rps)) in [&actor, &component].into_iter().zip(rates.iter_mut()) {
            plain_rps.push(plain_http(subject));
            debug_rps.push(debug_http(subject));
        }
    }
    let (plain, debug) = (median(plain), median(debug));
    println!("waPC Ping, per invocation (median of {RUNS}, {INVOCATIONS} invocations each):");
    println!("  wasmscope run: {plain:.1} µs ({:.0}/s)", 1e6 / plain);
    println!("  wasmscope dap: {debug:.1} µs ({:.0}/s)", 1e6 / debug);
    println!("  ratio dap/run: {:.2}×", debug / plain);
    let titles = [
        "waPC HandleRequest (wasmcloud:httpserver, one key-value call)",
        "component wasi:http/incoming-handler",
    ];
    for (title, (plain_rps, debug_rps)) in titles.into_iter().zip(rates) {
        let (plain_rps, debug_rps) = (median(plain_rps), median(debug_rps));
        println!("{title}, sequential keep-alive requests (median of {RUNS}, {REQUESTS} each):");
        println!(
            "  wasmscope run: {plain_rps:.0} requests/s ({:.0} µs each)",
            1e6 / plain_rps
        );
        println!(
            "  wasmscope dap: {debug_rps:.0} requests/s ({:.0} µs each)",
            1e6 / debug_rps
        );
        println!("  ratio run/dap: {:.2}×", plain_rps / debug_rps);
    }
}
