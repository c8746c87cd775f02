//! Deciding what a command does: either the events it causes, or why not.
//! `decide` only reads the state; `apply` changes it.

use super::command::{Command, Mode, TimerName};
use super::event::{Event, EventKind, Source, TurnEnd};
use super::plan::{Participant, Position, Role};
use super::question::QuestionStatus;
use super::refusal::{Refusal, TextField};
use super::state::{State, Status};

/// The longest question text and answer note, in characters as a person sees
/// them (`text::length`).
pub const MAX_TEXT_CHARS: usize = 2_000;
/// The longest name or sector of a walk-in, in characters as a person sees
/// them (`text::length`).
pub const MAX_NAME_CHARS: usize = 100;
/// The largest single extension of a timer, either way.
pub const MAX_EXTEND_SECONDS: i64 = 24 * 3600;

/// Who is acting, and when (Unix ms, server time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ctx<'a> {
    pub now_ms: u64,
    /// A participant's id, or `None` for the server itself (presence).
    pub actor: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    pub fn by(actor: &'a str, now_ms: u64) -> Ctx<'a> {
        Ctx {
            now_ms,
            actor: Some(actor),
        }
    }

    pub fn server(now_ms: u64) -> Ctx<'a> {
        Ctx {
            now_ms,
            actor: None,
        }
    }
}

