//! The broadcast trusts only its publisher. The chair's server signs every
//! message it publishes (Ed25519, `ring`) with a key made once and kept beside the
//! journal, owner-only (`<journal>.publisher.key`); relays are given its public key
//! (`--publisher-key`, printed by `serve --nats` and kept in
//! `<journal>.publisher.pub`) and never apply a message whose signature fails.
//!
//! What is signed is the subject and the payload (`SUBJECT \n PAYLOAD`), so a
//! message cannot be moved to another meeting's subject. The deduplication id of
//! an event (`Nats-Msg-Id`) is made from the key too, so nobody without it can
//! take an event's id first and have the real one dropped as a duplicate; it is
//! the same for the same `seq` however often the event is published again.

use ring::signature::{self, Ed25519KeyPair, KeyPair};
use std::path::{Path, PathBuf};

/// The NATS header that carries a message's signature (hex).
pub const HEADER: &str = "Xieshang-Signature";
/// The NATS header of a meeting's header message that names the key it is
/// signed with (hex): a stream holding another meeting is told by it.
pub const KEY_HEADER: &str = "Xieshang-Key";

/// The publisher's key pair.
pub struct Signer {
    pair: Ed25519KeyPair,
    /// A secret made from the private key, for message ids (an HMAC costs a
    /// microsecond where a signature costs fifty).
    ids: ring::hmac::Key,
}

/// A publisher's public key, as relays are given it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey([u8; 32]);

/// Where a journal's publisher key is kept, and its public half.
pub fn paths_for(journal: &Path) -> (PathBuf, PathBuf) {
    let with = |ext: &str| {
        let mut p = journal.as_os_str().to_owned();
        p.push(ext);
        PathBuf::from(p)
    };
    (with(".publisher.key"), with(".publisher.pub"))
}

fn signed_bytes(subject: &str, payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(subject.len() + 1 + payload.len());
    bytes.extend_from_slice(subject.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(payload);
    bytes
}

impl Signer {
    /// The key kept beside `journal`, made (owner-only) when there is none yet;
    /// its public half is written beside it for whoever starts relays.
    pub fn for_journal(journal: &Path) -> anyhow::Result<Signer> {
        let (private, public) = paths_for(journal);
        let what = "the publisher's key";
        let signer = match crate::private::read(&private, what)? {
            Some(pkcs8) => Signer::from_pkcs8(&pkcs8).map_err(|e| {
                anyhow::anyhow!(
                    "{}: not a publisher key ({e}); remove it to have a new one made (relays \
                     then need the new public key)",
                    private.display()
                )
            })?,
            None => {
                let rng = ring::rand::SystemRandom::new();
                let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng)
                    .map_err(|_| anyhow::anyhow!("cannot make a publisher key"))?;
                crate::private::write(&private, pkcs8.as_ref())?;
                Signer::from_pkcs8(pkcs8.as_ref()).map_err(anyhow::Error::msg)?
            }
        };
        let text = format!("{}\n", signer.public().to_hex());
        if std::fs::read_to_string(&public).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&public, text)?;
        }
        Ok(signer)
    }

    fn from_pkcs8(pkcs8: &[u8]) -> Result<Signer, String> {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8).map_err(|e| e.to_string())?;
        let secret = ring::digest::digest(
            &ring::digest::SHA256,
            &[b"xieshang message ids\n".as_slice(), pkcs8].concat(),
        );
        let ids = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_ref());
        Ok(Signer { pair, ids })
    }

    pub fn public(&self) -> PublicKey {
        let mut key = [0u8; 32];
        key.copy_from_slice(self.pair.public_key().as_ref());
        PublicKey(key)
    }

    /// The signature of `payload` on `subject`, in hex.
    pub fn sign(&self, subject: &str, payload: &[u8]) -> String {
        hex::encode(self.pair.sign(&signed_bytes(subject, payload)).as_ref())
    }

    /// The deduplication id of event `seq` on `subject`: the same every time,
    /// and only the key's holder can tell it beforehand (an HMAC keyed by a
    /// secret made from the private key).
    pub fn message_id(&self, subject: &str, seq: u64) -> String {
        let tag = ring::hmac::sign(&self.ids, format!("{subject}\n{seq}").as_bytes());
        format!("{seq}-{}", hex::encode(&tag.as_ref()[..12]))
    }

    /// The `seq` a deduplication id on `subject` was made for by this key
    /// ([`Signer::message_id`], or that id with a suffix: an event published
    /// again under a fresh id), or `None` for any other id. Nobody without the
    /// key can make one, so a message that carries one was published by this
    /// key's holder, or is a copy of such a message.
    pub fn seq_of_id(&self, subject: &str, id: &str) -> Option<u64> {
        let (seq, _) = id.split_once('-')?;
        let seq: u64 = seq.parse().ok()?;
        let made = self.message_id(subject, seq);
        let rest = id.strip_prefix(made.as_str())?;
        (rest.is_empty() || rest.starts_with('-')).then_some(seq)
    }
}

