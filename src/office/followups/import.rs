//! A meeting's promises into the register: every question a department promised
//! a written reply to, and every question left unanswered (carried over, or never
//! reached): the minutes' follow-ups, each an item
//! whose id is the meeting's key and the question's (`20261119-3fa2c1/q3`), so
//! that importing the same journal again adds nothing.

use crate::meeting::followups::item::{Asker, Origin};
use crate::meeting::followups::{rules, Actor, Date};
use crate::meeting::question::QuestionStatus;
use crate::meeting::{apply, EventKind, State};
use crate::office::Office;
use anyhow::Context;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// The ids of the items it added.
    pub added: Vec<String>,
    /// Promises already in the register.
    pub already: usize,
    /// Said when the journal's last line was cut off (it is left out).
    pub warning: Option<String>,
    /// Changes its review steps (回头看) made to earlier items.
    pub reviewed: usize,
    /// Review events whose change the register's rules refused, and why.
    pub review_notes: Vec<String>,
}

/// `--due` before the meeting was held: a promise cannot be due before it was
/// made. Refused before anything is written; the command line says it in its
/// language (`lang` of the catalogue's `due_before_meeting`).
#[derive(Debug, thiserror::Error)]
#[error("{journal}: the due date {due} is before the meeting was held ({held})")]
pub struct DueBeforeMeeting {
    pub journal: String,
    pub due: Date,
    pub held: Date,
}

/// How an import goes: when its items are due, who imports, when, in which zone.
#[derive(Debug, Clone, Copy)]
pub struct Importing<'a> {
    /// Due on this day, else the plan's `follow_up_days` after the meeting,
    /// else two months after it.
    pub due: Option<Date>,
    /// Who imports (the secretariat's person).
    pub by: &'a Actor,
    pub now_ms: u64,
    /// The zone the meeting's day is taken in, seconds east of UTC.
    pub offset_s: i32,
}

/// Imports the promises of the meeting recorded in `journal`.
pub fn import(register: &mut Office, journal: &Path, how: Importing) -> anyhow::Result<Imported> {
    let Importing {
        due,
        by,
        now_ms,
        offset_s,
    } = how;
    if !journal.is_file() {
        anyhow::bail!("cannot read {}: no such file", journal.display());
    }
    let read = crate::journal::read(journal)
        .with_context(|| format!("{} is not a meeting's journal", journal.display()))?;
    let warning = read.torn.as_ref().map(|t| t.warning(journal));
    let plan = Arc::new(read.header.plan.clone());
    let mut state = State::new(plan.clone());
    // Where each promise was recorded: the answer that promised a written reply,
    // or the carrying over.
    let mut recorded: HashMap<String, u64> = HashMap::new();
    let mut started = None;
    for entry in &read.entries {
        apply(&mut state, &entry.to_event());
        match &entry.event {
            EventKind::MeetingStarted => {
                started.get_or_insert(entry.at_ms);
            }
            EventKind::QuestionAnswered { question, .. } => {
                recorded.insert(question.clone(), entry.seq);
            }
            EventKind::QuestionsCarried { questions } => {
                for q in questions {
                    recorded.insert(q.clone(), entry.seq);
                }
            }
            _ => {}
        }
    }
    let held = plan
        .meeting
        .date
        .as_deref()
        .and_then(Date::parse)
        .unwrap_or_else(|| {
            // The day it was held where it was held: the plan's time zone
            // (+08:00 unless it names one), as its minutes say it.
            let zone = plan.meeting.utc_offset_s.unwrap_or(offset_s);
            Date::of_ms(started.unwrap_or(read.header.created_at_ms), zone)
        });
    if let Some(due) = due.filter(|d| *d < held) {
        return Err(DueBeforeMeeting {
            journal: journal.display().to_string(),
            due,
            held,
        }
        .into());
    }
    let key = super::meeting_key(&read.header);
    let lang = plan.meeting.language;
    let words = &crate::lang::catalogue::of(lang).followups;
    let mut out = Imported {
        warning,
        ..Imported::default()
    };
    // `--due`, else the plan's `follow_up_days` after the meeting, else two months.
    let due = due.or_else(|| {
        plan.meeting
            .follow_up_days
            .map(|days| held.add_days(days as i32))
    });
    let mut items = Vec::new();
    for q in &state.questions {
        // A written reply the department promised; or a question the room
        // left unanswered (carried over, or never reached), which the minutes
        // list as a follow-up too, and which promised nothing.
        let (promise, unanswered) = match q.status {
            QuestionStatus::FollowUp => (words.written_reply, false),
            QuestionStatus::Pending => (words.carried, true),
            _ => continue,
        };
        let asker = state.plan.participant(&q.asker);
        // A department is known beyond this meeting by the roster's
        // organisation it names, else by its id in the plan.
        let (department_id, department) = state.plan.department(&q.department).map_or_else(
            || (q.department.clone(), q.department.clone()),
            |d| {
                let id = d.organisation.clone().unwrap_or_else(|| d.id.clone());
                (id, d.name.clone())
            },
        );
        let origin = Origin {
            meeting: plan.meeting.title.clone(),
            journal_id: key.clone(),
            journal: journal.display().to_string(),
            date: held,
            seq: recorded.get(&q.id).copied().unwrap_or(0),
            question: q.id.clone(),
            text: q.text.clone(),
            asker: Asker {
                participant: q.asker.clone(),
                name: asker.map_or_else(|| q.asker.clone(), |p| p.name.clone()),
                role: asker.map_or("", |p| p.role.as_str()).to_string(),
                sector: asker.and_then(|p| p.sector.clone()),
                person: asker.and_then(|p| p.person.clone()),
            },
            said: q.note.clone(),
            topic: plan.meeting.topic.clone(),
        };
        items.push(rules::create(
            rules::NewItem {
                id: format!("{key}/{}", q.id),
                origin,
                department: (department_id, department),
                promise: promise.to_string(),
                unanswered,
                due,
            },
            now_ms,
        ));
    }
    // One transaction for the whole meeting: one wait for the disk.
    for (item, added) in items.iter().zip(register.insert_items(&items, by)?) {
        if added {
            out.added.push(item.id.clone());
        } else {
            out.already += 1;
        }
    }
    // The topic it took up (立题) knows the meeting: topic → meeting.
    if let Some(number) = &plan.meeting.topic {
        register
            .link_meeting(number, &key, by.name(), now_ms)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    // What its review steps found of earlier promises, each event once.
    for entry in &read.entries {
        if matches!(
            entry.event,
            EventKind::ReviewRecorded { .. } | EventKind::ReviewRated { .. }
        ) {
            let taken = super::take::take(register, &plan, &key, entry, offset_s)?;
            out.reviewed += taken.changed;
            out.review_notes.extend(taken.refused);
        }
    }
    Ok(out)
}
