//! The meeting's record and the files beside it, tried as a careless or hostile
//! user would: a second writer, a wrong path, a planted link, a loose tokens file,
//! a plan that never ends, a disk that fills up mid-meeting.

use crate::common::serve::Serve;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn xieshang(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn plan_in(dir: &Path) -> String {
    let plan = dir.join("plan.toml");
    std::fs::write(&plan, crate::common::PLAN).unwrap();
    plan.display().to_string()
}

/// `serve` on `journal` until it fails (or 5 s): its exit code and what it said.
fn serve_fails(plan: &str, journal: &Path) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["serve", plan, "--listen", "127.0.0.1:0", "--journal"])
        .arg(journal)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            return (status.code(), err);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    (None, "still running after 5 s".into())
}

#[test]
fn a_second_writer_is_refused_and_told_who_holds_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let journal = dir.path().join("m.journal");
    let first = Serve::start(Path::new(&plan), &journal, "127.0.0.1:0");
    let (code, err) = serve_fails(&plan, &journal);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("being written by another process"), "{err}");
    assert!(
        err.contains(&format!("process {}", first.child.id())) && err.contains("serve"),
        "names the other process: {err}"
    );
    // Readers need no lock.
    let minutes = xieshang(&["minutes", &journal.display().to_string()]);
    assert!(
        minutes.status.success(),
        "{}",
        String::from_utf8_lossy(&minutes.stderr)
    );
    // Once the first has gone, the journal is free again.
    drop(first);
    let again = Serve::start(Path::new(&plan), &journal, "127.0.0.1:0");
    assert!(again.url.starts_with("ws://"));
}

#[test]
fn a_file_that_is_not_a_journal_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "my notes for the meeting").unwrap();
    let (code, err) = serve_fails(&plan, &notes);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("not a xieshang journal"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&notes).unwrap(),
        "my notes for the meeting"
    );
    assert!(
        !dir.path().join("notes.txt.tokens").exists(),
        "no stray tokens file"
    );
    // A directory.
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let (code, err) = serve_fails(&plan, &folder);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        !dir.path().join("folder.tokens").exists(),
        "no stray tokens file"
    );
    // What a crash leaves while a journal's header is written is made anew: an
    // empty file, zeros, or the start of a header.
    for (name, torn) in [
        ("empty.journal", &b""[..]),
        ("zeros.journal", &[0u8; 64][..]),
        ("torn.journal", &br#"{"journal":"xiesh"#[..]),
        (
            "torn2.journal",
            &br#"{"journal":"xieshang","format":1,"ti"#[..],
        ),
    ] {
        let journal = dir.path().join(name);
        std::fs::write(&journal, torn).unwrap();
        let serving = Serve::start(Path::new(&plan), &journal, "127.0.0.1:0");
        drop(serving);
        let recording = xieshang::journal::read(&journal).unwrap();
        assert_eq!(recording.header.title, "测试会议", "{name}");
    }
}

#[test]
fn the_tokens_file_is_private_from_its_first_byte_and_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let journal = dir.path().join("m.journal");
    let tokens = xieshang::server::tokens::path_for(&journal);
    // A leftover temporary file of the old name, open to all, and a link in its
    // place pointing at something else: neither is used.
    let target = dir.path().join("victim.txt");
    std::fs::write(&target, "do not touch").unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("m.journal.tokens.tmp")).unwrap();
    drop(Serve::start(Path::new(&plan), &journal, "127.0.0.1:0"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "do not touch");
    let mode = std::fs::symlink_metadata(&tokens)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name().to_string_lossy().contains(".tmp")
                && e.path() != dir.path().join("m.journal.tokens.tmp")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A tokens file others can read is refused, with what to do.
    std::fs::set_permissions(&tokens, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, err) = serve_fails(&plan, &journal);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("chmod 600"), "{err}");
    // A link in the tokens file's place is refused, and its target left alone.
    std::fs::remove_file(&tokens).unwrap();
    std::os::unix::fs::symlink(&target, &tokens).unwrap();
    let (code, err) = serve_fails(&plan, &journal);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "do not touch");
}

