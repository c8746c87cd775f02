//! Participants' tokens. Those a plan does not set are generated (128 random bits)
//! and kept in a file beside the journal that only its owner can read, so that they
//! survive a restart; they never go into the journal, which is handed around.
//! Tokens are compared in constant time.

use crate::meeting::Plan;
use crate::protocol::You;
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

#[derive(Clone)]
pub struct Tokens {
    entries: Vec<(String, You)>,
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
        let mut stored: BTreeMap<String, String> = match std::fs::read(file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: {e}", file.display()),
                )
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e),
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
            write_private(
                file,
                &serde_json::to_vec_pretty(&stored).expect("a map serializes"),
            )?;
        }
        Ok(Tokens { entries })
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
        Ok(Tokens { entries })
    }

    /// Who holds this token. Every token is compared, each in constant time, so the
    /// answer takes as long whatever is guessed.
    pub fn find(&self, token: &str) -> Option<&You> {
        let mut found = None;
        for (t, you) in &self.entries {
            if constant_time_eq(t.as_bytes(), token.as_bytes()) {
                found = Some(you);
            }
        }
        found
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    diff == 0
}

/// 128 bits from the kernel's random source, as 32 hex digits.
fn generate() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tokens.tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_when_equal() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn generated_tokens_are_long_and_different() {
        let a = generate().unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, generate().unwrap());
    }
}
