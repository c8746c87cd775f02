//! The topics console on a terminal: draw, keys → `update`, and the
//! `Effect`s carried out by asking a [`Topics`] — a small trait, so the
//! console knows nothing of where topics are kept (`cmd::topics` implements
//! it over the office's file). What a page writes meanwhile (a support, a
//! signature) shows within two seconds.

use super::{update, Effect, HistoryLine, Msg, TopicDesk};
use crate::meeting::topics::{Command, Topic};

/// What the console asks of the office.
pub trait Topics {
    fn topics(&mut self) -> anyhow::Result<Vec<Topic>>;
    fn history(&mut self, id: &str) -> anyhow::Result<Vec<HistoryLine>>;
    /// Records `command` on topic `id` as the desk's secretariat, at
    /// `now_ms`: the topic as it is now, or why not.
    fn record(&mut self, id: &str, command: &Command, now_ms: u64) -> Result<Topic, String>;
}

/// Runs the console until it is quit or `stop` resolves.
pub async fn drive(
    mut desk: TopicDesk,
    office: &mut impl Topics,
    now: impl Fn() -> u64,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    use crossterm::event::{Event, EventStream, KeyEventKind};
    use futures_util::StreamExt;
    tokio::pin!(stop);
    let mut terminal = ratatui::init();
    let mut keys = EventStream::new();
    let mut watch = tokio::time::interval(std::time::Duration::from_secs(2));
    watch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let outcome: anyhow::Result<()> = 'run: loop {
        if let Err(e) = terminal.draw(|f| f.render_widget(&desk, f.area())) {
            break Err(e.into());
        }
        let msg = tokio::select! {
            key = keys.next() => match key {
                Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => Msg::Key(k),
                Some(Ok(_)) => continue,
                Some(Err(e)) => break Err(e.into()),
                None => break Ok(()),
            },
            _ = watch.tick() => {
                // Not while a form is being filled: it would not change it,
                // and a person typing sees nothing move.
                if desk.form.is_some() {
                    continue;
                }
                let topics = office.topics()?;
                if topics == desk.all {
                    continue;
                }
                Msg::Loaded(topics)
            }
            _ = &mut stop => break Ok(()),
        };
        let mut effects = update(&mut desk, msg);
        while let Some(effect) = effects.pop() {
            let answer = match effect {
                Effect::Quit => break 'run Ok(()),
                Effect::Load => Msg::Loaded(office.topics()?),
                Effect::History(id) => {
                    let lines = office.history(&id)?;
                    Msg::History(id, lines)
                }
                Effect::Record { id, command } => {
                    Msg::Recorded(office.record(&id, &command, now()).map(Box::new))
                }
            };
            effects.extend(update(&mut desk, answer));
        }
    };
    super::super::console::restore_terminal(terminal);
    outcome
}
