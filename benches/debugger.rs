//! Debugger overhead and latency, measured over real processes and DAP messages:
//! `cargo bench --bench debugger`. Prints medians and the debug/plain ratio; figures go to
//! docs/benchmarks.md. Exits non-zero when the ratio is above the 4× ceiling.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;
use support::*;

const RUNS: usize = 7;
const STEPS: usize = 20;
const CEILING: f64 = 4.0;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// `wasmscope run debuggee.wasm bench`, whole process.
fn plain_run() -> Duration {
    run_with(&[])
}

/// The same on the debugger's instrumented engine, without a session: what guest-debug
/// instrumentation alone costs.
fn instrumented_run() -> Duration {
    run_with(&["--instrumented"])
}

fn run_with(flags: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .args(flags)
        .arg(debuggee_wasm())
        .arg("bench")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    start.elapsed()
}

/// The same program under `wasmscope dap`, from `launch` to `exited`, with a breakpoint armed
/// in the hot function on a line that is never reached.
fn debug_run() -> Duration {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let start = Instant::now();
    client.request_ok("launch", json!({ "program": debuggee_wasm(), "args": ["bench"] }));
    let set = client.set_breakpoints(&["never"]);
    assert_eq!(set["breakpoints"][0]["verified"], true);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("exited");
    let elapsed = start.elapsed();
    assert!(client.events_seen().iter().all(|e| e["event"] != "stopped"));
    elapsed
}

/// From the `launch` request to the first `stopped` event at a breakpoint.
fn launch_to_first_stop() -> Duration {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let start = Instant::now();
    client.request_ok("launch", json!({ "program": debuggee_wasm(), "args": ["values"] }));
    client.set_breakpoints(&["values"]);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");
    start.elapsed()
}

/// `next` → `stopped` round trips in a loop whose body calls a function.
fn next_round_trips() -> Vec<Duration> {
    let mut client = DapClient::new();
    client.launch(&["loop"], json!({}));
    client.set_breakpoints(&["loop_body"]);
    client.request_ok("configurationDone", json!({}));
    client.wait_event("stopped");
    client.set_breakpoints(&[]);
    (0..STEPS)
        .map(|_| {
            let start = Instant::now();
            client.request_ok("next", json!({ "threadId": 1 }));
            client.wait_event("stopped");
            start.elapsed()
        })
        .collect()
}

/// `pause` → `stopped` in a busy loop.
fn pause_latency() -> Duration {
    let mut client = DapClient::new();
    client.launch(&["loop"], json!({}));
    client.request_ok("configurationDone", json!({}));
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    client.request_ok("pause", json!({ "threadId": 1 }));
    client.wait_event("stopped");
    start.elapsed()
}

fn main() {
    // Warm up: build the fixture, page in the binary.
    debuggee_wasm();
    plain_run();

    println!("debuggee: tests/fixtures/debuggee `bench` (80M iterations, debug build), median of {RUNS}");
    // Interleaved, so that both see the same load on a shared machine.
    let (mut plain, mut instrumented, mut debug) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        plain.push(plain_run());
        instrumented.push(instrumented_run());
        debug.push(debug_run());
    }
    let (plain, instrumented, debug) = (median(plain), median(instrumented), median(debug));
    println!("plain `wasmscope run`:                         {}", ms(plain));
    println!(
        "`wasmscope run --instrumented` (no session):   {} ({:.2}x: guest-debug code alone)",
        ms(instrumented),
        instrumented.as_secs_f64() / plain.as_secs_f64()
    );
    println!("under `wasmscope dap`, breakpoint never hit:   {}", ms(debug));
    let ratio = debug.as_secs_f64() / plain.as_secs_f64();
    println!("ratio debug / plain:                           {ratio:.2}x (ceiling {CEILING}x, target 1.5x)");
    let first_stop = median((0..RUNS).map(|_| launch_to_first_stop()).collect());
    println!("launch -> first stop:                          {}", ms(first_stop));
    let next = median(next_round_trips());
    println!("next -> stopped round trip (median of {STEPS}):    {}", ms(next));
    let pause = median((0..RUNS).map(|_| pause_latency()).collect());
    println!("pause -> stopped in a busy loop:               {}", ms(pause));
    if ratio > CEILING {
        eprintln!("the debug/plain ratio {ratio:.2}x is above the {CEILING}x ceiling");
        std::process::exit(1);
    }
}
