//! A public server attacked from outside, with a participant's token and with none:
//! hellos that cost nothing to refuse, closes that follow RFC 6455 §7 (the client
//! reads why it was closed, never a reset), connections bounded in total and per
//! address, plain HTTP answered, numbers from clients checked as ranges.

use crate::common::meeting::{ok, quick, refused, Meeting};
use futures_util::{SinkExt, StreamExt};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{Command, TimerName};
use xieshang::protocol::ErrorCode;
use xieshang::server::{Config, Tokens};

fn addr(m: &Meeting) -> String {
    m.url
        .trim_start_matches("ws://")
        .trim_end_matches("/ws")
        .to_string()
}

/// An HTTP request over a new connection; the whole answer.
async fn http(m: &Meeting, request: &str) -> String {
    let mut s = TcpStream::connect(addr(m)).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
}

#[tokio::test]
async fn plain_http_is_answered_on_the_meetings_port() {
    let m = Meeting::start(quick()).await;
    let page = http(&m, &get("/")).await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        page.contains("测试会议"),
        "the page names the meeting: {page}"
    );
    assert!(page.contains("x-content-type-options: nosniff"), "{page}");
    assert!(page.contains("referrer-policy: no-referrer"), "{page}");
    assert!(page.contains("frame-ancestors 'none'"), "{page}");
    let health = http(&m, &get("/healthz")).await;
    assert!(
        health.starts_with("HTTP/1.1 200") && health.ends_with("ok seq=0\n"),
        "{health}"
    );
    let not_upgrade = http(&m, &get("/ws")).await;
    assert!(not_upgrade.starts_with("HTTP/1.1 426"), "{not_upgrade}");
    assert!(not_upgrade.contains("upgrade: websocket"), "{not_upgrade}");
    assert!(http(&m, &get("/nothing-here"))
        .await
        .starts_with("HTTP/1.1 404"));
    let post = http(
        &m,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    let junk = http(&m, "\x16\x03\x01 not http at all\r\n\r\n").await;
    assert!(
        junk.starts_with("HTTP/1.1 400"),
        "never an empty reply: {junk:?}"
    );
    // A websocket client still gets the meeting on the same port.
    let mut chair = m.join("chair").await;
    ok(&mut chair, Command::StartMeeting).await;
    let health = http(&m, &get("/healthz")).await;
    assert!(
        health.ends_with(&format!("ok seq={}\n", m.hub.seq())),
        "{health}"
    );
    assert!(m.hub.seq() >= 2, "the meeting's start is counted");
}

#[test]
fn a_long_wrong_token_costs_the_same_as_a_short_one_whatever_the_plan() {
    let mut text = String::from(crate::common::PLAN);
    for i in 0..5_000 {
        text.push_str(&format!(
            "\n[[participants]]\nid = \"r{i}\"\nname = \"居民{i}\"\nrole = \"public\"\n"
        ));
    }
    // (participants after [[agenda]] belong to the file all the same)
    let plan = parse_plan("big.toml", &text).unwrap();
    let tokens = Tokens::generated(&plan).unwrap();
    let long = "x".repeat(60_000);
    let started = Instant::now();
    for _ in 0..1_000 {
        assert!(tokens.find(&long).is_none());
        assert!(tokens.find("0123456789abcdef0123456789abcdef").is_none());
    }
    // Comparing against every token took 0.22 s for one such hello.
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "2,000 wrong hellos took {:?}",
        started.elapsed()
    );
    let (token, you) = tokens.all().pop().unwrap();
    assert_eq!(tokens.find(&token).unwrap().id, you.id);
}

/// The frames a raw websocket client receives until the server's close; the close
/// code, and whether the connection then ended cleanly (FIN, not a reset).
async fn until_close(ws: &mut Raw) -> (Vec<String>, Option<u16>) {
    let mut texts = Vec::new();
    loop {
        let (opcode, payload) = ws.read_frame().await.expect("a close frame, not a reset");
        match opcode {
            1 => texts.push(String::from_utf8(payload).unwrap()),
            8 => {
                let code =
                    (payload.len() >= 2).then(|| u16::from_be_bytes([payload[0], payload[1]]));
                return (texts, code);
            }
            _ => {}
        }
    }
}

