//! A hand-written HTTP/1.1 server on loopback for the faults wiremock cannot express: resets,
//! slow heads, truncated and oversized bodies. It counts the requests it read in full and keeps
//! their raw bytes.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does once it has read a whole request.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// Reset the connection (TCP RST) without sending a byte.
    ResetBeforeResponse,
    /// Send a 200 head announcing `Content-Length: 1000`, 20 bytes of JSON, then reset.
    ResetMidBody,
    /// Send nothing for this long, then close.
    SlowHeaders(Duration),
    /// Send a 200 head announcing `Content-Length: 100` and 10 bytes, then nothing for this
    /// long.
    SlowBody(Duration),
    /// A 200 JSON answer whose `Content-Length` is 100 bytes longer than the body sent; then
    /// close.
    Truncated(Vec<u8>),
    /// A 200 chunked JSON answer (no `Content-Length`) of this many bytes.
    OversizedChunked(usize),
    /// A complete answer.
    Respond {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
}

/// A running server.
#[derive(Debug)]
pub struct FaultServer {
    /// `http://127.0.0.1:<port>`.
    pub uri: String,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl FaultServer {
    /// Starts a server that behaves the same way for every connection.
    pub async fn start(behaviour: Behaviour) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let behaviour = behaviour.clone();
                let seen = seen.clone();
                tokio::spawn(async move { handle(stream, behaviour, seen).await });
            }
        });
        FaultServer {
            uri: format!("http://{addr}"),
            requests,
        }
    }

    /// How many whole requests the server has read.
    pub fn request_count(&self) -> usize {
        self.requests.lock().map(|r| r.len()).unwrap_or(usize::MAX)
    }

    /// The raw bytes (head and body) of every request read, in order.
    pub fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// A base URL on loopback where nothing listens: a port is bound, then released.
pub async fn refused_uri() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}")
}

async fn handle(mut stream: TcpStream, behaviour: Behaviour, seen: Arc<Mutex<Vec<Vec<u8>>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    if let Ok(mut seen) = seen.lock() {
        seen.push(request);
    }
    match behaviour {
        Behaviour::ResetBeforeResponse => reset(stream),
        Behaviour::ResetMidBody => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                        Content-Length: 1000\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(br#"{"status":"SUCCESS","#).await;
            let _ = stream.flush().await;
            // Let the client read the head before the reset discards what it has not read.
            tokio::time::sleep(Duration::from_millis(50)).await;
            reset(stream);
        }
        Behaviour::SlowHeaders(delay) => {
            tokio::time::sleep(delay).await;
        }
        Behaviour::SlowBody(delay) => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                        Content-Length: 100\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(br#"{"status":"#).await;
            let _ = stream.flush().await;
            tokio::time::sleep(delay).await;
        }
        Behaviour::Truncated(body) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len() + 100
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
        Behaviour::OversizedChunked(size) => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                        Transfer-Encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut body = Vec::with_capacity(size);
            body.extend_from_slice(br#"{"status":"SUCCESS","answer":{"pad":""#);
            body.resize(size.saturating_sub(3), b'x');
            body.extend_from_slice(br#""}}"#);
            for chunk in body.chunks(8192) {
                let frame = format!("{:x}\r\n", chunk.len());
                if stream.write_all(frame.as_bytes()).await.is_err()
                    || stream.write_all(chunk).await.is_err()
                    || stream.write_all(b"\r\n").await.is_err()
                {
                    return;
                }
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
            let _ = stream.shutdown().await;
        }
        Behaviour::Respond {
            status,
            content_type,
            body,
        } => {
            let head = format!(
                "HTTP/1.1 {status} Answer\r\nContent-Type: {content_type}\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
    }
}

/// Closes the connection with a TCP RST.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Reads one request head and its body (per `Content-Length`); `None` when the client went
/// away first.
async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(chunk.get(..n)?);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(buf.get(..end)?).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(chunk.get(..n)?);
            }
            return Some(buf);
        }
    }
}
