//! A `xieshang serve` child process (release build), or a Node `ws` broadcast
//! server, and the clients the load benchmarks connect to it.
#![allow(dead_code)]

use futures_util::{SinkExt, StreamExt};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use tokio_tungstenite::tungstenite::Message;

pub struct Server {
    pub child: Child,
    pub url: String,
    /// With TLS: the client config that trusts the server's self-signed certificate.
    pub tls: Option<std::sync::Arc<rustls::ClientConfig>>,
}

impl Server {
    pub fn xieshang(plan: &Path, journal: &Path) -> Server {
        Server::xieshang_with(plan, journal, &[])
    }

    /// With `--tls-self-signed`: a `wss://` server, and a config that trusts it.
    pub fn xieshang_tls(plan: &Path, journal: &Path) -> Server {
        let mut server = Server::xieshang_with(plan, journal, &["--tls-self-signed"]);
        let (cert, _) = xieshang::tls::self_signed_paths(journal);
        server.tls = Some(xieshang::tls::client(Some(&cert)).expect("the server's certificate"));
        server
    }

    pub fn xieshang_with(plan: &Path, journal: &Path, extra: &[&str]) -> Server {
        let mut args = vec![
            "serve".to_string(),
            plan.display().to_string(),
            "--listen".into(),
            "127.0.0.1:0".into(),
            "--journal".into(),
            journal.display().to_string(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        Server::xieshang_args(&args)
    }

    /// `xieshang ARGS…`, which prints its websocket URL on its first line.
    pub fn xieshang_args(args: &[String]) -> Server {
        let older = std::env::var("FANOUT_BIN").ok();
        let bin = older.unwrap_or_else(|| env!("CARGO_BIN_EXE_xieshang").to_string());
        let mut args = args.to_vec();
        if matches!(args[0].as_str(), "serve" | "relay")
            && !args.iter().any(|a| a == "--max-per-address")
            && bounds_addresses(&bin, &args[0])
        {
            // Every client of a load test comes from loopback, as from behind a
            // proxy: no bound per address. (An older build given in FANOUT_BIN
            // has it too, unless it is from before there was one: left with its
            // bound of 1,000, it would refuse most clients and be measured with
            // a tenth of them.)
            args.extend(["--max-per-address".into(), "0".into()]);
        }
        Server::program(&bin, &args)
    }

    /// `BIN ARGS…` (a build of xieshang), which prints its websocket URL first.
    pub fn program(bin: &str, args: &[String]) -> Server {
        println!("server: {bin} {}", args[0]);
        let mut child = Command::new(bin)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = first_url(&mut child);
        Server {
            child,
            url,
            tls: None,
        }
    }

    pub fn node(dir: &Path) -> Option<Server> {
        Server::node_with(dir, None)
    }

    /// Node's `ws` over TLS with xieshang's certificate beside `journal` (made by
    /// a xieshang server run with `--tls-self-signed` first).
    pub fn node_tls(dir: &Path, journal: &Path) -> Option<Server> {
        let (cert, key) = xieshang::tls::self_signed_paths(journal);
        let mut server = Server::node_with(dir, Some((&cert, &key)))?;
        server.tls = Some(xieshang::tls::client(Some(&cert)).expect("the certificate"));
        Some(server)
    }

    fn node_with(dir: &Path, tls: Option<(&Path, &Path)>) -> Option<Server> {
        let ok = Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "ws@8"])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
        let script = dir.join("node-broadcast.js");
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/benches/fanout/node-broadcast.js"
            ),
            &script,
        )
        .ok()?;
        let mut child = Command::new("node")
            .arg(&script)
            .arg("0")
            .args(tls.iter().flat_map(|(c, k)| [c.as_os_str(), k.as_os_str()]))
            .current_dir(dir)
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let url = first_url(&mut child);
        Some(Server {
            child,
            url,
            tls: None,
        })
    }

    pub fn rss_kib(&self) -> u64 {
        rss_kib_of(self.child.id())
    }

    pub fn cpu_ticks(&self) -> u64 {
        cpu_ticks_of(self.child.id())
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    /// A server ends with its measurement, never left running under the next one.
    fn drop(&mut self) {
        self.stop();
    }
}

/// A process's resident memory (`VmRSS` in /proc/PID/status), in KiB.
pub fn rss_kib_of(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// A process's CPU so far, user and system (`utime + stime` in /proc/PID/stat),
/// in clock ticks of 10 ms.
pub fn cpu_ticks_of(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let field = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok());
    field(11).unwrap_or(0) + field(12).unwrap_or(0)
}

