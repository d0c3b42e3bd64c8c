//! Debugger overhead and latency, measured over real processes and DAP messages:
//! `cargo bench --bench debugger`. Prints medians and the debug/plain ratio; figures go to
//! docs/benchmarks.md. Exits non-zero when the call-heavy loop's ratio is above the 4× ceiling
//! (the inline-arithmetic worst case is reported beside it).

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

/// `wasmscope run debuggee.wasm SCENARIO`, whole process.
fn plain_run(scenario: &str) -> Duration {
    run_with(&[], scenario)
}

/// The same on the debugger's instrumented engine, without a session: what guest-debug
/// instrumentation alone costs.
fn instrumented_run(scenario: &str) -> Duration {
    run_with(&["--instrumented"], scenario)
}

fn run_with(flags: &[&str], scenario: &str) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .args(flags)
        .arg(debuggee_wasm())
        .arg(scenario)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    start.elapsed()
}

/// The same program under `wasmscope dap`, from `launch` to `exited`, with a breakpoint armed
/// in the hot function on a line that is never reached.
fn debug_run(scenario: &str, never: &str) -> Duration {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let start = Instant::now();
    client.request_ok("launch", json!({ "program": debuggee_wasm(), "args": [scenario] }));
    let set = client.set_breakpoints(&[never]);
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

/// Plain, instrumented and debug medians of one scenario, interleaved so that all three
/// see the same load on a shared machine; returns the debug/plain ratio.
fn overhead(scenario: &str, never: &str, what: &str) -> f64 {
    println!("`{scenario}`: {what}, median of {RUNS}");
    let (mut plain, mut instrumented, mut debug) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        plain.push(plain_run(scenario));
        instrumented.push(instrumented_run(scenario));
        debug.push(debug_run(scenario, never));
    }
    let (plain, instrumented, debug) = (median(plain), median(instrumented), median(debug));
    let ratio = debug.as_secs_f64() / plain.as_secs_f64();
    println!("  plain `wasmscope run`:                         {}", ms(plain));
    println!(
        "  `wasmscope run --instrumented` (no session):   {} ({:.2}x: guest-debug code alone)",
        ms(instrumented),
        instrumented.as_secs_f64() / plain.as_secs_f64()
    );
    println!("  under `wasmscope dap`, breakpoint never hit:   {}", ms(debug));
    println!("  ratio debug / plain:                           {ratio:.2}x (ceiling {CEILING}x, target 1.5x)");
    ratio
}

fn main() {
    // Warm up: build the fixture, page in the binary.
    debuggee_wasm();
    plain_run("bench");

    println!("debuggee: tests/fixtures/debuggee, a debug build (opt-level 0, DWARF), 80M iterations");
    let calls = overhead("bench", "never", "a loop calling small functions");
    let arith = overhead("bench_arith", "never_arith", "a loop of inline arithmetic, no calls");
    let first_stop = median((0..RUNS).map(|_| launch_to_first_stop()).collect());
    println!("launch -> first stop:                            {}", ms(first_stop));
    let next = median(next_round_trips());
    println!("next -> stopped round trip (median of {STEPS}):      {}", ms(next));
    let pause = median((0..RUNS).map(|_| pause_latency()).collect());
    println!("pause -> stopped in a busy loop:                 {}", ms(pause));
    // The ceiling is for a CPU-bound program as programs are: the call-heavy loop. Inline
    // arithmetic at opt-level 0 is guest-debug's worst case (signals-based traps are off, so
    // every load and store is bounds-checked, and every operand is recorded): reported, and
    // said when it is above, without failing the run.
    if arith > CEILING {
        println!(
            "note: `bench_arith` ({arith:.2}x) is above the {CEILING}x ceiling: guest-debug's explicit bounds \
             checks and operand recording cost most on inline arithmetic"
        );
    }
    if calls > CEILING {
        eprintln!("the debug/plain ratio {calls:.2}x of `bench` is above the {CEILING}x ceiling");
        std::process::exit(1);
    }
}
