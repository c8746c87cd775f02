//! The desk on a terminal: draw, keys → `update`, and the `Effect`s carried
//! out by asking a [`Register`] — a small trait, so the desk knows nothing of
//! where the items are kept (`cmd::followups` implements it over the office's
//! file). What another process writes (a department's page, another desk) is
//! shown within a second: the register's last change is asked every second.

use super::{update, Desk, Effect, HistoryLine, Listing, Msg, Page};
use crate::meeting::followups::{Command, Item};

/// What the desk asks of the register it shows.
pub trait Register {
    /// The items `listing` finds (filtered by the register), open first and
    /// the longest overdue first, from the `offset`-th, at most `limit` and
    /// without their evidence; and how many it finds in all.
    fn page(
        &mut self,
        listing: &Listing,
        offset: usize,
        limit: usize,
    ) -> anyhow::Result<(Vec<Item>, usize)>;
    /// Where item `id` stands in that order (0 the first), if `listing` finds it.
    fn position(&mut self, listing: &Listing, id: &str) -> anyhow::Result<Option<usize>>;
    /// The departments that lead items (id, name), by id.
    fn departments(&mut self) -> anyhow::Result<Vec<(String, String)>>;
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
    let mut seen = 0;
    // The first screen, before the terminal is taken (a failure said plainly).
    let start = desk.start();
    carry_out(&mut desk, register, start, &now, &mut seen)?;
    let mut terminal = ratatui::init();
    let mut keys = EventStream::new();
    let mut watch = tokio::time::interval(std::time::Duration::from_secs(1));
    watch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let outcome: anyhow::Result<()> = loop {
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
            _ = watch.tick() => match register.last_change() {
                Ok(last) if last == seen => continue,
                Ok(_) => Msg::Changed,
                Err(e) => break Err(e),
            },
            _ = &mut stop => break Ok(()),
        };
        let effects = update(&mut desk, msg);
        match carry_out(&mut desk, register, effects, &now, &mut seen) {
            Ok(true) => continue,
            Ok(false) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    super::super::console::restore_terminal(terminal);
    outcome
}

/// Carries out `effects` and those their answers bring, in turn: `false` when
/// one of them is to quit. `seen` is the register's last change read with it.
pub(super) fn carry_out(
    desk: &mut Desk,
    register: &mut impl Register,
    mut effects: Vec<Effect>,
    now: &impl Fn() -> u64,
    seen: &mut u64,
) -> anyhow::Result<bool> {
    while let Some(effect) = effects.pop() {
        let answer = match effect {
            Effect::Quit => return Ok(false),
            Effect::Page {
                listing,
                offset,
                limit,
            } => {
                // Read before the page: a change after it is shown next tick.
                *seen = register.last_change()?;
                let (items, total) = register.page(&listing, offset, limit)?;
                Msg::Page(Page {
                    listing,
                    offset,
                    items,
                    total,
                })
            }
            Effect::Locate { listing, id } => {
                let at = register.position(&listing, &id)?;
                Msg::Located(id, at)
            }
            Effect::Departments => Msg::Departments(register.departments()?),
            Effect::History(id) => {
                let lines = register.history(&id)?;
                // The item whole (a list leaves its evidence out).
                if let Some(item) = register.item(&id)? {
                    effects.extend(update(desk, Msg::Item(Box::new(item))));
                }
                Msg::History(id, lines)
            }
            Effect::Record { id, command } => {
                let done = register.record(&id, &command, now());
                Msg::Recorded(done.map(Box::new))
            }
        };
        effects.extend(update(desk, answer));
    }
    Ok(true)
}
