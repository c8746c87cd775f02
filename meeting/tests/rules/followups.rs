//! The follow-up register's rules (`followups::rules`), pure, with fixed times: an
//! item from 已交办 to 办结, who may act on it, and a property test over any
//! sequence of commands.

use proptest::prelude::*;
use xieshang_meeting::followups::item::{Asker, Evidence, Origin};
use xieshang_meeting::followups::rules::{self, Ctx};
use xieshang_meeting::followups::{
    apply, decide, standing, Actor, AnswerClass, Change, Command, Date, Item, ItemState, Rating,
    Refusal,
};
use xieshang_meeting::roster::Who;

const BEIJING: i32 = 8 * 3600;
const DAY: u64 = 86_400_000;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// Noon in Beijing on `day`.
fn noon(day: &str) -> u64 {
    (date(day).end_ms(BEIJING) - 12 * 3_600_000) as u64
}

fn item() -> Item {
    let origin = Origin {
        meeting: "民生实事监督会".into(),
        journal_id: "j1".into(),
        journal: "m.journal".into(),
        date: date("2026-11-19"),
        seq: 42,
        question: "q3".into(),
        text: "加装电梯补贴何时到位？".into(),
        asker: Asker {
            participant: "m01".into(),
            name: "马文静".into(),
            role: "member".into(),
            sector: Some("民建".into()),
            person: None,
        },
        said: Some("两周内书面答复".into()),
        topic: None,
    };
    rules::create(
        rules::NewItem {
            id: "j1/q3".into(),
            origin,
            department: ("fangguan".into(), "市房屋管理局".into()),
            promise: "书面答复".into(),
            unanswered: false,
            due: None,
        },
        noon("2026-11-19"),
    )
}

fn secretariat() -> Actor {
    Actor::Secretariat {
        name: "督办科 王敏".into(),
    }
}
fn dept(d: &str) -> Actor {
    Actor::Department {
        department: d.into(),
        name: "李强".into(),
    }
}
/// Participant `p` of the item's own meeting (`j1`).
fn asker(p: &str) -> Actor {
    Actor::Asker {
        who: Who::of("j1", p, None),
        name: "马文静".into(),
    }
}

/// When `actor` does `command` at `now`, then the change, applied.
fn run(item: &mut Item, actor: &Actor, command: Command, now: u64) -> Result<Change, Refusal> {
    let ctx = Ctx {
        actor,
        now_ms: now,
        offset_s: BEIJING,
        seen: Some(item.version),
    };
    let change = decide(item, &command, ctx)?;
    apply(item, &change, now);
    Ok(change)
}

fn answer(class: AnswerClass) -> Command {
    Command::Answer {
        class,
        text: "补贴已于12月拨付".into(),
    }
}

#[test]
fn an_item_is_due_two_months_after_its_meeting_and_goes_through_its_states() {
    let mut it = item();
    assert_eq!(it.due, date("2027-01-19"));
    assert_eq!(it.state, ItemState::Assigned);
    let now = noon("2026-11-20");
    run(
        &mut it,
        &dept("fangguan"),
        Command::Acknowledge {
            handler: "李强".into(),
        },
        now,
    )
    .unwrap();
    assert_eq!(
        (it.state, it.handler.as_deref()),
        (ItemState::Acknowledged, Some("李强"))
    );
    let evidence = Evidence {
        date: date("2026-11-25"),
        title: "现场查看".into(),
        text: String::new(),
        by: "李强".into(),
    };
    run(
        &mut it,
        &dept("fangguan"),
        Command::Progress { evidence },
        now,
    )
    .unwrap();
    assert_eq!(it.state, ItemState::InProgress);
    run(&mut it, &dept("fangguan"), answer(AnswerClass::A), now).unwrap();
    assert_eq!(it.state, ItemState::Answered);
    assert_eq!(it.review_on, None, "an A answer comes up no more");
    run(
        &mut it,
        &asker("m01"),
        Command::Rate {
            rating: Rating::Satisfied,
            reason: None,
        },
        now,
    )
    .unwrap();
    assert_eq!(it.state, ItemState::Closed);
    assert_eq!(it.version, 5);
}

