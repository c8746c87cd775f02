//! Junk on a meeting's subjects (issue 35, item 2): NATS run with the
//! configuration docs/scale.md documents (its `meeting` and `relay` users); a
//! stream made as an earlier version made it (no limit on a message's size);
//! the meeting (2,000 events) published; then 300 messages of 1 MB on its events
//! subject and 150 on its header subject from someone with the meeting's rights;
//! then the chair's server started again (how long until its next event is on
//! the stream, and its peak RSS), and a new relay (how long until a viewer holds
//! the meeting as the stream holds it, and its peak RSS).
//!
//! cargo bench --bench relay_junk                 (needs nats-server)
//! FANOUT_BIN=/path/to/an/older/xieshang RELAY_DOC=/path/to/its/docs/scale.md \
//!     cargo bench --bench relay_junk             (before)

use async_nats::jetstream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use xieshang::journal::{self, Journal};

#[path = "workload.rs"]
mod workload;

#[path = "fanout/server.rs"]
mod server;

use server::Server;

const EVENTS: usize = 2_000;
const MEETING: &str = "junk";

/// nats-server with the documented configuration for meeting `junk`.
struct Nats {
    child: Child,
    url: String,
    _store: tempfile::TempDir,
}

impl Nats {
    fn start() -> Option<Nats> {
        let program = ["nats-server", "/usr/sbin/nats-server"]
            .into_iter()
            .find(|p| Command::new(p).arg("--version").output().is_ok())?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let store = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let doc = std::env::var("RELAY_DOC")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scale.md").into());
        let doc = std::fs::read_to_string(doc).unwrap();
        let block = &doc[doc.find("<!-- nats-server.conf").unwrap()..];
        let block = &block[block.find("```conf\n").unwrap() + 8..];
        let block = &block[..block.find("```").unwrap()];
        let config = block
            .replace("127.0.0.1:4222", &format!("127.0.0.1:{port}"))
            .replace(
                "/var/lib/nats",
                &store.path().join("js").display().to_string(),
            )
            .replace("huishang-supervision", MEETING);
        let file = store.path().join("nats-server.conf");
        std::fs::write(&file, config).unwrap();
        let child = Command::new(program)
            .arg("-c")
            .arg(&file)
            .env("MEETING_PASSWORD", "m-secret")
            .env("RELAY_PASSWORD", "r-secret")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Nats {
            child,
            url: format!("nats://127.0.0.1:{port}"),
            _store: store,
        })
    }

    async fn connect_as(&self, user: &str, password: &str) -> async_nats::Client {
        async_nats::ConnectOptions::with_user_and_password(user.into(), password.into())
            .connect(&self.url)
            .await
            .unwrap()
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A journal of `EVENTS` of the workload's events, and its plan.
fn meeting(dir: &Path) -> (PathBuf, PathBuf) {
    let plan = dir.join("plan.toml");
    std::fs::write(&plan, workload::SCENARIO).unwrap();
    let path = dir.join("m.journal");
    let mut j = Journal::open_or_create(
        &path,
        &workload::plan(),
        &journal::digest(workload::SCENARIO.as_bytes()),
        workload::T0,
    )
    .unwrap()
    .journal;
    use xieshang::meeting::{execute, Command, Ctx, State};
    let mut state = State::new(workload::plan());
    let mut events = execute(
        &mut state,
        Command::StartMeeting,
        Ctx::by("chair", workload::T0),
    )
    .unwrap();
    let goto = Command::GotoStep { item: 0, step: 3 };
    events.extend(execute(&mut state, goto, Ctx::by("chair", workload::T0)).unwrap());
    events.extend(workload::run(&mut state, (EVENTS / 16 + 1) as u64));
    events.truncate(EVENTS);
    j.append(events).unwrap();
    j.close().unwrap();
    (plan, path)
}

/// A password file only its owner reads.
fn password(dir: &Path, name: &str, secret: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, secret).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path.display().to_string()
}

fn serve(nats: &Nats, plan: &Path, journal: &Path, dir: &Path) -> Server {
    Server::xieshang_with(
        plan,
        journal,
        &[
            "--nats",
            &nats.url,
            "--meeting-id",
            MEETING,
            "--nats-user",
            "meeting",
            "--nats-password-file",
            &password(dir, "meeting.password", "m-secret"),
        ],
    )
}

