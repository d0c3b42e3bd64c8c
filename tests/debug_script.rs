//! `wasmscope debug --script`: scripted debug sessions for CI, run through the real binary on
//! the scripts in `tests/fixtures/scripts/` (and broken ones written here).

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::*;

/// A whole script run may wait several times (launch, stops, output, exit).
const RUN_TIMEOUT: Duration = Duration::from_secs(240);

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scripts")
        .join(name)
}

/// A `wasmscope debug` process, killed if the test ends before it does.
struct Debug(Child);

impl Drop for Debug {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `wasmscope debug ARGS…`: (stdout, stderr, exit code).
fn debug(args: &[&std::ffi::OsStr]) -> (String, String, Option<i32>) {
    let child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("debug")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start wasmscope");
    let mut process = Debug(child);
    // Read both pipes on threads so a chatty child never blocks on a full pipe.
    let mut stdout = process.0.stdout.take().unwrap();
    let mut stderr = process.0.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = process.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < RUN_TIMEOUT,
            "wasmscope debug did not finish within {RUN_TIMEOUT:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    (out.join().unwrap(), err.join().unwrap(), status.code())
}

/// A scratch directory removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("wasmscope-script-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The transcript's step lines (`✓`/`✗`/`-`), without the program's output lines.
fn step_lines(transcript: &str) -> Vec<&str> {
    transcript
        .lines()
        .filter(|l| l.starts_with("  ✓") || l.starts_with("  ✗") || l.starts_with("  -"))
        .collect()
}

#[test]
fn a_passing_script_breaks_steps_inspects_and_checks_the_exit() {
    debuggee_wasm();
    let source = debuggee_source();
    let source = source.display();
    let (stdout, stderr, code) = debug(&["--script".as_ref(), script("steps.yaml").as_os_str()]);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let (call_add, add_body, after_add, call_fact) = (
        line_of("call_add"),
        line_of("add_body"),
        line_of("after_add"),
        line_of("call_fact"),
    );
    assert_eq!(
        step_lines(&stdout),
        [
            "  ✓ launch debuggee.wasm".to_string(),
            format!("  ✓ break ../debuggee/src/main.rs (// BP:call_add) → verified at line {call_add}"),
            "  ✓ continue → started".to_string(),
            format!("  ✓ expect_stop → breakpoint at {source}:{call_add} in debuggee::steps"),
            "  ✓ expect_variables → 2 matched".to_string(),
            "  ✓ evaluate x → 2".to_string(),
            format!("  ✓ step_in → step at {source}:{add_body} in debuggee::add"),
            format!("  ✓ expect_stop → step at {source}:{add_body} in debuggee::add"),
            "  ✓ expect_variables → 2 matched".to_string(),
            format!("  ✓ step_out → step at {source}:{after_add} in debuggee::steps"),
            format!("  ✓ expect_stop → step at {source}:{after_add} in debuggee::steps"),
            format!("  ✓ next → step at {source}:{call_fact} in debuggee::steps"),
            format!("  ✓ expect_stop → step at {source}:{call_fact} in debuggee::steps"),
            "  ✓ expect_variables → 2 matched".to_string(),
            "  ✓ continue".to_string(),
            "  ✓ expect_output → found \"add=5 doubled=10 factorial=120\"".to_string(),
            "  ✓ expect_exit 0 → exited with code 0".to_string(),
        ]
    );
    assert!(
        stdout.contains("    ┆ stdout: add=5 doubled=10 factorial=120\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("17 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn a_failed_expectation_exits_1_with_expected_and_seen_and_a_junit_report() {
    debuggee_wasm();
    let scratch = Scratch::new("junit");
    let junit = scratch.0.join("report.xml");
    let (stdout, stderr, code) = debug(&[
        "--script".as_ref(),
        script("values-wrong.yaml").as_os_str(),
        // One `--script` may take several files, as a shell glob gives them.
        script("steps.yaml").as_os_str(),
        "--junit".as_ref(),
        junit.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let lines = step_lines(&stdout);
    assert_eq!(
        lines[..10],
        [
            "  ✓ launch debuggee.wasm",
            &format!(
                "  ✓ break ../debuggee/src/main.rs (// BP:values) → verified at line {}",
                line_of("values")
            ),
            "  ✓ continue → started",
            &format!(
                "  ✓ expect_stop → breakpoint at {}:{} in debuggee::values",
                debuggee_source().display(),
                line_of("values")
            ),
            "  ✓ expect_variables → 4 matched",
            "  ✓ evaluate line.to.x → 5",
            "  ✓ evaluate point → Point { x: 1, y: -2 }",
            r#"  ✗ expect_variables → borrowed: expected "\"World\"", saw "\"world\"""#,
            "  - expect_exit 0 (skipped)",
            // The second script still runs, in its own session.
            "  ✓ launch debuggee.wasm",
        ]
    );
    assert!(stdout.contains("\n7 passed, 1 failed, 1 skipped\n"), "{stdout}");
    assert!(
        stdout.ends_with("\nall scripts: 24 passed, 1 failed, 1 skipped\n"),
        "{stdout}"
    );

    let xml = std::fs::read_to_string(&junit).expect("the JUnit report was not written");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    assert_eq!(xml.matches("<testsuite ").count(), 2);
    // 1 launch + 8 steps, 1 launch + 16 steps.
    assert_eq!(xml.matches("<testcase ").count(), 26);
    assert!(xml.contains("<testsuite name=\"debuggee values\" tests=\"9\" failures=\"1\" errors=\"0\" skipped=\"1\""));
    assert_eq!(xml.matches("<failure ").count(), 1);
    assert!(xml.contains(
        "<failure message=\"borrowed: expected &quot;\\&quot;World\\&quot;&quot;, saw &quot;\\&quot;world\\&quot;&quot;\">"
    ));
    assert_eq!(xml.matches("<skipped/>").count(), 1);
}

#[test]
fn a_served_wapc_actor_is_invoked_from_the_script() {
    wapc_actor_wasm();
    let (stdout, stderr, code) = debug(&["--script".as_ref(), script("wapc-serve.yaml").as_os_str()]);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let source = wapc_actor_dir().join("src/lib.rs");
    assert_eq!(
        step_lines(&stdout),
        [
            "  ✓ launch wapc_actor.wasm".to_string(),
            "  ✓ continue → started".to_string(),
            "  ✓ invoke Greet → invoking Greet…".to_string(),
            "  ✓ expect_output → found \"Greet: Hello, first!\"".to_string(),
            format!(
                "  ✓ break ../wapc-actor/src/lib.rs (// BP:greet) → verified at line {}",
                wapc_line_of("greet")
            ),
            "  ✓ invoke Greet → invoking Greet…".to_string(),
            format!(
                "  ✓ expect_stop → breakpoint at {}:{} in wapc_actor::greet",
                source.display(),
                wapc_line_of("greet")
            ),
            "  ✓ expect_variables → 1 matched".to_string(),
            "  ✓ continue".to_string(),
            "  ✓ expect_output → found \"Greet: Hello, World!\"".to_string(),
            "  ✓ invoke Count → invoking Count…".to_string(),
            "  ✓ expect_output → found \"Count: 3\"".to_string(),
        ]
    );
    assert!(stdout.contains("    ┆ console: Greet: Hello, World!\n"), "{stdout}");
    assert!(stdout.ends_with("12 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn a_broken_script_exits_2_with_the_error_location_before_running_anything() {
    let scratch = Scratch::new("broken");
    let broken = scratch.0.join("broken.yaml");
    std::fs::write(
        &broken,
        "launch:\n  program: nowhere.wasm\nsteps:\n  - continue\n  - brake: src/main.rs:3\n",
    )
    .unwrap();
    let (stdout, stderr, code) = debug(&[
        "--script".as_ref(),
        script("steps.yaml").as_os_str(),
        "--script".as_ref(),
        broken.as_os_str(),
    ]);
    assert_eq!(code, Some(2), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(stdout, "", "no script runs when one cannot be read");
    let first = stderr.lines().next().unwrap_or("");
    assert_eq!(
        first,
        format!(
            "wasmscope: `{}` is not a valid debug script: error: line 5 column 5: unknown variant `brake`, \
             expected one of break, continue, next, step_in, step_out, expect_stop, expect_variables, \
             evaluate, invoke, expect_output, expect_exit",
            broken.display()
        )
    );

    let missing_marker = scratch.0.join("marker.yaml");
    std::fs::write(
        &missing_marker,
        format!(
            "launch: {{ program: nowhere.wasm }}\nsteps:\n  - break: {{ file: {}, marker: \"BP:nope\" }}\n",
            debuggee_source().display()
        ),
    )
    .unwrap();
    let (_, stderr, code) = debug(&["--script".as_ref(), missing_marker.as_os_str()]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        format!(
            "wasmscope: `{}`: step 1: the marker `BP:nope` is not in `{}`\n",
            missing_marker.display(),
            debuggee_source().display()
        )
    );
}

#[test]
fn a_program_that_cannot_launch_fails_the_launch_step() {
    let scratch = Scratch::new("launch");
    let file = scratch.0.join("missing.yaml");
    std::fs::write(&file, "launch: { program: missing.wasm }\nsteps:\n  - expect_exit: 0\n").unwrap();
    let (stdout, _, code) = debug(&["--script".as_ref(), file.as_os_str()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        step_lines(&stdout),
        [
            format!(
                "  ✗ launch missing.wasm → launch failed: program `{}` does not exist",
                scratch.0.join("missing.wasm").display()
            ),
            "  - expect_exit 0 (skipped)".to_string(),
        ]
    );
    assert!(stdout.ends_with("0 passed, 1 failed, 1 skipped\n"));
}
