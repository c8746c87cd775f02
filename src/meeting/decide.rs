//! Deciding what a command does: either the events it causes, or why not.
//! `decide` only reads the state; `apply` changes it.

use super::command::{Command, Mode, TimerName};
use super::event::{Event, EventKind, Source, TurnEnd};
use super::plan::{Language, Participant, Position, Role, StepKind};
use super::question::QuestionStatus;
use super::rejection::Rejection;
use super::state::{State, Status};

/// The longest question text and answer note, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
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

/// A sentence for a person in the meeting's language: `say!(state, english, chinese)`.
macro_rules! say {
    ($state:expr, $en:expr, $zh:expr) => {
        if $state.plan.meeting.language == Language::Zh {
            String::from($zh)
        } else {
            String::from($en)
        }
    };
}

pub fn decide(state: &State, command: Command, ctx: Ctx<'_>) -> Result<Vec<Event>, Rejection> {
    let mut out = Out {
        ctx,
        events: Vec::new(),
    };
    let who = authorize(state, &command, ctx)?;
    if !matches!(command, Command::SetPresence { .. }) {
        check_status(state, &command)?;
    }
    let now = ctx.now_ms;
    match command {
        Command::SetPresence {
            participant,
            online,
        } => {
            known(state, &participant)?;
            if state.online.contains(&participant) != online {
                out.push(EventKind::PresenceChanged {
                    participant,
                    online,
                });
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
            let next = state.plan.positions().get(at + 1).copied().ok_or_else(|| {
                Rejection::conflict(say!(
                    state,
                    "this is the last step; close the meeting to finish",
                    "这已是最后一个环节；如需结束请结束会议"
                ))
            })?;
            move_to(state, next, &mut out)?;
        }
        Command::PreviousStep => {
            let at = ordinal_now(state)?;
            let previous = at
                .checked_sub(1)
                .and_then(|o| state.plan.positions().get(o).copied())
                .ok_or_else(|| {
                    Rejection::conflict(say!(
                        state,
                        "this is the first step; there is none before it",
                        "这已是第一个环节，前面没有环节了"
                    ))
                })?;
            move_to(state, previous, &mut out)?;
        }
        Command::GotoStep { item, step } => {
            let to = Position { item, step };
            if state.plan.step(to).is_none() {
                // Counted from 1 for people, in u128 so that no index overflows.
                let (item, step) = (item as u128 + 1, step as u128 + 1);
                return Err(Rejection::not_found(say!(
                    state,
                    format!("there is no step {step} in item {item} of the agenda"),
                    format!("议程第 {item} 项没有第 {step} 个环节")
                )));
            }
            if state.position != Some(to) {
                move_to(state, to, &mut out)?;
            }
        }
        Command::GrantFloor { participant } => grant(state, participant, &mut out)?,
        Command::EndSpeech => {
            if state.floor.is_none() {
                return Err(Rejection::conflict(say!(
                    state,
                    "nobody has the floor",
                    "目前无人发言"
                )));
            }
            end_turn(state, TurnEnd::Ended, &mut out);
        }
        Command::YieldFloor => {
            if state.speaker() != ctx.actor {
                return Err(Rejection::conflict(say!(
                    state,
                    "you do not have the floor",
                    "您目前没有发言权"
                )));
            }
            end_turn(state, TurnEnd::Yielded, &mut out);
        }
        Command::PauseTimer { timer } => {
            let t = timer_of(state, timer)?;
            if !t.running {
                return Err(Rejection::conflict(say!(
                    state,
                    format!("the {} timer is already paused", name(timer)),
                    format!("{}计时已经暂停", name_zh(timer))
                )));
            }
            out.push(EventKind::TimerPaused {
                timer,
                elapsed_ms: t.elapsed_at(now),
            });
        }
        Command::ResumeTimer { timer } => {
            if timer_of(state, timer)?.running {
                return Err(Rejection::conflict(say!(
                    state,
                    format!("the {} timer is already running", name(timer)),
                    format!("{}计时已经在走", name_zh(timer))
                )));
            }
            out.push(EventKind::TimerResumed { timer });
        }
        Command::ExtendTimer { timer, seconds } => {
            if seconds == 0 || !(-MAX_EXTEND_SECONDS..=MAX_EXTEND_SECONDS).contains(&seconds) {
                return Err(Rejection::bad_request(say!(state, "seconds must be a whole number of seconds other than zero, at most a day either way", "秒数须为非零整数，增减都不超过一天")));
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
            let me = who.expect("authorize returns the participant for participant actions");
            if !state.queue.open {
                return Err(Rejection::conflict(say!(
                    state,
                    "the queue is closed; wait for the chair to open it",
                    "排队已关闭，请等主持人开放"
                )));
            }
            may_queue(state, me, true)?;
            if mode == Mode::Reply && state.floor.is_none() {
                return Err(Rejection::conflict(say!(
                    state,
                    "nobody is speaking, so there is nobody to reply to",
                    "目前无人发言，无从直接回应"
                )));
            }
            out.push(EventKind::HandRaised {
                participant: me.id.clone(),
                mode,
            });
        }
        Command::WithdrawHand => {
            let me = who.expect("participant");
            if !state.queue.contains(&me.id) {
                return Err(Rejection::conflict(say!(
                    state,
                    "your hand is not raised",
                    "您没有在排队"
                )));
            }
            out.push(EventKind::HandWithdrawn {
                participant: me.id.clone(),
            });
        }
        Command::QueueAdd { participant, mode } => {
            let p = known(state, &participant)?;
            if !p.role.may_take_part() {
                return Err(Rejection::conflict(say!(
                    state,
                    format!("{} is an observer and cannot take the floor", p.name),
                    format!("{}是列席人员，不能发言", p.name)
                )));
            }
            may_queue(state, p, false)?;
            out.push(EventKind::QueueAdded { participant, mode });
        }
        Command::QueueRemove { participant } => {
            let p = known(state, &participant)?;
            if !state.queue.contains(&participant) {
                return Err(Rejection::conflict(say!(
                    state,
                    format!("{} is not in the queue", p.name),
                    format!("{}不在排队中", p.name)
                )));
            }
            out.push(EventKind::QueueRemoved { participant });
        }
        Command::QueueMove {
            participant,
            position,
        } => {
            let p = known(state, &participant)?;
            let from = state.queue.position(&participant).ok_or_else(|| {
                Rejection::conflict(say!(
                    state,
                    format!("{} is not in the queue", p.name),
                    format!("{}不在排队中", p.name)
                ))
            })?;
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
                return Err(Rejection::conflict(say!(
                    state,
                    "the queue is already closed",
                    "排队已经关闭"
                )));
            }
            out.push(EventKind::QueueClosed);
        }
        Command::OpenQueue => {
            if state.queue.open {
                return Err(Rejection::conflict(say!(
                    state,
                    "the queue is already open",
                    "排队已经开放"
                )));
            }
            out.push(EventKind::QueueOpened);
        }
        Command::SubmitQuestion {
            department,
            text,
            asker,
        } => {
            let me = who.expect("participant");
            let asker = match asker {
                Some(a) if a != me.id => {
                    if me.role != Role::Chair {
                        return Err(Rejection::forbidden(say!(
                            state,
                            "only the chair may record a question for someone else",
                            "只有主持人可以代他人记录提问"
                        )));
                    }
                    let p = known(state, &a)?;
                    if !p.role.may_take_part() {
                        return Err(Rejection::conflict(say!(
                            state,
                            format!("{} is an observer and cannot ask", p.name),
                            format!("{}是列席人员，不能提问", p.name)
                        )));
                    }
                    a
                }
                _ => me.id.clone(),
            };
            if state.plan.department(&department).is_none() {
                return Err(Rejection::not_found(say!(
                    state,
                    format!("there is no department \"{department}\""),
                    format!("没有部门“{department}”")
                )));
            }
            let text = checked_text(state, &text, "the question", "问题")?;
            out.push(EventKind::QuestionSubmitted {
                question: format!("q{}", state.questions.len() + 1),
                asker,
                department,
                text,
            });
        }
        Command::AnswerQuestion {
            question,
            status,
            note,
        } => {
            let me = who.expect("participant");
            let q = state.question(&question).ok_or_else(|| {
                Rejection::not_found(say!(
                    state,
                    format!("there is no question \"{question}\""),
                    format!("没有问题“{question}”")
                ))
            })?;
            if me.role != Role::Chair && me.department.as_deref() != Some(q.department.as_str()) {
                let dept = state
                    .plan
                    .department(&q.department)
                    .map_or(q.department.as_str(), |d| &d.name);
                return Err(Rejection::forbidden(say!(state, format!("this question is for {dept}; only its representatives or the chair may answer it"
                ), format!("这个问题是向{dept}提出的，只有该部门代表或主持人可以答复"
                ))));
            }
            let note = match note {
                Some(n) if !n.trim().is_empty() => {
                    Some(checked_text(state, &n, "the note", "备注")?)
                }
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
        Command::OpenPoll { poll } => {
            known_poll(state, &poll)?;
            if state.polls.get(&poll).is_some_and(|p| p.open) {
                return Err(Rejection::conflict(say!(
                    state,
                    "the poll is already open",
                    "测评已经开始"
                )));
            }
            out.push(EventKind::PollOpened { poll });
        }
        Command::ClosePoll { poll } => {
            known_poll(state, &poll)?;
            if !state.polls.get(&poll).is_some_and(|p| p.open) {
                return Err(Rejection::conflict(say!(
                    state,
                    "the poll is not open",
                    "测评尚未开始"
                )));
            }
            out.push(EventKind::PollClosed { poll });
        }
        Command::Vote {
            poll,
            choice,
            target,
        } => {
            let me = who.expect("participant");
            let plan = known_poll(state, &poll)?;
            let open = state.polls.get(&poll).filter(|p| p.open);
            let Some(current) = open else {
                return Err(Rejection::conflict(say!(
                    state,
                    "the poll is not open",
                    "测评尚未开始"
                )));
            };
            if !plan.roles.contains(&me.role) {
                return Err(Rejection::forbidden(say!(
                    state,
                    "your role does not vote in this poll",
                    "您的身份不参加这项测评"
                )));
            }
            if !plan.choices.contains(&choice) {
                return Err(Rejection::bad_request(say!(
                    state,
                    format!(
                        "\"{choice}\" is not a choice of this poll; choose one of: {}",
                        plan.choices.join(", ")
                    ),
                    format!(
                        "“{choice}”不是本次测评的选项；请从中选择：{}",
                        plan.choices.join(", ")
                    )
                )));
            }
            match (&target, plan.targets.is_empty()) {
                (None, false) => {
                    return Err(Rejection::bad_request(say!(
                        state,
                        "this poll rates each department: say which one (target)",
                        "本次测评逐个部门评议：请指明评议哪个部门（target）"
                    )))
                }
                (Some(_), true) => {
                    return Err(Rejection::bad_request(say!(
                        state,
                        "this poll is one overall rating: leave out target",
                        "本次测评是整体评议：不要指定 target"
                    )))
                }
                (Some(t), false) if !plan.targets.contains(t) => {
                    return Err(Rejection::not_found(say!(
                        state,
                        format!("\"{t}\" is not rated in this poll"),
                        format!("“{t}”不在本次测评之列")
                    )))
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

/// Checks who may do what; returns the acting participant for participant actions.
fn authorize<'s>(
    state: &'s State,
    command: &Command,
    ctx: Ctx<'_>,
) -> Result<Option<&'s Participant>, Rejection> {
    let Some(actor) = ctx.actor else {
        return match command {
            Command::SetPresence { .. } => Ok(None),
            _ => Err(Rejection::forbidden(say!(
                state,
                "the server acts only on presence",
                "服务器只能更新在线状态"
            ))),
        };
    };
    let me = state.participant(actor).ok_or_else(|| {
        Rejection::forbidden(say!(
            state,
            format!("\"{actor}\" is not a participant of this meeting"),
            format!("“{actor}”不是本次会议的参会人员")
        ))
    })?;
    match command {
        Command::SetPresence { .. } => Err(Rejection::forbidden(say!(
            state,
            "presence is set by the server",
            "在线状态由服务器设置"
        ))),
        _ if me.role == Role::Observer => Err(Rejection::forbidden(say!(
            state,
            "observers watch the meeting; they cannot act in it",
            "列席人员只能旁听，不能操作"
        ))),
        Command::RaiseHand { .. }
        | Command::WithdrawHand
        | Command::YieldFloor
        | Command::SubmitQuestion { .. }
        | Command::Vote { .. }
        | Command::AnswerQuestion { .. } => Ok(Some(me)),
        _ if me.role == Role::Chair => Ok(Some(me)),
        _ => Err(Rejection::forbidden(say!(
            state,
            format!("only the chair may {}", command.name().replace('_', " ")),
            format!("只有主持人可以{}", chair_action_zh(command))
        ))),
    }
}

fn check_status(state: &State, command: &Command) -> Result<(), Rejection> {
    match (state.status, command) {
        (Status::NotStarted, Command::StartMeeting) => Ok(()),
        (Status::NotStarted, _) => Err(Rejection::conflict(say!(
            state,
            "the meeting has not started yet",
            "会议尚未开始"
        ))),
        (Status::Running, Command::StartMeeting) => Err(Rejection::conflict(say!(
            state,
            "the meeting has already started",
            "会议已经开始"
        ))),
        (Status::Running, _) => Ok(()),
        (Status::Closed, _) => Err(Rejection::conflict(say!(
            state,
            "the meeting is closed",
            "会议已经结束"
        ))),
    }
}

fn known<'s>(state: &'s State, id: &str) -> Result<&'s Participant, Rejection> {
    state.participant(id).ok_or_else(|| {
        Rejection::not_found(say!(
            state,
            format!("there is no participant \"{id}\""),
            format!("没有参会人员“{id}”")
        ))
    })
}

fn known_poll<'s>(state: &'s State, id: &str) -> Result<&'s super::plan::PollPlan, Rejection> {
    state.plan.poll(id).map(|(_, p)| p).ok_or_else(|| {
        Rejection::not_found(say!(
            state,
            format!("there is no poll \"{id}\""),
            format!("没有测评“{id}”")
        ))
    })
}

/// A participant may join the queue unless already in it or at the floor. `own`:
/// they asked themselves, so the message says "you".
fn may_queue(state: &State, p: &Participant, own: bool) -> Result<(), Rejection> {
    if state.queue.contains(&p.id) {
        return Err(Rejection::conflict(if own {
            say!(state, "your hand is already raised", "您已经在排队")
        } else {
            say!(
                state,
                format!("{} is already in the queue", p.name),
                format!("{}已经在排队", p.name)
            )
        }));
    }
    if state.speaker() == Some(p.id.as_str()) {
        return Err(Rejection::conflict(if own {
            say!(state, "you have the floor", "您正在发言")
        } else {
            say!(
                state,
                format!("{} has the floor", p.name),
                format!("{}正在发言", p.name)
            )
        }));
    }
    Ok(())
}

fn checked_text(state: &State, text: &str, what: &str, what_zh: &str) -> Result<String, Rejection> {
    let what = if state.plan.meeting.language == Language::Zh {
        what_zh
    } else {
        what
    };
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 {
        return Err(Rejection::bad_request(say!(
            state,
            format!("{what} is empty"),
            format!("{what}为空")
        )));
    }
    if chars > MAX_TEXT_CHARS {
        return Err(Rejection::bad_request(say!(
            state,
            format!("{what} has {chars} characters; at most {MAX_TEXT_CHARS} are allowed"),
            format!("{what}有 {chars} 个字，最多 {MAX_TEXT_CHARS} 个")
        )));
    }
    if let Some((at, c)) = super::text::first_unsafe(text) {
        let place = text[..at].chars().count() + 1;
        let c = super::text::describe(c);
        return Err(Rejection::bad_request(say!(
            state,
            format!("{what} contains the control character {c} at character {place}: remove it (line breaks are allowed)"),
            format!("{what}第 {place} 个字符是控制字符 {c}：请删除（换行可以保留）")
        )));
    }
    Ok(text.to_string())
}

fn name(timer: TimerName) -> &'static str {
    match timer {
        TimerName::Floor => "turn",
        TimerName::Step => "step",
    }
}

fn name_zh(timer: TimerName) -> &'static str {
    match timer {
        TimerName::Floor => "发言",
        TimerName::Step => "环节",
    }
}

