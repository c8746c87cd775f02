//! A roster spreadsheet read into people or organisations, as a secretariat
//! has it: a header row naming the columns (in Chinese or English: 编号, 姓名,
//! 身份, 界别, 党派, 单位, 联系方式 …; a column it does not know, such as 序号,
//! is left alone and said), then a row each. Every bad row is a problem at its
//! line, and a file with any problem gives nothing: the caller writes only a
//! file read whole.
//!
//! A row with an id is that id's. A row without one (a sheet with no id column)
//! is the roster's person of the same name and sector when there is exactly
//! one, else a new person with a new id (`p00001` …); two such rows alike in
//! one file are a problem, for no one could tell them apart later.

use crate::meeting::plan::{Language, Role};
use crate::meeting::roster::{self, FieldProblem, OrgKind, Organisation, Person};
use std::collections::{BTreeMap, HashMap};

/// A problem of a row (or of the file, at line 0), in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub en: String,
    pub zh: String,
}

impl Problem {
    fn new(line: u64, en: String, zh: String) -> Problem {
        Problem { line, en, zh }
    }

    /// `FILE:LINE: what is wrong`, in `lang`.
    pub fn said(&self, file: &str, lang: Language) -> String {
        let what = match lang {
            Language::Zh => &self.zh,
            Language::En => &self.en,
        };
        if self.line == 0 {
            format!("{file}: {what}")
        } else {
            format!("{file}:{}: {what}", self.line)
        }
    }
}

/// What reading a sheet gave: its rows, and what is worth saying though not
/// wrong (columns left alone, the encoding it was read in).
#[derive(Debug)]
pub struct Read<T> {
    pub rows: Vec<T>,
    pub notes: Notes,
}

/// The columns of a people's sheet, and the names a header may give them.
const PEOPLE_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id", "编号", "委员编号", "证号", "人员编号"]),
    ("name", &["name", "姓名"]),
    ("role", &["role", "身份", "角色", "类别"]),
    ("sector", &["sector", "界别"]),
    ("party", &["party", "党派", "党派/团体", "党派团体", "团体"]),
    (
        "organisation",
        &[
            "organisation",
            "organization",
            "单位",
            "所属单位",
            "工作单位",
            "部门",
        ],
    ),
    (
        "contact",
        &["contact", "联系方式", "联系电话", "电话", "手机"],
    ),
];

/// The columns of an organisations' sheet.
const ORGANISATION_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id", "编号", "单位编号"]),
    ("name", &["name", "名称", "单位名称", "机构名称", "单位"]),
    ("kind", &["kind", "类别", "类型", "性质"]),
    ("contact", &["contact", "联系方式", "联系电话", "电话"]),
];

/// Columns a sheet often has that say nothing to keep: left alone unsaid.
const SILENT: &[&str] = &["序号", "no", "no.", "#", "备注", "note", "notes"];

/// What is worth saying of a sheet though not wrong, in both languages.
type Notes = Vec<(String, String)>;

/// Where each known column is in `header`; the unknown ones as notes; a
/// problem when a required one is missing or one is named twice.
fn columns(
    header: &[String],
    known: &'static [(&'static str, &'static [&'static str])],
    required: &[&str],
) -> Result<(HashMap<&'static str, usize>, Notes), Problem> {
    let mut at = HashMap::new();
    let mut notes = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let plain = name.trim().trim_start_matches('\u{feff}').to_lowercase();
        let plain = plain.replace(' ', "");
        match known
            .iter()
            .find(|(_, names)| names.contains(&plain.as_str()))
        {
            Some((key, _)) => {
                if at.insert(*key, i).is_some() {
                    return Err(Problem::new(
                        1,
                        format!("two columns are \"{key}\": keep one"),
                        format!("有两列都是“{name}”：请只留一列"),
                    ));
                }
            }
            None if SILENT.contains(&plain.as_str()) || plain.is_empty() => {}
            None => {
                let shown = crate::text::shown(name).into_owned();
                notes.push((
                    format!("the column \"{shown}\" is not read"),
                    format!("“{shown}”一列不导入"),
                ));
            }
        }
    }
    for key in required {
        if !at.contains_key(key) {
            let names = known
                .iter()
                .find(|(k, _)| k == key)
                .map_or(String::new(), |(_, n)| n.join(" / "));
            return Err(Problem::new(
                1,
                format!("the header has no \"{key}\" column: name one {names}"),
                format!("表头没有“{key}”列：请把该列命名为 {names}"),
            ));
        }
    }
    Ok((at, notes))
}

/// A row's cell of column `key`, trimmed; empty when the row has no such cell.
fn cell<'r>(row: &'r crate::office::sheet::Row, at: &HashMap<&str, usize>, key: &str) -> &'r str {
    at.get(key)
        .and_then(|&i| row.cells.get(i))
        .map_or("", String::as_str)
}

