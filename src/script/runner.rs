//! Runs one script: an in-process DAP server driven through the protocol by `DapClient`, as an
//! editor would drive it, one step at a time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use serde_json::{Value, json};
use tokio::io::{DuplexStream, WriteHalf};
use wasmscope_dap::client::DapClient;

use super::report::{self, Outcome, ScriptReport, StepReport};
use super::spec::{Evaluate, ExpectOutput, ExpectStop, Invoke, Location, Script, Step, Text};

/// The adapter serves one thread.
const THREAD: i64 = 1;

/// How long output may still trickle in after the program stopped.
const STOPPED_OUTPUT_GRACE: Duration = Duration::from_secs(1);

/// Where the program stopped, as the editor would show it.
#[derive(Debug, Clone)]
struct Stop {
    reason: String,
    /// The frame an editor focuses: the innermost one with source here.
    frame: Option<Frame>,
}

#[derive(Debug, Clone)]
struct Frame {
    id: Value,
    name: String,
    path: String,
    line: u64,
}

impl Stop {
    fn describe(&self) -> String {
        match &self.frame {
            Some(frame) => format!("{} at {}:{} in {}", self.reason, frame.path, frame.line, frame.name),
            None => format!("{} (no stack)", self.reason),
        }
    }
}

/// A session's state as its events tell it.
struct Session {
    client: DapClient<WriteHalf<DuplexStream>>,
    timeout: Duration,
    folder: PathBuf,
    configured: bool,
    stop: Option<Stop>,
    exit_code: Option<i64>,
    terminated: bool,
    /// Output events as (category, text), in order.
    output: Vec<(String, String)>,
    /// Every breakpoint line per file: `setBreakpoints` replaces a file's whole set.
    breakpoints: BTreeMap<PathBuf, Vec<u32>>,
}

/// Runs `script` (read from `file`) to its end or its first failure, printing the transcript.
pub async fn run(script: Script, file: &Path) -> ScriptReport {
    report::print(&format!("{} ({})", script.name, file.display()));
    let (client_end, adapter_end) = tokio::io::duplex(1 << 16);
    let (adapter_in, adapter_out) = tokio::io::split(adapter_end);
    tokio::spawn(wasmscope_dap::serve(adapter_in, adapter_out));
    let (client_in, client_out) = tokio::io::split(client_end);
    let mut session = Session {
        client: DapClient::new(client_in, client_out),
        timeout: script.timeout,
        folder: file.parent().unwrap_or(Path::new(".")).to_path_buf(),
        configured: false,
        stop: None,
        exit_code: None,
        terminated: false,
        output: Vec::new(),
        breakpoints: BTreeMap::new(),
    };

    let mut steps = Vec::new();
    let start_label = start_label(&script);
    let started = Instant::now();
    let outcome = session.start(script.request, script.arguments.clone()).await;
    let mut failed = record(&mut steps, start_label, outcome, started);
    for step in &script.steps {
        if failed {
            let skipped = StepReport {
                label: step.label(),
                outcome: Outcome::Skipped,
                time: Duration::ZERO,
            };
            report::print(&report::step_line(&skipped));
            steps.push(skipped);
            continue;
        }
        let started = Instant::now();
        session.drain();
        let outcome = session.step(step).await;
        failed = record(&mut steps, step.label(), outcome, started);
    }
    session.end(script.request).await;

    let result = ScriptReport {
        name: script.name,
        steps,
        output: session.output.iter().map(|(_, text)| text.as_str()).collect(),
    };
    report::print(&report::summary(result.passed(), result.failed(), result.skipped()));
    result
}

fn start_label(script: &Script) -> String {
    let target = ["program", "manifest", "connect"]
        .iter()
        .find_map(|key| script.arguments[key].as_str())
        .map(|target| {
            Path::new(target)
                .file_name()
                .map_or(target.to_string(), |n| n.to_string_lossy().into_owned())
        });
    match target {
        Some(target) => format!("{} {target}", script.request),
        None => script.request.to_string(),
    }
}