#[test]
fn a_dissatisfied_asker_sends_it_back_with_a_new_date_and_twice_flags_it() {
    let mut it = item();
    let now = noon("2026-12-01");
    run(&mut it, &dept("fangguan"), answer(AnswerClass::B), now).unwrap();
    assert_eq!(
        it.review_on,
        Some(date("2027-03-01")),
        "a B answer comes up again"
    );
    let refused = run(
        &mut it,
        &asker("m01"),
        Command::Rate {
            rating: Rating::Dissatisfied,
            reason: None,
        },
        now,
    );
    assert_eq!(refused, Err(Refusal::ReasonRequired));
    run(
        &mut it,
        &asker("m01"),
        Command::Rate {
            rating: Rating::Dissatisfied,
            reason: Some("只有计划，没有时间表".into()),
        },
        now,
    )
    .unwrap();
    assert_eq!(
        (it.state, it.due, it.returned),
        (ItemState::InProgress, date("2027-01-19"), 1),
        "a month from the rating is earlier than the item was due: it keeps its date"
    );
    assert!(!it.flagged());
    run(&mut it, &dept("fangguan"), answer(AnswerClass::B), now).unwrap();
    run(
        &mut it,
        &secretariat(),
        Command::Rate {
            rating: Rating::Dissatisfied,
            reason: Some("电话转达：仍不满意".into()),
        },
        now,
    )
    .unwrap();
    assert!(it.flagged(), "sent back twice: 领衔督办");
    assert_eq!(it.rating.as_ref().unwrap().recorded_by, "督办科 王敏");
}

#[test]
fn a_dissatisfied_rating_never_brings_a_due_date_forward() {
    // Due 2027-02-07, rated 不满意 on 2026-12-08: a month from the rating
    // (2027-01-08) would be a month earlier than the department had.
    let mut it = item();
    let now = noon("2026-12-01");
    run(
        &mut it,
        &secretariat(),
        Command::SetDue {
            due: date("2027-02-07"),
        },
        now,
    )
    .unwrap();
    run(&mut it, &dept("fangguan"), answer(AnswerClass::B), now).unwrap();
    let unsatisfied = || Command::Rate {
        rating: Rating::Dissatisfied,
        reason: Some("只有计划".into()),
    };
    run(&mut it, &asker("m01"), unsatisfied(), noon("2026-12-08")).unwrap();
    assert_eq!(it.due, date("2027-02-07"), "kept, not 2027-01-08");
    // Rated late, the month to redo it counts from the rating.
    run(&mut it, &dept("fangguan"), answer(AnswerClass::B), now).unwrap();
    run(&mut it, &asker("m01"), unsatisfied(), noon("2027-02-20")).unwrap();
    assert_eq!(it.due, date("2027-03-20"));
}

#[test]
fn each_may_touch_only_what_is_theirs() {
    let mut it = item();
    let now = noon("2026-11-20");
    assert!(matches!(
        run(
            &mut it,
            &dept("eco"),
            Command::Acknowledge {
                handler: "x".into()
            },
            now
        ),
        Err(Refusal::NotYourDepartment { .. })
    ));
    run(&mut it, &dept("fangguan"), answer(AnswerClass::A), now).unwrap();
    assert!(matches!(
        run(
            &mut it,
            &asker("m02"),
            Command::Rate {
                rating: Rating::Satisfied,
                reason: None
            },
            now
        ),
        Err(Refusal::NotYourItem { .. })
    ));
    assert!(matches!(
        run(
            &mut it,
            &dept("fangguan"),
            Command::Rate {
                rating: Rating::Satisfied,
                reason: None
            },
            now
        ),
        Err(Refusal::NotYourItem { .. })
    ));
    for c in [
        Command::SetDue {
            due: date("2027-02-01"),
        },
        Command::Withdraw { reason: "x".into() },
        Command::SetPublic { public: false },
    ] {
        assert!(matches!(
            run(&mut it, &dept("fangguan"), c, now),
            Err(Refusal::SecretariatOnly { .. })
        ));
    }
}

