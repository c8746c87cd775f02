//! The chair console: the whole screen rendered at 80x24 and 120x40 with a Chinese
//! meeting and compared as snapshots; keys through `update` with fixed times.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;
use std::sync::Arc;
use xieshang::journal::Entry;
use xieshang::lang::refusal::sentence;
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{
    execute, Answer, Command, Ctx, Mode, Plan, Role, Screen, State, TimerName,
};
use xieshang::tui::app::{update, App, Dialog, Effect, Focus, Msg};

const T0: u64 = 1_795_000_000_000; // 2026-11-18 11:06:40 UTC, 19:06:40 in Shanghai
const SEC: u64 = 1_000;
const SHANGHAI: i32 = 8 * 3600;

/// The console on the bundled 会商监督 scenario, driven as the chair would, with the
/// meeting core standing in for the hub.
struct Console {
    app: App,
    state: State,
    seq: u64,
    now: u64,
}

impl Console {
    fn new() -> Console {
        let text = include_str!("../scenarios/huishang-supervision.toml");
        Console::of(parse_plan("huishang-supervision.toml", text).unwrap())
    }

    fn of(plan: Plan) -> Console {
        let plan = Arc::new(plan);
        let mut app = App::new(
            State::new(plan.clone()),
            xieshang::meeting::plan::Language::Zh,
            "meetings/huishang-supervision.journal".into(),
        );
        app.utc_offset_s = SHANGHAI;
        Console {
            app,
            state: State::new(plan),
            seq: 0,
            now: T0,
        }
    }

    fn wait(&mut self, ms: u64) -> &mut Console {
        self.now += ms;
        self
    }

    /// `who` puts a written question to `department` (not through the console).
    fn ask(&mut self, who: &str, department: &str, text: &str) -> &mut Console {
        self.by(
            who,
            Command::SubmitQuestion {
                department: department.into(),
                text: text.into(),
                asker: None,
            },
        )
    }

    /// Someone (not through the console) does something; the console hears of it.
    fn by(&mut self, actor: &str, command: Command) -> &mut Console {
        let events = execute(&mut self.state, command, Ctx::by(actor, self.now)).unwrap();
        self.record(events);
        self
    }

    fn record(&mut self, events: Vec<xieshang::meeting::Event>) {
        let entries = events
            .into_iter()
            .map(|e| {
                self.seq += 1;
                Entry::new(self.seq, e)
            })
            .collect();
        update(&mut self.app, Msg::Recorded(entries), self.now);
    }

    /// The chair presses a key; what the console submits goes to the meeting.
    fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        let effects = update(
            &mut self.app,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
            self.now,
        );
        for e in &effects {
            if let Effect::Submit(c) = e {
                match execute(&mut self.state, c.clone(), Ctx::by("chair", self.now)) {
                    Ok(events) => self.record(events),
                    Err(r) => {
                        let text = sentence(&r, self.app.lang, &self.state.plan);
                        update(&mut self.app, Msg::Refused(text), self.now);
                    }
                }
            }
        }
        effects
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn screen(&mut self, w: u16, h: u16) -> Terminal<TestBackend> {
        self.app.now_ms = self.now;
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| f.render_widget(&self.app, f.area())).unwrap();
        t
    }

    /// The screen as a person sees it: one line per row, each wide character once.
    fn text(&mut self, w: u16, h: u16) -> String {
        self.app.now_ms = self.now;
        crate::common::screen::text(&self.app, w, h)
    }
}

/// Twenty minutes into the meeting: questions put, one answered, a queue waiting,
/// a resident at the floor and past the amber mark.
fn mid_meeting() -> Console {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.wait(30 * SEC).key(KeyCode::Enter); // 吴阿姨, registered
    c.wait(100 * SEC);
    c.ask(
        "p01",
        "housing",
        "加装电梯审批能否一网通办、压缩到一个月内？",
    );
    c.by("m02", Command::RaiseHand { mode: Mode::Normal });
    c.wait(5 * SEC)
        .by("x02", Command::RaiseHand { mode: Mode::Reply });
    c.wait(5 * SEC).by(
        "m01",
        Command::RaiseHand {
            mode: Mode::PointOfOrder,
        },
    );
    c.ask(
        "p02",
        "fangguan",
        "低楼层住户的补偿和资金分摊有没有统一标准？",
    );
    c.ask("p03", "market", "电梯维保费用由谁承担，如何监管维保质量？");
    c.by(
        "d-fangguan",
        Command::AnswerQuestion {
            question: "q2".into(),
            status: Answer::FollowUp,
            note: Some("两周内书面答复".into()),
            seen_answers: None,
        },
    );
    c.wait(2 * SEC).key(KeyCode::Enter); // 郑先生 would be next registered, but the point of order goes first
    c.wait(95 * SEC);
    c
}

#[test]
fn the_whole_screen_at_80x24() {
    let mut c = mid_meeting();
    insta::assert_snapshot!("mid_meeting_80x24", c.text(80, 24));
}

#[test]
fn the_whole_screen_at_120x40() {
    let mut c = mid_meeting();
    insta::assert_snapshot!("mid_meeting_120x40", c.text(120, 40));
}

#[test]
fn the_evaluation_shows_live_results() {
    let mut c = mid_meeting();
    c.key(KeyCode::Char('g'));
    c.keys("满意度");
    c.key(KeyCode::Enter);
    c.key(KeyCode::Char('o'));
    for (who, target, choice) in [
        ("p01", "housing", "满意"),
        ("m01", "housing", "基本满意"),
        ("x01", "market", "不满意"),
    ] {
        c.by(
            who,
            Command::Vote {
                poll: "rating".into(),
                choice: choice.into(),
                target: Some(target.into()),
            },
        );
    }
    let text = c.text(120, 40);
    insta::assert_snapshot!("evaluation_120x40", text);
    assert!(
        c.text(80, 24).contains("满意 1"),
        "the compact screen shows the poll too"
    );
}

#[test]
fn a_countdown_turns_amber_in_the_last_30_seconds_and_red_in_overtime() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.key(KeyCode::Enter); // a 2-minute turn
    let colour = |c: &mut Console| {
        let t = c.screen(80, 24);
        let buf = t.backend().buffer().clone();
        // The big digits sit on row 4 of the floor panel, inside its border.
        (1..40)
            .map(|x| buf[(x, 4)].fg)
            .find(|fg| ![Color::Reset, Color::DarkGray].contains(fg))
            .unwrap()
    };
    c.wait(60 * SEC);
    assert_eq!(colour(&mut c), Color::Green);
    c.wait(31 * SEC);
    assert_eq!(colour(&mut c), Color::Yellow);
    c.wait(45 * SEC);
    assert_eq!(colour(&mut c), Color::Red);
    assert!(
        c.text(80, 24).contains("限时 2:00 · 2:16"),
        "{}",
        c.text(80, 24)
    );
}

#[test]
fn no_size_makes_it_panic() {
    let mut c = mid_meeting();
    for (w, h) in [
        (0, 0),
        (1, 1),
        (10, 3),
        (39, 9),
        (40, 10),
        (41, 11),
        (60, 15),
        (80, 24),
        (119, 35),
        (120, 36),
        (200, 60),
        (300, 100),
    ] {
        c.screen(w, h);
        c.key(KeyCode::Char('?'));
        c.screen(w, h);
        c.key(KeyCode::Esc);
        c.key(KeyCode::Char('f'));
        c.screen(w, h);
        c.key(KeyCode::Esc);
    }
    assert!(c.text(20, 5).contains("窗口太小"));
}

