//! A scenario's script (`[[script]]`): what simulated participants do, and when —
//! after an event (the meeting starting, a step starting, being given the floor, a
//! poll opening) and a delay. `xieshang demo` and `xieshang simulate` play it over
//! real connections; here it is data, checked against the plan like the rest of the
//! scenario (`crate::scenario`), every problem at its line and column. Pure: no IO.

use crate::meeting::duration::parse_duration;
use crate::meeting::plan::{Plan, Position, Role};
use crate::meeting::question::QuestionStatus;
use crate::meeting::scenario::{say, Problem, Said, ScriptEntry};
use crate::meeting::state::State;
use crate::meeting::{Answer, Command, EventKind, Mode};
use serde::{Deserialize, Serialize};

/// One scripted action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    pub who: String,
    pub on: Trigger,
    /// How long after the trigger, in meeting time.
    pub after_ms: u64,
    pub act: Act,
}

/// The event a cue waits for; each cue acts once, on the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    MeetingStarted,
    /// A step starting (0-based position).
    Step {
        item: usize,
        step: usize,
    },
    /// The cue's participant being given the floor (in this step, when named).
    Floor {
        during: Option<Position>,
    },
    PollOpened,
    /// 回头看: an earlier promise the cue's participant asked recorded delivered.
    ReviewDelivered,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Act {
    RaiseHand {
        mode: Mode,
    },
    Withdraw,
    Yield,
    Ask {
        department: String,
        text: String,
    },
    /// A department's answer: to `question`, or to the first question of the
    /// participant's department still pending.
    Answer {
        question: Option<String>,
        status: Answer,
        note: Option<String>,
    },
    /// A vote in `poll`, or in the poll open at the time.
    Vote {
        poll: Option<String>,
        target: Option<String>,
        choice: String,
    },
    /// 回头看: the asker's rating of the item called, once it is delivered.
    RateReview {
        rating: crate::meeting::followups::Rating,
        reason: Option<String>,
    },
}

impl Trigger {
    /// Whether `event`, happening at `position` of the agenda, is what the cue of
    /// `who` waits for.
    pub fn fired_by(&self, who: &str, event: &EventKind, state: &State) -> bool {
        let position = state.position;
        match (self, event) {
            (
                Trigger::ReviewDelivered,
                EventKind::ReviewRecorded {
                    item,
                    outcome: crate::meeting::review::Outcome::Delivered,
                    ..
                },
            ) => state
                .plan
                .review_item(item)
                .is_some_and(|(_, i)| i.asker == who),
            (Trigger::MeetingStarted, EventKind::MeetingStarted) => true,
            (
                Trigger::Step { item, step },
                EventKind::StepStarted {
                    item: i, step: s, ..
                },
            ) => (item, step) == (i, s),
            (Trigger::Floor { during }, EventKind::FloorGranted { participant, .. }) => {
                participant == who && during.is_none_or(|d| Some(d) == position)
            }
            (Trigger::PollOpened, EventKind::PollOpened { .. }) => true,
            _ => false,
        }
    }
}

impl Act {
    /// The command this act is for `who` in the meeting as it stands, or `None`
    /// when there is nothing to do it to (no pending question, no open poll).
    pub fn command(&self, who: &str, state: &State) -> Option<Command> {
        Some(match self {
            Act::RateReview { rating, reason } => {
                // Their own item recorded delivered and not yet rated.
                let (item, _) = state.reviews.items.iter().find(|(id, r)| {
                    r.outcome == Some(crate::meeting::review::Outcome::Delivered)
                        && r.rating.is_none()
                        && state
                            .plan
                            .review_item(id)
                            .is_some_and(|(_, i)| i.asker == who)
                })?;
                Command::ReviewRate {
                    item: item.clone(),
                    rating: *rating,
                    reason: reason.clone(),
                }
            }
            Act::RaiseHand { mode } => Command::RaiseHand { mode: *mode },
            Act::Withdraw => Command::WithdrawHand,
            Act::Yield => Command::YieldFloor,
            Act::Ask { department, text } => Command::SubmitQuestion {
                department: department.clone(),
                text: text.clone(),
                asker: None,
            },
            Act::Answer {
                question,
                status,
                note,
            } => {
                let question = match question {
                    Some(q) => q.clone(),
                    None => {
                        let department = state.participant(who)?.department.as_deref()?;
                        state
                            .questions
                            .iter()
                            .find(|q| {
                                q.department == department && q.status == QuestionStatus::Pending
                            })?
                            .id
                            .clone()
                    }
                };
                Command::AnswerQuestion {
                    question,
                    status: *status,
                    note: note.clone(),
                    seen_answers: None,
                }
            }
            Act::Vote {
                poll,
                target,
                choice,
            } => {
                let poll = match poll {
                    Some(p) => p.clone(),
                    None => state.polls.iter().find(|(_, p)| p.open)?.0.clone(),
                };
                Command::Vote {
                    poll,
                    choice: choice.clone(),
                    target: target.clone(),
                }
            }
        })
    }
}

