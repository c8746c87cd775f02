//! Two terminals joined to a meeting served by a third process stay in step with it,
//! and survive the server being killed and started again. Run as a person would:
//! the real binaries, tmux, send-keys, capture-pane.

use crate::common::room::{free_port, until};

use crate::common::serve::Serve;
use crate::common::tmux::Tmux;

use xieshang::client::Client;
use xieshang::meeting::{Command as Action, EventKind};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_joined_terminals_follow_a_meeting_through_a_server_restart() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        crate::common::PLAN.replace("language = \"en\"", "language = \"zh\""),
    )
    .unwrap();
    let journal = dir.path().join("m.journal");
    let port = free_port();
    let url = format!("ws://127.0.0.1:{port}/ws");
    let server = Serve::start(&plan, &journal, &format!("127.0.0.1:{port}"));
    let tokens: std::collections::BTreeMap<String, String> = serde_json::from_slice(
        &std::fs::read(xieshang::server::tokens::path_for(&journal)).unwrap(),
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_xieshang");
    let member = Tmux::start(
        "member",
        &format!("{bin} join {url} --token {}", tokens["m01"]),
    );
    let projector = Tmux::start(
        "projector",
        &format!("{bin} join {url} --token {} --projector", tokens["o01"]),
    );
    member.wait_for("已连接");
    projector.wait_for("已连接");

    let mut chair = Client::connect(&url, &tokens["chair"], None).await.unwrap();
    chair.intent(Action::StartMeeting).await.unwrap().unwrap();
    member.wait_for("已进行");
    // The member raises a hand and puts a written question, from the keyboard.
    member.keys(&["h"]);
    until(
        &mut chair,
        |e| matches!(e, EventKind::HandRaised { participant, .. } if participant == "m01"),
    )
    .await;
    member.keys(&["a"]);
    member.keys(&["生态", "Enter", "苏州河何时贯通", "Enter"]);
    until(&mut chair, |e| matches!(e, EventKind::QuestionSubmitted { asker, text, .. } if asker == "m01" && text == "苏州河何时贯通")).await;
    member.wait_for("q1 待答复");
    // The chair gives the floor to the registered speaker, m01; both screens follow.
    chair
        .intent(Action::GrantFloor { participant: None })
        .await
        .unwrap()
        .unwrap();
    member.wait_for("限时 5:00");
    projector.wait_for("马文静");

    // The server dies; the terminals say so, and come back when it does.
    drop(server);
    member.wait_for("正在重连");
    // Down long enough for the first tries to fail, while the member's clock
    // runs: the tries, further apart each time, still come (the clock's redraws
    // every 250 ms once put them off for ever).
    std::thread::sleep(std::time::Duration::from_secs(2));
    let _server = Serve::start(&plan, &journal, &format!("127.0.0.1:{port}"));
    // Its backoff reaches 5 s between tries: a loaded machine may need two.
    member.wait_for_within("已连接", std::time::Duration::from_secs(30));
    let mut chair = Client::connect(&url, &tokens["chair"], None).await.unwrap();
    chair.intent(Action::NextStep).await.unwrap().unwrap();
    member.wait_for("提问 · 委员提问");
    projector.wait_for("委员提问");
    // The member's hand went down when the floor was given: withdrawing now is
    // refused, the refusal is shown, and the console goes on working.
    member.keys(&["w"]);
    member.wait_for("未执行: 您没有在排队");
    member.keys(&["o"]);
    until(
        &mut chair,
        |e| matches!(e, EventKind::HandRaised { participant, .. } if participant == "m01"),
    )
    .await;
    member.wait_for("[程序]");
    member.keys(&["q", "y"]);
}

#[test]
fn join_reads_its_token_from_the_environment_and_stops_when_it_would_only_be_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, crate::common::PLAN).unwrap();
    let journal = dir.path().join("m.journal");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let server = Serve::start(&plan, &journal, &listen);
    let tokens_file = xieshang::server::tokens::path_for(&journal);
    let tokens: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(&tokens_file).unwrap()).unwrap();
    let bin = env!("CARGO_BIN_EXE_xieshang");
    // The token is in the environment, not on the command line (`ps` shows it).
    let member = Tmux::start(
        "env-token",
        &format!(
            "sh -c 'XIESHANG_TOKEN={} {bin} join ws://{listen}/ws; echo join exited $?; sleep 60'",
            tokens["m01"]
        ),
    );
    member.wait_for("马文静");
    let ps = std::process::Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .unwrap();
    let ps = String::from_utf8_lossy(&ps.stdout);
    let joins: Vec<&str> = ps
        .lines()
        .filter(|l| l.starts_with(&format!("{bin} join")))
        .collect();
    assert!(!joins.is_empty(), "{ps}");
    assert!(
        joins.iter().all(|l| !l.contains(&tokens["m01"])),
        "the join process does not show the token: {joins:?}"
    );
    // The server comes back with new tokens: the member's is refused, and join
    // says why and stops instead of reconnecting in a loop.
    drop(server);
    std::fs::remove_file(&tokens_file).unwrap();
    let _server = Serve::start(&plan, &journal, &listen);
    let screen = member.wait_for("join exited 1");
    assert!(screen.contains("unknown token"), "{screen}");
    assert!(screen.contains("join stops here"), "{screen}");
}
