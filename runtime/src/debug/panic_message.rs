//! A Rust panic on wasm32-wasip1 prints its message to stderr and then executes
//! `unreachable`: the trap knows nothing of the message, so we read it back from stderr.

/// How much recent stderr to keep for finding a panic message.
pub(crate) const STDERR_TAIL: usize = 8 * 1024;

/// The last panic message in `stderr`: `panicked at src/main.rs:3:5: message`.
pub(crate) fn find_panic_message(stderr: &str) -> Option<String> {
    let start = stderr.rfind("panicked at ")?;
    let rest = &stderr[start..];
    let mut lines = rest.lines();
    let location = lines.next()?.trim_end_matches(':').to_string();
    let message: Vec<&str> = lines.take_while(|l| !l.starts_with("note: ")).collect();
    let message = message.join("\n");
    let message = message.trim();
    Some(if message.is_empty() {
        location
    } else {
        format!("{location}: {message}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_location_and_message() {
        let stderr = "other\nthread 'main' panicked at src/main.rs:57:9:\ndivision by zero: 10 / 0\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            find_panic_message(stderr).as_deref(),
            Some("panicked at src/main.rs:57:9: division by zero: 10 / 0")
        );
        assert_eq!(find_panic_message("no panic here"), None);
    }
}
