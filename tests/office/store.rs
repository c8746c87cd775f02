//! The register on disk, as a secretariat uses it: a meeting imported (twice),
//! items listed, exported and reminded of, an answer sent back, two processes
//! writing at once, and bad input refused.

use crate::common::room::zh_plan;
use std::path::{Path, PathBuf};
use std::process::Command;
use xieshang::meeting::followups::Ctx;
use xieshang::meeting::followups::{Actor, Command as Do, ItemState, Rating};
use xieshang::office::followups::{import, Filter, UpdateError};
use xieshang::office::Office;

const BEIJING: i32 = 8 * 3600;

fn xieshang(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A simulated meeting of `scenario` with its follow-ups (written replies and
/// carried questions), its journal in `dir`.
pub fn simulated(dir: &Path, scenario: &str) -> PathBuf {
    let journal = dir.join(format!("{scenario}.journal"));
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{scenario}.toml"));
    let (code, _, err) = xieshang(&[
        "simulate",
        "--speed",
        "10000",
        "--journal",
        journal.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    journal
}

pub fn secretariat() -> Actor {
    Actor::Secretariat {
        name: "督办科".into(),
    }
}

#[test]
fn a_meeting_imported_twice_adds_its_promises_once() {
    let dir = tempfile::tempdir().unwrap();
    let journal = simulated(dir.path(), "huishang-supervision");
    let db = dir.path().join("register.db");
    let mut register = Office::open(&db).unwrap();
    let now = xieshang::clock::now_ms();
    let first = import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &secretariat(),
            now_ms: now,
            offset_s: BEIJING,
        },
    )
    .unwrap();
    assert!(!first.added.is_empty(), "the meeting promised something");
    // Exactly the minutes' follow-ups: promised written replies and carried questions.
    let read = xieshang::journal::read(&journal).unwrap();
    let mut state = xieshang::meeting::State::new(std::sync::Arc::new(read.header.plan.clone()));
    for e in &read.entries {
        xieshang::meeting::apply(&mut state, &e.to_event());
    }
    use xieshang::meeting::question::QuestionStatus;
    let promised = state
        .questions
        .iter()
        .filter(|q| {
            q.status == QuestionStatus::FollowUp
                || (q.carried && q.status == QuestionStatus::Pending)
        })
        .count();
    assert_eq!(first.added.len(), promised);
    // A question the room left unanswered is not a promise, in the register
    // as in the meeting: each item says which it is.
    let key = xieshang::office::followups::meeting_key(&read.header);
    let mut unanswered = 0;
    for q in state
        .questions
        .iter()
        .filter(|q| q.status == QuestionStatus::FollowUp || q.status == QuestionStatus::Pending)
    {
        let item = register.item(&format!("{key}/{}", q.id)).unwrap().unwrap();
        assert_eq!(
            item.unanswered,
            q.status == QuestionStatus::Pending,
            "{}",
            q.id
        );
        unanswered += usize::from(item.unanswered);
    }
    assert!(
        unanswered > 0,
        "the bundled meeting leaves a question unanswered"
    );
    let again = import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &secretariat(),
            now_ms: now + 1000,
            offset_s: BEIJING,
        },
    )
    .unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.already, promised);
    let items = register.items(&Filter::default()).unwrap();
    assert_eq!(items.len(), promised);
    for item in &items {
        assert_eq!(item.state, ItemState::Assigned);
        assert_eq!(item.version, 1);
        assert!(
            item.origin.seq > 0,
            "{}: the event that recorded it",
            item.id
        );
        assert!(!item.origin.asker.name.is_empty());
        assert_eq!(item.due, item.origin.date.add_months(2));
        assert_eq!(register.item_history(&item.id).unwrap().len(), 1);
    }
    // Owner-only, like everything private.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&db).unwrap().permissions().mode() & 0o077,
        0
    );
}

