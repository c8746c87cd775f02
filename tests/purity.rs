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

/// The `use`d and named modules of `crate::<pkg>::…` or `super::…` in a file's code
/// (comments and tests left out).
fn imports(text: &str, pkg: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut found = Vec::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        for prefix in [
            format!("crate::{pkg}::"),
            "super::super::".into(),
            "super::".into(),
        ] {
            let mut rest = line;
            while let Some(i) = rest.find(prefix.as_str()) {
                let after = &rest[i + prefix.len()..];
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "super" {
                    found.push(name);
                }
                rest = &rest[i + prefix.len()..];
            }
        }
    }
    found
}

/// Every `.rs` file under `dir`, with its module's first name under `dir`.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let top = path.file_name().unwrap().to_string_lossy().into_owned();
            for (_, text) in files(&path) {
                out.push((top.clone(), text));
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let top = path.file_stem().unwrap().to_string_lossy().into_owned();
            out.push((top, std::fs::read_to_string(&path).unwrap()));
        }
    }
    out
}

#[test]
fn layers_point_one_way_and_modules_import_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // Nothing below the consoles imports them: only the consoles themselves, the
    // subcommands and the binary.
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if ["tui", "cmd", "main.rs"].contains(&name.as_str()) {
            continue;
        }
        let texts: Vec<String> = if path.is_dir() {
            files(&path).into_iter().map(|(_, t)| t).collect()
        } else {
            vec![std::fs::read_to_string(&path).unwrap()]
        };
        for text in texts {
            let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
            for line in code.lines() {
                let line = line.split("//").next().unwrap_or("");
                assert!(
                    !line.contains("crate::tui"),
                    "src/{name} imports the console: {line}"
                );
            }
        }
    }
    // No two modules of the core or of the consoles import each other.
    for pkg in ["meeting", "tui", "server", "hub", "lang"] {
        let dir = src.join(pkg);
        let mut edges = std::collections::BTreeSet::new();
        for (top, text) in files(&dir) {
            for dep in imports(&text, pkg) {
                if dep != top {
                    edges.insert((top.clone(), dep));
                }
            }
        }
        for (a, b) in &edges {
            assert!(
                !edges.contains(&(b.clone(), a.clone())),
                "src/{pkg}: {a} and {b} import each other"
            );
        }
    }
}
