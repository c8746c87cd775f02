//! Scenario files: every bundled one loads, the contract's example loads, and
//! every rule is enforced with a message that names line and column.

use std::path::Path;
use xieshang::meeting::scenario::ScenarioError;
use xieshang::scenario::check::load_plan;

/// A scenario's plan, its script checked too.
fn parse_plan(file: &str, text: &str) -> Result<xieshang::meeting::Plan, ScenarioError> {
    xieshang::scenario::parse(file, text).map(|s| s.plan)
}
use xieshang::meeting::{Role, StepKind};

use crate::common::bundled_scenarios as bundled;

#[test]
fn every_bundled_scenario_loads() {
    let files = bundled();
    assert!(
        files.len() >= 5,
        "the four formats of the article and one in English: {files:?}"
    );
    for f in files {
        let plan = load_plan(&f).unwrap_or_else(|e| panic!("{e}"));
        assert!(plan.chair().is_some());
        assert!(plan.positions().len() >= 2, "{}", f.display());
    }
}

#[test]
fn the_bundled_scenarios_cover_the_formats_of_the_article() {
    let plans: Vec<_> = bundled().iter().map(|f| load_plan(f).unwrap()).collect();
    let has = |pred: &dyn Fn(&xieshang::meeting::Plan) -> bool| plans.iter().any(pred);
    let kinds = |p: &xieshang::meeting::Plan| -> Vec<StepKind> {
        p.agenda
            .iter()
            .flat_map(|i| &i.steps)
            .map(|s| s.kind)
            .collect()
    };
    assert!(has(&|p| p
        .departments
        .iter()
        .any(|d| d.name == "市生态环境局")
        && kinds(p).contains(&StepKind::Respond)));
    assert!(has(&|p| {
        let titles: Vec<&str> = p
            .agenda
            .iter()
            .flat_map(|i| &i.steps)
            .map(|s| s.title.as_str())
            .collect();
        ["群众提问", "委员建言", "部门答复", "专家评议"]
            .iter()
            .all(|t| titles.contains(t))
            && kinds(p).contains(&StepKind::Evaluate)
    }));
    assert!(has(&|p| p
        .agenda
        .iter()
        .flat_map(|i| &i.steps)
        .any(|s| s.title.contains("话筒") && s.speakers.len() >= 4)));
    assert!(has(&|p| p
        .agenda
        .iter()
        .flat_map(|i| &i.steps)
        .any(|s| s.title.starts_with("民主评事") && s.poll.is_some())));
    assert!(has(
        &|p| p.meeting.language == xieshang::meeting::plan::Language::En
    ));
}

#[test]
fn the_contracts_example_loads() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contract-example.toml");
    let plan = load_plan(&f).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        plan.participant("chair").unwrap().token.as_deref(),
        Some("chair-secret-1")
    );
    let respond = &plan.agenda[0].steps[2];
    assert_eq!(
        respond.duration_ms,
        8 * 60_000,
        "a step without duration plans one turn per department"
    );
}

const GOOD: &str = r#"[meeting]
title = "会议"

[[departments]]
id = "eco"
name = "市生态环境局"

[[participants]]
id = "chair"
name = "主席"
role = "chair"

[[participants]]
id = "m01"
name = "委员"
role = "member"

[[participants]]
id = "o01"
name = "列席"
role = "observer"

[[agenda]]
title = "议题"

[[agenda.steps]]
kind = "speak"
title = "发言"
"#;

/// Loads GOOD with `edit` applied and expects exactly one problem at line:column
/// whose message contains `says`.
fn expect_problem(edit: impl Fn(&str) -> String, at: (usize, usize), says: &str) {
    let text = edit(GOOD);
    let err = parse_plan("x.toml", &text).expect_err(&format!("should be refused:\n{text}"));
    assert_eq!(err.problems.len(), 1, "{err}");
    let p = &err.problems[0];
    assert_eq!((p.line, p.column), at, "{err}");
    assert!(p.message.contains(says), "{err} should say {says:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("x.toml:{}:{}: ", at.0, at.1)),
        "{err}"
    );
}

