//! `xieshang replay JOURNAL`: the chair's console, read-only, playing a recorded
//! meeting by its own times. Play and pause, 1× to 64×, jump between steps and
//! turns at the floor, seek by ten seconds, a minute, or a tenth of the meeting.
//!
//! [`Player`] is the model (no IO, no clock: elapsed time comes in as an
//! argument); [`run`] is the terminal loop around it.

use super::app::{update, App, Effect, Msg, ReplayBar, Seat};
use super::keys::Replay;
use crate::meeting::plan::Language;
use crate::meeting::State;
use crate::replay::Timeline;
use crossterm::event::{KeyCode, KeyEvent};
use std::time::Duration;

/// The speeds `+` and `-` step through.
pub const SPEEDS: [f64; 7] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
/// How many events before the position a seek puts in the log.
const LOG_TAIL: usize = 40;
/// Events folded one by one (with a log line each) when playing forward; beyond
/// this a move is a seek.
const STEP_LIMIT: usize = 2048;

pub struct Player {
    pub app: App,
    timeline: Timeline,
    position: u64,
    playing: bool,
    speed: f64,
    /// Replay time not yet added to the position (below a millisecond).
    carry: f64,
    /// How many events the console's state holds.
    applied: usize,
}

impl Player {
    pub fn new(timeline: Timeline, lang: Language, journal: String, speed: f64) -> Player {
        let mut app = App::new(State::new(timeline.plan().clone()), lang, journal);
        app.seat = Seat::Replay;
        let mut player = Player {
            app,
            timeline,
            position: 0,
            playing: true,
            speed: speed.clamp(0.25, 64.0),
            carry: 0.0,
            applied: 0,
        };
        player.seek(0);
        player
    }

    /// Says `text` on the log as an error (a torn journal).
    pub fn warn(&mut self, text: String) {
        update(&mut self.app, Msg::Notice { text, error: true }, 0);
        self.refresh();
    }

    pub fn position(&self) -> u64 {
        self.position
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// How many events the state on screen holds.
    pub fn applied(&self) -> usize {
        self.applied
    }

    /// Plays on by `elapsed` of wall time; stops at the end.
    pub fn tick(&mut self, elapsed: Duration) {
        if !self.playing {
            return;
        }
        self.carry += elapsed.as_secs_f64() * 1000.0 * self.speed;
        let whole = self.carry.floor();
        self.carry -= whole;
        let to = self.position.saturating_add(whole as u64);
        self.go(to);
        if self.position >= self.timeline.total_ms() {
            self.playing = false;
            self.refresh();
        }
    }

    /// Moves to `to`: forward a little by folding the events in between (each
    /// logged), anywhere else by a seek.
    pub fn go(&mut self, to: u64) {
        let to = to.min(self.timeline.total_ms());
        let n = self.timeline.events_by(to);
        if n >= self.applied && n - self.applied <= STEP_LIMIT {
            let entries = self.timeline.entries()[self.applied..n].to_vec();
            if !entries.is_empty() {
                update(&mut self.app, Msg::Recorded(entries), 0);
            }
            self.applied = n;
            self.position = to;
            self.refresh();
        } else {
            self.seek(to);
        }
    }

    /// Puts the console at `to`: the state from the nearest kept copy, and the
    /// last events before it in the log.
    pub fn seek(&mut self, to: u64) {
        let to = to.min(self.timeline.total_ms());
        let n = self.timeline.events_by(to);
        let base = n.saturating_sub(LOG_TAIL);
        self.app.state = self.timeline.state_after(base);
        self.app.log.clear();
        self.app.flash = None;
        let tail = self.timeline.entries()[base..n].to_vec();
        update(&mut self.app, Msg::Recorded(tail), 0);
        self.applied = n;
        self.position = to;
        self.carry = 0.0;
        self.refresh();
    }

    fn refresh(&mut self) {
        self.app.now_ms = self.timeline.clock_at(self.position);
        self.app.replay = Some(ReplayBar {
            position_ms: self.position,
            total_ms: self.timeline.total_ms(),
            speed: self.speed,
            playing: self.playing,
            steps: self.timeline.steps().to_vec(),
        });
    }

    /// A click (or a drag) at (`column`, `row`) of a screen of `area`: on the
    /// timeline bar it seeks there.
    pub fn click(&mut self, area: ratatui::layout::Rect, column: u16, row: u16) {
        if self.app.dialog != super::app::Dialog::None {
            return;
        }
        if let Some(to) = super::view::replay_time_at(&self.app, area, column, row) {
            self.go(to);
        }
    }

    /// Handles a key; true when the viewer quits.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let now = self.app.now_ms;
        for effect in update(&mut self.app, Msg::Key(key), now) {
            match effect {
                Effect::Quit => return true,
                Effect::Replay(action, code) => self.act(action, code),
                // A replay changes nothing.
                Effect::Submit(_) | Effect::Bell => {}
            }
        }
        self.refresh();
        false
    }

