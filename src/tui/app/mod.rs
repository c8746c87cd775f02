//! The chair console's model and its update function (The Elm Architecture): keys
//! and recorded events come in as messages; commands for the hub go out as effects.
//! Nothing here does IO or reads a clock.

mod can;
pub mod review;
mod warn;

use super::keys::{self, Action};
use super::labels::{self, labels};
use super::picker::{edit, Item, Picker};
use crate::journal::Entry;
use crate::meeting::plan::Language;
use crate::meeting::question::{Question, QuestionStatus};
use crate::meeting::{apply, Answer, Command, Mode, Role, State, TimerName};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::VecDeque;

/// How many log lines the console keeps.
pub const LOG_LINES: usize = 200;

/// Who sits at this console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seat {
    Chair,
    /// A participant, by id (`xieshang join`).
    Participant(String),
    /// The room's big screen: watches only.
    Projector,
    /// A recorded meeting played back (`xieshang replay`): the chair's screen,
    /// read-only, with a timeline.
    Replay,
}

impl Seat {
    /// The key table of this seat's console.
    pub fn table(&self) -> keys::Table {
        match self {
            Seat::Chair => keys::Table::Chair,
            Seat::Participant(_) => keys::Table::Participant,
            Seat::Projector => keys::Table::Projector,
            Seat::Replay => keys::Table::Replay,
        }
    }
}

/// What the replay's timeline bar shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayBar {
    pub position_ms: u64,
    pub total_ms: u64,
    pub speed: f64,
    pub playing: bool,
    /// Where each step begins, in replay time.
    pub steps: Vec<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Queue,
    Questions,
}

/// What a picker is choosing for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Grant,
    QueueAdd,
    Asker,
    Department {
        asker: String,
    },
    Step,
    VoteTarget {
        poll: String,
    },
    VoteChoice {
        poll: String,
        target: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    None,
    Help,
    ConfirmQuit,
    ConfirmClose,
    /// `n` where leaving the step deserves a second thought
    /// (`App::leaving_step_warnings`).
    ConfirmNext,
    /// `⏎` or `e` on a turn that has only just begun: `then` ends it (and, for
    /// `⏎`, gives the floor to the next) once confirmed.
    ConfirmEndTurn {
        then: Command,
    },
    /// `o` on an evaluation that was closed: reopening it changes the results.
    ConfirmReopen {
        poll: String,
    },
    /// Who can join, and how: each participant's link and code, `selected` the
    /// one whose code is shown.
    Participants {
        selected: usize,
    },
    /// The audience's code (an observer's link), full-screen for the projector.
    Audience,
    Pick(Purpose, Picker),
    /// The chair picked someone to add to the queue; which mode?
    QueueMode {
        participant: String,
    },
    Answer {
        question: String,
        status: Option<Answer>,
        note: String,
        /// How many answers the question had when the form opened.
        seen: usize,
    },
    /// Someone else answered while the form was open: theirs is shown, and the
    /// chair's replaces it only when confirmed.
    ConfirmReplace {
        question: String,
        status: Answer,
        note: Option<String>,
        seen: usize,
    },
    QuestionText {
        asker: String,
        department: String,
        text: String,
    },
    /// The asker rewrites their pending question.
    EditQuestion {
        question: String,
        text: String,
    },
    /// `a` on the participants screen: someone the plan did not list arrived.
    WalkIn(WalkIn),
    /// 回头看: what stands now of an earlier promise.
    Review(review::Record),
    /// 回头看: the asker's rating (or the chair's for them).
    ReviewRate(review::Rate),
}

/// The walk-in form: a name, a role (Tab), for a department's representative the
/// department (← →).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkIn {
    pub name: String,
    pub role: Role,
    /// Index into the plan's departments.
    pub department: usize,
}

/// The roles a walk-in may have, in the order Tab goes through them.
pub const WALK_IN_ROLES: [Role; 5] = [
    Role::Public,
    Role::Member,
    Role::Expert,
    Role::Department,
    Role::Observer,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    /// A refusal fades (meeting time, ms): by then the meeting has moved on and
    /// the footer's keys matter more than why a key did nothing.
    pub until_ms: Option<u64>,
}

/// How long a refusal stays on the footer.
pub const REFUSAL_MS: u64 = 5_000;

