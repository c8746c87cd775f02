//! Relays over NATS JetStream, against a real `nats-server -js` (started here on a
//! free port with a temporary store; skipped with a reason where it is missing,
//! failing under `CI=true`): the chair's server publishes, relays follow, and
//! every viewer, wherever it is connected, ends with the same meeting, with
//! nothing missing or doubled through a relay killed, NATS killed and restarted,
//! and a relay started late.

use crate::common::broadcast::{
    notice, ok, published, reach, relay_of, stream_seqs, viewer, Broadcast,
};
use crate::common::nats::{Nats, MEETING, RELAY};
use crate::common::room::{tokens_of, zh_plan};
use std::time::Duration;
use xieshang::client::Client;
use xieshang::meeting::{Command, Mode};

/// A stretch of meeting: hands, turns, a question and its answer.
async fn some_meeting(chair: &mut Client, m01: &mut Client, d_eco: &mut Client) -> u64 {
    ok(m01, Command::RaiseHand { mode: Mode::Normal }).await;
    ok(chair, Command::GrantFloor { participant: None }).await;
    ok(
        m01,
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "苏州河沿岸的步道何时贯通？".into(),
            asker: None,
        },
    )
    .await;
    ok(chair, Command::EndSpeech).await;
    let question = chair.state.questions.last().map(|q| q.id.clone()).unwrap();
    ok(
        d_eco,
        Command::AnswerQuestion {
            question,
            status: xieshang::meeting::Answer::FollowUp,
            note: Some("两周内书面答复".into()),
            seen_answers: None,
        },
    )
    .await;
    ok(
        chair,
        Command::ExtendTimer {
            timer: xieshang::meeting::TimerName::Step,
            seconds: 60,
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_on_two_relays_follow_the_meeting_and_one_whose_relay_dies_resumes_on_the_other() {
    let Some(b) = Broadcast::start() else {
        return;
    };
    let [mut chair, mut m01, mut d_eco, mut on_hub] = b.started().await;
    let relay_a = b.relay();
    let relay_b = b.relay();
    let mut on_a = viewer(&relay_a).await;
    let mut on_b = viewer(&relay_b).await;
    // A viewer watches; it does nothing else, and is told why.
    match on_a
        .intent(Command::RaiseHand { mode: Mode::Normal })
        .await
        .unwrap()
    {
        Err((code, message)) => {
            assert_eq!(code, xieshang::protocol::ErrorCode::Forbidden);
            assert!(message.contains("直播"), "{message}");
        }
        Ok(_) => panic!("a relay's viewer acted"),
    }
    let seq = some_meeting(&mut chair, &mut m01, &mut d_eco).await;
    for c in [&mut on_hub, &mut on_a, &mut on_b] {
        reach(c, seq).await;
    }
    assert_eq!(
        on_a.state, on_hub.state,
        "relay A's viewer holds the hub's meeting"
    );
    assert_eq!(on_b.state, on_hub.state, "and relay B's");

    // Relay A dies; its viewer resumes on relay B from what it held.
    drop(relay_a);
    ok(&mut chair, Command::NextStep).await;
    let held = (on_a.state.clone(), on_a.seq);
    let mut moved = Client::connect(&relay_b.url, "audience", Some(held))
        .await
        .unwrap();
    let seq = some_meeting(&mut chair, &mut m01, &mut d_eco).await;
    for c in [&mut on_hub, &mut moved, &mut on_b] {
        reach(c, seq).await;
    }
    assert_eq!(moved.state, on_hub.state, "the moved viewer missed nothing");
    assert_eq!(on_b.state, on_hub.state);

    // A phone on relay B: the audience's page follows the meeting too.
    let Some(mut browser) = crate::common::browser::Browser::start() else {
        return;
    };
    let page = browser.window(360, 640).await;
    let base = relay_b.url.trim_end_matches("/ws");
    let base = base.replacen("ws://", "http://", 1);
    page.goto(&format!("{base}/join#t=audience")).await.unwrap();
    crate::common::browser::wait_text(&page, "#link", "已连接", 10).await;
    ok(
        &mut chair,
        Command::GrantFloor {
            participant: Some("m01".into()),
        },
    )
    .await;
    crate::common::browser::wait_text(&page, "#floor", "马文静", 10).await;
    page.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_killed_mid_meeting_loses_nothing_the_meeting_goes_on_and_relays_catch_up() {
    let Some(mut b) = Broadcast::start() else {
        return;
    };
    let [mut chair, mut m01, mut d_eco, mut on_hub] = b.started().await;
    let relay = b.relay();
    let mut on_relay = viewer(&relay).await;
    let seq = some_meeting(&mut chair, &mut m01, &mut d_eco).await;
    reach(&mut on_relay, seq).await;

    b.nats.kill();
    // The relay's viewers are told; the meeting goes on, recorded; the hub's own
    // viewers see it.
    let (reason, said) = notice(&mut on_relay).await;
    assert_eq!(reason, "broadcast_interrupted");
    assert!(said.contains("中断"), "{said}");
    ok(&mut chair, Command::NextStep).await;
    let seq = some_meeting(&mut chair, &mut m01, &mut d_eco).await;
    reach(&mut on_hub, seq).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        on_relay.seq < seq,
        "the relay cannot have what NATS never took"
    );

    b.nats.up();
    let (reason, _) = notice(&mut on_relay).await;
    assert_eq!(reason, "broadcast_resumed", "and told when it is back");
    ok(&mut chair, Command::NextStep).await;
    let seq = some_meeting(&mut chair, &mut m01, &mut d_eco).await;
    reach(&mut on_hub, seq).await;
    reach(&mut on_relay, seq).await;
    assert_eq!(
        on_relay.state, on_hub.state,
        "caught up, nothing missing or doubled"
    );
    // In the stream itself: every event once, in order, through the outage.
    let seqs = stream_seqs(&b.nats).await;
    assert_eq!(
        seqs,
        (1..=seq).collect::<Vec<u64>>(),
        "the stream holds 1..={seq} once each"
    );
    // And a relay started now reads it all from the stream.
    let late = b.relay();
    let fresh = viewer(&late).await;
    let mut fresh = fresh;
    reach(&mut fresh, seq).await;
    assert_eq!(fresh.state, on_hub.state);
    drop(b.journal());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_started_after_a_thousand_events_serves_the_whole_meeting() {
    let Some(b) = Broadcast::start() else {
        return;
    };
    let mut chair = b.join("chair").await;
    let mut on_hub = b.join("o01").await;
    ok(&mut chair, Command::StartMeeting).await;
    // Eight participants raise and lower their hands, each within its rate limit.
    let mut tasks = Vec::new();
    for who in [
        "m01", "m02", "m03", "x01", "p01", "d-eco", "d-eco2", "d-ndrc",
    ] {
        let mut c = b.join(who).await;
        tasks.push(tokio::spawn(async move {
            let mut last = 0;
            for _ in 0..63 {
                for action in [
                    Command::RaiseHand { mode: Mode::Normal },
                    Command::WithdrawHand,
                ] {
                    last = last.max(ok(&mut c, action).await);
                    tokio::time::sleep(Duration::from_millis(60)).await;
                }
            }
            last
        }));
    }
    let mut seq = 0;
    for t in tasks {
        seq = seq.max(t.await.unwrap());
    }
    assert!(seq > 1_000, "{seq} events");
    reach(&mut on_hub, seq).await;
    let relay = b.relay();
    let mut on_relay = viewer(&relay).await;
    reach(&mut on_relay, seq).await;
    assert_eq!(on_relay.seq, on_hub.seq);
    assert_eq!(on_relay.state, on_hub.state);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_meeting_under_the_same_id_is_never_mixed_into_the_stream() {
    let Some(b) = Broadcast::start() else {
        return;
    };
    let mut chair = b.join("chair").await;
    ok(&mut chair, Command::StartMeeting).await;
    let mut m01 = b.join("m01").await;
    let seq = ok(&mut m01, Command::RaiseHand { mode: Mode::Normal }).await;
    let relay = b.relay();
    reach(&mut viewer(&relay).await, seq).await;
    // A second meeting (its own journal) given the same id by mistake.
    let other = tempfile::tempdir().unwrap();
    let plan = zh_plan(other.path());
    let journal = other.path().join("other.journal");
    let second = published(
        &plan,
        &journal,
        &b.nats.url(),
        &["--nats-user", MEETING.0],
        &[("XIESHANG_NATS_PASSWORD", MEETING.1)],
    );
    let tokens = tokens_of(&journal);
    let mut its_chair = Client::connect(&second.url, &tokens["chair"], None)
        .await
        .unwrap();
    ok(&mut its_chair, Command::StartMeeting).await;
    for _ in 0..4 {
        ok(&mut its_chair, Command::NextStep).await;
    }
    assert!(
        its_chair.seq > seq + 2,
        "the second meeting is further on ({} events), so it would show if mixed in",
        its_chair.seq
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        stream_seqs(&b.nats).await,
        (1..=seq).collect::<Vec<u64>>(),
        "the stream holds the first meeting only"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_speaks_tls_when_asked() {
    let Some(b) = Broadcast::start() else {
        return;
    };
    let mut chair = b.join("chair").await;
    let seq = ok(&mut chair, Command::StartMeeting).await;
    let dir = tempfile::tempdir().unwrap();
    let relay = b.relay_with(&[
        "--tls-self-signed",
        "--dir",
        &dir.path().display().to_string(),
    ]);
    assert!(relay.url.starts_with("wss://"), "{}", relay.url);
    let cert = dir.path().join("relay-test.cert.pem");
    let remote = xieshang::client::Remote {
        url: relay.url.clone(),
        tls: Some(xieshang::tls::client(Some(&cert)).unwrap()),
    };
    let mut viewer = Client::connect_to(&remote, "audience", None).await.unwrap();
    reach(&mut viewer, seq).await;
    assert_eq!(viewer.state.status, chair.state.status);
    // Without trusting that certificate, no connection.
    assert!(Client::connect(&relay.url, "audience", None).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_take_every_seat_of_a_relay() {
    let Some(b) = Broadcast::start() else {
        return;
    };
    let relay = b.relay_with(&["--max-per-address", "5", "--max-connections", "50"]);
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(viewer(&relay).await);
    }
    match Client::connect(&relay.url, "audience", None).await {
        Err(xieshang::client::ClientError::Refused { code, .. }) => {
            assert_eq!(code, xieshang::protocol::ErrorCode::RateLimited)
        }
        other => panic!("a sixth viewer from one address: {:?}", other.err()),
    }
    held.pop().unwrap().close().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    held.push(viewer(&relay).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_documented_nats_configuration_only_the_meetings_server_may_publish() {
    let Some(nats) = Nats::start_documented() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plan = zh_plan(dir.path());
    let journal = dir.path().join("m.journal");
    let hub = published(
        &plan,
        &journal,
        &nats.url(),
        &["--nats-user", MEETING.0],
        &[("XIESHANG_NATS_PASSWORD", MEETING.1)],
    );
    let tokens = tokens_of(&journal);
    let mut chair = Client::connect(&hub.url, &tokens["chair"], None)
        .await
        .unwrap();
    let seq = ok(&mut chair, Command::StartMeeting).await;
    // The relay's password from a file only its owner reads.
    let password = dir.path().join("relay.password");
    std::fs::write(&password, "r-secret\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600)).unwrap();
    let relay = relay_of(
        &nats.url(),
        &journal,
        &[
            "--nats-user",
            "relay",
            "--nats-password-file",
            &password.display().to_string(),
        ],
        &[],
    );
    let mut watching = viewer(&relay).await;
    reach(&mut watching, seq).await;

    // With the relay's credentials, nothing reaches the meeting's subjects.
    let as_relay = nats.connect_as(RELAY).await;
    let js = async_nats::jetstream::new(as_relay.clone());
    let forged = r#"{"type":"event","seq":99,"server_time_ms":0,"at":"2026-12-05T09:00:00.000Z","event":{"kind":"meeting_closed"}}"#;
    let published = tokio::time::timeout(Duration::from_secs(5), async {
        js.publish("xieshang.test.events", forged.into())
            .await?
            .await
    })
    .await;
    assert!(
        !matches!(published, Ok(Ok(_))),
        "a relay's credentials published to the meeting's stream"
    );
    as_relay
        .publish("xieshang.test.events", forged.into())
        .await
        .unwrap();
    let _ = as_relay.flush().await;
    // Nor without credentials at all.
    assert!(
        async_nats::connect(nats.url()).await.is_err(),
        "anyone connected"
    );

    let seq = ok(&mut chair, Command::NextStep).await;
    reach(&mut watching, seq).await;
    assert_eq!(watching.state, chair.state);
    let as_meeting = nats.connect_as(MEETING).await;
    let stream = async_nats::jetstream::new(as_meeting)
        .get_stream("XIESHANG_test")
        .await
        .unwrap();
    let last = stream
        .get_last_raw_message_by_subject("xieshang.test.events")
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&last.payload).unwrap();
    assert_eq!(v["seq"], seq, "the stream holds the meeting's events only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_or_malformed_message_reaches_no_viewer_and_stops_no_relay() {
    let Some(b) = Broadcast::start() else {
        return;
    };
    let [mut chair, mut m01, mut d_eco, _] = b.started().await;
    let relay = b.relay();
    let mut watching = viewer(&relay).await;
    let seq = some_meeting(&mut chair, &mut m01, &mut d_eco).await;
    reach(&mut watching, seq).await;

    // Anyone who can publish to the subject (NATS left open) tries everything.
    let forger = async_nats::jetstream::new(b.intruder().await);
    let subject = "xieshang.test.events";
    let next = seq + 1;
    let question = |seq: u64| {
        serde_json::json!({"type":"event","seq":seq,"server_time_ms":0,"at":"2026-12-05T09:00:00.000Z",
            "event":{"kind":"question_submitted","question":{"id":"q99","asker":"m01","department":"eco",
            "text":"伪造的问题","status":"pending"}}})
        .to_string()
    };
    let signer = xieshang::relay::signature::Signer::for_journal(&b.journal()).unwrap();
    let mut forgeries: Vec<(String, Option<String>, Option<String>)> = vec![
        // The next seq, unsigned, under the id the old scheme used.
        (question(next), Some(next.to_string()), None),
        // A signature that is not the publisher's.
        (question(next), None, Some("ab".repeat(64))),
        // Not JSON; an event that does not decode; one out of order.
        ("{not json".into(), None, None),
        (
            serde_json::json!({"type":"event","seq":next,"server_time_ms":0,"at":"2026-12-05T09:00:00.000Z",
                "event":{"kind":"floor_ended","participant":"m01","spoken_ms":-5}})
            .to_string(),
            None,
            None,
        ),
        (question(next + 50), None, None),
    ];
    // And one that takes the real next event's id first (as if that had leaked):
    // the publisher must see the duplicate is not its own and publish it again.
    forgeries.push((question(next), Some(signer.message_id(subject, next)), None));
    for (payload, id, signature) in forgeries {
        let mut headers = async_nats::HeaderMap::new();
        if let Some(id) = id {
            headers.insert("Nats-Msg-Id", id.as_str());
        }
        if let Some(sig) = signature {
            headers.insert("Xieshang-Signature", sig.as_str());
        }
        forger
            .publish_with_headers(subject, headers, payload.into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    // The meeting goes on: a step ends and the next begins in one batch.
    let seq = ok(&mut chair, Command::NextStep).await;
    assert!(seq > next, "{seq}");
    let seq = seq.max(some_meeting(&mut chair, &mut m01, &mut d_eco).await);
    reach(&mut watching, seq).await;
    assert_eq!(
        watching.state, chair.state,
        "every real event, nothing forged"
    );
    assert!(!watching.state.questions.iter().any(|q| q.id == "q99"));
    // No viewer was told the broadcast was interrupted.
    let quiet = tokio::time::timeout(Duration::from_millis(500), notice(&mut watching)).await;
    assert!(quiet.is_err(), "a notice came: {quiet:?}");
    // A relay started now reads the same stream to the same meeting: nothing
    // there wedges it, not even across a restart.
    let fresh = b.relay();
    let mut late = viewer(&fresh).await;
    reach(&mut late, seq).await;
    assert_eq!(late.state, chair.state);
}

/// A CA, a certificate for 127.0.0.1 and a client certificate it signed, as PEM
/// files in `dir`: (ca, server cert, server key, client cert, client key).
fn nats_certificates(dir: &std::path::Path) -> [std::path::PathBuf; 5] {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let leaf = |names: Vec<String>| {
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &ca)
            .unwrap();
        (cert.pem(), key.serialize_pem())
    };
    let (server, server_key) = leaf(vec!["127.0.0.1".into()]);
    let (client, client_key) = leaf(vec!["relay.example".into()]);
    let files = [
        ("ca.pem", ca.pem()),
        ("server.pem", server),
        ("server-key.pem", server_key),
        ("client.pem", client),
        ("client-key.pem", client_key),
    ];
    files.map(|(name, pem)| {
        let path = dir.join(name);
        std::fs::write(&path, pem).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        path
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_and_a_relay_reach_nats_over_tls_with_nkeys_and_client_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let [ca, server, server_key, client, client_key] = nats_certificates(dir.path());
    let (meeting, relay_key) = (nkeys::KeyPair::new_user(), nkeys::KeyPair::new_user());
    let (m_pub, r_pub) = (meeting.public_key(), relay_key.public_key());
    let files = (ca.clone(), server, server_key);
    let Some(nats) = Nats::start_configured(
        move |port, store| {
            format!(
                r#"listen: 127.0.0.1:{port}
jetstream {{ store_dir: "{}" }}
tls {{ cert_file: "{}", key_file: "{}", ca_file: "{}", verify: true }}
authorization {{ users = [
  {{ nkey: "{m_pub}" }}
  {{ nkey: "{r_pub}", permissions: {{ publish: {{ deny: ["xieshang.>"] }} }} }}
] }}
"#,
                store.display(),
                files.1.display(),
                files.2.display(),
                files.0.display()
            )
        },
        &[],
    ) else {
        return;
    };
    let seed = |name: &str, key: &nkeys::KeyPair| {
        let path = dir.path().join(name);
        std::fs::write(&path, key.seed().unwrap()).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        path.display().to_string()
    };
    let (m_seed, r_seed) = (seed("meeting.nk", &meeting), seed("relay.nk", &relay_key));
    let tls = [
        "--nats-ca".to_string(),
        ca.display().to_string(),
        "--nats-cert".into(),
        client.display().to_string(),
        "--nats-key".into(),
        client_key.display().to_string(),
    ];
    let tls: Vec<&str> = tls.iter().map(String::as_str).collect();
    let plan = zh_plan(dir.path());
    let journal = dir.path().join("m.journal");
    let url = nats.url();
    let hub = published(
        &plan,
        &journal,
        &url,
        &[&["--nats-nkey", &m_seed][..], &tls].concat(),
        &[],
    );
    let tokens = tokens_of(&journal);
    let mut chair = Client::connect(&hub.url, &tokens["chair"], None)
        .await
        .unwrap();
    let seq = ok(&mut chair, Command::StartMeeting).await;
    let relay = relay_of(
        &url,
        &journal,
        &[&["--nats-nkey", &r_seed][..], &tls].concat(),
        &[],
    );
    let mut watching = viewer(&relay).await;
    reach(&mut watching, seq).await;
    let seq = ok(&mut chair, Command::NextStep).await;
    reach(&mut watching, seq).await;
    assert_eq!(watching.state, chair.state);
    // Without the CA, the relay's first connection cannot be made: it waits and
    // says why instead of trusting anything.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args([
            "relay",
            "--nats",
            &url,
            "--meeting",
            "test",
            "--listen",
            "127.0.0.1:0",
        ])
        .arg("--publisher-key")
        .arg(xieshang::relay::signature::paths_for(&journal).1)
        .args(["--nats-nkey", &r_seed])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _ = std::process::Command::new("kill")
        .arg(out.id().to_string())
        .status();
    let said = out.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&said.stderr);
    assert!(said.contains("waiting for meeting test"), "{said}");
}
