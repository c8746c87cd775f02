//! Every bundled scenario simulated end to end: its scripted participants and the
//! automatic chair over real websockets (child processes, so each runs its own
//! fast clock), then its minutes checked for what its script made happen.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use xieshang::scenario::script::{Act, Trigger};

fn xieshang(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .output()
        .unwrap()
}

/// Simulates a bundled scenario and checks its minutes against its script.
fn simulated(name: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    let scenario = xieshang::scenario::load(&file).unwrap();
    assert!(!scenario.script.is_empty(), "{name} has a script");
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("sim.journal");
    let (file_s, journal_s) = (file.display().to_string(), journal.display().to_string());
    let run = xieshang(&[
        "simulate",
        &file_s,
        "--journal",
        &journal_s,
        "--speed",
        "300",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.contains("simulated"), "{out}");
    let minutes = xieshang(&["minutes", &journal_s, "--format", "json"]);
    assert!(minutes.status.success());
    let m: Value = serde_json::from_slice(&minutes.stdout).unwrap();
    assert_eq!(
        m["closed"], true,
        "{name}: the automatic chair closed the meeting"
    );
    let questions = m["questions"].as_array().unwrap();
    let turns: BTreeSet<String> = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["steps"].as_array().unwrap().iter())
        .flat_map(|s| s["turns"].as_array().unwrap().iter())
        .map(|t| t["participant"].as_str().unwrap().to_string())
        .collect();
    let mut voters: BTreeMap<Option<String>, BTreeSet<String>> = BTreeMap::new();
    for cue in &scenario.script {
        if matches!(cue.on, Trigger::Floor { .. }) {
            assert!(
                turns.contains(&cue.who),
                "{name}: {} had the floor",
                cue.who
            );
        }
        match &cue.act {
            Act::Ask { department, text } => {
                let q = questions
                    .iter()
                    .find(|q| q["text"] == text.as_str())
                    .unwrap_or_else(|| panic!("{name}: the question {text:?} was put"));
                assert_eq!(q["department"], department.as_str());
                assert_eq!(q["asker"], cue.who.as_str());
            }
            Act::Answer { status, note, .. } => {
                let department = scenario
                    .plan
                    .participant(&cue.who)
                    .unwrap()
                    .department
                    .clone()
                    .unwrap();
                let status = serde_json::to_value(status).unwrap();
                assert!(
                    questions
                        .iter()
                        .any(|q| q["department"] == department.as_str()
                            && q["status"] == status
                            && note.as_deref().is_none_or(|n| q["note"] == n)),
                    "{name}: {} answered {status} with {note:?}",
                    cue.who
                );
            }
            Act::Vote { target, .. } => {
                voters
                    .entry(target.clone())
                    .or_default()
                    .insert(cue.who.clone());
            }
            _ => {}
        }
    }
    for (target, who) in voters {
        let rating = m["evaluations"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["target"].as_str().map(String::from) == target)
            .unwrap_or_else(|| panic!("{name}: {target:?} was rated"));
        assert_eq!(
            rating["voters"],
            who.len(),
            "{name}: every scripted vote on {target:?}"
        );
    }
    // Markdown minutes of the same journal name every question put.
    let md = xieshang(&["minutes", &journal_s]);
    let md = String::from_utf8_lossy(&md.stdout);
    for q in questions {
        assert!(md.contains(q["text"].as_str().unwrap()), "{name}: {q}");
    }
}

#[test]
fn huishang_supervision_runs_end_to_end() {
    simulated("huishang-supervision.toml");
}

#[test]
fn standing_committee_supervision_runs_end_to_end() {
    simulated("standing-committee-supervision.toml");
}

#[test]
fn foreign_residents_briefing_runs_end_to_end() {
    simulated("foreign-residents-briefing.toml");
}

#[test]
fn hongqiao_workstation_runs_end_to_end() {
    simulated("hongqiao-workstation-liushi.toml");
}

#[test]
fn riverside_park_consultation_runs_end_to_end() {
    simulated("riverside-park-consultation.en.toml");
}

