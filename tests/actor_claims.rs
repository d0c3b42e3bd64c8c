//! Signed actors: `wasmscope claims sign/inspect` and `keys gen`, and a host that refuses
//! tampered, expired and not-yet-valid modules and enforces capability claims.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;
use support::*;

fn wasmscope(scratch: &Scratch, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(args)
        .env("WASMSCOPE_KEYS", scratch.0.join("keys"))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Signs the fixture actor into the scratch directory and returns the signed module.
fn signed(scratch: &Scratch, extra: &[&str]) -> PathBuf {
    let out = scratch.0.join("actor_s.wasm");
    let actor = wapc_actor_wasm();
    let mut args = vec!["claims", "sign", actor.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = wasmscope(scratch, &args);
    assert!(output.status.success(), "{}", text(&output.stderr));
    out
}

fn run(scratch: &Scratch, module: &Path, args: &[&str]) -> Output {
    let mut all = vec!["run", module.to_str().unwrap()];
    all.extend_from_slice(args);
    wasmscope(scratch, &all)
}

fn module_key(scratch: &Scratch) -> String {
    let inspect = wasmscope(scratch, &["claims", "inspect", signed_path(scratch).to_str().unwrap()]);
    let out = text(&inspect.stdout);
    out.lines()
        .find_map(|l| l.strip_prefix("Module (sub):  "))
        .unwrap()
        .to_string()
}

fn signed_path(scratch: &Scratch) -> PathBuf {
    scratch.0.join("actor_s.wasm")
}

#[test]
fn capability_claims_are_enforced_as_a_host_enforces_them() {
    let scratch = Scratch::new("caps");
    let module = signed(&scratch, &["--name", "counter", "--cap", "wasmcloud:logging"]);
    let output = run(
        &scratch,
        &module,
        &[
            "--invoke",
            "Greet=signed",
            "--invoke",
            r#"Count@msgpack={"key": "k", "by": 1}"#,
        ],
    );
    assert_eq!(text(&output.stdout), "Greet: Hello, signed!\n");
    assert_eq!(
        text(&output.stderr),
        format!(
            "[info wapc-actor] Hello, signed!\nCount failed: Host error: Actor {} is not authorized to use capability wasmcloud:keyvalue\n",
            module_key(&scratch)
        )
    );
    assert_eq!(output.status.code(), Some(1));

    // The keys made on the first signing are reused: the module keeps its identity.
    let before = module_key(&scratch);
    signed(
        &scratch,
        &[
            "--name",
            "counter",
            "--cap",
            "wasmcloud:logging",
            "--cap",
            "wasmcloud:keyvalue",
        ],
    );
    assert_eq!(module_key(&scratch), before);
    let output = run(
        &scratch,
        &module,
        &["--invoke", r#"Count@msgpack={"key": "k", "by": 1}"#],
    );
    assert_eq!(text(&output.stdout), "Count: 1\n");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn inspect_shows_the_claims_and_whether_they_verify() {
    let scratch = Scratch::new("inspect");
    let module = signed(
        &scratch,
        &[
            "--name",
            "counter",
            "--cap",
            "wasmcloud:keyvalue",
            "--tag",
            "demo",
            "--ver",
            "0.3.0",
            "--rev",
            "3",
        ],
    );
    let output = wasmscope(&scratch, &["claims", "inspect", module.to_str().unwrap()]);
    let out = text(&output.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Name:          counter");
    assert!(
        lines[1].starts_with("Module (sub):  M") && lines[1].len() == 15 + 56,
        "{out}"
    );
    assert!(
        lines[2].starts_with("Account (iss): A") && lines[2].len() == 15 + 56,
        "{out}"
    );
    assert_eq!(lines[3], "Capabilities:  wasmcloud:keyvalue");
    assert_eq!(lines[4], "Tags:          demo");
    assert_eq!(lines[5], "Version:       0.3.0 (revision 3)");
    assert_eq!(lines[7], "Valid from:    immediately");
    assert_eq!(lines[8], "Expires:       never");
    assert_eq!(lines[9], "Verification:  signature, hash and dates valid");
    assert_eq!(output.status.code(), Some(0));

    let unsigned = wasmscope(&scratch, &["claims", "inspect", wapc_actor_wasm().to_str().unwrap()]);
    assert!(text(&unsigned.stdout).ends_with("is not signed: it has no embedded claims\n"));
    assert_eq!(unsigned.status.code(), Some(1));
}

#[test]
fn tampered_expired_and_early_modules_are_refused_naming_the_check() {
    let scratch = Scratch::new("refused");
    let module = signed(&scratch, &["--cap", "wasmcloud:logging"]);
    let mut bytes = std::fs::read(&module).unwrap();
    // A custom section appended after signing: the module no longer hashes to its claims.
    bytes.extend_from_slice(b"\0\x05\x04evil");
    let tampered = scratch.0.join("tampered.wasm");
    std::fs::write(&tampered, bytes).unwrap();
    let output = run(&scratch, &tampered, &["--invoke", "Greet=x"]);
    assert_eq!(
        text(&output.stderr),
        "wasmscope: the actor's signed claims are not valid: the module was changed after it was signed: \
         its hash does not match the one in its claims (pass --allow-invalid-claims to run it anyway)\n"
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");

    // The override runs it, saying why that is unusual.
    let output = run(&scratch, &tampered, &["--allow-invalid-claims", "--invoke", "Greet=x"]);
    assert_eq!(text(&output.stdout), "Greet: Hello, x!\n");
    assert!(
        text(&output.stderr)
            .starts_with("wasmscope: running an actor whose claims are not valid, as asked: the module was changed"),
        "{}",
        text(&output.stderr)
    );

    let expired = signed(&scratch, &["--cap", "wasmcloud:logging", "--expires-in-days", "0"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let output = run(&scratch, &expired, &["--invoke", "Greet=x"]);
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with("wasmscope: the actor's signed claims are not valid: the claims expired "),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));

    let early = signed(&scratch, &["--cap", "wasmcloud:logging", "--not-before-days", "2"]);
    let output = run(&scratch, &early, &["--invoke", "Greet=x"]);
    let stderr = text(&output.stderr);
    assert!(
        stderr
            .starts_with("wasmscope: the actor's signed claims are not valid: the claims are not valid yet (valid in ")
            && stderr.contains("day"),
        "{stderr}"
    );
}

#[test]
fn the_debugger_refuses_a_tampered_actor_at_launch() {
    let scratch = Scratch::new("dap");
    let module = signed(&scratch, &["--cap", "wasmcloud:logging"]);
    let mut bytes = std::fs::read(&module).unwrap();
    bytes.extend_from_slice(b"\0\x05\x04evil");
    std::fs::write(&module, bytes).unwrap();
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let response = client.request(
        "launch",
        json!({ "program": module, "invoke": [{ "operation": "Greet" }] }),
    );
    assert_eq!(response["success"], false);
    let message = response["message"].as_str().unwrap();
    assert!(
        message.contains("the module was changed after it was signed"),
        "{message}"
    );
    // With the override, the same launch runs.
    let response = client.request(
        "launch",
        json!({ "program": module, "invoke": [{ "operation": "Greet", "payload": "again" }], "allowInvalidClaims": true }),
    );
    assert_eq!(response["success"], true, "{response}");
    client.request_ok("configurationDone", json!({}));
    client.wait_output("console", "Greet: Hello, again!\n");
    client.wait_event("terminated");
}

#[test]
fn keys_gen_prints_a_public_key_and_its_seed() {
    let scratch = Scratch::new("keys");
    for (kind, public, seed) in [("account", 'A', "SA"), ("module", 'M', "SM")] {
        let output = wasmscope(&scratch, &["keys", "gen", kind]);
        let out = text(&output.stdout);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[0].strip_prefix("Public Key: ").unwrap().starts_with(public),
            "{out}"
        );
        assert!(lines[1].strip_prefix("Seed: ").unwrap().starts_with(seed), "{out}");
    }
}