#[test]
fn an_update_that_read_an_older_version_is_refused() {
    let mut it = item();
    let now = noon("2026-11-20");
    let seen = it.version;
    run(
        &mut it,
        &dept("fangguan"),
        Command::Acknowledge {
            handler: "李强".into(),
        },
        now,
    )
    .unwrap();
    let ctx = Ctx {
        actor: &dept("fangguan"),
        now_ms: now,
        offset_s: BEIJING,
        seen: Some(seen),
    };
    assert!(matches!(
        decide(&it, &answer(AnswerClass::A), ctx),
        Err(Refusal::Stale { version: 2, .. })
    ));
}

#[test]
fn one_extension_of_at_most_a_month_with_a_reason() {
    let mut it = item();
    let now = noon("2026-12-01");
    let s = secretariat();
    let extend = |until: &str, reason: &str| Command::Extend {
        until: date(until),
        reason: reason.into(),
    };
    assert!(matches!(
        run(&mut it, &s, extend("2027-02-10", ""), now),
        Err(Refusal::Empty { .. })
    ));
    assert!(matches!(
        run(&mut it, &s, extend("2027-02-20", "需财政审批"), now),
        Err(Refusal::ExtensionTooLong { .. })
    ));
    assert!(matches!(
        run(&mut it, &s, extend("2027-01-19", "需财政审批"), now),
        Err(Refusal::NotLater { .. })
    ));
    run(&mut it, &s, extend("2027-02-19", "需财政审批"), now).unwrap();
    assert!(matches!(
        run(&mut it, &s, extend("2027-02-19", "再延"), now),
        Err(Refusal::AlreadyExtended { .. })
    ));
    assert_eq!(it.deadline(), date("2027-02-19"));
}

#[test]
fn overdue_is_worked_out_from_the_clock_on_the_right_day_in_the_registers_zone() {
    let it = item(); // due 2027-01-19, Beijing
    let at = |day: &str, h: u64| (date(day).end_ms(BEIJING) as u64) - DAY + h * 3_600_000;
    let s = standing(&it, at("2027-01-12", 12), BEIJING);
    assert!(!s.due_soon && !s.overdue, "{s:?}");
    assert!(standing(&it, at("2027-01-13", 0), BEIJING).due_soon);
    let last = standing(&it, at("2027-01-19", 23) + 59 * 60_000, BEIJING);
    assert!(
        last.due_soon && !last.overdue,
        "23:59 on the due day is on time"
    );
    let next = standing(&it, at("2027-01-20", 0), BEIJING);
    assert!(
        next.overdue && !next.badly_overdue && next.days_over == 1,
        "{next:?}"
    );
    // The same instant in UTC is still the 19th: on time there.
    assert!(!standing(&it, at("2027-01-20", 0), 0).overdue);
    // Past the month an extension could have given (19 Feb): badly overdue.
    assert!(standing(&it, at("2027-02-20", 0), BEIJING).badly_overdue);
    assert!(!standing(&it, at("2027-02-19", 12), BEIJING).badly_overdue);
    // Nothing for 60 days: silent.
    assert!(standing(&it, it.updated_ms + 60 * DAY, BEIJING).silent);
    assert!(!standing(&it, it.updated_ms + 59 * DAY, BEIJING).silent);
}

#[test]
fn a_finished_item_is_never_late_and_cannot_be_reopened() {
    let mut it = item();
    let now = noon("2026-12-01");
    run(
        &mut it,
        &secretariat(),
        Command::Withdraw {
            reason: "与 j1/q4 重复".into(),
        },
        now,
    )
    .unwrap();
    assert!(!standing(&it, noon("2028-01-01"), BEIJING).overdue);
    for c in [
        answer(AnswerClass::A),
        Command::Withdraw { reason: "x".into() },
        Command::Merge {
            into: "j1/q4".into(),
            reason: "x".into(),
        },
    ] {
        assert!(matches!(
            run(&mut it, &secretariat(), c, now),
            Err(Refusal::WrongState { .. })
        ));
    }
    let mut other = item();
    assert_eq!(
        run(
            &mut other,
            &secretariat(),
            Command::Merge {
                into: "j1/q3".into(),
                reason: "x".into()
            },
            now
        ),
        Err(Refusal::MergeIntoItself)
    );
}