impl Flash {
    /// Whether it is still shown at `now_ms`.
    pub fn shown(&self, now_ms: u64) -> bool {
        self.until_ms.is_none_or(|until| now_ms < until)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at_ms: u64,
    pub text: String,
}

pub enum Msg {
    Key(KeyEvent),
    /// Events the hub made durable.
    Recorded(Vec<Entry>),
    /// The hub refused a command: the sentence for the chair.
    Refused(String),
    /// Something else to tell the chair (how the meeting was opened, a warning, a
    /// journal failure): logged, and shown in the footer when it is an error.
    Notice {
        text: String,
        error: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Submit(Command),
    /// A replay's key, for the player (the key says which tenth for `Tenth`).
    Replay(keys::Replay, KeyCode),
    Quit,
    /// Something the chair should notice without looking: the terminal's bell.
    Bell,
}

pub struct App {
    /// The console's copy of the meeting, kept by applying recorded events.
    pub state: State,
    pub lang: Language,
    /// Server time of the frame being drawn (Unix ms).
    pub now_ms: u64,
    /// Local time zone, for the wall clock.
    pub utc_offset_s: i32,
    /// Meeting time runs faster than life (demo): since when (real Unix ms)
    /// and how much faster; the wall clock still shows the real time.
    pub faster: Option<(u64, f64)>,
    pub dialog: Dialog,
    pub focus: Focus,
    pub queue_cursor: usize,
    pub question_cursor: usize,
    /// In a review step: the earlier promise under the cursor.
    pub review_cursor: usize,
    pub log: VecDeque<LogLine>,
    pub flash: Option<Flash>,
    /// Where the meeting is recorded, shown in the help.
    pub journal: String,
    /// How participants join, when the console serves them.
    pub join: Option<JoinInfo>,
    pub seat: Seat,
    /// For a console connected over the network: whether it is connected now.
    pub connected: Option<bool>,
    /// The chair's console closed (the server said so as it went): the meeting
    /// is paused, its clocks stand still as of this meeting time, and the
    /// console says so rather than "reconnecting".
    pub chair_left_at: Option<u64>,
    /// For a replay: where the timeline stands.
    pub replay: Option<ReplayBar>,
    /// Why the meeting's record stopped being written, once it has: the console
    /// says so on every screen until the chair quits.
    pub recording_stopped: Option<String>,
    /// The audience's page (an observer's link), for a projector whose token is
    /// the audience's: its first screen carries the code.
    pub audience: Option<String>,
}

/// The addresses participants open, and each one's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinInfo {
    pub links: crate::links::Links,
    /// (participant id, token), in plan order.
    pub people: Vec<(String, String)>,
    /// What `xieshang join` needs to trust the port (` --ca FILE`), or nothing.
    pub trust: String,
    /// Participants nobody simulated plays (the demo): free to join.
    pub free: Vec<String>,
    /// How this program is run here (`xieshang`, `cargo run --release --`), for
    /// the commands the screen prints.
    pub program: String,
}

impl JoinInfo {
    /// The page of participant `id`.
    pub fn link(&self, id: &str) -> Option<String> {
        self.people
            .iter()
            .find(|(who, _)| who == id)
            .map(|(_, token)| self.links.join(token))
    }
}

impl App {
    /// The first free seat nobody has taken yet (the demo's), the one to try on
    /// a phone: where the participants screen opens.
    pub fn free_seat(&self) -> Option<usize> {
        let free = &self.join.as_ref()?.free;
        self.state
            .plan
            .participants
            .iter()
            .position(|p| free.contains(&p.id) && !self.state.online.contains(&p.id))
    }

    /// The real time now (Unix ms), for the wall clock: `now_ms` is meeting
    /// time, which a demo runs faster.
    pub fn wall_ms(&self) -> u64 {
        match self.faster {
            Some((origin, speed)) if self.now_ms > origin => {
                origin + ((self.now_ms - origin) as f64 / speed) as u64
            }
            _ => self.now_ms,
        }
    }

    /// The chair just added a walk-in: their code, on the participants screen, so
    /// they can scan it at once.
    fn show_walk_in(&mut self, event: &crate::meeting::Event) {
        let crate::meeting::EventKind::ParticipantAdded { participant } = &event.kind else {
            return;
        };
        let by_chair = event
            .actor
            .as_deref()
            .and_then(|a| self.state.participant(a))
            .is_some_and(|p| p.role == Role::Chair);
        if self.seat == Seat::Chair
            && self.join.is_some()
            && by_chair
            && self.dialog == Dialog::None
        {
            if let Some(selected) = self
                .state
                .plan
                .participants
                .iter()
                .position(|p| p.id == participant.id)
            {
                self.dialog = Dialog::Participants { selected };
            }
        }
    }

    pub fn new(state: State, lang: Language, journal: String) -> App {
        App {
            state,
            lang,
            now_ms: 0,
            utc_offset_s: 0,
            faster: None,
            dialog: Dialog::None,
            focus: Focus::Queue,
            queue_cursor: 0,
            question_cursor: 0,
            review_cursor: 0,
            log: VecDeque::new(),
            flash: None,
            journal,
            join: None,
            seat: Seat::Chair,
            connected: None,
            chair_left_at: None,
            replay: None,
            recording_stopped: None,
            audience: None,
        }
    }

