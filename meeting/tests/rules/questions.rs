use crate::common::*;
use xieshang_meeting::question::{Coverage, QuestionStatus};
use xieshang_meeting::{Answer, Code, Command, EventKind, Refusal};

fn ask(m: &mut Meeting, who: &str, department: &str, text: &str) -> String {
    let e = m.ok(
        who,
        Command::SubmitQuestion {
            department: department.into(),
            text: text.into(),
            asker: None,
        },
    );
    match &e[..] {
        [EventKind::QuestionSubmitted { question, .. }] => question.clone(),
        other => panic!("unexpected events {other:?}"),
    }
}

fn answer(m: &mut Meeting, who: &str, q: &str, status: Answer, note: Option<&str>) {
    m.ok(
        who,
        Command::AnswerQuestion {
            question: q.into(),
            status,
            note: note.map(String::from),
            seen_answers: None,
        },
    );
}

#[test]
fn a_question_is_recorded_as_pending_for_its_department() {
    let mut m = Meeting::started();
    m.goto(0, 1);
    m.after(MIN);
    let q = ask(&mut m, "m01", "eco", "  苏州河沿岸生态廊道何时贯通？ ");
    assert_eq!(q, "q1");
    let question = m.state.question("q1").unwrap();
    assert_eq!(
        question.text, "苏州河沿岸生态廊道何时贯通？",
        "surrounding spaces are trimmed"
    );
    assert_eq!(
        (question.asker.as_str(), question.department.as_str()),
        ("m01", "eco")
    );
    assert_eq!(question.status, QuestionStatus::Pending);
    assert_eq!(question.asked_ms, T0 + MIN);
    assert_eq!(question.at, m.state.position);
    assert_eq!(ask(&mut m, "p01", "ndrc", "第二个问题"), "q2");
}

#[test]
fn a_question_needs_a_known_department_and_one_to_two_thousand_characters() {
    let mut m = Meeting::started();
    let cmd = |d: &str, t: String| Command::SubmitQuestion {
        department: d.into(),
        text: t,
        asker: None,
    };
    assert_eq!(
        m.rejected("m01", cmd("police", "问题".into())).code(),
        Code::NotFound
    );
    assert_eq!(
        m.rejected("m01", cmd("eco", "   ".into())).code(),
        Code::BadRequest
    );
    assert_eq!(
        m.rejected("m01", cmd("eco", "问".repeat(2001))).code(),
        Code::BadRequest
    );
    m.ok("m01", cmd("eco", "问".repeat(2000)));
}

#[test]
fn the_chair_records_a_spoken_question_for_its_asker_and_nobody_else_may() {
    let mut m = Meeting::started();
    m.ok(
        "chair",
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "口头提问".into(),
            asker: Some("m02".into()),
        },
    );
    assert_eq!(m.state.question("q1").unwrap().asker, "m02");
    let r = m.rejected(
        "m01",
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "代问".into(),
            asker: Some("m02".into()),
        },
    );
    assert_eq!(r.code(), Code::Forbidden);
    let r = m.rejected(
        "chair",
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "x".into(),
            asker: Some("zz".into()),
        },
    );
    assert_eq!(r.code(), Code::NotFound);
}

#[test]
fn a_department_answers_only_its_own_questions_and_the_chair_any() {
    let mut m = Meeting::started();
    let eco = ask(&mut m, "m01", "eco", "生态问题");
    let ndrc = ask(&mut m, "m02", "ndrc", "发改问题");
    let r = m.rejected(
        "d-ndrc",
        Command::AnswerQuestion {
            question: eco.clone(),
            status: Answer::Answered,
            note: None,
            seen_answers: None,
        },
    );
    assert_eq!(r.code(), Code::Forbidden);
    assert!(
        matches!(&r, Refusal::NotYourDepartment { department, .. } if department == "eco"),
        "{r}"
    );
    assert_eq!(
        m.rejected(
            "m01",
            Command::AnswerQuestion {
                question: eco.clone(),
                status: Answer::Answered,
                note: None,
                seen_answers: None,
            }
        )
        .code(),
        Code::Forbidden
    );
    answer(&mut m, "d-eco2", &eco, Answer::Answered, Some("年底前贯通"));
    answer(&mut m, "chair", &ndrc, Answer::Declined, None);
    let q = m.state.question(&eco).unwrap();
    assert_eq!(
        (q.status, q.note.as_deref()),
        (QuestionStatus::Answered, Some("年底前贯通"))
    );
    assert_eq!(
        m.state.question(&ndrc).unwrap().status,
        QuestionStatus::Declined
    );
    let r = m.rejected(
        "chair",
        Command::AnswerQuestion {
            question: "q9".into(),
            status: Answer::Answered,
            note: None,
            seen_answers: None,
        },
    );
    assert_eq!(r.code(), Code::NotFound);
}

