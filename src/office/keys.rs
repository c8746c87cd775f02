//! The office's own tokens, on the one keyring (`crate::keyring`): one per
//! department (its page: its items, to acknowledge, add progress, answer), one
//! per person (an asker's page: their items, to rate the answer; and their
//! topics: to propose, co-sign, support, give an opinion), one per seat that
//! asked with no roster person, and one per contact point (its staff enter
//! residents' topics). Made by the
//! office, kept in `<register>.tokens` beside its file, owner-only, never in
//! the database, a log or a URL's path or query: a link carries its token after
//! `#`. The file is read again when it changes, so cards printed for a
//! department imported after the server started work at once.

use crate::keyring::Keyring;
use crate::meeting::followups::Actor;
use crate::meeting::roster::Who;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What the file is called in a refusal.
const WHAT: &str = "the register's tokens file";

/// Who holds a token.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Holder {
    Department {
        id: String,
        name: String,
    },
    /// Someone who asked: a roster person, or a seat of one meeting, across
    /// every meeting they asked in.
    Asker {
        who: Who,
        name: String,
    },
    /// A contact point or members' work station (联系点), by its roster id: its
    /// staff write residents' proposals down.
    ContactPoint {
        id: String,
        name: String,
    },
}

impl Holder {
    /// Its key in the file: `department:ID`, `asker:person:ID` or
    /// `asker:seat:MEETING/PARTICIPANT`.
    fn key(&self) -> String {
        match self {
            Holder::Department { id, .. } => format!("department:{id}"),
            Holder::Asker { who, .. } => format!("asker:{who}"),
            Holder::ContactPoint { id, .. } => format!("contact_point:{id}"),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Holder::Department { name, .. }
            | Holder::Asker { name, .. }
            | Holder::ContactPoint { name, .. } => name,
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
            Holder::Asker { who, name } => Actor::Asker {
                who: who.clone(),
                name: name.clone(),
            },
            // A contact point acts on topics only (`topic_actor`); on an item,
            // as the one who wrote.
            Holder::ContactPoint { id, name: point } => Actor::Department {
                department: id.clone(),
                name: point.clone(),
            },
        }
    }

    /// The roster person holding it, when a person.
    pub fn person(&self) -> Option<&str> {
        match self {
            Holder::Asker {
                who: Who::Person(id),
                ..
            } => Some(id),
            _ => None,
        }
    }
}

impl super::Office {
    /// Everyone the office gives a token: the register's departments and
    /// askers, every roster person (one token a person, the one their asker's
    /// page has too), and every contact point.
    pub fn holders(&self) -> anyhow::Result<Vec<Holder>> {
        let mut holders = self.register_holders()?;
        let mut known: std::collections::HashSet<String> =
            holders.iter().map(Holder::key).collect();
        for p in self.people()? {
            let h = Holder::Asker {
                who: Who::Person(p.id),
                name: p.name,
            };
            if known.insert(h.key()) {
                holders.push(h);
            }
        }
        for o in self.organisations()? {
            if o.kind == crate::meeting::roster::OrgKind::ContactPoint {
                holders.push(Holder::ContactPoint {
                    id: o.id,
                    name: o.name,
                });
            }
        }
        Ok(holders)
    }
}

/// Where the office's tokens are kept: `<register>.tokens`.
pub fn path_for(register: &Path) -> PathBuf {
    crate::keyring::path_for(register)
}

/// The office's tokens, and whose each is.
pub struct Keys {
    ring: Keyring,
    /// Holder key → holder, as the office names them.
    holders: Mutex<HashMap<String, Holder>>,
}

impl Keys {
    /// A token for every one of `holders` that has none in `file` (written
    /// 0600 when any is new); those there already are kept.
    pub fn load_or_create(file: &Path, holders: &[Holder]) -> io::Result<Keys> {
        let keys: Vec<String> = holders.iter().map(Holder::key).collect();
        let ring =
            Keyring::load_or_create(file, WHAT, keys.iter().map(|k| (k.as_str(), None)))?.watch();
        Ok(Keys {
            ring,
            holders: Mutex::new(holders.iter().map(|h| (h.key(), h.clone())).collect()),
        })
    }

