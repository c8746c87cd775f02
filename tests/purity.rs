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
    let mut todo = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("meeting/src")];
    let mut checked = 0;
    let mut files = Vec::new();
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(
        files.iter().any(|f| f.ends_with("followups/rules.rs")),
        "the core's folders are read too"
    );
    for path in files {
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

/// The crates that do IO, drive a terminal or run tasks: none may be in the
/// core's dependency tree.
const FORBIDDEN_CRATES: [&str; 14] = [
    "tokio",
    "mio",
    "ratatui",
    "crossterm",
    "tungstenite",
    "tokio-tungstenite",
    "hyper",
    "axum",
    "rustls",
    "async-nats",
    "rusqlite",
    "socket2",
    "getrandom",
    "chrono",
];

/// The core is its own crate, and the compiler holds its purity: what it is
/// built from (every package its dependencies reach, read from `Cargo.lock`)
/// includes no runtime, terminal, network or clock crate. The walk starts at
/// the manifest's `[dependencies]`: `Cargo.lock` lists a member's
/// dev-dependencies with the rest, and its tests' (proptest) are never in it.
#[test]
fn the_core_crate_is_built_from_no_io_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("meeting/Cargo.toml")).unwrap()).unwrap();
    let normal: Vec<String> = manifest["dependencies"]
        .as_table()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert!(
        manifest.get("build-dependencies").is_none(),
        "the walk would miss what a build script brings"
    );
    let lock: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.lock")).unwrap()).unwrap();
    let packages = lock["package"].as_array().unwrap();
    let deps = |name: &str| -> Vec<String> {
        let p = packages
            .iter()
            .find(|p| p["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("{name} is in Cargo.lock"));
        p.get("dependencies")
            .and_then(|d| d.as_array())
            .map(|d| {
                d.iter()
                    // "name version" where two versions are locked
                    .map(|d| d.as_str().unwrap().split(' ').next().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    // Each of the manifest's is one the lock holds for the core.
    let locked = deps("xieshang-meeting");
    for name in &normal {
        assert!(locked.contains(name), "{name} is the core's in Cargo.lock");
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = normal;
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            todo.extend(deps(&name));
        }
    }
    assert!(
        seen.contains("serde"),
        "the walk reached the core's deps: {seen:?}"
    );
    for bad in FORBIDDEN_CRATES {
        assert!(
            !seen.contains(bad),
            "the core is built with {bad}: {seen:?}"
        );
    }
    // And the top crate uses the core as a crate, not a copy of its files.
    assert!(!root.join("src/meeting").exists());
}

/// The modules a file's code names after `prefix` (`crate::`, `crate::tui::`,
/// `super::`), also inside groups (`use crate::{hub, tui::App}`); comments and
/// tests left out.
fn imports(text: &str, prefix: &str) -> Vec<String> {
    let code: String = text
        .split("#[cfg(test)]")
        .next()
        .unwrap_or(text)
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // `xcrate::`, or `super::` inside `super::super::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            // The group's items at its own depth: each item's first name.
            let (mut depth, mut start) = (0, 0);
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.push(ident(&group[start..j]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(ident(&group[start..j]));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(ident(rest));
        }
    }
    found.retain(|n| !n.is_empty() && n != "super" && n != "self");
    found
}

/// A cycle in `edges` (module → the modules it imports), as a path, if any.
fn cycle(
    edges: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Option<Vec<String>> {
    fn visit(
        v: &str,
        edges: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == v) {
            let mut c = path[i..].to_vec();
            c.push(v.to_string());
            return Some(c);
        }
        if done.contains(v) {
            return None;
        }
        path.push(v.to_string());
        for w in edges.get(v).into_iter().flatten() {
            if let Some(c) = visit(w, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(v.to_string());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    edges
        .keys()
        .find_map(|v| visit(v, edges, &mut Vec::new(), &mut done))
}

/// The import graph among the modules directly under `dir`, each named by its
/// file or folder, through `prefix`.
fn graph(
    dir: &Path,
    prefix: &str,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut edges = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for (top, text) in files(dir) {
        let deps = imports(&text, prefix)
            .into_iter()
            .chain(if prefix == "crate::" {
                Vec::new()
            } else {
                imports(&text, "super::")
            });
        for dep in deps {
            if dep != top && !["mod", "lib", "main"].contains(&top.as_str()) {
                edges.entry(top.clone()).or_default().insert(dep);
            }
        }
    }
    edges
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
            assert!(
                !imports(&text, "crate::").contains(&"tui".to_string()),
                "src/{name} imports the console"
            );
        }
    }
    // No cycle anywhere: among the crate's modules, among the files of each
    // folder, and among the core crate's files.
    let mut graphs = vec![("src".to_string(), graph(&src, "crate::"))];
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let pkg = path.file_name().unwrap().to_string_lossy().into_owned();
            graphs.push((
                format!("src/{pkg}"),
                graph(&path, &format!("crate::{pkg}::")),
            ));
        }
    }
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("meeting/src");
    graphs.push(("meeting/src".into(), graph(&core, "crate::")));
    assert!(graphs.len() > 10, "read the folders");
    for (dir, edges) in &graphs {
        assert!(
            cycle(edges).is_none(),
            "{dir}: an import cycle: {:?}",
            cycle(edges)
        );
    }
    assert!(
        graphs[0].1.get("tui").is_some_and(|d| d.contains("hub")),
        "the graph sees grouped imports too"
    );
    // The consoles are handed a running meeting (or a journal read, or a
    // client's first connection) and when to stop: reading plans, opening
    // journals and logs, starting servers and publishers, listening for signals
    // is the subcommands' wiring (`cmd`).
    for wiring in [
        "served", "scenario", "logging", "tls", "program", "signals", "recorded", "server",
        "relay", "minutes", "simulate", "register",
    ] {
        assert!(
            !graphs[0].1["tui"].contains(wiring),
            "src/tui builds what it should be handed: it imports {wiring}"
        );
    }
}

#[test]
fn a_cycle_is_found_whatever_its_length_and_however_it_is_imported() {
    let text = "use crate::{hub, tui::App};\nuse crate::server::x; // crate::journal\n";
    assert_eq!(imports(text, "crate::"), ["hub", "tui", "server"]);
    let edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
        .iter()
        .fold(
            std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new(),
            |mut m, (a, b)| {
                m.entry(a.to_string()).or_default().insert(b.to_string());
                m
            },
        );
    assert_eq!(cycle(&edges).unwrap(), ["a", "b", "c", "a"]);
    let mut open = edges.clone();
    open.get_mut("c").unwrap().remove("a");
    assert!(cycle(&open).is_none());
}

/// A step's kind is asked of its traits (`StepKind::traits`), said once per kind;
/// a named kind appears only where a kind's own words or checks live, so a new
/// kind is decided in a few places the compiler lists.
#[test]
fn step_kinds_are_named_only_where_each_kind_is_said_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Where a kind may be named: its traits, its words, the scenario's stand-in
    // for a misspelt kind.
    let allowed = [
        "meeting/src/plan.rs",
        "src/lang/mod.rs",
        "meeting/src/scenario.rs",
    ];
    // Every kind there is, as the code names it: a new kind is guarded too.
    let kinds: Vec<String> = xieshang::meeting::plan::StepKind::ALL
        .iter()
        .map(|k| format!("{k:?}"))
        .collect();
    assert!(kinds.iter().any(|k| k == "Review"), "{kinds:?}");
    let mut named = Vec::new();
    for dir in ["src", "meeting/src"] {
        let mut todo = vec![root.join(dir)];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    todo.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
                for (n, line) in code.lines().enumerate() {
                    let line = line.split("//").next().unwrap_or("");
                    let names_one = kinds
                        .iter()
                        .any(|k| line.contains(&format!("StepKind::{k}")));
                    if names_one {
                        named.push(rel.clone());
                        assert!(
                            allowed.contains(&rel.as_str()),
                            "{rel}:{}: ask `kind.traits()` instead: {line}",
                            n + 1
                        );
                    }
                }
            }
        }
    }
    assert!(
        named.iter().any(|f| f == "meeting/src/plan.rs"),
        "read the core"
    );
}