#[test]
fn keys_become_commands() {
    let mut c = Console::new();
    assert_eq!(
        c.key(KeyCode::Char('s')),
        vec![Effect::Submit(Command::StartMeeting)]
    );
    assert_eq!(
        c.key(KeyCode::Enter),
        vec![Effect::Submit(Command::GrantFloor { participant: None })]
    );
    assert_eq!(
        c.key(KeyCode::Char('t')),
        vec![Effect::Submit(Command::PauseTimer {
            timer: TimerName::Floor
        })]
    );
    assert_eq!(
        c.key(KeyCode::Char('t')),
        vec![Effect::Submit(Command::ResumeTimer {
            timer: TimerName::Floor
        })]
    );
    assert_eq!(
        c.key(KeyCode::Char('+')),
        vec![Effect::Submit(Command::ExtendTimer {
            timer: TimerName::Floor,
            seconds: 60
        })]
    );
    assert_eq!(
        c.key(KeyCode::Char('-')),
        vec![Effect::Submit(Command::ExtendTimer {
            timer: TimerName::Floor,
            seconds: -60
        })]
    );
    assert_eq!(
        c.key(KeyCode::Char('T')),
        vec![Effect::Submit(Command::PauseTimer {
            timer: TimerName::Step
        })]
    );
    assert_eq!(
        c.key(KeyCode::Char(']')),
        vec![Effect::Submit(Command::ExtendTimer {
            timer: TimerName::Step,
            seconds: 60
        })]
    );
    assert_eq!(
        c.key(KeyCode::Char('[')),
        vec![Effect::Submit(Command::ExtendTimer {
            timer: TimerName::Step,
            seconds: -60
        })]
    );
    c.wait(5 * SEC);
    assert_eq!(
        c.key(KeyCode::Char('e')),
        vec![Effect::Submit(Command::EndSpeech)]
    );
    assert_eq!(
        c.key(KeyCode::Char('c')),
        vec![Effect::Submit(Command::CloseQueue)]
    );
    assert_eq!(
        c.key(KeyCode::Char('c')),
        vec![Effect::Submit(Command::OpenQueue)]
    );
    // Registered speakers not yet called: `n` asks first, `y` goes on.
    assert!(c.key(KeyCode::Char('n')).is_empty());
    assert_eq!(
        c.key(KeyCode::Char('y')),
        vec![Effect::Submit(Command::NextStep)]
    );
    assert_eq!(
        c.key(KeyCode::Char('p')),
        vec![Effect::Submit(Command::PreviousStep)]
    );
    assert!(
        c.key(KeyCode::Char('x')).is_empty(),
        "closing the meeting asks first"
    );
    assert!(c.key(KeyCode::Char('n')).is_empty(), "and n means no");
    assert_eq!(c.app.dialog, Dialog::None);
    c.key(KeyCode::Char('x'));
    assert_eq!(
        c.key(KeyCode::Char('y')),
        vec![Effect::Submit(Command::CloseMeeting)]
    );
}

#[test]
fn the_picker_gives_the_floor_by_a_chinese_name() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.key(KeyCode::Char('f'));
    c.keys("许");
    assert!(c.text(80, 24).contains("法律专家 许律师"));
    assert_eq!(
        c.key(KeyCode::Enter),
        vec![Effect::Submit(Command::GrantFloor {
            participant: Some("x02".into())
        })]
    );
    assert_eq!(c.state.speaker(), Some("x02"));
    assert!(c.text(80, 24).contains("法律专家 许律师"));
}

#[test]
fn the_chair_adds_moves_and_removes_people_in_the_queue() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    for (who, mode) in [("林志远", '1'), ("何静", '1'), ("高建华", '2')] {
        c.key(KeyCode::Char('a'));
        c.keys(who);
        c.key(KeyCode::Enter);
        c.key(KeyCode::Char(mode));
    }
    let order = |c: &Console| {
        c.state
            .queue
            .entries
            .iter()
            .map(|e| e.participant.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        order(&c),
        ["m03", "m01", "m02"],
        "the point of order goes first"
    );
    c.key(KeyCode::Down);
    c.key(KeyCode::Down);
    assert_eq!(
        c.key(KeyCode::Char('K')),
        vec![Effect::Submit(Command::QueueMove {
            participant: "m02".into(),
            position: 1
        })]
    );
    assert_eq!(order(&c), ["m03", "m02", "m01"]);
    assert_eq!(c.app.queue_cursor, 1, "the cursor follows the one moved");
    // Nobody moves above the point of order, and the chair is told why.
    assert!(c.key(KeyCode::Char('K')).is_empty());
    assert_eq!(order(&c), ["m03", "m02", "m01"]);
    assert!(c.text(80, 24).contains("程序性发言始终排在最前"));
    assert_eq!(
        c.key(KeyCode::Char('d')),
        vec![Effect::Submit(Command::QueueRemove {
            participant: "m02".into()
        })]
    );
    assert_eq!(order(&c), ["m03", "m01"]);
}

#[test]
fn the_chair_records_a_question_and_its_answer() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.key(KeyCode::Char('w'));
    c.keys("郑");
    c.key(KeyCode::Enter);
    c.keys("房屋");
    c.key(KeyCode::Enter);
    c.keys("补偿标准？");
    let effects = c.key(KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Submit(Command::SubmitQuestion {
            department: "fangguan".into(),
            text: "补偿标准？".into(),
            asker: Some("p02".into())
        })]
    );
    // r goes to the question list and answers the first pending question.
    assert!(c.key(KeyCode::Char('r')).is_empty());
    assert_eq!(c.app.focus, Focus::Questions);
    assert!(
        matches!(&c.app.dialog, Dialog::Answer { question, status: None, .. } if question == "q1")
    );
    c.key(KeyCode::Char('3'));
    c.keys("不属于本部门职责");
    let effects = c.key(KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Submit(Command::AnswerQuestion {
            question: "q1".into(),
            status: Answer::Declined,
            note: Some("不属于本部门职责".into()),
            seen_answers: Some(0),
        })]
    );
    assert!(c.text(80, 24).contains("拒1"));
}

#[test]
fn a_question_from_the_floor_is_the_speakers_by_default_never_the_chairs() {
    let mut c = mid_meeting();
    let speaker = c.app.state.floor.as_ref().unwrap().speaker.clone();
    assert_ne!(speaker, "chair");
    c.key(KeyCode::Char('w'));
    c.key(KeyCode::Enter); // the asker as offered
    c.keys("房屋");
    c.key(KeyCode::Enter);
    c.keys("加装后的维修基金怎么算？");
    let effects = c.key(KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Submit(Command::SubmitQuestion {
            department: "fangguan".into(),
            text: "加装后的维修基金怎么算？".into(),
            asker: Some(speaker)
        })]
    );
    // Nobody at the floor: the first participant who is not the chair.
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.key(KeyCode::Char('w'));
    let Dialog::Pick(_, picker) = &c.app.dialog else {
        panic!("the asker picker");
    };
    let first = c
        .app
        .state
        .plan
        .participants
        .iter()
        .find(|p| p.role != Role::Chair)
        .unwrap();
    assert_eq!(picker.chosen(), Some(first.id.as_str()));
}

#[test]
fn an_answer_given_while_the_chairs_form_was_open_is_shown_and_replaced_only_when_confirmed() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.ask("p01", "housing", "审批能否一网通办？");
    c.key(KeyCode::Char('r'));
    c.key(KeyCode::Char('2'));
    c.keys("会后书面答复");
    // Meanwhile the department answers from its own device.
    c.by(
        "d-housing",
        Command::AnswerQuestion {
            question: "q1".into(),
            status: Answer::Answered,
            note: Some("年内推行一窗受理".into()),
            seen_answers: None,
        },
    );
    assert!(c.key(KeyCode::Enter).is_empty(), "nothing replaced unseen");
    assert!(matches!(c.app.dialog, Dialog::ConfirmReplace { .. }));
    let screen = c.text(100, 30);
    assert!(screen.contains("刚有新的答复"), "{screen}");
    assert!(
        screen.contains("年内推行一窗受理"),
        "their answer is shown: {screen}"
    );
    // Any key but y keeps theirs.
    assert!(c.key(KeyCode::Esc).is_empty());
    assert_eq!(c.app.dialog, Dialog::None);
    // Again, and this time replace it, saying what was seen.
    c.key(KeyCode::Char('r'));
    c.key(KeyCode::Char('2'));
    assert_eq!(
        c.key(KeyCode::Enter),
        vec![Effect::Submit(Command::AnswerQuestion {
            question: "q1".into(),
            status: Answer::FollowUp,
            note: Some("年内推行一窗受理".into()),
            seen_answers: Some(1),
        })]
    );
}

#[test]
fn the_wall_clock_shows_real_time_when_the_meeting_runs_faster() {
    let mut c = Console::new();
    // A demo at 12x since 19:06:40: twelve meeting minutes are one real minute.
    c.app.faster = Some((T0, 12.0));
    c.key(KeyCode::Char('s'));
    c.wait(12 * 60 * SEC);
    c.key(KeyCode::Char('?'));
    c.key(KeyCode::Esc);
    let screen = c.text(120, 40);
    assert!(screen.contains("19:07"), "real time: {screen}");
    assert!(!screen.contains("19:18"), "not meeting time: {screen}");
    assert!(
        screen.contains("12:00"),
        "the meeting's own clock runs fast: {screen}"
    );
}

