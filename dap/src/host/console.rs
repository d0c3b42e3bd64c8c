//! The host's own output: what `wasmscope run` prints without `--debug`, from session events.

use std::io::Write as _;

use wasmscope_runtime::actor::Outcome;
use wasmscope_runtime::debug::SessionEvent;
use wasmscope_runtime::host::StdStream;

/// Shows an event as a run without a debugger would (stops and breakpoints are the client's).
pub(super) fn show(event: &SessionEvent) {
    // A closed stdout or stderr must not take the host down (`println!` would panic).
    match event {
        SessionEvent::Output { stream, text } => {
            let _ = match stream {
                StdStream::Stdout => write_flushed(&mut std::io::stdout(), text),
                StdStream::Stderr => write_flushed(&mut std::io::stderr(), text),
            };
        }
        SessionEvent::Log { level, target, text } => {
            let _ = if target.is_empty() {
                writeln!(std::io::stderr(), "[{level}] {text}")
            } else {
                writeln!(std::io::stderr(), "[{level} {target}] {text}")
            };
        }
        SessionEvent::Invocation { operation, outcome } => {
            let _ = match outcome {
                Outcome::Response(_) => writeln!(std::io::stdout(), "{operation}: {outcome}"),
                Outcome::Error(message) => writeln!(std::io::stderr(), "{operation} failed: {message}"),
            };
        }
        SessionEvent::Notice { text } => notice(text),
        SessionEvent::Stopped { .. }
        | SessionEvent::Breakpoint(_)
        | SessionEvent::Exited { .. }
        | SessionEvent::Terminated => {}
    }
}

pub(super) fn notice(text: &str) {
    let _ = writeln!(std::io::stderr(), "wasmscope: {text}");
}

fn write_flushed(out: &mut impl std::io::Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}
