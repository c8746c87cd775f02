//! Correcting a plan mid-meeting (`--accept-plan-change`): a journal resumes under
//! a corrected scenario file when only names, titles or times changed, records the
//! change, and refuses any change to ids, roles or steps, saying what differs.

use crate::common::*;
use xieshang::hub::Hub;
use xieshang::journal::{self, JournalError};
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{Command, EventKind, Role};

fn open(
    text: &str,
    path: &std::path::Path,
    accept: bool,
) -> Result<xieshang::hub::Opened, JournalError> {
    let plan = parse_plan("p.toml", text).unwrap();
    Hub::open_accepting(
        plan,
        &journal::digest(text.as_bytes()),
        path,
        T0 + MIN,
        accept,
    )
}

#[test]
fn a_corrected_name_is_accepted_recorded_and_stood_by_and_a_changed_shape_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.journal");
    let first = PLAN.replace("[meeting]\n", "[meeting]\nvenue = \"一楼会议室\"\n");
    let tokened = first.replace(
        "name = \"陈主席\"\n",
        "name = \"陈主席\"\ntoken = \"chair-token-from-the-plan\"\n",
    );
    {
        let mut opened = open(&tokened, &path, false).unwrap();
        let hub = &mut opened.hub;
        hub.submit(Some("chair"), Command::StartMeeting, T0)
            .unwrap();
        hub.submit(
            Some("chair"),
            Command::AddParticipant {
                name: "王大爷".into(),
                role: Role::Public,
                sector: None,
                department: None,
            },
            T0 + 1,
        )
        .unwrap();
        opened.hub.close().unwrap();
    }
    // A typo fixed: the member's name, the venue, a step's title and duration.
    let fixed = tokened
        .replace("马文静", "马文靜")
        .replace("一楼会议室", "二楼会议室")
        .replace(
            "title = \"自由讨论\"\nduration = \"15m\"",
            "title = \"自由讨论（延长）\"\nduration = \"20m\"",
        );
    assert_ne!(fixed, tokened);
    let refused = open(&fixed, &path, false)
        .err()
        .expect("refused without the switch");
    assert!(matches!(refused, JournalError::PlanMismatch { .. }));
    assert!(
        refused.to_string().contains("--accept-plan-change"),
        "{refused}"
    );

    let opened = open(&fixed, &path, true).unwrap();
    let state = opened.hub.state();
    assert_eq!(state.participant("m01").unwrap().name, "马文靜");
    assert_eq!(state.plan.meeting.venue.as_deref(), Some("二楼会议室"));
    assert_eq!(
        state.participant("guest1").unwrap().name,
        "王大爷",
        "walk-ins stay"
    );
    assert_eq!(
        state.participant("chair").unwrap().token.as_deref(),
        Some("chair-token-from-the-plan"),
        "the plan's own tokens still work"
    );
    let Some(EventKind::PlanChanged { plan_sha256, .. }) = opened.history.last().map(|e| &e.event)
    else {
        panic!("the change is recorded: {:?}", opened.history.last());
    };
    assert_eq!(*plan_sha256, journal::digest(fixed.as_bytes()));
    let live = state.clone();
    opened.hub.close().unwrap();
    let recorded = std::fs::read_to_string(&path).unwrap();
    assert!(
        !recorded.contains("chair-token-from-the-plan"),
        "never a token in the journal"
    );

    // From now on the journal stands at the corrected plan: no switch needed, and
    // the first version is the one refused.
    let again = open(&fixed, &path, false).unwrap();
    assert_eq!(again.hub.state().participant("m01").unwrap().name, "马文靜");
    again.hub.close().unwrap();
    assert!(matches!(
        open(&tokened, &path, false).err(),
        Some(JournalError::PlanMismatch { .. })
    ));

    // A replay of the journal reaches the same meeting.
    let scan = journal::read(&path).unwrap();
    let mut header_plan = scan.header.plan.clone();
    header_plan.reindex();
    let replayed = xieshang::meeting::replay(
        std::sync::Arc::new(header_plan),
        scan.entries.iter().map(|e| e.to_event()),
    );
    assert_eq!(replayed.plan.without_tokens(), live.plan.without_tokens());
    assert_eq!(replayed.status, live.status);

    // Changes a meeting under way cannot take: each said, the journal untouched.
    let before = std::fs::metadata(&path).unwrap().len();
    let reshaped = fixed
        .replace(
            "id = \"m03\"\nname = \"张晓燕\"\nrole = \"member\"",
            "id = \"m03\"\nname = \"张晓燕\"\nrole = \"expert\"",
        )
        .replace("kind = \"discuss\"", "kind = \"speak\"")
        .replace("id = \"o01\"", "id = \"o02\"");
    let refused = open(&reshaped, &path, true).err().expect("refused");
    let JournalError::PlanShapeChanged { differences, .. } = &refused else {
        panic!("{refused}");
    };
    let said = differences.join("\n");
    for expected in [
        "participant \"m03\" was member and is expert now",
        "step 1.4 was discuss and is speak now",
        "participant \"o01\" is gone",
        "participant \"o02\" is new",
    ] {
        assert!(said.contains(expected), "{expected:?} in {said}");
    }
    assert_eq!(differences.len(), 4, "{said}");
    assert!(refused.to_string().contains("names, titles"), "{refused}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), before);
}
