//! Reading a client's frames (RFC 6455 §5) with nothing held while it is silent:
//! a frame's header is read into 14 bytes kept inline, its payload into a buffer
//! of exactly its length that lives until the frame is whole. Between frames no
//! buffer is held at all, where a websocket library keeps its read buffer (1 KiB
//! at least) for the life of the connection: with ten thousand clients that wait,
//! most of what a connection held was that buffer.
//!
//! What it checks is what a server must (§5.1–5.5): every frame masked, no RSV bit
//! (no extension is agreed), no reserved opcode, control frames whole and of 125
//! bytes at most, fragments only after a first and none in between, text that is
//! UTF-8, a close whose code may be sent; and a message of at most `max` bytes, told
//! by its header before any of it is read.
//!
//! Reading is cancel-safe: everything read is kept in the inbox, so a `select!`
//! that drops [`Inbox::next`] loses nothing.

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};

/// A frame from the client, whole.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Frame {
    Text(String),
    Binary,
    /// Its payload, which the answer carries back.
    Ping(Vec<u8>),
    Pong,
    /// The client's close; the answer is kept ([`Inbox::take_answer`]).
    Close,
}

/// Why the client's frames cannot be read on.
#[derive(Debug)]
pub(super) enum Broken {
    /// A message of `size` bytes where at most `max` are taken.
    TooLarge { size: usize, max: usize },
    /// Text (or a close's reason) that is not UTF-8.
    Utf8,
    /// Anything else RFC 6455 forbids.
    Protocol,
    /// The stream ended without a close.
    Ended,
    /// The stream failed.
    Io(io::Error),
}

/// The longest header: 2 bytes, 8 of length, 4 of mask.
const MAX_HEAD: usize = 14;

/// The client's side of a connection: what has been read of the frame under way.
pub(super) struct Inbox {
    max: usize,
    /// What was read past the upgrade request, taken before the stream.
    ahead: Vec<u8>,
    head: [u8; MAX_HEAD],
    have: u8,
    /// The frame under way once its header is whole: its payload (allocated then,
    /// of its length) and how much of it has come.
    payload: Option<(Head, Vec<u8>, usize)>,
    /// A fragmented message so far (empty, unallocated, between messages) and
    /// whether it is text.
    message: Vec<u8>,
    message_text: Option<bool>,
    /// What answers the client's close: its code and reason, or 1002.
    answer: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy)]
struct Head {
    fin: bool,
    opcode: u8,
    mask: [u8; 4],
}

impl Inbox {
    /// `ahead`: what was read past the upgrade request; `max`: the largest message.
    pub(super) fn new(ahead: Vec<u8>, max: usize) -> Inbox {
        Inbox {
            max,
            ahead,
            head: [0; MAX_HEAD],
            have: 0,
            payload: None,
            message: Vec::new(),
            message_text: None,
            answer: None,
        }
    }

    /// The next whole frame.
    pub(super) async fn next<S: AsyncRead + Unpin>(
        &mut self,
        stream: &mut S,
    ) -> Result<Frame, Broken> {
        poll_fn(|cx| self.poll_next(cx, stream)).await
    }

    /// The frame that answers the client's close, once it has closed (and only
    /// once).
    pub(super) fn take_answer(&mut self) -> Option<Vec<u8>> {
        self.answer.take()
    }

    fn poll_next<S: AsyncRead + Unpin>(
        &mut self,
        cx: &mut Context<'_>,
        stream: &mut S,
    ) -> Poll<Result<Frame, Broken>> {
        loop {
            if let Some((head, payload, got)) = &mut self.payload {
                if *got < payload.len() {
                    let n = ready!(fill(&mut self.ahead, cx, stream, &mut payload[*got..]))?;
                    *got += n;
                    continue;
                }
                let head = *head;
                let Some((_, mut payload, _)) = self.payload.take() else {
                    unreachable!()
                };
                for (i, b) in payload.iter_mut().enumerate() {
                    *b ^= head.mask[i % 4];
                }
                if let Some(frame) = self.whole(head, payload)? {
                    return Poll::Ready(Ok(frame));
                }
                continue;
            }
            let have = self.have as usize;
            let need = head_len(&self.head[..have]);
            if have < need {
                let n = ready!(fill(
                    &mut self.ahead,
                    cx,
                    stream,
                    &mut self.head[have..need]
                ))?;
                self.have += n as u8;
                continue;
            }
            let (head, len) = self.parse_head()?;
            self.have = 0;
            self.payload = Some((head, vec![0; len], 0));
        }
    }

