//! Reading a scenario file (TOML) into a [`Plan`], checking every rule of
//! `scenarios/README.md`. Every problem is reported with its line and column and
//! what to do about it; all problems are reported at once, not just the first.
//!
//! This module only parses text: reading the file is the caller's business.

use super::duration::parse_duration;
use super::plan::{
    AgendaItem, Department, Language, MeetingInfo, Participant, Plan, PollPlan, Role, Step,
    StepKind,
};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// The default time for one turn at the floor when the meeting sets none.
pub const DEFAULT_SPEAKER_LIMIT_MS: u64 = 5 * 60_000;
/// Who votes in an evaluation when the step does not say.
pub const DEFAULT_VOTERS: [Role; 3] = [Role::Member, Role::Expert, Role::Public];

/// One problem in a scenario file, at a 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// In English.
    pub message: String,
    /// In Chinese, for a Chinese plan, when the checker has it.
    pub zh: Option<String>,
}

/// A problem said in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub en: String,
    pub zh: String,
}

pub fn say(en: impl Into<String>, zh: impl Into<String>) -> Said {
    Said {
        en: en.into(),
        zh: zh.into(),
    }
}

/// Everything wrong with one scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: String,
    pub problems: Vec<Problem>,
    /// The language the problems are told in: the plan's.
    pub language: Language,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let message = match (self.language, &p.zh) {
                (Language::Zh, Some(zh)) => zh,
                _ => &p.message,
            };
            write!(f, "{}:{}:{}: {}", self.file, p.line, p.column, message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    meeting: S<RawMeeting>,
    #[serde(default)]
    departments: Vec<S<RawDepartment>>,
    #[serde(default)]
    participants: Vec<S<RawParticipant>>,
    #[serde(default)]
    agenda: Vec<S<RawItem>>,
    #[serde(default)]
    script: Vec<S<RawScript>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScript {
    who: S<String>,
    #[serde(rename = "do")]
    act: S<String>,
    on: Option<S<String>>,
    after: Option<S<String>>,
    department: Option<S<String>>,
    text: Option<S<String>>,
    question: Option<S<String>>,
    status: Option<S<String>>,
    note: Option<S<String>>,
    poll: Option<S<String>>,
    target: Option<S<String>>,
    choice: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeeting {
    title: S<String>,
    language: Option<S<String>>,
    speaker_limit: Option<S<String>>,
    date: Option<String>,
    venue: Option<String>,
    follow_up_days: Option<S<i64>>,
    register: Option<S<String>>,
    topic: Option<S<String>>,
    utc_offset: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDepartment {
    id: S<String>,
    name: S<String>,
    organisation: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParticipant {
    id: S<String>,
    name: S<String>,
    role: S<String>,
    token: Option<S<String>>,
    sector: Option<String>,
    department: Option<S<String>>,
    person: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    title: S<String>,
    #[serde(default)]
    steps: Vec<S<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    kind: S<String>,
    title: S<String>,
    duration: Option<S<String>>,
    speaker_limit: Option<S<String>>,
    speakers: Option<S<Vec<S<String>>>>,
    departments: Option<S<Vec<S<String>>>>,
    // evaluate only
    id: Option<S<String>>,
    choices: Option<S<Vec<S<String>>>>,
    targets: Option<S<Vec<S<String>>>>,
    roles: Option<S<Vec<S<String>>>>,
    secret: Option<S<bool>>,
    // review only
    review_items: Option<S<Vec<S<String>>>>,
    review_departments: Option<S<Vec<S<String>>>>,
}

/// A `[[script]]` entry as written: each key's value and its 1-based line and
/// column. The meeting does not run scripts; the simulator checks them against the
/// plan (`xieshang::scenario::script`), and `xieshang::scenario` puts both together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptEntry {
    /// Where the entry begins.
    pub at: (usize, usize),
    pub keys: Vec<(&'static str, String, (usize, usize))>,
}

impl ScriptEntry {
    pub fn value(&self, key: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, _)| v.as_str())
    }

    /// Where `key` is written, or where the entry begins when it is not.
    pub fn place(&self, key: &str) -> (usize, usize) {
        self.keys
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or(self.at, |(_, _, at)| *at)
    }
}

/// Parses and checks a scenario's plan; the script's entries come back as written.
/// `file` names the file in messages.
pub fn parse(file: &str, text: &str) -> Result<(Plan, Vec<ScriptEntry>), ScenarioError> {
    let mut check = Checker {
        text,
        problems: Vec::new(),
        unknown_role: HashSet::new(),
    };
    // Every unknown key at once: serde stops at the first, so each is noted and
    // blanked out (spaces, so that every offset stays where it was) until the
    // file parses or fails for another reason.
    let mut blanked = text.to_string();
    let raw: RawScenario = loop {
        match toml::from_str(&blanked) {
            // With the unknown keys out of the way, the rest is checked too.
            Ok(raw) => break raw,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                check.problem(span.clone(), explain_toml_error(e.message()));
                let unknown = e.message().trim().starts_with("unknown field ");
                let line_start = blanked[..span.start].rfind('\n').map_or(0, |i| i + 1);
                // An unknown table ([extra]) takes the keys under it along:
                // blanking its header would move them elsewhere. Said, and done.
                let header = blanked[line_start..].trim_start().starts_with('[');
                if !unknown || header || span.is_empty() || check.problems.len() > 100 {
                    return Err(check.into_error(file));
                }
                let end = blanked[span.start..]
                    .find('\n')
                    .map_or(blanked.len(), |i| span.start + i);
                blanked.replace_range(span.start..end, &" ".repeat(end - span.start));
            }
        }
    };
    check.unsafe_text();
    let script = raw.script.iter().map(|c| check.script_entry(c)).collect();
    let plan = check.plan(raw);
    if check.problems.is_empty() {
        Ok((plan, script))
    } else {
        Err(check.into_error(file))
    }
}

/// The plan of a scenario (its script, if any, is not checked here: see
/// `crate::scenario::parse`).
pub fn parse_plan(file: &str, text: &str) -> Result<Plan, ScenarioError> {
    parse(file, text).map(|(plan, _)| plan)
}

/// Makes serde's wording speak of scenario keys.
fn explain_toml_error(message: &str) -> Said {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (key, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let expected = expected.trim_start_matches(" one of").trim();
        return say(
            format!("unknown key {key}: check its spelling; the keys allowed here are {expected} (see scenarios/README.md)"),
            format!("未知的键 {key}：请检查拼写；这里可用的键是 {expected}（见 scenarios/README.md）"),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return say(
            format!("missing key {rest}: add it (see scenarios/README.md)"),
            format!("缺少键 {rest}：请补上（见 scenarios/README.md）"),
        );
    }
    say(
        format!("{message} (see scenarios/README.md)"),
        format!("TOML 格式有误：{message}（见 scenarios/README.md）"),
    )
}

/// The plan's language as the file says it, read even when the file does not
/// parse, so that every problem is told in it.
pub fn language_of(text: &str) -> Language {
    let en = text.lines().any(|l| {
        let l = l.trim();
        l.strip_prefix("language")
            .map(|rest| rest.trim_start())
            .and_then(|rest| rest.strip_prefix('='))
            .is_some_and(|v| matches!(v.trim(), "\"en\"" | "'en'"))
    });
    if en {
        Language::En
    } else {
        Language::Zh
    }
}

struct Checker<'t> {
    text: &'t str,
    problems: Vec<Problem>,
    /// Participants whose role was misspelt: reported once, and nothing is
    /// derived from the role they were given in its place.
    unknown_role: HashSet<String>,
}

impl Checker<'_> {
    fn problem(&mut self, span: Range<usize>, said: Said) {
        let (line, column) = line_column(self.text, span.start);
        self.problems.push(Problem {
            line,
            column,
            message: said.en,
            zh: Some(said.zh),
        });
    }

    fn into_error(mut self, file: &str) -> ScenarioError {
        self.problems.sort_by_key(|p| (p.line, p.column));
        ScenarioError {
            file: file.to_string(),
            problems: self.problems,
            language: language_of(self.text),
        }
    }

    /// Every string and key of the file that holds a control character, a
    /// direction control, an invisible character or a pile of marks
    /// (`super::text`), however it was written (raw, or as an
    /// escape such as `\u001b`): such text would drive the terminals and pages it is
    /// drawn on.
    fn unsafe_text(&mut self) {
        let Ok(doc) = toml_edit::ImDocument::parse(self.text) else {
            return; // (the file parsed once already; this cannot fail)
        };
        let mut found = Vec::new();
        walk_table(doc.as_table(), &mut found);
        for (span, key, c) in found {
            let c = super::text::describe(c);
            self.problem(
                span,
                say(
                    format!("{key} contains {c}, which cannot be shown: remove it (line breaks are allowed)"),
                    format!("{key} 含有无法显示的字符 {c}：请删去（换行可以保留）"),
                ),
            );
        }
    }

    fn duration(&mut self, value: &S<String>, key: &str) -> Option<u64> {
        match parse_duration(value.get_ref()) {
            Ok(ms) => Some(ms),
            Err(e) => {
                self.problem(
                    value.span(),
                    say(
                        format!("{key}: {e}"),
                        format!(
                            "{key} 写的“{}”不是时长：请写成 \"90s\"、\"5m\" 或 \"1h30m\" 这样，且大于零",
                            value.get_ref()
                        ),
                    ),
                );
                None
            }
        }
    }

    fn non_empty(&mut self, value: &S<String>, key: &str) -> String {
        let v = value.get_ref().trim();
        if v.is_empty() {
            self.problem(
                value.span(),
                say(
                    format!("{key} is empty: write one"),
                    format!("{key} 为空：请填写"),
                ),
            );
        }
        v.to_string()
    }

    fn plan(&mut self, raw: RawScenario) -> Plan {
        let meeting_span = raw.meeting.span();
        let m = raw.meeting.into_inner();
        let language = match m
            .language
            .as_ref()
            .map(|l| (l.get_ref().as_str(), l.span()))
        {
            None | Some(("zh", _)) => Language::Zh,
            Some(("en", _)) => Language::En,
            Some((other, span)) => {
                self.problem(
                    span,
                    say(
                        format!("language \"{other}\" is not supported: write \"zh\" or \"en\""),
                        format!("不支持语言“{other}”：请写 \"zh\" 或 \"en\""),
                    ),
                );
                Language::Zh
            }
        };
        let speaker_limit_ms = m
            .speaker_limit
            .as_ref()
            .and_then(|d| self.duration(d, "speaker_limit"))
            .unwrap_or(DEFAULT_SPEAKER_LIMIT_MS);
        let follow_up_days = m.follow_up_days.as_ref().and_then(|d| {
            let days = *d.get_ref();
            if (1..=i64::from(crate::followups::rules::LATEST_DAYS)).contains(&days) {
                Some(days as u32)
            } else {
                self.problem(
                    d.span(),
                    say(
                        format!(
                            "follow_up_days: {days} is not a number of days from 1 to {}: a promise is answered within three months at the latest",
                            crate::followups::rules::LATEST_DAYS
                        ),
                        format!(
                            "follow_up_days：{days} 不是 1 到 {} 之间的天数：答复最迟不超过三个月",
                            crate::followups::rules::LATEST_DAYS
                        ),
                    ),
                );
                None
            }
        });
        let utc_offset_s = m.utc_offset.as_ref().and_then(|o| {
            let offset = parse_utc_offset(o.get_ref());
            if offset.is_none() {
                self.problem(
                    o.span(),
                    say(
                        format!(
                            "utc_offset: {:?} is not a time zone: write it like \"+08:00\" (hours and minutes east of UTC, -12:00 to +14:00)",
                            o.get_ref()
                        ),
                        format!(
                            "utc_offset：{:?} 不是时区：请写成 \"+08:00\"（相对 UTC 的时和分，-12:00 到 +14:00）",
                            o.get_ref()
                        ),
                    ),
                );
            }
            offset
        });
        let meeting = MeetingInfo {
            title: self.non_empty(&m.title, "title"),
            language,
            speaker_limit_ms,
            date: m.date,
            venue: m.venue,
            follow_up_days,
            register: m.register.as_ref().map(|r| self.non_empty(r, "register")),
            topic: m.topic.as_ref().map(|t| self.non_empty(t, "topic")),
            utc_offset_s,
        };

        let departments = self.departments(&raw.departments);
        let dept_ids: HashSet<&str> = departments.iter().map(|d| d.id.as_str()).collect();
        let participants = self.participants(&raw.participants, &dept_ids, meeting_span.clone());
        let roles: HashMap<&str, Role> = participants
            .iter()
            .map(|p| (p.id.as_str(), p.role))
            .collect();

        if raw.agenda.is_empty() {
            self.problem(
                meeting_span.clone(),
                say(
                    "the agenda is empty: add an [[agenda]] item with at least one [[agenda.steps]]",
                    "议程为空：请添加一个 [[agenda]] 议题，其下至少一个 [[agenda.steps]] 环节",
                ),
            );
        }
        let mut polls = HashSet::new();
        let mut agenda = Vec::new();
        for item in &raw.agenda {
            let span = item.span();
            let item = item.get_ref();
            if item.steps.is_empty() {
                self.problem(
                    span,
                    say(
                        "this agenda item has no steps: add [[agenda.steps]] under it",
                        "这个议题没有环节：请在其下添加 [[agenda.steps]]",
                    ),
                );
            }
            let steps = item
                .steps
                .iter()
                .map(|s| self.step(s.get_ref(), speaker_limit_ms, &dept_ids, &roles, &mut polls))
                .collect();
            agenda.push(AgendaItem {
                title: self.non_empty(&item.title, "title"),
                steps,
            });
        }
        let reviews = agenda
            .iter()
            .flat_map(|i: &AgendaItem| &i.steps)
            .any(|s| s.review.is_some());
        if reviews && meeting.register.is_none() {
            self.problem(
                meeting_span,
                say(
                    "a review step reads the follow-up register: name it under [meeting] as register = \"meetings/register.db\" (relative to this file)",
                    "回头看环节要读督办台账：请在 [meeting] 中写明 register = \"meetings/register.db\"（相对于本文件）",
                ),
            );
        }
        Plan::new(meeting, departments, participants, agenda)
    }

    /// One `[[script]]` entry as written, each key with its place, for the
    /// simulator to check against the plan (`xieshang::scenario::script`).
    fn script_entry(&self, cue: &S<RawScript>) -> ScriptEntry {
        let c = cue.get_ref();
        let mut keys = Vec::new();
        let mut put = |name: &'static str, v: &Option<S<String>>| {
            if let Some(v) = v {
                keys.push((
                    name,
                    v.get_ref().clone(),
                    line_column(self.text, v.span().start),
                ));
            }
        };
        put("who", &Some(c.who.clone()));
        put("do", &Some(c.act.clone()));
        put("on", &c.on);
        put("after", &c.after);
        put("department", &c.department);
        put("text", &c.text);
        put("question", &c.question);
        put("status", &c.status);
        put("note", &c.note);
        put("poll", &c.poll);
        put("target", &c.target);
        put("choice", &c.choice);
        ScriptEntry {
            at: line_column(self.text, cue.span().start),
            keys,
        }
    }

    fn departments(&mut self, raw: &[S<RawDepartment>]) -> Vec<Department> {
        let mut seen = HashSet::new();
        let mut named = HashSet::new();
        raw.iter()
            .map(|d| {
                let d = d.get_ref();
                let id = self.id(&d.id, &mut seen, "department");
                Department {
                    id,
                    name: self.non_empty(&d.name, "name"),
                    organisation: self.roster_id(
                        d.organisation.as_ref(),
                        &mut named,
                        "organisation",
                    ),
                }
            })
            .collect()
    }

    /// A roster id a seat or a department names (`person`, `organisation`):
    /// well formed, and named once (one person holds one seat).
    fn roster_id(
        &mut self,
        id: Option<&S<String>>,
        seen: &mut HashSet<String>,
        key: &str,
    ) -> Option<String> {
        let id = id?;
        let v = id.get_ref();
        if !super::roster::valid_id(v) {
            self.problem(
                id.span(),
                say(
                    format!("{key} \"{v}\" is not a roster id: 1 to 64 letters, digits, '-', '_' or '.' (xieshang roster list)"),
                    format!("{key}“{v}”不是名册编号：应为 1 到 64 个英文字母、数字、“-”“_”或“.”（xieshang roster list）"),
                ),
            );
        } else if !seen.insert(v.clone()) {
            self.problem(
                id.span(),
                say(
                    format!("{key} \"{v}\" is named twice: one {key} holds one seat"),
                    format!("{key}“{v}”出现了两次：每个名册编号只对应一个位置"),
                ),
            );
        }
        Some(v.clone())
    }

    fn id(&mut self, id: &S<String>, seen: &mut HashSet<String>, what: &str) -> String {
        let v = id.get_ref();
        if v.is_empty() || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.problem(
                id.span(),
                say(
                    format!("{what} id \"{v}\" must be non-empty with no spaces, like \"m01\" or \"eco\""),
                    format!("{} id“{v}”不能为空，也不能有空格，例如 \"m01\" 或 \"eco\"", what_zh(what)),
                ),
            );
        } else if !seen.insert(v.clone()) {
            self.problem(
                id.span(),
                say(
                    format!("{what} id \"{v}\" is used twice: give each {what} its own id"),
                    format!(
                        "{} id“{v}”用了两次：每个{}须有自己的 id",
                        what_zh(what),
                        what_zh(what)
                    ),
                ),
            );
        }
        v.clone()
    }

    fn participants(
        &mut self,
        raw: &[S<RawParticipant>],
        depts: &HashSet<&str>,
        meeting_span: Range<usize>,
    ) -> Vec<Participant> {
        let mut seen = HashSet::new();
        let mut tokens = HashSet::new();
        let mut people = HashSet::new();
        let mut chairs = 0;
        let mut out = Vec::new();
        for p in raw {
            let p = p.get_ref();
            let id = self.id(&p.id, &mut seen, "participant");
            if id == super::plan::AUDIENCE {
                self.problem(
                    p.id.span(),
                    say(
                        format!("participant id \"{id}\" is the hall's link (whoever watches from the projector or the code on the wall): give this participant another id"),
                        format!("参会人 id“{id}”是会场链接（投影和墙上二维码，供观众旁听）专用的：请给这位参会人另一个 id"),
                    ),
                );
            }
            let role = match Role::parse(p.role.get_ref()) {
                Some(r) => r,
                None => {
                    let (role, all) = (p.role.get_ref(), super::plan::names(Role::ALL));
                    self.problem(
                        p.role.span(),
                        say(
                            format!("role \"{role}\" is not known: write one of {all}"),
                            format!("没有“{role}”这个身份：请写 {all} 之一"),
                        ),
                    );
                    self.unknown_role.insert(id.clone());
                    Role::Observer
                }
            };
            if role == Role::Chair {
                chairs += 1;
                if chairs == 2 {
                    self.problem(
                        p.role.span(),
                        say(
                            "a second chair: a meeting has exactly one participant with role = \"chair\"",
                            "第二位主持人：一场会议只有一位 role = \"chair\" 的参会人",
                        ),
                    );
                }
            }
            match (&p.department, role) {
                (None, Role::Department) => self.problem(
                    p.role.span(),
                    say(
                        format!("participant \"{id}\" represents a department: add department = \"<a department id>\""),
                        format!("参会人“{id}”代表部门：请加上 department = \"<部门 id>\""),
                    ),
                ),
                (Some(d), Role::Department) if !depts.contains(d.get_ref().as_str()) => {
                    let d_id = d.get_ref();
                    self.problem(
                        d.span(),
                        say(
                            format!("department \"{d_id}\" is not listed: add it under [[departments]] or fix the id"),
                            format!("部门“{d_id}”不在 [[departments]] 中：请添加，或改正 id"),
                        ),
                    )
                }
                (Some(d), r) if r != Role::Department => self.problem(
                    d.span(),
                    say(
                        "only participants with role = \"department\" have a department: remove this key or change the role",
                        "只有 role = \"department\" 的参会人才有所属部门：请删去这个键，或改变身份",
                    ),
                ),
                _ => {}
            }
            if let Some(t) = &p.token {
                if t.get_ref().trim().is_empty() {
                    self.problem(
                        t.span(),
                        say(
                            "token is empty: remove it to have one generated, or write one",
                            "token 为空：删去它即自动生成，或填写一个",
                        ),
                    );
                } else if t.get_ref().len() > super::plan::MAX_TOKEN_BYTES {
                    let (n, max) = (t.get_ref().len(), super::plan::MAX_TOKEN_BYTES);
                    self.problem(
                        t.span(),
                        say(
                            format!("this token has {n} bytes; at most {max} are taken: write a shorter one"),
                            format!("这个 token 有 {n} 字节，最多 {max}：请写短一些"),
                        ),
                    );
                } else if !tokens.insert(t.get_ref().clone()) {
                    self.problem(
                        t.span(),
                        say(
                            "this token is used twice: every participant needs their own",
                            "这个 token 用了两次：每位参会人须有自己的",
                        ),
                    );
                }
            }
            out.push(Participant {
                id,
                name: self.non_empty(&p.name, "name"),
                role,
                sector: p.sector.clone().filter(|s| !s.trim().is_empty()),
                department: p.department.as_ref().map(|d| d.get_ref().clone()),
                person: self.roster_id(p.person.as_ref(), &mut people, "person"),
                token: p.token.as_ref().map(|t| t.get_ref().clone()),
            });
        }
        // A misspelt role might be the chair's: said once already, not again here.
        if chairs == 0 && self.unknown_role.is_empty() {
            self.problem(
                meeting_span,
                say(
                    "no chair: add a [[participants]] entry with role = \"chair\"",
                    "没有主持人：请添加一个 role = \"chair\" 的 [[participants]]",
                ),
            );
        }
        out
    }

    fn ids(
        &mut self,
        list: &Option<S<Vec<S<String>>>>,
        key: &str,
        known: impl Fn(&str) -> Result<(), Said>,
    ) -> Vec<String> {
        let Some(list) = list else {
            return Vec::new();
        };
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for id in list.get_ref() {
            if let Err(e) = known(id.get_ref()) {
                self.problem(
                    id.span(),
                    say(format!("{key}: {}", e.en), format!("{key}：{}", e.zh)),
                );
            } else if !seen.insert(id.get_ref().clone()) {
                let v = id.get_ref();
                self.problem(
                    id.span(),
                    say(
                        format!("{key}: \"{v}\" is listed twice"),
                        format!("{key}：“{v}”列了两次"),
                    ),
                );
            }
            out.push(id.get_ref().clone());
        }
        out
    }

    fn only_for(
        &mut self,
        kind: StepKind,
        allowed: &[StepKind],
        key: &str,
        span: Option<Range<usize>>,
    ) {
        if let Some(span) = span {
            if !allowed.contains(&kind) {
                let kinds: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
                let (kind, kinds) = (kind.as_str(), kinds.join(", "));
                self.problem(
                    span,
                    say(
                        format!(
                            "{key} does not apply to a {kind} step (only to {kinds}): remove it"
                        ),
                        format!("{key} 不适用于 {kind} 环节（只用于 {kinds}）：请删去"),
                    ),
                );
            }
        }
    }

    fn step(
        &mut self,
        s: &RawStep,
        meeting_limit: u64,
        depts: &HashSet<&str>,
        roles: &HashMap<&str, Role>,
        polls: &mut HashSet<String>,
    ) -> Step {
        let kind_known = StepKind::parse(s.kind.get_ref()).is_some();
        let kind = StepKind::parse(s.kind.get_ref()).unwrap_or_else(|| {
            let (kind, all) = (s.kind.get_ref(), super::plan::names(StepKind::ALL));
            self.problem(
                s.kind.span(),
                say(
                    format!("step kind \"{kind}\" is not known: write one of {all}"),
                    format!("没有“{kind}”这种环节：请写 {all} 之一"),
                ),
            );
            // Stands in while the file is fixed: nothing is checked against it.
            StepKind::Discuss
        });
        // A misspelt kind is said once; which keys it allows is not guessed.
        if kind_known {
            self.only_for(
                kind,
                &StepKind::all_where(|t| t.takes_speakers),
                "speakers",
                s.speakers.as_ref().map(|v| v.span()),
            );
            self.only_for(
                kind,
                &StepKind::all_where(|t| t.departments_answer),
                "departments",
                s.departments.as_ref().map(|v| v.span()),
            );
            for (key, span) in [
                ("review_items", s.review_items.as_ref().map(|v| v.span())),
                (
                    "review_departments",
                    s.review_departments.as_ref().map(|v| v.span()),
                ),
            ] {
                self.only_for(kind, &StepKind::all_where(|t| t.reviews), key, span);
            }
            for (key, span) in [
                ("id", s.id.as_ref().map(|v| v.span())),
                ("choices", s.choices.as_ref().map(|v| v.span())),
                ("targets", s.targets.as_ref().map(|v| v.span())),
                ("roles", s.roles.as_ref().map(|v| v.span())),
                ("secret", s.secret.as_ref().map(|v| v.span())),
            ] {
                self.only_for(kind, &StepKind::all_where(|t| t.poll), key, span);
            }
        }
        let speaker_limit_ms = s
            .speaker_limit
            .as_ref()
            .and_then(|d| self.duration(d, "speaker_limit"))
            .unwrap_or(meeting_limit);
        let unknown_role = self.unknown_role.clone();
        let speakers = self.ids(&s.speakers, "speakers", |id| match roles.get(id) {
            None => Err(say(
                format!(
                    "\"{id}\" is not a participant: add it under [[participants]] or fix the id"
                ),
                format!("“{id}”不是参会人：请在 [[participants]] 中添加，或改正 id"),
            )),
            Some(Role::Observer) if !unknown_role.contains(id) => Err(say(
                format!("\"{id}\" is an observer and cannot speak"),
                format!("“{id}”是列席人员，不能发言"),
            )),
            Some(_) => Ok(()),
        });
        let in_depts = |id: &str| {
            if depts.contains(id) {
                Ok(())
            } else {
                Err(say(
                    format!(
                        "\"{id}\" is not a department: add it under [[departments]] or fix the id"
                    ),
                    format!("“{id}”不是部门：请在 [[departments]] 中添加，或改正 id"),
                ))
            }
        };
        let departments = self.ids(&s.departments, "departments", in_depts);
        let poll = kind.traits().poll.then(|| self.poll(s, polls, &in_depts));
        let review = kind.traits().reviews.then(|| {
            let items = self.ids(&s.review_items, "review_items", |_| Ok(()));
            let departments = self.ids(&s.review_departments, "review_departments", in_depts);
            if items.is_empty() && departments.is_empty() {
                self.problem(
                    s.kind.span(),
                    say(
                        "a review step names what it reviews: review_items (register ids) or review_departments (every open item of these departments)".to_string(),
                        "回头看环节须写明回顾哪些事项：review_items（台账编号）或 review_departments（这些部门的全部在办事项）".to_string(),
                    ),
                );
            }
            super::review::ReviewPlan {
                items,
                departments,
                found: Vec::new(),
            }
        });
        let turns = speakers.len().max(departments.len()).max(1) as u64;
        let duration_ms = s
            .duration
            .as_ref()
            .and_then(|d| self.duration(d, "duration"))
            .unwrap_or(speaker_limit_ms * turns);
        Step {
            kind,
            title: self.non_empty(&s.title, "title"),
            duration_ms,
            speaker_limit_ms,
            speakers,
            departments,
            poll,
            review,
        }
    }

    fn poll(
        &mut self,
        s: &RawStep,
        polls: &mut HashSet<String>,
        in_depts: &dyn Fn(&str) -> Result<(), Said>,
    ) -> PollPlan {
        let id = match &s.id {
            Some(id) => {
                if !polls.insert(id.get_ref().clone()) {
                    let v = id.get_ref();
                    self.problem(
                        id.span(),
                        say(
                            format!(
                                "poll id \"{v}\" is used twice: give each evaluate step its own"
                            ),
                            format!("测评 id“{v}”用了两次：每个 evaluate 环节须有自己的"),
                        ),
                    );
                }
                id.get_ref().clone()
            }
            None => {
                let id = (1..)
                    .map(|n| format!("poll{n}"))
                    .find(|id| !polls.contains(id))
                    .expect("unbounded");
                polls.insert(id.clone());
                id
            }
        };
        let choices = match &s.choices {
            None => {
                self.problem(
                    s.kind.span(),
                    say(
                        "an evaluate step needs choices, like choices = [\"满意\", \"基本满意\", \"不满意\"]",
                        "evaluate 环节需要选项，例如 choices = [\"满意\", \"基本满意\", \"不满意\"]",
                    ),
                );
                Vec::new()
            }
            Some(list) => {
                let choices = self.ids(&s.choices, "choices", |c| {
                    if c.trim().is_empty() {
                        Err(say("a choice is empty", "有一个选项为空"))
                    } else {
                        Ok(())
                    }
                });
                if choices.len() < 2 {
                    self.problem(
                        list.span(),
                        say("choices: give at least two", "choices：至少给两个选项"),
                    );
                }
                choices
            }
        };
        let targets = self.ids(&s.targets, "targets", in_depts);
        let roles = match &s.roles {
            None => DEFAULT_VOTERS.to_vec(),
            Some(_) => {
                let names = self.ids(&s.roles, "roles", |r| match Role::parse(r) {
                    None => Err(say(
                        format!("\"{r}\" is not a role: write chair, member, department, expert or public"),
                        format!("“{r}”不是身份：请写 chair、member、department、expert 或 public"),
                    )),
                    Some(Role::Observer) => Err(say(
                        "observers only watch; they do not vote",
                        "列席人员只旁听，不投票",
                    )),
                    Some(_) => Ok(()),
                });
                names.iter().filter_map(|r| Role::parse(r)).collect()
            }
        };
        PollPlan {
            id,
            choices,
            targets,
            roles,
            secret: s.secret.as_ref().is_some_and(|v| *v.get_ref()),
        }
    }
}