#[test]
fn an_answer_may_be_corrected_and_repeating_it_changes_nothing() {
    let mut m = Meeting::started();
    let q = ask(&mut m, "m01", "eco", "问题");
    answer(&mut m, "d-eco", &q, Answer::FollowUp, Some("会后书面答复"));
    assert!(m
        .ok(
            "d-eco",
            Command::AnswerQuestion {
                question: q.clone(),
                status: Answer::FollowUp,
                note: Some("会后书面答复".into()),
                seen_answers: None,
            }
        )
        .is_empty());
    answer(&mut m, "d-eco", &q, Answer::Answered, None);
    assert_eq!(
        m.state.question(&q).unwrap().status,
        QuestionStatus::Answered
    );
}

#[test]
fn an_answer_given_meanwhile_is_never_replaced_unseen_and_every_answer_is_kept() {
    let mut m = Meeting::started();
    let q = ask(&mut m, "m01", "eco", "问题");
    // The chair opens the form (no answer yet); the department answers first.
    answer(&mut m, "d-eco", &q, Answer::Answered, Some("已整改"));
    let chairs = |seen| Command::AnswerQuestion {
        question: q.clone(),
        status: Answer::FollowUp,
        note: Some("会后书面答复".into()),
        seen_answers: Some(seen),
    };
    let r = m.rejected("chair", chairs(0));
    assert_eq!(
        r,
        Refusal::AnswerChanged {
            question: q.clone(),
            by: "d-eco".into()
        }
    );
    assert_eq!(r.code(), Code::Conflict);
    assert_eq!(
        m.state.question(&q).unwrap().note.as_deref(),
        Some("已整改")
    );
    // Having seen it, the chair replaces it; both answers stay on record.
    m.ok("chair", chairs(1));
    let answers = &m.state.question(&q).unwrap().answers;
    let who: Vec<(&str, Answer)> = answers.iter().map(|a| (a.by.as_str(), a.status)).collect();
    assert_eq!(
        who,
        [("d-eco", Answer::Answered), ("chair", Answer::FollowUp)]
    );
    assert_eq!(answers[0].note.as_deref(), Some("已整改"));
    // A client that says nothing of what it saw is not checked (older clients).
    answer(&mut m, "d-eco", &q, Answer::Declined, None);
    assert_eq!(m.state.question(&q).unwrap().answers.len(), 3);
}

#[test]
fn an_asker_withdraws_or_rewrites_their_own_pending_question_and_nobody_else_may() {
    let mut m = Meeting::started();
    let q = ask(&mut m, "m01", "eco", "河道何时整治？");
    let edit = |text: &str| Command::EditQuestion {
        question: q.clone(),
        text: text.into(),
    };
    assert_eq!(
        m.rejected("m02", edit("别人的问题")),
        Refusal::NotYourQuestion {
            question: q.clone()
        }
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::WithdrawQuestion {
                question: q.clone()
            }
        ),
        Refusal::NotYourQuestion {
            question: q.clone()
        }
    );
    m.ok("m01", edit("河道何时整治，年内能否完工？"));
    assert_eq!(
        m.state.question(&q).unwrap().text,
        "河道何时整治，年内能否完工？"
    );
    assert!(
        m.ok("m01", edit("河道何时整治，年内能否完工？")).is_empty(),
        "the same text changes nothing"
    );
    assert!(matches!(
        m.rejected("m01", edit("  ")),
        Refusal::EmptyText { .. }
    ));
    m.ok(
        "m01",
        Command::WithdrawQuestion {
            question: q.clone(),
        },
    );
    assert_eq!(
        m.state.question(&q).unwrap().status,
        QuestionStatus::Withdrawn
    );
    assert_eq!(
        m.state.coverage("eco"),
        Coverage::default(),
        "nothing left to answer"
    );
    // Once it is not pending, neither.
    let r = m.rejected("m01", edit("再改"));
    assert_eq!(
        r,
        Refusal::QuestionNotPending {
            question: q.clone()
        }
    );
    assert_eq!(r.code(), Code::Conflict);
    let q2 = ask(&mut m, "m01", "eco", "垃圾分类？");
    answer(&mut m, "d-eco", &q2, Answer::Answered, None);
    assert_eq!(
        m.rejected(
            "m01",
            Command::WithdrawQuestion {
                question: q2.clone()
            }
        ),
        Refusal::QuestionNotPending { question: q2 }
    );
}

