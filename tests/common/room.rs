//! What tests that serve a meeting share: the plan in Chinese in a directory, a
//! free loopback port, the tokens a server made, waiting for an event.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use xieshang::client::Client;
use xieshang::meeting::EventKind;
use xieshang::protocol::ServerFrame;

/// `PLAN` in Chinese, written to `dir/plan.toml`.
pub fn zh_plan(dir: &Path) -> PathBuf {
    let plan = dir.join("plan.toml");
    std::fs::write(
        &plan,
        super::PLAN.replace("language = \"en\"", "language = \"zh\""),
    )
    .unwrap();
    plan
}

/// A loopback port nothing listens on (just now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The tokens kept beside `journal`: participant id → token.
pub fn tokens_of(journal: &Path) -> BTreeMap<String, String> {
    serde_json::from_slice(&std::fs::read(xieshang::server::tokens::path_for(journal)).unwrap())
        .unwrap()
}

/// Reads the client's frames until an event matches (10 s at most).
pub async fn until(client: &mut Client, what: impl Fn(&EventKind) -> bool) {
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let ServerFrame::Event { event, .. } = client.next().await.unwrap() {
                if what(&event) {
                    return;
                }
            }
        }
    });
    found.await.expect("the event came");
}
