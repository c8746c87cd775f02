//! Minutes from a recorded meeting: compared with a reviewed snapshot, checked
//! as data, and each bad journal answered with a message rather than a panic.

use crate::common::recorded::{record, BEIJING};
use std::path::Path;
use std::process::Command;
use xieshang::meeting::question::QuestionStatus;
use xieshang::minutes::{from_journal, Format};

#[test]
fn minutes_of_the_huishang_meeting_match_the_reviewed_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    let (_, minutes, torn) = from_journal(&journal, Some(BEIJING)).unwrap();
    assert!(torn.is_none());
    // Reviewed with `cargo insta review`; the file is `tests/golden/huishang-minutes.snap`.
    insta::with_settings!({snapshot_path => "golden", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("huishang-minutes", Format::Md.render(&minutes));
    });
}

#[test]
fn json_minutes_carry_the_questions_follow_ups_evaluation_and_statistics_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    let (_, minutes, _) = from_journal(&journal, Some(BEIJING)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&Format::Json.render(&minutes)).unwrap();
    assert_eq!(json["language"], "zh");
    assert_eq!(json["closed"], true);
    assert_eq!(json["duration_ms"], 2_150_000);
    assert_eq!(json["questions"].as_array().unwrap().len(), 4);
    assert_eq!(json["questions"][0]["status"], "answered");
    assert_eq!(json["questions"][2]["carried"], true);
    let follow: Vec<&str> = json["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["department"].as_str().unwrap())
        .collect();
    assert_eq!(follow, ["housing", "market"]);
    let market = &json["evaluations"][0]["results"][2];
    assert_eq!(market["target"], "market");
    assert_eq!(market["voters"], 5);
    assert_eq!(
        market["counts"][2]["votes"], 2,
        "two 不满意 for the market regulator"
    );
    assert_eq!(json["statistics"]["not_spoken"][0]["id"], "x02");
    // The statuses agree with the meeting's own state.
    let statuses: Vec<QuestionStatus> = minutes.questions.iter().map(|q| q.status).collect();
    let (state, _) = xieshang::journal::replay_file(&journal).unwrap();
    let live: Vec<QuestionStatus> = state.questions.iter().map(|q| q.status).collect();
    assert_eq!(statuses, live);
}

#[test]
fn html_minutes_are_one_page_with_a_bar_chart_by_sector_and_escaped_text() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    let (_, mut minutes, _) = from_journal(&journal, Some(BEIJING)).unwrap();
    minutes.questions[0].text = "<script>alert(1)</script>".into();
    let html = Format::Html.render(&minutes);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"), "a chart");
    assert_eq!(
        html.matches("<rect").count(),
        minutes.statistics.by_sector.len(),
        "one bar per sector"
    );
    assert!(html.contains("各界别发言时长"));
    assert!(!html.contains("<script>"), "text is escaped");
    assert!(html.contains("&lt;script&gt;"));
}

fn xieshang(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_command_writes_each_format_to_a_file_named_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    for (name, starts) in [
        ("m.md", "# 老旧小区加装电梯工作"),
        ("m.html", "<!DOCTYPE html>"),
        ("m.json", "{"),
    ] {
        let out = dir.path().join(name);
        let run = xieshang(&[
            "minutes".as_ref(),
            journal.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--utc-offset".as_ref(),
            "+08:00".as_ref(),
        ]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text.starts_with(starts),
            "{name}: {}",
            &text[..40.min(text.len())]
        );
    }
}

