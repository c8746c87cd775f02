//! End to end, as a person would: the real binary in a real terminal (tmux), keys
//! typed with send-keys, the screen read with capture-pane. `.ci/run` installs tmux.

use crate::common::tmux::Tmux;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use xieshang::meeting::EventKind;

fn console_cmd(journal: &Path) -> String {
    format!(
        "{} run {}/scenarios/standing-committee-supervision.toml --journal {}",
        env!("CARGO_BIN_EXE_xieshang"),
        env!("CARGO_MANIFEST_DIR"),
        journal.display()
    )
}

fn kinds(journal: &Path) -> Vec<&'static str> {
    let rec = xieshang::journal::read(journal).unwrap();
    rec.entries.iter().map(|e| e.event.name()).collect()
}

#[test]
fn a_chair_starts_a_meeting_gives_the_floor_and_quits() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("meeting.journal");
    let t = Tmux::start("run", &console_cmd(&journal));
    t.wait_for("未开始");
    t.wait_for("s 开始会议");
    t.keys(&["s"]);
    t.wait_for("已进行");
    t.keys(&["Enter"]);
    let screen = t.wait_for("马文静 发言");
    assert!(screen.contains("▶1.1 委员建言"), "{screen}");
    assert!(screen.contains("限时 5:00"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("退出控制台？");
    t.keys(&["y"]);
    t.wait_gone();
    // Quitting keeps the time spent: the turn's clock paused as it quits.
    assert_eq!(
        kinds(&journal),
        [
            "meeting_started",
            "step_started",
            "floor_granted",
            "timer_paused"
        ]
    );
    let bytes = std::fs::read(&journal).unwrap();
    assert!(
        bytes.ends_with(b"\n"),
        "a clean quit leaves the journal ending with its last line"
    );

    // Running it again resumes the meeting, with the turn timer paused; the
    // pane stays open after it so what it says on leaving can be read.
    let t = Tmux::start("resume", &format!("{}; sleep 30", console_cmd(&journal)));
    let screen = t.wait_for("已暂停");
    assert!(screen.contains("马文静"), "{screen}");
    t.keys(&["C-c", "y"]);
    let after = t.wait_for("会议记录在");
    // The commands as they run here: a checkout's debug build (`cargo run --`),
    // or a binary in a target directory elsewhere (its path).
    let replay = format!("replay {} --speed 8", journal.display());
    let flat = t.screen_joined().replace('\n', "");
    assert!(
        flat.contains(&format!("cargo run -- {replay}"))
            || flat.contains(&format!("{} {replay}", env!("CARGO_BIN_EXE_xieshang"))),
        "{after}"
    );
    assert!(after.contains("纪要："), "{after}");
    drop(t);
    assert_eq!(kinds(&journal).last(), Some(&"timer_paused"));
}

#[test]
fn sigterm_restores_the_terminal_and_leaves_the_journal_complete() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("term.journal");
    let t = Tmux::start("term", &console_cmd(&journal));
    t.wait_for("s 开始会议");
    t.keys(&["s"]);
    t.wait_for("已进行");
    // The console alone (its command line begins with the binary): tmux's own
    // command line holds the same words, and tmux dying would hang up on the
    // console, a second signal, which ends it at once.
    let pattern = format!(
        "^{} run .*{}",
        env!("CARGO_BIN_EXE_xieshang"),
        journal.display()
    );
    let ok = Command::new("pkill")
        .args(["-TERM", "-f", &pattern])
        .status()
        .unwrap();
    assert!(ok.success(), "the console was found and signalled");
    t.wait_gone();
    // The pattern may match tmux's own command line too, so the pane can go
    // before the console has closed its journal: wait for the console itself.
    let started = Instant::now();
    while Command::new("pgrep")
        .args(["-f", &pattern])
        .status()
        .unwrap()
        .success()
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the console stopped"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let rec = xieshang::journal::read(&journal).unwrap();
    assert!(rec.torn.is_none());
    assert!(matches!(rec.entries[0].event, EventKind::MeetingStarted));
    assert!(std::fs::read(&journal).unwrap().ends_with(b"\n"));
}

