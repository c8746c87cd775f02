//! A plan loaded for a meeting (`run`, `serve`, `simulate`, `check`,
//! `invitations`): the scenario file read (`scenario::load`), the office's file
//! it names (its `register`) worked out once, relative to the plan's folder,
//! and from it the plan's seats checked against the roster
//! (`office::roster::seats`) and its review steps filled, their askers seated
//! (`office::followups::recall`), as of now.

use crate::meeting::scenario::{Problem, ScenarioError};
use crate::office::{followups::recall, roster::seats, Office};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};

/// A scenario ready to be run.
pub struct Loaded {
    pub scenario: Scenario,
    /// The office's file the plan names (its `register`), when it names one.
    pub register: Option<PathBuf>,
    /// What is not wrong but worth saying (the register not there yet).
    pub warnings: Vec<String>,
    /// Who each seat that names the roster is (`check` shows them).
    pub who: Vec<String>,
}

/// Reads `file`, checks its seats against the roster and fills its review
/// steps from the office's file it names.
pub fn load(file: &Path) -> Result<Loaded, ScenarioError> {
    let mut scenario = crate::scenario::load(file)?;
    let register = register_of(&scenario, file);
    let mut warnings = Vec::new();
    let mut who = Vec::new();
    let mut problems: Vec<(String, String)> = Vec::new();
    let plan = &mut scenario.plan;
    let (reviews, roster) = (recall::reviews(plan), seats::names_roster(plan));
    match register.as_deref().filter(|p| p.is_file()) {
        _ if !reviews && !roster => {}
        None => {
            let shown = register
                .as_ref()
                .map_or(words_of(plan).no_register_named.to_string(), |p| {
                    p.display().to_string()
                });
            // In the plan's language, as `check` says everything else.
            let words = &crate::lang::catalogue::of(plan.meeting.language).cli;
            let shown: &dyn std::fmt::Display = &shown;
            if reviews {
                warnings.push(crate::lang::fill(words.no_register_yet, &[("file", shown)]));
            }
            if roster {
                warnings.push(crate::lang::fill(words.no_roster_yet, &[("file", shown)]));
            }
        }
        Some(path) => match Office::open_existing(path) {
            Err(e) => problems.push(seats::unreadable(&e)),
            Ok(office) => {
                match seats::check(plan, &office) {
                    Ok(found) => {
                        warnings.extend(found.warnings);
                        problems.extend(found.problems);
                        who = found.who;
                    }
                    Err(e) => problems.push(seats::unreadable(&e)),
                }
                let found = recall::fill(plan, &office, crate::clock::now_ms());
                warnings.extend(found.warnings);
                problems.extend(found.problems);
            }
        },
    }
    if !problems.is_empty() {
        return Err(ScenarioError {
            file: file.display().to_string(),
            problems: problems
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
    Ok(Loaded {
        scenario,
        register,
        warnings,
        who,
    })
}

/// The office's file a plan names (its `register`), relative to the plan's
/// folder.
fn register_of(scenario: &Scenario, file: &Path) -> Option<PathBuf> {
    let named = Path::new(scenario.plan.meeting.register.as_deref()?);
    Some(if named.is_absolute() {
        named.to_path_buf()
    } else {
        file.parent().unwrap_or(Path::new(".")).join(named)
    })
}

fn words_of(plan: &crate::meeting::Plan) -> &'static crate::lang::catalogue::Cli {
    &crate::lang::catalogue::of(plan.meeting.language).cli
}