#[test]
fn a_journal_that_is_not_a_meetings_is_refused_and_a_torn_one_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let plan = zh_plan(dir.path());
    let (code, _, err) = xieshang(&[
        "followups",
        "--register",
        db.to_str().unwrap(),
        "import",
        plan.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("is not a meeting's journal"), "{err}");
    let journal = simulated(dir.path(), "huishang-supervision");
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.extend_from_slice(b"{\"seq\":99999,\"at_ms\":1,");
    std::fs::write(&journal, bytes).unwrap();
    let (code, out, err) = xieshang(&[
        "followups",
        "--register",
        db.to_str().unwrap(),
        "import",
        journal.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("incomplete"), "{err}");
    assert!(out.contains(" new, 0 already"), "{out}");
}

#[test]
fn an_answer_sent_back_gets_a_new_date_and_a_stale_update_names_who_changed_it() {
    let dir = tempfile::tempdir().unwrap();
    let journal = simulated(dir.path(), "huishang-supervision");
    let mut register = Office::open(&dir.path().join("r.db")).unwrap();
    let now = 1_796_500_000_000; // 2026-12-05
    let done = import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &secretariat(),
            now_ms: now,
            offset_s: BEIJING,
        },
    )
    .unwrap();
    let id = done.added[0].clone();
    let item = register.item(&id).unwrap().unwrap();
    let dept = Actor::Department {
        department: item.department.clone(),
        name: "李强".into(),
    };
    // Work done, with evidence: kept whole, though a list leaves it out.
    let evidence = xieshang::meeting::followups::item::Evidence {
        date: xieshang::meeting::followups::Date::parse("2026-12-03").unwrap(),
        title: "现场查看".into(),
        text: "与街道、物业现场协调".into(),
        by: "李强".into(),
    };
    let progress = Do::Progress {
        evidence: evidence.clone(),
    };
    register
        .update_item(
            &id,
            &progress,
            Ctx {
                actor: &dept,
                now_ms: now,
                offset_s: BEIJING,
                seen: Some(1),
            },
        )
        .unwrap();
    assert_eq!(
        register.item(&id).unwrap().unwrap().evidence,
        std::slice::from_ref(&evidence)
    );
    let whole = register.items_whole(&Filter::default()).unwrap();
    assert_eq!(
        whole.iter().find(|i| i.id == id).unwrap().evidence,
        [evidence]
    );
    let listed = register.items(&Filter::default()).unwrap();
    assert!(listed
        .iter()
        .find(|i| i.id == id)
        .unwrap()
        .evidence
        .is_empty());
    let answered = register
        .update_item(
            &id,
            &Do::Answer {
                class: xieshang::meeting::followups::AnswerClass::B,
                text: "已列入明年计划".into(),
            },
            Ctx {
                actor: &dept,
                now_ms: now,
                offset_s: BEIJING,
                seen: Some(2),
            },
        )
        .unwrap();
    assert_eq!(answered.state, ItemState::Answered);
    // The asker read version 2: refused, naming who answered meanwhile.
    let asker = Actor::Asker {
        who: item.asker(),
        name: item.origin.asker.name.clone(),
    };
    let rate = Do::Rate {
        rating: Rating::Dissatisfied,
        reason: Some("没有时间表".into()),
    };
    match register.update_item(
        &id,
        &rate,
        Ctx {
            actor: &asker,
            now_ms: now,
            offset_s: BEIJING,
            seen: Some(2),
        },
    ) {
        Err(UpdateError::Refused(r)) => assert!(r.to_string().contains("李强"), "{r}"),
        other => panic!("a stale update went through: {other:?}"),
    }
    let back = register
        .update_item(
            &id,
            &rate,
            Ctx {
                actor: &asker,
                now_ms: now,
                offset_s: BEIJING,
                seen: Some(3),
            },
        )
        .unwrap();
    assert_eq!((back.state, back.returned), (ItemState::InProgress, 1));
    // A month from the rating, or the date it had when that is later.
    assert_eq!(
        back.due,
        xieshang::meeting::followups::Date::of_ms(now, BEIJING)
            .add_months(1)
            .max(item.due)
    );
    let history = register.item_history(&id).unwrap();
    let kinds: Vec<&str> = history.iter().map(|e| e.change.name()).collect();
    assert_eq!(kinds, ["created", "progressed", "answered", "rated"]);
    assert_eq!(history[3].actor, asker);
    // Reopened from disk, the same.
    drop(register);
    let again = Office::open(&dir.path().join("r.db")).unwrap();
    assert_eq!(again.item(&id).unwrap().unwrap(), back);
}

