//! The `xieshang` binary as a person uses it.

use std::process::Command;

fn xieshang(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_accepts_every_bundled_scenario() {
    let files: Vec<String> = crate::common::bundled_scenarios()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let args: Vec<&str> = std::iter::once("check")
        .chain(files.iter().map(String::as_str))
        .collect();
    let (code, out, err) = xieshang(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len(),
        "{out}"
    );
}

#[test]
fn check_rejects_a_broken_file_with_file_line_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[meeting]\ntitle = \"会议\"\nspeaker_limit = \"5 minutes\"\n",
    )
    .unwrap();
    let bad = bad.display().to_string();
    let (code, out, err) = xieshang(&["check", "scenarios/huishang-supervision.toml", &bad]);
    assert_ne!(code, 0);
    assert!(
        out.contains("ok scenarios/huishang-supervision.toml"),
        "{out}"
    );
    // A Chinese plan (the default language) is told its problems in Chinese.
    assert!(
        err.contains(&format!(
            "{bad}:3:17: speaker_limit 写的“5 minutes”不是时长"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{bad}:1:1: 没有主持人")), "{err}");
    // An English one in English, every problem once, nothing derived from a misspelt role.
    std::fs::write(
        &bad,
        "[meeting]\ntitle = \"m\"\nlanguage = \"en\"\nvenu = \"x\"\n[[participants]]\nid = \"c\"\nname = \"C\"\nrole = \"chiar\"\n[[agenda]]\ntitle = \"i\"\n[[agenda.steps]]\nkind = \"discus\"\ntitle = \"s\"\n",
    )
    .unwrap();
    let (code, _, err) = xieshang(&["check", &bad]);
    assert_ne!(code, 0);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].contains(":4:1: unknown key `venu`"), "{err}");
    assert!(
        lines[1].contains(":8:8: role \"chiar\" is not known"),
        "{err}"
    );
    assert!(
        lines[2].contains(":12:8: step kind \"discus\" is not known"),
        "{err}"
    );
    assert!(
        !err.contains("no chair"),
        "no cascade from the misspelt role: {err}"
    );
}

#[test]
fn check_says_when_a_file_cannot_be_read() {
    let (code, _, err) = xieshang(&["check", "no-such-file.toml"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("no-such-file.toml:1:1: cannot read the file"),
        "{err}"
    );
}

#[test]
fn help_lists_the_subcommands() {
    let (code, out, _) = xieshang(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("check"), "{out}");
}

#[test]
fn a_console_without_a_terminal_says_so_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j").display().to_string();
    let (code, _, err) = xieshang(&[
        "run",
        "scenarios/huishang-supervision.toml",
        "--journal",
        &journal,
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("needs a terminal") && err.contains("xieshang serve"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !std::path::Path::new(&journal).exists(),
        "nothing was opened"
    );
    let (code, _, err) = xieshang(&["join", "ws://127.0.0.1:9/ws", "--token", "x"]);
    assert_ne!(code, 0);
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn logs_turn_up_with_rust_log_and_follow_one_participant() {
    use std::io::{BufRead, BufReader, Read};
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/standing-committee-supervision.toml"
        ))
        .unwrap(),
    )
    .unwrap();
    let journal = dir.path().join("m.journal");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args([
            "serve",
            &plan.display().to_string(),
            "--listen",
            "127.0.0.1:0",
        ])
        .arg("--journal")
        .arg(&journal)
        .env("RUST_LOG", "xieshang::server=debug")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("ws://"))
        .unwrap()
        .to_string();
    let tokens: std::collections::BTreeMap<String, String> = serde_json::from_slice(
        &std::fs::read(xieshang::server::tokens::path_for(&journal)).unwrap(),
    )
    .unwrap();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let member = xieshang::client::Client::connect(&url, &tokens["m01"], None)
            .await
            .unwrap();
        member.close().await;
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    let _ = child.kill();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let _ = child.wait();
    let followed: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("participant=m01"))
        .collect();
    assert!(
        followed
            .iter()
            .any(|l| l.contains("DEBUG") && l.contains("joined")),
        "the member's connection is followed at debug level:\n{err}"
    );
    assert!(!err.contains(&tokens["m01"]), "no token in the log:\n{err}");
}

/// `serve`'s announcement, first lines, for a plan (killed once read).
fn announcement(plan: &str, lines: usize) -> Vec<String> {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("m.journal");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["serve", plan, "--listen", "127.0.0.1:0", "--journal"])
        .arg(&journal)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let read: Vec<String> = out.lines().take(lines).map(Result::unwrap).collect();
    child.kill().unwrap();
    child.wait().unwrap();
    read
}

