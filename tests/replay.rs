//! Replaying a recorded meeting: seeking lands on the state that folding the
//! journal to that point gives; playing at 64x reaches the live meeting's end;
//! the keys; bad journals; and a replay served to clients, who cannot change it.

use crate::common::recorded::{record, T0};
use crate::common::serve::Serve;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;
use xieshang::journal::Entry;
use xieshang::meeting::{replay as fold, Command, Status};
use xieshang::replay::{open, Timeline};
use xieshang::tui::replay::Player;

fn recorded() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    (dir, journal)
}

fn player(journal: &std::path::Path, idle: Option<u64>) -> Player {
    let opened = open(journal, idle).unwrap();
    Player::new(
        opened.timeline,
        xieshang::meeting::plan::Language::Zh,
        "j".into(),
        1.0,
    )
}

fn folded(timeline: &Timeline, pos: u64) -> xieshang::meeting::State {
    let n = timeline.events_by(pos);
    fold(
        timeline.plan().clone(),
        timeline.entries()[..n].iter().map(Entry::to_event),
    )
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

#[test]
fn seeking_backwards_and_forwards_lands_on_the_folded_state() {
    let (_dir, journal) = recorded();
    let mut p = player(&journal, None);
    let total = p.timeline().total_ms();
    // A scrambled walk over the meeting: far jumps both ways and small steps.
    let mut pos = 0u64;
    for i in 0..200u64 {
        pos = (pos + 7_919 * i * i + 104_729) % (total + 1);
        if i % 3 == 0 {
            p.seek(pos);
        } else {
            p.go(pos);
        }
        assert_eq!(p.position(), pos);
        assert_eq!(
            p.app.state,
            folded(p.timeline(), pos),
            "at {pos} ms after {i} moves"
        );
    }
    p.seek(total);
    assert_eq!(p.app.state.status, Status::Closed);
    p.seek(0);
    assert_eq!(p.app.state.status, Status::NotStarted);
}

#[test]
fn seeking_in_a_long_meeting_uses_the_kept_states_and_still_lands_exactly() {
    // A meeting of thousands of events: every seek target is checked against a
    // fold from the start.
    let plan = xieshang::meeting::Plan::clone(&crate::common::plan());
    let plan = std::sync::Arc::new(plan);
    let mut state = xieshang::meeting::State::new(plan.clone());
    let mut events = Vec::new();
    let mut now = T0;
    let mut run = |c: Command, who: &str, events: &mut Vec<_>| {
        now += 1_500;
        events.extend(
            xieshang::meeting::execute(&mut state, c, xieshang::meeting::Ctx::by(who, now))
                .unwrap_or_default(),
        );
    };
    run(Command::StartMeeting, "chair", &mut events);
    for _ in 0..900 {
        run(
            Command::RaiseHand {
                mode: xieshang::meeting::Mode::Normal,
            },
            "m01",
            &mut events,
        );
        run(
            Command::GrantFloor { participant: None },
            "chair",
            &mut events,
        );
        run(Command::EndSpeech, "chair", &mut events);
    }
    let entries: Vec<Entry> = events
        .into_iter()
        .enumerate()
        .map(|(i, e)| Entry::new(i as u64 + 1, e))
        .collect();
    assert!(entries.len() > 2 * xieshang::replay::timeline::SNAPSHOT_EVERY);
    let timeline = Timeline::new(plan, entries, None);
    let total = timeline.total_ms();
    for pos in [total, 0, total / 2, total / 3, total - 1, 1_500 * 1030, 7] {
        assert_eq!(timeline.state_at(pos), folded(&timeline, pos), "at {pos}");
    }
}

#[test]
fn playing_at_64x_reaches_the_live_meetings_final_state() {
    let (_dir, journal) = recorded();
    let mut p = player(&journal, None);
    p.key(key(KeyCode::Char('+')));
    for _ in 0..6 {
        p.key(key(KeyCode::Char('+')));
    }
    assert_eq!(p.speed(), 64.0);
    let mut ticks = 0;
    while p.playing() {
        p.tick(Duration::from_millis(100));
        ticks += 1;
        assert!(ticks < 10_000, "the replay ends");
    }
    let (live, _) = xieshang::journal::replay_file(&journal).unwrap();
    assert_eq!(p.app.state, live);
    assert_eq!(p.position(), p.timeline().total_ms());
    assert!(
        !p.app.replay.as_ref().unwrap().playing,
        "the bar says paused"
    );
    // 36:50 of meeting at 64x: about 35 s of ticks.
    assert!((340..=350).contains(&ticks), "{ticks} ticks of 100 ms");
    // Space at the end plays again from the start.
    p.key(key(KeyCode::Char(' ')));
    assert!(p.playing());
    assert_eq!(p.position(), 0);
}

#[test]
fn keys_jump_between_steps_and_turns_and_to_tenths() {
    let (_dir, journal) = recorded();
    let mut p = player(&journal, None);
    p.key(key(KeyCode::Char(' ')));
    assert!(!p.playing(), "space pauses");
    let steps: Vec<u64> = p.timeline().steps().to_vec();
    assert_eq!(steps.len(), 5, "five steps were started");
    for &at in &steps {
        p.key(key(KeyCode::Char('n')));
        assert_eq!(p.position(), at);
        assert!(p.app.state.step().is_some());
    }
    let titles: Vec<String> = vec![p.app.state.step().unwrap().title.clone()];
    assert_eq!(titles, ["满意度测评"]);
    // Back: within two seconds of a step's start goes to the one before.
    p.key(key(KeyCode::Char('N')));
    assert_eq!(p.position(), steps[3]);
    p.key(key(KeyCode::Right));
    p.key(key(KeyCode::Right));
    p.key(key(KeyCode::Right));
    assert_eq!(p.position(), steps[3] + 30_000);
    p.key(key(KeyCode::Char('N')));
    assert_eq!(p.position(), steps[3], "to the start of the step playing");
    // Turns.
    p.key(key(KeyCode::Home));
    p.key(key(KeyCode::Char(']')));
    assert_eq!(p.app.state.speaker(), Some("p01"));
    p.key(key(KeyCode::Char(']')));
    assert_eq!(p.app.state.speaker(), Some("p02"));
    // Tenths.
    p.key(key(KeyCode::Char('5')));
    assert_eq!(p.position(), p.timeline().total_ms() / 10 * 5);
    p.key(key(KeyCode::End));
    assert_eq!(p.app.state.status, Status::Closed);
    // Speeds stop at 1 and 64.
    for _ in 0..10 {
        p.key(key(KeyCode::Char('-')));
    }
    assert_eq!(p.speed(), 1.0);
    // The help lists the replay's keys; the meeting's keys do nothing.
    p.key(key(KeyCode::Char('?')));
    assert_eq!(p.app.dialog, xieshang::tui::app::Dialog::Help);
    p.key(key(KeyCode::Esc));
    let before = p.app.state.clone();
    for c in ['s', 'e', 'x', 'o', 'r', 'w', 'a'] {
        p.key(key(KeyCode::Char(c)));
        p.key(key(KeyCode::Esc));
    }
    assert_eq!(p.app.state, before, "a replay changes nothing");
    assert!(p.key(key(KeyCode::Char('q'))), "q quits at once");
}

#[test]
fn long_pauses_are_shortened_to_the_idle_limit() {
    let (_dir, journal) = recorded();
    let full = open(&journal, None).unwrap().timeline;
    let short = open(&journal, Some(5_000)).unwrap().timeline;
    assert!(short.total_ms() < full.total_ms());
    let entries = short.entries();
    for i in 1..entries.len() {
        let gap = short.time_of(i) - short.time_of(i - 1);
        let recorded = entries[i].at_ms - entries[i - 1].at_ms;
        assert_eq!(gap, recorded.min(5_000));
    }
    // The clock on screen is still the recording's own.
    let last = entries.len() - 1;
    assert_eq!(short.clock_at(short.time_of(last)), entries[last].at_ms);
}

fn xieshang(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn bad_journals_are_answered_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.journal");
    std::fs::write(&empty, "").unwrap();
    let unstarted = dir.path().join("new.journal");
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::common::recorded::SCENARIO);
    let xieshang::scenario::Scenario {
        plan, sha256: sha, ..
    } = xieshang::scenario::load(&scenario).unwrap();
    xieshang::hub::Hub::open(plan, &sha, &unstarted, T0)
        .unwrap()
        .hub
        .close()
        .unwrap();
    let (_d, journal) = recorded();
    let other = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/foreign-residents-briefing.toml");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![empty.display().to_string()], "empty"),
        (vec![unstarted.display().to_string()], "nothing to replay"),
        (
            vec![
                journal.display().to_string(),
                "--plan".into(),
                other.display().to_string(),
            ],
            "different plan",
        ),
        (
            vec![
                journal.display().to_string(),
                "--speed".into(),
                "100".into(),
            ],
            "0.25 to 64",
        ),
        // A good journal without a terminal: said plainly.
        (vec![journal.display().to_string()], "needs a terminal"),
    ];
    for (args, says) in cases {
        let mut all = vec!["replay"];
        all.extend(args.iter().map(String::as_str));
        let run = xieshang(&all);
        assert!(!run.status.success(), "{all:?}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(says), "{all:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_served_replay_reaches_clients_as_if_live_and_refuses_their_intents() {
    let (_dir, journal) = recorded();
    // Pauses cut to a second: the 37-minute meeting plays in about a second.
    let served = Serve::replay(&journal, "64", "1");
    let tokens: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(format!("{}.tokens", journal.display())).unwrap())
            .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut member = xieshang::client::Client::connect(&served.url, &tokens["m01"], None)
            .await
            .unwrap();
        let refused = member
            .intent(Command::RaiseHand {
                mode: xieshang::meeting::Mode::Normal,
            })
            .await
            .unwrap();
        let (code, message) = refused.expect_err("a replay refuses intents");
        assert_eq!(code, xieshang::protocol::ErrorCode::Forbidden);
        assert!(message.contains("回放"), "{message}");
        // The whole meeting arrives, in order, with no gap.
        let last = xieshang::journal::read(&journal).unwrap().entries.len() as u64;
        tokio::time::timeout(Duration::from_secs(60), member.catch_up(last))
            .await
            .expect("the replay plays to the end")
            .unwrap();
        let (live, _) = xieshang::journal::replay_file(&journal).unwrap();
        let s = &member.state;
        assert_eq!(s.status, Status::Closed);
        // Times are moved to the replay's own; everything else is as recorded.
        let asked = |st: &xieshang::meeting::State| {
            st.questions
                .iter()
                .map(|q| {
                    (
                        q.id.clone(),
                        q.text.clone(),
                        q.status,
                        q.note.clone(),
                        q.carried,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(asked(s), asked(&live));
        assert_eq!(s.polls, live.polls);
        let spoken = |st: &xieshang::meeting::State| {
            st.turns
                .iter()
                .map(|t| (t.participant.clone(), t.spoken_ms))
                .collect::<Vec<_>>()
        };
        assert_eq!(spoken(s), spoken(&live), "turns as recorded");
        // Someone arriving after the end gets the final state at once.
        let late = xieshang::client::Client::connect(&served.url, &tokens["o01"], None)
            .await
            .unwrap();
        assert_eq!(late.seq, last);
        assert_eq!(asked(&late.state), asked(&live));
    });
}

#[test]
fn the_replay_console_plays_pauses_scrubs_and_quits_in_a_terminal() {
    let (_dir, journal) = recorded();
    let cmd = format!(
        "{} replay {} --speed 64 --idle-limit 3",
        env!("CARGO_BIN_EXE_xieshang"),
        journal.display()
    );
    let t = crate::common::tmux::Tmux::start("replay", &cmd);
    t.wait_for("回放 ▶ 64×");
    // The meeting moves on by itself: the respond step comes, then the end.
    t.wait_for("▶1.3 部门答复");
    let end = t.wait_for("回放 ⏸");
    assert!(
        end.contains("已结束") || end.contains("满意度测评"),
        "{end}"
    );
    t.keys(&["Home"]);
    let start = t.wait_for("未开始");
    assert!(
        start.contains("回放 ⏸"),
        "still paused after a seek: {start}"
    );
    t.keys(&["n", "n"]);
    t.wait_for("▶1.2 委员建言");
    t.keys(&["?"]);
    t.wait_for("下一位发言");
    t.keys(&["Escape", "q"]);
    t.wait_gone();
}

fn text(p: &Player, w: u16, h: u16) -> String {
    crate::common::screen::text(&p.app, w, h)
}

#[test]
fn the_replay_screen_at_80x24_and_120x40() {
    let (_dir, journal) = recorded();
    let mut p = player(&journal, None);
    p.key(key(KeyCode::Char(' ')));
    p.key(key(KeyCode::Char('n')));
    p.key(key(KeyCode::Char('n')));
    p.key(key(KeyCode::Char(']')));
    p.key(key(KeyCode::Right));
    insta::assert_snapshot!("replay_80x24", text(&p, 80, 24));
    insta::assert_snapshot!("replay_120x40", text(&p, 120, 40));
    // Every size draws without a panic, the bar included.
    for w in (0..=200).step_by(7) {
        for h in (0..=60).step_by(5) {
            text(&p, w, h);
        }
    }
}

#[test]
fn a_click_on_the_timeline_bar_seeks_there_and_elsewhere_does_nothing() {
    let (_dir, journal) = recorded();
    let mut p = player(&journal, None);
    p.key(key(KeyCode::Char(' ')));
    let area = ratatui::layout::Rect::new(0, 0, 80, 24);
    let total = p.timeline().total_ms();
    // The bar is the row above the footer; it starts after "回放 ⏸  1× 0:00/36:50 ".
    let bar_row = 22;
    let screen = text(&p, 80, 24);
    let line = screen.lines().nth(bar_row as usize).unwrap();
    assert!(line.starts_with("回放 ⏸"), "{line}");
    p.click(area, 79, bar_row);
    assert!(
        p.position() > total * 9 / 10,
        "the last cell is near the end"
    );
    let end_state = p.app.state.clone();
    p.click(area, 40, 5);
    assert_eq!(
        p.app.state, end_state,
        "a click off the bar changes nothing"
    );
    p.click(area, 3, bar_row);
    assert_eq!(p.app.state, end_state, "nor one on the words before it");
    // Left to right, the bar's cells go forward in time, and each lands exactly
    // on the fold to its time.
    let start: u16 = line
        .chars()
        .take_while(|c| !"━─┃●".contains(*c))
        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) as u16)
        .sum();
    let mut last = None;
    for column in start..80 {
        p.click(area, column, bar_row);
        if let Some(before) = last {
            assert!(p.position() >= before, "column {column}");
        }
        last = Some(p.position());
        assert_eq!(p.app.state, folded(p.timeline(), p.position()));
    }
    // And the marker drawn under the click is where the position now is.
    p.click(area, 50, bar_row);
    let line = text(&p, 80, 24)
        .lines()
        .nth(bar_row as usize)
        .unwrap()
        .to_string();
    let marker: usize = line
        .chars()
        .take_while(|&c| c != '●')
        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
        .sum();
    assert_eq!(marker, 50, "{line}");
}
