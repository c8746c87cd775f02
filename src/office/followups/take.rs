//! A meeting's review events (回头看) → the register: what the chair recorded
//! of an earlier promise, and the asker's rating, become the register's changes,
//! recorded as the secretariat on the meeting's behalf and at the meeting's
//! time. Each event is taken once, by the meeting's journal id and its `seq`
//! (`Office::once`), so the register is the same whether the events are taken
//! as they happen ([`live`]), imported after ([`super::import`]), or both.
//!
//! - delivered: the answer (class A, the chair's note) when the item is open;
//! - in progress: the note as progress, and the new due date;
//! - not delivered: the note as progress;
//! - a rating: the asker's, recorded for them (a dissatisfied one sends it back).

use super::UpdateError;
use crate::journal::Entry;
use crate::meeting::followups::item::Evidence;
use crate::meeting::followups::{Actor, AnswerClass, Command, Date, ItemState};
use crate::meeting::review::Outcome;
use crate::meeting::{EventKind, Plan};
use crate::office::Office;

/// What taking one event did.
#[derive(Debug, Default)]
pub struct Taken {
    /// Changes recorded.
    pub changed: usize,
    /// Taken before (live, or an earlier import).
    pub already: bool,
    /// Why a change could not be made (the register's rules refused it).
    pub refused: Vec<String>,
}

/// Takes one recorded event of the meeting whose key is `meeting` into the
/// register, when it is a review event; any other is left alone.
pub fn take(
    register: &mut Office,
    plan: &Plan,
    meeting: &str,
    entry: &Entry,
    offset_s: i32,
) -> anyhow::Result<Taken> {
    let (seq, at_ms, event) = (entry.seq, entry.at_ms, &entry.event);
    let who = entry
        .actor
        .as_deref()
        .and_then(|a| plan.participant(a))
        .map_or_else(|| "chair".to_string(), |p| p.name.clone());
    let by = Actor::Secretariat {
        name: format!("{} · {who}", plan.meeting.title),
    };
    let today = Date::of_ms(at_ms, offset_s);
    let steps: Vec<(String, Command, Actor)> = match event {
        EventKind::ReviewRecorded {
            item,
            outcome,
            due,
            note,
        } => {
            let Some(now) = register.item(item)? else {
                return Ok(Taken {
                    refused: vec![format!("{item} is not in the register")],
                    ..Taken::default()
                });
            };
            let note_or = |said: &str| note.clone().unwrap_or_else(|| said.to_string());
            let progress = |title: &str| Command::Progress {
                evidence: Evidence {
                    date: today,
                    title: title.to_string(),
                    text: note.clone().unwrap_or_default(),
                    by: who.clone(),
                },
            };
            let open = now.state.is_open();
            match outcome {
                Outcome::Delivered if open => vec![(
                    item.clone(),
                    Command::Answer {
                        class: AnswerClass::A,
                        text: note_or("回头看：已落实"),
                    },
                    by.clone(),
                )],
                Outcome::Delivered => Vec::new(),
                Outcome::InProgress => {
                    let mut steps = Vec::new();
                    if open {
                        steps.push((item.clone(), progress("回头看：正在办理"), by.clone()));
                    }
                    if let Some(due) = due {
                        steps.push((item.clone(), Command::SetDue { due: *due }, by.clone()));
                    }
                    steps
                }
                Outcome::NotDelivered if open => {
                    vec![(item.clone(), progress("回头看：未落实"), by.clone())]
                }
                Outcome::NotDelivered => Vec::new(),
            }
        }
        EventKind::ReviewRated {
            item,
            rating,
            reason,
        } => {
            let answered = register
                .item(item)?
                .is_some_and(|i| i.state == ItemState::Answered);
            if answered {
                vec![(
                    item.clone(),
                    Command::Rate {
                        rating: *rating,
                        reason: reason.clone(),
                    },
                    by.clone(),
                )]
            } else {
                Vec::new()
            }
        }
        _ => return Ok(Taken::default()),
    };
    let Some(done) = register.once((meeting, seq), &steps, at_ms, offset_s)? else {
        return Ok(Taken {
            already: true,
            ..Taken::default()
        });
    };
    let mut taken = Taken::default();
    for result in done {
        match result {
            Ok(_) => taken.changed += 1,
            Err(UpdateError::Refused(r)) => taken.refused.push(r.to_string()),
            Err(UpdateError::NoSuchItem(id)) => {
                taken.refused.push(format!("{id} is not in the register"))
            }
            Err(UpdateError::Store(e)) => return Err(e),
        }
    }
    Ok(taken)
}

