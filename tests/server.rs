//! The websocket server over real sockets on 127.0.0.1:0 with real clients: every
//! client ends with the server's state, every error code is provoked and answered
//! as the contract says, a dropped client resumes and misses nothing, a client that
//! never reads slows nobody down.

use crate::common::meeting::{close_code, ok, quick, refused, Meeting};
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use xieshang::client::{Client, ClientError};
use xieshang::meeting::{Command, EventKind, Mode};
use xieshang::protocol::{ErrorCode, ServerFrame};
use xieshang::server::Config;

#[tokio::test]
async fn a_scripted_meeting_ends_with_every_client_holding_the_servers_state() {
    let m = Meeting::start(Config::default()).await;
    let mut chair = m.join("chair").await;
    let mut people = Vec::new();
    for who in ["m01", "m02", "m03", "x01", "p01", "d-eco", "d-ndrc", "o01"] {
        people.push(m.join(who).await);
    }
    ok(&mut chair, Command::StartMeeting).await;
    ok(&mut chair, Command::GrantFloor { participant: None }).await;
    ok(&mut people[1], Command::RaiseHand { mode: Mode::Reply }).await;
    ok(
        &mut people[3],
        Command::RaiseHand {
            mode: Mode::PointOfOrder,
        },
    )
    .await;
    ok(
        &mut people[0],
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "苏州河何时贯通？".into(),
            asker: None,
        },
    )
    .await;
    ok(&mut chair, Command::GrantFloor { participant: None }).await;
    ok(&mut chair, Command::GotoStep { item: 0, step: 2 }).await;
    ok(
        &mut people[5],
        Command::AnswerQuestion {
            question: "q1".into(),
            status: xieshang::meeting::Answer::Answered,
            note: Some("年底".into()),
            seen_answers: None,
        },
    )
    .await;
    ok(&mut chair, Command::GotoStep { item: 1, step: 0 }).await;
    ok(
        &mut chair,
        Command::OpenPoll {
            poll: "rating".into(),
        },
    )
    .await;
    ok(
        &mut people[4],
        Command::Vote {
            poll: "rating".into(),
            choice: "满意".into(),
            target: Some("eco".into()),
        },
    )
    .await;
    let last = ok(&mut chair, Command::CloseMeeting).await.unwrap();
    let (seq, state) = m.server_state().await;
    assert_eq!(seq, last);
    chair.catch_up(seq).await.unwrap();
    assert_eq!(chair.state, state);
    for p in &mut people {
        tokio::time::timeout(Duration::from_secs(5), p.catch_up(seq))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.state, state, "{} holds the server's state", p.you.id);
    }
    assert!(
        state.online.contains("o01"),
        "presence is part of the meeting"
    );
}

#[tokio::test]
async fn an_ack_comes_after_the_events_it_speaks_of() {
    let m = Meeting::start(Config::default()).await;
    let mut chair = m.join("chair").await;
    let seq = ok(&mut chair, Command::StartMeeting).await.unwrap();
    assert_eq!(chair.seq, seq, "the events arrived before the ack");
    assert!(
        ok(&mut chair, Command::GotoStep { item: 0, step: 0 })
            .await
            .is_none(),
        "a no-op acks with seq null"
    );
}

