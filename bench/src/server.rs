//! A minimal HTTP/1.1 server on loopback: fixed answers by method and path, keep-alive,
//! `Content-Length` bodies only. It does as little as possible per request, so that the
//! client side dominates what is measured.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// Answers keyed by `(method, path)`: the full response bytes (head and body).
type Routes = HashMap<(String, String), Vec<u8>>;

/// Starts the server on its own thread and current-thread runtime; returns its address.
/// The thread lives until the process exits.
pub fn start(routes: Vec<(&str, &str, Vec<u8>)>) -> Result<SocketAddr, String> {
    let routes: Routes = routes
        .into_iter()
        .map(|(method, path, body)| {
            let mut response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            response.extend_from_slice(&body);
            ((method.to_owned(), path.to_owned()), response)
        })
        .collect();
    let routes = Arc::new(routes);
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("loopback-server".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = send.send(Err(format!("server runtime: {e}")));
                    return;
                }
            };
            runtime.block_on(async move {
                let listener = match TcpListener::bind("127.0.0.1:0").await {
                    Ok(listener) => listener,
                    Err(e) => {
                        let _ = send.send(Err(format!("cannot bind 127.0.0.1: {e}")));
                        return;
                    }
                };
                let _ = send.send(listener.local_addr().map_err(|e| e.to_string()));
                while let Ok((stream, _)) = listener.accept().await {
                    let routes = Arc::clone(&routes);
                    tokio::spawn(async move {
                        let _ = serve(stream, &routes).await;
                    });
                }
            });
        })
        .map_err(|e| format!("cannot start the server thread: {e}"))?;
    receive
        .recv()
        .map_err(|_| "the server thread stopped".to_owned())?
}

const NOT_FOUND: &[u8] = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";

/// Serves one connection until the client closes it.
async fn serve(mut stream: TcpStream, routes: &Routes) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buffer: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        // Read until the end of the head.
        let head_end = loop {
            if let Some(at) = find(&buffer, b"\r\n\r\n") {
                break at + 4;
            }
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or("").split(' ');
        let method = request_line.next().unwrap_or("").to_owned();
        let path = request_line.next().unwrap_or("").to_owned();
        let length = lines
            .filter_map(|l| l.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse::<usize>().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + length {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
        }
        buffer.drain(..head_end + length);
        let response = routes.get(&(method, path)).map_or(NOT_FOUND, Vec::as_slice);
        stream.write_all(response).await?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