/// The keys of a `[[script]]` entry, as written.
#[derive(Debug, Default)]
pub struct RawCue<'a> {
    pub who: &'a str,
    pub act: &'a str,
    pub on: Option<&'a str>,
    pub department: Option<&'a str>,
    pub text: Option<&'a str>,
    pub question: Option<&'a str>,
    pub status: Option<&'a str>,
    pub note: Option<&'a str>,
    pub poll: Option<&'a str>,
    pub target: Option<&'a str>,
    pub choice: Option<&'a str>,
}

/// Which key of a cue a problem is about, so it can be pointed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Who,
    Do,
    On,
    Department,
    Text,
    Question,
    Status,
    Poll,
    Target,
    Choice,
}

/// Checks one cue against the plan; every problem with the key it is about.
pub fn check(raw: &RawCue<'_>, after_ms: u64, plan: &Plan) -> Result<Cue, Vec<(Key, Said)>> {
    let mut problems = Vec::new();
    let who = plan.participant(raw.who);
    match who.map(|p| p.role) {
        None => problems.push((
            Key::Who,
            say(
                format!(
                    "\"{}\" is not a participant: add it under [[participants]] or fix the id",
                    raw.who
                ),
                format!(
                    "“{}”不是参会人：请在 [[participants]] 中添加，或改正 id",
                    raw.who
                ),
            ),
        )),
        Some(Role::Chair) => problems.push((
            Key::Who,
            say(
                "the chair is not scripted: the chair drives (or --auto does)",
                "主持人不写入脚本：由主持人（或 --auto）主持",
            ),
        )),
        Some(Role::Observer) => problems.push((
            Key::Who,
            say(
                format!("\"{}\" is an observer and only watches", raw.who),
                format!("“{}”是列席人员，只旁听", raw.who),
            ),
        )),
        Some(_) => {}
    }
    let on = match raw.on.map(str::trim) {
        None | Some("meeting_started") => Trigger::MeetingStarted,
        Some("floor") => Trigger::Floor { during: None },
        Some(floor) if floor.starts_with("floor ") => {
            match parse_step(&format!("step {}", &floor["floor ".len()..]), plan) {
                Ok(at) => Trigger::Floor { during: Some(at) },
                Err(why) => {
                    let why = why.unwrap_or_else(|| say(
                        "write \"floor 1.2\" for being given the floor in item 1, step 2 of the agenda",
                        "请写 \"floor 1.2\"，表示在议题 1 的第 2 个环节获得发言",
                    ));
                    problems.push((
                        Key::On,
                        say(
                            format!("on = \"{floor}\": {}", why.en),
                            format!("on = \"{floor}\"：{}", why.zh),
                        ),
                    ));
                    Trigger::MeetingStarted
                }
            }
        }
        Some("poll_opened") => Trigger::PollOpened,
        Some("review_delivered") => Trigger::ReviewDelivered,
        Some(other) => match parse_step(other, plan) {
            Ok(at) => Trigger::Step {
                item: at.item,
                step: at.step,
            },
            Err(Some(why)) => {
                problems.push((
                    Key::On,
                    say(
                        format!("on = \"{other}\": {}", why.en),
                        format!("on = \"{other}\"：{}", why.zh),
                    ),
                ));
                Trigger::MeetingStarted
            }
            Err(None) => {
                problems.push((
                    Key::On,
                    say(
                        format!("on = \"{other}\": write meeting_started, \"step 1.2\" (item 1, its step 2 starting), floor, \"floor 1.2\" (given the floor in that step) or poll_opened"),
                        format!("on = \"{other}\"：请写 meeting_started、\"step 1.2\"（议题 1 的第 2 个环节开始）、floor、\"floor 1.2\"（在该环节获得发言）或 poll_opened"),
                    ),
                ));
                Trigger::MeetingStarted
            }
        },
    };
    let allowed: &[Key] = match raw.act {
        "ask" => &[Key::Department, Key::Text],
        "answer" => &[Key::Question, Key::Status],
        "vote" => &[Key::Poll, Key::Target, Key::Choice],
        "rate_review" => &[Key::Choice, Key::Text],
        _ => &[],
    };
    for (key, present, name) in [
        (Key::Department, raw.department.is_some(), "department"),
        (Key::Text, raw.text.is_some(), "text"),
        (Key::Question, raw.question.is_some(), "question"),
        (
            Key::Status,
            raw.status.is_some() || raw.note.is_some(),
            "status and note",
        ),
        (Key::Poll, raw.poll.is_some(), "poll"),
        (Key::Target, raw.target.is_some(), "target"),
        (Key::Choice, raw.choice.is_some(), "choice"),
    ] {
        if present && !allowed.contains(&key) {
            problems.push((
                key,
                say(
                    format!("{name} does not apply to do = \"{}\": remove it", raw.act),
                    format!("{name} 不适用于 do = \"{}\"：请删去", raw.act),
                ),
            ));
        }
    }
    let role = who.map(|p| p.role);
    let act = match raw.act {
        "raise_hand" => Act::RaiseHand { mode: Mode::Normal },
        "point_of_order" => Act::RaiseHand {
            mode: Mode::PointOfOrder,
        },
        "reply" => Act::RaiseHand { mode: Mode::Reply },
        "withdraw" => Act::Withdraw,
        "yield" => Act::Yield,
        "ask" => {
            let department = raw.department.unwrap_or_default();
            if raw.department.is_none() {
                problems.push((
                    Key::Do,
                    say(
                        "do = \"ask\" needs department = \"<a department id>\"",
                        "do = \"ask\" 需要 department = \"<部门 id>\"",
                    ),
                ));
            } else if plan.department(department).is_none() {
                problems.push((
                    Key::Department,
                    say(
                        format!("\"{department}\" is not a department: add it under [[departments]] or fix the id"),
                        format!("“{department}”不是部门：请在 [[departments]] 中添加，或改正 id"),
                    ),
                ));
            }
            let text = raw.text.unwrap_or_default().trim();
            if text.is_empty() {
                problems.push((
                    Key::Text,
                    say(
                        "do = \"ask\" needs the question's text = \"…\"",
                        "do = \"ask\" 需要问题的 text = \"…\"",
                    ),
                ));
            }
            Act::Ask {
                department: department.to_string(),
                text: text.to_string(),
            }
        }
        "answer" => {
            if role.is_some_and(|r| r != Role::Department) {
                problems.push((
                    Key::Do,
                    say(
                        "only a department's representative answers: change who",
                        "只有部门代表答复：请改 who",
                    ),
                ));
            }
            let status = match raw.status.unwrap_or("answered") {
                "answered" => Answer::Answered,
                "follow_up" => Answer::FollowUp,
                "declined" => Answer::Declined,
                other => {
                    problems.push((
                        Key::Status,
                        say(
                            format!("status = \"{other}\": write answered, follow_up or declined"),
                            format!("status = \"{other}\"：请写 answered、follow_up 或 declined"),
                        ),
                    ));
                    Answer::Answered
                }
            };
            Act::Answer {
                question: raw.question.map(String::from),
                status,
                note: raw
                    .note
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(String::from),
            }
        }
        "vote" => {
            let poll = match raw.poll {
                Some(id) => plan.poll(id).map(|(_, p)| p),
                None => plan
                    .positions()
                    .iter()
                    .find_map(|&at| plan.step(at)?.poll.as_ref()),
            };
            match poll {
                None if raw.poll.is_some() => problems.push((
                    Key::Poll,
                    say(
                        format!(
                            "\"{}\" is not the id of an evaluate step",
                            raw.poll.unwrap_or_default()
                        ),
                        format!("“{}”不是测评环节的 id", raw.poll.unwrap_or_default()),
                    ),
                )),
                None => problems.push((
                    Key::Do,
                    say(
                        "the agenda has no evaluate step to vote in",
                        "议程中没有可投票的测评环节",
                    ),
                )),
                Some(p) => {
                    if role.is_some_and(|r| !p.roles.contains(&r)) {
                        problems.push((Key::Who, {
                            let roles: Vec<&str> = p.roles.iter().map(|r| r.as_str()).collect();
                            say(
                                format!(
                                    "\"{}\" may not vote in poll \"{}\" (its roles are {roles:?})",
                                    raw.who, p.id
                                ),
                                format!(
                                    "“{}”不能在测评“{}”中投票（投票身份为 {}）",
                                    raw.who,
                                    p.id,
                                    roles.join("、")
                                ),
                            )
                        }));
                    }
                    match (raw.target, p.targets.is_empty()) {
                        (None, false) => problems.push((
                            Key::Do,
                            say(
                                format!(
                                    "poll \"{}\" rates {}: add target = \"<one of them>\"",
                                    p.id,
                                    p.targets.join(", ")
                                ),
                                format!(
                                    "测评“{}”分别评 {}：请加上 target = \"<其中之一>\"",
                                    p.id,
                                    p.targets.join("、")
                                ),
                            ),
                        )),
                        (Some(t), true) => problems.push((
                            Key::Target,
                            say(
                                format!(
                                    "poll \"{}\" is one overall rating: remove target \"{t}\"",
                                    p.id
                                ),
                                format!("测评“{}”是一项总体评价：请删去 target \"{t}\"", p.id),
                            ),
                        )),
                        (Some(t), false) if !p.targets.iter().any(|x| x == t) => problems.push((
                            Key::Target,
                            say(
                                format!(
                                    "\"{t}\" is not rated in poll \"{}\": write one of {}",
                                    p.id,
                                    p.targets.join(", ")
                                ),
                                format!(
                                    "测评“{}”不评“{t}”：请写 {} 之一",
                                    p.id,
                                    p.targets.join("、")
                                ),
                            ),
                        )),
                        _ => {}
                    }
                    match raw.choice {
                        None => problems.push((
                            Key::Do,
                            say(
                                format!(
                                    "do = \"vote\" needs choice = one of {}",
                                    p.choices.join(", ")
                                ),
                                format!(
                                    "do = \"vote\" 需要 choice，为 {} 之一",
                                    p.choices.join("、")
                                ),
                            ),
                        )),
                        Some(c) if !p.choices.iter().any(|x| x == c) => problems.push((
                            Key::Choice,
                            say(
                                format!(
                                    "\"{c}\" is not a choice of poll \"{}\": write one of {}",
                                    p.id,
                                    p.choices.join(", ")
                                ),
                                format!(
                                    "“{c}”不是测评“{}”的选项：请写 {} 之一",
                                    p.id,
                                    p.choices.join("、")
                                ),
                            ),
                        )),
                        _ => {}
                    }
                }
            }
            Act::Vote {
                poll: raw.poll.map(String::from),
                target: raw.target.map(String::from),
                choice: raw.choice.unwrap_or_default().to_string(),
            }
        }
        "rate_review" => {
            use crate::meeting::followups::Rating;
            let rating = match raw.choice {
                Some("satisfied") => Rating::Satisfied,
                Some("basically_satisfied") => Rating::BasicallySatisfied,
                Some("dissatisfied") => Rating::Dissatisfied,
                _ => {
                    problems.push((
                        Key::Choice,
                        say(
                            "do = \"rate_review\" needs choice = satisfied, basically_satisfied or dissatisfied",
                            "do = \"rate_review\" 需要 choice = satisfied、basically_satisfied 或 dissatisfied",
                        ),
                    ));
                    Rating::Satisfied
                }
            };
            let reason = raw
                .text
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from);
            if rating == Rating::Dissatisfied && reason.is_none() {
                problems.push((
                    Key::Text,
                    say(
                        "a dissatisfied rating says why: text = \"…\"",
                        "评为不满意须写明理由：text = \"…\"",
                    ),
                ));
            }
            Act::RateReview { rating, reason }
        }
        other => {
            problems.push((
                Key::Do,
                say(
                    format!("do = \"{other}\" is not known: write raise_hand, point_of_order, reply, withdraw, yield, ask, answer, vote or rate_review"),
                    format!("没有 do = \"{other}\" 这种动作：请写 raise_hand、point_of_order、reply、withdraw、yield、ask、answer、vote 或 rate_review"),
                ),
            ));
            Act::Withdraw
        }
    };
    if problems.is_empty() {
        Ok(Cue {
            who: raw.who.to_string(),
            on,
            after_ms,
            act,
        })
    } else {
        Err(problems)
    }
}

