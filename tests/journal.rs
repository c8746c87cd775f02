//! The journal: durable, numbered, crash-safe, and faithful to the plan.

use crate::common::*;
use std::path::{Path, PathBuf};
use xieshang::journal::{self, Journal, JournalError};
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{execute, Command, Ctx, Event, Mode, Plan};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// A short meeting's events, decided for real.
fn some_events() -> Vec<Event> {
    let mut m = Meeting::new();
    let mut events = Vec::new();
    let mut run = |m: &mut Meeting, who: &str, c: Command| {
        events.extend(execute(&mut m.state, c, Ctx::by(who, m.now)).unwrap());
        m.now += 17 * SEC;
    };
    run(&mut m, "chair", Command::StartMeeting);
    run(&mut m, "m03", Command::RaiseHand { mode: Mode::Normal });
    run(&mut m, "chair", Command::GrantFloor { participant: None });
    run(
        &mut m,
        "m01",
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "苏州河何时贯通？".into(),
            asker: None,
        },
    );
    run(&mut m, "chair", Command::GrantFloor { participant: None });
    run(&mut m, "chair", Command::NextStep);
    events
}

fn new_journal(dir: &Path) -> (PathBuf, Plan, Journal) {
    let path = dir.join("meetings/test.journal");
    let plan = parse_plan("test.toml", PLAN).unwrap();
    let opened =
        Journal::open_or_create(&path, &plan, &journal::digest(PLAN.as_bytes()), T0).unwrap();
    assert!(opened.created);
    (path, plan, opened.journal)
}

#[test]
fn events_come_back_numbered_from_one_with_time_and_actor() {
    let dir = tmp();
    let (path, plan, mut j) = new_journal(dir.path());
    let events = some_events();
    let first = j.append(events[..1].to_vec()).unwrap();
    assert_eq!(first[0].seq, 1);
    let rest = j.append(events[1..].to_vec()).unwrap();
    assert_eq!(
        rest.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (2..=events.len() as u64).collect::<Vec<_>>()
    );
    j.close().unwrap();

    let rec = journal::read(&path).unwrap();
    assert_eq!(rec.header.format, journal::FORMAT);
    assert_eq!(rec.header.title, "测试会议");
    assert_eq!(rec.header.plan_sha256, journal::digest(PLAN.as_bytes()));
    assert_eq!(rec.header.created_at_ms, T0);
    assert!(
        rec.header.created_at.ends_with('Z'),
        "{}",
        rec.header.created_at
    );
    assert_eq!(rec.header.plan, plan.without_tokens());
    assert!(rec.torn.is_none());
    let back: Vec<Event> = rec.entries.iter().map(|e| e.to_event()).collect();
    assert_eq!(back, events);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.ends_with('\n') && !text.contains('\0'),
        "a closed journal ends with its last line"
    );
    assert_eq!(text.lines().count(), events.len() + 1);
}

#[test]
fn the_replay_of_a_journal_is_the_live_state() {
    let dir = tmp();
    let (path, _, mut j) = new_journal(dir.path());
    let mut m = Meeting::new();
    let mut count = 0;
    for (who, c) in [
        ("chair", Command::StartMeeting),
        ("m02", Command::RaiseHand { mode: Mode::Reply }),
        ("chair", Command::GrantFloor { participant: None }),
        ("m02", Command::RaiseHand { mode: Mode::Reply }),
        ("chair", Command::GotoStep { item: 0, step: 2 }),
    ] {
        let events = execute(&mut m.state, c, Ctx::by(who, m.now)).unwrap_or_default();
        count += events.len() as u64;
        j.append(events).unwrap();
        m.now += 5 * SEC;
    }
    assert_eq!(journal::replay(&journal::read(&path).unwrap()), m.state);
    let (streamed, scan) = journal::replay_file(&path).unwrap();
    assert_eq!(
        streamed, m.state,
        "replaying while reading reaches the same state"
    );
    assert_eq!(scan.last_seq, count);
    assert!(count >= 5);
}

