//! Reading a journal back: the header, every complete entry, and whether the last
//! line was torn by a crash.

use super::entry::{Entry, Header, FORMAT, MAGIC};
use super::JournalError;
use std::path::Path;

/// Whether `bytes` (a file with no complete first line) can only be what a crash
/// left of a xieshang journal's header being written: nothing, zeros, or the start
/// of a header line. Anything else is somebody else's file.
pub fn is_torn_header(bytes: &[u8]) -> bool {
    let content = &bytes[..bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1)];
    let start = format!("{{\"journal\":\"{MAGIC}\"");
    let start = start.as_bytes();
    !content.contains(&b'\n')
        && if content.len() <= start.len() {
            start.starts_with(content)
        } else {
            content.starts_with(start)
        }
}

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

impl Torn {
    /// What to say of it, for `journal`.
    pub fn warning(&self, journal: &Path) -> String {
        format!(
            "warning: {}:{}: the last line is incomplete ({}; the recording was cut off, e.g. by a crash) and is left out",
            journal.display(),
            self.line,
            self.reason
        )
    }
}

/// Reads a whole journal. A torn last line is reported in `torn`, not cut: only
/// [`super::Journal::open_or_create`] changes the file.
pub fn read(path: &Path) -> Result<Recording, JournalError> {
    let mut entries = Vec::new();
    let scan = scan(path, |_, entry| entries.push(entry))?;
    Ok(Recording {
        header: scan.header,
        entries,
        torn: scan.torn,
        complete_len: scan.complete_len,
    })
}

/// What a pass over a journal found besides its entries.
pub struct Scan {
    pub header: Header,
    pub torn: Option<Torn>,
    pub complete_len: u64,
    /// The last `seq` in the journal (0 when it holds no event).
    pub last_seq: u64,
}

/// Reads a journal and hands each complete entry, in order, to `each` as it is
/// parsed, without holding them all: for replaying long meetings. The checks are
/// those of [`read`].
pub fn scan(path: &Path, each: impl FnMut(&Header, Entry)) -> Result<Scan, JournalError> {
    let bytes = std::fs::read(path).map_err(|source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &bytes, each)
}

fn parse(
    path: &Path,
    bytes: &[u8],
    mut each: impl FnMut(&Header, Entry),
) -> Result<Scan, JournalError> {
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
    let body = lines.at;
    // Parsing is most of the work of reading a long journal: past a few megabytes
    // the second half is parsed on another thread while this one parses and folds
    // the first, then folds the second.
    let split = if bytes.len() - body > PARALLEL_FROM {
        let middle = body + (bytes.len() - body) / 2;
        bytes[middle..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| middle + i + 1)
    } else {
        bytes.len()
    };
    let mut fold = Fold {
        path,
        header: &header,
        each: &mut each,
        end: bytes.len(),
        last_seq: 0,
        complete_len: body as u64,
        torn: None,
    };
    std::thread::scope(|scope| {
        let second = (split < bytes.len()).then(|| {
            scope.spawn(|| {
                Lines {
                    bytes,
                    at: split,
                    number: 0,
                }
                .map(|line| (parse_line(&line), line))
                .collect::<Vec<_>>()
            })
        });
        let mut first = Lines {
            bytes: &bytes[..split],
            at: body,
            number: 1,
        };
        for line in first.by_ref() {
            fold.take(parse_line(&line), &line)?;
        }
        if let Some(second) = second {
            let lines_before = first.number;
            for (parsed, mut line) in second.join().expect("the parsing thread does not panic") {
                line.number += lines_before;
                fold.take(parsed, &line)?;
            }
        }
        Ok::<(), JournalError>(())
    })?;
    Ok(Scan {
        torn: fold.torn,
        complete_len: fold.complete_len,
        last_seq: fold.last_seq,
        header,
    })
}

