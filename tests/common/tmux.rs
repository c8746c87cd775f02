//! A console in a real terminal: tmux runs it, `keys` types, `screen` reads.

use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    pub socket: String,
    session: &'static str,
}

impl Tmux {
    pub fn start(name: &str, cmd: &str) -> Tmux {
        Tmux::start_sized(name, cmd, 80, 24)
    }

    /// [`Tmux::start`] in a terminal of `width` × `height`.
    pub fn start_sized(name: &str, cmd: &str, width: u16, height: u16) -> Tmux {
        // One server per console: tests run side by side in one process, and
        // two may name their console alike.
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let t = Tmux {
            socket: format!("xieshang-test-{}-{n}-{name}", std::process::id()),
            session: "console",
        };
        let ok = Command::new("tmux")
            .args([
                "-u",
                "-L",
                &t.socket,
                "new-session",
                "-d",
                "-s",
                t.session,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                cmd,
            ])
            .env("LANG", "C.UTF-8")
            .status()
            .expect("tmux is installed (.ci/run installs it)");
        assert!(ok.success());
        t
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            let ok = Command::new("tmux")
                .args(["-L", &self.socket, "send-keys", "-t", self.session, k])
                .status()
                .unwrap();
            assert!(ok.success());
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen with lines the terminal wrapped joined again, their spaces kept
    /// (`-p` alone drops a space the wrap fell on, so a long command read across a
    /// wrap depends on where the wrap falls: on the path's length).
    pub fn screen_joined(&self) -> String {
        let out = Command::new("tmux")
            .args([
                "-L",
                &self.socket,
                "capture-pane",
                "-p",
                "-J",
                "-t",
                self.session,
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen with its colours and attributes, as escape sequences.
    pub fn screen_with_styles(&self) -> String {
        let out = Command::new("tmux")
            .args([
                "-L",
                &self.socket,
                "capture-pane",
                "-p",
                "-e",
                "-t",
                self.session,
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The pane's title, as a program in it may have set it.
    pub fn pane_title(&self) -> String {
        let out = Command::new("tmux")
            .args([
                "-L",
                &self.socket,
                "display-message",
                "-p",
                "-t",
                self.session,
                "#{pane_title}",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits until the screen shows `text`; fails with the screen after 10 s.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, Duration::from_secs(15))
    }

    /// Like `wait_for`, with its own limit.
    pub fn wait_for_within(&self, text: &str, limit: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < limit,
                "the screen never showed {text:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn alive(&self) -> bool {
        Command::new("tmux")
            .args(["-L", &self.socket, "has-session", "-t", self.session])
            .output()
            .unwrap()
            .status
            .success()
    }

    pub fn wait_gone(&self) {
        let start = Instant::now();
        while self.alive() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the console did not quit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}
