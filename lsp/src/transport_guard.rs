//! tower-lsp-server stops reading at the first message it cannot decode, which would end the
//! session on one bad message from a client. The guard sits between stdio and the server: it
//! answers undecodable messages itself with JSON-RPC's parse error and passes only
//! well-formed ones on, so the server keeps running.

use anyhow::Result;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// The largest message accepted; a bigger `Content-Length` is treated as garbage.
const MAX_BODY: usize = 64 * 1024 * 1024;

const PARSE_ERROR: &str = r#"{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}"#;

/// Runs `serve` on guarded streams until the client's input ends.
pub(crate) async fn guard<F, Fut>(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
    serve: F,
) where
    F: FnOnce(tokio::io::DuplexStream, tokio::io::DuplexStream) -> Fut,
    Fut: Future<Output = ()>,
{
    let (mut to_server, server_input) = tokio::io::duplex(1 << 16);
    let (server_output, from_server) = tokio::io::duplex(1 << 16);
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Vec<u8>>();

    let writer = tokio::spawn(async move {
        let mut output = output;
        while let Some(body) = out_rx.recv().await {
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            if output.write_all(header.as_bytes()).await.is_err() || output.write_all(&body).await.is_err() {
                break;
            }
            let _ = output.flush().await;
        }
    });
    let replies = out_tx.clone();
    let server_to_client = tokio::spawn(async move {
        let mut from_server = BufReader::new(from_server);
        while let Ok(Some(Frame::Body(body))) = read_frame(&mut from_server).await {
            if replies.send(body).is_err() {
                break;
            }
        }
    });
    let client_to_server = tokio::spawn(async move {
        let mut input = BufReader::new(input);
        loop {
            match read_frame(&mut input).await {
                Ok(Some(Frame::Body(body))) if is_json_object(&body) => {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    if to_server.write_all(header.as_bytes()).await.is_err()
                        || to_server.write_all(&body).await.is_err()
                    {
                        break;
                    }
                }
                Ok(Some(frame)) => {
                    let why = match frame {
                        Frame::Malformed(why) => why,
                        Frame::Body(_) => "the body is not a JSON object".into(),
                    };
                    tracing::warn!("answered an undecodable message with a parse error: {why}");
                    let _ = out_tx.send(PARSE_ERROR.as_bytes().to_vec());
                }
                Ok(None) | Err(_) => break,
            }
        }
        // End of input: the server sees it too and winds down.
        drop(to_server);
    });
    serve(server_input, server_output).await;
    client_to_server.abort();
    let _ = server_to_client.await;
    let _ = writer.await;
}

enum Frame {
    Body(Vec<u8>),
    Malformed(String),
}

fn is_json_object(body: &[u8]) -> bool {
    matches!(
        serde_json::from_slice::<serde_json::Value>(body),
        Ok(serde_json::Value::Object(_))
    )
}

/// One `Content-Length` framed body; `Ok(None)` at the end of input.
async fn read_frame(input: &mut (impl AsyncBufRead + Unpin)) -> Result<Option<Frame>> {
    let mut length = None;
    let mut problem = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) if n <= MAX_BODY => length = Some(n),
                    _ => problem = Some(format!("invalid Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {}
            None => problem = Some(format!("malformed header `{text}`")),
        }
    }
    let Some(length) = length else {
        return Ok(Some(Frame::Malformed(
            problem.unwrap_or_else(|| "missing Content-Length".into()),
        )));
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body).await?;
    Ok(Some(Frame::Body(body)))
}
