//! Topics (征集选题 → 立题) end to end, as the people who use them: a member
//! proposes from their page, invites a co-signer who signs from theirs, the
//! public supports it (and one takes it back) with support shown by sector, a
//! resident proposes once a round from the public page, similar topics are
//! found while one writes; the office screens it in three stages from the
//! command line, an evaluator gives an opinion from their page, 立题 writes a
//! plan that `check` accepts and `simulate` runs, its promise lands in the
//! register under the topic's number, and after two 不满意 it comes back as a
//! topic (回流) that the public page shows in the chain.

use super::web::{tokens, Office};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

fn xieshang(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "xieshang {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An office with the bundled roster (members, departments, a contact point).
pub fn rostered(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("office.db");
    let roster = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/roster");
    for sheet in ["organisations", "people"] {
        xieshang(&[
            "roster",
            "--register",
            db.to_str().unwrap(),
            "import",
            sheet,
            roster.join(format!("{sheet}.csv")).to_str().unwrap(),
        ]);
    }
    db
}

fn topics(db: &Path, args: &[&str]) -> String {
    let mut all = vec!["topics", "--register", db.to_str().unwrap()];
    all.extend_from_slice(args);
    xieshang(&all)
}

fn post(office: &Office, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let (status, text) = office.ask("POST", path, token, &body.to_string());
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, value)
}

fn on(office: &Office, id: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    post(office, &format!("/topics/api/topics/{id}"), token, body)
}

/// The public page's topic `id`.
fn public(office: &Office, id: &str) -> Value {
    let list = office.json("/topics/api/list", None);
    list["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} is not on the public page: {list}"))
}