#[tokio::test]
async fn bad_frames_get_the_contracts_codes_and_the_connection_stays_usable() {
    let m = Meeting::start(Config::default()).await;
    let mut chair = m.join("chair").await;
    let mut member = m.join("m01").await;
    let mut observer = m.join("o01").await;
    ok(&mut chair, Command::StartMeeting).await;

    member.send_text("this is not json".into()).await.unwrap();
    let frame = member.next().await.unwrap();
    assert!(
        matches!(
            frame,
            ServerFrame::Error {
                code: ErrorCode::BadRequest,
                ..
            } | ServerFrame::Event { .. }
        ),
        "{frame:?}"
    );
    member
        .send_text(r#"{"type":"intent","id":"x1","action":{"kind":"fly"}}"#.into())
        .await
        .unwrap();
    loop {
        if let ServerFrame::Error { id, code, .. } = member.next().await.unwrap() {
            if id.as_deref() == Some("x1") {
                assert_eq!(code, ErrorCode::BadRequest, "an unknown kind keeps its id");
                break;
            }
        }
    }
    member
        .send_raw(Message::Binary(vec![1, 2, 3].into()))
        .await
        .unwrap();
    loop {
        if let ServerFrame::Error { code, .. } = member.next().await.unwrap() {
            assert_eq!(code, ErrorCode::BadRequest);
            break;
        }
    }
    assert_eq!(
        refused(&mut member, Command::NextStep).await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        refused(&mut observer, Command::RaiseHand { mode: Mode::Normal }).await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        refused(&mut member, Command::WithdrawHand).await,
        ErrorCode::Conflict
    );
    assert_eq!(
        refused(
            &mut chair,
            Command::GrantFloor {
                participant: Some("nobody".into())
            }
        )
        .await,
        ErrorCode::NotFound
    );
    assert_eq!(
        refused(
            &mut member,
            Command::SetPresence {
                participant: "m01".into(),
                online: false
            }
        )
        .await,
        ErrorCode::Forbidden
    );
    ok(&mut member, Command::RaiseHand { mode: Mode::Normal }).await;
}

#[tokio::test]
async fn too_many_frames_are_rate_limited_then_closed() {
    let m = Meeting::start(Config {
        rate_strikes: 5,
        ..Config::default()
    })
    .await;
    let mut member = m.join("m01").await;
    for _ in 0..60 {
        member.send_text(r#"{"type":"sync"}"#.into()).await.unwrap();
    }
    let mut limited = 0;
    let code = loop {
        match member.next().await {
            Ok(ServerFrame::Error {
                code: ErrorCode::RateLimited,
                ..
            }) => limited += 1,
            Ok(_) => {}
            Err(ClientError::Closed(frame)) => break frame.map(|f| u16::from(f.code)),
            Err(e) => panic!("{e}"),
        }
    };
    assert!(limited >= 5, "{limited}");
    // A refused intent is named by its id.

    assert_eq!(code, Some(1008));
    let mut again = m.join("m01").await;
    assert_eq!(
        refused(&mut again, Command::WithdrawHand).await,
        ErrorCode::Conflict,
        "a new connection is served"
    );
}

#[tokio::test]
async fn a_frame_over_64_kib_is_too_large() {
    let m = Meeting::start(Config::default()).await;
    let mut member = m.join("m01").await;
    member
        .send_text(format!(
            r#"{{"type":"sync","pad":"{}"}}"#,
            "x".repeat(70 * 1024)
        ))
        .await
        .unwrap();
    let mut saw = false;
    let code = loop {
        match member.next().await {
            Ok(ServerFrame::Error {
                code: ErrorCode::TooLarge,
                ..
            }) => saw = true,
            Ok(_) => {}
            Err(ClientError::Closed(frame)) => break frame.map(|f| u16::from(f.code)),
            Err(_) => break None,
        }
    };
    assert!(saw, "too_large was said");
    assert_eq!(code, Some(1009));
}

#[tokio::test]
async fn hello_is_checked_token_protocol_and_time() {
    let m = Meeting::start(quick()).await;
    match Client::connect(&m.url, "not-a-token", None).await {
        Err(ClientError::Refused {
            code: ErrorCode::Unauthorized,
            ..
        }) => {}
        other => panic!("{:?}", other.err()),
    }
    // Protocol 2.
    let (mut ws, _) = tokio_tungstenite::connect_async(&m.url).await.unwrap();
    let hello = format!(
        r#"{{"type":"hello","protocol":2,"token":"{}"}}"#,
        m.tokens["m01"]
    );
    ws.send(Message::text(hello)).await.unwrap();
    let mut frames = Vec::new();
    while let Some(Ok(f)) = ws.next().await {
        frames.push(f);
    }
    assert!(
        matches!(&frames[0], Message::Text(t) if t.contains("unsupported_protocol")),
        "{frames:?}"
    );
    assert!(
        matches!(frames.last(), Some(Message::Close(Some(f))) if u16::from(f.code) == 4003),
        "{frames:?}"
    );
    // Unauthorized closes with 4001.
    let (mut ws, _) = tokio_tungstenite::connect_async(&m.url).await.unwrap();
    ws.send(Message::text(
        r#"{"type":"hello","protocol":1,"token":"guess"}"#,
    ))
    .await
    .unwrap();
    let mut last = None;
    while let Some(Ok(f)) = ws.next().await {
        last = Some(f);
    }
    assert!(matches!(last, Some(Message::Close(Some(f))) if u16::from(f.code) == 4001));
    // No hello: 4002.
    let (mut ws, _) = tokio_tungstenite::connect_async(&m.url).await.unwrap();
    let mut last = None;
    while let Some(Ok(f)) = ws.next().await {
        last = Some(f);
    }
    assert!(matches!(last, Some(Message::Close(Some(f))) if u16::from(f.code) == 4002));
    // Only /ws is served.
    let other = m.url.replace("/ws", "/other");
    assert!(tokio_tungstenite::connect_async(&other).await.is_err());
}

#[tokio::test]
async fn a_dropped_client_resumes_and_misses_nothing() {
    let m = Meeting::start(Config::default()).await;
    let mut chair = m.join("chair").await;
    let mut member = m.join("m01").await;
    ok(&mut chair, Command::StartMeeting).await;
    member.catch_up(chair.seq).await.unwrap();
    let (held, seq) = (member.state.clone(), member.seq);
    member.close().await;
    ok(&mut chair, Command::GrantFloor { participant: None }).await;
    ok(&mut chair, Command::NextStep).await;
    let mut back = Client::connect(&m.url, &m.tokens["m01"], Some((held, seq)))
        .await
        .unwrap();
    let (server_seq, state) = m.server_state().await;
    back.catch_up(server_seq).await.unwrap();
    assert_eq!(back.state, state);
    assert!(server_seq > seq + 2);
}

#[tokio::test]
async fn a_client_that_missed_more_than_memory_holds_resumes_from_the_journal() {
    let m = Meeting::start_keeping(Config::default(), 4).await;
    let mut chair = m.join("chair").await;
    let mut member = m.join("m01").await;
    ok(&mut chair, Command::StartMeeting).await;
    member.catch_up(chair.seq).await.unwrap();
    let (held, seq) = (member.state.clone(), member.seq);
    member.close().await;
    for i in 0..12 {
        ok(
            &mut chair,
            Command::SubmitQuestion {
                department: "eco".into(),
                text: format!("问题{i}"),
                asker: Some("m02".into()),
            },
        )
        .await;
    }
    let mut back = Client::connect(&m.url, &m.tokens["m01"], Some((held, seq)))
        .await
        .unwrap();
    assert_eq!(back.seq, seq, "resumed: the welcome carried no state");
    let (server_seq, state) = m.server_state().await;
    back.catch_up(server_seq).await.unwrap();
    assert_eq!(back.state, state);
    assert_eq!(back.state.questions.len(), 12);
}

#[tokio::test]
async fn a_client_that_never_reads_slows_nobody_and_is_let_go() {
    let m = Meeting::start(quick()).await;
    let mut chair = m.join("chair").await;
    // A client that says hello and then never reads a byte.
    let (mut stuck, _) = tokio_tungstenite::connect_async(&m.url).await.unwrap();
    stuck
        .send(Message::text(format!(
            r#"{{"type":"hello","protocol":1,"token":"{}"}}"#,
            m.tokens["p01"]
        )))
        .await
        .unwrap();
    // A client that reads as it should, all along.
    let mut watcher = m.join("m02").await;
    let watching = tokio::spawn(async move {
        loop {
            if let ServerFrame::Event {
                event:
                    EventKind::PresenceChanged {
                        participant,
                        online: false,
                    },
                ..
            } = watcher.next().await.unwrap()
            {
                if participant == "p01" {
                    return watcher;
                }
            }
        }
    });
    ok(&mut chair, Command::StartMeeting).await;
    let long = "长".repeat(1_900);
    let started = std::time::Instant::now();
    for _ in 0..1_500 {
        ok(
            &mut chair,
            Command::SubmitQuestion {
                department: "eco".into(),
                text: long.clone(),
                asker: Some("m01".into()),
            },
        )
        .await;
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(60),
        "1,500 intents took {elapsed:?}"
    );
    // The stuck client is let go (its presence goes offline) and the watcher, who
    // saw that, holds every event.
    let mut watcher = tokio::time::timeout(Duration::from_secs(20), watching)
        .await
        .expect("the stuck client was let go")
        .unwrap();
    let (seq, state) = m.server_state().await;
    tokio::time::timeout(Duration::from_secs(10), watcher.catch_up(seq))
        .await
        .expect("the watcher keeps up")
        .unwrap();
    assert_eq!(watcher.state, state);
    drop(stuck);
}

#[tokio::test]
async fn shutting_down_closes_connections_with_1001() {
    let mut m = Meeting::start(Config::default()).await;
    let mut member = m.join("m01").await;
    m.stop.take().unwrap().send(()).unwrap();
    assert_eq!(close_code(&mut member).await, Some(1001));
}

#[tokio::test]
async fn the_state_carries_plan_and_core_only_for_clients_that_ask() {
    let m = Meeting::start(Config::default()).await;
    for (full, expect) in [(false, false), (true, true)] {
        let (mut ws, _) = tokio_tungstenite::connect_async(&m.url).await.unwrap();
        let hello = serde_json::json!({"type":"hello","protocol":1,"token":m.tokens["m01"],"full_state":full});
        ws.send(Message::text(hello.to_string())).await.unwrap();
        let Some(Ok(Message::Text(welcome))) = ws.next().await else {
            panic!("no welcome")
        };
        let v: serde_json::Value = serde_json::from_str(&welcome).unwrap();
        let state = &v["state"];
        for field in [
            "meeting",
            "participants",
            "departments",
            "agenda",
            "position",
            "step",
            "floor",
            "queue",
            "queue_open",
            "questions",
        ] {
            assert!(
                state.get(field).is_some(),
                "the contract's {field} is always there"
            );
        }
        assert_eq!(
            state.get("plan").is_some() && state.get("core").is_some(),
            expect,
            "full_state {full}"
        );
    }
}

#[tokio::test]
async fn an_english_client_of_a_chinese_meeting_says_every_refusal_in_english() {
    use xieshang::lang::refusal::sentence;
    use xieshang::meeting::plan::Language;
    use xieshang::meeting::{Answer, TimerName};
    use xieshang::protocol::refusal_of;
    let zh = crate::common::PLAN.replace("language = \"en\"", "language = \"zh\"");
    let m = Meeting::start_with(&zh, quick(), xieshang::hub::task::RECENT).await;
    let mut chair = m.join("chair").await;
    let mut member = m.join("m01").await;
    let mut department = m.join("d-ndrc").await;
    ok(&mut chair, Command::StartMeeting).await;
    ok(&mut member, Command::RaiseHand { mode: Mode::Normal }).await;
    ok(
        &mut member,
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "河道何时整治？".into(),
            asker: None,
        },
    )
    .await;
    let mut said = 0;
    let cases: Vec<(u8, Command)> = vec![
        (1, Command::RaiseHand { mode: Mode::Normal }),
        (1, Command::NextStep),
        (0, Command::GotoStep { item: 5, step: 0 }),
        (
            0,
            Command::PauseTimer {
                timer: TimerName::Floor,
            },
        ),
        (
            0,
            Command::QueueRemove {
                participant: "m02".into(),
            },
        ),
        (
            1,
            Command::SubmitQuestion {
                department: "eco".into(),
                text: "电梯\x1b[2J".into(),
                asker: None,
            },
        ),
        (
            1,
            Command::SubmitQuestion {
                department: "nope".into(),
                text: "?".into(),
                asker: None,
            },
        ),
        (
            2,
            Command::AnswerQuestion {
                question: "q1".into(),
                status: Answer::Answered,
                note: None,
                seen_answers: None,
            },
        ),
        (
            0,
            Command::ExtendTimer {
                timer: TimerName::Step,
                seconds: 0,
            },
        ),
        (
            1,
            Command::Vote {
                poll: "rating".into(),
                choice: "满意".into(),
                target: Some("eco".into()),
            },
        ),
    ];
    for (who, action) in cases {
        let client = match who {
            0 => &mut chair,
            1 => &mut member,
            _ => &mut department,
        };
        client
            .send_text(
                serde_json::to_string(&xieshang::protocol::ClientFrame::Intent {
                    id: "e".into(),
                    action: action.clone(),
                })
                .unwrap(),
            )
            .await
            .unwrap();
        let (message, reason, params) = loop {
            if let ServerFrame::Error {
                message,
                reason,
                params,
                id: Some(_),
                ..
            } = client.next().await.unwrap()
            {
                break (message, reason, params);
            }
        };
        let refusal = refusal_of(reason.as_deref(), params.as_ref())
            .unwrap_or_else(|| panic!("{action:?}: {reason:?} {params:?} reads back"));
        let english = sentence(&refusal, Language::En, &client.state.plan);
        let chinese = sentence(&refusal, Language::Zh, &client.state.plan);
        assert_eq!(
            message, chinese,
            "the server says it in the meeting's language"
        );
        assert_ne!(english, chinese, "{action:?}");
        assert!(
            english
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count()
                <= "马文静市生态环境局满意".chars().count(),
            "English but for names: {english}"
        );
        said += 1;
    }
    assert_eq!(said, 10);
}

/// Reads frames until an event matching `wanted` comes.
async fn event_where(c: &mut Client, wanted: impl Fn(&EventKind) -> bool) -> EventKind {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(5), c.next())
            .await
            .expect("the event came in time")
            .unwrap();
        if let ServerFrame::Event { event, .. } = frame {
            if wanted(&event) {
                return event;
            }
        }
    }
}

