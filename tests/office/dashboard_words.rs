//! The public dashboard (`/followups`) in each of its languages, its register
//! holding a Chinese meeting's items and an English one's, in every state the
//! dashboard shows (assigned, acknowledged, in progress with an answer sent
//! back, answered, closed, withdrawn; overdue): read in English, nothing the
//! system writes is Chinese, and read in Chinese, nothing it writes is
//! English. What people wrote (a department's or a meeting's name, a question,
//! an answer) is shown as written, and is all the page may hold of the other
//! language; so is the language button, which names the other language in it.

use super::store::simulated;
use super::web::{tokens, Office};
use crate::common::browser::{wait_text, Browser};
use fantoccini::{Client as Page, Locator};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn followups(db: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["followups", "--register", db.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "followups {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A register of three meetings, two Chinese and one English: its file.
fn register(dir: &Path) -> PathBuf {
    let db = dir.join("register.db");
    for scenario in [
        "huishang-supervision",
        "foreign-residents-briefing",
        "hongqiao-workstation-liushi",
        "riverside-park-consultation.en",
    ] {
        let journal = simulated(dir, scenario);
        followups(&db, &["import", journal.to_str().unwrap()]);
    }
    db
}

/// Every page text the system or a person put in: the title, the body's text
/// (hidden parts too: an empty state is a word), and the labels in attributes
/// (a figure's label on a phone); not the language button.
async fn page_words(page: &Page) -> String {
    page.execute(
        "const b = document.body.cloneNode(true);
         b.querySelector('#lang').remove();
         const attrs = [...b.querySelectorAll('*')].flatMap((e) =>
           ['data-label', 'title', 'aria-label', 'placeholder', 'alt'].map((a) => e.getAttribute(a)).filter(Boolean));
         return [document.title, b.textContent, ...attrs].join('\\n');",
        vec![],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap()
    .to_string()
}

/// `text` without what people wrote (longest first, so a name inside a
/// longer text goes with it) and the items' ids.
fn system_words(text: &str, written: &[String]) -> String {
    let mut written = written.to_vec();
    written.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    written
        .iter()
        .filter(|w| !w.is_empty())
        .fold(text.to_string(), |t, w| t.replace(w.as_str(), " "))
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FFF}'     // radicals
        | '\u{3000}'..='\u{303F}'   // CJK punctuation (、。「」)
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}'   // full-width forms (，：（）)
    )
}

/// Each line of `text` holding `bad`, for a failure to show where.
fn lines_with(text: &str, bad: impl Fn(&str) -> bool) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| bad(l))
        .map(String::from)
        .collect()
}

