//! `xieshang followups`: the follow-up register (督办台账) from the command line:
//! import meetings' promises, list, show, export, print the reminders, and record
//! what the secretariat hears (an answer, a rating, an extension) on someone's
//! behalf, saying who recorded it.

use super::Lang;
use crate::meeting::followup::item::{AnswerClass, Rating};
use crate::meeting::followup::{Actor, Command as Do, Date, ItemState};
use crate::meeting::plan::Language;
use crate::register::{export, import, Filter, Register, UpdateError};
use anyhow::Context;
use std::path::PathBuf;

/// Follow promises made in meetings to their delivery (督办台账): import a
/// meeting's journal, then list what is due and overdue, export it, print each
/// department's reminder, and record answers and ratings. Without a command:
/// the secretariat's desk, the register as a console (? for its keys).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The register (SQLite, made if missing, owner-only)
    #[arg(long, global = true, default_value = crate::register::DEFAULT_PATH)]
    register: PathBuf,
    /// Language of the words [default: zh]
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
    /// Take this day as today (YYYY-MM-DD), e.g. to see what will be overdue
    #[arg(long, global = true, value_parser = parse_date)]
    today: Option<Date>,
    /// The register's time zone, hours east of UTC: a due date ends at midnight there
    #[arg(long, global = true, default_value_t = crate::register::DEFAULT_UTC_OFFSET_HOURS, value_parser = clap::value_parser!(i32).range(-12..=14))]
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
    /// SIGTERM or Ctrl-C
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:7879")]
        listen: std::net::SocketAddr,
        /// The address people open, when it is not this machine's own, e.g.
        /// https://followups.example.org
        #[arg(long, value_name = "URL", value_parser = crate::links::parse_base)]
        public_url: Option<String>,
    },
    /// Print a card for each department and each asker with the link to their
    /// page (a QR code), six to an A4 sheet; their tokens are made when missing
    Cards {
        /// Where the pages are served, as people will open it, e.g. http://192.168.1.20:7879
        #[arg(long, value_name = "URL", value_parser = crate::links::parse_base)]
        base_url: String,
        #[arg(long, value_enum, default_value = "all")]
        only: super::followups_web::Whose,
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

fn parse_rating(s: &str) -> Result<Rating, String> {
    match s {
        "satisfied" | "满意" => Ok(Rating::Satisfied),
        "basic" | "基本满意" => Ok(Rating::BasicallySatisfied),
        "dissatisfied" | "不满意" => Ok(Rating::Dissatisfied),
        _ => Err(format!(
            "\"{s}\" is not a rating: write satisfied, basic or dissatisfied"
        )),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let offset_s = args.utc_offset * 3600;
    let now_ms = match args.today {
        Some(day) => day.noon_ms(offset_s),
        None => crate::hub::task::now_ms(),
    };
    let lang = args.lang.map_or(Language::Zh, Into::into);
    let mut register = Register::open(&args.register)?;
    let secretariat = |by: String| Actor::Secretariat { name: by };
    let Some(what) = args.what else {
        return desk(
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
                let done = import::import(&mut register, &journal, due, &by, now_ms, offset_s)?;
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
                    println!("  {id}");
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
            let mut items = register.list(&Filter {
                department,
                state,
                ..Filter::default()
            })?;
            let s = |i: &crate::meeting::followup::Item| {
                crate::meeting::followup::standing(i, now_ms, offset_s)
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
                .get(&id)?
                .with_context(|| format!("no item {id} in {}", register.path().display()))?;
            let history = register.history(&id)?;
            print!("{}", show(&item, &history, lang, now_ms, offset_s));
            Ok(())
        }
        What::Export { format, output } => {
            let items = if format == Format::Json {
                register.list_whole(&Filter::default())?
            } else {
                register.list(&Filter::default())?
            };
            write_out(output, &render(&items, format, lang, now_ms, offset_s))
        }
        What::Digest { department, output } => {
            let items = register.list(&Filter {
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
            (now_ms, offset_s),
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
            (now_ms, offset_s),
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
            (now_ms, offset_s),
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
            (now_ms, offset_s),
        ),
        What::Serve { listen, public_url } => {
            super::followups_web::serve(register, listen, public_url, args.today, offset_s)
        }
        What::Cards {
            base_url,
            only,
            output,
        } => super::followups_web::cards(&register, &base_url, only, lang, output),
        What::Withdraw { id, reason, by } => record(
            &mut register,
            &id,
            Do::Withdraw { reason },
            secretariat(by),
            (now_ms, offset_s),
        ),
    }
}

fn record(
    register: &mut Register,
    id: &str,
    command: Do,
    by: Actor,
    (now_ms, offset_s): (u64, i32),
) -> anyhow::Result<()> {
    match register.update(id, &command, &by, None, now_ms, offset_s) {
        Ok(item) => {
            println!("{id}: {} (version {})", item.state.as_str(), item.version);
            Ok(())
        }
        Err(UpdateError::Refused(r)) => anyhow::bail!("refused: {r}"),
        Err(e) => Err(e.into()),
    }
}

fn render(
    items: &[crate::meeting::followup::Item],
    format: Format,
    lang: Language,
    now_ms: u64,
    offset_s: i32,
) -> String {
    match format {
        Format::Csv => export::csv(items, lang, now_ms, offset_s),
        Format::Json => export::json(items, now_ms, offset_s) + "\n",
        Format::Md => export::markdown(items, lang, now_ms, offset_s),
        Format::Table => table(items, lang, now_ms, offset_s),
    }
}

/// One line an item, for a terminal: its text made safe to print.
fn table(
    items: &[crate::meeting::followup::Item],
    lang: Language,
    now_ms: u64,
    offset_s: i32,
) -> String {
    let w = &crate::lang::catalogue::of(lang).followups;
    let safe = |t: &str| crate::text::shown(t).into_owned();
    let mut out = String::new();
    for item in items {
        let s = crate::meeting::followup::standing(item, now_ms, offset_s);
        let marks = export::standing_words(w, &s, item.flagged()).join(" ");
        out.push_str(&format!(
            "{}  {}  {}  {}  {}{}  {}: {}\n",
            safe(&item.id),
            item.deadline(),
            export::state_word(w, item.state),
            safe(&item.department_name),
            marks,
            if s.days_over > 0 {
                format!(" +{}", s.days_over)
            } else {
                String::new()
            },
            safe(&item.origin.asker.name),
            safe(&item.origin.text),
        ));
    }
    if items.is_empty() {
        out.push_str(&format!("{}\n", w.none_due));
    }
    out
}

fn show(
    item: &crate::meeting::followup::Item,
    history: &[crate::register::Entry],
    lang: Language,
    now_ms: u64,
    offset_s: i32,
) -> String {
    let w = &crate::lang::catalogue::of(lang).followups;
    let safe = |t: &str| crate::text::shown(t).into_owned();
    let s = crate::meeting::followup::standing(item, now_ms, offset_s);
    let mut out = format!(
        "{}  {}  {}\n{}: {} ({})\n{}: {} · {}\n{}: {}\n{}: {}  {}\n",
        safe(&item.id),
        export::state_word(w, item.state),
        export::standing_words(w, &s, item.flagged()).join(" "),
        w.meeting,
        safe(&item.origin.meeting),
        item.origin.date,
        w.asker,
        safe(&item.origin.asker.name),
        safe(&item.origin.text),
        w.department,
        safe(&item.department_name),
        w.promise,
        safe(&item.promise),
        item.deadline(),
    );
    for e in history {
        let at =
            chrono::DateTime::from_timestamp_millis(e.at_ms as i64 + i64::from(offset_s) * 1000)
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
        out.push_str(&format!(
            "  v{} {at} {} · {}\n",
            e.version,
            safe(e.actor.name()),
            crate::lang::followups::change_word(w, &e.change)
        ));
    }
    out
}

fn write_out(output: Option<PathBuf>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            std::fs::write(&path, text)
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

/// The secretariat's desk on `register` until quit or a signal; `fixed_now`
/// holds the clock at `--today`.
fn desk(
    mut register: Register,
    lang: Language,
    offset_s: i32,
    by: Actor,
    fixed_now: Option<u64>,
) -> anyhow::Result<()> {
    use crate::tui::desk::{update, Desk, Effect, HistoryLine, Msg};
    use crossterm::event::{Event, EventStream, KeyEventKind};
    use futures_util::StreamExt;
    crate::tui::console::needs_a_terminal("followups", "use followups list or export")?;
    let now = || fixed_now.unwrap_or_else(crate::hub::task::now_ms);
    let items = register.list(&Filter::default())?;
    let mut desk = Desk::new(lang, offset_s, now(), items);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let stop = crate::signals::Stop::listen_with_hangup()?;
        let stop = stop.requested();
        tokio::pin!(stop);
        let mut terminal = ratatui::init();
        let mut keys = EventStream::new();
        // What another process (a department's page, another desk) writes is
        // shown within a second: the register's last change is one indexed read.
        let mut seen = register.last_change()?;
        let mut watch = tokio::time::interval(std::time::Duration::from_secs(1));
        watch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let outcome: anyhow::Result<()> = 'run: loop {
            if let Err(e) = terminal.draw(|f| f.render_widget(&desk, f.area())) {
                break Err(e.into());
            }
            let msg = tokio::select! {
                key = keys.next() => match key {
                    Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => Msg::Key(k),
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => break Err(e.into()),
                    None => break Ok(()),
                },
                _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => Msg::Now(now()),
                _ = watch.tick() => {
                    let last = register.last_change()?;
                    if last == seen {
                        continue;
                    }
                    seen = last;
                    Msg::Loaded(register.list(&Filter::default())?)
                }
                _ = &mut stop => break Ok(()),
            };
            let mut effects = update(&mut desk, msg);
            while let Some(effect) = effects.pop() {
                let answer = match effect {
                    Effect::Quit => break 'run Ok(()),
                    Effect::Load => {
                        seen = register.last_change()?;
                        Msg::Loaded(register.list(&Filter::default())?)
                    }
                    Effect::History(id) => {
                        let lines = register
                            .history(&id)?
                            .into_iter()
                            .map(|e| HistoryLine {
                                version: e.version,
                                at_ms: e.at_ms,
                                who: e.actor.name().to_string(),
                                what: crate::lang::followups::change_word(
                                    &crate::lang::catalogue::of(lang).followups,
                                    &e.change,
                                ),
                            })
                            .collect();
                        // The item whole (a list leaves its evidence out).
                        if let Some(item) = register.get(&id)? {
                            effects.extend(update(&mut desk, Msg::Item(Box::new(item))));
                        }
                        Msg::History(id, lines)
                    }
                    Effect::Record { id, command } => {
                        let done = register.update(&id, &command, &by, None, now(), offset_s);
                        if done.is_ok() {
                            // Its own change: nothing to load again for it.
                            seen = register.last_change()?;
                        }
                        Msg::Recorded(done.map(Box::new).map_err(|e| e.to_string()))
                    }
                };
                effects.extend(update(&mut desk, answer));
            }
        };
        crate::tui::console::restore_terminal(terminal);
        outcome
    })
}