/// What is called with each event a live meeting records (the hub's observer).
pub type Taker = Box<dyn FnMut(&Entry) + Send>;

/// The register taking a live meeting's review events as they are recorded:
/// what the hub calls with each event (cheap: a review event is sent to a
/// thread of its own, which owns the register). When the register cannot be
/// opened or written the meeting goes on, the log says so and how to catch up
/// (`followups import JOURNAL`, which takes what was missed, once).
pub fn live(
    register: std::path::PathBuf,
    plan: std::sync::Arc<Plan>,
    (journal, header): (&std::path::Path, &crate::journal::Header),
    offset_s: i32,
) -> anyhow::Result<Taker> {
    // The meeting's key is its header's, as an import works it out.
    let key = super::meeting_key(header);
    let journal = journal.display().to_string();
    let (send, receive) = std::sync::mpsc::channel::<Entry>();
    let thread = std::thread::Builder::new()
        .name("register".into())
        .spawn(move || {
            let mut open: Option<Office> = None;
            for entry in receive {
                let taken = match open.take() {
                    Some(r) => Ok(r),
                    None => Office::open_existing(&register),
                }
                .and_then(|mut r| {
                    let taken = take(&mut r, &plan, &key, &entry, offset_s)?;
                    // Kept for the next one; opened again after a failure.
                    open = Some(r);
                    Ok(taken)
                });
                match taken {
                    Ok(taken) => {
                        for why in taken.refused {
                            tracing::warn!(seq = entry.seq, "the register did not take a review: {why}");
                        }
                    }
                    Err(e) => tracing::error!(
                        "the register cannot take the review (seq {}): {e:#}; the meeting goes on, and `xieshang followups --register {} import {journal}` takes it in later",
                        entry.seq,
                        register.display()
                    ),
                }
            }
        })?;
    // Dropped with the hub's observer as the meeting stops: what was sent is
    // written before the process goes on to exit.
    struct Writing {
        send: Option<std::sync::mpsc::Sender<Entry>>,
        thread: Option<std::thread::JoinHandle<()>>,
    }
    impl Drop for Writing {
        fn drop(&mut self) {
            drop(self.send.take());
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
    }
    let writing = Writing {
        send: Some(send),
        thread: Some(thread),
    };
    Ok(Box::new(move |entry: &Entry| {
        if matches!(
            entry.event,
            EventKind::ReviewRecorded { .. } | EventKind::ReviewRated { .. }
        ) {
            if let Some(send) = &writing.send {
                let _ = send.send(entry.clone());
            }
        }
    }))
}

/// What takes a live meeting's review events into `register` (the one its
/// plan names, worked out by whoever loaded the plan); `None` when the plan
/// reviews nothing. Said in the log when it cannot start: the meeting runs
/// without it.
pub fn taker(
    plan: &std::sync::Arc<Plan>,
    register: Option<&std::path::Path>,
    (journal, header): (&std::path::Path, &crate::journal::Header),
) -> Option<Taker> {
    plan.review_items().next()?;
    let offset_s = crate::office::DEFAULT_UTC_OFFSET_HOURS * 3600;
    match live(
        register?.to_path_buf(),
        plan.clone(),
        (journal, header),
        offset_s,
    ) {
        Ok(taker) => Some(taker),
        Err(e) => {
            tracing::error!("the register will not take this meeting's review as it happens: {e:#}; `xieshang followups import` takes it in after");
            None
        }
    }
}
