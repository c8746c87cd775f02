//! Properties over random command sequences: whatever anyone does, in any order,
//! the meeting keeps its invariants and the journal replays to the live state.

use crate::common::*;
use proptest::prelude::*;
use std::collections::HashSet;
use xieshang::journal::{self, Journal};
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::snapshot::Snapshot;
use xieshang::meeting::{execute, Answer, Command, Ctx, Mode, State, TimerName};

const ACTORS: [&str; 11] = [
    "chair", "chair", "chair", "m01", "m02", "m03", "x01", "p01", "d-eco", "d-ndrc", "o01",
];
const PEOPLE: [&str; 10] = [
    "m01", "m02", "m03", "x01", "p01", "d-eco", "d-eco2", "d-ndrc", "o01", "ghost",
];

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![
        Just(Mode::Normal),
        Just(Mode::Reply),
        Just(Mode::PointOfOrder)
    ]
}

fn timer() -> impl Strategy<Value = TimerName> {
    prop_oneof![Just(TimerName::Floor), Just(TimerName::Step)]
}

fn person() -> impl Strategy<Value = String> {
    prop::sample::select(&PEOPLE[..]).prop_map(String::from)
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        2 => Just(Command::StartMeeting),
        1 => Just(Command::CloseMeeting),
        4 => Just(Command::NextStep),
        2 => Just(Command::PreviousStep),
        2 => (0usize..3, 0usize..5).prop_map(|(item, step)| Command::GotoStep { item, step }),
        6 => prop::option::of(person()).prop_map(|participant| Command::GrantFloor { participant }),
        3 => Just(Command::EndSpeech),
        3 => Just(Command::YieldFloor),
        2 => timer().prop_map(|timer| Command::PauseTimer { timer }),
        2 => timer().prop_map(|timer| Command::ResumeTimer { timer }),
        2 => (timer(), -400i64..400).prop_map(|(timer, seconds)| Command::ExtendTimer { timer, seconds }),
        8 => mode().prop_map(|mode| Command::RaiseHand { mode }),
        3 => Just(Command::WithdrawHand),
        3 => (person(), mode()).prop_map(|(participant, mode)| Command::QueueAdd { participant, mode }),
        2 => person().prop_map(|participant| Command::QueueRemove { participant }),
        2 => (person(), 0usize..6).prop_map(|(participant, position)| Command::QueueMove { participant, position }),
        1 => Just(Command::CloseQueue),
        1 => Just(Command::OpenQueue),
        4 => (prop::sample::select(vec!["eco", "ndrc", "nope"]), "[a-z苏州河 ]{0,12}")
            .prop_map(|(d, text)| Command::SubmitQuestion { department: d.into(), text, asker: None }),
        4 => (1usize..8, prop_oneof![Just(Answer::Answered), Just(Answer::FollowUp), Just(Answer::Declined)])
            .prop_map(|(n, status)| Command::AnswerQuestion { question: format!("q{n}"), status, note: None, seen_answers: None }),
        2 => Just(Command::OpenPoll { poll: "rating".into() }),
        1 => Just(Command::ClosePoll { poll: "rating".into() }),
        3 => (prop::sample::select(vec!["满意", "基本满意", "不满意"]), prop::sample::select(vec!["eco", "ndrc"]))
            .prop_map(|(c, t)| Command::Vote { poll: "rating".into(), choice: c.into(), target: Some(t.into()) }),
    ]
}

fn script() -> impl Strategy<Value = Vec<(usize, Command, u64)>> {
    prop::collection::vec((0..ACTORS.len(), command(), 0u64..90_000), 1..160)
}