#[test]
fn the_minimal_file_is_valid() {
    let plan = parse_plan("x.toml", GOOD).unwrap();
    assert_eq!(
        plan.meeting.speaker_limit_ms,
        5 * 60_000,
        "turns default to five minutes"
    );
    assert_eq!(plan.agenda[0].steps[0].duration_ms, 5 * 60_000);
}

#[test]
fn unknown_keys_are_errors() {
    expect_problem(
        |g| g.replace("title = \"会议\"", "title = \"会议\"\ncolour = \"red\""),
        (3, 1),
        "unknown key `colour`",
    );
    expect_problem(
        |g| g.replace("kind = \"speak\"", "kind = \"speak\"\nspeakers_list = []"),
        (28, 1),
        "unknown key `speakers_list`",
    );
    expect_problem(
        |g| format!("{g}\n[extra]\nx = 1\n"),
        (30, 2),
        "unknown key `extra`",
    );
}

#[test]
fn syntax_errors_and_missing_keys_are_located() {
    expect_problem(
        |g| g.replace("name = \"主席\"", "name = \"主席"),
        (10, 11),
        "invalid basic string",
    );
    expect_problem(
        |g| g.replace("name = \"委员\"\n", ""),
        (13, 1),
        "missing key `name`",
    );
}

#[test]
fn ids_are_unique_and_there_is_exactly_one_chair() {
    expect_problem(
        |g| g.replace("id = \"m01\"", "id = \"chair\""),
        (14, 6),
        "used twice",
    );
    expect_problem(
        |g| {
            g.replace(
                "id = \"o01\"\nname = \"列席\"\nrole = \"observer\"",
                "id = \"o01\"\nname = \"列席\"\nrole = \"chair\"",
            )
        },
        (21, 8),
        "second chair",
    );
    expect_problem(
        |g| g.replace("role = \"chair\"", "role = \"member\""),
        (1, 1),
        "no chair",
    );
    expect_problem(
        |g| g.replace("id = \"m01\"", "id = \"m 01\""),
        (14, 6),
        "no spaces",
    );
    expect_problem(
        |g| g.replace("role = \"member\"", "role = \"membre\""),
        (16, 8),
        "chair, member, department",
    );
}

#[test]
fn every_id_a_step_or_participant_names_exists() {
    expect_problem(
        |g| {
            g.replace(
                "title = \"发言\"",
                "title = \"发言\"\nspeakers = [\"m01\", \"m09\"]",
            )
        },
        (29, 20),
        "\"m09\" is not a participant",
    );
    expect_problem(
        |g| g.replace("title = \"发言\"", "title = \"发言\"\nspeakers = [\"o01\"]"),
        (29, 13),
        "observer",
    );
    expect_problem(
        |g| {
            g.replace(
                "title = \"发言\"",
                "title = \"发言\"\nspeakers = [\"m01\", \"m01\"]",
            )
        },
        (29, 20),
        "listed twice",
    );
    expect_problem(
        |g| {
            g.replace(
                "kind = \"speak\"\ntitle = \"发言\"",
                "kind = \"respond\"\ntitle = \"回应\"\ndepartments = [\"police\"]",
            )
        },
        (29, 16),
        "\"police\" is not a department",
    );
}

#[test]
fn department_representatives_name_a_listed_department() {
    expect_problem(
        |g| g.replace("role = \"member\"", "role = \"department\""),
        (16, 8),
        "add department =",
    );
    expect_problem(
        |g| {
            g.replace(
                "role = \"member\"",
                "role = \"department\"\ndepartment = \"nope\"",
            )
        },
        (17, 14),
        "not listed",
    );
    expect_problem(
        |g| {
            g.replace(
                "role = \"member\"",
                "role = \"member\"\ndepartment = \"eco\"",
            )
        },
        (17, 14),
        "only participants with role = \"department\"",
    );
}