/// Reads the entries `after+1 ..= upto` of a journal, in order, and hands them
/// to `each` `chunk` at a time, until `each` returns false: what a client that
/// resumes from far back is sent, and what a publisher catches up from. Lines
/// before them are skipped after reading only their `seq`; what is held at once is
/// one chunk and one line, however long the journal. The entries are those the
/// writer has made durable (`upto` at most the last `seq` recorded); a gap, a
/// line that does not parse or a journal that ends before `upto` is an error.
pub fn read_range(
    path: &Path,
    after: u64,
    upto: u64,
    chunk: usize,
    mut each: impl FnMut(Vec<Entry>) -> bool,
) -> Result<(), JournalError> {
    use std::io::BufRead;
    let io = |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let corrupt = |line: usize, reason: String| JournalError::Corrupt {
        path: path.to_path_buf(),
        line,
        reason,
    };
    if upto <= after {
        return Ok(());
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut reader = std::io::BufReader::with_capacity(64 << 10, file);
    let mut line = Vec::new();
    let mut number = 0;
    let mut expected = after + 1;
    let mut entries = Vec::with_capacity(chunk.min((upto - after) as usize));
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(io)? == 0 {
            break;
        }
        number += 1;
        if number == 1 {
            continue; // the header
        }
        if line.last() != Some(&b'\n') || line.first() == Some(&0) {
            break; // a torn line, or the zeros allocated ahead: the end
        }
        let text = &line[..line.len() - 1];
        if quick_seq(text).is_some_and(|seq| seq < expected) {
            continue;
        }
        let entry: Entry =
            serde_json::from_slice(text).map_err(|e| corrupt(number, e.to_string()))?;
        if entry.seq < expected {
            continue;
        }
        if entry.seq != expected {
            let reason = format!("seq {} where {expected} was expected", entry.seq);
            return Err(corrupt(number, reason));
        }
        expected += 1;
        entries.push(entry);
        let done = expected > upto;
        if entries.len() >= chunk || done {
            let full = std::mem::replace(&mut entries, Vec::with_capacity(chunk));
            if !each(full) || done {
                return Ok(());
            }
        }
    }
    Err(corrupt(
        number + 1,
        format!("the journal ends before event {expected} (up to {upto} was asked)"),
    ))
}

/// The `seq` of an entry line as the writer lays it out (`{"seq":N,…`), read
/// without parsing the rest; `None` for any other layout (which is parsed).
fn quick_seq(text: &[u8]) -> Option<u64> {
    let digits = text.strip_prefix(b"{\"seq\":")?;
    let end = digits.iter().position(|b| !b.is_ascii_digit())?;
    if end == 0 || end > 19 || digits[end] != b',' {
        return None;
    }
    std::str::from_utf8(&digits[..end]).ok()?.parse().ok()
}

/// Journals larger than this are parsed on two threads.
const PARALLEL_FROM: usize = 4 << 20;

fn parse_line(line: &Line<'_>) -> Result<Entry, String> {
    if line.terminated {
        serde_json::from_slice::<Entry>(line.text).map_err(|e| e.to_string())
    } else {
        Err("no end of line".to_string())
    }
}

/// Takes parsed lines in file order: checks `seq`, hands entries on, and tells a
/// torn last line from a corrupt one in the middle.
struct Fold<'a, F> {
    path: &'a Path,
    header: &'a Header,
    each: &'a mut F,
    /// Where the journal's content ends.
    end: usize,
    last_seq: u64,
    complete_len: u64,
    torn: Option<Torn>,
}

