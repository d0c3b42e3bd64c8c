//! A `wasmscope run --debug` host serving the HTTP component fixture, for attach tests: its
//! stderr is collected (and echoed, for failures), and it is killed when dropped.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{TIMEOUT, http_component_wasm, http_request};

pub const LISTENING: &str = "wasmscope: debugger listening on ";
pub const SERVING: &str = "wasmscope: serving wasi:http/incoming-handler on http://";

pub struct DebugHost {
    child: Child,
    pub stderr: Arc<Mutex<String>>,
    /// Where debuggers connect, as the host printed it (`0.0.0.0:PORT` when it listens on
    /// every interface).
    pub debug_addr: String,
    pub http_addr: String,
}

impl Drop for DebugHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl DebugHost {
    /// `wasmscope run --debug DEBUG --http 127.0.0.1:0 ARGS… http_component.wasm`, once it
    /// listens and serves.
    pub fn start(debug: &str, args: &[&str], env: &[(&str, &str)]) -> DebugHost {
        let mut command = Command::new(env!("CARGO_BIN_EXE_wasmscope"));
        command
            .args(["run", "--debug", debug, "--http", "127.0.0.1:0"])
            .args(args)
            .arg(http_component_wasm())
            .env_remove("WASMSCOPE_DEBUG_TOKEN")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().unwrap();
        let stderr = collect(child.stderr.take().unwrap());
        let mut host = DebugHost {
            child,
            stderr,
            debug_addr: String::new(),
            http_addr: String::new(),
        };
        host.debug_addr = host.wait_line(LISTENING).split(' ').next().unwrap().to_string();
        host.http_addr = host.wait_line(SERVING);
        host
    }

    /// The rest of the first stderr line starting with `prefix`, waiting for it.
    pub fn wait_line(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let text = self.stderr.lock().unwrap().clone();
            if let Some(rest) = text.lines().find_map(|l| l.strip_prefix(prefix)) {
                return rest.to_string();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the host exited ({status}) before printing {prefix:?}:\n{text}");
            }
            assert!(Instant::now() < deadline, "no {prefix:?} line on stderr:\n{text}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until stderr contains `needle`.
    pub fn wait_for(&mut self, needle: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.stderr.lock().unwrap().contains(needle) {
            assert!(Instant::now() < deadline, "stderr never contained {needle:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn get(&self, path: &str) -> (String, String) {
        http_request(&self.http_addr, "GET", path, "")
    }

    /// A request on its own thread, for one that will wait at a breakpoint.
    pub fn get_later(&self, path: &str) -> JoinHandle<(String, String)> {
        let (addr, path) = (self.http_addr.clone(), path.to_string());
        std::thread::spawn(move || http_request(&addr, "GET", &path, ""))
    }

    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the host did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            eprintln!("host: {line}");
            let mut text = sink.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
    text
}
