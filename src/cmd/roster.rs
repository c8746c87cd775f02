//! `xieshang roster`: the roster (委员名册) the secretariat keeps in the
//! office's file: import it from a spreadsheet, list it, show one person or
//! organisation, export it for Excel or a script.

use super::Lang;
use crate::lang::fill;
use crate::meeting::plan::Language;
use crate::office::roster::{self, import};
use crate::office::Office;
use anyhow::Context;
use std::path::PathBuf;

/// The roster (委员名册): people (members with their 界别 and 党派, experts,
/// departments' representatives, residents) and organisations (departments,
/// parties and groups, contact points), each with a stable id that plans name
/// (`person = "ID"`, `organisation = "ID"`), kept in the office's file beside
/// the follow-up register.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The office's file (SQLite, made if missing, owner-only)
    #[arg(long, global = true, default_value = crate::office::DEFAULT_PATH)]
    register: PathBuf,
    /// Language of the words [default: zh]
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Sheet {
    /// 人员: id, name, role, sector, party, organisation, contact
    People,
    /// 单位: id, name, kind (department, party, contact point), contact
    Organisations,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Take people or organisations from a spreadsheet saved as CSV (UTF-8,
    /// with or without a byte-order mark, or GB18030/GBK as a Chinese Excel
    /// writes it). Its first row names the columns (编号, 姓名, 身份, 界别,
    /// 党派, 单位, 联系方式; or id, name, role, sector, party, organisation,
    /// contact). Every bad row is said as FILE:LINE, and nothing is taken from
    /// a file with any; a row of an id already there updates it
    Import {
        #[arg(value_enum)]
        sheet: Sheet,
        /// The spreadsheet(s), CSV
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// The people, or the organisations
    List {
        #[arg(value_enum, default_value = "people")]
        sheet: Sheet,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// One person or organisation, by id
    Show { id: String },
    /// The people or the organisations as CSV for Excel (or JSON), to a file or
    /// standard output
    Export {
        #[arg(value_enum)]
        sheet: Sheet,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// The largest spreadsheet read: a roster of 100,000 people is about 10 MiB.
const MAX_SHEET_BYTES: u64 = 64 << 20;

pub fn run(args: Args) -> anyhow::Result<()> {
    let lang = args.lang.map_or(Language::Zh, Into::into);
    let w = &crate::lang::catalogue::of(lang).roster;
    match args.what {
        What::Import { sheet, files } => {
            let mut office = super::open_office(&args.register, lang)?;
            for file in files {
                import_one(&mut office, sheet, &file, lang)?;
            }
            Ok(())
        }
        What::List { sheet, format } => {
            let office = Office::open_existing(&args.register)?;
            print!("{}", listed(&office, sheet, format, lang)?);
            Ok(())
        }
        What::Show { id } => {
            let office = Office::open_existing(&args.register)?;
            let safe = |t: &str| crate::text::shown(t).into_owned();
            if let Some(p) = office.person(&id)? {
                println!(
                    "{}  {}  {}",
                    safe(&p.id),
                    safe(&p.name),
                    crate::lang::role(lang, p.role)
                );
                for (label, value) in [
                    (w.sector, &p.sector),
                    (w.party, &p.party),
                    (w.organisation, &p.organisation),
                    (w.contact, &p.contact),
                ] {
                    if let Some(v) = value {
                        println!("  {label}: {}", safe(v));
                    }
                }
                return Ok(());
            }
            if let Some(o) = office.organisation(&id)? {
                println!(
                    "{}  {}  {}",
                    safe(&o.id),
                    safe(&o.name),
                    roster::kind_word(lang, o.kind)
                );
                if let Some(c) = &o.contact {
                    println!("  {}: {}", w.contact, safe(c));
                }
                return Ok(());
            }
            anyhow::bail!(
                "no one and no organisation of id {} in {}",
                crate::text::shown(&id),
                args.register.display()
            )
        }
        What::Export {
            sheet,
            format,
            output,
        } => {
            let office = Office::open_existing(&args.register)?;
            let text = listed(&office, sheet, format, lang)?;
            match output {
                Some(path) => {
                    // A roster holds how to reach people: owner-only.
                    crate::private::write(&path, text.as_bytes())
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("wrote {}", path.display());
                }
                None => print!("{text}"),
            }
            Ok(())
        }
    }
}

fn import_one(
    office: &mut Office,
    sheet: Sheet,
    file: &std::path::Path,
    lang: Language,
) -> anyhow::Result<()> {
    use std::io::Read;
    let name = crate::text::shown(&file.display().to_string()).into_owned();
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .with_context(|| format!("cannot read {name}"))?
        .take(MAX_SHEET_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > MAX_SHEET_BYTES {
        anyhow::bail!(
            "{name} is larger than {} MiB: is it a roster?",
            MAX_SHEET_BYTES >> 20
        );
    }
    let now_ms = crate::clock::now_ms();
    let w = &crate::lang::catalogue::of(lang).roster;
    let said = |problems: Vec<import::Problem>| {
        let lines: Vec<String> = problems.iter().map(|p| p.said(&name, lang)).collect();
        let n = problems.len();
        anyhow::anyhow!("{}\n{}", lines.join("\n"), fill(w.problems, &[("n", &n)]))
    };
    let (notes, put) = match sheet {
        Sheet::People => {
            let known = office.people()?;
            let read = import::people(&bytes, &known).map_err(said)?;
            (read.notes, office.put_people(&read.rows, now_ms)?)
        }
        Sheet::Organisations => {
            let read = import::organisations(&bytes).map_err(said)?;
            (read.notes, office.put_organisations(&read.rows, now_ms)?)
        }
    };
    for (en, zh) in notes {
        eprintln!("{name}: {}", if lang == Language::Zh { zh } else { en });
    }
    let office = office.path().display();
    let said: [(&str, &dyn std::fmt::Display); 5] = [
        ("file", &name),
        ("added", &put.added),
        ("changed", &put.changed),
        ("same", &put.same),
        ("office", &office),
    ];
    println!("{}", fill(w.imported, &said));
    Ok(())
}

fn listed(office: &Office, sheet: Sheet, format: Format, lang: Language) -> anyhow::Result<String> {
    let w = &crate::lang::catalogue::of(lang).roster;
    let safe = |t: &str| crate::text::shown(t).into_owned();
    Ok(match (sheet, format) {
        (Sheet::People, Format::Csv) => roster::people_csv(&office.people()?, lang),
        (Sheet::Organisations, Format::Csv) => {
            roster::organisations_csv(&office.organisations()?, lang)
        }
        (Sheet::People, Format::Json) => {
            crate::text::json(&serde_json::to_string_pretty(&office.people()?)?) + "\n"
        }
        (Sheet::Organisations, Format::Json) => {
            crate::text::json(&serde_json::to_string_pretty(&office.organisations()?)?) + "\n"
        }
        (Sheet::People, Format::Table) => {
            let people = office.people()?;
            if people.is_empty() {
                return Ok(format!("{}\n", w.none));
            }
            people
                .iter()
                .map(|p| {
                    let extra: Vec<String> = [&p.sector, &p.party, &p.organisation]
                        .into_iter()
                        .flatten()
                        .map(|v| safe(v))
                        .collect();
                    format!(
                        "{}  {}  {}  {}\n",
                        safe(&p.id),
                        safe(&p.name),
                        crate::lang::role(lang, p.role),
                        extra.join(" · ")
                    )
                })
                .collect()
        }
        (Sheet::Organisations, Format::Table) => office
            .organisations()?
            .iter()
            .map(|o| {
                format!(
                    "{}  {}  {}\n",
                    safe(&o.id),
                    safe(&o.name),
                    roster::kind_word(lang, o.kind)
                )
            })
            .collect(),
    })
}
