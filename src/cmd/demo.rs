//! `xieshang demo`: the bundled 会商监督 meeting on the chair's console, with its
//! simulated participants joining over websockets; with `--auto`, a simulated
//! chair too.

use super::parse_sim_speed;
use crate::clock;
use crate::meeting::Role;
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
    /// How many times faster than life [default: 1, real time, when you chair;
    /// 12 with --auto, when the whole meeting takes about three minutes]
    #[arg(long, value_parser = parse_sim_speed)]
    speed: Option<f64>,
    /// A simulated chair runs the meeting too
    #[arg(long)]
    auto: bool,
    /// Where phones and other terminals join (a free port if this one is
    /// taken): 127.0.0.1 is this machine only; 0.0.0.0:7878 lets phones on the
    /// same Wi-Fi in (the codes then use this machine's LAN address; the
    /// firewall must let the port in)
    #[arg(long, default_value = "127.0.0.1:7878")]
    listen: SocketAddr,
}

/// Seats no simulation plays, added to the demo's plan: a member, a resident and
/// a department's representative a person can take from a phone or a terminal.
/// They have names like everyone else's (the log, the others' screens and the
/// minutes call them by it); the participants screen marks them free (空位).
const FREE_SEATS: &str = include_str!("demo_seats.toml");

pub fn run(args: Args) -> anyhow::Result<()> {
    let scenario = crate::scenario::parse(
        "huishang-supervision.toml",
        &format!("{DEMO_SCENARIO}{FREE_SEATS}"),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let free = free_seats(&scenario);
    let words = &crate::lang::catalogue::of(scenario.plan.meeting.language).cli;
    console::needs_a_terminal(
        "demo",
        "use xieshang simulate scenarios/huishang-supervision.toml --journal OUT for a meeting with no console",
    )?;
    // A person chairs at the speed of life: at 12x a 2:00 turn lasted 10 s and
    // a question typed in cost minutes of meeting time.
    let speed = args
        .speed
        .unwrap_or(if args.auto { DEMO_SPEED } else { 1.0 });
    if speed != 1.0 {
        clock::run_faster(speed);
    }
    let journal = demo_journal();
    let auto = args.auto;
    let script = scenario.script.clone();
    let chair_id = scenario.plan.chair().map(|c| c.id.clone());
    let on_serving: super::chair::OnServing = Box::new(move |url: &str, tokens: &Tokens| {
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
    let result = super::chair::run(super::chair::Options {
        listen: Some(Listen {
            any_port_if_taken: true,
            ..Listen::at(args.listen)
        }),
        journal: Some(journal.clone()),
        loaded: Some((scenario.plan, scenario.sha256)),
        on_serving: Some(on_serving),
        // Watching a simulated chair: the meeting itself, not who may join (`i`).
        show_join: !args.auto,
        free,
        greeting: Some(if args.auto {
            words.demo_auto.to_string()
        } else {
            words.demo_live.to_string()
        }),
        ..super::chair::Options::new(PathBuf::from("huishang-supervision.toml"))
    });
    // The console says on leaving where the record is and how to replay it.
    result
}

/// Who takes part and has no cue in the script: seats for people.
fn free_seats(scenario: &crate::scenario::Scenario) -> Vec<String> {
    scenario
        .plan
        .participants
        .iter()
        .filter(|p| p.role != Role::Chair && p.role.may_take_part())
        .filter(|p| !scenario.script.iter().any(|c| c.who == p.id))
        .map(|p| p.id.clone())
        .collect()
}

/// A new journal for each demo: `meetings/demo-YYYYMMDD-HHMMSS.journal`.
fn demo_journal() -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    PathBuf::from("meetings").join(format!("demo-{stamp}.journal"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_leaves_a_member_a_resident_and_a_department_to_people() {
        let scenario = crate::scenario::parse(
            "huishang-supervision.toml",
            &format!("{DEMO_SCENARIO}{FREE_SEATS}"),
        )
        .unwrap();
        let free = free_seats(&scenario);
        let role = |id: &String| scenario.plan.participant(id).unwrap().role;
        for wanted in [Role::Member, Role::Public, Role::Department] {
            assert!(
                free.iter().any(|id| role(id) == wanted),
                "{wanted:?}: {free:?}"
            );
        }
        assert!(!free.iter().any(|id| role(id) == Role::Chair));
        // Names like anyone's: the log, the screens and the minutes say them.
        for id in &free {
            let name = &scenario.plan.participant(id).unwrap().name;
            assert!(!name.contains('您') && !name.contains("you"), "{name}");
        }
    }
}
