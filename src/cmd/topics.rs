//! `xieshang topics`: topics (征集选题 → 立题) from the command line, as the
//! committee's office works them: enter a proposal on someone's behalf, list
//! and show them, record the three screenings' decisions, export them for
//! Excel, set the thresholds, bring failed promises back (回流), and write an
//! adopted topic's meeting plan.

use super::Lang;
use crate::lang::fill;
use crate::meeting::followups::Date;
use crate::meeting::plan::Language;
use crate::meeting::topics::{
    Actor, Command as Do, Final, NewTopic, Origin, Proposer, Screening, Stage, Text, Thresholds,
    Topic,
};
use crate::office::topics::{TopicError, TopicFilter};
use crate::office::Office;
use anyhow::Context;
use std::path::PathBuf;

/// Topics (征集选题 → 立题): proposed by members, parties and groups, sectors
/// and the public, co-signed and supported, screened in three stages (初审,
/// 复审, 定审), and made into a meeting's plan once chosen (立题). Kept in the
/// office's file beside the register and the roster.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The office's file (SQLite, made if missing, owner-only)
    #[arg(long, global = true, default_value = crate::office::DEFAULT_PATH)]
    register: PathBuf,
    /// Language of the words [default: zh]
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
    /// The office's time zone, hours east of UTC
    #[arg(long, global = true, default_value_t = crate::office::DEFAULT_UTC_OFFSET_HOURS, value_parser = clap::value_parser!(i32).range(-12..=14))]
    utc_offset: i32,
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Write down a proposal on someone's behalf (recorded as so): a member's
    /// (--member ID, from the roster), a party's or group's (--party ID), a
    /// sector's (--sector NAME) or a resident's (--resident NAME)
    Propose {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        problem: String,
        #[arg(long, default_value = "")]
        suggestion: String,
        /// What research it rests on (a member's topic must say: 非调研不提案)
        #[arg(long, default_value = "")]
        research: String,
        /// A department concerned (its roster organisation id); again for more
        #[arg(long = "department")]
        departments: Vec<String>,
        #[arg(long, conflicts_with_all = ["party", "sector", "resident"])]
        member: Option<String>,
        #[arg(long, conflicts_with_all = ["sector", "resident"])]
        party: Option<String>,
        #[arg(long, conflicts_with = "resident")]
        sector: Option<String>,
        #[arg(long)]
        resident: Option<String>,
        /// The collection round [default: this year]
        #[arg(long)]
        round: Option<String>,
        /// Who writes it down (the secretariat's person)
        #[arg(long)]
        by: String,
    },
    /// The topics, the most supported first
    List {
        #[arg(long, value_parser = parse_stage)]
        stage: Option<Stage>,
        #[arg(long)]
        round: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// One topic whole: its text, co-signers, support by sector, every decision
    /// and what it links to
    Show { id: String },
    /// Submit a topic for 初审 on its proposer's behalf
    Submit {
        id: String,
        #[arg(long)]
        by: String,
    },
    /// 初审: eligible, return (with --reason), merge (--into, --reason) or
    /// redirect as 社情民意 (--reason); --override passes one lacking the
    /// support its origin needs, saying why
    Screen {
        id: String,
        #[arg(value_parser = ["eligible", "return", "merge", "redirect"])]
        verdict: String,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        into: Option<String>,
        #[arg(long = "override")]
        overriding: Option<String>,
        #[arg(long)]
        by: String,
    },
    /// 复审: name its evaluators from the roster (each gives their opinion
    /// from their own page)
    Assign {
        id: String,
        #[arg(required = true)]
        evaluators: Vec<String>,
        #[arg(long)]
        by: String,
    },
    /// 定审, as the chairs' meeting decided: adopt with a number (立题),
    /// reserve, or reject (with --reason); --override before every opinion is
    /// in, saying why
    Decide {
        id: String,
        #[arg(value_parser = ["adopt", "reserve", "reject"])]
        verdict: String,
        /// The number, for adopt (e.g. 2027-03)
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long = "override")]
        overriding: Option<String>,
        #[arg(long)]
        by: String,
    },
    /// Write an adopted topic's meeting plan (a scenario to check and run)
    Plan {
        id: String,
        #[arg(short, long)]
        output: PathBuf,
        /// The chair's name (without it, the word for the chair: edit it in the plan)
        #[arg(long)]
        chair: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        venue: Option<String>,
    },
    /// Print a card for each roster person and each contact point with the
    /// link to their topics page (a QR code), six to an A4 sheet; their tokens
    /// are made when missing (a person's is the one their follow-ups card has)
    Cards {
        /// The address people reach the office's pages at, e.g.
        /// https://zx.example.gov.cn
        #[arg(long)]
        base_url: String,
        /// Only these roster ids (people or contact points); all without
        #[arg(long = "only")]
        only: Vec<String>,
        /// Where to write the page [default: <register>.topic-cards.html; - for standard output]
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// The secretariat's console: topics by stage (the 初审 queue first), one
    /// whole with its history, a form for each screening's decision; ? for keys
    Desk {
        /// Who records the decisions (the secretariat's person)
        #[arg(long)]
        by: String,
    },
    /// Every topic, for Excel (CSV) or a script (JSON)
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// The support each origin needs to pass 初审, and a supporter's cap a
    /// round; without options, what they are
    Thresholds {
        /// Supporters a resident's topic needs [default: 30]
        #[arg(long)]
        public: Option<u64>,
        /// Co-signers (signed) a member's topic needs [default: 0]
        #[arg(long)]
        member: Option<usize>,
        /// Co-signers a party's or a sector's topic needs [default: 0]
        #[arg(long)]
        body: Option<usize>,
        /// Supports one supporter may give in a round [default: 5]
        #[arg(long)]
        per_round: Option<u64>,
    },
    /// Bring the promises that failed (rated unsatisfied twice, or badly
    /// overdue) back as topics (回流), once each
    Recirculate,
}