/// The text of a sheet's bytes and its rows, or the one problem that stops it.
fn sheet(bytes: &[u8]) -> Result<(Vec<String>, Vec<crate::office::sheet::Row>, bool), Problem> {
    let Some((text, encoding)) = crate::office::sheet::decode(bytes) else {
        return Err(Problem::new(
            0,
            "the file is neither UTF-8 nor GB18030/GBK text: save the sheet as CSV (UTF-8, or CSV as Excel writes it)".into(),
            "文件不是 UTF-8 或 GB18030/GBK 文本：请把表格另存为 CSV（UTF-8 或 Excel 默认的 CSV）".into(),
        ));
    };
    let (header, rows) = crate::office::sheet::rows(&text).map_err(|(line, why)| {
        Problem::new(
            line,
            format!("the CSV cannot be read here: {why}"),
            format!("此处 CSV 无法读取：{why}"),
        )
    })?;
    if header.is_empty() {
        return Err(Problem::new(
            0,
            "the file is empty: a header row, then a row each".into(),
            "文件是空的：第一行是表头，之后每行一条".into(),
        ));
    }
    Ok((
        header,
        rows,
        encoding == crate::office::sheet::Encoding::Gb18030,
    ))
}

/// A field's problem said in both languages, naming the column.
fn field(
    line: u64,
    column: &str,
    text: &str,
    required: bool,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    match roster::field_problem(text, required) {
        None if text.is_empty() => None,
        None => Some(text.to_string()),
        Some(p) => {
            let (en, zh) = match p {
                FieldProblem::Empty => (
                    format!("{column} is empty: every row needs one"),
                    format!("{column} 为空：每行都要填写"),
                ),
                FieldProblem::TooLong { max } => (
                    format!("{column} is longer than {max} characters"),
                    format!("{column} 超过 {max} 个字"),
                ),
                FieldProblem::Unsafe { c } => {
                    let c = crate::meeting::text::describe(c);
                    (
                        format!("{column} holds {c}, which cannot be shown: retype it"),
                        format!("{column} 含有无法显示的字符 {c}：请重新输入"),
                    )
                }
                FieldProblem::LineBreak => (
                    format!("{column} holds a line break: keep it on one line"),
                    format!("{column} 含有换行：请写在一行内"),
                ),
            };
            problems.push(Problem::new(line, en, zh));
            None
        }
    }
}

/// A role as a sheet writes it: its name in either language, or a usual word
/// for it (群众代表, 居民, 旁听 …).
pub fn role_of(word: &str) -> Option<Role> {
    let w = word.trim();
    if let Some(r) = Role::parse(&w.to_lowercase()) {
        return Some(r);
    }
    for lang in [Language::Zh, Language::En] {
        if let Some(r) = Role::ALL.iter().find(|&&r| crate::lang::role(lang, r) == w) {
            return Some(*r);
        }
    }
    match w {
        "政协委员" | "委员代表" => Some(Role::Member),
        "部门代表" | "承办单位" => Some(Role::Department),
        "群众代表" | "居民" | "市民" | "界别群众" | "居民代表" => {
            Some(Role::Public)
        }
        "旁听" | "列席人员" | "观察员" => Some(Role::Observer),
        "专家学者" => Some(Role::Expert),
        _ => None,
    }
}

/// An organisation's kind as a sheet writes it.
pub fn kind_of(word: &str) -> Option<OrgKind> {
    let w = word.trim();
    if let Some(k) = OrgKind::parse(&w.to_lowercase().replace(' ', "_")) {
        return Some(k);
    }
    for lang in [Language::Zh, Language::En] {
        if let Some(k) = OrgKind::ALL
            .iter()
            .find(|&&k| super::kind_word(lang, k) == w)
        {
            return Some(*k);
        }
    }
    match w {
        "部门" | "政府部门" | "职能部门" | "承办单位" => Some(OrgKind::Department),
        "党派" | "团体" | "人民团体" | "民主党派" => Some(OrgKind::Party),
        "联系点" | "委员工作站" | "工作站" => Some(OrgKind::ContactPoint),
        _ => None,
    }
}

