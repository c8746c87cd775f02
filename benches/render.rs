//! Rendering one frame of the chair console with a large meeting: 500 participants,
//! 200 in the queue, 300 questions. Target: under 2 ms per frame.

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use std::sync::Arc;
use xieshang::journal::Entry;
use xieshang::meeting::plan::{
    AgendaItem, Department, Language, MeetingInfo, Participant, Plan, Step,
};
use xieshang::meeting::{execute, Command, Ctx, Mode, Role, State, StepKind};
use xieshang::tui::app::{update, App, Msg};

const T0: u64 = 1_795_000_000_000;
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平";
const SECTORS: [&str; 8] = [
    "民建",
    "经济界",
    "科技界",
    "农工党",
    "教育界",
    "医药卫生界",
    "环境资源界",
    "无党派人士",
];

fn big_plan() -> Plan {
    let departments: Vec<Department> = [
        "市生态环境局",
        "市发展改革委",
        "市绿化市容局",
        "市住房城乡建设管理委",
        "市交通委",
    ]
    .iter()
    .enumerate()
    .map(|(i, n)| Department {
        id: format!("d{i}"),
        name: n.to_string(),
        organisation: None,
    })
    .collect();
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    let mut participants = vec![Participant {
        id: "chair".into(),
        name: "陈主席".into(),
        role: Role::Chair,
        sector: None,
        department: None,
        person: None,
        token: None,
    }];
    for i in 0..499 {
        participants.push(Participant {
            id: format!("m{i:03}"),
            name: format!(
                "{}{}{}",
                s[i % s.len()],
                g[i / s.len() % g.len()],
                g[i % g.len()]
            ),
            role: Role::Member,
            sector: Some(SECTORS[i % SECTORS.len()].to_string()),
            department: None,
            person: None,
            token: None,
        });
    }
    let step = |kind, title: &str| Step {
        kind,
        title: title.into(),
        duration_ms: 1_800_000,
        speaker_limit_ms: 300_000,
        speakers: Vec::new(),
        departments: Vec::new(),
        poll: None,
        review: None,
    };
    let agenda = vec![AgendaItem {
        title: "美丽上海建设情况".into(),
        steps: vec![
            step(StepKind::Speak, "委员建言"),
            step(StepKind::Question, "委员提问"),
            step(StepKind::Respond, "部门回应"),
            step(StepKind::Discuss, "自由讨论"),
        ],
    }];
    let meeting = MeetingInfo {
        topic: None,
        title: "推进人与自然和谐共生的现代化建设 专题监督性常委会会议".into(),
        language: Language::Zh,
        speaker_limit_ms: 300_000,
        date: None,
        venue: None,
        follow_up_days: None,
        register: None,
        utc_offset_s: None,
    };
    Plan::new(meeting, departments, participants, agenda)
}

fn big_app() -> App {
    let plan = Arc::new(big_plan());
    let mut state = State::new(plan.clone());
    let mut events = Vec::new();
    let mut run = |state: &mut State, who: &str, c: Command, at: u64| {
        events.extend(execute(state, c, Ctx::by(who, T0 + at)).unwrap())
    };
    run(&mut state, "chair", Command::StartMeeting, 0);
    run(
        &mut state,
        "chair",
        Command::GotoStep { item: 0, step: 3 },
        0,
    );
    for i in 0..300 {
        let who = format!("m{:03}", 200 + i % 299);
        let c = Command::SubmitQuestion {
            department: format!("d{}", i % 5),
            text: "关于生态廊道建设和绿地养护资金保障的具体安排是什么？".into(),
            asker: None,
        };
        run(&mut state, &who, c, 1_000 + i as u64);
    }
    run(
        &mut state,
        "chair",
        Command::GrantFloor {
            participant: Some("m300".into()),
        },
        1_900,
    );
    for i in 0..200 {
        let mode = [Mode::Normal, Mode::Reply, Mode::PointOfOrder][i % 3];
        run(
            &mut state,
            &format!("m{i:03}"),
            Command::RaiseHand { mode },
            2_000 + i as u64,
        );
    }
    let mut app = App::new(
        State::new(plan),
        Language::Zh,
        "meetings/big.journal".into(),
    );
    let entries = events
        .into_iter()
        .enumerate()
        .map(|(i, e)| Entry::new(i as u64 + 1, e))
        .collect();
    update(&mut app, Msg::Recorded(entries), T0 + 60_000);
    assert_eq!(app.state.queue.len(), 200);
    assert_eq!(app.state.questions.len(), 300);
    app
}

fn render(c: &mut Criterion) {
    let app = big_app();
    let mut group = c.benchmark_group("render");
    for (w, h) in [(80u16, 24u16), (120, 40), (200, 60)] {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        group.bench_function(
            format!("one frame {w}x{h}, 500 participants, 200 queued, 300 questions"),
            |b| {
                b.iter(|| {
                    buf.reset();
                    (&app).render(area, &mut buf);
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
