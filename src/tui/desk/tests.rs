//! The desk's paging, on a register in memory: a window of the list held,
//! never the whole; every item reached by the keys; filters asked of the store.

use super::drive::{carry_out, Register};
use super::*;
use crate::meeting::followups::item::{Asker, Origin};
use crate::meeting::followups::{rules, standing};
use crossterm::event::KeyCode;

const DAY_MS: u64 = 86_400_000;

/// A register in memory that answers as the office's file does.
struct Memory {
    items: Vec<Item>,
    today: Date,
    /// The longest page asked for.
    longest: usize,
}

impl Memory {
    fn listed(&self, listing: &Listing) -> Vec<&Item> {
        let mut found: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| {
                listing
                    .department
                    .as_ref()
                    .is_none_or(|d| &i.department == d)
            })
            .filter(|i| listing.state.is_none_or(|s| i.state == s))
            .filter(|i| {
                listing
                    .overdue_on
                    .is_none_or(|day| i.state.is_open() && i.deadline() < day)
            })
            .collect();
        found.sort_by_key(|i| (!i.state.is_open(), i.deadline(), i.id.clone()));
        found
    }
}

impl Register for Memory {
    fn page(
        &mut self,
        listing: &Listing,
        offset: usize,
        limit: usize,
    ) -> anyhow::Result<(Vec<Item>, usize)> {
        self.longest = self.longest.max(limit);
        let found = self.listed(listing);
        let page = found.iter().skip(offset).take(limit);
        Ok((page.map(|&i| i.clone()).collect(), found.len()))
    }

    fn position(&mut self, listing: &Listing, id: &str) -> anyhow::Result<Option<usize>> {
        Ok(self.listed(listing).iter().position(|i| i.id == id))
    }

    fn departments(&mut self) -> anyhow::Result<Vec<(String, String)>> {
        let mut all: Vec<_> = self
            .items
            .iter()
            .map(|i| (i.department.clone(), i.department_name.clone()))
            .collect();
        all.sort();
        all.dedup();
        Ok(all)
    }

    fn item(&mut self, id: &str) -> anyhow::Result<Option<Item>> {
        Ok(self.items.iter().find(|i| i.id == id).cloned())
    }

    fn history(&mut self, _: &str) -> anyhow::Result<Vec<HistoryLine>> {
        Ok(Vec::new())
    }

    fn last_change(&mut self) -> anyhow::Result<u64> {
        Ok(1)
    }

    fn record(&mut self, id: &str, _: &Command, _: u64) -> Result<Item, String> {
        // Answered: it goes down among those closed.
        let item = self.items.iter_mut().find(|i| i.id == id).unwrap();
        item.state = ItemState::Answered;
        item.version += 1;
        Ok(item.clone())
    }
}

/// `n` items over four departments, due a day apart around `today`, every
/// seventh answered.
fn register(n: usize, today: Date) -> Memory {
    let items = (0..n)
        .map(|k| {
            let held = today.add_days(-100);
            let mut item = rules::create(
                rules::NewItem {
                    id: format!("m{:04}/q{}", k / 10, k % 10 + 1),
                    origin: Origin {
                        meeting: "a meeting".into(),
                        journal_id: format!("m{:04}", k / 10),
                        journal: "m.journal".into(),
                        date: held,
                        seq: k as u64,
                        question: format!("q{}", k % 10 + 1),
                        text: "When is the subsidy paid?".into(),
                        asker: Asker {
                            participant: "m01".into(),
                            name: "Ma Wenjing".into(),
                            role: "member".into(),
                            sector: None,
                            person: None,
                        },
                        said: None,
                        topic: None,
                    },
                    department: (format!("d{}", k % 4), format!("Bureau {}", k % 4)),
                    promise: "a written reply".into(),
                    unanswered: false,
                    due: Some(today.add_days((k as i32 * 7919) % 200 - 100)),
                },
                0,
            );
            if k % 7 == 0 {
                item.state = ItemState::Answered;
            }
            item
        })
        .collect();
    Memory {
        items,
        today,
        longest: 0,
    }
}