pub fn decide(state: &State, command: Command, ctx: Ctx<'_>) -> Result<Vec<Event>, Refusal> {
    let mut out = Out {
        ctx,
        events: Vec::new(),
    };
    let me = match authorize(state, &command, ctx)? {
        Acting::Server => {
            presence(state, command, &mut out)?;
            return Ok(out.events);
        }
        Acting::Participant(me) => me,
    };
    match (&command, state.status) {
        // Attendance is marked as people come, and corrected after.
        (Command::MarkAttendance { .. }, _) => {}
        // A walk-in may arrive before the meeting opens.
        (Command::AddParticipant { .. }, Status::NotStarted) => {}
        _ => check_status(state, &command)?,
    }
    let now = ctx.now_ms;
    match command {
        // The server's alone: `authorize` refused it already.
        Command::SetPresence { .. } => return Err(Refusal::PresenceIsTheServers),
        Command::ReviewCall { item } => {
            under_review(state, &item)?;
            if state.reviews.current.as_deref() != Some(item.as_str()) {
                out.push(EventKind::ReviewCalled { item });
            }
        }
        Command::ReviewRecord {
            item,
            outcome,
            due,
            note,
        } => {
            let found = under_review(state, &item)?;
            use super::review::Outcome;
            if found.is_closed() && outcome != Outcome::Delivered {
                return Err(Refusal::ReviewClosedItem { item });
            }
            let due = match outcome {
                Outcome::InProgress => Some(due.ok_or(Refusal::ReviewDateRequired)?),
                _ => None,
            };
            let note = note
                .filter(|n| !n.trim().is_empty())
                .map(|n| checked_text(&n, TextField::Note))
                .transpose()?;
            let before = state.reviews.items.get(&item);
            if before.is_none_or(|r| r.outcome != Some(outcome) || r.due != due || r.note != note) {
                out.push(EventKind::ReviewRecorded {
                    item,
                    outcome,
                    due,
                    note,
                });
            }
        }
        Command::ReviewRate {
            item,
            rating,
            reason,
        } => {
            let found = state
                .plan
                .review_item(&item)
                .map(|(_, i)| i)
                .ok_or_else(|| Refusal::NotUnderReview { item: item.clone() })?;
            if me.role != Role::Chair && me.id != found.asker {
                return Err(Refusal::NotYourReview { item });
            }
            let reviewed = state.reviews.items.get(&item);
            if reviewed.and_then(|r| r.outcome) != Some(super::review::Outcome::Delivered) {
                return Err(Refusal::ReviewNotDelivered { item });
            }
            let reason = reason
                .filter(|r| !r.trim().is_empty())
                .map(|r| checked_text(&r, TextField::Note))
                .transpose()?;
            if rating == super::followups::Rating::Dissatisfied && reason.is_none() {
                return Err(Refusal::ReviewReasonRequired);
            }
            if reviewed.is_none_or(|r| r.rating != Some(rating) || r.reason != reason) {
                out.push(EventKind::ReviewRated {
                    item,
                    rating,
                    reason,
                });
            }
        }
        Command::MarkAttendance { participant, mark } => {
            known(state, &participant)?;
            if state.attendance.get(&participant).copied() != mark {
                out.push(EventKind::AttendanceMarked { participant, mark });
            }
        }
        Command::StartMeeting => {
            out.push(EventKind::MeetingStarted);
            let first = Position { item: 0, step: 0 };
            enter_step(state, first, &mut out)?;
        }
        Command::CloseMeeting => {
            leave_step(state, &mut out);
            out.push(EventKind::MeetingClosed);
        }
        Command::NextStep => {
            let at = ordinal_now(state)?;
            let next = state
                .plan
                .positions()
                .get(at + 1)
                .copied()
                .ok_or(Refusal::LastStep)?;
            move_to(state, next, &mut out)?;
        }
        Command::PreviousStep => {
            let at = ordinal_now(state)?;
            let previous = at
                .checked_sub(1)
                .and_then(|o| state.plan.positions().get(o).copied())
                .ok_or(Refusal::FirstStep)?;
            move_to(state, previous, &mut out)?;
        }
        Command::GotoStep { item, step } => {
            let to = Position { item, step };
            if state.plan.step(to).is_none() {
                return Err(Refusal::NoSuchStep { item, step });
            }
            if state.position != Some(to) {
                move_to(state, to, &mut out)?;
            }
        }
        Command::GrantFloor { participant } => grant(state, participant, &mut out)?,
        Command::EndSpeech => {
            if state.floor.is_none() {
                return Err(Refusal::NobodyHasTheFloor);
            }
            end_turn(state, TurnEnd::Ended, &mut out);
        }
        Command::YieldFloor => {
            if state.speaker() != ctx.actor {
                return Err(Refusal::YouDoNotHaveTheFloor);
            }
            end_turn(state, TurnEnd::Yielded, &mut out);
        }
        Command::PauseTimer { timer } => {
            let t = timer_of(state, timer)?;
            if !t.running {
                return Err(Refusal::TimerAlreadyPaused { timer });
            }
            out.push(EventKind::TimerPaused {
                timer,
                elapsed_ms: t.elapsed_at(now),
            });
        }
        Command::ResumeTimer { timer } => {
            if timer_of(state, timer)?.running {
                return Err(Refusal::TimerAlreadyRunning { timer });
            }
            out.push(EventKind::TimerResumed { timer });
        }
        Command::ExtendTimer { timer, seconds } => {
            if seconds == 0 || !(-MAX_EXTEND_SECONDS..=MAX_EXTEND_SECONDS).contains(&seconds) {
                return Err(Refusal::ExtensionOutOfRange {
                    seconds,
                    max: MAX_EXTEND_SECONDS,
                });
            }
            let mut t = *timer_of(state, timer)?;
            t.extend(seconds);
            out.push(EventKind::TimerExtended {
                timer,
                seconds,
                limit_ms: t.limit_ms,
            });
        }
        Command::RaiseHand { mode } => {
            if !state.queue.open {
                return Err(Refusal::QueueClosed);
            }
            may_queue(state, me, true)?;
            if mode == Mode::Reply && state.floor.is_none() {
                return Err(Refusal::NobodyToReplyTo);
            }
            out.push(EventKind::HandRaised {
                participant: me.id.clone(),
                mode,
            });
        }
        Command::WithdrawHand => {
            if !state.queue.contains(&me.id) {
                return Err(Refusal::HandNotRaised);
            }
            out.push(EventKind::HandWithdrawn {
                participant: me.id.clone(),
            });
        }
        Command::QueueAdd { participant, mode } => {
            let p = known(state, &participant)?;
            if !p.role.may_take_part() {
                return Err(Refusal::ObserverCannotSpeak { who: p.id.clone() });
            }
            may_queue(state, p, false)?;
            out.push(EventKind::QueueAdded { participant, mode });
        }
        Command::QueueRemove { participant } => {
            let p = known(state, &participant)?;
            if !state.queue.contains(&participant) {
                return Err(Refusal::NotInQueue { who: p.id.clone() });
            }
            out.push(EventKind::QueueRemoved { participant });
        }
        Command::QueueMove {
            participant,
            position,
        } => {
            let p = known(state, &participant)?;
            let from = state
                .queue
                .position(&participant)
                .ok_or_else(|| Refusal::NotInQueue { who: p.id.clone() })?;
            let position = position.min(state.queue.len() - 1);
            if from != position {
                out.push(EventKind::QueueMoved {
                    participant,
                    position,
                });
            }
        }
        Command::CloseQueue => {
            if !state.queue.open {
                return Err(Refusal::QueueAlreadyClosed);
            }
            out.push(EventKind::QueueClosed);
        }
        Command::OpenQueue => {
            if state.queue.open {
                return Err(Refusal::QueueAlreadyOpen);
            }
            out.push(EventKind::QueueOpened);
        }
        Command::SubmitQuestion {
            department,
            text,
            asker,
        } => {
            let asker = match asker {
                Some(a) if a != me.id => {
                    if me.role != Role::Chair {
                        return Err(Refusal::ChairOnlyAsksForOthers);
                    }
                    let p = known(state, &a)?;
                    if !p.role.may_take_part() {
                        return Err(Refusal::ObserverCannotAsk { who: p.id.clone() });
                    }
                    a
                }
                _ => me.id.clone(),
            };
            if state.plan.department(&department).is_none() {
                return Err(Refusal::NoSuchDepartment {
                    department: department.clone(),
                });
            }
            let text = checked_text(&text, TextField::Question)?;
            out.push(EventKind::QuestionSubmitted {
                question: format!("q{}", state.questions.len() + 1),
                asker,
                department,
                text,
            });
        }
        Command::WithdrawQuestion { question } => {
            own_pending(state, me, &question)?;
            out.push(EventKind::QuestionWithdrawn { question });
        }
        Command::EditQuestion { question, text } => {
            let q = own_pending(state, me, &question)?;
            let text = checked_text(&text, TextField::Question)?;
            if text != q.text {
                out.push(EventKind::QuestionEdited { question, text });
            }
        }
        Command::AnswerQuestion {
            question,
            status,
            note,
            seen_answers,
        } => {
            let q = state
                .question(&question)
                .ok_or_else(|| Refusal::NoSuchQuestion {
                    question: question.clone(),
                })?;
            if me.role != Role::Chair && me.department.as_deref() != Some(q.department.as_str()) {
                return Err(Refusal::NotYourDepartment {
                    question: question.clone(),
                    department: q.department.clone(),
                });
            }
            if let Some(last) = q.answers.last() {
                if seen_answers.is_some_and(|seen| q.answers.len() > seen) {
                    return Err(Refusal::AnswerChanged {
                        question: question.clone(),
                        by: last.by.clone(),
                    });
                }
            }
            let note = match note {
                Some(n) if !n.trim().is_empty() => Some(checked_text(&n, TextField::Note)?),
                _ => None,
            };
            if q.status != QuestionStatus::from(status) || q.note != note || q.carried {
                out.push(EventKind::QuestionAnswered {
                    question,
                    status,
                    note,
                });
            }
        }
        Command::AddParticipant {
            name,
            role,
            sector,
            department,
        } => {
            let name = checked(&name, TextField::Name, MAX_NAME_CHARS)?;
            let sector = match sector.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(s) => Some(checked(s, TextField::Sector, MAX_NAME_CHARS)?),
            };
            let department = match (role, department) {
                (Role::Chair, _) => return Err(Refusal::WalkInCannotChair),
                (Role::Department, None) => return Err(Refusal::DepartmentRequired),
                (Role::Department, Some(d)) => {
                    if state.plan.department(&d).is_none() {
                        return Err(Refusal::NoSuchDepartment { department: d });
                    }
                    Some(d)
                }
                // Only a department's representative speaks for one.
                (_, _) => None,
            };
            let id = (1..)
                .map(|n| format!("guest{n}"))
                .find(|id| state.participant(id).is_none())
                .expect("unbounded");
            out.push(EventKind::ParticipantAdded {
                participant: Participant {
                    id,
                    name,
                    role,
                    sector,
                    department,
                    // A walk-in holds no roster person's seat: never taken
                    // for someone whose promise comes back.
                    person: None,
                    token: None,
                },
            });
        }
        Command::OpenPoll { poll } => {
            let planned = known_poll(state, &poll)?;
            let held = state.polls.get(&poll);
            if held.is_some_and(|p| p.open) {
                return Err(Refusal::PollAlreadyOpen);
            }
            // A secret ballot's tally is told once: closed with votes, it is
            // final, so no later tally can be set against it.
            if planned.secret && held.is_some_and(|p| !p.votes.is_empty()) {
                return Err(Refusal::SecretBallotClosed { poll });
            }
            out.push(EventKind::PollOpened { poll });
        }
        Command::ClosePoll { poll } => {
            known_poll(state, &poll)?;
            if !state.polls.get(&poll).is_some_and(|p| p.open) {
                return Err(Refusal::PollNotOpen);
            }
            out.push(closing(state, &poll));
        }
        Command::Vote {
            poll,
            choice,
            target,
        } => {
            let plan = known_poll(state, &poll)?;
            let open = state.polls.get(&poll).filter(|p| p.open);
            let Some(current) = open else {
                return Err(Refusal::PollNotOpen);
            };
            if !plan.roles.contains(&me.role) {
                return Err(Refusal::RoleDoesNotVote);
            }
            if !plan.choices.contains(&choice) {
                return Err(Refusal::NotAChoice {
                    choice: choice.clone(),
                    choices: plan.choices.clone(),
                });
            }
            match (&target, plan.targets.is_empty()) {
                (None, false) => return Err(Refusal::TargetRequired),
                (Some(_), true) => return Err(Refusal::TargetNotAllowed),
                (Some(t), false) if !plan.targets.contains(t) => {
                    return Err(Refusal::NotRated { target: t.clone() })
                }
                _ => {}
            }
            if current.vote(target.as_deref(), &me.id) != Some(choice.as_str()) {
                out.push(EventKind::VoteCast {
                    poll,
                    voter: me.id.clone(),
                    target,
                    choice,
                });
            }
        }
    }
    Ok(out.events)
}

