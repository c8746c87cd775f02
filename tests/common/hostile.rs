//! Hostile text: what a resident typed to take over the chair's terminal, and a
//! journal that holds it, as a version that let it through would have recorded it.

use super::PLAN;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xieshang::journal::{Header, Journal};
use xieshang::meeting::plan::Plan;
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{execute, Answer, Command, Ctx, Event, EventKind, State};

/// The question from the report: sets the terminal's title, clears the screen,
/// turns the text red, reverses what follows; then leaves the alternate screen,
/// returns the carriage, and the same in C1 (CSI) and DCS.
pub const HOSTILE: &str =
    "电梯\x1b]0;pwned\x07\x1b[2J\x1b[31mRED\u{202e}evil\x1b[?1049l\rX\u{9b}2J\x1bP1$r\x1b\\";

/// A pending question that tries to write the minutes' resolutions.
pub const INJECTION: &str = "Why?\n\n## Resolutions adopted\n\n1. The park will be sold <script>alert(1)</script> <iframe src=\"x\"></iframe> | forged | cell |";

/// 2026-11-27 10:00 UTC.
pub const T0: u64 = 1_795_773_600_000;

/// Every byte that would drive a terminal: C0 (but the line feed), DEL, C1, the
/// bidirectional overrides and isolates.
pub fn unsafe_chars(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| xieshang::meeting::text::is_unsafe(c))
        .collect()
}

/// The test plan with hostile words where a plan has them: as a journal's header
/// may hold it from an older version that did not check plans.
pub fn hostile_plan() -> Plan {
    let mut plan = parse_plan("test.toml", PLAN).unwrap();
    plan.meeting.title = format!("测试会议{HOSTILE}");
    plan.meeting.venue = Some("政协礼堂\n# 假标题".into());
    for p in &mut plan.participants {
        if p.id == "p01" {
            p.name = "吴阿姨\x1b[2J\x1b]0;owned\x07*粗体* [链接](http://x)".to_string();
            p.sector = Some("界别群众\n## 注入".into());
        }
    }
    plan.departments[0].name = "市生态环境局\x1b[5m<b>闪烁</b>".to_string();
    plan.agenda[0].steps[1].title = "委员提问\u{202e}逆序".to_string();
    plan
}

/// Writes the test plan to `dir/plan.toml` and a journal of it to
/// `dir/hostile.journal`: a resident's question holding [`HOSTILE`], answered with
/// a note holding it too, and a second question, [`INJECTION`], left pending. With
/// `hostile_header`, the journal's plan is [`hostile_plan`].
pub fn journal(dir: &Path, hostile_header: bool) -> (PathBuf, PathBuf) {
    let plan_file = dir.join("plan.toml");
    std::fs::write(&plan_file, PLAN).unwrap();
    let sha = xieshang::journal::digest(PLAN.as_bytes());
    let clean = parse_plan("plan.toml", PLAN).unwrap();
    let header_plan = if hostile_header {
        hostile_plan()
    } else {
        clean.clone()
    };
    let path = dir.join("hostile.journal");
    let mut journal = Journal::create(&path, &Header::new(&header_plan, &sha, T0)).unwrap();
    let mut state = State::new(Arc::new(clean));
    let mut now = T0;
    let mut events: Vec<Event> = Vec::new();
    let mut run = |who: &str, command: Command, text: Option<&str>| {
        now += 7_000;
        let mut got = execute(&mut state, command, Ctx::by(who, now)).unwrap();
        if let Some(text) = text {
            for e in &mut got {
                match &mut e.kind {
                    EventKind::QuestionSubmitted { text: t, .. } => *t = text.to_string(),
                    EventKind::QuestionAnswered { note: Some(n), .. } => *n = text.to_string(),
                    _ => {}
                }
            }
        }
        events.extend(got);
    };
    run("chair", Command::StartMeeting, None);
    run("chair", Command::NextStep, None);
    let ask = |text: &str| Command::SubmitQuestion {
        department: "eco".into(),
        text: text.into(),
        asker: None,
    };
    run("p01", ask("placeholder"), Some(HOSTILE));
    run("m01", ask("placeholder"), Some(INJECTION));
    run(
        "chair",
        Command::GrantFloor {
            participant: Some("p01".into()),
        },
        None,
    );
    run(
        "d-eco",
        Command::AnswerQuestion {
            question: "q1".into(),
            status: Answer::FollowUp,
            note: Some("placeholder".into()),
            seen_answers: None,
        },
        Some(HOSTILE),
    );
    journal.append(events).unwrap();
    journal.close().unwrap();
    (plan_file, path)
}

/// Issue 35 (9): every invisible character a name or a question could hide,
/// the direction marks, line and paragraph separators, a zero-width space, a
/// byte-order mark, tag characters, then a letter with 1,990 combining marks.
pub fn invisible() -> String {
    format!(
        "林\u{200f}志\u{61c}远\u{2028}\u{2029}\u{200b}\u{feff}\u{e0041}\u{e0042}\u{e007f}Ze{}lgo",
        "\u{301}".repeat(1990)
    )
}

/// The test plan with [`invisible`] names (as a journal's header may hold
/// them from a plan that was not checked), and a journal of it to
/// `dir/invisible.journal`: the resident asks a question holding them, the
/// chair gives them the floor.
pub fn invisible_journal(dir: &Path) -> PathBuf {
    let sha = xieshang::journal::digest(PLAN.as_bytes());
    let clean = parse_plan("plan.toml", PLAN).unwrap();
    let mut header_plan = clean.clone();
    for p in &mut header_plan.participants {
        if p.id == "p01" || p.id == "m01" {
            p.name = format!("{}{}", p.name, invisible());
            p.sector = Some(invisible());
        }
    }
    header_plan.departments[0].name = format!("市生态环境局{}", invisible());
    header_plan.meeting.title = format!("测试会议{}", invisible());
    let path = dir.join("invisible.journal");
    let mut journal = Journal::create(&path, &Header::new(&header_plan, &sha, T0)).unwrap();
    let mut state = State::new(Arc::new(clean));
    let mut now = T0;
    let mut events: Vec<Event> = Vec::new();
    let mut run = |who: &str, command: Command, text: Option<&str>| {
        now += 7_000;
        let mut got = execute(&mut state, command, Ctx::by(who, now)).unwrap();
        if let Some(text) = text {
            for e in &mut got {
                if let EventKind::QuestionSubmitted { text: t, .. } = &mut e.kind {
                    *t = text.to_string();
                }
            }
        }
        events.extend(got);
    };
    run("chair", Command::StartMeeting, None);
    run("chair", Command::NextStep, None);
    let ask = Command::SubmitQuestion {
        department: "eco".into(),
        text: "placeholder".into(),
        asker: None,
    };
    run("p01", ask, Some(&invisible()));
    run(
        "chair",
        Command::GrantFloor {
            participant: Some("p01".into()),
        },
        None,
    );
    journal.append(events).unwrap();
    journal.close().unwrap();
    path
}