/// The people of a sheet, matched against `known` (the roster as it is) for
/// rows without an id.
pub fn people(bytes: &[u8], known: &[Person]) -> Result<Read<Person>, Vec<Problem>> {
    let (header, rows, gbk) = sheet(bytes).map_err(|p| vec![p])?;
    let (at, mut notes) = columns(&header, PEOPLE_COLUMNS, &["name"]).map_err(|p| vec![p])?;
    if gbk {
        notes.push((
            "read as GB18030 (GBK)".into(),
            "按 GB18030（GBK）编码读取".into(),
        ));
    }
    let mut problems = Vec::new();
    let mut out = Vec::new();
    // Rows without an id, by name and sector: matched to the roster or made new.
    let by_name_sector: HashMap<(&str, &str), Vec<&Person>> =
        known.iter().fold(HashMap::new(), |mut m, p| {
            m.entry((p.name.as_str(), p.sector.as_deref().unwrap_or("")))
                .or_default()
                .push(p);
            m
        });
    let mut taken: std::collections::HashSet<String> = known.iter().map(|p| p.id.clone()).collect();
    let mut next = 1usize;
    let mut seen_ids: HashMap<String, u64> = HashMap::new();
    let mut seen_alike: BTreeMap<(String, String), u64> = BTreeMap::new();
    let w = |lang: Language| &crate::lang::catalogue::of(lang).roster;
    for row in &rows {
        let line = row.line;
        let before = problems.len();
        let name = field(
            line,
            w(Language::En).name,
            cell(row, &at, "name"),
            true,
            &mut problems,
        );
        let sector = field(
            line,
            w(Language::En).sector,
            cell(row, &at, "sector"),
            false,
            &mut problems,
        );
        let party = field(
            line,
            w(Language::En).party,
            cell(row, &at, "party"),
            false,
            &mut problems,
        );
        let organisation = field(
            line,
            w(Language::En).organisation,
            cell(row, &at, "organisation"),
            false,
            &mut problems,
        );
        let contact = field(
            line,
            w(Language::En).contact,
            cell(row, &at, "contact"),
            false,
            &mut problems,
        );
        let role_text = cell(row, &at, "role");
        let role = if role_text.is_empty() {
            Some(Role::Member)
        } else {
            let role = role_of(role_text);
            if role.is_none() {
                let shown = crate::text::shown(role_text).into_owned();
                problems.push(Problem::new(
                    line,
                    format!("\"{shown}\" is not a role: write member, expert, department, public, observer or chair (委员、专家、部门、群众、列席、主持人)"),
                    format!("“{shown}”不是身份：请写 委员、专家、部门、群众、列席 或 主持人"),
                ));
            }
            role
        };
        let given = cell(row, &at, "id");
        if !given.is_empty() && !roster::valid_id(given) {
            let shown = crate::text::shown(given).into_owned();
            problems.push(Problem::new(
                line,
                format!("\"{shown}\" is not an id: 1 to 64 letters, digits, '-', '_' or '.'"),
                format!("“{shown}”不能用作编号：请用 1 到 64 个英文字母、数字、“-”“_”或“.”"),
            ));
        }
        if problems.len() > before {
            continue;
        }
        let (Some(name), Some(role)) = (name, role) else {
            continue;
        };
        let id = if !given.is_empty() {
            if let Some(first) = seen_ids.insert(given.to_string(), line) {
                problems.push(Problem::new(
                    line,
                    format!("the id {given} is on line {first} too: an id is one person's"),
                    format!("编号 {given} 与第 {first} 行重复：一个编号只属于一个人"),
                ));
                continue;
            }
            given.to_string()
        } else {
            let key = (name.clone(), sector.clone().unwrap_or_default());
            if let Some(first) = seen_alike.insert(key.clone(), line) {
                problems.push(Problem::new(
                    line,
                    format!("same name and sector as line {first}, and no id: add an id column so each can be told apart"),
                    format!("与第 {first} 行姓名、界别相同且没有编号：请加一列编号以便区分"),
                ));
                continue;
            }
            match by_name_sector
                .get(&(key.0.as_str(), key.1.as_str()))
                .map(Vec::as_slice)
            {
                Some([one]) => one.id.clone(),
                Some(several) => {
                    let ids: Vec<&str> = several.iter().map(|p| p.id.as_str()).collect();
                    problems.push(Problem::new(
                        line,
                        format!("the roster has {} people of this name and sector ({}): give the row its id", ids.len(), ids.join(", ")),
                        format!("名册中有 {} 位同名同界别的人（{}）：请给这一行填上编号", ids.len(), ids.join("、")),
                    ));
                    continue;
                }
                None => loop {
                    let id = format!("p{next:05}");
                    next += 1;
                    if taken.insert(id.clone()) {
                        break id;
                    }
                },
            }
        };
        out.push(Person {
            id,
            name,
            role,
            sector,
            party,
            organisation,
            contact,
        });
    }
    if problems.is_empty() {
        Ok(Read { rows: out, notes })
    } else {
        Err(problems)
    }
}