#[test]
fn moving_on_during_a_turn_asks_first_and_names_who_was_not_called() {
    let mut c = mid_meeting();
    let speaker = c.app.state.speaker().unwrap().to_string();
    assert!(c.key(KeyCode::Char('n')).is_empty(), "it asks first");
    assert_eq!(c.app.dialog, Dialog::ConfirmNext);
    let screen = c.text(120, 40);
    let name = c.app.name(&speaker).to_string();
    assert!(screen.contains(&format!("{name} 正在发言")), "{screen}");
    let uncalled = c
        .app
        .state
        .next_registered()
        .map(|id| c.app.name(id).to_string());
    if let Some(uncalled) = uncalled {
        assert!(
            screen.contains("登记发言尚未点到") && screen.contains(&uncalled),
            "{screen}"
        );
    }
    assert!(c.key(KeyCode::Esc).is_empty());
    assert_eq!(c.app.dialog, Dialog::None);
    c.key(KeyCode::Char('n'));
    assert_eq!(
        c.key(KeyCode::Char('y')),
        vec![Effect::Submit(Command::NextStep)]
    );
}

#[test]
fn a_closed_evaluation_reads_closed_and_reopening_it_asks_first() {
    let mut c = mid_meeting();
    c.key(KeyCode::Char('g'));
    c.keys("满意度");
    c.key(KeyCode::Enter);
    assert!(c.text(120, 40).contains("测评 · 未开启"));
    c.key(KeyCode::Char('o'));
    c.key(KeyCode::Char('o'));
    let screen = c.text(120, 40);
    assert!(screen.contains("测评 · 已结束"), "{screen}");
    assert!(
        screen.contains("满意度测评 投票结束"),
        "the log names the step: {screen}"
    );
    assert!(!screen.contains("rating"), "never the poll's id: {screen}");
    assert!(c.key(KeyCode::Char('o')).is_empty(), "reopening asks first");
    assert!(c.text(120, 40).contains("测评已结束。重新开启？"));
    assert_eq!(
        c.key(KeyCode::Char('y')),
        vec![Effect::Submit(Command::OpenPoll {
            poll: "rating".into()
        })]
    );
}

#[test]
fn the_floor_panel_and_the_log_name_a_turns_source_alike() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.wait(5 * SEC).key(KeyCode::Enter); // the step's first registered speaker
    let screen = c.text(120, 40);
    assert!(screen.contains("发言（登记）"), "the log: {screen}");
    assert!(screen.contains("登记"), "{screen}");
    assert!(
        !screen.contains("发言（普通）"),
        "one word for it: {screen}"
    );
}

#[test]
fn when_the_chair_leaves_a_participant_reads_that_the_meeting_is_paused() {
    let mut c = participant("m01");
    c.app.connected = Some(false);
    let away = c.text(160, 30);
    assert!(away.contains("连接中断，正在重连"), "{away}");
    c.app.chair_left_at = Some(c.now);
    let paused = c.text(160, 30);
    assert!(
        paused.contains("会议暂停：主持人的控制台已关闭"),
        "{paused}"
    );
    assert!(!paused.contains("正在重连"), "{paused}");
}

#[test]
fn the_answer_form_shows_the_whole_question_and_the_list_its_department() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    let long = "老旧小区加装电梯以后，底层住户的采光和通风受到影响，补偿标准由谁制定、资金从哪里出、多久能落实到位？请市房屋管理局给一个明确的时间表。";
    c.ask("p02", "fangguan", long);
    assert!(c.text(80, 24).contains("→市房屋"), "{}", c.text(80, 24));
    c.key(KeyCode::Char('r'));
    let screen = c.text(100, 30);
    // Wrapped, not cut: its first words and its last are both on screen.
    assert!(screen.contains("老旧小区加装电梯以后"), "{screen}");
    assert!(screen.contains("明确的时间表。"), "{screen}");
}

#[test]
fn a_hand_raised_while_someone_speaks_alerts_the_chair() {
    let mut c = mid_meeting();
    let speaker = c.app.state.speaker().unwrap().to_string();
    let events = execute(
        &mut c.state,
        Command::RaiseHand {
            mode: Mode::PointOfOrder,
        },
        Ctx::by("m03", c.now),
    )
    .unwrap();
    let entries = events
        .into_iter()
        .enumerate()
        .map(|(i, e)| Entry::new(c.seq + 1 + i as u64, e))
        .collect();
    let effects = update(&mut c.app, Msg::Recorded(entries), c.now);
    assert_eq!(effects, vec![Effect::Bell], "the bell rings");
    let screen = c.text(120, 40);
    // Above the keys, which stay in sight.
    let footer = screen.lines().rev().nth(1).unwrap();
    let name = c.app.name(&speaker).to_string();
    assert!(
        footer.contains("⚑") && footer.contains("程序") && footer.contains(&name),
        "{footer}"
    );
    // Nobody speaking: a hand is ordinary news, in the log only.
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.by("m01", Command::RaiseHand { mode: Mode::Normal });
    assert!(!c.text(120, 40).contains("⚑"));
}

#[test]
fn a_participant_rewrites_then_withdraws_their_own_question_from_the_keyboard() {
    let mut c = participant("m01");
    assert!(press(&mut c, "m01", KeyCode::Char('x')).is_empty());
    assert!(c.text(160, 30).contains("您没有待答复的提问可以撤回或修改"));
    c.ask("m01", "housing", "审批多久？");
    press(&mut c, "m01", KeyCode::Char('e'));
    assert!(matches!(&c.app.dialog, Dialog::EditQuestion { text, .. } if text == "审批多久？"));
    press(&mut c, "m01", KeyCode::Backspace);
    for ch in "，一个月内能否办完？".chars() {
        press(&mut c, "m01", KeyCode::Char(ch));
    }
    let effects = press(&mut c, "m01", KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Submit(Command::EditQuestion {
            question: "q1".into(),
            text: "审批多久，一个月内能否办完？".into()
        })]
    );
    assert_eq!(
        c.app.state.questions[0].text,
        "审批多久，一个月内能否办完？"
    );
    let effects = press(&mut c, "m01", KeyCode::Char('x'));
    assert_eq!(
        effects,
        vec![Effect::Submit(Command::WithdrawQuestion {
            question: "q1".into()
        })]
    );
    assert!(c.text(160, 30).contains("已撤回"), "{}", c.text(160, 30));
}

#[test]
fn answering_with_no_questions_says_how_to_record_one() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    assert!(c.key(KeyCode::Char('r')).is_empty());
    assert_eq!(c.app.dialog, Dialog::None);
    assert!(c.text(80, 24).contains("先按 w 记录提问"));
}

#[test]
fn a_refused_command_shows_its_sentence_in_the_footer_and_nothing_breaks() {
    let mut c = Console::new();
    c.key(KeyCode::Char('n'));
    let text = c.text(80, 24);
    assert!(
        text.lines()
            .nth(22)
            .unwrap()
            .contains("未执行: 会议尚未开始"),
        "{text}"
    );
    c.key(KeyCode::Char('s'));
    assert!(!c.text(80, 24).contains("未执行"), "the next key clears it");
}

#[test]
fn quitting_asks_first_and_ctrl_c_quits_too() {
    let mut c = Console::new();
    assert!(c.key(KeyCode::Char('q')).is_empty());
    assert!(c.text(80, 24).contains("退出控制台？"));
    assert_eq!(c.key(KeyCode::Char('y')), vec![Effect::Quit]);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(update(&mut c.app, Msg::Key(ctrl_c), c.now).is_empty());
    assert_eq!(c.app.dialog, Dialog::ConfirmQuit);
}

#[test]
fn help_lists_every_key_from_the_same_table() {
    let mut c = Console::new();
    c.key(KeyCode::Char('?'));
    let text = c.text(120, 40);
    for b in xieshang::tui::keys::BINDINGS {
        assert!(text.contains(b.zh), "help lacks {}", b.zh);
    }
    c.key(KeyCode::Char('z'));
    assert_eq!(c.app.dialog, Dialog::None, "any key closes the help");
}

#[test]
fn the_english_console_speaks_english() {
    let mut c = Console::new();
    c.app.lang = xieshang::meeting::plan::Language::En;
    c.key(KeyCode::Char('s'));
    c.key(KeyCode::Enter);
    let text = c.text(80, 24);
    assert!(
        text.contains("next speaker") && text.contains("Queue 0"),
        "{text}"
    );
}

/// The participant's console: the same screen, the participant's own keys.
fn participant(id: &str) -> Console {
    let mut c = Console::new();
    c.key(KeyCode::Char('s')); // the chair (through the core) starts the meeting
    c.app.seat = xieshang::tui::app::Seat::Participant(id.into());
    c.app.connected = Some(true);
    c
}