fn parse_stage(s: &str) -> Result<Stage, String> {
    Stage::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Stage::ALL.iter().map(|s| s.as_str()).collect();
        format!("\"{s}\" is not a stage: write one of {}", all.join(", "))
    })
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let lang = args.lang.map_or(Language::Zh, Into::into);
    let offset_s = args.utc_offset * 3600;
    let now_ms = crate::clock::now_ms();
    let w = &crate::lang::catalogue::of(lang).topics;
    let mut office = super::open_office(&args.register, lang)?;
    let secretariat = |by: String| Actor::Secretariat { name: by };
    let change = |office: &mut Office, id: &str, command: Do, by: String| -> anyhow::Result<()> {
        match office.update_topic(id, &command, &secretariat(by), None, (now_ms, offset_s)) {
            Ok(t) => {
                println!(
                    "{}: {} (version {})",
                    t.id,
                    crate::lang::topics::stage_word(w, t.stage),
                    t.version
                );
                Ok(())
            }
            Err(TopicError::Refused(r)) => {
                anyhow::bail!("{}", crate::lang::topics::refusal(lang, &r))
            }
            Err(e) => Err(e.into()),
        }
    };
    match args.what {
        What::Propose {
            title,
            problem,
            suggestion,
            research,
            departments,
            member,
            party,
            sector,
            resident,
            round,
            by,
        } => {
            let (origin, proposer, name) = if let Some(id) = member {
                let p = office
                    .person(&id)?
                    .with_context(|| format!("no one of id {id} in the roster"))?;
                (Origin::Member, Proposer::Person { person: id }, p.name)
            } else if let Some(id) = party {
                let o = office
                    .organisation(&id)?
                    .with_context(|| format!("no organisation of id {id} in the roster"))?;
                (
                    Origin::Party,
                    Proposer::Organisation { organisation: id },
                    o.name,
                )
            } else if let Some(name) = sector.clone() {
                let key = format!("sector:{name}");
                (Origin::Sector, Proposer::Resident { key }, name)
            } else if let Some(name) = resident {
                let key = format!("resident:{}", crate::private::random_hex()?);
                (Origin::Public, Proposer::Resident { key }, name)
            } else {
                anyhow::bail!(
                    "say whose proposal it is: --member, --party, --sector or --resident"
                );
            };
            let round = round.unwrap_or_else(|| Date::of_ms(now_ms, offset_s).ymd().0.to_string());
            let new = NewTopic {
                id: String::new(),
                round,
                origin,
                proposer,
                proposer_name: name,
                sector,
                entered_by: Some(by.clone()),
                text: Text {
                    title,
                    problem,
                    suggestion,
                    research,
                    departments,
                },
            };
            match office.propose(new, &secretariat(by), now_ms) {
                Ok(t) => {
                    println!("{}: {}", t.id, crate::lang::topics::stage_word(w, t.stage));
                    for s in office.similar_topics(&t.text.title, Some(&t.id), 5)? {
                        eprintln!(
                            "  similar: {} {} ({:.0}%)",
                            s.id,
                            crate::text::shown(&s.title),
                            s.likeness * 100.0
                        );
                    }
                    Ok(())
                }
                Err(TopicError::Refused(r)) => {
                    anyhow::bail!("{}", crate::lang::topics::refusal(lang, &r))
                }
                Err(e) => Err(e.into()),
            }
        }
        What::List {
            stage,
            round,
            format,
        } => {
            let filter = TopicFilter {
                stage,
                round,
                ..TopicFilter::default()
            };
            let topics = office.topics(&filter, 0, usize::MAX >> 1)?;
            print!("{}", render(&topics, format, lang));
            Ok(())
        }
        What::Show { id } => {
            let t = office
                .topic(&id)?
                .with_context(|| format!("no topic {id} in {}", args.register.display()))?;
            let history = office.topic_history(&id)?;
            print!("{}", show(&t, &history, lang, offset_s));
            Ok(())
        }
        What::Submit { id, by } => change(&mut office, &id, Do::Submit, by),
        What::Screen {
            id,
            verdict,
            reason,
            into,
            overriding,
            by,
        } => {
            let reason_or = || reason.clone().unwrap_or_default();
            let screening = match verdict.as_str() {
                "eligible" => Screening::Eligible,
                "return" => Screening::Return {
                    reason: reason_or(),
                },
                "merge" => Screening::Merge {
                    into: into.context("merge names the topic it goes into: --into ID")?,
                    reason: reason_or(),
                },
                _ => Screening::Redirect {
                    reason: reason_or(),
                },
            };
            change(
                &mut office,
                &id,
                Do::Screen {
                    screening,
                    overriding,
                },
                by,
            )
        }
        What::Assign { id, evaluators, by } => {
            let mut named = Vec::new();
            for e in evaluators {
                let p = office
                    .person(&e)?
                    .with_context(|| format!("no one of id {e} in the roster"))?;
                named.push((e, p.name));
            }
            change(&mut office, &id, Do::Assign { evaluators: named }, by)
        }
        What::Decide {
            id,
            verdict,
            number,
            reason,
            overriding,
            by,
        } => {
            let decision = match verdict.as_str() {
                "adopt" => Final::Adopt {
                    number: number.context("adopt gives the topic its number: --number 2027-03")?,
                },
                "reserve" => Final::Reserve { reason },
                _ => Final::Reject {
                    reason: reason.unwrap_or_default(),
                },
            };
            change(
                &mut office,
                &id,
                Do::Decide {
                    decision,
                    overriding,
                },
                by,
            )
        }
        What::Plan {
            id,
            output,
            chair,
            date,
            venue,
        } => {
            let t = office
                .topic(&id)?
                .with_context(|| format!("no topic {id} in {}", args.register.display()))?;
            // The office's file as the plan names it: relative to the plan.
            let register = relative(&args.register, &output);
            let text = crate::office::topics::plan::write(
                &office,
                &t,
                &crate::office::topics::plan::Writing {
                    chair: chair.as_deref().unwrap_or(crate::lang::role(
                        crate::meeting::plan::Language::Zh,
                        crate::meeting::Role::Chair,
                    )),
                    register: Some(&register),
                    date: date.as_deref(),
                    venue: venue.as_deref(),
                },
            )?;
            std::fs::write(&output, text)
                .with_context(|| format!("cannot write {}", output.display()))?;
            let link = crate::meeting::topics::Link::Plan {
                file: output.display().to_string(),
            };
            change(
                &mut office,
                &id,
                Do::Link { link },
                "xieshang topics plan".into(),
            )?;
            let number = t.number.unwrap_or_default();
            println!(
                "{}",
                fill(
                    w.planned,
                    &[("file", &output.display()), ("number", &number)]
                )
            );
            Ok(())
        }
        What::Desk { by } => super::topic_desk::run(office, lang, offset_s, by),
        What::Cards {
            base_url,
            only,
            output,
        } => cards(&office, &base_url, &only, lang, output),
        What::Export { format, output } => {
            let topics = office.topics(&TopicFilter::default(), 0, usize::MAX >> 1)?;
            let text = render(&topics, format, lang);
            match output {
                Some(path) => {
                    crate::private::write(&path, text.as_bytes())
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("wrote {}", path.display());
                }
                None => print!("{text}"),
            }
            Ok(())
        }
        What::Thresholds {
            public,
            member,
            body,
            per_round,
        } => {
            let mut t: Thresholds = office.thresholds()?;
            let changed =
                public.is_some() || member.is_some() || body.is_some() || per_round.is_some();
            t.public_supports = public.unwrap_or(t.public_supports);
            t.member_cosigners = member.unwrap_or(t.member_cosigners);
            t.body_cosigners = body.unwrap_or(t.body_cosigners);
            t.supports_per_round = per_round.unwrap_or(t.supports_per_round);
            if changed {
                office.set_thresholds(&t)?;
            }
            println!("{}", serde_json::to_string_pretty(&t)?);
            Ok(())
        }
        What::Recirculate => {
            let made = office.recirculate(now_ms, offset_s)?;
            for t in &made {
                println!("{}  {}", t.id, crate::text::shown(&t.text.title));
            }
            println!("{}", fill(w.made, &[("n", &made.len())]));
            Ok(())
        }
    }
}

