//! One person is one person in every meeting. Plans reuse ids (`m01`, `p01`)
//! for different people; the register knows an asker as a roster person, or
//! as a seat of one meeting, never by the id alone: over HTTP (tokens, pages,
//! ratings, cards), live in a review meeting, and in a register made before
//! this was so, upgraded in place.

use super::store::simulated;
use super::web::{tokens, Office};
use crate::common::room::tokens_of;
use crate::common::serve::Serve;
use std::path::{Path, PathBuf};
use std::process::Command;
use xieshang::client::Client;
use xieshang::meeting::followups::Rating;
use xieshang::meeting::review::Outcome;
use xieshang::meeting::Command as Do;

fn xieshang(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A bundled scenario written into `dir` with every `person`, `organisation`
/// and `register` line left out: a plan that names no roster, whose ids are
/// its own.
fn without_roster(dir: &Path, scenario: &str) -> PathBuf {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(format!("{scenario}.toml")),
    )
    .unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            !l.starts_with("person = ")
                && !l.starts_with("organisation = ")
                && !l.starts_with("register = ")
        })
        .collect();
    let plan = dir.join(format!("{scenario}-plain.toml"));
    std::fs::write(&plan, kept.join("\n")).unwrap();
    plan
}

fn simulate(plan: &Path, journal: &Path) {
    ok(&xieshang(&[
        "simulate",
        "--speed",
        "10000",
        "--journal",
        journal.to_str().unwrap(),
        plan.to_str().unwrap(),
    ]));
}

fn import(db: &Path, journals: &[&Path]) {
    let mut args = vec!["followups", "--register", db.to_str().unwrap(), "import"];
    args.extend(journals.iter().map(|j| j.to_str().unwrap()));
    ok(&xieshang(&args));
}

/// Who asked an item as the register's JSON has it.
fn who(item: &serde_json::Value) -> String {
    let o = &item["origin"];
    match o["asker"]["person"].as_str() {
        Some(p) => format!("person:{p}"),
        None => format!(
            "seat:{}/{}",
            o["journal_id"].as_str().unwrap(),
            o["asker"]["participant"].as_str().unwrap()
        ),
    }
}

/// The reproduction: two meetings whose plans both have an `m01` (林志远 in
/// one, Arjun Rao in the other), both imported. The token of one meeting's
/// `m01` lists only that meeting's items, cannot rate the other's answered
/// item, and each has a card of their own.
#[test]
fn one_meetings_m01_reaches_nothing_of_another_meetings_m01() {
    let dir = tempfile::tempdir().unwrap();
    let zh = dir.path().join("zh.journal");
    simulate(&without_roster(dir.path(), "huishang-supervision"), &zh);
    let en = simulated(dir.path(), "riverside-park-consultation.en");
    let db = dir.path().join("register.db");
    import(&db, &[&zh, &en]);
    let office = Office::start(&db, &[]);
    let keys = tokens(&db);
    let m01: Vec<(&String, &String)> = keys
        .iter()
        .filter(|(k, _)| k.starts_with("asker:seat:") && k.ends_with("/m01"))
        .collect();
    assert_eq!(m01.len(), 2, "one m01 a meeting: {keys:?}");
    assert!(!keys.contains_key("asker:m01"), "no token for an id alone");
    let zh_key =
        xieshang::office::followups::meeting_key(&xieshang::journal::read(&zh).unwrap().header);
    let (zh_m01, en_m01) = if m01[0].0.contains(&zh_key) {
        (m01[0], m01[1])
    } else {
        (m01[1], m01[0])
    };
    // Each sees their own, from their own meeting only.
    for (key, token) in [zh_m01, en_m01] {
        let mine = office.json("/followups/api/mine", Some(token));
        let items = mine["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{key}");
        for item in items {
            assert_eq!(format!("asker:{}", who(item)), *key);
        }
    }
    let rao = office.json("/followups/api/mine", Some(en_m01.1));
    assert!(rao["holder"]["name"].as_str().unwrap().contains("Arjun"));
    // 林志远's item, answered by its department, is not Arjun Rao's to rate.
    let lin = office.json("/followups/api/mine", Some(zh_m01.1));
    let item = &lin["items"][0];
    let id = item["id"].as_str().unwrap();
    let dept = &keys[&format!("department:{}", item["department"].as_str().unwrap())];
    let (status, answered) = office.post(
        id,
        dept,
        serde_json::json!({"do": "answer", "seen": item["version"], "class": "A", "text": "已答复"}),
    );
    assert_eq!(status, 200, "{answered}");
    let rate = serde_json::json!({"do": "rate", "seen": answered["version"], "rating": "dissatisfied", "reason": "x"});
    let (status, refused) = office.post(id, en_m01.1, rate.clone());
    assert_eq!(status, 404, "{refused}");
    assert_eq!(refused["error"], "no_such_item");
    let show = ok(&xieshang(&[
        "followups",
        "--register",
        db.to_str().unwrap(),
        "show",
        id,
    ]));
    assert!(!show.contains("Arjun"), "{show}");
    assert!(show.contains("已答复"), "{show}");
    // The asker who asked it may.
    let (status, rated) = office.post(id, zh_m01.1, rate);
    assert_eq!(status, 200, "{rated}");
    // A card each: two people, two cards.
    let cards = dir.path().join("cards.html");
    ok(&xieshang(&[
        "followups",
        "--register",
        db.to_str().unwrap(),
        "cards",
        "--base-url",
        "http://127.0.0.1:7879",
        "--only",
        "askers",
        "-o",
        cards.to_str().unwrap(),
    ]));
    let page = std::fs::read_to_string(&cards).unwrap();
    assert!(page.contains("林志远") && page.contains("Arjun Rao"));
}