    fn act(&mut self, action: Replay, code: KeyCode) {
        let t = &self.timeline;
        let (pos, total) = (self.position, t.total_ms());
        let to = match action {
            Replay::PlayPause => {
                if !self.playing && pos >= total {
                    self.seek(0);
                }
                self.playing = !self.playing;
                self.refresh();
                None
            }
            Replay::Faster | Replay::Slower => {
                let i = SPEEDS.iter().position(|&s| s >= self.speed).unwrap_or(0);
                self.speed = if action == Replay::Faster {
                    SPEEDS[(i + usize::from(SPEEDS[i] <= self.speed)).min(SPEEDS.len() - 1)]
                } else {
                    SPEEDS[i.saturating_sub(1)]
                };
                None
            }
            Replay::NextStep => t.next_step(pos),
            Replay::PreviousStep => t.previous_step(pos),
            Replay::NextTurn => t.next_turn(pos),
            Replay::PreviousTurn => t.previous_turn(pos),
            Replay::Forward => Some(pos + 10_000),
            Replay::Back => Some(pos.saturating_sub(10_000)),
            Replay::ForwardMinute => Some(pos + 60_000),
            Replay::BackMinute => Some(pos.saturating_sub(60_000)),
            Replay::Start => Some(0),
            Replay::End => Some(total),
            Replay::Tenth => match code {
                KeyCode::Char(c @ '0'..='9') => Some(total / 10 * (c as u64 - '0' as u64)),
                _ => None,
            },
        };
        if let Some(to) = to {
            self.go(to);
        }
    }
}

/// Plays on the terminal until the viewer quits or `stop` resolves (a signal:
/// `cmd::replay` opens the journal and listens for it).
pub async fn drive(
    mut player: Player,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    use crossterm::event::{Event, EventStream, KeyEventKind};
    use crossterm::event::{MouseButton, MouseEventKind};
    use futures_util::StreamExt;
    tokio::pin!(stop);
    let mut terminal = ratatui::init();
    // Clicks on the timeline bar seek (the terminal's own text selection then
    // needs Shift, as in most full-screen programs).
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);
    let mut keys = EventStream::new();
    let mut last = std::time::Instant::now();
    let outcome = loop {
        let now = std::time::Instant::now();
        player.tick(now - last);
        last = now;
        if let Err(e) = terminal.draw(|frame| frame.render_widget(&player.app, frame.area())) {
            break Err(e.into());
        }
        let wait = if player.playing() {
            Duration::from_millis(100)
        } else {
            Duration::from_secs(3600)
        };
        tokio::select! {
            event = keys.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    if player.key(key) {
                        break Ok(());
                    }
                }
                Some(Ok(Event::Mouse(m)))
                    if matches!(m.kind, MouseEventKind::Down(MouseButton::Left) | MouseEventKind::Drag(MouseButton::Left)) =>
                {
                    if let Ok(size) = terminal.size() {
                        player.click(ratatui::layout::Rect::new(0, 0, size.width, size.height), m.column, m.row);
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => break Err(e.into()),
                None => break Ok(()),
            },
            _ = tokio::time::sleep(wait) => {}
            _ = &mut stop => break Ok(()),
        }
    };
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
    super::console::restore_terminal(terminal);
    outcome
}
