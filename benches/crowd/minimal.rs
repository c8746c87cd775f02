//! The floor xieshang's fan-out is held to: a websocket broadcast server that does
//! nothing but what every such server must. It upgrades, answers `hello` with a
//! small welcome, and writes each intent it is sent, as an event of the same shape
//! as xieshang's, to every connection with one non-blocking write each, from as
//! many threads as the machine has cores. No record, no seats, no limits, no
//! pings; an idle connection holds no buffer (its bytes are read into one made
//! only while there is something to read).
//!
//! Run by `benches/crowd.rs` as its own child process (the bench's binary, started
//! again with `CROWD_MINIMAL=1`), so its CPU and memory are its own.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpSocket, TcpStream};

/// The listen backlog, as xieshang's: the most the kernel takes (`somaxconn`).
pub const BACKLOG: u32 = 4096;

type Connections = Arc<Mutex<HashMap<usize, Arc<TcpStream>>>>;

pub fn run() {
    let writers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(writers)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(serve(writers));
}

async fn serve(writers: usize) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_reuseaddr(true).unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(BACKLOG).unwrap();
    println!("listening ws://{}/ws", listener.local_addr().unwrap());
    std::io::stdout().flush().unwrap();
    let all: Connections = Arc::default();
    let seq = Arc::new(AtomicU64::new(0));
    let next = AtomicUsize::new(0);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let id = next.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(connection(
            Arc::new(stream),
            id,
            all.clone(),
            seq.clone(),
            writers,
        ));
    }
}

async fn connection(
    stream: Arc<TcpStream>,
    id: usize,
    all: Connections,
    seq: Arc<AtomicU64>,
    writers: usize,
) {
    let Some(rest) = upgrade(&stream).await else {
        return;
    };
    let mut pending = rest;
    loop {
        while let Some((opcode, payload, used)) = client_frame(&pending) {
            pending.drain(..used);
            match opcode {
                1 => {
                    let Ok(message) = serde_json::from_slice::<serde_json::Value>(&payload) else {
                        return gone(&all, id);
                    };
                    match message["type"].as_str() {
                        Some("hello") => {
                            // Written by hand: "type" first, as xieshang and Node write it.
                            let welcome = format!(
                                r#"{{"type":"welcome","protocol":1,"server_time_ms":0,"seq":{},"resumed":false,"state":null}}"#,
                                seq.load(Ordering::Relaxed)
                            );
                            if write_all(&stream, &text_frame(welcome.as_bytes()))
                                .await
                                .is_err()
                            {
                                return gone(&all, id);
                            }
                            all.lock().unwrap().insert(id, stream.clone());
                        }
                        Some("intent") => {
                            let n = seq.fetch_add(1, Ordering::Relaxed) + 1;
                            let text = serde_json::to_string(&message["action"]["text"]).unwrap();
                            let event = format!(
                                r#"{{"type":"event","seq":{n},"server_time_ms":0,"at":"","actor":"chair","event":{{"kind":"question_submitted","question":"q{n}","asker":"m01","department":"eco","text":{text}}}}}"#
                            );
                            broadcast(&all, text_frame(event.as_bytes()), writers);
                            let id = serde_json::to_string(&message["id"]).unwrap();
                            let ack = format!(r#"{{"type":"ack","id":{id},"seq":{n}}}"#);
                            let _ = write_all(&stream, &text_frame(ack.as_bytes())).await;
                        }
                        _ => {}
                    }
                }
                8 => return gone(&all, id),
                _ => {}
            }
        }
        if stream.readable().await.is_err() {
            return gone(&all, id);
        }
        // A buffer only while there is something to read.
        let mut buf = vec![0u8; 4096];
        match stream.try_read(&mut buf) {
            Ok(0) => return gone(&all, id),
            Ok(n) => pending.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => return gone(&all, id),
        }
        if pending.is_empty() {
            pending = Vec::new();
        }
    }
}

fn gone(all: &Connections, id: usize) {
    all.lock().unwrap().remove(&id);
}

/// Reads the upgrade request and answers it; returns what came after it.
async fn upgrade(stream: &TcpStream) -> Option<Vec<u8>> {
    let mut request = Vec::with_capacity(1024);
    let end = loop {
        stream.readable().await.ok()?;
        let mut buf = [0u8; 1024];
        match stream.try_read(&mut buf) {
            Ok(0) => return None,
            Ok(n) => request.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(_) => return None,
        }
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if request.len() > 8192 {
            return None;
        }
    };
    let head = std::str::from_utf8(&request[..end]).ok()?;
    let key = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("sec-websocket-key")
            .then(|| value.trim())
    })?;
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    let response = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    write_all(stream, response.as_bytes()).await.ok()?;
    Some(request[end..].to_vec())
}

async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// One write per connection, the connections shared among `writers` threads; a
/// write the socket could not take whole is finished by a task of its own.
fn broadcast(all: &Connections, frame: Vec<u8>, writers: usize) {
    let streams: Vec<Arc<TcpStream>> = all.lock().unwrap().values().cloned().collect();
    let frame = Arc::new(frame);
    let share = streams.len().div_ceil(writers.max(1)).max(1);
    let unfinished: Vec<(Arc<TcpStream>, usize)> = tokio::task::block_in_place(|| {
        std::thread::scope(|scope| {
            let handles: Vec<_> = streams
                .chunks(share)
                .map(|chunk| {
                    let frame = &frame;
                    scope.spawn(move || {
                        let mut left = Vec::new();
                        for s in chunk {
                            match s.try_write(frame) {
                                Ok(n) if n == frame.len() => {}
                                Ok(n) => left.push((s.clone(), n)),
                                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                                    left.push((s.clone(), 0))
                                }
                                Err(_) => {}
                            }
                        }
                        left
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        })
    });
    for (stream, from) in unfinished {
        let frame = frame.clone();
        tokio::spawn(async move {
            let _ = write_all(&stream, &frame[from..]).await;
        });
    }
}

fn text_frame(payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(payload.len() + 10);
    f.push(0x81);
    match payload.len() {
        n if n < 126 => f.push(n as u8),
        n if n < 65536 => {
            f.push(126);
            f.extend((n as u16).to_be_bytes());
        }
        n => {
            f.push(127);
            f.extend((n as u64).to_be_bytes());
        }
    }
    f.extend_from_slice(payload);
    f
}

/// A whole masked client frame at the start of `bytes`: opcode, unmasked payload
/// and how many bytes it took; `None` until it has all arrived.
fn client_frame(bytes: &[u8]) -> Option<(u8, Vec<u8>, usize)> {
    if bytes.len() < 2 {
        return None;
    }
    let (len, mut at) = match bytes[1] & 0x7f {
        126 => (
            u16::from_be_bytes(bytes.get(2..4)?.try_into().ok()?) as usize,
            4,
        ),
        127 => (
            u64::from_be_bytes(bytes.get(2..10)?.try_into().ok()?) as usize,
            10,
        ),
        n => (n as usize, 2),
    };
    let key: [u8; 4] = if bytes[1] & 0x80 != 0 {
        let key = bytes.get(at..at + 4)?.try_into().ok()?;
        at += 4;
        key
    } else {
        [0; 4]
    };
    let payload = bytes.get(at..at + len)?;
    let payload = payload
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ key[i % 4])
        .collect();
    Some((bytes[0] & 0x0f, payload, at + len))
}