/// What an id names, in Chinese.
fn what_zh(what: &str) -> &'static str {
    match what {
        "participant" => "参会人",
        "department" => "部门",
        _ => "条目",
    }
}

type Found = Vec<(Range<usize>, String, char)>;

fn walk_table(table: &toml_edit::Table, found: &mut Found) {
    for (key, item) in table.iter() {
        let k = table.key(key);
        walk_key(key, k.and_then(|k| k.span()), found);
        match item {
            toml_edit::Item::Value(v) => walk_value(key, v, found),
            toml_edit::Item::Table(t) => walk_table(t, found),
            toml_edit::Item::ArrayOfTables(a) => a.iter().for_each(|t| walk_table(t, found)),
            toml_edit::Item::None => {}
        }
    }
}

fn walk_key(key: &str, span: Option<Range<usize>>, found: &mut Found) {
    if let Some((_, c)) = super::text::first_unsafe(key) {
        found.push((span.unwrap_or(0..0), "a key".to_string(), c));
    }
}

fn walk_value(key: &str, value: &toml_edit::Value, found: &mut Found) {
    match value {
        toml_edit::Value::String(s) => {
            if let Some((_, c)) = super::text::first_unsafe(s.value()) {
                found.push((s.span().unwrap_or(0..0), key.to_string(), c));
            }
        }
        toml_edit::Value::Array(a) => a.iter().for_each(|v| walk_value(key, v, found)),
        toml_edit::Value::InlineTable(t) => {
            for (k, v) in t.iter() {
                walk_key(k, t.key(k).and_then(|k| k.span()), found);
                walk_value(k, v, found);
            }
        }
        _ => {}
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// `+08:00`, `-05:30`, `+00:00` as seconds east of UTC, from -12:00 to +14:00.
pub fn parse_utc_offset(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 6 || b[3] != b':' || !b[1..3].iter().chain(&b[4..]).all(u8::is_ascii_digit) {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m): (i32, i32) = (s[1..3].parse().ok()?, s[4..].parse().ok()?);
    let offset = sign * (h * 3600 + m * 60);
    (m < 60 && (-12 * 3600..=14 * 3600).contains(&offset)).then_some(offset)
}
