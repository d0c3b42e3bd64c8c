//! `wasmscope run app.yaml`: a wadm application or a 2020 host manifest runs its local actors,
//! wired by its links to the built-in providers with the links' configuration.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use support::*;

fn actor_image() -> String {
    format!("file://{}", wapc_actor_wasm().display())
}

fn run(manifest: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .arg(manifest)
        .args(args)
        .output()
        .unwrap()
}

/// Starts a manifest that serves HTTP; returns the process, the address and the lines it
/// printed on stderr before serving.
// The returned child is killed and waited for by each caller.
#[allow(clippy::zombie_processes)]
fn serve(manifest: &Path, env: &[(&str, &str)]) -> (Child, String, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .arg(manifest)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut before = Vec::new();
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 {
            let status = child.wait();
            panic!("the run ended before serving ({status:?}): {before:?}");
        }
        if let Some(addr) = line
            .trim()
            .strip_prefix("wasmscope: serving wasmcloud:httpserver on http://")
        {
            // Keep reading, as a terminal would: the server goes on writing to stderr.
            std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
            return (child, addr.to_string(), before);
        }
        before.push(line.trim().to_string());
    }
}

fn wadm(links: &str) -> String {
    format!(
        r#"apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: counter-app
  annotations:
    version: v0.0.1
spec:
  components:
    - name: counter
      type: component
      properties:
        image: {image}
      traits:
        - type: spreadscaler
          properties:
            instances: 1
{links}
    - name: kvstore
      type: capability
      properties:
        image: ghcr.io/wasmcloud/keyvalue-redis:0.28.1
    - name: httpserver
      type: capability
      properties:
        image: ghcr.io/wasmcloud/http-server:0.23.0
      traits:
        - type: link
          properties:
            target: counter
            namespace: wasi
            package: http
            interfaces: [incoming-handler]
            source:
              config:
                - name: default-http
                  properties:
                    address: 0.0.0.0:0
"#,
        image = actor_image()
    )
}

const KV_LINK: &str = "        - type: link
          properties:
            target: kvstore
            namespace: wasi
            package: keyvalue
            interfaces: [store, atomics]";