    /// Questions in the order the board shows them: by department, then by number.
    pub fn board_questions(&self) -> Vec<&Question> {
        let mut qs: Vec<&Question> = self.state.questions.iter().collect();
        let rank = |d: &str| {
            self.state
                .plan
                .departments
                .iter()
                .position(|x| x.id == d)
                .unwrap_or(usize::MAX)
        };
        qs.sort_by_key(|q| rank(&q.department));
        qs
    }

    pub fn selected_question(&self) -> Option<&Question> {
        self.board_questions().get(self.question_cursor).copied()
    }

    /// The participant's own question to withdraw or edit: the one under the
    /// cursor when it is theirs and pending, else their latest pending one.
    pub fn own_pending_question(&self) -> Option<&Question> {
        let me = self.me()?;
        let mine =
            |q: &&Question| q.asker == me && q.status == QuestionStatus::Pending && !q.carried;
        self.selected_question()
            .filter(|q| self.focus == Focus::Questions && mine(q))
            .or_else(|| self.state.questions.iter().rev().find(mine))
    }

    /// The participant at this console, if it is a participant's.
    pub fn me(&self) -> Option<&str> {
        match &self.seat {
            Seat::Participant(id) => Some(id),
            _ => None,
        }
    }

    /// The poll of the current step, when it is open.
    pub fn open_poll(&self) -> Option<&crate::meeting::plan::PollPlan> {
        let poll = self.state.step()?.poll.as_ref()?;
        self.state.polls.get(&poll.id).filter(|p| p.open)?;
        Some(poll)
    }

    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.state.participant(id).map_or(id, |p| p.name.as_str())
    }

    /// Whether any clock on screen is running, so the console must redraw.
    pub fn clock_running(&self) -> bool {
        self.state.step_timer.is_some_and(|t| t.running)
            || self.state.floor.as_ref().is_some_and(|f| f.timer.running)
    }

    /// What the chair must not miss while someone speaks: a hand raised for a
    /// point of order or a reply, or any hand, from someone else.
    fn alert(&self, event: &crate::meeting::Event) -> Option<String> {
        let crate::meeting::EventKind::HandRaised { participant, mode } = &event.kind else {
            return None;
        };
        let speaker = self.state.speaker()?;
        if self.seat != Seat::Chair
            || self
                .state
                .plan
                .chair()
                .is_some_and(|c| Some(&c.id) == event.actor.as_ref())
        {
            return None;
        }
        let how = labels::mode(self.lang, *mode);
        Some(match self.lang {
            Language::Zh => format!(
                "⚑ {} 举手（{how}），{} 正在发言",
                self.name(participant),
                self.name(speaker)
            ),
            Language::En => format!(
                "⚑ {} raised a hand ({how}) while {} speaks",
                self.name(participant),
                self.name(speaker)
            ),
        })
    }

    /// Why a key did nothing, on the footer until it fades.
    fn refuse(&mut self, text: impl Into<String>) {
        self.say(text, true);
        if let Some(f) = &mut self.flash {
            f.until_ms = Some(self.now_ms + REFUSAL_MS);
        }
    }

    fn say(&mut self, text: impl Into<String>, error: bool) {
        self.flash = Some(Flash {
            text: text.into(),
            error,
            until_ms: None,
        });
    }

    fn clamp_cursors(&mut self) {
        self.queue_cursor = self
            .queue_cursor
            .min(self.state.queue.len().saturating_sub(1));
        self.question_cursor = self
            .question_cursor
            .min(self.state.questions.len().saturating_sub(1));
    }

    fn participants_picker(&self, filter: impl Fn(Role) -> bool) -> Picker {
        let l = self.lang;
        let items = self
            .state
            .plan
            .participants
            .iter()
            .filter(|p| filter(p.role))
            .map(|p| {
                let detail = p
                    .department
                    .as_deref()
                    .and_then(|d| self.state.plan.department(d))
                    .map(|d| d.name.clone())
                    .or_else(|| p.sector.clone())
                    .unwrap_or_default();
                Item::new(
                    &p.id,
                    format!("{}  {} {}", p.name, labels::role(l, p.role), detail),
                )
            })
            .collect();
        Picker::new(items)
    }
}

