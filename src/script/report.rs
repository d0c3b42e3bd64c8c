//! What a scripted session reports: one transcript line per step as it finishes, a summary,
//! and JUnit XML (one `<testsuite>` per script, one `<testcase>` per step) for CI.

use std::fmt::Write as _;
use std::io::Write;
use std::time::Duration;

/// How a step ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// What was seen, e.g. `verified at line 42`.
    Passed(String),
    /// What was expected and what was seen (or why the step could not run).
    Failed(String),
    /// Not run: an earlier step failed.
    Skipped,
}

#[derive(Debug)]
pub struct StepReport {
    pub label: String,
    pub outcome: Outcome,
    pub time: Duration,
}

/// One script's results.
#[derive(Debug)]
pub struct ScriptReport {
    pub name: String,
    pub steps: Vec<StepReport>,
    /// Everything the program printed (output events), for the JUnit `<system-out>`.
    pub output: String,
}

impl ScriptReport {
    pub fn count(&self, matches: fn(&Outcome) -> bool) -> usize {
        self.steps.iter().filter(|s| matches(&s.outcome)).count()
    }

    pub fn passed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Passed(_)))
    }

    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed(_)))
    }

    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped))
    }
}

/// `  ✓ label → detail` / `  ✗ label → message` / `  - label (skipped)`.
pub fn step_line(step: &StepReport) -> String {
    match &step.outcome {
        Outcome::Passed(detail) if detail.is_empty() => format!("  ✓ {}", step.label),
        Outcome::Passed(detail) => format!("  ✓ {} → {detail}", step.label),
        Outcome::Failed(message) => format!("  ✗ {} → {message}", step.label),
        Outcome::Skipped => format!("  - {} (skipped)", step.label),
    }
}

/// `N passed, M failed` (and skipped steps, when there are any).
pub fn summary(passed: usize, failed: usize, skipped: usize) -> String {
    let mut line = format!("{passed} passed, {failed} failed");
    if skipped > 0 {
        let _ = write!(line, ", {skipped} skipped");
    }
    line
}

/// The JUnit XML of all scripts' reports.
pub fn junit(reports: &[ScriptReport]) -> String {
    let total: usize = reports.iter().map(|r| r.steps.len()).sum();
    let failures: usize = reports.iter().map(ScriptReport::failed).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"wasmscope debug\" tests=\"{total}\" failures=\"{failures}\">"
    );
    for report in reports {
        let time: Duration = report.steps.iter().map(|s| s.time).sum();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3}\">",
            escape(&report.name),
            report.steps.len(),
            report.failed(),
            report.skipped(),
            time.as_secs_f64()
        );
        for (index, step) in report.steps.iter().enumerate() {
            // Numbered, so two identical steps stay two test cases.
            let _ = write!(
                xml,
                "    <testcase classname=\"{}\" name=\"{:02} {}\" time=\"{:.3}\"",
                escape(&report.name),
                index + 1,
                escape(&step.label),
                step.time.as_secs_f64()
            );
            match &step.outcome {
                Outcome::Passed(_) => xml.push_str("/>\n"),
                Outcome::Failed(message) => {
                    let _ = writeln!(
                        xml,
                        ">\n      <failure message=\"{0}\">{0}</failure>\n    </testcase>",
                        escape(message)
                    );
                }
                Outcome::Skipped => xml.push_str(">\n      <skipped/>\n    </testcase>\n"),
            }
        }
        if !report.output.is_empty() {
            let _ = writeln!(xml, "    <system-out>{}</system-out>", escape(&report.output));
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// Text safe in XML attributes and content; characters XML 1.0 cannot carry become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Prints a line of the transcript now (CI logs show progress while a wait is under way).
pub fn print(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_quotes_and_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{FFFD}");
    }

    #[test]
    fn junit_has_a_case_per_step_and_the_failure_message() {
        let report = ScriptReport {
            name: "s".into(),
            steps: vec![
                StepReport {
                    label: "continue".into(),
                    outcome: Outcome::Passed(String::new()),
                    time: Duration::ZERO,
                },
                StepReport {
                    label: "expect_exit 0".into(),
                    outcome: Outcome::Failed("expected 0, saw 1".into()),
                    time: Duration::ZERO,
                },
            ],
            output: String::new(),
        };
        let xml = junit(&[report]);
        assert_eq!(xml.matches("<testcase ").count(), 2);
        assert!(xml.contains("<failure message=\"expected 0, saw 1\">"));
    }
}
