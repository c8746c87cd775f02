//! The pages over plain HTTP, no browser: what is served, with which headers, and
//! how much a phone loads.

use crate::common::meeting::{quick, Meeting};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn get(m: &Meeting, path: &str) -> (String, Vec<u8>) {
    get_with(m, path, "").await
}

/// A GET with more request headers (`Accept-Encoding: gzip\r\n`).
async fn get_with(m: &Meeting, path: &str, more: &str) -> (String, Vec<u8>) {
    let address = m.url.trim_start_matches("ws://").trim_end_matches("/ws");
    let mut s = tokio::net::TcpStream::connect(address).await.unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n{more}Connection: close\r\n\r\n");
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&out[..split]).to_lowercase(),
        out[split + 4..].to_vec(),
    )
}

#[tokio::test]
async fn pages_are_served_uncached_with_a_strict_policy_and_assets_cached_by_version() {
    let m = Meeting::start(quick()).await;
    let address = m
        .url
        .trim_start_matches("ws://")
        .trim_end_matches("/ws")
        .to_lowercase();
    let mut weight = 0;
    for page in ["/join", "/projector"] {
        let (head, body) = get(&m, page).await;
        assert!(head.starts_with("http/1.1 200"), "{page}: {head}");
        assert!(
            head.contains("content-type: text/html; charset=utf-8"),
            "{head}"
        );
        assert!(head.contains("cache-control: no-store"), "{head}");
        assert!(head.contains("x-content-type-options: nosniff"), "{head}");
        assert!(head.contains("referrer-policy: no-referrer"), "{head}");
        let csp = head
            .lines()
            .find_map(|l| l.strip_prefix("content-security-policy: "))
            .unwrap_or_else(|| panic!("{head}"));
        assert!(
            csp.contains("default-src 'self'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert!(
            csp.contains(&format!(
                "connect-src 'self' ws://{address} wss://{address}"
            )),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
        let html = String::from_utf8(body).unwrap();
        assert!(
            !html.contains("<script>") && !html.contains("style="),
            "no inline script or style"
        );
        if page == "/join" {
            weight += html.len();
        }
        // Every asset the page names is served, versioned, cached for a year.
        for link in html.split('"').filter(|s| s.starts_with("/assets/")) {
            let (head, body) = get(&m, link).await;
            assert!(head.starts_with("http/1.1 200"), "{link}: {head}");
            assert!(
                head.contains("cache-control: public, max-age=31536000, immutable"),
                "{head}"
            );
            let kind = if link.ends_with(".css") {
                "text/css"
            } else {
                "text/javascript"
            };
            assert!(
                head.contains(&format!("content-type: {kind}")),
                "{link}: {head}"
            );
            if page == "/join" {
                weight += body.len();
            }
        }
    }
    let version = xieshang::web::version();
    // The modules the page's script imports, and theirs.
    let (_, join_html) = get(&m, "/join").await;
    let join_html = String::from_utf8(join_html).unwrap();
    let imported: Vec<&str> = xieshang::web::loads("/join")
        .into_iter()
        .filter(|p| !join_html.contains(&format!("/{p}\"")))
        .collect();
    assert!(imported.contains(&"meeting/state.js"), "{imported:?}");
    for module in &imported {
        let (head, body) = get(&m, &format!("/assets/{version}/{module}")).await;
        assert!(head.starts_with("http/1.1 200"), "{module}");
        weight += body.len();
    }
    // What a phone loads: its browser takes gzip. The same bytes either way.
    let mut zipped = 0;
    let (_, html) = get(&m, "/join").await;
    let html = String::from_utf8(html).unwrap();
    let names: Vec<String> = html
        .split('"')
        .filter(|s| s.starts_with("/assets/"))
        .map(String::from)
        .chain(imported.iter().map(|m| format!("/assets/{version}/{m}")))
        .chain(["/join".to_string()])
        .collect();
    for path in &names {
        let (plain_head, plain) = get(&m, path).await;
        assert!(!plain_head.contains("content-encoding"), "{plain_head}");
        let (head, body) = get_with(&m, path, "Accept-Encoding: gzip, deflate, br\r\n").await;
        assert!(head.contains("content-encoding: gzip"), "{path}: {head}");
        assert!(head.contains("vary: accept-encoding"), "{path}: {head}");
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut unzipped)
            .unwrap();
        assert_eq!(unzipped, plain, "{path}: gzip holds the same bytes");
        zipped += body.len();
    }
    println!("the participant's page: {weight} bytes, {zipped} gzipped");
    assert!(
        zipped <= 60 * 1024,
        "the participant's page loads {zipped} bytes gzipped ({weight} plain)"
    );
    // Another version's assets are gone, not served stale.
    let (head, _) = get(&m, "/assets/000000000000/meeting/join.js").await;
    assert!(head.starts_with("http/1.1 404"), "{head}");
    let (head, _) = get(&m, &format!("/assets/{version}/..%2FCargo.toml")).await;
    assert!(head.starts_with("http/1.1 404"), "{head}");
}

/// Every key of a catalogue, `table.key`, nested tables included.
fn keys(table: &toml::Table, at: &str, out: &mut std::collections::BTreeSet<String>) {
    for (k, v) in table {
        let here = format!("{at}{k}");
        match v {
            toml::Value::Table(t) => keys(t, &format!("{here}."), out),
            _ => {
                out.insert(here);
            }
        }
    }
}

fn catalogue(lang: &str) -> (String, std::collections::BTreeSet<String>) {
    let path = format!("{}/src/lang/{lang}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = std::collections::BTreeSet::new();
    keys(&text.parse().unwrap(), "", &mut out);
    (text, out)
}

/// Everything is said in both languages: a word in one and not the other is what
/// once left Chinese on an English page. One catalogue per language holds the
/// words of the consoles, the CLI, the minutes and the pages (the build refuses
/// a lopsided one too: `build.rs`).
#[test]
fn every_word_exists_in_both_languages() {
    let ((zh_text, zh), (_, en)) = (catalogue("zh"), catalogue("en"));
    assert!(zh.len() > 300, "read the words: {}", zh.len());
    for table in ["console.", "minutes.", "page.", "roles.", "kinds.", "cli."] {
        assert!(
            zh.iter().any(|k| k.starts_with(table)),
            "the catalogue has the {table} words"
        );
    }
    let only = |a: &std::collections::BTreeSet<String>, b: &std::collections::BTreeSet<String>| {
        a.difference(b).cloned().collect::<Vec<_>>()
    };
    assert!(
        only(&zh, &en).is_empty(),
        "in Chinese only: {:?}",
        only(&zh, &en)
    );
    assert!(
        only(&en, &zh).is_empty(),
        "in English only: {:?}",
        only(&en, &zh)
    );
    // The comparison sees a missing word.
    let cut: toml::Table = zh_text
        .replacen("\nfree = \"话筒空闲\"\n", "\n", 1)
        .parse()
        .unwrap();
    let mut fewer = std::collections::BTreeSet::new();
    keys(&cut, "", &mut fewer);
    assert_eq!(only(&en, &fewer), ["page.free"]);
}

/// Every word a page asks for (`w.name`) is in the pages' catalogue: a typo would
/// show `undefined` to a resident.
#[test]
fn every_word_a_page_asks_for_is_in_the_catalogue() {
    let (_, words) = catalogue("en");
    let known = |name: &str| {
        words.contains(&format!("page.{name}"))
            || [
                "roles",
                "kinds",
                "modes",
                "sources",
                "followups",
                "topics",
                "done",
            ]
            .contains(&name)
    };
    let mut asked = 0;
    for (path, bytes) in xieshang::web::files() {
        if !path.ends_with(".js") {
            continue;
        }
        let js = std::str::from_utf8(bytes).unwrap();
        let bytes = js.as_bytes();
        for (i, _) in js.match_indices("w.") {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') {
                continue;
            }
            let name: String = js[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() || name == "lang" && js[i + 2 + name.len()..].starts_with(" =") {
                continue;
            }
            asked += 1;
            assert!(
                known(&name),
                "{path}: w.{name} is not in the catalogue's [page]"
            );
        }
    }
    assert!(asked > 100, "read the pages' words ({asked})");
}
