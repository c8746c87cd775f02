//! Writing the server's frames straight to the stream (RFC 6455 §5.2: a server's
//! frames are not masked, so a frame is a header of 2 to 10 bytes and the payload
//! as it is).
//!
//! Why not through a websocket library's `send`: it copies every frame into a
//! buffer that keeps its largest size for the life of the connection, so a welcome
//! of 300 participants left 70 KiB with every idle client, and one over its limit
//! (a plan of 7,000) could not be sent at all. Here an event's frame, serialized
//! once by the hub and shared by every connection, goes out with one vectored
//! write and no copy, and nothing of it stays behind; so do the control frames
//! (pings, pongs, closes). What the client sends is read by [`super::inbox`].

use bytes::Bytes;
use std::io::{self, IoSlice};
use std::time::Duration;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

/// Frames per vectored write: two to four slices each, well under the system's
/// limit of 1,024.
const PER_WRITE: usize = 256;

/// A final text frame's first byte (FIN, opcode 1).
const TEXT: u8 = 0x81;
/// Control frames' first bytes (FIN and the opcode).
pub(super) const CLOSE: u8 = 0x88;
pub(super) const PING: u8 = 0x89;
pub(super) const PONG: u8 = 0x8a;

/// The header of an unmasked frame of `len` bytes whose first byte is `first`.
fn header(first: u8, len: usize) -> ([u8; 10], usize) {
    let mut h = [0u8; 10];
    h[0] = first;
    match len {
        0..=125 => {
            h[1] = len as u8;
            (h, 2)
        }
        126..=0xFFFF => {
            h[1] = 126;
            h[2..4].copy_from_slice(&(len as u16).to_be_bytes());
            (h, 4)
        }
        _ => {
            h[1] = 127;
            h[2..10].copy_from_slice(&(len as u64).to_be_bytes());
            (h, 10)
        }
    }
}

/// Why a write did not finish.
#[derive(Debug)]
pub(super) enum Unwritten {
    /// The stream failed.
    Broken(io::Error),
    /// The client took nothing for the whole limit. `clean`: the stream was left
    /// between two frames (what had begun was finished in a short grace), so a
    /// close frame can still follow.
    TooSlow { clean: bool },
}

/// How long a frame already begun may take to finish after the limit has passed.
const GRACE: Duration = Duration::from_secs(1);

/// Writes each frame (a text made of its parts, written one after the other) in
/// order, and flushes, all within `limit`.
pub(super) async fn write_texts<S: AsyncWrite + Unpin>(
    stream: &mut S,
    frames: &[&[Bytes]],
    limit: Duration,
) -> Result<(), Unwritten> {
    write_frames(stream, TEXT, frames, limit).await
}

/// Writes one control frame (`first`: [`CLOSE`], [`PING`] or [`PONG`]; at most 125
/// bytes of payload) and flushes, within `limit`.
pub(super) async fn write_control<S: AsyncWrite + Unpin>(
    stream: &mut S,
    first: u8,
    payload: &[u8],
    limit: Duration,
) -> Result<(), Unwritten> {
    let payload = Bytes::copy_from_slice(&payload[..payload.len().min(125)]);
    write_frames(stream, first, &[std::slice::from_ref(&payload)], limit).await
}

async fn write_frames<S: AsyncWrite + Unpin>(
    stream: &mut S,
    first: u8,
    frames: &[&[Bytes]],
    limit: Duration,
) -> Result<(), Unwritten> {
    let mut deadline = Deadline::new(limit);
    for chunk in frames.chunks(PER_WRITE) {
        let headers: Vec<([u8; 10], usize)> = chunk
            .iter()
            .map(|parts| header(first, parts.iter().map(Bytes::len).sum()))
            .collect();
        let mut slices: Vec<IoSlice<'_>> = Vec::with_capacity(chunk.len() * 2);
        // Where each frame ends, counted in bytes of this chunk.
        let mut ends = Vec::with_capacity(chunk.len());
        let mut total = 0;
        for ((h, n), parts) in headers.iter().zip(chunk) {
            slices.push(IoSlice::new(&h[..*n]));
            total += n;
            for p in *parts {
                slices.push(IoSlice::new(p));
                total += p.len();
            }
            ends.push(total);
        }
        write_slices(stream, &mut slices, &ends, &mut deadline).await?;
    }
    match soon(&mut deadline, stream.flush()).await {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) => Err(Unwritten::Broken(e)),
        None => Err(Unwritten::TooSlow { clean: true }),
    }
}

