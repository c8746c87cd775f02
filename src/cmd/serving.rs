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
    #[command(flatten)]
    tls: Tls,
}

/// TLS on a port: the certificate given, or one made for this machine. Shared
/// by `serve`, `run` and `followups serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Tls {
    /// Serve https (and wss) with this certificate (PEM, its chain after it)
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
    /// Serve https (and wss) with a certificate made for this machine (kept
    /// beside the journal, or the register for `followups serve`, and used
    /// again; phones ask once whether to trust it; terminals join with --ca
    /// JOURNAL.cert.pem)
    #[arg(long)]
    tls_self_signed: bool,
}

impl Tls {
    /// Whether TLS was asked for.
    pub fn is_given(&self) -> bool {
        self.tls_cert.is_some() || self.tls_self_signed
    }

    /// The server's TLS for a port at `addr` (people opening `public_url`, when
    /// given), a self-signed certificate kept beside `beside`; `None` without
    /// TLS. A bad file is refused here, before anything starts; what a chair
    /// should know (an expired certificate, a new one made) is logged.
    pub fn server(
        &self,
        addr: SocketAddr,
        public_url: Option<&str>,
        beside: &Path,
    ) -> anyhow::Result<Option<ServerTls>> {
        let tls = if let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) {
            tls::from_files(cert, key)?
        } else if self.tls_self_signed {
            let mut ips = lan_addresses();
            if !addr.ip().is_unspecified() {
                ips.push(addr.ip());
            }
            let names = tls::names_for(&ips, public_url);
            tls::self_signed(beside, &names)?
        } else {
            return Ok(None);
        };
        for w in &tls.warnings {
            tracing::warn!("{w}");
        }
        Ok(Some(tls))
    }

    /// What a client needs to be told to trust this port's certificate:
    /// ` --ca FILE` for a self-signed one kept beside `beside`, nothing
    /// otherwise.
    pub fn trust(&self, beside: &Path) -> String {
        if self.tls_self_signed {
            format!(" --ca {}", tls::self_signed_paths(beside).0.display())
        } else {
            String::new()
        }
    }
}

impl Serving {
    /// Where and how to listen at `addr` for the meeting recorded in `journal`;
    /// TLS is set up (and its certificate made, for `--tls-self-signed`) here, so
    /// that a bad file is refused before anything starts.
    pub fn listen(&self, addr: SocketAddr, journal: &Path) -> anyhow::Result<Listen> {
        let tls = self.tls.server(addr, self.public_url.as_deref(), journal)?;
        Ok(Listen {
            public_url: self.public_url.clone(),
            tls,
            ..Listen::at(addr)
        })
    }

    /// Whether any of these options was given.
    pub fn is_given(&self) -> bool {
        self.public_url.is_some() || self.tls.is_given()
    }

    /// What `xieshang join` needs to be told to trust this port's certificate:
    /// ` --ca FILE` for a self-signed one, nothing otherwise.
    pub fn join_needs(&self, journal: &Path) -> String {
        self.tls.trust(journal)
    }
}

/// `--nats` and `--meeting-id`: publishing the meeting for relays
/// (`crate::relay`), shared by `run` and `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Publishing {
    /// Publish every event, once recorded, to this NATS server's JetStream (e.g.
    /// nats://127.0.0.1:4222, or tls://…), for `xieshang relay` to serve an
    /// audience from; the meeting never waits for it, and catches it up when it
    /// was away. Every message is signed: relays need the key this prints
    #[arg(long, value_name = "URL")]
    nats: Option<String>,
    /// The meeting's name on NATS [default: the plan file's name]
    #[arg(long, value_name = "ID", requires = "nats", value_parser = crate::relay::meeting_id)]
    meeting_id: Option<String>,
    #[command(flatten)]
    nats_options: NatsOptions,
}

impl Publishing {
    /// What to publish where, when `--nats` was given; credentials files are read
    /// (and refused when others could read them) here, before anything starts.
    pub fn config(
        &self,
        plan: &Path,
        journal: &Path,
    ) -> anyhow::Result<Option<crate::relay::publish::Config>> {
        let Some(url) = &self.nats else {
            return Ok(None);
        };
        let id = self
            .meeting_id
            .clone()
            .unwrap_or_else(|| crate::relay::default_meeting_id(plan));
        Ok(Some(crate::relay::publish::Config {
            nats: self.nats_options.nats(url)?,
            names: crate::relay::Names::new(&id),
            journal: journal.to_path_buf(),
        }))
    }
}

