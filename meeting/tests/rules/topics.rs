//! Topics (征集选题 → 立题), pure, with fixed times: a member's topic co-signed
//! and through the three screenings, a resident's supported past its
//! threshold (or passed with a reason), who may do what, and a property test
//! over any sequence of commands by anyone.

use proptest::prelude::*;
use xieshang_meeting::topics::topic::Verdict;
use xieshang_meeting::topics::{
    apply, create, decide, Actor, Change, Command, Ctx, Final, NewTopic, Origin, Proposer, Refusal,
    Screening, Signature, Stage, Text, Thresholds, Topic,
};

const NOON: u64 = 1_796_000_000_000;

fn member_topic() -> Topic {
    create(
        NewTopic {
            id: "t00001".into(),
            round: "2027".into(),
            origin: Origin::Member,
            proposer: Proposer::Person {
                person: "W0001".into(),
            },
            proposer_name: "林志远".into(),
            sector: Some("民建".into()),
            entered_by: None,
            text: Text {
                title: "老旧小区加装电梯审批提速".into(),
                problem: "审批环节多，居民跑腿多".into(),
                suggestion: "一网通办，一个月内办结".into(),
                research: String::new(),
                departments: vec!["housing".into()],
            },
        },
        NOON,
    )
}

fn secretariat() -> Actor {
    Actor::Secretariat {
        name: "提案委办公室 王敏".into(),
    }
}
fn person(id: &str) -> Actor {
    Actor::Person {
        person: id.into(),
        name: format!("委员{id}"),
    }
}
fn supporter(key: &str) -> Actor {
    Actor::Supporter { key: key.into() }
}

fn ctx(actor: &Actor) -> Ctx<'_> {
    Ctx {
        actor,
        now_ms: NOON,
        offset_s: 8 * 3600,
        seen: None,
        thresholds: Thresholds::default(),
        supporting: None,
        supported_sector: None,
    }
}

/// `actor` does `command`; the change, applied.
fn run(topic: &mut Topic, actor: &Actor, command: Command) -> Result<Change, Refusal> {
    run_with(topic, command, ctx(actor))
}

fn run_with(topic: &mut Topic, command: Command, ctx: Ctx<'_>) -> Result<Change, Refusal> {
    let change = decide(topic, &command, ctx)?;
    apply(topic, &change, ctx.now_ms);
    Ok(change)
}

#[test]
fn a_members_topic_is_co_signed_and_goes_through_three_screenings_to_a_number() {
    let mut t = member_topic();
    let me = person("W0001");
    run(
        &mut t,
        &me,
        Command::Invite {
            person: "W0002".into(),
            name: "何静".into(),
        },
    )
    .unwrap();
    // The proposer cannot co-sign their own; a stranger cannot sign.
    assert_eq!(
        run(
            &mut t,
            &me,
            Command::Invite {
                person: "W0001".into(),
                name: "林志远".into()
            }
        ),
        Err(Refusal::OwnTopic)
    );
    assert!(matches!(
        run(&mut t, &person("W0009"), Command::Sign),
        Err(Refusal::NotInvited { .. })
    ));
    run(&mut t, &person("W0002"), Command::Sign).unwrap();
    assert!(t.locked(), "the text locks at the first signature");
    // A change of text asks every co-signer again.
    let mut text = t.text.clone();
    text.research = "走访12个小区、座谈3次".into();
    let change = run(&mut t, &me, Command::Edit { text }).unwrap();
    assert_eq!(
        change,
        Change::Edited {
            text: t.text.clone(),
            asked_again: 1
        }
    );
    assert_eq!(t.cosigners[0].signature, Signature::Invited);
    run(&mut t, &person("W0002"), Command::Sign).unwrap();
    run(&mut t, &me, Command::Submit).unwrap();
    assert_eq!(t.stage, Stage::Submitted);
    // Only the secretariat screens.
    assert!(matches!(
        run(
            &mut t,
            &me,
            Command::Screen {
                screening: Screening::Eligible,
                overriding: None
            }
        ),
        Err(Refusal::SecretariatOnly { .. })
    ));
    let s = secretariat();
    run(
        &mut t,
        &s,
        Command::Screen {
            screening: Screening::Eligible,
            overriding: None,
        },
    )
    .unwrap();
    run(
        &mut t,
        &s,
        Command::Assign {
            evaluators: vec![
                ("X01".into(), "宋教授".into()),
                ("X02".into(), "许律师".into()),
            ],
        },
    )
    .unwrap();
    assert_eq!(t.stage, Stage::InReview);
    // 定审 before every opinion needs a reason, which is kept.
    let adopt = |overriding: Option<&str>| Command::Decide {
        decision: Final::Adopt {
            number: "2027-03".into(),
        },
        overriding: overriding.map(String::from),
    };
    assert!(matches!(
        run(&mut t.clone(), &s, adopt(None)),
        Err(Refusal::OpinionsMissing { .. })
    ));
    // An evaluator gives their own opinion only.
    assert!(matches!(
        run(
            &mut t,
            &person("W0002"),
            Command::Opine {
                verdict: Verdict::For,
                text: "同意".into()
            }
        ),
        Err(Refusal::NotAnEvaluator { .. })
    ));
    for x in ["X01", "X02"] {
        run(
            &mut t,
            &person(x),
            Command::Opine {
                verdict: Verdict::For,
                text: "建议立题".into(),
            },
        )
        .unwrap();
    }
    assert_eq!(t.stage, Stage::Reviewed);
    run(&mut t, &s, adopt(None)).unwrap();
    assert_eq!(
        (t.stage, t.number.as_deref()),
        (Stage::Adopted, Some("2027-03"))
    );
    // Every decision kept: who, when, why.
    let stages: Vec<Stage> = t.decisions.iter().map(|d| d.stage).collect();
    assert_eq!(stages, [Stage::Eligible, Stage::Adopted]);
    assert!(t.decisions.iter().all(|d| d.by == "提案委办公室 王敏"));
}