#[test]
fn a_topic_goes_from_a_members_phone_through_three_stages_to_a_meeting_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = rostered(dir.path());
    let office = Office::start(&db, &[]);
    let keys = tokens(&db);
    let lin = keys["asker:person:hs-lin"].clone();
    let he = keys["asker:person:hs-he"].clone();
    let gao = keys["asker:person:hs-gao"].clone();
    let point = keys["contact_point:weimin"].clone();

    // A member's page knows them, and the roster's departments.
    let mine = office.json("/topics/api/mine", Some(&lin));
    assert_eq!(mine["name"], "林志远");
    assert!(mine["may"].as_array().unwrap().contains(&json!("propose")));
    assert!(mine["departments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == "housing"));

    // 非调研不提案: submitting a member's topic without research is refused.
    let text = json!({
        "title": "老旧小区加装电梯审批难",
        "problem": "加装电梯审批要跑多个部门，低层住户协调难，居民等了两年",
        "suggestion": "推行一窗受理、并联审批",
        "research": "",
        "departments": ["housing", "market"],
    });
    let (status, topic) = post(
        &office,
        "/topics/api/propose",
        Some(&lin),
        json!({ "text": text }),
    );
    assert_eq!(status, 200, "{topic}");
    let id = topic["id"].as_str().unwrap().to_string();
    assert_eq!(topic["stage"], "draft");
    assert_eq!(topic["origin"], "member");
    let (status, refused) = on(
        &office,
        &id,
        Some(&lin),
        json!({ "do": "submit", "seen": topic["version"] }),
    );
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["messages"]["zh"]
            .as_str()
            .unwrap()
            .contains("非调研不提案"),
        "{refused}"
    );
    let mut text = text;
    text["research"] = json!("走访 12 个小区、座谈 3 次");
    let (status, topic) = on(
        &office,
        &id,
        Some(&lin),
        json!({ "do": "edit", "seen": topic["version"], "text": text }),
    );
    assert_eq!(status, 200, "{topic}");

    // A co-signer, found by name and invited; they sign from their own page.
    let found = office.json("/topics/api/people?q=%E4%BD%95", Some(&lin));
    assert_eq!(found[0]["id"], "hs-he", "{found}");
    assert!(found[0].get("contact").is_none(), "no contact on a page");
    let (status, topic) = on(
        &office,
        &id,
        Some(&lin),
        json!({ "do": "invite", "seen": topic["version"], "person": "hs-he" }),
    );
    assert_eq!(status, 200, "{topic}");
    let theirs = office.json("/topics/api/mine", Some(&he));
    assert_eq!(theirs["topics"][0]["id"], id.as_str());
    // Someone else cannot sign it.
    let (status, _) = on(
        &office,
        &id,
        Some(&gao),
        json!({ "do": "sign", "seen": topic["version"] }),
    );
    assert_eq!(status, 422);
    let (status, topic) = on(
        &office,
        &id,
        Some(&he),
        json!({ "do": "sign", "seen": topic["version"] }),
    );
    assert_eq!(status, 200, "{topic}");
    // A stale change is refused, naming who came between.
    let (status, stale) = on(
        &office,
        &id,
        Some(&lin),
        json!({ "do": "submit", "seen": 1 }),
    );
    assert_eq!(status, 409, "{stale}");
    assert_eq!(stale["by"], "何静");
    let (status, topic) = on(
        &office,
        &id,
        Some(&lin),
        json!({ "do": "submit", "seen": topic["version"] }),
    );
    assert_eq!(status, 200, "{topic}");
    assert_eq!(topic["stage"], "submitted");

    // Similar topics are found while someone writes one like it.
    let (status, similar) = post(
        &office,
        "/topics/api/similar",
        None,
        json!({ "text": "加装电梯审批太难了" }),
    );
    assert_eq!(status, 200);
    assert_eq!(similar[0]["id"], id.as_str(), "{similar}");

    // The public supports it by sector; one takes it back; a second support
    // by the same browser is refused.
    for (key, sector) in [
        ("a".repeat(32), "社区居民"),
        ("b".repeat(32), "社区居民"),
        ("c".repeat(32), "个体工商户"),
    ] {
        let (status, t) = on(
            &office,
            &id,
            None,
            json!({ "do": "support", "supporter": key, "sector": sector }),
        );
        assert_eq!(status, 200, "{t}");
    }
    let (status, _) = on(
        &office,
        &id,
        None,
        json!({ "do": "support", "supporter": "a".repeat(32), "sector": "社区居民" }),
    );
    assert_eq!(status, 422);
    let (status, _) = on(
        &office,
        &id,
        None,
        json!({ "do": "unsupport", "supporter": "b".repeat(32) }),
    );
    assert_eq!(status, 200);
    let shown = public(&office, &id);
    assert_eq!(shown["supporters"], 2, "{shown}");
    assert_eq!(shown["support"]["社区居民"], 1);
    assert_eq!(shown["support"]["个体工商户"], 1);
    assert_eq!(shown["cosigners"], json!(["何静"]));
    // A supporter's key is never kept as given.
    let raw = std::fs::read(&db).unwrap();
    assert!(
        !raw.windows(32).any(|w| w == "c".repeat(32).as_bytes()),
        "a browser's key is kept as its digest only"
    );

    // A resident proposes from the public page once a round; a contact point
    // enters another resident's.
    let resident = json!({
        "name": "吴阿姨", "sector": "社区居民", "supporter": "d".repeat(32),
        "text": { "title": "小区门口早高峰拥堵", "problem": "学校门口接送车辆占道", "suggestion": "错峰放学" },
    });
    let (status, t) = post(&office, "/topics/api/propose", None, resident.clone());
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["stage"], "submitted");
    assert_eq!(t["origin"], "public");
    let (status, again) = post(&office, "/topics/api/propose", None, resident);
    assert_eq!(status, 422, "{again}");
    assert!(again["messages"]["zh"]
        .as_str()
        .unwrap()
        .contains("每人只能"));
    // The resident's name is not on the public page; their sector is.
    let shown_resident = public(&office, t["id"].as_str().unwrap());
    assert_eq!(shown_resident["proposer"], "");
    assert_eq!(shown_resident["sector"], "社区居民");
    let (status, entered) = post(
        &office,
        "/topics/api/propose",
        Some(&point),
        json!({ "name": "郑先生", "contact": "139", "sector": "业委会",
                "text": { "title": "垃圾分类点异味", "problem": "夏天异味重", "suggestion": "加装除臭设备" } }),
    );
    assert_eq!(status, 200, "{entered}");
    assert_eq!(entered["entered_by"], "为民协商厅委员工作站");
    let points = office.json("/topics/api/mine", Some(&point));
    assert_eq!(points["topics"].as_array().unwrap().len(), 1);
    // A contact point may not co-sign or give opinions.
    let (status, _) = on(
        &office,
        &id,
        Some(&point),
        json!({ "do": "sign", "seen": 1 }),
    );
    assert_eq!(status, 403);

    // 初审 and 复审 by the office; the evaluator's opinion from their page.
    // Two co-signers needed, one signed: passing it is an override, said why.
    topics(&db, &["thresholds", "--member", "2"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["topics", "--register", db.to_str().unwrap()])
        .args(["screen", &id, "eligible", "--by", "办公室小王"])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "below the threshold, no reason given"
    );
    let out = topics(
        &db,
        &[
            "screen",
            &id,
            "eligible",
            "--override",
            "委员联名，涉及面广",
            "--by",
            "办公室小王",
        ],
    );
    assert!(out.contains(&id), "{out}");
    topics(&db, &["assign", &id, "hs-gao", "--by", "办公室小王"]);
    let theirs = office.json("/topics/api/mine", Some(&gao));
    let t = &theirs["topics"][0];
    assert_eq!(t["stage"], "in_review");
    let (status, t) = on(
        &office,
        &id,
        Some(&gao),
        json!({ "do": "opine", "seen": t["version"], "verdict": "for", "text": "问题突出，建议立题" }),
    );
    assert_eq!(status, 200, "{t}");
    topics(
        &db,
        &[
            "decide",
            &id,
            "adopt",
            "--number",
            "2027-01",
            "--by",
            "主席会议",
        ],
    );
    let shown = public(&office, &id);
    assert_eq!(shown["stage"], "adopted");
    assert_eq!(shown["number"], "2027-01");
    let stages: Vec<&str> = shown["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["stage"].as_str().unwrap())
        .collect();
    // 初审's and 定审's decisions, and 复审's opinions counted.
    assert_eq!(stages, ["eligible", "adopted"], "{shown}");
    assert_eq!(
        (shown["opinions"].clone(), shown["evaluators"].clone()),
        (json!(1), json!(1))
    );
    assert!(shown["decisions"][0]["overrode"]
        .as_str()
        .unwrap()
        .contains("涉及面广"));

    // 立题 writes the plan: check accepts it, simulate runs it (with a
    // rehearsal's script), and its promise lands under the topic's number.
    let plan = dir.path().join("plan.toml");
    topics(&db, &["plan", &id, "-o", plan.to_str().unwrap()]);
    let written = std::fs::read_to_string(&plan).unwrap();
    assert!(written.contains("topic = \"2027-01\""), "{written}");
    assert!(
        written.contains("person = \"hs-he\""),
        "the co-signer speaks: {written}"
    );
    xieshang(&["check", plan.to_str().unwrap()]);
    let rehearsal = format!(
        "{written}\n[[script]]\nwho = \"proposer\"\non = \"step 1.3\"\nafter = \"30s\"\ndo = \"ask\"\ndepartment = \"housing\"\ntext = \"一窗受理什么时候在全市推开？\"\n\n[[script]]\nwho = \"d-housing\"\non = \"floor 1.4\"\nafter = \"1m\"\ndo = \"answer\"\nstatus = \"follow_up\"\nnote = \"三个月内推开，书面答复\"\n"
    );
    std::fs::write(&plan, rehearsal).unwrap();
    let journal = dir.path().join("meeting.jsonl");
    xieshang(&[
        "simulate",
        "--speed",
        "10000",
        "--journal",
        journal.to_str().unwrap(),
        plan.to_str().unwrap(),
    ]);
    let minutes = xieshang(&["minutes", journal.to_str().unwrap()]);
    assert!(minutes.contains("立题编号：2027-01"), "{minutes}");
    let register = ["followups", "--register", db.to_str().unwrap()];
    xieshang(&[&register[..], &["import", journal.to_str().unwrap()]].concat());
    let shown = public(&office, &id);
    let promises = shown["chain"]["promises"].as_array().unwrap();
    assert_eq!(promises.len(), 1, "{shown}");
    assert_eq!(promises[0]["department"], "市住房城乡建设管理委");
    let item = promises[0]["id"].as_str().unwrap().to_string();
    // The topic knows the meeting that took it up, once however often imported.
    xieshang(&[&register[..], &["import", journal.to_str().unwrap()]].concat());
    let meetings = public(&office, &id)["meetings"].clone();
    assert_eq!(meetings.as_array().unwrap().len(), 1, "{meetings}");
    assert!(
        item.starts_with(meetings[0].as_str().unwrap()),
        "{meetings} {item}"
    );

    // Two 不满意: it comes back as a topic, past 初审, flagged, linked both ways.
    for (answer, reason) in [("正在研究", "没有时间表"), ("还在研究", "仍无时间表")]
    {
        xieshang(
            &[
                &register[..],
                &["answer", &item, "c", answer, "--by", "住建委"],
            ]
            .concat(),
        );
        xieshang(
            &[
                &register[..],
                &[
                    "rate",
                    &item,
                    "dissatisfied",
                    "--reason",
                    reason,
                    "--by",
                    "林志远",
                ],
            ]
            .concat(),
        );
    }
    let out = topics(&db, &["recirculate"]);
    assert!(out.contains("再议"), "{out}");
    assert_eq!(
        topics(&db, &["recirculate"]).lines().count(),
        1,
        "once an item"
    );
    let shown = public(&office, &id);
    let back = shown["chain"]["promises"][0]["returned_as"]
        .as_str()
        .unwrap_or_else(|| panic!("the promise names the topic it came back as: {shown}"))
        .to_string();
    let returned = public(&office, &back);
    assert_eq!(returned["origin"], "returned");
    assert_eq!(returned["stage"], "eligible");
    assert_eq!(returned["flagged"], true);
    assert_eq!(returned["proposer"], "林志远", "signed by its asker");
    assert_eq!(returned["chain"]["came_from"]["id"], item.as_str());

    // Tokens never reach the log, nor does a supporter's key.
    let log = std::fs::read_to_string(&office.log).unwrap();
    for secret in [&lin, &he, &gao, &point, &"c".repeat(32)] {
        assert!(!log.contains(secret.as_str()), "a secret in the log");
    }
}