/// Prints and keeps a step's result; whether it failed.
fn record(steps: &mut Vec<StepReport>, label: String, outcome: Result<String>, started: Instant) -> bool {
    let outcome = match outcome {
        Ok(detail) => Outcome::Passed(detail),
        Err(e) => Outcome::Failed(format!("{e:#}")),
    };
    let failed = matches!(outcome, Outcome::Failed(_));
    let step = StepReport {
        label,
        outcome,
        time: started.elapsed(),
    };
    report::print(&report::step_line(&step));
    steps.push(step);
    failed
}

/// `expected X, saw Y` with both quoted as strings, so spaces and escapes show.
fn mismatch(what: &str, expected: &str, seen: &str) -> anyhow::Error {
    let prefix = if what.is_empty() {
        String::new()
    } else {
        format!("{what}: ")
    };
    anyhow!("{prefix}expected {expected:?}, saw {seen:?}")
}

impl Session {
    async fn start(&mut self, request: &str, arguments: Value) -> Result<String> {
        self.client
            .request(
                "initialize",
                json!({ "clientID": "wasmscope-script", "adapterID": "wasmscope", "linesStartAt1": true }),
            )
            .await?;
        self.client.request(request, arguments).await?;
        Ok(String::new())
    }

    /// Ends the session whatever state it is in; a launched program is terminated.
    async fn end(&mut self, request: &str) {
        let terminate = request == "launch";
        let _ = self
            .client
            .request("disconnect", json!({ "terminateDebuggee": terminate }))
            .await;
    }

    async fn step(&mut self, step: &Step) -> Result<String> {
        match step {
            Step::Break(place) => self.set_breakpoint(&place.resolve(&self.folder)?).await,
            Step::Continue => self.resume().await,
            Step::Next => self.step_and_wait("next").await,
            Step::StepIn => self.step_and_wait("stepIn").await,
            Step::StepOut => self.step_and_wait("stepOut").await,
            Step::ExpectStop(expect) => self.expect_stop(expect).await,
            Step::ExpectVariables(expected) => self.expect_variables(expected).await,
            Step::Evaluate(evaluate) => self.evaluate(evaluate).await,
            Step::Invoke(invoke) => self.invoke(invoke).await,
            Step::ExpectOutput(expect) => self.expect_output(expect).await,
            Step::ExpectExit(code) => self.expect_exit(*code).await,
        }
    }

    // ------------------------------------------------------------------ events

    /// Takes in the events that have already arrived.
    fn drain(&mut self) {
        while let Some(event) = self.client.try_next_event() {
            self.absorb(&event);
        }
    }

    /// Waits for one event; `None` when the script's timeout passes first.
    async fn next_event(&mut self, deadline: Instant) -> Result<Option<Value>> {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = self.client.next_event_within(left).await?;
        if let Some(event) = &event {
            self.absorb(event);
        }
        Ok(event)
    }

    fn absorb(&mut self, event: &Value) {
        let body = &event["body"];
        match event["event"].as_str().unwrap_or("") {
            "output" => {
                let category = body["category"].as_str().unwrap_or("console").to_string();
                let text = body["output"].as_str().unwrap_or("").to_string();
                for line in text.lines() {
                    report::print(&format!("    ┆ {category}: {line}"));
                }
                self.output.push((category, text));
            }
            "stopped" => {
                self.stop = Some(Stop {
                    reason: body["reason"].as_str().unwrap_or("?").to_string(),
                    frame: None,
                })
            }
            "exited" => self.exit_code = body["exitCode"].as_i64(),
            "terminated" => self.terminated = true,
            _ => {}
        }
    }

