//! The HTTP client (only to allowed hosts) and in-process messaging providers, for waPC
//! actors: from the command line, from a manifest's links, and under the debugger.

mod support;

use serde_json::json;
use support::*;

#[test]
fn the_http_client_reaches_allowed_hosts_only() {
    let wasm = wapc_actor_wasm();
    let wasm = wasm.to_str().unwrap();
    let (addr, served) = one_request_http_server();
    let fetch = format!("Fetch=http://{addr}/status?x=1");
    let output = wasmscope_run(&[wasm, "--allow-host", &addr, "--invoke", &fetch]);
    assert_eq!(text(&output.stdout), "Fetch: 200 hello\n", "{}", text(&output.stderr));
    let request = served.join().unwrap();
    assert!(request.starts_with("GET /status?x=1 HTTP/1.1\r\n"), "{request}");
    assert!(
        request.to_ascii_lowercase().contains("\r\naccept: text/plain\r\n"),
        "{request}"
    );

    // Not allowed: the actor gets the provider's error, and nothing is sent.
    let output = wasmscope_run(&[wasm, "--invoke", "Fetch=http://127.0.0.1:9/secret"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains(
            "`127.0.0.1` is not an allowed host: allow it with `--allow-host 127.0.0.1` or the link's `allowed_hosts`"
        ),
        "{}",
        text(&output.stderr)
    );
    // Allowed but nobody listens: a clear failure, not a hang.
    let output = wasmscope_run(&[
        wasm,
        "--allow-host",
        "127.0.0.1",
        "--invoke",
        "Fetch=http://127.0.0.1:9/closed",
    ]);
    assert!(
        text(&output.stderr).contains("GET http://127.0.0.1:9/closed failed: "),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn messages_on_subscribed_subjects_reach_handle_message() {
    let wasm = wapc_actor_wasm();
    let output = wasmscope_run(&[
        wasm.to_str().unwrap(),
        "--subscribe",
        "news.>",
        "--invoke",
        "Announce=news.today it is sunny",
        "--invoke",
        "Announce=sports.today nobody listens",
        "--invoke",
        "Ping=after",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    // The delivery runs right after the invocation that published it.
    assert_eq!(
        text(&output.stdout),
        "Announce: published: true\nHandleMessage: \nAnnounce: published: true\nPing: after\n"
    );
    assert_eq!(
        text(&output.stderr),
        "[info messaging] published on `news.today`: it is sunny\n\
         [info wapc-actor] message on news.today: it is sunny\n\
         [info messaging] published on `sports.today`: nobody listens\n"
    );
}

#[test]
fn a_manifest_links_configure_hosts_and_subscriptions() {
    let scratch = Scratch::new("providers");
    let (addr, served) = one_request_http_server();
    let manifest = scratch.write(
        "app.wadm.yaml",
        format!(
            r#"apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: providers
spec:
  components:
    - name: reporter
      type: component
      properties:
        image: file://{image}
      traits:
        - type: link
          properties:
            target: fetcher
            namespace: wasmcloud
            package: httpclient
            interfaces: [http-client]
            target_config:
              - name: hosts
                properties:
                  allowed_hosts: "example.invalid, {addr}"
        - type: link
          properties:
            target: bus
            namespace: wasmcloud
            package: messaging
            interfaces: [consumer]
            target_config:
              - name: subjects
                properties:
                  subscriptions: "alerts.*"
        - type: link
          properties:
            target: kv
            namespace: wasi
            package: keyvalue
            interfaces: [store]
    - name: fetcher
      type: capability
      properties:
        image: ghcr.io/wasmcloud/http-client:0.12.0
    - name: bus
      type: capability
      properties:
        image: ghcr.io/wasmcloud/messaging-nats:0.23.0
    - name: kv
      type: capability
      properties:
        image: ghcr.io/wasmcloud/keyvalue-redis:0.28.1
"#,
            image = wapc_actor_wasm().display()
        ),
    );
    let fetch = format!("Fetch=http://{addr}/");
    let output = wasmscope_run(&[
        manifest.to_str().unwrap(),
        "--invoke",
        &fetch,
        "--invoke",
        "Announce=alerts.fire hot",
    ]);
    assert_eq!(
        text(&output.stdout),
        "Fetch: 200 hello\nAnnounce: published: true\nHandleMessage: \n",
        "{}",
        text(&output.stderr)
    );
    served.join().unwrap();
    assert!(text(&output.stderr).contains("[info wapc-actor] message on alerts.fire: hot\n"));
}

#[test]
fn a_delivered_message_stops_at_a_breakpoint_in_its_handler() {
    let mut client = DapClient::new();
    client.initialize();
    client.wait_event("initialized");
    client.request_ok(
        "launch",
        json!({
            "program": wapc_actor_wasm(),
            "subscriptions": ["greetings"],
            "invoke": [{ "operation": "Announce", "payload": "greetings hi there" }],
        }),
    );
    client.request_ok(
        "setBreakpoints",
        json!({
            "source": { "path": wapc_actor_dir().join("src/lib.rs") },
            "breakpoints": [{ "line": wapc_line_of("message") }],
        }),
    );
    client.request_ok("configurationDone", json!({}));
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let top = &trace["stackFrames"][0];
    assert_eq!(top["name"], "wapc_actor::handle_message");
    let evaluated = client.request_ok(
        "evaluate",
        json!({ "expression": "message.subject", "frameId": top["id"], "context": "watch" }),
    );
    assert_eq!(evaluated["result"], r#""greetings""#);
    let evaluated = client.request_ok(
        "evaluate",
        json!({ "expression": "text", "frameId": top["id"], "context": "watch" }),
    );
    assert_eq!(evaluated["result"], r#""hi there""#);
    client.request_ok(
        "setBreakpoints",
        json!({ "source": { "path": wapc_actor_dir().join("src/lib.rs") }, "breakpoints": [] }),
    );
    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_output("console", "HandleMessage: ");
    client.wait_event("exited");
}

#[test]
fn a_message_reaches_the_other_actors_of_a_manifest_that_subscribe() {
    let scratch = Scratch::new("bus");
    let image = format!("file://{}", wapc_actor_wasm().display());
    let manifest = scratch.write(
        "bus.wadm.yaml",
        format!(
            r#"apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: bus
spec:
  components:
    - name: announcer
      type: component
      properties:
        image: {image}
      traits:
        - type: link
          properties:
            target: nats
            namespace: wasmcloud
            package: messaging
            interfaces: [consumer]
    - name: listener
      type: component
      properties:
        image: {image}
      traits:
        - type: link
          properties:
            target: nats
            namespace: wasmcloud
            package: messaging
            interfaces: [consumer]
            target_config:
              - name: subjects
                properties:
                  subscriptions: "alerts.*"
        - type: link
          properties:
            target: kv
            namespace: wasi
            package: keyvalue
            interfaces: [store]
    - name: nats
      type: capability
      properties:
        image: ghcr.io/wasmcloud/messaging-nats:0.23.0
    - name: kv
      type: capability
      properties:
        image: ghcr.io/wasmcloud/keyvalue-redis:0.28.1
"#
        ),
    );
    let output = wasmscope_run(&[
        manifest.to_str().unwrap(),
        "--actor",
        "announcer",
        "--invoke",
        "Announce=alerts.fire hot",
        "--invoke",
        "Announce=other.news ignored",
    ]);
    let stderr = text(&output.stderr);
    // The announcer does not subscribe: only the listener handles the message, once.
    assert_eq!(
        text(&output.stdout),
        "Announce: published: true\nAnnounce: published: true\nHandleMessage: \n",
        "{stderr}"
    );
    assert_eq!(
        stderr
            .matches("[info wapc-actor] message on alerts.fire: hot\n")
            .count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("other.news ignored\n[info wapc-actor]"), "{stderr}");
    // A subscriber has work to wait for: no "nothing was given to invoke".
    assert!(!stderr.contains("nothing was given to invoke"), "{stderr}");
}
