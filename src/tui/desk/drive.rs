//! The desk on a terminal: draw, keys → `update`, and the `Effect`s carried
//! out by asking a [`Register`] — a small trait, so the desk knows nothing of
//! where the items are kept (`cmd::followups` implements it over the office's
//! file). What another process writes (a department's page, another desk) is
//! shown within a second: the register's last change is asked every second.

use super::{update, Desk, Effect, HistoryLine, Msg};
use crate::meeting::followups::{Command, Item};

/// What the desk asks of the register it shows.
pub trait Register {
    /// Every item, without its evidence.
    fn items(&mut self) -> anyhow::Result<Vec<Item>>;
    /// One item whole, its evidence included.
    fn item(&mut self, id: &str) -> anyhow::Result<Option<Item>>;
    /// An item's history, oldest first.
    fn history(&mut self, id: &str) -> anyhow::Result<Vec<HistoryLine>>;
    /// The last change's number: larger whenever anyone wrote anything.
    fn last_change(&mut self) -> anyhow::Result<u64>;
    /// Records `command` on item `id` as the desk's secretariat, at `now_ms`:
    /// the item as it is now, or why not.
    fn record(&mut self, id: &str, command: &Command, now_ms: u64) -> Result<Item, String>;
}

/// Runs the desk on the terminal until it is quit or `stop` resolves (a
/// signal, which `cmd` listens for); `now` tells the time (fixed by `--today`).
pub async fn drive(
    mut desk: Desk,
    register: &mut impl Register,
    now: impl Fn() -> u64,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    use crossterm::event::{Event, EventStream, KeyEventKind};
    use futures_util::StreamExt;
    tokio::pin!(stop);
    let mut terminal = ratatui::init();
    let mut keys = EventStream::new();
    let mut seen = register.last_change()?;
    let mut watch = tokio::time::interval(std::time::Duration::from_secs(1));
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
            _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => Msg::Now(now()),
            _ = watch.tick() => {
                let last = register.last_change()?;
                if last == seen {
                    continue;
                }
                seen = last;
                Msg::Loaded(register.items()?)
            }
            _ = &mut stop => break Ok(()),
        };
        let mut effects = update(&mut desk, msg);
        while let Some(effect) = effects.pop() {
            let answer = match effect {
                Effect::Quit => break 'run Ok(()),
                Effect::Load => {
                    seen = register.last_change()?;
                    Msg::Loaded(register.items()?)
                }
                Effect::History(id) => {
                    let lines = register.history(&id)?;
                    // The item whole (a list leaves its evidence out).
                    if let Some(item) = register.item(&id)? {
                        effects.extend(update(&mut desk, Msg::Item(Box::new(item))));
                    }
                    Msg::History(id, lines)
                }
                Effect::Record { id, command } => {
                    let done = register.record(&id, &command, now());
                    if done.is_ok() {
                        // Its own change: nothing to load again for it.
                        seen = register.last_change()?;
                    }
                    Msg::Recorded(done.map(Box::new))
                }
            };
            effects.extend(update(&mut desk, answer));
        }
    };
    super::super::console::restore_terminal(terminal);
    outcome
}
