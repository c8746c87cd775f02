//! Secret ballots (`secret = true` on a poll): the record keeps every vote, but
//! what leaves the meeting says only *that* someone voted, never their choice, and
//! the tallies are told once, in the poll's closing event.
//!
//! The server sends every event and state through [`public_event`] and
//! [`public_state`]; a voter learns their own choices from the `welcome`
//! ([`votes_of`]) and from their own `vote` intents.

use super::event::EventKind;
use super::plan::Plan;
use super::state::State;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// What a vote in a secret poll says instead of its choice.
pub const HIDDEN: &str = "";

/// One of a voter's own votes in a secret poll, as their `welcome` tells them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnVote {
    pub poll: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub choice: String,
}

fn is_secret(plan: &Plan, poll: &str) -> bool {
    plan.poll(poll).is_some_and(|(_, p)| p.secret)
}

/// The event as anyone may see it: a vote in a secret poll without its choice;
/// `None` when the event is public as it is.
pub fn public_event(plan: &Plan, kind: &EventKind) -> Option<EventKind> {
    match kind {
        EventKind::VoteCast {
            poll,
            voter,
            target,
            choice,
        } if is_secret(plan, poll) && choice != HIDDEN => Some(EventKind::VoteCast {
            poll: poll.clone(),
            voter: voter.clone(),
            target: target.clone(),
            choice: HIDDEN.to_string(),
        }),
        _ => None,
    }
}

/// The state as anyone may see it: every secret poll's choices hidden.
pub fn public_state(state: &State) -> Cow<'_, State> {
    let hides = |(id, poll): (&String, &super::poll::Poll)| {
        is_secret(&state.plan, id) && poll.votes.values().any(|c| c != HIDDEN)
    };
    if !state.polls.iter().any(hides) {
        return Cow::Borrowed(state);
    }
    let mut public = state.clone();
    for (id, poll) in public.polls.iter_mut() {
        if is_secret(&state.plan, id) {
            for choice in poll.votes.values_mut() {
                *choice = HIDDEN.to_string();
            }
        }
    }
    Cow::Owned(public)
}

/// A voter's own votes in the secret polls: what only they may be told.
pub fn votes_of(state: &State, voter: &str) -> Vec<OwnVote> {
    all_votes(state)
        .filter(|(v, _)| v == voter)
        .map(|(_, vote)| vote)
        .collect()
}

/// Every vote in the secret polls, with its voter.
pub fn all_votes(state: &State) -> impl Iterator<Item = (String, OwnVote)> + '_ {
    state
        .polls
        .iter()
        .filter(|(id, _)| is_secret(&state.plan, id))
        .flat_map(|(id, poll)| {
            poll.votes.iter().map(move |((target, voter), choice)| {
                (
                    voter.clone(),
                    OwnVote {
                        poll: id.clone(),
                        target: target.clone(),
                        choice: choice.clone(),
                    },
                )
            })
        })
}