#[test]
fn a_journal_of_another_plan_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    let other =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/foreign-residents-briefing.toml");
    let run = xieshang(&[
        "minutes".as_ref(),
        journal.as_os_str(),
        "--plan".as_ref(),
        other.as_os_str(),
    ]);
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("different plan"), "{err}");
    assert!(err.contains("foreign-residents-briefing.toml"), "{err}");
    // The plan it was recorded from is accepted.
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::common::recorded::SCENARIO);
    let run = xieshang(&[
        "minutes".as_ref(),
        journal.as_os_str(),
        "--plan".as_ref(),
        own.as_os_str(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn a_torn_journal_gives_minutes_up_to_the_tear_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.truncate(bytes.len() - 20);
    std::fs::write(&journal, &bytes).unwrap();
    let run = xieshang(&["minutes".as_ref(), journal.as_os_str()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("incomplete"), "{err}");
    let md = String::from_utf8_lossy(&run.stdout);
    assert!(
        md.contains("会议未正式结束"),
        "the close was torn off: {md}"
    );
    assert!(md.contains("记录文件末行不完整"));
}

#[test]
fn an_empty_file_or_a_stranger_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.journal");
    std::fs::write(&empty, "").unwrap();
    let stranger = dir.path().join("notes.txt");
    std::fs::write(&stranger, "会议记录草稿\n").unwrap();
    let missing = dir.path().join("missing.journal");
    for (file, says) in [
        (&empty, "empty"),
        (&stranger, "not a xieshang journal"),
        (&missing, "No such file"),
    ] {
        let run = xieshang(&["minutes".as_ref(), file.as_os_str()]);
        assert_eq!(run.status.code(), Some(1), "{}", file.display());
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(says), "{}: {err}", file.display());
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_meeting_that_never_started_has_minutes_that_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("new.journal");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::common::recorded::SCENARIO);
    let xieshang::scenario::Scenario {
        plan, sha256: sha, ..
    } = xieshang::scenario::load(&scenario).unwrap();
    xieshang::hub::Hub::open(plan, &sha, &journal, crate::common::recorded::T0)
        .unwrap()
        .hub
        .close()
        .unwrap();
    let (_, minutes, _) = from_journal(&journal, Some(BEIJING)).unwrap();
    let md = Format::Md.render(&minutes);
    assert!(md.contains("会议尚未开始"), "{md}");
    assert!(!md.contains("## 提问与答复"));
}

/// A meeting where only the chair has a terminal: nobody connects, two speak, and
/// the chair marks who came. The minutes count the marks first, say how each
/// presence is known, and name who answered for a department and who recorded it.
#[test]
fn a_meeting_run_from_the_console_alone_has_the_attendance_the_chair_marked() {
    use xieshang::meeting::attendance::Attendance;
    use xieshang::meeting::{Answer, Command};
    let zh = crate::common::PLAN.replace("language = \"en\"", "language = \"zh\"");
    let plan = xieshang::meeting::scenario::parse_plan("zh.toml", &zh).unwrap();
    let mut m = crate::common::Meeting {
        state: xieshang::meeting::State::new(std::sync::Arc::new(plan)),
        now: crate::common::T0,
        events: Vec::new(),
    };
    for (who, mark) in [
        ("m01", Attendance::Present),
        ("m02", Attendance::Late),
        ("m03", Attendance::LeftEarly),
        ("x01", Attendance::Absent),
        ("d-eco", Attendance::Present),
    ] {
        m.ok(
            "chair",
            Command::MarkAttendance {
                participant: who.into(),
                mark: Some(mark),
            },
        );
    }
    m.ok("chair", Command::StartMeeting);
    m.after(60_000).ok(
        "chair",
        Command::GrantFloor {
            participant: Some("p01".into()),
        },
    );
    m.ok(
        "chair",
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "河道何时整治？".into(),
            asker: Some("p01".into()),
        },
    );
    m.ok(
        "chair",
        Command::AnswerQuestion {
            question: "q1".into(),
            status: Answer::FollowUp,
            note: Some("两周内书面答复".into()),
            seen_answers: None,
        },
    );
    m.after(60_000).ok("chair", Command::CloseMeeting);
    let header = xieshang::journal::Header::new(&m.state.plan, "sha", crate::common::T0);
    let minutes = xieshang::minutes::build(&header, m.events.clone(), 8 * 3600);
    let name = |p: &xieshang::minutes::Person| p.name.clone();
    let present: Vec<String> = minutes.attendance.present.iter().map(name).collect();
    let absent: Vec<String> = minutes.attendance.absent.iter().map(name).collect();
    assert_eq!(
        present,
        [
            "陈主席",
            "马文静",
            "李明华",
            "张晓燕",
            "吴阿姨",
            "生态环境局 副局长"
        ],
        "the marks, and who took part"
    );
    assert!(absent.contains(&"周教授".to_string()), "{absent:?}");
    let md = xieshang::minutes::Format::Md.render(&minutes);
    assert!(md.contains("马文静（签到）"), "{md}");
    assert!(md.contains("李明华（迟到）"), "{md}");
    assert!(md.contains("张晓燕（早退）"), "{md}");
    assert!(md.contains("周教授（记为缺席）"), "{md}");
    assert!(md.contains("吴阿姨（参与）"), "{md}");
    assert!(md.contains("主持人：陈主席"), "{md}");
    // The chair recorded the answer: the department answered, the chair recorded.
    assert!(
        md.contains("书面答复（市生态环境局，主持人陈主席记录）"),
        "{md}"
    );
    assert!(md.contains("主持人记录：两周内书面答复"), "{md}");
    assert!(
        !md.contains("（陈主席）"),
        "an answer is never the chair's own: {md}"
    );
}

