//! The server's own limits, over real connections: a connection that sends half a request
//! header is closed after the header read timeout, and the connections beyond the cap wait
//! rather than pile up; the server answers afterwards.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn server(limits: cchc_web::Limits) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 20).await.expect("demo seed");
    let app = cchc_web::router(cchc_web::AppState::new(store, catalogue));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(cchc_web::serve_on(listener, app, limits, async move {
        let _ = stopped.await;
    }));
    (addr, stop)
}

/// A whole GET of the login page on a new connection: the status line.
async fn get_login(addr: std::net::SocketAddr) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /login HTTP/1.1\r\nHost: cchc\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut reply = Vec::new();
    s.read_to_end(&mut reply).await.unwrap();
    String::from_utf8_lossy(&reply).lines().next().unwrap_or_default().to_string()
}

/// Whether the server closed the connection (end of stream or reset) within `within`.
async fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // A 408 or the like before closing: keep reading to the end.
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn half_sent_headers_are_cut_off_and_the_server_still_answers() {
    let limits = cchc_web::Limits { header_read_timeout: Duration::from_millis(500), max_connections: 4, ..Default::default() };
    let (addr, _stop) = server(limits).await;
    assert_eq!(get_login(addr).await, "HTTP/1.1 200 OK");
    // As many slow clients as the cap, each with half a request header.
    let mut slow = Vec::new();
    for _ in 0..limits.max_connections {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /login HTTP/1.1\r\nHost: cch").await.unwrap();
        slow.push(s);
    }
    // A further client waits for a free connection, and gets one once the slow ones are cut off.
    let waiting = tokio::spawn(get_login(addr));
    for s in &mut slow {
        assert!(closed_within(s, Duration::from_secs(5)).await, "a half-sent header still holds its connection");
    }
    let status = tokio::time::timeout(Duration::from_secs(5), waiting).await.expect("the server no longer answers").unwrap();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(get_login(addr).await, "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_a_free_one() {
    // A long timeout: here only a closed connection frees a place.
    let limits = cchc_web::Limits { header_read_timeout: Duration::from_secs(60), max_connections: 2, ..Default::default() };
    let (addr, _stop) = server(limits).await;
    let mut held = Vec::new();
    for _ in 0..limits.max_connections {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /login HTTP/1.1\r\nHost: cch").await.unwrap();
        held.push(s);
    }
    let waiting = tokio::spawn(get_login(addr));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "a connection beyond the cap was served");
    // One slow client goes away: the waiting one is served.
    drop(held.pop());
    let status = tokio::time::timeout(Duration::from_secs(5), waiting).await.expect("still waiting after a place freed").unwrap();
    assert_eq!(status, "HTTP/1.1 200 OK");
}
