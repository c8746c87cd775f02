//! `xieshang invitations`: printable invitation cards, one per participant, each
//! with its join link as a QR code.

use crate::invitations::{cards, page, PER_SHEET};
use crate::links::{lan_addresses, parse_base, Links};
use crate::meeting::plan::{names, Role};
use crate::served::default_journal;
use crate::server::{tokens, Tokens};
use anyhow::{bail, Context};
use std::path::PathBuf;

/// Write printable invitation cards (A4, six a sheet, cut lines): for each
/// participant the meeting, their name and role, their join link as a QR code and
/// in text. The links carry the tokens kept beside the journal (made now if there
/// are none), so print for the journal the meeting will run on.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML) that plans the meeting
    plan: PathBuf,
    /// The journal the meeting will run on; its tokens are used [default:
    /// meetings/<plan name>.journal, as `run` and `serve` use]
    #[arg(long)]
    journal: Option<PathBuf>,
    /// The address participants will open, as `run` or `serve` prints it, e.g.
    /// https://192.168.1.23:7878 or https://meet.example.org
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Write the page here; `-` for standard output [default: beside the journal,
    /// <journal>.invitations.html, readable only by you]
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Cards for these roles only (chair, member, department, expert, public,
    /// observer): one group at a time; repeat or separate with commas
    #[arg(long, value_name = "ROLE", value_delimiter = ',', value_parser = parse_role)]
    only: Vec<Role>,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("\"{s}\" is not a role: one of {}", names(Role::ALL)))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let Some(base) = &args.base_url else {
        bail!("{}", missing_base());
    };
    let base = parse_base(base).map_err(anyhow::Error::msg)?;
    let plan = super::plan::load(&args.plan)?.scenario.plan;
    let journal = args
        .journal
        .clone()
        .unwrap_or_else(|| default_journal(&args.plan));
    let tokens = Tokens::load_or_create(&tokens::path_for(&journal), &plan)
        .with_context(|| format!("the tokens beside {}", journal.display()))?;
    let cards = cards(&plan, &tokens, &Links::at(&base), &args.only);
    if cards.is_empty() {
        bail!(
            "{} has no participant with the role {}",
            args.plan.display(),
            names(&args.only)
        );
    }
    let html = page(&plan, &cards).map_err(anyhow::Error::msg)?;
    let output = args.output.clone().unwrap_or_else(|| {
        let mut name = journal.as_os_str().to_owned();
        name.push(".invitations.html");
        PathBuf::from(name)
    });
    if output.as_os_str() == "-" {
        use std::io::Write;
        let _ = std::io::stdout().lock().write_all(html.as_bytes());
    } else {
        // The page holds every token: as private as the tokens file.
        crate::private::write(&output, html.as_bytes())
            .with_context(|| format!("cannot write the invitations to {}", output.display()))?;
        let sheets = cards.len().div_ceil(PER_SHEET);
        eprintln!(
            "{} cards on {sheets} A4 sheet{} in {}: open it in a browser and print at 100 %.",
            cards.len(),
            if sheets == 1 { "" } else { "s" },
            output.display()
        );
    }
    let how = match &args.journal {
        Some(j) => format!("run the meeting with --journal {}", j.display()),
        None => format!(
            "run and serve use it for {} unless given another --journal",
            args.plan.display()
        ),
    };
    eprintln!(
        "the codes open {base}/join with the tokens of {}: {how}",
        journal.display()
    );
    if base.starts_with("http://") {
        eprintln!(
            "note: the links are http://, so tokens and questions cross the network in \
             clear; run with --tls-self-signed (or --tls-cert/--tls-key) and print https:// \
             links"
        );
    }
    Ok(())
}

/// Why a base URL is needed, and the ones this machine could serve.
fn missing_base() -> String {
    let listen = "0.0.0.0:7878".parse().expect("an address");
    let links = Links::new(listen, None, true, &lan_addresses());
    let mut message = String::from(
        "give --base-url, the address participants will open: the one `run` or `serve` \
         prints when it starts",
    );
    if links.note.is_none() {
        let all: Vec<String> = std::iter::once(links.base).chain(links.others).collect();
        message.push_str(&format!(
            ". Serving with --listen 0.0.0.0:7878 --tls-self-signed, this machine is at {}",
            all.join(", ")
        ));
    } else {
        message.push_str(
            ". This machine has no network address but loopback: connect it to the room's \
             network, or give the name it will have (https://meet.example.org)",
        );
    }
    message
}
