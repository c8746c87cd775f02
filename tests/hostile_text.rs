//! Everything a participant or a plan writes is hostile: a question that holds
//! terminal escapes, bidirectional overrides or Markdown is refused by the meeting,
//! refused by `check` in a plan, and drawn harmlessly wherever it still comes from
//! (an old journal, someone else's plan): the consoles, the log, dialogs, replay,
//! the minutes in every format, and the CLI's messages.

use crate::common::hostile::{self, unsafe_chars, HOSTILE, INJECTION};
use crate::common::meeting::{ok, quick, refused, Meeting};
use crate::common::tmux::Tmux;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;
use xieshang::journal::Entry;
use xieshang::meeting::plan::Language;
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{execute, Answer, Code, Command, Ctx, Refusal, State, TextField};
use xieshang::protocol::ErrorCode;
use xieshang::tui::app::{update, App, Dialog, Msg, Seat};

fn xieshang(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_meeting_refuses_control_characters_in_questions_and_notes_naming_them() {
    let plan = Arc::new(parse_plan("t.toml", crate::common::PLAN).unwrap());
    let mut state = State::new(plan);
    execute(&mut state, Command::StartMeeting, Ctx::by("chair", 1)).unwrap();
    let ask = |text: &str| Command::SubmitQuestion {
        department: "eco".into(),
        text: text.into(),
        asker: None,
    };
    let refusal = execute(&mut state, ask(HOSTILE), Ctx::by("p01", 2)).unwrap_err();
    assert_eq!(refusal.code(), Code::BadRequest);
    assert_eq!(
        refusal,
        Refusal::ControlCharacter {
            field: TextField::Question,
            character: "U+001B (ESC, escape)".into(),
            at: 3
        },
        "names the character and where"
    );
    for bad in [
        '\x07', '\r', '\t', '\0', '\x7f', '\u{9b}', '\u{85}', '\u{202a}', '\u{202e}', '\u{2066}',
        '\u{2069}',
    ] {
        let r = execute(
            &mut state,
            ask(&format!("电梯{bad}加装")),
            Ctx::by("p01", 3),
        )
        .unwrap_err();
        assert_eq!(r.code(), Code::BadRequest, "{bad:?}");
        match r {
            Refusal::ControlCharacter {
                character, at: 3, ..
            } => {
                assert!(
                    character.starts_with(&format!("U+{:04X}", bad as u32)),
                    "{character}"
                )
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(state.questions.is_empty(), "nothing was recorded");
    // Line breaks are text.
    execute(&mut state, ask("第一行\n第二行"), Ctx::by("p01", 4)).unwrap();
    let note = Command::AnswerQuestion {
        question: "q1".into(),
        status: Answer::Answered,
        note: Some("已答复\x1b[2J".into()),
        seen_answers: None,
    };
    assert!(matches!(
        execute(&mut state, note, Ctx::by("d-eco", 5)).unwrap_err(),
        Refusal::ControlCharacter {
            field: TextField::Note,
            ..
        }
    ));
}

/// Issue 35 (9): the meeting refuses invisible characters and a pile of marks
/// in names and questions, naming them, and counts a text's length as a
/// person sees it: a letter with its marks is one.
#[test]
fn the_meeting_refuses_invisible_characters_and_counts_what_a_person_sees() {
    use xieshang::meeting::decide::{MAX_NAME_CHARS, MAX_TEXT_CHARS};
    use xieshang::meeting::plan::Role;
    let plan = Arc::new(parse_plan("t.toml", crate::common::PLAN).unwrap());
    let mut state = State::new(plan);
    execute(&mut state, Command::StartMeeting, Ctx::by("chair", 1)).unwrap();
    let ask = |text: &str| Command::SubmitQuestion {
        department: "eco".into(),
        text: text.into(),
        asker: None,
    };
    let walk_in = |name: &str| Command::AddParticipant {
        name: name.into(),
        role: Role::Public,
        sector: None,
        department: None,
    };
    for (bad, name) in [
        ('\u{200f}', "RLM"),
        ('\u{61c}', "ALM"),
        ('\u{2028}', "line separator"),
        ('\u{2029}', "paragraph separator"),
        ('\u{200b}', "ZWSP"),
        ('\u{feff}', "BOM"),
        ('\u{e0041}', "tag"),
    ] {
        for command in [
            ask(&format!("电梯{bad}加装")),
            walk_in(&format!("吴阿{bad}姨")),
        ] {
            match execute(&mut state, command, Ctx::by("chair", 2)).unwrap_err() {
                Refusal::ControlCharacter { character, at, .. } => {
                    assert!(
                        character.starts_with(&format!("U+{:04X}", bad as u32)),
                        "{character}"
                    );
                    assert!(character.contains(name), "{character}");
                    assert_eq!(at, 3);
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
    // 1,990 marks on one letter: the fifth is refused, named as one too many.
    let pile = format!("Ze{}lgo", "\u{301}".repeat(1990));
    for command in [ask(&pile), walk_in(&pile)] {
        match execute(&mut state, command, Ctx::by("chair", 3)).unwrap_err() {
            Refusal::ControlCharacter { character, at, .. } => {
                assert!(character.starts_with("U+0301"), "{character}");
                assert!(character.contains("more than the 4"), "{character}");
                assert_eq!(at, 7, "Z, e and four marks, then the fifth");
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(state.questions.is_empty(), "nothing was recorded");
    // Lengths are what a person sees: a name of 100 letters each with two
    // marks is 100 long, one more letter is too long.
    let marked = "e\u{302}\u{301}".repeat(MAX_NAME_CHARS);
    execute(&mut state, walk_in(&marked), Ctx::by("chair", 4)).unwrap();
    match execute(
        &mut state,
        walk_in(&format!("{marked}a")),
        Ctx::by("chair", 5),
    )
    .unwrap_err()
    {
        Refusal::TextTooLong { chars, max, .. } => {
            assert_eq!((chars, max), (MAX_NAME_CHARS + 1, MAX_NAME_CHARS))
        }
        other => panic!("{other:?}"),
    }
    let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
    execute(
        &mut state,
        ask(&family.repeat(MAX_TEXT_CHARS)),
        Ctx::by("p01", 6),
    )
    .unwrap();
    assert!(matches!(
        execute(
            &mut state,
            ask(&family.repeat(MAX_TEXT_CHARS + 1)),
            Ctx::by("p01", 7)
        )
        .unwrap_err(),
        Refusal::TextTooLong { .. }
    ));
    // Text that needs its joiners is text.
    for good in [
        "Nguye\u{302}\u{303}n Thi\u{323}",
        "👍🏽 ❤\u{fe0f}",
        "ᠮᠣᠩᠭᠣᠯ\u{180b}",
        "می\u{200c}خواهم",
    ] {
        execute(&mut state, ask(good), Ctx::by("p01", 8)).unwrap();
    }
}

#[tokio::test]
async fn the_escape_string_sent_over_the_protocol_is_refused_and_recorded_nowhere() {
    let m = Meeting::start(quick()).await;
    let mut chair = m.join("chair").await;
    ok(&mut chair, Command::StartMeeting).await;
    let mut resident = m.join("p01").await;
    let ask = Command::SubmitQuestion {
        department: "eco".into(),
        text: HOSTILE.into(),
        asker: None,
    };
    assert_eq!(refused(&mut resident, ask).await, ErrorCode::BadRequest);
    let (_, state) = m.server_state().await;
    assert!(state.questions.is_empty());
    let recorded = std::fs::read_to_string(m.dir.path().join("m.journal")).unwrap();
    assert!(!recorded.contains("pwned"), "the journal holds none of it");
}

#[test]
fn check_refuses_control_characters_in_a_plan_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = crate::common::PLAN
        .replace(
            "name = \"马文静\"",
            "name = \"马文静\\u001b]0;pwned\\u0007\"",
        )
        .replace("title = \"议题一\"", "title = \"议题一\u{202e}evil\"")
        .replace("sector = \"经济界\"", "sector = \"经济界\\u009b2J\"");
    let plan = dir.path().join("hostile.toml");
    std::fs::write(&plan, &text).unwrap();
    let out = xieshang(&["check", &plan.display().to_string()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (needle, column, character) in [
        ("马文静", 8, "U+001B"),
        ("议题一", 9, "U+202E"),
        ("经济界", 10, "U+009B"),
    ] {
        let expected = format!("hostile.toml:{}:{column}:", line_of(needle));
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&expected) && l.contains(character)),
            "{expected} {character} in:\n{stderr}"
        );
    }
    assert_eq!(
        unsafe_chars(&stderr),
        [] as [char; 0],
        "the report itself is safe"
    );
}

/// Renders `app` at `w`x`h` and returns every cell's symbol.
fn cells(app: &App, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(app, f.area())).unwrap();
    t.backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol().to_string())
        .collect()
}

/// The consoles on the hostile journal (its plan hostile too), as each seat sees
/// it, with its log.
fn consoles() -> Vec<(String, App)> {
    let dir = tempfile::tempdir().unwrap();
    let (_, journal) = hostile::journal(dir.path(), true);
    consoles_of(&journal)
}

/// The consoles on `journal`, as each seat sees it, with its log.
fn consoles_of(journal: &std::path::Path) -> Vec<(String, App)> {
    let recording = xieshang::journal::read(journal).unwrap();
    let plan = Arc::new(recording.header.plan.clone());
    let mut out = Vec::new();
    for (name, seat) in [
        ("chair", Seat::Chair),
        ("resident", Seat::Participant("p01".into())),
        ("department", Seat::Participant("d-eco".into())),
        ("projector", Seat::Projector),
        ("replay", Seat::Replay),
    ] {
        let mut app = App::new(State::new(plan.clone()), Language::Zh, "j".into());
        app.seat = seat;
        let entries: Vec<Entry> = recording.entries.clone();
        let now = entries.last().unwrap().at_ms + 1_000;
        update(&mut app, Msg::Recorded(entries), now);
        update(&mut app, Msg::Refused(format!("服务器说：{HOSTILE}")), now);
        if seat_is_chair(&app) {
            // The participants screen and the audience code draw every name.
            app.join = Some(xieshang::tui::app::JoinInfo {
                links: xieshang::links::Links::new(
                    "0.0.0.0:7878".parse().unwrap(),
                    None,
                    true,
                    &["192.168.1.23".parse().unwrap()],
                ),
                people: plan
                    .participants
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.id.clone(), format!("{i:032x}")))
                    .collect(),
                trust: " --ca m.journal.cert.pem".into(),
                free: plan.participants.iter().map(|p| p.id.clone()).collect(),
                program: "xieshang".into(),
                audience: Some("hall0123456789abcdef0123456789".into()),
            });
        }
        out.push((name.to_string(), app));
    }
    out
}

/// Issue 35 (9): names, a title and a question holding every invisible
/// character (direction marks, separators, a zero-width space, a byte-order
/// mark, tags) and a letter with 1,990 combining marks keep every console's
/// layout: each cell holds one character and at most `MAX_MARKS` marks on it,
/// nothing invisible, and is exactly as wide as that character (what a
/// terminal advances by), so every row is exactly the terminal's width.
#[test]
fn invisible_characters_and_piles_of_marks_keep_every_consoles_layout() {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    use xieshang::meeting::text::{joins, MAX_MARKS};
    let dir = tempfile::tempdir().unwrap();
    let journal = hostile::invisible_journal(dir.path());
    let mut drawn = String::new();
    for (name, mut app) in consoles_of(&journal) {
        let text = Dialog::QuestionText {
            asker: "p01".into(),
            department: "eco".into(),
            text: hostile::invisible(),
        };
        for dialog in [Dialog::None, text, Dialog::Participants { selected: 3 }] {
            app.dialog = dialog;
            for (w, h) in [(80, 24), (120, 40)] {
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| f.render_widget(&app, f.area())).unwrap();
                let buffer = t.backend().buffer().clone();
                for y in 0..h {
                    let mut x = 0;
                    while x < w {
                        let symbol = buffer[(x, y)].symbol();
                        let head: String = symbol.chars().take(8).collect();
                        let at = format!(
                            "{name} {w}x{h} {:?}: cell ({x}, {y}) {head:?} ({} characters)",
                            app.dialog,
                            symbol.chars().count()
                        );
                        assert_eq!(unsafe_chars(symbol), [] as [char; 0], "{at}");
                        let mut chars = symbol.chars();
                        let first = chars.next().expect(&at);
                        let marks: Vec<char> = chars.collect();
                        assert!(
                            marks.iter().all(|&c| joins(c)),
                            "{at}: one character a cell"
                        );
                        assert!(marks.len() <= MAX_MARKS, "{at}: {} marks", marks.len());
                        let advance = first.width().unwrap_or(0);
                        assert!(advance >= 1, "{at}: a cell that takes no column");
                        assert_eq!(symbol.width(), advance, "{at}: as wide as its character");
                        drawn.push_str(symbol);
                        x += advance as u16;
                    }
                    assert_eq!(
                        x, w,
                        "{name} {w}x{h}: row {y} is exactly as wide as the terminal"
                    );
                }
            }
        }
    }
    // What was written is there, made visible: the names, the placeholders, the
    // letter with its first marks.
    assert!(drawn.contains("林"), "the names are drawn");
    assert!(drawn.contains('\u{fffd}'), "invisible characters are shown");
    assert!(drawn.contains(&format!("e{}", "\u{301}".repeat(MAX_MARKS))));
}

fn seat_is_chair(app: &App) -> bool {
    app.seat == Seat::Chair
}

#[test]
fn every_console_draws_hostile_text_without_a_control_character_in_any_cell() {
    let mut drawn = String::new();
    for (name, mut app) in consoles() {
        let answer = Dialog::Answer {
            question: "q1".into(),
            status: Some(Answer::Answered),
            note: HOSTILE.into(),
            seen: 0,
        };
        let text = Dialog::QuestionText {
            asker: "p01".into(),
            department: "eco".into(),
            text: HOSTILE.into(),
        };
        for dialog in [
            Dialog::None,
            answer,
            text,
            Dialog::Participants { selected: 3 },
            Dialog::Audience,
            Dialog::Help,
        ] {
            app.dialog = dialog;
            for (w, h) in [(80, 24), (120, 40), (200, 60), (41, 11)] {
                let cells = cells(&app, w, h);
                for (i, symbol) in cells.iter().enumerate() {
                    assert_eq!(
                        unsafe_chars(symbol),
                        [] as [char; 0],
                        "{name} {w}x{h} {:?}: cell ({}, {}) is {symbol:?}",
                        app.dialog,
                        i % w as usize,
                        i / w as usize
                    );
                }
                drawn.extend(cells);
            }
        }
    }
    // What was written is still there to read, made visible.
    assert!(drawn.contains('␛'), "escapes are shown as ␛");
    assert!(drawn.contains("pwned"));
}

#[test]
fn minutes_of_a_hostile_journal_are_plain_text_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let (_, journal) = hostile::journal(dir.path(), true);
    let j = journal.display().to_string();
    for format in ["md", "html", "json"] {
        let out = xieshang(&["minutes", &j, "--format", format, "--utc-offset", "+08:00"]);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(unsafe_chars(&text), [] as [char; 0], "{format}");
        assert!(
            text.contains("pwned"),
            "{format}: the text is kept, made harmless"
        );
        match format {
            // Markdown escapes every `<` that is text: `\<script` is not a tag.
            "md" => assert!(
                text.match_indices('<')
                    .all(|(i, _)| text[..i].ends_with('\\')),
                "an unescaped < in:\n{text}"
            ),
            "html" => {
                assert!(
                    !text.contains("<script")
                        && !text.contains("<iframe")
                        && !text.contains("<b>闪烁")
                );
            }
            _ => {}
        }
    }
    let md =
        String::from_utf8(xieshang(&["minutes", &j, "--utc-offset", "+08:00"]).stdout).unwrap();
    for line in md.lines() {
        assert!(!line.starts_with("## Resolutions"), "{line}");
        assert!(!line.starts_with("1. The park"), "{line}");
        assert!(!line.starts_with("# 假标题"), "{line}");
        assert!(!line.starts_with("## 注入"), "{line}");
    }
    // JSON keeps the text exactly as recorded, escaped.
    let json = xieshang(&["minutes", &j, "--format", "json"]).stdout;
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let texts: Vec<&str> = value["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, [HOSTILE, INJECTION]);
}

#[test]
fn markdown_minutes_of_a_hostile_journal_golden() {
    let dir = tempfile::tempdir().unwrap();
    let (_, journal) = hostile::journal(dir.path(), true);
    let (_, minutes, _) = xieshang::minutes::from_journal(&journal, Some(8 * 3600)).unwrap();
    let md = xieshang::minutes::Format::Md.render(&minutes);
    insta::assert_snapshot!("hostile_minutes_md", md);
}

#[test]
fn the_replay_draws_a_hostile_journal_safely() {
    let dir = tempfile::tempdir().unwrap();
    let (_, journal) = hostile::journal(dir.path(), true);
    let opened = xieshang::replay::open(&journal, None).unwrap();
    let mut player =
        xieshang::tui::replay::Player::new(opened.timeline, Language::Zh, "j".into(), 1.0);
    let end = player.timeline().total_ms();
    player.seek(end);
    for (w, h) in [(80, 24), (120, 40)] {
        for symbol in cells(&player.app, w, h) {
            assert_eq!(unsafe_chars(&symbol), [] as [char; 0]);
        }
    }
}

#[test]
fn the_chairs_terminal_keeps_its_title_and_its_screen() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, journal) = hostile::journal(dir.path(), false);
    let t = Tmux::start(
        "hostile",
        &format!(
            "{} run {} --journal {}",
            env!("CARGO_BIN_EXE_xieshang"),
            plan.display(),
            journal.display()
        ),
    );
    let title_before = t.pane_title();
    t.wait_for("测试会议");
    // The questions panel has the cursor: a few redraws, as a live console has.
    t.keys(&["Tab", "Down", "Up"]);
    let screen = t.wait_for("␛]0;pwn");
    assert_ne!(t.pane_title(), "pwned");
    assert_eq!(t.pane_title(), title_before);
    assert!(
        screen.lines().next().unwrap().contains("测试会议"),
        "{screen}"
    );
    assert!(
        screen.contains("┌") && screen.contains("└"),
        "panels intact:\n{screen}"
    );
    assert!(
        screen.lines().last().unwrap().contains("? help"),
        "footer intact:\n{screen}"
    );
    for line in screen.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "nothing wider than the terminal (a carriage return would overwrite): {line}"
        );
    }
    // Colours do not bleed: nothing on the footer line is red or blinks.
    let footer = t.screen_with_styles().lines().last().unwrap().to_string();
    assert!(
        !footer.contains("[31m") && !footer.contains(";31m") && !footer.contains("[5m"),
        "{footer:?}"
    );
    t.keys(&["q", "y"]);
    t.wait_gone();
}

