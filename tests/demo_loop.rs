//! The loop the README invites a new user to close, run as its commands say:
//! `demo` (in a terminal), a phone taking the demo's free seat 居民 陈女士 and
//! asking 市房屋管理局, the chair quitting, `followups import`, then `run
//! scenarios/huishang-review.toml --listen`: her promise comes back with a
//! seat of her own (she had none in that plan), her phone shows it as it is
//! called, and she rates it from the phone.

use crate::common::browser::{click_button, wait_text, Browser};
use crate::common::room::{free_port, tokens_of, until};
use crate::common::tmux::Tmux;
use fantoccini::Locator;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use xieshang::client::Client;
use xieshang::meeting::review::Outcome;
use xieshang::meeting::{Command, EventKind};

/// The bundled scenarios copied into `dir`, as a checkout has them.
fn checkout(dir: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let to = dir.join("scenarios");
    std::fs::create_dir_all(to.join("roster")).unwrap();
    for sub in ["", "roster"] {
        for entry in std::fs::read_dir(from.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, to.join(sub).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
}

/// The journal the demo made in `dir/meetings` (`demo-YYYYMMDD-HHMMSS`).
fn demo_journal(dir: &Path) -> PathBuf {
    let started = Instant::now();
    loop {
        let found = std::fs::read_dir(dir.join("meetings")).ok().and_then(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.extension().is_some_and(|e| e == "journal"))
        });
        if let Some(j) = found {
            return j;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no demo journal"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until `path` exists and holds a line with `text`.
fn wait_for_line(path: &Path, text: &str) {
    let started = Instant::now();
    while !std::fs::read_to_string(path).is_ok_and(|s| s.contains(text)) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{} never held {text}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demos_resident_closes_her_own_loop_from_a_phone() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    checkout(dir.path());
    let bin = env!("CARGO_BIN_EXE_xieshang");
    let cd = format!("cd {}", dir.path().display());

    // `cargo run --release -- demo --listen …`: the chair's console.
    let port = free_port();
    let demo = Tmux::start_sized(
        "demo-loop",
        &format!("{cd} && {bin} demo --listen 127.0.0.1:{port}"),
        120,
        40,
    );
    let journal = demo_journal(dir.path());
    demo.wait_for("陈女士");
    demo.keys(&["Escape", "s"]);
    wait_for_line(&journal, "meeting_started");
    let her = tokens_of(&journal)["p-you"].clone();

    // She takes her seat from a phone and asks 市房屋管理局.
    let phone = browser.window(360, 640).await;
    phone
        .goto(&format!("http://127.0.0.1:{port}/join#t={her}"))
        .await
        .unwrap();
    wait_text(&phone, "#link", "已连接", 10).await;
    phone
        .find(Locator::Css("#tab-questions"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_button(&phone, "#questions-panel", "向部门提问").await;
    phone
        .execute(
            "document.getElementById('ask-dept').value = 'fangguan'; return 1",
            vec![],
        )
        .await
        .unwrap();
    let question = "我家楼道的电梯井什么时候开工？";
    let field = phone.find(Locator::Css("#ask-text")).await.unwrap();
    field.click().await.unwrap();
    field.send_keys(question).await.unwrap();
    phone
        .find(Locator::Css("#ask-send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&phone, "#toast", "问题已提交", 10).await;
    wait_for_line(&journal, question);
    // The chair quits; her question was not answered in the room.
    demo.keys(&["q", "y"]);
    demo.wait_gone();

    // `followups import meetings/demo-*.journal`.
    let out = std::process::Command::new(bin)
        .current_dir(dir.path())
        .args(["followups", "import"])
        .arg(journal.strip_prefix(dir.path()).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // `run scenarios/huishang-review.toml --listen …`: she has a seat there.
    let port2 = free_port();
    let review = Tmux::start_sized(
        "review-loop",
        &format!("{cd} && {bin} run scenarios/huishang-review.toml --listen 127.0.0.1:{port2}"),
        120,
        40,
    );
    let review_journal = dir.path().join("meetings/huishang-review.journal");
    wait_for_line(&review_journal, "陈女士");
    let plan = xieshang::journal::read(&review_journal)
        .unwrap()
        .header
        .plan;
    let seat = plan
        .participants
        .iter()
        .find(|p| p.name == "居民 陈女士")
        .expect("the review seats her")
        .id
        .clone();
    let item = plan
        .review_items()
        .map(|(_, i)| i.clone())
        .find(|i| i.question == question)
        .expect("her promise comes back");
    assert_eq!(item.asker, seat);
    let tokens = tokens_of(&review_journal);
    phone
        .goto(&format!(
            "http://127.0.0.1:{port2}/join#t={}",
            tokens[&seat]
        ))
        .await
        .unwrap();
    wait_text(&phone, "#link", "已连接", 10).await;

    // The chair calls it and records it delivered (here over the wire, beside
    // the console); her phone shows her own question, and she rates it.
    let url = format!("ws://127.0.0.1:{port2}/ws");
    let mut chair = Client::connect(&url, &tokens["chair"], None).await.unwrap();
    for c in [
        Command::StartMeeting,
        Command::NextStep,
        Command::ReviewCall {
            item: item.id.clone(),
        },
    ] {
        chair.intent(c).await.unwrap().unwrap();
    }
    wait_text(&phone, "#review", "这是您上次提出的问题", 10).await;
    wait_text(&phone, "#review", question, 10).await;
    chair
        .intent(Command::ReviewRecord {
            item: item.id.clone(),
            outcome: Outcome::Delivered,
            due: None,
            note: Some("已开工".into()),
        })
        .await
        .unwrap()
        .unwrap();
    wait_text(&phone, "#review", "已落实", 10).await;
    click_button(&phone, "#review", "满意").await;
    phone
        .execute(
            "document.querySelector('#review button[type=submit]').scrollIntoView({block: 'center'})",
            vec![],
        )
        .await
        .unwrap();
    click_button(&phone, "#review", "提交评价").await;
    wait_text(&phone, "#review", "满意", 10).await;
    until(
        &mut chair,
        |e| matches!(e, EventKind::ReviewRated { item: i, .. } if *i == item.id),
    )
    .await;
    review.keys(&["q", "y"]);
    review.wait_gone();
}