    fn holders(&self) -> std::sync::MutexGuard<'_, HashMap<String, Holder>> {
        self.holders.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Who holds `token`; `None` for an unknown one, or one over
    /// `MAX_TOKEN_BYTES`. The file is read again first if it changed.
    pub fn find(&self, token: &str) -> Option<Holder> {
        let key = self.ring.find(token)?;
        self.holders().get(&key).cloned()
    }

    /// Whether `token` is in the file though its holder is not known yet (made
    /// by another process for items imported since): then [`Keys::know`] the
    /// office's holders and ask again.
    pub fn unknown_holder(&self, token: &str) -> bool {
        self.ring
            .find(token)
            .is_some_and(|key| !self.holders().contains_key(&key))
    }

    /// Learns holders the office names now (after an import).
    pub fn know(&self, holders: &[Holder]) {
        let mut known = self.holders();
        for h in holders {
            known.insert(h.key(), h.clone());
        }
    }

    /// The token of `holder`, when it has one.
    pub fn of(&self, holder: &Holder) -> Option<String> {
        self.ring.of(&holder.key())
    }
}

/// What settling an older office's askers' tokens did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Settled {
    /// Bare ids asked under in one meeting only: the token kept, now that
    /// meeting's seat's.
    pub kept: Vec<String>,
    /// Bare ids asked under in several meetings (and how many): the token
    /// revoked; each of those seats has a token of its own once cards are
    /// printed.
    pub revoked: Vec<(String, usize)>,
}

impl super::Office {
    /// Tokens an older office gave askers by their bare participant id
    /// (`asker:m01`), which every plan gives to someone else: an id asked
    /// under in one meeting only becomes that meeting's seat, its token kept;
    /// one asked under in several is revoked, so that no one reaches another's
    /// promises. Nothing to do, and nothing read, once settled.
    pub(super) fn settle_bare_askers(&self) -> anyhow::Result<Settled> {
        let file = path_for(self.path());
        let mut stored = crate::private::read_map(&file, WHAT)?;
        let bare: Vec<String> = stored
            .keys()
            .filter_map(|k| k.strip_prefix("asker:"))
            .filter(|id| !id.starts_with("person:") && !id.starts_with("seat:"))
            .map(String::from)
            .collect();
        let mut settled = Settled::default();
        if bare.is_empty() {
            return Ok(settled);
        }
        let mut meetings = self.conn.prepare(
            "SELECT DISTINCT json_extract(body, '$.origin.journal_id') FROM items
             WHERE json_extract(body, '$.origin.asker.participant') = ?1
               AND json_extract(body, '$.origin.asker.person') IS NULL",
        )?;
        for id in bare {
            let found: Vec<String> = meetings
                .query_map([&id], |r| r.get::<_, String>(0))?
                .collect::<Result<_, _>>()?;
            let token = stored.remove(&format!("asker:{id}"));
            match (found.as_slice(), token) {
                ([meeting], Some(token)) => {
                    let who = Who::of(meeting, &id, None);
                    stored.entry(format!("asker:{who}")).or_insert(token);
                    settled.kept.push(id);
                }
                (several, _) => settled.revoked.push((id, several.len())),
            }
        }
        crate::private::write_map(&file, &stored)?;
        Ok(settled)
    }
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
        let token = keys.of(&dept("d1")).unwrap();
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
        assert_eq!(again.of(&dept("d1")).unwrap(), token);
        let third = again.of(&dept("d3")).unwrap();
        // The first process sees the new token once it knows the holder.
        keys.know(&[dept("d3")]);
        assert_eq!(keys.find(&third), Some(dept("d3")));
    }
}