#[tokio::test]
async fn a_secret_polls_choices_never_leave_the_server_but_to_their_voter() {
    let plan = crate::common::PLAN.replace(
        "targets = [\"eco\", \"ndrc\"]\n",
        "targets = [\"eco\", \"ndrc\"]\nsecret = true\n",
    );
    assert_ne!(plan, crate::common::PLAN);
    let m = Meeting::start_with(&plan, quick(), xieshang::hub::task::RECENT).await;
    let mut chair = m.join("chair").await;
    let mut voter = m.join("m01").await;
    let mut other = m.join("m02").await;
    ok(&mut chair, Command::StartMeeting).await;
    ok(&mut chair, Command::GotoStep { item: 1, step: 0 }).await;
    let poll = || "rating".to_string();
    ok(&mut chair, Command::OpenPoll { poll: poll() }).await;
    let vote = Command::Vote {
        poll: poll(),
        choice: "不满意".into(),
        target: Some("eco".into()),
    };
    ok(&mut voter, vote).await;
    let seen = event_where(&mut other, |e| matches!(e, EventKind::VoteCast { .. })).await;
    assert!(
        matches!(&seen, EventKind::VoteCast { voter, choice, .. } if voter == "m01" && choice.is_empty()),
        "another participant learns that m01 voted, not how: {seen:?}"
    );

    // A fresh welcome: the state without choices, the voter's own in `your_votes`.
    for (who, own) in [("m01", true), ("m02", false)] {
        let (mut ws, _) = tokio_tungstenite::connect_async(&m.url).await.unwrap();
        let hello = serde_json::json!({"type":"hello","protocol":1,"token":m.tokens[who],"full_state":true});
        ws.send(Message::text(hello.to_string())).await.unwrap();
        let Some(Ok(Message::Text(welcome))) = ws.next().await else {
            panic!("no welcome")
        };
        let v: serde_json::Value = serde_json::from_str(&welcome).unwrap();
        let state = &v["state"];
        assert_eq!(
            state["polls"][0]["votes"],
            serde_json::json!([{"target":"eco","voter":"m01","choice":""}]),
            "{who} is told that m01 voted, not how"
        );
        assert_eq!(
            state["core"]["polls"]["rating"]["votes"],
            serde_json::json!([["eco", "m01", ""]])
        );
        let mine = &v["your_votes"];
        if own {
            assert_eq!(
                mine,
                &serde_json::json!([{"poll":"rating","target":"eco","choice":"不满意"}])
            );
        } else {
            assert!(mine.is_null(), "{who} is told nobody's vote: {mine}");
        }
    }

    ok(&mut chair, Command::ClosePoll { poll: poll() }).await;
    let closed = event_where(&mut other, |e| matches!(e, EventKind::PollClosed { .. })).await;
    let EventKind::PollClosed {
        results: Some(results),
        ..
    } = closed
    else {
        panic!("the closing tells the tallies: {closed:?}");
    };
    let eco = results
        .iter()
        .find(|t| t.target.as_deref() == Some("eco"))
        .unwrap();
    assert_eq!(eco.voters, 1);
    assert!(eco.counts.contains(&("不满意".to_string(), 1)));
    // The journal says m01 voted, never how; the choice is kept beside it,
    // readable only by its owner.
    let path = m.dir.path().join("m.journal");
    let journal = std::fs::read_to_string(&path).unwrap();
    assert!(!journal.contains("\"choice\":\"不满意\""), "{journal}");
    let ballots = xieshang::journal::ballots::path_for(&path);
    let kept = std::fs::read_to_string(&ballots).unwrap();
    assert!(kept.contains("\"choice\":\"不满意\""), "{kept}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&ballots).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn a_walk_in_gets_a_token_that_works_at_once_and_after_a_restart_but_never_in_the_journal() {
    let m = Meeting::start(quick()).await;
    let mut chair = m.join("chair").await;
    let mut watcher = m.join("m02").await;
    ok(
        &mut chair,
        Command::AddParticipant {
            name: "王大爷".into(),
            role: xieshang::meeting::Role::Public,
            sector: None,
            department: None,
        },
    )
    .await;
    // By the time the chair hears back, the token exists and is kept beside the journal.
    let token = m.keys.of("guest1").expect("the walk-in has a token");
    let journal = m.dir.path().join("m.journal");
    let kept = std::fs::read_to_string(xieshang::server::tokens::path_for(&journal)).unwrap();
    assert!(kept.contains(&token), "kept in the tokens file");
    let recorded = std::fs::read_to_string(&journal).unwrap();
    assert!(recorded.contains("王大爷") && !recorded.contains(&token));
    // Everyone learns of them; they join with their token and take part.
    let added = event_where(&mut watcher, |e| {
        matches!(e, EventKind::ParticipantAdded { .. })
    })
    .await;
    assert!(
        matches!(added, EventKind::ParticipantAdded { participant } if participant.name == "王大爷" && participant.token.is_none())
    );
    let mut guest = Client::connect(&m.url, &token, None).await.unwrap();
    assert_eq!(guest.you.id, "guest1");
    ok(&mut chair, Command::StartMeeting).await;
    ok(&mut guest, Command::RaiseHand { mode: Mode::Normal }).await;
    // After a restart the journal brings them back, and the file their token.
    let (_, state) = m.server_state().await;
    let again = xieshang::server::Tokens::load_or_create(
        &xieshang::server::tokens::path_for(&journal),
        &state.plan,
    )
    .unwrap();
    assert_eq!(again.of("guest1"), Some(token));
}

#[tokio::test]
async fn a_fifth_connection_replaces_the_oldest_and_an_address_holds_a_bounded_audience() {
    let m = Meeting::start(Config {
        max_per_address: 3,
        ..quick()
    })
    .await;
    // One participant, five connections: the oldest gives way and is told why,
    // in a way that makes a client stop rather than push back.
    let mut first = m.join("m01").await;
    let mut rest = Vec::new();
    for _ in 0..3 {
        rest.push(m.join("m01").await);
    }
    let fifth = m.join("m01").await;
    let end = loop {
        match tokio::time::timeout(Duration::from_secs(5), first.next())
            .await
            .expect("told in time")
        {
            Ok(_) => {}
            Err(e) => break e,
        }
    };
    let ClientError::Closed(Some(frame)) = &end else {
        panic!("closed with a frame: {end:?}");
    };
    assert_eq!(u16::from(frame.code), 4009);
    assert!(frame.reason.starts_with("replaced"), "{}", frame.reason);
    assert!(end.is_final(), "join does not come back by itself");
    drop(fifth);

    // An observer's token is shared: from one address, three at most.
    let mut audience = Vec::new();
    for _ in 0..3 {
        audience.push(m.join("o01").await);
    }
    match Client::connect(&m.url, &m.tokens["o01"], None).await {
        Err(ClientError::Refused { code, message }) => {
            assert_eq!(code, ErrorCode::RateLimited);
            assert!(message.contains("your address"), "{message}");
        }
        other => panic!("a fourth observer from one address: {:?}", other.err()),
    }
    // One leaves: a seat is free again. Members are not counted per address.
    audience.pop().unwrap().close().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    audience.push(m.join("o01").await);
    m.join("m02").await;
}

/// The hall has its own link: the audience's token, made beside the
/// participants' and kept with them. It watches and does nothing else, is
/// nobody's seat (a plan's observer stays absent when only the projector
/// connects), and is what the projector and the code on the wall carry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hall_has_its_own_link_which_watches_and_is_nobodys_seat() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, crate::common::PLAN).unwrap();
    let journal = dir.path().join("meeting.journal");
    let serve = crate::common::serve::Serve::start(&plan, &journal, "127.0.0.1:0");
    let tokens = crate::common::room::tokens_of(&journal);
    let hall = tokens
        .get("audience")
        .expect("the hall's token, kept")
        .clone();
    assert!(
        !tokens.iter().any(|(id, t)| id != "audience" && *t == hall),
        "no participant's"
    );
    let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
        .await
        .unwrap();
    chair.intent(Command::StartMeeting).await.unwrap().unwrap();
    let mut screen = Client::connect(&serve.url, &hall, None).await.unwrap();
    assert_eq!(screen.you.id, "audience");
    assert_eq!(screen.you.role, xieshang::meeting::Role::Observer);
    let (code, _) = screen
        .intent(Command::RaiseHand { mode: Mode::Normal })
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(code, xieshang::protocol::ErrorCode::Forbidden);
    chair.intent(Command::CloseMeeting).await.unwrap().unwrap();
    screen.catch_up(chair.seq).await.unwrap();
    assert!(
        !screen.state.online.contains("audience"),
        "nobody's presence"
    );
    drop((screen, chair));
    drop(serve);
    let (_, minutes, _) = xieshang::minutes::from_journal(&journal, Some(8 * 3600)).unwrap();
    let present: Vec<&str> = minutes
        .attendance
        .present
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(present, ["chair"], "the screen attended as no one");
}
