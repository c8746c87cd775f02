//! The pages: plain JavaScript modules and CSS, embedded in the binary, no
//! bundler, no CDN, nothing fetched from elsewhere (these meetings run on a LAN
//! or offline). Their files are in folders by audience — `meeting/` (the
//! participant's page, the projector), `office/` (the register's pages),
//! `shared/` (the words, the node helpers, the base style) — and every file
//! there is embedded by the build (`src/build.rs` makes the table). Their words,
//! `shared/catalogue.js`, are made at build time from the same catalogue as
//! every other view's (`src/lang/zh.toml`, `en.toml`).
//!
//! [`PAGES`] is the one table of pages: every route to a page comes from it
//! ([`http::pages`]). Assets are served under `/assets/<version>/<folder>/<name>`,
//! the version being a digest of all of them, so they can be cached for a year
//! and still never be stale; the pages themselves are never cached. [`http`]
//! holds what both fronts (the meeting's port and the office's) answer with:
//! the security headers, the CSP, gzip, pages and assets.
//!
//! A new page: its files in its audience's folder and one entry in [`PAGES`].

pub mod http;

use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// One embedded file.
pub(crate) struct File {
    /// `folder/name`, as pages ask for it under `/assets/<version>/`.
    pub path: &'static str,
    pub bytes: &'static [u8],
    pub content_type: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// Who a page is for: which front serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// On the meeting's port.
    Meeting,
    /// On the office's front (`followups serve`, or a meeting's port that also
    /// serves the register).
    Office,
}

/// A page: where it is served, and its HTML (whose `{{assets}}` becomes the
/// versioned asset path).
pub struct Page {
    pub route: &'static str,
    pub html: &'static str,
    pub audience: Audience,
}

/// Every page.
pub const PAGES: &[Page] = &[
    Page {
        route: "/join",
        html: "meeting/join.html",
        audience: Audience::Meeting,
    },
    Page {
        route: "/projector",
        html: "meeting/projector.html",
        audience: Audience::Meeting,
    },
    Page {
        route: "/followups",
        html: "office/dashboard.html",
        audience: Audience::Office,
    },
    Page {
        route: "/followups/mine",
        html: "office/mine.html",
        audience: Audience::Office,
    },
    Page {
        route: "/topics",
        html: "office/topics.html",
        audience: Audience::Office,
    },
    Page {
        route: "/topics/mine",
        html: "office/topics_mine.html",
        audience: Audience::Office,
    },
];

/// The pages as served and the version of their assets, made once.
struct Site {
    version: String,
    /// Each page of [`PAGES`], its assets' path filled in, in that order.
    pages: Vec<String>,
}

fn file(path: &str) -> Option<&'static File> {
    FILES.iter().find(|f| f.path == path)
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let mut digest = Sha256::new();
        for f in FILES {
            digest.update(f.path.as_bytes());
            digest.update(f.bytes);
        }
        let version = hex::encode(&digest.finalize()[..6]);
        let prefix = format!("/assets/{version}");
        let pages = PAGES
            .iter()
            .map(|p| {
                let html = file(p.html).unwrap_or_else(|| panic!("no page file {}", p.html));
                String::from_utf8_lossy(html.bytes).replace("{{assets}}", &prefix)
            })
            .collect();
        Site { version, pages }
    })
}

/// Every embedded file: its path (`folder/name`) and bytes.
pub fn files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    FILES.iter().map(|f| (f.path, f.bytes))
}

/// A page by its route (`/join`, `/projector`, `/followups`, `/followups/mine`).
pub fn page(route: &str) -> Option<&'static str> {
    let at = PAGES.iter().position(|p| p.route == route)?;
    Some(&site().pages[at])
}

/// An asset of this build (`folder/name`): its bytes and content type; `None`
/// for another version's (a page loaded before a restart asks again and gets
/// the new one), and for a page's HTML, which is served only as the page.
pub fn asset(version: &str, path: &str) -> Option<(&'static [u8], &'static str)> {
    if version != site().version || path.ends_with(".html") {
        return None;
    }
    file(path).map(|f| (f.bytes, f.content_type))
}

/// The same bytes gzipped, for a client that takes it (every phone's browser):
/// made once, on first asking, and kept.
pub fn gzipped(bytes: &'static [u8]) -> &'static [u8] {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static MADE: OnceLock<Mutex<HashMap<usize, &'static [u8]>>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    let mut made = made.lock().unwrap_or_else(|e| e.into_inner());
    made.entry(bytes.as_ptr() as usize).or_insert_with(|| {
        // Kept for the process's life, like the assets themselves.
        Box::leak(gzip(bytes).into_boxed_slice())
    })
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)
        .and_then(|()| gz.finish())
        .expect("gzip into memory")
}

