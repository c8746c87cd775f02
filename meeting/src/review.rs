//! 回头看: a `review` step brings earlier promises back into the room. The plan
//! names the items (by id, or every open item of some departments); whoever
//! loads the plan finds them in the follow-up register and writes them into the
//! step as they stood when the meeting began (`ReviewPlan::found`), so the
//! journal's plan carries them and a replay or the minutes need no register.
//!
//! In the step the chair calls each item in turn, the department's
//! representative reports from the floor (a turn like any other), the chair
//! records what stands now (delivered, in progress with a new date, not
//! delivered, with a note), and the asker, when present, rates a delivered one
//! on the spot. The register takes these events in (`register::review`).

use super::followups::{Date, Rating};
use serde::{Deserialize, Serialize};

/// What a review step reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReviewPlan {
    /// Items named by their register id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// Every open item these departments lead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<String>,
    /// The items as the register had them when the meeting began, in the order
    /// the chair calls them.
    #[serde(default)]
    pub found: Vec<ReviewItem>,
}

/// An earlier promise, as the register had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// The register's id (`meeting/question`).
    pub id: String,
    /// The lead department's id and name.
    pub department: String,
    pub department_name: String,
    /// Who asked: their seat in this plan (they rate it), and their name. The
    /// plan's loader seats them: the participant that names the same roster
    /// person, else a seat of their own added for them; never a participant
    /// who merely has the same id in another plan.
    pub asker: String,
    pub asker_name: String,
    /// Who asked, beyond the meeting they asked in; their role and sector
    /// there. (A journal from before these were kept has none.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asker_who: Option<crate::roster::Who>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub asker_role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asker_sector: Option<String>,
    /// The meeting it came from, and when.
    pub meeting: String,
    pub date: Date,
    pub question: String,
    pub promise: String,
    /// Due by (with its extension).
    pub deadline: Date,
    /// Its state in the register (`in_progress` …), and days overdue then.
    pub state: String,
    pub days_over: i32,
    /// What was done since, the last piece of evidence's title (or the answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
}

impl ReviewItem {
    /// Closed in the register (办结, 中止, 并案): a review confirms it, and
    /// may not reopen it.
    pub fn is_closed(&self) -> bool {
        matches!(self.state.as_str(), "closed" | "withdrawn" | "merged")
    }
}

/// What stands now, as the chair records it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    /// 已落实: delivered (the asker may rate it).
    Delivered,
    /// 正在办理: not yet, due by a new date.
    InProgress,
    /// 未落实: not delivered.
    NotDelivered,
}

impl Outcome {
    pub const ALL: &'static [Outcome] = <Outcome as strum::VariantArray>::VARIANTS;

    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// The reviews of this meeting: which item is called, and each one's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Reviews {
    /// The item the chair called last, while its step lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// By item id.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub items: std::collections::BTreeMap<String, Reviewed>,
}

/// What a meeting's review found, counted: the closing summary's figures on
/// both projectors (the page's held to these by `tests/fold.rs`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub delivered: usize,
    pub in_progress: usize,
    pub not_delivered: usize,
    /// Rated 不满意 by their askers.
    pub unsatisfied: usize,
}

impl Reviews {
    /// What this meeting found of the earlier promises it reviewed.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for r in self.items.values() {
            match r.outcome {
                Some(Outcome::Delivered) => t.delivered += 1,
                Some(Outcome::InProgress) => t.in_progress += 1,
                Some(Outcome::NotDelivered) => t.not_delivered += 1,
                None => {}
            }
            if r.rating == Some(Rating::Dissatisfied) {
                t.unsatisfied += 1;
            }
        }
        t
    }
}

/// One item's review in this meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Reviewed {
    /// When the chair called it (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// With `in_progress`: the new date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Who rated: the asker, or the chair for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rated_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followups::Rating;
    use crate::{execute, Command, Ctx, Refusal, State};
    use std::sync::Arc;

    const PLAN: &str = r#"
[meeting]
title = "回头看"
register = "register.db"

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

[[participants]]
id = "p2"
name = "李先生"
role = "public"

