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
use std::path::Path;

/// What finding the items said: warnings, or problems (English, Chinese).
#[derive(Debug, Default)]
pub struct Found {
    pub warnings: Vec<String>,
    pub problems: Vec<(String, String)>,
}

/// Fills every review step of `plan` from the register at `path` (the one
/// the plan names), as of `now_ms`.
pub fn fill(plan: &mut Plan, path: &Path, now_ms: u64) -> Found {
    let mut found = Found::default();
    let reviews = plan
        .agenda
        .iter()
        .flat_map(|i| &i.steps)
        .any(|s| s.review.is_some());
    if !reviews {
        return found;
    }
    if !path.is_file() {
        found.warnings.push(format!(
            "no register at {} yet: the review steps have nothing to review until a meeting is imported (xieshang followups --register {} import JOURNAL)",
            path.display(),
            path.display()
        ));
        return found;
    }
    let register = match Office::open_existing(path) {
        Ok(r) => r,
        Err(e) => {
            found.problems.push((
                format!("register: {e:#}"),
                format!("register：台账无法读取：{e:#}"),
            ));
            return found;
        }
    };
    let offset_s = crate::office::DEFAULT_UTC_OFFSET_HOURS * 3600;
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
                    department: Some(d.clone()),
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
                .map(|i| review_item(i, now_ms, offset_s))
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
    plan.reindex();
    found
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
        asker: i.origin.asker.participant.clone(),
        asker_name: i.origin.asker.name.clone(),
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