impl PublicKey {
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// A key as `--publisher-key` takes it: its 64 hex digits, or a file holding
    /// them (`<journal>.publisher.pub`).
    pub fn parse(text: &str) -> Result<PublicKey, String> {
        let trimmed = text.trim();
        if let Some(key) = PublicKey::from_hex(trimmed) {
            return Ok(key);
        }
        match std::fs::read_to_string(trimmed) {
            Ok(content) => PublicKey::from_hex(content.trim()).ok_or_else(|| {
                format!(
                    "{}: not a publisher key (64 hex digits, as serve --nats prints)",
                    crate::text::shown(trimmed)
                )
            }),
            Err(_) => Err(format!(
                "\"{}\" is neither a publisher key (64 hex digits, as serve --nats prints) nor a \
                 file holding one",
                crate::text::shown(trimmed)
            )),
        }
    }

    /// A key from its 64 hex digits only (never a file: what a message on the
    /// stream names is read with this).
    pub fn from_hex(text: &str) -> Option<PublicKey> {
        let bytes = hex::decode(text).ok()?;
        let key: [u8; 32] = bytes.try_into().ok()?;
        Some(PublicKey(key))
    }

    /// Whether `signature` (hex) is this key's for `payload` on `subject`.
    pub fn verifies(&self, subject: &str, payload: &[u8], signature: &str) -> bool {
        let Ok(sig) = hex::decode(signature.trim()) else {
            return false;
        };
        signature::UnparsedPublicKey::new(&signature::ED25519, &self.0)
            .verify(&signed_bytes(subject, payload), &sig)
            .is_ok()
    }

    /// Whether a NATS message (its subject, payload and headers) is signed by
    /// this key.
    pub fn signed(
        &self,
        subject: &str,
        payload: &[u8],
        headers: Option<&async_nats::HeaderMap>,
    ) -> bool {
        headers
            .and_then(|h| h.get(HEADER))
            .is_some_and(|sig| self.verifies(subject, payload, sig.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_subject_and_payload_only() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("m.journal");
        let signer = Signer::for_journal(&journal).unwrap();
        let key = signer.public();
        let sig = signer.sign("xieshang.m.events", b"{\"seq\":1}");
        assert!(key.verifies("xieshang.m.events", b"{\"seq\":1}", &sig));
        assert!(!key.verifies("xieshang.m.events", b"{\"seq\":2}", &sig));
        assert!(!key.verifies("xieshang.other.events", b"{\"seq\":1}", &sig));
        assert!(!key.verifies("xieshang.m.events", b"{\"seq\":1}", "zz"));
        // Kept: the same key next time, its public half beside it.
        let again = Signer::for_journal(&journal).unwrap();
        assert_eq!(again.public(), key);
        let (private, public) = paths_for(&journal);
        assert_eq!(
            PublicKey::parse(&public.display().to_string()),
            Ok(key.clone())
        );
        assert_eq!(PublicKey::parse(&key.to_hex()), Ok(key));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the private key is its owner's alone");
        assert!(PublicKey::parse("abc").is_err());
    }

    #[test]
    fn message_ids_are_the_same_for_a_seq_and_unlike_for_another() {
        let dir = tempfile::tempdir().unwrap();
        let signer = Signer::for_journal(&dir.path().join("m.journal")).unwrap();
        let other = Signer::for_journal(&dir.path().join("n.journal")).unwrap();
        let s = "xieshang.m.events";
        assert_eq!(signer.message_id(s, 7), signer.message_id(s, 7));
        assert_ne!(signer.message_id(s, 7), signer.message_id(s, 8));
        assert_ne!(signer.message_id(s, 7), other.message_id(s, 7));
        assert!(signer.message_id(s, 7).starts_with("7-"));
        assert_eq!(signer.seq_of_id(s, &signer.message_id(s, 7)), Some(7));
        let fresh = format!("{}-0a1b", signer.message_id(s, 7));
        assert_eq!(signer.seq_of_id(s, &fresh), Some(7));
        assert_eq!(signer.seq_of_id(s, &other.message_id(s, 7)), None);
        assert_eq!(
            signer.seq_of_id("xieshang.n.events", &signer.message_id(s, 7)),
            None
        );
        let longer = format!("{}0", signer.message_id(s, 7));
        for id in ["7", "7-", "x-1", "", &longer] {
            assert_eq!(signer.seq_of_id(s, id), None, "{id}");
        }
    }
}
