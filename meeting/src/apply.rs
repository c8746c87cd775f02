//! Folding an event into the state. `apply` trusts the event (it was decided, or
//! read from a journal) but never panics on one that does not fit: it does what
//! it can and leaves the rest.

use super::command::TimerName;
use super::event::{Event, EventKind};
use super::floor::{Floor, Turn};
use super::plan::Position;
use super::question::{GivenAnswer, Question, QuestionStatus};
use super::queue::QueueEntry;
use super::state::{State, Status};
use super::timer::Timer;

pub fn apply(state: &mut State, event: &Event) {
    let now = event.at_ms;
    match &event.kind {
        EventKind::MeetingStarted => {
            state.status = Status::Running;
            state.started_ms = Some(now);
        }
        EventKind::MeetingClosed => {
            state.status = Status::Closed;
            state.closed_ms = Some(now);
            state.position = None;
            state.step_timer = None;
            state.floor = None;
        }
        EventKind::StepStarted {
            item,
            step,
            limit_ms,
            elapsed_ms,
        } => {
            state.position = Some(Position {
                item: *item,
                step: *step,
            });
            state.step_timer = Some(Timer::started(*limit_ms, *elapsed_ms, now));
            state.step_spoken.clear();
        }
        EventKind::StepEnded {
            item,
            step,
            elapsed_ms,
        } => {
            let at = Position {
                item: *item,
                step: *step,
            };
            if let Some(slot) = state
                .plan
                .ordinal(at)
                .and_then(|o| state.step_elapsed.get_mut(o))
            {
                *slot = *elapsed_ms;
            }
            if state.position == Some(at) {
                state.position = None;
                state.step_timer = None;
                state.reviews.current = None;
            }
        }
        EventKind::FloorGranted {
            participant,
            mode,
            source,
            limit_ms,
        } => {
            state.queue.remove(participant);
            if !state.step_spoken.contains(participant) {
                state.step_spoken.push(participant.clone());
            }
            state.floor = Some(Floor {
                speaker: participant.clone(),
                mode: *mode,
                source: *source,
                timer: Timer::started(*limit_ms, 0, now),
                since_ms: now,
            });
        }
        EventKind::TurnEnded {
            participant,
            reason,
            spoken_ms,
            overtime_ms,
        } => {
            let floor = state.floor.take();
            state.turns.push(Turn {
                participant: participant.clone(),
                mode: floor.as_ref().map(|f| f.mode).unwrap_or_default(),
                at: state.position,
                started_ms: floor.as_ref().map_or(now, |f| f.since_ms),
                ended_ms: now,
                spoken_ms: *spoken_ms,
                overtime_ms: *overtime_ms,
                reason: *reason,
            });
        }
        EventKind::TimerPaused { timer, .. } => {
            if let Some(t) = timer_mut(state, *timer) {
                t.pause(now);
            }
        }
        EventKind::TimerResumed { timer } => {
            if let Some(t) = timer_mut(state, *timer) {
                t.resume(now);
            }
        }
        EventKind::TimerExtended {
            timer, limit_ms, ..
        } => {
            if let Some(t) = timer_mut(state, *timer) {
                t.limit_ms = *limit_ms;
            }
        }
        EventKind::HandRaised { participant, mode }
        | EventKind::QueueAdded { participant, mode } => {
            state.queue.insert(QueueEntry {
                participant: participant.clone(),
                mode: *mode,
                since_ms: now,
            });
        }
        EventKind::HandWithdrawn { participant } | EventKind::QueueRemoved { participant } => {
            state.queue.remove(participant);
        }
        EventKind::QueueMoved {
            participant,
            position,
        } => state.queue.move_to(participant, *position),
        EventKind::QueueClosed => state.queue.open = false,
        EventKind::QueueOpened => state.queue.open = true,
        EventKind::QuestionSubmitted {
            question,
            asker,
            department,
            text,
        } => state.questions.push(Question {
            id: question.clone(),
            asker: asker.clone(),
            department: department.clone(),
            text: text.clone(),
            status: QuestionStatus::Pending,
            note: None,
            at: state.position,
            asked_ms: now,
            carried: false,
            answers: Vec::new(),
        }),
        EventKind::QuestionAnswered {
            question,
            status,
            note,
        } => {
            if let Some(q) = state.question_mut(question) {
                q.status = (*status).into();
                q.note.clone_from(note);
                q.carried = false;
                q.answers.push(GivenAnswer {
                    by: event.actor.clone().unwrap_or_default(),
                    status: *status,
                    note: note.clone(),
                    at_ms: now,
                });
            }
        }
        EventKind::QuestionWithdrawn { question } => {
            if let Some(q) = state.question_mut(question) {
                q.status = QuestionStatus::Withdrawn;
            }
        }
        EventKind::QuestionEdited { question, text } => {
            if let Some(q) = state.question_mut(question) {
                q.text.clone_from(text);
            }
        }
        EventKind::QuestionsCarried { questions } => {
            for id in questions {
                // Unanswered, carried to follow-up: still `pending` (nothing
                // was promised), no longer the room's to answer.
                if let Some(q) = state.question_mut(id) {
                    q.carried = true;
                }
            }
        }
        EventKind::PlanChanged { plan, .. } => {
            let mut plan = (**plan).clone();
            for p in &mut plan.participants {
                p.token = None;
            }
            plan.reindex();
            state.plan = std::sync::Arc::new(plan);
        }
        EventKind::ParticipantAdded { participant } => {
            if state.participant(&participant.id).is_none() {
                let plan = std::sync::Arc::make_mut(&mut state.plan);
                plan.participants.push(super::plan::Participant {
                    token: None,
                    ..participant.clone()
                });
                plan.reindex();
            }
        }
        EventKind::PollOpened { poll } => {
            let p = state.polls.entry(poll.clone()).or_default();
            p.open = true;
            p.revealed = None;
        }
        EventKind::PollClosed { poll, results } => {
            if let Some(p) = state.polls.get_mut(poll) {
                p.open = false;
                p.revealed = results.clone();
            }
        }
        EventKind::VoteCast {
            poll,
            voter,
            target,
            choice,
        } => {
            state
                .polls
                .entry(poll.clone())
                .or_default()
                .votes
                .insert((target.clone(), voter.clone()), choice.clone());
        }
        EventKind::ReviewCalled { item } => {
            state.reviews.current = Some(item.clone());
            // A new item is a new round: its department reports afresh.
            state.step_spoken.clear();
            let reviewed = state.reviews.items.entry(item.clone()).or_default();
            reviewed.called_ms.get_or_insert(event.at_ms);
        }
        EventKind::ReviewRecorded {
            item,
            outcome,
            due,
            note,
        } => {
            let reviewed = state.reviews.items.entry(item.clone()).or_default();
            reviewed.outcome = Some(*outcome);
            reviewed.due = *due;
            reviewed.note = note.clone();
            if *outcome != super::review::Outcome::Delivered {
                // A rating was of a delivery that is no longer said.
                reviewed.rating = None;
                reviewed.reason = None;
                reviewed.rated_by = None;
            }
        }
        EventKind::ReviewRated {
            item,
            rating,
            reason,
        } => {
            let reviewed = state.reviews.items.entry(item.clone()).or_default();
            reviewed.rating = Some(*rating);
            reviewed.reason = reason.clone();
            reviewed.rated_by = event.actor.clone();
        }
        EventKind::AttendanceMarked { participant, mark } => match mark {
            Some(m) => {
                state.attendance.insert(participant.clone(), *m);
            }
            None => {
                state.attendance.remove(participant);
            }
        },
        EventKind::PresenceChanged {
            participant,
            online,
        } => {
            if *online {
                state.online.insert(participant.clone());
            } else {
                state.online.remove(participant);
            }
        }
    }
}

fn timer_mut(state: &mut State, timer: TimerName) -> Option<&mut Timer> {
    match timer {
        TimerName::Floor => state.floor.as_mut().map(|f| &mut f.timer),
        TimerName::Step => state.step_timer.as_mut(),
    }
}
