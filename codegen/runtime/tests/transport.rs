//! Transport failures, against hand-written TCP servers on loopback: refused
//! connections, resets, truncated and endless bodies, and a TLS handshake.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use payspec_runtime::{
    Call, ClientConfig, Core, Credentials, Error, Protocol, RetryPolicy, RetrySafety,
};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PASSWORD: &str = "raw-server-password-4242";

/// What the server does after reading a request.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Close the connection without answering.
    Close,
    /// Announce 100 bytes, send 10, close.
    Truncate,
    /// A chunked 200 answer that never ends (about 64 KiB per chunk).
    Endless,
    /// Answer bytes that are not TLS (for an https client).
    Garbage,
    /// Send the answer's head, then nothing for 5 s.
    Stall,
    /// A chunked 200 answer of one JSON object in three chunks, sent 20 ms apart.
    Pieces,
}

/// Reads one request head (and its body, if `Content-Length` says so).
async fn read_request(stream: &mut TcpStream) -> Option<()> {
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
            return Some(());
        }
    }
}

/// Starts a server; returns its address and a counter of connections.
async fn serve(behaviour: Behaviour) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                if let Behaviour::Garbage = behaviour {
                    let _ = stream.write_all(b"HTTP/1.1 400 not tls\r\n\r\n").await;
                    return;
                }
                if read_request(&mut stream).await.is_none() {
                    return;
                }
                match behaviour {
                    Behaviour::Close | Behaviour::Garbage => {}
                    Behaviour::Truncate => {
                        let _ = stream
                            .write_all(
                                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                                  content-length: 100\r\n\r\n{\"id\": \"p",
                            )
                            .await;
                    }
                    Behaviour::Stall => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n")
                            .await;
                        tokio::time::sleep(Duration::from_secs(5)).await;
                    }
                    Behaviour::Pieces => {
                        let _ = stream
                            .write_all(
                                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                                  transfer-encoding: chunked\r\n\r\n",
                            )
                            .await;
                        for piece in [&b"{\"id\":"[..], b"\"abc\",\"amo", b"unt\":5}"] {
                            let mut frame = format!("{:x}\r\n", piece.len()).into_bytes();
                            frame.extend_from_slice(piece);
                            frame.extend_from_slice(b"\r\n");
                            let _ = stream.write_all(&frame).await;
                            let _ = stream.flush().await;
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                        let _ = stream.write_all(b"0\r\n\r\n").await;
                    }
                    Behaviour::Endless => {
                        let _ = stream
                            .write_all(
                                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                                  transfer-encoding: chunked\r\n\r\n",
                            )
                            .await;
                        let data = vec![b' '; 65536];
                        let mut frame = format!("{:x}\r\n", data.len()).into_bytes();
                        frame.extend_from_slice(&data);
                        frame.extend_from_slice(b"\r\n");
                        while stream.write_all(&frame).await.is_ok() {}
                    }
                }
            });
        }
    });
    (addr, count)
}

fn core(base: String) -> Core {
    Core::new(
        ClientConfig::new(base, Credentials::basic("user", PASSWORD))
            .timeout(Duration::from_millis(1000))
            .connect_timeout(Duration::from_millis(500))
            .retry_policy(
                RetryPolicy::default()
                    .initial_backoff(Duration::from_millis(5))
                    .max_backoff(Duration::from_millis(20)),
            ),
        Protocol::Rest,
    )
    .unwrap()
}

fn post(retry: RetrySafety) -> Call {
    Call::new("createPayment", Method::POST, "/payments", retry)
}

fn assert_no_secret(error: &Error) {
    let text = format!("{error} {error:?}");
    assert!(!text.contains(PASSWORD), "{text}");
}

fn source_of(error: &Error) -> &Error {
    std::error::Error::source(error)
        .and_then(|s| s.downcast_ref::<Error>())
        .expect("a runtime error as source")
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Reserve a port, then free it: nothing listens there.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let core = core(format!("http://{addr}"));
    for retry in [RetrySafety::Never, RetrySafety::Safe] {
        let error = core
            .execute::<_, Value, String>(post(retry), Some(&json!({})))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        assert!(error.is_retryable());
        assert_no_secret(&error);
    }
}