/// A participant's key, submitted as that participant.
fn press(c: &mut Console, id: &str, code: KeyCode) -> Vec<Effect> {
    let effects = update(
        &mut c.app,
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        c.now,
    );
    for e in &effects {
        if let Effect::Submit(cmd) = e {
            match execute(&mut c.state, cmd.clone(), Ctx::by(id, c.now)) {
                Ok(events) => c.record(events),
                Err(r) => {
                    let text = sentence(&r, c.app.lang, &c.state.plan);
                    update(&mut c.app, Msg::Refused(text), c.now);
                }
            }
        }
    }
    effects
}

/// The footer at a width that shows every key offered: its keys, and the
/// notice above them while one shows.
fn footer(c: &mut Console) -> String {
    let screen = c.text(200, 30);
    let rows: Vec<&str> = screen.lines().collect();
    rows[rows.len() - 2..].join("\n")
}

#[test]
fn a_participants_footer_offers_what_their_role_can_do_now_and_a_dead_key_says_why() {
    let mut c = participant("m01");
    let f = footer(&mut c);
    assert!(f.contains("举手发言") && f.contains("书面提问"), "{f}");
    assert!(
        !f.contains("部门答复"),
        "a member answers for no department: {f}"
    );
    // d does nothing for a member, and says why.
    assert!(press(&mut c, "m01", KeyCode::Char('d')).is_empty());
    assert!(
        footer(&mut c).contains("只有部门代表可以答复提问"),
        "{}",
        footer(&mut c)
    );
    // Holding the floor: no raising a hand, but yielding.
    c.by(
        "chair",
        Command::GrantFloor {
            participant: Some("m01".into()),
        },
    );
    press(&mut c, "m01", KeyCode::Tab); // the next key clears the flash
    let f = footer(&mut c);
    assert!(!f.contains("举手发言") && !f.contains("直接回应"), "{f}");
    assert!(f.contains("交还话筒"), "{f}");

    // A department's representative is offered d once a question is put to them.
    let mut c = participant("d-housing");
    assert!(!footer(&mut c).contains("部门答复"), "no question yet");
    c.ask("p01", "housing", "审批能否一网通办？");
    assert!(footer(&mut c).contains("部门答复"), "{}", footer(&mut c));

    // The chair's keys that act on a list say why when there is nothing to act on.
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    assert!(c.key(KeyCode::Char('d')).is_empty());
    assert!(
        c.text(80, 24).contains("排队中没有人"),
        "{}",
        c.text(80, 24)
    );
    assert!(c.key(KeyCode::Char('o')).is_empty());
    assert!(c.text(80, 24).contains("本环节没有测评"));
}

#[test]
fn a_participant_raises_a_hand_asks_and_votes_from_the_keyboard() {
    let mut c = participant("m02");
    assert_eq!(
        press(&mut c, "m02", KeyCode::Char('o')),
        vec![Effect::Submit(Command::RaiseHand {
            mode: Mode::PointOfOrder
        })]
    );
    assert_eq!(
        press(&mut c, "m02", KeyCode::Char('w')),
        vec![Effect::Submit(Command::WithdrawHand)]
    );
    assert!(press(&mut c, "m02", KeyCode::Char('a')).is_empty());
    for ch in "房屋".chars() {
        press(&mut c, "m02", KeyCode::Char(ch));
    }
    press(&mut c, "m02", KeyCode::Enter);
    for ch in "补偿标准？".chars() {
        press(&mut c, "m02", KeyCode::Char(ch));
    }
    let effects = press(&mut c, "m02", KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Submit(Command::SubmitQuestion {
            department: "fangguan".into(),
            text: "补偿标准？".into(),
            asker: Some("m02".into())
        })]
    );
    // Voting once the chair opens the poll: target, then choice.
    c.app.seat = xieshang::tui::app::Seat::Chair;
    c.key(KeyCode::Char('g'));
    c.keys("满意度");
    c.key(KeyCode::Enter);
    c.key(KeyCode::Char('o'));
    c.app.seat = xieshang::tui::app::Seat::Participant("m02".into());
    press(&mut c, "m02", KeyCode::Char('v'));
    for ch in "房屋".chars() {
        press(&mut c, "m02", KeyCode::Char(ch));
    }
    press(&mut c, "m02", KeyCode::Enter);
    for ch in "基本".chars() {
        press(&mut c, "m02", KeyCode::Char(ch));
    }
    let effects = press(&mut c, "m02", KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Submit(Command::Vote {
            poll: "rating".into(),
            choice: "基本满意".into(),
            target: Some("fangguan".into())
        })]
    );
    let text = c.text(80, 24);
    assert!(
        text.contains("您 何静") && text.contains("已连接"),
        "{text}"
    );
}

#[test]
fn the_participants_own_place_in_the_queue_stands_out_and_the_chairs_keys_do_nothing() {
    let mut c = participant("m02");
    c.by("m01", Command::RaiseHand { mode: Mode::Normal });
    press(&mut c, "m02", KeyCode::Char('h'));
    assert!(
        press(&mut c, "m02", KeyCode::Char('n')).is_empty(),
        "n is the chair's"
    );
    assert!(
        press(&mut c, "m02", KeyCode::Enter).is_empty(),
        "so is Enter"
    );
    let t = c.screen(80, 24);
    let buf = t.backend().buffer().clone();
    // Row 10 is the queue's second entry, the participant's own.
    let own = (1..30)
        .map(|x| buf[(x, 10)].fg)
        .any(|fg| fg == Color::Yellow);
    assert!(own, "{}", c.text(80, 24));
    c.app.connected = Some(false);
    assert!(c.text(80, 24).contains("正在重连"));
}

#[test]
fn the_projector_shows_the_speaker_and_a_large_countdown() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.key(KeyCode::Enter);
    c.by("m01", Command::RaiseHand { mode: Mode::Normal });
    c.app.seat = xieshang::tui::app::Seat::Projector;
    c.wait(30 * SEC);
    let text = c.text(120, 40);
    assert!(
        text.contains("居民代表 吴阿姨") && text.contains("群众提问"),
        "{text}"
    );
    assert!(text.contains("██████"), "large digits: {text}");
    let limit = c.app.state.floor.as_ref().unwrap().timer.limit_ms;
    let limit = format!("限时 {}", xieshang::lang::clock(limit));
    assert!(text.contains(&limit), "the limit, {limit}: {text}");
    // A larger screen, larger digits: the longest run of blocks grows.
    let run = |t: &str| {
        t.lines()
            .map(|l| {
                l.split(|c| c != '█')
                    .map(|r| r.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0)
    };
    let wall = c.text(240, 70);
    assert!(run(&wall) > run(&text), "{wall}");
    assert!(
        update(
            &mut c.app,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            c.now
        )
        .is_empty(),
        "read-only"
    );
    for (w, h) in [(1, 1), (20, 5), (80, 24)] {
        c.screen(w, h);
    }
}

#[test]
fn a_key_an_overlay_does_not_use_closes_it_and_then_acts() {
    use xieshang::meeting::Status;
    // The demo opens on the participants screen, whose footer says `s` starts.
    let overlays = [
        Dialog::Help,
        Dialog::Participants { selected: 0 },
        Dialog::Audience,
        Dialog::ConfirmQuit,
        Dialog::ConfirmClose,
        Dialog::QueueMode {
            participant: "m01".into(),
        },
    ];
    for overlay in overlays {
        let mut c = Console::new();
        c.app.dialog = overlay.clone();
        let effects = c.key(KeyCode::Char('s'));
        assert_eq!(
            effects,
            vec![Effect::Submit(Command::StartMeeting)],
            "{overlay:?}"
        );
        assert_eq!(c.app.dialog, Dialog::None, "{overlay:?} closed");
        assert_eq!(c.state.status, Status::Running, "{overlay:?}");
        // Esc only closes.
        c.app.dialog = overlay.clone();
        assert!(c.key(KeyCode::Esc).is_empty(), "{overlay:?}");
        assert_eq!(c.app.dialog, Dialog::None);
    }
    // A confirmation still needs its own key to do what it asks.
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.key(KeyCode::Char('x'));
    assert_eq!(c.app.dialog, Dialog::ConfirmClose);
    assert_eq!(
        c.key(KeyCode::Char('y')),
        vec![Effect::Submit(Command::CloseMeeting)]
    );
}

#[test]
fn the_chair_adds_a_walk_in_and_is_shown_their_code_at_once() {
    use xieshang::meeting::Role;
    let mut c = Console::new();
    let people = |c: &Console| -> Vec<(String, String)> {
        c.state
            .plan
            .participants
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), format!("{i:032x}")))
            .collect()
    };
    c.app.join = Some(xieshang::tui::app::JoinInfo {
        links: xieshang::links::Links::new("127.0.0.1:7878".parse().unwrap(), None, false, &[]),
        people: people(&c),
        trust: String::new(),
        free: Vec::new(),
        program: "xieshang".into(),
        audience: Some("hall0123456789abcdef0123456789".into()),
    });
    c.key(KeyCode::Char('i'));
    assert!(
        c.text(100, 30).contains("a 临时加入"),
        "the screen says how"
    );
    c.key(KeyCode::Char('a'));
    c.keys("王大爷");
    c.key(KeyCode::Tab); // 群众 → 委员 → 专家 → 部门
    c.key(KeyCode::Tab);
    c.key(KeyCode::Tab);
    c.key(KeyCode::Right);
    let form = c.text(100, 30);
    assert!(
        form.contains("临时加入") && form.contains("王大爷"),
        "{form}"
    );
    let second = &c.state.plan.departments[1].name;
    assert!(
        form.contains(second.as_str()),
        "← → chose the second department: {form}"
    );
    let effects = c.key(KeyCode::Enter);
    let [Effect::Submit(Command::AddParticipant {
        name,
        role,
        department,
        ..
    })] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(
        (name.as_str(), *role, department.as_deref()),
        (
            "王大爷",
            Role::Department,
            Some(c.state.plan.departments[1].id.as_str())
        )
    );
    // Recorded: the console has them, and opens their code (once the token is known).
    let added = c.state.participant("guest1").expect("added").clone();
    assert_eq!(c.app.state.participant("guest1"), Some(&added));
    let new_people = people(&c);
    c.app.join.as_mut().unwrap().people = new_people;
    let last = c.state.plan.participants.len() - 1;
    assert_eq!(c.app.dialog, Dialog::Participants { selected: last });
    let screen = c.text(100, 40);
    assert!(screen.contains("王大爷"), "{screen}");
    assert!(
        screen.contains("█") || screen.contains("▀"),
        "their code: {screen}"
    );
    // Esc in the form goes back to the list and adds nobody.
    c.app.dialog = Dialog::None;
    c.key(KeyCode::Char('i'));
    c.key(KeyCode::Char('a'));
    c.keys("x");
    assert!(c.key(KeyCode::Esc).is_empty());
    assert!(matches!(c.app.dialog, Dialog::Participants { .. }));
    assert!(c.state.participant("guest2").is_none());
}

