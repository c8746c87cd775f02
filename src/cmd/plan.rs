//! A plan loaded for a meeting (`run`, `serve`, `simulate`, `check`,
//! `invitations`): the scenario file read (`scenario::load`), the register it
//! names worked out once (relative to the plan's folder), and its review steps
//! filled from that register as of now (`office::followups::recall`).

use crate::meeting::scenario::{Problem, ScenarioError};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};

/// A scenario ready to be run.
pub struct Loaded {
    pub scenario: Scenario,
    /// The register the plan names (its `register`), when it names one.
    pub register: Option<PathBuf>,
    /// What is not wrong but worth saying (the register not there yet).
    pub warnings: Vec<String>,
}

/// Reads `file`, and fills its review steps from the register it names.
pub fn load(file: &Path) -> Result<Loaded, ScenarioError> {
    let mut scenario = crate::scenario::load(file)?;
    let register = register_of(&scenario, file);
    let mut warnings = Vec::new();
    if let Some(path) = &register {
        let found = crate::office::followups::recall::fill(
            &mut scenario.plan,
            path,
            crate::clock::now_ms(),
        );
        if !found.problems.is_empty() {
            return Err(ScenarioError {
                file: file.display().to_string(),
                problems: found
                    .problems
                    .into_iter()
                    .map(|(message, zh)| Problem {
                        line: 1,
                        column: 1,
                        message,
                        zh: Some(zh),
                    })
                    .collect(),
                language: scenario.plan.meeting.language,
            });
        }
        warnings = found.warnings;
    }
    Ok(Loaded {
        scenario,
        register,
        warnings,
    })
}

/// The register a plan names (its `register`), relative to the plan's folder.
fn register_of(scenario: &Scenario, file: &Path) -> Option<PathBuf> {
    let named = Path::new(scenario.plan.meeting.register.as_deref()?);
    Some(if named.is_absolute() {
        named.to_path_buf()
    } else {
        file.parent().unwrap_or(Path::new(".")).join(named)
    })
}