    /// Waits until the program stops; fails when it ends or the timeout passes.
    async fn wait_for_stop(&mut self) -> Result<Stop> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(stop) = &self.stop {
                if stop.frame.is_some() {
                    return Ok(stop.clone());
                }
                let frame = self.focused_frame().await?;
                let stop = self.stop.as_mut().expect("checked above");
                stop.frame = frame;
                return Ok(stop.clone());
            }
            if let Some(code) = self.exit_code {
                bail!("expected a stop, saw the program exit with code {code}");
            }
            if self.terminated {
                bail!("expected a stop, saw the session end");
            }
            if self.next_event(deadline).await?.is_none() {
                bail!("expected a stop, saw none within {:?}", self.timeout);
            }
        }
    }

    /// The innermost frame whose source is on this machine (editors skip the others).
    async fn focused_frame(&mut self) -> Result<Option<Frame>> {
        let trace = self.client.request("stackTrace", json!({ "threadId": THREAD })).await?;
        let frames = trace["stackFrames"].as_array().cloned().unwrap_or_default();
        let chosen = frames
            .iter()
            .find(|f| f.get("presentationHint").is_none_or(|h| h != "subtle"))
            .or(frames.first());
        Ok(chosen.map(|f| Frame {
            id: f["id"].clone(),
            name: f["name"].as_str().unwrap_or("?").to_string(),
            path: f["source"]["path"].as_str().unwrap_or("?").to_string(),
            line: f["line"].as_u64().unwrap_or(0),
        }))
    }

    /// Starts the program (`configurationDone`) if no step has yet.
    async fn ensure_started(&mut self) -> Result<()> {
        if !self.configured {
            self.client.request("configurationDone", json!({})).await?;
            self.configured = true;
        }
        Ok(())
    }

    async fn stopped_frame(&mut self) -> Result<Frame> {
        if self.stop.is_none() {
            bail!("expected a stopped program, saw it running (add `expect_stop` first)");
        }
        self.wait_for_stop()
            .await?
            .frame
            .ok_or_else(|| anyhow!("the program stopped without a stack"))
    }

    // ------------------------------------------------------------------- steps

    async fn set_breakpoint(&mut self, location: &Location) -> Result<String> {
        let lines = self.breakpoints.entry(location.path.clone()).or_default();
        for line in &location.lines {
            if !lines.contains(line) {
                lines.push(*line);
            }
        }
        let all = lines.clone();
        let answer = self
            .client
            .request(
                "setBreakpoints",
                json!({
                    "source": { "path": location.path },
                    "breakpoints": all.iter().map(|line| json!({ "line": line })).collect::<Vec<_>>(),
                }),
            )
            .await?;
        let statuses = answer["breakpoints"].as_array().cloned().unwrap_or_default();
        let mut verified = Vec::new();
        for line in &location.lines {
            let status = all
                .iter()
                .position(|l| l == line)
                .and_then(|index| statuses.get(index))
                .cloned()
                .unwrap_or(Value::Null);
            if status["verified"] != true {
                let why = status["message"].as_str().unwrap_or("no reason given");
                bail!(
                    "expected a verified breakpoint at {}:{line}, saw it not verified ({why})",
                    location.file
                );
            }
            verified.push(status["line"].as_u64().unwrap_or(u64::from(*line)).to_string());
        }
        Ok(format!("verified at line {}", verified.join(", ")))
    }

    async fn resume(&mut self) -> Result<String> {
        if !self.configured {
            self.ensure_started().await?;
            return Ok("started".into());
        }
        if self.stop.take().is_none() {
            return Ok("already running".into());
        }
        self.client.request("continue", json!({ "threadId": THREAD })).await?;
        Ok(String::new())
    }

    async fn step_and_wait(&mut self, command: &str) -> Result<String> {
        self.stopped_frame().await?;
        self.stop = None;
        self.client.request(command, json!({ "threadId": THREAD })).await?;
        Ok(self.wait_for_stop().await?.describe())
    }

    async fn expect_stop(&mut self, expect: &ExpectStop) -> Result<String> {
        self.ensure_started().await?;
        let stop = self.wait_for_stop().await?;
        if let Some(reason) = &expect.reason
            && &stop.reason != reason
        {
            return Err(mismatch("reason", reason, &stop.reason));
        }
        let frame = stop
            .frame
            .clone()
            .ok_or_else(|| anyhow!("the program stopped without a stack"))?;
        if let Some(function) = &expect.function
            && &frame.name != function
        {
            return Err(mismatch("function", function, &frame.name));
        }
        if let Some(place) = &expect.at {
            let at = place.resolve(&self.folder)?;
            let seen = format!("{}:{}", frame.path, frame.line);
            let same_file = same_file(&frame.path, &at);
            let same_line = at.lines.is_empty() || at.lines.iter().any(|l| u64::from(*l) == frame.line);
            if !same_file || !same_line {
                let expected = match at.lines.as_slice() {
                    [] => at.file.clone(),
                    lines => format!(
                        "{}:{}",
                        at.file,
                        lines.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
                    ),
                };
                return Err(mismatch("at", &expected, &seen));
            }
        }
        Ok(stop.describe())
    }

    async fn expect_variables(&mut self, expected: &BTreeMap<String, Text>) -> Result<String> {
        let frame = self.stopped_frame().await?;
        let scopes = self.client.request("scopes", json!({ "frameId": frame.id })).await?;
        let reference = scopes["scopes"][0]["variablesReference"].clone();
        let locals = self
            .client
            .request("variables", json!({ "variablesReference": reference }))
            .await?;
        let locals = locals["variables"].as_array().cloned().unwrap_or_default();
        for (name, Text(value)) in expected {
            let seen = if name.contains(['.', '[', '*']) {
                // A path into a value: the adapter walks it as it does for watches.
                self.evaluate_in(&frame, name, "watch")
                    .await
                    .map_err(|e| anyhow!("{name}: expected {value:?}, saw an error: {e:#}"))?
            } else {
                match locals.iter().find(|v| v["name"] == name.as_str()) {
                    Some(variable) => variable["value"].as_str().unwrap_or("").to_string(),
                    None => {
                        let names: Vec<&str> = locals.iter().filter_map(|v| v["name"].as_str()).collect();
                        bail!(
                            "{name}: expected {value:?}, saw no such local (locals: {})",
                            names.join(", ")
                        );
                    }
                }
            };
            if &seen != value {
                return Err(mismatch(name, value, &seen));
            }
        }
        Ok(format!("{} matched", expected.len()))
    }

    async fn evaluate_in(&mut self, frame: &Frame, expression: &str, context: &str) -> Result<String> {
        let answer = self
            .client
            .request(
                "evaluate",
                json!({ "expression": expression, "frameId": frame.id, "context": context }),
            )
            .await?;
        Ok(answer["result"].as_str().unwrap_or("").to_string())
    }

    async fn evaluate(&mut self, evaluate: &Evaluate) -> Result<String> {
        let result = match self.stop.is_some() {
            true => {
                let frame = self.stopped_frame().await?;
                self.evaluate_in(&frame, &evaluate.expression, "watch").await?
            }
            false => {
                let answer = self
                    .client
                    .request(
                        "evaluate",
                        json!({ "expression": evaluate.expression, "context": "repl" }),
                    )
                    .await?;
                answer["result"].as_str().unwrap_or("").to_string()
            }
        };
        if let Some(Text(expected)) = &evaluate.equals
            && &result != expected
        {
            return Err(mismatch("", expected, &result));
        }
        if let Some(part) = &evaluate.contains
            && !result.contains(part.as_str())
        {
            return Err(anyhow!("expected a result containing {part:?}, saw {result:?}"));
        }
        Ok(result)
    }

    async fn invoke(&mut self, invoke: &Invoke) -> Result<String> {
        self.ensure_started().await?;
        let payload = match &invoke.payload {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
        };
        let format = match (&invoke.format, &invoke.payload) {
            (Some(format), _) => Some(format.as_str()),
            (None, Some(Value::String(_)) | None | Some(Value::Null)) => None,
            (None, Some(_)) => Some("json"),
        };
        let spec = match format {
            Some(format) => format!(".invoke {}@{format}={payload}", invoke.operation),
            None => format!(".invoke {}={payload}", invoke.operation),
        };
        let answer = self
            .client
            .request("evaluate", json!({ "expression": spec, "context": "repl" }))
            .await?;
        Ok(answer["result"].as_str().unwrap_or("").to_string())
    }

    async fn expect_output(&mut self, expect: &ExpectOutput) -> Result<String> {
        self.ensure_started().await?;
        let deadline = Instant::now() + self.timeout;
        loop {
            let seen = self.output_of(expect.category.as_deref());
            if seen.contains(expect.contains.as_str()) {
                return Ok(format!("found {:?}", expect.contains));
            }
            // A stopped program prints nothing more: only output already on its way can come.
            let stopped = self.stop.is_some();
            let wait_until = match stopped {
                true => deadline.min(Instant::now() + STOPPED_OUTPUT_GRACE),
                false => deadline,
            };
            let ended = self.terminated;
            if ended || self.next_event(wait_until).await?.is_none() {
                let what = match &expect.category {
                    Some(category) => format!("{category} output"),
                    None => "output".to_string(),
                };
                let why = match (ended, stopped) {
                    (true, _) => "the session ended",
                    (false, true) => "the program is stopped: `continue` first?",
                    (false, false) => "timed out",
                };
                bail!(
                    "expected {what} containing {:?}, saw {:?} ({why})",
                    expect.contains,
                    tail(&seen, 300)
                );
            }
        }
    }

    fn output_of(&self, category: Option<&str>) -> String {
        self.output
            .iter()
            .filter(|(c, _)| category.is_none_or(|wanted| wanted == c))
            .map(|(_, text)| text.as_str())
            .collect()
    }

    /// Lets the program run (through any further stops) until it exits.
    async fn expect_exit(&mut self, expected: i64) -> Result<String> {
        self.ensure_started().await?;
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(code) = self.exit_code {
                if code != expected {
                    return Err(mismatch("exit code", &expected.to_string(), &code.to_string()));
                }
                return Ok(format!("exited with code {code}"));
            }
            if self.terminated {
                bail!("expected exit code {expected}, saw the session end without one");
            }
            if self.stop.take().is_some() {
                self.client.request("continue", json!({ "threadId": THREAD })).await?;
            }
            if self.next_event(deadline).await?.is_none() {
                bail!("expected exit code {expected}, saw no exit within {:?}", self.timeout);
            }
        }
    }
}

