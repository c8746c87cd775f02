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
    for module in ["connection.js", "state.js", "view.js", "words.js"] {
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
        .chain(
            ["connection.js", "state.js", "view.js", "words.js"]
                .iter()
                .map(|m| format!("/assets/{version}/{m}")),
        )
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
    let (head, _) = get(&m, "/assets/000000000000/join.js").await;
    assert!(head.starts_with("http/1.1 404"), "{head}");
    let (head, _) = get(&m, &format!("/assets/{version}/..%2FCargo.toml")).await;
    assert!(head.starts_with("http/1.1 404"), "{head}");
}

/// The top-level keys of the object literal after `const NAME = {` in `js`:
/// strings, templates and nested brackets skipped.
fn object_keys(js: &str, name: &str) -> Vec<String> {
    let start = js
        .find(&format!("const {name} = {{"))
        .unwrap_or_else(|| panic!("no {name} in words.js"));
    let body = &js[start..];
    let body = &body[body.find('{').unwrap() + 1..];
    let mut keys = Vec::new();
    let (mut depth, mut expect_key) = (0usize, true);
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
                expect_key = false;
            }
            '/' if chars.peek().is_some_and(|(_, d)| *d == '/') => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek().is_some_and(|(_, d)| *d == '*') => {
                let mut last = ' ';
                for (_, d) in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
            }
            '{' | '(' | '[' => {
                depth += 1;
                expect_key = false;
            }
            '}' | ')' | ']' if depth == 0 => break,
            '}' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => expect_key = true,
            c if expect_key && (c.is_ascii_alphabetic() || c == '_') => {
                let rest = &body[i..];
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let after = rest[key.len()..].trim_start();
                assert!(
                    after.starts_with(':'),
                    "{name}.{key} is followed by a colon"
                );
                keys.push(key.clone());
                for _ in 1..key.len() {
                    chars.next();
                }
                expect_key = false;
            }
            _ => {}
        }
    }
    keys.sort();
    keys
}

/// The page says everything in both languages: a word in one and not the other
/// is what once left Chinese on an English page.
#[test]
fn every_word_of_the_pages_exists_in_both_languages() {
    let js = include_str!("../src/web/assets/words.js");
    let (zh, en) = (object_keys(js, "ZH"), object_keys(js, "EN"));
    assert!(zh.len() > 50, "read the words: {zh:?}");
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter().filter(|k| !b.contains(k)).cloned().collect()
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
    // The scanner sees a missing word.
    let cut = js.replacen("free: '话筒空闲', ", "", 1);
    assert!(!object_keys(&cut, "ZH").contains(&"free".to_string()));
}