/// A member the plans name by the roster, in two meetings: one token, one
/// page listing what they asked in both, one card.
#[test]
fn a_person_in_two_meetings_has_one_card_and_one_page_for_both() {
    let dir = tempfile::tempdir().unwrap();
    let first = simulated(dir.path(), "huishang-supervision");
    let second = dir.path().join("second.journal");
    simulate(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/huishang-supervision.toml"),
        &second,
    );
    let db = dir.path().join("register.db");
    import(&db, &[&first, &second]);
    let office = Office::start(&db, &[]);
    let keys = tokens(&db);
    let (person, token) = keys
        .iter()
        .find(|(k, _)| k.starts_with("asker:person:"))
        .expect("a roster person asked");
    assert!(
        !keys.keys().any(|k| k.starts_with("asker:seat:")),
        "every asker of these plans is a roster person: {keys:?}"
    );
    let mine = office.json("/followups/api/mine", Some(token));
    let name = mine["holder"]["name"].as_str().unwrap().to_string();
    let meetings: std::collections::BTreeSet<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["origin"]["journal_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        meetings.len(),
        2,
        "{person}: both meetings' items on one page"
    );
    let cards = dir.path().join("cards.html");
    ok(&xieshang(&[
        "followups",
        "--register",
        db.to_str().unwrap(),
        "cards",
        "--base-url",
        "http://127.0.0.1:7879",
        "--only",
        "askers",
        "-o",
        cards.to_str().unwrap(),
    ]));
    let page = std::fs::read_to_string(&cards).unwrap();
    // The name is on the card once, and in its code's label once.
    let card = format!("<div class=\"name\">{name}</div>");
    assert_eq!(
        page.matches(card.as_str()).count(),
        1,
        "one card for {name}"
    );
}

