//! `$/progress` for the workspace scan at start, for clients that announced
//! `window.workDoneProgress`: a token created with `window/workDoneProgress/create`, then
//! `begin` ("Checking the workspace", with the number of files), `report`s as files are
//! analysed (throttled) and `end`.
//!
//! The scan only queues events, never waits: a task of its own talks to the client, so a
//! client slow to answer `create` delays the progress shown, never the diagnostics.

use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{InitializeParams, NumberOrString};

/// The title editors show for the scan.
pub(super) const TITLE: &str = "Checking the workspace";

/// The token of the scan's progress (there is one scan per session).
const TOKEN: &str = "wasmscope/workspace-scan";

/// At most one `report` per this long: a big workspace's files take microseconds each.
const INTERVAL: Duration = Duration::from_millis(100);

/// Whether the client shows progress the server starts (`window.workDoneProgress`).
pub(super) fn supported(params: &InitializeParams) -> bool {
    params
        .capabilities
        .window
        .as_ref()
        .and_then(|w| w.work_done_progress)
        .unwrap_or(false)
}

enum Event {
    /// The scan found this many files.
    Found(usize),
    /// This many files are analysed so far.
    Analysed(usize),
}

/// Where the scan says how far it got; dropping it ends the progress. [`ScanProgress::none`]
/// (for clients that show no progress) ignores everything.
pub(super) struct ScanProgress(Option<mpsc::UnboundedSender<Event>>);

impl ScanProgress {
    pub fn none() -> Self {
        ScanProgress(None)
    }

    /// Progress shown by `client`, from a task of its own.
    pub fn start(client: Client) -> Self {
        let (events, received) = mpsc::unbounded_channel();
        tokio::spawn(show(client, received));
        ScanProgress(Some(events))
    }

    pub fn found(&self, files: usize) {
        self.send(Event::Found(files));
    }

    pub fn analysed(&self, files: usize) {
        self.send(Event::Analysed(files));
    }

    fn send(&self, event: Event) {
        if let Some(events) = &self.0 {
            // The task is gone only when the client refused the token: nothing to show then.
            let _ = events.send(event);
        }
    }
}

async fn show(client: Client, mut events: mpsc::UnboundedReceiver<Event>) {
    let token = NumberOrString::String(TOKEN.into());
    if let Err(error) = client.create_work_done_progress(token.clone()).await {
        tracing::warn!("the client refused a progress token: {error}");
        return;
    }
    // Nothing is shown before the number of files is known: it comes within milliseconds,
    // once the workspace's folders are listed.
    let total = loop {
        match events.recv().await {
            Some(Event::Found(total)) => break total,
            Some(Event::Analysed(_)) => continue,
            None => return,
        }
    };
    let progress = client
        .progress(token, TITLE)
        .with_percentage(0)
        .with_message(files(total))
        .begin()
        .await;
    let mut throttle = Throttle::new(total);
    let mut analysed = 0;
    while let Some(event) = events.recv().await {
        let Event::Analysed(done) = event else { continue };
        analysed = done;
        if let Some(percentage) = throttle.due(done, Instant::now()) {
            progress
                .report_with_message(format!("{done}/{total} files"), percentage)
                .await;
        }
    }
    progress
        .finish_with_message(format!("{} checked", files(analysed)))
        .await;
}

fn files(count: usize) -> String {
    match count {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    }
}

/// Decides which counts are worth a `report`: the percentage grew and the last report is at
/// least [`INTERVAL`] old.
struct Throttle {
    total: usize,
    last_percentage: u32,
    last_at: Option<Instant>,
}

impl Throttle {
    fn new(total: usize) -> Self {
        Throttle {
            total,
            last_percentage: 0,
            last_at: None,
        }
    }

    /// The percentage to report for `done` files at `now`, if a report is due.
    fn due(&mut self, done: usize, now: Instant) -> Option<u32> {
        let percentage = (done.min(self.total) * 100).checked_div(self.total)? as u32;
        let recent = self.last_at.is_some_and(|at| now.duration_since(at) < INTERVAL);
        if percentage <= self.last_percentage || recent {
            return None;
        }
        self.last_percentage = percentage;
        self.last_at = Some(now);
        Some(percentage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_need_a_higher_percentage_and_time() {
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let mut throttle = Throttle::new(1000);
        // Under 1%: nothing to show yet.
        assert_eq!(throttle.due(5, at(0)), None);
        assert_eq!(throttle.due(10, at(1)), Some(1));
        // Too soon after the last one, however far the scan got.
        assert_eq!(throttle.due(500, at(50)), None);
        assert_eq!(throttle.due(501, at(101)), Some(50));
        // The same percentage is not repeated.
        assert_eq!(throttle.due(505, at(300)), None);
        assert_eq!(throttle.due(2000, at(400)), Some(100));
        // A scan of no files never reports.
        assert_eq!(Throttle::new(0).due(0, at(0)), None);
    }

    #[test]
    fn only_clients_that_said_so_get_progress() {
        let params = |capabilities| -> InitializeParams {
            serde_json::from_value(serde_json::json!({ "capabilities": capabilities })).unwrap()
        };
        assert!(supported(&params(
            serde_json::json!({ "window": { "workDoneProgress": true } })
        )));
        assert!(!supported(&params(
            serde_json::json!({ "window": { "workDoneProgress": false } })
        )));
        assert!(!supported(&params(serde_json::json!({}))));
    }

    #[test]
    fn file_counts_read_well() {
        assert_eq!(files(1), "1 file");
        assert_eq!(files(0), "0 files");
        assert_eq!(files(12), "12 files");
    }
}
