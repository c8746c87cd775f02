//! `xieshang serve` as a child process, killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Serve {
    pub child: Child,
    /// `ws://…/ws` (or `wss://`), as the server printed it.
    pub url: String,
}

impl Serve {
    /// Serves `plan` on `listen` (e.g. `127.0.0.1:0`), recording to `journal`.
    pub fn start(plan: &Path, journal: &Path, listen: &str) -> Serve {
        Serve::with_args(&[
            "serve",
            &plan.display().to_string(),
            "--listen",
            listen,
            "--journal",
            &journal.display().to_string(),
        ])
    }

    /// Plays the meeting recorded in `journal` at `speed`, with pauses cut to
    /// `idle_limit` seconds, on a free loopback port.
    pub fn replay(journal: &Path, speed: &str, idle_limit: &str) -> Serve {
        Serve::with_args(&[
            "serve",
            "--replay",
            &journal.display().to_string(),
            "--listen",
            "127.0.0.1:0",
            "--speed",
            speed,
            "--idle-limit",
            idle_limit,
        ])
    }

    /// `xieshang ARGS…`, which must print the meeting's URL on its first line.
    pub fn with_args(args: &[&str]) -> Serve {
        Serve::with_args_env(args, &[])
    }

    /// [`Serve::with_args`], with these environment variables set.
    pub fn with_args_env(args: &[&str], env: &[(&str, &str)]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xieshang"))
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (said, first) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = out.read_line(&mut line);
            let _ = said.send(line);
            // The rest (a line per participant) is read and dropped: a large plan
            // must not fill the pipe and stop the server.
            std::io::copy(&mut out, &mut std::io::sink())
        });
        // A server that never says where it listens fails the test, not hangs it.
        let Ok(first) = first.recv_timeout(std::time::Duration::from_secs(60)) else {
            let _ = child.kill();
            panic!("xieshang {args:?} said nothing in 60 s");
        };
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("ws://") || w.starts_with("wss://"))
            .expect("the URL is printed")
            .to_string();
        Serve { child, url }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