#[test]
fn an_item_left_alone_shows_as_overdue_on_the_right_day_and_exports_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let journal = simulated(dir.path(), "huishang-supervision");
    let db = dir.path().join("r.db");
    let db = db.to_str().unwrap();
    let (code, out, err) = xieshang(&[
        "followups",
        "--register",
        db,
        "import",
        journal.to_str().unwrap(),
        "--due",
        "2027-01-19",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("new"), "{out}");
    let list = |today: &str| {
        let (code, out, err) = xieshang(&[
            "followups",
            "--register",
            db,
            "--today",
            today,
            "list",
            "--overdue",
        ]);
        assert_eq!(code, 0, "{err}");
        out
    };
    assert!(
        list("2027-01-19").contains("没有到期或逾期的事项"),
        "on time on the day itself"
    );
    let late = list("2027-01-20");
    assert!(late.contains("逾期") && late.contains("+1"), "{late}");
    let (_, csv, _) = xieshang(&[
        "followups",
        "--register",
        db,
        "--today",
        "2027-01-20",
        "export",
        "--format",
        "csv",
    ]);
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    assert!(
        csv.contains("\r\n") && csv.contains("\"牵头部门\"") && csv.contains("逾期"),
        "{csv}"
    );
    let (_, json, _) = xieshang(&[
        "followups",
        "--register",
        db,
        "--today",
        "2027-01-20",
        "export",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["standing"]["overdue"] == true));
    let (_, digest, _) = xieshang(&[
        "followups",
        "--register",
        db,
        "--today",
        "2027-01-20",
        "digest",
    ]);
    assert!(
        digest.contains("# 催办单 · ") && digest.contains("逾期天数 1"),
        "{digest}"
    );
    let (_, early, _) = xieshang(&[
        "followups",
        "--register",
        db,
        "--today",
        "2026-12-01",
        "digest",
    ]);
    assert!(early.contains("没有到期或逾期的事项"), "{early}");
}