#[test]
fn a_journal_never_holds_a_token() {
    let dir = tmp();
    let text = PLAN.replace(
        "role = \"chair\"\n",
        "role = \"chair\"\ntoken = \"very-secret-chair-token\"\n",
    );
    let plan = parse_plan("t.toml", &text).unwrap();
    assert!(plan.participant("chair").unwrap().token.is_some());
    let path = dir.path().join("j");
    let mut opened =
        Journal::open_or_create(&path, &plan, &journal::digest(text.as_bytes()), T0).unwrap();
    opened.journal.append(some_events()).unwrap();
    drop(opened);
    assert!(!std::fs::read_to_string(&path)
        .unwrap()
        .contains("very-secret-chair-token"));
}

#[test]
fn reopening_continues_the_numbering() {
    let dir = tmp();
    let (path, plan, mut j) = new_journal(dir.path());
    let events = some_events();
    j.append(events[..3].to_vec()).unwrap();
    drop(j);
    let mut again =
        Journal::open_or_create(&path, &plan, &journal::digest(PLAN.as_bytes()), T0 + 1).unwrap();
    assert!(!again.created);
    assert_eq!(again.entries.len(), 3);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    assert_eq!(again.journal.next_seq(), 4);
    let next = again.journal.append(events[3..4].to_vec()).unwrap();
    assert_eq!(next[0].seq, 4);
}

#[test]
fn a_journal_of_another_plan_is_refused() {
    let dir = tmp();
    let (path, plan, j) = new_journal(dir.path());
    drop(j);
    let err =
        Journal::open_or_create(&path, &plan, &journal::digest(b"another file"), T0).unwrap_err();
    assert!(matches!(err, JournalError::PlanMismatch { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("different plan") && message.contains("--journal"),
        "{message}"
    );
}

/// Cuts the journal at every byte of its last line: every complete event must
/// survive, the torn rest must be cut with a warning, and appending must go on.
#[test]
fn a_crash_at_any_byte_of_the_last_line_loses_only_that_line() {
    let dir = tmp();
    let (path, plan, mut j) = new_journal(dir.path());
    let events = some_events();
    j.append(events.clone()).unwrap();
    j.close().unwrap();
    let full = std::fs::read(&path).unwrap();
    let last_start = full[..full.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    let digest = journal::digest(PLAN.as_bytes());
    for cut in last_start..full.len() {
        for zeros in [0, 4096] {
            let crashed = dir.path().join(format!("crash-{cut}-{zeros}"));
            let mut bytes = full[..cut].to_vec();
            bytes.resize(cut + zeros, 0); // space allocated ahead that was never written
            std::fs::write(&crashed, &bytes).unwrap();

            let mut opened = Journal::open_or_create(&crashed, &plan, &digest, T0).unwrap();
            let kept: Vec<Event> = opened.entries.iter().map(|e| e.to_event()).collect();
            assert_eq!(kept, events[..events.len() - 1], "cut at {cut}");
            assert_eq!(
                opened.warnings.len(),
                usize::from(cut > last_start),
                "cut at {cut}: {:?}",
                opened.warnings
            );
            if cut > last_start {
                assert!(opened.warnings[0].contains("torn"), "{:?}", opened.warnings);
            }
            let appended = opened
                .journal
                .append(events[events.len() - 1..].to_vec())
                .unwrap();
            assert_eq!(appended[0].seq, events.len() as u64);
            opened.journal.close().unwrap();
            assert_eq!(
                std::fs::read(&crashed).unwrap(),
                full,
                "cut at {cut}: the journal is whole again"
            );
        }
    }
}

#[test]
fn a_corrupt_line_in_the_middle_is_refused_by_its_line_number() {
    let dir = tmp();
    let (path, plan, mut j) = new_journal(dir.path());
    j.append(some_events()).unwrap();
    j.close().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[3] = lines[3].replace("\"seq\"", "\"sq\"");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let err =
        Journal::open_or_create(&path, &plan, &journal::digest(PLAN.as_bytes()), T0).unwrap_err();
    assert!(
        matches!(err, JournalError::Corrupt { line: 4, .. }),
        "{err}"
    );
    assert!(err.to_string().contains(":4:"), "{err}");
}

#[test]
fn a_gap_in_seq_is_corruption() {
    let dir = tmp();
    let (path, _, mut j) = new_journal(dir.path());
    j.append(some_events()).unwrap();
    j.close().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let without_third: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, l)| *l)
        .collect();
    std::fs::write(&path, without_third.join("\n") + "\n").unwrap();
    let err = journal::read(&path).unwrap_err();
    assert!(
        matches!(err, JournalError::Corrupt { line: 4, ref reason, .. } if reason.contains("seq 4 where 3")),
        "{err}"
    );
}

#[test]
fn files_that_are_not_journals_are_told_apart() {
    let dir = tmp();
    let path = dir.path().join("x");
    std::fs::write(&path, "").unwrap();
    assert!(matches!(
        journal::read(&path),
        Err(JournalError::Empty { .. })
    ));
    std::fs::write(&path, "{\"hello\":1}\n").unwrap();
    assert!(matches!(
        journal::read(&path),
        Err(JournalError::NotAJournal { .. })
    ));
    std::fs::write(&path, "not json\n").unwrap();
    assert!(matches!(
        journal::read(&path),
        Err(JournalError::NotAJournal { .. })
    ));
    std::fs::write(&path, "{\"journal\":\"xieshang\",\"format\":99}\n").unwrap();
    let err = journal::read(&path).unwrap_err();
    assert!(
        matches!(err, JournalError::Format { found: 99, .. }),
        "{err}"
    );
    assert!(matches!(
        journal::read(&dir.path().join("missing")),
        Err(JournalError::Io { .. })
    ));
}

#[test]
fn a_header_torn_by_a_crash_is_made_anew() {
    let dir = tmp();
    let path = dir.path().join("j");
    std::fs::write(&path, "{\"journal\":\"xies").unwrap();
    let plan = parse_plan("test.toml", PLAN).unwrap();
    let opened =
        Journal::open_or_create(&path, &plan, &journal::digest(PLAN.as_bytes()), T0).unwrap();
    assert!(opened.created);
    assert_eq!(opened.warnings.len(), 1);
    assert!(journal::read(&path).is_ok());
}

#[test]
fn space_is_allocated_ahead_and_cut_on_close() {
    let dir = tmp();
    let (path, _, mut j) = new_journal(dir.path());
    j.append(some_events()).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(
        size >= journal::PREALLOCATE,
        "zeros are allocated ahead: {size}"
    );
    let rec = journal::read(&path).unwrap();
    assert!(
        rec.torn.is_none(),
        "zeros allocated ahead are not a torn line"
    );
    assert_eq!(
        rec.complete_len,
        std::fs::read_to_string(&path)
            .unwrap()
            .trim_end_matches('\0')
            .len() as u64
    );
    j.close().unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().len(), rec.complete_len);
}