/// The `seq` of the last event on the stream (0: none).
async fn last_on_stream(stream: &jetstream::stream::Stream) -> u64 {
    let Ok(m) = stream
        .get_last_raw_message_by_subject(&format!("xieshang.{MEETING}.events"))
        .await
    else {
        return 0;
    };
    serde_json::from_slice::<serde_json::Value>(&m.payload)
        .ok()
        .and_then(|v| v["seq"].as_u64())
        .unwrap_or(0)
}

fn peak_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let Some(nats) = Nats::start() else {
        println!("relay_junk: not measured (no nats-server)");
        return;
    };
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let (plan, journal) = meeting(dir.path());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let limit = Duration::from_secs(180);
    runtime.block_on(async {
        let js = jetstream::new(nats.connect_as("meeting", "m-secret").await);
        let old = jetstream::stream::Config {
            name: format!("XIESHANG_{MEETING}"),
            subjects: vec![format!("xieshang.{MEETING}.>")],
            storage: jetstream::stream::StorageType::File,
            duplicate_window: Duration::from_secs(120),
            ..Default::default()
        };
        let stream = js.create_stream(old.clone()).await.unwrap();
        // The meeting published.
        let mut hub = serve(&nats, &plan, &journal, dir.path());
        let started = Instant::now();
        while last_on_stream(&stream).await < EVENTS as u64 {
            assert!(started.elapsed() < limit, "the meeting was not published");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        hub.stop();
        // As an earlier version left it: any size taken (a newer one has set
        // its limit by now).
        if stream.get_info().await.unwrap().config.max_message_size > 0 {
            js.update_stream(&old).await.unwrap();
        }
        // The junk.
        let junk = vec![b'x'; 1_000_000];
        let mut acks = Vec::new();
        for i in 0..450 {
            let subject = if i % 3 == 2 { "header" } else { "events" };
            acks.push(
                js.publish(format!("xieshang.{MEETING}.{subject}"), junk.clone().into())
                    .await
                    .unwrap(),
            );
        }
        for ack in acks {
            ack.await.unwrap();
        }
        println!("relay_junk: {EVENTS} events published, then 300 + 150 messages of 1 MB");
        // Let the disk take it, as junk left there earlier would be.
        let _ = Command::new("sync").status();
        tokio::time::sleep(Duration::from_secs(2)).await;

        // The chair's server started again.
        let started = Instant::now();
        let hub = serve(&nats, &plan, &journal, dir.path());
        let tokens: std::collections::BTreeMap<String, String> = serde_json::from_slice(
            &std::fs::read(xieshang::server::tokens::path_for(&journal)).unwrap(),
        )
        .unwrap();
        let mut chair = xieshang::client::Client::connect(&hub.url, &tokens["chair"], None)
            .await
            .unwrap();
        let extend = xieshang::meeting::Command::ExtendTimer {
            timer: xieshang::meeting::TimerName::Step,
            seconds: 60,
        };
        let seq = chair.intent(extend).await.unwrap().unwrap().unwrap();
        let published = loop {
            if last_on_stream(&stream).await >= seq {
                break Some(started.elapsed());
            }
            if started.elapsed() > limit {
                break None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        tokio::time::sleep(Duration::from_secs(3)).await;
        println!(
            "  the chair's server, started again: its next event on the stream after {}, peak RSS {:.0} MB",
            published.map_or(format!("more than {limit:?}"), |d| format!("{d:.2?}")),
            peak_kib(hub.child.id()) as f64 / 1024.0
        );

        // A new relay: how long until a viewer holds what the stream holds.
        let seq = last_on_stream(&stream).await;
        let started = Instant::now();
        let relay = Server::xieshang_args(&[
            "relay".into(),
            "--nats".into(),
            nats.url.clone(),
            "--meeting".into(),
            MEETING.into(),
            "--listen".into(),
            "127.0.0.1:0".into(),
            "--publisher-key".into(),
            format!("{}.publisher.pub", journal.display()),
            "--nats-user".into(),
            "relay".into(),
            "--nats-password-file".into(),
            password(dir.path(), "relay.password", "r-secret"),
        ]);
        let mut viewer = xieshang::client::Client::connect(&relay.url, "audience", None)
            .await
            .unwrap();
        let served = tokio::time::timeout(limit, async {
            while viewer.seq < seq {
                if viewer.next().await.is_err() {
                    return None;
                }
            }
            Some(started.elapsed())
        })
        .await
        .ok()
        .flatten();
        println!(
            "  a new relay: the meeting served to a viewer after {}, peak RSS {:.0} MB",
            served.map_or(format!("more than {limit:?}"), |d| format!("{d:.2?}")),
            peak_kib(relay.child.id()) as f64 / 1024.0
        );
    });
}
