//! 回头看, the loop closed: a meeting's promises imported into the register, a
//! second meeting's review step bringing them back (from the register the plan
//! names), the chair recording what stands and the asker rating it over the
//! wire, the register taking it in as it happens; then the same register made
//! by importing the second meeting's journal instead, and an import after the
//! live taking that changes nothing.

use crate::common::room::tokens_of;
use crate::common::serve::Serve;
use crate::office::store::simulated;
use std::path::{Path, PathBuf};
use std::time::Duration;
use xieshang::client::Client;
use xieshang::meeting::followups::{Date, ItemState, Rating};
use xieshang::meeting::review::{Outcome, ReviewItem};
use xieshang::meeting::Command;
use xieshang::office::followups::{import, Filter};
use xieshang::office::Office;

fn xieshang(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .output()
        .unwrap()
}

/// The bundled review meeting, its register moved to `register`.
fn review_plan(dir: &Path, register: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/huishang-review.toml"),
    )
    .unwrap()
    .replace(
        "register = \"../meetings/register.db\"",
        &format!("register = \"{}\"", register.display()),
    );
    let plan = dir.join("review.toml");
    std::fs::write(&plan, text).unwrap();
    plan
}

/// A register holding the first meeting's promises (imported with `args`,
/// e.g. `--today`), and the review meeting's plan reading it: the folder,
/// the register, the plan, and where the review meeting is recorded.
fn prepared(args: &[&str]) -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let first = simulated(dir.path(), "huishang-supervision");
    let db = dir.path().join("register.db");
    let mut all = vec!["followups", "--register", db.to_str().unwrap()];
    all.extend_from_slice(args);
    all.extend(["import", first.to_str().unwrap()]);
    let out = xieshang(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = review_plan(dir.path(), &db);
    let journal = dir.path().join("review.journal");
    (dir, db, plan, journal)
}

/// The review step's earlier promises, as the journal's plan froze them.
fn found(journal: &Path) -> Vec<ReviewItem> {
    xieshang::journal::read(journal).unwrap().header.plan.agenda[0].steps[1]
        .review
        .clone()
        .unwrap()
        .found
}

/// The chair calls `item` and records it delivered, saying `note`.
async fn call_and_deliver(chair: &mut Client, item: &str, note: &str) {
    ok(chair, Command::ReviewCall { item: item.into() }).await;
    let record = Command::ReviewRecord {
        item: item.into(),
        outcome: Outcome::Delivered,
        due: None,
        note: Some(note.into()),
    };
    ok(chair, record).await;
}

async fn ok(c: &mut Client, action: Command) {
    let name = action.name();
    if let Err((code, message)) = c.intent(action).await.unwrap() {
        panic!("{name}: {code:?} {message}");
    }
}

