//! Minutes (会议纪要) from a meeting's journal: who attended, each step planned
//! against actual time with its turns at the floor, the questions to departments
//! and how each was answered, the follow-ups, the evaluation, speaking statistics.
//!
//! [`build`] folds the recorded events once and gathers everything as data
//! ([`Minutes`], which is also the `--format json` output); [`markdown`] and
//! [`html`] lay it out in the plan's language. Nothing here reads a clock: times
//! are shown in the UTC offset given.

pub mod html;
pub mod markdown;
pub mod words;

use crate::journal::{Header, JournalError, Torn};
use crate::meeting::plan::{Language, Participant, Plan, Position};
use crate::meeting::question::{Question, QuestionStatus};
use crate::meeting::stats::{stats, Speaking};
use crate::meeting::{apply, Event, EventKind, Mode, Role, State, StepKind, TurnEnd};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Minutes {
    pub language: Language,
    pub title: String,
    /// The date the journal's clock says the meeting started; the plan's
    /// `date` beside it, marked, when the two disagree (or it never started).
    pub date: Option<String>,
    pub venue: Option<String>,
    /// The number of the topic this meeting took up (立题), when a topic made
    /// its plan: topic → meeting → promise.
    pub topic: Option<String>,
    /// Who chaired (主持人), from the plan.
    pub chair: Option<String>,
    /// Local times (`HH:MM`) in `utc_offset`.
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub started_ms: Option<u64>,
    pub ended_ms: Option<u64>,
    pub duration_ms: u64,
    /// Whether the chair closed the meeting (otherwise the record just stops).
    pub closed: bool,
    pub utc_offset: String,
    pub attendance: Attendance,
    pub items: Vec<ItemMinutes>,
    pub questions: Vec<QuestionMinutes>,
    /// Questions promised a written answer or left pending, by department.
    pub follow_ups: Vec<FollowUps>,
    /// 回头看: each earlier promise a review step brought back, as the register
    /// had it before and as this meeting found it.
    pub reviews: Vec<Reviewed>,
    pub evaluations: Vec<Evaluation>,
    pub statistics: Statistics,
    pub record: RecordInfo,
}

/// An earlier promise reviewed (回头看): before, and what this meeting found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reviewed {
    pub id: String,
    pub department_name: String,
    pub asker_name: String,
    pub question: String,
    pub promise: String,
    /// In the register when the meeting began: its state, deadline, days overdue.
    pub state_before: String,
    pub deadline: String,
    pub days_over: i32,
    /// Called in the meeting.
    pub called: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<crate::meeting::review::Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<crate::meeting::followups::Rating>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// The department's name, for a department's representative.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// How their attendance is known (in the attendance lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<Known>,
}

