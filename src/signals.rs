//! Stopping when told. Every long-running command stops on SIGTERM (a service
//! manager, `kill`) and SIGINT (Ctrl-C, or `kill -INT`), and a console also on
//! SIGHUP (a dropped SSH connection): it closes its connections (1001), lets the
//! hub finish what is queued and close the journal (releasing its lock), and exits
//! 0. Whoever cannot wait sends a second signal: the process then ends at once
//! (everything acknowledged is already on disk; the journal's lock goes with the
//! process).

use tokio::signal::unix::{signal, Signal, SignalKind};

/// The exit status of a process ended by a second signal.
pub const STOPPED_AT_ONCE: i32 = 130;

/// The signals that stop a command.
pub struct Stop {
    term: Signal,
    int: Signal,
    hangup: Option<Signal>,
}

impl Stop {
    /// Listens for SIGTERM and SIGINT, from now on: a signal that arrives before
    /// [`Stop::requested`] is awaited is not lost.
    pub fn listen() -> std::io::Result<Stop> {
        Ok(Stop {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hangup: None,
        })
    }

    /// [`Stop::listen`], and SIGHUP too (a console whose terminal went away).
    pub fn listen_with_hangup() -> std::io::Result<Stop> {
        let mut stop = Stop::listen()?;
        stop.hangup = Some(signal(SignalKind::hangup())?);
        Ok(stop)
    }

    /// Completes on the first signal, naming it; from then on a second one ends
    /// the process at once.
    pub async fn requested(mut self) -> &'static str {
        let first = self.next().await;
        tracing::info!("{first}: stopping");
        tokio::spawn(async move {
            let second = self.next().await;
            tracing::warn!("{second} again: stopping at once");
            eprintln!("xieshang: {second} again: stopped at once");
            std::process::exit(STOPPED_AT_ONCE);
        });
        first
    }

    async fn next(&mut self) -> &'static str {
        let Stop { term, int, hangup } = self;
        let hangup = async {
            match hangup {
                Some(h) => h.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
            _ = hangup => "SIGHUP",
        }
    }
}

/// Completes on the first SIGTERM or SIGINT (a second one ends the process at
/// once). The handlers are set when this is first polled: a command that must
/// not miss an early signal uses [`Stop::listen`] first.
pub async fn requested() -> &'static str {
    match Stop::listen() {
        Ok(stop) => stop.requested().await,
        Err(e) => {
            tracing::error!("cannot listen for signals: {e}");
            std::future::pending().await
        }
    }
}