/// Long journals are parsed on two threads; line numbers, seq checks and torn
/// lines must come out as they do on one.
#[test]
fn a_long_journal_is_read_in_order_with_the_right_line_numbers() {
    let dir = tmp();
    let (path, plan, mut j) = new_journal(dir.path());
    let events: Vec<Event> = some_events().into_iter().cycle().take(60_000).collect();
    j.append(events.clone()).unwrap();
    j.close().unwrap();
    let full = std::fs::read(&path).unwrap();
    assert!(
        full.len() > 8 << 20,
        "large enough to be split: {}",
        full.len()
    );
    let rec = journal::read(&path).unwrap();
    assert_eq!(rec.entries.len(), events.len());
    assert!(rec
        .entries
        .iter()
        .enumerate()
        .all(|(i, e)| e.seq == i as u64 + 1));

    // A corrupt line late in the file is named by its own number.
    let text = String::from_utf8(full.clone()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[50_000] = "{\"seq\": garbage}";
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let err = journal::read(&path).unwrap_err();
    assert!(
        matches!(err, JournalError::Corrupt { line: 50_001, .. }),
        "{err}"
    );

    // A torn last line is still only cut.
    std::fs::write(&path, &full[..full.len() - 10]).unwrap();
    let opened =
        Journal::open_or_create(&path, &plan, &journal::digest(PLAN.as_bytes()), T0).unwrap();
    assert_eq!(opened.entries.len(), events.len() - 1);
    assert_eq!(opened.warnings.len(), 1);
}
