//! The meeting core stays pure: no async runtime, no terminal, no file or network
//! IO, no clock. Time is an argument.

use std::path::Path;

const FORBIDDEN: [&str; 13] = [
    "tokio",
    "ratatui",
    "crossterm",
    "tungstenite",
    "std::fs",
    "std::net",
    "std::io",
    "std::process",
    "std::thread",
    "std::env",
    "SystemTime",
    "Instant",
    "rand::",
];

#[test]
fn the_meeting_core_uses_no_io_ui_or_clock() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/meeting");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                assert!(
                    !code.contains(word),
                    "{}:{}: the meeting core must stay pure, but uses {word}: {line}",
                    path.display(),
                    n + 1
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "read the core's files ({checked})");
}
