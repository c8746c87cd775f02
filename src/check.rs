//! `xieshang check FILE…`: load scenario files and say what is wrong with them.

use crate::meeting::plan::Plan;
use crate::meeting::scenario::{parse_plan, Problem, ScenarioError};
use std::path::Path;

/// Reads and checks one scenario file.
pub fn load_plan(path: &Path) -> Result<Plan, ScenarioError> {
    load_plan_file(path).map(|(plan, _)| plan)
}

/// The largest scenario file read: a plan of 7,000 participants is under 1 MiB.
pub const MAX_PLAN_BYTES: u64 = 16 << 20;

/// Reads and checks one scenario file, with the sha256 of its bytes (which ties a
/// journal to the plan it records). A file over [`MAX_PLAN_BYTES`] (or a device
/// that never ends, such as `/dev/zero`) is refused before it is read whole.
pub fn load_plan_file(path: &Path) -> Result<(Plan, String), ScenarioError> {
    use std::io::Read;
    let file = path.display().to_string();
    let cannot = |e: std::io::Error| one_problem(&file, format!("cannot read the file: {e}"));
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(one_problem(
            &file,
            format!(
                "the file is larger than {} MiB: a scenario is a few KiB of TOML; is this the right file?",
                MAX_PLAN_BYTES >> 20
            ),
        ));
    }
    let sha256 = crate::journal::digest(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| {
        one_problem(
            &file,
            "the file is not UTF-8 text: save it as UTF-8".to_string(),
        )
    })?;
    Ok((parse_plan(&file, &text)?, sha256))
}

fn one_problem(file: &str, message: String) -> ScenarioError {
    ScenarioError {
        file: file.to_string(),
        problems: vec![Problem {
            line: 1,
            column: 1,
            message,
        }],
    }
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
    vec![format!(
        "warning: with {} participants every client receives about {} KiB when it joins (the \
         whole list, for the queue and the names); on a slow phone link that takes seconds. It \
         works; consider one plan per room, or observers who share a token",
        plan.participants.len(),
        bytes >> 10
    )]
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
    format!(
        "{} — {} participants, {} departments, {} agenda items, {} steps, {} planned",
        plan.meeting.title,
        plan.participants.len(),
        plan.departments.len(),
        plan.agenda.len(),
        steps,
        crate::meeting::duration::format_duration(planned)
    )
}
