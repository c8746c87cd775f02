//! The register → a plan's review steps (回头看): each step's items as the
//! register has them when the plan is loaded, written into the plan
//! (`ReviewPlan::found`) so the journal's plan carries them.
//!
//! A register that is not there yet is a warning (the step will have nothing to
//! review until a meeting is imported); one that cannot be read, or an item named
//! by id that it does not hold, is a problem of the plan.

use super::Filter;
use crate::meeting::followups::{self, Item};
use crate::meeting::plan::Plan;
use crate::meeting::review::ReviewItem;
use crate::office::Office;

/// What finding the items said: warnings, or problems (English, Chinese).
#[derive(Debug, Default)]
pub struct Found {
    pub warnings: Vec<String>,
    pub problems: Vec<(String, String)>,
}

/// Whether `plan` has a review step.
pub fn reviews(plan: &Plan) -> bool {
    plan.agenda
        .iter()
        .flat_map(|i| &i.steps)
        .any(|s| s.review.is_some())
}

/// Fills every review step of `plan` from `register` (the one the plan
/// names), as of `now_ms`, and seats the askers it brings back.
pub fn fill(plan: &mut Plan, register: &Office, now_ms: u64) -> Found {
    let mut found = Found::default();
    if !reviews(plan) {
        return found;
    }
    let path = register.path();
    let offset_s = crate::office::DEFAULT_UTC_OFFSET_HOURS * 3600;
    // The register knows a department by the roster's organisation it names.
    let known_as: std::collections::HashMap<String, String> = plan
        .departments
        .iter()
        .map(|d| (d.id.clone(), d.organisation.clone().unwrap_or(d.id.clone())))
        .collect();
    for item in plan.agenda.iter_mut() {
        for step in item.steps.iter_mut() {
            let Some(review) = step.review.as_mut() else {
                continue;
            };
            let mut items: Vec<Item> = Vec::new();
            for id in &review.items {
                match register.item(id) {
                    Ok(Some(i)) => items.push(i),
                    Ok(None) => found.problems.push((
                        format!(
                            "review_items: \"{id}\" is not in the register {}: check the id (xieshang followups list)",
                            path.display()
                        ),
                        format!(
                            "review_items：台账 {} 中没有“{id}”：请核对编号（xieshang followups list）",
                            path.display()
                        ),
                    )),
                    Err(e) => found
                        .problems
                        .push((format!("register: {e:#}"), format!("register：{e:#}"))),
                }
            }
            for d in &review.departments {
                let open = register.items_whole(&Filter {
                    department: Some(known_as.get(d).unwrap_or(d).clone()),
                    ..Filter::default()
                });
                match open {
                    Ok(list) => items.extend(
                        list.into_iter()
                            .filter(|i| i.state.is_open())
                            .filter(|i| !review.items.contains(&i.id)),
                    ),
                    Err(e) => found
                        .problems
                        .push((format!("register: {e:#}"), format!("register：{e:#}"))),
                }
            }
            // The longest overdue first, then by deadline: the order the chair calls.
            let mut shown: Vec<ReviewItem> = items
                .iter()
                .map(|i| {
                    let mut shown = review_item(i, now_ms, offset_s);
                    // In this meeting, the department by its id in this plan.
                    if let Some((id, _)) = known_as.iter().find(|(_, o)| **o == shown.department) {
                        shown.department = id.clone();
                    }
                    shown
                })
                .collect();
            shown.sort_by(|a, b| {
                b.days_over
                    .cmp(&a.days_over)
                    .then(a.deadline.cmp(&b.deadline))
                    .then(a.id.cmp(&b.id))
            });
            review.found = shown;
        }
    }
    seat_askers(plan);
    plan.reindex();
    found
}

/// The seat from which each reviewed item's asker rates it: the participant
/// naming the same roster person, else one added for them (id `asker-` and a
/// digest of who they are, so the same person has the same seat however the
/// items are ordered; name, role and sector as the register has them; a token
/// of their own, as every participant). A participant who merely has the same
/// id in another meeting's plan is someone else.
fn seat_askers(plan: &mut Plan) {
    use crate::meeting::plan::{Participant, Role};
    let mut added: Vec<Participant> = Vec::new();
    let mut seats: Vec<(String, String)> = Vec::new();
    for (_, item) in plan.review_items() {
        let Some(who) = &item.asker_who else {
            continue;
        };
        let taken = who.person().and_then(|p| {
            plan.participants
                .iter()
                .find(|s| s.person.as_deref() == Some(p))
                .map(|s| s.id.clone())
        });
        let seat = taken.unwrap_or_else(|| {
            use sha2::Digest;
            let digest = hex::encode(sha2::Sha256::digest(who.to_string().as_bytes()));
            let id = format!("asker-{}", &digest[..8]);
            if !added.iter().any(|p| p.id == id) {
                let role = match Role::parse(&item.asker_role) {
                    Some(r @ (Role::Member | Role::Expert | Role::Public)) => r,
                    _ => Role::Public,
                };
                added.push(Participant {
                    id: id.clone(),
                    name: item.asker_name.clone(),
                    role,
                    sector: item.asker_sector.clone(),
                    department: None,
                    person: who.person().map(String::from),
                    token: None,
                });
            }
            id
        });
        seats.push((item.id.clone(), seat));
    }
    for step in plan.agenda.iter_mut().flat_map(|i| i.steps.iter_mut()) {
        for item in step.review.iter_mut().flat_map(|r| r.found.iter_mut()) {
            if let Some((_, seat)) = seats.iter().find(|(id, _)| *id == item.id) {
                item.asker = seat.clone();
            }
        }
    }
    plan.participants.extend(added);
}

/// An item as a review brings it back.
pub fn review_item(i: &Item, now_ms: u64, offset_s: i32) -> ReviewItem {
    let standing = followups::standing(i, now_ms, offset_s);
    let last = i
        .answer
        .as_ref()
        .map(|a| a.text.clone())
        .or_else(|| i.evidence.last().map(|e| e.title.clone()));
    ReviewItem {
        id: i.id.clone(),
        department: i.department.clone(),
        department_name: i.department_name.clone(),
        // The seat in the plan being loaded is worked out after
        // (`seat_askers`): no one's until then.
        asker: String::new(),
        asker_name: i.origin.asker.name.clone(),
        asker_who: Some(i.asker()),
        asker_role: i.origin.asker.role.clone(),
        asker_sector: i.origin.asker.sector.clone(),
        meeting: i.origin.meeting.clone(),
        date: i.origin.date,
        question: i.origin.text.clone(),
        promise: i.promise.clone(),
        deadline: i.deadline(),
        state: i.state.as_str().to_string(),
        days_over: standing.days_over,
        last,
    }
}
