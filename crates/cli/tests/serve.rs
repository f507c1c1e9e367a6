//! `cchc serve` as an IT team runs it (issue 16 item 6): the real log on standard output names
//! the route template, the status, the time in ms and the session's user name, never the ids or
//! the query string of the address; `/healthz` answers without a login.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

/// One HTTP/1.1 request on a new connection: (status, headers, body).
fn http(port: u16, request: &str) -> Option<(u16, String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    s.write_all(request.as_bytes()).ok()?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).ok()?;
    let (head, body) = reply.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, head.to_string(), body.to_string()))
}

fn get(port: u16, path: &str, cookie: &str) -> Option<(u16, String, String)> {
    http(port, &format!("GET {path} HTTP/1.1\r\nHost: cchc\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"))
}

/// The value of the cookie `name` set in `head`.
fn set_cookie(head: &str, name: &str) -> String {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, v)| v.trim().strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap().to_string()))
        .unwrap_or_else(|| panic!("no cookie {name} in {head}"))
}

/// The text without terminal colour codes.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_servers_log_names_route_templates_status_time_and_user_only() {
    let dir = common::temp("serve", "log");
    let db = dir.join("cchc.db");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(["--db", &format!("sqlite://{}", db.display()), "serve", "--demo", "--demo-dossiers", "30"])
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cchc serve starts");
    let started = Instant::now();
    let healthy = loop {
        if let Some((status, _, body)) = get(port, "/healthz", "") {
            break (status, body);
        }
        assert!(started.elapsed() < Duration::from_secs(180), "the server did not answer");
        std::thread::sleep(Duration::from_millis(200));
    };
    let result = std::panic::catch_unwind(|| {
        assert_eq!(healthy, (200, "ok\n".to_string()));
        // Log in as the demo's commune officer, as the login form does.
        let (_, head, page) = get(port, "/login", "").unwrap();
        let login_cookie = set_cookie(&head, "cchc_login");
        let start = page.find("name=\"_csrf\" value=\"").unwrap() + 20;
        let csrf = page[start..].split('"').next().unwrap();
        let form = format!("_csrf={csrf}&username=sonha&password={}", cchc_app::demo::PASSWORD.replace('@', "%40"));
        let (status, head, _) = http(
            port,
            &format!(
                "POST /login HTTP/1.1\r\nHost: cchc\r\nCookie: cchc_login={login_cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
                form.len()
            ),
        )
        .unwrap();
        assert_eq!(status, 303, "{head}");
        let session = format!("cchc_session={}", set_cookie(&head, "cchc_session"));
        let (status, _, _) = get(port, "/reports/99101N/2026-H1?q=bi-mat-truy-van", &session).unwrap();
        assert_eq!(status, 200);
        let (status, _, _) = get(port, "/metrics", &session).unwrap();
        assert_eq!(status, 403, "a commune officer reads no metrics");
    });
    server.kill().unwrap();
    let mut log = String::new();
    server.stdout.take().unwrap().read_to_string(&mut log).unwrap();
    let _ = server.wait();
    if let Err(e) = result {
        eprintln!("{log}");
        std::panic::resume_unwind(e);
    }
    let log = plain(&log);
    let requests: Vec<&str> = log.lines().filter(|l| l.contains("answered status=")).collect();
    let report =
        requests.iter().find(|l| l.contains("route=/reports/{unit}/{period}")).unwrap_or_else(|| panic!("no report line in:\n{log}"));
    for part in ["INFO request{method=GET route=/reports/{unit}/{period} user=sonha}", "answered status=200 ms="] {
        assert!(report.contains(part), "{part} missing: {report}");
    }
    assert!(requests.iter().any(|l| l.contains("route=/metrics") && l.contains("status=403")), "{log}");
    assert!(requests.iter().any(|l| l.contains("route=/healthz") && l.contains("status=200")), "{log}");
    for l in &requests {
        assert!(!l.contains("99101N") && !l.contains("2026-H1") && !l.contains("bi-mat"), "{l}");
    }
    let full_name = cchc_app::demo::ACCOUNTS.iter().find(|a| a.username == "sonha").unwrap().full_name;
    // (The demo's banner prints the shared demo password; no request line holds it.)
    assert!(!log.contains(full_name), "{log}");
    assert!(requests.iter().all(|l| !l.contains(cchc_app::demo::PASSWORD)), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
