//! The secretariat's desk (`tui::desk`) over the office's file: the desk asks
//! its small `Register` trait, answered here with the file's queries.

use crate::meeting::followups::{Actor, Command, Ctx, Item};
use crate::meeting::plan::Language;
use crate::office::followups::Filter;
use crate::office::Office;
use crate::tui::desk::{Desk, HistoryLine, Listing};

/// The register as the desk sees it: the office's file, and who records.
struct Kept {
    office: Office,
    lang: Language,
    offset_s: i32,
    by: Actor,
}

/// The office's filter for what the desk lists.
fn filter(listing: &Listing) -> Filter {
    Filter {
        department: listing.department.clone(),
        state: listing.state,
        overdue_on: listing.overdue_on,
        ..Filter::default()
    }
}

impl crate::tui::desk::Register for Kept {
    fn page(
        &mut self,
        listing: &Listing,
        offset: usize,
        limit: usize,
    ) -> anyhow::Result<(Vec<Item>, usize)> {
        let filter = filter(listing);
        let items = self.office.items_page(&filter, offset, limit, false)?;
        let total = self.office.count_items(&filter)?;
        Ok((items, total as usize))
    }

    fn position(&mut self, listing: &Listing, id: &str) -> anyhow::Result<Option<usize>> {
        Ok(self
            .office
            .item_position(&filter(listing), id)?
            .map(|n| n as usize))
    }

    fn departments(&mut self) -> anyhow::Result<Vec<(String, String)>> {
        self.office.lead_departments()
    }

    fn item(&mut self, id: &str) -> anyhow::Result<Option<Item>> {
        self.office.item(id)
    }

    fn history(&mut self, id: &str) -> anyhow::Result<Vec<HistoryLine>> {
        let w = &crate::lang::catalogue::of(self.lang).followups;
        Ok(self
            .office
            .item_history(id)?
            .into_iter()
            .map(|e| HistoryLine {
                version: e.version,
                at_ms: e.at_ms,
                who: e.actor.name().to_string(),
                what: crate::lang::followups::change_word(w, &e.change),
            })
            .collect())
    }

    fn last_change(&mut self) -> anyhow::Result<u64> {
        self.office.last_change()
    }

    fn record(&mut self, id: &str, command: &Command, now_ms: u64) -> Result<Item, String> {
        let ctx = Ctx {
            actor: &self.by,
            now_ms,
            offset_s: self.offset_s,
            seen: None,
        };
        self.office
            .update_item(id, command, ctx)
            .map_err(|e| super::why_not(self.lang, &e, &self.office))
    }
}

/// The secretariat's desk on `office` until quit or a signal; `fixed_now`
/// holds the clock at `--today`.
pub(super) fn run(
    office: Office,
    lang: Language,
    offset_s: i32,
    by: Actor,
    fixed_now: Option<u64>,
) -> anyhow::Result<()> {
    crate::tui::console::needs_a_terminal("followups", "use followups list or export")?;
    let now = move || fixed_now.unwrap_or_else(crate::clock::now_ms);
    let mut kept = Kept {
        office,
        lang,
        offset_s,
        by,
    };
    let desk = Desk::new(lang, offset_s, now());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let stop = crate::signals::Stop::listen_with_hangup()?;
        crate::tui::desk::drive(desk, &mut kept, now, async move {
            stop.requested().await;
        })
        .await
    })
}
