//! Who gets a connection. A public server must bound what strangers can hold
//! before they prove anything: open connections in total (below the process's
//! descriptor limit, with descriptors kept in reserve so that the listener can
//! always accept and refuse cleanly), and, per address, connections that have not
//! yet proved anything (said a valid `hello` on the meeting's port, shown a
//! valid token on the office's). Whoever is over a bound is told so in plain
//! HTTP (503, with `Retry-After`) rather than left hanging or reset.
//!
//! An address is counted as [`counted`] says: an IPv6 client holds a whole /64
//! (its provider hands it one, and it may take any address in it), so IPv6
//! addresses are counted by their /64.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Descriptors kept free besides connections: the journal, its log, the tokens
/// file, a reading-back of the journal for a client that resumes, the listener.
pub const FD_RESERVE: u64 = 64;

/// Raises the soft limit on open files to the hard one, so that a server can hold
/// as many connections as the system lets it; returns the soft limit now.
pub fn raise_fd_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(e) => {
            tracing::warn!("cannot raise the limit on open files: {e}");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    }
}

/// How many connections may wait to be accepted: the most Linux takes by default
/// (`net.core.somaxconn`; it cuts a larger request to its own). Tokio's `bind`
/// asks for 1,024: a hall of ten thousand opening the page in the same second
/// overflows that, and every connection dropped from the queue waits a second for
/// its SYN to be sent again.
pub const LISTEN_BACKLOG: u32 = 4096;

/// Listens on `addr` as `TcpListener::bind` does, with [`LISTEN_BACKLOG`].
pub fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        std::net::SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        std::net::SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// The address a per-address bound counts `ip` under: an IPv4 address as it is
/// (an IPv4 address mapped into IPv6 too), an IPv6 address by its /64, the
/// block one host may hold and use whole.
pub fn counted(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
    }
}

/// The bounds of one server.
pub struct Admission {
    open: Arc<Semaphore>,
    /// Connections per address ([`counted`]) that have proved nothing yet.
    strangers: Mutex<HashMap<IpAddr, usize>>,
    per_address: usize,
    /// How many connections may be open at once.
    pub capacity: usize,
}

/// Why a connection is refused at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Every connection the server may hold is taken.
    Full,
    /// This address holds too many connections that have not said hello.
    TooManyFromAddress,
}

impl Refusal {
    /// A complete HTTP response saying why, for a connection that is then closed.
    pub fn response(self) -> Vec<u8> {
        let body = match self {
            Refusal::Full => "this server is full: try again soon\n",
            Refusal::TooManyFromAddress => {
                "too many connections from your address are waiting: try again soon\n"
            }
        };
        format!(
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }
}

/// What an admitted connection holds: its place among the open connections, and
/// while it has not said hello, its place among its address's strangers.
pub struct Ticket {
    _open: OwnedSemaphorePermit,
    stranger: Option<Stranger>,
}

struct Stranger {
    admission: Arc<Admission>,
    address: IpAddr,
}

impl Drop for Stranger {
    fn drop(&mut self) {
        let mut strangers = self
            .admission
            .strangers
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(n) = strangers.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                strangers.remove(&self.address);
            }
        }
    }
}

impl Ticket {
    /// The connection proved itself (a valid hello, a valid token): it no
    /// longer counts against its address.
    pub fn known(&mut self) {
        self.stranger = None;
    }
}

impl Admission {
    /// At most `max_open` connections (fewer if the descriptor limit `fd_limit`
    /// leaves room for fewer), and at most `per_address` strangers per address.
    pub fn new(max_open: usize, per_address: usize, fd_limit: u64) -> Arc<Admission> {
        let by_fds = fd_limit.saturating_sub(FD_RESERVE).max(1);
        let capacity = max_open.min(usize::try_from(by_fds).unwrap_or(usize::MAX));
        Arc::new(Admission {
            open: Arc::new(Semaphore::new(capacity)),
            strangers: Mutex::new(HashMap::new()),
            per_address: per_address.max(1),
            capacity,
        })
    }

