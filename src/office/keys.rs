//! The register's own tokens: one per department (its page: its items, to
//! acknowledge, add progress, answer) and one per asker (their page: their
//! items, to rate the answer). Made by the register (128 random bits), kept in
//! `<register>.tokens` beside it, owner-only (`private.rs`), never in the
//! database, a log or a URL's path or query: a link carries its token after `#`.
//!
//! A token is found by its SHA-256 in a map, as the meeting's are
//! (`server::tokens`). The file is read again when it changes, so cards printed
//! for a department imported after the server started work at once.

use crate::meeting::followups::Actor;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// Tokens longer than this are refused before they are hashed.
pub const MAX_TOKEN_BYTES: usize = 256;

/// What the file is called in a refusal.
const WHAT: &str = "the register's tokens file";

/// Who holds a token.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Holder {
    Department { id: String, name: String },
    Asker { participant: String, name: String },
}

impl Holder {
    /// Its key in the file: `department:ID` or `asker:ID`.
    fn key(&self) -> String {
        match self {
            Holder::Department { id, .. } => format!("department:{id}"),
            Holder::Asker { participant, .. } => format!("asker:{participant}"),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Holder::Department { name, .. } | Holder::Asker { name, .. } => name,
        }
    }

    /// Who they are to the rules, a person's `name` given (a department's
    /// page says who is working on it; an asker is themselves).
    pub fn actor(&self, name: Option<&str>) -> Actor {
        match self {
            Holder::Department { id, name: dept } => Actor::Department {
                department: id.clone(),
                name: name
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .unwrap_or(dept)
                    .to_string(),
            },
            Holder::Asker { participant, name } => Actor::Asker {
                participant: participant.clone(),
                name: name.clone(),
            },
        }
    }
}

/// Where a register's tokens are kept: `<register>.tokens`.
pub fn path_for(register: &Path) -> PathBuf {
    let mut name = register.as_os_str().to_owned();
    name.push(".tokens");
    PathBuf::from(name)
}

/// The tokens of a register, found by digest, kept in sync with their file.
pub struct Keys {
    file: PathBuf,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The file's modification time when last read.
    read_at: Option<SystemTime>,
    /// SHA-256 of a token → its holder's key.
    by_digest: HashMap<[u8; 32], String>,
    /// Holder key → holder, as the register names them.
    holders: HashMap<String, Holder>,
}

impl Keys {
    /// A token for every one of `holders` that has none in `file` (written
    /// 0600 when any is new); those there already are kept.
    pub fn load_or_create(file: &Path, holders: &[Holder]) -> io::Result<Keys> {
        let mut stored = stored(file)?;
        let mut changed = false;
        for h in holders {
            if let std::collections::btree_map::Entry::Vacant(slot) = stored.entry(h.key()) {
                slot.insert(crate::private::random_hex()?);
                changed = true;
            }
        }
        if changed {
            write(file, &stored)?;
        }
        let keys = Keys {
            file: file.to_path_buf(),
            inner: Mutex::new(Inner::default()),
        };
        {
            let mut inner = keys.lock();
            inner.holders = holders.iter().map(|h| (h.key(), h.clone())).collect();
            inner.load(file, stored)?;
        }
        Ok(keys)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Who holds `token`; `None` for an unknown one, or one over
    /// [`MAX_TOKEN_BYTES`]. The file is read again first if it changed.
    pub fn find(&self, token: &str) -> Option<Holder> {
        if token.len() > MAX_TOKEN_BYTES || token.is_empty() {
            return None;
        }
        let mut inner = self.lock();
        let modified = std::fs::metadata(&self.file)
            .and_then(|m| m.modified())
            .ok();
        if modified.is_some() && modified != inner.read_at {
            match stored(&self.file) {
                Ok(stored) => {
                    if let Err(e) = inner.load(&self.file, stored) {
                        tracing::warn!("{e}");
                    }
                }
                Err(e) => tracing::warn!("{e}; the tokens read before stand"),
            }
        }
        let key = inner.by_digest.get(&digest(token))?;
        inner.holders.get(key).cloned()
    }

    /// Whether `token` is in the file though its holder is not known yet (made
    /// by another process for items imported since): then [`Keys::know`] the
    /// register's holders and ask again.
    pub fn unknown_holder(&self, token: &str) -> bool {
        if token.len() > MAX_TOKEN_BYTES {
            return false;
        }
        let inner = self.lock();
        inner
            .by_digest
            .get(&digest(token))
            .is_some_and(|key| !inner.holders.contains_key(key))
    }

    /// Learns holders the register names now (after an import).
    pub fn know(&self, holders: &[Holder]) {
        let mut inner = self.lock();
        for h in holders {
            inner.holders.insert(h.key(), h.clone());
        }
    }

    /// The token of `holder`, when it has one.
    pub fn of(&self, holder: &Holder) -> io::Result<Option<String>> {
        Ok(stored(&self.file)?.remove(&holder.key()))
    }
}

impl Inner {
    fn load(&mut self, file: &Path, stored: BTreeMap<String, String>) -> io::Result<()> {
        self.by_digest = stored
            .into_iter()
            .map(|(key, token)| (digest(&token), key))
            .collect();
        self.read_at = std::fs::metadata(file).and_then(|m| m.modified()).ok();
        Ok(())
    }
}

fn stored(file: &Path) -> io::Result<BTreeMap<String, String>> {
    crate::private::read_map(file, WHAT)
}

fn write(file: &Path, stored: &BTreeMap<String, String>) -> io::Result<()> {
    crate::private::write_map(file, stored)
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dept(id: &str) -> Holder {
        Holder::Department {
            id: id.into(),
            name: format!("部门{id}"),
        }
    }

    #[test]
    fn made_once_found_by_the_whole_token_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("register.db.tokens");
        let keys = Keys::load_or_create(&file, &[dept("d1"), dept("d2")]).unwrap();
        let token = keys.of(&dept("d1")).unwrap().unwrap();
        assert_eq!(token.len(), 32);
        assert_eq!(keys.find(&token), Some(dept("d1")));
        for wrong in ["", &token[..31], &format!("{token}0"), &"a".repeat(10_000)] {
            assert_eq!(keys.find(wrong), None, "{wrong:.12}");
        }
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // A second start keeps the tokens and adds the new holder's.
        let again = Keys::load_or_create(&file, &[dept("d1"), dept("d3")]).unwrap();
        assert_eq!(again.of(&dept("d1")).unwrap().unwrap(), token);
        let third = again.of(&dept("d3")).unwrap().unwrap();
        // The first process sees the new token once it knows the holder.
        keys.know(&[dept("d3")]);
        assert_eq!(keys.find(&third), Some(dept("d3")));
    }
}
