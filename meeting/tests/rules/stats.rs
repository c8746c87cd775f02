use crate::common::*;
use xieshang_meeting::stats::{stats, Speaking};
use xieshang_meeting::{Command, Role};

#[test]
fn speaking_time_is_summed_per_participant_sector_and_role() {
    let mut m = Meeting::started();
    m.ok("chair", Command::GrantFloor { participant: None }); // m01 民建
    m.after(6 * MIN);
    m.ok("chair", Command::GrantFloor { participant: None }); // m02 经济界
    m.after(2 * MIN);
    m.ok(
        "chair",
        Command::GrantFloor {
            participant: Some("m03".into()),
        },
    ); // m03 民建, still speaking
    m.after(MIN);
    let s = stats(&m.state, m.now);
    let of = |id: &str| s.by_participant.iter().find(|(p, _)| p == id).unwrap().1;
    assert_eq!(
        of("m01"),
        Speaking {
            turns: 1,
            spoken_ms: 6 * MIN,
            overtime_ms: MIN
        }
    );
    assert_eq!(
        of("m02"),
        Speaking {
            turns: 1,
            spoken_ms: 2 * MIN,
            overtime_ms: 0
        }
    );
    assert_eq!(
        of("m03"),
        Speaking {
            turns: 1,
            spoken_ms: MIN,
            overtime_ms: 0
        },
        "the turn in progress counts"
    );
    let sector = |name: &str| s.by_sector.iter().find(|(k, _)| k == name).unwrap().1;
    assert_eq!(
        sector("民建"),
        Speaking {
            turns: 2,
            spoken_ms: 7 * MIN,
            overtime_ms: MIN
        }
    );
    assert_eq!(sector("经济界").spoken_ms, 2 * MIN);
    assert_eq!(sector("界别群众").turns, 0);
    let role = |r: Role| s.by_role.iter().find(|(k, _)| *k == r).unwrap().1;
    assert_eq!(role(Role::Member).turns, 3);
    assert_eq!(role(Role::Expert).turns, 0);
    assert!(
        s.by_role.iter().all(|(r, _)| *r != Role::Observer),
        "observers do not speak"
    );
}

#[test]
fn who_has_not_spoken_leaves_out_the_chair_and_observers() {
    let mut m = Meeting::started();
    let s = stats(&m.state, m.now);
    assert_eq!(
        s.not_spoken,
        ["m01", "m02", "m03", "x01", "p01", "d-eco", "d-eco2", "d-ndrc"]
    );
    m.ok(
        "chair",
        Command::GrantFloor {
            participant: Some("x01".into()),
        },
    );
    m.after(MIN);
    m.ok("chair", Command::EndSpeech);
    let s = stats(&m.state, m.now);
    assert!(!s.not_spoken.contains(&"x01".to_string()));
    assert_eq!(s.not_spoken.len(), 7);
}
