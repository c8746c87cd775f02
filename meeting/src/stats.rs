//! Statistics derived from the state: speaking time and turns per participant,
//! per sector (界别) and per role, and who has not spoken yet.

use super::plan::Role;
use super::state::State;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Speaking {
    pub turns: u32,
    pub spoken_ms: u64,
    pub overtime_ms: u64,
}

impl Speaking {
    fn add(&mut self, spoken_ms: u64, overtime_ms: u64) {
        self.turns += 1;
        self.spoken_ms += spoken_ms;
        self.overtime_ms += overtime_ms;
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stats {
    /// Every participant who may speak, in plan order.
    pub by_participant: Vec<(String, Speaking)>,
    /// Sectors in order of first appearance in the plan.
    pub by_sector: Vec<(String, Speaking)>,
    pub by_role: Vec<(Role, Speaking)>,
    /// Participants who may speak (not the chair, not observers) and have not yet.
    pub not_spoken: Vec<String>,
}

/// Statistics as of `now`; the turn in progress counts up to `now`.
pub fn stats(state: &State, now: u64) -> Stats {
    let plan = &state.plan;
    let mut per: BTreeMap<&str, Speaking> = BTreeMap::new();
    for t in &state.turns {
        per.entry(&t.participant)
            .or_default()
            .add(t.spoken_ms, t.overtime_ms);
    }
    if let Some(f) = &state.floor {
        per.entry(&f.speaker)
            .or_default()
            .add(f.timer.elapsed_at(now), f.timer.overtime_at(now));
    }
    let mut out = Stats::default();
    let mut sectors: Vec<(String, Speaking)> = Vec::new();
    let mut roles: Vec<(Role, Speaking)> = Vec::new();
    for p in plan.participants.iter().filter(|p| p.role.may_take_part()) {
        let s = per.get(p.id.as_str()).copied().unwrap_or_default();
        out.by_participant.push((p.id.clone(), s));
        if s.turns == 0 && p.role != Role::Chair {
            out.not_spoken.push(p.id.clone());
        }
        if let Some(sector) = &p.sector {
            merge(&mut sectors, sector.clone(), s);
        }
        merge(&mut roles, p.role, s);
    }
    out.by_sector = sectors;
    out.by_role = roles;
    out
}

fn merge<K: PartialEq>(into: &mut Vec<(K, Speaking)>, key: K, s: Speaking) {
    let slot = match into.iter().position(|(k, _)| *k == key) {
        Some(i) => &mut into[i].1,
        None => {
            into.push((key, Speaking::default()));
            &mut into.last_mut().expect("just pushed").1
        }
    };
    slot.turns += s.turns;
    slot.spoken_ms += s.spoken_ms;
    slot.overtime_ms += s.overtime_ms;
}
