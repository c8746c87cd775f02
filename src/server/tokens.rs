//! Participants' tokens, on the one keyring (`crate::keyring`): those a plan
//! does not set are made and kept in a file beside the journal that only its
//! owner can read, so that they survive a restart; they never go into the
//! journal, which is handed around. A `hello` finds its participant by the
//! token's digest, the same cost whatever the plan's size.

use crate::keyring::Keyring;
use crate::meeting::Plan;
use crate::protocol::You;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

pub use crate::keyring::MAX_TOKEN_BYTES;

/// Who a relay's viewer, or whoever has the hall's link, is: not a
/// participant of the plan (none may have this id).
pub use crate::meeting::plan::AUDIENCE;

/// What the tokens file is called in a refusal.
const WHAT: &str = "the tokens file";

/// Every participant's token; clones share them, so a walk-in's token made by
/// [`Tokens::add`] is found by every connection at once.
#[derive(Clone)]
pub struct Tokens {
    ring: Arc<Keyring>,
    /// Who each participant is, and their order (the plan's, walk-ins last).
    people: Arc<RwLock<People>>,
}

#[derive(Default)]
struct People {
    order: Vec<String>,
    by_id: HashMap<String, You>,
}

impl People {
    fn of(plan: &Plan) -> People {
        let mut people = People::default();
        for p in &plan.participants {
            people.add(you(p));
        }
        // Found by its token, and listed with no one (`all` is the people's).
        people.by_id.insert(AUDIENCE.to_string(), audience(plan));
        people
    }

    fn add(&mut self, you: You) {
        if !self.by_id.contains_key(&you.id) {
            self.order.push(you.id.clone());
        }
        self.by_id.insert(you.id.clone(), you);
    }
}

/// Where a journal's tokens are kept: `<journal>.tokens`.
pub fn path_for(journal: &Path) -> PathBuf {
    crate::keyring::path_for(journal)
}

/// Each participant of `plan` and the token the plan gives them, if any; and
/// the audience's, made like theirs.
fn keys(plan: &Plan) -> impl Iterator<Item = (&str, Option<&str>)> {
    plan.participants
        .iter()
        .map(|p| (p.id.as_str(), p.token.as_deref()))
        .chain([(AUDIENCE, None)])
}

/// The audience: whoever has the hall's link (the projector, the QR code on
/// the wall) watches, and is nobody: not a participant, not present, never
/// counted as attending.
fn audience(plan: &Plan) -> You {
    You {
        id: AUDIENCE.to_string(),
        name: crate::lang::catalogue::of(plan.meeting.language)
            .cli
            .audience
            .to_string(),
        role: crate::meeting::Role::Observer,
        department: None,
    }
}

impl Tokens {
    /// The plan's tokens, plus generated ones for everyone else, read from `file`
    /// when an earlier run made them and written there (mode 0600) when new.
    pub fn load_or_create(file: &Path, plan: &Plan) -> io::Result<Tokens> {
        let ring = Keyring::load_or_create(file, WHAT, keys(plan))?;
        Ok(Tokens::new(ring, People::of(plan)))
    }

    /// The hall's token: the audience's, which lets anyone watch and do
    /// nothing else (a relay's is its `--audience-token`).
    pub fn audience_token(&self) -> Option<String> {
        self.ring.of(AUDIENCE)
    }

    fn new(ring: Keyring, people: People) -> Tokens {
        Tokens {
            ring: Arc::new(ring),
            people: Arc::new(RwLock::new(people)),
        }
    }

    fn people(&self) -> std::sync::RwLockReadGuard<'_, People> {
        self.people.read().unwrap_or_else(|e| e.into_inner())
    }

    /// A token for a walk-in (`participant_added`), kept in the file with the others
    /// before anyone can be shown it; the one they have when they have one.
    pub fn add(&self, p: &crate::meeting::plan::Participant) -> io::Result<String> {
        let token = self.ring.add(&p.id)?;
        self.people
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .add(you(p));
        Ok(token)
    }

    /// Where they are kept, when they are.
    pub fn file(&self) -> Option<&Path> {
        self.ring.file()
    }

    /// A relay's one token: the audience's, a public word (`audience` unless the
    /// relay says otherwise) that lets anyone watch and do nothing else.
    pub fn audience(token: &str, name: &str) -> Tokens {
        let you = You {
            id: AUDIENCE.to_string(),
            name: name.to_string(),
            role: crate::meeting::Role::Observer,
            department: None,
        };
        let ring = Keyring::in_memory([(AUDIENCE, Some(token))])
            .expect("a given token needs no randomness");
        let mut people = People::default();
        people.add(you);
        Tokens::new(ring, people)
    }

    /// Fresh tokens for everyone the plan gives none, kept nowhere.
    pub fn generated(plan: &Plan) -> io::Result<Tokens> {
        Ok(Tokens::new(
            Keyring::in_memory(keys(plan))?,
            People::of(plan),
        ))
    }

    /// What makes a walk-in's token as they are recorded (`participant_added`),
    /// for the hub (`crate::hub::task::spawn_observed`). Should that fail, they have
    /// none until the next start, which makes every missing token.
    pub fn walk_ins(&self) -> crate::hub::task::Observer {
        let tokens = self.clone();
        Box::new(move |entry| {
            if let crate::meeting::EventKind::ParticipantAdded { participant } = &entry.event {
                if let Err(e) = tokens.add(participant) {
                    tracing::error!(
                        participant = %participant.id,
                        "cannot keep the walk-in's token: {e}; it is made again at the next start"
                    );
                }
            }
        })
    }

    /// Who holds this token: one digest and one map lookup, whatever the plan's
    /// size; `None` at once for a token over [`MAX_TOKEN_BYTES`].
    pub fn find(&self, token: &str) -> Option<You> {
        let id = self.ring.find(token)?;
        self.people().by_id.get(&id).cloned()
    }

    /// The token of participant `id`.
    pub fn of(&self, id: &str) -> Option<String> {
        self.ring.of(id)
    }

    /// Every participant's token, in plan order (walk-ins last), for showing how to
    /// join.
    pub fn all(&self) -> Vec<(String, You)> {
        let people = self.people();
        people
            .order
            .iter()
            .filter_map(|id| Some((self.ring.of(id)?, people.by_id.get(id)?.clone())))
            .collect()
    }
}

fn you(p: &crate::meeting::plan::Participant) -> You {
    You {
        id: p.id.clone(),
        name: p.name.clone(),
        role: p.role,
        department: p.department.clone(),
    }
}

/// A fresh token (`private::random_hex`).
pub(crate) fn generate() -> io::Result<String> {
    crate::private::random_hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_by_the_whole_token_only() {
        let plan = crate::meeting::scenario::parse_plan(
            "t.toml",
            "[meeting]\ntitle = \"t\"\n[[participants]]\nid = \"c\"\nname = \"主持人\"\nrole = \"chair\"\ntoken = \"abc\"\n[[agenda]]\ntitle = \"i\"\n[[agenda.steps]]\nkind = \"discuss\"\ntitle = \"s\"\n",
        )
        .unwrap();
        let tokens = Tokens::generated(&plan).unwrap();
        assert_eq!(tokens.find("abc").map(|y| y.id), Some("c".to_string()));
        for wrong in ["abd", "ab", "abcd", "", &"a".repeat(60_000)] {
            assert!(tokens.find(wrong).is_none(), "{wrong:.10}");
        }
    }

    #[test]
    fn generated_tokens_are_long_and_different() {
        let a = generate().unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, generate().unwrap());
    }
}
