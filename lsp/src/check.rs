//! `wasmscope check PATH…`: the language server's diagnostics in batch, for CI and
//! pre-commit hooks: one `file:line:col: severity: message` line per finding.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::finding::Severity;
use crate::line_index::LineIndex;

/// Checks every supported file under `paths`, printing findings to `out`; returns how many
/// errors it found.
pub fn run(paths: &[PathBuf], out: &mut impl Write) -> Result<usize> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files).with_context(|| format!("cannot read `{}`", path.display()))?;
    }
    files.sort();
    let mut errors = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read `{}`", file.display()))?;
        let name = file.to_string_lossy();
        let Some(findings) = crate::analyze(&file, &text, &|_| None) else {
            continue;
        };
        let index = LineIndex::new(&text);
        for finding in findings {
            let (line, column) = index.human(finding.range.start);
            let severity = match finding.severity {
                Severity::Error => {
                    errors += 1;
                    "error"
                }
                Severity::Warning => "warning",
            };
            // Multi-line messages stay one line per finding, as line-oriented tools expect.
            let message = finding.message.replace('\n', " ");
            writeln!(out, "{name}:{line}:{column}: {severity}: {message}")?;
        }
    }
    Ok(errors)
}

/// Files named directly are checked whatever their kind; directories are searched for the
/// kinds the server understands, skipping build output.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    if !path.is_dir() {
        std::fs::metadata(path)?;
        files.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?.path();
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if entry.is_dir() {
            if !matches!(name.as_str(), "target" | "node_modules" | ".git") {
                collect(&entry, files)?;
            }
        } else if crate::Language::may_be(&name) {
            files.push(entry);
        }
    }
    Ok(())
}