[[agenda]]
title = "上次会议承诺事项"
[[agenda.steps]]
kind = "review"
title = "回头看"
review_departments = ["fgj"]
[[agenda.steps]]
kind = "discuss"
title = "讨论"
"#;

    fn item(id: &str, state: &str) -> ReviewItem {
        ReviewItem {
            id: id.into(),
            department: "fgj".into(),
            department_name: "市房管局".into(),
            asker: "p1".into(),
            asker_name: "吴阿姨".into(),
            asker_who: None,
            asker_role: String::new(),
            asker_sector: None,
            meeting: "加装电梯会商".into(),
            date: Date::parse("2026-10-01").unwrap(),
            question: "补贴何时到位？".into(),
            promise: "两周内书面答复".into(),
            deadline: Date::parse("2026-10-15").unwrap(),
            state: state.into(),
            days_over: 50,
            last: None,
        }
    }

    fn meeting() -> State {
        let mut plan = crate::scenario::parse_plan("t.toml", PLAN).unwrap();
        plan.agenda[0].steps[0].review.as_mut().unwrap().found =
            vec![item("m1/q1", "in_progress"), item("m1/q2", "closed")];
        plan.reindex();
        let mut state = State::new(Arc::new(plan));
        execute(&mut state, Command::StartMeeting, Ctx::by("chair", 1_000)).unwrap();
        state
    }

    fn record(item: &str, outcome: Outcome, due: Option<&str>) -> Command {
        Command::ReviewRecord {
            item: item.into(),
            outcome,
            due: due.and_then(Date::parse),
            note: Some("已拨付首批补贴".into()),
        }
    }

    fn rate(item: &str, rating: Rating, reason: Option<&str>) -> Command {
        Command::ReviewRate {
            item: item.into(),
            rating,
            reason: reason.map(String::from),
        }
    }

    #[test]
    fn the_chair_calls_records_and_the_asker_rates_their_own_item() {
        let mut s = meeting();
        let call = Command::ReviewCall {
            item: "m1/q1".into(),
        };
        assert!(matches!(
            execute(&mut s, call.clone(), Ctx::by("d1", 2_000)),
            Err(Refusal::ChairOnly { .. })
        ));
        assert_eq!(
            execute(&mut s, call.clone(), Ctx::by("chair", 2_000))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(s.reviews.current.as_deref(), Some("m1/q1"));
        // Calling it again changes nothing.
        assert!(execute(&mut s, call, Ctx::by("chair", 2_500))
            .unwrap()
            .is_empty());
        // Not delivered yet: nobody rates it.
        assert_eq!(
            execute(
                &mut s,
                rate("m1/q1", Rating::Satisfied, None),
                Ctx::by("p1", 3_000)
            ),
            Err(Refusal::ReviewNotDelivered {
                item: "m1/q1".into()
            })
        );
        // In progress says by when.
        assert_eq!(
            execute(
                &mut s,
                record("m1/q1", Outcome::InProgress, None),
                Ctx::by("chair", 3_000)
            ),
            Err(Refusal::ReviewDateRequired)
        );
        execute(
            &mut s,
            record("m1/q1", Outcome::InProgress, Some("2027-01-31")),
            Ctx::by("chair", 3_000),
        )
        .unwrap();
        assert_eq!(s.reviews.items["m1/q1"].due, Date::parse("2027-01-31"));
        // Corrected: delivered after all.
        execute(
            &mut s,
            record("m1/q1", Outcome::Delivered, None),
            Ctx::by("chair", 4_000),
        )
        .unwrap();
        assert_eq!(s.reviews.items["m1/q1"].due, None);
        // Another member may not rate it; the department may not; the asker may,
        // with a reason when dissatisfied.
        for who in ["p2", "d1"] {
            assert_eq!(
                execute(
                    &mut s,
                    rate("m1/q1", Rating::Satisfied, None),
                    Ctx::by(who, 5_000)
                ),
                Err(Refusal::NotYourReview {
                    item: "m1/q1".into()
                }),
                "{who}"
            );
        }
        assert_eq!(
            execute(
                &mut s,
                rate("m1/q1", Rating::Dissatisfied, Some("  ")),
                Ctx::by("p1", 5_000)
            ),
            Err(Refusal::ReviewReasonRequired)
        );
        execute(
            &mut s,
            rate("m1/q1", Rating::Dissatisfied, Some("只拨付了一半")),
            Ctx::by("p1", 5_000),
        )
        .unwrap();
        let r = &s.reviews.items["m1/q1"];
        assert_eq!(
            (r.rating, r.rated_by.as_deref()),
            (Some(Rating::Dissatisfied), Some("p1"))
        );
        // The chair rates for an asker who is not in the room.
        execute(
            &mut s,
            rate("m1/q1", Rating::BasicallySatisfied, None),
            Ctx::by("chair", 6_000),
        )
        .unwrap();
        assert_eq!(s.reviews.items["m1/q1"].rated_by.as_deref(), Some("chair"));
        // Saying it was not delivered after all takes the rating back.
        execute(
            &mut s,
            record("m1/q1", Outcome::NotDelivered, None),
            Ctx::by("chair", 7_000),
        )
        .unwrap();
        assert_eq!(s.reviews.items["m1/q1"].rating, None);
    }

    #[test]
    fn a_closed_item_is_confirmed_never_reopened_and_only_this_steps_items_are_reviewed() {
        let mut s = meeting();
        assert_eq!(
            execute(
                &mut s,
                record("m1/q2", Outcome::NotDelivered, None),
                Ctx::by("chair", 2_000)
            ),
            Err(Refusal::ReviewClosedItem {
                item: "m1/q2".into()
            })
        );
        execute(
            &mut s,
            record("m1/q2", Outcome::Delivered, None),
            Ctx::by("chair", 2_000),
        )
        .unwrap();
        assert_eq!(
            execute(
                &mut s,
                Command::ReviewCall {
                    item: "m9/q9".into()
                },
                Ctx::by("chair", 2_000)
            ),
            Err(Refusal::NotUnderReview {
                item: "m9/q9".into()
            })
        );
        // In the next step no item is under review, and the called one is let go.
        execute(
            &mut s,
            Command::ReviewCall {
                item: "m1/q1".into(),
            },
            Ctx::by("chair", 2_500),
        )
        .unwrap();
        execute(&mut s, Command::NextStep, Ctx::by("chair", 3_000)).unwrap();
        assert_eq!(s.reviews.current, None);
        assert_eq!(
            execute(
                &mut s,
                Command::ReviewCall {
                    item: "m1/q1".into()
                },
                Ctx::by("chair", 3_500)
            ),
            Err(Refusal::NotUnderReview {
                item: "m1/q1".into()
            })
        );
        // A note with a control character is refused like any text.
        execute(&mut s, Command::PreviousStep, Ctx::by("chair", 4_000)).unwrap();
        let hostile = Command::ReviewRecord {
            item: "m1/q1".into(),
            outcome: Outcome::Delivered,
            due: None,
            note: Some("done\u{1b}[2J".into()),
        };
        assert!(matches!(
            execute(&mut s, hostile, Ctx::by("chair", 4_000)),
            Err(Refusal::ControlCharacter { .. })
        ));
    }

    #[test]
    fn a_review_step_needs_a_register_and_something_to_review() {
        let no_register = PLAN.replace("register = \"register.db\"\n", "");
        let err = crate::scenario::parse_plan("t.toml", &no_register)
            .unwrap_err()
            .to_string();
        assert!(err.contains("register"), "{err}");
        let nothing = PLAN.replace("review_departments = [\"fgj\"]\n", "");
        let err = crate::scenario::parse_plan("t.toml", &nothing)
            .unwrap_err()
            .to_string();
        assert!(err.contains("review_items"), "{err}");
        let elsewhere = PLAN.replace(
            "title = \"讨论\"\n",
            "title = \"讨论\"\nreview_items = [\"x\"]\n",
        );
        let err = crate::scenario::parse_plan("t.toml", &elsewhere)
            .unwrap_err()
            .to_string();
        assert!(err.contains("review_items 不适用于 discuss"), "{err}");
        let unknown = PLAN.replace(
            "review_departments = [\"fgj\"]",
            "review_departments = [\"nope\"]",
        );
        assert!(crate::scenario::parse_plan("t.toml", &unknown).is_err());
    }
}
