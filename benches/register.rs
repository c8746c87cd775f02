//! The follow-up register at the size of a province's ten years: 100,000 items
//! and 1,000,000 changes. Measures what a secretariat and the public wait for:
//! the dashboard's per-department figures, a department's first page of items
//! (overdue first), a department's whole list, one item with its history, a
//! meeting of 1,000 promises imported, and every item exported as CSV. (The
//! desk's memory is measured on the register it leaves with REGISTER_DB.)
//!
//! `cargo bench --bench register` (set REGISTER_ITEMS for another size).

use std::time::{Duration, Instant};
use xieshang::meeting::followups::item::{
    Asker, Evidence, Extension, GivenAnswer, GivenRating, Origin,
};
use xieshang::meeting::followups::{rules, Actor, AnswerClass, Change, Date, Item, Rating};
use xieshang::office::followups::{export, import, Filter};
use xieshang::office::Office;

const DEPARTMENTS: usize = 40;
const BEIJING: i32 = 8 * 3600;

fn main() {
    let items: usize = std::env::var("REGISTER_ITEMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    // REGISTER_DB keeps the register made, to measure the desk on it after.
    let db =
        std::env::var("REGISTER_DB").map_or_else(|_| dir.path().join("register.db"), Into::into);
    let _ = std::fs::remove_file(&db);
    let mut register = Office::open(&db).unwrap();
    let started = Instant::now();
    let mut changes = 0usize;
    let generated: Vec<_> = (0..items).map(|n| generate(n, &mut changes)).collect();
    register.load_items(generated).unwrap();
    let size = std::fs::metadata(&db).unwrap().len()
        + std::fs::metadata(db.with_extension("db-wal")).map_or(0, |m| m.len());
    println!(
        "register: {items} items, {} changes, loaded in {:.1} s, {:.0} MB on disk",
        changes + items,
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    let today = Date::parse("2027-06-01").unwrap();
    let now_ms = (today.end_ms(BEIJING) - 12 * 3_600_000) as u64;

    timed(
        "dashboard: every department's figures (public)",
        200,
        || {
            let f = register.figures(today, true).unwrap();
            assert_eq!(f.len(), DEPARTMENTS.min(items));
        },
    );
    timed("a department's first page: 50, overdue first", 200, || {
        let page = register
            .first_items(
                &Filter {
                    department: Some("d07".into()),
                    ..Filter::default()
                },
                50,
                false,
            )
            .unwrap();
        assert!(!page.is_empty());
    });
    timed("a department's whole list (`Office::items`)", 200, || {
        let all = register
            .items(&Filter {
                department: Some("d07".into()),
                ..Filter::default()
            })
            .unwrap();
        assert!(all.len() >= items / DEPARTMENTS / 2);
    });
    // The same list as the code before this change read it (sorted by SQLite,
    // then parsed on this one thread), and its rows alone both ways: before,
    // after and SQLite's share, in one run.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows = |order: &str| -> Vec<(String, String)> {
        conn.prepare_cached(&format!(
            "SELECT body, '' FROM items WHERE 1 = 1 AND department = ?1{order}"
        ))
        .unwrap()
        .query_map(["d07"], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    timed(
        "a department's whole list as before: sorted by SQLite, parsed on one thread",
        200,
        || {
            let list: Vec<Item> = rows(" ORDER BY deadline, id")
                .iter()
                .map(|(body, _)| serde_json::from_str(body).unwrap())
                .collect();
            assert!(list.len() >= items / DEPARTMENTS / 2);
        },
    );
    timed(
        "a department's whole list: its rows alone, sorted by SQLite",
        200,
        || assert!(rows(" ORDER BY deadline, id").len() >= items / DEPARTMENTS / 2),
    );
    timed(
        "a department's whole list: its rows alone, in an index's order",
        200,
        || assert!(rows("").len() >= items / DEPARTMENTS / 2),
    );
    timed(
        "the public dashboard's items: the first 200, open and overdue first",
        200,
        || {
            let page = register
                .first_items(
                    &Filter {
                        public_only: true,
                        ..Filter::default()
                    },
                    200,
                    false,
                )
                .unwrap();
            assert_eq!(page.len(), 200.min(items));
        },
    );
    timed(
        "a department's own page: the first 200 it leads or co-handles, whole, and their count",
        200,
        || {
            let filter = Filter {
                handled_by: Some("d07".into()),
                ..Filter::default()
            };
            let page = register.first_items(&filter, 200, true).unwrap();
            assert_eq!(page.len(), 200.min(items / DEPARTMENTS));
            assert!(register.count_items(&filter).unwrap() >= (items / DEPARTMENTS) as u64);
        },
    );
    timed(
        "a person's own page: the first 200 they asked in every meeting, whole, and their count",
        200,
        || {
            let filter = Filter {
                asker: Some(xieshang::meeting::roster::Who::Person("W0042".into())),
                ..Filter::default()
            };
            assert!(!register.first_items(&filter, 200, true).unwrap().is_empty());
            assert!(register.count_items(&filter).unwrap() > 0);
        },
    );
    timed("one item and its history", 200, || {
        let id = format!("m{:05}/q{}", 4242 % (items / 10).max(1), 4242 % 10 + 1);
        assert!(register.item(&id).unwrap().is_some());
        assert!(!register.item_history(&id).unwrap().is_empty());
    });

    // A meeting of 1,000 promised written replies, imported.
    let journal = dir.path().join("big.journal");
    big_meeting(&journal, 1_000);
    let by = Actor::Secretariat {
        name: "bench".into(),
    };
    let t = Instant::now();
    let done = import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &by,
            now_ms,
            offset_s: BEIJING,
        },
    )
    .unwrap();
    println!(
        "import of a 1,000-question journal: {} ms ({} items)",
        t.elapsed().as_millis(),
        done.added.len()
    );
    assert_eq!(done.added.len(), 1_000);
    let t = Instant::now();
    let again = import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &by,
            now_ms,
            offset_s: BEIJING,
        },
    )
    .unwrap();
    println!(
        "the same, again (adds nothing): {} ms",
        t.elapsed().as_millis()
    );
    assert_eq!(again.already, 1_000);

    let t = Instant::now();
    let all = register.items(&Filter::default()).unwrap();
    let read = t.elapsed();
    let t = Instant::now();
    let csv = export::csv(&all, xieshang::meeting::plan::Language::Zh, now_ms, BEIJING);
    let written = t.elapsed();
    println!(
        "export of {} items as CSV: {} ms ({} ms reading, {} ms writing, {:.0} MB)",
        all.len(),
        (read + written).as_millis(),
        read.as_millis(),
        written.as_millis(),
        csv.len() as f64 / 1e6
    );
}