/// `file` as seen from the folder of `from`: a plan names the office's file
/// relative to itself.
fn relative(file: &std::path::Path, from: &std::path::Path) -> String {
    let abs = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (file, from) = (abs(file), abs(from));
    let base = from.parent().unwrap_or(std::path::Path::new("/"));
    let common = file
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in base.components().skip(common) {
        out.push("..");
    }
    for c in file.components().skip(common) {
        out.push(c);
    }
    out.display().to_string()
}

fn render(topics: &[Topic], format: Format, lang: Language) -> String {
    let w = &crate::lang::catalogue::of(lang).topics;
    let words = crate::lang::topics::stage_word;
    match format {
        Format::Json => serde_json::to_string_pretty(topics).unwrap_or_default() + "\n",
        Format::Csv => {
            let head = [
                w.id,
                w.number,
                w.title,
                w.origin,
                w.proposer,
                w.sector,
                w.stage,
                w.support,
                w.cosigners,
                w.departments,
                w.problem,
                w.suggestion,
                w.research,
                w.decision,
                w.reason,
            ]
            .map(String::from)
            .to_vec();
            let rows = topics.iter().map(|t| {
                let last = t.decisions.last();
                vec![
                    t.id.clone(),
                    t.number.clone().unwrap_or_default(),
                    t.text.title.clone(),
                    crate::lang::topics::origin_word(w, t.origin).to_string(),
                    t.proposer_name.clone(),
                    t.sector.clone().unwrap_or_default(),
                    words(w, t.stage).to_string(),
                    t.supporters().to_string(),
                    t.signed().to_string(),
                    t.text.departments.join("、"),
                    t.text.problem.clone(),
                    t.text.suggestion.clone(),
                    t.text.research.clone(),
                    last.map(|d| words(w, d.stage).to_string())
                        .unwrap_or_default(),
                    last.and_then(|d| d.reason.clone()).unwrap_or_default(),
                ]
            });
            crate::office::sheet::write(std::iter::once(head).chain(rows))
        }
        Format::Table => {
            if topics.is_empty() {
                return format!("{}\n", w.none);
            }
            let safe = |t: &str| crate::text::shown(t).into_owned();
            topics
                .iter()
                .map(|t| {
                    format!(
                        "{}  {}  {}  {}  {} {}{}  {}\n",
                        t.id,
                        t.number.as_deref().unwrap_or("-"),
                        words(w, t.stage),
                        crate::lang::topics::origin_word(w, t.origin),
                        w.support,
                        t.supporters(),
                        if t.flagged { " ⚑" } else { "" },
                        safe(&t.text.title)
                    )
                })
                .collect()
        }
    }
}

