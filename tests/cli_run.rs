//! `wasmscope run`: the everyday way to run a program, without debugging.

mod support;

use std::process::Command;

use support::*;

fn wasmscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wasmscope"))
}

#[test]
fn runs_a_program_with_args_env_and_directory() {
    let dir = std::env::temp_dir().join(format!("wasmscope-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("input.txt"), "hello file").unwrap();
    let output = wasmscope()
        .arg("run")
        .arg("--env")
        .arg("GREETING=bonjour")
        .arg("--dir")
        .arg(&dir)
        .arg(debuggee_wasm())
        .args(["io", "-x", "two words"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "arg: -x\narg: two words\nGREETING=bonjour\nfile: hello file\n"
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "to stderr\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_trap_exits_134_with_the_panic_and_trap_messages() {
    let output = wasmscope()
        .arg("run")
        .arg(debuggee_wasm())
        .arg("panic")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(134));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("division by zero: 10 / 0"), "{stderr}");
    assert!(
        stderr.contains("wasm trap: wasm `unreachable` instruction executed"),
        "{stderr}"
    );
}

#[test]
fn missing_and_invalid_programs_are_clear_errors() {
    let output = wasmscope().args(["run", "/no/such.wasm"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).starts_with("wasmscope: cannot read `/no/such.wasm`:"),
        "{output:?}"
    );
    let output = wasmscope().arg("run").arg(debuggee_source()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("is not a WebAssembly binary"),
        "{output:?}"
    );
}