#[test]
fn two_processes_writing_one_register_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let journal = simulated(dir.path(), "huishang-supervision");
    let db = dir.path().join("r.db");
    let mut register = Office::open(&db).unwrap();
    let now = 1_796_500_000_000;
    let ids = import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &secretariat(),
            now_ms: now,
            offset_s: BEIJING,
        },
    )
    .unwrap()
    .added;
    assert!(ids.len() >= 2, "{ids:?}");
    drop(register);
    // Two processes answer, rate and answer again every item, side by side.
    let run = |by: &'static str| {
        let db = db.clone();
        let ids = ids.clone();
        std::thread::spawn(move || {
            let mut ok = 0;
            for round in 0..3 {
                for id in &ids {
                    let db = db.to_str().unwrap();
                    let (code, _, _) = xieshang(&[
                        "followups",
                        "--register",
                        db,
                        "answer",
                        id,
                        "b",
                        &format!("第{round}轮"),
                        "--by",
                        by,
                    ]);
                    ok += usize::from(code == 0);
                    let (code, _, _) = xieshang(&[
                        "followups",
                        "--register",
                        db,
                        "rate",
                        id,
                        "dissatisfied",
                        "--reason",
                        "仍未解决",
                        "--by",
                        by,
                    ]);
                    ok += usize::from(code == 0);
                }
            }
            ok
        })
    };
    let (a, b) = (run("甲"), run("乙"));
    let accepted = a.join().unwrap() + b.join().unwrap();
    let register = Office::open(&db).unwrap();
    let mut changes = 0;
    for id in &ids {
        let history = register.item_history(id).unwrap();
        let versions: Vec<u64> = history.iter().map(|e| e.version).collect();
        assert_eq!(
            versions,
            (1..=history.len() as u64).collect::<Vec<_>>(),
            "no gap, no double"
        );
        let item = register.item(id).unwrap().unwrap();
        assert_eq!(item.version, history.len() as u64);
        changes += history.len() - 1;
    }
    assert_eq!(
        changes, accepted,
        "every accepted change is in the register, and only those"
    );
    assert!(
        accepted >= ids.len() * 6,
        "each process got its turns ({accepted})"
    );
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let db = db.to_str().unwrap();
    for (args, says) in [
        (vec!["import", "/nonexistent.journal"], "no such file"),
        (
            vec!["import", "x.journal", "--due", "2027-02-30"],
            "is not a day",
        ),
        (vec!["list", "--state", "done"], "is not a state"),
        (
            vec!["answer", "nope/q1", "d", "x", "--by", "me"],
            "is not a class",
        ),
        // In the chosen language, Chinese unless told.
        (
            vec!["answer", "nope/q1", "a", "x", "--by", "me"],
            "中没有事项 nope/q1",
        ),
        (
            vec!["--lang", "en", "answer", "nope/q1", "a", "x", "--by", "me"],
            "no item nope/q1",
        ),
        (
            vec!["rate", "nope/q1", "happy", "--by", "me"],
            "is not a rating",
        ),
        (vec!["show", "nope/q1"], "中没有事项 nope/q1"),
    ] {
        let mut all = vec!["followups", "--register", db];
        all.extend(args.iter().copied());
        let (code, _, err) = xieshang(&all);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // A register of another layout is refused, never rewritten.
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .pragma_update(None, "user_version", 7)
        .unwrap();
    let (code, _, err) = xieshang(&["followups", "--register", other.to_str().unwrap(), "list"]);
    assert_ne!(code, 0);
    assert!(err.contains("later layout (7"), "{err}");
    // A file that is not a register is said so.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some text").unwrap();
    let (code, _, err) = xieshang(&["followups", "--register", junk.to_str().unwrap(), "list"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("register") || err.contains("database"),
        "{err}"
    );
}

#[test]
fn the_minutes_name_each_follow_up_by_its_register_id() {
    let dir = tempfile::tempdir().unwrap();
    let journal = simulated(dir.path(), "huishang-supervision");
    let db = dir.path().join("r.db");
    let (_, plain, err) = xieshang(&[
        "minutes",
        journal.to_str().unwrap(),
        "--register",
        db.to_str().unwrap(),
    ]);
    assert!(
        err.contains("no register"),
        "a register that is not there is said: {err}"
    );
    assert!(plain.is_empty());
    let mut register = Office::open(&db).unwrap();
    let added = import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &secretariat(),
            now_ms: 1_796_500_000_000,
            offset_s: BEIJING,
        },
    )
    .unwrap()
    .added;
    drop(register);
    let (code, md, err) = xieshang(&[
        "minutes",
        journal.to_str().unwrap(),
        "--register",
        db.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    for id in &added {
        assert!(
            md.contains(&format!("督办编号 {id}")),
            "{id} in the minutes:\n{md}"
        );
    }
    let (_, json, _) = xieshang(&[
        "minutes",
        journal.to_str().unwrap(),
        "--format",
        "json",
        "--register",
        db.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let named: Vec<&str> = v["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["questions"].as_array().unwrap())
        .filter_map(|q| q["register_id"].as_str())
        .collect();
    assert_eq!(named.len(), added.len(), "every follow-up named, once");
    // Without a register (none where it runs), the minutes are as they were.
    let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["minutes", journal.to_str().unwrap()])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let without = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && without.contains("q1") && !without.contains("督办编号"));
}

#[test]
fn the_dashboards_figures_kept_as_items_change_are_those_counted_from_the_items() {
    use xieshang::meeting::followups::{standing, AnswerClass, Date};
    let dir = tempfile::tempdir().unwrap();
    let mut register = Office::open(&dir.path().join("r.db")).unwrap();
    // Six items of two departments, from meetings a month apart.
    let mut items = Vec::new();
    for n in 0..6 {
        let held = Date::parse("2026-11-19").unwrap().add_days(30 * (n % 3));
        let origin = xieshang::meeting::followups::item::Origin {
            meeting: "会商监督".into(),
            journal_id: format!("m{n}"),
            journal: "m.journal".into(),
            date: held,
            seq: 40,
            question: format!("q{n}"),
            text: "何时办结？".into(),
            asker: xieshang::meeting::followups::item::Asker {
                participant: "m01".into(),
                name: "马文静".into(),
                role: "member".into(),
                sector: None,
                person: None,
            },
            said: None,
            topic: None,
        };
        let department = if n % 2 == 0 {
            ("fg", "市房管局")
        } else {
            ("jw", "市建委")
        };
        items.push(xieshang::meeting::followups::rules::create(
            xieshang::meeting::followups::rules::NewItem {
                id: format!("m{n}/q{n}"),
                origin,
                department: (department.0.into(), department.1.into()),
                promise: "会后书面答复".into(),
                unanswered: false,
                due: None,
            },
            1_796_500_000_000,
        ));
    }
    register.insert_items(&items, &secretariat()).unwrap();
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    // Answer some on time and some late, rate, send back, hide one, extend one.
    let s = secretariat();
    let day = |d: &str| (Date::parse(d).unwrap().end_ms(BEIJING) - 3_600_000) as u64;
    let answer = |class| Do::Answer {
        class,
        text: "已办".into(),
    };
    register
        .update_item(
            &ids[0],
            &answer(AnswerClass::A),
            Ctx {
                actor: &s,
                now_ms: day("2026-12-20"),
                offset_s: BEIJING,
                seen: None,
            },
        )
        .unwrap();
    register
        .update_item(
            &ids[0],
            &Do::Rate {
                rating: Rating::Satisfied,
                reason: None,
            },
            Ctx {
                actor: &s,
                now_ms: day("2026-12-21"),
                offset_s: BEIJING,
                seen: None,
            },
        )
        .unwrap();
    register
        .update_item(
            &ids[1],
            &answer(AnswerClass::B),
            Ctx {
                actor: &s,
                now_ms: day("2027-05-01"),
                offset_s: BEIJING,
                seen: None,
            },
        )
        .unwrap();
    register
        .update_item(
            &ids[1],
            &Do::Rate {
                rating: Rating::Dissatisfied,
                reason: Some("太慢".into()),
            },
            Ctx {
                actor: &s,
                now_ms: day("2027-05-02"),
                offset_s: BEIJING,
                seen: None,
            },
        )
        .unwrap();
    register
        .update_item(
            &ids[2],
            &Do::SetPublic { public: false },
            Ctx {
                actor: &s,
                now_ms: day("2026-12-10"),
                offset_s: BEIJING,
                seen: None,
            },
        )
        .unwrap();
    let item3 = register.item(&ids[3]).unwrap().unwrap();
    register
        .update_item(
            &ids[3],
            &Do::Extend {
                until: item3.due.add_days(20),
                reason: "需审批".into(),
            },
            Ctx {
                actor: &s,
                now_ms: day("2026-12-10"),
                offset_s: BEIJING,
                seen: None,
            },
        )
        .unwrap();
    // A first page: open items first (ids[0] is closed), as many as asked.
    let page = register.first_items(&Filter::default(), 5, false).unwrap();
    assert_eq!(page.len(), 5);
    assert!(page.iter().all(|i| i.state.is_open()), "{page:?}");
    assert_eq!(
        register
            .first_items(&Filter::default(), 10, false)
            .unwrap()
            .last()
            .unwrap()
            .id,
        ids[0]
    );
    let items = register.items(&Filter::default()).unwrap();
    for today in [
        "2026-12-15",
        "2027-02-05",
        "2027-02-06",
        "2027-02-07",
        "2027-02-26",
        "2027-03-01",
        "2027-09-01",
    ] {
        let today = Date::parse(today).unwrap();
        let noon = (today.end_ms(BEIJING) - 12 * 3_600_000) as u64;
        for public_only in [false, true] {
            let kept = register.figures(today, public_only).unwrap();
            let mut counted: std::collections::BTreeMap<String, [u64; 7]> = Default::default();
            for i in items.iter().filter(|i| !public_only || i.public) {
                let c = counted.entry(i.department.clone()).or_default();
                let s = standing(i, noon, BEIJING);
                c[0] += 1;
                c[1] += u64::from(i.state.is_open());
                c[2] += u64::from(s.overdue);
                c[3] += u64::from(i.answer.is_some());
                c[4] += u64::from(i.answer.as_ref().is_some_and(|a| a.date <= i.deadline()));
                c[5] += u64::from(i.rating.is_some());
                c[6] += u64::from(
                    i.rating
                        .as_ref()
                        .is_some_and(|r| r.rating != Rating::Dissatisfied),
                );
            }
            let kept: std::collections::BTreeMap<String, [u64; 7]> = kept
                .into_iter()
                .map(|f| {
                    (
                        f.department,
                        [
                            f.items,
                            f.open,
                            f.overdue,
                            f.answered,
                            f.on_time,
                            f.rated,
                            f.satisfied,
                        ],
                    )
                })
                .collect();
            assert_eq!(kept, counted, "on {today}, public only: {public_only}");
        }
    }
}

#[test]
fn a_plan_says_when_its_promises_are_due_and_check_refuses_a_date_past_three_months() {
    let dir = tempfile::tempdir().unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/huishang-supervision.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let with = |days: &str| {
        text.replacen(
            "[meeting]\n",
            &format!("[meeting]\nfollow_up_days = {days}\n"),
            1,
        )
    };
    assert_ne!(with("14"), text, "the plan has a [meeting] table");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, with("120")).unwrap();
    let (code, out, err) = xieshang(&["check", bad.to_str().unwrap()]);
    assert_ne!(code, 0);
    let said = format!("{out}{err}");
    assert!(
        said.contains("follow_up_days") && said.contains("120"),
        "{said}"
    );
    let good = dir.path().join("good.toml");
    std::fs::write(&good, with("14")).unwrap();
    let journal = dir.path().join("good.journal");
    let (code, _, err) = xieshang(&[
        "simulate",
        "--speed",
        "10000",
        "--journal",
        journal.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut register = Office::open(&dir.path().join("r.db")).unwrap();
    import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &secretariat(),
            now_ms: 1_796_500_000_000,
            offset_s: BEIJING,
        },
    )
    .unwrap();
    let items = register.items(&Filter::default()).unwrap();
    assert!(!items.is_empty());
    for item in items {
        assert_eq!(item.due, item.origin.date.add_days(14), "{}", item.id);
    }
}

#[test]
fn a_register_of_the_layout_before_is_brought_up_to_date_keeping_every_item() {
    let dir = tempfile::tempdir().unwrap();
    let journal = simulated(dir.path(), "huishang-supervision");
    let db = dir.path().join("register.db");
    let mut register = Office::open(&db).unwrap();
    let now = xieshang::clock::now_ms();
    import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &secretariat(),
            now_ms: now,
            offset_s: BEIJING,
        },
    )
    .unwrap();
    let first = register.items(&Filter::default()).unwrap()[0].clone();
    let co = if first.department == "market" {
        "housing"
    } else {
        "market"
    };
    register
        .update_item(
            &first.id,
            &Do::SetCoHandling {
                departments: vec![co.into()],
            },
            Ctx {
                actor: &secretariat(),
                now_ms: now,
                offset_s: BEIJING,
                seen: None,
            },
        )
        .unwrap();
    let items = register.items_whole(&Filter::default()).unwrap();
    let handled = register
        .items(&Filter {
            handled_by: Some(co.into()),
            ..Filter::default()
        })
        .unwrap()
        .len();
    let asker = items[0].asker();
    let theirs = items.iter().filter(|i| i.asker() == asker).count();
    drop(register);
    // Layout 2 had neither the asker's column nor the co-handlers' table, nor
    // the open-first indexes.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP INDEX items_open_first;
         DROP INDEX items_public_open_first;
         DROP INDEX items_department_open_first;
         DROP INDEX items_asker_open_first;
         DROP TABLE co_handlers;
         ALTER TABLE items DROP COLUMN asker;
         DROP TABLE people;
         DROP TABLE organisations;
         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let register = Office::open(&db).unwrap();
    assert_eq!(register.items_whole(&Filter::default()).unwrap(), items);
    let found = register
        .items(&Filter {
            asker: Some(asker),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(found.len(), theirs);
    let co_handled = register
        .items(&Filter {
            handled_by: Some(co.into()),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(
        co_handled.len(),
        handled,
        "what {co} co-handles is found again"
    );
    assert!(co_handled.iter().any(|i| i.id == first.id));
    let version: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, xieshang::office::layout::current());
}

/// What the register refuses, the command line says in the language chosen
/// (Chinese unless told), and an import due before its meeting was held is
/// refused with nothing taken in.
#[test]
fn refusals_speak_the_chosen_language_and_an_import_due_before_its_meeting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let journal = simulated(dir.path(), "huishang-supervision");
    let db = dir.path().join("r.db");
    let (db, journal) = (db.to_str().unwrap(), journal.to_str().unwrap());
    let run = |args: &[&str]| {
        let mut all = vec!["followups", "--register", db];
        all.extend(args);
        xieshang(&all)
    };
    // Due the day before the meeting: refused, saying both dates and what to do.
    let held = {
        let mut scratch = Office::open(&dir.path().join("scratch.db")).unwrap();
        let how = import::Importing {
            due: None,
            by: &secretariat(),
            now_ms: 1_796_500_000_000,
            offset_s: BEIJING,
        };
        import::import(&mut scratch, Path::new(journal), how).unwrap();
        scratch.items(&Filter::default()).unwrap()[0].origin.date
    };
    let before = held.add_days(-1).to_string();
    let (code, out, err) = run(&["import", journal, "--due", &before]);
    assert_ne!(code, 0, "{out}");
    assert!(
        err.contains(&before) && err.contains(&held.to_string()) && err.contains("早于会议召开日"),
        "{err}"
    );
    let (code, _, err) = run(&["--lang", "en", "import", journal, "--due", &before]);
    assert_ne!(code, 0);
    assert!(err.contains("before the meeting was held"), "{err}");
    let (code, out, _) = run(&["list", "--format", "csv"]);
    assert_eq!(
        (code, out.lines().count()),
        (0, 1),
        "nothing imported: {out}"
    );
    // On the day itself it is taken.
    let (code, out, err) = run(&["import", journal, "--due", &held.to_string()]);
    assert_eq!(code, 0, "{err}");
    let id = out.lines().nth(1).unwrap().trim().to_string();
    // A rule's refusal, in Chinese, then in English.
    let (code, _, err) = run(&["extend", &id, &before, "--reason", "x", "--by", "王敏"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("未能记录") && err.contains("不晚于原期限"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "--lang", "en", "extend", &id, &before, "--reason", "x", "--by", "王敏",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("is not after the due date"), "{err}");
}