#[test]
fn a_large_terminal_shows_whole_questions_and_who_is_next_beside_the_clock() {
    let mut c = mid_meeting();
    let long = "老旧小区加装电梯涉及规划、消防、特种设备等多个部门，审批流程能否合并为一个窗口一次办结，并公开每一步的时限和责任人？";
    c.ask("p01", "housing", long);
    let roomy = c.text(200, 60);
    // The whole question, over its lines (the right-hand panels' rows joined).
    let joined: String = roomy
        .lines()
        .map(|l| l.split('│').nth(3).unwrap_or("").trim().to_string())
        .collect();
    assert!(joined.contains(long), "the question reads whole:\n{roomy}");
    assert!(
        roomy.contains("下一位"),
        "who is next, under the clock:\n{roomy}"
    );
    // Narrow, each question keeps to one line, cut short.
    let narrow = c.text(80, 24);
    assert!(!narrow.contains("并公开每一步"), "{narrow}");
}

#[test]
fn a_projector_on_a_relay_says_when_the_broadcast_is_interrupted_and_when_it_is_back() {
    let mut c = mid_meeting();
    c.app.seat = xieshang::tui::app::Seat::Projector;
    let said = |c: &mut Console, text: &str, error: bool| {
        let text = text.to_string();
        update(&mut c.app, Msg::Notice { text, error }, c.now);
        c.text(100, 30)
    };
    let screen = said(
        &mut c,
        "直播转发暂时中断：会议仍在进行，恢复后自动补上",
        true,
    );
    assert!(screen.contains("直播转发暂时中断"), "{screen}");
    let screen = said(&mut c, "直播转发已恢复", false);
    assert!(!screen.contains("暂时中断"), "{screen}");
}

#[test]
fn the_terminal_projector_shows_every_state_the_page_does() {
    let mut c = Console::new();
    c.app.seat = xieshang::tui::app::Seat::Projector;
    let link = "http://192.168.1.23:7878/join#t=0123456789abcdef0123456789abcdef";
    c.app.audience = Some(link.into());
    // Before: the title, the venue, the agenda, and the audience's code.
    for (w, h) in [(120, 40), (80, 24)] {
        let screen = c.text(w, h);
        assert!(
            screen.contains("老旧小区加装电梯工作"),
            "{w}x{h}:\n{screen}"
        );
        assert!(screen.contains("为民协商厅"), "{w}x{h}:\n{screen}");
        assert!(screen.contains("1.1 群众提问"), "{w}x{h}:\n{screen}");
    }
    let wide = c.text(160, 50);
    assert_eq!(
        crate::common::qr::decode_screen(&wide),
        vec![link.to_string()],
        "{wide}"
    );
    assert!(wide.contains("扫码参与"), "{wide}");
    // Someone speaks: the countdown in large digits.
    c.by("chair", Command::StartMeeting);
    c.wait(SEC)
        .by("chair", Command::GrantFloor { participant: None });
    c.ask(
        "p01",
        "housing",
        "加装电梯审批能否一网通办、压缩到一个月内？",
    );
    let screen = c.text(120, 40);
    assert!(screen.contains("██"), "{screen}");
    // The question step: the board and the question at hand, whole.
    assert!(
        screen.contains("部门答复") && screen.contains("市住房城乡建设管理委"),
        "{screen}"
    );
    assert!(screen.contains("压缩到一个月内"), "{screen}");
    // Past the limit: red, and said in words.
    c.wait(600 * SEC);
    let screen = c.text(120, 40);
    assert!(screen.contains("超时"), "{screen}");
    // The evaluation: how many have voted, then the results.
    c.by("chair", Command::GotoStep { item: 0, step: 4 });
    c.by(
        "chair",
        Command::OpenPoll {
            poll: "rating".into(),
        },
    );
    c.by(
        "m01",
        Command::Vote {
            poll: "rating".into(),
            choice: "满意".into(),
            target: Some("housing".into()),
        },
    );
    let screen = c.text(120, 40);
    assert!(
        screen.contains("人已投票") && screen.contains("评议对象"),
        "{screen}"
    );
    assert!(
        screen.contains("██"),
        "the turnout in large digits: {screen}"
    );
    c.by(
        "chair",
        Command::ClosePoll {
            poll: "rating".into(),
        },
    );
    let screen = c.text(120, 40);
    assert!(screen.contains("满意 1"), "{screen}");
    // After: what the meeting came to.
    c.wait(60 * SEC).by("chair", Command::CloseMeeting);
    for (w, h) in [(120, 40), (80, 24)] {
        let screen = c.text(w, h);
        assert!(
            screen.contains("会议结束") && screen.contains("发言人数"),
            "{w}x{h}:\n{screen}"
        );
        assert!(screen.contains("满意 1"), "{w}x{h}:\n{screen}");
    }
}

/// The 会商监督 meeting with a review (回头看) after it: an earlier promise of
/// the housing department, asked by the resident 吴阿姨, 30 days overdue.
fn with_a_review() -> Console {
    use xieshang::meeting::followups::Date;
    use xieshang::meeting::review::ReviewItem;
    let text = include_str!("../scenarios/huishang-supervision.toml")
        .replacen(
            "register = \"../meetings/register.db\"",
            "register = \"r.db\"",
            1,
        )
        + "\n[[agenda]]\ntitle = \"回头看\"\n[[agenda.steps]]\nkind = \"review\"\ntitle = \"上次承诺落实情况\"\nreview_departments = [\"housing\"]\n";
    let mut plan = parse_plan("huishang-supervision.toml", &text).unwrap();
    let step = &mut plan.agenda.last_mut().unwrap().steps[0];
    step.review.as_mut().unwrap().found = vec![ReviewItem {
        id: "m0/q1".into(),
        department: "housing".into(),
        department_name: "市住房城乡建设管理委".into(),
        asker: "p01".into(),
        asker_name: "居民代表 吴阿姨".into(),
        asker_who: None,
        asker_role: String::new(),
        asker_sector: None,
        meeting: "加装电梯专题协商".into(),
        date: Date::parse("2026-09-18").unwrap(),
        question: "加装电梯审批能否一网通办、压缩到一个月内？".into(),
        promise: "两个月内实现全市加装电梯审批一网通办".into(),
        deadline: Date::parse("2026-10-19").unwrap(),
        state: "in_progress".into(),
        days_over: 30,
        last: Some("已完成系统方案".into()),
    }];
    plan.reindex();
    Console::of(plan)
}