    /// Admits a connection from `address`, or says why not.
    pub fn admit(self: &Arc<Self>, address: IpAddr) -> Result<Ticket, Refusal> {
        let address = counted(address);
        let open = self
            .open
            .clone()
            .try_acquire_owned()
            .map_err(|_| Refusal::Full)?;
        let mut strangers = self.strangers.lock().unwrap_or_else(|e| e.into_inner());
        let n = strangers.entry(address).or_default();
        if *n >= self.per_address {
            return Err(Refusal::TooManyFromAddress);
        }
        *n += 1;
        Ok(Ticket {
            _open: open,
            stranger: Some(Stranger {
                admission: self.clone(),
                address,
            }),
        })
    }

    /// How many connections are open now.
    pub fn open_now(&self) -> usize {
        self.capacity - self.open.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1,500 connections at once, none accepted yet: all wait in the queue. With
    /// tokio's own backlog (1,024) the rest are dropped and connect only when
    /// their SYN is sent again, a second later.
    #[tokio::test]
    async fn a_crowd_at_once_waits_in_the_queue_not_for_a_second_syn() {
        const CROWD: usize = 1500;
        let somaxconn: usize = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if somaxconn < CROWD || raise_fd_limit() < CROWD as u64 + 200 {
            eprintln!("skipped: net.core.somaxconn {somaxconn} or the limit on open files is below {CROWD}");
            return;
        }
        let listener = listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let started = std::time::Instant::now();
        let all = futures_util::future::join_all(
            (0..CROWD).map(|_| tokio::net::TcpStream::connect(addr)),
        )
        .await;
        let took = started.elapsed();
        assert!(all.iter().all(|c| c.is_ok()), "every connection made");
        assert!(
            took < std::time::Duration::from_millis(900),
            "{CROWD} connections took {took:?}: some waited for a SYN sent again"
        );
        drop(listener);
    }

    #[test]
    fn bounds_strangers_per_address_and_connections_in_all() {
        let a = Admission::new(3, 2, 1 << 20);
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        let mut first = a.admit(one).unwrap();
        let _second = a.admit(one).unwrap();
        assert_eq!(a.admit(one).err(), Some(Refusal::TooManyFromAddress));
        first.known();
        let third = a.admit(one).unwrap();
        assert_eq!(a.admit(two).err(), Some(Refusal::Full));
        drop(third);
        assert!(a.admit(two).is_ok());
        assert_eq!(
            a.open_now(),
            2,
            "the ticket admitted last was dropped at once"
        );
    }

    #[test]
    fn an_ipv6_host_is_counted_by_its_64() {
        let a = Admission::new(100, 2, 1 << 20);
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_64: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:fffe".parse().unwrap();
        let next_64: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        let _first = a.admit(one).unwrap();
        let _second = a.admit(same_64).unwrap();
        assert_eq!(
            a.admit("2001:db8:1:2:abcd::9".parse().unwrap()).err(),
            Some(Refusal::TooManyFromAddress),
            "a third from the same /64"
        );
        assert!(a.admit(next_64).is_ok(), "another /64 is another host");
        assert_eq!(counted(one), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_eq!(
            counted("::ffff:192.0.2.7".parse().unwrap()),
            "192.0.2.7".parse::<IpAddr>().unwrap(),
            "an IPv4 client on a dual-stack socket is its IPv4 address"
        );
        assert_eq!(
            counted("192.0.2.7".parse().unwrap()),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn capacity_stays_under_the_descriptor_limit() {
        assert_eq!(
            Admission::new(20_000, 8, 1024).capacity,
            1024 - FD_RESERVE as usize
        );
        assert_eq!(Admission::new(20_000, 8, 1 << 20).capacity, 20_000);
    }

    #[test]
    fn refusals_are_whole_http_responses() {
        for r in [Refusal::Full, Refusal::TooManyFromAddress] {
            let response = r.response();
            let text = std::str::from_utf8(&response).unwrap();
            let (head, body) = text.split_once("\r\n\r\n").unwrap();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(length, body.len(), "{head}");
        }
    }
}