#[test]
fn a_bad_plan_is_reported_without_touching_the_terminal() {
    let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["run", "no-such-plan.toml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no-such-plan.toml:1:1: cannot read the file"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_participant_joins_the_console_over_websockets() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("live.journal");
    let t = Tmux::start(
        "live",
        &format!("{} --listen 127.0.0.1:0", console_cmd(&journal)),
    );
    let screen = t.wait_for("http://127.0.0.1:");
    let url = screen
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .replacen("http://", "ws://", 1)
        + "/ws";
    let tokens: std::collections::BTreeMap<String, String> = serde_json::from_slice(
        &std::fs::read(xieshang::server::tokens::path_for(&journal)).unwrap(),
    )
    .unwrap();
    t.keys(&["s"]);
    t.wait_for("已进行");
    let mut member = xieshang::client::Client::connect(&url, &tokens["m04"], None)
        .await
        .unwrap();
    let answer = member
        .intent(xieshang::meeting::Command::RaiseHand {
            mode: xieshang::meeting::Mode::PointOfOrder,
        })
        .await
        .unwrap();
    assert!(answer.is_ok(), "{answer:?}");
    let screen = t.wait_for("王建国 [程序]");
    assert!(screen.contains("排队 1"), "{screen}");
    // The chair gives the floor; the participant sees it.
    t.keys(&["Enter"]);
    let start = Instant::now();
    while member.state.speaker() != Some("m04") {
        assert!(start.elapsed() < Duration::from_secs(10));
        member.next().await.unwrap();
    }
    t.keys(&["q", "y"]);
    // The participant is told the chair's console closed: the meeting is paused,
    // not a lost connection.
    let end = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Err(e) = member.next().await {
                return e;
            }
        }
    })
    .await
    .expect("the connection ends");
    assert!(end.is_chair_left(), "{end}");
    assert!(!end.is_final(), "it comes back when the chair does");
    t.wait_gone();
}

/// The participants screen as the person at the chair's table sees it: the code
/// of whoever is chosen, which a phone reads as that participant's link; and the
/// audience's code, full-screen, on the room's network address.
#[test]
fn the_console_shows_a_code_each_phone_can_scan() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("codes.journal");
    let t = Tmux::start(
        "codes",
        &format!(
            "{} --listen 0.0.0.0:0 --public-url http://192.168.7.9:7878",
            console_cmd(&journal)
        ),
    );
    t.wait_for("http://192.168.7.9:7878");
    let tokens: std::collections::BTreeMap<String, String> = serde_json::from_slice(
        &std::fs::read(xieshang::server::tokens::path_for(&journal)).unwrap(),
    )
    .unwrap();
    let link = |id: &str| format!("http://192.168.7.9:7878/join#t={}", tokens[id]);
    t.keys(&["i"]);
    let screen = t.wait_for("扫码加入");
    assert_eq!(
        crate::common::qr::decode_screen(&screen),
        [link("chair")],
        "{screen}"
    );
    // Down the list: the next one's code, and their link in text under the list.
    t.keys(&["j"]);
    let screen = t.wait_for("▸ 马文静");
    assert_eq!(
        crate::common::qr::decode_screen(&screen),
        [link("m01")],
        "{screen}"
    );
    // The hall's code: the audience's link, which only watches; never the
    // plan's observer's seat (o01).
    t.keys(&["b"]);
    let screen = t.wait_for("扫码旁听");
    assert_eq!(
        crate::common::qr::decode_screen(&screen),
        [link("audience")],
        "{screen}"
    );
    // The footer's key, from the console itself.
    t.keys(&["Escape"]);
    t.wait_for("b 观众二维码");
    t.keys(&["b"]);
    t.wait_for("扫码旁听");
    t.keys(&["Escape", "q", "y"]);
    t.wait_gone();
}