/// Minutes a secretariat prints and signs: the title at the top of every
/// page and "page N of M" at its foot, headings kept with what follows them,
/// a block to sign (主持人 named, 记录人, 审核), and a title that cannot break
/// out of the style it is written into.
#[test]
fn printed_minutes_have_a_running_header_page_numbers_and_a_signature_block() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    let (_, mut minutes, _) = from_journal(&journal, Some(BEIJING)).unwrap();
    let html = Format::Html.render(&minutes);
    let running = format!("@top-center{{content:\"{} 会议纪要\"", minutes.title);
    assert!(html.contains(&running), "{running}");
    assert!(
        html.contains(
            "@bottom-center{content:\"第 \" counter(page) \" 页，共 \" counter(pages) \" 页\""
        ),
        "page numbers"
    );
    assert!(html.contains("h2,h3,h4{break-after:avoid"), "headings kept");
    let signed = &html[html
        .find("<section class=\"signatures\">")
        .expect("a signature block")..];
    let chair = minutes.chair.clone().unwrap();
    for word in ["签字", "主持人", "记录人", "审核", "日期", chair.as_str()] {
        assert!(signed.contains(word), "{word}: {signed}");
    }
    let md = Format::Md.render(&minutes);
    assert!(md.contains("## 签字"), "{md}");
    assert!(md.contains(&format!("| 主持人 | {chair} | |")), "{md}");
    assert!(
        md.contains("| 记录人 |  | |") && md.contains("| 审核 |  | |"),
        "{md}"
    );
    // A title that would close the style is a CSS escape there.
    minutes.title = "x\"}</style><script>alert(1)</script>".into();
    let html = Format::Html.render(&minutes);
    assert_eq!(
        html.matches("</style>").count(),
        2,
        "two styles, closed once each"
    );
    assert!(!html.contains("<script>"));
    assert!(html.contains("x\\22 }\\3c /style\\3e "), "escaped in CSS");
}