struct Out<'a> {
    ctx: Ctx<'a>,
    events: Vec<Event>,
}

impl Out<'_> {
    fn push(&mut self, kind: EventKind) {
        self.events.push(Event {
            at_ms: self.ctx.now_ms,
            actor: self.ctx.actor.map(String::from),
            kind,
        });
    }
}

/// Who acts, as [`authorize`] found them.
enum Acting<'s> {
    /// The server itself: presence, and nothing else.
    Server,
    /// A participant of the plan whom the command is allowed.
    Participant(&'s Participant),
}

/// Checks who may do what: the server only presence, an observer nothing, a
/// participant their own actions, the chair everything else.
fn authorize<'s>(state: &'s State, command: &Command, ctx: Ctx<'_>) -> Result<Acting<'s>, Refusal> {
    let Some(actor) = ctx.actor else {
        return match command {
            Command::SetPresence { .. } => Ok(Acting::Server),
            _ => Err(Refusal::ServerActsOnlyOnPresence),
        };
    };
    let me = state
        .participant(actor)
        .ok_or_else(|| Refusal::NotAParticipant {
            who: actor.to_string(),
        })?;
    match command {
        Command::SetPresence { .. } => Err(Refusal::PresenceIsTheServers),
        _ if me.role == Role::Observer => Err(Refusal::ObserversOnlyWatch),
        Command::RaiseHand { .. }
        | Command::WithdrawHand
        | Command::YieldFloor
        | Command::SubmitQuestion { .. }
        | Command::WithdrawQuestion { .. }
        | Command::EditQuestion { .. }
        | Command::Vote { .. }
        | Command::AnswerQuestion { .. }
        | Command::ReviewRate { .. } => Ok(Acting::Participant(me)),
        _ if me.role == Role::Chair => Ok(Acting::Participant(me)),
        _ => Err(Refusal::ChairOnly {
            action: command.name().to_string(),
        }),
    }
}

