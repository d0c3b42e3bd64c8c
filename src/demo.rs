//! `wasmscope demo`: builds the bundled example actor (`examples/greeter`) for wasm32-wasip1
//! and debugs it through the DAP server, printing what an editor would show at each stop.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use wasmscope_dap::client::DapClient;

const MARKER: &str = "// demo: break here";

pub fn run() -> Result<ExitCode> {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/greeter");
    if !example.join("Cargo.toml").exists() {
        bail!(
            "the demo needs the wasmscope source tree: {} is missing",
            example.display()
        );
    }
    let wasm = build(&example)?;
    let source = example.join("src/main.rs");
    let text = std::fs::read_to_string(&source)?;
    let line = text
        .lines()
        .position(|l| l.contains(MARKER))
        .context("the example has no breakpoint marker")?
        + 1;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(debug(&wasm, &source, line))
}

fn build(example: &Path) -> Result<PathBuf> {
    println!("building {} for wasm32-wasip1 …", example.display());
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["build", "--quiet", "--target", "wasm32-wasip1", "--manifest-path"])
        .arg(example.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(example.join("target"))
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("building the example failed (is the target installed? `rustup target add wasm32-wasip1`)");
    }
    Ok(example.join("target/wasm32-wasip1/debug/greeter.wasm"))
}

/// One debug session, in-process but entirely through DAP messages.
async fn debug(wasm: &Path, source: &Path, line: usize) -> Result<ExitCode> {
    let (client_end, adapter_end) = tokio::io::duplex(1 << 16);
    let (adapter_in, adapter_out) = tokio::io::split(adapter_end);
    tokio::spawn(wasmscope_dap::serve(adapter_in, adapter_out));
    let (client_in, client_out) = tokio::io::split(client_end);
    let mut client = DapClient::new(client_in, client_out);

    client
        .request(
            "initialize",
            json!({ "clientID": "wasmscope-demo", "adapterID": "wasmscope" }),
        )
        .await?;
    client.request("launch", json!({ "program": wasm })).await?;
    let set = client
        .request(
            "setBreakpoints",
            json!({ "source": { "path": source }, "breakpoints": [{ "line": line }] }),
        )
        .await?;
    let bp = &set["breakpoints"][0];
    println!(
        "breakpoint {} at {}:{} ({})\n",
        bp["id"],
        file_name(source),
        bp["line"],
        if bp["verified"] == true {
            "verified"
        } else {
            "not verified"
        }
    );
    client.request("configurationDone", json!({})).await?;

    let mut stops = 0;
    let mut exit_code = None;
    loop {
        let event = client.next_event().await?;
        let body = &event["body"];
        match event["event"].as_str().unwrap_or("") {
            "output" => {
                for text in body["output"].as_str().unwrap_or("").lines() {
                    println!("  program {}: {text}", body["category"].as_str().unwrap_or("output"));
                }
            }
            "stopped" => {
                stops += 1;
                show_stop(&mut client, body).await?;
                client.request("continue", json!({ "threadId": 1 })).await?;
            }
            "exited" => exit_code = body["exitCode"].as_i64(),
            "terminated" => break,
            _ => {}
        }
    }
    client
        .request("disconnect", json!({ "terminateDebuggee": true }))
        .await?;
    println!(
        "\nthe program stopped {stops} times and exited with code {}",
        exit_code.unwrap_or(-1)
    );
    Ok(if stops > 0 && exit_code == Some(0) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn show_stop<W: tokio::io::AsyncWrite + Unpin>(client: &mut DapClient<W>, stopped: &Value) -> Result<()> {
    let trace = client.request("stackTrace", json!({ "threadId": 1 })).await?;
    let frames: Vec<&Value> = trace["stackFrames"]
        .as_array()
        .map(|f| f.iter().filter(|f| f.get("presentationHint").is_none()).collect())
        .unwrap_or_default();
    let Some(top) = frames.first() else { return Ok(()) };
    println!(
        "● stopped ({}) in {} at {}:{}",
        stopped["reason"].as_str().unwrap_or("?"),
        top["name"].as_str().unwrap_or("?"),
        top["source"]["name"].as_str().unwrap_or("?"),
        top["line"]
    );
    let stack: Vec<String> = frames
        .iter()
        .map(|f| {
            format!(
                "{} ({}:{})",
                f["name"].as_str().unwrap_or("?"),
                f["source"]["name"].as_str().unwrap_or("?"),
                f["line"]
            )
        })
        .collect();
    println!("  call stack: {}", stack.join(" ← "));
    let scopes = client.request("scopes", json!({ "frameId": top["id"] })).await?;
    let locals = client
        .request(
            "variables",
            json!({ "variablesReference": scopes["scopes"][0]["variablesReference"] }),
        )
        .await?;
    for var in locals["variables"].as_array().into_iter().flatten() {
        println!(
            "  {} = {}  : {}",
            var["name"].as_str().unwrap_or("?"),
            var["value"].as_str().unwrap_or(""),
            var["type"].as_str().unwrap_or("")
        );
        if var["variablesReference"].as_u64().unwrap_or(0) == 0 {
            continue;
        }
        let children = client
            .request(
                "variables",
                json!({ "variablesReference": var["variablesReference"], "count": 8 }),
            )
            .await?;
        for child in children["variables"].as_array().into_iter().flatten() {
            println!(
                "      {} = {}",
                child["name"].as_str().unwrap_or("?"),
                child["value"].as_str().unwrap_or("")
            );
        }
    }
    println!();
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