#[test]
fn coverage_counts_each_departments_questions_by_outcome() {
    let mut m = Meeting::started();
    let qs: Vec<String> = (0..5)
        .map(|i| ask(&mut m, "m01", "eco", &format!("问题{i}")))
        .collect();
    ask(&mut m, "m02", "ndrc", "别的部门");
    answer(&mut m, "d-eco", &qs[0], Answer::Answered, None);
    answer(&mut m, "d-eco", &qs[1], Answer::Answered, None);
    answer(&mut m, "d-eco", &qs[2], Answer::FollowUp, None);
    answer(
        &mut m,
        "d-eco",
        &qs[3],
        Answer::Declined,
        Some("不属于本部门职责"),
    );
    assert_eq!(
        m.state.coverage("eco"),
        Coverage {
            pending: 1,
            answered: 2,
            follow_up: 1,
            declined: 1,
            carried: 0,
        }
    );
    assert_eq!(
        m.state.coverage("ndrc"),
        Coverage {
            pending: 1,
            answered: 0,
            follow_up: 0,
            declined: 0,
            carried: 0,
        }
    );
    assert_eq!(m.state.coverage("eco").total(), 5);
}

#[test]
fn what_is_pending_when_a_respond_step_ends_is_carried_into_follow_up() {
    let mut m = Meeting::started();
    let answered = ask(&mut m, "m01", "eco", "已答复");
    let pending = ask(&mut m, "m02", "eco", "未答复");
    m.goto(0, 2);
    answer(&mut m, "d-eco", &answered, Answer::Answered, None);
    let e = m.ok("chair", Command::NextStep);
    assert!(
        e.contains(&EventKind::QuestionsCarried {
            questions: vec![pending.clone()]
        }),
        "{e:?}"
    );
    // Unanswered is not a promise: still pending, carried; counted apart
    // from the written replies a department promised.
    let q = m.state.question(&pending).unwrap();
    assert_eq!((q.status, q.carried), (QuestionStatus::Pending, true));
    assert!(!q.is_open(), "no longer the room's to answer");
    assert_eq!(
        m.state.question(&answered).unwrap().status,
        QuestionStatus::Answered
    );
    let c = m.state.coverage("eco");
    assert_eq!((c.pending, c.follow_up, c.carried), (0, 0, 1));
    assert_eq!(c.followed_up(), 1);
    // Leaving the respond step again carries nothing again.
    m.ok("chair", Command::PreviousStep);
    let later = m.ok("chair", Command::NextStep);
    assert!(
        !later
            .iter()
            .any(|e| matches!(e, EventKind::QuestionsCarried { .. })),
        "{later:?}"
    );
    // Answered later (in writing, after all), it is no longer carried.
    answer(
        &mut m,
        "d-eco",
        &pending,
        Answer::FollowUp,
        Some("两周内书面答复"),
    );
    let c = m.state.coverage("eco");
    assert_eq!((c.follow_up, c.carried), (1, 0));
}

#[test]
fn leaving_other_steps_carries_nothing() {
    let mut m = Meeting::started();
    let q = ask(&mut m, "m01", "eco", "问题");
    m.ok("chair", Command::NextStep);
    assert_eq!(
        m.state.question(&q).unwrap().status,
        QuestionStatus::Pending
    );
}