/// A register made before askers were known beyond their meeting: its askers
/// were bare ids, its tokens keyed by them. Opened now, every item stays, an
/// id asked under in one meeting keeps its token as that meeting's seat, and
/// one shared by two meetings is revoked, the command saying so and how to
/// print the new cards.
#[test]
fn an_older_register_keeps_every_item_and_revokes_the_tokens_of_shared_ids() {
    let dir = tempfile::tempdir().unwrap();
    let zh = dir.path().join("zh.journal");
    simulate(&without_roster(dir.path(), "huishang-supervision"), &zh);
    let en = simulated(dir.path(), "riverside-park-consultation.en");
    let db = dir.path().join("register.db");
    import(&db, &[&zh, &en]);
    let before = xieshang::office::Office::open(&db)
        .unwrap()
        .items_whole(&Default::default())
        .unwrap();
    // Back to layout 3: bare askers, and their tokens.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "UPDATE items SET asker = json_extract(body, '$.origin.asker.participant');
         DROP TABLE people;
         DROP TABLE organisations;
         PRAGMA user_version = 3;",
    )
    .unwrap();
    drop(conn);
    let bare: Vec<String> = before
        .iter()
        .map(|i| i.origin.asker.participant.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let in_meetings = |id: &str| {
        before
            .iter()
            .filter(|i| i.origin.asker.participant == id)
            .map(|i| i.origin.journal_id.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    let shared: Vec<&String> = bare.iter().filter(|id| in_meetings(id) > 1).collect();
    let alone: Vec<&String> = bare.iter().filter(|id| in_meetings(id) == 1).collect();
    assert!(shared.iter().any(|id| *id == "m01"), "{bare:?}");
    assert!(!alone.is_empty(), "{bare:?}");
    let old: std::collections::BTreeMap<String, String> = bare
        .iter()
        .enumerate()
        .map(|(n, id)| (format!("asker:{id}"), format!("{n:032x}")))
        .collect();
    let file = xieshang::office::keys::path_for(&db);
    std::fs::remove_file(&file).ok();
    xieshang::private::write(&file, serde_json::to_string(&old).unwrap().as_bytes()).unwrap();

    let out = xieshang(&[
        "followups",
        "--register",
        db.to_str().unwrap(),
        "--lang",
        "en",
        "list",
    ]);
    ok(&out);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("the id m01 was a different asker in 2 meetings"),
        "{said}"
    );
    assert!(said.contains("cards --base-url"), "{said}");
    let after = xieshang::office::Office::open(&db)
        .unwrap()
        .items_whole(&Default::default())
        .unwrap();
    assert_eq!(after, before, "every item kept as it was");
    let now = tokens(&db);
    for id in &shared {
        assert!(!now.contains_key(&format!("asker:{id}")));
        let token = &old[&format!("asker:{id}")];
        assert!(!now.values().any(|t| t == token), "{id}'s token revoked");
    }
    for id in &alone {
        let token = &old[&format!("asker:{id}")];
        let kept = now
            .iter()
            .find(|(_, t)| *t == token)
            .unwrap_or_else(|| panic!("{id}'s token kept"));
        assert!(
            kept.0.starts_with("asker:seat:") && kept.0.ends_with(&format!("/{id}")),
            "{kept:?}"
        );
    }
    // Opened again, there is nothing more to settle, and nothing is said.
    let again = xieshang(&["followups", "--register", db.to_str().unwrap(), "list"]);
    ok(&again);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
}

/// Live: the review meeting's plan names no roster, so its `m01` is only a
/// seat of this meeting. The promise 林志远 (a roster person) asked comes back
/// with a seat of his own; the review's `m01` is refused with a reason, the
/// seated asker rates it, and so may the chair for an absent asker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_seats_its_askers_and_an_id_that_is_the_same_is_not_them() {
    let dir = tempfile::tempdir().unwrap();
    let first = simulated(dir.path(), "huishang-supervision");
    let db = dir.path().join("register.db");
    import(&db, &[&first]);
    let text = std::fs::read_to_string(without_roster(dir.path(), "huishang-review"))
        .unwrap()
        .replace(
            "venue = \"为民协商厅\"",
            &format!("venue = \"为民协商厅\"\nregister = \"{}\"", db.display()),
        );
    let plan = dir.path().join("review.toml");
    std::fs::write(&plan, text).unwrap();
    let journal = dir.path().join("review.journal");
    let serve = Serve::start(&plan, &journal, "127.0.0.1:0");
    let tokens = tokens_of(&journal);
    let recorded = xieshang::journal::read(&journal).unwrap().header.plan;
    let found = recorded.agenda[0].steps[1].review.clone().unwrap().found;
    let item = found
        .iter()
        .find(|i| i.asker_name == "林志远")
        .expect("林志远's promise comes back")
        .clone();
    assert!(item.asker.starts_with("asker-"), "{}", item.asker);
    let seat = recorded.participant(&item.asker).unwrap();
    assert_eq!(seat.person.as_deref(), Some("hs-lin"));
    assert!(tokens.contains_key(&item.asker), "a token of their own");

    let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
        .await
        .unwrap();
    let mut m01 = Client::connect(&serve.url, &tokens["m01"], None)
        .await
        .unwrap();
    let mut lin = Client::connect(&serve.url, &tokens[&item.asker], None)
        .await
        .unwrap();
    for c in [
        Do::StartMeeting,
        Do::NextStep,
        Do::ReviewCall {
            item: item.id.clone(),
        },
        Do::ReviewRecord {
            item: item.id.clone(),
            outcome: Outcome::Delivered,
            due: None,
            note: Some("已落实".into()),
        },
    ] {
        chair.intent(c).await.unwrap().unwrap();
    }
    let rate = Do::ReviewRate {
        item: item.id.clone(),
        rating: Rating::Satisfied,
        reason: None,
    };
    let (code, why) = m01.intent(rate.clone()).await.unwrap().unwrap_err();
    assert_eq!(code, xieshang::protocol::ErrorCode::Forbidden, "{why}");
    lin.intent(rate).await.unwrap().unwrap();
    drop(serve);
}