#[test]
fn a_wadm_application_serves_http_with_its_key_value_link() {
    let scratch = Scratch::new("wadm");
    let manifest = scratch.write("wadm.yaml", wadm(KV_LINK));
    let (mut child, addr, before) = serve(&manifest, &[]);
    assert_eq!(before, ["wasmscope: serving 0.0.0.0:0 on 127.0.0.1:0 (loopback only)"]);
    assert_eq!(
        http_request(&addr, "GET", "/a", ""),
        ("HTTP/1.1 200 OK".into(), "GET /a? (0 bytes): visit 1\n".into())
    );
    assert_eq!(
        http_request(&addr, "GET", "/a", ""),
        ("HTTP/1.1 200 OK".into(), "GET /a? (0 bytes): visit 2\n".into())
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn an_actor_without_a_link_gets_the_hosts_denial() {
    let scratch = Scratch::new("unlinked");
    let manifest = scratch.write("wadm.yaml", wadm(""));
    let (mut child, addr, _) = serve(&manifest, &[]);
    assert_eq!(
        http_request(&addr, "GET", "/a", ""),
        (
            "HTTP/1.1 500 Internal Server Error".into(),
            "HandleRequest failed: Host error: no link from this actor to a `wasmcloud:keyvalue` provider \
             (link name `default`) in the manifest\n"
                .into()
        )
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_host_manifest_links_actors_by_module_key_and_expands_the_environment() {
    let scratch = Scratch::new("host");
    let signed = scratch.0.join("actor_s.wasm");
    let sign = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["claims", "sign"])
        .arg(wapc_actor_wasm())
        .arg("-o")
        .arg(&signed)
        .args([
            "--cap",
            "wasmcloud:keyvalue",
            "--cap",
            "wasmcloud:httpserver",
            "--cap",
            "wasmcloud:logging",
        ])
        .env("WASMSCOPE_KEYS", scratch.0.join("keys"))
        .output()
        .unwrap();
    assert!(sign.status.success(), "{}", String::from_utf8_lossy(&sign.stderr));
    let inspect = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(["claims", "inspect"])
        .arg(&signed)
        .output()
        .unwrap();
    let key = String::from_utf8(inspect.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Module (sub):  ").map(str::to_string))
        .unwrap();
    let manifest = scratch.write(
        "host.yaml",
        format!(
            "actors:\n  - ./actor_s.wasm\ncapabilities:\n  - image_ref: wasmcloud.azurecr.io/httpserver:0.11.1\n  - image_ref: wasmcloud.azurecr.io/redis:0.10.0\nlinks:\n  - actor: ${{COUNTER_KEY:MNOTTHISONE}}\n    provider_id: VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M\n    contract_id: wasmcloud:httpserver\n    values:\n      PORT: ${{PORT:8080}}\n  - actor: {key}\n    provider_id: VAZVC4RX54J2NVCMCW7BPCAHGGG5XZXDBXFUMDUXGESTMQEJLC3YVZWB\n    contract_id: wasmcloud:keyvalue\n    values:\n      URL: redis://127.0.0.1:6379/\n"
        ),
    );
    let (mut child, addr, _) = serve(&manifest, &[("COUNTER_KEY", &key), ("PORT", "0")]);
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    assert_eq!(
        http_request(&addr, "GET", "/h", ""),
        ("HTTP/1.1 200 OK".into(), "GET /h? (0 bytes): visit 1\n".into())
    );
    child.kill().unwrap();
    child.wait().unwrap();

    // Without the variable the link names no actor of the manifest.
    let output = run(&manifest, &[]);
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "wasmscope: in `{}`: a link names actor `MNOTTHISONE`, which is not one of the manifest's local \
             actors (links name actors by their module key)\n",
            manifest.display()
        )
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn invocations_go_to_the_manifests_actor() {
    let scratch = Scratch::new("invoke");
    let manifest = scratch.write(
        "app.wadm.yaml",
        format!(
            "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: one\nspec:\n  components:\n    - name: greeter\n      type: actor\n      properties:\n        image: {}\n",
            actor_image()
        ),
    );
    let output = run(&manifest, &["--invoke", "Greet=manifest"]);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "Greet: Hello, manifest!\n");
    assert_eq!(output.status.code(), Some(0));
    let output = run(&manifest, &["--actor", "nobody", "--invoke", "Greet=x"]);
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "wasmscope: the manifest has no local actor `nobody` (it has greeter)\n"
    );
}

#[test]
fn an_unknown_capability_is_named() {
    let scratch = Scratch::new("unknown");
    let links = "        - type: link
          properties:
            target: blobs
            namespace: wasmcloud
            package: blobstore
            interfaces: [blobstore]";
    let manifest = scratch.write(
        "wadm.yaml",
        wadm(links).replace(
            "    - name: kvstore",
            "    - name: blobs\n      type: capability\n      properties:\n        image: ghcr.io/wasmcloud/blobstore-fs:0.10.1\n    - name: kvstore",
        ),
    );
    let output = run(&manifest, &[]);
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "wasmscope: in `{}`: the link from `counter` to `blobs` needs `wasmcloud:blobstore`, which wasmscope has no \
             built-in provider for (it provides wasmcloud:keyvalue, wasmcloud:logging, wasmcloud:httpclient, \
             wasmcloud:messaging, wasmcloud:httpserver)\n",
            manifest.display()
        )
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_debugger_launches_a_manifests_actor_with_its_links() {
    use serde_json::json;
    let scratch = Scratch::new("dap");
    let manifest = scratch.write("wadm.yaml", wadm(KV_LINK));
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    client.request_ok("launch", json!({ "manifest": manifest }));
    let source = wapc_actor_dir().join("src/lib.rs");
    client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": source }, "breakpoints": [{ "line": wapc_line_of("http") }] }),
    );
    client.request_ok("configurationDone", json!({}));
    let console = client.wait_output("console", "serving wasmcloud:httpserver on http://");
    assert!(
        console.contains("wasmscope: serving 0.0.0.0:0 on 127.0.0.1:0 (loopback only)\n"),
        "{console}"
    );
    let addr = console
        .lines()
        .find_map(|l| l.strip_prefix("wasmscope: serving wasmcloud:httpserver on http://"))
        .unwrap()
        .to_string();
    let request = std::thread::spawn(move || http_request(&addr, "GET", "/debug", ""));
    assert_eq!(client.wait_event("stopped")["body"]["reason"], "breakpoint");
    client.request_ok("continue", json!({ "threadId": 1 }));
    assert_eq!(
        request.join().unwrap(),
        ("HTTP/1.1 200 OK".into(), "GET /debug? (0 bytes): visit 1\n".into())
    );
    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    client.wait_event("terminated");

    // Neither or both of program and manifest is an error that says so.
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    let response = client.request("launch", json!({}));
    assert_eq!(
        response["message"],
        "missing `program` (the .wasm to run) or `manifest`"
    );
}

/// Two actors of one manifest, each serving HTTP, count visits in one key-value store.
#[test]
fn the_actors_of_a_manifest_share_one_key_value_store() {
    let scratch = Scratch::new("shared-kv");
    let component = |name: &str| {
        format!(
            "    - name: {name}
      type: component
      properties:
        image: {image}
      traits:
        - type: link
          properties:
            target: kvstore
            namespace: wasi
            package: keyvalue
            interfaces: [store, atomics]
    - name: http-{name}
      type: capability
      properties:
        image: ghcr.io/wasmcloud/http-server:0.23.0
      traits:
        - type: link
          properties:
            target: {name}
            namespace: wasi
            package: http
            interfaces: [incoming-handler]
            source:
              config:
                - name: http-{name}
                  properties:
                    address: 127.0.0.1:0
",
            image = actor_image()
        )
    };
    let manifest = scratch.write(
        "shared.wadm.yaml",
        format!(
            "apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: shared
spec:
  components:
{}{}    - name: kvstore
      type: capability
      properties:
        image: ghcr.io/wasmcloud/keyvalue-redis:0.28.1
",
            component("left"),
            component("right")
        ),
    );
    /// Killed however the test ends.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .arg("run")
        .arg(&manifest)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let _running = Running(child);
    let mut addresses = Vec::new();
    while addresses.len() < 2 {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap_or(0) > 0, "the run ended early");
        if let Some(addr) = line
            .trim()
            .strip_prefix("wasmscope: serving wasmcloud:httpserver on http://")
        {
            addresses.push(addr.to_string());
        }
    }
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let first = http_request(&addresses[0], "GET", "/shared", "");
    let second = http_request(&addresses[1], "GET", "/shared", "");
    assert_eq!(first.1, "GET /shared? (0 bytes): visit 1\n");
    assert_eq!(second.1, "GET /shared? (0 bytes): visit 2\n");
}