/// English words (two letters or more) in `text`.
fn english_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_in_english_writes_no_chinese_and_in_chinese_no_english() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = register(dir.path());
    // Every department's items, by id: its token's key and the item's version.
    let mut items: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let (keys, due) = {
        let office = Office::start(&db, &[]);
        let keys = tokens(&db);
        for (key, token) in keys.iter().filter(|(k, _)| k.starts_with("department:")) {
            for it in office.json("/followups/api/mine", Some(token))["items"]
                .as_array()
                .unwrap()
            {
                let version = it["version"].as_u64().unwrap();
                items.insert(
                    it["id"].as_str().unwrap().to_string(),
                    (key.clone(), version),
                );
            }
        }
        let due = office.json("/followups/api/dashboard", None)["items"][0]["deadline"]
            .as_str()
            .unwrap()
            .to_string();
        (keys, due)
    };
    let ids: Vec<String> = items.keys().cloned().collect();
    assert!(ids.len() >= 7, "seven items for six states: {ids:?}");
    let english = ids
        .iter()
        .find(|id| items[*id].0 == "department:parks")
        .expect("the English meeting's item")
        .clone();
    let chinese: Vec<&String> = ids.iter().filter(|id| **id != english).collect();
    // The secretariat's desk: answered and sent back, closed, withdrawn, answered.
    followups(
        &db,
        &["answer", chinese[0], "b", "已列入明年计划", "--by", "王敏"],
    );
    followups(
        &db,
        &[
            "rate",
            chinese[0],
            "dissatisfied",
            "--reason",
            "没有时间表",
            "--by",
            "王敏",
        ],
    );
    followups(&db, &["answer", chinese[1], "a", "已办结", "--by", "王敏"]);
    followups(&db, &["rate", chinese[1], "satisfied", "--by", "王敏"]);
    followups(
        &db,
        &[
            "withdraw",
            chinese[2],
            "--reason",
            "已并入其他事项",
            "--by",
            "王敏",
        ],
    );
    followups(
        &db,
        &["answer", &english, "c", "Kept for reference", "--by", "Li"],
    );
    // Long overdue, so the lateness words show.
    let today = xieshang::meeting::followups::Date::parse(&due)
        .unwrap()
        .add_days(40)
        .to_string();
    let office = Office::start(&db, &["--today", &today]);
    // A department's page: one item taken on, one worked on; one left assigned.
    let take = |id: &str, more: serde_json::Value| {
        let (key, version) = &items[id];
        let intent = serde_json::json!({"do": "acknowledge", "seen": version, "handler": "李科长"});
        let (status, body) = office.post(id, &keys[key], intent);
        assert_eq!(status, 200, "{body}");
        if !more.is_null() {
            let mut more = more;
            more["seen"] = body["version"].clone();
            let (status, body) = office.post(id, &keys[key], more);
            assert_eq!(status, 200, "{body}");
        }
    };
    take(chinese[3], serde_json::Value::Null);
    take(
        chinese[4],
        serde_json::json!({"do": "progress", "title": "已调研三家保险公司"}),
    );

    let dashboard = office.json("/followups/api/dashboard", None);
    let shown = dashboard["items"].as_array().unwrap();
    let states: std::collections::BTreeSet<&str> =
        shown.iter().map(|i| i["state"].as_str().unwrap()).collect();
    for state in [
        "assigned",
        "acknowledged",
        "in_progress",
        "answered",
        "closed",
        "withdrawn",
    ] {
        assert!(states.contains(state), "no item {state}: {states:?}");
    }
    // What people wrote, and the ids and dates the register gives.
    let mut written: Vec<String> = Vec::new();
    for d in dashboard["departments"].as_array().unwrap() {
        written.push(d["name"].as_str().unwrap().into());
    }
    for i in shown {
        for k in ["id", "question", "department", "meeting"] {
            written.push(i[k].as_str().unwrap().into());
        }
        if let Some(text) = i["answer"]["text"].as_str() {
            written.push(text.into());
        }
    }

    for (w, h) in [(360, 640), (1280, 720)] {
        let page = browser.window(w, h).await;
        page.goto(&format!("http://127.0.0.1:{}/followups", office.port))
            .await
            .unwrap();
        // Chinese first (the browser's language), every item drawn.
        for id in &ids {
            wait_text(&page, &format!("li.item[data-id=\"{id}\"]"), id, 10).await;
        }
        let zh = system_words(&page_words(&page).await, &written);
        // The tab's title names the product as 协商 xieshang.
        let zh = zh.replacen("xieshang", " ", 1);
        let stray = english_words(&zh);
        assert!(
            stray.is_empty(),
            "{w}x{h}: English in the Chinese page: {stray:?}\n{}",
            lines_with(&zh, |l| !english_words(l).is_empty()).join("\n")
        );

        // Then English, by its button.
        page.find(Locator::Css("#lang"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_text(&page, "#title", "Follow-ups", 10).await;
        let en = system_words(&page_words(&page).await, &written);
        let cjk: String = en.chars().filter(|c| is_cjk(*c)).collect();
        assert!(
            cjk.is_empty(),
            "{w}x{h}: Chinese in the English page: {cjk:?}\n{}",
            lines_with(&en, |l| l.chars().any(is_cjk)).join("\n")
        );
        if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
            let png = page.screenshot().await.unwrap();
            std::fs::write(
                Path::new(&dir).join(format!("register-dashboard-en-{w}x{h}.png")),
                &png,
            )
            .unwrap();
        }
        // Back to Chinese: the choice is remembered in this browser, and the
        // next window starts from Chinese.
        page.find(Locator::Css("#lang"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        page.close().await.unwrap();
    }
}