/// What a chair-only command does, for "only the chair may …" in Chinese.
fn chair_action_zh(command: &Command) -> &'static str {
    match command {
        Command::StartMeeting => "开始会议",
        Command::CloseMeeting => "结束会议",
        Command::NextStep | Command::PreviousStep | Command::GotoStep { .. } => "切换环节",
        Command::GrantFloor { .. } => "安排发言",
        Command::EndSpeech => "结束他人发言",
        Command::PauseTimer { .. } | Command::ResumeTimer { .. } | Command::ExtendTimer { .. } => {
            "调整计时"
        }
        Command::QueueAdd { .. } | Command::QueueRemove { .. } | Command::QueueMove { .. } => {
            "调整排队"
        }
        Command::CloseQueue | Command::OpenQueue => "开放或关闭排队",
        Command::OpenPoll { .. } | Command::ClosePoll { .. } => "开启或结束测评",
        _ => "这样做",
    }
}

fn timer_of(state: &State, timer: TimerName) -> Result<&super::timer::Timer, Rejection> {
    match timer {
        TimerName::Floor => state.floor.as_ref().map(|f| &f.timer).ok_or_else(|| {
            Rejection::conflict(say!(
                state,
                "nobody has the floor, so there is no turn timer",
                "目前无人发言，没有发言计时"
            ))
        }),
        TimerName::Step => state.step_timer.as_ref().ok_or_else(|| {
            Rejection::conflict(say!(state, "no step is running", "当前没有进行中的环节"))
        }),
    }
}