/// Handles one message at `now`; returns what the hub should do.
pub fn update(app: &mut App, msg: Msg, now: u64) -> Vec<Effect> {
    app.now_ms = now;
    match msg {
        Msg::Recorded(entries) => {
            let mut effects = Vec::new();
            let speaker = app.state.speaker().map(str::to_string);
            for e in entries {
                let event = e.into_event();
                if let Some(alert) = app.alert(&event) {
                    app.say(alert, true);
                    effects = vec![Effect::Bell];
                }
                let text = super::describe::describe(&app.state, app.lang, &event);
                apply(&mut app.state, &event);
                app.show_walk_in(&event);
                app.log.push_back(LogLine {
                    at_ms: event.at_ms,
                    text,
                });
                if app.log.len() > LOG_LINES {
                    app.log.pop_front();
                }
            }
            app.clamp_cursors();
            // The floor just came to me: why an earlier key did nothing no longer
            // matters, and must not hide how to give it back.
            let mine = app.me().is_some() && app.state.speaker() == app.me();
            if mine && app.state.speaker().map(str::to_string) != speaker {
                app.flash = None;
            }
            effects
        }
        Msg::Refused(text) => {
            let t = format!("{}: {text}", labels(app.lang).rejected);
            app.refuse(t);
            Vec::new()
        }
        Msg::Notice { text, error } => {
            // Notices go to the log, so the footer keeps showing the keys; only an
            // error also takes the footer until the next key.
            app.log.push_back(LogLine {
                at_ms: now,
                text: text.clone(),
            });
            if app.log.len() > LOG_LINES {
                app.log.pop_front();
            }
            if error {
                app.say(text, true);
            } else if app.flash.as_ref().is_some_and(|f| f.error) {
                // All clear again (a relay's broadcast back): the trouble is over.
                app.flash = None;
            }
            Vec::new()
        }
        Msg::Key(key) => {
            app.flash = None;
            on_key(app, key)
        }
    }
}

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let dialog = std::mem::replace(&mut app.dialog, Dialog::None);
    // A key an overlay has no use for closes it and then does what it does on the
    // console, so that the footer's keys work whatever is open (the demo opens on
    // the participants screen, and its footer says `s` starts the meeting).
    let closes = |key: KeyEvent| {
        matches!(
            key.code,
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('n' | 'N')
        ) || is_ctrl_c(key)
    };
    match dialog {
        Dialog::None => on_main_key(app, key),
        Dialog::Review(form) => review::on_record_key(app, form, key),
        Dialog::ReviewRate(form) => review::on_rate_key(app, form, key),
        Dialog::Help => match key.code {
            KeyCode::Char('?' | 'q') => Vec::new(),
            _ if closes(key) => Vec::new(),
            _ => on_main_key(app, key),
        },
        Dialog::Participants { selected } => {
            let last = app.state.plan.participants.len().saturating_sub(1);
            let moved = match key.code {
                KeyCode::Up | KeyCode::Char('k') => Some(selected.saturating_sub(1)),
                KeyCode::Down | KeyCode::Char('j') => Some((selected + 1).min(last)),
                KeyCode::PageUp => Some(selected.saturating_sub(10)),
                KeyCode::PageDown => Some((selected + 10).min(last)),
                KeyCode::Home => Some(0),
                KeyCode::End => Some(last),
                _ => None,
            };
            match key.code {
                _ if moved.is_some() => {
                    app.dialog = Dialog::Participants {
                        selected: moved.unwrap_or(selected),
                    };
                    Vec::new()
                }
                KeyCode::Char('b') if app.join.is_some() => {
                    app.dialog = Dialog::Audience;
                    Vec::new()
                }
                // The chair marks who attended: present, late, left early,
                // absent, unmarked, in turn.
                KeyCode::Char(' ') if app.seat == Seat::Chair => {
                    app.dialog = Dialog::Participants { selected };
                    let Some(p) = app.state.plan.participants.get(selected) else {
                        return Vec::new();
                    };
                    let mark = crate::meeting::attendance::Attendance::next(
                        app.state.attendance.get(&p.id).copied(),
                    );
                    vec![Effect::Submit(Command::MarkAttendance {
                        participant: p.id.clone(),
                        mark,
                    })]
                }
                KeyCode::Char('a') if app.seat == Seat::Chair => {
                    app.dialog = Dialog::WalkIn(WalkIn {
                        name: String::new(),
                        role: WALK_IN_ROLES[0],
                        department: 0,
                    });
                    Vec::new()
                }
                KeyCode::Char('i' | 'q') => Vec::new(),
                _ if closes(key) => Vec::new(),
                _ => on_main_key(app, key),
            }
        }
        Dialog::Audience => match key.code {
            KeyCode::Char('i') => {
                app.dialog = Dialog::Participants { selected: 0 };
                Vec::new()
            }
            KeyCode::Char('b' | 'q') => Vec::new(),
            _ if closes(key) => Vec::new(),
            _ => on_main_key(app, key),
        },
        Dialog::ConfirmQuit => match key.code {
            KeyCode::Char('y' | 'Y') => vec![Effect::Quit],
            KeyCode::Char('q') => Vec::new(),
            _ if closes(key) => Vec::new(),
            _ => on_main_key(app, key),
        },
        Dialog::ConfirmNext => match key.code {
            KeyCode::Char('y' | 'Y') => vec![Effect::Submit(Command::NextStep)],
            _ => Vec::new(),
        },
        Dialog::ConfirmEndTurn { then } => match key.code {
            KeyCode::Char('y' | 'Y') => vec![Effect::Submit(then)],
            _ => Vec::new(),
        },
        Dialog::ConfirmReopen { poll } => match key.code {
            KeyCode::Char('y' | 'Y') => vec![Effect::Submit(Command::OpenPoll { poll })],
            _ => Vec::new(),
        },
        Dialog::ConfirmClose => match key.code {
            KeyCode::Char('y' | 'Y') => vec![Effect::Submit(Command::CloseMeeting)],
            KeyCode::Char('x') => Vec::new(),
            _ if closes(key) => Vec::new(),
            _ => on_main_key(app, key),
        },
        Dialog::Pick(purpose, mut picker) => {
            if key.code == KeyCode::Esc || is_ctrl_c(key) {
                return Vec::new();
            }
            if key.code != KeyCode::Enter {
                picker.key(key);
                app.dialog = Dialog::Pick(purpose, picker);
                return Vec::new();
            }
            let Some(id) = picker.chosen().map(String::from) else {
                app.dialog = Dialog::Pick(purpose, picker);
                return Vec::new();
            };
            picked(app, purpose, id)
        }
        Dialog::QueueMode { participant } => {
            let mode = match key.code {
                KeyCode::Char('1') | KeyCode::Enter => Mode::Normal,
                KeyCode::Char('2') => Mode::PointOfOrder,
                KeyCode::Char('3') => Mode::Reply,
                KeyCode::Esc => return Vec::new(),
                _ => return on_main_key(app, key),
            };
            vec![Effect::Submit(Command::QueueAdd { participant, mode })]
        }
        Dialog::Answer {
            question,
            status,
            mut note,
            seen,
        } => {
            let status = match (key.code, status) {
                (KeyCode::Esc, _) => return Vec::new(),
                (KeyCode::Enter, Some(status)) => {
                    let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
                    let now = app.state.question(&question).map_or(0, |q| q.answers.len());
                    if now > seen {
                        app.dialog = Dialog::ConfirmReplace {
                            question,
                            status,
                            note,
                            seen: now,
                        };
                        return Vec::new();
                    }
                    return vec![Effect::Submit(Command::AnswerQuestion {
                        question,
                        status,
                        note,
                        seen_answers: Some(seen),
                    })];
                }
                (KeyCode::Char('1'), None) => Some(Answer::Answered),
                (KeyCode::Char('2'), None) => Some(Answer::FollowUp),
                (KeyCode::Char('3'), None) => Some(Answer::Declined),
                (_, Some(s)) => {
                    edit(&mut note, key);
                    Some(s)
                }
                (_, None) => None,
            };
            app.dialog = Dialog::Answer {
                question,
                status,
                note,
                seen,
            };
            Vec::new()
        }
        Dialog::ConfirmReplace {
            question,
            status,
            note,
            seen,
        } => match key.code {
            KeyCode::Char('y' | 'Y') => vec![Effect::Submit(Command::AnswerQuestion {
                question,
                status,
                note,
                seen_answers: Some(seen),
            })],
            // Anything else keeps the other answer; nothing is lost either way.
            _ => Vec::new(),
        },
        Dialog::QuestionText {
            asker,
            department,
            mut text,
        } => match key.code {
            KeyCode::Esc => Vec::new(),
            KeyCode::Enter if !text.trim().is_empty() => {
                vec![Effect::Submit(Command::SubmitQuestion {
                    department,
                    text,
                    asker: Some(asker),
                })]
            }
            _ => {
                edit(&mut text, key);
                app.dialog = Dialog::QuestionText {
                    asker,
                    department,
                    text,
                };
                Vec::new()
            }
        },
        Dialog::WalkIn(mut form) => {
            let departments = app.state.plan.departments.len().max(1);
            match key.code {
                KeyCode::Esc => {
                    app.dialog = Dialog::Participants { selected: 0 };
                    return Vec::new();
                }
                KeyCode::Enter if !form.name.trim().is_empty() => {
                    let department = (form.role == Role::Department)
                        .then(|| app.state.plan.departments.get(form.department))
                        .flatten()
                        .map(|d| d.id.clone());
                    return vec![Effect::Submit(Command::AddParticipant {
                        name: form.name,
                        role: form.role,
                        sector: None,
                        department,
                    })];
                }
                KeyCode::Tab | KeyCode::BackTab => {
                    let at = WALK_IN_ROLES
                        .iter()
                        .position(|r| *r == form.role)
                        .unwrap_or(0);
                    let step = if key.code == KeyCode::Tab {
                        1
                    } else {
                        WALK_IN_ROLES.len() - 1
                    };
                    form.role = WALK_IN_ROLES[(at + step) % WALK_IN_ROLES.len()];
                }
                KeyCode::Right if form.role == Role::Department => {
                    form.department = (form.department + 1) % departments;
                }
                KeyCode::Left if form.role == Role::Department => {
                    form.department = (form.department + departments - 1) % departments;
                }
                _ => edit(&mut form.name, key),
            }
            app.dialog = Dialog::WalkIn(form);
            Vec::new()
        }
        Dialog::EditQuestion { question, mut text } => match key.code {
            KeyCode::Esc => Vec::new(),
            KeyCode::Enter if !text.trim().is_empty() => {
                vec![Effect::Submit(Command::EditQuestion { question, text })]
            }
            _ => {
                edit(&mut text, key);
                app.dialog = Dialog::EditQuestion { question, text };
                Vec::new()
            }
        },
    }
}