/// Who to be to NATS, and its TLS: for the chair's server (which may publish to
/// its meeting's subjects) and for relays (which may only read). See
/// docs/scale.md for a nats-server configuration that holds each to that.
/// Secrets come from owner-only files or the environment, never the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct NatsOptions {
    /// A NATS credentials file (`.creds`: a user JWT and its nkey seed), readable
    /// only by you
    #[arg(long, value_name = "FILE", requires = "nats", conflicts_with_all = ["nats_nkey", "nats_user", "nats_token_file"])]
    nats_creds: Option<PathBuf>,
    /// A file holding an nkey seed (SU…), readable only by you
    #[arg(long, value_name = "FILE", requires = "nats", conflicts_with_all = ["nats_user", "nats_token_file"])]
    nats_nkey: Option<PathBuf>,
    /// A NATS user name; its password comes from the environment variable
    /// XIESHANG_NATS_PASSWORD, or from --nats-password-file
    #[arg(
        long,
        value_name = "NAME",
        requires = "nats",
        conflicts_with = "nats_token_file"
    )]
    nats_user: Option<String>,
    /// A file holding the --nats-user's password, readable only by you
    #[arg(long, value_name = "FILE", requires = "nats_user")]
    nats_password_file: Option<PathBuf>,
    /// A file holding a NATS token, readable only by you (or the environment
    /// variable XIESHANG_NATS_TOKEN)
    #[arg(long, value_name = "FILE", requires = "nats")]
    nats_token_file: Option<PathBuf>,
    /// Check NATS's TLS certificate against this CA (PEM); TLS is then required
    #[arg(long, value_name = "FILE", requires = "nats")]
    nats_ca: Option<PathBuf>,
    /// A client certificate (PEM) for NATS's TLS, with --nats-key
    #[arg(long, value_name = "FILE", requires = "nats_key")]
    nats_cert: Option<PathBuf>,
    /// The client certificate's key (PEM), readable only by you
    #[arg(long, value_name = "FILE", requires = "nats_cert")]
    nats_key: Option<PathBuf>,
}

/// The environment variables that may hold a NATS secret.
pub const NATS_PASSWORD_ENV: &str = "XIESHANG_NATS_PASSWORD";
pub const NATS_TOKEN_ENV: &str = "XIESHANG_NATS_TOKEN";

impl NatsOptions {
    /// NATS at `url` as these options say, every file read and checked now.
    pub fn nats(&self, url: &str) -> anyhow::Result<crate::relay::Nats> {
        use crate::relay::NatsAuth;
        let secret = |path: &Path, what: &str| -> anyhow::Result<String> {
            let bytes = crate::private::read_given(path, what)
                .map_err(|e| anyhow::anyhow!("cannot read {what} {}: {e}", path.display()))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("{}: not text ({what})", path.display()))?;
            Ok(text.trim().to_string())
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let auth = if let Some(path) = &self.nats_creds {
            Some(NatsAuth::Credentials(secret(
                path,
                "a NATS credentials file",
            )?))
        } else if let Some(path) = &self.nats_nkey {
            Some(NatsAuth::Nkey(secret(path, "an nkey seed")?))
        } else if let Some(user) = &self.nats_user {
            let password = match &self.nats_password_file {
                Some(path) => secret(path, "a NATS password")?,
                None => env(NATS_PASSWORD_ENV).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--nats-user {user}: its password comes from {NATS_PASSWORD_ENV} or                          --nats-password-file"
                    )
                })?,
            };
            Some(NatsAuth::UserPassword {
                user: user.clone(),
                password,
            })
        } else if let Some(path) = &self.nats_token_file {
            Some(NatsAuth::Token(secret(path, "a NATS token")?))
        } else {
            env(NATS_TOKEN_ENV).map(NatsAuth::Token)
        };
        if let Some(key) = &self.nats_key {
            // Only checked here: the client library reads it when it connects.
            crate::private::read_given(key, "the NATS client certificate's key").map_err(|e| {
                anyhow::anyhow!("cannot read the NATS client key {}: {e}", key.display())
            })?;
        }
        for file in [&self.nats_ca, &self.nats_cert].into_iter().flatten() {
            std::fs::metadata(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        }
        Ok(crate::relay::Nats {
            url: url.to_string(),
            auth,
            ca: self.nats_ca.clone(),
            client_cert: self.nats_cert.clone().zip(self.nats_key.clone()),
        })
    }
}

/// `--max-per-address` and `--max-unauthenticated-per-address`, shared by `serve`
/// and `relay`.
#[derive(Debug, Clone, clap::Args)]
pub struct PerAddress {
    /// Audience and observer connections (a shared token) from one address at
    /// once. The default lets a hall in whose phones all reach the server through
    /// one address (a venue's Wi-Fi behind NAT), while no single host can take
    /// every seat; raise it for a larger hall, 0 for no bound (behind a proxy or a
    /// load balancer every client has its address)
    #[arg(long, value_name = "N", default_value_t = crate::server::Config::default().max_per_address)]
    pub max_per_address: usize,
    /// Connections from one address that have not said hello yet, at most: a
    /// stranger's bound before any token is shown. Lift it where many clients
    /// share an address and open the page in the same second: behind a proxy or
    /// a load balancer (every client has its address), a hall of more than a few
    /// hundred on one venue's Wi-Fi behind NAT, a load test from one machine
    #[arg(long, value_name = "N", default_value_t = crate::server::Config::default().max_strangers_per_address)]
    pub max_unauthenticated_per_address: usize,
}
