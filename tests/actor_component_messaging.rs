//! `wasmcloud:messaging` for components (wasmCloud 1.x): a component exporting
//! `wasmcloud:messaging/handler` takes the messages on the subjects it subscribes to (from
//! `--publish`, its own publishing, or a manifest's other actors) and publishes through
//! `wasmcloud:messaging/consumer`, under `wasmscope run` and under the debugger.

mod support;

use serde_json::json;
use support::*;

#[test]
fn published_messages_reach_the_handler_on_the_subjects_it_subscribes_to() {
    let wasm = messaging_component_wasm();
    let output = wasmscope_run(&[
        wasm.to_str().unwrap(),
        "--subscribe",
        "ping.>",
        "--subscribe",
        "fail.*",
        "--publish",
        "ping.ada=hello",
        "--publish",
        "fail.x=bad",
        "--publish",
        "other.y=nobody",
    ]);
    // One message failed: the run says so with its exit code, as for waPC invocations.
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "HandleMessage: \n");
    assert_eq!(
        text(&output.stderr),
        "[info messaging] published on `ping.ada`: hello\n\
         [info messaging] published on `fail.x`: bad\n\
         [info messaging] published on `other.y`: nobody\n\
         [warn messaging] nothing subscribes to `other.y`: subscribe the actor with `--subscribe other.y`\n\
         [info messaging-component] ping.ada says hello\n\
         [info messaging] published on `pong.ada`: pong hello\n\
         [info messaging-component] fail.x says bad\n\
         HandleMessage failed: cannot handle `bad`\n"
    );
}

