//! Loading a scenario file: the one place a plan is read. The file (at most
//! 16 MiB), its sha256 (which ties a journal to the plan it records), the plan
//! (checked by `meeting::scenario`) and its script (checked against the plan by
//! `scenario::script`), every problem at its line and column. Nothing else is
//! opened here: a review step's earlier promises are filled in by whoever loads
//! the plan for a meeting (`cmd::plan`), from the register it names.

pub mod check;
pub mod script;

use crate::meeting::plan::Plan;
use crate::meeting::scenario::{Problem, ScenarioError};
use crate::scenario::script::Cue;
use std::path::Path;

/// The largest scenario file read: a plan of 7,000 participants is under 1 MiB.
pub const MAX_PLAN_BYTES: u64 = 16 << 20;

/// A scenario: the plan of a meeting, and what simulated participants do in it.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub plan: Plan,
    pub script: Vec<Cue>,
    /// sha256 of the file's bytes, in hex.
    pub sha256: String,
}

/// Reads and checks a scenario file. A file over [`MAX_PLAN_BYTES`] (or a device
/// that never ends, such as `/dev/zero`) is refused before it is read whole.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    use std::io::Read;
    let file = path.display().to_string();
    let cannot = |e: std::io::Error| {
        one_problem(
            &file,
            format!("cannot read the file: {e}"),
            format!("无法读取文件：{e}"),
        )
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        let mib = MAX_PLAN_BYTES >> 20;
        return Err(one_problem(
            &file,
            format!("the file is larger than {mib} MiB: a scenario is a few KiB of TOML; is this the right file?"),
            format!("文件超过 {mib} MiB：会议计划只是几 KiB 的 TOML，是不是选错了文件？"),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        one_problem(
            &file,
            "the file is not UTF-8 text: save it as UTF-8".to_string(),
            "文件不是 UTF-8 文本：请另存为 UTF-8".to_string(),
        )
    })?;
    parse(&file, &text)
}

/// Checks a scenario's text; `file` names it in messages.
pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let (plan, entries) = crate::meeting::scenario::parse(file, text)?;
    let (script, mut problems) = crate::scenario::script::check_all(&entries, &plan);
    if !problems.is_empty() {
        problems.sort_by_key(|p| (p.line, p.column));
        return Err(ScenarioError {
            file: file.to_string(),
            problems,
            language: plan.meeting.language,
        });
    }
    Ok(Scenario {
        plan,
        script,
        sha256: crate::journal::digest(text.as_bytes()),
    })
}

/// A problem with the file as a whole, said in English: the plan's language is not
/// known (the Chinese is kept beside it).
fn one_problem(file: &str, message: String, zh: String) -> ScenarioError {
    ScenarioError {
        file: file.to_string(),
        problems: vec![Problem {
            line: 1,
            column: 1,
            message,
            zh: Some(zh),
        }],
        language: crate::meeting::plan::Language::En,
    }
}