#[test]
fn the_pages_name_no_step_kind_and_no_role() {
    // The server tells a page what each kind of step allows (`step_kinds`) and
    // what its seat may do (`may`): a page that compares a kind or a role by name
    // has a rule of its own. The words (`words.js`) name them to say them.
    use xieshang::meeting::plan::{Role, StepKind};
    let kinds: Vec<&str> = StepKind::ALL.iter().map(|k| k.as_str()).collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    assert!(kinds.contains(&"review") && roles.contains(&"observer"));
    let mut read = 0;
    for (name, bytes) in xieshang::web::files() {
        // The words name them to say them; the made catalogue too.
        if !name.ends_with(".js") || name.starts_with("shared/") {
            continue;
        }
        read += 1;
        let text = std::str::from_utf8(bytes).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in kinds.iter().chain(&roles) {
                for q in ['\'', '"'] {
                    for how in ["=== ", "!== ", "== ", "case ", "kind: "] {
                        let compared = format!("{how}{q}{word}{q}");
                        assert!(
                            !code.contains(&compared),
                            "{name}:{}: ask the welcome's `step_kinds` or `may`: {line}",
                            n + 1
                        );
                    }
                }
            }
        }
    }
    assert!(read >= 5, "read the pages' scripts ({read})");
}

/// Words a person reads are in the catalogue (`src/lang/*.toml`); Chinese in
/// code is kept to where the architecture allows it: the catalogue's readers in
/// `src/lang/`, and the files that keep sentences with values as pairs beside
/// the code that fills them (`say(en, zh)`), each named here with why. A new
/// file with Chinese in its code fails: put the words in the catalogue, or name
/// the file here and say why.
#[test]
fn chinese_appears_only_where_it_may() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let may: &[(&str, &str)] = &[
        (
            "src/lang/",
            "the catalogue's readers and every refusal as a sentence",
        ),
        (
            "src/tui/keys.rs",
            "the key tables: zh and en side by side in each row",
        ),
        (
            "src/tui/describe.rs",
            "the log's event sentences, with names in them",
        ),
        (
            "src/tui/console.rs",
            "the console's stop sentence, with its figures",
        ),
        (
            "src/tui/app/",
            "the console's notices and questions, with names in them",
        ),
        ("src/tui/view/", "a few drawn sentences with counts in them"),
        (
            "src/tui/picker.rs",
            "the filter's words, with what was typed",
        ),
        (
            "src/minutes/",
            "the minutes' sentences, with names and dates in them",
        ),
        (
            "src/scenario/",
            "each problem of a plan, with its line and what to write",
        ),
        (
            "src/simulate/",
            "the simulated chair's and participants' own words",
        ),
        (
            "src/relay/",
            "the publisher's and relay's notices, with their causes",
        ),
        (
            "src/office/followups/",
            "a review's notes recorded in the register, a recall's problems",
        ),
        (
            "src/office/roster/",
            "each problem of a roster's row or a plan's seat, with what to write",
        ),
        (
            "src/office/topics/",
            "a failed promise's topic and a plan's notes, written into the record with their figures",
        ),
        ("src/office/layout.rs", "what each layout step is for"),
        ("src/text.rs", "examples of width in its comments and tests"),
    ];
    let mut read = 0;
    let mut todo = vec![root.join("src")];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if may.iter().any(|(place, _)| rel.starts_with(place)) {
                continue;
            }
            read += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
            for (n, line) in code.lines().enumerate() {
                let line = line.trim_start();
                if line.starts_with("//") || line.starts_with("///") || line.starts_with("//!") {
                    continue;
                }
                let code = line.split(" // ").next().unwrap_or(line);
                assert!(
                    !code.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{rel}:{}: Chinese in code: put it in src/lang/zh.toml (and en.toml): {line}",
                    n + 1
                );
            }
        }
    }
    assert!(read > 40, "read the sources ({read})");
}