#[test]
fn durations_are_positive_and_well_formed() {
    for bad in ["5", "0m", "5 minutes", "1m1h", ""] {
        expect_problem(
            |g| {
                g.replace(
                    "title = \"会议\"",
                    &format!("title = \"会议\"\nspeaker_limit = \"{bad}\""),
                )
            },
            (3, 17),
            "speaker_limit",
        );
    }
    expect_problem(
        |g| g.replace("title = \"发言\"", "title = \"发言\"\nduration = \"-5m\""),
        (29, 12),
        "duration",
    );
}

#[test]
fn tokens_are_unique() {
    expect_problem(
        |g| {
            g.replace("role = \"chair\"", "role = \"chair\"\ntoken = \"t1\"")
                .replace("role = \"member\"", "role = \"member\"\ntoken = \"t1\"")
        },
        (18, 9),
        "used twice",
    );
}

#[test]
fn evaluate_steps_need_choices_and_valid_targets_and_voters() {
    let evaluate = |extra: &str| {
        let extra = extra.to_string();
        move |g: &str| {
            g.replace(
                "kind = \"speak\"\ntitle = \"发言\"",
                &format!("kind = \"evaluate\"\ntitle = \"测评\"{extra}"),
            )
        }
    };
    let plan = parse_plan(
        "x.toml",
        &evaluate("\nchoices = [\"满意\", \"不满意\"]\ntargets = [\"eco\"]")(GOOD),
    )
    .unwrap();
    let poll = plan.agenda[0].steps[0].poll.as_ref().unwrap();
    assert_eq!(poll.id, "poll1");
    assert_eq!(poll.roles, [Role::Member, Role::Expert, Role::Public]);
    expect_problem(evaluate(""), (27, 8), "needs choices");
    expect_problem(evaluate("\nchoices = [\"满意\"]"), (29, 11), "at least two");
    expect_problem(
        evaluate("\nchoices = [\"a\", \"b\"]\ntargets = [\"nope\"]"),
        (30, 12),
        "not a department",
    );
    expect_problem(
        evaluate("\nchoices = [\"a\", \"b\"]\nroles = [\"observer\"]"),
        (30, 10),
        "observers only watch",
    );
    expect_problem(
        |g| {
            g.replace(
                "title = \"发言\"",
                "title = \"发言\"\nchoices = [\"a\", \"b\"]",
            )
        },
        (29, 11),
        "does not apply to a speak step",
    );
}

#[test]
fn a_step_kind_must_be_known_and_the_agenda_not_empty() {
    expect_problem(
        |g| g.replace("kind = \"speak\"", "kind = \"vote\""),
        (27, 8),
        "speak, question, respond, discuss, evaluate",
    );
    expect_problem(
        |g| g[..g.find("[[agenda]]").unwrap()].to_string(),
        (1, 1),
        "agenda is empty",
    );
    expect_problem(
        |g| {
            g.replace("language", "x")
                .replace("title = \"会议\"", "title = \"会议\"\nlanguage = \"fr\"")
        },
        (3, 12),
        "\"zh\" or \"en\"",
    );
}

#[test]
fn all_problems_are_reported_at_once_in_file_order() {
    let text = GOOD
        .replace("role = \"member\"", "role = \"membre\"")
        .replace("title = \"发言\"", "title = \"发言\"\nspeakers = [\"m09\"]");
    let err = parse_plan("x.toml", &text).unwrap_err();
    let lines: Vec<usize> = err.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [16, 29], "{err}");
}