/// The speaking-time chart measures its labels: a long sector's name and a
/// long time fit whole (never "6分2…"), and a viewBox lets it shrink to a
/// printed page as a whole.
#[test]
fn the_charts_labels_are_never_cut() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    let (_, mut minutes, _) = from_journal(&journal, Some(BEIJING)).unwrap();
    let long = "中国人民政治协商会议界别代表委员会";
    minutes.statistics.by_sector[0].name = long.into();
    minutes.statistics.by_sector[0].spoken_ms = 3_983_000; // 1小时6分23秒
    let html = Format::Html.render(&minutes);
    let svg = &html[html.find("<svg").unwrap()..];
    let attr = |tag: &str, name: &str| -> f64 {
        let from = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[from..from + tag[from..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    let width = attr(svg, "width");
    let height = attr(svg, "height");
    assert!(
        svg.contains(&format!("viewBox=\"0 0 {width} {height}\"")),
        "{svg}"
    );
    // At 13 px, a Chinese character is 13 px wide: the name ends at x, so it
    // starts at x - 13 × 17 (the label is anchored at its end), on the chart.
    let name_tag = &svg[svg
        .find(&format!(">{long}<"))
        .map(|i| svg[..i].rfind("<text").unwrap())
        .unwrap()..];
    let x = attr(name_tag, "x");
    assert!(
        x - 13.0 * 17.0 >= 0.0,
        "the name starts at {}",
        x - 13.0 * 17.0
    );
    // The time after the longest bar ends inside the chart.
    let time = "1小时6分23秒";
    let time_tag = &svg[svg[..svg.find(&format!(">{time}<")).unwrap()]
        .rfind("<text")
        .unwrap()..];
    let x = attr(time_tag, "x");
    assert!(
        x + 13.0 * 3.0 + 7.5 * 4.0 <= width,
        "{time} ends at {} of {width}",
        x + 69.0
    );
}

/// 应到 and 实到 count the people who take part: an observer's seat (a
/// journalist, or the hall's screen on their link) is named apart, in neither.
#[test]
fn attendance_counts_people_not_observers_or_screens() {
    use xieshang::meeting::{Command, Event, EventKind, Role};
    let zh = crate::common::PLAN.replace("language = \"en\"", "language = \"zh\"");
    let plan = xieshang::meeting::scenario::parse_plan("zh.toml", &zh).unwrap();
    let observers = plan
        .participants
        .iter()
        .filter(|p| p.role == Role::Observer)
        .count();
    assert!(observers > 0, "the test plan has an observer");
    let people = plan.participants.len() - observers;
    let mut m = crate::common::Meeting {
        state: xieshang::meeting::State::new(std::sync::Arc::new(plan)),
        now: crate::common::T0,
        events: Vec::new(),
    };
    m.ok("chair", Command::StartMeeting);
    // The observer's seat connects (the screen in the hall, say).
    let mut events = m.events.clone();
    events.push(Event {
        at_ms: crate::common::T0 + 1000,
        actor: None,
        kind: EventKind::PresenceChanged {
            participant: "o01".into(),
            online: true,
        },
    });
    let header = xieshang::journal::Header::new(&m.state.plan, "sha", crate::common::T0);
    let minutes = xieshang::minutes::build(&header, events, 8 * 3600);
    let a = &minutes.attendance;
    assert_eq!(a.present.len() + a.absent.len(), people, "应到: people");
    assert!(a.present.iter().chain(&a.absent).all(|p| p.id != "o01"));
    assert_eq!(
        a.observers
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        ["o01"]
    );
    assert!(a.by_role.iter().all(|c| c.key != Role::Observer));
    let md = xieshang::minutes::Format::Md.render(&minutes);
    assert!(md.contains(&format!("应到 {people} 人")), "{md}");
    assert!(md.contains("列席：列席代表"), "{md}");
}

/// One time zone: the minutes' times are the plan's (+08:00 unless it names
/// one), as the register's, whatever the zone of the machine that writes them.
#[test]
fn the_minutes_keep_the_plans_time_zone_not_the_machines() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("huishang.journal");
    record(&journal);
    let json = |journal: &Path| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
            .args(["minutes", "--format", "json"])
            .arg(journal)
            .env("TZ", "America/New_York")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(json(&journal)["utc_offset"], "+08:00");
    // A plan in another zone is shown in its own.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::common::recorded::SCENARIO);
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "[meeting]\n",
        "[meeting]\nutc_offset = \"+09:00\"\n",
        1,
    );
    let tokyo = dir.path().join("tokyo.toml");
    std::fs::write(&tokyo, &text).unwrap();
    let plan = xieshang::scenario::load(&tokyo).unwrap().plan;
    assert_eq!(plan.meeting.utc_offset_s(), 9 * 3600);
    let header = xieshang::journal::Header::new(&plan, "sha", crate::common::T0);
    let minutes = xieshang::minutes::build(&header, Vec::new(), plan.meeting.utc_offset_s());
    assert_eq!(minutes.utc_offset, "+09:00");
    // A zone that is not one is a problem of the plan, at its line.
    std::fs::write(&tokyo, text.replace("\"+09:00\"", "\"Asia/Tokyo\"")).unwrap();
    let e = xieshang::scenario::load(&tokyo).unwrap_err().to_string();
    assert!(e.contains("utc_offset") && e.contains("+08:00"), "{e}");
}