/// The version in this build's asset paths.
pub fn version() -> &'static str {
    &site().version
}

/// The assets a page loads, followed from its HTML through every module's
/// imports (`folder/name` each, once).
pub fn loads(route: &str) -> Vec<&'static str> {
    let Some(page) = PAGES.iter().find(|p| p.route == route) else {
        return Vec::new();
    };
    let prefix = "{{assets}}/";
    let mut found: Vec<&'static str> = Vec::new();
    let mut todo: Vec<String> = Vec::new();
    let html = file(page.html).map_or("", |f| std::str::from_utf8(f.bytes).unwrap_or(""));
    for part in html.split(prefix).skip(1) {
        todo.push(part.split('"').next().unwrap_or("").to_string());
    }
    while let Some(path) = todo.pop() {
        let Some(f) = file(&path) else { continue };
        if found.contains(&f.path) {
            continue;
        }
        found.push(f.path);
        if !f.path.ends_with(".js") {
            continue;
        }
        let text = std::str::from_utf8(f.bytes).unwrap_or("");
        let folder = f.path.rsplit_once('/').map_or("", |(d, _)| d);
        for line in text.lines().filter(|l| l.starts_with("import ")) {
            let Some(from) = line.split(['\'', '"']).nth(1) else {
                continue;
            };
            let target = match from.strip_prefix("../") {
                Some(rest) => rest.to_string(),
                None => format!("{folder}/{}", from.trim_start_matches("./")),
            };
            todo.push(target);
        }
    }
    found.sort_unstable();
    found
}

/// What a phone loads for the participant's page, in bytes: plain, and as it
/// travels (gzipped; every phone's browser takes gzip).
pub fn weight() -> (usize, usize) {
    let page = page("/join").unwrap_or("").as_bytes();
    let files: Vec<&File> = loads("/join").iter().filter_map(|p| file(p)).collect();
    let plain = page.len() + files.iter().map(|f| f.bytes.len()).sum::<usize>();
    let zipped = gzip(page).len() + files.iter().map(|f| gzipped(f.bytes).len()).sum::<usize>();
    (plain, zipped)
}

/// The Content-Security-Policy for an answer to a request for `host`: nothing
/// but this host's scripts, styles and websocket; no framing, no forms elsewhere.
pub fn content_security_policy(host: Option<&str>) -> String {
    // A Host header is the client's to write: only the characters of a host and
    // port go into the header we send back.
    let host = host.filter(|h| {
        !h.is_empty()
            && h.len() <= 255
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    });
    let sockets = host.map_or(String::new(), |h| format!(" ws://{h} wss://{h}"));
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'{sockets}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_name_their_assets_by_version_and_stay_light() {
        let join = page("/join").unwrap();
        assert!(join.contains(&format!("/assets/{}/meeting/join.js", version())));
        assert!(!join.contains("{{"));
        assert!(asset(version(), "meeting/state.js").is_some());
        assert!(asset("0000", "meeting/state.js").is_none());
        assert!(asset(version(), "../Cargo.toml").is_none());
        assert!(asset(version(), "meeting/join.html").is_none());
        let (plain, zipped) = weight();
        assert!(
            zipped <= 60 * 1024,
            "one page load is {zipped} bytes as it travels ({plain} plain)"
        );
    }

    #[test]
    fn every_page_loads_only_files_there_are_and_the_phone_none_of_the_projectors() {
        for p in PAGES {
            assert!(page(p.route).is_some(), "{}", p.route);
            let html = std::str::from_utf8(file(p.html).unwrap().bytes).unwrap();
            for part in html.split("{{assets}}/").skip(1) {
                let path = part.split('"').next().unwrap();
                assert!(
                    file(path).is_some(),
                    "{} loads {path}, which is not there",
                    p.route
                );
            }
        }
        let phone = loads("/join");
        for shared in ["shared/dom.js", "shared/words.js", "shared/catalogue.js"] {
            assert!(phone.contains(&shared), "{phone:?}");
        }
        assert!(!phone
            .iter()
            .any(|p| p.contains("projector") || p.starts_with("office/")));
        assert!(loads("/followups").contains(&"office/followups.js"));
    }

    #[test]
    fn the_policy_names_only_a_well_formed_host() {
        assert!(content_security_policy(Some("192.168.1.5:7878"))
            .contains("connect-src 'self' ws://192.168.1.5:7878 wss://192.168.1.5:7878;"));
        assert!(
            content_security_policy(Some("evil.com; script-src *")).contains("connect-src 'self';")
        );
        assert!(!content_security_policy(None).contains("unsafe"));
    }
}