#[test]
fn the_terminal_projector_shows_the_review_the_page_does() {
    use xieshang::meeting::followups::Rating;
    use xieshang::meeting::review::Outcome;
    let mut c = with_a_review();
    c.app.seat = xieshang::tui::app::Seat::Projector;
    c.by("chair", Command::StartMeeting);
    let last = c.app.state.plan.agenda.len() - 1;
    c.by(
        "chair",
        Command::GotoStep {
            item: last,
            step: 0,
        },
    );
    // Nothing called yet: every promise under review, its department, how
    // late it is and its state, so the room sees what the step is about.
    assert_eq!(c.app.state.screen(), Screen::Review);
    for (w, h) in [(120, 40), (80, 24)] {
        let screen = c.text(w, h);
        for said in [
            "回头看 · 待回顾的承诺 1",
            "市住房城乡建设管理委",
            "逾期30天",
            "办理中",
        ] {
            assert!(screen.contains(said), "{w}x{h}: {said}\n{screen}");
        }
    }
    // The chair calls the promise and gives its department the floor.
    let item = "m0/q1";
    c.by("chair", Command::ReviewCall { item: item.into() });
    c.wait(SEC)
        .by("chair", Command::GrantFloor { participant: None });
    c.wait(20 * SEC);
    assert_eq!(c.app.state.screen(), Screen::Review);
    for (w, h) in [(120, 40), (80, 24)] {
        let screen = c.text(w, h);
        for said in [
            "回头看 · 加装电梯专题协商 · 居民代表 吴阿姨",
            "市住房城乡建设管理委",
            "压缩到一个月内？",
            "承诺：两个月内实现全市加装电梯审批一网通办",
            "逾期30天",
            "市住房城乡建设管理委 副主任",
        ] {
            assert!(screen.contains(said), "{w}x{h}: {said}\n{screen}");
        }
        assert!(
            screen.contains("██"),
            "the countdown, large: {w}x{h}\n{screen}"
        );
    }
    // What the meeting found, and the asker's rating, each in its colour.
    c.by(
        "chair",
        Command::ReviewRecord {
            item: item.into(),
            outcome: Outcome::Delivered,
            due: None,
            note: Some("审批已压缩到一个月内".into()),
        },
    );
    c.by(
        "p01",
        Command::ReviewRate {
            item: item.into(),
            rating: Rating::Dissatisfied,
            reason: Some("老楼仍要跑三个窗口".into()),
        },
    );
    let found = "本次结论：已落实 · 审批已压缩到一个月内";
    let rated = "满意度：不满意：老楼仍要跑三个窗口";
    let screen = c.text(120, 40);
    assert!(screen.contains(found) && screen.contains(rated), "{screen}");
    insta::assert_snapshot!("projector_review_120x40", screen);
    let t = c.screen(120, 40);
    let buf = t.backend().buffer();
    let colour_of = |text: &str| {
        let y = screen.lines().position(|l| l.contains(text)).unwrap() as u16;
        buf[(0, y)].fg
    };
    assert_eq!(colour_of(found), Color::Green);
    assert_eq!(colour_of(rated), Color::Red);
    assert_eq!(colour_of("逾期30天"), Color::Red);
    // Small, it still fits: no line wider than the terminal, and nothing panics.
    let small = c.text(80, 24);
    assert!(small.contains("已落实"), "{small}");
    for l in small.lines() {
        assert!(
            xieshang::text::width(l) <= 80,
            "wider than the terminal: {l}"
        );
    }
    for (w, h) in [(1, 1), (20, 5), (40, 10)] {
        c.screen(w, h);
    }
    // The step over, the review is let go with it; the summary says what the
    // review found, beside the questions' outcomes.
    c.by("chair", Command::CloseMeeting);
    assert_eq!(c.app.state.screen(), Screen::Summary);
    let summary = c.text(120, 40);
    assert!(
        summary.contains("回头看 已落实 1 正在办理 0 未落实 0 不满意 1"),
        "{summary}"
    );
}

#[test]
fn a_long_question_typed_by_the_chair_shows_its_end_and_the_cursor() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.key(KeyCode::Char('w'));
    c.keys("郑");
    c.key(KeyCode::Enter);
    c.keys("房屋");
    c.key(KeyCode::Enter);
    let question =
        "加装电梯以后，低楼层住户的采光和噪声问题由谁来评估，补偿标准由谁来定，资金从哪里出，\
                    审批流程能否再简化，时限能否再缩短，后续维保费用又由谁来承担？"
            .repeat(3)
            + "最后一句在这里";
    c.keys(&question);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = c.text(w, h);
        assert!(
            screen.contains("最后一句在这里▏"),
            "{w}x{h}: the end and the cursor are in sight:\n{screen}"
        );
        assert!(
            screen.contains('…'),
            "{w}x{h}: the cut beginning is marked:\n{screen}"
        );
    }
    // What is sent is the whole text.
    let effects = c.key(KeyCode::Enter);
    assert!(
        matches!(&effects[..], [Effect::Submit(Command::SubmitQuestion { text, .. })] if *text == question),
        "{effects:?}"
    );
}

#[test]
fn the_participants_screen_says_how_to_let_phones_in_when_it_listens_on_loopback() {
    let mut c = Console::new();
    let links = |at: &str| {
        xieshang::links::Links::new(
            at.parse().unwrap(),
            None,
            false,
            &["192.168.1.23".parse().unwrap()],
        )
    };
    for (at, told) in [("127.0.0.1:7878", true), ("0.0.0.0:7878", false)] {
        c.app.join = Some(xieshang::tui::app::JoinInfo {
            links: links(at),
            people: c
                .state
                .plan
                .participants
                .iter()
                .map(|p| (p.id.clone(), format!("tok-{}", p.id)))
                .collect(),
            trust: String::new(),
            free: Vec::new(),
            program: "xieshang".into(),
            audience: Some("hall0123456789abcdef0123456789".into()),
        });
        c.app.dialog = Dialog::Participants { selected: 0 };
        let screen = c.text(160, 50);
        assert_eq!(
            screen.contains("--listen 0.0.0.0:7878"),
            told,
            "{at}:\n{screen}"
        );
        if !told {
            assert!(
                screen.contains("http://192.168.1.23:7878/join#t=tok-"),
                "{screen}"
            );
        }
    }
}

#[test]
fn a_console_nobody_joins_marks_attendance_on_the_participants_screen() {
    use xieshang::meeting::attendance::Attendance;
    let mut c = Console::new();
    assert!(c.app.join.is_none(), "run without --listen");
    c.key(KeyCode::Char('i'));
    let screen = c.text(80, 24);
    assert!(
        screen.contains("参会人 · 签到") && screen.contains("空格 签到"),
        "{screen}"
    );
    // The second participant: present, then late.
    c.key(KeyCode::Down);
    let second = c.state.plan.participants[1].id.clone();
    let effects = c.key(KeyCode::Char(' '));
    assert_eq!(
        effects,
        vec![Effect::Submit(Command::MarkAttendance {
            participant: second.clone(),
            mark: Some(Attendance::Present)
        })]
    );
    c.by(
        "chair",
        Command::MarkAttendance {
            participant: second.clone(),
            mark: Some(Attendance::Present),
        },
    );
    let effects = c.key(KeyCode::Char(' '));
    assert_eq!(
        effects,
        vec![Effect::Submit(Command::MarkAttendance {
            participant: second.clone(),
            mark: Some(Attendance::Late)
        })]
    );
    assert!(
        matches!(c.app.dialog, Dialog::Participants { selected: 1 }),
        "the screen stays"
    );
    let screen = c.text(80, 24);
    assert!(screen.contains("出席"), "the mark is shown: {screen}");
}

