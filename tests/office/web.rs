//! The register's pages over HTTP (`xieshang followups serve` as a child
//! process on 127.0.0.1): a department reaches only its own items, an asker only
//! theirs, a stale change is refused naming who made the one between, bad and
//! hostile requests are refused without harm, tokens stay out of URLs and logs,
//! and the server stops on SIGTERM.

use super::store::simulated;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `xieshang followups --register DB serve` on a free port, killed when dropped.
pub struct Office {
    /// The server, when this test started it (`None`: another's port).
    pub child: Option<Child>,
    pub port: u16,
    pub log: PathBuf,
    /// The first lines it printed: where, the cards' command, the tokens.
    pub said: String,
}

impl Office {
    pub fn start(db: &Path, more: &[&str]) -> Office {
        Office::serving(db, more, &[])
    }

    /// [`Office::start`], `serving` given to `serve`.
    pub fn serving(db: &Path, more: &[&str], serving: &[&str]) -> Office {
        let log = db.with_extension("serve.log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_xieshang"))
            .args(["followups", "--register", db.to_str().unwrap()])
            .args(more)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(serving)
            .env("RUST_LOG", "debug")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut said = String::new();
        for _ in 0..3 {
            out.read_line(&mut said).unwrap();
        }
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let url = said
            .split_whitespace()
            .find(|w| w.starts_with("http://") || w.starts_with("https://"))
            .unwrap_or_else(|| panic!("no URL in {said:?}"));
        let port = url
            .trim_start_matches("http://127.0.0.1:")
            .trim_start_matches("https://127.0.0.1:")
            .trim_end_matches("/followups")
            .parse()
            .unwrap_or_else(|_| panic!("a port in {url}"));
        Office {
            child: Some(child),
            port,
            log,
            said,
        }
    }

    /// The register's routes on a port someone else serves.
    pub fn at(port: u16) -> Office {
        Office {
            child: None,
            port,
            log: PathBuf::new(),
            said: String::new(),
        }
    }

    /// `METHOD path` with a bearer token and a body: the status and the body.
    pub fn ask(&self, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP answer: {answer:.200}"));
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    pub fn json(&self, path: &str, token: Option<&str>) -> serde_json::Value {
        let (status, body) = self.ask("GET", path, token, "");
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    pub fn post(
        &self,
        id: &str,
        token: &str,
        intent: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let (status, body) = self.ask(
            "POST",
            &format!("/followups/api/items/{id}"),
            Some(token),
            &intent.to_string(),
        );
        (
            status,
            serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON: {body}")),
        )
    }
}

impl Drop for Office {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The register's tokens file, read as the secretariat would.
pub fn tokens(db: &Path) -> BTreeMap<String, String> {
    let file = xieshang::office::keys::path_for(db);
    serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap()
}

/// A register with the supervision meeting imported: its file and the items'
/// ids by lead department.
pub fn imported(dir: &Path) -> PathBuf {
    let journal = simulated(dir, "huishang-supervision");
    let db = dir.join("register.db");
    let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["followups", "--register", db.to_str().unwrap(), "import"])
        .arg(&journal)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

#[test]
fn each_token_reaches_its_own_items_and_a_stale_change_names_who_came_between() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path());
    let office = Office::start(&db, &[]);
    let keys = tokens(&db);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(xieshang::office::keys::path_for(&db))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "the tokens file is the owner's alone");

    // Every department sees exactly the items it leads.
    let all = office.json("/followups/api/dashboard", None);
    let items = all["items"].as_array().unwrap();
    assert!(!items.is_empty());
    let departments: Vec<&str> = keys
        .keys()
        .filter_map(|k| k.strip_prefix("department:"))
        .collect();
    assert!(departments.len() >= 2, "{keys:?}");
    let mut seen = 0;
    for d in &departments {
        let mine = office.json(
            "/followups/api/mine",
            Some(&keys[&format!("department:{d}")]),
        );
        assert_eq!(mine["holder"]["id"], *d);
        for item in mine["items"].as_array().unwrap() {
            assert_eq!(item["department"], *d);
            seen += 1;
        }
    }
    assert_eq!(seen, items.len(), "every item is some department's");

    // An asker sees theirs alone, and may not answer.
    let (asker_key, asker_token) = keys.iter().find(|(k, _)| k.starts_with("asker:")).unwrap();
    let asker = asker_key.trim_start_matches("asker:");
    let theirs = office.json("/followups/api/mine", Some(asker_token));
    let their_items = theirs["items"].as_array().unwrap();
    assert!(!their_items.is_empty());
    for item in their_items {
        // Who asked, as the register knows them: a roster person, or a seat
        // of that meeting.
        let o = &item["origin"];
        let who = match o["asker"]["person"].as_str() {
            Some(p) => format!("person:{p}"),
            None => format!(
                "seat:{}/{}",
                o["journal_id"].as_str().unwrap(),
                o["asker"]["participant"].as_str().unwrap()
            ),
        };
        assert_eq!(who, asker);
    }
    let id = their_items[0]["id"].as_str().unwrap().to_string();
    let lead = their_items[0]["department"].as_str().unwrap().to_string();
    let lead_token = &keys[&format!("department:{lead}")];
    let (status, body) = office.post(
        &id,
        asker_token,
        serde_json::json!({"do": "answer", "seen": 1, "class": "A", "text": "x"}),
    );
    assert_eq!(status, 403, "{body}");

    // Another department is told there is no such item of theirs.
    let other = departments.iter().find(|d| **d != lead).unwrap();
    let (status, body) = office.post(
        &id,
        &keys[&format!("department:{other}")],
        serde_json::json!({"do": "acknowledge", "seen": 1, "handler": "别人"}),
    );
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"], "no_such_item");

    // The lead takes it on, then a page that read version 1 is refused, naming who.
    let (status, body) = office.post(
        &id,
        lead_token,
        serde_json::json!({"do": "acknowledge", "seen": 1, "handler": "王科长"}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "acknowledged");
    assert_eq!(body["version"], 2);
    let (status, body) = office.post(
        &id,
        lead_token,
        serde_json::json!({"do": "answer", "seen": 1, "class": "B", "text": "列入计划"}),
    );
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["by"], "王科长");
    assert!(
        body["messages"]["zh"].as_str().unwrap().contains("王科长"),
        "{body}"
    );
    assert!(
        body["messages"]["en"].as_str().unwrap().contains("王科长"),
        "{body}"
    );

    // Answered; the asker rates it dissatisfied without a reason: refused; with one: sent back.
    let (status, body) = office.post(&id, lead_token, serde_json::json!({"do": "answer", "seen": 2, "class": "B", "text": "列入明年计划", "by": "王科长"}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "answered");
    let (status, body) = office.post(
        &id,
        asker_token,
        serde_json::json!({"do": "rate", "seen": 3, "rating": "dissatisfied"}),
    );
    assert_eq!(status, 422, "{body}");
    assert!(
        body["messages"]["zh"].as_str().unwrap().contains("理由"),
        "{body}"
    );
    let (status, body) = office.post(
        &id,
        lead_token,
        serde_json::json!({"do": "rate", "seen": 3, "rating": "satisfied"}),
    );
    assert_eq!(status, 403, "a department does not rate: {body}");
    let (status, body) = office.post(&id, asker_token, serde_json::json!({"do": "rate", "seen": 3, "rating": "dissatisfied", "reason": "没有时间表"}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "in_progress");
    assert_eq!(body["returned"], 1);
    // Sent back: a month from today, never sooner than it was due.
    let date = |v: &serde_json::Value| {
        xieshang::meeting::followups::Date::parse(v.as_str().unwrap()).unwrap()
    };
    assert_eq!(
        date(&body["due"]),
        date(&theirs["today"])
            .add_months(1)
            .max(date(&their_items[0]["due"])),
        "the new due date"
    );

    // The dashboard says so, and a page that asks again with its tag hears "no change".
    let (status, _) = office.ask("GET", "/followups/api/dashboard", None, "");
    assert_eq!(status, 200);
    let dash = office.json("/followups/api/dashboard", None);
    let dept = dash["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["department"] == lead.as_str())
        .unwrap();
    assert_eq!(dept["rated"], 1);
    assert_eq!(dept["satisfied"], 0);
    let shown = dash["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id.as_str())
        .unwrap();
    assert_eq!(shown["rating"], "dissatisfied");
    assert!(
        shown.get("origin").is_none()
            && !dash
                .to_string()
                .contains(&theirs["holder"]["name"].as_str().unwrap().to_string()),
        "the public dashboard names no asker"
    );

    // Tokens where a careless client puts them: a query, a path.
    let (status, _) = office.ask(
        "GET",
        &format!("/followups/api/mine?t={lead_token}"),
        None,
        "",
    );
    assert_eq!(status, 401);
    let (status, _) = office.ask("GET", &format!("/followups/{lead_token}"), None, "");
    assert_eq!(status, 404);

    // The file unreadable (a table gone from under it): 503, and the log says why.
    let db_file = rusqlite::Connection::open(&db).unwrap();
    db_file
        .execute_batch("ALTER TABLE items RENAME TO items_away")
        .unwrap();
    let (status, body) = office.ask("GET", "/followups/api/mine", Some(lead_token), "");
    assert_eq!(status, 503, "{body}");
    db_file
        .execute_batch("ALTER TABLE items_away RENAME TO items")
        .unwrap();
    assert_eq!(
        office
            .ask("GET", "/followups/api/mine", Some(lead_token), "")
            .0,
        200
    );

    // It logged, at debug, every request and the failure; no token reached the log.
    let log = std::fs::read_to_string(&office.log).unwrap();
    assert!(log.contains("listening"), "{log}");
    assert!(
        log.contains("GET") && log.contains("path=\"/followups/api/dashboard\" status=200"),
        "{log}"
    );
    assert!(log.contains("status=503"), "{log}");
    assert!(
        log.contains("ERROR") && log.contains("no such table"),
        "{log}"
    );
    for token in keys.values() {
        assert!(!log.contains(token.as_str()), "a token in the log");
    }
}

#[test]
fn bad_and_hostile_requests_are_refused_and_leave_the_register_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path());
    let office = Office::start(&db, &[]);
    let keys = tokens(&db);
    let (dept_key, token) = keys
        .iter()
        .find(|(k, _)| k.starts_with("department:"))
        .unwrap();
    let mine = office.json("/followups/api/mine", Some(token));
    let id = mine["items"][0]["id"].as_str().unwrap().to_string();
    let before = office.json("/followups/api/mine", Some(token));

    let long = "a".repeat(10_000);
    let cases: Vec<(Option<&str>, String, u16)> = vec![
        (
            None,
            r#"{"do":"acknowledge","seen":1,"handler":"x"}"#.into(),
            401,
        ),
        (
            Some("not-a-token"),
            r#"{"do":"acknowledge","seen":1,"handler":"x"}"#.into(),
            401,
        ),
        (Some(&long[..]), "{}".into(), 401),
        (Some(token), "not json".into(), 400),
        (Some(token), r#"{"do":"explode","seen":1}"#.into(), 400),
        (
            Some(token),
            r#"{"do":"acknowledge","seen":1,"handler":"x","extra":1}"#.into(),
            400,
        ),
        (
            Some(token),
            r#"{"do":"acknowledge","seen":-1,"handler":"x"}"#.into(),
            400,
        ),
        (
            Some(token),
            r#"{"do":"answer","seen":1,"class":"Z","text":"x"}"#.into(),
            400,
        ),
        (
            Some(token),
            r#"{"do":"acknowledge","seen":1,"handler":"   "}"#.into(),
            422,
        ),
        (
            Some(token),
            r#"{"do":"acknowledge","seen":1,"handler":"\u001b]0;pwned\u0007"}"#.into(),
            422,
        ),
        (
            Some(token),
            r#"{"do":"acknowledge","seen":1,"handler":"\u202eevil"}"#.into(),
            422,
        ),
        (
            Some(token),
            format!(
                r#"{{"do":"progress","seen":1,"title":"t","text":"{}"}}"#,
                "长".repeat(5000)
            ),
            422,
        ),
        (
            Some(token),
            format!(
                r#"{{"do":"progress","seen":1,"title":"t","text":"{}"}}"#,
                "x".repeat(70_000)
            ),
            413,
        ),
    ];
    for (who, body, want) in &cases {
        let (status, answer) =
            office.ask("POST", &format!("/followups/api/items/{id}"), *who, body);
        assert_eq!(status, *want, "{body:.80} → {answer:.300}");
    }
    // Paths and methods the server does not have.
    assert_eq!(
        office
            .ask("POST", "/followups/api/items/", Some(token), "{}")
            .0,
        405
    );
    assert_eq!(
        office
            .ask(
                "POST",
                "/followups/api/items/nothing/here",
                Some(token),
                r#"{"do":"acknowledge","seen":1,"handler":"x"}"#
            )
            .0,
        404
    );
    assert_eq!(
        office
            .ask("DELETE", "/followups/api/mine", Some(token), "")
            .0,
        405
    );
    assert_eq!(
        office.ask("GET", "/followups/../register.db", None, "").0,
        404
    );
    // The token is never read from a query.
    assert_eq!(
        office
            .ask("GET", &format!("/followups/api/mine?t={token}"), None, "")
            .0,
        401
    );
    // Nothing changed.
    assert_eq!(
        office.json("/followups/api/mine", Some(token))["items"],
        before["items"],
        "{dept_key}"
    );
    // Every answer carries the page's security headers.
    let mut s = TcpStream::connect(("127.0.0.1", office.port)).unwrap();
    write!(
        s,
        "GET /followups HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    s.read_to_string(&mut page).unwrap();
    let head = page.split("\r\n\r\n").next().unwrap().to_ascii_lowercase();
    assert!(
        head.contains("content-security-policy: default-src 'self'; script-src 'self'"),
        "{head}"
    );
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    assert!(head.contains("referrer-policy: no-referrer"), "{head}");
}

#[test]
fn the_server_stops_on_sigterm_and_on_sigint() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    xieshang::office::Office::open(&db).unwrap();
    for signal in ["TERM", "INT"] {
        let mut office = Office::start(&db, &[]);
        assert_eq!(office.ask("GET", "/healthz", None, "").0, 200);
        // Clients connected: one kept alive after a request, one that said nothing.
        let mut kept = TcpStream::connect(("127.0.0.1", office.port)).unwrap();
        write!(kept, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut first = [0u8; 64];
        assert!(kept.read(&mut first).unwrap() > 0);
        let _silent = TcpStream::connect(("127.0.0.1", office.port)).unwrap();
        let sent = Command::new("kill")
            .args([
                &format!("-{signal}"),
                &office.child.as_ref().unwrap().id().to_string(),
            ])
            .status()
            .unwrap();
        assert!(sent.success());
        let started = Instant::now();
        let child = office.child.as_mut().unwrap();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "SIG{signal}: still running"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "SIG{signal}: {status}");
    }
}

/// `serve --register`: the meeting's own port serves the register's pages too,
/// and a department's page works there as on `followups serve`.
#[test]
fn a_meetings_port_serves_the_register_beside_the_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path());
    let plan = crate::common::room::zh_plan(dir.path());
    let journal = dir.path().join("next.journal");
    let serve = crate::common::serve::Serve::with_args(&[
        "serve",
        plan.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
        "--journal",
        journal.to_str().unwrap(),
        "--register",
        db.to_str().unwrap(),
    ]);
    let port: u16 = serve
        .url
        .trim_start_matches("ws://127.0.0.1:")
        .trim_end_matches("/ws")
        .parse()
        .unwrap();
    let office = Office::at(port);
    let keys = tokens(&db);
    let (_, token) = keys
        .iter()
        .find(|(k, _)| k.starts_with("department:"))
        .unwrap();
    let mine = office.json("/followups/api/mine", Some(token));
    let id = mine["items"][0]["id"].as_str().unwrap().to_string();
    let (status, body) = office.post(
        &id,
        token,
        serde_json::json!({"do": "acknowledge", "seen": 1, "handler": "钱科长"}),
    );
    assert_eq!(status, 200, "{body}");
    let dash = office.json("/followups/api/dashboard", None);
    assert!(dash["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["state"] == "acknowledged"));
    for page in ["/followups", "/followups/mine", "/join", "/projector"] {
        let (status, html) = office.ask("GET", page, None, "");
        assert_eq!(status, 200, "{page}");
        assert!(html.contains("<script type=\"module\""), "{page}");
    }
    assert_eq!(office.ask("GET", "/healthz", None, "").0, 200);
    drop(serve);
}

/// A client that opens a connection and never finishes its request holds it for
/// the header timeout at most, and nobody else waits on it meanwhile.
#[test]
fn a_slow_client_is_let_go_and_holds_nobody_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    xieshang::office::Office::open(&db).unwrap();
    let office = Office::start(&db, &[]);
    let mut slow = TcpStream::connect(("127.0.0.1", office.port)).unwrap();
    write!(slow, "GET /followups HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    // Others are served meanwhile.
    for _ in 0..20 {
        assert_eq!(
            office.ask("GET", "/followups/api/dashboard", None, "").0,
            200
        );
    }
    let started = Instant::now();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(15),
        "the slow connection was closed after {took:?}"
    );
}

/// A connection to 127.0.0.1:`port` from `source` (another loopback address:
/// another client as the server counts them).
fn connect_from(source: &str, port: u16) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
        socket.connect(([127, 0, 0, 1], port).into()).await.unwrap()
    });
    let stream = stream.into_std().unwrap();
    stream.set_nonblocking(false).unwrap();
    stream
}