/// The server's one command: who is connected.
fn presence(state: &State, command: Command, out: &mut Out<'_>) -> Result<(), Refusal> {
    let Command::SetPresence {
        participant,
        online,
    } = command
    else {
        return Err(Refusal::ServerActsOnlyOnPresence);
    };
    known(state, &participant)?;
    if state.online.contains(&participant) != online {
        out.push(EventKind::PresenceChanged {
            participant,
            online,
        });
    }
    Ok(())
}

fn check_status(state: &State, command: &Command) -> Result<(), Refusal> {
    match (state.status, command) {
        (Status::NotStarted, Command::StartMeeting) => Ok(()),
        (Status::NotStarted, _) => Err(Refusal::NotStarted),
        (Status::Running, Command::StartMeeting) => Err(Refusal::AlreadyStarted),
        (Status::Running, _) => Ok(()),
        (Status::Closed, _) => Err(Refusal::MeetingClosed),
    }
}

fn known<'s>(state: &'s State, id: &str) -> Result<&'s Participant, Refusal> {
    state
        .participant(id)
        .ok_or_else(|| Refusal::NoSuchParticipant {
            who: id.to_string(),
        })
}

fn known_poll<'s>(state: &'s State, id: &str) -> Result<&'s super::plan::PollPlan, Refusal> {
    state
        .plan
        .poll(id)
        .map(|(_, p)| p)
        .ok_or_else(|| Refusal::NoSuchPoll {
            poll: id.to_string(),
        })
}

