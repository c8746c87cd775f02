//! Files only their owner may read: the tokens beside a journal, a TLS key. Read
//! only when they are plain files of this user that no one else can read or change;
//! written so that they are never readable by others, not even for a moment, and
//! never through a link planted in their place.

use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Reads `path` (`what` it is, in a refusal), refusing one that others could read or change: a
/// symbolic link, a file not owned by this user, or one with any permission for
/// the group or others. `None` when there is none.
pub fn read(path: &Path, what: &str) -> io::Result<Option<Vec<u8>>> {
    use std::os::unix::fs::MetadataExt;
    let refuse = |why: String| {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{}: {why}", path.display()),
        ))
    };
    let mut file = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        // ELOOP: a symbolic link where the file should be.
        Err(e) if e.raw_os_error() == Some(40) => {
            return refuse(format!(
            "is a symbolic link; {what} must be a plain file only you can read: remove the link"
        ))
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return refuse("is not a plain file".into());
    }
    if meta.uid() != rustix::process::geteuid().as_raw() {
        return refuse(format!(
            "belongs to another user (uid {}); {what} must be yours alone: remove it to have \
             a new one made",
            meta.uid()
        ));
    }
    if meta.mode() & 0o077 != 0 {
        return refuse(format!(
            "can be read or changed by others (mode {:o}); run chmod 600 on it, or remove \
             it to have a new one made",
            meta.mode() & 0o777
        ));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// Reads a secret file that someone gave by name (a TLS key, NATS credentials):
/// a link is followed (a certificate tool's `live/` folder holds links) and the
/// file may belong to another user who lets this one read it, but a file that
/// its group or others may read or change is refused, saying what to do (the
/// caller names the file).
pub fn read_given(path: &Path, what: &str) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path)?;
    if meta.is_file() && meta.mode() & 0o077 != 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{what} can be read or changed by others (mode {:o}); run chmod 600 on it",
                meta.mode() & 0o777
            ),
        ));
    }
    std::fs::read(path)
}

/// Makes the folder `dir` (and those above it that are missing) for private
/// files: each made owner-only (0700) whatever the umask, so that even the
/// names of what it holds are nobody else's. A folder already there is left as
/// it is.
pub fn make_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    // The umask can only take bits away from 0700, never add any.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Writes `path`: into a new file of a random name that is readable only
/// by its owner from the moment it exists (created exclusively, so a link or file
/// planted under that name is never followed or reused), made durable, then renamed
/// over the old one.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => {
            make_dir(dir)?;
            dir.to_path_buf()
        }
        None => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or("private".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", random_hex()?));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)?;
    let written = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    std::fs::File::open(&dir)?.sync_all()
}
/// A private file of names to secrets (tokens by whose they are), as JSON;
/// empty when there is no file yet.
pub fn read_map(path: &Path, what: &str) -> io::Result<std::collections::BTreeMap<String, String>> {
    Ok(match read(path, what)? {
        Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?,
        None => std::collections::BTreeMap::new(),
    })
}

/// Writes such a map ([`read_map`]), owner-only, as [`write`] does.
pub fn write_map(path: &Path, map: &std::collections::BTreeMap<String, String>) -> io::Result<()> {
    write(
        path,
        &serde_json::to_vec_pretty(map).expect("a map serializes"),
    )
}

/// 128 bits from the kernel's random source, as 32 hex digits: a token, or a
/// name nobody can guess.
pub fn random_hex() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(io::Error::other)?;
    Ok(hex::encode(bytes))
}