fn any_command() -> impl Strategy<Value = (u8, Command)> {
    let class = prop_oneof![
        Just(AnswerClass::A),
        Just(AnswerClass::B),
        Just(AnswerClass::C)
    ];
    let rating = prop_oneof![
        Just(Rating::Satisfied),
        Just(Rating::BasicallySatisfied),
        Just(Rating::Dissatisfied)
    ];
    let command = prop_oneof![
        "[a-z ]{0,3}".prop_map(|h| Command::Acknowledge { handler: h }),
        "[a-z ]{0,3}".prop_map(|t| Command::Progress {
            evidence: Evidence {
                date: Date(20_000),
                title: t,
                text: String::new(),
                by: "x".into()
            }
        }),
        (class, "[a-z ]{0,3}").prop_map(|(class, text)| Command::Answer { class, text }),
        (rating, proptest::option::of("[a-z ]{0,3}"))
            .prop_map(|(rating, reason)| Command::Rate { rating, reason }),
        (0i32..60, "[a-z ]{0,2}").prop_map(|(d, reason)| Command::Extend {
            until: Date(20_776 + d),
            reason
        }),
        (0i32..90).prop_map(|d| Command::SetDue {
            due: Date(20_750 + d)
        }),
        "[a-z ]{0,2}".prop_map(|reason| Command::Withdraw { reason }),
        ("j1/q[34]", "[a-z ]{0,2}").prop_map(|(into, reason)| Command::Merge { into, reason }),
        any::<bool>().prop_map(|public| Command::SetPublic { public }),
        proptest::collection::vec("eco|fangguan|jw| ", 0..3)
            .prop_map(|departments| Command::SetCoHandling { departments }),
    ];
    (0u8..4, command)
}

proptest! {
    /// No sequence of commands, by anyone, reaches a state the rules forbid.
    #[test]
    fn no_sequence_of_commands_reaches_a_forbidden_state(
        commands in proptest::collection::vec(any_command(), 0..40),
        days in proptest::collection::vec(0u64..20, 40),
    ) {
        let mut it = item();
        let mut now = noon("2026-11-20");
        let actors = [secretariat(), dept("fangguan"), dept("eco"), asker("m01")];
        for (i, (who, c)) in commands.into_iter().enumerate() {
            now += days[i] * DAY;
            let before = it.clone();
            match run(&mut it, &actors[who as usize], c, now) {
                Ok(_) => prop_assert_eq!(it.version, before.version + 1),
                Err(_) => prop_assert_eq!(&it, &before, "a refused command changed nothing"),
            }
            // Closed only by a satisfied (or basically) rating of an answer.
            if it.state == ItemState::Closed {
                prop_assert!(it.answer.is_some());
                prop_assert!(it.rating.as_ref().is_some_and(|r| r.rating != Rating::Dissatisfied));
            }
            if it.state == ItemState::Answered {
                prop_assert!(it.answer.is_some());
            }
            // A rating never brings a due date forward.
            if matches!(&it.rating, Some(r) if before.rating.as_ref() != Some(r)) {
                prop_assert!(it.due >= before.due, "{} then {}", before.due, it.due);
            }
            // Final states stay final.
            if before.state.is_final() {
                prop_assert_eq!(it.state, before.state);
            }
            // An extension is at most a month past the due date it extended.
            if let Some(e) = &it.extension {
                prop_assert!(e.until > it.due && e.until <= it.due.add_months(1));
                prop_assert!(!e.reason.trim().is_empty());
            }
            prop_assert_eq!(it.merged_into.is_some(), it.state == ItemState::Merged);
            prop_assert!(it.merged_into.as_deref() != Some(it.id.as_str()));
            if it.state == ItemState::Acknowledged {
                prop_assert!(it.handler.as_deref().is_some_and(|h| !h.trim().is_empty()));
            }
            let s = standing(&it, now, BEIJING);
            if !it.state.is_open() {
                prop_assert!(!s.overdue && !s.due_soon && !s.silent);
            }
            prop_assert!(!s.badly_overdue || s.overdue);
            prop_assert!(!it.co_handling.contains(&it.department), "the lead co-handles nothing");
        }
    }

    /// Overdue flips exactly at the end of the deadline's day, whatever the zone
    /// and across month and year ends.
    #[test]
    fn overdue_flips_at_the_end_of_the_deadline_day(day in 20_000i32..22_000, offset_h in -12i32..=14) {
        let offset = offset_h * 3600;
        let mut it = item();
        it.due = Date(day);
        it.updated_ms = 0;
        let end = Date(day).end_ms(offset) as u64;
        prop_assert!(!standing(&it, end - 1, offset).overdue);
        prop_assert!(standing(&it, end, offset).overdue);
        prop_assert_eq!(Date::of_ms(end - 1, offset), Date(day));
    }
}