fn show(
    t: &Topic,
    history: &[crate::office::topics::TopicEntry],
    lang: Language,
    offset_s: i32,
) -> String {
    let w = &crate::lang::catalogue::of(lang).topics;
    let safe = |s: &str| crate::text::shown(s).into_owned();
    let mut out = format!(
        "{}  {}  {}{}\n{}: {}\n{}: {} ({})\n",
        t.id,
        crate::lang::topics::stage_word(w, t.stage),
        t.number.as_deref().unwrap_or(""),
        if t.flagged {
            format!("\n⚑ {}", w.flagged)
        } else {
            String::new()
        },
        w.title,
        safe(&t.text.title),
        w.proposer,
        safe(&t.proposer_name),
        crate::lang::topics::origin_word(w, t.origin),
    );
    for (label, text) in [
        (w.problem, &t.text.problem),
        (w.suggestion, &t.text.suggestion),
        (w.research, &t.text.research),
    ] {
        if !text.is_empty() {
            out.push_str(&format!("{label}: {}\n", safe(text)));
        }
    }
    if !t.text.departments.is_empty() {
        out.push_str(&format!(
            "{}: {}\n",
            w.departments,
            safe(&t.text.departments.join("、"))
        ));
    }
    if !t.cosigners.is_empty() {
        let names: Vec<String> = t
            .cosigners
            .iter()
            .map(|c| format!("{} ({:?})", safe(&c.name), c.signature))
            .collect();
        out.push_str(&format!("{}: {}\n", w.cosigners, names.join(", ")));
    }
    let by_sector: Vec<String> = t
        .support
        .iter()
        .map(|(s, n)| format!("{} {n}", if s.is_empty() { "-" } else { s }))
        .collect();
    out.push_str(&format!(
        "{}: {} ({})\n",
        w.support,
        t.supporters(),
        safe(&by_sector.join(" · "))
    ));
    for l in &t.links {
        out.push_str(&format!(
            "  → {}\n",
            safe(&serde_json::to_string(l).unwrap_or_default())
        ));
    }
    for e in history {
        let at =
            chrono::DateTime::from_timestamp_millis(e.at_ms as i64 + i64::from(offset_s) * 1000)
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
        let why = match &e.change {
            crate::meeting::topics::Change::Screened { decision, .. }
            | crate::meeting::topics::Change::Decided { decision, .. } => {
                let mut s = crate::lang::topics::stage_word(w, decision.stage).to_string();
                if let Some(r) = &decision.reason {
                    s.push_str(&format!(": {}", safe(r)));
                }
                if let Some(o) = &decision.overrode {
                    s.push_str(&format!(" [override: {}]", safe(o)));
                }
                s
            }
            other => other.name().to_string(),
        };
        out.push_str(&format!(
            "  v{} {at} {} · {why}\n",
            e.version,
            safe(e.actor.name())
        ));
    }
    out
}

