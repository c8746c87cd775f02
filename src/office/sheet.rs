//! Spreadsheets, as a secretariat has them: CSV saved by Excel or WPS.
//!
//! In: UTF-8 with or without a byte-order mark, or GB18030 (which holds GBK,
//! what a Chinese Excel writes by default); every row with the line it began
//! on, so a problem is said as FILE:LINE. Out: UTF-8 with a byte-order mark and
//! CRLF, so Excel opens it with its Chinese intact; every cell quoted, and a
//! cell a spreadsheet would take for a formula (`=`, `+`, `-`, `@`) opened
//! with an apostrophe.

/// How a file's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
}

/// The text of a spreadsheet's bytes: UTF-8 (its byte-order mark dropped),
/// else GB18030; `None` when it is neither.
pub fn decode(bytes: &[u8]) -> Option<(String, Encoding)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some((text.to_string(), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!had_errors).then(|| (text.into_owned(), Encoding::Gb18030))
}

/// A row of a sheet: the line it began on (1 is the header's), its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// The header and the rows of a CSV text; blank rows left out. A row the CSV
/// reader cannot read (an unclosed quote) is an error at its line.
pub fn rows(text: &str) -> Result<(Vec<String>, Vec<Row>), (u64, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut out = Vec::new();
    // Lines counted from where the last row began, not from the top each time.
    let mut lines = Lines::default();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(text, p.byte()));
                return Err((line, e.to_string()));
            }
        }
        // The line it begins on, counted from its byte offset: the reader's
        // own count passes over blank lines.
        let line = record.position().map_or(0, |p| lines.at(text, p.byte()));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match header {
            None => header = Some(cells),
            Some(_) => out.push(Row { line, cells }),
        }
    }
    Ok((header.unwrap_or_default(), out))
}

/// Line numbers of byte offsets that only move forward.
#[derive(Default)]
struct Lines {
    /// The last offset asked, and the line breaks before it.
    byte: usize,
    breaks: u64,
}

impl Lines {
    /// The line (from 1) of the first thing that is not a line break at or
    /// after byte `at` of `text` (a record's position is where the blank lines
    /// before it begin).
    fn at(&mut self, text: &str, at: u64) -> u64 {
        let bytes = text.as_bytes();
        let mut at = (at as usize).min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        if at < self.byte {
            *self = Lines::default();
        }
        self.breaks += bytes[self.byte..at].iter().filter(|&&b| b == b'\n').count() as u64;
        self.byte = at;
        1 + self.breaks
    }
}

/// A CSV cell: quoted, quotes doubled, a would-be formula defused, and what
/// would drive a terminal it is printed on shown as the consoles show it
/// (`text::shown_lines`: line breaks kept).
pub fn cell(text: &str) -> String {
    let text = crate::text::shown_lines(text);
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A whole CSV file for Excel: the byte-order mark, then each row of cells
/// ended by CRLF.
pub fn write<I, R, C>(rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut out = String::from("\u{feff}");
    for row in rows {
        let cells: Vec<String> = row.into_iter().map(|c| cell(c.as_ref())).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_a_mark_and_gbk_read_the_same() {
        let text = "姓名,界别\n林志远,民建\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        for (bytes, enc) in [
            (text.as_bytes().to_vec(), Encoding::Utf8),
            (
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                Encoding::Utf8,
            ),
            (gbk.into_owned(), Encoding::Gb18030),
        ] {
            assert_eq!(decode(&bytes), Some((text.to_string(), enc)));
        }
        assert_eq!(decode(b"\xff\xfe\x00"), None);
    }

    #[test]
    fn rows_keep_their_lines_across_quoted_line_breaks_and_blank_rows() {
        let (header, rows) = rows("姓名,备注\n\"林\",\"两\n行\"\n\n王,x\n").unwrap();
        assert_eq!(header, ["姓名", "备注"]);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].cells, ["林", "两\n行"]);
        assert_eq!(rows[1].line, 5, "{rows:?}");
        let bad = super::rows("a\n\"unclosed\n");
        assert!(bad.is_ok() || bad.unwrap_err().0 >= 1);
    }

    #[test]
    fn what_is_written_reads_back_and_formulas_are_defused() {
        let out = write([vec!["编号", "名称"], vec!["=1+1", "a\"b"]]);
        assert!(out.starts_with('\u{feff}') && out.ends_with("\r\n"));
        assert!(out.contains("\"'=1+1\",\"a\"\"b\""));
        let (header, rows) = rows(&decode(out.as_bytes()).unwrap().0).unwrap();
        assert_eq!(header, ["编号", "名称"]);
        assert_eq!(rows[0].cells, ["'=1+1", "a\"b"]);
    }
}
