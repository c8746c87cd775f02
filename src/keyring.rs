//! Tokens and whose they are: the one keyring of the meeting's participants
//! (`server::tokens`) and of those who reach the office's pages
//! (`office::keys`). A token is 128 random bits in hex, made here; it is kept
//! in a file only its owner may read (`private.rs`), keyed by whose it is
//! (`m01`, `department:fangguan`), never in a journal, a database, a log or a
//! URL's path or query.
//!
//! A token is found by its SHA-256 digest in a map, so finding one costs the
//! same whatever the keyring's size and whatever is sent: no comparison runs
//! over the secret, and the digest leaks nothing a guesser could use. Tokens
//! longer than [`MAX_TOKEN_BYTES`] are refused before they are hashed. A
//! keyring that [`Keyring::watch`]es its file reads it again when another
//! process changed it (cards printed since).

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::time::SystemTime;

pub use crate::meeting::plan::MAX_TOKEN_BYTES;

/// Tokens by whose they are, found by digest.
pub struct Keyring {
    /// Where the made ones are kept, when they are; what it is called in a
    /// refusal.
    file: Option<(PathBuf, &'static str)>,
    /// Whether the file is read again when it changes.
    watching: bool,
    inner: RwLock<Inner>,
}

#[derive(Default)]
struct Inner {
    /// SHA-256 of a token → whose it is.
    by_digest: HashMap<[u8; 32], String>,
    /// Whose → the token.
    tokens: HashMap<String, String>,
    /// The file's modification time when last read.
    read_at: Option<SystemTime>,
}

impl Keyring {
    /// A token for each of `keys` (whose, and a token given for it, as a plan
    /// may): a given one as it is, else the one kept in `file` (`what` it is
    /// called in a refusal), else a new one, kept there (0600) before this
    /// returns.
    pub fn load_or_create<'a>(
        file: &Path,
        what: &'static str,
        keys: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    ) -> io::Result<Keyring> {
        let mut stored = crate::private::read_map(file, what)?;
        let mut changed = false;
        let mut inner = Inner::default();
        for (key, given) in keys {
            let token = match (given, stored.get(key)) {
                (Some(t), _) => t.to_string(),
                (None, Some(t)) => t.clone(),
                (None, None) => {
                    let t = crate::private::random_hex()?;
                    stored.insert(key.to_string(), t.clone());
                    changed = true;
                    t
                }
            };
            inner.insert(key, token);
        }
        if changed {
            crate::private::write_map(file, &stored)?;
        }
        inner.read_at = modified(file);
        Ok(Keyring {
            file: Some((file.to_path_buf(), what)),
            watching: false,
            inner: RwLock::new(inner),
        })
    }

    /// A keyring kept nowhere: the tokens given, and new ones for the rest.
    pub fn in_memory<'a>(
        keys: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    ) -> io::Result<Keyring> {
        let mut inner = Inner::default();
        for (key, given) in keys {
            let token = match given {
                Some(t) => t.to_string(),
                None => crate::private::random_hex()?,
            };
            inner.insert(key, token);
        }
        Ok(Keyring {
            file: None,
            watching: false,
            inner: RwLock::new(inner),
        })
    }

    /// Reads the file again whenever it changed when a token is looked for:
    /// every token in it is found, whoever made it.
    pub fn watch(mut self) -> Keyring {
        self.watching = true;
        self
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Whose `token` is: one digest and one map lookup; `None` at once for an
    /// empty one or one over [`MAX_TOKEN_BYTES`].
    pub fn find(&self, token: &str) -> Option<String> {
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return None;
        }
        if self.watching {
            self.reread_if_changed();
        }
        self.read().by_digest.get(&digest(token)).cloned()
    }

    fn reread_if_changed(&self) {
        let Some((file, what)) = &self.file else {
            return;
        };
        let now = modified(file);
        if now.is_none() || now == self.read().read_at {
            return;
        }
        match crate::private::read_map(file, what) {
            Ok(stored) => {
                let mut inner = self.write();
                for (key, token) in stored {
                    inner.insert(&key, token);
                }
                inner.read_at = now;
            }
            Err(e) => tracing::warn!("{e}; the tokens read before stand"),
        }
    }

    /// The token of `key`, when it has one.
    pub fn of(&self, key: &str) -> Option<String> {
        if self.watching {
            self.reread_if_changed();
        }
        self.read().tokens.get(key).cloned()
    }

    /// The token of `key`: the one it has, else a new one, kept in the file
    /// (when there is one) before anyone can be shown it.
    pub fn add(&self, key: &str) -> io::Result<String> {
        if let Some(token) = self.of(key) {
            return Ok(token);
        }
        let token = crate::private::random_hex()?;
        if let Some((file, what)) = &self.file {
            let mut stored = crate::private::read_map(file, what)?;
            stored.insert(key.to_string(), token.clone());
            crate::private::write_map(file, &stored)?;
        }
        let mut inner = self.write();
        inner.insert(key, token.clone());
        inner.read_at = self.file.as_ref().and_then(|(f, _)| modified(f));
        Ok(token)
    }

    /// Where the made tokens are kept, when they are.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_ref().map(|(f, _)| f.as_path())
    }

    /// Every key and its token, by key.
    pub fn all(&self) -> BTreeMap<String, String> {
        self.read()
            .tokens
            .iter()
            .map(|(k, t)| (k.clone(), t.clone()))
            .collect()
    }
}

impl Inner {
    fn insert(&mut self, key: &str, token: String) {
        if let Some(old) = self.tokens.get(key) {
            if *old == token {
                return;
            }
            let old = digest(old);
            self.by_digest.remove(&old);
        }
        self.by_digest.insert(digest(&token), key.to_string());
        self.tokens.insert(key.to_string(), token);
    }
}

fn modified(file: &Path) -> Option<SystemTime> {
    std::fs::metadata(file).and_then(|m| m.modified()).ok()
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Where a file's tokens are kept: `<file>.tokens` (a journal's, the office's).
pub fn path_for(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".tokens");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_by_the_whole_token_only_made_once_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.tokens");
        let ring = Keyring::load_or_create(&file, "test", [("a", None), ("b", Some("given"))])
            .unwrap()
            .watch();
        let a = ring.of("a").unwrap();
        assert_eq!(a.len(), 32);
        assert_eq!(ring.find(&a).as_deref(), Some("a"));
        assert_eq!(ring.find("given").as_deref(), Some("b"));
        for wrong in ["", &a[..31], &format!("{a}0"), &"a".repeat(10_000)] {
            assert_eq!(ring.find(wrong), None, "{wrong:.12}");
        }
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // A given token is never written down.
        assert!(!std::fs::read_to_string(&file).unwrap().contains("given"));
        // Another start keeps the tokens and adds new ones, which the first,
        // watching its file, finds.
        let again = Keyring::load_or_create(&file, "test", [("a", None), ("c", None)]).unwrap();
        assert_eq!(again.of("a").unwrap(), a);
        let c = again.of("c").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let later = again.add("d").unwrap();
        assert_eq!(ring.find(&c).as_deref(), Some("c"));
        assert_eq!(ring.find(&later).as_deref(), Some("d"));
    }

    #[test]
    fn kept_nowhere_tokens_are_long_and_different() {
        let ring = Keyring::in_memory([("a", None), ("b", None)]).unwrap();
        let (a, b) = (ring.of("a").unwrap(), ring.of("b").unwrap());
        assert_ne!(a, b);
        assert_eq!(ring.file(), None);
        assert_eq!(ring.find(&b).as_deref(), Some("b"));
    }
}
