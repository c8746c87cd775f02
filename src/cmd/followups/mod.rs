//! `xieshang followups`: the follow-up register (督办台账) from the command line:
//! import meetings' promises, list, show, export, print the reminders, and record
//! what the secretariat hears (an answer, a rating, an extension) on someone's
//! behalf, saying who recorded it. Without a command, the secretariat's desk
//! (`tui::desk`, over the office's file: [`desk`]); `serve` and `cards` are
//! [`web`]'s; what is printed, [`print`]'s.

mod desk;
mod print;
mod web;

use super::Lang;
use crate::meeting::followups::item::{AnswerClass, Rating};
use crate::meeting::followups::{Actor, Command as Do, Ctx, Date, ItemState};
use crate::meeting::plan::Language;
use crate::office::followups::{export, import, Filter, UpdateError};
use crate::office::Office;
use anyhow::Context;
use print::{render, show};
use std::path::PathBuf;

/// Follow promises made in meetings to their delivery (督办台账): import a
/// meeting's journal, then list what is due and overdue, export it, print each
/// department's reminder, and record answers and ratings. Without a command:
/// the secretariat's desk, the register as a console (? for its keys).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The register (SQLite, made if missing, owner-only)
    #[arg(long, global = true, default_value = crate::office::DEFAULT_PATH)]
    register: PathBuf,
    /// Language of the words [default: zh]
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
    /// Take this day as today (YYYY-MM-DD), e.g. to see what will be overdue
    #[arg(long, global = true, value_parser = parse_date)]
    today: Option<Date>,
    /// The register's time zone, hours east of UTC: a due date ends at midnight there
    #[arg(long, global = true, default_value_t = crate::office::DEFAULT_UTC_OFFSET_HOURS, value_parser = clap::value_parser!(i32).range(-12..=14))]
    utc_offset: i32,
    /// Who records what the desk records (the secretariat's person)
    #[arg(long, default_value = "secretariat")]
    by: String,
    /// Without one, the secretariat's desk: the register as a console
    #[command(subcommand)]
    what: Option<What>,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Take every promised written reply and every question left unanswered of
    /// these meetings into the register (importing one again adds nothing)
    Import {
        /// Meetings' journals
        #[arg(required = true)]
        journals: Vec<PathBuf>,
        /// Due on this day (YYYY-MM-DD) [default: two months after the meeting]
        #[arg(long, value_parser = parse_date)]
        due: Option<Date>,
        /// Who imports (the secretariat's person), for the record
        #[arg(long, default_value = "secretariat")]
        by: String,
    },
    /// The items, overdue first
    List {
        #[arg(long)]
        department: Option<String>,
        /// assigned, acknowledged, in_progress, answered, closed, withdrawn or merged
        #[arg(long, value_parser = parse_state)]
        state: Option<ItemState>,
        /// Only those overdue
        #[arg(long)]
        overdue: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// One item whole: where it came from and every change since
    Show { id: String },
    /// Every item, to a file or standard output
    Export {
        #[arg(long, value_enum)]
        format: Format,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Each department's reminder (催办单) of what is due within a week or overdue
    Digest {
        #[arg(long)]
        department: Option<String>,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Record a department's answer: class a, b or c, and its text
    Answer {
        id: String,
        #[arg(value_parser = parse_class)]
        class: AnswerClass,
        text: String,
        /// Who recorded it
        #[arg(long)]
        by: String,
    },
    /// Record the asker's rating: satisfied, basic or dissatisfied (with --reason)
    Rate {
        id: String,
        #[arg(value_parser = parse_rating)]
        rating: Rating,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        by: String,
    },
    /// Extend the due date once, by at most a month, saying why
    Extend {
        id: String,
        #[arg(value_parser = parse_date)]
        until: Date,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        by: String,
    },
    /// Name the departments that handle an item with its lead (会办); none clears them
    Cohandle {
        id: String,
        departments: Vec<String>,
        #[arg(long)]
        by: String,
    },
    /// Serve the register's pages: the public dashboard (/followups) and each
    /// department's and asker's own page (the link on their card); stops on
    /// SIGTERM or Ctrl-C. Beyond this machine, serve it with TLS
    /// (--tls-self-signed, or --tls-cert and --tls-key): the cards' tokens
    /// would otherwise cross the network in clear
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:7879")]
        listen: std::net::SocketAddr,
        /// The address people open, when it is not this machine's own, e.g.
        /// https://followups.example.org
        #[arg(long, value_name = "URL", value_parser = crate::links::parse_base)]
        public_url: Option<String>,
        /// Open connections at most (fewer if the system's limit on open files
        /// allows fewer)
        #[arg(long, default_value_t = crate::office::port::MAX_CONNECTIONS)]
        max_connections: usize,
        /// Connections from one address (an IPv6 /64) that have shown no valid
        /// token, at most (raise it behind a proxy, where every client has the
        /// proxy's address)
        #[arg(long, default_value_t = crate::office::port::MAX_STRANGERS_PER_ADDRESS)]
        max_unauthenticated_per_address: usize,
        #[command(flatten)]
        tls: crate::cmd::serving::Tls,
    },
    /// Print a card for each department and each asker with the link to their
    /// page (a QR code), six to an A4 sheet; their tokens are made when missing
    Cards {
        /// Where the pages are served, as people will open it, e.g. http://192.168.1.20:7879
        #[arg(long, value_name = "URL", value_parser = crate::links::parse_base)]
        base_url: String,
        #[arg(long, value_enum, default_value = "all")]
        only: web::Whose,
        /// Write the page here; `-` for standard output [default: beside the
        /// register, REGISTER.cards.html, owner-only]
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Withdraw an item (中止), saying why
    Withdraw {
        id: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        by: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
    Md,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("\"{s}\" is not a day: write YYYY-MM-DD, e.g. 2027-01-19"))
}

fn parse_state(s: &str) -> Result<ItemState, String> {
    ItemState::parse(s).ok_or_else(|| {
        let all: Vec<&str> = ItemState::ALL.iter().map(|s| s.as_str()).collect();
        format!("\"{s}\" is not a state: write one of {}", all.join(", "))
    })
}

fn parse_class(s: &str) -> Result<AnswerClass, String> {
    match s.to_ascii_lowercase().as_str() {
        "a" => Ok(AnswerClass::A),
        "b" => Ok(AnswerClass::B),
        "c" => Ok(AnswerClass::C),
        _ => Err(format!("\"{s}\" is not a class: write a, b or c")),
    }
}

/// A rating as written on the command line: its English name, or its word in
/// either language (满意, satisfied …).
fn parse_rating(s: &str) -> Result<Rating, String> {
    let said = |r: Rating| {
        [Language::Zh, Language::En].iter().any(|&l| {
            crate::lang::followups::rating_word(&crate::lang::catalogue::of(l).followups, r) == s
        })
    };
    match s {
        "satisfied" => Ok(Rating::Satisfied),
        "basic" => Ok(Rating::BasicallySatisfied),
        "dissatisfied" => Ok(Rating::Dissatisfied),
        _ => [
            Rating::Satisfied,
            Rating::BasicallySatisfied,
            Rating::Dissatisfied,
        ]
        .into_iter()
        .find(|&r| said(r))
        .ok_or_else(|| format!("\"{s}\" is not a rating: write satisfied, basic or dissatisfied")),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let offset_s = args.utc_offset * 3600;
    let now_ms = crate::office::now_ms(args.today, offset_s);
    let lang = args.lang.map_or(Language::Zh, Into::into);
    let mut register = super::open_office(&args.register, lang)?;
    let secretariat = |by: String| Actor::Secretariat { name: by };
    let Some(what) = args.what else {
        return desk::run(
            register,
            lang,
            offset_s,
            secretariat(args.by),
            args.today.map(|_| now_ms),
        );
    };
    match what {
        What::Import { journals, due, by } => {
            let by = secretariat(by);
            for journal in journals {
                let how = import::Importing {
                    due,
                    by: &by,
                    now_ms,
                    offset_s,
                };
                let done = import::import(&mut register, &journal, how).map_err(|e| {
                    match e.downcast_ref::<import::DueBeforeMeeting>() {
                        Some(d) => anyhow::anyhow!(due_before_meeting(lang, d)),
                        None => e,
                    }
                })?;
                if let Some(w) = &done.warning {
                    eprintln!("{w}");
                }
                println!(
                    "{}: {} new, {} already in {}",
                    crate::text::shown(&journal.display().to_string()),
                    done.added.len(),
                    done.already,
                    register.path().display()
                );
                for id in &done.added {
                    println!("  {}", crate::text::shown(id));
                }
                if done.reviewed > 0 {
                    println!(
                        "  {} changes from its review of earlier promises",
                        done.reviewed
                    );
                }
                for note in &done.review_notes {
                    eprintln!("  review: {}", crate::text::shown(note));
                }
            }
            Ok(())
        }
        What::List {
            department,
            state,
            overdue,
            format,
        } => {
            let mut items = register.items(&Filter {
                department,
                state,
                ..Filter::default()
            })?;
            let s = |i: &crate::meeting::followups::Item| {
                crate::meeting::followups::standing(i, now_ms, offset_s)
            };
            if overdue {
                items.retain(|i| s(i).overdue);
            }
            // Overdue first, the most overdue first; then by deadline.
            items.sort_by_cached_key(|i| {
                (
                    std::cmp::Reverse(s(i).days_over),
                    i.deadline(),
                    i.id.clone(),
                )
            });
            print!("{}", render(&items, format, lang, now_ms, offset_s));
            Ok(())
        }
        What::Show { id } => {
            let item = register
                .item(&id)?
                .ok_or_else(|| anyhow::anyhow!(no_item(lang, &id, &register)))?;
            let history = register.item_history(&id)?;
            print!("{}", show(&item, &history, lang, now_ms, offset_s));
            Ok(())
        }
        What::Export { format, output } => {
            let items = if format == Format::Json {
                register.items_whole(&Filter::default())?
            } else {
                register.items(&Filter::default())?
            };
            write_out(output, &render(&items, format, lang, now_ms, offset_s))
        }
        What::Digest { department, output } => {
            let items = register.items(&Filter {
                department,
                ..Filter::default()
            })?;
            write_out(output, &export::digest(&items, lang, now_ms, offset_s))
        }
        What::Answer {
            id,
            class,
            text,
            by,
        } => record(
            &mut register,
            &id,
            Do::Answer { class, text },
            secretariat(by),
            (now_ms, offset_s, lang),
        ),
        What::Rate {
            id,
            rating,
            reason,
            by,
        } => record(
            &mut register,
            &id,
            Do::Rate { rating, reason },
            secretariat(by),
            (now_ms, offset_s, lang),
        ),
        What::Extend {
            id,
            until,
            reason,
            by,
        } => record(
            &mut register,
            &id,
            Do::Extend { until, reason },
            secretariat(by),
            (now_ms, offset_s, lang),
        ),
        What::Cohandle {
            id,
            departments,
            by,
        } => record(
            &mut register,
            &id,
            Do::SetCoHandling { departments },
            secretariat(by),
            (now_ms, offset_s, lang),
        ),
        What::Serve {
            listen,
            public_url,
            max_connections,
            max_unauthenticated_per_address,
            tls,
        } => web::serve(
            register,
            web::Serving {
                listen,
                public_url,
                tls,
                limits: crate::office::port::Limits {
                    max_connections,
                    max_strangers_per_address: max_unauthenticated_per_address,
                    ..Default::default()
                },
            },
            args.today,
            offset_s,
        ),
        What::Cards {
            base_url,
            only,
            output,
        } => web::cards(&register, &base_url, only, lang, output),
        What::Withdraw { id, reason, by } => record(
            &mut register,
            &id,
            Do::Withdraw { reason },
            secretariat(by),
            (now_ms, offset_s, lang),
        ),
    }
}

fn record(
    register: &mut Office,
    id: &str,
    command: Do,
    by: Actor,
    (now_ms, offset_s, lang): (u64, i32, Language),
) -> anyhow::Result<()> {
    let ctx = Ctx {
        actor: &by,
        now_ms,
        offset_s,
        seen: None,
    };
    match register.update_item(id, &command, ctx) {
        Ok(item) => {
            println!("{id}: {} (version {})", item.state.as_str(), item.version);
            Ok(())
        }
        Err(e @ (UpdateError::Refused(_) | UpdateError::NoSuchItem(_))) => {
            let w = &crate::lang::catalogue::of(lang).followups;
            anyhow::bail!("{}: {}", w.refused, why_not(lang, &e, register))
        }
        Err(e) => Err(e.into()),
    }
}

/// Why an update was not recorded, in `lang` (the command line's and the
/// desk's): the rules' refusal, or no such item; a store's failure as it is.
pub(super) fn why_not(lang: Language, e: &UpdateError, register: &Office) -> String {
    let why = match e {
        UpdateError::Refused(r) => crate::lang::followups::refusal(lang, r),
        UpdateError::NoSuchItem(id) => no_item(lang, id, register),
        UpdateError::Store(e) => format!("{e:#}"),
    };
    crate::text::shown(&why).into_owned()
}

fn no_item(lang: Language, id: &str, register: &Office) -> String {
    let id = crate::text::shown(id);
    let file = register.path().display().to_string();
    crate::lang::fill(
        crate::lang::catalogue::of(lang).followups.no_item,
        &[("id", &id), ("register", &file)],
    )
}

fn due_before_meeting(lang: Language, d: &import::DueBeforeMeeting) -> String {
    crate::lang::fill(
        crate::lang::catalogue::of(lang)
            .followups
            .due_before_meeting,
        &[
            ("journal", &crate::text::shown(&d.journal)),
            ("due", &d.due),
            ("held", &d.held),
        ],
    )
}

/// `text` to `output` (owner-only, as the register it comes from: it names
/// askers and what departments wrote), or to standard output.
fn write_out(output: Option<PathBuf>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            crate::private::write(&path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        None => {
            print!("{text}");
            Ok(())
        }
    }
}