#[test]
fn every_unknown_key_is_said_at_once_and_a_misspelling_only_once() {
    // Three unknown keys in two tables: all three, not only the first.
    let text = GOOD
        .replace(
            "title = \"会议\"",
            "title = \"会议\"\ncolour = \"red\"\nvenu = \"x\"",
        )
        .replace("role = \"chair\"", "role = \"chair\"\nnmae = \"x\"");
    let err = parse_plan("x.toml", &text).unwrap_err();
    let said: Vec<&str> = err.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(said.len(), 3, "{err}");
    for key in ["colour", "venu", "nmae"] {
        assert!(
            said.iter().any(|m| m.contains(&format!("`{key}`"))),
            "{err}"
        );
    }
    // A misspelt role, and a step that names that participant: the role once,
    // nothing derived from the role put in its place.
    let text = GOOD
        .replace("role = \"member\"", "role = \"mayor\"")
        .replace("title = \"发言\"", "title = \"发言\"\nspeakers = [\"m01\"]");
    let err = parse_plan("x.toml", &text).unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    assert!(
        err.problems[0]
            .message
            .contains("role \"mayor\" is not known"),
        "{err}"
    );
    // A misspelt kind: said once, with the kinds there are.
    let text = GOOD.replace(
        "kind = \"speak\"",
        "kind = \"evalute\"\nchoices = [\"满意\"]",
    );
    let err = parse_plan("x.toml", &text).unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    assert!(err.problems[0].message.contains("evaluate"), "{err}");
}

#[test]
fn script_entries_are_checked_like_the_rest() {
    // GOOD ends with a newline; the entry starts after one blank line.
    let entry = GOOD.lines().count() + 2;
    let with = |extra: &'static str| move |g: &str| format!("{g}\n{extra}");
    expect_problem(
        with("[[script]]\nwho = \"m09\"\ndo = \"yield\"\n"),
        (entry + 1, 7),
        "\"m09\" is not a participant",
    );
    expect_problem(
        with("[[script]]\nwho = \"o01\"\ndo = \"raise_hand\"\n"),
        (entry + 1, 7),
        "only watches",
    );
    expect_problem(
        with("[[script]]\nwho = \"m01\"\ndo = \"dance\"\n"),
        (entry + 2, 6),
        "do = \"dance\" is not known",
    );
    expect_problem(
        with("[[script]]\nwho = \"m01\"\ndo = \"yield\"\non = \"step 9.9\"\n"),
        (entry + 3, 6),
        "on = \"step 9.9\": there is no step 9.9: the agenda has items 1 to 1",
    );
    // The plan is Chinese: so is what `check` prints.
    let text = with("[[script]]\nwho = \"m01\"\ndo = \"yield\"\non = \"step 9.9\"\n")(GOOD);
    let Err(said) = xieshang::scenario::parse("x.toml", &text) else {
        panic!("refused");
    };
    let said = said.to_string();
    assert!(
        said.ends_with("脚本：on = \"step 9.9\"：没有环节 9.9：议程只有议题 1 到 1"),
        "{said}"
    );
    expect_problem(
        with("[[script]]\nwho = \"m01\"\ndo = \"yield\"\non = \"step 1.3\"\n"),
        (entry + 3, 6),
        "there is no step 1.3: item 1 has steps 1 to 1",
    );
    expect_problem(
        with("[[script]]\nwho = \"m01\"\ndo = \"yield\"\nafter = \"soon\"\n"),
        (entry + 3, 9),
        "after:",
    );
    expect_problem(
        with("[[script]]\nwho = \"m01\"\ndo = \"ask\"\ndepartment = \"xyz\"\ntext = \"何时完工？\"\n"),
        (entry + 3, 14),
        "\"xyz\" is not a department",
    );
    expect_problem(
        with("[[script]]\nwho = \"m01\"\ndo = \"vote\"\nchoice = \"满意\"\n"),
        (entry + 2, 6),
        "no evaluate step",
    );
    expect_problem(
        with("[[script]]\nwho = \"m01\"\ndo = \"yield\"\ntext = \"多余\"\n"),
        (entry + 3, 8),
        "text does not apply",
    );
    let scenario = xieshang::scenario::parse(
        "x.toml",
        &format!("{GOOD}\n[[script]]\nwho = \"m01\"\ndo = \"ask\"\non = \"floor 1.1\"\nafter = \"30s\"\ndepartment = \"eco\"\ntext = \"何时完工？\"\n"),
    )
    .unwrap();
    let cue = &scenario.script[0];
    assert_eq!(cue.after_ms, 30_000);
    assert_eq!(
        cue.on,
        xieshang::scenario::script::Trigger::Floor {
            during: Some(xieshang::meeting::Position { item: 0, step: 0 })
        }
    );
}