fn ordinal_now(state: &State) -> Result<usize, Rejection> {
    state
        .position
        .and_then(|p| state.plan.ordinal(p))
        .ok_or_else(|| {
            Rejection::conflict(say!(state, "no step is running", "当前没有进行中的环节"))
        })
}

fn move_to(state: &State, to: Position, out: &mut Out<'_>) -> Result<(), Rejection> {
    leave_step(state, out);
    enter_step(state, to, out)
}

fn enter_step(state: &State, to: Position, out: &mut Out<'_>) -> Result<(), Rejection> {
    let step = state.plan.step(to).ok_or_else(|| {
        Rejection::conflict(say!(state, "the agenda has no steps", "议程没有环节"))
    })?;
    let ordinal = state.plan.ordinal(to).unwrap_or(0);
    out.push(EventKind::StepStarted {
        item: to.item,
        step: to.step,
        limit_ms: step.duration_ms,
        elapsed_ms: state.step_elapsed.get(ordinal).copied().unwrap_or(0),
    });
    Ok(())
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
            out.push(EventKind::PollClosed {
                poll: poll.id.clone(),
            });
        }
    }
    if step.kind == StepKind::Respond {
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

fn grant(state: &State, participant: Option<String>, out: &mut Out<'_>) -> Result<(), Rejection> {
    let step = state.step().ok_or_else(|| {
        Rejection::conflict(say!(state, "no step is running", "当前没有进行中的环节"))
    })?;
    let (speaker, mode, source) = match participant {
        Some(id) => {
            let p = known(state, &id)?;
            if !p.role.may_take_part() {
                return Err(Rejection::conflict(say!(
                    state,
                    format!("{} is an observer and cannot take the floor", p.name),
                    format!("{}是列席人员，不能发言", p.name)
                )));
            }
            if state.speaker() == Some(id.as_str()) {
                return Err(Rejection::conflict(say!(
                    state,
                    format!("{} already has the floor", p.name),
                    format!("{}已经在发言", p.name)
                )));
            }
            let mode = state.queue.get(&id).map_or(Mode::Normal, |e| e.mode);
            (id, mode, Source::Chair)
        }
        None => {
            let (id, mode, source) = state.next_speaker().ok_or_else(|| {
                Rejection::conflict(say!(
                    state,
                    "nobody is waiting for the floor",
                    "没有人等候发言"
                ))
            })?;
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
