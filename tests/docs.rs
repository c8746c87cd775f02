//! docs/protocol.md stays true: every example parses as what it claims to be, and
//! every action and event kind has one.

use std::collections::BTreeSet;
use xieshang::meeting::{Command, EventKind};

fn block(doc: &str, tag: &str) -> Vec<String> {
    let start = doc
        .find(&format!("```jsonl {tag}\n"))
        .unwrap_or_else(|| panic!("no {tag} block"));
    let body = &doc[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()]
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn every_example_in_the_protocol_doc_parses_and_every_kind_has_one() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/protocol.md")).unwrap();
    // Each name (`Command::name`, `EventKind::name`) is the wire's `kind`.
    let kind = |l: &str| serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"].clone();
    let actions: BTreeSet<&str> = block(&doc, "actions")
        .iter()
        .map(|l| {
            let name = serde_json::from_str::<Command>(l)
                .unwrap_or_else(|e| panic!("{l}: {e}"))
                .name();
            assert_eq!(kind(l), name, "{l}");
            name
        })
        .collect();
    let events: BTreeSet<&str> = block(&doc, "events")
        .iter()
        .map(|l| {
            let name = serde_json::from_str::<EventKind>(l)
                .unwrap_or_else(|e| panic!("{l}: {e}"))
                .name();
            assert_eq!(kind(l), name, "{l}");
            name
        })
        .collect();
    // Every variant there is, counted by the type itself: a new one needs its example.
    use strum::EnumCount;
    assert_eq!(
        actions.len(),
        Command::COUNT,
        "every action has an example: {actions:?}"
    );
    assert_eq!(
        events.len(),
        EventKind::COUNT,
        "every event kind has an example: {events:?}"
    );
    for name in actions.iter().chain(&events) {
        assert!(
            doc.contains(&format!("`{name}`")),
            "{name} is described in a table"
        );
    }
}

#[test]
fn an_action_with_an_unknown_field_is_refused() {
    assert!(serde_json::from_str::<Command>(r#"{"kind":"raise_hand","mood":"normal"}"#).is_err());
    assert!(serde_json::from_str::<Command>(r#"{"kind":"fly"}"#).is_err());
}

#[test]
fn the_minimal_scenario_in_the_scenario_guide_loads() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/README.md"))
        .unwrap();
    let text = toml_after(&doc, "## A minimal file");
    let plan = xieshang::meeting::scenario::parse_plan("scenarios/README.md", text)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.participants.len(), 2);
}

/// The first TOML example after `heading`.
fn toml_after<'d>(doc: &'d str, heading: &str) -> &'d str {
    let from = doc.find(heading).expect("the heading");
    let start = from + doc[from..].find("```toml\n").expect("a toml example") + "```toml\n".len();
    &doc[start..start + doc[start..].find("```").unwrap()]
}

#[test]
fn the_script_example_in_the_scenario_guide_loads_into_the_demo_scenario() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/README.md"))
        .unwrap();
    let example = toml_after(&doc, "## `[[script]]`");
    let demo = xieshang::simulate::DEMO_SCENARIO;
    let scenario = xieshang::scenario::parse("demo+example", &format!("{demo}\n{example}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let cue = scenario.script.last().unwrap();
    assert_eq!(cue.who, "p01");
    assert_eq!(cue.after_ms, 30_000);
}

#[test]
fn every_refusal_is_documented_with_its_reason() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/protocol.md")).unwrap();
    let reasons: Vec<&str> = xieshang::meeting::Refusal::reasons().collect();
    assert!(reasons.len() > 40, "{reasons:?}");
    for reason in reasons {
        assert!(
            doc.contains(&format!("`{reason}`")),
            "{reason} is in docs/protocol.md"
        );
    }
}

#[test]
fn the_docs_stand_alone_every_link_inside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![
        root.join("README.md"),
        root.join("BENCHMARKS.md"),
        root.join("scenarios/README.md"),
    ];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            docs.push(path);
        }
    }
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap();
        assert!(
            !text.contains("../shared") && !text.contains("](../"),
            "{} points outside the repository",
            doc.display()
        );
        // Every relative Markdown link names a file that is here.
        for (i, _) in text.match_indices("](") {
            let target: String = text[i + 2..].chars().take_while(|&c| c != ')').collect();
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            let path = doc.parent().unwrap().join(file);
            assert!(
                path.exists(),
                "{} links {target}, which is not in the repository",
                doc.display()
            );
        }
    }
}
