//! What the chair hears before a move that cannot be taken back quietly: leaving a
//! step with someone at the microphone, a registered speaker never called or
//! questions to its departments unanswered; ending a turn that has only just
//! begun (a second `⏎` pressed by habit). Said before, not after.

use super::App;
use crate::meeting::plan::Language;

/// A turn younger than this is not ended on one key: it was most likely a
/// second press of the key that began it.
pub const FRESH_TURN_MS: u64 = 3_000;

impl App {
    /// Why leaving the current step now deserves a second thought, one sentence
    /// each; empty when it does not.
    pub fn leaving_step_warnings(&self) -> Vec<String> {
        let s = &self.state;
        let zh = self.lang == Language::Zh;
        let mut out = Vec::new();
        if let Some(id) = s.speaker() {
            out.push(if zh {
                format!("{} 正在发言：进入下一环节将结束这次发言", self.name(id))
            } else {
                format!("{} has the floor: moving on ends the turn", self.name(id))
            });
        }
        let uncalled: Vec<&str> = s
            .registered_speakers()
            .into_iter()
            .filter(|id| s.speaker() != Some(*id) && !s.step_spoken.iter().any(|x| x == id))
            .map(|id| self.name(id))
            .collect();
        if !uncalled.is_empty() {
            out.push(if zh {
                format!("登记发言尚未点到：{}", uncalled.join("、"))
            } else {
                format!("registered and not yet called: {}", uncalled.join(", "))
            });
        }
        if s.step()
            .is_some_and(|st| st.kind.traits().departments_answer)
        {
            let departments = s.responding_departments();
            let pending = s
                .questions
                .iter()
                .filter(|q| q.is_open())
                .filter(|q| departments.contains(&q.department.as_str()))
                .count();
            if pending > 0 {
                out.push(if zh {
                    format!("还有 {pending} 个提问未答复：离开本环节后转会后跟踪")
                } else {
                    format!("{pending} questions still unanswered: leaving the step carries them to follow-up")
                });
            }
        }
        if let Some(item) = self.called_review() {
            let found = s.reviews.items.get(&item.id);
            if found.is_none_or(|f| f.outcome.is_none()) {
                out.push(if zh {
                    format!("{} 的承诺已点到，尚未记录落实情况", item.department_name)
                } else {
                    format!(
                        "{}'s promise was called and nothing is recorded of it yet",
                        item.department_name
                    )
                });
            }
        }
        out
    }

    /// The speaker whose turn began less than [`FRESH_TURN_MS`] ago.
    pub fn fresh_turn(&self) -> Option<&str> {
        let floor = self.state.floor.as_ref()?;
        (self.now_ms.saturating_sub(floor.since_ms) < FRESH_TURN_MS)
            .then(|| self.name(&floor.speaker))
    }
}
