//! `xieshang check FILE…`: load scenario files and say what is wrong with them.

use crate::meeting::plan::Plan;
use crate::meeting::scenario::ScenarioError;
use std::path::Path;

/// Reads and checks one scenario file.
pub fn load_plan(path: &Path) -> Result<Plan, ScenarioError> {
    crate::scenario::load(path).map(|s| s.plan)
}

/// Past this size a welcome is slow to reach a phone, and `check` says so.
pub const LARGE_WELCOME_BYTES: usize = 512 << 10;

/// What a valid plan may cost in a room: a warning when each participant's page
/// receives, on joining, a state of more than [`LARGE_WELCOME_BYTES`].
pub fn warnings(plan: &Plan) -> Vec<String> {
    let state = crate::meeting::State::new(std::sync::Arc::new(plan.clone()));
    let snapshot = crate::meeting::snapshot::Snapshot::of(&state);
    let bytes = serde_json::to_vec(&snapshot.contract_view()).map_or(0, |v| v.len());
    if bytes <= LARGE_WELCOME_BYTES {
        return Vec::new();
    }
    let (people, kib) = (plan.participants.len(), bytes >> 10);
    // In the plan's language, as `check` says everything else.
    vec![match plan.meeting.language {
        crate::meeting::plan::Language::Zh => format!(
            "注意：共 {people} 位参会人，每个终端加入时要接收约 {kib} KiB（完整名单，用于排队和显示姓名）；\
             手机网络慢时需要几秒钟。可以使用；也可以考虑每个会场一份方案，或让列席者共用一个密钥"
        ),
        crate::meeting::plan::Language::En => format!(
            "warning: with {people} participants every client receives about {kib} KiB when it joins (the \
             whole list, for the queue and the names); on a slow phone link that takes seconds. It \
             works; consider one plan per room, or observers who share a token"
        ),
    }]
}

/// `1 agenda item`, `2 agenda items`: a count and its noun in English.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A one-line account of a valid plan.
pub fn summary(plan: &Plan) -> String {
    let steps: usize = plan.agenda.iter().map(|i| i.steps.len()).sum();
    let planned: u64 = plan
        .agenda
        .iter()
        .flat_map(|i| &i.steps)
        .map(|s| s.duration_ms)
        .sum();
    let (people, departments, items) = (
        plan.participants.len(),
        plan.departments.len(),
        plan.agenda.len(),
    );
    let planned = crate::meeting::duration::format_duration(planned);
    let title = &plan.meeting.title;
    match plan.meeting.language {
        crate::meeting::plan::Language::Zh => format!(
            "{title} — {people} 位参会人，{departments} 个部门，{items} 个议题，{steps} 个环节，计划 {planned}"
        ),
        crate::meeting::plan::Language::En => format!(
            "{title} — {}, {}, {}, {}, {planned} planned",
            counted(people, "participant", "participants"),
            counted(departments, "department", "departments"),
            counted(items, "agenda item", "agenda items"),
            counted(steps, "step", "steps"),
        ),
    }
}
