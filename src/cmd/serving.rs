//! The options of a served meeting's port that `serve` and `run --listen` share:
//! the address participants open (`--public-url`) and TLS.

use crate::links::{lan_addresses, parse_base};
use crate::served::Listen;
use crate::tls::{self, ServerTls};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, clap::Args)]
pub struct Serving {
    /// The address participants open, when it is not this machine's own (a name
    /// in DNS, a proxy in front), e.g. https://meet.example.org [default: this
    /// machine's LAN address when listening on 0.0.0.0]
    #[arg(long, value_name = "URL", value_parser = parse_base)]
    public_url: Option<String>,
    /// Serve https and wss with this certificate (PEM, its chain after it)
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_key",
        conflicts_with = "tls_self_signed"
    )]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM)
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve https and wss with a certificate made for this machine (kept beside
    /// the journal and used again; phones ask once whether to trust it; terminals
    /// join with --ca JOURNAL.cert.pem)
    #[arg(long)]
    tls_self_signed: bool,
}

impl Serving {
    /// Where and how to listen at `addr` for the meeting recorded in `journal`;
    /// TLS is set up (and its certificate made, for `--tls-self-signed`) here, so
    /// that a bad file is refused before anything starts.
    pub fn listen(&self, addr: SocketAddr, journal: &Path) -> anyhow::Result<Listen> {
        let tls = self.tls(addr, journal)?;
        if let Some(tls) = &tls {
            for w in &tls.warnings {
                tracing::warn!("{w}");
            }
        }
        Ok(Listen {
            public_url: self.public_url.clone(),
            tls,
            ..Listen::at(addr)
        })
    }

    /// Whether any of these options was given.
    pub fn is_given(&self) -> bool {
        self.public_url.is_some() || self.tls_cert.is_some() || self.tls_self_signed
    }

    /// What `xieshang join` needs to be told to trust this port's certificate:
    /// ` --ca FILE` for a self-signed one, nothing otherwise.
    pub fn join_needs(&self, journal: &Path) -> String {
        if self.tls_self_signed {
            format!(" --ca {}", tls::self_signed_paths(journal).0.display())
        } else {
            String::new()
        }
    }

    fn tls(&self, addr: SocketAddr, journal: &Path) -> anyhow::Result<Option<ServerTls>> {
        if let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) {
            return tls::from_files(cert, key).map(Some);
        }
        if !self.tls_self_signed {
            return Ok(None);
        }
        let mut ips = lan_addresses();
        if !addr.ip().is_unspecified() {
            ips.push(addr.ip());
        }
        let names = tls::names_for(&ips, self.public_url.as_deref());
        tls::self_signed(journal, &names).map(Some)
    }
}

/// `--nats` and `--meeting-id`: publishing the meeting for relays
/// (`crate::relay`), shared by `run` and `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Publishing {
    /// Publish every event, once recorded, to this NATS server's JetStream (e.g.
    /// nats://127.0.0.1:4222), for `xieshang relay` to serve an audience from; the
    /// meeting never waits for it, and catches it up when it was away
    #[arg(long, value_name = "URL")]
    nats: Option<String>,
    /// The meeting's name on NATS [default: the plan file's name]
    #[arg(long, value_name = "ID", requires = "nats", value_parser = crate::relay::meeting_id)]
    meeting_id: Option<String>,
}

impl Publishing {
    /// What to publish where, when `--nats` was given.
    pub fn config(&self, plan: &Path, journal: &Path) -> Option<crate::relay::publish::Config> {
        let url = self.nats.clone()?;
        let id = self
            .meeting_id
            .clone()
            .unwrap_or_else(|| crate::relay::default_meeting_id(plan));
        Some(crate::relay::publish::Config {
            url,
            names: crate::relay::Names::new(&id),
            journal: journal.to_path_buf(),
        })
    }
}