/// Checks the script's entries against the plan: the cues, and every problem at
/// the line and column of the key it is about.
pub fn check_all(entries: &[ScriptEntry], plan: &Plan) -> (Vec<Cue>, Vec<Problem>) {
    let mut cues = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let value = |key: &str| entry.value(key);
        let problem = |key: &str, said: Said| {
            let (line, column) = entry.place(key);
            Problem {
                line,
                column,
                message: format!("script: {}", said.en),
                zh: Some(format!("脚本：{}", said.zh)),
            }
        };
        let after_ms = match value("after") {
            None => 0,
            Some(d) => match parse_duration(d) {
                Ok(ms) => ms,
                Err(e) => {
                    problems.push(problem(
                        "after",
                        say(
                            format!("after: {e}"),
                            format!("after 写的“{d}”不是时长：请写成 \"90s\"、\"5m\" 这样"),
                        ),
                    ));
                    continue;
                }
            },
        };
        let raw = RawCue {
            who: value("who").unwrap_or_default(),
            act: value("do").unwrap_or_default(),
            on: value("on"),
            department: value("department"),
            text: value("text"),
            question: value("question"),
            status: value("status"),
            note: value("note"),
            poll: value("poll"),
            target: value("target"),
            choice: value("choice"),
        };
        match check(&raw, after_ms, plan) {
            Ok(cue) => cues.push(cue),
            Err(found) => {
                for (key, message) in found {
                    let name = match key {
                        Key::Who => "who",
                        Key::Do => "do",
                        Key::On => "on",
                        Key::Department => "department",
                        Key::Text => "text",
                        Key::Question => "question",
                        Key::Status if value("status").is_none() => "note",
                        Key::Status => "status",
                        Key::Poll => "poll",
                        Key::Target => "target",
                        Key::Choice => "choice",
                    };
                    problems.push(problem(name, message));
                }
            }
        }
    }
    (cues, problems)
}