/// A participant may join the queue unless already in it or at the floor. `own`:
/// they asked themselves ("your hand is already raised").
fn may_queue(state: &State, p: &Participant, own: bool) -> Result<(), Refusal> {
    if state.queue.contains(&p.id) {
        return Err(if own {
            Refusal::HandAlreadyRaised
        } else {
            Refusal::AlreadyInQueue { who: p.id.clone() }
        });
    }
    if state.speaker() == Some(p.id.as_str()) {
        return Err(if own {
            Refusal::YouHaveTheFloor
        } else {
            Refusal::HasTheFloor { who: p.id.clone() }
        });
    }
    Ok(())
}

/// Free text, trimmed: not empty, not too long, no control character.
/// A question its asker may still take back or rewrite.
fn own_pending<'s>(
    state: &'s State,
    who: &Participant,
    question: &str,
) -> Result<&'s super::question::Question, Refusal> {
    let q = state
        .question(question)
        .ok_or_else(|| Refusal::NoSuchQuestion {
            question: question.to_string(),
        })?;
    if who.id != q.asker {
        return Err(Refusal::NotYourQuestion {
            question: question.to_string(),
        });
    }
    if q.status != QuestionStatus::Pending || q.carried {
        return Err(Refusal::QuestionNotPending {
            question: question.to_string(),
        });
    }
    Ok(q)
}

/// Item `id` of the step running now, which reviews it.
fn under_review<'s>(state: &'s State, id: &str) -> Result<&'s super::review::ReviewItem, Refusal> {
    state
        .step()
        .and_then(|s| s.review.as_ref())
        .and_then(|r| r.found.iter().find(|i| i.id == id))
        .ok_or_else(|| Refusal::NotUnderReview {
            item: id.to_string(),
        })
}

fn checked_text(text: &str, field: TextField) -> Result<String, Refusal> {
    checked(text, field, MAX_TEXT_CHARS)
}

fn checked(text: &str, field: TextField, max: usize) -> Result<String, Refusal> {
    let text = text.trim();
    // Counted as a person sees them (`text::length`): a letter and its marks are one.
    let chars = super::text::length(text);
    if chars == 0 {
        return Err(Refusal::EmptyText { field });
    }
    if chars > max {
        return Err(Refusal::TextTooLong { field, chars, max });
    }
    if let Some((at, c)) = super::text::first_unsafe(text) {
        return Err(Refusal::ControlCharacter {
            field,
            character: super::text::describe(c),
            at: text[..at].chars().count() + 1,
        });
    }
    Ok(text.to_string())
}

