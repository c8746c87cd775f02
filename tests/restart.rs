//! A `serve` child process killed with SIGKILL mid-meeting and started again on the
//! same journal: every acknowledged event is there, `seq` goes on, clients resume,
//! a secret poll counts every vote; and what it keeps on disk is its owner's alone.

use crate::common::serve::Serve;

use std::path::Path;
use xieshang::client::Client;
use xieshang::meeting::{Command as Action, Mode};

fn read_tokens(journal: &Path) -> std::collections::BTreeMap<String, String> {
    let file = xieshang::server::tokens::path_for(journal);
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "only the owner reads the tokens");
    serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_nothing_it_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, crate::common::PLAN).unwrap();
    let journal = dir.path().join("meeting.journal");

    let first = Serve::start(&plan, &journal, "127.0.0.1:0");
    let tokens = read_tokens(&journal);
    let mut chair = Client::connect(&first.url, &tokens["chair"], None)
        .await
        .unwrap();
    let mut member = Client::connect(&first.url, &tokens["m01"], None)
        .await
        .unwrap();
    let mut acked = Vec::new();
    acked.push(
        chair
            .intent(Action::StartMeeting)
            .await
            .unwrap()
            .unwrap()
            .unwrap(),
    );
    for i in 0..20 {
        let text = format!("第{i}个问题");
        let seq = member
            .intent(Action::SubmitQuestion {
                department: "eco".into(),
                text,
                asker: None,
            })
            .await
            .unwrap()
            .unwrap();
        acked.push(seq.unwrap());
    }
    acked.push(
        member
            .intent(Action::RaiseHand { mode: Mode::Normal })
            .await
            .unwrap()
            .unwrap()
            .unwrap(),
    );
    let (held, held_seq) = (member.state.clone(), member.seq);
    let mut killed = first;
    killed.child.kill().unwrap(); // SIGKILL
    killed.child.wait().unwrap();

    let rec = xieshang::journal::read(&journal).unwrap();
    let last = rec.entries.last().unwrap().seq;
    for seq in &acked {
        assert!(
            *seq <= last,
            "acknowledged seq {seq} is in the journal (last {last})"
        );
    }
    assert_eq!(
        rec.entries
            .iter()
            .filter(|e| e.event.name() == "question_submitted")
            .count(),
        20
    );

    let second = Serve::start(&plan, &journal, "127.0.0.1:0");
    assert_eq!(
        read_tokens(&journal),
        tokens,
        "the tokens survive the restart"
    );
    let mut back = Client::connect(&second.url, &tokens["m01"], Some((held, held_seq)))
        .await
        .unwrap();
    let mut chair = Client::connect(&second.url, &tokens["chair"], None)
        .await
        .unwrap();
    let next = chair
        .intent(Action::GrantFloor { participant: None })
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(next > last, "seq goes on: {next} after {last}");
    back.catch_up(next).await.unwrap();
    assert_eq!(back.state.speaker(), Some("m01"));
    assert_eq!(
        back.state, chair.state,
        "the resumed client holds the same meeting"
    );
}

/// The plan with its evaluation a secret ballot.
fn secret_plan(dir: &Path) -> std::path::PathBuf {
    let plan = dir.join("plan.toml");
    let text = crate::common::PLAN.replace(
        "targets = [\"eco\", \"ndrc\"]\n",
        "targets = [\"eco\", \"ndrc\"]\nsecret = true\n",
    );
    assert_ne!(text, crate::common::PLAN);
    std::fs::write(&plan, text).unwrap();
    plan
}