#[test]
fn a_plan_that_never_ends_is_refused_before_it_is_read_whole() {
    let started = Instant::now();
    let out = xieshang(&["check", "/dev/zero"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("larger than 16 MiB"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // A large but real plan is checked, with a word about what it costs.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(crate::common::PLAN);
    for i in 0..7_000 {
        text.push_str(&format!(
            "\n[[participants]]\nid = \"r{i}\"\nname = \"居民代表{i}\"\nrole = \"public\"\nsector = \"街道{}\"\n",
            i % 40
        ));
    }
    let big = dir.path().join("big.toml");
    std::fs::write(&big, text).unwrap();
    let out = xieshang(&["check", &big.display().to_string()]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning") && err.contains("7010 participants"),
        "{err}"
    );
}

/// A `serve` whose files may not grow past `blocks` of 512 bytes: the disk fills
/// up mid-meeting (SIGXFSZ ignored, so writes fail with EFBIG as on a full disk).
fn serve_on_a_small_disk(plan: &str, journal: &Path, blocks: u32) -> std::process::Child {
    Command::new("sh")
        .args([
            "-c",
            &format!(
                "trap '' XFSZ; ulimit -f {blocks}; exec {} serve {plan} --listen 127.0.0.1:0 --journal {}",
                env!("CARGO_BIN_EXE_xieshang"),
                journal.display()
            ),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_stops_the_meeting_with_nothing_unrecorded_acknowledged_or_shown() {
    use std::io::BufRead;
    use xieshang::client::{Client, ClientError};
    use xieshang::meeting::Command as Action;
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let journal = dir.path().join("m.journal");
    // Room for the header and a few dozen events, far less than 4 MiB of
    // preallocation.
    let mut child = serve_on_a_small_disk(&plan, &journal, 40);
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
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
    let mut chair = Client::connect(&url, &tokens["chair"], None).await.unwrap();
    let mut watcher = Client::connect(&url, &tokens["o01"], None).await.unwrap();
    assert!(chair.intent(Action::StartMeeting).await.unwrap().is_ok());
    let mut acked = 0;
    let refused = loop {
        let ask = Action::SubmitQuestion {
            department: "eco".into(),
            text: "加装电梯的审批流程能否再简化？".repeat(10),
            asker: Some("m01".into()),
        };
        match chair.intent(ask).await {
            Ok(Ok(Some(_))) => acked += 1,
            Ok(Ok(None)) => panic!("a question that changed nothing"),
            Ok(Err((code, message))) => break format!("{code:?} {message}"),
            Err(e) => break format!("{e}"),
        }
        assert!(acked < 1_000, "the disk never filled");
    };
    assert!(
        acked >= 3,
        "recorded while it could (preallocating what fits): {acked}"
    );
    assert!(
        refused.contains("stopped") || refused.contains("closed"),
        "{refused}"
    );
    // The watcher is told why, with 1011.
    let code = loop {
        match tokio::time::timeout(Duration::from_secs(5), watcher.next())
            .await
            .unwrap()
        {
            Ok(_) => {}
            Err(ClientError::Closed(frame)) => {
                break frame.map(|f| (u16::from(f.code), f.reason.to_string()))
            }
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(code.as_ref().map(|c| c.0), Some(1011), "{code:?}");
    assert!(code.unwrap().1.contains("the disk is full"));
    // Everything the watcher saw is in the journal, and nothing else is.
    let recording = xieshang::journal::read(&journal).unwrap();
    assert_eq!(recording.entries.last().unwrap().seq, watcher.seq);
    let asked = recording
        .entries
        .iter()
        .filter(|e| e.event.name() == "question_submitted")
        .count();
    assert_eq!(asked, acked, "every acknowledged question, and only those");
    // The process ends, saying what happened and what to do.
    let status = tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        let mut err = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
        (status, err)
    })
    .await
    .unwrap();
    assert_eq!(status.0.code(), Some(1), "{}", status.1);
    assert!(
        status.1.contains("recording stopped: the disk is full"),
        "{}",
        status.1
    );
    assert!(
        status.1.contains("run the same command again"),
        "{}",
        status.1
    );
    // With room again, the meeting resumes from its record.
    let resumed = Serve::start(Path::new(&plan), &journal, "127.0.0.1:0");
    let again = Client::connect(&resumed.url, &tokens["o01"], None)
        .await
        .unwrap();
    assert_eq!(again.state.questions.len(), acked);
}

#[tokio::test]
async fn a_welcome_of_seven_thousand_participants_is_delivered_whole() {
    let mut text = String::from(crate::common::PLAN);
    for i in 0..7_000 {
        text.push_str(&format!(
            "\n[[participants]]\nid = \"r{i}\"\nname = \"居民代表{i}\"\nrole = \"public\"\n"
        ));
    }
    let m = crate::common::meeting::Meeting::start_with(
        &text,
        xieshang::server::Config::default(),
        xieshang::hub::task::RECENT,
    )
    .await;
    // Our clients ask for the whole state (plan and core): several MiB.
    let member = m.join("m01").await;
    assert_eq!(member.state.plan.participants.len(), 7_010);
    let observer = m.join("o01").await;
    assert_eq!(observer.state.plan.participants.len(), 7_010);
}

/// Issue 35 (8): under umask 000 (a service started carelessly), every folder
/// the program makes for what it keeps is its owner's alone (0700), and every
/// file in them too: the journal's folder, the register's, an export's, a
/// card sheet's. Each command runs as `sh -c 'umask 000; exec xieshang …'`.
#[test]
fn under_umask_000_every_folder_made_and_every_file_kept_is_the_owners() {
    let dir = tempfile::tempdir().unwrap();
    let scenario =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/huishang-supervision.toml");
    let run = |args: &[&str]| {
        let out = Command::new("sh")
            .arg("-c")
            .arg("umask 000; exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_xieshang"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let register = ["--register", "office/2027/register.db"];
    run(&[
        "simulate",
        "--speed",
        "10000",
        "--journal",
        "meetings/2026/m.journal",
        scenario.to_str().unwrap(),
    ]);
    run(&[
        &["followups"],
        &register[..],
        &["import", "meetings/2026/m.journal"],
    ]
    .concat());
    run(&[
        &["followups"],
        &register[..],
        &["export", "--format", "json", "-o", "out/all.json"],
    ]
    .concat());
    run(&[
        &["followups"],
        &register[..],
        &["digest", "-o", "out/digest.md"],
    ]
    .concat());
    run(&[
        &["followups"],
        &register[..],
        &[
            "cards",
            "--base-url",
            "https://192.0.2.1:7879",
            "-o",
            "cards/all.html",
        ],
    ]
    .concat());
    run(&[
        &["roster"],
        &register[..],
        &["export", "people", "-o", "out/people.csv"],
    ]
    .concat());
    let mut checked = 0;
    let mut todo = vec![dir.path().to_path_buf()];
    while let Some(folder) = todo.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let mode = std::fs::symlink_metadata(&path)
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            if path.is_dir() {
                assert_eq!(mode, 0o700, "{} is {mode:o}", path.display());
                todo.push(path);
            } else {
                assert_eq!(mode & 0o077, 0, "{} is {mode:o}", path.display());
            }
            checked += 1;
        }
    }
    for made in [
        "meetings",
        "meetings/2026",
        "meetings/2026/m.journal",
        "office",
        "office/2027",
        "office/2027/register.db",
        "office/2027/register.db.tokens",
        "out/all.json",
        "out/digest.md",
        "out/people.csv",
        "cards/all.html",
    ] {
        assert!(dir.path().join(made).exists(), "{made}");
    }
    assert!(checked >= 11, "{checked}");
}