/// How someone's attendance is known: the chair's mark first, then what the
/// record shows they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Known {
    /// The chair marked them (present, late, left early, or absent).
    Marked(crate::meeting::attendance::Attendance),
    /// They connected to the meeting.
    Connected,
    /// They spoke, asked, voted or otherwise acted in it.
    TookPart,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attendance {
    /// 实到 and those expected who did not come (应到 is both): the people
    /// who take part, never an observer's seat (a journalist, or the screen
    /// that shows the room).
    pub present: Vec<Person>,
    pub absent: Vec<Person>,
    /// Observers (列席) who were there: named apart, counted in neither.
    pub observers: Vec<Person>,
    pub by_role: Vec<Count<Role>>,
    pub by_sector: Vec<Count<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count<K> {
    pub key: K,
    pub present: usize,
    pub expected: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemMinutes {
    pub title: String,
    pub steps: Vec<StepMinutes>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepMinutes {
    pub title: String,
    pub kind: StepKind,
    pub planned_ms: u64,
    pub actual_ms: u64,
    pub held: bool,
    /// Local `HH:MM` of the step's first start.
    pub started_at: Option<String>,
    pub turns: Vec<TurnMinutes>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TurnMinutes {
    pub participant: String,
    pub name: String,
    pub role: Role,
    /// The department's name or the sector, when there is one.
    pub affiliation: Option<String>,
    pub mode: Mode,
    /// Local `HH:MM:SS`.
    pub started_at: String,
    pub spoken_ms: u64,
    pub overtime_ms: u64,
    /// How it ended; `None` for a turn still running when the record stops.
    pub ended: Option<TurnEnd>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionMinutes {
    pub id: String,
    pub asker: String,
    pub asker_name: String,
    pub department: String,
    pub department_name: String,
    pub text: String,
    pub status: QuestionStatus,
    pub note: Option<String>,
    /// Still pending when the departments' answers ended.
    pub carried: bool,
    pub asked_at: String,
    /// Every answer, in order, with who gave it; the last is `status` and `note`.
    pub answers: Vec<AnswerMinutes>,
    /// Its follow-up item's id in the register, when it is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub register_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerMinutes {
    /// Who recorded the answer: the department's representative, or the chair.
    pub by: String,
    pub by_name: String,
    /// Who answered for the department: the representative who recorded it, or,
    /// when the chair recorded it, the department itself.
    pub answerer: String,
    /// The chair recorded it (the note is the chair's record of what was said).
    pub recorded_by_chair: bool,
    pub status: QuestionStatus,
    pub note: Option<String>,
    pub at: String,
}

impl AnswerMinutes {
    /// Who answered, and who recorded it when that was the chair.
    fn who(&self, lang: Language) -> String {
        match (self.recorded_by_chair, lang) {
            (true, Language::Zh) => format!("{}，主持人{}记录", self.answerer, self.by_name),
            (true, Language::En) => {
                format!("{}, recorded by the chair, {}", self.answerer, self.by_name)
            }
            (false, _) => self.answerer.clone(),
        }
    }
}

impl QuestionMinutes {
    /// What a follow-up is, as the follow-ups section says it: a written reply
    /// the department promised, or a question the room left unanswered, which
    /// promised nothing.
    pub fn follow_up_word(&self, lang: Language) -> &'static str {
        match self.status {
            QuestionStatus::Pending => crate::lang::catalogue::of(lang).followups.carried,
            other => words::status(lang, other),
        }
    }

    /// The note of the last answer, said as whose it is: the department's words,
    /// or the chair's record of them.
    pub fn note_said(&self, lang: Language) -> Option<String> {
        let note = self.note.as_deref()?;
        let chair = self.answers.last().is_some_and(|a| a.recorded_by_chair);
        Some(match (chair, lang) {
            (true, Language::Zh) => format!("主持人记录：{note}"),
            (true, Language::En) => format!("the chair's record: {note}"),
            (false, _) => note.to_string(),
        })
    }

    /// How the question ended, who answered, and any answer a later one replaced.
    pub fn outcome(&self, lang: Language, w: &words::Words) -> String {
        let zh = lang == Language::Zh;
        // Left unanswered and carried: said as what it is, not as pending.
        let mut s = if self.carried {
            self.follow_up_word(lang).to_string()
        } else {
            words::status(lang, self.status).to_string()
        };
        if let Some(last) = self.answers.last() {
            s = if zh {
                format!("{s}（{}）", last.who(lang))
            } else {
                format!("{s} ({})", last.who(lang))
            };
        }
        for a in self.answers.iter().rev().skip(1) {
            let status = words::status(lang, a.status);
            let note = a.note.as_deref().map_or(String::new(), |n| {
                if zh {
                    format!("：{n}")
                } else {
                    format!(": {n}")
                }
            });
            s.push_str(&if zh {
                format!("；{} {} {} {status}{note}", w.earlier, a.who(lang), a.at)
            } else {
                format!(
                    "; {} {} at {}, {status}{note}",
                    w.earlier,
                    a.who(lang),
                    a.at
                )
            });
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUps {
    pub department: String,
    pub department_name: String,
    pub questions: Vec<QuestionMinutes>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub poll: String,
    pub step: String,
    pub held: bool,
    pub results: Vec<Rating>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    /// A department's id, or `None` for one overall rating.
    pub target: Option<String>,
    pub target_name: Option<String>,
    pub voters: usize,
    pub counts: Vec<ChoiceCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceCount {
    pub choice: String,
    pub votes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statistics {
    /// Everyone who spoke, in plan order.
    pub by_participant: Vec<SpeakingRow>,
    pub by_sector: Vec<SpeakingRow>,
    pub by_role: Vec<SpeakingRow>,
    /// Those who could have spoken (not the chair, not observers) and did not.
    pub not_spoken: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeakingRow {
    /// A participant's id, a sector's name, or a role.
    pub key: String,
    pub name: String,
    pub turns: u32,
    pub spoken_ms: u64,
    pub overtime_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordInfo {
    pub events: u64,
    pub plan_sha256: String,
    /// The journal's last line was torn by a crash and is left out.
    pub torn: bool,
}

/// Everything the minutes need to know while the events are folded.
struct Fold {
    state: State,
    /// Who connected, and who acted (spoke, asked, voted …).
    connected: BTreeSet<String>,
    present: BTreeSet<String>,
    first_start: Vec<Option<u64>>,
    events: u64,
    last_at: u64,
}

impl Fold {
    fn event(&mut self, e: &Event) {
        self.events += 1;
        self.last_at = self.last_at.max(e.at_ms);
        if let Some(actor) = &e.actor {
            self.present.insert(actor.clone());
        }
        match &e.kind {
            EventKind::PresenceChanged {
                participant,
                online: true,
            } => {
                self.connected.insert(participant.clone());
            }
            EventKind::FloorGranted { participant, .. }
            | EventKind::QuestionSubmitted {
                asker: participant, ..
            } => {
                self.present.insert(participant.clone());
            }
            EventKind::VoteCast { voter, .. } => {
                self.present.insert(voter.clone());
            }
            EventKind::StepStarted { item, step, .. } => {
                let at = Position {
                    item: *item,
                    step: *step,
                };
                if let Some(slot) = self
                    .state
                    .plan
                    .ordinal(at)
                    .and_then(|o| self.first_start.get_mut(o))
                {
                    slot.get_or_insert(e.at_ms);
                }
            }
            _ => {}
        }
        apply(&mut self.state, e);
    }
}

/// The minutes of the meeting recorded under `header`, from its events in order;
/// times shown at `utc_offset_s` seconds east of UTC.
pub fn build(
    header: &Header,
    events: impl IntoIterator<Item = Event>,
    utc_offset_s: i32,
) -> Minutes {
    let plan = Arc::new(header.plan.clone());
    let mut fold = Fold {
        state: State::new(plan.clone()),
        connected: BTreeSet::new(),
        present: BTreeSet::new(),
        first_start: vec![None; plan.positions().len()],
        events: 0,
        last_at: 0,
    };
    for e in events {
        fold.event(&e);
    }
    let clock = Clock::new(utc_offset_s);
    let state = &fold.state;
    let end = state.closed_ms.unwrap_or(fold.last_at);
    let started = state.started_ms;
    let date = meeting_date(&plan, started, &clock);
    Minutes {
        language: plan.meeting.language,
        title: plan.meeting.title.clone(),
        date,
        venue: plan.meeting.venue.clone(),
        topic: plan.meeting.topic.clone(),
        chair: plan.chair().map(|c| c.name.clone()),
        started_at: started.map(|ms| clock.hm(ms)),
        ended_at: started.map(|_| clock.hm(end)),
        started_ms: started,
        ended_ms: started.map(|_| end),
        duration_ms: started.map_or(0, |s| end.saturating_sub(s)),
        closed: state.closed_ms.is_some(),
        utc_offset: clock.offset_text(),
        // The plan as the meeting ended: walk-ins included.
        attendance: attendance(state, &fold.connected, &fold.present),
        items: items(state, &fold.first_start, end, &clock),
        questions: state
            .questions
            .iter()
            .map(|q| question(&state.plan, q, &clock))
            .collect(),
        follow_ups: follow_ups(state, &clock),
        reviews: reviews(state),
        evaluations: evaluations(state),
        statistics: statistics(state, end),
        record: RecordInfo {
            events: fold.events,
            plan_sha256: header.plan_sha256.clone(),
            torn: false,
        },
    }
}

/// Reads a journal and builds its minutes, with times at `utc_offset_s` (or, when
/// not given, the plan's time zone: +08:00 unless it names one). A torn last line
/// (a crash while recording) is left out and reported; an empty file, a file that
/// is not a journal, or a corrupt line is an error that says so.
pub fn from_journal(
    path: &Path,
    utc_offset_s: Option<i32>,
) -> Result<(Header, Minutes, Option<Torn>), JournalError> {
    let mut events = Vec::new();
    let scan = crate::journal::scan(path, |_, entry| events.push(entry.into_event()))?;
    // One time zone for the record: the plan's (+08:00 unless it says), as the
    // register's, whatever the machine that writes the minutes is set to.
    let offset = utc_offset_s.unwrap_or_else(|| scan.header.plan.meeting.utc_offset_s());
    let mut minutes = build(&scan.header, events, offset);
    minutes.record.torn = scan.torn.is_some();
    Ok((scan.header, minutes, scan.torn))
}

impl Minutes {
    /// Names each follow-up by its item in the register, where `id_of` finds one.
    pub fn name_follow_ups(&mut self, id_of: impl Fn(&str) -> Option<String>) {
        for d in &mut self.follow_ups {
            for q in &mut d.questions {
                q.register_id = id_of(&q.id);
            }
        }
    }
}

/// How the minutes are written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Json,
    Html,
}

impl Format {
    /// The format a file name asks for: `.html`, `.json`, else Markdown.
    pub fn of_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some("html" | "htm") => Format::Html,
            Some("json") => Format::Json,
            _ => Format::Md,
        }
    }

    pub fn render(self, m: &Minutes) -> String {
        match self {
            Format::Md => markdown::render(m),
            Format::Html => html::render(m),
            Format::Json => {
                // Nothing in it drives the terminal it is printed on (`text::json`).
                let mut s =
                    crate::text::json(&serde_json::to_string_pretty(m).expect("minutes serialize"));
                s.push('\n');
                s
            }
        }
    }
}

fn person(plan: &Plan, p: &Participant) -> Person {
    Person {
        id: p.id.clone(),
        name: p.name.clone(),
        role: p.role,
        sector: p.sector.clone(),
        department: department_name(plan, p),
        known: None,
    }
}

fn department_name(plan: &Plan, p: &Participant) -> Option<String> {
    p.department.as_deref().map(|d| {
        plan.department(d)
            .map_or(d, |d| d.name.as_str())
            .to_string()
    })
}

/// Who attended, and how each is known: the chair's mark decides where there is
/// one (a room where only the chair has a terminal); otherwise having connected,
/// or having spoken, asked or voted.
fn attendance(state: &State, connected: &BTreeSet<String>, acted: &BTreeSet<String>) -> Attendance {
    let plan = &state.plan;
    let mut a = Attendance {
        present: Vec::new(),
        absent: Vec::new(),
        observers: Vec::new(),
        by_role: Vec::new(),
        by_sector: Vec::new(),
    };
    for p in &plan.participants {
        let known = match state.attendance.get(&p.id) {
            Some(mark) => Some(Known::Marked(*mark)),
            None if connected.contains(&p.id) => Some(Known::Connected),
            None if acted.contains(&p.id) => Some(Known::TookPart),
            None => None,
        };
        let here = match known {
            Some(Known::Marked(mark)) => mark.attended(),
            Some(_) => true,
            None => false,
        };
        let who = Person {
            known,
            ..person(plan, p)
        };
        if !p.role.may_take_part() {
            // Watching is not attending: an observer's seat (whose token may
            // be the hall's screen) is no one 应到 or 实到.
            if here {
                a.observers.push(who);
            }
            continue;
        }
        if here {
            a.present.push(who);
        } else {
            a.absent.push(who);
        }
        count(&mut a.by_role, p.role, here);
        if let Some(sector) = &p.sector {
            count(&mut a.by_sector, sector.clone(), here);
        }
    }
    a.by_role.sort_by_key(|c| c.key);
    a
}

fn count<K: PartialEq>(into: &mut Vec<Count<K>>, key: K, here: bool) {
    let i = match into.iter().position(|c| c.key == key) {
        Some(i) => i,
        None => {
            into.push(Count {
                key,
                present: 0,
                expected: 0,
            });
            into.len() - 1
        }
    };
    into[i].expected += 1;
    into[i].present += usize::from(here);
}

fn items(state: &State, first_start: &[Option<u64>], end: u64, clock: &Clock) -> Vec<ItemMinutes> {
    let plan = &state.plan;
    let mut out = Vec::new();
    for (i, item) in plan.agenda.iter().enumerate() {
        let mut steps = Vec::new();
        for (s, step) in item.steps.iter().enumerate() {
            let at = Position { item: i, step: s };
            let ordinal = plan.ordinal(at).unwrap_or(0);
            let started = first_start.get(ordinal).copied().flatten();
            let mut turns: Vec<TurnMinutes> = state
                .turns
                .iter()
                .filter(|t| t.at == Some(at))
                .map(|t| TurnMinutes {
                    spoken_ms: t.spoken_ms,
                    overtime_ms: t.overtime_ms,
                    ended: Some(t.reason),
                    ..turn(plan, &t.participant, t.mode, t.started_ms, clock)
                })
                .collect();
            if let (Some(f), Some(p)) = (&state.floor, state.position) {
                if p == at {
                    turns.push(TurnMinutes {
                        spoken_ms: f.timer.elapsed_at(end),
                        overtime_ms: f.timer.overtime_at(end),
                        ended: None,
                        ..turn(plan, &f.speaker, f.mode, f.since_ms, clock)
                    });
                }
            }
            steps.push(StepMinutes {
                title: step.title.clone(),
                kind: step.kind,
                planned_ms: step.duration_ms,
                actual_ms: state.step_time(at, end),
                held: started.is_some(),
                started_at: started.map(|ms| clock.hm(ms)),
                turns,
            });
        }
        out.push(ItemMinutes {
            title: item.title.clone(),
            steps,
        });
    }
    out
}

/// One date, from the record: the plan's `date` is only what was planned, so it
/// is shown (marked) only when it is not the day the meeting started.
fn meeting_date(plan: &Plan, started: Option<u64>, clock: &Clock) -> Option<String> {
    let lang = plan.meeting.language;
    let planned_word = words::words(lang).planned_date;
    let planned = plan.meeting.date.as_deref();
    let Some(ms) = started else {
        return planned.map(|p| match lang {
            Language::Zh => format!("{p}（{planned_word}）"),
            Language::En => format!("{p} ({planned_word})"),
        });
    };
    let recorded = clock.date(ms, lang);
    let agrees = planned.is_none_or(|p| {
        chrono::NaiveDate::parse_from_str(p.trim(), "%Y-%m-%d")
            .is_ok_and(|d| d == clock.at(ms).date_naive())
    });
    Some(match planned {
        Some(p) if !agrees => match lang {
            Language::Zh => format!("{recorded}（{planned_word} {p}）"),
            Language::En => format!("{recorded} ({planned_word} {p})"),
        },
        _ => recorded,
    })
}

fn turn(plan: &Plan, id: &str, mode: Mode, started_ms: u64, clock: &Clock) -> TurnMinutes {
    let p = plan.participant(id);
    TurnMinutes {
        participant: id.to_string(),
        name: p.map_or(id, |p| p.name.as_str()).to_string(),
        role: p.map_or(Role::Observer, |p| p.role),
        affiliation: p.and_then(|p| department_name(plan, p).or_else(|| p.sector.clone())),
        mode,
        started_at: clock.hms(started_ms),
        spoken_ms: 0,
        overtime_ms: 0,
        ended: None,
    }
}

fn question(plan: &Plan, q: &Question, clock: &Clock) -> QuestionMinutes {
    QuestionMinutes {
        id: q.id.clone(),
        asker: q.asker.clone(),
        asker_name: plan
            .participant(&q.asker)
            .map_or(q.asker.as_str(), |p| p.name.as_str())
            .to_string(),
        department: q.department.clone(),
        department_name: plan
            .department(&q.department)
            .map_or(q.department.as_str(), |d| d.name.as_str())
            .to_string(),
        text: q.text.clone(),
        status: q.status,
        note: q.note.clone(),
        carried: q.carried,
        asked_at: clock.hms(q.asked_ms),
        register_id: None,
        answers: q
            .answers
            .iter()
            .map(|a| {
                let recorder = plan.participant(&a.by);
                let by_chair = recorder.is_some_and(|p| p.role == crate::meeting::Role::Chair);
                let by_name = recorder
                    .map_or(a.by.as_str(), |p| p.name.as_str())
                    .to_string();
                let department = plan
                    .department(&q.department)
                    .map_or(q.department.as_str(), |d| d.name.as_str());
                AnswerMinutes {
                    by: a.by.clone(),
                    // The department is always named: the chair recorded its
                    // answer, or its representative (named with it) gave it.
                    answerer: if by_chair || by_name.contains(department) {
                        if by_chair {
                            department.to_string()
                        } else {
                            by_name.clone()
                        }
                    } else {
                        format!("{department} {by_name}")
                    },
                    by_name,
                    recorded_by_chair: by_chair,
                    status: a.status.into(),
                    note: a.note.clone(),
                    at: clock.hms(a.at_ms),
                }
            })
            .collect(),
    }
}

/// Every earlier promise the plan's review steps brought back, in agenda order.
fn reviews(state: &State) -> Vec<Reviewed> {
    state
        .plan
        .review_items()
        .map(|(_, i)| {
            let found = state.reviews.items.get(&i.id);
            Reviewed {
                id: i.id.clone(),
                department_name: i.department_name.clone(),
                asker_name: i.asker_name.clone(),
                question: i.question.clone(),
                promise: i.promise.clone(),
                state_before: i.state.clone(),
                deadline: i.deadline.to_string(),
                days_over: i.days_over,
                called: found.is_some_and(|r| r.called_ms.is_some()),
                outcome: found.and_then(|r| r.outcome),
                due: found.and_then(|r| r.due).map(|d| d.to_string()),
                note: found.and_then(|r| r.note.clone()),
                rating: found.and_then(|r| r.rating),
                reason: found.and_then(|r| r.reason.clone()),
            }
        })
        .collect()
}

impl Reviewed {
    /// Before, as one phrase: `办理中，2027-02-06 前办结，逾期 12 天`.
    pub fn before(&self, lang: Language) -> String {
        let f = &crate::lang::catalogue::of(lang).followups;
        let state = crate::meeting::followups::ItemState::parse(&self.state_before)
            .map_or(self.state_before.as_str(), |s| {
                crate::lang::followups::state_word(f, s)
            });
        match (lang, self.days_over > 0) {
            (Language::Zh, true) => format!(
                "{state}，{} 前办结，逾期 {} 天",
                self.deadline, self.days_over
            ),
            (Language::Zh, false) => format!("{state}，{} 前办结", self.deadline),
            (Language::En, true) => format!(
                "{state}, due {}, {} days overdue",
                self.deadline, self.days_over
            ),
            (Language::En, false) => format!("{state}, due {}", self.deadline),
        }
    }

    /// After, as one phrase: what was found, a new date, the note, the rating.
    pub fn after(&self, lang: Language) -> String {
        let f = &crate::lang::catalogue::of(lang).followups;
        let w = &crate::lang::catalogue::of(lang).minutes;
        let Some(outcome) = self.outcome else {
            return if self.called {
                w.review_not_recorded
            } else {
                w.review_not_called
            }
            .to_string();
        };
        let mut parts = vec![crate::lang::followups::outcome_word(f, outcome).to_string()];
        if let Some(d) = &self.due {
            parts.push(match lang {
                Language::Zh => format!("{d} 前办结"),
                Language::En => format!("due {d}"),
            });
        }
        if let Some(n) = &self.note {
            parts.push(n.clone());
        }
        if let Some(r) = self.rating {
            let said = crate::lang::followups::rating_word(f, r);
            parts.push(match &self.reason {
                Some(why) => format!("{}：{said}（{why}）", w.asker),
                None => format!("{}：{said}", w.asker),
            });
        }
        parts.join(if lang == Language::Zh { "；" } else { "; " })
    }
}

fn follow_ups(state: &State, clock: &Clock) -> Vec<FollowUps> {
    let plan = &state.plan;
    plan.departments
        .iter()
        .filter_map(|d| {
            let questions: Vec<QuestionMinutes> = state
                .questions
                .iter()
                .filter(|q| {
                    q.department == d.id
                        && matches!(q.status, QuestionStatus::FollowUp | QuestionStatus::Pending)
                })
                .map(|q| question(plan, q, clock))
                .collect();
            (!questions.is_empty()).then(|| FollowUps {
                department: d.id.clone(),
                department_name: d.name.clone(),
                questions,
            })
        })
        .collect()
}

fn evaluations(state: &State) -> Vec<Evaluation> {
    let plan = &state.plan;
    plan.positions()
        .iter()
        .filter_map(|&at| {
            let step = plan.step(at)?;
            let poll = step.poll.as_ref()?;
            let recorded = state.polls.get(&poll.id);
            // A secret poll's tallies as its closing told them (the journal has
            // its votes, never their choices).
            let results = recorded
                .and_then(|r| r.shown_results(poll))
                .unwrap_or_default()
                .into_iter()
                .map(|t| Rating {
                    target_name: t.target.as_deref().map(|id| {
                        plan.department(id)
                            .map_or(id, |d| d.name.as_str())
                            .to_string()
                    }),
                    target: t.target,
                    voters: t.voters,
                    counts: t
                        .counts
                        .into_iter()
                        .map(|(choice, votes)| ChoiceCount { choice, votes })
                        .collect(),
                })
                .collect();
            Some(Evaluation {
                poll: poll.id.clone(),
                step: step.title.clone(),
                held: recorded.is_some(),
                results,
            })
        })
        .collect()
}

fn statistics(state: &State, end: u64) -> Statistics {
    let plan = &state.plan;
    let s = stats(state, end);
    let row = |key: String, name: String, sp: &Speaking| SpeakingRow {
        key,
        name,
        turns: sp.turns,
        spoken_ms: sp.spoken_ms,
        overtime_ms: sp.overtime_ms,
    };
    Statistics {
        by_participant: s
            .by_participant
            .iter()
            .filter(|(_, sp)| sp.turns > 0)
            .map(|(id, sp)| {
                let name = plan
                    .participant(id)
                    .map_or(id.as_str(), |p| p.name.as_str());
                row(id.clone(), name.to_string(), sp)
            })
            .collect(),
        by_sector: s
            .by_sector
            .iter()
            .map(|(sector, sp)| row(sector.clone(), sector.clone(), sp))
            .collect(),
        by_role: s
            .by_role
            .iter()
            .map(|(role, sp)| row(role.as_str().to_string(), role.as_str().to_string(), sp))
            .collect(),
        not_spoken: s
            .not_spoken
            .iter()
            .filter_map(|id| plan.participant(id))
            .map(|p| person(plan, p))
            .collect(),
    }
}

/// Local times at a fixed offset from UTC.
struct Clock {
    offset: chrono::FixedOffset,
}

impl Clock {
    fn new(utc_offset_s: i32) -> Clock {
        Clock {
            offset: chrono::FixedOffset::east_opt(utc_offset_s)
                .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("UTC")),
        }
    }

    fn at(&self, ms: u64) -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::from_timestamp_millis(ms as i64)
            .unwrap_or_default()
            .with_timezone(&self.offset)
    }

    fn hm(&self, ms: u64) -> String {
        self.at(ms).format("%H:%M").to_string()
    }

    fn hms(&self, ms: u64) -> String {
        self.at(ms).format("%H:%M:%S").to_string()
    }

    fn date(&self, ms: u64, lang: Language) -> String {
        match lang {
            Language::Zh => self.at(ms).format("%Y年%-m月%-d日").to_string(),
            Language::En => self.at(ms).format("%-d %B %Y").to_string(),
        }
    }

    fn offset_text(&self) -> String {
        self.offset.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_dated(date: Option<&str>) -> Plan {
        let mut text = String::from("[meeting]\ntitle = \"会\"\nlanguage = \"zh\"\n");
        if let Some(d) = date {
            text.push_str(&format!("date = \"{d}\"\n"));
        }
        text.push_str("[[participants]]\nid = \"c\"\nname = \"主席\"\nrole = \"chair\"\n[[agenda]]\ntitle = \"议题\"\n[[agenda.steps]]\nkind = \"discuss\"\ntitle = \"讨论\"\nduration = \"5m\"\n");
        crate::meeting::scenario::parse_plan("p.toml", &text).unwrap()
    }

    #[test]
    fn a_walk_in_is_in_the_attendance_and_named_as_an_asker() {
        use crate::meeting::{execute, Command, Ctx, Role};
        let plan = plan_dated(None);
        let mut state = crate::meeting::State::new(Arc::new(plan.clone()));
        let mut events = Vec::new();
        let t = 1_795_000_000_000;
        for (actor, command) in [
            (
                None,
                Command::SetPresence {
                    participant: "c".into(),
                    online: true,
                },
            ),
            (
                Some("c"),
                Command::AddParticipant {
                    name: "王大爷".into(),
                    role: Role::Public,
                    sector: Some("社区居民".into()),
                    department: None,
                },
            ),
            (
                None,
                Command::SetPresence {
                    participant: "guest1".into(),
                    online: true,
                },
            ),
            (Some("c"), Command::StartMeeting),
        ] {
            let ctx = Ctx { now_ms: t, actor };
            events.extend(execute(&mut state, command, ctx).unwrap());
        }
        let header = Header::new(&plan, &"0".repeat(64), t);
        let minutes = build(&header, events, 8 * 3600);
        let present: Vec<&str> = minutes
            .attendance
            .present
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(present, ["主席", "王大爷"]);
    }

    #[test]
    fn the_minutes_date_is_the_records_and_a_plan_date_that_disagrees_is_marked() {
        // 2026-11-18 11:06:40 UTC, in Shanghai 19:06:40.
        let started = Some(1_795_000_000_000);
        let clock = Clock::new(8 * 3600);
        let date = |d| meeting_date(&plan_dated(d), started, &clock);
        assert_eq!(date(None).as_deref(), Some("2026年11月18日"));
        assert_eq!(date(Some("2026-11-18")).as_deref(), Some("2026年11月18日"));
        assert_eq!(
            date(Some("2026-11-09")).as_deref(),
            Some("2026年11月18日（计划日期 2026-11-09）")
        );
        assert_eq!(
            date(Some("十一月上旬")).as_deref(),
            Some("2026年11月18日（计划日期 十一月上旬）")
        );
        assert_eq!(
            meeting_date(&plan_dated(Some("2026-11-09")), None, &clock).as_deref(),
            Some("2026-11-09（计划日期）")
        );
    }

    #[test]
    fn an_answer_that_replaced_another_keeps_the_other_with_who_gave_it() {
        let answer = |by: &str, name: &str, status, note: Option<&str>, at: &str| AnswerMinutes {
            by: by.into(),
            by_name: name.into(),
            answerer: if by == "chair" {
                "市住建委".into()
            } else {
                name.into()
            },
            recorded_by_chair: by == "chair",
            status,
            note: note.map(String::from),
            at: at.into(),
        };
        let q = QuestionMinutes {
            id: "q1".into(),
            asker: "p01".into(),
            asker_name: "吴阿姨".into(),
            department: "housing".into(),
            department_name: "市住建委".into(),
            text: "审批能否一网通办？".into(),
            status: QuestionStatus::FollowUp,
            note: Some("会后书面答复".into()),
            carried: false,
            asked_at: "10:00:00".into(),
            register_id: None,
            answers: vec![
                answer(
                    "d-housing",
                    "住建委 副主任",
                    QuestionStatus::Answered,
                    Some("年内推行"),
                    "10:01:00",
                ),
                answer(
                    "chair",
                    "黄主席",
                    QuestionStatus::FollowUp,
                    Some("会后书面答复"),
                    "10:02:00",
                ),
            ],
        };
        let zh = q.outcome(Language::Zh, words::words(Language::Zh));
        assert_eq!(
            zh,
            "会后书面答复（市住建委，主持人黄主席记录）；此前 住建委 副主任 10:01:00 已答复：年内推行"
        );
        let en = q.outcome(Language::En, words::words(Language::En));
        assert!(
            en.contains("(市住建委, recorded by the chair, 黄主席)")
                && en.contains("earlier 住建委 副主任 at 10:01:00"),
            "{en}"
        );
    }
}