async fn vote(c: &mut Client, target: &str, choice: &str) -> u64 {
    c.intent(Action::Vote {
        poll: "rating".into(),
        choice: choice.into(),
        target: Some(target.into()),
    })
    .await
    .unwrap()
    .unwrap()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_poll_counts_every_vote_exactly_across_a_kill_and_its_journal_holds_no_choice() {
    let dir = tempfile::tempdir().unwrap();
    let plan = secret_plan(dir.path());
    let journal = dir.path().join("meeting.journal");
    let first = Serve::start(&plan, &journal, "127.0.0.1:0");
    let tokens = read_tokens(&journal);
    let join = |url: String, who: &str| {
        let token = tokens[who].clone();
        async move { Client::connect(&url, &token, None).await.unwrap() }
    };
    let mut chair = join(first.url.clone(), "chair").await;
    for action in [
        Action::StartMeeting,
        Action::GotoStep { item: 1, step: 0 },
        Action::OpenPoll {
            poll: "rating".into(),
        },
    ] {
        chair.intent(action).await.unwrap().unwrap();
    }
    let mut m01 = join(first.url.clone(), "m01").await;
    let mut m02 = join(first.url.clone(), "m02").await;
    vote(&mut m01, "eco", "不满意").await;
    vote(&mut m01, "eco", "满意").await; // a new vote replaces the old
    vote(&mut m02, "eco", "不满意").await;
    vote(&mut m02, "ndrc", "基本满意").await;
    drop(first); // SIGKILL, mid-poll

    let second = Serve::start(&plan, &journal, "127.0.0.1:0");
    let mut chair = join(second.url.clone(), "chair").await;
    let mut m03 = join(second.url.clone(), "m03").await;
    vote(&mut m03, "eco", "满意").await;
    // After the restart m01 is still told their own choice (from the ballots
    // beside the journal), and only that.
    {
        use futures_util::{SinkExt, StreamExt};
        use tokio_tungstenite::tungstenite::Message;
        let (mut ws, _) = tokio_tungstenite::connect_async(&second.url).await.unwrap();
        let hello = serde_json::json!({"type":"hello","protocol":1,"token":tokens["m01"]});
        ws.send(Message::text(hello.to_string())).await.unwrap();
        let Some(Ok(Message::Text(welcome))) = ws.next().await else {
            panic!("no welcome")
        };
        let welcome: serde_json::Value = serde_json::from_str(&welcome).unwrap();
        assert_eq!(
            welcome["your_votes"],
            serde_json::json!([{"poll":"rating","target":"eco","choice":"满意"}])
        );
    }
    let closed = chair
        .intent(Action::ClosePoll {
            poll: "rating".into(),
        })
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    drop(second);

    let recording = xieshang::journal::read(&journal).unwrap();
    let results = recording
        .entries
        .iter()
        .find_map(|e| match &e.event {
            xieshang::meeting::EventKind::PollClosed { results, .. } if e.seq == closed => {
                results.clone()
            }
            _ => None,
        })
        .expect("the closing told the tallies");
    let count = |target: &str, choice: &str| {
        let t = results
            .iter()
            .find(|t| t.target.as_deref() == Some(target))
            .unwrap();
        t.counts.iter().find(|(c, _)| c == choice).unwrap().1
    };
    assert_eq!(count("eco", "满意"), 2, "m01's second vote and m03's");
    assert_eq!(count("eco", "不满意"), 1, "m02's");
    assert_eq!(count("ndrc", "基本满意"), 1);
    // Every byte of the journal: no vote carries a choice.
    let bytes = std::fs::read_to_string(&journal).unwrap();
    for choice in ["满意", "基本满意", "不满意"] {
        assert!(
            !bytes.contains(&format!("\"choice\":\"{choice}\"")),
            "{choice} as someone's choice in the journal"
        );
    }
    let votes = recording
        .entries
        .iter()
        .filter(|e| matches!(&e.event, xieshang::meeting::EventKind::VoteCast { choice, .. } if choice.is_empty()))
        .count();
    assert_eq!(votes, 5, "the journal says who voted, five times");
    // The minutes count from the tallies the journal holds.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["minutes", "--format", "json"])
        .arg(&journal)
        .output()
        .unwrap();
    let minutes: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = minutes["evaluations"].to_string();
    assert!(text.contains("\"votes\":2"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_a_meeting_keeps_on_disk_is_its_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let plan = secret_plan(dir.path());
    let journal = dir.path().join("meeting.journal");
    let nowhere = format!("nats://127.0.0.1:{}", crate::common::room::free_port());
    let served = Serve::with_args(&[
        "serve",
        &plan.display().to_string(),
        "--listen",
        "127.0.0.1:0",
        "--journal",
        &journal.display().to_string(),
        "--tls-self-signed",
        "--nats",
        &nowhere,
    ]);
    let tokens = read_tokens(&journal);
    let (cert, key) = xieshang::tls::self_signed_paths(&journal);
    let remote = xieshang::client::Remote {
        url: served.url.clone(),
        tls: Some(xieshang::tls::client(Some(&cert)).unwrap()),
    };
    let mut chair = Client::connect_to(&remote, &tokens["chair"], None)
        .await
        .unwrap();
    for action in [
        Action::StartMeeting,
        Action::GotoStep { item: 1, step: 0 },
        Action::OpenPoll {
            poll: "rating".into(),
        },
    ] {
        chair.intent(action).await.unwrap().unwrap();
    }
    let mut m01 = Client::connect_to(&remote, &tokens["m01"], None)
        .await
        .unwrap();
    vote(&mut m01, "eco", "满意").await;
    let (publisher_key, _) = xieshang::relay::signature::paths_for(&journal);
    for file in [
        journal.clone(),
        xieshang::server::tokens::path_for(&journal),
        xieshang::journal::ballots::path_for(&journal),
        cert,
        key,
        publisher_key,
    ] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{} is {:o}", file.display(), mode & 0o777);
    }
}

/// Give the floor, let 1.5 s pass, stop `serve` with SIGTERM: the journal ends
/// with the turn's clock paused at the stop, holding the time spent, and a
/// restart shows it where it was (it used to be paused as of the last event
/// before: the turn's time lost). After a SIGKILL, reopening says how much time
/// went unrecorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_keeps_the_time_spent_and_a_crash_says_what_it_lost() {
    use xieshang::meeting::EventKind;
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, crate::common::PLAN).unwrap();
    let journal = dir.path().join("meeting.journal");
    let serve = Serve::start(&plan, &journal, "127.0.0.1:0");
    let tokens = read_tokens(&journal);
    let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
        .await
        .unwrap();
    for a in [
        Action::StartMeeting,
        Action::GrantFloor {
            participant: Some("m01".into()),
        },
    ] {
        chair.intent(a).await.unwrap().unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let pid = serve.child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let mut serve = serve;
    serve.child.wait().unwrap();
    let rec = xieshang::journal::read(&journal).unwrap();
    let last = rec.entries.last().unwrap();
    let EventKind::TimerPaused { elapsed_ms, .. } = &last.event else {
        panic!("the stop pauses the turn's clock: {:?}", last.event);
    };
    assert!(
        *elapsed_ms >= 1400,
        "the time spent is kept: {elapsed_ms} ms"
    );
    let opened = xieshang::hub::Hub::open(
        rec.header.plan.clone(),
        &rec.header.plan_sha256,
        &journal,
        xieshang::clock::now_ms(),
    )
    .unwrap();
    let floor = opened.hub.state().floor.clone().unwrap();
    assert_eq!(
        floor.timer.elapsed_ms, *elapsed_ms,
        "paused where it stopped"
    );
    assert!(
        opened.unaccounted.is_none(),
        "a stop leaves nothing unaccounted"
    );
    drop(opened);

    // The same after a crash: the clock was running, and reopening says so.
    let serve = Serve::start(&plan, &journal, "127.0.0.1:0");
    let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
        .await
        .unwrap();
    chair
        .intent(Action::ResumeTimer {
            timer: xieshang::meeting::TimerName::Floor,
        })
        .await
        .unwrap()
        .unwrap();
    let mut serve = serve;
    serve.child.kill().unwrap(); // SIGKILL
    serve.child.wait().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let rec = xieshang::journal::read(&journal).unwrap();
    let opened = xieshang::hub::Hub::open(
        rec.header.plan.clone(),
        &rec.header.plan_sha256,
        &journal,
        xieshang::clock::now_ms(),
    )
    .unwrap();
    let lost = opened.unaccounted.expect("a crash leaves time unaccounted");
    assert!(lost.ms >= 250, "{lost:?}");
    assert_eq!(lost.since_ms, rec.entries.last().unwrap().at_ms);
}