#[test]
fn a_members_topic_says_what_research_it_rests_on() {
    let mut t = member_topic();
    assert_eq!(
        run(&mut t, &person("W0001"), Command::Submit),
        Err(Refusal::ResearchRequired)
    );
}

#[test]
fn a_residents_topic_needs_its_support_or_a_reason_and_support_is_capped_and_withdrawable() {
    let mut t = member_topic();
    t.origin = Origin::Public;
    t.proposer = Proposer::Resident { key: "r1".into() };
    t.stage = Stage::Submitted;
    let th = Thresholds {
        public_supports: 2,
        supports_per_round: 3,
        ..Thresholds::default()
    };
    fn with(actor: &Actor, th: Thresholds, supporting: (bool, u64)) -> Ctx<'_> {
        Ctx {
            thresholds: th,
            supporting: Some(supporting),
            supported_sector: Some("界别群众"),
            ..ctx(actor)
        }
    }
    let a = supporter("a");
    run_with(
        &mut t,
        Command::Support {
            sector: "界别群众".into(),
        },
        with(&a, th, (false, 0)),
    )
    .unwrap();
    assert_eq!(
        decide(
            &t,
            &Command::Support { sector: "x".into() },
            with(&a, th, (true, 1))
        ),
        Err(Refusal::AlreadySupported)
    );
    assert_eq!(
        decide(
            &t,
            &Command::Support { sector: "x".into() },
            with(&supporter("b"), th, (false, 3))
        ),
        Err(Refusal::RoundCap { cap: 3 })
    );
    // Below the threshold: passed only with a reason, which is kept.
    let s = secretariat();
    let eligible = |overriding: Option<&str>| Command::Screen {
        screening: Screening::Eligible,
        overriding: overriding.map(String::from),
    };
    assert_eq!(
        decide(
            &t,
            &eligible(None),
            Ctx {
                thresholds: th,
                ..ctx(&s)
            }
        ),
        Err(Refusal::BelowThreshold { needed: 2, has: 1 })
    );
    // Taken back: the count goes down by its sector.
    run_with(&mut t, Command::Unsupport, with(&a, th, (true, 1))).unwrap();
    assert_eq!(t.supporters(), 0);
    let mut passed = t.clone();
    run_with(
        &mut passed,
        eligible(Some("涉及全市老旧小区，群众反映集中")),
        Ctx {
            thresholds: th,
            ..ctx(&s)
        },
    )
    .unwrap();
    assert_eq!(
        passed.decisions[0].overrode.as_deref(),
        Some("涉及全市老旧小区，群众反映集中")
    );
}

#[test]
fn merging_keeps_the_original_and_links_it() {
    let mut t = member_topic();
    t.stage = Stage::Submitted;
    run(
        &mut t,
        &secretariat(),
        Command::Screen {
            screening: Screening::Merge {
                into: "t00009".into(),
                reason: "与 t00009 议题相同".into(),
            },
            overriding: None,
        },
    )
    .unwrap();
    assert_eq!(t.stage, Stage::Merged);
    assert!(t.links.iter().any(|l| matches!(l,
        xieshang_meeting::topics::Link::MergedInto { topic } if topic == "t00009")));
    assert!(t.stage.is_final());
}

#[test]
fn a_stale_change_is_refused() {
    let t = member_topic();
    let me = person("W0001");
    let old = Ctx {
        seen: Some(t.version + 1),
        ..ctx(&me)
    };
    assert!(matches!(
        decide(&t, &Command::Submit, old),
        Err(Refusal::Stale { .. })
    ));
}

fn any_actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        Just(secretariat()),
        Just(person("W0001")),
        Just(person("W0002")),
        Just(person("X01")),
        Just(person("W0009")),
        Just(supporter("a")),
        Just(supporter("b")),
        Just(Actor::ContactPoint {
            organisation: "zx".into(),
            name: "工作站 李".into()
        }),
    ]
}

