//! `xieshang relay`: a meeting's audience served from its broadcast on NATS.

use super::log_to_stderr;
use crate::relay::signature::PublicKey;
use crate::relay::{follow, Names};
use crate::served::Running;
use crate::server::{self, Tokens};
use std::net::SocketAddr;

/// Serve a meeting's audience from its broadcast: the chair's server publishes to
/// NATS JetStream (`run` or `serve` with --nats); each relay follows the stream
/// and serves the same pages and websocket, read-only, to as many viewers as one
/// machine holds. Start as many relays as the audience needs, on any machines.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The NATS server the meeting is published to, e.g. nats://10.0.0.5:4222
    #[arg(long, value_name = "URL")]
    nats: String,
    /// The key the chair's server signs the meeting with, as `serve --nats`
    /// printed it (64 hex digits), or the file it keeps it in
    /// (<journal>.publisher.pub): messages not signed by it are never shown
    #[arg(long, value_name = "KEY", value_parser = PublicKey::parse)]
    publisher_key: PublicKey,
    /// Who to be to NATS (a relay's credentials should only let it read)
    #[command(flatten)]
    nats_options: super::serving::NatsOptions,
    /// The meeting's name on NATS (what the chair's server was given as
    /// --meeting-id, by default its plan file's name)
    #[arg(long, value_name = "ID", value_parser = crate::relay::meeting_id)]
    meeting: String,
    /// Where viewers connect: their page at http://ADDR/join#t=audience, the
    /// projector at http://ADDR/projector#t=audience
    #[arg(long, default_value = "127.0.0.1:7880", value_name = "ADDR")]
    listen: SocketAddr,
    /// The word in the audience's link (`#t=WORD`): public, it only lets one
    /// watch; give the meeting's observer token to keep the link to those who
    /// were sent it
    #[arg(long, default_value = "audience", value_name = "WORD")]
    audience_token: String,
    /// The most connections at once
    #[arg(long, default_value_t = server::Config::default().max_connections)]
    max_connections: usize,
    #[command(flatten)]
    per_address: super::serving::PerAddress,
    /// Where a self-signed certificate is kept (`DIR/relay-<meeting>.cert.pem`)
    #[arg(long, default_value = "meetings", value_name = "DIR")]
    dir: std::path::PathBuf,
    /// --public-url (a load balancer in front of several relays), and TLS as for
    /// `serve`
    #[command(flatten)]
    serving: super::serving::Serving,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    log_to_stderr();
    let names = Names::new(&args.meeting);
    // What a self-signed certificate is kept beside, as a journal would be.
    let base = args.dir.join(format!("relay-{}", args.meeting));
    if args.serving.is_given() {
        crate::private::make_dir(&args.dir)?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let nats = args.nats_options.nats(&args.nats)?;
    let nats_shown = crate::text::shown(&nats.shown()).into_owned();
    runtime.block_on(async move {
        let stop = crate::signals::Stop::listen()?.requested();
        tokio::pin!(stop);
        // Waiting for the meeting to be published is stopped like serving it.
        let header = tokio::select! {
            header = follow::header(&nats, &names, &args.publisher_key) => header?,
            _ = &mut stop => return Ok(()),
        };
        let mut plan = header.plan;
        plan.reindex();
        let lang = plan.meeting.language;
        let w = &crate::lang::catalogue::of(lang).cli;
        let viewer = w.audience;
        let tokens = Tokens::audience(&args.audience_token, viewer);
        let listen = args.serving.listen(args.listen, &base)?;
        let (notices, told) = tokio::sync::watch::channel(None);
        let config = server::Config {
            max_connections: args.max_connections,
            max_per_address: args.per_address.max_per_address,
            max_strangers_per_address: args.per_address.max_unauthenticated_per_address,
            notices: Some(told),
            ..server::Config::default()
        };
        let mut running = Running::relay(std::sync::Arc::new(plan), tokens, listen, config).await?;
        let follower = follow::spawn(
            running.hub.clone(),
            nats,
            names,
            args.publisher_key.clone(),
            notices,
        );
        running.feed(follower);
        if let Some(links) = &running.links {
            let token = &args.audience_token;
            let (page, projector) = (links.join(token), links.projector(token));
            let title = crate::text::shown(&header.title);
            let (ws, nats, id) = (links.websocket(), &nats_shown, &args.meeting);
            let terminal = format!(
                "XIESHANG_TOKEN={token} {} join --projector{} {ws}",
                crate::program::invocation(),
                args.serving.join_needs(&base)
            );
            println!(
                "{}",
                crate::lang::fill(
                    w.relay_serving,
                    &[
                        ("title", &title),
                        ("ws", &ws),
                        ("id", id),
                        ("nats", nats),
                        ("page", &page),
                        ("projector", &projector),
                        ("terminal", &terminal),
                    ],
                )
            );
        }
        running.until(stop).await?;
        tracing::info!("stopped");
        Ok(())
    })
}