#[test]
fn a_second_enter_within_three_seconds_asks_before_cutting_the_speaker_off() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.wait(10 * SEC).key(KeyCode::Enter);
    let speaker = c.state.floor.as_ref().unwrap().speaker.clone();
    // By habit, ⏎ again a second later: nothing is submitted, the chair is asked.
    assert!(c.wait(SEC).key(KeyCode::Enter).is_empty());
    let screen = c.text(80, 24);
    assert!(screen.contains("刚开始发言"), "{screen}");
    assert!(screen.contains("y 结束并请下一位发言"), "{screen}");
    // Any other key keeps the speaker.
    assert!(c.key(KeyCode::Char('n')).is_empty());
    assert_eq!(c.state.floor.as_ref().unwrap().speaker, speaker);
    // `e` just as fresh asks too; `y` ends it.
    assert!(c.key(KeyCode::Char('e')).is_empty());
    assert!(c.text(80, 24).contains("y 结束这次发言"));
    assert_eq!(
        c.key(KeyCode::Char('y')),
        vec![Effect::Submit(Command::EndSpeech)]
    );
    assert!(c.state.floor.is_none());
    // A turn older than three seconds ends on one key.
    c.key(KeyCode::Enter);
    c.wait(4 * SEC);
    assert_eq!(
        c.key(KeyCode::Enter),
        vec![Effect::Submit(Command::GrantFloor { participant: None })]
    );
}

#[test]
fn leaving_the_answers_with_questions_pending_is_said_before_not_after() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    let respond = c
        .state
        .plan
        .positions()
        .iter()
        .copied()
        .find(|&p| c.state.plan.step(p).unwrap().kind == xieshang::meeting::StepKind::Respond)
        .unwrap();
    let dept = c.state.plan.step(respond).unwrap().departments[0].clone();
    let asker = c
        .state
        .plan
        .participants
        .iter()
        .find(|p| p.role == Role::Member)
        .unwrap()
        .id
        .clone();
    c.ask(&asker, &dept, "何时完成？");
    c.by(
        "chair",
        Command::GotoStep {
            item: respond.item,
            step: respond.step,
        },
    );
    c.wait(60 * SEC);
    assert!(c.key(KeyCode::Char('n')).is_empty(), "not left on one key");
    let screen = c.text(120, 36);
    assert!(screen.contains("还有 1 个提问未答复"), "{screen}");
    assert!(screen.contains("y 进入下一环节"), "{screen}");
    let before = c.state.position;
    c.key(KeyCode::Esc);
    assert_eq!(c.state.position, before, "Esc stays");
    c.key(KeyCode::Char('n'));
    assert_eq!(
        c.key(KeyCode::Char('y')),
        vec![Effect::Submit(Command::NextStep)]
    );
    assert_ne!(c.state.position, before);
}

#[test]
fn the_footer_puts_the_poll_first_in_an_evaluation_and_the_queue_shows_its_keys() {
    let mut c = mid_meeting();
    // The queue has the cursor and people in it: its keys are on its border.
    assert!(!c.state.queue.is_empty());
    let screen = c.text(80, 24);
    assert!(screen.contains("K/J 上下移 · d 移出 · c 关闭"), "{screen}");
    c.key(KeyCode::Tab);
    assert!(
        !c.text(80, 24).contains("K/J 上下移"),
        "not on the questions' turn"
    );
    c.key(KeyCode::Tab);
    c.key(KeyCode::Char('g'));
    c.keys("满意度");
    c.key(KeyCode::Enter);
    let footer = c.text(80, 24).lines().last().unwrap().to_string();
    let o = footer.find("o 开启/关闭测评").expect(&footer);
    assert!(footer.find("f 指定发言").is_none_or(|f| o < f), "{footer}");
    assert!(footer.starts_with("o "), "{footer}");
}

#[test]
fn a_walk_in_without_a_sector_at_the_floor_has_no_empty_place_between_dots() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.by(
        "chair",
        Command::AddParticipant {
            name: "王大爷".into(),
            role: Role::Public,
            sector: None,
            department: None,
        },
    );
    let id = c.state.plan.participants.last().unwrap().id.clone();
    c.by(
        "chair",
        Command::GrantFloor {
            participant: Some(id),
        },
    );
    let screen = c.text(80, 24);
    assert!(screen.contains("王大爷"), "{screen}");
    assert!(!screen.contains("·  ·"), "{screen}");
}

#[test]
fn at_80x24_the_participants_screen_says_what_is_scrolled_off_and_cuts_no_word() {
    let mut c = Console::new();
    c.app.join = Some(xieshang::tui::app::JoinInfo {
        links: xieshang::links::Links::new("127.0.0.1:7878".parse().unwrap(), None, false, &[]),
        people: c
            .state
            .plan
            .participants
            .iter()
            .map(|p| (p.id.clone(), format!("tok{}0123456789abcdef", p.id)))
            .collect(),
        trust: String::new(),
        free: Vec::new(),
        program: "cargo run --release --".into(),
        audience: Some("hall0123456789abcdef0123456789".into()),
    });
    let people = c.state.plan.participants.clone();
    c.app.dialog = Dialog::Participants { selected: 0 };
    let screen = c.text(80, 24);
    assert!(
        screen.contains("↓ 还有"),
        "the rows below are counted:\n{screen}"
    );
    // The last one, selected, is in sight, with the rows above counted.
    c.app.dialog = Dialog::Participants {
        selected: people.len() - 1,
    };
    let screen = c.text(80, 24);
    assert!(screen.contains(&people.last().unwrap().name), "{screen}");
    assert!(screen.contains("↑ 还有"), "{screen}");
    // Words and tokens whole: the command's name, the token, each key.
    let joined: Vec<&str> = screen.lines().map(str::trim_end).collect();
    assert!(
        joined
            .iter()
            .any(|l| l.contains(" join ") || l.ends_with(" join")),
        "{screen}"
    );
    let token = format!("tok{}0123456789abcdef", people.last().unwrap().id);
    assert!(
        joined.iter().filter(|l| l.contains(&token)).count() >= 2,
        "the token whole in the link and the command:\n{screen}"
    );
    assert!(
        screen.contains("Esc 返回"),
        "the keys are not cut:\n{screen}"
    );
}

#[test]
fn the_pick_list_says_how_many_more_there_are() {
    let mut c = mid_meeting();
    for i in 0..30 {
        c.by(
            "chair",
            Command::AddParticipant {
                name: format!("居民{i:02}"),
                role: Role::Public,
                sector: None,
                department: None,
            },
        );
    }
    c.key(KeyCode::Char('f'));
    let screen = c.text(120, 35);
    assert!(screen.contains("↓ 还有"), "{screen}");
    assert!(!screen.contains("居民29  群众"), "{screen}");
    for _ in 0..60 {
        c.key(KeyCode::Down);
    }
    let screen = c.text(120, 35);
    assert!(
        screen.contains("居民29  群众"),
        "the cursor row is in sight:\n{screen}"
    );
    assert!(screen.contains("↑ 还有"), "{screen}");
}

#[test]
fn a_participant_at_the_floor_is_told_so_and_how_to_give_it_back() {
    let mut c = participant("m01");
    press(&mut c, "m01", KeyCode::Char('h'));
    // Again: refused, said on the footer…
    press(&mut c, "m01", KeyCode::Char('h'));
    assert!(footer(&mut c).contains("未执行"), "{}", footer(&mut c));
    // …until the floor comes: then the footer offers y first, and a banner says it.
    c.wait(2 * SEC).by(
        "chair",
        Command::GrantFloor {
            participant: Some("m01".into()),
        },
    );
    let f = footer(&mut c);
    let keys = f.lines().last().unwrap();
    assert!(keys.starts_with("y 交还话筒"), "{f}");
    assert!(!f.contains("未执行"), "the earlier refusal is gone: {f}");
    let screen = c.text(80, 24);
    assert!(screen.contains("▶ 请您发言"), "{screen}");
    // A refusal fades by itself after a few seconds, key or no key.
    press(&mut c, "m01", KeyCode::Char('d'));
    assert!(footer(&mut c).contains("只有部门代表"));
    c.wait(6 * SEC);
    assert!(
        !footer(&mut c).contains("只有部门代表"),
        "{}",
        footer(&mut c)
    );
}

#[test]
fn a_participant_rates_a_named_department_and_leaves_in_their_own_words() {
    let mut c = participant("m02");
    c.by("chair", Command::GotoStep { item: 0, step: 4 });
    c.by(
        "chair",
        Command::OpenPoll {
            poll: "rating".into(),
        },
    );
    press(&mut c, "m02", KeyCode::Char('v'));
    press(&mut c, "m02", KeyCode::Enter); // the first department
    let first = c
        .state
        .plan
        .step(c.state.position.unwrap())
        .unwrap()
        .poll
        .as_ref()
        .unwrap()
        .targets[0]
        .clone();
    let name = c.state.plan.department(&first).unwrap().name.clone();
    let screen = c.text(120, 36);
    assert!(screen.contains(&format!("您的评价 · {name}")), "{screen}");
    press(&mut c, "m02", KeyCode::Esc);
    // Leaving: the participant's words, not the chair's.
    press(&mut c, "m02", KeyCode::Char('q'));
    let screen = c.text(120, 36);
    assert!(screen.contains("重新加入"), "{screen}");
    assert!(!screen.contains("可随时继续"), "{screen}");
    press(&mut c, "m02", KeyCode::Char('n'));
    // The meeting closed and the chair gone: over, not paused.
    c.by("chair", Command::CloseMeeting);
    c.app.connected = Some(false);
    c.app.chair_left_at = Some(c.now);
    let screen = c.text(120, 36);
    assert!(screen.contains("■ 会议结束"), "{screen}");
    assert!(!screen.contains("重新打开后自动恢复"), "{screen}");
}

