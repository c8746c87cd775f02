//! A corpus of recorded meetings, to hold every other fold of the meeting (the
//! page's `state.js`) to the core's: every bundled scenario as `simulate` plays
//! it, and a scripted meeting that takes every kind of event the simulations do
//! not (timers, the queue by hand, edited and withdrawn questions, a walk-in,
//! attendance, a secret poll, a corrected plan).

use std::path::Path;
use std::sync::Arc;
use xieshang::journal::Entry;
use xieshang::meeting::attendance::Attendance;
use xieshang::meeting::followups::{Date, Rating};
use xieshang::meeting::review::{Outcome, ReviewItem};
use xieshang::meeting::{execute, Answer, Command, Ctx, EventKind, Mode, Plan, Role, TimerName};

/// One meeting as recorded: its plan as it opened, and its events in order.
pub struct Recorded {
    pub name: String,
    pub plan: Arc<Plan>,
    pub entries: Vec<Entry>,
}

/// Every bundled scenario, simulated into `dir` by the binary.
pub fn simulated(dir: &Path) -> Vec<Recorded> {
    let files = super::bundled_scenarios();
    files
        .iter()
        .map(|file| {
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            let journal = dir.join(format!("{name}.journal"));
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_xieshang"))
                .arg("simulate")
                .arg("--speed")
                .arg("10000")
                .arg("--journal")
                .arg(&journal)
                .arg(file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "simulate {name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let read = xieshang::journal::read(&journal).unwrap();
            assert!(read.torn.is_none(), "{name}: a whole journal");
            Recorded {
                name,
                plan: Arc::new(read.header.plan),
                entries: read.entries,
            }
        })
        .collect()
}

/// A meeting of the test plan (`common::PLAN`, its poll made secret) that
/// takes every kind of event, the plan corrected halfway.
/// An earlier promise of the department `eco`, asked by `asker`.
fn review_item(id: &str, asker: &str) -> ReviewItem {
    ReviewItem {
        id: id.into(),
        department: "eco".into(),
        department_name: "市生态环境局".into(),
        asker: asker.into(),
        asker_name: "吴阿姨".into(),
        asker_who: None,
        asker_role: String::new(),
        asker_sector: None,
        meeting: "上次会议".into(),
        date: Date::parse("2026-10-01").unwrap(),
        question: "苏州河何时贯通？".into(),
        promise: "两周内书面答复".into(),
        deadline: Date::parse("2026-10-15").unwrap(),
        state: "in_progress".into(),
        days_over: 30,
        last: Some("已完成方案".into()),
    }
}

pub fn scripted() -> Recorded {
    let text = super::PLAN.replace("id = \"rating\"", "id = \"rating\"\nsecret = true")
        .replace("speaker_limit = \"5m\"\n", "speaker_limit = \"5m\"\nregister = \"r.db\"\n")
        + "\n[[agenda]]\ntitle = \"回头看\"\n[[agenda.steps]]\nkind = \"review\"\ntitle = \"上次承诺\"\nreview_departments = [\"eco\"]\n";
    let mut plan = xieshang::meeting::scenario::parse_plan("t.toml", &text).unwrap();
    // What a register held when the meeting began.
    plan.agenda[2].steps[0].review.as_mut().unwrap().found =
        vec![review_item("m0/q1", "p01"), review_item("m0/q2", "m01")];
    plan.reindex();
    let plan = Arc::new(plan);
    let mut state = xieshang::meeting::State::new(plan.clone());
    let mut now = super::T0;
    let mut entries: Vec<Entry> = Vec::new();
    let chair = Some("chair");
    let online = |p: &str, online| Command::SetPresence {
        participant: p.into(),
        online,
    };
    let mut script: Vec<(u64, Option<&str>, Command)> = vec![
        (0, None, online("chair", true)),
        (0, None, online("m01", true)),
        (0, None, online("d-eco", true)),
        (
            1,
            chair,
            Command::MarkAttendance {
                participant: "m03".into(),
                mark: Some(Attendance::Absent),
            },
        ),
        (
            2,
            chair,
            Command::MarkAttendance {
                participant: "m03".into(),
                mark: None,
            },
        ),
        (10, chair, Command::StartMeeting),
        (11, Some("m02"), Command::RaiseHand { mode: Mode::Normal }),
        (
            12,
            Some("x01"),
            Command::RaiseHand {
                mode: Mode::PointOfOrder,
            },
        ),
        (
            13,
            chair,
            Command::QueueAdd {
                participant: "p01".into(),
                mode: Mode::Reply,
            },
        ),
        (
            14,
            chair,
            Command::QueueMove {
                participant: "m02".into(),
                position: 0,
            },
        ),
        (15, chair, Command::GrantFloor { participant: None }),
        (
            16,
            chair,
            Command::PauseTimer {
                timer: TimerName::Floor,
            },
        ),
        (
            30,
            chair,
            Command::ResumeTimer {
                timer: TimerName::Floor,
            },
        ),
        (
            31,
            chair,
            Command::ExtendTimer {
                timer: TimerName::Floor,
                seconds: 60,
            },
        ),
        (
            32,
            chair,
            Command::PauseTimer {
                timer: TimerName::Step,
            },
        ),
        (
            40,
            chair,
            Command::ExtendTimer {
                timer: TimerName::Step,
                seconds: -60,
            },
        ),
        (
            41,
            chair,
            Command::ResumeTimer {
                timer: TimerName::Step,
            },
        ),
        (
            42,
            chair,
            Command::QueueRemove {
                participant: "p01".into(),
            },
        ),
        (43, Some("x01"), Command::WithdrawHand),
        (44, chair, Command::CloseQueue),
        (45, chair, Command::OpenQueue),
        (50, Some("m01"), Command::YieldFloor),
        (
            51,
            chair,
            Command::AddParticipant {
                name: "临时 <b>居民</b>".into(),
                role: Role::Public,
                sector: Some("社区".into()),
                department: None,
            },
        ),
        (52, chair, Command::GrantFloor { participant: None }),
        (60, chair, Command::EndSpeech),
        (61, chair, Command::NextStep),
        (
            62,
            Some("m01"),
            Command::SubmitQuestion {
                department: "eco".into(),
                text: "河道何时治理？".into(),
                asker: None,
            },
        ),
        (
            63,
            Some("p01"),
            Command::SubmitQuestion {
                department: "ndrc".into(),
                text: "资金何时到位？".into(),
                asker: None,
            },
        ),
        (
            64,
            Some("p01"),
            Command::EditQuestion {
                question: "q2".into(),
                text: "专项资金何时到位？".into(),
            },
        ),
        (
            65,
            Some("m02"),
            Command::SubmitQuestion {
                department: "eco".into(),
                text: "步道何时贯通？".into(),
                asker: None,
            },
        ),
        (
            66,
            Some("m02"),
            Command::WithdrawQuestion {
                question: "q3".into(),
            },
        ),
        (67, None, online("m01", false)),
        (70, chair, Command::NextStep),
        (71, chair, Command::GrantFloor { participant: None }),
        (
            72,
            Some("d-eco"),
            Command::AnswerQuestion {
                question: "q1".into(),
                status: Answer::Answered,
                note: Some("年底前完成".into()),
                seen_answers: Some(0),
            },
        ),
        (80, Some("d-eco"), Command::YieldFloor),
        // q2 is carried into follow-up as the step ends.
        (81, chair, Command::NextStep),
        (82, chair, Command::PreviousStep),
        (83, chair, Command::GotoStep { item: 1, step: 0 }),
        (
            84,
            chair,
            Command::OpenPoll {
                poll: "rating".into(),
            },
        ),
    ];
    for (voter, target, choice) in [
        ("m01", "eco", "满意"),
        ("m02", "eco", "不满意"),
        ("m01", "ndrc", "基本满意"),
    ] {
        script.push((
            85,
            Some(voter),
            Command::Vote {
                poll: "rating".into(),
                choice: choice.into(),
                target: Some(target.into()),
            },
        ));
    }
    script.extend([
        (
            90,
            chair,
            Command::ClosePoll {
                poll: "rating".into(),
            },
        ),
        // Someone speaks in the evaluation's step: the projector shows the
        // floor, not the poll, until they are done.
        (
            90,
            chair,
            Command::GrantFloor {
                participant: Some("m03".into()),
            },
        ),
        (90, chair, Command::EndSpeech),
        // (A secret ballot closed with votes is final: it is not opened again.)
    ]);
    // 回头看: an earlier promise called, its department reporting, what stands
    // recorded (then corrected), its asker rating it, the chair rating another's.
    let item = |id: &str| id.to_string();
    script.extend([
        (92, chair, Command::GotoStep { item: 2, step: 0 }),
        (
            93,
            chair,
            Command::ReviewCall {
                item: item("m0/q1"),
            },
        ),
        (94, chair, Command::GrantFloor { participant: None }),
        (95, chair, Command::EndSpeech),
        (
            96,
            chair,
            Command::ReviewRecord {
                item: item("m0/q1"),
                outcome: Outcome::InProgress,
                due: Date::parse("2027-06-30"),
                note: Some("已列入计划".into()),
            },
        ),
        (
            97,
            chair,
            Command::ReviewRecord {
                item: item("m0/q1"),
                outcome: Outcome::Delivered,
                due: None,
                note: Some("已办结".into()),
            },
        ),
        (
            98,
            Some("p01"),
            Command::ReviewRate {
                item: item("m0/q1"),
                rating: Rating::Dissatisfied,
                reason: Some("没有时间表".into()),
            },
        ),
        (
            99,
            chair,
            Command::ReviewCall {
                item: item("m0/q2"),
            },
        ),
        (
            100,
            chair,
            Command::ReviewRecord {
                item: item("m0/q2"),
                outcome: Outcome::Delivered,
                due: None,
                note: None,
            },
        ),
        (
            101,
            chair,
            Command::ReviewRate {
                item: item("m0/q2"),
                rating: Rating::Satisfied,
                reason: None,
            },
        ),
    ]);
    let mut corrected = false;
    for (s, actor, c) in script {
        now = now.max(super::T0 + s * super::SEC);
        if !corrected && s >= 61 {
            // The server resumed under a corrected plan (a title): recorded as
            // `plan_changed`, which a page takes afresh.
            corrected = true;
            let mut fixed = (*state.plan).clone();
            fixed.meeting.title = "测试会议（更正）".into();
            let kind = EventKind::PlanChanged {
                plan_sha256: "0".repeat(64),
                plan: Box::new(fixed),
            };
            let event = xieshang::meeting::Event {
                at_ms: now,
                actor: None,
                kind,
            };
            xieshang::meeting::apply(&mut state, &event);
            entries.push(Entry::new(entries.len() as u64 + 1, event));
        }
        record(&mut state, &mut entries, actor, c, now);
    }
    now += super::SEC;
    record(&mut state, &mut entries, chair, Command::CloseMeeting, now);
    Recorded {
        name: "scripted".into(),
        plan,
        entries,
    }
}

/// Executes `c` by `actor` (the server when `None`) at `now`, recording its events.
fn record(
    state: &mut xieshang::meeting::State,
    entries: &mut Vec<Entry>,
    actor: Option<&str>,
    c: Command,
    now: u64,
) {
    let what = format!("{actor:?} {c:?}");
    let ctx = match actor {
        Some(a) => Ctx::by(a, now),
        None => Ctx::server(now),
    };
    let events = execute(state, c, ctx).unwrap_or_else(|r| panic!("{what}: {r}"));
    assert!(!events.is_empty(), "{what} did something");
    for e in events {
        entries.push(Entry::new(entries.len() as u64 + 1, e));
    }
}
