//! One served meeting: the hub task and, when participants may join, the port
//! (`server::run`) in front of it, started and stopped in one place for every
//! subcommand that runs a meeting (`run --listen`, `serve`, `serve --replay`,
//! `demo`, `simulate`). The links participants open are made once, here, by
//! [`Links`].

use crate::hub::task::{self, HubHandle};
use crate::hub::{self, HubError};
use crate::links::Links;
use crate::meeting::Plan;
use crate::server::{self, tokens, Tokens};
use anyhow::Context;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Where a meeting's journal goes unless told otherwise: `meetings/<plan>.journal`.
pub fn default_journal(plan: &Path) -> PathBuf {
    let stem = plan
        .file_stem()
        .map_or("meeting".into(), |s| s.to_string_lossy().into_owned());
    PathBuf::from("meetings").join(format!("{stem}.journal"))
}

/// Opens the meeting of `plan` on its journal (one writer; created or resumed),
/// then its tokens beside it: a journal that is refused leaves no tokens file.
///
/// With `accept_change`, a journal recorded from an earlier version of the plan
/// resumes under this one when only names, titles or times changed
/// (`hub::Hub::open_accepting`).
pub fn open_live(
    plan: Plan,
    sha256: &str,
    journal: &Path,
    with_tokens: bool,
    accept_change: bool,
) -> anyhow::Result<(hub::Opened, Option<Tokens>)> {
    let opened =
        hub::Hub::open_accepting(plan, sha256, journal, crate::clock::now_ms(), accept_change)
            .with_context(|| format!("cannot open the meeting's journal {}", journal.display()))?;
    for w in &opened.warnings {
        tracing::warn!("{w}");
    }
    if let Some(u) = opened.unaccounted {
        tracing::warn!(
            last_record_ms = u.since_ms,
            unaccounted_ms = u.ms,
            "the meeting last stopped without a record of when (a crash?): the turn's clock is paused as of the last record; the time since is not counted"
        );
    }
    let tokens = if with_tokens {
        let file = tokens::path_for(journal);
        Some(
            Tokens::load_or_create(&file, &opened.hub.state().plan)
                .with_context(|| format!("cannot keep the tokens in {}", file.display()))?,
        )
    } else {
        None
    };
    Ok((opened, tokens))
}

/// Where participants join: an address, whether another port will do when its
/// own is taken (a second demo), the address they open when it is not this
/// machine's, and TLS.
#[derive(Debug, Clone)]
pub struct Listen {
    pub addr: SocketAddr,
    pub any_port_if_taken: bool,
    /// `--public-url`: what links are made of (a name in DNS, a proxy in front).
    pub public_url: Option<String>,
    pub tls: Option<crate::tls::ServerTls>,
}

impl Listen {
    pub fn at(addr: SocketAddr) -> Listen {
        Listen {
            addr,
            any_port_if_taken: false,
            public_url: None,
            tls: None,
        }
    }
}

/// A meeting being served.
pub struct Running {
    pub hub: HubHandle,
    /// Where the port listens, when participants may join.
    pub addr: Option<SocketAddr>,
    /// What participants open, when they may join.
    pub links: Option<Links>,
    pub tokens: Option<Tokens>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    hub_task: JoinHandle<Result<(), HubError>>,
    /// Publishing to NATS (`--nats`), when asked, and whether NATS is there now.
    publisher: Option<(JoinHandle<()>, Arc<std::sync::atomic::AtomicBool>)>,
    /// What feeds the hub its events when it is not live (a replay's player, a
    /// relay's follower): stopped first.
    feeders: Vec<JoinHandle<()>>,
}

impl Running {
    /// The hub of a live meeting (its hub and history as opened), and the port
    /// when there are `tokens` and a place to `listen`.
    pub async fn live(
        opened: hub::Opened,
        tokens: Option<Tokens>,
        listen: Option<Listen>,
        config: server::Config,
    ) -> anyhow::Result<Running> {
        Running::live_observed(opened, tokens, listen, config, None).await
    }