#[test]
fn serve_speaks_the_meetings_language_and_its_commands_run_as_printed() {
    let root = env!("CARGO_MANIFEST_DIR");
    let zh = announcement(&format!("{root}/scenarios/huishang-supervision.toml"), 5);
    assert!(zh[0].starts_with("xieshang：正在服务“"), "{zh:?}");
    assert!(
        zh[0].split_whitespace().any(|w| w.starts_with("ws://")),
        "{zh:?}"
    );
    // On loopback: how to let the room's phones in, before anything else.
    assert!(zh[2].starts_with("注意：只在本机监听"), "{zh:?}");
    assert!(zh[2].contains("--listen 0.0.0.0:7878"), "{zh:?}");
    // A test binary runs from a checkout's debug build (`cargo run --`), or from
    // a target directory elsewhere (its path): either way, a command that runs.
    let runs = |line: &str, sub: &str| {
        line.contains(&format!("cargo run -- {sub}"))
            || line.contains(&format!("{} {sub}", env!("CARGO_BIN_EXE_xieshang")))
    };
    assert!(runs(&zh[3], "join ws://"), "{zh:?}");
    // Not a terminal (a pipe, a service's log): no link, no token; where they are.
    assert!(zh[4].contains("只显示在终端上"), "{zh:?}");
    assert!(zh[4].contains("m.journal.tokens"), "{zh:?}");
    assert!(runs(&zh[4], "invitations "), "{zh:?}");
    assert!(!zh.iter().any(|l| l.contains("#t=")), "{zh:?}");
    let en = announcement(
        &format!("{root}/scenarios/riverside-park-consultation.en.toml"),
        4,
    );
    assert!(en[0].starts_with("xieshang: serving \""), "{en:?}");
    assert!(en[2].contains("phones cannot open these links"), "{en:?}");
    assert!(en[3].contains("each participant's page"), "{en:?}");
}

/// `check` counts in words a person reads: "1 agenda item", not "1 agenda
/// items", in English; Chinese has no plural.
#[test]
fn check_says_one_agenda_item_in_the_singular() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/riverside-park-consultation.en.toml");
    let mut plan = xieshang::scenario::load(&file).unwrap().plan;
    plan.agenda.truncate(1);
    plan.agenda[0].steps.truncate(1);
    plan.departments.truncate(1);
    plan.participants.truncate(1);
    let said = xieshang::scenario::check::summary(&plan);
    assert!(
        said.contains("1 participant, 1 department, 1 agenda item, 1 step, "),
        "{said}"
    );
    // The bundled English plan has one item, as `check` prints it.
    let mut plan = xieshang::scenario::load(&file).unwrap().plan;
    let said = xieshang::scenario::check::summary(&plan);
    assert!(said.contains(" 1 agenda item, "), "{said}");
    plan.agenda.push(plan.agenda[0].clone());
    let said = xieshang::scenario::check::summary(&plan);
    assert!(said.contains(" 2 agenda items, "), "{said}");
}

/// `check`'s warnings speak the plan's language, as its problems do.
#[test]
fn checks_warnings_speak_the_plans_language() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/huishang-review.toml"),
    )
    .unwrap();
    // Beside no register: its review steps have nothing to review yet.
    let zh = dir.path().join("zh.toml");
    std::fs::write(&zh, &text).unwrap();
    let (code, _, err) = xieshang(&["check", zh.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("还没有督办台账"), "{err}");
    assert!(!err.contains("no register"), "{err}");
    let en = dir.path().join("en.toml");
    let english = text.replacen("language = \"zh\"", "language = \"en\"", 1);
    assert_ne!(english, text);
    std::fs::write(&en, english).unwrap();
    let (code, _, err) = xieshang(&["check", en.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no register at"), "{err}");
}

/// On leaving, the chair is told how to take the meeting's promises into the
/// register, and the minutes' file is named as the meeting's journal is (a
/// second meeting's do not overwrite the first's).
#[test]
fn the_goodbye_names_followups_import_and_the_meetings_own_minutes_file() {
    use std::path::Path;
    use xieshang::meeting::plan::Language;
    let first = xieshang::cmd::chair::after_words(
        Language::En,
        Path::new("meetings/demo-20261207-140000.journal"),
        None,
    );
    assert!(
        first.contains("followups --register meetings/register.db import meetings/demo-20261207-140000.journal"),
        "{first}"
    );
    assert!(
        first.contains("-o meetings/demo-20261207-140000.minutes.html"),
        "{first}"
    );
    let second = xieshang::cmd::chair::after_words(
        Language::Zh,
        Path::new("meetings/huishang-review.journal"),
        Some(Path::new("scenarios/../meetings/r.db")),
    );
    assert!(
        second.contains("-o meetings/huishang-review.minutes.html")
            && second.contains("followups --register scenarios/../meetings/r.db import"),
        "{second}"
    );
}