/// Whether `bin`'s `command` takes `--max-per-address`.
fn bounds_addresses(bin: &str, command: &str) -> bool {
    Command::new(bin)
        .args([command, "--help"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("--max-per-address"))
}

/// The URL the server prints first; the rest of what it prints (a line per
/// participant) is read and dropped, so a large plan never fills the pipe.
pub fn first_url(child: &mut Child) -> String {
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("ws://") || w.starts_with("wss://"))
        .expect("the server prints its URL");
    url.trim_end_matches('/').to_string()
}

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn join(url: &str, token: &str) -> Ws {
    let (ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connect");
    hello(ws, token).await
}

/// As [`join`], from the loopback address `source` (127.0.0.2, …): one source
/// address has about 28,000 ephemeral ports, so more clients than that of one
/// server come from several.
pub async fn join_from(url: &str, token: &str, source: std::net::Ipv4Addr) -> Ws {
    let address = url
        .trim_start_matches("ws://")
        .trim_end_matches("/ws")
        .parse::<std::net::SocketAddr>()
        .expect("a ws://IP:PORT URL");
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind((source, 0).into())
        .expect("bind the source address");
    let tcp = socket.connect(address).await.expect("connect");
    let (ws, _) =
        tokio_tungstenite::client_async(url, tokio_tungstenite::MaybeTlsStream::Plain(tcp))
            .await
            .expect("upgrade");
    hello(ws, token).await
}

async fn hello(mut ws: Ws, token: &str) -> Ws {
    let hello = format!(r#"{{"type":"hello","protocol":1,"token":"{token}"}}"#);
    ws.send(Message::text(hello)).await.unwrap();
    loop {
        if let Some(Ok(Message::Text(t))) = ws.next().await {
            if t.contains(r#""type":"welcome""#) {
                return ws;
            }
        }
    }
}

/// The `seq` of an event frame, found without parsing the whole frame.
pub fn event_seq(text: &str) -> Option<u64> {
    if !text.starts_with(r#"{"type":"event""#) {
        return None;
    }
    let rest = &text[text.find(r#""seq":"#)? + 6..];
    rest[..rest.find(|c: char| !c.is_ascii_digit())?]
        .parse()
        .ok()
}

pub async fn connect_many(url: &str, token: &str, n: usize) -> Vec<Ws> {
    let mut all = Vec::with_capacity(n);
    let mut pending = futures_util::stream::iter(0..n)
        .map(|_| join(url, token))
        .buffer_unordered(256);
    while let Some(ws) = pending.next().await {
        all.push(ws);
    }
    all
}

/// The size of the welcome a client of `token` is sent.
pub async fn welcome_bytes(url: &str, token: &str) -> usize {
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connect");
    let hello = format!(r#"{{"type":"hello","protocol":1,"token":"{token}"}}"#);
    ws.send(Message::text(hello)).await.unwrap();
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if t.contains(r#""type":"welcome""#) => return t.len(),
            Some(Ok(_)) => {}
            other => panic!("no welcome: {other:?}"),
        }
    }
}

/// A client as light as can be, for counting the server's memory: a raw TCP
/// connection (over TLS when `tls` is given) that upgrades, says hello, reads (and
/// drops) its welcome, and then only answers pings, so the server keeps it; the
/// welcome's size is returned.
pub async fn idle_client(
    url: &str,
    token: &str,
    tls: Option<&std::sync::Arc<rustls::ClientConfig>>,
) -> (tokio::task::JoinHandle<()>, usize) {
    let address = url
        .trim_start_matches("wss://")
        .trim_start_matches("ws://")
        .trim_end_matches("/ws");
    let tcp = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    match tls {
        None => idle_on(tcp, token).await,
        Some(config) => {
            let name = rustls_pki_types::ServerName::try_from("127.0.0.1").unwrap();
            let stream = tokio_rustls::TlsConnector::from(config.clone())
                .connect(name, tcp)
                .await
                .expect("a TLS handshake");
            idle_on(stream, token).await
        }
    }
}

async fn idle_on<S>(mut s: S, token: &str) -> (tokio::task::JoinHandle<()>, usize)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    s.write_all(b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").await.unwrap();
    // Over TLS, what is written may wait in the session until flushed.
    s.flush().await.unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        head.push(s.read_u8().await.unwrap());
    }
    assert!(
        head.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    let hello = format!(r#"{{"type":"hello","protocol":1,"token":"{token}"}}"#);
    s.write_all(&masked(0x81, hello.as_bytes())).await.unwrap();
    s.flush().await.unwrap();
    let (opcode, len) = frame_head(&mut s).await.unwrap();
    assert_eq!(opcode, 1, "a text frame, the welcome");
    skip(&mut s, len).await.unwrap();
    let task = tokio::spawn(async move {
        while let Ok((opcode, len)) = frame_head(&mut s).await {
            let mut payload = vec![0; len];
            if s.read_exact(&mut payload).await.is_err() {
                return;
            }
            if opcode == 9 {
                if s.write_all(&masked(0x8a, &payload)).await.is_err() {
                    return;
                }
                let _ = s.flush().await;
            }
        }
    });
    (task, len)
}

/// A frame a client sends: masked, as RFC 6455 requires of clients.
pub fn masked(first: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![first];
    match payload.len() {
        n if n < 126 => f.push(0x80 | n as u8),
        n => {
            f.push(0x80 | 126);
            f.extend((n as u16).to_be_bytes());
        }
    }
    let key = [1u8, 2, 3, 4];
    f.extend(key);
    f.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
    f
}

async fn frame_head<S: tokio::io::AsyncRead + Unpin>(s: &mut S) -> std::io::Result<(u8, usize)> {
    use tokio::io::AsyncReadExt;
    let mut h = [0u8; 2];
    s.read_exact(&mut h).await?;
    let len = match h[1] & 0x7f {
        126 => s.read_u16().await? as usize,
        127 => s.read_u64().await? as usize,
        n => n as usize,
    };
    Ok((h[0] & 0x0f, len))
}

async fn skip<S: tokio::io::AsyncRead + Unpin>(s: &mut S, mut len: usize) -> std::io::Result<()> {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 4096];
    while len > 0 {
        let n = s.read(&mut buf[..len.min(4096)]).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        len -= n;
    }
    Ok(())
}
