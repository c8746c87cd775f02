//! Given/when/then helpers over the meeting core, with fixed times.

pub mod broadcast;
pub mod browser;
pub mod corpus;
pub mod hostile;
pub mod meeting;
pub mod nats;
pub mod qr;
pub mod room;
pub mod serve;
pub mod tmux;

use std::sync::Arc;
use xieshang::meeting::plan::Language;
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{execute, Command, Ctx, Event, EventKind, Plan, Refusal, State};

/// A small meeting with every role, two departments, and every step kind.
pub const PLAN: &str = r#"
[meeting]
title = "测试会议"
language = "en"
speaker_limit = "5m"

[[departments]]
id = "eco"
name = "市生态环境局"

[[departments]]
id = "ndrc"
name = "市发展改革委"

[[participants]]
id = "chair"
name = "陈主席"
role = "chair"

[[participants]]
id = "m01"
name = "马文静"
role = "member"
sector = "民建"

[[participants]]
id = "m02"
name = "李明华"
role = "member"
sector = "经济界"

[[participants]]
id = "m03"
name = "张晓燕"
role = "member"
sector = "民建"

[[participants]]
id = "x01"
name = "周教授"
role = "expert"

[[participants]]
id = "p01"
name = "吴阿姨"
role = "public"
sector = "界别群众"

[[participants]]
id = "d-eco"
name = "生态环境局 副局长"
role = "department"
department = "eco"

[[participants]]
id = "d-eco2"
name = "生态环境局 处长"
role = "department"
department = "eco"

[[participants]]
id = "d-ndrc"
name = "发展改革委 副主任"
role = "department"
department = "ndrc"

[[participants]]
id = "o01"
name = "列席代表"
role = "observer"

[[agenda]]
title = "议题一"

[[agenda.steps]]
kind = "speak"
title = "委员建言"
duration = "10m"
speakers = ["m01", "m02"]

[[agenda.steps]]
kind = "question"
title = "委员提问"
duration = "5m"
speaker_limit = "1m"

[[agenda.steps]]
kind = "respond"
title = "部门回应"
duration = "16m"
speaker_limit = "8m"
departments = ["eco", "ndrc"]

[[agenda.steps]]
kind = "discuss"
title = "自由讨论"
duration = "15m"
speaker_limit = "2m"

[[agenda]]
title = "议题二"

[[agenda.steps]]
kind = "evaluate"
title = "满意度测评"
id = "rating"
choices = ["满意", "基本满意", "不满意"]
targets = ["eco", "ndrc"]
"#;

/// The bundled scenarios (`scenarios/*.toml`), in order.
pub fn bundled_scenarios() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

pub const T0: u64 = 1_795_000_000_000;
pub const SEC: u64 = 1_000;
pub const MIN: u64 = 60_000;

pub fn plan() -> Arc<Plan> {
    Arc::new(parse_plan("test.toml", PLAN).expect("the test plan is valid"))
}

/// A meeting under test: its state, the clock, and every event so far.
pub struct Meeting {
    pub state: State,
    pub now: u64,
    pub events: Vec<Event>,
}

impl Meeting {
    /// Given a meeting that has not started, at T0.
    pub fn new() -> Meeting {
        Meeting {
            state: State::new(plan()),
            now: T0,
            events: Vec::new(),
        }
    }

    /// Given a meeting the chair started at T0.
    pub fn started() -> Meeting {
        let mut m = Meeting::new();
        m.ok("chair", Command::StartMeeting);
        m
    }

    /// Moves the clock forward.
    pub fn after(&mut self, ms: u64) -> &mut Meeting {
        self.now += ms;
        self
    }

    pub fn try_by(&mut self, actor: &str, command: Command) -> Result<Vec<EventKind>, Refusal> {
        let events = execute(&mut self.state, command, Ctx::by(actor, self.now))?;
        let kinds = events.iter().map(|e| e.kind.clone()).collect();
        self.events.extend(events);
        Ok(kinds)
    }

    /// When `actor` does `command`, then it is accepted: returns the events.
    pub fn ok(&mut self, actor: &str, command: Command) -> Vec<EventKind> {
        let c = format!("{command:?}");
        self.try_by(actor, command)
            .unwrap_or_else(|r| panic!("{actor} {c} was rejected: {r}"))
    }

    /// When `actor` does `command`, then it is rejected and nothing changes.
    pub fn rejected(&mut self, actor: &str, command: Command) -> Refusal {
        let before = self.state.clone();
        let c = format!("{command:?}");
        let r = match self.try_by(actor, command) {
            Ok(events) => panic!("{actor} {c} was accepted: {events:?}"),
            Err(r) => r,
        };
        assert_eq!(self.state, before, "a rejected command changed the state");
        for lang in [Language::Zh, Language::En] {
            let sentence = xieshang::lang::refusal::sentence(&r, lang, &self.state.plan);
            assert!(!sentence.is_empty(), "a refusal is said in {lang:?}");
        }
        r
    }

    pub fn queue(&self) -> Vec<&str> {
        self.state
            .queue
            .entries
            .iter()
            .map(|e| e.participant.as_str())
            .collect()
    }

    pub fn speaker(&self) -> Option<&str> {
        self.state.speaker()
    }

    pub fn goto(&mut self, item: usize, step: usize) {
        self.ok("chair", Command::GotoStep { item, step });
    }
}
pub mod recorded;
pub mod screen;
