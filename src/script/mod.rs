//! `wasmscope debug --script FILE…`: debug sessions described in YAML, run through the DAP
//! server without an editor, for CI (docs/scripted-sessions.md).
//!
//! `spec` reads a script, `runner` drives one session through the protocol, `report` prints
//! the transcript and writes JUnit XML.

mod report;
mod runner;
mod spec;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Runs every script, each its own session; exit code 0 when all passed, 1 when a step
/// failed. A script that cannot be read or parsed is an error (exit 2) before anything runs.
pub async fn run(files: &[PathBuf], junit: Option<&Path>) -> Result<i32> {
    let scripts = files.iter().map(|file| spec::load(file)).collect::<Result<Vec<_>>>()?;
    let mut reports = Vec::new();
    for (script, file) in scripts.into_iter().zip(files) {
        if !reports.is_empty() {
            report::print("");
        }
        reports.push(runner::run(script, file).await);
    }
    if reports.len() > 1 {
        let total = |count: fn(&report::ScriptReport) -> usize| reports.iter().map(count).sum::<usize>();
        report::print(&format!(
            "\nall scripts: {}",
            report::summary(
                total(report::ScriptReport::passed),
                total(report::ScriptReport::failed),
                total(report::ScriptReport::skipped)
            )
        ));
    }
    if let Some(path) = junit {
        std::fs::write(path, report::junit(&reports))
            .with_context(|| format!("cannot write the JUnit report `{}`", path.display()))?;
    }
    let failed = reports.iter().any(|r| r.failed() > 0);
    Ok(i32::from(failed))
}