    /// [`Running::live`], `also` called with each event as it is recorded (the
    /// register taking a review step's events).
    pub async fn live_observed(
        opened: hub::Opened,
        tokens: Option<Tokens>,
        listen: Option<Listen>,
        config: server::Config,
        also: Option<task::Observer>,
    ) -> anyhow::Result<Running> {
        let walk_ins = tokens.as_ref().map(Tokens::walk_ins);
        let observer: Option<task::Observer> = match (walk_ins, also) {
            (Some(mut a), Some(mut b)) => Some(Box::new(move |e: &crate::journal::Entry| {
                a(e);
                b(e);
            })),
            (a, b) => a.or(b),
        };
        let (hub, hub_task) = match observer {
            Some(observer) => {
                task::spawn_observed(opened.hub, &opened.history, task::RECENT, observer)
            }
            None => task::spawn(opened.hub, &opened.history),
        };
        Running::serve(hub, hub_task, tokens, listen, config).await
    }

    /// A recorded meeting played to whoever connects (its events come in through
    /// `HubHandle::play`; every intent is refused).
    pub async fn replay(
        plan: Arc<Plan>,
        journal: PathBuf,
        tokens: Tokens,
        listen: Listen,
        config: server::Config,
    ) -> anyhow::Result<Running> {
        let (hub, hub_task) = task::spawn_replay(plan, journal);
        let config = server::Config {
            watch: Some("replay"),
            ..config
        };
        Running::serve(hub, hub_task, Some(tokens), Some(listen), config).await
    }

    async fn serve(
        hub: HubHandle,
        hub_task: JoinHandle<Result<(), HubError>>,
        tokens: Option<Tokens>,
        listen: Option<Listen>,
        config: server::Config,
    ) -> anyhow::Result<Running> {
        let mut running = Running {
            hub,
            addr: None,
            links: None,
            tokens: None,
            stop: None,
            server: None,
            hub_task,
            publisher: None,
            feeders: Vec::new(),
        };
        let (Some(tokens), Some(listen)) = (tokens, listen) else {
            return Ok(running);
        };
        let listener = bind(&listen).await?;
        let addr = listener.local_addr()?;
        let links = Links::new(
            addr,
            listen.public_url.as_deref(),
            listen.tls.is_some(),
            &crate::links::lan_addresses(),
        );
        if let Some(note) = &links.note {
            tracing::warn!("{note}");
        }
        let config = server::Config {
            tls: listen.tls,
            ..config
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(server::run(
            listener,
            running.hub.clone(),
            tokens.clone(),
            config,
            async {
                let _ = stopped.await;
            },
        ));
        tracing::info!(%addr, pages = %links.base, "serving participants");
        running.addr = Some(addr);
        running.links = Some(links);
        running.tokens = Some(tokens);
        running.stop = Some(stop);
        running.server = Some(server);
        Ok(running)
    }

    /// The websocket on this machine's loopback, for the clients this process runs
    /// itself (a demo's simulated participants): plain, so never with TLS.
    pub fn local_url(&self) -> Option<String> {
        let addr = self.addr?;
        let ip = match addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => [127, 0, 0, 1].into(),
            ip if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
            ip => ip,
        };
        Some(format!("ws://{}/ws", SocketAddr::new(ip, addr.port())))
    }

    /// Publishes every event, once durable, to the meeting's JetStream stream
    /// (`crate::relay::publish`), for relays to serve an audience from, signed
    /// with the key kept beside the journal: its public half (which relays are
    /// given) and what the chair should read about the publishing.
    pub fn publish(
        &mut self,
        config: crate::relay::publish::Config,
    ) -> anyhow::Result<(
        crate::relay::signature::PublicKey,
        tokio::sync::mpsc::UnboundedReceiver<crate::relay::publish::Alert>,
    )> {
        let started = crate::relay::publish::spawn(self.hub.clone(), config)?;
        self.publisher = Some((started.task, started.connected));
        Ok((started.key, started.alerts))
    }

