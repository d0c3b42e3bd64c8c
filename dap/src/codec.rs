//! DAP's base protocol: `Content-Length: N\r\n\r\n` headers, then N bytes of JSON.
//! Framing errors are reported and skipped so that one bad message never ends the session.

use anyhow::Result;
use serde_json::Value;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest body accepted; a bigger `Content-Length` is treated as garbage.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// What the reader got.
#[derive(Debug)]
pub(crate) enum Incoming {
    Message(Value),
    /// A framed body that was not JSON, or a header that made no sense: the reason.
    Malformed(String),
}

pub(crate) struct MessageReader<R> {
    input: R,
}

impl<R: AsyncBufRead + Unpin> MessageReader<R> {
    pub(crate) fn new(input: R) -> Self {
        MessageReader { input }
    }

    /// The next message; `Ok(None)` at end of input.
    pub(crate) async fn next(&mut self) -> Result<Option<Incoming>> {
        let mut length: Option<usize> = None;
        let mut bad_header: Option<String> = None;
        let mut saw_header = false;
        loop {
            let mut line = Vec::new();
            if self.input.read_until(b'\n', &mut line).await? == 0 {
                return Ok(None);
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if !saw_header {
                    continue;
                }
                break;
            }
            saw_header = true;
            match text.split_once(':') {
                Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                    match value.trim().parse::<usize>() {
                        Ok(n) if n <= MAX_BODY => length = Some(n),
                        _ => bad_header = Some(format!("invalid Content-Length `{}`", value.trim())),
                    }
                }
                Some(_) => {} // Content-Type and other headers are allowed and ignored.
                None => bad_header = Some(format!("malformed header line `{text}`")),
            }
        }
        let Some(length) = length else {
            return Ok(Some(Incoming::Malformed(
                bad_header.unwrap_or_else(|| "missing Content-Length header".into()),
            )));
        };
        let mut body = vec![0u8; length];
        self.input.read_exact(&mut body).await?;
        Ok(Some(match serde_json::from_slice::<Value>(&body) {
            Ok(value) => Incoming::Message(value),
            Err(e) => Incoming::Malformed(format!("body is not JSON: {e}")),
        }))
    }
}

/// Appends one framed message to `buffer`.
pub(crate) fn frame(buffer: &mut Vec<u8>, body: &[u8]) {
    buffer.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    buffer.extend_from_slice(body);
}

/// Writes one framed message, in one write.
pub(crate) async fn write_message(output: &mut (impl AsyncWrite + Unpin), body: &[u8]) -> Result<()> {
    let mut buffer = Vec::with_capacity(body.len() + 32);
    frame(&mut buffer, body);
    output.write_all(&buffer).await?;
    output.flush().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(input: &[u8]) -> Vec<String> {
        let mut reader = MessageReader::new(input);
        let mut out = Vec::new();
        while let Some(m) = reader.next().await.unwrap() {
            out.push(match m {
                Incoming::Message(v) => v.to_string(),
                Incoming::Malformed(why) => format!("malformed: {why}"),
            });
        }
        out
    }

    #[tokio::test]
    async fn frames_and_recovers() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Length: 3\r\n\r\nabcContent-Type: x\r\nContent-Length: 7\r\n\r\n{\"a\":1}";
        assert_eq!(
            read_all(input).await,
            vec![
                "{}".to_string(),
                "malformed: body is not JSON: expected value at line 1 column 1".into(),
                "{\"a\":1}".into()
            ]
        );
        let input = b"Content-Length: zz\r\n\r\nContent-Length: 2\r\n\r\n[]";
        assert_eq!(
            read_all(input).await,
            vec!["malformed: invalid Content-Length `zz`".to_string(), "[]".into()]
        );
    }
}