fn timer_of(state: &State, timer: TimerName) -> Result<&super::timer::Timer, Refusal> {
    match timer {
        TimerName::Floor => state
            .floor
            .as_ref()
            .map(|f| &f.timer)
            .ok_or(Refusal::NoTurnTimer),
        TimerName::Step => state.step_timer.as_ref().ok_or(Refusal::NoStepRunning),
    }
}

fn ordinal_now(state: &State) -> Result<usize, Refusal> {
    state
        .position
        .and_then(|p| state.plan.ordinal(p))
        .ok_or(Refusal::NoStepRunning)
}

fn move_to(state: &State, to: Position, out: &mut Out<'_>) -> Result<(), Refusal> {
    leave_step(state, out);
    enter_step(state, to, out)
}

fn enter_step(state: &State, to: Position, out: &mut Out<'_>) -> Result<(), Refusal> {
    let step = state.plan.step(to).ok_or(Refusal::EmptyAgenda)?;
    let ordinal = state.plan.ordinal(to).unwrap_or(0);
    out.push(EventKind::StepStarted {
        item: to.item,
        step: to.step,
        limit_ms: step.duration_ms,
        elapsed_ms: state.step_elapsed.get(ordinal).copied().unwrap_or(0),
    });
    Ok(())
}

/// A poll's closing; a secret one tells its tallies here, the only time they are told.
fn closing(state: &State, poll: &str) -> EventKind {
    let results = state
        .plan
        .poll(poll)
        .filter(|(_, plan)| plan.secret)
        .map(|(_, plan)| {
            state
                .polls
                .get(poll)
                .cloned()
                .unwrap_or_default()
                .results(plan)
        });
    EventKind::PollClosed {
        poll: poll.to_string(),
        results,
    }
}

/// Ends the current step: its turn, its open poll, and, for a `respond` step, the
/// questions still pending for its departments, which are carried into follow-up.
fn leave_step(state: &State, out: &mut Out<'_>) {
    end_turn(state, TurnEnd::StepEnded, out);
    let (Some(at), Some(step)) = (state.position, state.step()) else {
        return;
    };
    if let Some(poll) = &step.poll {
        if state.polls.get(&poll.id).is_some_and(|p| p.open) {
            out.push(closing(state, &poll.id));
        }
    }
    if step.kind.traits().departments_answer {
        let departments = state.responding_departments();
        let carried: Vec<String> = state
            .pending_questions()
            .filter(|q| departments.contains(&q.department.as_str()))
            .map(|q| q.id.clone())
            .collect();
        if !carried.is_empty() {
            out.push(EventKind::QuestionsCarried { questions: carried });
        }
    }
    out.push(EventKind::StepEnded {
        item: at.item,
        step: at.step,
        elapsed_ms: state.step_timer.map_or(0, |t| t.elapsed_at(out.ctx.now_ms)),
    });
}

fn end_turn(state: &State, reason: TurnEnd, out: &mut Out<'_>) {
    if let Some(floor) = &state.floor {
        let now = out.ctx.now_ms;
        out.push(EventKind::TurnEnded {
            participant: floor.speaker.clone(),
            reason,
            spoken_ms: floor.timer.elapsed_at(now),
            overtime_ms: floor.timer.overtime_at(now),
        });
    }
}

fn grant(state: &State, participant: Option<String>, out: &mut Out<'_>) -> Result<(), Refusal> {
    let step = state.step().ok_or(Refusal::NoStepRunning)?;
    let (speaker, mode, source) = match participant {
        Some(id) => {
            let p = known(state, &id)?;
            if !p.role.may_take_part() {
                return Err(Refusal::ObserverCannotSpeak { who: p.id.clone() });
            }
            if state.speaker() == Some(id.as_str()) {
                return Err(Refusal::HasTheFloor { who: p.id.clone() });
            }
            let mode = state.queue.get(&id).map_or(Mode::Normal, |e| e.mode);
            (id, mode, Source::Chair)
        }
        None => {
            let (id, mode, source) = state.next_speaker().ok_or(Refusal::NobodyWaiting)?;
            (id.to_string(), mode, source)
        }
    };
    end_turn(state, TurnEnd::Replaced, out);
    out.push(EventKind::FloorGranted {
        participant: speaker,
        mode,
        source,
        limit_ms: step.speaker_limit_ms,
    });
    Ok(())
}
