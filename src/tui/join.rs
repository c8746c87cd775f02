//! `XIESHANG_TOKEN=… xieshang join URL [--projector]`: a participant's console, or the
//! room's big screen, on a meeting served elsewhere. The same model and view as the
//! chair's console, fed by the protocol; it reconnects by itself and resumes from
//! the last `seq` it holds, showing the connection's state meanwhile.

use super::app::{update, App, Effect, Msg, Seat};
use crate::client::{entry_of, Client, ClientError};
use crate::clock::now_ms;
use crate::meeting::plan::Language;
use crate::protocol::{ClientFrame, ServerFrame};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use std::time::Duration;

pub struct Options {
    pub remote: crate::client::Remote,
    pub token: String,
    pub projector: bool,
    pub lang: Option<Language>,
}

/// Runs the console until the participant quits, the server ends the meeting or
/// `stop` resolves (a signal: `cmd::join` listens for it).
pub async fn drive(
    options: Options,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    // The first connection must work: a wrong URL or token is said at once.
    let client = Client::connect_to(&options.remote, &options.token, None).await?;
    let lang = options.lang.unwrap_or(client.state.plan.meeting.language);
    let mut app = App::new(client.state.clone(), lang, options.remote.url.clone());
    app.seat = if options.projector {
        Seat::Projector
    } else {
        Seat::Participant(client.you.id.clone())
    };
    app.connected = Some(true);
    // A projector that holds the audience's (an observer's) token shows the
    // hall the code of the audience's page before the meeting starts.
    if options.projector && client.you.role == crate::meeting::Role::Observer {
        app.audience = audience_page(&options.remote.url, &options.token);
    }
    app.utc_offset_s = chrono::Local::now().offset().local_minus_utc();

    let mut terminal = ratatui::init();
    let mut keys = EventStream::new();
    tokio::pin!(stop);
    let mut client = Some(client);
    // What is held across a reconnect: the state and its seq.
    let mut held = None;
    let mut backoff = Duration::from_millis(250);
    // When to try again: a deadline kept across the loop's turns, so that the
    // clock's redraws (every 250 ms while it runs) never put the try off.
    let mut retry_at = tokio::time::Instant::now();
    let mut next_id = 0u64;
    // The server's clock, kept across reconnections: countdowns count from it.
    let mut clock = client.as_ref().map(|c| c.clock);
    let outcome: anyhow::Result<()> = loop {
        if let Some(c) = &client {
            clock = Some(c.clock);
        }
        // While the chair is away the meeting stands still: so do its clocks.
        app.now_ms = app
            .chair_left_at
            .unwrap_or_else(|| clock.map_or_else(now_ms, |c| c.now_ms()));
        if let Err(e) = terminal.draw(|f| f.render_widget(&app, f.area())) {
            break Err(e.into());
        }
        let wait = if app.redraw_soon() {
            Duration::from_millis(250)
        } else {
            Duration::from_secs(30)
        };
        tokio::select! {
            key = keys.next() => match key {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    let effects = update(&mut app, Msg::Key(key), now_ms());
                    let mut quit = false;
                    for effect in effects {
                        match effect {
                            Effect::Quit => quit = true,
                            Effect::Replay(..) | Effect::Bell => {}
                            Effect::Submit(action) => match client.as_mut() {
                                Some(c) => {
                                    next_id += 1;
                                    let frame = ClientFrame::Intent { id: format!("k{next_id}"), action };
                                    if c.send_text(serde_json::to_string(&frame).expect("frames serialize")).await.is_err() {
                                        held = Some((c.state.clone(), c.seq));
                                        client = None;
                                        retry_at = tokio::time::Instant::now() + backoff;
                                        app.connected = Some(false);
                                    }
                                }
                                None => {
                                    let text = labels_reconnecting(&app);
                                    update(&mut app, Msg::Refused(text), now_ms());
                                }
                            },
                        }
                    }
                    if quit {
                        break Ok(());
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => break Err(e.into()),
                None => break Ok(()),
            },
            frame = next_frame(&mut client) => match frame {
                Ok(frame) => on_frame(&mut app, client.as_ref(), &frame),
                Err(e) if e.is_final() => break Err(not_again(e)),
                Err(e) => {
                    tracing::info!("connection lost: {e}");
                    if let Some(c) = client.take() {
                        held = Some((c.state.clone(), c.seq));
                    }
                    retry_at = tokio::time::Instant::now() + backoff;
                    app.connected = Some(false);
                    if e.is_chair_left() {
                        app.chair_left_at = Some(app.now_ms);
                    }
                    if let ClientError::Refused { message, .. } = &e {
                        update(&mut app, Msg::Notice { text: message.clone(), error: true }, now_ms());
                    }
                }
            },
            _ = tokio::time::sleep_until(retry_at), if client.is_none() => {
                // A server that does not answer never keeps a signal waiting.
                let connecting = tokio::select! {
                    connecting = Client::connect_to(&options.remote, &options.token, held.clone()) => connecting,
                    _ = &mut stop => break Ok(()),
                };
                match connecting {
                    Ok(c) => {
                        app.state = c.state.clone();
                        app.connected = Some(true);
                        app.chair_left_at = None;
                        backoff = Duration::from_millis(250);
                        client = Some(c);
                    }
                    Err(e) if e.is_final() => break Err(not_again(e)),
                    Err(_) => {
                        backoff = (backoff * 2).min(Duration::from_secs(5));
                        retry_at = tokio::time::Instant::now() + backoff;
                    }
                }
            }
            _ = tokio::time::sleep(wait) => {}
            _ = &mut stop => break Ok(()),
        }
    };
    super::console::restore_terminal(terminal);
    if let Some(c) = client {
        c.close().await;
    }
    outcome
}

/// The next frame, or never when there is no connection.
async fn next_frame(client: &mut Option<Client>) -> Result<ServerFrame, ClientError> {
    match client {
        Some(c) => c.next().await,
        None => std::future::pending().await,
    }
}

fn on_frame(app: &mut App, client: Option<&Client>, frame: &ServerFrame) {
    match frame {
        ServerFrame::Event { .. } => {
            // Logged through the model; the client's state, which applied the same
            // event in seq order, stays the truth.
            if let Some(entry) = entry_of(frame) {
                update(app, Msg::Recorded(vec![entry]), now_ms());
            }
            if let Some(c) = client {
                app.state = c.state.clone();
            }
        }
        ServerFrame::Welcome { .. } | ServerFrame::Snapshot { .. } => {
            if let Some(c) = client {
                app.state = c.state.clone();
            }
        }
        ServerFrame::Notice {
            reason, messages, ..
        } => {
            // A relay's broadcast interrupted (or back): said on the footer.
            let text = match app.lang {
                crate::meeting::plan::Language::Zh => messages.zh.clone(),
                crate::meeting::plan::Language::En => messages.en.clone(),
            };
            let trouble = reason != "broadcast_resumed";
            update(
                app,
                Msg::Notice {
                    text,
                    error: trouble,
                },
                now_ms(),
            );
        }
        ServerFrame::Error {
            id: Some(_),
            message,
            reason,
            params,
            ..
        } => {
            // Said in this console's language when the refusal is one we know.
            let text = crate::protocol::refusal_of(reason.as_deref(), params.as_ref()).map_or_else(
                || message.clone(),
                |r| crate::lang::refusal::sentence(&r, app.lang, &app.state.plan),
            );
            update(app, Msg::Refused(text), now_ms());
        }
        _ => {}
    }
}

/// The audience's page on the server behind the websocket `url`
/// (`wss://h:p/ws` → `https://h:p/join#t=TOKEN`).
fn audience_page(url: &str, token: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = if scheme == "wss" { "https" } else { "http" };
    let base = rest.strip_suffix("/ws").unwrap_or(rest);
    Some(format!("{scheme}://{base}/join#t={token}"))
}

/// Why the console stops instead of reconnecting.
fn not_again(e: ClientError) -> anyhow::Error {
    anyhow::anyhow!("{e}; connecting again would be refused again, so join stops here")
}

fn labels_reconnecting(app: &App) -> String {
    super::labels::labels(app.lang).reconnecting.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_audience_page_is_on_the_same_server() {
        assert_eq!(
            super::audience_page("wss://meet.example.org:7878/ws", "w0rd").as_deref(),
            Some("https://meet.example.org:7878/join#t=w0rd")
        );
        assert_eq!(
            super::audience_page("ws://127.0.0.1:7880/ws", "audience").as_deref(),
            Some("http://127.0.0.1:7880/join#t=audience")
        );
    }
}
