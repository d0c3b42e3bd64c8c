//! `wasmcloud:httpclient`: outgoing HTTP requests, only to hosts the configuration allows
//! (`--allow-host`, or the manifest link's `allowed_hosts`). An actor run locally should not
//! reach anything its developer did not name.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::msgpack::{decode, encode};

pub(super) const CONTRACT: &str = "wasmcloud:httpclient";

/// A request that takes longer fails (the actor is blocked meanwhile).
const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Deserialize)]
struct RequestArgs {
    #[serde(default)]
    method: String,
    url: String,
    #[serde(default)]
    headers: HashMap<String, HeaderValue>,
    #[serde(with = "serde_bytes", default)]
    body: Vec<u8>,
}

/// One value (the 0.15 interface) or several (the later `HeaderMap`).
#[derive(Deserialize)]
#[serde(untagged)]
enum HeaderValue {
    One(String),
    Many(Vec<String>),
}

#[derive(Serialize)]
struct Response {
    #[serde(rename = "statusCode")]
    status_code: u32,
    status: String,
    header: HashMap<String, String>,
    #[serde(with = "serde_bytes")]
    body: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct HttpClient {
    /// `host` or `host:port` entries; `*` allows every host.
    allowed_hosts: Vec<String>,
    /// Where this actor's own `wasmcloud:httpserver` listens, when it serves.
    own_server: Option<SocketAddr>,
}

impl HttpClient {
    pub fn new(allowed_hosts: Vec<String>) -> Self {
        HttpClient {
            allowed_hosts,
            own_server: None,
        }
    }

    /// Tells the client where the actor's own HTTP server listens: a request there could
    /// never be answered, since the actor handles one invocation at a time and is busy
    /// with the one that calls.
    pub fn serving_at(&mut self, addr: SocketAddr) {
        self.own_server = Some(addr);
    }

    pub(super) fn call(&self, operation: &str, payload: &[u8]) -> Result<Vec<u8>, String> {
        match operation {
            "Request" | "PerformRequest" => {
                let args: RequestArgs = decode(operation, payload)?;
                encode(&self.request(args)?)
            }
            other => Err(format!("`{CONTRACT}` has no operation `{other}`")),
        }
    }

    fn request(&self, args: RequestArgs) -> Result<Response, String> {
        let uri: ureq::http::Uri = args
            .url
            .parse()
            .map_err(|e| format!("`{}` is not a URL: {e}", args.url))?;
        let host = uri.host().ok_or_else(|| format!("`{}` names no host", args.url))?;
        if self.is_own_server(host, uri.port_u16().unwrap_or(80)) {
            return Err(format!(
                "`{}` is this actor's own HTTP server: the actor handles one invocation at a time and is \
                 busy with this one, so the request could never be answered",
                args.url
            ));
        }
        if !self.allows(host, uri.port_u16()) {
            return Err(format!(
                "`{host}` is not an allowed host: allow it with `--allow-host {host}` or the link's `allowed_hosts`"
            ));
        }
        let method = if args.method.is_empty() { "GET" } else { &args.method };
        let mut request = ureq::http::Request::builder().method(method).uri(&uri);
        for (name, value) in &args.headers {
            match value {
                HeaderValue::One(value) => request = request.header(name, value),
                HeaderValue::Many(values) => {
                    for value in values {
                        request = request.header(name, value);
                    }
                }
            }
        }
        let request = request.body(args.body).map_err(|e| format!("bad request: {e}"))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            // The actor sees every status, as the interface's providers report them.
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = agent
            .run(request)
            .map_err(|e| format!("{method} {} failed: {e}", args.url))?;
        let status = response.status();
        let header = response
            .headers()
            .iter()
            .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        let body = response
            .body_mut()
            .read_to_vec()
            .map_err(|e| format!("reading the response of {} failed: {e}", args.url))?;
        Ok(Response {
            status_code: u32::from(status.as_u16()),
            status: status.canonical_reason().unwrap_or("").to_string(),
            header,
            body,
        })
    }

    fn allows(&self, host: &str, port: Option<u16>) -> bool {
        host_allowed(&self.allowed_hosts, host, port)
    }

    /// Whether `host:port` reaches the actor's own server (which listens on loopback only).
    fn is_own_server(&self, host: &str, port: u16) -> bool {
        let Some(own) = self.own_server else {
            return false;
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let here = host.eq_ignore_ascii_case("localhost")
            || host.parse::<IpAddr>().is_ok_and(|ip| {
                ip == own.ip() || (own.ip().is_loopback() && (ip.is_loopback() || ip.is_unspecified()))
            });
        here && port == own.port()
    }
}

/// Whether `host` (on `port`) is among `allowed` (`host`, `host:port`, or `*`): the rule for
/// waPC's `wasmcloud:httpclient` and components' `wasi:http/outgoing-handler` alike.
pub fn host_allowed(allowed: &[String], host: &str, port: Option<u16>) -> bool {
    allowed.iter().any(|allowed| {
        allowed == "*"
            || allowed.eq_ignore_ascii_case(host)
            || port.is_some_and(|port| allowed.eq_ignore_ascii_case(&format!("{host}:{port}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_hosts() {
        let client = HttpClient::new(vec!["example.com".into(), "127.0.0.1:8080".into()]);
        assert!(client.allows("example.com", None));
        assert!(client.allows("EXAMPLE.com", Some(443)));
        assert!(client.allows("127.0.0.1", Some(8080)));
        assert!(!client.allows("127.0.0.1", Some(8081)));
        assert!(!HttpClient::default().allows("example.com", None));
        assert!(HttpClient::new(vec!["*".into()]).allows("anything", None));
    }

    #[test]
    fn the_actors_own_server_is_refused_at_once() {
        let mut client = HttpClient::new(vec!["*".into()]);
        client.serving_at("127.0.0.1:8080".parse().unwrap());
        for url in ["http://127.0.0.1:8080/x", "http://localhost:8080", "http://[::1]:8080/"] {
            let payload = rmp_serde::to_vec_named(&serde_json::json!({ "url": url })).unwrap();
            assert_eq!(
                client.call("Request", &payload).unwrap_err(),
                format!(
                    "`{url}` is this actor's own HTTP server: the actor handles one invocation at a time \
                     and is busy with this one, so the request could never be answered"
                )
            );
        }
        assert!(!client.is_own_server("127.0.0.1", 8081));
        assert!(!client.is_own_server("example.com", 8080));
    }

    #[test]
    fn a_refused_host_says_how_to_allow_it() {
        let payload = rmp_serde::to_vec_named(&serde_json::json!({
            "method": "GET", "url": "http://internal.example:9000/x", "headers": {}, "body": []
        }))
        .unwrap();
        assert_eq!(
            HttpClient::default().call("Request", &payload).unwrap_err(),
            "`internal.example` is not an allowed host: allow it with `--allow-host internal.example` or the link's `allowed_hosts`"
        );
    }
}