    /// The header read so far, checked: what it says and the payload's length.
    fn parse_head(&self) -> Result<(Head, usize), Broken> {
        let h = &self.head;
        let fin = h[0] & 0x80 != 0;
        let opcode = h[0] & 0x0f;
        if h[0] & 0x70 != 0 || h[1] & 0x80 == 0 {
            // An RSV bit with no extension agreed, or a frame not masked.
            return Err(Broken::Protocol);
        }
        let (len, at) = match h[1] & 0x7f {
            126 => (u64::from(u16::from_be_bytes([h[2], h[3]])), 4),
            127 => (
                u64::from_be_bytes(h[2..10].try_into().unwrap_or_default()),
                10,
            ),
            n => (u64::from(n), 2),
        };
        let mask = [h[at], h[at + 1], h[at + 2], h[at + 3]];
        match opcode {
            0..=2 => {
                let size = usize::try_from(len)
                    .unwrap_or(usize::MAX)
                    .saturating_add(self.message.len());
                if size > self.max {
                    return Err(Broken::TooLarge {
                        size,
                        max: self.max,
                    });
                }
                let continues = opcode == 0;
                if continues != self.message_text.is_some() {
                    // A continuation with no message begun, or a new message in
                    // the middle of one.
                    return Err(Broken::Protocol);
                }
            }
            8..=10 if fin && len <= 125 => {}
            _ => return Err(Broken::Protocol),
        }
        Ok((Head { fin, opcode, mask }, len as usize))
    }

    /// A frame whose payload has all come: the frame it makes, if it ends one.
    fn whole(&mut self, head: Head, payload: Vec<u8>) -> Result<Option<Frame>, Broken> {
        let (text, data) = match head.opcode {
            8 => {
                self.answer = Some(answer(&payload)?);
                return Ok(Some(Frame::Close));
            }
            9 => return Ok(Some(Frame::Ping(payload))),
            10 => return Ok(Some(Frame::Pong)),
            0 => {
                if self.message.is_empty() {
                    self.message = payload;
                } else {
                    self.message.extend_from_slice(&payload);
                }
                if !head.fin {
                    return Ok(None);
                }
                let text = self.message_text.take() == Some(true);
                (text, std::mem::take(&mut self.message))
            }
            opcode => {
                let text = opcode == 1;
                if !head.fin {
                    self.message = payload;
                    self.message_text = Some(text);
                    return Ok(None);
                }
                (text, payload)
            }
        };
        if !text {
            return Ok(Some(Frame::Binary));
        }
        String::from_utf8(data)
            .map(|t| Some(Frame::Text(t)))
            .map_err(|_| Broken::Utf8)
    }
}

/// How long the header is, from what of it has been read (2 bytes tell).
fn head_len(read: &[u8]) -> usize {
    if read.len() < 2 {
        return 2;
    }
    let ext = match read[1] & 0x7f {
        126 => 2,
        127 => 8,
        _ => 0,
    };
    2 + ext + if read[1] & 0x80 != 0 { 4 } else { 0 }
}

/// What answers a close (RFC 6455 §5.5.1): its own code and reason back, or 1002
/// for a code that may not be sent.
fn answer(payload: &[u8]) -> Result<Vec<u8>, Broken> {
    match payload.len() {
        0 => Ok(Vec::new()),
        1 => Err(Broken::Protocol),
        _ => {
            std::str::from_utf8(&payload[2..]).map_err(|_| Broken::Utf8)?;
            let code = u16::from_be_bytes([payload[0], payload[1]]);
            if may_be_sent(code) {
                Ok(payload.to_vec())
            } else {
                let mut violation = 1002u16.to_be_bytes().to_vec();
                violation.extend_from_slice(b"Protocol violation");
                Ok(violation)
            }
        }
    }
}

/// Whether a close code may be sent in a close frame (RFC 6455 §7.4).
fn may_be_sent(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1013 | 3000..=4999)
}

