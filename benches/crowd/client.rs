//! The crowd's clients: as light as a websocket client can be, so that a hundred
//! thousand of them fit beside the server on one machine. Each connects from one of
//! several loopback source addresses (10,000 each: see [`PER_SOURCE`]), upgrades,
//! says hello, waits for its welcome, answers pings, and notes when each
//! `question_submitted` event arrives on a shared board.

use crate::server::masked;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpSocket;

/// Clients per loopback source address. A port bound before connecting comes
/// from half the ephemeral range (Linux keeps the other half for `connect`), about
/// 14,000 ports; past that every bind searches the whole range, and 20,000 from
/// one address took 35–46 s to join where 10,000 took one.
pub const PER_SOURCE: usize = 10_000;

/// What the clients of one run report.
pub struct Board {
    pub base: Instant,
    pub events: usize,
    pub welcomed: AtomicUsize,
    /// Refused, reset, or never welcomed.
    pub failed: AtomicUsize,
    /// Of those: no connection made (the listen queue full for a minute, or no
    /// descriptor), and answered with something other than the upgrade (a 503).
    pub unconnected: AtomicUsize,
    pub not_upgraded: AtomicUsize,
    /// Nanoseconds after `base` the last client was welcomed.
    pub last_welcome_ns: AtomicU64,
    /// How many clients have each event (by the order it arrived in).
    pub got: Vec<AtomicUsize>,
    /// Per client and event: nanoseconds after `base`, plus one (0: not arrived).
    pub arrivals: Vec<AtomicU64>,
}

impl Board {
    pub fn new(clients: usize, events: usize) -> Arc<Board> {
        Arc::new(Board {
            base: Instant::now(),
            events,
            welcomed: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            unconnected: AtomicUsize::new(0),
            not_upgraded: AtomicUsize::new(0),
            last_welcome_ns: AtomicU64::new(0),
            got: (0..events).map(|_| AtomicUsize::new(0)).collect(),
            arrivals: (0..clients * events).map(|_| AtomicU64::new(0)).collect(),
        })
    }

    fn since(&self) -> u64 {
        self.base.elapsed().as_nanos() as u64
    }
}

/// Where a client is going, and as whom.
pub struct Target {
    pub server: SocketAddr,
    pub token: String,
    pub tls: Option<Arc<rustls::ClientConfig>>,
    /// The run's own block of source addresses, 127.0.BLOCK.x: the ports a run
    /// before it left waiting to close are not in its way.
    pub block: u8,
}

/// Client `i`: connects, joins, then reads until its connection ends (or the task
/// is aborted). With a gate, it holds a place in it until it is welcomed.
pub async fn client(
    i: usize,
    target: Arc<Target>,
    board: Arc<Board>,
    gate: Option<Arc<tokio::sync::Semaphore>>,
) {
    let place = match gate {
        Some(gate) => Some(gate.acquire_owned().await.unwrap()),
        None => None,
    };
    match connect(i, &target).await {
        Ok(tcp) => match &target.tls {
            None => run(i, tcp, &target.token, &board, place).await,
            Some(config) => {
                let name = rustls_pki_types::ServerName::try_from("127.0.0.1").unwrap();
                match tokio_rustls::TlsConnector::from(config.clone())
                    .connect(name, tcp)
                    .await
                {
                    Ok(tls) => run(i, tls, &target.token, &board, place).await,
                    Err(_) => {
                        board.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        },
        Err(_) => {
            board.failed.fetch_add(1, Ordering::Relaxed);
            board.unconnected.fetch_add(1, Ordering::Relaxed);
        }
    }
}

async fn connect(i: usize, target: &Target) -> std::io::Result<tokio::net::TcpStream> {
    let source = 2 + (i / PER_SOURCE) as u8;
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(
        IpAddr::V4(Ipv4Addr::new(127, 0, target.block, source)),
        0,
    ))?;
    // A crowd at once overflows any listen queue: the kernel retries a dropped
    // SYN after a second, three, seven; give it that long.
    let tcp = tokio::time::timeout(Duration::from_secs(60), socket.connect(target.server))
        .await
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
    tcp.set_nodelay(true)?;
    Ok(tcp)
}

async fn run<S: AsyncRead + AsyncWrite + Unpin>(
    i: usize,
    s: S,
    token: &str,
    board: &Board,
    place: Option<tokio::sync::OwnedSemaphorePermit>,
) {
    let mut s = BufReader::with_capacity(512, s);
    if let Err(e) = join(&mut s, token).await {
        board.failed.fetch_add(1, Ordering::Relaxed);
        if e.kind() == std::io::ErrorKind::ConnectionRefused {
            board.not_upgraded.fetch_add(1, Ordering::Relaxed);
        }
        return;
    }
    drop(place);
    board.welcomed.fetch_add(1, Ordering::Relaxed);
    board
        .last_welcome_ns
        .fetch_max(board.since(), Ordering::Relaxed);
    let mut nth = 0;
    while let Ok((opcode, payload)) = frame(&mut s).await {
        match opcode {
            1 if nth < board.events && is_question(&payload) => {
                board.arrivals[i * board.events + nth].store(board.since() + 1, Ordering::Relaxed);
                board.got[nth].fetch_add(1, Ordering::Release);
                nth += 1;
            }
            9 => {
                let s = s.get_mut();
                if s.write_all(&masked(0x8a, &payload)).await.is_err() || s.flush().await.is_err() {
                    return;
                }
            }
            8 => return,
            _ => {}
        }
    }
}

fn is_question(payload: &[u8]) -> bool {
    payload.starts_with(br#"{"type":"event""#)
        && payload.windows(18).any(|w| w == br#"question_submitted"#)
}

async fn join<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut BufReader<S>,
    token: &str,
) -> std::io::Result<()> {
    let w = s.get_mut();
    w.write_all(b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").await?;
    w.flush().await?;
    let mut head = Vec::with_capacity(256);
    while !head.ends_with(b"\r\n\r\n") {
        head.push(s.read_u8().await?);
        if head.len() > 4096 {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
    }
    if !head.starts_with(b"HTTP/1.1 101") {
        return Err(std::io::ErrorKind::ConnectionRefused.into());
    }
    let hello = format!(r#"{{"type":"hello","protocol":1,"token":"{token}"}}"#);
    let w = s.get_mut();
    w.write_all(&masked(0x81, hello.as_bytes())).await?;
    w.flush().await?;
    loop {
        let (opcode, payload) = frame(s).await?;
        if opcode == 8 {
            if std::env::var("CROWD_SAY_CLOSE").is_ok() {
                eprintln!(
                    "closed before a welcome: {}",
                    String::from_utf8_lossy(&payload)
                );
            }
            return Err(std::io::ErrorKind::ConnectionAborted.into());
        }
        if opcode == 1 && payload.starts_with(br#"{"type":"welcome""#) {
            return Ok(());
        }
    }
}

/// A server's frame: its opcode and payload (a fresh buffer, dropped after use, so
/// a waiting client holds none).
async fn frame<S: AsyncRead + Unpin>(s: &mut S) -> std::io::Result<(u8, Vec<u8>)> {
    let mut h = [0u8; 2];
    s.read_exact(&mut h).await?;
    let len = match h[1] & 0x7f {
        126 => s.read_u16().await? as usize,
        127 => s.read_u64().await? as usize,
        n => n as usize,
    };
    if len > 16 << 20 {
        return Err(std::io::ErrorKind::InvalidData.into());
    }
    let mut payload = vec![0; len];
    s.read_exact(&mut payload).await?;
    Ok((h[0] & 0x0f, payload))
}
