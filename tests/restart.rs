//! A `serve` child process killed with SIGKILL mid-meeting and started again on the
//! same journal: every acknowledged event is there, `seq` goes on, clients resume.

mod common;

use common::serve::Serve;

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
    std::fs::write(&plan, common::PLAN).unwrap();
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