/// Writes `slices` (frames ending at the byte offsets `ends`) to the stream; when
/// the deadline passes, the frame that has begun is finished (within a grace) so
/// the stream is left between frames.
async fn write_slices<W: AsyncWrite + Unpin>(
    stream: &mut W,
    slices: &mut [IoSlice<'_>],
    ends: &[usize],
    deadline: &mut Deadline,
) -> Result<(), Unwritten> {
    let mut done = 0;
    let mut rest: &mut [IoSlice<'_>] = slices;
    while !rest.is_empty() {
        let written = match soon(deadline, stream.write_vectored(rest)).await {
            Some(Ok(0)) => return Err(Unwritten::Broken(io::ErrorKind::WriteZero.into())),
            Some(Ok(n)) => n,
            Some(Err(e)) => return Err(Unwritten::Broken(e)),
            None => {
                let end = ends.iter().copied().find(|&e| e >= done).unwrap_or(done);
                if end == done || done == 0 {
                    return Err(Unwritten::TooSlow { clean: true });
                }
                let tail: Vec<u8> = rest
                    .iter()
                    .flat_map(|slice| slice.iter())
                    .take(end - done)
                    .copied()
                    .collect();
                let finish = stream.write_all(&tail);
                let clean = matches!(tokio::time::timeout(GRACE, finish).await, Ok(Ok(())));
                return Err(Unwritten::TooSlow { clean });
            }
        };
        done += written;
        IoSlice::advance_slices(&mut rest, written);
    }
    Ok(())
}

/// A time limit that reads the clock only when a write has to wait.
struct Deadline {
    limit: Duration,
    at: Option<Instant>,
}

impl Deadline {
    fn new(limit: Duration) -> Deadline {
        Deadline { limit, at: None }
    }

    fn at(&mut self) -> Instant {
        *self.at.get_or_insert_with(|| Instant::now() + self.limit)
    }
}

/// `fut`'s output, or `None` when the deadline passes first; neither the clock nor a
/// timer is touched when it is ready at once, which is how writes to a client that
/// keeps up go (with ten thousand clients, a timer per write per client costs more
/// than the write).
async fn soon<F: std::future::Future>(deadline: &mut Deadline, fut: F) -> Option<F::Output> {
    tokio::pin!(fut);
    if let Some(out) = futures_util::FutureExt::now_or_never(&mut fut) {
        return Some(out);
    }
    tokio::time::timeout_at(deadline.at(), fut).await.ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::protocol::Role;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::WebSocketStream;

    #[tokio::test]
    async fn a_client_reads_every_size_of_frame_in_order() {
        let (mut server, client) = tokio::io::duplex(1 << 16);
        let mut client = WebSocketStream::from_raw_socket(client, Role::Client, None).await;
        let sizes = [0usize, 1, 125, 126, 65_535, 65_536, 300_000];
        let texts: Vec<Bytes> = sizes
            .iter()
            .map(|&n| Bytes::from("字".repeat(n / 3) + &"x".repeat(n % 3)))
            .collect();
        let sent = texts.clone();
        let writer = tokio::spawn(async move {
            let frames: Vec<&[Bytes]> = sent.iter().map(std::slice::from_ref).collect();
            write_texts(&mut server, &frames, Duration::from_secs(5))
                .await
                .unwrap();
            // A frame of parts reads as one text.
            let parts = [
                Bytes::from("{\"a\":"),
                Bytes::from("[1,2]"),
                Bytes::from("}"),
            ];
            write_texts(&mut server, &[&parts], Duration::from_secs(5))
                .await
                .unwrap();
            // And control frames, as a client's library reads them.
            write_control(&mut server, PING, b"p", Duration::from_secs(5))
                .await
                .unwrap();
            let close = [&1000u16.to_be_bytes()[..], b"bye"].concat();
            write_control(&mut server, CLOSE, &close, Duration::from_secs(5))
                .await
                .unwrap();
            server
        });
        for expected in &texts {
            match client.next().await.unwrap().unwrap() {
                Message::Text(t) => assert_eq!(t.as_bytes(), &expected[..]),
                other => panic!("{other:?}"),
            }
        }
        assert!(
            matches!(client.next().await, Some(Ok(Message::Text(t))) if t.as_str() == r#"{"a":[1,2]}"#)
        );
        assert!(matches!(client.next().await, Some(Ok(Message::Ping(p))) if &p[..] == b"p"));
        assert!(matches!(
            client.next().await,
            Some(Ok(Message::Close(Some(c)))) if u16::from(c.code) == 1000 && c.reason.as_str() == "bye"
        ));
        writer.await.unwrap();
    }
}

#[cfg(test)]
mod stall {
    use super::*;
    use futures_util::StreamExt;
    use tokio::io::AsyncReadExt;
    use tokio_tungstenite::tungstenite::protocol::Role;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::WebSocketStream;

    /// A client that stops reading in the middle of a frame: what was begun is
    /// finished once it reads again within the grace, and it can then read every
    /// whole frame and nothing broken.
    #[tokio::test]
    async fn a_stall_mid_frame_finishes_the_frame_when_it_can() {
        let (mut server, mut client) = tokio::io::duplex(1024);
        let big = Bytes::from("x".repeat(4000));
        let writer = tokio::spawn(async move {
            let frames = [big.clone(), big];
            let frames: Vec<&[Bytes]> = frames.iter().map(std::slice::from_ref).collect();
            let r = write_texts(&mut server, &frames, Duration::from_millis(100)).await;
            (r, server)
        });
        // Read nothing until the limit has passed, then read on.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut got = Vec::new();
        let reader = async {
            let mut buf = [0u8; 512];
            loop {
                let n = client.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
        };
        let (r, server) = {
            let _ = tokio::time::timeout(Duration::from_millis(500), reader).await;
            writer.await.unwrap()
        };
        assert!(
            matches!(r, Err(Unwritten::TooSlow { clean: true })),
            "{r:?}"
        );
        drop(server);
        // Exactly one whole frame arrived: 4 header bytes and 4,000 of text.
        assert_eq!(got.len(), 4 + 4000, "{}", got.len());
        let (a, b) = tokio::io::duplex(1 << 16);
        let mut feed = WebSocketStream::from_raw_socket(b, Role::Client, None).await;
        let mut a = a;
        tokio::io::AsyncWriteExt::write_all(&mut a, &got)
            .await
            .unwrap();
        assert!(matches!(feed.next().await, Some(Ok(Message::Text(t))) if t.len() == 4000));
    }
}