fn is_ctrl_c(key: KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

fn picked(app: &mut App, purpose: Purpose, id: String) -> Vec<Effect> {
    match purpose {
        Purpose::Grant => vec![Effect::Submit(Command::GrantFloor {
            participant: Some(id),
        })],
        Purpose::QueueAdd => {
            app.dialog = Dialog::QueueMode { participant: id };
            Vec::new()
        }
        Purpose::Asker => {
            app.dialog = department_picker(app, id);
            Vec::new()
        }
        Purpose::Department { asker } => {
            app.dialog = Dialog::QuestionText {
                asker,
                department: id,
                text: String::new(),
            };
            Vec::new()
        }
        Purpose::VoteTarget { poll } => {
            app.dialog = choice_picker(app, poll, Some(id));
            Vec::new()
        }
        Purpose::VoteChoice { poll, target } => vec![Effect::Submit(Command::Vote {
            poll,
            choice: id,
            target,
        })],
        Purpose::Step => {
            let (item, step) = id
                .split_once('.')
                .and_then(|(i, s)| Some((i.parse().ok()?, s.parse().ok()?)))
                .unwrap_or((0, 0));
            vec![Effect::Submit(Command::GotoStep { item, step })]
        }
    }
}

fn on_main_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(action) = keys::action_for(key, keys::table(app.seat.table())) else {
        return Vec::new();
    };
    if let Some(why) = app.why_not(action) {
        app.refuse(why);
        return Vec::new();
    }
    let submit = |c: Command| vec![Effect::Submit(c)];
    let s = &app.state;
    match action {
        Action::Start => submit(Command::StartMeeting),
        Action::GrantNext | Action::EndTurn if app.fresh_turn().is_some() => {
            let then = if action == Action::GrantNext {
                Command::GrantFloor { participant: None }
            } else {
                Command::EndSpeech
            };
            app.dialog = Dialog::ConfirmEndTurn { then };
            Vec::new()
        }
        Action::GrantNext => submit(Command::GrantFloor { participant: None }),
        Action::GrantPick => {
            app.dialog = Dialog::Pick(Purpose::Grant, app.participants_picker(Role::may_take_part));
            Vec::new()
        }
        Action::EndTurn => submit(Command::EndSpeech),
        Action::NextStep if !app.leaving_step_warnings().is_empty() => {
            app.dialog = Dialog::ConfirmNext;
            Vec::new()
        }
        Action::NextStep => submit(Command::NextStep),
        Action::PreviousStep => submit(Command::PreviousStep),
        Action::GotoStep => {
            let items = s
                .plan
                .positions()
                .iter()
                .filter_map(|&p| {
                    let step = s.plan.step(p)?;
                    let kind = labels::step_kind(app.lang, step.kind);
                    Some(Item::new(
                        &format!("{}.{}", p.item, p.step),
                        format!("{}.{} {} · {}", p.item + 1, p.step + 1, step.title, kind),
                    ))
                })
                .collect();
            app.dialog = Dialog::Pick(Purpose::Step, Picker::new(items));
            Vec::new()
        }
        Action::ToggleTurnTimer => match &s.floor {
            Some(f) if f.timer.running => submit(Command::PauseTimer {
                timer: TimerName::Floor,
            }),
            _ => submit(Command::ResumeTimer {
                timer: TimerName::Floor,
            }),
        },
        Action::ToggleStepTimer => match &s.step_timer {
            Some(t) if t.running => submit(Command::PauseTimer {
                timer: TimerName::Step,
            }),
            _ => submit(Command::ResumeTimer {
                timer: TimerName::Step,
            }),
        },
        Action::TurnPlus => submit(Command::ExtendTimer {
            timer: TimerName::Floor,
            seconds: 60,
        }),
        Action::TurnMinus => submit(Command::ExtendTimer {
            timer: TimerName::Floor,
            seconds: -60,
        }),
        Action::StepPlus => submit(Command::ExtendTimer {
            timer: TimerName::Step,
            seconds: 60,
        }),
        Action::StepMinus => submit(Command::ExtendTimer {
            timer: TimerName::Step,
            seconds: -60,
        }),
        Action::QueueAdd => {
            app.dialog = Dialog::Pick(
                Purpose::QueueAdd,
                app.participants_picker(Role::may_take_part),
            );
            Vec::new()
        }
        Action::QueueRemove | Action::QueueUp | Action::QueueDown => {
            let Some(entry) = s
                .queue
                .entries
                .get(app.queue_cursor)
                .filter(|_| app.focus == Focus::Queue)
            else {
                return Vec::new();
            };
            let participant = entry.participant.clone();
            let at = app.queue_cursor;
            let to = match action {
                Action::QueueUp => at.checked_sub(1),
                Action::QueueDown => Some(at + 1).filter(|&to| to < s.queue.len()),
                _ => None,
            };
            if to.is_some_and(|to| s.queue.allowed_position(&participant, to) == Some(at)) {
                app.say(labels(app.lang).orders_first.to_string(), true);
                return Vec::new();
            }
            match action {
                Action::QueueRemove => submit(Command::QueueRemove { participant }),
                Action::QueueUp if at > 0 => {
                    app.queue_cursor = at - 1;
                    submit(Command::QueueMove {
                        participant,
                        position: at - 1,
                    })
                }
                Action::QueueDown if at + 1 < s.queue.len() => {
                    app.queue_cursor = at + 1;
                    submit(Command::QueueMove {
                        participant,
                        position: at + 1,
                    })
                }
                _ => Vec::new(),
            }
        }
        Action::ToggleQueue => submit(if s.queue.open {
            Command::CloseQueue
        } else {
            Command::OpenQueue
        }),
        Action::RecordAnswer => {
            // r works from anywhere: it moves to the question list and answers the
            // question under its cursor (the first pending one if the list was not
            // in use yet).
            if app.focus != Focus::Questions {
                app.focus = Focus::Questions;
                if let Some(i) = app
                    .board_questions()
                    .iter()
                    .position(|q| q.status == QuestionStatus::Pending)
                {
                    app.question_cursor = i;
                }
            }
            // (With no question at all, `App::why_not` has said so already.)
            let Some(q) = app.selected_question() else {
                return Vec::new();
            };
            app.dialog = Dialog::Answer {
                question: q.id.clone(),
                status: None,
                note: q.note.clone().unwrap_or_default(),
                seen: q.answers.len(),
            };
            Vec::new()
        }
        Action::RecordQuestion => {
            // A question from the floor is most often the speaker's: the cursor
            // starts on whoever has the floor, else on the first who is not the chair.
            let asker = s.floor.as_ref().map(|f| f.speaker.clone()).or_else(|| {
                s.plan
                    .participants
                    .iter()
                    .find(|p| p.role != Role::Chair && p.role.may_take_part())
                    .map(|p| p.id.clone())
            });
            let picker = app.participants_picker(Role::may_take_part);
            let picker = match &asker {
                Some(id) => picker.at(id),
                None => picker,
            };
            app.dialog = Dialog::Pick(Purpose::Asker, picker);
            Vec::new()
        }
        Action::TogglePoll => {
            let Some(poll) = s
                .step()
                .and_then(|st| st.poll.as_ref())
                .filter(|_| s.step().is_some_and(|st| st.kind.traits().poll))
            else {
                return Vec::new();
            };
            let open = s.polls.get(&poll.id).is_some_and(|p| p.open);
            let id = poll.id.clone();
            if !open && s.polls.contains_key(&id) {
                app.dialog = Dialog::ConfirmReopen { poll: id };
                return Vec::new();
            }
            submit(if open {
                Command::ClosePoll { poll: id }
            } else {
                Command::OpenPoll { poll: id }
            })
        }
        Action::SwitchPane => {
            app.focus = match app.focus {
                Focus::Queue => Focus::Questions,
                Focus::Questions => Focus::Queue,
            };
            Vec::new()
        }
        Action::ReviewCall | Action::ReviewRecord | Action::ReviewRate => {
            review::on_review_key(app, action)
        }
        Action::CursorUp | Action::CursorDown
            if app.in_review() && app.focus == Focus::Questions =>
        {
            let len = app.review_items().len();
            app.review_cursor = if action == Action::CursorUp {
                app.review_cursor.saturating_sub(1)
            } else {
                (app.review_cursor + 1).min(len.saturating_sub(1))
            };
            Vec::new()
        }
        Action::CursorUp | Action::CursorDown => {
            let up = action == Action::CursorUp;
            let (cursor, len) = match app.focus {
                Focus::Queue => (&mut app.queue_cursor, app.state.queue.len()),
                Focus::Questions => (&mut app.question_cursor, app.state.questions.len()),
            };
            *cursor = if up {
                cursor.saturating_sub(1)
            } else {
                (*cursor + 1).min(len.saturating_sub(1))
            };
            Vec::new()
        }
        Action::CloseMeeting => {
            app.dialog = Dialog::ConfirmClose;
            Vec::new()
        }
        Action::Help => {
            app.dialog = Dialog::Help;
            Vec::new()
        }
        Action::Participants => {
            app.dialog = Dialog::Participants {
                selected: app.free_seat().unwrap_or(0),
            };
            Vec::new()
        }
        Action::AudienceCode => {
            app.dialog = Dialog::Audience;
            Vec::new()
        }
        Action::RaiseNormal => submit(Command::RaiseHand { mode: Mode::Normal }),
        Action::RaiseOrder => submit(Command::RaiseHand {
            mode: Mode::PointOfOrder,
        }),
        Action::RaiseReply => submit(Command::RaiseHand { mode: Mode::Reply }),
        Action::Withdraw => submit(Command::WithdrawHand),
        Action::Yield => submit(Command::YieldFloor),
        Action::Ask => {
            let Some(me) = app.me().map(String::from) else {
                return Vec::new();
            };
            app.dialog = department_picker(app, me);
            Vec::new()
        }
        Action::WithdrawQuestion => match app.own_pending_question() {
            Some(q) => submit(Command::WithdrawQuestion {
                question: q.id.clone(),
            }),
            None => Vec::new(),
        },
        Action::EditQuestion => {
            if let Some(q) = app.own_pending_question() {
                app.dialog = Dialog::EditQuestion {
                    question: q.id.clone(),
                    text: q.text.clone(),
                };
            }
            Vec::new()
        }
        Action::Vote => {
            let Some(poll) = app.open_poll().cloned() else {
                return Vec::new();
            };
            app.dialog = if poll.targets.is_empty() {
                choice_picker(app, poll.id.clone(), None)
            } else {
                let items = poll
                    .targets
                    .iter()
                    .map(|t| {
                        Item::new(
                            t,
                            app.state
                                .plan
                                .department(t)
                                .map_or(t.clone(), |d| d.name.clone()),
                        )
                    })
                    .collect();
                Dialog::Pick(
                    Purpose::VoteTarget {
                        poll: poll.id.clone(),
                    },
                    Picker::new(items),
                )
            };
            Vec::new()
        }
        // Nothing to lose in a replay.
        Action::Quit if app.seat == Seat::Replay => vec![Effect::Quit],
        Action::Quit => {
            app.dialog = Dialog::ConfirmQuit;
            Vec::new()
        }
        Action::Replay(r) => vec![Effect::Replay(r, key.code)],
        Action::Desk(_) => Vec::new(),
    }
}

