//! The register's pages in a real browser (headless Chromium over WebDriver)
//! against `xieshang followups serve` on 127.0.0.1, as the people who use them:
//! a department on a phone takes an item on and answers it, the asker rates the
//! answer 不满意 and it goes back with a new due date, the public dashboard says
//! so, and the same item left alone shows as overdue on the day after its due
//! date. Phones at 360×640, the dashboard at 1280×720 and 1920×1080: nothing
//! wider than the screen, and hostile text shown as text.

use super::web::{imported, tokens, Office};
use crate::common::browser::{click_button, wait_text, Browser};
use fantoccini::{Client as Page, Locator};
use std::path::Path;
use std::time::Duration;

async fn eval(page: &Page, script: &str) -> serde_json::Value {
    page.execute(script, vec![]).await.unwrap()
}

async fn type_into(page: &Page, css: &str, text: &str) {
    let field = page.find(Locator::Css(css)).await.unwrap();
    field.click().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Saves a screenshot for a person to look at (`SCREENSHOT_DIR=/tmp/shots`).
async fn shot(page: &Page, name: &str) {
    let png = page.screenshot().await.unwrap();
    if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), &png).unwrap();
    }
}

/// Whether the page is wider than its screen (a phone would scroll sideways).
async fn too_wide(page: &Page) -> Option<String> {
    let v = eval(
        page,
        "const se = document.scrollingElement; return se.scrollWidth > innerWidth + 1 ? `${se.scrollWidth} > ${innerWidth}` : null;",
    )
    .await;
    v.as_str().map(String::from)
}

/// The card of item `id`, its CSS selector.
fn card(id: &str) -> String {
    format!("li.item[data-id=\"{id}\"]")
}