/// `step 1.2` → item 0, step 1, when the agenda has it. Not of that form:
/// `Err(None)`; of that form but not in the agenda: why, with what it has.
fn parse_step(text: &str, plan: &Plan) -> Result<Position, Option<Said>> {
    let form = || -> Option<(usize, usize)> {
        let rest = text.strip_prefix("step")?.trim();
        let (item, step) = rest.split_once('.')?;
        Some((
            item.trim().parse::<usize>().ok()?.checked_sub(1)?,
            step.trim().parse::<usize>().ok()?.checked_sub(1)?,
        ))
    };
    let (item, step) = form().ok_or(None)?;
    let at = Position { item, step };
    if plan.step(at).is_some() {
        return Ok(at);
    }
    let (i, j) = (item + 1, step + 1);
    Err(Some(match plan.agenda.get(item) {
        Some(it) => say(
            format!(
                "there is no step {i}.{j}: item {i} has steps 1 to {}",
                it.steps.len()
            ),
            format!(
                "没有环节 {i}.{j}：议题 {i} 只有环节 1 到 {}",
                it.steps.len()
            ),
        ),
        None => say(
            format!(
                "there is no step {i}.{j}: the agenda has items 1 to {}",
                plan.agenda.len()
            ),
            format!("没有环节 {i}.{j}：议程只有议题 1 到 {}", plan.agenda.len()),
        ),
    }))
}