/// Issue 35 (5): the register and the roster hold what a journal from
/// elsewhere (or a file written by hand) brought in; every command that prints
/// them prints it harmlessly, in every format, to standard output: the text is
/// there, made visible (or escaped, in JSON), and no byte of it drives the
/// terminal.
#[test]
fn the_registers_and_the_rosters_commands_print_hostile_text_harmlessly() {
    let dir = tempfile::tempdir().unwrap();
    let (_, journal) = hostile::journal(dir.path(), true);
    let db = dir.path().join("register.db");
    let db_s = db.to_str().unwrap();
    let imported = xieshang(&[
        "followups",
        "--register",
        db_s,
        "import",
        journal.to_str().unwrap(),
    ]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    // A person and an organisation of the roster as a hand-written file might hold them.
    {
        use xieshang::meeting::roster::{OrgKind, Organisation, Person};
        let mut office = xieshang::office::Office::open(&db).unwrap();
        office
            .put_people(
                &[Person {
                    id: "p-evil".into(),
                    name: format!("吴阿姨{HOSTILE}"),
                    role: xieshang::meeting::Role::Public,
                    sector: Some(HOSTILE.into()),
                    party: None,
                    organisation: None,
                    contact: Some(HOSTILE.into()),
                }],
                hostile::T0,
            )
            .unwrap();
        office
            .put_organisations(
                &[Organisation {
                    id: "o-evil".into(),
                    name: format!("市某局{HOSTILE}"),
                    kind: OrgKind::Department,
                    contact: None,
                }],
                hostile::T0,
            )
            .unwrap();
    }
    let item = {
        let office = xieshang::office::Office::open(&db).unwrap();
        let items = office
            .items(&xieshang::office::followups::Filter::default())
            .unwrap();
        assert!(
            items.iter().any(|i| i.origin.text == HOSTILE),
            "the hostile question is in the register as it was recorded"
        );
        items[0].id.clone()
    };
    let register = ["followups", "--register", db_s, "--today", "2030-01-01"];
    let roster = ["roster", "--register", db_s];
    let mut commands: Vec<Vec<&str>> = Vec::new();
    for format in ["table", "csv", "json", "md"] {
        commands.push([&register[..], &["list", "--format", format]].concat());
        if format != "table" {
            commands.push([&register[..], &["export", "--format", format]].concat());
        }
    }
    commands.push([&register[..], &["show", &item]].concat());
    commands.push([&register[..], &["digest"]].concat());
    for sheet in ["people", "organisations"] {
        for format in ["table", "csv", "json"] {
            commands.push([&roster[..], &["list", sheet, "--format", format]].concat());
        }
        commands.push([&roster[..], &["export", sheet]].concat());
    }
    commands.push([&roster[..], &["show", "p-evil"]].concat());
    commands.push([&roster[..], &["show", "o-evil"]].concat());
    for args in &commands {
        let out = xieshang(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        // A CSV file for Excel opens with its byte-order mark and ends its
        // rows with CRLF.
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let text = &text.replace("\r\n", "\n");
        assert_eq!(unsafe_chars(text), [] as [char; 0], "{args:?}:\n{text}");
        assert!(
            text.contains("pwned"),
            "{args:?}: the text is kept:\n{text}"
        );
        assert_eq!(
            unsafe_chars(&String::from_utf8_lossy(&out.stderr)),
            [] as [char; 0],
            "{args:?}"
        );
        if args.contains(&"json") {
            // Escaped, it parses back to exactly what was recorded.
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            let hostile = serde_json::to_string(HOSTILE).unwrap();
            assert!(
                value.to_string().contains(hostile.trim_matches('"')),
                "{args:?}: JSON keeps the text exactly"
            );
        }
    }
}

/// Issue 35 (9), in a real terminal: the replay of a journal whose names and
/// question hold invisible characters and a letter with 1,990 marks keeps its
/// panels whole in tmux: every line as wide as the terminal says, each panel's
/// right edge where its left edge's box says it is.
#[test]
fn a_real_terminal_keeps_the_layout_of_invisible_names() {
    let dir = tempfile::tempdir().unwrap();
    let journal = hostile::invisible_journal(dir.path());
    let t = Tmux::start(
        "invisible",
        &format!(
            "{} replay {} --speed 64",
            env!("CARGO_BIN_EXE_xieshang"),
            journal.display()
        ),
    );
    t.wait_for("测试会议");
    // The end of the replay: every name and the question drawn.
    t.keys(&["End"]);
    let screen = t.wait_for("Ze\u{301}");
    assert!(screen.contains("吴阿姨林"), "{screen}");
    assert!(
        screen.contains('\u{fffd}'),
        "invisible characters shown:\n{screen}"
    );
    let lines: Vec<&str> = screen.lines().collect();
    assert_eq!(lines.len(), 24, "{screen}");
    for line in &lines {
        let w = unicode_width::UnicodeWidthStr::width(*line);
        assert!(w <= 80, "wider than the terminal ({w}): {line}");
        assert!(
            !line.chars().any(xieshang::meeting::text::is_unsafe),
            "{line:?}"
        );
    }
    // Each row's boxes close where they open: a line that starts a panel's
    // side ends one at the terminal's last column.
    for line in &lines {
        if line.starts_with('│') {
            let w = unicode_width::UnicodeWidthStr::width(line.trim_end());
            assert!(
                line.trim_end().ends_with('│') && w == 80,
                "a panel's row that does not close at column 80 ({w}):\n{screen}"
            );
        }
    }
    t.keys(&["q"]);
}