#[test]
fn what_it_publishes_to_its_own_subscriptions_comes_back_to_it() {
    let wasm = messaging_component_wasm();
    let output = wasmscope_run(&[
        wasm.to_str().unwrap(),
        "--subscribe",
        "ping.*",
        "--subscribe",
        "pong.*",
        "--publish",
        "ping.bob=hi",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "HandleMessage: \nHandleMessage: \n");
    assert_eq!(
        text(&output.stderr),
        "[info messaging] published on `ping.bob`: hi\n\
         [info messaging-component] ping.bob says hi\n\
         [info messaging] published on `pong.bob`: pong hi\n\
         [info messaging-component] pong.bob says pong hi\n"
    );
}

#[test]
fn a_handler_subscribed_to_nothing_and_messages_for_a_command_are_refused() {
    let wasm = messaging_component_wasm();
    let output = wasmscope_run(&[wasm.to_str().unwrap(), "--publish", "ping.ada=hello"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        format!(
            "wasmscope: `{}` takes `wasmcloud:messaging` messages: subscribe it to subjects \
             (`--subscribe 'orders.>'`, `\"subscriptions\"` in a launch, or a link's `subscriptions`)\n",
            wasm.display()
        )
    );
    let command = component_wasm();
    let output = wasmscope_run(&[command.to_str().unwrap(), "--publish", "ping.ada=hello"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        format!(
            "wasmscope: `{}` takes no messages: it does not export `wasmcloud:messaging/handler`\n",
            command.display()
        )
    );
    let output = wasmscope_run(&[debuggee_wasm().to_str().unwrap(), "--publish", "x=y"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        format!(
            "wasmscope: `{}` is a WASI command program, not an actor: it takes no messages\n",
            debuggee_wasm().display()
        )
    );
}

#[test]
fn a_wapc_actor_of_a_manifest_publishes_to_a_component_that_subscribes() {
    let scratch = Scratch::new("component-bus");
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
        image: file://{wapc}
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
        image: file://{component}
      traits:
        - type: link
          properties:
            target: nats
            namespace: wasmcloud
            package: messaging
            interfaces: [consumer]
    # As wasmCloud 1.x declares a handler's subscriptions: on the provider's link to it.
    - name: nats
      type: capability
      properties:
        image: ghcr.io/wasmcloud/messaging-nats:0.23.0
      traits:
        - type: link
          properties:
            target: listener
            namespace: wasmcloud
            package: messaging
            interfaces: [handler]
            source:
              config:
                - name: subjects
                  properties:
                    subscriptions: "ping.*"
"#,
            wapc = wapc_actor_wasm().display(),
            component = messaging_component_wasm().display(),
        ),
    );
    let output = wasmscope_run(&[
        manifest.to_str().unwrap(),
        "--actor",
        "announcer",
        "--invoke",
        "Announce=ping.carol hello",
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(
        text(&output.stdout),
        "Announce: published: true\nHandleMessage: \n",
        "{stderr}"
    );
    for line in [
        "[info messaging] published on `ping.carol`: hello\n",
        "[info messaging-component] ping.carol says hello\n",
        "[info messaging] published on `pong.carol`: pong hello\n",
    ] {
        assert_eq!(stderr.matches(line).count(), 1, "{line:?} in:\n{stderr}");
    }
}

#[test]
fn a_message_stops_at_a_breakpoint_in_the_components_handler() {
    let mut client = DapClient::new();
    let launch = client.launch(
        &[],
        json!({
            "program": messaging_component_wasm(),
            "subscriptions": ["ping.*"],
            "publish": [{ "subject": "ping.dave", "body": "ahoy" }],
        }),
    );
    assert_eq!(launch["success"], true, "{launch}");
    let line = messaging_component_line_of("handle");
    let set = client.request_ok(
        "setBreakpoints",
        json!({
            "source": { "path": messaging_component_dir().join("src/lib.rs") },
            "breakpoints": [{ "line": line }],
        }),
    );
    assert_eq!(set["breakpoints"][0]["verified"], true, "{set}");
    client.request_ok("configurationDone", json!({}));

    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint", "{stopped}");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let frame = trace["stackFrames"][0].clone();
    assert_eq!(
        frame["name"],
        "<messaging_component::Component as messaging_component::bindings::exports::wasmcloud::messaging::handler::Guest>::handle_message"
    );
    assert_eq!(frame["line"], line);
    let mut evaluate = |expression: &str| {
        client.request_ok(
            "evaluate",
            json!({ "expression": expression, "frameId": frame["id"], "context": "watch" }),
        )["result"]
            .clone()
    };
    assert_eq!(evaluate("text"), r#""ahoy""#);
    assert_eq!(evaluate("msg.subject"), r#""ping.dave""#);
    assert_eq!(evaluate("msg.reply_to"), "None");

    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_output("console", "[info messaging-component] ping.dave says ahoy\n");
    client.wait_output("console", "[info messaging] published on `pong.dave`: pong ahoy\n");
    assert_eq!(client.wait_event("exited")["body"]["exitCode"], 0);
    client.wait_event("terminated");
    client.request_ok("disconnect", json!({}));
    assert_eq!(client.wait_exit(), Some(0));
}

fn console(client: &mut DapClient, command: &str) -> serde_json::Value {
    client.request("evaluate", json!({ "expression": command, "context": "repl" }))
}

#[test]
fn a_serving_handler_takes_messages_published_from_the_debug_console() {
    let mut client = DapClient::new();
    let launch = client.launch(
        &[],
        json!({ "program": messaging_component_wasm(), "subscriptions": ["ping.*"], "serve": true }),
    );
    assert_eq!(launch["success"], true, "{launch}");
    let line = messaging_component_line_of("handle");
    client.request_ok(
        "setBreakpoints",
        json!({
            "source": { "path": messaging_component_dir().join("src/lib.rs") },
            "breakpoints": [{ "line": line }],
        }),
    );
    client.request_ok("configurationDone", json!({}));

    // A subject the handler does not subscribe to is refused, and says what it subscribes to.
    let refused = console(&mut client, ".publish other.x=1");
    assert_eq!(refused["success"], false);
    assert_eq!(
        refused["message"],
        "the actor does not subscribe to `other.x` (it subscribes to `ping.*`)"
    );

    let published = console(&mut client, ".publish ping.eve=hi there");
    assert_eq!(published["body"]["result"], "published on ping.eve", "{published}");
    client.wait_output("console", "[info messaging] published on `ping.eve`: hi there\n");
    let stopped = client.wait_event("stopped");
    assert_eq!(stopped["body"]["reason"], "breakpoint", "{stopped}");
    let trace = client.request_ok("stackTrace", json!({ "threadId": 1 }));
    let text = client.request_ok(
        "evaluate",
        json!({ "expression": "text", "frameId": trace["stackFrames"][0]["id"], "context": "watch" }),
    );
    assert_eq!(text["result"], r#""hi there""#);
    client.request_ok("continue", json!({ "threadId": 1 }));
    client.wait_output("console", "[info messaging] published on `pong.eve`: pong hi there\n");

    client.request_ok("disconnect", json!({ "terminateDebuggee": true }));
    assert_eq!(client.wait_exit(), Some(0));
}