#[test]
fn the_chair_of_a_closed_meeting_is_not_told_it_can_go_on() {
    let mut c = Console::new();
    c.key(KeyCode::Char('s'));
    c.by("chair", Command::CloseMeeting);
    c.key(KeyCode::Char('q'));
    let screen = c.text(120, 36);
    assert!(screen.contains("会议已结束，记录已保存"), "{screen}");
    assert!(!screen.contains("可随时继续"), "{screen}");
}

/// A meeting resumed after a crash says, as the console opens, when its last
/// record was and how much time since is not counted (the turn's clock is
/// paused there).
#[test]
fn a_console_resumed_after_a_crash_says_how_much_time_went_unrecorded() {
    use xieshang::tui::console::{chair_app, Opening};
    let plan = parse_plan(
        "huishang-supervision.toml",
        include_str!("../scenarios/huishang-supervision.toml"),
    )
    .unwrap();
    let journal = std::path::Path::new("meetings/m.journal");
    let app = chair_app(
        xieshang::meeting::plan::Language::Zh,
        Opening {
            plan: &plan,
            history: Vec::new(),
            resumed: true,
            warnings: &[],
            unaccounted: Some(xieshang::hub::Unaccounted {
                since_ms: 1_796_000_000_000,
                ms: 95_000,
            }),
            journal,
            greeting: None,
        },
    );
    let screen = crate::common::screen::text(&app, 120, 40);
    assert!(
        screen.contains("未计入") && screen.contains("1:35"),
        "{screen}"
    );
}

/// Issue 34, 8: a notice (here a relay's trouble) takes a row of its own above
/// the footer, so the keys stay in sight, and fades within ten seconds.
#[test]
fn a_notice_fades_and_never_hides_the_keys() {
    let mut c = mid_meeting();
    update(
        &mut c.app,
        Msg::Notice {
            text: "转播中断：正在重试".into(),
            error: true,
        },
        c.now,
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = c.text(w, h);
        let rows: Vec<&str> = screen.lines().collect();
        let last = rows[rows.len() - 1];
        assert!(
            last.contains("? 帮助"),
            "{w}x{h}: the keys are hidden\n{screen}"
        );
        assert!(
            rows[rows.len() - 2].contains("转播中断"),
            "{w}x{h}: the notice above the keys\n{screen}"
        );
        assert_eq!(
            screen.matches("转播中断").count(),
            2,
            "in the log and above the keys"
        );
    }
    assert!(c.app.redraw_soon(), "the console comes back to fade it");
    c.wait(10 * SEC);
    assert!(!c.app.redraw_soon() || c.app.clock_running());
    let screen = c.text(80, 24);
    assert_eq!(
        screen.matches("转播中断").count(),
        1,
        "gone from above the footer, kept in the log\n{screen}"
    );
    // An alert (a hand raised while someone speaks) fades too.
    let someone = c
        .app
        .state
        .plan
        .participants
        .iter()
        .map(|p| p.id.clone())
        .find(|id| {
            id != "chair"
                && c.app.state.speaker() != Some(id.as_str())
                && !c
                    .app
                    .state
                    .queue
                    .entries
                    .iter()
                    .any(|e| &e.participant == id)
                && c.app
                    .state
                    .plan
                    .participant(id)
                    .is_some_and(|p| p.role == Role::Member)
        })
        .unwrap();
    c.by(
        &someone,
        Command::RaiseHand {
            mode: Mode::PointOfOrder,
        },
    );
    assert!(c.app.flash.is_some(), "an alert");
    c.wait(10 * SEC);
    let footer = c.text(80, 24);
    assert!(!footer.contains("举手（"), "{footer}");
}

/// The review step's console, as far as its first earlier promise.
fn at_the_review() -> Console {
    let mut c = with_a_review();
    c.by("chair", Command::StartMeeting);
    let last = c.app.state.plan.agenda.len() - 1;
    c.by(
        "chair",
        Command::GotoStep {
            item: last,
            step: 0,
        },
    );
    c
}

/// Issue 34, 8: the review list marks its panel and its cursor as the other
/// lists do, and Tab's move shows.
#[test]
fn the_review_list_shows_its_cursor_and_tab_moves_the_mark() {
    let mut c = at_the_review();
    assert_eq!(c.app.focus, Focus::Queue);
    let before = c.text(80, 24);
    assert!(!before.contains("▶ 回头看"), "{before}");
    c.key(KeyCode::Tab);
    assert_eq!(c.app.focus, Focus::Questions);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = c.text(w, h);
        assert!(
            screen.contains("▶ 回头看"),
            "{w}x{h}: the panel is marked\n{screen}"
        );
        assert!(
            screen.lines().any(|l| l.contains("› 市住房城")),
            "{w}x{h}: the cursor's row is marked\n{screen}"
        );
        assert!(!screen.contains("▶ 排队"), "{w}x{h}\n{screen}");
    }
}

/// Issue 34, 8: `n` asks before leaving a review with a promise called and
/// nothing recorded of it; once recorded, it does not ask for that.
#[test]
fn leaving_a_review_with_a_called_promise_unrecorded_asks_first() {
    use xieshang::meeting::review::Outcome;
    let mut c = at_the_review();
    c.by(
        "chair",
        Command::ReviewCall {
            item: "m0/q1".into(),
        },
    );
    let effects = c.key(KeyCode::Char('n'));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(c.app.dialog, Dialog::ConfirmNext), "asks first");
    let screen = c.text(100, 30);
    assert!(screen.contains("尚未记录落实情况"), "{screen}");
    c.key(KeyCode::Esc);
    c.by(
        "chair",
        Command::ReviewRecord {
            item: "m0/q1".into(),
            outcome: Outcome::Delivered,
            due: None,
            note: None,
        },
    );
    assert!(
        !c.app
            .leaving_step_warnings()
            .iter()
            .any(|w| w.contains("尚未记录")),
        "{:?}",
        c.app.leaving_step_warnings()
    );
}

/// Issue 34, 8: at 80 to 100 columns every dialog says all it has to say, in
/// English too (the longer language): its sentences wrap between words and
/// are never cut off.
#[test]
fn dialogs_wrap_whole_words_at_eighty_to_a_hundred_columns() {
    use xieshang::meeting::plan::Language;
    for lang in [Language::En, Language::Zh] {
        let en = lang == Language::En;
        for w in [80u16, 90, 100] {
            // Quitting, and closing the meeting.
            let mut c = Console::new();
            c.app.lang = lang;
            c.key(KeyCode::Char('s'));
            for (key, end) in [
                ('q', if en { "n cancel" } else { "n 取消" }),
                ('x', if en { "n cancel" } else { "n 取消" }),
            ] {
                c.key(KeyCode::Char(key));
                let screen = c.text(w, 24);
                assert!(screen.contains(end), "{w} cols, {key}:\n{screen}");
                let dialog: String = screen
                    .lines()
                    .filter(|l| l.contains("│   │") || l.contains("┌ ?"))
                    .collect();
                assert!(!dialog.contains('…'), "{w} cols, {key}: cut\n{screen}");
                c.key(KeyCode::Esc);
            }
            // The review's form, whose hint is the longest.
            let mut c = at_the_review();
            c.app.lang = lang;
            c.by(
                "chair",
                Command::ReviewCall {
                    item: "m0/q1".into(),
                },
            );
            c.key(KeyCode::Char('u'));
            let screen = c.text(w, 30);
            let end = if en { "Esc cancel" } else { "Esc 取消" };
            assert!(screen.contains(end), "{w} cols:\n{screen}");
            if en {
                for word in ["delivered", "progress", "YYYY-MM-DD"] {
                    assert!(
                        screen.split_whitespace().any(|x| x
                            .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                            == word),
                        "{w} cols: {word} broken\n{screen}"
                    );
                }
            }
        }
    }
}