/// Runs `f` `n` times; prints the median and the 99th percentile.
fn timed(what: &str, n: usize, mut f: impl FnMut()) {
    f(); // warm the page cache
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.2} ms, p99 {:.2} ms ({n} runs)",
        ms(times[n / 2]),
        ms(times[(n * 99 / 100).min(n - 1)])
    );
}

/// Item `n`: ten questions a meeting, forty departments, in every state, with
/// about nine changes after its creation.
fn generate(n: usize, changes: &mut usize) -> (Item, Actor, Vec<(Actor, Change, u64)>) {
    let meeting = n / 10;
    let held = Date::parse("2024-01-10")
        .unwrap()
        .add_days((meeting % 1200) as i32);
    let department = format!("d{:02}", n % DEPARTMENTS);
    let origin = Origin {
        meeting: format!("第{meeting}次协商会"),
        journal_id: format!("m{meeting:05}"),
        journal: format!("meetings/m{meeting:05}.journal"),
        date: held,
        seq: 40 + (n % 10) as u64,
        question: format!("q{}", n % 10 + 1),
        text: "老旧小区加装电梯的补贴何时到位？审批流程能否进一步简化，让居民少跑腿？".into(),
        asker: Asker {
            participant: format!("m{:03}", n % 300),
            name: "马文静".into(),
            role: "member".into(),
            sector: Some("民建".into()),
            // The same members ask in many meetings: known by the roster.
            person: Some(format!("W{:04}", n % 300)),
        },
        said: Some("会后两周内书面答复".into()),
        topic: None,
    };
    let at = (held.end_ms(BEIJING) - 6 * 3_600_000) as u64;
    let item = rules::create(
        rules::NewItem {
            id: format!("m{meeting:05}/q{}", n % 10 + 1),
            origin,
            department: (department.clone(), format!("市第{}局", n % DEPARTMENTS)),
            promise: "会后书面答复".into(),
            unanswered: false,
            due: None,
        },
        at,
    );
    let dept = Actor::Department {
        department,
        name: "李强".into(),
    };
    let asker = Actor::Asker {
        who: item.asker(),
        name: "马文静".into(),
    };
    let secretariat = Actor::Secretariat {
        name: "督办科".into(),
    };
    let day = |d: i32| held.add_days(d);
    let ms = |d: i32| (day(d).end_ms(BEIJING) - 6 * 3_600_000) as u64;
    let mut c = vec![(
        dept.clone(),
        Change::Acknowledged {
            handler: "李强".into(),
        },
        ms(2),
    )];
    let stage = n % 10;
    let progress = if stage < 2 { 0 } else { 9 };
    for k in 0..progress {
        c.push((
            dept.clone(),
            Change::Progressed {
                evidence: Evidence {
                    date: day(5 + k * 5),
                    title: format!("第{}次现场办公", k + 1),
                    text: "与街道、物业、居民代表现场协调，形成会议纪要。".into(),
                    by: "李强".into(),
                },
            },
            ms(5 + k * 5),
        ));
    }
    if stage == 3 {
        c.push((
            secretariat.clone(),
            Change::Extended {
                extension: Extension {
                    until: item.due.add_days(20),
                    reason: "需财政审批".into(),
                },
            },
            ms(50),
        ));
    }
    if stage >= 4 {
        let late = if stage == 9 { 70 } else { 45 };
        c.push((
            dept.clone(),
            Change::Answered {
                answer: GivenAnswer {
                    class: if stage.is_multiple_of(2) {
                        AnswerClass::A
                    } else {
                        AnswerClass::B
                    },
                    text: "补贴资金已于本月拨付到位，审批改为一窗受理。".into(),
                    date: day(late),
                    by: "李强".into(),
                },
                review_on: None,
            },
            ms(late),
        ));
    }
    if stage >= 6 {
        let rating = match stage {
            6 => Rating::Dissatisfied,
            7 => Rating::BasicallySatisfied,
            _ => Rating::Satisfied,
        };
        c.push((
            asker.clone(),
            Change::Rated {
                rating: GivenRating {
                    rating,
                    reason: (rating == Rating::Dissatisfied).then(|| "没有时间表".into()),
                    date: day(50),
                    recorded_by: "马文静".into(),
                },
                due: (rating == Rating::Dissatisfied).then(|| day(80)),
            },
            ms(50),
        ));
    }
    *changes += c.len();
    (item, secretariat, c)
}

