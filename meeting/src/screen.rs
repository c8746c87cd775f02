//! Which screen the room's projector shows now: one rule for the terminal's
//! projector (`xieshang join --projector`) and the page's (`projector.js`,
//! whose `screenOf` `tests/fold.rs` holds to this after every event of a
//! corpus of meetings). It asks the status, the floor and the step's traits and
//! plan, never a step's kind by name.

use super::review::ReviewItem;
use super::state::{State, Status};
use serde::{Deserialize, Serialize};

/// What the projector shows: one thing dominates each.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Screen {
    /// Before the meeting: its title, venue, date, agenda, the audience's code.
    Welcome,
    /// Who speaks and the countdown, and who is next.
    Floor,
    /// The departments' board (questions by outcome) and the question at
    /// hand, with the floor (`Traits::board`).
    Board,
    /// 回头看 (`Traits::reviews`), with the floor: the earlier promise called,
    /// its department, how late it is and what was found; before one is
    /// called, every promise under review (department, how late, state).
    Review,
    /// The step's poll while nobody speaks: what is rated and the turnout, then
    /// the results.
    Poll,
    /// After the meeting: what it came to.
    Summary,
}

impl Screen {
    pub const ALL: &'static [Screen] = <Screen as strum::VariantArray>::VARIANTS;

    /// Its name, as the page writes it (`screenOf`).
    pub fn name(self) -> &'static str {
        self.into()
    }
}

impl State {
    /// The screen the meeting calls for now.
    pub fn screen(&self) -> Screen {
        match self.status {
            Status::NotStarted => return Screen::Welcome,
            Status::Closed => return Screen::Summary,
            Status::Running => {}
        }
        let Some(step) = self.step() else {
            return Screen::Floor;
        };
        let traits = step.kind.traits();
        if step.poll.is_some() && self.floor.is_none() {
            Screen::Poll
        } else if traits.reviews {
            Screen::Review
        } else if traits.board {
            Screen::Board
        } else {
            Screen::Floor
        }
    }

    /// The earlier promise the chair called, while the step that reviews it
    /// lasts.
    pub fn called_review(&self) -> Option<&ReviewItem> {
        let id = self.reviews.current.as_deref()?;
        self.step()?
            .review
            .as_ref()?
            .found
            .iter()
            .find(|i| i.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::ReviewItem;
    use crate::{execute, Command, Ctx, Mode};
    use std::sync::Arc;

    const PLAN: &str = r#"
[meeting]
title = "屏幕"
register = "r.db"

[[departments]]
id = "fgj"
name = "市房管局"

[[participants]]
id = "chair"
name = "黄主席"
role = "chair"

[[participants]]
id = "d1"
name = "张副局长"
role = "department"
department = "fgj"

[[participants]]
id = "p1"
name = "吴阿姨"
role = "public"

[[agenda]]
title = "议题"
[[agenda.steps]]
kind = "speak"
title = "发言"
[[agenda.steps]]
kind = "question"
title = "提问"
[[agenda.steps]]
kind = "review"
title = "回头看"
review_departments = ["fgj"]
[[agenda.steps]]
kind = "evaluate"
title = "测评"
id = "rating"
choices = ["满意", "不满意"]
"#;

    fn item() -> ReviewItem {
        use crate::followups::Date;
        ReviewItem {
            id: "m1/q1".into(),
            department: "fgj".into(),
            department_name: "市房管局".into(),
            asker: "p1".into(),
            asker_name: "吴阿姨".into(),
            asker_who: None,
            asker_role: String::new(),
            asker_sector: None,
            meeting: "上次会议".into(),
            date: Date::parse("2026-10-01").unwrap(),
            question: "补贴何时到位？".into(),
            promise: "两周内书面答复".into(),
            deadline: Date::parse("2026-10-15").unwrap(),
            state: "in_progress".into(),
            days_over: 30,
            last: None,
        }
    }

    fn by(s: &mut State, who: &str, c: Command, at: u64) {
        execute(s, c, Ctx::by(who, at)).unwrap();
    }

    #[test]
    fn each_state_of_the_meeting_has_its_screen() {
        let mut plan = crate::scenario::parse_plan("t.toml", PLAN).unwrap();
        plan.agenda[0].steps[2].review.as_mut().unwrap().found = vec![item()];
        plan.reindex();
        let mut s = State::new(Arc::new(plan));
        assert_eq!(s.screen(), Screen::Welcome);
        by(&mut s, "chair", Command::StartMeeting, 1_000);
        assert_eq!(s.screen(), Screen::Floor);
        by(&mut s, "chair", Command::NextStep, 2_000);
        assert_eq!(s.screen(), Screen::Board, "a step whose traits say board");
        by(&mut s, "chair", Command::NextStep, 3_000);
        assert_eq!(
            s.screen(),
            Screen::Review,
            "a review with nothing called yet: the promises under review"
        );
        let call = Command::ReviewCall {
            item: "m1/q1".into(),
        };
        by(&mut s, "chair", call, 4_000);
        assert_eq!(s.called_review().map(|i| i.id.as_str()), Some("m1/q1"));
        assert_eq!(s.screen(), Screen::Review);
        by(
            &mut s,
            "chair",
            Command::GrantFloor { participant: None },
            5_000,
        );
        assert_eq!(s.speaker(), Some("d1"));
        assert_eq!(
            s.screen(),
            Screen::Review,
            "the department reports beside it"
        );
        by(&mut s, "chair", Command::NextStep, 6_000);
        assert_eq!(s.called_review(), None, "let go with its step");
        assert_eq!(s.screen(), Screen::Poll, "before the poll opens, too");
        by(
            &mut s,
            "p1",
            Command::RaiseHand { mode: Mode::Normal },
            7_000,
        );
        by(
            &mut s,
            "chair",
            Command::GrantFloor { participant: None },
            8_000,
        );
        assert_eq!(s.screen(), Screen::Floor, "someone speaks in a poll's step");
        by(&mut s, "chair", Command::CloseMeeting, 9_000);
        assert_eq!(s.screen(), Screen::Summary);
        assert_eq!(Screen::Review.name(), "review");
        assert_eq!(
            serde_json::to_value(Screen::Review).unwrap(),
            serde_json::json!("review")
        );
    }
}
