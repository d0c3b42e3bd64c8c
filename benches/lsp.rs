//! Language server latency, start-up and memory, over the real `wasmscope lsp` process and
//! LSP messages: `cargo bench --bench lsp`. Figures go to docs/benchmarks.md.
//!
//! - Keystrokes: a generated 5,000-line WIT package (one file open) and a 3,000-line wadm
//!   manifest; after `didOpen` and its first diagnostics, single-character incremental
//!   `didChange` edits (insert then delete, some making the file invalid then valid again),
//!   each timed from sending the edit to the `publishDiagnostics` of its version.
//! - Cold start: spawn + `initialize` on a generated 200-file workspace, until every file
//!   has had its diagnostics published (the scan publishes for each file, empty or not).
//! - Memory: VmRSS and VmHWM of the server after the cold start and after the keystrokes.
//!
//! Exits non-zero when a figure misses its target.

#[path = "support/lsp_client.rs"]
mod lsp_client;
#[path = "support/lsp_workspace.rs"]
mod lsp_workspace;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use lsp_client::{Client, Memory};
use lsp_workspace::{Scratch, generate_workspace, uri_of, wadm_manifest, wit_package};
use serde_json::{Value, json};

const KEYSTROKES: usize = 200;
const COLD_RUNS: usize = 5;
const WORKSPACE_FILES: usize = 200;
const MEDIAN_TARGET: Duration = Duration::from_millis(5);
const P99_TARGET: Duration = Duration::from_millis(30);
const COLD_TARGET: Duration = Duration::from_millis(500);

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The sample at `fraction` (0.5: median, 0.99: p99) of sorted samples.
fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

/// A figure and its ceiling, printed side by side; false when above.
fn report(label: &str, value: Duration, target: Duration) -> bool {
    let met = value <= target;
    println!(
        "  {label:<34} {:>10}   target ≤ {:<9} {}",
        ms(value),
        ms(target),
        if met { "ok" } else { "MISSED" }
    );
    met
}

/// One single-character edit: where, and the character it inserts (or none: it deletes).
struct Keystroke {
    line: u32,
    character: u32,
    insert: Option<char>,
}

impl Keystroke {
    fn change(&self) -> Value {
        let start = json!({ "line": self.line, "character": self.character });
        match self.insert {
            Some(c) => json!([{ "range": { "start": start, "end": start }, "text": c.to_string() }]),
            None => {
                let end = json!({ "line": self.line, "character": self.character + 1 });
                json!([{ "range": { "start": start, "end": end }, "text": "" }])
            }
        }
    }
}

/// Alternating inserts and deletes over `places`: insert at place j+1, then delete what was
/// inserted at place j, so no text is seen twice (no answer can come from a cache of
/// earlier texts). The character is a letter (a new round of places a new letter); one
/// insert in five is `bad`, a character that breaks the file until it is deleted.
fn keystrokes(places: &[(u32, u32)], bad: char) -> Vec<Keystroke> {
    let place = |j: usize| places[j % places.len()];
    let letter = |j: usize| {
        if j % 5 == 4 {
            bad
        } else {
            (b'a' + (j / places.len() % 26) as u8) as char
        }
    };
    let mut strokes = vec![];
    for j in 0.. {
        if strokes.len() == KEYSTROKES {
            break;
        }
        let (line, character) = place(j);
        strokes.push(Keystroke {
            line,
            character,
            insert: Some(letter(j)),
        });
        if j > 0 && strokes.len() < KEYSTROKES {
            let (line, character) = place(j - 1);
            strokes.push(Keystroke {
                line,
                character,
                insert: None,
            });
        }
    }
    strokes
}

/// Keystroke latencies on `path` (opened with its disk text), and how many publishes had
/// diagnostics (the invalid states) — to show the edits are seen.
fn type_into(client: &mut Client, path: &Path, language: &str, strokes: &[Keystroke]) -> (Vec<Duration>, usize, usize) {
    let uri = uri_of(path);
    let text = std::fs::read_to_string(path).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
    );
    let first = client.diagnostics(&uri, json!(1));
    let initial = first["diagnostics"].as_array().map_or(0, Vec::len);
    if initial > 0 {
        eprintln!(
            "  (initial diagnostics on {}, first: {})",
            path.display(),
            first["diagnostics"][0]
        );
    }
    let mut samples = Vec::with_capacity(strokes.len());
    let mut with_problems = 0;
    for (i, stroke) in strokes.iter().enumerate() {
        let version = i as i64 + 2;
        let sent = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": stroke.change() }),
        );
        let published = client.diagnostics(&uri, json!(version));
        samples.push(sent.elapsed());
        if published["diagnostics"].as_array().is_some_and(|d| !d.is_empty()) {
            with_problems += 1;
        }
    }
    samples.sort();
    assert_eq!(initial, 0, "the generated file has problems at open");
    assert_eq!(
        with_problems,
        invalid_states(strokes),
        "the diagnostics do not follow the edits"
    );
    (samples, initial, with_problems)
}