fn key(desk: &mut Desk, memory: &mut Memory, code: KeyCode) {
    let effects = update(desk, Msg::Key(code.into()));
    assert!(carry_out(desk, memory, effects, &|| 0, &mut 0).unwrap());
    assert!(desk.all.len() <= WINDOW, "the desk holds a window, not all");
}

fn desk_now(memory: &Memory) -> u64 {
    (memory.today.end_ms(8 * 3600) as u64) - DAY_MS / 2
}

fn started(memory: &mut Memory) -> Desk {
    let mut desk = Desk::new(Language::Zh, 8 * 3600, desk_now(memory));
    let start = desk.start();
    assert!(carry_out(&mut desk, memory, start, &|| 0, &mut 0).unwrap());
    desk
}

#[test]
fn the_desk_holds_a_window_and_reaches_every_item() {
    let today = Date::parse("2027-06-01").unwrap();
    let mut memory = register(1_000, today);
    let order: Vec<String> = memory
        .listed(&Listing::default())
        .iter()
        .map(|i| i.id.clone())
        .collect();
    let mut desk = started(&mut memory);
    assert_eq!((desk.total, desk.all.len()), (1_000, WINDOW));
    assert_eq!(
        desk.current().unwrap().id,
        order[0],
        "the longest overdue first"
    );
    assert_eq!(desk.departments.len(), 4);

    // Row by row through every item: each reached, in the list's order.
    let mut seen = vec![desk.current().unwrap().id.clone()];
    for _ in 1..1_000 {
        key(&mut desk, &mut memory, KeyCode::Down);
        seen.push(desk.current().unwrap().id.clone());
    }
    assert_eq!(seen, order);
    key(&mut desk, &mut memory, KeyCode::Down);
    assert_eq!(
        desk.current().unwrap().id,
        order[999],
        "no row past the last"
    );

    // Home, End and a screen at a time.
    key(&mut desk, &mut memory, KeyCode::Home);
    assert_eq!((desk.selected, &desk.current().unwrap().id), (0, &order[0]));
    key(&mut desk, &mut memory, KeyCode::PageDown);
    assert_eq!(desk.current().unwrap().id, order[PAGE_STEP]);
    key(&mut desk, &mut memory, KeyCode::End);
    assert_eq!(desk.current().unwrap().id, order[999]);
    assert!(desk.first > 0, "the end's window, not the first");
    key(&mut desk, &mut memory, KeyCode::PageUp);
    assert_eq!(desk.current().unwrap().id, order[999 - PAGE_STEP]);
    assert_eq!(memory.longest, WINDOW, "never more asked for than a window");
}

#[test]
fn the_desk_filters_by_asking_the_store_and_follows_a_recorded_item() {
    let today = Date::parse("2027-06-01").unwrap();
    let mut memory = register(1_000, today);
    let mut desk = started(&mut memory);
    // A department: the first, d0.
    key(&mut desk, &mut memory, KeyCode::Char('d'));
    assert_eq!(desk.total, 250);
    assert!(desk.all.iter().all(|i| i.department == "d0"));
    // Overdue only, within it.
    key(&mut desk, &mut memory, KeyCode::Char('o'));
    let overdue = memory
        .items
        .iter()
        .filter(|i| i.department == "d0" && standing(i, desk.now_ms, desk.offset_s).overdue)
        .count();
    assert!(overdue > 0 && overdue < 250);
    assert_eq!(desk.total, overdue);
    assert!(desk
        .all
        .iter()
        .all(|i| standing(i, desk.now_ms, desk.offset_s).overdue));
    key(&mut desk, &mut memory, KeyCode::Char('o'));
    assert_eq!(desk.total, 250);

    // An answer recorded: the item goes down among those closed, and stays
    // selected there.
    let id = desk.current().unwrap().id.clone();
    let effects = vec![Effect::Record {
        id: id.clone(),
        command: Command::SetPublic { public: true },
    }];
    assert!(carry_out(&mut desk, &mut memory, effects, &|| 0, &mut 0).unwrap());
    let now = desk.current().unwrap();
    assert_eq!((&now.id, now.state), (&id, ItemState::Answered));
    assert!(
        desk.selected > 100,
        "among those closed, below the open ones"
    );
    assert!(desk.all.len() <= WINDOW);
}
