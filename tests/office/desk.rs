//! The secretariat's desk in a real terminal (tmux, 80×24, Chinese names): the
//! overdue item first, its timeline, an answer recorded from a form, the help,
//! and quitting.

use super::store::{secretariat, simulated};
use crate::common::tmux::Tmux;
use xieshang::office::{followups::import, Office};

#[test]
fn the_secretariat_records_an_answer_at_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    let journal = simulated(dir.path(), "huishang-supervision");
    let db = dir.path().join("r.db");
    let mut register = Office::open(&db).unwrap();
    let ids = import::import(
        &mut register,
        &journal,
        import::Importing {
            due: None,
            by: &secretariat(),
            now_ms: 1_796_500_000_000,
            offset_s: 8 * 3600,
        },
    )
    .unwrap()
    .added;
    drop(register);
    let first = ids[0].clone();
    let cmd = format!(
        "{} followups --register {} --today 2027-03-20 --by 王敏; echo exit=$?; sleep 30",
        env!("CARGO_BIN_EXE_xieshang"),
        db.display()
    );
    let t = Tmux::start("desk", &cmd);
    t.wait_for("督办台账");
    // The whole first screen, its footer drawn too.
    let screen = t.wait_for("? 帮助");
    // Every item is overdue by then, badly: the worst first, with the asker's name.
    assert!(screen.contains("严重逾期"), "{screen}");
    assert!(
        screen.contains(&format!("{} {}", ids.len(), "项")),
        "{screen}"
    );
    assert!(
        screen.contains("⏎ 详情/列表") && screen.contains("? 帮助"),
        "{screen}"
    );
    for line in screen.lines() {
        assert!(
            xieshang::text::width(line) <= 80,
            "a line wider than the terminal: {line}"
        );
    }
    // The timeline of the selected item.
    t.keys(&["Enter"]);
    let screen = t.wait_for("来源");
    assert!(
        screen.contains("办理记录") && screen.contains("督办科 · 交办"),
        "{screen}"
    );
    t.keys(&["Enter"]);
    // An answer, class b, recorded by 王敏.
    t.keys(&["a"]);
    t.wait_for("答复类别");
    t.keys(&["x", "Enter"]);
    t.keys(&["Enter"]);
    t.wait_for("请按所列选项填写");
    t.keys(&["BSpace", "b", "Enter"]);
    t.wait_for("答复内容");
    t.keys(&["plan next year", "Enter"]);
    let screen = t.wait_for("已记录");
    assert!(screen.contains("已答复"), "{screen}");
    // The help lists every key; any key closes it.
    t.keys(&["?"]);
    let screen = t.wait_for("并案");
    assert!(
        screen.contains("中止") && screen.contains("延期"),
        "{screen}"
    );
    t.keys(&["Escape"]);
    t.keys(&["q"]);
    t.wait_for("exit=0");
    // The register has it, recorded by 王敏.
    let register = Office::open(&db).unwrap();
    let answered: Vec<_> = ids
        .iter()
        .map(|id| register.item(id).unwrap().unwrap())
        .filter(|i| i.answer.is_some())
        .collect();
    assert_eq!(answered.len(), 1, "one item answered");
    let a = answered[0].answer.as_ref().unwrap();
    assert_eq!((a.text.as_str(), a.by.as_str()), ("plan next year", "王敏"));
    let _ = first;
}

/// What a department writes on its page reaches the desk that is open, its
/// item's timeline too, within a few seconds: no key pressed.
#[test]
fn the_desk_shows_what_a_department_writes_on_its_page_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::web::imported(dir.path());
    let office = super::web::Office::start(&db, &[]);
    let keys = super::web::tokens(&db);
    let (_, token) = keys
        .iter()
        .find(|(k, _)| k.starts_with("department:"))
        .unwrap();
    let mine = office.json("/followups/api/mine", Some(token));
    let id = mine["items"][0]["id"].as_str().unwrap().to_string();
    let cmd = format!(
        "{} followups --register {}; echo exit=$?; sleep 30",
        env!("CARGO_BIN_EXE_xieshang"),
        db.display()
    );
    let t = Tmux::start("desk-watch", &cmd);
    let screen = t.wait_for("督办台账");
    assert!(!screen.contains("已领办"), "{screen}");
    let (status, body) = office.post(
        &id,
        token,
        serde_json::json!({"do": "acknowledge", "seen": 1, "handler": "赵科长"}),
    );
    assert_eq!(status, 200, "{body}");
    let screen = t.wait_for_within("已领办", std::time::Duration::from_secs(5));
    assert!(screen.contains("督办台账"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("exit=0");
}

/// An item's timeline at the desk says what the department said in the room
/// (beside the promise it is held to) and the class of its answer.
#[test]
fn the_desk_timeline_shows_what_was_said_in_the_room_and_the_answers_class() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::Widget;
    use xieshang::meeting::followups::item::{Asker, Origin};
    use xieshang::meeting::followups::rules::{self, Ctx};
    use xieshang::meeting::followups::{apply, decide, Actor, AnswerClass, Command, Date};
    use xieshang::meeting::plan::Language;
    use xieshang::tui::desk::Desk;

    let day = Date::parse("2026-11-19").unwrap();
    let noon = (day.end_ms(8 * 3600) - 12 * 3_600_000) as u64;
    let mut item = rules::create(
        rules::NewItem {
            id: "j1/q3".into(),
            origin: Origin {
                meeting: "民生实事监督会".into(),
                journal_id: "j1".into(),
                journal: "m.journal".into(),
                date: day,
                seq: 42,
                question: "q3".into(),
                text: "加装电梯补贴何时到位？".into(),
                asker: Asker {
                    participant: "m01".into(),
                    name: "马文静".into(),
                    role: "member".into(),
                    sector: None,
                    person: None,
                },
                said: Some("两周内书面答复".into()),
                topic: None,
            },
            department: ("fangguan".into(), "市房屋管理局".into()),
            promise: "书面答复".into(),
            unanswered: false,
            due: None,
        },
        noon,
    );
    let actor = Actor::Department {
        department: "fangguan".into(),
        name: "李强".into(),
    };
    let ctx = Ctx {
        actor: &actor,
        now_ms: noon,
        offset_s: 8 * 3600,
        seen: Some(item.version),
    };
    let answer = Command::Answer {
        class: AnswerClass::B,
        text: "列入明年计划".into(),
    };
    let change = decide(&item, &answer, ctx).unwrap();
    apply(&mut item, &change, noon);
    for (lang, said, class) in [
        (Language::Zh, "会上的回应：两周内书面答复", "B 部分解决"),
        (
            Language::En,
            "Said in the meeting：两周内书面答复",
            "B partly",
        ),
    ] {
        let mut desk = Desk::new(lang, 8 * 3600, noon);
        desk.all = vec![item.clone()];
        desk.total = 1;
        desk.open = Some(("j1/q3".into(), Vec::new()));
        let area = Rect::new(0, 0, 100, 24);
        let mut buf = Buffer::empty(area);
        (&desk).render(area, &mut buf);
        // The cells' text, spaces left out (a wide character's second cell).
        let screen: String = buf
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect::<String>()
            .replace(' ', "");
        for want in [said, class] {
            assert!(screen.contains(&want.replace(' ', "")), "{want}: {screen}");
        }
    }
}