/// A websocket client that writes frames byte by byte, good or bad.
struct Raw {
    s: TcpStream,
}

impl Raw {
    async fn open(m: &Meeting) -> Raw {
        let mut s = TcpStream::connect(addr(m)).await.unwrap();
        s.write_all(b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").await.unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            head.push(s.read_u8().await.unwrap());
        }
        let head = String::from_utf8(head).unwrap();
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        assert!(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "{head}");
        Raw { s }
    }

    async fn hello(m: &Meeting, who: &str) -> Raw {
        let mut raw = Raw::open(m).await;
        let hello = format!(
            r#"{{"type":"hello","protocol":1,"token":"{}"}}"#,
            m.tokens[who]
        );
        raw.send(0x81, hello.as_bytes(), true).await;
        let (_, welcome) = raw.read_frame().await.unwrap();
        assert!(String::from_utf8_lossy(&welcome).contains("welcome"));
        raw
    }

    /// One frame: `first` is FIN, RSV and opcode; masked unless told not to.
    async fn send(&mut self, first: u8, payload: &[u8], masked: bool) {
        let mut f = vec![first];
        let mask_bit = if masked { 0x80 } else { 0 };
        match payload.len() {
            n if n < 126 => f.push(mask_bit | n as u8),
            n if n < 65536 => {
                f.push(mask_bit | 126);
                f.extend((n as u16).to_be_bytes());
            }
            n => {
                f.push(mask_bit | 127);
                f.extend((n as u64).to_be_bytes());
            }
        }
        let key = [0x37, 0xfa, 0x21, 0x3d];
        if masked {
            f.extend(key);
            f.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
        } else {
            f.extend(payload);
        }
        self.s.write_all(&f).await.unwrap();
    }

    async fn read_frame(&mut self) -> std::io::Result<(u8, Vec<u8>)> {
        let mut h = [0u8; 2];
        self.s.read_exact(&mut h).await?;
        let len = match h[1] & 0x7f {
            126 => self.s.read_u16().await? as usize,
            127 => self.s.read_u64().await? as usize,
            n => n as usize,
        };
        let mut payload = vec![0; len];
        self.s.read_exact(&mut payload).await?;
        Ok((h[0] & 0x0f, payload))
    }

    /// Answers the server's close and reads to the end: true when the server
    /// then ended the connection cleanly.
    async fn ends_cleanly(&mut self) -> bool {
        self.send(0x88, &1000u16.to_be_bytes(), true).await;
        let mut rest = Vec::new();
        matches!(
            tokio::time::timeout(Duration::from_secs(3), self.s.read_to_end(&mut rest)).await,
            Ok(Ok(_))
        )
    }
}

#[tokio::test]
async fn a_flood_reads_its_rate_limited_errors_then_the_1008_close_not_a_reset() {
    let m = Meeting::start(Config::default()).await;
    let mut ws = Raw::hello(&m, "m01").await;
    let intent = br#"{"type":"intent","id":"f","action":{"kind":"withdraw_hand"}}"#;
    for _ in 0..3_000 {
        ws.send(0x81, intent, true).await;
    }
    let (texts, code) = until_close(&mut ws).await;
    let limited = texts.iter().filter(|t| t.contains("rate_limited")).count();
    assert!(
        limited >= 20,
        "{limited} rate_limited errors of {}",
        texts.len()
    );
    assert_eq!(code, Some(1008));
    assert!(ws.ends_cleanly().await);
}

#[tokio::test]
async fn a_clients_close_is_answered() {
    let m = Meeting::start(quick()).await;
    let mut ws = Raw::hello(&m, "m01").await;
    ws.send(0x88, &[0x03, 0xe8, b'b', b'y', b'e'], true).await;
    let (_, code) = until_close(&mut ws).await;
    assert_eq!(code, Some(1000));
}