/// Clicks the radio of `value` in the card's open form.
async fn choose(page: &Page, id: &str, value: &str) {
    page.find(Locator::Css(&format!(
        "{} input[type=radio][value=\"{value}\"]",
        card(id)
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_answers_the_asker_sends_it_back_and_the_dashboard_shows_it() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path());
    let office = Office::start(&db, &[]);
    let keys = tokens(&db);
    let base = format!("http://127.0.0.1:{}", office.port);
    // An asker with an item, and the item's lead department.
    let (asker_key, asker_token) = keys.iter().find(|(k, _)| k.starts_with("asker:")).unwrap();
    let theirs = office.json("/followups/api/mine", Some(asker_token));
    let item = &theirs["items"][0];
    let id = item["id"].as_str().unwrap().to_string();
    let question = item["origin"]["text"].as_str().unwrap().to_string();
    let lead_token = &keys[&format!("department:{}", item["department"].as_str().unwrap())];
    let due_before = item["due"].as_str().unwrap().to_string();

    // The department, on a phone.
    let dept = browser.window(360, 640).await;
    dept.goto(&format!("{base}/followups/mine#t={lead_token}"))
        .await
        .unwrap();
    wait_text(&dept, &card(&id), &question[..question.len().min(12)], 10).await;
    let address = dept.current_url().await.unwrap().to_string();
    assert!(
        !address.contains(lead_token.as_str()),
        "the token left the address bar: {address}"
    );
    assert_eq!(too_wide(&dept).await, None);
    shot(&dept, "register-department-360x640").await;
    type_into(&dept, "#name", "王科长").await;
    // Leave the field so the name is kept.
    dept.find(Locator::Css("#title"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_button(&dept, &card(&id), "领办").await;
    // One name field on the page: the form asks no name again, it names the one given.
    let fields = eval(
        &dept,
        &format!(
            "return document.querySelectorAll('{} form input:not([type=radio]), {} form textarea').length",
            card(&id).replace('\'', "\\'"),
            card(&id).replace('\'', "\\'")
        ),
    )
    .await;
    assert_eq!(fields, 0, "no second name field");
    wait_text(&dept, &format!("{} form .handler", card(&id)), "王科长", 10).await;
    click_button(&dept, &card(&id), "提交").await;
    wait_text(&dept, &card(&id), "已领办", 10).await;
    let taken = office.json("/followups/api/mine", Some(lead_token));
    let taken = taken["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id.as_str())
        .unwrap();
    assert_eq!(taken["handler"], "王科长", "the handler is the name given");
    click_button(&dept, &card(&id), "正式答复").await;
    choose(&dept, &id, "B").await;
    let hostile = "<img src=x onerror=alert(1)>已列入明年计划";
    type_into(
        &dept,
        &format!("{} textarea[name=text]", card(&id)),
        hostile,
    )
    .await;
    shot(&dept, "register-department-answering-360x640").await;
    click_button(&dept, &card(&id), "提交").await;
    wait_text(&dept, &card(&id), "已答复", 10).await;
    let shown = wait_text(
        &dept,
        &format!("{} .atext", card(&id)),
        "已列入明年计划",
        10,
    )
    .await;
    assert!(
        shown.contains("<img"),
        "the answer is shown as text: {shown}"
    );
    let images = eval(&dept, "return document.querySelectorAll('main img').length").await;
    assert_eq!(images, 0, "no markup from what was typed");

    // The asker, on their phone: 不满意 needs a reason.
    let asker = browser.window(360, 640).await;
    asker
        .goto(&format!("{base}/followups/mine#t={asker_token}"))
        .await
        .unwrap();
    wait_text(&asker, &card(&id), "已答复", 10).await;
    wait_text(&asker, &card(&id), "已列入明年计划", 10).await;
    click_button(&asker, &card(&id), "评价答复").await;
    choose(&asker, &id, "dissatisfied").await;
    click_button(&asker, &card(&id), "提交").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let valid = eval(
        &asker,
        &format!(
            "return document.querySelector('{} form').checkValidity()",
            card(&id).replace('\'', "\\'")
        ),
    )
    .await;
    assert_eq!(
        valid, false,
        "a dissatisfied rating without a reason is not sent"
    );
    let still = office.json("/followups/api/mine", Some(asker_token));
    assert_eq!(still["items"][0]["state"], "answered", "{asker_key}");
    type_into(
        &asker,
        &format!("{} textarea[name=reason]", card(&id)),
        "没有说明资金来源",
    )
    .await;
    shot(&asker, "register-asker-rating-360x640").await;
    click_button(&asker, &card(&id), "提交").await;
    wait_text(&asker, &card(&id), "办理中", 10).await;
    wait_text(&asker, &card(&id), "已退回重办 1 次", 10).await;
    assert_eq!(too_wide(&asker).await, None);
    shot(&asker, "register-asker-360x640").await;
    let now = office.json("/followups/api/mine", Some(asker_token));
    let due_after = now["items"][0]["due"].as_str().unwrap().to_string();
    // Redone within a month of the asker's no (the rules' REDO_MONTHS), never
    // sooner than it was due.
    let today = xieshang::meeting::followups::Date::parse(now["today"].as_str().unwrap()).unwrap();
    let before = xieshang::meeting::followups::Date::parse(&due_before).unwrap();
    assert_eq!(due_after, today.add_months(1).max(before).to_string());

    // The department's page hears of it without a reload (it asks every 10 s).
    wait_text(&dept, &card(&id), "不满意", 15).await;
    wait_text(&dept, &card(&id), "没有说明资金来源", 5).await;

    // The public dashboard, at the sizes people use.
    for (w, h) in [(360, 640), (1280, 720), (1920, 1080)] {
        let dash = browser.window(w, h).await;
        dash.goto(&format!("{base}/followups")).await.unwrap();
        wait_text(&dash, &card(&id), "不满意", 10).await;
        wait_text(&dash, &card(&id), "办理中", 10).await;
        let satisfied = wait_text(&dash, ".kpi.satisfied", "%", 10).await;
        assert!(satisfied.contains("0%"), "none satisfied yet: {satisfied}");
        let text = dash
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let asker_name = theirs["holder"]["name"].as_str().unwrap();
        assert!(!text.contains(asker_name), "the dashboard names no asker");
        assert!(!text.contains("王科长"), "nor who handles it");
        // A question the room left unanswered is not shown as a promise.
        let unanswered: Vec<String> = office.json("/followups/api/dashboard", None)["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["unanswered"] == true)
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        assert!(!unanswered.is_empty(), "the meeting left one unanswered");
        for id in &unanswered {
            let said = wait_text(&dash, &card(id), "会上", 10).await;
            assert!(!said.contains("承诺"), "{id}: {said}");
        }
        assert_eq!(too_wide(&dash).await, None, "{w}x{h}");
        shot(&dash, &format!("register-dashboard-{w}x{h}")).await;
        // Seen from the back of a hall: the figures' numbers are large.
        let size = eval(
            &dash,
            "return parseFloat(getComputedStyle(document.querySelector('.kpi .n')).fontSize)",
        )
        .await;
        let min = if w >= 1280 { 40.0 } else { 20.0 };
        assert!(
            size.as_f64().unwrap() >= min,
            "{w}x{h}: the figures at {size}px"
        );
        dash.close().await.unwrap();
    }
    dept.close().await.unwrap();
    asker.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_left_alone_is_overdue_the_day_after_its_due_date_not_on_it() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path());
    let due = {
        let office = Office::start(&db, &[]);
        let dash = office.json("/followups/api/dashboard", None);
        dash["items"][0]["deadline"].as_str().unwrap().to_string()
    };
    let id = {
        let office = Office::start(&db, &[]);
        office.json("/followups/api/dashboard", None)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let date = xieshang::meeting::followups::Date::parse(&due).unwrap();
    let on = Office::start(&db, &["--today", &due]);
    let after = Office::start(&db, &["--today", &date.add_days(1).to_string()]);
    let page = browser.window(360, 640).await;
    page.goto(&format!("http://127.0.0.1:{}/followups", on.port))
        .await
        .unwrap();
    let text = wait_text(&page, &card(&id), "已交办", 10).await;
    assert!(!text.contains("逾期"), "due today is not overdue: {text}");
    page.goto(&format!("http://127.0.0.1:{}/followups", after.port))
        .await
        .unwrap();
    wait_text(&page, &card(&id), "逾期 1 天", 10).await;
    let overdue = wait_text(&page, ".kpi.overdue", "逾期", 10).await;
    assert!(!overdue.starts_with('0'), "{overdue}");
    shot(&page, "register-dashboard-overdue-360x640").await;
    page.close().await.unwrap();
}