fn check_invariants(state: &State, now: u64) {
    let mut seen = HashSet::new();
    for e in &state.queue.entries {
        assert!(
            seen.insert(e.participant.as_str()),
            "{} is twice in the queue",
            e.participant
        );
        assert!(state
            .participant(&e.participant)
            .is_some_and(|p| p.role.may_take_part()));
    }
    if let Some(f) = &state.floor {
        assert!(
            !state.queue.contains(&f.speaker),
            "the speaker is also queued"
        );
        assert!(f.timer.as_of_ms <= now);
        assert!(
            f.timer.elapsed_at(now) >= f.timer.elapsed_ms,
            "the turn timer ran backwards"
        );
    }
    if let Some(t) = &state.step_timer {
        assert!(t.as_of_ms <= now);
        assert!(
            t.elapsed_at(now) >= t.elapsed_ms,
            "the step timer ran backwards"
        );
    }
    assert_eq!(state.position.is_some(), state.step_timer.is_some());
    for (i, q) in state.questions.iter().enumerate() {
        assert_eq!(
            q.id,
            format!("q{}", i + 1),
            "question ids are q1, q2, … in order"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_meeting_keeps_its_invariants_and_its_journal_replays_to_it(script in script()) {
        let dir = tempfile::tempdir_in(fast_dir()).unwrap();
        let path = dir.path().join("p.journal");
        let plan = parse_plan("test.toml", PLAN).unwrap();
        let mut journal = Journal::open_or_create(&path, &plan, &journal::digest(PLAN.as_bytes()), T0).unwrap().journal;
        let mut m = Meeting::new();
        let mut last_step_elapsed = 0;
        for (actor, command, wait) in script {
            m.now += wait;
            let before = m.state.clone();
            match execute(&mut m.state, command, Ctx::by(ACTORS[actor], m.now)) {
                Ok(events) => {
                    journal.append(events).unwrap();
                }
                Err(_) => prop_assert_eq!(&m.state, &before, "a rejection changed the state"),
            }
            check_invariants(&m.state, m.now);
            if let (Some(t), Some(p)) = (m.state.step_timer, m.state.position) {
                if before.position == Some(p) {
                    prop_assert!(t.elapsed_at(m.now) >= last_step_elapsed);
                }
                last_step_elapsed = t.elapsed_at(m.now);
            }
        }
        journal.close().unwrap();
        let recording = journal::read(&path).unwrap();
        for (i, entry) in recording.entries.iter().enumerate() {
            prop_assert_eq!(entry.seq, i as u64 + 1, "seq is gap-free from 1");
        }
        prop_assert_eq!(&journal::replay(&recording), &m.state);
        // A client rebuilds the same state from a snapshot sent as JSON.
        let json = serde_json::to_string(&Snapshot::of(&m.state)).unwrap();
        let snapshot: Snapshot = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(snapshot.to_state().unwrap(), m.state);
    }
}

/// Numbers at and beyond the ends of their ranges, as a hostile client sends them.
fn extreme_i64() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MIN + 1),
        Just(i64::MAX),
        Just(0),
        Just(-86_401),
        Just(-86_400),
        Just(86_400),
        Just(86_401),
        any::<i64>()
    ]
}

fn extreme_usize() -> impl Strategy<Value = usize> {
    prop_oneof![
        Just(usize::MAX),
        Just(usize::MAX - 1),
        Just(0),
        Just(1),
        Just(u32::MAX as usize),
        any::<usize>()
    ]
}

fn extreme_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        (timer(), extreme_i64())
            .prop_map(|(timer, seconds)| Command::ExtendTimer { timer, seconds }),
        (extreme_usize(), extreme_usize())
            .prop_map(|(item, step)| Command::GotoStep { item, step }),
        (person(), extreme_usize()).prop_map(|(participant, position)| Command::QueueMove {
            participant,
            position
        }),
        mode().prop_map(|mode| Command::RaiseHand { mode }),
        Just(Command::StartMeeting),
        prop::option::of(person()).prop_map(|participant| Command::GrantFloor { participant }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// In a debug build, where overflow panics: no number makes `decide` or `apply`
    /// panic, and none outside its documented range is recorded.
    #[test]
    fn numbers_at_the_ends_of_their_ranges_never_panic(
        script in prop::collection::vec((0..ACTORS.len(), extreme_command(), prop_oneof![Just(0u64), Just(1u64), 0u64..10_000_000]), 1..80)
    ) {
        let mut m = Meeting::new();
        for (actor, command, wait) in script {
            m.now = m.now.saturating_add(wait);
            if let Ok(events) = execute(&mut m.state, command, Ctx::by(ACTORS[actor], m.now)) {
                for e in events {
                    if let xieshang::meeting::EventKind::TimerExtended { seconds, .. } = e.kind {
                        prop_assert!(seconds != 0 && seconds.abs() <= 86_400, "{}", seconds);
                    }
                }
            }
            check_invariants(&m.state, m.now);
        }
    }
}

/// Random journals are written to memory-backed storage where there is some: the
/// property is about content, and thousands of fsyncs to a disk would only be slow.
fn fast_dir() -> std::path::PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}