/// A dropped SSH connection: the terminal disappears under the console (SIGHUP).
/// The console must still close the meeting's journal cleanly.
#[test]
fn a_vanished_terminal_still_leaves_the_journal_complete() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("hup.journal");
    let t = Tmux::start("hup", &console_cmd(&journal));
    t.wait_for("s 开始会议");
    t.keys(&["s"]);
    t.wait_for("已进行");
    let _ = Command::new("tmux")
        .args(["-L", &t.socket, "kill-server"])
        .output();
    let start = Instant::now();
    loop {
        let running = Command::new("pgrep")
            .args(["-f", &journal.display().to_string()])
            .output()
            .unwrap()
            .status
            .success();
        if !running {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the console outlived its terminal"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let bytes = std::fs::read(&journal).unwrap();
    assert!(
        bytes.ends_with(b"\n"),
        "closed cleanly, not abandoned with space allocated ahead"
    );
    assert_eq!(kinds(&journal)[0], "meeting_started");
}

/// The disk fills up under the chair (here: a limit on file size, SIGXFSZ
/// ignored, so writes fail as on a full disk). The console says so plainly, in
/// red, and why; it stays on screen with what was recorded.
#[test]
fn a_full_disk_is_said_plainly_on_the_chairs_console() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("full.journal");
    let cmd = format!(
        "sh -c \"trap '' XFSZ; ulimit -f 40; exec {}\"",
        console_cmd(&journal)
    );
    let t = Tmux::start("full", &cmd);
    t.wait_for("s 开始会议");
    t.keys(&["s"]);
    t.wait_for("已进行");
    // Each + is an event: a minute more for the turn... until the disk is full.
    t.keys(&["Enter"]);
    let start = Instant::now();
    let screen = loop {
        t.keys(&["+", "-"]);
        let screen = t.screen();
        if screen.contains("记录已停止") {
            break screen;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the disk never filled:\n{screen}"
        );
    };
    assert!(
        screen.lines().next().unwrap().contains("记录已停止"),
        "{screen}"
    );
    assert!(screen.contains("磁盘已满"), "{screen}");
    assert!(t.alive(), "the console stays until the chair has read it");
    t.keys(&["q", "y"]);
    t.wait_gone();
    // What the console showed as recorded is what the journal holds.
    let recording = xieshang::journal::read(&journal).unwrap();
    assert!(recording.entries.len() > 3);
}

/// The rooms this is for: only the chair has a terminal. Attendance is what the
/// chair marks, and the minutes say so.
#[test]
fn a_chair_alone_marks_attendance_and_the_minutes_count_it() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("meeting.journal");
    let t = Tmux::start("attendance", &console_cmd(&journal));
    t.wait_for("s 开始会议");
    t.keys(&["i"]);
    t.wait_for("参会人 · 签到");
    // The chair first, then 马文静: Space marks the one under the cursor.
    t.keys(&["Down", "Space"]);
    t.wait_for("马文静 · 委员 · 出席");
    t.keys(&["Escape", "s"]);
    t.wait_for("已进行");
    t.keys(&["x"]);
    t.keys(&["y"]);
    t.wait_for("已结束");
    t.keys(&["q"]);
    t.wait_for("会议已结束，记录已保存");
    t.keys(&["y"]);
    t.wait_gone();
    let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["minutes", "--utc-offset", "+08:00"])
        .arg(&journal)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let minutes = String::from_utf8(out.stdout).unwrap();
    let absent = minutes
        .lines()
        .find(|l| l.contains("未出席"))
        .unwrap_or_else(|| panic!("{minutes}"));
    assert!(!absent.contains("马文静"), "marked present: {absent}");
    assert!(absent.contains("李明华"), "never marked nor seen: {absent}");
}