/// The review meeting alone (its register not there: nothing to review, and the
/// meeting runs), then after the first meeting is imported: every earlier
/// promise called, found and, where delivered, rated by its asker's cue.
#[test]
fn huishang_review_runs_end_to_end_after_the_meeting_it_reviews() {
    if !Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("meetings/register.db")
        .exists()
    {
        simulated("huishang-review.toml");
    }
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.journal");
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let run = xieshang(&[
        "simulate",
        plan.join("huishang-supervision.toml").to_str().unwrap(),
        "--journal",
        first.to_str().unwrap(),
        "--speed",
        "300",
    ]);
    assert!(run.status.success());
    let db = dir.path().join("register.db");
    let import = xieshang(&[
        "followups",
        "--register",
        db.to_str().unwrap(),
        "import",
        first.to_str().unwrap(),
    ]);
    assert!(import.status.success());
    let text = std::fs::read_to_string(plan.join("huishang-review.toml"))
        .unwrap()
        .replace("../meetings/register.db", db.to_str().unwrap());
    let review = dir.path().join("review.toml");
    std::fs::write(&review, text).unwrap();
    let second = dir.path().join("second.journal");
    let run = xieshang(&[
        "simulate",
        review.to_str().unwrap(),
        "--journal",
        second.to_str().unwrap(),
        "--speed",
        "300",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let minutes = xieshang(&["minutes", second.to_str().unwrap(), "--format", "json"]);
    let m: Value = serde_json::from_slice(&minutes.stdout).unwrap();
    let reviews = m["reviews"].as_array().unwrap();
    assert!(!reviews.is_empty(), "the promises came back");
    for r in reviews {
        assert!(r["outcome"].is_string(), "every item found something: {r}");
        if r["outcome"] == "delivered" {
            assert!(r["rating"].is_string(), "its asker rated it: {r}");
        }
    }
    assert_eq!(m["closed"], true);
}

#[test]
fn every_bundled_scenario_has_a_test_here() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let source = include_str!("simulate.rs");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            assert!(
                source.contains(&format!("simulated(\"{name}\")")),
                "{name} is simulated"
            );
        }
    }
}

#[test]
fn a_simulation_will_not_write_over_a_journal() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("kept.journal");
    std::fs::write(&journal, "precious").unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::common::recorded::SCENARIO);
    let run = xieshang(&[
        "simulate",
        &file.display().to_string(),
        "--journal",
        &journal.display().to_string(),
    ]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&journal).unwrap(), "precious");
}

#[test]
fn the_demo_plays_a_meeting_by_itself_and_quits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!(
        "cd {} && {} demo --auto --speed 120 --listen 127.0.0.1:0",
        dir.path().display(),
        env!("CARGO_BIN_EXE_xieshang")
    );
    let t = crate::common::tmux::Tmux::start("demo", &cmd);
    // The meeting itself from the start, its clocks told apart: the wall's, and
    // the meeting's running faster.
    let screen = t.wait_for("会议时钟 ×120");
    assert!(screen.contains("现在"), "{screen}");
    // `i`: the participants screen, a phone's link and code, and how a
    // terminal joins.
    t.keys(&["i"]);
    let screen = t.wait_for("/join#t=");
    assert!(screen.contains("http://127.0.0.1:"), "{screen}");
    assert!(screen.contains("XIESHANG_TOKEN="), "{screen}");
    assert!(screen.contains("▀▀▀▀▀▀▀"), "a code is drawn: {screen}");
    assert!(
        screen.contains("空位，扫码加入"),
        "the free seats are said: {screen}"
    );
    t.keys(&["Escape"]);
    // The meeting moves by itself: residents ask, members speak, departments answer.
    t.wait_for("▶1.1 群众提问");
    t.wait_for("▶1.3 部门答复");
    // The last step done (✓) is the meeting closed ("已结束" alone could be the
    // evaluation's panel).
    let end = t.wait_for_within("✓1.5 满意度测评", std::time::Duration::from_secs(60));
    assert!(end.contains("已结束"), "{end}");
    t.keys(&["q"]);
    t.wait_for("会议已结束，记录已保存");
    t.keys(&["y"]);
    t.wait_gone();
    let journals: Vec<_> = std::fs::read_dir(dir.path().join("meetings"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "journal"))
        .collect();
    assert_eq!(journals.len(), 1, "the demo left its journal");
    let (state, _) = xieshang::journal::replay_file(&journals[0]).unwrap();
    assert_eq!(state.status, xieshang::meeting::Status::Closed);
    assert!(
        state.questions.len() >= 5,
        "the scripted questions were put"
    );
}
