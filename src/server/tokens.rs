//! Participants' tokens. Those a plan does not set are generated (128 random bits)
//! and kept in a file beside the journal that only its owner can read, so that they
//! survive a restart; they never go into the journal, which is handed around.
//!
//! A token is found by its SHA-256 digest in a map, so a `hello` costs the same
//! whatever the plan's size and whatever is sent: no comparison runs over the
//! secret, and the digest leaks nothing a guesser could use. Tokens longer than
//! [`MAX_TOKEN_BYTES`] are refused before they are hashed.

use crate::meeting::Plan;
use crate::protocol::You;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

pub use crate::meeting::plan::MAX_TOKEN_BYTES;

/// Who a relay's viewer is: not a participant of the plan.
pub const AUDIENCE: &str = "audience";

/// What the tokens file is called in a refusal.
const WHAT: &str = "the tokens file";

/// Every participant's token; clones share them, so a walk-in's token made by
/// [`Tokens::add`] is found by every connection at once.
#[derive(Clone)]
pub struct Tokens {
    inner: Arc<RwLock<Inner>>,
    /// Where they are kept, when they are.
    file: Option<PathBuf>,
}

struct Inner {
    entries: Vec<(String, You)>,
    /// SHA-256 of each token → its place in `entries`.
    by_digest: HashMap<[u8; 32], usize>,
}

/// Where a journal's tokens are kept: `<journal>.tokens`.
pub fn path_for(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".tokens");
    PathBuf::from(name)
}

impl Tokens {
    /// The plan's tokens, plus generated ones for everyone else, read from `file`
    /// when an earlier run made them and written there (mode 0600) when new.
    pub fn load_or_create(file: &Path, plan: &Plan) -> io::Result<Tokens> {
        let mut stored = stored(file)?;
        let mut changed = false;
        let mut entries = Vec::new();
        for p in &plan.participants {
            let token = match (&p.token, stored.get(&p.id)) {
                (Some(t), _) => t.clone(),
                (None, Some(t)) => t.clone(),
                (None, None) => {
                    let t = generate()?;
                    stored.insert(p.id.clone(), t.clone());
                    changed = true;
                    t
                }
            };
            entries.push((token, you(p)));
        }
        if changed {
            crate::private::write_map(file, &stored)?;
        }
        Ok(Tokens::new(entries, Some(file.to_path_buf())))
    }

    fn new(entries: Vec<(String, You)>, file: Option<PathBuf>) -> Tokens {
        let by_digest = entries
            .iter()
            .enumerate()
            .map(|(i, (token, _))| (digest(token), i))
            .collect();
        Tokens {
            inner: Arc::new(RwLock::new(Inner { entries, by_digest })),
            file,
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    /// A token for a walk-in (`participant_added`), kept in the file with the others
    /// before anyone can be shown it; the one they have when they have one.
    pub fn add(&self, p: &crate::meeting::plan::Participant) -> io::Result<String> {
        if let Some(token) = self.of(&p.id) {
            return Ok(token);
        }
        let token = generate()?;
        if let Some(file) = &self.file {
            let mut stored = stored(file)?;
            stored.insert(p.id.clone(), token.clone());
            crate::private::write_map(file, &stored)?;
        }
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let at = inner.entries.len();
        inner.by_digest.insert(digest(&token), at);
        inner.entries.push((token.clone(), you(p)));
        Ok(token)
    }

    /// Where they are kept, when they are.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
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
        Tokens::new(vec![(token.to_string(), you)], None)
    }

    /// Fresh tokens for everyone the plan gives none, kept nowhere.
    pub fn generated(plan: &Plan) -> io::Result<Tokens> {
        let mut entries = Vec::new();
        for p in &plan.participants {
            let token = match &p.token {
                Some(t) => t.clone(),
                None => generate()?,
            };
            entries.push((token, you(p)));
        }
        Ok(Tokens::new(entries, None))
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
        if token.len() > MAX_TOKEN_BYTES {
            return None;
        }
        let digest = digest(token);
        let inner = self.read();
        let i = *inner.by_digest.get(&digest)?;
        Some(inner.entries[i].1.clone())
    }

    /// The token of participant `id`.
    pub fn of(&self, id: &str) -> Option<String> {
        self.read()
            .entries
            .iter()
            .find(|(_, you)| you.id == id)
            .map(|(t, _)| t.clone())
    }

    /// Every participant's token, in plan order (walk-ins last), for showing how to
    /// join.
    pub fn all(&self) -> Vec<(String, You)> {
        self.read().entries.clone()
    }
}

/// The tokens kept in `file`, none when there is no file yet.
fn stored(file: &Path) -> io::Result<BTreeMap<String, String>> {
    crate::private::read_map(file, WHAT)
}

fn you(p: &crate::meeting::plan::Participant) -> You {
    You {
        id: p.id.clone(),
        name: p.name.clone(),
        role: p.role,
        department: p.department.clone(),
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
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