#[tokio::test]
async fn protocol_violations_are_closed_with_their_codes() {
    let m = Meeting::start(quick()).await;
    let cases: [(&str, u8, &[u8], bool, u16); 6] = [
        (
            "text that is not UTF-8",
            0x81,
            &[0xff, 0xfe, 0xfd],
            true,
            1007,
        ),
        ("RSV bits set", 0xc1, b"{}", true, 1002),
        (
            "an unmasked frame",
            0x81,
            br#"{"type":"sync"}"#,
            false,
            1002,
        ),
        ("a reserved opcode", 0x83, b"x", true, 1002),
        (
            "a close code that may not be sent",
            0x88,
            &[0x03, 0xed],
            true,
            1002,
        ),
        ("a fragment with nothing before it", 0x80, b"x", true, 1002),
    ];
    for (what, first, payload, masked, expected) in cases {
        let mut ws = Raw::hello(&m, "m01").await;
        ws.send(first, payload, masked).await;
        let (_, code) = until_close(&mut ws).await;
        assert_eq!(code, Some(expected), "{what}");
        assert!(ws.ends_cleanly().await, "{what}");
    }
    // The same before the hello.
    let mut ws = Raw::open(&m).await;
    ws.send(0x81, &[0xc3, 0x28], true).await;
    assert_eq!(until_close(&mut ws).await.1, Some(1007));
}