fn any_command() -> impl Strategy<Value = Command> {
    let text = Text {
        title: "新标题".into(),
        problem: "问题".into(),
        suggestion: "建议".into(),
        research: "调研".into(),
        departments: vec![],
    };
    prop_oneof![
        Just(Command::Edit { text: text.clone() }),
        Just(Command::Edit {
            text: Text {
                title: String::new(),
                ..text
            }
        }),
        Just(Command::Invite {
            person: "W0002".into(),
            name: "何静".into()
        }),
        Just(Command::Uninvite {
            person: "W0002".into()
        }),
        Just(Command::Sign),
        Just(Command::Decline),
        Just(Command::Submit),
        Just(Command::Withdraw {
            reason: "合并到其他议题".into()
        }),
        Just(Command::Screen {
            screening: Screening::Eligible,
            overriding: None
        }),
        Just(Command::Screen {
            screening: Screening::Eligible,
            overriding: Some("重要".into())
        }),
        Just(Command::Screen {
            screening: Screening::Return {
                reason: "请补充调研".into()
            },
            overriding: None
        }),
        Just(Command::Screen {
            screening: Screening::Redirect {
                reason: "转社情民意".into()
            },
            overriding: None
        }),
        Just(Command::Assign {
            evaluators: vec![("X01".into(), "宋教授".into())]
        }),
        Just(Command::Opine {
            verdict: Verdict::Revise,
            text: "修改后立题".into()
        }),
        Just(Command::Decide {
            decision: Final::Adopt {
                number: "2027-01".into()
            },
            overriding: None
        }),
        Just(Command::Decide {
            decision: Final::Reserve { reason: None },
            overriding: Some("时机未到".into())
        }),
        Just(Command::Decide {
            decision: Final::Reject {
                reason: "不属于协商范围".into()
            },
            overriding: None
        }),
        Just(Command::Support {
            sector: "界别群众".into()
        }),
        Just(Command::Unsupport),
    ]
}

/// The stages a topic may go to from `from` (its own included: a change that
/// keeps the stage).
fn may_go(from: Stage, to: Stage) -> bool {
    use Stage::*;
    from == to
        || match from {
            Draft | Returned => matches!(to, Submitted | Withdrawn),
            Submitted => matches!(to, Eligible | Returned | Merged | Redirected | Withdrawn),
            Eligible => matches!(to, InReview | Withdrawn),
            InReview => matches!(to, Reviewed | Adopted | Reserved | Rejected | Withdrawn),
            Reviewed => matches!(to, Adopted | Reserved | Rejected | Withdrawn),
            Reserved => matches!(to, Adopted | Rejected | Withdrawn),
            Adopted | Merged | Redirected | Rejected | Withdrawn => false,
        }
}

proptest! {
    /// Whatever anyone sends in whatever order: a refused command changes
    /// nothing, a topic moves only along the screenings' paths and never out
    /// of an end, each change is one version (a support is counted, not a
    /// version), support never goes below zero, and only an adopted topic has
    /// a number.
    #[test]
    fn any_sequence_of_commands_by_anyone_keeps_the_rules(
        steps in proptest::collection::vec((any_actor(), any_command()), 0..60)
    ) {
        let mut t = member_topic();
        t.text.research = "调研".into();
        let mut supporting = std::collections::BTreeSet::new();
        for (actor, command) in steps {
            let key = match &actor { Actor::Supporter { key } => Some(key.clone()), _ => None };
            let supports = key.as_ref().is_some_and(|k| supporting.contains(k));
            let c = Ctx {
                supporting: key.as_ref().map(|_| (supports, supporting.len() as u64)),
                supported_sector: Some("界别群众"),
                ..ctx(&actor)
            };
            let before = t.clone();
            match decide(&t, &command, c) {
                Err(_) => prop_assert_eq!(&t, &before),
                Ok(change) => {
                    apply(&mut t, &change, NOON);
                    let counted = matches!(change, Change::Supported { .. } | Change::Unsupported { .. });
                    prop_assert_eq!(t.version, before.version + u64::from(!counted));
                    prop_assert!(may_go(before.stage, t.stage), "{:?} -> {:?} by {:?}", before.stage, t.stage, change);
                    if let (Some(k), Change::Supported { .. }) = (&key, &change) { supporting.insert(k.clone()); }
                    if let (Some(k), Change::Unsupported { .. }) = (&key, &change) { supporting.remove(k); }
                }
            }
            prop_assert_eq!(t.supporters(), supporting.len() as u64);
            prop_assert_eq!(t.number.is_some(), t.stage == Stage::Adopted);
            prop_assert!(t.cosigners.iter().all(|c| c.person != "W0001"));
        }
    }
}
