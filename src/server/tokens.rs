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

pub use crate::meeting::plan::MAX_TOKEN_BYTES;

/// What the tokens file is called in a refusal.
const WHAT: &str = "the tokens file";

#[derive(Clone)]
pub struct Tokens {
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
        let mut stored: BTreeMap<String, String> = match crate::private::read(file, WHAT)? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: {e}", file.display()),
                )
            })?,
            None => BTreeMap::new(),
        };
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
            crate::private::write(
                file,
                &serde_json::to_vec_pretty(&stored).expect("a map serializes"),
            )?;
        }
        Ok(Tokens::new(entries))
    }

    fn new(entries: Vec<(String, You)>) -> Tokens {
        let by_digest = entries
            .iter()
            .enumerate()
            .map(|(i, (token, _))| (digest(token), i))
            .collect();
        Tokens { entries, by_digest }
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
        Ok(Tokens::new(entries))
    }

    /// Who holds this token: one digest and one map lookup, whatever the plan's
    /// size; `None` at once for a token over [`MAX_TOKEN_BYTES`].
    pub fn find(&self, token: &str) -> Option<&You> {
        if token.len() > MAX_TOKEN_BYTES {
            return None;
        }
        let i = *self.by_digest.get(&digest(token))?;
        Some(&self.entries[i].1)
    }

    /// The token of participant `id`.
    pub fn of(&self, id: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(_, you)| you.id == id)
            .map(|(t, _)| t.as_str())
    }

    /// Every participant's token, in plan order, for showing how to join.
    pub fn all(&self) -> impl Iterator<Item = (&str, &You)> {
        self.entries.iter().map(|(t, y)| (t.as_str(), y))
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

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// 128 bits from the kernel's random source, as 32 hex digits.
pub(crate) fn generate() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(io::Error::other)?;
    Ok(hex::encode(bytes))
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
        assert_eq!(tokens.find("abc").map(|y| y.id.as_str()), Some("c"));
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