/// A journal of a meeting where one member put `n` questions to one department,
/// each promised a written reply.
fn big_meeting(path: &std::path::Path, n: usize) {
    use xieshang::meeting::{execute, Answer, Command, Ctx, Event};
    let plan = xieshang::meeting::scenario::parse_plan(
        "big.toml",
        r#"
[meeting]
title = "千问会"
date = "2027-05-20"
language = "zh"
[[departments]]
id = "fg"
name = "市房管局"
[[participants]]
id = "chair"
name = "主持人"
role = "chair"
[[participants]]
id = "m01"
name = "马文静"
role = "member"
[[participants]]
id = "d-fg"
name = "房管局代表"
role = "department"
department = "fg"
[[agenda]]
title = "议题"
[[agenda.steps]]
kind = "question"
title = "提问"
duration = "10m"
[[agenda.steps]]
kind = "respond"
title = "回应"
duration = "10m"
"#,
    )
    .unwrap();
    let plan = std::sync::Arc::new(plan);
    let mut state = xieshang::meeting::State::new(plan.clone());
    let t0 = 1_800_000_000_000u64;
    let mut events: Vec<Event> = Vec::new();
    let mut run = |state: &mut xieshang::meeting::State, who: &str, c: Command, at: u64| {
        events.extend(execute(state, c, Ctx::by(who, at)).unwrap());
    };
    run(&mut state, "chair", Command::StartMeeting, t0);
    for i in 0..n {
        run(
            &mut state,
            "m01",
            Command::SubmitQuestion {
                department: "fg".into(),
                text: format!("第{i}个问题：加装电梯补贴何时到位？"),
                asker: None,
            },
            t0 + 1000 + i as u64,
        );
    }
    run(&mut state, "chair", Command::NextStep, t0 + 10_000);
    for i in 0..n {
        run(
            &mut state,
            "d-fg",
            Command::AnswerQuestion {
                question: format!("q{}", i + 1),
                status: Answer::FollowUp,
                note: Some("会后书面答复".into()),
                seen_answers: None,
            },
            t0 + 20_000 + i as u64,
        );
    }
    let header = xieshang::journal::Header::new(&plan, &"0".repeat(64), t0);
    let mut journal = xieshang::journal::Journal::create(path, &header).unwrap();
    journal.append(events).unwrap();
    journal.close().unwrap();
}
