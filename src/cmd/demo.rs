//! `xieshang demo`: the bundled 会商监督 meeting on the chair's console, with its
//! simulated participants joining over websockets; with `--auto`, a simulated
//! chair too.

use super::parse_sim_speed;
use crate::clock;
use crate::served::Listen;
use crate::server::Tokens;
use crate::simulate::{auto_chair, participants, DEMO_SCENARIO, DEMO_SPEED};
use crate::tui::console;
use std::net::SocketAddr;
use std::path::PathBuf;

/// A whole meeting, alive: the bundled 会商监督 meeting on the chair's console,
/// with simulated participants joining over websockets. You are the chair
/// (s starts, Enter gives the floor, n moves on, ? lists the keys); with --auto
/// a simulated chair runs it and you watch. Other terminals can join it too
/// (press i for how).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many times faster than life (at 12 the whole meeting takes about
    /// three minutes)
    #[arg(long, default_value_t = DEMO_SPEED, value_parser = parse_sim_speed)]
    speed: f64,
    /// A simulated chair runs the meeting too
    #[arg(long)]
    auto: bool,
    /// Where other terminals join (a free port if this one is taken)
    #[arg(long, default_value = "127.0.0.1:7878")]
    listen: SocketAddr,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let scenario = crate::scenario::parse("huishang-supervision.toml", DEMO_SCENARIO)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    console::needs_a_terminal(
        "demo",
        "use xieshang simulate scenarios/huishang-supervision.toml --journal OUT for a meeting with no console",
    )?;
    clock::run_faster(args.speed);
    let journal = demo_journal();
    let auto = args.auto;
    let script = scenario.script.clone();
    let chair_id = scenario.plan.chair().map(|c| c.id.clone());
    let on_serving: console::OnServing = Box::new(move |url: &str, tokens: &Tokens| {
        participants(url, tokens, &script);
        if auto {
            if let Some(token) = chair_id.as_deref().and_then(|c| tokens.of(c)) {
                let (url, token) = (url.to_string(), token.to_string());
                tokio::spawn(async move {
                    if let Err(e) = auto_chair(url, token).await {
                        tracing::warn!("the automatic chair stopped: {e}");
                    }
                });
            }
        }
    });
    let result = console::run(console::Options {
        listen: Some(Listen {
            any_port_if_taken: true,
            ..Listen::at(args.listen)
        }),
        journal: Some(journal.clone()),
        loaded: Some((scenario.plan, scenario.sha256)),
        on_serving: Some(on_serving),
        show_join: true,
        greeting: Some(if args.auto {
            "演示：模拟主持人在主持会议，按 ? 查看按键，按 i 查看其他终端如何加入，按 q 退出"
                .to_string()
        } else {
            "演示：您是主持人。s 开始会议，⏎ 请下一位发言，n 下一环节，? 全部按键，i 其他终端如何加入".to_string()
        }),
        ..console::Options::new(PathBuf::from("huishang-supervision.toml"))
    });
    if result.is_ok() {
        println!("the demo meeting is recorded in {}", journal.display());
        println!(
            "  replay it:        xieshang replay {} --speed 8",
            journal.display()
        );
        println!(
            "  write the minutes: xieshang minutes {} -o minutes.html",
            journal.display()
        );
    }
    result
}

/// A new journal for each demo: `meetings/demo-YYYYMMDD-HHMMSS.journal`.
fn demo_journal() -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    PathBuf::from("meetings").join(format!("demo-{stamp}.journal"))
}
