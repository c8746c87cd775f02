//! A meeting broadcast over a real `nats-server -js`: the chair's server with
//! `--nats`, relays that follow it, and what tests read of the stream. NATS runs
//! with docs/scale.md's configuration: the chair's server is its `meeting` user,
//! relays its `relay` user, and whoever tests what someone else could publish
//! does it as the `meeting` user (an account misused, or left open).

use super::nats::{Nats, MEETING, RELAY};
use super::room::{free_port, tokens_of, zh_plan};
use super::serve::Serve;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;
use xieshang::client::{Client, ClientError};
use xieshang::meeting::Command;

pub struct Broadcast {
    pub nats: Nats,
    pub dir: tempfile::TempDir,
    pub hub: Serve,
    pub tokens: BTreeMap<String, String>,
}

impl Broadcast {
    /// A Chinese meeting served with `--nats`, published as meeting `test`.
    pub fn start() -> Option<Broadcast> {
        Nats::start_documented().map(Broadcast::on)
    }

    /// [`Broadcast::start`] on a NATS started already (with docs/scale.md's
    /// configuration).
    pub fn on(nats: Nats) -> Broadcast {
        let dir = tempfile::tempdir().unwrap();
        zh_plan(dir.path());
        let hub = serve_published(dir.path(), &nats.url());
        let tokens = tokens_of(&dir.path().join("m.journal"));
        Broadcast {
            nats,
            dir,
            hub,
            tokens,
        }
    }

    pub fn journal(&self) -> PathBuf {
        self.dir.path().join("m.journal")
    }

    /// The chair's server started again on the same journal (the one before
    /// killed), on a new port.
    pub fn restart_hub(&mut self) {
        self.hub.child.kill().unwrap();
        self.hub.child.wait().unwrap();
        self.hub = serve_published(self.dir.path(), &self.nats.url());
    }

    /// A client of NATS as someone who may publish to the meeting's subjects
    /// without being its server (the `meeting` account misused).
    pub async fn intruder(&self) -> async_nats::Client {
        self.nats.connect_as(MEETING).await
    }

    pub fn relay(&self) -> Serve {
        self.relay_with(&[])
    }

    /// A relay of this meeting, with more switches.
    pub fn relay_with(&self, more: &[&str]) -> Serve {
        let more = [&["--nats-user", RELAY.0][..], more].concat();
        relay_of(
            &self.nats.url(),
            &self.journal(),
            &more,
            &[("XIESHANG_NATS_PASSWORD", RELAY.1)],
        )
    }

    /// The meeting started: the chair, a member, a department's representative
    /// and an observer, each on the hub.
    pub async fn started(&self) -> [Client; 4] {
        let mut chair = self.join("chair").await;
        ok(&mut chair, Command::StartMeeting).await;
        let m01 = self.join("m01").await;
        let d_eco = self.join("d-eco").await;
        let on_hub = self.join("o01").await;
        [chair, m01, d_eco, on_hub]
    }

    pub async fn join(&self, who: &str) -> Client {
        Client::connect(&self.hub.url, &self.tokens[who], None)
            .await
            .unwrap()
    }
}

/// `serve DIR/plan.toml --journal DIR/m.journal` published to NATS at `url` as
/// the documented `meeting` user.
fn serve_published(dir: &std::path::Path, url: &str) -> Serve {
    let listen = format!("127.0.0.1:{}", free_port());
    published(
        &dir.join("plan.toml"),
        &dir.join("m.journal"),
        url,
        &["--listen", &listen, "--nats-user", MEETING.0],
        &[("XIESHANG_NATS_PASSWORD", MEETING.1)],
    )
}

/// `serve PLAN --journal JOURNAL --nats URL --meeting-id test` and `more` (a
/// `--listen` among them, else any free port), with `env`.
pub fn published(
    plan: &std::path::Path,
    journal: &std::path::Path,
    url: &str,
    more: &[&str],
    env: &[(&str, &str)],
) -> Serve {
    let (plan, journal) = (plan.display().to_string(), journal.display().to_string());
    let mut args = vec![
        "serve",
        &plan,
        "--journal",
        &journal,
        "--nats",
        url,
        "--meeting-id",
        "test",
    ];
    if !more.contains(&"--listen") {
        args.extend(["--listen", "127.0.0.1:0"]);
    }
    args.extend_from_slice(more);
    Serve::with_args_env(&args, env)
}

/// A relay of meeting `test` on NATS at `url`, trusting the key kept beside
/// `journal`, with `more` switches and `env`.
pub fn relay_of(
    url: &str,
    journal: &std::path::Path,
    more: &[&str],
    env: &[(&str, &str)],
) -> Serve {
    let key = xieshang::relay::signature::paths_for(journal)
        .1
        .display()
        .to_string();
    let mut args = vec![
        "relay",
        "--nats",
        url,
        "--meeting",
        "test",
        "--listen",
        "127.0.0.1:0",
        "--publisher-key",
        &key,
    ];
    args.extend_from_slice(more);
    Serve::with_args_env(&args, env)
}

pub async fn viewer(relay: &Serve) -> Client {
    Client::connect(&relay.url, "audience", None).await.unwrap()
}

pub async fn ok(c: &mut Client, action: Command) -> u64 {
    let name = action.name();
    match c.intent(action).await.unwrap() {
        Ok(seq) => seq.unwrap_or(c.seq),
        Err((code, message)) => panic!("{name}: {code:?} {message}"),
    }
}

/// Reads until the client holds `seq` (each event applied in order: a gap is an
/// error, a duplicate is never applied twice).
pub async fn reach(c: &mut Client, seq: u64) {
    reach_within(c, seq, Duration::from_secs(20)).await
}

/// [`reach`], failing when it takes longer than `limit`.
pub async fn reach_within(c: &mut Client, seq: u64, limit: Duration) {
    tokio::time::timeout(limit, async {
        while c.seq < seq {
            match c.next().await {
                Ok(_) => {}
                Err(ClientError::Gap { expected, got }) => {
                    panic!("a gap: expected {expected}, got {got}")
                }
                Err(e) => panic!("{e}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("reached {} of {seq} in time", c.seq));
}

/// Every event message in the meeting's stream, by the `seq` it carries (read
/// as a relay).
pub async fn stream_seqs(nats: &Nats) -> Vec<u64> {
    use async_nats::jetstream::{self, consumer};
    use futures_util::StreamExt;
    let js = jetstream::new(nats.connect_as(RELAY).await);
    let stream = js.get_stream("XIESHANG_test").await.unwrap();
    let consumer = stream
        .create_consumer(consumer::pull::OrderedConfig {
            filter_subject: "xieshang.test.events".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut messages = consumer.messages().await.unwrap();
    let mut seqs = Vec::new();
    while let Ok(Some(m)) = tokio::time::timeout(Duration::from_millis(500), messages.next()).await
    {
        let v: serde_json::Value = serde_json::from_slice(&m.unwrap().payload).unwrap();
        seqs.push(v["seq"].as_u64().unwrap());
    }
    seqs
}

/// Reads until a `notice` frame comes; its reason and Chinese sentence.
pub async fn notice(c: &mut Client) -> (String, String) {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if let xieshang::protocol::ServerFrame::Notice {
                reason, messages, ..
            } = c.next().await.unwrap()
            {
                return (reason, messages.zh);
            }
        }
    })
    .await
    .expect("a notice in time")
}
