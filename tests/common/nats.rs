//! A real `nats-server -js` for the relay tests: a free loopback port, its store in
//! a temporary directory; killed when dropped. Missing, the tests say so and skip,
//! and under `CI=true` they fail. The broadcast's tests run it with the
//! configuration `docs/scale.md` documents (its users and their permissions, read
//! from the document itself), so a permission the code needs and the document
//! lacks fails a test.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Nats {
    child: Option<Child>,
    pub port: u16,
    pub store: tempfile::TempDir,
    /// A configuration file it runs with (instead of `-js` and no auth), and
    /// the environment that file's variables come from.
    config: Option<(std::path::PathBuf, Vec<(String, String)>)>,
}

/// The nats-server program, if this machine has one.
fn program() -> Option<String> {
    [
        "nats-server",
        "/usr/sbin/nats-server",
        "/usr/bin/nats-server",
    ]
    .into_iter()
    .find(|p| {
        Command::new(p)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
    .map(String::from)
}

impl Nats {
    /// A fresh server, or `None` (with the reason printed) where there is none.
    pub fn start() -> Option<Nats> {
        if program().is_none() {
            let why = "nats-server is not installed (Debian: apt-get install nats-server)";
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true and {why}"
            );
            eprintln!("skipped: {why}");
            return None;
        }
        let mut nats = Nats {
            child: None,
            port: super::room::free_port(),
            store: tempfile::tempdir().unwrap(),
            config: None,
        };
        nats.up();
        Some(nats)
    }

    /// A server run with the configuration `config` makes of its port and store
    /// directory, its `$VARIABLES` from `env`; `None` where there is none.
    pub fn start_configured(
        config: impl Fn(u16, &std::path::Path) -> String,
        env: &[(&str, &str)],
    ) -> Option<Nats> {
        let mut nats = Nats::start()?;
        nats.kill();
        let file = nats.store.path().join("nats-server.conf");
        std::fs::write(&file, config(nats.port, &nats.store.path().join("js"))).unwrap();
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        nats.config = Some((file, env));
        nats.up();
        Some(nats)
    }

    /// A server run with the `nats-server` configuration of docs/scale.md, for
    /// meeting `test`: the users [`MEETING`] and [`RELAY`] and nobody else.
    pub fn start_documented() -> Option<Nats> {
        let env = [("MEETING_PASSWORD", MEETING.1), ("RELAY_PASSWORD", RELAY.1)];
        Nats::start_configured(documented_config, &env)
    }

    /// A client connected as `user` (a user and its password).
    pub async fn connect_as(&self, (user, password): (&str, &str)) -> async_nats::Client {
        async_nats::ConnectOptions::with_user_and_password(user.into(), password.into())
            .connect(self.url())
            .await
            .unwrap()
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on its port and store, and waits for it.
    pub fn up(&mut self) {
        let mut command = Command::new(program().expect("checked"));
        match &self.config {
            None => command
                .args(["-js", "-a", "127.0.0.1", "-p"])
                .arg(self.port.to_string())
                .arg("-sd")
                .arg(self.store.path()),
            Some((file, env)) => command.arg("-c").arg(file).envs(env.iter().cloned()),
        };
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server starts");
        self.child = Some(child);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "nats-server did not listen"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server (SIGKILL): what it had stored stays in its store.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The documented configuration's user for the meeting's server, and its password
/// in the tests.
pub const MEETING: (&str, &str) = ("meeting", "m-secret");
/// Its user for relays.
pub const RELAY: (&str, &str) = ("relay", "r-secret");

/// The `nats-server` configuration of docs/scale.md, for meeting `test` on
/// `port` with its store in `store`.
pub fn documented_config(port: u16, store: &std::path::Path) -> String {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scale.md")).unwrap();
    let start = doc
        .find("<!-- nats-server.conf")
        .expect("docs/scale.md shows the configuration");
    let block = &doc[start..];
    let block = &block[block.find("```conf\n").unwrap() + 8..];
    let block = &block[..block.find("```").unwrap()];
    block
        .replace("127.0.0.1:4222", &format!("127.0.0.1:{port}"))
        .replace("/var/lib/nats", &store.display().to_string())
        .replace("huishang-supervision", "test")
}
