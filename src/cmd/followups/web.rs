//! `xieshang followups serve` (the register's pages: the public dashboard, each
//! department's and each asker's own page) and `followups cards` (their links
//! as printed cards).

use crate::invitations::{Card, Sheet};
use crate::links::Links;
use crate::meeting::followups::Date;
use crate::meeting::plan::Language;
use crate::office::http::Front;
use crate::office::keys::{self, Holder, Keys};
use crate::office::Office;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Where and how `followups serve` serves.
pub struct Serving {
    pub listen: SocketAddr,
    pub public_url: Option<String>,
    pub tls: crate::cmd::serving::Tls,
    pub limits: crate::office::port::Limits,
}

/// Serves the register's pages until SIGTERM or SIGINT.
pub fn serve(
    register: Office,
    serving: Serving,
    today: Option<Date>,
    offset_s: i32,
) -> anyhow::Result<()> {
    let Serving {
        listen,
        public_url,
        tls,
        mut limits,
    } = serving;
    // As `serve` does: standard output says where, standard error logs.
    super::super::log_to_stderr();
    let tokens_file = keys::path_for(register.path());
    let office_path = register.path().to_path_buf();
    // Before anything starts, so that a bad certificate is refused at once.
    limits.tls = tls.server(listen, public_url.as_deref(), &office_path)?;
    let https = limits.tls.is_some();
    let front = Arc::new(Front::open(register, today, offset_s)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let stop = crate::signals::Stop::listen()?;
        let listener = crate::server::admission::listen(listen)
            .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
        let local = listener.local_addr()?;
        let links = match &public_url {
            Some(base) => Links::at(base),
            None => Links::new(local, None, https, &crate::links::lan_addresses()),
        };
        // The first line says where: a test or a script reads it.
        println!("followups: {}", links.dashboard());
        println!(
            "  departments and askers open their own page from their card: {} followups --register {} cards --base-url {}",
            crate::program::invocation(),
            office_path.display(),
            links.dashboard().trim_end_matches("/followups"),
        );
        println!("  tokens: {}", tokens_file.display());
        match &limits.tls {
            Some(tls) => println!("  https, with the certificate {}", tls.cert.display()),
            None if !local.ip().is_loopback() => eprintln!(
                "followups: served without TLS on {local}: the cards' tokens cross the network in \
                 clear; serve with --tls-self-signed (or --tls-cert and --tls-key)"
            ),
            None => {}
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let stop = async move {
            let signal = stop.requested().await;
            eprintln!("followups: {signal}: stopping");
        };
        crate::office::port::serve(listener, crate::office::site::site(front), stop, limits).await;
        anyhow::Ok(())
    })
}

/// Whose cards to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Whose {
    All,
    Departments,
    Askers,
}

/// The cards of the register's departments and askers (their tokens made when
/// missing), as a printable page.
pub fn cards(
    register: &Office,
    base_url: &str,
    whose: Whose,
    lang: Language,
    output: Option<PathBuf>,
) -> anyhow::Result<()> {
    let output = output.unwrap_or_else(|| {
        let mut name = register.path().as_os_str().to_owned();
        name.push(".cards.html");
        PathBuf::from(name)
    });
    // The register's own: a roster person who asked nothing has a topics card.
    let holders = register.register_holders()?;
    let file = keys::path_for(register.path());
    let keys = Keys::load_or_create(&file, &holders)?;
    let links = Links::at(base_url);
    let w = &crate::lang::catalogue::of(lang).invitations;
    let mut cards = Vec::new();
    for h in &holders {
        let (id, who) = match h {
            Holder::Department { id, .. } if whose != Whose::Askers => {
                (id.clone(), w.register_department)
            }
            Holder::Asker { who, .. } if whose != Whose::Departments => {
                (who.to_string(), w.register_asker)
            }
            _ => continue,
        };
        let Some(token) = keys.of(h) else { continue };
        cards.push(Card {
            id,
            name: h.name().to_string(),
            who: who.to_string(),
            link: links.followups(&token),
        });
    }
    let title = crate::lang::catalogue::of(lang).followups.title;
    let page = crate::invitations::sheets(
        &Sheet {
            lang,
            title,
            when: &links.dashboard(),
            kind: w.register_card,
            scan: w.scan,
            personal: w.register_personal,
            print: w.register_print,
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