    /// A task that feeds the hub (a replay's player, a relay's follower), stopped
    /// with the meeting.
    pub fn feed(&mut self, feeder: JoinHandle<()>) {
        self.feeders.push(feeder);
    }

    /// A meeting followed from its broadcast (a relay, `crate::relay::follow`): its
    /// events come in through `HubHandle::play`; every intent is refused as a
    /// broadcast; viewers hold the audience's token.
    pub async fn relay(
        plan: Arc<Plan>,
        tokens: Tokens,
        listen: Listen,
        config: server::Config,
    ) -> anyhow::Result<Running> {
        let (hub, hub_task) = task::spawn_relay(plan, task::RECENT);
        let config = server::Config {
            watch: Some("broadcast"),
            ..config
        };
        Running::serve(hub, hub_task, Some(tokens), Some(listen), config).await
    }

    /// Serves until `signal` completes or the hub stops by itself (its record could
    /// not be written), then stops; says what to do when the record failed.
    pub async fn until(self, signal: impl Future) -> anyhow::Result<()> {
        let hub = self.hub.clone();
        tokio::select! {
            _ = signal => {}
            _ = hub.closed() => {}
        }
        let failure = hub.failure().cloned();
        drop(hub);
        match (self.stop().await, failure) {
            (Ok(()), _) => Ok(()),
            (Err(_), Some(failure)) => anyhow::bail!("{}", failure.sentence()),
            (Err(e), None) => Err(e.into()),
        }
    }

    /// Closes every connection (1001), then lets the hub finish what is queued and
    /// close the journal (releasing its lock), whoever else holds a handle; the
    /// publisher then gets a moment to hand NATS the last batch.
    pub async fn stop(self) -> Result<(), HubError> {
        let Running {
            hub,
            stop,
            server,
            hub_task,
            publisher,
            feeders,
            ..
        } = self;
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
        if let Some(server) = server {
            let _ = server.await;
        }
        for feeder in feeders {
            feeder.abort();
        }
        hub.stop().await;
        drop(hub);
        let closed = hub_task.await.unwrap_or(Err(HubError::Stopped));
        if let Some((mut publisher, connected)) = publisher {
            // What was recorded last goes out too, if NATS is there and takes it
            // soon; the journal has it either way, and the next start publishes
            // the rest.
            let drain = if connected.load(std::sync::atomic::Ordering::Relaxed) {
                PUBLISH_DRAIN
            } else {
                std::time::Duration::ZERO
            };
            let flushed = tokio::time::timeout(drain, &mut publisher).await;
            if flushed.is_err() {
                publisher.abort();
                tracing::warn!(
                    "NATS did not take the last events (within {} s, and only while connected): \
                     the next start publishes them",
                    PUBLISH_DRAIN.as_secs()
                );
            }
        }
        closed
    }
}

/// How long a stopping server waits for NATS to take what it recorded last.
pub const PUBLISH_DRAIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Listens on `listen.addr`; when its port is taken and that is allowed, on any
/// free port of the same address instead.
async fn bind(listen: &Listen) -> anyhow::Result<tokio::net::TcpListener> {
    let addr = listen.addr;
    match crate::server::admission::listen(addr) {
        Ok(l) => Ok(l),
        Err(e) if listen.any_port_if_taken && e.kind() == std::io::ErrorKind::AddrInUse => {
            let any = SocketAddr::new(addr.ip(), 0);
            tracing::warn!(%addr, "in use; listening on a free port instead");
            crate::server::admission::listen(any).with_context(|| format!("cannot listen on {any}"))
        }
        Err(e) => Err(e).with_context(|| format!("cannot listen on {addr}")),
    }
}