/// The topics cards of the roster's people and contact points (their tokens
/// made when missing), as a printable page.
fn cards(
    office: &Office,
    base_url: &str,
    only: &[String],
    lang: Language,
    output: Option<PathBuf>,
) -> anyhow::Result<()> {
    use crate::office::keys::{self, Holder, Keys};
    let base = crate::links::parse_base(base_url).map_err(|e| anyhow::anyhow!("{e}"))?;
    let output = output.unwrap_or_else(|| {
        let mut name = office.path().as_os_str().to_owned();
        name.push(".topic-cards.html");
        PathBuf::from(name)
    });
    let holders: Vec<Holder> = office
        .holders()?
        .into_iter()
        .filter(|h| match h {
            Holder::Asker {
                who: crate::meeting::roster::Who::Person(id),
                ..
            }
            | Holder::ContactPoint { id, .. } => only.is_empty() || only.contains(id),
            _ => false,
        })
        .collect();
    let keys = Keys::load_or_create(&keys::path_for(office.path()), &holders)?;
    let links = crate::links::Links::at(&base);
    let w = &crate::lang::catalogue::of(lang).invitations;
    let mut cards = Vec::new();
    for h in &holders {
        let (id, who) = match h {
            Holder::Asker {
                who: crate::meeting::roster::Who::Person(id),
                ..
            } => (id.clone(), w.topics_person),
            Holder::ContactPoint { id, .. } => (id.clone(), w.topics_point),
            _ => continue,
        };
        let Some(token) = keys.of(h) else { continue };
        cards.push(crate::invitations::Card {
            id,
            name: h.name().to_string(),
            who: who.to_string(),
            link: links.topics(&token),
        });
    }
    if !only.is_empty() && cards.len() < only.len() {
        let missing: Vec<&String> = only
            .iter()
            .filter(|id| !cards.iter().any(|c| &c.id == *id))
            .collect();
        anyhow::bail!("no person or contact point of id {missing:?} in the roster");
    }
    let page = crate::invitations::sheets(
        &crate::invitations::Sheet {
            lang,
            title: w.topics_card,
            when: &links.topics_public(),
            kind: w.topics_card,
            scan: w.scan,
            personal: w.topics_personal,
            print: w.topics_print,
        },
        &cards,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if output.as_os_str() == "-" {
        print!("{page}");
        return Ok(());
    }
    // The page holds every card's token: as private as the tokens file.
    crate::private::write(&output, page.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", output.display()))?;
    println!(
        "{} cards in {} (owner-only: it holds their keys; print it, then delete it)",
        cards.len(),
        output.display()
    );
    Ok(())
}