/// Reads into `buf` what was read ahead, else from the stream.
fn fill<S: AsyncRead + Unpin>(
    ahead: &mut Vec<u8>,
    cx: &mut Context<'_>,
    stream: &mut S,
    buf: &mut [u8],
) -> Poll<Result<usize, Broken>> {
    if !ahead.is_empty() {
        let n = buf.len().min(ahead.len());
        buf[..n].copy_from_slice(&ahead[..n]);
        ahead.drain(..n);
        if ahead.is_empty() {
            *ahead = Vec::new();
        }
        return Poll::Ready(Ok(n));
    }
    let mut read = ReadBuf::new(buf);
    match ready!(Pin::new(stream).poll_read(cx, &mut read)) {
        Ok(()) if read.filled().is_empty() => Poll::Ready(Err(Broken::Ended)),
        Ok(()) => Poll::Ready(Ok(read.filled().len())),
        Err(e) => Poll::Ready(Err(Broken::Io(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    /// A client's frame: `first` (FIN, opcode) and the payload, masked.
    fn masked(first: u8, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![first];
        match payload.len() {
            n if n < 126 => f.push(0x80 | n as u8),
            n if n <= 0xffff => {
                f.push(0x80 | 126);
                f.extend((n as u16).to_be_bytes());
            }
            n => {
                f.push(0x80 | 127);
                f.extend((n as u64).to_be_bytes());
            }
        }
        let key = [9u8, 8, 7, 6];
        f.extend(key);
        f.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
        f
    }

    async fn read_all(bytes: Vec<u8>, ahead: usize) -> Vec<Result<Frame, String>> {
        let (mut client, mut server) = tokio::io::duplex(1 << 20);
        let (ahead, rest) = bytes.split_at(ahead);
        client.write_all(rest).await.unwrap();
        drop(client);
        let mut inbox = Inbox::new(ahead.to_vec(), 1000);
        let mut out = Vec::new();
        loop {
            match inbox.next(&mut server).await {
                Ok(f) => out.push(Ok(f)),
                Err(Broken::Ended) if inbox.payload.is_none() && inbox.have == 0 => break,
                Err(e) => {
                    out.push(Err(format!("{e:?}")));
                    break;
                }
            }
        }
        out
    }

    #[tokio::test]
    async fn frames_whole_and_in_fragments_from_the_read_ahead_and_the_stream() {
        let mut bytes = masked(0x81, "协商".as_bytes());
        bytes.extend(masked(0x01, b"{\"a\":"));
        bytes.extend(masked(0x89, b"p")); // a ping between fragments
        bytes.extend(masked(0x00, b"1"));
        bytes.extend(masked(0x80, b"}"));
        bytes.extend(masked(0x82, &[0, 1, 2]));
        bytes.extend(masked(0x8a, b""));
        bytes.extend(masked(0x81, &vec![b'x'; 1000]));
        let total = bytes.len();
        for ahead in [0, 1, 7, 20, total] {
            let frames = read_all(bytes.clone(), ahead).await;
            assert_eq!(
                frames,
                vec![
                    Ok(Frame::Text("协商".into())),
                    Ok(Frame::Ping(b"p".to_vec())),
                    Ok(Frame::Text("{\"a\":1}".into())),
                    Ok(Frame::Binary),
                    Ok(Frame::Pong),
                    Ok(Frame::Text("x".repeat(1000))),
                ],
                "{ahead} bytes read ahead"
            );
        }
    }

    #[tokio::test]
    async fn what_rfc_6455_forbids_is_refused() {
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("not UTF-8", masked(0x81, &[0xff, 0xfe]), "Utf8"),
            ("RSV bits", masked(0xc1, b"{}"), "Protocol"),
            ("unmasked", vec![0x81, 0x01, b'x'], "Protocol"),
            ("a reserved opcode", masked(0x83, b"x"), "Protocol"),
            ("a fragment first", masked(0x80, b"x"), "Protocol"),
            ("a long ping", masked(0x89, &[0; 126]), "Protocol"),
            ("a fragmented ping", masked(0x09, b""), "Protocol"),
            ("a close of one byte", masked(0x88, &[3]), "Protocol"),
            (
                "a close's reason not UTF-8",
                masked(0x88, &[3, 0xe8, 0xff]),
                "Utf8",
            ),
            (
                "a message begun inside another",
                [masked(0x01, b"a"), masked(0x81, b"b")].concat(),
                "Protocol",
            ),
            (
                "a frame over the limit",
                masked(0x81, &[b'x'; 1001]),
                "TooLarge { size: 1001, max: 1000 }",
            ),
            (
                "fragments over the limit",
                [masked(0x01, &[b'x'; 600]), masked(0x80, &[b'x'; 401])].concat(),
                "TooLarge { size: 1001, max: 1000 }",
            ),
            (
                "a stream that ends mid-frame",
                masked(0x81, b"abc")[..4].to_vec(),
                "Ended",
            ),
        ];
        for (what, bytes, expected) in cases {
            let frames = read_all(bytes, 0).await;
            let last = frames.last().expect(what);
            assert!(
                matches!(last, Err(e) if e.starts_with(expected)),
                "{what}: {frames:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_close_is_answered_with_its_own_code_or_1002() {
        for (payload, answer) in [
            (vec![0x03, 0xe8, b'b', b'y'], vec![0x03, 0xe8, b'b', b'y']),
            (vec![], vec![]),
            (
                vec![0x03, 0xed],
                [vec![0x03, 0xea], b"Protocol violation".to_vec()].concat(),
            ),
        ] {
            let (mut client, mut server) = tokio::io::duplex(1024);
            client.write_all(&masked(0x88, &payload)).await.unwrap();
            let mut inbox = Inbox::new(Vec::new(), 1000);
            assert_eq!(inbox.next(&mut server).await.unwrap(), Frame::Close);
            assert_eq!(inbox.take_answer(), Some(answer));
            assert_eq!(inbox.take_answer(), None);
        }
    }

    /// A read dropped half-way (as `select!` does when something else comes
    /// first) loses nothing, and between frames nothing is allocated.
    #[tokio::test]
    async fn a_dropped_read_loses_nothing_and_an_idle_inbox_holds_no_buffer() {
        let (mut client, mut server) = tokio::io::duplex(1024);
        let mut inbox = Inbox::new(Vec::new(), 1000);
        let frame = masked(0x81, b"hello there");
        for byte in &frame {
            client.write_all(std::slice::from_ref(byte)).await.unwrap();
            let read =
                tokio::time::timeout(std::time::Duration::from_millis(5), inbox.next(&mut server))
                    .await;
            if let Ok(got) = read {
                assert_eq!(got.unwrap(), Frame::Text("hello there".into()));
            }
        }
        assert!(inbox.payload.is_none() && inbox.have == 0);
        assert_eq!(inbox.message.capacity(), 0);
        assert_eq!(inbox.ahead.capacity(), 0);
    }
}