/// Waits until the register holds what `done` asks of item `id` (the live
/// taking is a thread of its own).
fn wait_for(
    db: &Path,
    id: &str,
    done: impl Fn(&xieshang::meeting::followups::Item) -> bool,
) -> xieshang::meeting::followups::Item {
    let started = std::time::Instant::now();
    loop {
        let item = Office::open_existing(db)
            .unwrap()
            .item(id)
            .unwrap()
            .unwrap();
        if done(&item) {
            return item;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{id} never got there: {item:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_brings_a_promise_back_and_the_register_is_the_same_live_or_imported() {
    let (dir, db, plan, journal) = prepared(&[]);
    // The register as it was before the second meeting, kept to import into later.
    let before = dir.path().join("before.db");
    std::fs::copy(&db, &before).unwrap();

    let check = xieshang(&["check", plan.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let serve = Serve::start(&plan, &journal, "127.0.0.1:0");
    let tokens = tokens_of(&journal);

    // The review step holds every open item of the three departments, the
    // longest overdue first, as the register had them.
    let recorded = xieshang::journal::read(&journal).unwrap();
    let step = recorded.header.plan.agenda[0].steps[1]
        .review
        .clone()
        .unwrap();
    let open = Office::open_existing(&db)
        .unwrap()
        .items(&Filter::default())
        .unwrap()
        .into_iter()
        .filter(|i| i.state.is_open())
        .count();
    assert_eq!(step.found.len(), open, "every open item comes back");
    let item = step.found[0].clone();
    assert!(!item.question.is_empty() && !item.department_name.is_empty());

    let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
        .await
        .unwrap();
    let mut asker = Client::connect(&serve.url, &tokens[&item.asker], None)
        .await
        .unwrap();
    ok(&mut chair, Command::StartMeeting).await;
    ok(&mut chair, Command::NextStep).await;
    ok(
        &mut chair,
        Command::ReviewCall {
            item: item.id.clone(),
        },
    )
    .await;
    // The department's representative reports from the floor.
    let rep = format!("d-{}", item.department);
    ok(
        &mut chair,
        Command::GrantFloor {
            participant: Some(rep),
        },
    )
    .await;
    ok(&mut chair, Command::EndSpeech).await;
    // Someone else may not rate it, and nobody before it is delivered.
    let rate = |rating, reason: Option<&str>| Command::ReviewRate {
        item: item.id.clone(),
        rating,
        reason: reason.map(String::from),
    };
    let refused = asker.intent(rate(Rating::Satisfied, None)).await.unwrap();
    assert!(refused.is_err(), "not delivered yet");
    ok(
        &mut chair,
        Command::ReviewRecord {
            item: item.id.clone(),
            outcome: Outcome::Delivered,
            due: None,
            note: Some("补贴细则已印发".into()),
        },
    )
    .await;
    let answered = wait_for(&db, &item.id, |i| i.state == ItemState::Answered);
    assert_eq!(answered.answer.as_ref().unwrap().text, "补贴细则已印发");
    ok(
        &mut asker,
        rate(Rating::Dissatisfied, Some("细则没有资金来源")),
    )
    .await;
    let back = wait_for(&db, &item.id, |i| i.returned == 1);
    assert_eq!(
        back.state,
        ItemState::InProgress,
        "sent back to be done again"
    );
    // A second item: still in progress, with a new date.
    if let Some(second) = step.found.get(1) {
        ok(
            &mut chair,
            Command::ReviewCall {
                item: second.id.clone(),
            },
        )
        .await;
        ok(
            &mut chair,
            Command::ReviewRecord {
                item: second.id.clone(),
                outcome: Outcome::InProgress,
                due: Date::parse("2027-06-30"),
                note: Some("已列入明年计划".into()),
            },
        )
        .await;
        wait_for(&db, &second.id, |i| {
            i.due == Date::parse("2027-06-30").unwrap()
        });
    }
    ok(&mut chair, Command::CloseMeeting).await;
    drop(chair);
    drop(asker);
    drop(serve);

    // Importing the second meeting into the register as it was before it gives
    // the same items as taking it live.
    let mut imported = Office::open(&before).unwrap();
    let done = import::import(
        &mut imported,
        &journal,
        import::Importing {
            due: None,
            by: &xieshang::meeting::followups::Actor::Secretariat { name: "x".into() },
            now_ms: xieshang::clock::now_ms(),
            offset_s: 8 * 3600,
        },
    )
    .unwrap();
    assert!(done.reviewed >= 3, "{done:?}");
    let live = Office::open_existing(&db).unwrap();
    let strip = |mut i: xieshang::meeting::followups::Item| {
        // When a change was written differs by a few ms; what it is does not.
        i.updated_ms = 0;
        i
    };
    let a: Vec<_> = live
        .items_whole(&Filter::default())
        .unwrap()
        .into_iter()
        .map(strip)
        .collect();
    let b: Vec<_> = imported
        .items_whole(&Filter::default())
        .unwrap()
        .into_iter()
        .map(strip)
        .collect();
    assert_eq!(a, b, "the register is the same live or imported");
    // And importing it into the live one again changes nothing.
    drop(live);
    let mut live = Office::open_existing(&db).unwrap();
    let again = import::import(
        &mut live,
        &journal,
        import::Importing {
            due: None,
            by: &xieshang::meeting::followups::Actor::Secretariat { name: "x".into() },
            now_ms: xieshang::clock::now_ms(),
            offset_s: 8 * 3600,
        },
    )
    .unwrap();
    assert_eq!(again.reviewed, 0, "an item reviewed once is counted once");
    let c: Vec<_> = live
        .items_whole(&Filter::default())
        .unwrap()
        .into_iter()
        .map(strip)
        .collect();
    assert_eq!(a, c);
    // The minutes say the same: each item as it stood, and what was found.
    let out = xieshang(&["minutes", journal.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let minutes = String::from_utf8(out.stdout).unwrap();
    let section = minutes.split("## 回头看").nth(1).expect("a review section");
    assert!(section.contains(&item.question), "{section}");
    assert!(
        section.contains("已落实；补贴细则已印发；提问人：不满意（细则没有资金来源）"),
        "{section}"
    );
    if step.found.len() > 1 {
        assert!(
            section.contains("正在办理；2027-06-30 前办结；已列入明年计划"),
            "{section}"
        );
    }
    for other in &step.found {
        assert!(
            section.contains(&other.id),
            "every item is listed: {section}"
        );
    }
}

#[test]
fn check_says_when_a_named_item_is_not_in_the_register_or_the_register_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    Office::open(&db).unwrap();
    let plan = review_plan(dir.path(), &db);
    let text = std::fs::read_to_string(&plan).unwrap().replace(
        "review_departments = [\"housing\", \"fangguan\", \"market\"]",
        "review_items = [\"20990101-000000/q1\"]",
    );
    std::fs::write(&plan, text).unwrap();
    let out = xieshang(&["check", plan.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("20990101-000000/q1"), "{said}");
    std::fs::write(&db, b"not a register").unwrap();
    let out = xieshang(&["check", plan.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("register"), "{said}");
}

/// The chair's console at 80×24 with Chinese names: the review step's panel,
/// an item called, recorded delivered, rated for its asker, the register told.
#[test]
fn the_chair_reviews_an_earlier_promise_on_the_console() {
    use crate::common::tmux::Tmux;
    let (_dir, db, plan, journal) = prepared(&["--today", "2027-03-01"]);
    let cmd = format!(
        "{} run {} --journal {}; echo exit=$?; sleep 30",
        env!("CARGO_BIN_EXE_xieshang"),
        plan.display(),
        journal.display()
    );
    let t = Tmux::start("review", &cmd);
    t.wait_for("s 开始会议");
    t.keys(&["s"]);
    t.wait_for("已进行");
    t.keys(&["n"]);
    // The chair's registered turn was never given: leave the step anyway.
    t.wait_for("y 进入下一环节");
    t.keys(&["y"]);
    let screen = t.wait_for("回头看 ·");
    // The footer leads with calling an item; the list holds the earlier promises.
    assert!(screen.contains("v 回头看：点名"), "{screen}");
    let items = found(&journal);
    assert!(!items.is_empty());
    let first_item = items[0].clone();
    assert!(
        screen.contains(&first_item.department_name[..9]),
        "{screen}"
    );
    for line in screen.lines() {
        assert!(
            xieshang::text::width(line) <= 80,
            "wider than the terminal: {line}"
        );
    }
    t.keys(&["v"]);
    let screen = t.wait_for("▶");
    assert!(
        screen.contains("u 记录现状"),
        "the next key is recording: {screen}"
    );
    t.keys(&["u"]);
    t.wait_for("记录现状 ·");
    t.keys(&["1", "补贴细则已印发", "Enter"]);
    let screen = t.wait_for("已落实");
    assert!(screen.contains("m 代为评价"), "{screen}");
    t.keys(&["m"]);
    t.wait_for("评价 ·");
    t.keys(&["3", "Enter"]);
    // Dissatisfied without a reason: the meeting refuses, the chair says why.
    t.wait_for("理由");
    t.keys(&["m", "3", "没有资金来源", "Enter"]);
    let screen = t.wait_for("不满意");
    for line in screen.lines() {
        assert!(
            xieshang::text::width(line) <= 80,
            "wider than the terminal: {line}"
        );
    }
    t.keys(&["q"]);
    t.wait_for("退出控制台？");
    t.keys(&["y"]);
    t.wait_for("exit=0");
    let item = wait_for(&db, &first_item.id, |i| i.returned == 1);
    assert_eq!(item.rating.unwrap().reason.as_deref(), Some("没有资金来源"));
}

/// The asker's phone (360×640) shows their own earlier question when it is
/// called and takes their rating; the projector (1280×720 and 1920×1080) shows
/// the item, how late it is and what was found; the register is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_asker_rates_from_a_phone_and_the_projector_shows_the_review() {
    use crate::common::browser::{click_button, wait_text, Browser};
    use fantoccini::Locator;
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let (_dir, db, plan, journal) = prepared(&[]);
    let serve = Serve::start(&plan, &journal, "127.0.0.1:0");
    let tokens = tokens_of(&journal);
    let base = serve
        .url
        .replace("ws://", "http://")
        .trim_end_matches("/ws")
        .to_string();
    let found = found(&journal);
    let item = found[0].clone();
    let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
        .await
        .unwrap();
    ok(&mut chair, Command::StartMeeting).await;
    ok(&mut chair, Command::NextStep).await;

    // Before anything is called, the room sees every promise under review.
    let screen = browser.window(1280, 720).await;
    screen
        .goto(&format!("{base}/projector#t={}", tokens["obs"]))
        .await
        .unwrap();
    let waiting = wait_text(&screen, "#screen", "待回顾的承诺", 10).await;
    for i in &found {
        assert!(waiting.contains(&i.department_name), "{waiting}");
    }
    if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
        let png = screen.screenshot().await.unwrap();
        std::fs::write(Path::new(&dir).join("review-waiting-1280x720.png"), png).unwrap();
    }
    screen.close().await.unwrap();
    let phone = browser.window(360, 640).await;
    phone
        .goto(&format!("{base}/join#t={}", tokens[&item.asker]))
        .await
        .unwrap();
    wait_text(&phone, "#floor", "", 10).await;
    ok(
        &mut chair,
        Command::ReviewCall {
            item: item.id.clone(),
        },
    )
    .await;
    wait_text(&phone, "#review", "这是您上次提出的问题", 10).await;
    ok(
        &mut chair,
        Command::ReviewRecord {
            item: item.id.clone(),
            outcome: Outcome::Delivered,
            due: None,
            note: Some("补贴细则已印发".into()),
        },
    )
    .await;
    wait_text(&phone, "#review", "已落实", 10).await;
    click_button(&phone, "#review", "不满意").await;
    let reason = phone.find(Locator::Css("#review textarea")).await.unwrap();
    reason.click().await.unwrap();
    reason.send_keys("<b>细则</b>没有资金来源").await.unwrap();
    if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
        let png = phone.screenshot().await.unwrap();
        std::fs::write(Path::new(&dir).join("review-phone-360x640.png"), png).unwrap();
    }
    let wide: serde_json::Value = phone
        .execute(
            "return document.scrollingElement.scrollWidth > innerWidth + 1",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(wide, false, "the phone scrolls sideways");
    // Below the fold, over the action bar: scrolled to, as a thumb would.
    phone
        .execute(
            "document.querySelector('#review button[type=submit]').scrollIntoView({block: 'center'})",
            vec![],
        )
        .await
        .unwrap();
    click_button(&phone, "#review", "提交评价").await;
    wait_text(&phone, "#review", "不满意：<b>细则</b>没有资金来源", 10).await;
    let back = wait_for(&db, &item.id, |i| i.returned == 1);
    assert_eq!(back.state, ItemState::InProgress);

    // The room's screen.
    for (w, h) in [(1280, 720), (1920, 1080)] {
        let screen = browser.window(w, h).await;
        screen
            .goto(&format!("{base}/projector#t={}", tokens["obs"]))
            .await
            .unwrap();
        let text = wait_text(&screen, "#screen", &item.department_name, 10).await;
        assert!(text.contains("不满意"), "{text}");
        let size: serde_json::Value = screen
            .execute(
                "return parseFloat(getComputedStyle(document.querySelector('.review-q')).fontSize)",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            size.as_f64().unwrap() >= 0.045 * h as f64,
            "{w}x{h}: the question at {size}px"
        );
        if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
            let png = screen.screenshot().await.unwrap();
            std::fs::write(
                Path::new(&dir).join(format!("review-projector-{w}x{h}.png")),
                png,
            )
            .unwrap();
        }
        screen.close().await.unwrap();
    }
    phone.close().await.unwrap();
}

/// A register that cannot be written mid-meeting: the meeting goes on, the log
/// says so and how to catch up, and importing the journal after catches up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_register_lost_mid_meeting_does_not_stop_it_and_an_import_catches_up() {
    let (dir, db, plan, journal) = prepared(&[]);
    let log = dir.path().join("serve.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args([
            "serve",
            plan.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--journal",
        ])
        .arg(&journal)
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    use std::io::BufRead;
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut first_line).unwrap();
    // The rest is read and dropped: a closed pipe would end the server.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let url = first_line
        .split_whitespace()
        .find(|w| w.starts_with("ws://"))
        .unwrap()
        .to_string();
    let tokens = tokens_of(&journal);
    let item = found(&journal)[0].clone();
    // The register goes away (a disk unplugged, a file moved).
    let kept = dir.path().join("register.kept");
    std::fs::rename(&db, &kept).unwrap();
    let mut chair = Client::connect(&url, &tokens["chair"], None).await.unwrap();
    ok(&mut chair, Command::StartMeeting).await;
    ok(&mut chair, Command::NextStep).await;
    call_and_deliver(&mut chair, &item.id, "已办结").await;
    // The meeting goes on.
    ok(&mut chair, Command::NextStep).await;
    let started = std::time::Instant::now();
    let said = loop {
        let said = std::fs::read_to_string(&log).unwrap();
        if said.contains("cannot take the review") {
            break said;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the log never said so:\n{said}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(said.contains("import"), "{said}");
    // SIGTERM with the chair still connected and the register's writer
    // running: the server stops within its drain and exits 0.
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    drop(chair);
    // Back in place, an import takes what was missed.
    std::fs::rename(&kept, &db).unwrap();
    let out = xieshang(&[
        "followups",
        "--register",
        db.to_str().unwrap(),
        "import",
        journal.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let item = Office::open_existing(&db)
        .unwrap()
        .item(&item.id)
        .unwrap()
        .unwrap();
    assert_eq!(item.state, ItemState::Answered);
}

/// The asker on a terminal (`xieshang join`, 80×24): their item called and
/// recorded delivered, `m` rates it, the register is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_asker_rates_from_a_joined_terminal() {
    use crate::common::tmux::Tmux;
    let (_dir, db, plan, journal) = prepared(&[]);
    let serve = Serve::start(&plan, &journal, "127.0.0.1:0");
    let tokens = tokens_of(&journal);
    let item = found(&journal)[0].clone();
    let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
        .await
        .unwrap();
    ok(&mut chair, Command::StartMeeting).await;
    ok(&mut chair, Command::NextStep).await;
    let t = Tmux::start(
        "review-join",
        &format!(
            "sh -c 'XIESHANG_TOKEN={} {} join {}; sleep 30'",
            tokens[&item.asker],
            env!("CARGO_BIN_EXE_xieshang"),
            serve.url
        ),
    );
    t.wait_for("回头看 ·");
    call_and_deliver(&mut chair, &item.id, "已办结").await;
    let screen = t.wait_for("m 评价回头看事项");
    for line in screen.lines() {
        assert!(
            xieshang::text::width(line) <= 80,
            "wider than the terminal: {line}"
        );
    }
    t.keys(&["m"]);
    t.wait_for("评价 ·");
    t.keys(&["2", "Enter"]);
    t.wait_for("基本满意");
    let rated = wait_for(&db, &item.id, |i| i.rating.is_some());
    assert_eq!(rated.state, ItemState::Closed, "基本满意 closes it");
    t.keys(&["q"]);
}
