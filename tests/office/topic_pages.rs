//! The topics' pages in a real browser (headless Chromium over WebDriver)
//! against `xieshang followups serve` on 127.0.0.1, as the people who use them
//! on a phone (360×640): a member proposes from their card's link and sees a
//! similar topic while writing, a co-signer signs from theirs, a resident
//! supports it from the public page with their sector and takes it back; the
//! public page at 1280×720 and 1920×1080. Nothing wider than the screen, the
//! token out of the address bar, hostile text shown as text.

use super::web::{tokens, Office};
use crate::common::browser::{click_button, wait_text, Browser};
use fantoccini::{Client as Page, Locator};
use serde_json::json;
use std::path::Path;

async fn eval(page: &Page, script: &str) -> serde_json::Value {
    page.execute(script, vec![]).await.unwrap()
}

async fn type_into(page: &Page, css: &str, text: &str) {
    let field = page.find(Locator::Css(css)).await.unwrap();
    field.click().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn shot(page: &Page, name: &str) {
    let png = page.screenshot().await.unwrap();
    if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), &png).unwrap();
    }
}

async fn too_wide(page: &Page) -> Option<String> {
    let v = eval(
        page,
        "const se = document.scrollingElement; return se.scrollWidth > innerWidth + 1 ? `${se.scrollWidth} > ${innerWidth}` : null;",
    )
    .await;
    v.as_str().map(String::from)
}

fn card(id: &str) -> String {
    format!("#topic-{id}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_proposes_from_a_phone_a_colleague_signs_and_residents_support_it() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = super::topics::rostered(dir.path());
    let office = Office::start(&db, &[]);
    let keys = tokens(&db);
    let lin = keys["asker:person:hs-lin"].clone();
    let he = keys["asker:person:hs-he"].clone();
    let base = format!("http://127.0.0.1:{}", office.port);

    // A resident's topic already there, with markup in it.
    let hostile = "<img src=x onerror=alert(1)>";
    let (status, earlier) = office.ask(
        "POST",
        "/topics/api/propose",
        None,
        &json!({
            "name": "吴阿姨", "sector": "社区居民", "supporter": "e".repeat(32),
            "text": { "title": "加装电梯审批太慢", "problem": format!("{hostile}加装电梯审批要跑好几个部门"), "suggestion": "一窗受理" },
        })
        .to_string(),
    );
    assert_eq!(status, 200, "{earlier}");
    let earlier: serde_json::Value = serde_json::from_str(&earlier).unwrap();
    let earlier_id = earlier["id"].as_str().unwrap().to_string();

    // The member, on a phone, from their card's link.
    let member = browser.window(360, 640).await;
    member
        .goto(&format!("{base}/topics/mine#t={lin}"))
        .await
        .unwrap();
    wait_text(&member, "#who", "林志远", 10).await;
    let address = member.current_url().await.unwrap().to_string();
    assert!(
        !address.contains(lin.as_str()),
        "the token left the address bar"
    );
    click_button(&member, "main", "提出议题").await;
    type_into(&member, "#p-title", "老旧小区加装电梯审批难").await;
    type_into(&member, "#p-problem", "加装电梯审批要跑多个部门").await;
    // The similar topic is shown while writing, its markup as text.
    let similar = wait_text(&member, "#similar", "加装电梯审批太慢", 10).await;
    assert!(similar.contains("加装电梯审批太慢"));
    type_into(&member, "#p-suggestion", "推行一窗受理、并联审批").await;
    // The similar topics' box has come and moved the fields below it: a
    // person looks before typing on.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    type_into(&member, "#p-research", "走访十二个小区").await;
    member
        .find(Locator::Css("#p-departments option[value=housing]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    shot(&member, "topics-member-proposing-360x640").await;
    assert_eq!(too_wide(&member).await, None);
    click_button(&member, "#propose", "提交").await;
    wait_text(&member, "#topics", "老旧小区加装电梯审批难", 10).await;
    let id = eval(
        &member,
        "return document.querySelector('#topics li.topic').id.replace('topic-', '')",
    )
    .await
    .as_str()
    .unwrap()
    .to_string();
    wait_text(&member, &card(&id), "草稿", 10).await;
    // A co-signer, found by name.
    click_button(&member, &card(&id), "邀请联名").await;
    type_into(&member, &format!("{} input[type=search]", card(&id)), "何").await;
    wait_text(&member, &format!("{} .found", card(&id)), "何静", 10).await;
    click_button(&member, &format!("{} .found", card(&id)), "何静").await;
    wait_text(&member, &card(&id), "待确认", 10).await;
    shot(&member, "topics-member-invited-360x640").await;

    // The co-signer signs from their own phone.
    let cosigner = browser.window(360, 640).await;
    cosigner
        .goto(&format!("{base}/topics/mine#t={he}"))
        .await
        .unwrap();
    wait_text(&cosigner, &card(&id), "请我联名", 10).await;
    click_button(&cosigner, &card(&id), "同意联名").await;
    wait_text(&cosigner, &card(&id), "已联名", 10).await;
    assert_eq!(too_wide(&cosigner).await, None);

    // The member submits.
    member.refresh().await.unwrap();
    wait_text(&member, &card(&id), "何静 · 已联名", 10).await;
    click_button(&member, &card(&id), "提交初审").await;
    wait_text(&member, &card(&id), "待初审", 10).await;

    // A resident supports it from the public page, with their sector.
    let resident = browser.window(360, 640).await;
    resident.goto(&format!("{base}/topics")).await.unwrap();
    wait_text(&resident, &card(&id), "老旧小区加装电梯审批难", 10).await;
    type_into(&resident, "#my-sector", "个体工商户").await;
    click_button(&resident, &card(&id), "支持").await;
    wait_text(&resident, &card(&id), "1 人支持", 10).await;
    wait_text(
        &resident,
        &format!("{} .sectors", card(&id)),
        "个体工商户",
        10,
    )
    .await;
    let earlier_text = wait_text(&resident, &card(&earlier_id), "加装电梯审批要跑", 10).await;
    assert!(earlier_text.contains("<img"), "markup shown as text");
    assert_eq!(
        eval(
            &resident,
            "return document.querySelectorAll('main img').length"
        )
        .await,
        0
    );
    assert_eq!(too_wide(&resident).await, None);
    shot(&resident, "topics-public-360x640").await;
    // And takes it back.
    click_button(&resident, &card(&id), "已支持").await;
    wait_text(&resident, &card(&id), "0 人支持", 10).await;

    // The public page on a projector and a wall screen.
    for (w, h) in [(1280, 720), (1920, 1080)] {
        let wall = browser.window(w, h).await;
        wall.goto(&format!("{base}/topics")).await.unwrap();
        wait_text(&wall, &card(&id), "何静", 10).await;
        assert_eq!(too_wide(&wall).await, None, "{w}×{h}");
        shot(&wall, &format!("topics-public-{w}x{h}")).await;
    }
}