impl<F: FnMut(&Header, Entry)> Fold<'_, F> {
    fn take(&mut self, parsed: Result<Entry, String>, line: &Line<'_>) -> Result<(), JournalError> {
        let corrupt = |reason| JournalError::Corrupt {
            path: self.path.to_path_buf(),
            line: line.number,
            reason,
        };
        match parsed {
            Ok(entry) => {
                let expected = self.last_seq + 1;
                if entry.seq != expected {
                    return Err(corrupt(format!(
                        "seq {} where {expected} was expected",
                        entry.seq
                    )));
                }
                self.last_seq = entry.seq;
                (self.each)(self.header, entry);
                self.complete_len = line.end as u64;
                Ok(())
            }
            Err(reason) if line.end >= self.end => {
                self.torn = Some(Torn {
                    line: line.number,
                    bytes: line.text.len() + usize::from(line.terminated),
                    reason,
                });
                Ok(())
            }
            Err(reason) => Err(corrupt(reason)),
        }
    }
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
    /// Offset just past the line (and its end of line) in the file.
    end: usize,
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
            end: self.at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::{Event, EventKind};

    /// A journal of `n` events (the zeros allocated ahead of them left in place).
    fn journal(dir: &Path, n: u64) -> std::path::PathBuf {
        let plan = crate::meeting::scenario::parse_plan(
            "t.toml",
            "[meeting]\ntitle = \"t\"\n[[participants]]\nid = \"c\"\nname = \"主持人\"\nrole = \"chair\"\n[[agenda]]\ntitle = \"i\"\n[[agenda.steps]]\nkind = \"discuss\"\ntitle = \"s\"\n",
        )
        .unwrap();
        let path = dir.join("m.journal");
        let mut j = super::super::Journal::open_or_create(&path, &plan, "00", 1)
            .unwrap()
            .journal;
        let events: Vec<Event> = (0..n)
            .map(|i| Event {
                at_ms: 10 + i,
                actor: Some("c".into()),
                kind: if i % 2 == 0 {
                    EventKind::QueueClosed
                } else {
                    EventKind::QueueOpened
                },
            })
            .collect();
        for batch in events.chunks(7) {
            j.append(batch.to_vec()).unwrap();
        }
        // Kept open: the space allocated ahead is still there, as a live
        // meeting's reader finds it.
        std::mem::forget(j);
        path
    }

    fn seqs(
        path: &Path,
        after: u64,
        upto: u64,
        chunk: usize,
    ) -> Result<Vec<Vec<u64>>, JournalError> {
        let mut chunks = Vec::new();
        read_range(path, after, upto, chunk, |entries| {
            chunks.push(entries.iter().map(|e| e.seq).collect());
            true
        })?;
        Ok(chunks)
    }

    #[test]
    fn a_range_comes_in_chunks_in_order_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal(dir.path(), 50);
        assert_eq!(
            seqs(&path, 40, 50, 4).unwrap(),
            vec![vec![41, 42, 43, 44], vec![45, 46, 47, 48], vec![49, 50]]
        );
        assert_eq!(seqs(&path, 0, 3, 10).unwrap(), vec![vec![1, 2, 3]]);
        assert_eq!(seqs(&path, 7, 7, 10).unwrap(), Vec::<Vec<u64>>::new());
        // Stopped early when asked.
        let mut taken = 0;
        read_range(&path, 0, 50, 5, |_| {
            taken += 1;
            taken < 2
        })
        .unwrap();
        assert_eq!(taken, 2);
        // Further than the journal goes: an error, after what it holds.
        let err = seqs(&path, 45, 60, 100).unwrap_err().to_string();
        assert!(err.contains("ends before event 51"), "{err}");
    }

    #[test]
    fn a_line_laid_out_otherwise_is_parsed_and_a_gap_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal(dir.path(), 5);
        let text = std::fs::read(&path).unwrap();
        let end = text.iter().rposition(|&b| b != 0).unwrap() + 1;
        let text = String::from_utf8(text[..end].to_vec()).unwrap();
        // The same entries with their fields in another order.
        let reordered: String = text
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("{l}\n")
                } else {
                    let v: serde_json::Value = serde_json::from_str(l).unwrap();
                    let e = serde_json::json!({"event": v["event"], "at_ms": v["at_ms"], "actor": v["actor"], "seq": v["seq"]});
                    format!("{e}\n")
                }
            })
            .collect();
        std::fs::write(&path, &reordered).unwrap();
        assert_eq!(seqs(&path, 2, 5, 10).unwrap(), vec![vec![3, 4, 5]]);
        // Event 3 missing.
        let gap: String = reordered
            .lines()
            .filter(|l| !l.contains("\"seq\":3"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, gap).unwrap();
        let err = seqs(&path, 1, 5, 10).unwrap_err().to_string();
        assert!(err.contains("seq 4 where 3 was expected"), "{err}");
    }
}
