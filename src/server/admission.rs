//! Who gets a connection. A public server must bound what strangers can hold
//! before they prove anything: open connections in total (below the process's
//! descriptor limit, with descriptors kept in reserve so that the listener can
//! always accept and refuse cleanly), and, per address, connections that have not
//! yet said a valid `hello`. Whoever is over a bound is told so in plain HTTP
//! (503, with `Retry-After`) rather than left hanging or reset.

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

/// The bounds of one server.
pub struct Admission {
    open: Arc<Semaphore>,
    /// Connections per address that have not said a valid hello.
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
            Refusal::Full => "the meeting's server is full: try again soon\n",
            Refusal::TooManyFromAddress => {
                "too many connections from your address have not said hello: try again soon\n"
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
    /// The connection said a valid hello: it no longer counts against its address.
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
