use crate::common::*;
use xieshang_meeting::{Code, Command, EventKind};

fn vote(target: Option<&str>, choice: &str) -> Command {
    Command::Vote {
        poll: "rating".into(),
        choice: choice.into(),
        target: target.map(String::from),
    }
}

fn open(m: &mut Meeting) {
    m.goto(1, 0);
    m.ok(
        "chair",
        Command::OpenPoll {
            poll: "rating".into(),
        },
    );
}

fn counts(m: &Meeting, target: &str) -> Vec<usize> {
    let plan = m.state.plan.poll("rating").unwrap().1.clone();
    let results = m.state.polls["rating"].results(&plan);
    let tally = results
        .iter()
        .find(|t| t.target.as_deref() == Some(target))
        .unwrap();
    tally.counts.iter().map(|(_, n)| *n).collect()
}

#[test]
fn one_vote_per_person_per_target_and_a_new_vote_replaces_the_old() {
    let mut m = Meeting::started();
    open(&mut m);
    m.ok("m01", vote(Some("eco"), "满意"));
    m.ok("m02", vote(Some("eco"), "不满意"));
    m.ok("m01", vote(Some("ndrc"), "基本满意"));
    assert_eq!(counts(&m, "eco"), [1, 0, 1]);
    m.ok("m02", vote(Some("eco"), "满意"));
    assert_eq!(
        counts(&m, "eco"),
        [2, 0, 0],
        "the second vote replaced the first"
    );
    assert!(
        m.ok("m02", vote(Some("eco"), "满意")).is_empty(),
        "the same vote again changes nothing"
    );
    assert_eq!(counts(&m, "ndrc"), [0, 1, 0]);
}

#[test]
fn votes_count_only_while_the_poll_is_open() {
    let mut m = Meeting::started();
    m.goto(1, 0);
    assert_eq!(
        m.rejected("m01", vote(Some("eco"), "满意")).code(),
        Code::Conflict
    );
    m.ok(
        "chair",
        Command::OpenPoll {
            poll: "rating".into(),
        },
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::OpenPoll {
                poll: "rating".into()
            }
        )
        .code(),
        Code::Conflict
    );
    m.ok(
        "chair",
        Command::ClosePoll {
            poll: "rating".into(),
        },
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::ClosePoll {
                poll: "rating".into()
            }
        )
        .code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected("m01", vote(Some("eco"), "满意")).code(),
        Code::Conflict
    );
}

#[test]
fn a_vote_names_a_choice_and_a_target_of_the_poll() {
    let mut m = Meeting::started();
    open(&mut m);
    assert_eq!(
        m.rejected("m01", vote(Some("eco"), "还行")).code(),
        Code::BadRequest
    );
    assert_eq!(
        m.rejected("m01", vote(None, "满意")).code(),
        Code::BadRequest
    );
    assert_eq!(
        m.rejected("m01", vote(Some("police"), "满意")).code(),
        Code::NotFound
    );
    let r = m.rejected(
        "m01",
        Command::Vote {
            poll: "other".into(),
            choice: "满意".into(),
            target: None,
        },
    );
    assert_eq!(r.code(), Code::NotFound);
    assert_eq!(
        m.rejected(
            "chair",
            Command::OpenPoll {
                poll: "other".into()
            }
        )
        .code(),
        Code::NotFound
    );
}

#[test]
fn only_the_roles_the_poll_names_vote() {
    let mut m = Meeting::started();
    open(&mut m);
    // The default voters are members, experts and the public.
    m.ok("x01", vote(Some("eco"), "满意"));
    m.ok("p01", vote(Some("eco"), "满意"));
    assert_eq!(
        m.rejected("d-eco", vote(Some("eco"), "满意")).code(),
        Code::Forbidden
    );
    assert_eq!(
        m.rejected("chair", vote(Some("eco"), "满意")).code(),
        Code::Forbidden
    );
    assert_eq!(
        m.rejected("o01", vote(Some("eco"), "满意")).code(),
        Code::Forbidden
    );
}

#[test]
fn leaving_the_step_closes_its_poll_and_keeps_the_results() {
    let mut m = Meeting::started();
    open(&mut m);
    m.ok("m01", vote(Some("eco"), "满意"));
    let e = m.ok("chair", Command::PreviousStep);
    assert!(e.contains(&EventKind::PollClosed {
        poll: "rating".into(),
        results: None,
    }));
    assert!(!m.state.polls["rating"].open);
    assert_eq!(counts(&m, "eco"), [1, 0, 0]);
}

#[test]
fn a_poll_without_targets_is_one_overall_rating() {
    use std::sync::Arc;
    use xieshang_meeting::scenario::parse_plan;
    let text = PLAN.replace("targets = [\"eco\", \"ndrc\"]\n", "");
    let mut m = Meeting::new();
    m.state = xieshang_meeting::State::new(Arc::new(parse_plan("t.toml", &text).unwrap()));
    m.ok("chair", Command::StartMeeting);
    open(&mut m);
    assert_eq!(
        m.rejected("m01", vote(Some("eco"), "满意")).code(),
        Code::BadRequest
    );
    m.ok("m01", vote(None, "不满意"));
    let plan = m.state.plan.poll("rating").unwrap().1.clone();
    let results = m.state.polls["rating"].results(&plan);
    assert_eq!(results.len(), 1);
    assert_eq!((results[0].target.clone(), results[0].voters), (None, 1));
}