#[test]
fn hostile_requests_to_the_topics_pages_are_refused_without_harm() {
    let dir = tempfile::tempdir().unwrap();
    let db = rostered(dir.path());
    let office = Office::start(&db, &[]);
    let keys = tokens(&db);
    let lin = keys["asker:person:hs-lin"].clone();
    let department = keys
        .iter()
        .find(|(k, _)| k.starts_with("department:"))
        .map(|(_, v)| v.clone());
    // No token, a wrong one, a department's: not a person's page.
    assert_eq!(office.ask("GET", "/topics/api/mine", None, "").0, 401);
    assert_eq!(
        office
            .ask("GET", "/topics/api/mine", Some(&"0".repeat(32)), "")
            .0,
        401
    );
    if let Some(d) = department {
        assert_eq!(office.ask("GET", "/topics/api/mine", Some(&d), "").0, 403);
    }
    // Bad bodies, a short key, a stage that is not one, a huge body.
    for body in ["", "{", "[]", "{\"text\":1}"] {
        let (status, _) = office.ask("POST", "/topics/api/propose", Some(&lin), body);
        assert_eq!(status, 400, "{body}");
    }
    let (status, _) = post(
        &office,
        "/topics/api/propose",
        None,
        json!({ "name": "x", "supporter": "short", "text": { "title": "t", "problem": "p", "suggestion": "s" } }),
    );
    assert_eq!(status, 400);
    assert_eq!(
        office
            .ask("GET", "/topics/api/list?stage=%ZZnope", None, "")
            .0,
        400
    );
    let huge = format!("{{\"text\":\"{}\"}}", "长".repeat(100_000));
    assert_eq!(
        office.ask("POST", "/topics/api/similar", None, &huge).0,
        413
    );
    // Markup and control characters are refused in a topic's text.
    let (status, refused) = post(
        &office,
        "/topics/api/propose",
        Some(&lin),
        json!({ "text": { "title": "标题\u{1b}[2J", "problem": "p", "suggestion": "s", "research": "r" } }),
    );
    assert_eq!(status, 422, "{refused}");
    // A page's support needs no token, but a person's action does.
    let (status, _) = on(&office, "t00001", None, json!({ "do": "sign", "seen": 1 }));
    assert_eq!(status, 401);
    // The server is still there.
    assert_eq!(office.json("/topics/api/list", None)["total"], 0);
    // One address cannot pass itself off as many residents: ten attempts to
    // propose an hour, each under its own key (the short key's above counted
    // too), then 429.
    let mut statuses = Vec::new();
    for n in 0..11 {
        let (status, _) = post(
            &office,
            "/topics/api/propose",
            None,
            json!({ "name": format!("居民{n}"), "supporter": format!("{n:032}"),
                    "text": { "title": format!("议题{n}"), "problem": "p", "suggestion": "s" } }),
        );
        statuses.push(status);
    }
    assert_eq!(statuses[..9], [200; 9], "{statuses:?}");
    assert_eq!(statuses[9..], [429, 429], "{statuses:?}");
    // A member's token is not counted so.
    let (status, t) = post(
        &office,
        "/topics/api/propose",
        Some(&lin),
        json!({ "text": { "title": "委员的议题", "problem": "p", "suggestion": "s", "research": "r" } }),
    );
    assert_eq!(status, 200, "{t}");
}