#[test]
fn co_handling_departments_work_on_it_with_the_lead() {
    let mut it = item();
    let now = noon("2026-11-20");
    let co = Command::SetCoHandling {
        departments: vec!["jw".into(), "jw".into()],
    };
    assert!(matches!(
        run(&mut it, &dept("fangguan"), co.clone(), now),
        Err(Refusal::SecretariatOnly { .. })
    ));
    assert!(matches!(
        run(
            &mut it,
            &secretariat(),
            Command::SetCoHandling {
                departments: vec!["fangguan".into()]
            },
            now
        ),
        Err(Refusal::LeadNotCoHandling { .. })
    ));
    run(&mut it, &secretariat(), co, now).unwrap();
    assert_eq!(it.co_handling, ["jw"], "named once");
    let evidence = Evidence {
        date: date("2026-11-25"),
        title: "会办意见".into(),
        text: String::new(),
        by: "赵".into(),
    };
    run(&mut it, &dept("jw"), Command::Progress { evidence }, now).unwrap();
    assert!(matches!(
        run(
            &mut it,
            &dept("eco"),
            Command::Acknowledge {
                handler: "x".into()
            },
            now
        ),
        Err(Refusal::NotYourDepartment { .. })
    ));
}

/// Plans reuse ids: `m01` of another meeting, or an older record's bare `m01`,
/// is not the asker, however the item was asked; a roster person is the same
/// person in every meeting.
#[test]
fn an_asker_is_known_by_meeting_and_seat_or_by_the_roster_never_by_an_id_alone() {
    let mut answered = item();
    run(
        &mut answered,
        &dept("fangguan"),
        Command::Answer {
            class: AnswerClass::A,
            text: "已答复".into(),
        },
        noon("2026-11-25"),
    )
    .unwrap();
    let rate = || Command::Rate {
        rating: Rating::Dissatisfied,
        reason: Some("没有解决".into()),
    };
    for stranger in [
        Who::of("j2", "m01", None),
        "m01".parse::<Who>().unwrap(),
        Who::Person("W0001".into()),
    ] {
        let actor = Actor::Asker {
            who: stranger.clone(),
            name: "另一位".into(),
        };
        assert!(!answered.concerns(&actor), "{stranger}");
        let mut tried = answered.clone();
        assert!(
            run(&mut tried, &actor, rate(), noon("2026-11-26")).is_err(),
            "{stranger} rated another's answer"
        );
        assert_eq!(tried, answered, "a refusal changes nothing");
    }
    assert!(answered.concerns(&asker("m01")));
    // A seat that named a roster person is that person, in any meeting.
    let mut theirs = answered.clone();
    theirs.origin.asker.person = Some("W0001".into());
    let person = Actor::Asker {
        who: Who::Person("W0001".into()),
        name: "马文静".into(),
    };
    assert!(theirs.concerns(&person));
    assert!(
        !theirs.concerns(&asker("m01")),
        "the seat is the person now"
    );
    run(&mut theirs, &person, rate(), noon("2026-11-26")).unwrap();
}