#[tokio::test]
async fn reset_after_sending_is_outcome_unknown_for_never_calls() {
    let (addr, count) = serve(Behaviour::Close).await;
    let core = core(format!("http://{addr}"));
    let error = core
        .execute::<_, Value, String>(post(RetrySafety::Never), Some(&json!({"amount": 1})))
        .await
        .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert!(matches!(source_of(&error), Error::Transport { .. }));
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert_no_secret(&error);
}

#[tokio::test]
async fn reset_is_retried_for_safe_calls() {
    let (addr, count) = serve(Behaviour::Close).await;
    let core = core(format!("http://{addr}"));
    let error = core
        .execute::<(), Value, String>(
            Call::new("get", Method::GET, "/payments/1", RetrySafety::Safe),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn truncated_body_is_outcome_unknown_for_never_calls() {
    let (addr, count) = serve(Behaviour::Truncate).await;
    let core = core(format!("http://{addr}"));
    let error = core
        .execute::<_, Value, String>(post(RetrySafety::Never), Some(&json!({})))
        .await
        .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

/// A client of the server at `addr` that reads at most `max` bytes of an answer.
fn core_with_limit(addr: SocketAddr, max: usize) -> Core {
    Core::new(
        ClientConfig::new(
            format!("http://{addr}"),
            Credentials::basic("user", PASSWORD),
        )
        .timeout(Duration::from_secs(5))
        .max_response_bytes(max),
        Protocol::Rest,
    )
    .unwrap()
}

/// `GET /payments/1`, retried when safe, its answer as JSON.
async fn get_payment(core: &Core) -> Result<Value, Error> {
    core.execute::<(), Value, String>(
        Call::new("get", Method::GET, "/payments/1", RetrySafety::Safe),
        None,
    )
    .await
}

#[tokio::test]
async fn endless_chunked_body_is_cut_at_the_limit() {
    let (addr, count) = serve(Behaviour::Endless).await;
    let core = core_with_limit(addr, 200_000);
    let error = get_payment(&core).await.unwrap_err();
    match &error {
        Error::Decode(d) => {
            assert!(d.message.contains("200000"), "{}", d.message);
            assert!(d.excerpt.chars().count() <= 513);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count.load(Ordering::SeqCst), 1);

    // For a call sent at most once the success answer is lost: unknown.
    let error = core
        .execute::<_, Value, String>(post(RetrySafety::Never), Some(&json!({})))
        .await
        .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert!(matches!(source_of(&error), Error::Decode(_)));
}

#[tokio::test]
async fn a_body_in_several_chunks_is_read_whole() {
    let (addr, _count) = serve(Behaviour::Pieces).await;
    let value = get_payment(&core(format!("http://{addr}"))).await.unwrap();
    assert_eq!(value, json!({"id": "abc", "amount": 5}));
}

#[tokio::test]
async fn a_first_chunk_larger_than_the_limit_is_cut() {
    // The first chunk (64 KiB) alone is past the limit: it is cut there.
    let (addr, _count) = serve(Behaviour::Endless).await;
    let error = get_payment(&core_with_limit(addr, 1000)).await.unwrap_err();
    match &error {
        Error::Decode(d) => assert!(d.message.contains("1000 bytes"), "{}", d.message),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn https_uses_rustls_with_ring_and_fails_cleanly_on_a_non_tls_server() {
    let (addr, count) = serve(Behaviour::Garbage).await;
    let core = core(format!("https://localhost:{}", addr.port()));
    let error = core
        .execute::<_, Value, String>(post(RetrySafety::Never), Some(&json!({})))
        .await
        .unwrap_err();
    // The TLS handshake failed: the request never left.
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert_no_secret(&error);
}

#[tokio::test]
async fn user_supplied_client_still_gets_the_timeout() {
    let (addr, _count) = serve(Behaviour::Stall).await;
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(
            rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
        )
        .build()
        .unwrap();
    let core = Core::new(
        ClientConfig::new(
            format!("http://{addr}"),
            Credentials::basic("user", PASSWORD),
        )
        .http_client(client)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none()),
        Protocol::Rest,
    )
    .unwrap();
    let error = core
        .execute::<(), Value, String>(
            Call::new("get", Method::GET, "/payments/1", RetrySafety::Safe),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}