#[tokio::test]
async fn bad_hellos_are_told_why_before_the_close() {
    let m = Meeting::start(quick()).await;
    let cases: Vec<(String, &str, u16)> = vec![
        ("x".repeat(70 * 1024), "too_large", 1009),
        ("not json".into(), "bad_hello", 4002),
        (r#"{"type":"sync"}"#.into(), "hello_expected", 4002),
        (r#"{"type":"hello","protocol":1}"#.into(), "bad_hello", 4002),
        (
            format!(
                r#"{{"type":"hello","protocol":1,"token":"{}"}}"#,
                "y".repeat(60_000)
            ),
            "token_too_long",
            4001,
        ),
        (
            r#"{"type":"hello","protocol":1,"token":"guess"}"#.into(),
            "unknown_token",
            4001,
        ),
        (
            r#"{"type":"hello","protocol":7,"token":"guess"}"#.into(),
            "unsupported_protocol",
            4003,
        ),
    ];
    for (hello, reason, close) in cases {
        let mut ws = Raw::open(&m).await;
        ws.send(0x81, hello.as_bytes(), true).await;
        let (texts, code) = until_close(&mut ws).await;
        assert!(
            texts.iter().any(|t| t.contains(reason)),
            "{reason}: {texts:?}"
        );
        assert_eq!(code, Some(close), "{reason}");
    }
}

#[tokio::test]
async fn strangers_are_bounded_per_address_and_connections_in_all() {
    let m = Meeting::start(Config {
        max_strangers_per_address: 3,
        ..quick()
    })
    .await;
    let mut waiting = Vec::new();
    for _ in 0..3 {
        waiting.push(TcpStream::connect(addr(&m)).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let refused = http(&m, &get("/healthz")).await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("Retry-After"), "{refused}");
    drop(waiting.pop());
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A participant who says hello no longer counts against the address.
    let _member = m.join("m01").await;
    let page = http(&m, &get("/healthz")).await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");

    let m = Meeting::start(Config {
        max_connections: 2,
        ..quick()
    })
    .await;
    let _a = m.join("m01").await;
    let _b = m.join("m02").await;
    let full = http(&m, &get("/")).await;
    assert!(full.starts_with("HTTP/1.1 503"), "{full}");
    let limit = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    assert_eq!(
        limit.0, limit.1,
        "the server raised its descriptor limit to the hard one"
    );
}

#[tokio::test]
async fn an_idle_connection_that_never_sends_a_request_is_let_go() {
    let m = Meeting::start(Config {
        http_timeout: Duration::from_millis(300),
        ..quick()
    })
    .await;
    let mut idle = TcpStream::connect(addr(&m)).await.unwrap();
    let mut rest = Vec::new();
    let gone = tokio::time::timeout(Duration::from_secs(3), idle.read_to_end(&mut rest)).await;
    assert!(gone.is_ok(), "still held after 3 s");
}

#[tokio::test]
async fn numbers_from_clients_are_ranges() {
    let m = Meeting::start(quick()).await;
    let mut chair = m.join("chair").await;
    ok(&mut chair, Command::StartMeeting).await;
    ok(
        &mut chair,
        Command::GrantFloor {
            participant: Some("m01".into()),
        },
    )
    .await;
    for seconds in [i64::MIN, i64::MAX, -86_401, 86_401, 0] {
        let extend = Command::ExtendTimer {
            timer: TimerName::Floor,
            seconds,
        };
        assert_eq!(
            refused(&mut chair, extend).await,
            ErrorCode::BadRequest,
            "{seconds}"
        );
    }
    for seconds in [-86_400, 86_400] {
        ok(
            &mut chair,
            Command::ExtendTimer {
                timer: TimerName::Step,
                seconds,
            },
        )
        .await;
    }
    let far = Command::GotoStep {
        item: usize::MAX,
        step: usize::MAX,
    };
    match chair.intent(far).await.unwrap() {
        Err((ErrorCode::NotFound, message)) => {
            assert!(message.contains("18446744073709551616"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // Numbers that are not numbers of the field's type are bad requests.
    for bad in [
        r#"{"type":"intent","id":"n1","action":{"kind":"goto_step","item":-1,"step":0}}"#,
        r#"{"type":"intent","id":"n2","action":{"kind":"extend_timer","timer":"floor","seconds":1e40}}"#,
        r#"{"type":"intent","id":"n3","action":{"kind":"queue_move","participant":"m01","position":18446744073709551616}}"#,
    ] {
        chair.send_text(bad.to_string()).await.unwrap();
        loop {
            if let xieshang::protocol::ServerFrame::Error { code, id, .. } =
                chair.next().await.unwrap()
            {
                assert_eq!(code, ErrorCode::BadRequest, "{bad}");
                assert!(id.is_some(), "the id is kept: {bad}");
                break;
            }
        }
    }
}

#[tokio::test]
async fn the_same_tokens_work_through_a_real_websocket_library() {
    // tokio-tungstenite, as a third-party client would use it.
    let m = Meeting::start(quick()).await;
    let (mut ws, response) = tokio_tungstenite::connect_async(&m.url).await.unwrap();
    assert_eq!(response.status(), 101);
    let hello = format!(
        r#"{{"type":"hello","protocol":1,"token":"{}"}}"#,
        m.tokens["o01"]
    );
    ws.send(Message::text(hello)).await.unwrap();
    let Some(Ok(Message::Text(welcome))) = ws.next().await else {
        panic!("no welcome")
    };
    assert!(welcome.contains("\"welcome\""));
    ws.close(None).await.unwrap();
    while let Some(Ok(_)) = ws.next().await {}
}

#[test]
fn out_of_descriptors_the_server_still_refuses_cleanly_and_recovers() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, crate::common::PLAN).unwrap();
    let journal = dir.path().join("m.journal");
    // 100 descriptors in all (soft and hard): room for 36 connections.
    let mut server = std::process::Command::new("sh")
        .args([
            "-c",
            &format!(
                "ulimit -n 100 && exec {} serve {} --listen 127.0.0.1:0 --journal {}",
                env!("CARGO_BIN_EXE_xieshang"),
                plan.display(),
                journal.display()
            ),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(server.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("ws://"))
        .unwrap()
        .to_string();
    let address = url
        .trim_start_matches("ws://")
        .trim_end_matches("/ws")
        .to_string();
    let mut held: Vec<std::net::TcpStream> = (0..60)
        .map(|_| std::net::TcpStream::connect(&address).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let mut refused = 0;
    held.retain_mut(|s| {
        s.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 512];
        match s.read(&mut buf) {
            Ok(n) if n > 0 => {
                assert!(
                    buf.starts_with(b"HTTP/1.1 503"),
                    "{}",
                    String::from_utf8_lossy(&buf[..n])
                );
                refused += 1;
                false
            }
            Ok(_) => panic!("a connection closed without a word"),
            Err(_) => true,
        }
    });
    assert!(refused >= 20, "{refused} refused of 60");
    assert!(held.len() <= 36, "{} held", held.len());
    // Whoever holds a place without a request is let go in time; meanwhile the
    // places freed by those who leave are there for a participant.
    held.truncate(held.len() - 5);
    std::thread::sleep(Duration::from_millis(200));
    let tokens: std::collections::BTreeMap<String, String> = serde_json::from_slice(
        &std::fs::read(xieshang::server::tokens::path_for(&journal)).unwrap(),
    )
    .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = xieshang::client::Client::connect(&url, &tokens["m01"], None).await;
        assert!(client.is_ok(), "{:?}", client.err());
    });
    let mut probe = std::net::TcpStream::connect(&address).unwrap();
    probe
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    probe.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 "),
        "never an empty reply: {answer:?}"
    );
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test]
async fn http2_spoken_with_prior_knowledge_is_answered_400() {
    let m = Meeting::start(quick()).await;
    let preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let answer = http(&m, preface).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:?}");
    assert!(answer.contains("HTTP/2"), "it says why: {answer}");
    // And HTTP/1.1 still works after it.
    assert!(http(&m, &get("/healthz")).await.starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn a_silent_connection_to_a_tls_port_is_let_go_at_the_http_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let tls =
        xieshang::tls::self_signed(&dir.path().join("t.journal"), &["127.0.0.1".into()]).unwrap();
    let m = Meeting::start(Config {
        http_timeout: Duration::from_millis(600),
        tls: Some(tls),
        ..quick()
    })
    .await;
    let started = Instant::now();
    let mut silent = TcpStream::connect(addr(&m)).await.unwrap();
    let mut rest = Vec::new();
    let gone = tokio::time::timeout(Duration::from_secs(3), silent.read_to_end(&mut rest)).await;
    assert!(gone.is_ok(), "still held after 3 s");
    let took = started.elapsed();
    // The first byte and the handshake share one deadline (they had one each).
    assert!(took < Duration::from_millis(1_100), "let go after {took:?}");
}

#[tokio::test]
async fn an_unknown_field_on_any_action_is_a_bad_request() {
    let m = Meeting::start(quick()).await;
    let mut chair = m.join("chair").await;
    ok(&mut chair, Command::StartMeeting).await;
    for bad in [
        r#"{"type":"intent","id":"u1","action":{"kind":"withdraw_hand","mode":"normal"}}"#,
        r#"{"type":"intent","id":"u2","action":{"kind":"next_step","steps":2}}"#,
        r#"{"type":"intent","id":"u3","action":{"kind":"close_meeting","force":true}}"#,
        r#"{"type":"intent","id":"u4","action":{"kind":"raise_hand","mdoe":"reply"}}"#,
    ] {
        chair.send_text(bad.to_string()).await.unwrap();
        loop {
            if let xieshang::protocol::ServerFrame::Error {
                code, id, message, ..
            } = chair.next().await.unwrap()
            {
                assert_eq!(code, ErrorCode::BadRequest, "{bad}");
                assert!(id.is_some(), "the id is kept: {bad}");
                assert!(message.contains("unknown field"), "{bad}: {message}");
                break;
            }
        }
    }
    assert_eq!(
        chair.state.status,
        xieshang::meeting::state::Status::Running,
        "nothing was done"
    );
}