/// Whether a reported source path is the script's `file`: equal, or ending with it at a path
/// separator (`src/main.rs` matches `/build/app/src/main.rs`).
fn path_matches(reported: &str, file: &str) -> bool {
    let reported = reported.replace('\\', "/");
    let file = file.trim_start_matches("./").replace('\\', "/");
    reported == file || reported.ends_with(&format!("/{file}"))
}

/// Whether the stop's source is the expected place's file: by suffix, or the same file on disk.
fn same_file(reported: &str, expected: &Location) -> bool {
    if path_matches(reported, &expected.file) {
        return true;
    }
    match (std::fs::canonicalize(reported), std::fs::canonicalize(&expected.path)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The last `max` characters of `text`.
fn tail(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let rest: String = text.chars().skip(count - max).collect();
    format!("…{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_by_suffix_at_a_separator() {
        assert!(path_matches("/w/app/src/main.rs", "src/main.rs"));
        assert!(path_matches("/w/app/src/main.rs", "./src/main.rs"));
        assert!(path_matches("/w/app/src/main.rs", "/w/app/src/main.rs"));
        assert!(!path_matches("/w/app/src/domain.rs", "main.rs"));
        assert!(!path_matches("/w/app/src/lib.rs", "src/main.rs"));
    }

    #[test]
    fn mismatches_quote_both_sides() {
        assert_eq!(
            mismatch("name", "\"world\"", "\"World\"").to_string(),
            r#"name: expected "\"world\"", saw "\"World\"""#
        );
    }
}
