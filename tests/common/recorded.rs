//! A recorded meeting for the replay and minutes tests: the bundled 会商监督
//! scenario run through the hub, with fixed times, to the end.

use std::path::Path;
use xieshang::hub::Hub;
use xieshang::meeting::{Answer, Command, Mode, TimerName};

/// 2026-11-27 14:00 in UTC+8.
pub const T0: u64 = 1_795_759_200_000;
pub const SCENARIO: &str = "scenarios/huishang-supervision.toml";
pub const BEIJING: i32 = 8 * 3600;

/// Who does what, and when (seconds from T0): the meeting as the script runs it.
fn script() -> Vec<(u64, Option<&'static str>, Command)> {
    let chair = Some("chair");
    let grant = |who: &str| Command::GrantFloor {
        participant: Some(who.to_string()),
    };
    let ask = |asker: &str, department: &str, text: &str| Command::SubmitQuestion {
        department: department.to_string(),
        text: text.to_string(),
        asker: Some(asker.to_string()),
    };
    let answer = |q: &str, status: Answer, note: Option<&str>| Command::AnswerQuestion {
        question: q.to_string(),
        status,
        note: note.map(String::from),
        seen_answers: None,
    };
    let vote = |target: &str, choice: &str| Command::Vote {
        poll: "rating".to_string(),
        choice: choice.to_string(),
        target: Some(target.to_string()),
    };
    let mut s: Vec<(u64, Option<&'static str>, Command)> = Vec::new();
    for who in [
        "p01",
        "p02",
        "p03",
        "m01",
        "m02",
        "m03",
        "d-housing",
        "d-fangguan",
        "d-market",
        "x01",
    ] {
        s.push((
            0,
            None,
            Command::SetPresence {
                participant: who.to_string(),
                online: true,
            },
        ));
    }
    s.extend([
        (60, chair, Command::StartMeeting),
        // 群众提问
        (70, chair, grant("p01")),
        (
            120,
            chair,
            ask(
                "p01",
                "housing",
                "加装电梯审批要跑多个部门，能否推行“一窗受理、并联审批”？",
            ),
        ),
        (180, chair, Command::EndSpeech),
        (185, chair, grant("p02")),
        (
            250,
            chair,
            ask(
                "p02",
                "fangguan",
                "低层住户不同意加装时，业委会如何依法协调？",
            ),
        ),
        (325, chair, Command::EndSpeech),
        (330, Some("p03"), Command::RaiseHand { mode: Mode::Normal }),
        (332, chair, Command::GrantFloor { participant: None }),
        (
            380,
            chair,
            ask(
                "p03",
                "market",
                "电梯投入使用后的维保责任和年检费用由谁承担？",
            ),
        ),
        (430, chair, Command::EndSpeech),
        // 委员建言
        (440, chair, Command::NextStep),
        (445, chair, grant("m01")),
        (
            560,
            chair,
            ask(
                "m01",
                "housing",
                "建议设立加装电梯专项补贴，资金分摊比例能否出台指导标准？",
            ),
        ),
        (655, chair, Command::EndSpeech),
        (660, chair, grant("m02")),
        (
            700,
            chair,
            Command::PauseTimer {
                timer: TimerName::Floor,
            },
        ),
        (
            730,
            chair,
            Command::ResumeTimer {
                timer: TimerName::Floor,
            },
        ),
        (920, chair, Command::EndSpeech),
        (926, chair, grant("m03")),
        (1000, Some("p01"), Command::RaiseHand { mode: Mode::Reply }),
        (1040, Some("m03"), Command::YieldFloor),
        (1041, chair, Command::GrantFloor { participant: None }),
        (1048, chair, Command::EndSpeech),
        // 部门答复
        (1050, chair, Command::NextStep),
        (1052, chair, Command::GrantFloor { participant: None }),
        (
            1200,
            Some("d-housing"),
            answer(
                "q1",
                Answer::Answered,
                Some("年内在全市推行“一窗受理”，审批时限压缩至15个工作日"),
            ),
        ),
        (
            1300,
            Some("d-housing"),
            answer(
                "q4",
                Answer::FollowUp,
                Some("补贴标准正会同财政部门研究，30日内书面答复"),
            ),
        ),
        (1400, chair, Command::EndSpeech),
        (1405, chair, Command::GrantFloor { participant: None }),
        (
            1600,
            Some("d-fangguan"),
            answer(
                "q2",
                Answer::Answered,
                Some("依据民法典由业主共同决定，街道调解委员会介入协调"),
            ),
        ),
        (1700, chair, Command::EndSpeech),
        (1705, chair, Command::GrantFloor { participant: None }),
        (1900, chair, Command::EndSpeech),
        // 专家评议 (q3 is still pending: carried into follow-up)
        (1910, chair, Command::NextStep),
        (1915, chair, grant("x01")),
        (2100, chair, Command::EndSpeech),
        // 满意度测评
        (2110, chair, Command::NextStep),
        (
            2115,
            chair,
            Command::OpenPoll {
                poll: "rating".to_string(),
            },
        ),
    ]);
    for (t, who, ratings) in [
        (2130, "p01", ["满意", "基本满意", "不满意"]),
        (2135, "p02", ["满意", "满意", "基本满意"]),
        (2140, "m01", ["基本满意", "满意", "不满意"]),
        (2145, "m02", ["满意", "满意", "基本满意"]),
        (2150, "x01", ["满意", "基本满意", "基本满意"]),
    ] {
        for (target, choice) in ["housing", "fangguan", "market"].into_iter().zip(ratings) {
            s.push((t, Some(who), vote(target, choice)));
        }
    }
    s.extend([
        (
            2200,
            chair,
            Command::ClosePoll {
                poll: "rating".to_string(),
            },
        ),
        (2210, chair, Command::CloseMeeting),
    ]);
    s
}

/// Records the scripted meeting into a new journal at `path`.
pub fn record(path: &Path) {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO);
    let xieshang::scenario::Scenario {
        plan, sha256: sha, ..
    } = xieshang::scenario::load(&scenario).expect("the bundled scenario");
    let mut hub = Hub::open(plan, &sha, path, T0).expect("a new journal").hub;
    for (at, actor, command) in script() {
        let name = command.name();
        hub.submit(actor, command, T0 + at * 1000)
            .unwrap_or_else(|e| panic!("{name} at {at}s was refused: {e}"));
    }
    hub.close().expect("the journal closes");
}
