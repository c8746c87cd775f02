//! Reading a journal back: the header, every complete entry, and whether the last
//! line was torn by a crash.

use super::entry::{Entry, Header, FORMAT, MAGIC};
use super::JournalError;
use std::path::Path;

/// What a journal file holds.
#[derive(Debug)]
pub struct Recording {
    pub header: Header,
    pub entries: Vec<Entry>,
    /// A torn last line, if a crash left one (it is not in `entries`).
    pub torn: Option<Torn>,
    /// Bytes of the file up to the end of the last complete line.
    pub complete_len: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Torn {
    /// 1-based line number.
    pub line: usize,
    pub bytes: usize,
    pub reason: String,
}

/// Reads a whole journal. A torn last line is reported in `torn`, not cut: only
/// [`super::Journal::open_or_create`] changes the file.
pub fn read(path: &Path) -> Result<Recording, JournalError> {
    let bytes = std::fs::read(path).map_err(|source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &bytes)
}

fn parse(path: &Path, bytes: &[u8]) -> Result<Recording, JournalError> {
    // Zeros allocated ahead of the writes are not part of the journal.
    let bytes = &bytes[..bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1)];
    let mut lines = Lines {
        bytes,
        at: 0,
        number: 0,
    };
    let Some(first) = lines.next() else {
        return Err(JournalError::Empty {
            path: path.to_path_buf(),
        });
    };
    if !first.terminated {
        // A crash while the header was written: nothing was ever recorded.
        return Err(JournalError::Empty {
            path: path.to_path_buf(),
        });
    }
    let header = parse_header(path, first.text)?;
    let mut entries: Vec<Entry> = Vec::new();
    let mut complete_len = lines.at as u64;
    let mut torn = None;
    while let Some(line) = lines.next() {
        let parsed = if line.terminated {
            serde_json::from_slice::<Entry>(line.text).map_err(|e| e.to_string())
        } else {
            Err("no end of line".to_string())
        };
        let is_last = lines.at >= bytes.len();
        match parsed {
            Ok(entry) => {
                let expected = entries.last().map_or(1, |e| e.seq + 1);
                if entry.seq != expected {
                    return Err(JournalError::Corrupt {
                        path: path.to_path_buf(),
                        line: line.number,
                        reason: format!("seq {} where {expected} was expected", entry.seq),
                    });
                }
                entries.push(entry);
                complete_len = lines.at as u64;
            }
            Err(reason) if is_last => {
                torn = Some(Torn {
                    line: line.number,
                    bytes: line.text.len() + usize::from(line.terminated),
                    reason,
                });
            }
            Err(reason) => {
                return Err(JournalError::Corrupt {
                    path: path.to_path_buf(),
                    line: line.number,
                    reason,
                })
            }
        }
    }
    Ok(Recording {
        header,
        entries,
        torn,
        complete_len,
    })
}

fn parse_header(path: &Path, text: &[u8]) -> Result<Header, JournalError> {
    let not_a_journal = |reason: String| JournalError::NotAJournal {
        path: path.to_path_buf(),
        reason,
    };
    let value: serde_json::Value = serde_json::from_slice(text)
        .map_err(|e| not_a_journal(format!("the first line is not JSON: {e}")))?;
    if value.get("journal").and_then(|v| v.as_str()) != Some(MAGIC) {
        return Err(not_a_journal(format!(
            "the first line has no \"journal\": \"{MAGIC}\""
        )));
    }
    let format = value.get("format").and_then(|v| v.as_u64()).unwrap_or(0);
    if format != u64::from(FORMAT) {
        return Err(JournalError::Format {
            path: path.to_path_buf(),
            found: format as u32,
        });
    }
    let mut header: Header = serde_json::from_value(value)
        .map_err(|e| not_a_journal(format!("the header is incomplete: {e}")))?;
    header.plan.reindex();
    Ok(header)
}

struct Line<'a> {
    number: usize,
    text: &'a [u8],
    terminated: bool,
}

struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    number: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let rest = &self.bytes[self.at..];
        self.number += 1;
        let (text, terminated) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (&rest[..end], true),
            None => (rest, false),
        };
        self.at += text.len() + usize::from(terminated);
        Some(Line {
            number: self.number,
            text,
            terminated,
        })
    }
}