/// How many of the texts after each keystroke hold a character that breaks the file: an
/// insert that is not a letter, until the keystroke that deletes it.
fn invalid_states(strokes: &[Keystroke]) -> usize {
    let mut breaking = HashSet::new();
    strokes
        .iter()
        .filter(|stroke| {
            let place = (stroke.line, stroke.character);
            match stroke.insert {
                Some(c) if !c.is_ascii_alphabetic() => {
                    breaking.insert(place);
                }
                Some(_) => {}
                None => {
                    breaking.remove(&place);
                }
            }
            !breaking.is_empty()
        })
        .count()
}

/// Keystroke figures for one document kind; false when a target is missed.
fn keystroke_run(title: &str, client: &mut Client, path: &Path, language: &str, strokes: &[Keystroke]) -> bool {
    let lines = std::fs::read_to_string(path).map_or(0, |t| t.lines().count());
    let (samples, initial, with_problems) = type_into(client, path, language, strokes);
    println!(
        "{title} ({lines} lines in the open file, {} keystrokes; {initial} diagnostics at open, {with_problems} publishes with problems):",
        samples.len()
    );
    let median_met = report(
        "keystroke → diagnostics, median",
        percentile(&samples, 0.5),
        MEDIAN_TARGET,
    );
    let p99_met = report("keystroke → diagnostics, p99", percentile(&samples, 0.99), P99_TARGET);
    println!("  {:<34} {:>10}", "max", ms(*samples.last().unwrap()));
    median_met && p99_met
}

/// Spawn → `initialize` (workspace root) → every file of the workspace published.
/// Also how many files had problems (the generated ones should have none).
fn cold_start(root: &Path, files: &HashSet<String>) -> (Duration, usize, Memory) {
    let start = Instant::now();
    let mut client = Client::start(root);
    let mut pending = files.clone();
    let mut with_problems = 0;
    while !pending.is_empty() {
        let published = client.next_publish();
        if let Some(uri) = published["uri"].as_str()
            && pending.remove(uri)
            && published["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
        {
            with_problems += 1;
        }
    }
    let elapsed = start.elapsed();
    (elapsed, with_problems, client.memory())
}

fn print_memory(label: &str, memory: Memory) {
    println!(
        "  {label:<34} VmRSS {:>7.1} MiB   VmHWM {:>7.1} MiB",
        memory.rss_kib as f64 / 1024.0,
        memory.hwm_kib as f64 / 1024.0
    );
}

fn main() {
    // Measured in a function of its own so the scratch folders are removed before exiting.
    if !measure() {
        eprintln!("a language server target was missed");
        std::process::exit(1);
    }
}

/// Every figure, printed; false when one misses its target.
fn measure() -> bool {
    let mut all_met = true;

    // Cold start on a 200-file workspace.
    let workspace = Scratch::new("lsp-bench-workspace");
    let files: HashSet<String> = generate_workspace(&workspace.0, WORKSPACE_FILES)
        .iter()
        .map(|p| uri_of(p))
        .collect();
    let mut runs = Vec::new();
    let (mut memory, mut with_problems) = (None, 0);
    for _ in 0..COLD_RUNS {
        let (elapsed, problems, used) = cold_start(&workspace.0, &files);
        runs.push(elapsed);
        (memory, with_problems) = (Some(used), problems);
    }
    runs.sort();
    println!(
        "Cold start, {} files ({with_problems} with problems), median of {COLD_RUNS}:",
        files.len()
    );
    all_met &= report("spawn → all files published", percentile(&runs, 0.5), COLD_TARGET);
    if let Some(memory) = memory {
        print_memory("memory after cold start", memory);
    }

    // Keystrokes, in an editor that has the package's folder as its workspace.
    let package = Scratch::new("lsp-bench-wit");
    let wit_files = wit_package(&package.0, 5000);
    let manifest_dir = Scratch::new("lsp-bench-wadm");
    let manifest = wadm_manifest(&manifest_dir.0, 3000);

    let package_lines: usize = wit_files
        .iter()
        .map(|f| std::fs::read_to_string(f).map_or(0, |t| t.lines().count()))
        .sum();
    let package_title = format!("WIT package of {} files, {package_lines} lines", wit_files.len());
    let mut client = Client::start(&package.0);
    // Function names of the open file are edited (`$` is not a WIT character; `%` would be,
    // as the escape of a keyword).
    let strokes = keystrokes(&lsp_workspace::function_names(&wit_files[0]), '$');
    all_met &= keystroke_run(&package_title, &mut client, &wit_files[0], "wit", &strokes);
    print_memory("memory after WIT keystrokes", client.memory());
    drop(client);

    let mut client = Client::start(&manifest_dir.0);
    // Links' config values are edited: `]` cannot start a plain YAML scalar.
    let strokes = keystrokes(&lsp_workspace::config_values(&manifest), ']');
    all_met &= keystroke_run("wadm manifest", &mut client, &manifest, "yaml", &strokes);
    print_memory("memory after manifest keystrokes", client.memory());
    drop(client);

    all_met
}
