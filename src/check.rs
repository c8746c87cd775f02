//! `xieshang check FILE…`: load scenario files and say what is wrong with them.

use crate::meeting::plan::Plan;
use crate::meeting::scenario::{parse_plan, Problem, ScenarioError};
use std::path::Path;

/// Reads and checks one scenario file.
pub fn load_plan(path: &Path) -> Result<Plan, ScenarioError> {
    load_plan_file(path).map(|(plan, _)| plan)
}

/// Reads and checks one scenario file, with the sha256 of its bytes (which ties a
/// journal to the plan it records).
pub fn load_plan_file(path: &Path) -> Result<(Plan, String), ScenarioError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| one_problem(&file, format!("cannot read the file: {e}")))?;
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