/// Which department a question from `asker` goes to.
fn department_picker(app: &App, asker: String) -> Dialog {
    let items = app
        .state
        .plan
        .departments
        .iter()
        .map(|d| Item::new(&d.id, d.name.clone()))
        .collect();
    Dialog::Pick(Purpose::Department { asker }, Picker::new(items))
}

fn choice_picker(app: &App, poll: String, target: Option<String>) -> Dialog {
    let choices = app
        .state
        .plan
        .poll(&poll)
        .map(|(_, p)| p.choices.clone())
        .unwrap_or_default();
    let items = choices.iter().map(|c| Item::new(c, c.clone())).collect();
    Dialog::Pick(Purpose::VoteChoice { poll, target }, Picker::new(items))
}

/// The status of a question, in the console's words: one still pending when
/// its department's answers ended is followed up after the meeting, which is not
/// the written reply a department promised.
pub fn status_label(lang: Language, q: &Question) -> &'static str {
    let l = labels(lang);
    if q.carried {
        return l.carried;
    }
    match q.status {
        QuestionStatus::Pending => l.pending,
        QuestionStatus::Answered => l.answered,
        QuestionStatus::FollowUp => l.follow_up,
        QuestionStatus::Declined => l.declined,
        QuestionStatus::Withdrawn => crate::lang::status_short(lang, q.status),
    }
}