/// The organisations of a sheet: each row needs an id (plans name them by it)
/// and a name; its kind is a department's unless it says otherwise.
pub fn organisations(bytes: &[u8]) -> Result<Read<Organisation>, Vec<Problem>> {
    let (header, rows, gbk) = sheet(bytes).map_err(|p| vec![p])?;
    let (at, mut notes) =
        columns(&header, ORGANISATION_COLUMNS, &["id", "name"]).map_err(|p| vec![p])?;
    if gbk {
        notes.push((
            "read as GB18030 (GBK)".into(),
            "按 GB18030（GBK）编码读取".into(),
        ));
    }
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let w = &crate::lang::catalogue::of(Language::En).roster;
    for row in &rows {
        let line = row.line;
        let before = problems.len();
        let id = cell(row, &at, "id");
        if !roster::valid_id(id) {
            let shown = crate::text::shown(id).into_owned();
            problems.push(Problem::new(
                line,
                format!("\"{shown}\" is not an id: 1 to 64 letters, digits, '-', '_' or '.' (plans name an organisation by it)"),
                format!("“{shown}”不能用作编号：请用 1 到 64 个英文字母、数字、“-”“_”或“.”（会议计划用它指明单位）"),
            ));
        }
        let name = field(
            line,
            w.org_name,
            cell(row, &at, "name"),
            true,
            &mut problems,
        );
        let contact = field(
            line,
            w.contact,
            cell(row, &at, "contact"),
            false,
            &mut problems,
        );
        let kind_text = cell(row, &at, "kind");
        let kind = if kind_text.is_empty() {
            Some(OrgKind::Department)
        } else {
            let kind = kind_of(kind_text);
            if kind.is_none() {
                let shown = crate::text::shown(kind_text).into_owned();
                problems.push(Problem::new(
                    line,
                    format!("\"{shown}\" is not a kind of organisation: write department, party or contact_point (部门、党派团体、联系点)"),
                    format!("“{shown}”不是单位类别：请写 部门、党派团体 或 联系点"),
                ));
            }
            kind
        };
        if problems.len() > before {
            continue;
        }
        if let Some(first) = seen.insert(id.to_string(), line) {
            problems.push(Problem::new(
                line,
                format!("the id {id} is on line {first} too: an id is one organisation's"),
                format!("编号 {id} 与第 {first} 行重复：一个编号只属于一个单位"),
            ));
            continue;
        }
        let (Some(name), Some(kind)) = (name, kind) else {
            continue;
        };
        out.push(Organisation {
            id: id.to_string(),
            name,
            kind,
            contact,
        });
    }
    if problems.is_empty() {
        Ok(Read { rows: out, notes })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_in_chinese_is_read_with_its_lines_and_roles() {
        let text =
            "序号,姓名,界别,党派,身份,电话\n1,林志远,经济界,民建,委员,138\n2,许律师,,,专家,\n";
        let read = people(text.as_bytes(), &[]).unwrap();
        assert!(read.notes.is_empty(), "{:?}", read.notes);
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.rows[0].id, "p00001");
        assert_eq!(read.rows[0].role, Role::Member);
        assert_eq!(read.rows[0].party.as_deref(), Some("民建"));
        assert_eq!(read.rows[1].role, Role::Expert);
        assert_eq!(read.rows[1].sector, None);
        // Again, against the roster as it now is: the same ids.
        let again = people(text.as_bytes(), &read.rows).unwrap();
        assert_eq!(again.rows, read.rows);
    }

    #[test]
    fn every_bad_row_is_said_at_its_line_and_nothing_is_taken() {
        let text = "编号,姓名,身份\nW1,林志远,委员\nW1,王,委员\n,,委员\nW3,李,总统\nW 4,周,委员\nW5,\"a\u{1b}[2J\",委员\n";
        let problems = people(text.as_bytes(), &[]).unwrap_err();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7], "{problems:?}");
        assert!(problems[2].zh.contains("总统"));
        assert!(!problems[4].en.contains('\u{1b}'));
        let said = problems[0].said("名册.csv", Language::Zh);
        assert!(said.starts_with("名册.csv:3: "), "{said}");
    }

    #[test]
    fn organisations_need_an_id_and_a_kind_it_knows() {
        let text = "编号,名称,类别\nfangguan,市房屋管理局,部门\nmj,民建市委,党派\nzx,某街道委员工作站,委员工作站\n";
        let read = organisations(text.as_bytes()).unwrap();
        let kinds: Vec<OrgKind> = read.rows.iter().map(|o| o.kind).collect();
        assert_eq!(
            kinds,
            [OrgKind::Department, OrgKind::Party, OrgKind::ContactPoint]
        );
        let bad = organisations("名称\n市房屋管理局\n".as_bytes()).unwrap_err();
        assert_eq!(bad[0].line, 1, "{bad:?}");
    }
}
