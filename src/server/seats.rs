//! Who holds how many connections once they have said hello. A personal token
//! (anyone but an observer) holds a few at once (a phone, a laptop, a reload): a
//! new one beyond that replaces the oldest, which is told why and does not come
//! back by itself, so a reload never locks anyone out and two tabs never take
//! turns. A shared token (an observer's, a relay's audience word) lets a whole
//! audience in, but no one address may take more than its share of the server:
//! past the cap, a new connection from that address is refused. Addresses are
//! counted as `admission::counted` says (IPv6 by its /64).

use crate::meeting::Role;
use crate::protocol::You;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// The bounds after hello.
pub struct Seats {
    per_participant: usize,
    per_address: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    next: u64,
    /// Each participant's connections, oldest first: its id and what tells it
    /// that it was replaced.
    personal: HashMap<String, VecDeque<(u64, Arc<Notify>)>>,
    /// Observers' connections per address.
    shared: HashMap<IpAddr, usize>,
}

/// A connection's place; given back when dropped.
pub struct Seat {
    seats: Arc<Seats>,
    kind: Kind,
}

enum Kind {
    Personal {
        id: u64,
        participant: String,
        replaced: Arc<Notify>,
    },
    Shared {
        address: IpAddr,
    },
}

/// An address that holds as many observer connections as it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyFromAddress {
    pub limit: usize,
}

impl Seats {
    /// At most `per_participant` connections a personal token, and
    /// `per_address` observer connections an address (0: no bound).
    pub fn new(per_participant: usize, per_address: usize) -> Arc<Seats> {
        Arc::new(Seats {
            per_participant: per_participant.max(1),
            per_address: if per_address == 0 {
                usize::MAX
            } else {
                per_address
            },
            inner: Mutex::default(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A seat for `you` connecting from `address`: an observer's counts against
    /// its address (refused past the cap); anyone else's replaces their oldest
    /// connection when they hold too many.
    pub fn take(self: &Arc<Self>, you: &You, address: IpAddr) -> Result<Seat, TooManyFromAddress> {
        let address = super::admission::counted(address);
        let mut inner = self.lock();
        let kind = if you.role == Role::Observer {
            let n = inner.shared.entry(address).or_default();
            if *n >= self.per_address {
                return Err(TooManyFromAddress {
                    limit: self.per_address,
                });
            }
            *n += 1;
            Kind::Shared { address }
        } else {
            inner.next += 1;
            let id = inner.next;
            let replaced = Arc::new(Notify::new());
            let held = inner.personal.entry(you.id.clone()).or_default();
            held.push_back((id, replaced.clone()));
            while held.len() > self.per_participant {
                if let Some((_, oldest)) = held.pop_front() {
                    // Stored if it is not waiting yet: it is told all the same.
                    oldest.notify_one();
                }
            }
            Kind::Personal {
                id,
                participant: you.id.clone(),
                replaced,
            }
        };
        Ok(Seat {
            seats: self.clone(),
            kind,
        })
    }

    /// How many connections `participant` holds, and how many observers
    /// `address` has.
    pub fn held(&self, participant: &str, address: IpAddr) -> (usize, usize) {
        let inner = self.lock();
        (
            inner.personal.get(participant).map_or(0, VecDeque::len),
            inner
                .shared
                .get(&super::admission::counted(address))
                .copied()
                .unwrap_or(0),
        )
    }
}

impl Seat {
    /// Completes when a newer connection of the same participant replaced this
    /// one; never for an observer's.
    pub async fn replaced(&self) {
        match &self.kind {
            Kind::Personal { replaced, .. } => replaced.notified().await,
            Kind::Shared { .. } => std::future::pending().await,
        }
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut inner = self.seats.lock();
        match &self.kind {
            Kind::Personal {
                id, participant, ..
            } => {
                if let Some(held) = inner.personal.get_mut(participant) {
                    held.retain(|(i, _)| i != id);
                    if held.is_empty() {
                        inner.personal.remove(participant);
                    }
                }
            }
            Kind::Shared { address } => {
                if let Some(n) = inner.shared.get_mut(address) {
                    *n -= 1;
                    if *n == 0 {
                        inner.shared.remove(address);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn you(id: &str, role: Role) -> You {
        You {
            id: id.into(),
            name: id.into(),
            role,
            department: None,
        }
    }

    #[tokio::test]
    async fn a_fifth_connection_replaces_the_oldest_and_observers_count_per_address() {
        let seats = Seats::new(4, 2);
        let here: IpAddr = "192.0.2.1".parse().unwrap();
        let there: IpAddr = "192.0.2.2".parse().unwrap();
        let m01 = you("m01", Role::Member);
        let held: Vec<Seat> = (0..4).map(|_| seats.take(&m01, here).unwrap()).collect();
        let fifth = seats.take(&m01, there).unwrap();
        assert_eq!(seats.held("m01", here).0, 4);
        // The oldest is told; the others are not.
        tokio::time::timeout(std::time::Duration::from_secs(1), held[0].replaced())
            .await
            .expect("the oldest is replaced");
        for seat in &held[1..] {
            let told = tokio::time::timeout(std::time::Duration::from_millis(50), seat.replaced());
            assert!(told.await.is_err(), "only the oldest");
        }
        drop(held);
        drop(fifth);
        assert_eq!(seats.held("m01", here).0, 0);

        let o = you("o01", Role::Observer);
        let a = seats.take(&o, here).unwrap();
        let _b = seats.take(&o, here).unwrap();
        assert_eq!(
            seats.take(&o, here).err(),
            Some(TooManyFromAddress { limit: 2 })
        );
        let _elsewhere = seats.take(&o, there).unwrap();
        drop(a);
        assert!(
            seats.take(&o, here).is_ok(),
            "a seat given back is free again"
        );
    }

    #[test]
    fn observers_of_one_ipv6_64_share_its_cap() {
        let seats = Seats::new(4, 2);
        let o = you("o01", Role::Observer);
        let held: Vec<Seat> = ["2001:db8::1", "2001:db8::2"]
            .iter()
            .map(|a| seats.take(&o, a.parse().unwrap()).unwrap())
            .collect();
        let same_64: IpAddr = "2001:db8::ffff".parse().unwrap();
        assert_eq!(
            seats.take(&o, same_64).err(),
            Some(TooManyFromAddress { limit: 2 })
        );
        assert_eq!(seats.held("o01", same_64).1, 2);
        assert!(seats.take(&o, "2001:db8:0:1::1".parse().unwrap()).is_ok());
        drop(held);
        assert_eq!(seats.held("o01", same_64).1, 0);
    }
}