/// The status of the answer to what was written on `s`, waiting `within` at most.
fn status_within(s: &mut TcpStream, within: Duration) -> Option<u16> {
    s.set_read_timeout(Some(within)).unwrap();
    let mut head = [0u8; 12];
    let mut got = 0;
    while got < head.len() {
        match s.read(&mut head[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    std::str::from_utf8(&head[..got])
        .ok()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A POST announcing a 64 KiB intent, of which it sends one byte (in one
/// write: a server may answer and close as soon as it has the headers, and a
/// refused connection may be closed before it is read).
fn slow_post(s: &mut TcpStream, token: Option<&str>) {
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!(
        "POST /followups/api/items/x HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: 65536\r\n\r\n{{"
    );
    let _ = s.write_all(request.as_bytes());
}

/// Issue 35 (4): 530 requests from one address, each announcing a body it
/// sends a byte at a time, with and without a token, lock nobody else out:
/// another address is answered at once, a stranger is answered 401 without its
/// body being waited for, and one address holds no more than its share.
#[test]
fn slow_bodies_from_one_address_lock_nobody_else_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path());
    let office = Office::start(&db, &[]);
    let keys = tokens(&db);
    let token = keys.values().next().unwrap().clone();
    let mut slow = Vec::new();
    for i in 0..530 {
        let mut s = TcpStream::connect(("127.0.0.1", office.port)).unwrap();
        slow_post(&mut s, (i % 2 == 0).then_some(token.as_str()));
        slow.push(s);
    }
    // Another address is answered at once.
    let started = Instant::now();
    let mut other = connect_from("127.0.0.2", office.port);
    write!(
        other,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let status = status_within(&mut other, Duration::from_secs(5));
    let took = started.elapsed();
    assert_eq!(status, Some(200), "/healthz from another address");
    assert!(took < Duration::from_millis(100), "answered after {took:?}");
    // A stranger is told 401 without sending the body it announced.
    let mut stranger = connect_from("127.0.0.2", office.port);
    slow_post(&mut stranger, Some("not-a-token"));
    assert_eq!(
        status_within(&mut stranger, Duration::from_secs(1)),
        Some(401)
    );
    // The address that holds its share is told so, at once.
    let last = slow.last_mut().unwrap();
    assert_eq!(status_within(last, Duration::from_secs(1)), Some(503));
}

/// A register of one item, asked by 马文静 of 市房管局.
pub fn one_item(db: &Path) -> xieshang::office::Office {
    use xieshang::meeting::followups::{item, rules, Date};
    let mut register = xieshang::office::Office::open(db).unwrap();
    let origin = item::Origin {
        meeting: "会商监督".into(),
        journal_id: "m1".into(),
        journal: "m.journal".into(),
        date: Date::parse("2026-11-19").unwrap(),
        seq: 40,
        question: "q1".into(),
        text: "何时办结？".into(),
        asker: item::Asker {
            participant: "m01".into(),
            name: "马文静".into(),
            role: "member".into(),
            sector: None,
            person: None,
        },
        said: None,
        topic: None,
    };
    let made = rules::create(
        rules::NewItem {
            id: "m1/q1".into(),
            origin,
            department: ("fg".into(), "市房管局".into()),
            promise: "会后书面答复".into(),
            unanswered: false,
            due: None,
        },
        1_796_500_000_000,
    );
    register
        .insert_items(&[made], &super::store::secretariat())
        .unwrap();
    register
}

/// [`one_item`]'s register, as a file for the server to open.
fn one_item_file(dir: &Path) -> PathBuf {
    let db = dir.join("register.db");
    drop(one_item(&db));
    db
}

/// The office's front served in this process on 127.0.0.1 (its port and the
/// runtime it runs on), with a body deadline of `body_timeout`.
fn in_process(
    db: &Path,
    body_timeout: Duration,
) -> (
    u16,
    tokio::runtime::Runtime,
    tokio::sync::oneshot::Sender<()>,
) {
    let mut front = xieshang::office::http::Front::open(one_item(db), None, 8 * 3600).unwrap();
    front.body_timeout = body_timeout;
    let app = xieshang::office::site::site(std::sync::Arc::new(front));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    runtime.spawn(xieshang::office::port::serve(
        listener,
        app,
        async move {
            let _ = stopped.await;
        },
        xieshang::office::port::Limits::default(),
    ));
    (port, runtime, stop)
}

/// The body of a request whose token is good must come within the deadline:
/// one that stops after a byte is answered 408 and its connection let go.

#[test]
fn a_body_that_takes_too_long_is_answered_408() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let (port, _runtime, _stop) = in_process(&db, Duration::from_millis(500));
    let token = tokens(&db).values().next().unwrap().clone();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let started = Instant::now();
    slow_post(&mut s, Some(&token));
    assert_eq!(status_within(&mut s, Duration::from_secs(5)), Some(408));
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(500) && took < Duration::from_secs(2),
        "{took:?}"
    );
    // And the connection is let go.
    let mut rest = Vec::new();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let _ = s.read_to_end(&mut rest);
    assert!(started.elapsed() < Duration::from_secs(3));
}

/// `GET path` over TLS on 127.0.0.1:`port`, trusting `ca`: the whole answer.
async fn https_get(port: u16, ca: &Path, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = xieshang::tls::client(Some(ca)).unwrap();
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let name = rustls_pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let mut tls = tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .expect("the handshake succeeds with the office's certificate trusted");
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    let _ = tls.read_to_string(&mut answer).await;
    answer
}

/// Issue 35 (7): `followups serve --tls-self-signed` speaks https only: its
/// links and the cards' command are https, a client trusting the certificate
/// made beside the register reads the dashboard, and plain http to the port is
/// sent to https without a byte of the register.
#[test]
fn the_office_serves_https_with_a_certificate_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let db = one_item_file(dir.path());
    let office = Office::serving(&db, &[], &["--tls-self-signed"]);
    let first = office.said.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "followups: https://127.0.0.1:{}/followups",
            office.port
        )),
        "{}",
        office.said
    );
    assert!(
        office.said.contains(&format!(
            "cards --base-url https://127.0.0.1:{}",
            office.port
        )),
        "{}",
        office.said
    );
    let ca = xieshang::tls::self_signed_paths(&db).0;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let health = runtime.block_on(https_get(office.port, &ca, "/healthz"));
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let dash = runtime.block_on(https_get(office.port, &ca, "/followups/api/dashboard"));
    assert!(dash.starts_with("HTTP/1.1 200"), "{dash}");
    assert!(dash.contains("何时办结"), "{dash}");
    // Plain http: sent to https, none of the register in the answer.
    let (status, body) = office.ask("GET", "/followups/api/dashboard", None, "");
    assert_eq!(status, 308, "{body}");
    assert!(!body.contains("何时办结"), "{body}");
    let mut s = TcpStream::connect(("127.0.0.1", office.port)).unwrap();
    write!(
        s,
        "GET /followups/api/dashboard HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        office.port
    )
    .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(
        answer.contains(&format!(
            "location: https://127.0.0.1:{}/followups/api/dashboard",
            office.port
        )),
        "{answer}"
    );
    // It stops on SIGTERM with a client that has not begun its handshake.
    let _silent = TcpStream::connect(("127.0.0.1", office.port)).unwrap();
    let mut office = office;
    let child = office.child.as_mut().unwrap();
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "still running");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}
