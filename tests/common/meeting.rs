//! A served meeting in this process on 127.0.0.1:0, with helpers for clients.

use super::PLAN;
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::net::TcpListener;
use xieshang::client::{Client, ClientError};
use xieshang::hub::task::{self, HubHandle};
use xieshang::hub::Hub;
use xieshang::journal;
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::Command;
use xieshang::protocol::ErrorCode;
use xieshang::server::{self, Config, Tokens};

pub struct Meeting {
    pub url: String,
    pub hub: HubHandle,
    pub tokens: BTreeMap<String, String>,
    /// The server's tokens themselves (walk-ins get theirs here).
    pub keys: Tokens,
    pub dir: tempfile::TempDir,
    pub stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Meeting {
    pub async fn start(config: Config) -> Meeting {
        Meeting::start_keeping(config, task::RECENT).await
    }

    /// A meeting whose hub keeps only the last `recent` events in memory.
    pub async fn start_keeping(config: Config, recent: usize) -> Meeting {
        Meeting::start_with(PLAN, config, recent).await
    }

    /// A meeting of the plan in `text`.
    pub async fn start_with(text: &str, config: Config, recent: usize) -> Meeting {
        let dir = tempfile::tempdir().unwrap();
        let plan = parse_plan("test.toml", text).unwrap();
        let journal = dir.path().join("m.journal");
        let tokens = Tokens::load_or_create(&server::tokens::path_for(&journal), &plan).unwrap();
        let ids = tokens
            .all()
            .into_iter()
            .map(|(t, y)| (y.id.clone(), t.to_string()))
            .collect();
        let opened = Hub::open(
            plan,
            &journal::digest(text.as_bytes()),
            &journal,
            xieshang::clock::now_ms(),
        )
        .unwrap();
        let (hub, _) = task::spawn_observed(opened.hub, &opened.history, recent, tokens.walk_ins());
        let keys = tokens.clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/ws", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server::run(listener, hub.clone(), tokens, config, async {
            let _ = stopped.await;
        }));
        Meeting {
            url,
            hub,
            tokens: ids,
            keys,
            dir,
            stop: Some(stop),
        }
    }

    pub async fn join(&self, who: &str) -> Client {
        Client::connect(&self.url, &self.tokens[who], None)
            .await
            .unwrap()
    }

    pub async fn server_state(&self) -> (u64, xieshang::meeting::State) {
        let at = self.hub.snapshot().await.unwrap();
        (at.seq, at.snapshot.to_state().unwrap())
    }
}

pub fn quick() -> Config {
    Config {
        hello_timeout: Duration::from_millis(300),
        write_timeout: Duration::from_millis(500),
        rate: 100_000.0,
        burst: 100_000.0,
        ..Config::default()
    }
}

pub async fn ok(c: &mut Client, action: Command) -> Option<u64> {
    let name = action.name();
    match c.intent(action).await.unwrap() {
        Ok(seq) => seq,
        Err((code, message)) => panic!("{} {name}: {code:?} {message}", c.you.id),
    }
}

pub async fn refused(c: &mut Client, action: Command) -> ErrorCode {
    let name = action.name();
    match c.intent(action).await.unwrap() {
        Ok(seq) => panic!("{} {name} was accepted ({seq:?})", c.you.id),
        Err((code, message)) => {
            assert!(!message.is_empty());
            code
        }
    }
}

/// Reads frames until the server closes; returns the close code.
pub async fn close_code(c: &mut Client) -> Option<u16> {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), c.next())
            .await
            .expect("closed in time")
        {
            Err(ClientError::Closed(frame)) => return frame.map(|f| u16::from(f.code)),
            Err(_) => return None,
            Ok(_) => {}
        }
    }
}
