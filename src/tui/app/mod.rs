//! The chair console's model and its update function (The Elm Architecture): keys
//! and recorded events come in as messages; commands for the hub go out as effects.
//! Nothing here does IO or reads a clock.

mod can;
mod dialog;
pub mod earlier_promises;
mod main;
mod warn;

pub use dialog::{Dialog, Purpose, WalkIn, WALK_IN_ROLES};

use super::keys;
use super::labels::{self, labels};
use crate::journal::Entry;
use crate::meeting::plan::Language;
use crate::meeting::question::{Question, QuestionStatus};
use crate::meeting::{apply, Command, Role, State};
use crossterm::event::{KeyCode, KeyEvent};
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    /// A refusal fades (meeting time, ms): by then the meeting has moved on and
    /// the footer's keys matter more than why a key did nothing.
    pub until_ms: Option<u64>,
}

/// How long a refusal stays above the footer.
pub const REFUSAL_MS: u64 = 5_000;

/// How long any other notice stays (an alert, a notice of trouble): long enough
/// to be read, never so long that it stands for what is no longer so.
pub const NOTICE_MS: u64 = 8_000;

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
    /// The hall's token (the audience's): its page only watches, and its code
    /// is the one on the wall and the projector.
    pub audience: Option<String>,
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
            until_ms: Some(self.now_ms + NOTICE_MS),
        });
    }

    /// Whether the screen changes by itself soon: a clock runs, or a notice is
    /// yet to fade.
    pub fn redraw_soon(&self) -> bool {
        self.clock_running()
            || self
                .flash
                .as_ref()
                .is_some_and(|f| f.until_ms.is_some() && f.shown(self.now_ms))
    }

    fn clamp_cursors(&mut self) {
        self.queue_cursor = self
            .queue_cursor
            .min(self.state.queue.len().saturating_sub(1));
        self.question_cursor = self
            .question_cursor
            .min(self.state.questions.len().saturating_sub(1));
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
                // The room's screen keeps trouble up until it is over.
                if app.seat == Seat::Projector {
                    if let Some(f) = &mut app.flash {
                        f.until_ms = None;
                    }
                }
            } else if app.flash.as_ref().is_some_and(|f| f.error) {
                // All clear again (a relay's broadcast back): the trouble is over.
                app.flash = None;
            }
            Vec::new()
        }
        Msg::Key(key) => {
            app.flash = None;
            dialog::on_key(app, key)
        }
    }
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
