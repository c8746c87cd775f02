//! Polls of `evaluate` steps (民主评事 / 满意度测评): one vote per person per target,
//! a new vote replacing the old.

use super::plan::PollPlan;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Poll {
    pub open: bool,
    /// (target, voter) to choice; the target is `None` for an overall rating.
    #[serde(with = "votes_as_list")]
    pub votes: BTreeMap<(Option<String>, String), String>,
    /// A secret poll's tallies as its closing told them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revealed: Option<Vec<Tally>>,
}

/// The counts for one target, in the plan's order of choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub target: Option<String>,
    pub counts: Vec<(String, usize)>,
    pub voters: usize,
}

impl Poll {
    pub fn vote(&self, target: Option<&str>, voter: &str) -> Option<&str> {
        self.votes
            .get(&(target.map(String::from), voter.to_string()))
            .map(String::as_str)
    }

    /// The results anyone may see now: an open ballot's at any time; a secret one's
    /// only once closed (as its closing told them), `None` while it is open.
    pub fn shown_results(&self, plan: &PollPlan) -> Option<Vec<Tally>> {
        match (plan.secret, self.open) {
            (false, _) => Some(self.results(plan)),
            (true, true) => None,
            (true, false) => Some(self.revealed.clone().unwrap_or_else(|| self.results(plan))),
        }
    }

    /// How many have voted (on any target): what a secret poll shows while open.
    pub fn turnout(&self) -> usize {
        let voters: std::collections::BTreeSet<&String> =
            self.votes.keys().map(|(_, voter)| voter).collect();
        voters.len()
    }

    /// Results per target (or one overall), every choice counted, zeros included.
    pub fn results(&self, plan: &PollPlan) -> Vec<Tally> {
        let targets: Vec<Option<String>> = if plan.targets.is_empty() {
            vec![None]
        } else {
            plan.targets.iter().cloned().map(Some).collect()
        };
        targets
            .into_iter()
            .map(|target| {
                let mut counts: Vec<(String, usize)> =
                    plan.choices.iter().map(|c| (c.clone(), 0)).collect();
                let mut voters = 0;
                for ((t, _), choice) in &self.votes {
                    if *t == target {
                        voters += 1;
                        if let Some(slot) = counts.iter_mut().find(|(c, _)| c == choice) {
                            slot.1 += 1;
                        }
                    }
                }
                Tally {
                    target,
                    counts,
                    voters,
                }
            })
            .collect()
    }
}

/// JSON maps need string keys: votes travel as `[[target, voter, choice], …]`.
mod votes_as_list {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::collections::BTreeMap;

    type Votes = BTreeMap<(Option<String>, String), String>;

    pub fn serialize<S: Serializer>(votes: &Votes, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            votes
                .iter()
                .map(|((target, voter), choice)| (target, voter, choice)),
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Votes, D::Error> {
        let list: Vec<(Option<String>, String, String)> = Vec::deserialize(d)?;
        Ok(list.into_iter().map(|(t, v, c)| ((t, v), c)).collect())
    }
}