fn secret() -> Meeting {
    use std::sync::Arc;
    use xieshang_meeting::scenario::parse_plan;
    let text = PLAN.replace(
        "targets = [\"eco\", \"ndrc\"]\n",
        "targets = [\"eco\", \"ndrc\"]\nsecret = true\n",
    );
    assert_ne!(text, PLAN, "the plan has the poll this test makes secret");
    let mut m = Meeting::new();
    m.state = xieshang_meeting::State::new(Arc::new(parse_plan("t.toml", &text).unwrap()));
    m.ok("chair", Command::StartMeeting);
    m
}

#[test]
fn a_secret_poll_tells_its_tallies_only_as_it_closes_and_choices_never() {
    use xieshang_meeting::secret::{public_event, public_state, votes_of, OwnVote, HIDDEN};
    let mut m = secret();
    open(&mut m);
    let cast = m.ok("m01", vote(Some("eco"), "满意"));
    m.ok("m02", vote(Some("eco"), "不满意"));
    let plan = m.state.plan.poll("rating").unwrap().1.clone();
    assert!(plan.secret);
    let poll = &m.state.polls["rating"];
    assert_eq!(poll.shown_results(&plan), None, "no tallies while open");
    assert_eq!(poll.turnout(), 2);
    // What leaves the meeting: the vote without its choice, the state alike.
    let Some(EventKind::VoteCast { choice, voter, .. }) = public_event(&m.state.plan, &cast[0])
    else {
        panic!("a secret vote is hidden on the wire: {cast:?}");
    };
    assert_eq!((choice.as_str(), voter.as_str()), (HIDDEN, "m01"));
    let public = public_state(&m.state).into_owned();
    assert!(public.polls["rating"].votes.values().all(|c| c == HIDDEN));
    assert_eq!(public.polls["rating"].turnout(), 2);
    // The voter alone is told their own choice.
    assert_eq!(
        votes_of(&m.state, "m01"),
        [OwnVote {
            poll: "rating".into(),
            target: Some("eco".into()),
            choice: "满意".into()
        }]
    );
    // Closing tells the tallies once; a client that never saw a choice shows them.
    let closed = m.ok(
        "chair",
        Command::ClosePoll {
            poll: "rating".into(),
        },
    );
    let EventKind::PollClosed {
        results: Some(results),
        ..
    } = &closed[0]
    else {
        panic!("a secret poll's closing carries its results: {closed:?}");
    };
    let eco = results.iter().find(|t| t.target.as_deref() == Some("eco"));
    assert_eq!(eco.map(|t| t.voters), Some(2));
    let mut client = public;
    for e in &closed {
        xieshang_meeting::apply(
            &mut client,
            &xieshang_meeting::Event {
                at_ms: 0,
                actor: Some("chair".into()),
                kind: e.clone(),
            },
        );
    }
    let shown = client.polls["rating"].shown_results(&plan).unwrap();
    assert_eq!(shown, *results);
    assert_eq!(counts_in(&shown, "eco"), [1, 0, 1]);
    // An open ballot tells nothing extra and hides nothing.
    let mut m = Meeting::started();
    open(&mut m);
    let cast = m.ok("m01", vote(Some("eco"), "满意"));
    assert_eq!(public_event(&m.state.plan, &cast[0]), None);
}

fn counts_in(results: &[xieshang_meeting::poll::Tally], target: &str) -> Vec<usize> {
    let t = results
        .iter()
        .find(|t| t.target.as_deref() == Some(target))
        .unwrap();
    t.counts.iter().map(|(_, n)| *n).collect()
}

/// Tried from outside: a secret ballot closed at [1, 0, 1], opened again, one
/// vote, closed at [1, 1, 1]: the difference told that vote, and a third
/// opening who changed. A secret ballot closed with votes is final; closed with
/// none, it may open again (there is nothing to set a tally against); an open
/// ballot may be reopened as before.
#[test]
fn a_secret_ballot_closed_with_votes_is_final_so_no_tally_can_be_set_against_another() {
    let mut m = secret();
    let close = || Command::ClosePoll {
        poll: "rating".into(),
    };
    let reopen = || Command::OpenPoll {
        poll: "rating".into(),
    };
    // Closed with nobody's vote: nothing to difference, so it opens again.
    open(&mut m);
    m.ok("chair", close());
    open(&mut m);
    m.ok("m01", vote(Some("eco"), "满意"));
    m.ok("m02", vote(Some("eco"), "不满意"));
    m.ok("chair", close());
    let before = m.state.clone();
    assert!(matches!(
        m.rejected("chair", reopen()),
        xieshang_meeting::refusal::Refusal::SecretBallotClosed { poll } if poll == "rating"
    ));
    assert_eq!(m.state, before, "a refusal changes nothing");
    // So no third vote is ever counted into a second tally.
    assert!(m.try_by("m03", vote(Some("eco"), "满意")).is_err());
    // An open ballot (not secret) may be opened again, as ever.
    let mut open_ballot = Meeting::started();
    open(&mut open_ballot);
    open_ballot.ok("m01", vote(Some("eco"), "满意"));
    open_ballot.ok("chair", close());
    open_ballot.ok("chair", reopen());
}