/// The secretariat's topics console in a real terminal (tmux, 80×24, Chinese
/// names): the 初审 queue first, a topic whole with its history, 初审 refused
/// below its threshold then passed with a reason, evaluators named from the
/// roster, 定审's form refusing a wrong choice, 立题, the help, quitting.
#[test]
fn the_secretariat_screens_a_topic_at_the_console() {
    use crate::common::tmux::Tmux;
    let dir = tempfile::tempdir().unwrap();
    let db = rostered(dir.path());
    topics(
        &db,
        &[
            "propose",
            "--member",
            "hs-lin",
            "--title",
            "老旧小区加装电梯审批难",
            "--problem",
            "审批要跑多个部门",
            "--suggestion",
            "一窗受理",
            "--research",
            "走访 12 个小区",
            "--department",
            "housing",
            "--by",
            "王敏",
        ],
    );
    topics(&db, &["submit", "t00001", "--by", "王敏"]);
    topics(&db, &["thresholds", "--member", "1"]);
    let cmd = format!(
        "{} topics --register {} desk --by 王敏; echo exit=$?; sleep 30",
        env!("CARGO_BIN_EXE_xieshang"),
        db.display()
    );
    let t = Tmux::start("topic-desk", &cmd);
    let screen = t.wait_for("? 帮助");
    assert!(
        screen.contains("议题征集 · 全部阶段 · 1 个议题"),
        "{screen}"
    );
    assert!(
        screen.contains("待初审") && screen.contains("林志远"),
        "{screen}"
    );
    for line in screen.lines() {
        assert!(
            xieshang::text::width(line) <= 80,
            "wider than the terminal: {line}"
        );
    }
    // The topic whole, its history.
    t.keys(&["Enter"]);
    let screen = t.wait_for("办理记录");
    assert!(
        screen.contains("走访 12 个小区") && screen.contains("提交初审"),
        "{screen}"
    );
    // 初审 without a reason: below its threshold (one co-signer needed).
    t.keys(&["e"]);
    t.wait_for("支持不足仍通过的理由");
    t.keys(&["Enter"]);
    let screen = t.wait_for("未能记录");
    assert!(screen.contains("请写明理由"), "{screen}");
    t.keys(&["e"]);
    t.wait_for("支持不足仍通过的理由");
    t.keys(&["重点民生问题", "Enter"]);
    let screen = t.wait_for("已记录");
    assert!(screen.contains("待复审"), "{screen}");
    // 复审: evaluators from the roster.
    t.keys(&["a"]);
    t.wait_for("评审人编号");
    t.keys(&["hs-gao hs-he", "Enter"]);
    let screen = t.wait_for("指定评审");
    assert!(
        screen.contains("高建华") && screen.contains("复审中"),
        "{screen}"
    );
    // 定审: a wrong choice is said; 立题 before the opinions needs a reason.
    t.keys(&["d"]);
    t.wait_for("1 立题");
    t.keys(&["9", "Enter", "Enter", "Enter"]);
    t.wait_for("请输入 1、2 或 3");
    t.keys(&[
        "BSpace",
        "1",
        "Enter",
        "2027-03",
        "Enter",
        "主席会议同意先行立题",
        "Enter",
    ]);
    let screen = t.wait_for("已立题");
    assert!(screen.contains("2027-03"), "{screen}");
    // The help lists every key; any key closes it; q closes the topic, then quits.
    t.keys(&["?"]);
    let screen = t.wait_for("转社情民意");
    assert!(screen.contains("并入"), "{screen}");
    t.keys(&["Escape"]);
    t.keys(&["q"]);
    t.keys(&["q"]);
    t.wait_for("exit=0");
    let shown = topics(&db, &["show", "t00001"]);
    assert!(
        shown.contains("2027-03") && shown.contains("王敏"),
        "{shown}"
    );
}
